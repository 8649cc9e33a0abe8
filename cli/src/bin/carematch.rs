//! carematch on the command line, over JSON files.
//!
//! ```sh
//! cargo run --bin carematch -- level assessment.json            # the rationale
//! cargo run --bin carematch -- level assessment.json --json     # the JSON
//! cargo run --bin carematch -- level - < assessment.json         # from stdin
//! cargo run --bin carematch -- level a.json --policy site.json  # another policy
//! cargo run --bin carematch -- policy > site.json               # the default policy, to edit
//! cargo run --bin carematch -- rank patient.json                # rank the embedded sample
//! cargo run --bin carematch -- rank patient.json --directory dir.json --top 10 --json
//! cargo run --bin carematch -- rank patient.json --assessment a.json  # level from the assessment
//! cargo run --bin carematch -- --lenient rank patient.json      # free-text terms, notes on stderr
//! cargo run --bin carematch -- level --fhir bundle.json         # level the record's screens suggest
//! cargo run --bin carematch -- level a.json --fhir bundle.json  # the assessment, suggestions beside it
//! cargo run --bin carematch -- rank --fhir bundle.json --level intensive_outpatient --payer masshealth
//! cargo run --bin carematch -- import --format samhsa listing.json --report report.json > dir.json
//! cargo run --bin carematch -- import --format hsds hsds-csv/ > dir.json  # a CSV data package
//! cargo run --bin carematch -- rank patient.json --directory dir.json
//! cargo run --bin carematch -- assign data/referrals.json       # place a queue in the sample's open slots
//! cargo run --bin carematch -- assign queue.json --directory dir.json --json
//! carematch serve --directory dir.json --db dir.db   # the HTTP service (carematch-service)
//! ```
//!
//! A bad file exits with status 1 and the error, with its field path, on stderr.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use carematch::{
    Date, Directory, LevelPolicy, PatientNeeds, assessment_from_json, level_policy_from_json,
    matching::{MatchOptions, Weights},
    patient_from_json, sample,
    vocabulary::{patient_from_json_lenient, programs_from_json_lenient},
};
use clap::{Args, Parser, Subcommand};

/// Decision support for placing patients in mental-health care.
///
/// It offers a recommendation and its basis; a clinician decides. If someone
/// is at imminent risk, call or text 988 (in Massachusetts, also the
/// Behavioral Health Help Line, 833-773-2445).
#[derive(Debug, Parser)]
#[command(name = "carematch", version)]
struct Cli {
    /// Accept free-text terms ("Mass Health", "dialectical behavior therapy") in the JSON
    /// files read; every term read by synonym or close spelling is printed to stderr.
    #[arg(long, global = true)]
    lenient: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Recommend a level of care from an assessment (JSON).
    Level(LevelArgs),
    /// Rank a directory's programs for one patient (JSON), with the reasons.
    Rank(RankArgs),
    /// Print the default level-of-care policy as JSON: a site's own policy
    /// starts from it (edit it, then pass it to `level --policy`).
    Policy,
    /// Import a directory in a public format (HSDS 3, FHIR R4 Plan-Net, SAMHSA locator):
    /// a carematch directory on stdout, a summary of what was not mapped on stderr.
    Import(ImportArgs),
    /// Place a queue of referrals (JSON) in the programs' open slots, by priority tier.
    Assign(AssignArgs),
    /// Serve the HTTP API (runs `carematch-service`, installed beside this
    /// binary or on the PATH, with the same arguments; `serve --help` lists
    /// its settings). With no arguments, the embedded sample on 127.0.0.1:3000.
    #[command(disable_help_flag = true)]
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// The service's arguments (`--directory FILE`, `--db PATH`, `--listen ADDR`, ...).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// The source format.
    #[arg(long, value_parser = ["hsds", "fhir", "samhsa"])]
    format: String,
    /// The source file (JSON), or `-` for standard input; for `--format hsds`, also a
    /// folder holding an HSDS data package of CSV files (`services.csv`, ...).
    file: PathBuf,
    /// Write the whole report (every field and value, refusals, notes) as JSON here.
    #[arg(long, value_name = "REPORT.json")]
    report: Option<PathBuf>,
    /// The date the source was read (YYYY-MM-DD), programs are validated against it;
    /// today (UTC) by default. It is never a record's verification date (see --source-date).
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<String>,
    /// The date the source's records were verified (YYYY-MM-DD), when the source gives
    /// none of its own (a 2019 data package: its 2019 date). Without it, a record with
    /// no date of its own has its verification date not listed.
    #[arg(long, value_name = "YYYY-MM-DD")]
    source_date: Option<String>,
    /// What a bare "Creole" means in this source, as an ISO 639 code (`ht` Haitian
    /// Creole, `kea` Cape Verdean Creole); without it, "Creole" is reported, not read.
    #[arg(long, value_name = "CODE")]
    creole: Option<String>,
    /// The most records (listing rows, services) to read; past it the import stops with
    /// an error.
    #[arg(long, value_name = "N", default_value_t = carematch::import::DEFAULT_MAX_ROWS)]
    max_rows: usize,
    /// The largest input to read, in bytes; a larger one is an error before it is parsed.
    #[arg(long, value_name = "BYTES", default_value_t = carematch::import::DEFAULT_MAX_BYTES)]
    max_bytes: usize,
}

