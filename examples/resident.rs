//! Loads a directory file into a [`carematch::Directory`], drops the input
//! text and the parsed programs, and prints what the process holds
//! resident: a harness for the directory's memory (issue 15).
//!
//! ```sh
//! cargo run --release --example gen_directory -- 100000 7 > /tmp/mem-100k.json
//! cargo build --release --example resident
//! /usr/bin/time -v target/release/examples/resident /tmp/mem-100k.json
//! target/release/examples/resident /tmp/mem-100k.json trim
//! target/release/examples/resident /tmp/mem-100k.json two-steps
//! target/release/examples/resident /tmp/mem-100k.json write-snapshot /tmp/mem-100k.snap
//! /usr/bin/time -v target/release/examples/resident /tmp/mem-100k.snap snapshot
//! ```
//!
//! By default the directory is read with `Directory::from_json` (one
//! streaming pass: the parsed programs are never all in memory);
//! `two-steps` reads `programs_from_json` and then `Directory::new`;
//! `snapshot` reads FILE as a snapshot (`Directory::read_snapshot`, through a
//! `BufReader`, no text held), and `write-snapshot OUT` writes the directory
//! built from FILE to OUT as a snapshot, timed, after the figures.
//!
//! It prints `VmRSS` (resident now) and `VmHWM` (peak resident) from
//! `/proc/self/status` (Linux) after each step: reading the file, parsing
//! it, building the directory, dropping the text and the parsed programs.
//! glibc's allocator may keep memory freed by the parse resident; with the
//! second argument `trim` the harness asks it to return free pages to the
//! system (`malloc_trim(0)`, glibc only) before the last figure, so that
//! the figure shows what the directory itself holds.

use std::alloc::{GlobalAlloc, Layout, System};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use carematch::Directory;

/// The system allocator, counting the bytes live on the heap, so that the
/// harness can tell what the directory holds from what the allocator keeps.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; the
// counter only adds and subtracts the sizes asked for.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: as the caller promised for `layout`.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: as the caller promised for `ptr` and `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: as the caller promised for `ptr`, `layout` and `new_size`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// `VmRSS` and `VmHWM` in kB, from `/proc/self/status`.
fn resident() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Prints the figures after `step`, with the seconds since the last step.
fn report(step: &str, since: &mut std::time::Instant) {
    let (rss, hwm) = resident();
    println!(
        "{step:<20} resident {:>8.1} MB   peak {:>8.1} MB   heap live {:>8.1} MB   {:>6.2} s",
        rss as f64 / 1024.0,
        hwm as f64 / 1024.0,
        LIVE.load(Ordering::Relaxed) as f64 / 1048576.0,
        since.elapsed().as_secs_f64()
    );
    *since = std::time::Instant::now();
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trim() {
    unsafe extern "C" {
        fn malloc_trim(pad: usize) -> i32;
    }
    // SAFETY: glibc's malloc_trim takes a byte count and only returns free
    // memory to the system; it touches no memory this program holds.
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim() {}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `stream` (the default): `Directory::from_json`, which reads,
    // validates, compiles and stores each program in one pass; `two-steps`:
    // `programs_from_json`, then `Directory::new` over the whole Vec;
    // `snapshot`: `Directory::read_snapshot`.
    const USAGE: &str =
        "usage: resident FILE [stream|two-steps|snapshot] [trim] [write-snapshot OUT]";
    let mut two_steps = false;
    let mut from_snapshot = false;
    let mut trim_after = false;
    let mut path = None;
    let mut write_to = None;
    let mut rest = args.iter();
    while let Some(a) = rest.next() {
        match a.as_str() {
            "trim" => trim_after = true,
            "two-steps" => two_steps = true,
            "stream" => two_steps = false,
            "snapshot" => from_snapshot = true,
            "write-snapshot" => match rest.next() {
                Some(out) => write_to = Some(out.to_owned()),
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::FAILURE;
                }
            },
            p if path.is_none() => path = Some(p.to_owned()),
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::FAILURE;
            }
        }
    }
    let Some(path) = path else {
        eprintln!("{USAGE}");
        return ExitCode::FAILURE;
    };
    let mut t = std::time::Instant::now();
    report("start", &mut t);
    let built = if from_snapshot {
        match std::fs::File::open(&path) {
            Ok(f) => Directory::read_snapshot(std::io::BufReader::with_capacity(1 << 20, f)),
            Err(e) => {
                eprintln!("resident: {path}: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("resident: {path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        report("file read", &mut t);
        if two_steps {
            let programs = match carematch::programs_from_json(&text) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("resident: {e}");
                    return ExitCode::FAILURE;
                }
            };
            report("parsed", &mut t);
            drop(text);
            report("text dropped", &mut t);
            Directory::new(programs, carematch::synthetic::AS_OF)
        } else {
            let d = Directory::from_json(&text, carematch::synthetic::AS_OF);
            drop(text);
            d
        }
    };
    let dir = match built {
        Ok(d) => d,
        Err(e) => {
            eprintln!("resident: {e}");
            return ExitCode::FAILURE;
        }
    };
    report("directory built", &mut t);
    if trim_after {
        trim();
        report("after malloc_trim", &mut t);
    }
    let n = dir.len().max(1);
    let (rss, hwm) = resident();
    println!(
        "programs            {} ({} warnings kept)",
        dir.len(),
        dir.warnings().problems.len()
    );
    println!(
        "index               {:.1} MB ({} bytes per program)",
        dir.index_bytes() as f64 / 1048576.0,
        dir.index_bytes() / n
    );
    let (records, strings, ids) = dir.store_parts();
    let mb = |b: usize| b as f64 / 1048576.0;
    println!(
        "store               {:.1} MB ({} bytes per program): records {:.1} MB, shared strings {:.1} MB, id table {:.1} MB",
        mb(dir.store_bytes()),
        dir.store_bytes() / n,
        mb(records),
        mb(strings),
        mb(ids)
    );
    println!(
        "resident            {:.1} MB ({} bytes per program); peak {:.1} MB",
        rss as f64 / 1024.0,
        rss * 1024 / n as u64,
        hwm as f64 / 1024.0
    );
    if let Some(out) = write_to {
        let written = std::fs::File::create(&out)
            .map_err(|e| e.to_string())
            .and_then(|f| {
                let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
                dir.write_snapshot(&mut w).map_err(|e| e.to_string())?;
                std::io::Write::flush(&mut w).map_err(|e| e.to_string())
            });
        if let Err(e) = written {
            eprintln!("resident: {out}: {e}");
            return ExitCode::FAILURE;
        }
        report("snapshot written", &mut t);
    }
    std::hint::black_box(&dir);
    ExitCode::SUCCESS
}
