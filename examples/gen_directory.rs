//! Writes a seeded synthetic directory as JSON, for benchmarks and tests.
//!
//! ```sh
//! cargo run --release --example gen_directory -- 30000 7 > synthetic.json
//! cargo run --bin carematch -- rank patient.json --directory synthetic.json --as-of 2026-11-01
//! ```
//!
//! The programs are synthetic (invented, scattered around real US city
//! centres) and the file says so. The same N and SEED always give the same file.

use std::io::Write;
use std::process::ExitCode;

use carematch::synthetic;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parsed = match args.as_slice() {
        [n, seed] => n.parse::<usize>().ok().zip(seed.parse::<u64>().ok()),
        _ => None,
    };
    let Some((n, seed)) = parsed else {
        eprintln!("usage: gen_directory N SEED   (N programs, a whole-number SEED)");
        return ExitCode::FAILURE;
    };
    let doc = serde_json::json!({
        "notice": format!(
            "SYNTHETIC DATA from carematch::synthetic::directory({n}, {seed}): invented programs \
             for benchmarks and tests, judged as of {}. Do not use it to refer anyone.",
            synthetic::AS_OF
        ),
        "programs": synthetic::directory(n, seed),
    });
    let mut out = std::io::stdout().lock();
    match serde_json::to_writer(&mut out, &doc).map(|()| writeln!(out)) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            eprintln!("gen_directory: cannot write: {e}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("gen_directory: cannot write: {e}");
            ExitCode::FAILURE
        }
    }
}