#[derive(Debug, Args)]
struct AssignArgs {
    /// The referrals: a JSON file (`{"referrals": [...]}`), or `-` for standard input.
    referrals: PathBuf,
    /// A directory of programs (JSON); the embedded fictional sample when left out.
    #[arg(long, value_name = "DIR.json")]
    directory: Option<PathBuf>,
    /// Print the assignment as JSON.
    #[arg(long)]
    json: bool,
    /// A priority policy (JSON) to use instead of the default rules.
    #[arg(long, value_name = "POLICY.json")]
    policy: Option<PathBuf>,
    /// Open slots assumed for a program that does not list them.
    #[arg(long, value_name = "N", default_value_t = 0)]
    unlisted_slots: u32,
    /// Place in queue order instead (first come, first served), for comparison.
    #[arg(long)]
    first_come: bool,
    /// The date to judge verification dates against (YYYY-MM-DD); by default the
    /// sample's reference date for the sample, today (UTC) for other directories.
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<String>,
}

#[derive(Debug, Args)]
struct RankArgs {
    /// The patient's needs: a JSON file, or `-` for standard input (or give --fhir).
    #[arg(required_unless_present = "fhir", conflicts_with = "fhir")]
    patient: Option<PathBuf>,
    #[command(flatten)]
    record: FhirArgs,
    /// The level of care to rank at (replaces the patient's `level`; with --fhir, the
    /// level used before --assessment and the screens' suggestion).
    #[arg(long, value_name = "LEVEL", conflicts_with = "assessment")]
    level: Option<String>,
    /// A directory of programs (JSON); the embedded fictional sample when left out.
    #[arg(long, value_name = "DIR.json")]
    directory: Option<PathBuf>,
    /// How many programs to list.
    #[arg(long, default_value_t = 5)]
    top: usize,
    /// Print the ranking as JSON.
    #[arg(long)]
    json: bool,
    /// An assessment (JSON) whose recommended level replaces the patient's `level`.
    #[arg(long, value_name = "ASSESSMENT.json")]
    assessment: Option<PathBuf>,
    /// The date to judge verification dates against (YYYY-MM-DD); by default the
    /// sample's reference date for the sample, today (UTC) for other directories.
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<String>,
    /// Keep programs that take self-pay or a sliding scale but not the patient's payer.
    #[arg(long)]
    allow_self_pay: bool,
    /// Keep programs not accepting new patients (as waitlists).
    #[arg(long)]
    allow_waitlist: bool,
    /// Leave out programs that list no open place (full); by default they
    /// stay matches, marked full.
    #[arg(long)]
    exclude_full: bool,
    /// Also list programs at the adjacent levels, labelled as alternatives.
    #[arg(long)]
    alternatives: bool,
    /// List every excluded program with its reasons (by default they are
    /// counted by reason).
    #[arg(long)]
    excluded: bool,
    /// The least share (0 to 1) of a program's best track at the level that
    /// must fall inside the patient's free time; programs below it are
    /// excluded as `schedule_conflict`. 0 turns the rule off.
    #[arg(long, value_name = "SHARE", default_value_t = 0.5)]
    min_schedule_fit: f64,
}

