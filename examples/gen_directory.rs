//! Writes a seeded synthetic directory as JSON, for benchmarks and tests.
//!
//! ```sh
//! cargo run --release --example gen_directory -- 30000 7 > synthetic.json
//! cargo run --bin carematch -- rank patient.json --directory synthetic.json --as-of 2026-11-01
//! ```
//!
//! The programs are synthetic (invented, scattered around real US city
//! centres) and the file says so. The same N and SEED always give the same file.
//! Programs are generated and written one at a time, so memory stays flat
//! whatever N is.

use std::io::{BufWriter, Write};
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
    match write(n, seed, &mut BufWriter::new(std::io::stdout().lock())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_directory: cannot write: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `{"notice": ..., "programs": [...]}`, one program at a time.
fn write(n: usize, seed: u64, out: &mut impl Write) -> std::io::Result<()> {
    let notice = format!(
        "SYNTHETIC DATA from carematch::synthetic::directory({n}, {seed}): invented programs \
         for benchmarks and tests, judged as of {}. Do not use it to refer anyone.",
        synthetic::AS_OF
    );
    out.write_all(b"{\"notice\":")?;
    serde_json::to_writer(&mut *out, &notice)?;
    out.write_all(b",\"programs\":[")?;
    for (i, program) in synthetic::programs(n, seed).enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, &program)?;
    }
    out.write_all(b"]}\n")?;
    out.flush()
}
