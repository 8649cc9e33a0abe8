//! The import report: for every source field and every code or value, what
//! became of it, how, how often and where; every record refused and why;
//! every disagreement or rule that was reported rather than guessed.

use std::collections::BTreeMap;
use std::fmt;

use crate::import::Format;
use crate::terms::terms;
use crate::vocabulary::MatchKind;

/// The most paths a report line keeps; its `count` is always exact.
pub const MAX_PATHS: usize = 8;

/// The most refused records [`ImportReport::refused`] keeps, each with its
/// full reason; [`ImportReport::refusals`] counts every one by reason.
pub const MAX_REFUSED: usize = 1_000;

/// Records refused for one reason: how many, and where the first
/// [`MAX_PATHS`] were.
///
/// # Example
///
/// ```
/// let r = carematch::import::RefusalCount {
///     reason: "a listing row must be an object".into(),
///     count: 3,
///     paths: vec!["rows[0]".into()],
/// };
/// assert_eq!(r.to_string(), "x3: a listing row must be an object (at rows[0] and 2 more)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RefusalCount {
    /// The reason, without the details of each record (its name, the words that decided).
    pub reason: String,
    /// How many records were refused for it.
    pub count: usize,
    /// Where the first [`MAX_PATHS`] were.
    pub paths: Vec<String>,
}

impl fmt::Display for RefusalCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "x{}: {}", self.count, self.reason)?;
        if let Some(first) = self.paths.first() {
            write!(f, " (at {first}")?;
            if self.count > 1 {
                write!(f, " and {} more", self.count - 1)?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// The reason's kind: the text before its first parenthesis (the details of
/// one record: its name, the words that decided), trimmed.
fn kind_of(reason: &str) -> &str {
    reason.split(" (").next().unwrap_or(reason).trim()
}

terms! {
    /// How a source value was mapped to a carematch value.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::import::Method;
    /// assert_eq!(Method::CloseSpelling.key(), "close_spelling");
    /// ```
    pub enum Method: "mapping method" {
        /// A code or value of the format's own vocabulary, mapped by the importer's table.
        FormatCode = "format_code", "format code";
        /// A canonical term of carematch's vocabulary (ignoring case and punctuation).
        Exact = "exact", "exact term";
        /// A listed synonym in carematch's vocabulary.
        Synonym = "synonym", "synonym";
        /// A close spelling of a term (its confidence says how close).
        CloseSpelling = "close_spelling", "close spelling";
        /// Not a listed term but well formed (a language code), kept as written.
        AsWritten = "as_written", "kept as written";
        /// A number, date, time or text read as it is.
        Read = "read", "read as given";
    }
}

impl Method {
    /// The method for a vocabulary match.
    pub(crate) fn of(kind: MatchKind) -> Method {
        match kind {
            MatchKind::Exact => Method::Exact,
            MatchKind::Synonym => Method::Synonym,
            MatchKind::Fuzzy => Method::CloseSpelling,
            _ => Method::AsWritten,
        }
    }
}

/// What became of a source field or value.
///
/// # Example
///
/// ```
/// use carematch::import::{Method, Outcome};
/// let o = Outcome::Mapped { to: vec!["approach: cbt".into()], how: Method::Exact, confidence: 1.0 };
/// assert_eq!(o.to_string(), "mapped to approach: cbt (exact term)");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "outcome", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Outcome {
    /// Mapped to these carematch values (`field: value`).
    Mapped {
        /// What it became, as `field: value`.
        to: Vec<String>,
        /// How.
        how: Method,
        /// 1 for format codes, exact terms and synonyms; the similarity for close spellings.
        confidence: f64,
    },
    /// Read, but carematch has nothing to map it to, or chose not to.
    Ignored {
        /// Why.
        why: String,
    },
    /// Not recognised: no format code and no carematch term.
    Unknown {
        /// The closest carematch terms, if any.
        suggestions: Vec<String>,
    },
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Mapped {
                to,
                how,
                confidence,
            } => {
                write!(f, "mapped to {} ({how}", to.join(", "))?;
                if *confidence < 1.0 {
                    write!(f, ", confidence {confidence:.2}")?;
                }
                f.write_str(")")
            }
            Outcome::Ignored { why } => write!(f, "ignored: {why}"),
            Outcome::Unknown { suggestions } if suggestions.is_empty() => {
                f.write_str("not recognised")
            }
            Outcome::Unknown { suggestions } => {
                write!(f, "not recognised; closest: {}", suggestions.join(", "))
            }
        }
    }
}