#[derive(Debug, Args)]
struct LevelArgs {
    /// The assessment: a JSON file, or `-` for standard input. With --fhir it may be left
    /// out: the level is then the one the record's screening scores suggest, and says so.
    #[arg(required_unless_present = "fhir")]
    file: Option<PathBuf>,
    #[command(flatten)]
    record: FhirArgs,
    /// Print the recommendation as JSON instead of the rationale.
    #[arg(long)]
    json: bool,
    /// A level-of-care policy (JSON) to use instead of the default adult policy.
    #[arg(long, value_name = "POLICY.json")]
    policy: Option<PathBuf>,
}

/// Reading the patient from a FHIR R4 record.
#[derive(Debug, Args)]
struct FhirArgs {
    /// A FHIR R4 Bundle (JSON) of the patient's record: Patient, Condition, Coverage,
    /// Observation, QuestionnaireResponse, MedicationStatement and MedicationRequest.
    /// The read report goes to stderr; no identifying data is printed.
    #[arg(long, value_name = "BUNDLE.json")]
    fhir: Option<PathBuf>,
    /// The date ages are computed on (YYYY-MM-DD); today (UTC) by default.
    #[arg(long = "record-as-of", value_name = "YYYY-MM-DD", requires = "fhir")]
    record_as_of: Option<String>,
    /// A CIWA-Ar total taken beside the record (0-67); replaces the record's.
    #[arg(long, value_name = "N", requires = "fhir")]
    ciwa: Option<u16>,
    /// A COWS total taken beside the record (0-48); replaces the record's.
    #[arg(long, value_name = "N", requires = "fhir")]
    cows: Option<u16>,
    /// The site's code rows (JSON, as `carematch::record::CodeTables`, every table optional),
    /// added before the default tables: its CIWA-Ar, COWS, PCL-5 or C-SSRS codes, its plans,
    /// its Medicaid state.
    #[arg(long, value_name = "CODES.json", requires = "fhir")]
    codes: Option<PathBuf>,
    /// The payer when the record lists no active coverage (`masshealth`, `commercial: ...`).
    #[arg(long, value_name = "PAYER", requires = "fhir")]
    payer: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Serve(args) = &cli.command {
        return serve(args);
    }
    match run(&cli.command, cli.lenient) {
        Ok(None) => ExitCode::SUCCESS,
        Ok(Some(out)) => {
            use std::io::Write;
            // A closed pipe (`carematch rank ... | head`) ends the output quietly.
            match writeln!(std::io::stdout().lock(), "{out}") {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    eprintln!("carematch: cannot write the output: {e}");
                    ExitCode::FAILURE
                }
                _ => ExitCode::SUCCESS,
            }
        }
        Err(e) => {
            eprintln!("carematch: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one command and returns what to print (`None`: the command wrote
/// its output itself).
fn run(command: &Command, lenient: bool) -> Result<Option<String>, String> {
    match command {
        Command::Level(args) => level(args).map(Some),
        Command::Rank(args) => rank(args, lenient).map(Some),
        Command::Policy => serde_json::to_string_pretty(&LevelPolicy::default())
            .map(Some)
            .map_err(|e| format!("cannot write JSON: {e}")),
        Command::Import(args) => import(args),
        Command::Assign(args) => assign(args, lenient).map(Some),
        Command::Serve(_) => Err("serve runs the service, with no output to print".to_owned()),
    }
}

/// Runs `carematch-service` with `args`: the one beside this binary (as
/// `cargo build` and `cargo install` put it), else the one on the PATH. The
/// service is a package of its own (axum, tokio, SQLite), so that this
/// command line and the demo build without them.
fn serve(args: &ServeArgs) -> ExitCode {
    let name = format!("carematch-service{}", std::env::consts::EXE_SUFFIX);
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(&name)))
        .filter(|p| p.is_file());
    let program = beside.unwrap_or_else(|| PathBuf::from(&name));
    let mut command = std::process::Command::new(&program);
    command.args(&args.args);
    #[cfg(unix)]
    let outcome = {
        use std::os::unix::process::CommandExt;
        // Replaces this process, so signals (SIGTERM) reach the service.
        Err::<std::process::ExitStatus, _>(command.exec())
    };
    #[cfg(not(unix))]
    let outcome = command.status();
    match outcome {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!(
                "carematch: cannot run {}: {e}; install it with `cargo install --path service` \
                 (or build it with `cargo build --release -p carematch-service`)",
                program.display()
            );
            ExitCode::FAILURE
        }
    }
}

