//! `carematch-service` (also run as `carematch serve`): with no arguments,
//! the embedded fictional sample on 127.0.0.1:3000.
//!
//! ```sh
//! cargo run --release -p carematch-service
//! cargo run --release -p carematch-service -- --directory dir.json --db dir.db --tokens-file tokens.txt
//! ```
//!
//! `--help` lists every setting and its environment variable.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let settings = carematch_service::Settings::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("carematch-service: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(carematch_service::serve(settings)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("carematch-service: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