/// One line of the report: a source field (and a value of it, when given),
/// what became of it, how often, and where (the first [`MAX_PATHS`] paths).
///
/// # Example
///
/// ```
/// use carematch::import::{Outcome, ReportLine};
/// let l = ReportLine {
///     field: "services.EMS".into(),
///     value: Some("Crisis intervention team".into()),
///     outcome: Outcome::Ignored { why: "no carematch field".into() },
///     count: 2,
///     paths: vec!["rows[0].services[4]".into()],
/// };
/// assert!(l.to_string().starts_with("services.EMS \"Crisis intervention team\" x2: ignored"));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ReportLine {
    /// The source field, such as `services.TAP` or `HealthcareService.specialty`.
    pub field: String,
    /// The code or value, for a value line; `None` for a line about the field.
    pub value: Option<String>,
    /// What became of it.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub outcome: Outcome,
    /// How many times it occurred.
    pub count: usize,
    /// Where it occurred (the first [`MAX_PATHS`]).
    pub paths: Vec<String>,
}

impl fmt::Display for ReportLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.field)?;
        if let Some(v) = &self.value {
            write!(f, " {v:?}")?;
        }
        write!(f, " x{}: {}", self.count, self.outcome)?;
        if let Some(first) = self.paths.first() {
            write!(f, " (at {first}")?;
            if self.count > 1 {
                write!(f, " and {} more", self.count - 1)?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// A record the importer refused, and why.
///
/// # Example
///
/// ```
/// let r = carematch::import::Refusal { path: "rows[3]".into(), reason: "no latitude".into() };
/// assert_eq!(r.to_string(), "rows[3]: no latitude");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Refusal {
    /// The record's path in the source.
    pub path: String,
    /// Why it was refused.
    pub reason: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

/// Something reported rather than guessed: a rule carematch cannot read (a
/// monthly schedule), an end before its start, text that disagrees with a
/// structured field, a site listed twice, an assumption made.
///
/// # Example
///
/// ```
/// let n = carematch::import::Note { path: "schedules[0]".into(), message: "monthly rule not read".into() };
/// assert_eq!(n.to_string(), "schedules[0]: monthly rule not read");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Note {
    /// Where.
    pub path: String,
    /// What.
    pub message: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// What an import understood and what it did not. Nothing read is left
/// without a line: every field and value is in [`ImportReport::lines`],
/// every refused record in [`ImportReport::refused`], every disagreement or
/// rule not read in [`ImportReport::notes`].
///
/// `Display` prints a summary for people (counts, then everything not
/// mapped, refused or noted); serde gives the whole report for machines.
///
/// # Example
///
/// ```
/// use carematch::import::{Format, ImportOptions, import};
/// let json = r#"{"page": 1, "totalPages": 1, "recordCount": 0, "rows": []}"#;
/// let out = import(Format::Samhsa, json, &ImportOptions::new(carematch::sample::AS_OF))?;
/// assert_eq!(out.report.records, 0);
/// assert!(out.report.to_string().starts_with("samhsa import: 0 records, 0 programs"));
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ImportReport {
    /// The source format.
    pub format: Format,
    /// Records read (locator rows, services at locations, `HealthcareService`s).
    pub records: usize,
    /// Programs made.
    pub programs: usize,
    /// Every source field and value, ordered by field, then value (the
    /// field's own lines first), then first occurrence.
    pub lines: Vec<ReportLine>,
    /// The records refused, each with its full reason: the first
    /// [`MAX_REFUSED`] (every one is counted in [`ImportReport::refusals`]).
    pub refused: Vec<Refusal>,
    /// Every record refused, counted by reason, with the first paths of each.
    pub refusals: Vec<RefusalCount>,
    /// Everything reported rather than guessed, ordered by path.
    pub notes: Vec<Note>,
}

impl ImportReport {
    /// How many records were refused (all of them, not only those kept in
    /// [`ImportReport::refused`]).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::import::{Format, ImportOptions, import};
    /// let out = import(Format::Samhsa, r#"{"rows": [1, 2]}"#, &ImportOptions::new(carematch::sample::AS_OF))?;
    /// assert_eq!(out.report.refused_count(), 2);
    /// assert_eq!(out.report.refusals.len(), 1);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn refused_count(&self) -> usize {
        self.refusals.iter().map(|r| r.count).sum()
    }

    /// The lines whose value was not mapped (ignored or not recognised).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::import::{Format, ImportOptions, import};
    /// let json = r#"{"rows": []}"#;
    /// let out = import(Format::Samhsa, json, &ImportOptions::new(carematch::sample::AS_OF))?;
    /// assert_eq!(out.report.not_mapped().count(), 0);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn not_mapped(&self) -> impl Iterator<Item = &ReportLine> {
        self.lines
            .iter()
            .filter(|l| !matches!(l.outcome, Outcome::Mapped { .. }))
    }

    /// The line for `field` and `value`, if the import met it.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::import::{Format, ImportOptions, import};
    /// let out = import(Format::Samhsa, r#"{"rows": []}"#, &ImportOptions::new(carematch::sample::AS_OF))?;
    /// assert!(out.report.line("services.TAP", Some("Group therapy")).is_none());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn line(&self, field: &str, value: Option<&str>) -> Option<&ReportLine> {
        self.lines
            .iter()
            .find(|l| l.field == field && l.value.as_deref() == value)
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mapped = self.lines.len() - self.not_mapped().count();
        writeln!(
            f,
            "{} import: {} records, {} programs, {} refused; {} fields and values mapped, {} not mapped, {} notes",
            self.format,
            self.records,
            self.programs,
            self.refused_count(),
            mapped,
            self.lines.len() - mapped,
            self.notes.len()
        )?;
        for r in &self.refusals {
            writeln!(f, "  refused {r}")?;
        }
        for l in self.not_mapped() {
            writeln!(f, "  {l}")?;
        }
        // Notes by what they say (one line each, with a count and the first
        // place), so a large import's summary stays short.
        let mut by: Vec<(&str, usize, &str)> = Vec::new();
        for n in &self.notes {
            let kind = kind_of(&n.message);
            match by.iter_mut().find(|(k, _, _)| *k == kind) {
                Some(e) => e.1 += 1,
                None => by.push((kind, 1, &n.path)),
            }
        }
        for (kind, count, first) in by {
            if count == 1 {
                writeln!(f, "  note {first}: {kind}")?;
            } else {
                writeln!(
                    f,
                    "  note x{count}: {kind} (at {first} and {} more)",
                    count - 1
                )?;
            }
        }
        Ok(())
    }
}