/// Imports a source and writes the directory to standard output itself
/// (`Ok(None)`): the programs go out one at a time.
fn import(args: &ImportArgs) -> Result<Option<String>, String> {
    use carematch::import::{Format, ImportOptions};
    let format: Format = args.format.parse().map_err(|e| format!("--format: {e}"))?;
    let as_of = match &args.as_of {
        Some(d) => d.parse::<Date>().map_err(|e| format!("--as-of: {e}"))?,
        None => today()?,
    };
    let mut options = ImportOptions::new(as_of)
        .with_max_rows(args.max_rows)
        .with_max_bytes(args.max_bytes);
    if !args.file.is_dir()
        && let Ok(m) = std::fs::metadata(&args.file)
        && m.len() > args.max_bytes as u64
    {
        return Err(format!(
            "{}: {} bytes: over the import's input size limit of {} bytes (raise it with --max-bytes)",
            name(&args.file),
            m.len(),
            args.max_bytes
        ));
    }
    if let Some(d) = &args.source_date {
        let d = d
            .parse::<Date>()
            .map_err(|e| format!("--source-date: {e}"))?;
        options = options.with_source_date(d);
    }
    if let Some(c) = &args.creole {
        let l = c
            .parse::<carematch::Language>()
            .map_err(|e| format!("--creole: {e}"))?;
        options = options.with_creole(l);
    }
    if args.file.is_dir() && format != Format::Hsds {
        return Err(format!(
            "{}: a folder is read only with --format hsds (a data package of CSV files)",
            name(&args.file)
        ));
    }
    let notice = format!(
        "Imported from {} ({}) as of {as_of}; see the import report for what was not mapped",
        name(&args.file),
        format
    );
    // Each program is written as it is made, as `to_string_pretty` of the
    // whole document would write it, without holding the programs, the
    // document (as one JSON tree) or its text in memory. The document opens
    // at the first program (or at the end): an import that fails writes
    // nothing, and it fails before its first program if at all.
    let mut w = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut out = DirectoryWriter::new(&mut w, &notice);
    let sink = |p: carematch::Program| out.program(&p);
    let report = if args.file.is_dir() {
        // The texts by value: dropped before the report is made whole.
        carematch::import::import_hsds_csv_each(package(&args.file)?, &options, sink)
    } else {
        carematch::import::import_each(format, &read(&args.file)?, &options, sink)
    }
    .map_err(|e| at(&args.file, e))?;
    let written = out.finish();
    eprint!("{report}");
    if let Some(path) = &args.report {
        let json =
            serde_json::to_string_pretty(&report).map_err(|e| format!("cannot write JSON: {e}"))?;
        std::fs::write(path, json + "\n")
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    match written {
        // A closed pipe (`carematch import ... | head`) ends the output quietly.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write the output: {e}"))
        }
        _ => Ok(None),
    }
}

/// Writes a directory document (a notice and programs) one program at a
/// time, in the layout of `serde_json::to_string_pretty`, with a final
/// newline. The first write error is kept (and the programs after it are
/// not written); [`DirectoryWriter::finish`] returns it.
struct DirectoryWriter<'w, W: std::io::Write> {
    w: &'w mut W,
    notice: &'w str,
    programs: usize,
    error: Option<std::io::Error>,
}

impl<'w, W: std::io::Write> DirectoryWriter<'w, W> {
    fn new(w: &'w mut W, notice: &'w str) -> Self {
        DirectoryWriter {
            w,
            notice,
            programs: 0,
            error: None,
        }
    }

