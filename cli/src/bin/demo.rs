//! The demo as a binary, so that tests can run it (`CARGO_BIN_EXE_demo`).
//! The code is the top-level `examples/demo.rs`, which the README runs as
//! `cargo run --release --example demo`.

#[path = "../../../examples/demo.rs"]
mod demo;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    demo::main()
}
