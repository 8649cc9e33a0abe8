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

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, path] = args.as_slice() else {
        eprintln!("usage: read_directory strict|lenient FILE");
        return ExitCode::FAILURE;
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("read_directory: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let read = match mode.as_str() {
        "strict" => carematch::programs_from_json(&text).map(|p| (p.len(), 0)),
        "lenient" => carematch::programs_from_json_lenient(&text).map(|(p, n)| (p.len(), n.len())),
        _ => {
            eprintln!("usage: read_directory strict|lenient FILE");
            return ExitCode::FAILURE;
        }
    };
    match read {
        Ok((programs, notes)) => {
            println!("{mode}: {programs} programs, {notes} notes");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("read_directory: {e}");
            ExitCode::FAILURE
        }
    }
}