    /// The document's opening: the notice and the start of `programs`.
    fn open(&mut self) -> std::io::Result<()> {
        write!(self.w, "{{\n  \"notice\": ")?;
        serde_json::to_writer(&mut *self.w, self.notice).map_err(json_error)?;
        write!(self.w, ",\n  \"programs\": ")
    }

    /// Writes one program (the opening first, before the first).
    fn program(&mut self, p: &carematch::Program) {
        if self.error.is_some() {
            return;
        }
        let r = (|| {
            if self.programs == 0 {
                self.open()?;
                writeln!(self.w, "[")?;
            } else {
                writeln!(self.w, ",")?;
            }
            let one = serde_json::to_string_pretty(p).map_err(json_error)?;
            for (k, line) in one.lines().enumerate() {
                if k > 0 {
                    writeln!(self.w)?;
                }
                write!(self.w, "    {line}")?;
            }
            Ok(())
        })();
        self.programs += 1;
        if let Err(e) = r {
            self.error = Some(e);
        }
    }

    /// Closes the document, or returns the first write error.
    fn finish(mut self) -> std::io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        if self.programs == 0 {
            self.open()?;
            write!(self.w, "[]")?;
        } else {
            write!(self.w, "\n  ]")?;
        }
        writeln!(self.w, "\n}}")?;
        self.w.flush()
    }
}

/// A JSON error as an I/O error, for the directory writer.
fn json_error(e: serde_json::Error) -> std::io::Error {
    std::io::Error::other(format!("cannot write JSON: {e}"))
}

fn assign(args: &AssignArgs, lenient: bool) -> Result<String, String> {
    use carematch::assign::{AssignOptions, Method, PriorityPolicy, referrals_from_json};
    let referrals =
        referrals_from_json(&read(&args.referrals)?).map_err(|e| at(&args.referrals, e))?;
    let policy = match &args.policy {
        Some(path) => {
            let p: PriorityPolicy =
                serde_json::from_str(&read(path)?).map_err(|e| format!("{}: {e}", name(path)))?;
            p.check().map_err(|e| at(path, e))?;
            p
        }
        None => PriorityPolicy::default(),
    };
    let as_of = match (&args.as_of, &args.directory) {
        (Some(d), _) => d.parse::<Date>().map_err(|e| format!("--as-of: {e}"))?,
        (None, Some(_)) => today()?,
        (None, None) => sample::AS_OF,
    };
    let directory = match &args.directory {
        Some(path) => read_directory(path, as_of, lenient)?,
        None => Directory::new(sample::massachusetts(), as_of)
            .map_err(|e| format!("the embedded sample: {e}"))?,
    };
    let options = AssignOptions::new(as_of)
        .with_unlisted_slots(args.unlisted_slots)
        .with_method(if args.first_come {
            Method::FirstComeFirstServed
        } else {
            Method::Optimal
        });
    let result = carematch::assign::assign(&directory, &referrals, &policy, &options)
        .map_err(|e| at(&args.referrals, e))?;
    if args.json {
        serde_json::to_string_pretty(&result).map_err(|e| format!("cannot write JSON: {e}"))
    } else {
        Ok(result.to_string().trim_end().to_owned())
    }
}

