//! The HSDS importer's treatment gate measured on real 211 data (issue 26).
//!
//! Reads an HSDS 1.x/2.0/3.x data package's tables from the folder that
//! `CAREMATCH_REAL_211` names (Open211 Miami's export: see
//! `data/labels/README.md` for where to get it and why it is not in this
//! repository), imports it, and holds "became a program" against the hand
//! labels in `data/labels/real-211-miami.csv`: precision and recall, on the
//! whole sample, on the 200 drawn at random, without the rows marked
//! borderline; then every false positive and false negative with the
//! importer's reason and the label's.
//!
//! ```text
//! CAREMATCH_REAL_211=open211-miami/data cargo run --release --example gate_accuracy
//! ```
//!
//! With `CAREMATCH_LABELS=second` it holds the importer to the second, blind
//! labelling of the same services (`data/labels/real-211-miami-second.csv`)
//! instead. Without `CAREMATCH_REAL_211` it prints a line saying so and exits.

#![allow(dead_code)] // `tests/import_real.rs` includes this file for `measure`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use carematch::import::{ImportOptions, import_hsds_csv};
use carematch::sample;

/// The labels file, relative to the crate.
pub const LABELS: &str = "data/labels/real-211-miami.csv";
/// The second, blind labelling of the same services (`data/labels/README.md`,
/// "Second labelling"); `CAREMATCH_LABELS=second` measures against it.
pub const SECOND_LABELS: &str = "data/labels/real-211-miami-second.csv";

/// One hand label.
#[derive(Debug, Clone)]
pub struct Label {
    /// The service's `id` in `services.csv`.
    pub id: String,
    /// Whether a reader called it mental-health or substance-use treatment.
    pub treatment: bool,
    /// Whether a second reader could fairly disagree.
    pub borderline: bool,
    /// Drawn in the random 200 (else only for its words).
    pub random: bool,
    /// The reader's reason.
    pub reason: String,
}

/// What the importer did with a labelled service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// At least one program came of it.
    Program,
    /// Refused by the treatment gate, with the report's reason.
    NotTreatment(String),
    /// Past the gate but refused for another reason (no level, no location ...).
    Refused(String),
    /// Neither a program nor a refusal names it (not in `services.csv`).
    Missing,
}

/// Counts of one comparison.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    /// Labelled treatment, and it passed.
    pub tp: usize,
    /// Labelled not treatment, and it passed.
    pub fp: usize,
    /// Labelled treatment, and it did not pass.
    pub fn_: usize,
    /// Labelled not treatment, and it did not pass.
    pub tn: usize,
}

impl Figures {
    /// Of what passed, the share labelled treatment.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// Of what is labelled treatment, the share that passed.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Reads the labels file (`service_id,label,borderline,drawn,reason`).
pub fn labels(text: &str) -> Result<Vec<Label>, String> {
    labels_drawn(text, &BTreeMap::new())
}

/// Reads a labels file in either form: the first labelling's
/// (`service_id,label,borderline,drawn,reason`) or the second's
/// (`service_id,label,borderline,reason`, [`SECOND_LABELS`]), whose rows take
/// how they were drawn from `drawn` (service id to "random" or "keyword",
/// from the first file: the two cover the same services).
pub fn labels_drawn(text: &str, drawn: &BTreeMap<String, bool>) -> Result<Vec<Label>, String> {
    let mut out = Vec::new();
    let header = text.lines().next().unwrap_or_default();
    let with_drawn = header.split(',').any(|f| f == "drawn");
    for (i, line) in text.lines().enumerate().skip(1) {
        let fields = if with_drawn { 5 } else { 4 };
        let f: Vec<&str> = line.splitn(fields, ',').collect();
        let (id, label, borderline, drawn, reason) = match f[..] {
            [id, label, borderline, d, reason] if with_drawn => {
                (id, label, borderline, d.starts_with("random"), reason)
            }
            [id, label, borderline, reason] if !with_drawn => (
                id,
                label,
                borderline,
                drawn.get(id).copied().unwrap_or(false),
                reason,
            ),
            _ => {
                return Err(format!(
                    "{LABELS}: line {}: expected {fields} fields",
                    i + 1
                ));
            }
        };
        let treatment = match label {
            "treatment" => true,
            "not" => false,
            _ => return Err(format!("{LABELS}: line {}: label {label:?}", i + 1)),
        };
        out.push(Label {
            id: id.to_owned(),
            treatment,
            borderline: borderline == "yes",
            random: drawn,
            reason: reason.to_owned(),
        });
    }
    Ok(out)
}

/// The second labelling ([`SECOND_LABELS`]'s text), each service drawn as
/// the first labelling (`first`, the same services) says.
pub fn second_labels(text: &str, first: &[Label]) -> Result<Vec<Label>, String> {
    let drawn = first.iter().map(|l| (l.id.clone(), l.random)).collect();
    labels_drawn(text, &drawn)
}

/// Each record's fields, per RFC 4180 (enough to number `services.csv`'s
/// rows as the import report does: the header is row 1).
fn records(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (mut out, mut rec, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut any) = (false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ',' if !quoted => rec.push(std::mem::take(&mut field)),
            '\r' | '\n' if !quoted => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                if !rec.is_empty() || !field.is_empty() || any {
                    rec.push(std::mem::take(&mut field));
                    out.push(std::mem::take(&mut rec));
                }
                any = false;
            }
            _ => field.push(c),
        }
    }
    if !rec.is_empty() || !field.is_empty() || any {
        rec.push(field);
        out.push(rec);
    }
    out
}

