//! carematch on the command line, over JSON files.
//!
//! ```sh
//! cargo run --example carematch -- level assessment.json            # the rationale
//! cargo run --example carematch -- level assessment.json --json     # the JSON
//! cargo run --example carematch -- level - < assessment.json         # from stdin
//! cargo run --example carematch -- level a.json --policy site.json  # another policy
//! ```
//!
//! A bad file exits with status 1 and the error, with its field path, on stderr.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use carematch::{LevelPolicy, assessment_from_json, level_policy_from_json};
use clap::{Args, Parser, Subcommand};

/// Decision support for placing patients in mental-health care.
///
/// It offers a recommendation and its basis; a clinician decides. If someone
/// is at imminent risk, call or text 988 (in Massachusetts, also the
/// Behavioral Health Help Line, 833-773-2445).
#[derive(Debug, Parser)]
#[command(name = "carematch", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Recommend a level of care from an assessment (JSON).
    Level(LevelArgs),
}

#[derive(Debug, Args)]
struct LevelArgs {
    /// The assessment: a JSON file, or `-` for standard input.
    file: PathBuf,
    /// Print the recommendation as JSON instead of the rationale.
    #[arg(long)]
    json: bool,
    /// A level-of-care policy (JSON) to use instead of the default adult policy.
    #[arg(long, value_name = "POLICY.json")]
    policy: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli.command) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("carematch: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one command and returns what to print.
fn run(command: &Command) -> Result<String, String> {
    match command {
        Command::Level(args) => level(args),
    }
}

fn level(args: &LevelArgs) -> Result<String, String> {
    let policy = match &args.policy {
        Some(path) => level_policy_from_json(&read(path)?).map_err(|e| at(path, e))?,
        None => LevelPolicy::default(),
    };
    let assessment = assessment_from_json(&read(&args.file)?).map_err(|e| at(&args.file, e))?;
    let rec = policy.recommend(&assessment);
    if args.json {
        serde_json::to_string_pretty(&rec).map_err(|e| format!("cannot write JSON: {e}"))
    } else {
        Ok(rec.to_string())
    }
}

/// The text of `path`, or of standard input for `-`.
fn read(path: &Path) -> Result<String, String> {
    let mut text = String::new();
    if path == Path::new("-") {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
    } else {
        text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    }
    Ok(text)
}

/// An error in the file at `path`, naming the file.
fn at(path: &Path, e: carematch::Error) -> String {
    let name = if path == Path::new("-") {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    };
    format!("{name}: {e}")
}