fn rank(args: &RankArgs, lenient: bool) -> Result<String, String> {
    let mut out = String::new();
    let mut record = None;
    let (mut needs, patient_path) = match (&args.patient, &args.record.fhir) {
        (Some(path), _) => (read_patient(path, lenient)?, path.clone()),
        (None, Some(fhir)) => {
            let r = read_record(fhir, &args.record)?;
            let payer = match &args.record.payer {
                Some(p) => Some(
                    p.parse::<carematch::Payer>()
                        .map_err(|e| format!("--payer: {e}"))?,
                ),
                None => None,
            };
            let needs = r
                .needs(payer)
                .map_err(|e| format!("{}: {e} (pass --payer)", name(fhir)))?;
            if !args.json {
                out.push_str(&record_summary(&r));
                out.push('\n');
            }
            record = Some(r);
            (needs, fhir.clone())
        }
        (None, None) => return Err("give a patient file, or a record with --fhir".to_owned()),
    };
    if let Some(level) = &args.level {
        needs.level = Some(level.parse().map_err(|e| format!("--level: {e}"))?);
    }
    let patient = &patient_path;
    check_referral(&needs).map_err(|e| format!("{}: {e}", name(patient)))?;
    for w in needs.validate().warnings() {
        eprintln!("{}: {w}", name(patient));
    }
    let mut recommendation = None;
    let suggested = match &record {
        Some(r) => carematch::screening::suggestions(&r.screening),
        None => Vec::new(),
    };
    let mut level_from = None;
    if args.level.is_some() {
        level_from = Some(LevelFrom::Flag);
    } else if let Some(path) = &args.assessment {
        let assessment = assessment_from_json(&read(path)?).map_err(|e| at(path, e))?;
        recommendation = Some(LevelPolicy::default().recommend(&assessment));
        level_from = Some(LevelFrom::Assessment);
    } else if let Some(r) = &record
        && needs.level.is_none()
    {
        let Some(a) = r.suggested_assessment else {
            return Err(format!(
                "{}: level: no screening score in the record suggests one; give --level or --assessment",
                name(patient)
            ));
        };
        recommendation = Some(LevelPolicy::default().recommend(&a));
        level_from = Some(LevelFrom::Screening);
    }
    let recommendation = recommendation.map(|r| r.with_suggestions(suggested));
    if !args.json {
        if let Some(rec) = &recommendation {
            out.push_str(&format!("{rec}\n\n"));
        }
        if record.is_some()
            && let Some(from) = level_from
        {
            out.push_str(from.sentence());
            out.push_str("\n\n");
        }
    }
    let (directory, as_of) = match &args.directory {
        Some(path) => {
            let as_of = match &args.as_of {
                Some(d) => d.parse::<Date>().map_err(|e| format!("--as-of: {e}"))?,
                None => today()?,
            };
            (read_directory(path, as_of, lenient)?, as_of)
        }
        None => {
            let as_of = match &args.as_of {
                Some(d) => d.parse::<Date>().map_err(|e| format!("--as-of: {e}"))?,
                None => sample::AS_OF,
            };
            let directory = Directory::new(sample::massachusetts(), as_of)
                .map_err(|e| format!("the embedded sample: {e}"))?;
            (directory, as_of)
        }
    };
    let where_ = args
        .directory
        .as_deref()
        .unwrap_or(Path::new("the embedded sample"));
    for w in directory.warnings().warnings() {
        eprintln!("{}: {w}", where_.display());
    }
    let options = MatchOptions::new(as_of)
        .with_self_pay_allowed(args.allow_self_pay)
        .with_waitlist_allowed(args.allow_waitlist)
        .with_full_excluded(args.exclude_full)
        .with_alternatives_included(args.alternatives)
        .with_exclusion_details(args.excluded)
        .with_min_schedule_fit(args.min_schedule_fit);
    // With an assessment, the query carries it: its level, age, discharge and
    // substance use, its safety floor, and its flags as alerts; a conflict
    // with the patient file is an error naming both values.
    let query = match &recommendation {
        Some(rec) => directory.query_for(&needs, rec, options),
        None => match needs.level {
            Some(level) => directory.query(&needs, level, options),
            None => {
                return Err(format!(
                    "{}: level: not set; give the level of care in the patient file, with --level, or an assessment with --assessment",
                    patient.display()
                ));
            }
        },
    }
    // A refusal that involves imminent risk carries the crisis text first
    // (the library puts it there, so every caller says the same).
    .map_err(|e| at(patient, e))?;
    let ranking = directory.rank(&query, &Weights::default(), args.top);
    if args.json {
        let mut v =
            serde_json::to_value(&ranking).map_err(|e| format!("cannot write JSON: {e}"))?;
        // The recommendation (flags first: imminent risk) travels with the ranking.
        if let (Some(rec), Some(obj)) = (&recommendation, v.as_object_mut()) {
            let rec = serde_json::to_value(rec).map_err(|e| format!("cannot write JSON: {e}"))?;
            obj.insert("recommendation".to_owned(), rec);
        }
        if let (Some(r), Some(obj)) = (&record, v.as_object_mut()) {
            let json = |e: serde_json::Error| format!("cannot write JSON: {e}");
            obj.insert(
                "record".to_owned(),
                serde_json::to_value(&r.record).map_err(json)?,
            );
            obj.insert(
                "screening".to_owned(),
                serde_json::to_value(&r.screening).map_err(json)?,
            );
            obj.insert(
                "report".to_owned(),
                serde_json::to_value(&r.report).map_err(json)?,
            );
            if let Some(from) = level_from {
                obj.insert("level_from".to_owned(), from.key().into());
            }
        }
        serde_json::to_string_pretty(&v).map_err(|e| format!("cannot write JSON: {e}"))
    } else {
        out.push_str(&ranking.to_string());
        Ok(out.trim_end().to_owned())
    }
}

