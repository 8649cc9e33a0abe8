//! Reads a directory file with the strict or the lenient reader and prints
//! how many programs it read: a harness for measuring the readers' time and
//! peak memory (`/usr/bin/time -v`).
//!
//! ```sh
//! cargo run --release --example gen_directory -- 100000 7 > /tmp/big.json
//! cargo build --release --example read_directory
//! /usr/bin/time -v target/release/examples/read_directory strict /tmp/big.json
//! /usr/bin/time -v target/release/examples/read_directory lenient /tmp/big.json
//! ```
//!
//! A third argument names a file to write what was read to, as JSON (the
//! programs, then the notes), to compare two builds of a reader.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mode, path, out) = match args.as_slice() {
        [mode, path] => (mode, path, None),
        [mode, path, out] => (mode, path, Some(out)),
        _ => {
            eprintln!("usage: read_directory strict|lenient FILE [OUT]");
            return ExitCode::FAILURE;
        }
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("read_directory: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let read = match mode.as_str() {
        "strict" => carematch::programs_from_json(&text).map(|p| (p, Vec::new())),
        "lenient" => carematch::vocabulary::programs_from_json_lenient(&text),
        _ => {
            eprintln!("usage: read_directory strict|lenient FILE [OUT]");
            return ExitCode::FAILURE;
        }
    };
    match read {
        Ok((programs, notes)) => {
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