/// The message at `m` in `messages`.
fn message_of(messages: &std::collections::HashMap<Box<str>, u32>, m: u32) -> String {
    messages
        .iter()
        .find(|(_, i)| **i == m)
        .map(|(t, _)| t.to_string())
        .unwrap_or_default()
}

/// `path` as `rewrite` gives it, else as it is.
fn rewritten(rewrite: &Option<Rewrite>, path: String) -> String {
    match rewrite {
        Some(r) => r.0(&path).unwrap_or(path),
        None => path,
    }
}

#[derive(Debug)]
struct Entry {
    outcome: Outcome,
    count: usize,
    paths: Vec<String>,
}

/// The entries of one field: for the field itself, and per value.
#[derive(Debug, Default)]
struct FieldLines {
    field: Vec<Entry>,
    values: BTreeMap<String, Vec<Entry>>,
}

/// Collects report lines as an import reads, keyed so the order is
/// deterministic (field, then value, then first occurrence); lookups borrow,
/// so a line met again allocates nothing but its outcome.
#[derive(Debug, Default)]
pub(crate) struct Recorder {
    lines: BTreeMap<String, FieldLines>,
    pub(crate) refused: Vec<Refusal>,
    /// Refusals by kind: the count and the first paths, in first-seen order.
    refusals: Vec<RefusalCount>,
    /// The notes: where each one's path starts in `note_paths` (it ends
    /// where the next one starts), and its message as its place in
    /// `messages` (a message is often the same for many records).
    notes: Vec<(u32, u32)>,
    /// The notes' paths, one after another.
    note_paths: String,
    /// The notes past the 4 GiB of paths `notes` can place, as they are.
    more_notes: Vec<Note>,
    /// Each message of a note, once, with its place.
    messages: std::collections::HashMap<Box<str>, u32>,
    /// The embedded places tables, read at the first site without coordinates.
    places: Option<crate::places::Places>,
    /// How the paths recorded now are rewritten (the CSV reader names the
    /// rows a joined document came from), when they are.
    pub(crate) rewrite: Option<Rewrite>,
}

