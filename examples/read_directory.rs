//! Reads a directory file with the strict or the lenient reader and prints
//! how many programs it read: a harness for measuring the readers' time and
//! peak memory (`/usr/bin/time -v`).
//!
//! ```sh
//! cargo run --release --example gen_directory -- 100000 7 > /tmp/big.json
//! cargo build --release --example read_directory
//! /usr/bin/time -v target/release/examples/read_directory strict /tmp/big.json
//! /usr/bin/time -v target/release/examples/read_directory lenient /tmp/big.json
//! target/release/examples/read_directory phases /tmp/big.json
//! target/release/examples/read_directory from_reader /tmp/big.json
//! ```
//!
//! `load` reads with `load_directory` (parse and validate); `tokens` times serde_json reading every token and keeping nothing (the
//! tokenizer's floor); `phases` times the steps of a strict load (reading
//! the file; parsing and validating on their own; `load_directory`, which
//! does both in one pass; compiling a `Directory`) and prints seconds and
//! MB/s (megabytes of JSON, 10^6 bytes, per second) for each; `from_json` and
//! `from_reader` time `Directory::from_json` (after reading the file) and
//! `Directory::from_reader` (over the open file) in one step. Each step
//! prints its wall-clock time and, on Linux, the CPU time of the thread,
//! which other work on a shared machine disturbs less.
//!
//! A third argument names a file to write what was read to, as JSON (the
//! programs, then the notes), to compare two builds of a reader.

use std::process::ExitCode;
use std::time::Instant;

use carematch::{Date, Directory, synthetic::AS_OF};

fn usage() -> ExitCode {
    eprintln!(
        "usage: read_directory strict|load|lenient|phases|tokens|from_json|from_reader FILE [OUT]"
    );
    ExitCode::FAILURE
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mode, path, out) = match args.as_slice() {
        [mode, path] => (mode, path, None),
        [mode, path, out] => (mode, path, Some(out)),
        _ => return usage(),
    };
    let as_of = AS_OF;
    if mode == "from_reader" {
        let start = Clock::now();
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("read_directory: {path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let bytes = file.metadata().map(|m| m.len()).unwrap_or(0) as f64;
        return match Directory::from_reader(file, as_of) {
            Ok(dir) => {
                report("from_reader", bytes, start);
                println!("{mode}: {} programs", dir.len());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("read_directory: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let start = Clock::now();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("read_directory: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let bytes = text.len() as f64;
    report("read file", bytes, start);
    let start = Clock::now();
    let read = match mode.as_str() {
        "strict" => carematch::programs_from_json(&text).map(|p| (p, Vec::new())),
        "load" => carematch::load_directory(&text, as_of).map(|(p, _)| (p, Vec::new())),
        "lenient" => carematch::vocabulary::programs_from_json_lenient(&text),
        "phases" => return phases(&text, as_of),
        "tokens" => {
            // The JSON tokenizer's own floor: every token read, nothing kept.
            let start = Clock::now();
            let read: Result<serde::de::IgnoredAny, _> = serde_json::from_str(&text);
            report("tokens only (IgnoredAny)", bytes, start);
            return match read {
                Ok(_) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("read_directory: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        "from_json" => {
            let start = Clock::now();
            return match Directory::from_json(&text, as_of) {
                Ok(dir) => {
                    report("from_json", bytes, start);
                    println!("{mode}: {} programs", dir.len());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("read_directory: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        _ => return usage(),
    };
    match read {
        Ok((programs, notes)) => {
            report(mode, bytes, start);
            println!("{mode}: {} programs, {} notes", programs.len(), notes.len());
            if let Some(out) = out {
                let json = serde_json::json!({ "programs": programs, "notes": notes });
                if let Err(e) = std::fs::write(out, json.to_string()) {
                    eprintln!("read_directory: {out}: {e}");
                    return ExitCode::FAILURE;
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("read_directory: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Times the steps of a strict load: parsing and validating on their own,
/// then `load_directory` (both in one pass), then compiling.
fn phases(text: &str, as_of: Date) -> ExitCode {
    let bytes = text.len() as f64;
    let start = Clock::now();
    let programs = match carematch::programs_from_json(text) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("read_directory: {e}");
            return ExitCode::FAILURE;
        }
    };
    report("parse (programs_from_json)", bytes, start);
    let start = Clock::now();
    let found = carematch::validate_programs(&programs, as_of);
    let validate = start.wall.elapsed().as_secs_f64();
    report("validate (validate_programs)", bytes, start);
    println!(
        "{} programs, {} problems, errors: {}",
        programs.len(),
        found.problems.len(),
        found.has_errors()
    );
    drop(programs);
    let start = Clock::now();
    let programs = match carematch::load_directory(text, as_of) {
        Ok((p, _)) => p,
        Err(e) => {
            eprintln!("read_directory: {e}");
            return ExitCode::FAILURE;
        }
    };
    report("parse + validate (load_directory)", bytes, start);
    let start = Clock::now();
    // `Directory::new` validates again: the compile step alone is its time
    // less the validate step above.
    match Directory::new(programs, as_of) {
        Ok(dir) => {
            report("validate + compile (Directory::new)", bytes, start);
            let compile = start.wall.elapsed().as_secs_f64() - validate;
            println!(
                "{:>38}: {compile:7.3} s {:8.1} MB/s",
                "compile (the difference)",
                bytes / compile / 1e6
            );
            println!("directory: {} programs", dir.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("read_directory: {e}");
            ExitCode::FAILURE
        }
    }
}

fn report(step: &str, bytes: f64, start: Clock) {
    let s = start.wall.elapsed().as_secs_f64();
    let cpu = match (start.cpu, cpu_seconds()) {
        (Some(a), Some(b)) => format!(", {:7.3} s CPU {:8.1} MB/s", b - a, bytes / (b - a) / 1e6),
        _ => String::new(),
    };
    println!("{step:>38}: {s:7.3} s {:8.1} MB/s{cpu}", bytes / s / 1e6);
}

/// A start time: the wall clock, and the CPU time this thread has run
/// (Linux only), which other work on a shared machine disturbs less.
#[derive(Clone, Copy)]
struct Clock {
    wall: Instant,
    cpu: Option<f64>,
}

impl Clock {
    fn now() -> Clock {
        Clock {
            wall: Instant::now(),
            cpu: cpu_seconds(),
        }
    }
}

/// This thread's CPU time so far, from `/proc/thread-self/schedstat`.
fn cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(ns as f64 / 1e9)
}