/// Reads the package in `dir` (every `*.csv` and `datapackage.json`).
pub fn package(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut files = BTreeMap::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for e in entries {
        let e = e.map_err(|e| e.to_string())?;
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".csv") || name == "datapackage.json" {
            let bytes = std::fs::read(e.path()).map_err(|e| format!("{name}: {e}"))?;
            files.insert(name, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Ok(files)
}

/// A CSV record, every field quoted.
fn csv_line(fields: &[String]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
        .collect();
    quoted.join(",") + "\r\n"
}

/// Imports the package with `services.csv` cut to the services `keep`
/// names (each service is imported on its own, so this changes nothing
/// for them, and keeps every refusal under the report's
/// [`MAX_REFUSED`](carematch::import::MAX_REFUSED)); says what became of each.
pub fn outcomes(
    files: &BTreeMap<String, String>,
    keep: &BTreeSet<&str>,
) -> Result<BTreeMap<String, Outcome>, String> {
    let services = files.get("services.csv").ok_or("no services.csv")?;
    let all = records(services);
    let id_col = all
        .first()
        .and_then(|h| h.iter().position(|c| c.trim() == "id"))
        .ok_or("services.csv has no id column")?;
    let rows: Vec<Vec<String>> = all
        .iter()
        .enumerate()
        .filter(|(i, r)| *i == 0 || r.get(id_col).is_some_and(|id| keep.contains(id.trim())))
        .map(|(_, r)| r.clone())
        .collect();
    let mut files = files.clone();
    files.insert(
        "services.csv".to_owned(),
        rows.iter().map(|r| csv_line(r)).collect(),
    );
    let out =
        import_hsds_csv(&files, &ImportOptions::new(sample::AS_OF)).map_err(|e| e.to_string())?;
    // Row n (the header is row 1) to its service id.
    let id_of = |n: usize| {
        rows.get(n - 1)
            .and_then(|r| r.get(id_col))
            .map(|s| s.trim())
    };
    let mut by_id: BTreeMap<String, Outcome> = BTreeMap::new();
    for r in rows.iter().skip(1) {
        if let Some(id) = r.get(id_col) {
            by_id.insert(id.trim().to_owned(), Outcome::Missing);
        }
    }
    for r in &out.report.refused {
        let Some(n) = r
            .path
            .strip_prefix("services.csv: row ")
            .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|s| s.parse::<usize>().ok())
        else {
            continue;
        };
        let Some(id) = id_of(n) else { continue };
        let o = if r.reason.starts_with("not a treatment service") {
            Outcome::NotTreatment(r.reason.clone())
        } else {
            Outcome::Refused(r.reason.clone())
        };
        let slot = by_id.entry(id.to_owned()).or_insert(Outcome::Missing);
        if *slot == Outcome::Missing {
            *slot = o;
        }
    }
    let passed: BTreeSet<&str> = out
        .programs
        .iter()
        .filter_map(|p| p.id.as_str().strip_prefix("hsds-"))
        .collect();
    for (id, o) in by_id.iter_mut() {
        let prefix = format!("{id}-");
        if passed.iter().any(|p| p.starts_with(&prefix)) {
            *o = Outcome::Program;
        }
    }
    Ok(by_id)
}

/// The labels with what the importer did with each.
pub fn measure(dir: &Path, labels: &[Label]) -> Result<Vec<(Label, Outcome)>, String> {
    let keep: BTreeSet<&str> = labels.iter().map(|l| l.id.as_str()).collect();
    let outcomes = outcomes(&package(dir)?, &keep)?;
    Ok(labels
        .iter()
        .map(|l| {
            let o = outcomes.get(&l.id).cloned().unwrap_or(Outcome::Missing);
            (l.clone(), o)
        })
        .collect())
}

/// The counts over the rows `keep` accepts; `passed` says what counts as passing.
pub fn figures(
    rows: &[(Label, Outcome)],
    keep: impl Fn(&Label) -> bool,
    passed: impl Fn(&Outcome) -> bool,
) -> Figures {
    let mut f = Figures::default();
    for (l, o) in rows.iter().filter(|(l, _)| keep(l)) {
        match (l.treatment, passed(o)) {
            (true, true) => f.tp += 1,
            (false, true) => f.fp += 1,
            (true, false) => f.fn_ += 1,
            (false, false) => f.tn += 1,
        }
    }
    f
}

/// "Became a program".
pub fn became_program(o: &Outcome) -> bool {
    *o == Outcome::Program
}

/// "Passed the gate" (a program, or refused later for another reason).
pub fn passed_gate(o: &Outcome) -> bool {
    matches!(o, Outcome::Program | Outcome::Refused(_))
}

fn line(what: &str, f: Figures) {
    println!(
        "{what:<44} precision {:.3} ({}/{})  recall {:.3} ({}/{})",
        f.precision(),
        f.tp,
        f.tp + f.fp,
        f.recall(),
        f.tp,
        f.tp + f.fn_
    );
}

fn main() {
    let Some(dir) = std::env::var_os("CAREMATCH_REAL_211") else {
        println!(
            "skipped: set CAREMATCH_REAL_211 to the folder of Open211 Miami's HSDS tables (see data/labels/README.md)"
        );
        return;
    };
    let root = env!("CARGO_MANIFEST_DIR");
    let text = match std::fs::read_to_string(format!("{root}/{LABELS}")) {
        Ok(t) => t,
        Err(e) => return eprintln!("{LABELS}: {e}"),
    };
    let second = std::env::var("CAREMATCH_LABELS").is_ok_and(|v| v == "second");
    let chosen = if second {
        let first = match labels(&text) {
            Ok(l) => l,
            Err(e) => return eprintln!("{e}"),
        };
        match std::fs::read_to_string(format!("{root}/{SECOND_LABELS}")) {
            Ok(t) => second_labels(&t, &first),
            Err(e) => return eprintln!("{SECOND_LABELS}: {e}"),
        }
    } else {
        labels(&text)
    };
    println!("labels: {}", if second { SECOND_LABELS } else { LABELS });
    let rows = match chosen.and_then(|l| measure(Path::new(&dir), &l)) {
        Ok(r) => r,
        Err(e) => return eprintln!("{e}"),
    };
    let all = |_: &Label| true;
    let sure = |l: &Label| !l.borderline;
    let random = |l: &Label| l.random;
    println!("{} labelled services\n", rows.len());
    println!("became a program:");
    line("  all labelled", figures(&rows, all, became_program));
    line(
        "  without borderline labels",
        figures(&rows, sure, became_program),
    );
    line(
        "  the 200 drawn at random",
        figures(&rows, random, became_program),
    );
    println!("passed the treatment gate (program, or refused later):");
    line("  all labelled", figures(&rows, all, passed_gate));
    line(
        "  without borderline labels",
        figures(&rows, sure, passed_gate),
    );
    line(
        "  the 200 drawn at random",
        figures(&rows, random, passed_gate),
    );
    println!("\nfalse positives (past the gate; labelled not treatment):");
    for (l, o) in rows.iter().filter(|(l, o)| !l.treatment && passed_gate(o)) {
        let b = if l.borderline { " [borderline]" } else { "" };
        let then = match o {
            Outcome::Refused(r) => format!("refused later: {r}"),
            _ => "a program".to_owned(),
        };
        println!("  {:>5}  {}{b}\n         importer: {then}", l.id, l.reason);
    }
    println!("\nfalse negatives by the importer's reason (up to its first colon):");
    let mut by_reason: BTreeMap<String, usize> = BTreeMap::new();
    for (_, o) in rows
        .iter()
        .filter(|(l, o)| l.treatment && !became_program(o))
    {
        let why = match o {
            Outcome::NotTreatment(r) | Outcome::Refused(r) => r.as_str(),
            Outcome::Program => "",
            Outcome::Missing => "(not in services.csv)",
        };
        let head = why.split(':').next().unwrap_or(why).to_owned();
        *by_reason.entry(head).or_default() += 1;
    }
    for (why, n) in &by_reason {
        println!("  {n:>4}  {why}");
    }
    println!("\nfalse negatives (no program; labelled treatment):");
    for (l, o) in rows
        .iter()
        .filter(|(l, o)| l.treatment && !became_program(o))
    {
        let b = if l.borderline { " [borderline]" } else { "" };
        let why = match o {
            Outcome::NotTreatment(r) | Outcome::Refused(r) => r.as_str(),
            Outcome::Program => "",
            Outcome::Missing => "(not in services.csv)",
        };
        println!("  {:>5}  {}{b}\n         importer: {why}", l.id, l.reason);
    }
}