/// A rewrite of the paths a [`Recorder`] records: a path it gives `None`
/// for is kept as it is.
pub(crate) struct Rewrite(pub(crate) Box<RewriteFn>);

/// A function from a path to its rewrite, if it has one.
pub(crate) type RewriteFn = dyn Fn(&str) -> Option<String>;

impl fmt::Debug for Rewrite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Rewrite(..)")
    }
}

impl Recorder {
    /// The embedded places tables ([`crate::places::Places::embedded`]),
    /// read once per import.
    pub(crate) fn places(&mut self) -> &crate::places::Places {
        self.places
            .get_or_insert_with(crate::places::Places::embedded)
    }

    /// Counts one occurrence of `field` (and `value`) at `path` with `outcome`.
    pub(crate) fn line(
        &mut self,
        field: &str,
        value: Option<&str>,
        path: impl FnOnce() -> String,
        outcome: Outcome,
    ) {
        let lines = match self.lines.get_mut(field) {
            Some(l) => l,
            None => self.lines.entry(field.to_owned()).or_default(),
        };
        let entries = match value {
            None => &mut lines.field,
            Some(v) => match lines.values.get_mut(v) {
                Some(e) => e,
                None => lines.values.entry(v.to_owned()).or_default(),
            },
        };
        let e = match entries.iter().position(|e| e.outcome == outcome) {
            Some(i) => &mut entries[i],
            None => {
                // Most values have one outcome and occur once: room for one
                // each (the default first room is four), so a report of
                // many values holds what it says and little more.
                let mut outcome = outcome;
                if let Outcome::Mapped { to, .. } = &mut outcome {
                    to.shrink_to_fit();
                }
                entries.reserve_exact(1);
                entries.push(Entry {
                    outcome,
                    count: 0,
                    paths: Vec::with_capacity(1),
                });
                let last = entries.len() - 1;
                &mut entries[last]
            }
        };
        e.count += 1;
        if e.paths.len() < MAX_PATHS {
            e.paths.push(rewritten(&self.rewrite, path()));
        }
    }

    /// A mapped value.
    pub(crate) fn mapped(
        &mut self,
        field: &str,
        value: Option<&str>,
        path: impl FnOnce() -> String,
        to: Vec<String>,
        how: Method,
        confidence: f64,
    ) {
        self.line(
            field,
            value,
            path,
            Outcome::Mapped {
                to,
                how,
                confidence,
            },
        );
    }

    /// An ignored field or value.
    pub(crate) fn ignored(
        &mut self,
        field: &str,
        value: Option<&str>,
        path: impl FnOnce() -> String,
        why: &str,
    ) {
        self.line(
            field,
            value,
            path,
            Outcome::Ignored {
                why: why.to_owned(),
            },
        );
    }