fn read_patient(path: &Path, lenient: bool) -> Result<PatientNeeds, String> {
    let text = read(path)?;
    if lenient {
        let (needs, notes) = patient_from_json_lenient(&text).map_err(|e| at(path, e))?;
        for n in &notes {
            eprintln!("note: {n}");
        }
        Ok(needs)
    } else {
        patient_from_json(&text).map_err(|e| at(path, e))
    }
}

/// Reads, validates (once) and compiles a directory file.
fn read_directory(path: &Path, as_of: Date, lenient: bool) -> Result<Directory, String> {
    let text = read(path)?;
    if lenient {
        let (programs, notes) = programs_from_json_lenient(&text).map_err(|e| at(path, e))?;
        for n in &notes {
            eprintln!("note: {n}");
        }
        Directory::new(programs, as_of).map_err(|e| at(path, e))
    } else {
        Directory::from_json(&text, as_of).map_err(|e| at(path, e))
    }
}

/// Today's date (UTC), from the system clock: the command line may read the
/// clock; the library never does.
fn today() -> Result<Date, String> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| format!("the system clock is before 1970: {e}"))?
        .as_secs();
    let days =
        i32::try_from(secs / 86_400).map_err(|_| "the system clock is out of range".to_owned())?;
    Date::from_days_since_epoch(days).ok_or_else(|| "the system clock is out of range".to_owned())
}

fn level(args: &LevelArgs) -> Result<String, String> {
    let policy = match &args.policy {
        Some(path) => level_policy_from_json(&read(path)?).map_err(|e| at(path, e))?,
        None => LevelPolicy::default(),
    };
    let given = match &args.file {
        Some(path) => Some(assessment_from_json(&read(path)?).map_err(|e| at(path, e))?),
        None => None,
    };
    let Some(fhir) = &args.record.fhir else {
        let Some(assessment) = given else {
            return Err("give an assessment file, or a record with --fhir".to_owned());
        };
        let rec = policy.recommend(&assessment);
        return if args.json {
            serde_json::to_string_pretty(&rec).map_err(|e| format!("cannot write JSON: {e}"))
        } else {
            Ok(rec.to_string())
        };
    };
    let record = read_record(fhir, &args.record)?;
    let (assessment, from) = match given {
        Some(a) => (a, LevelFrom::Assessment),
        None => match record.suggested_assessment {
            Some(a) => (a, LevelFrom::Screening),
            None => {
                return Err(format!(
                    "{}: no screening score in the record suggests a rating, so no level can be suggested; \
                     rate the assessment and pass it (`carematch level ASSESSMENT.json --fhir ...`)",
                    name(fhir)
                ));
            }
        },
    };
    let rec = policy
        .recommend(&assessment)
        .with_suggestions(carematch::screening::suggestions(&record.screening));
    if args.json {
        let v = serde_json::json!({
            "level_from": from.key(),
            "recommendation": rec,
            "record": record.record,
            "screening": record.screening,
            "report": record.report,
        });
        serde_json::to_string_pretty(&v).map_err(|e| format!("cannot write JSON: {e}"))
    } else {
        Ok(format!(
            "{}\n{}\n\n{rec}",
            record_summary(&record),
            from.sentence()
        ))
    }
}