    /// A value not recognised.
    pub(crate) fn unknown(
        &mut self,
        field: &str,
        value: &str,
        path: impl FnOnce() -> String,
        suggestions: Vec<String>,
    ) {
        self.line(field, Some(value), path, Outcome::Unknown { suggestions });
    }

    pub(crate) fn refuse(&mut self, path: String, reason: impl Into<String>) {
        let path = rewritten(&self.rewrite, path);
        let reason = reason.into();
        let kind = kind_of(&reason);
        match self.refusals.iter_mut().find(|r| r.reason == kind) {
            Some(r) => {
                r.count += 1;
                if r.paths.len() < MAX_PATHS {
                    r.paths.push(path.clone());
                }
            }
            None => self.refusals.push(RefusalCount {
                reason: kind.to_owned(),
                count: 1,
                paths: vec![path.clone()],
            }),
        }
        if self.refused.len() < MAX_REFUSED {
            self.refused.push(Refusal { path, reason });
        }
    }

    pub(crate) fn note(&mut self, path: String, message: impl Into<String> + AsRef<str>) {
        let next = self.messages.len() as u32;
        let m = match self.messages.get(message.as_ref()) {
            Some(&m) => m,
            None => *self
                .messages
                .entry(message.into().into_boxed_str())
                .or_insert(next),
        };
        let path = rewritten(&self.rewrite, path);
        match u32::try_from(self.note_paths.len() + path.len()) {
            Ok(_) => {
                self.notes.push((self.note_paths.len() as u32, m));
                self.note_paths.push_str(&path);
            }
            Err(_) => self.more_notes.push(Note {
                path,
                message: message_of(&self.messages, m),
            }),
        }
    }

    pub(crate) fn finish(self, format: Format, records: usize, programs: usize) -> ImportReport {
        let mut messages: Vec<Option<Box<str>>> = vec![None; self.messages.len()];
        for (m, i) in self.messages {
            messages[i as usize] = Some(m);
        }
        let mut notes: Vec<Note> = Vec::with_capacity(self.notes.len() + self.more_notes.len());
        let ends = self
            .notes
            .iter()
            .skip(1)
            .map(|n| n.0 as usize)
            .chain([self.note_paths.len()]);
        for (&(start, m), end) in self.notes.iter().zip(ends) {
            notes.push(Note {
                path: self
                    .note_paths
                    .get(start as usize..end)
                    .unwrap_or_default()
                    .to_owned(),
                message: messages[m as usize]
                    .as_deref()
                    .unwrap_or_default()
                    .to_owned(),
            });
        }
        drop(messages);
        drop(self.note_paths);
        notes.extend(self.more_notes);
        // Notes equal in order are equal in full, so an unstable sort (in
        // place, without a second buffer) orders them as a stable one would.
        notes.sort_unstable();
        // The lines in order, each value's text moved into its last line
        // (cloned for the others), into a list of the exact length.
        let n = self
            .lines
            .values()
            .map(|l| l.field.len() + l.values.values().map(Vec::len).sum::<usize>())
            .sum();
        let mut lines = Vec::with_capacity(n);
        let line = |field: &String, value, e: Entry| ReportLine {
            field: field.clone(),
            value,
            outcome: e.outcome,
            count: e.count,
            paths: e.paths,
        };
        for (field, l) in self.lines {
            for e in l.field {
                lines.push(line(&field, None, e));
            }
            for (mut v, es) in l.values {
                let mut es = es.into_iter().peekable();
                while let Some(e) = es.next() {
                    let value = if es.peek().is_some() {
                        v.clone()
                    } else {
                        std::mem::take(&mut v)
                    };
                    lines.push(line(&field, Some(value), e));
                }
            }
        }
        ImportReport {
            format,
            records,
            programs,
            lines,
            refused: self.refused,
            refusals: self.refusals,
            notes,
        }
    }
}