/// Where the level of a `--fhir` command came from.
#[derive(Debug, Clone, Copy)]
enum LevelFrom {
    /// `--level`.
    Flag,
    /// `--assessment`, or the assessment file of `level`.
    Assessment,
    /// The assessment the record's screening scores suggest.
    Screening,
}

impl LevelFrom {
    fn key(self) -> &'static str {
        match self {
            LevelFrom::Flag => "level_flag",
            LevelFrom::Assessment => "assessment",
            LevelFrom::Screening => "screening_suggestion",
        }
    }

    fn sentence(self) -> &'static str {
        match self {
            LevelFrom::Flag => "Level: from --level.",
            LevelFrom::Assessment => {
                "Level: from the assessment given; the screens' suggestions are shown beside it, not applied."
            }
            LevelFrom::Screening => {
                "Level: from the screening scores' suggestions alone (every dimension they do not rate is taken \
                 as 1), so the least the screens call for, not a full assessment: a clinician rates the \
                 assessment and decides."
            }
        }
    }
}

/// Reads the FHIR record at `path`, the read report on stderr.
fn read_record(path: &Path, args: &FhirArgs) -> Result<carematch::record::RecordImport, String> {
    use carematch::record::{CodeTables, RecordOptions, read_bundle};
    use carematch::screening::Score;
    let as_of = match &args.record_as_of {
        Some(d) => d
            .parse::<Date>()
            .map_err(|e| format!("--record-as-of: {e}"))?,
        None => today()?,
    };
    let mut options = RecordOptions::new(as_of);
    if let Some(codes) = &args.codes {
        let tables: CodeTables =
            serde_json::from_str(&read(codes)?).map_err(|e| format!("{}: {e}", name(codes)))?;
        options = options.with_tables(CodeTables::default().with_site(tables));
    }
    if let Some(total) = args.ciwa {
        options = options.with_score(Score::CiwaAr { total });
    }
    if let Some(total) = args.cows {
        options = options.with_score(Score::Cows { total });
    }
    let record = read_bundle(&read(path)?, &options).map_err(|e| at(path, e))?;
    eprint!("{}", record.report);
    Ok(record)
}

/// What was read from a record, for people: the facts and each screen.
fn record_summary(record: &carematch::record::RecordImport) -> String {
    let mut s = format!("From the record: {}", record.record);
    for r in &record.screening {
        s.push_str(&format!("\nScreening: {r} (source: {})", r.source));
        for sug in &r.suggestions {
            s.push_str(&format!("\n  suggests, not applied: {sug}"));
        }
    }
    s
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

/// The `*.csv` files and `datapackage.json` of the folder `dir`: file name -> text.
fn package(dir: &Path) -> Result<std::collections::BTreeMap<String, String>, String> {
    let cannot = |e: std::io::Error| format!("cannot read {}: {e}", dir.display());
    let mut files = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(dir).map_err(cannot)? {
        let path = entry.map_err(cannot)?.path();
        let Some(file) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if path.is_file() && (file.ends_with(".csv") || file == "datapackage.json") {
            files.insert(file.to_owned(), read(&path)?);
        }
    }
    Ok(files)
}

/// The name to print for `path`.
fn name(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    }
}

/// An error in the file at `path`, naming the file.
/// The error as the command line prints it: its one line, then every
/// problem it carries when there are several (`Display` names the first only).
fn at(path: &Path, e: carematch::Error) -> String {
    let mut text = format!("{}: {e}", name(path));
    if e.problems().len() > 1 {
        for p in e.problems() {
            text.push_str(&format!("\n  {p}"));
        }
    }
    text
}

/// A patient to rank needs a diagnosis, and exactly one primary one: the
/// library only warns, since it can rank without, but a referral cannot.
fn check_referral(needs: &PatientNeeds) -> Result<(), String> {
    let primaries = needs.diagnoses.iter().filter(|d| d.primary).count();
    if needs.diagnoses.is_empty() {
        Err("diagnoses: no diagnosis; give at least one, marked primary".to_owned())
    } else if primaries > 1 {
        Err(format!(
            "diagnoses: {primaries} diagnoses are marked primary; mark exactly one"
        ))
    } else {
        Ok(())
    }
}
