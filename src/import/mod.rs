//! Importers for real directory formats: Open Referral HSDS 3, HL7 FHIR R4
//! `HealthcareService` (Da Vinci Plan-Net), and SAMHSA treatment locator
//! (FindTreatment.gov) listing pages. Each returns programs and an
//! [`ImportReport`] saying, for every source field and value, what it became
//! and how; every record refused and why; and every rule or disagreement
//! reported rather than guessed.
//!
//! Parts a source does not give (schedules, staff, payers, wait, new-patient
//! status ...) are marked [`crate::Program::not_listed`], so matching never
//! excludes on them and names them in an `unconfirmed` alert.
//!
//! Values go through the format's own code table first (so SAMHSA's `IPT`,
//! "Individual psychotherapy", is the individual modality and never
//! interpersonal therapy), then through carematch's vocabularies (exact,
//! synonym, close spelling with its confidence).
//!
//! HSDS's tabular form, a data package of CSV files, is read by
//! [`import_hsds_csv`], which joins the tables and imports them as HSDS JSON.
//!
//! [`import_each`] and [`import_hsds_csv_each`] give each program to a sink
//! as it is made instead of collecting them (the programs and the report
//! are the same): an HSDS import's memory then follows its input's text and
//! its report, not the programs (a caller writes each one out as it comes).
//!
//! Behind the default feature `import`.
//!
//! # Example
//!
//! ```
//! use carematch::import::{Format, ImportOptions, import};
//! let json = r#"{"rows": [{"frid": "ab12", "name1": "Example Clinic (fictional)", "name2": "",
//!   "street1": "1 Example Way", "city": "Lowell", "state": "MA", "zip": "01852",
//!   "latitude": "42.63", "longitude": "-71.31", "typeFacility": "MH",
//!   "services": [{"f1": "Service Settings", "f2": "SET", "f3": "Outpatient"},
//!                {"f1": "Treatment Approaches", "f2": "TAP", "f3": "Cognitive behavioral therapy"}]}]}"#;
//! let out = import(Format::Samhsa, json, &ImportOptions::new(carematch::sample::AS_OF))?;
//! assert_eq!(out.programs.len(), 1);
//! assert_eq!(out.programs[0].approaches, [carematch::Approach::Cbt]);
//! assert!(!out.programs[0].is_listed(carematch::NotListed::Payers));
//! # Ok::<(), carematch::Error>(())
//! ```

use serde_json::Value;

use crate::date::Date;
use crate::error::Error;
use crate::program::{
    AgeRange, FamilyInvolvement, Language, Location, NotListed, Program, ProgramId,
};
use crate::terms::terms;
use crate::vocabulary::Resolvable;

mod fhir;
mod hsds;
mod hsds_csv;
mod map;
mod report;
mod samhsa;
mod words;

pub use self::hsds_csv::{import_hsds_csv, import_hsds_csv_each};
pub use self::report::{
    ImportReport, MAX_PATHS, MAX_REFUSED, Method, Note, Outcome, Refusal, RefusalCount, ReportLine,
};
pub(crate) use self::report::{Recorder, Rewrite};

terms! {
    /// A directory format carematch imports.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::import::Format;
    /// assert_eq!("fhir".parse::<Format>()?, Format::Fhir);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub enum Format: "directory format" {
        /// Open Referral Human Services Data Specification 3.0 (JSON; its CSV data package is read by `import_hsds_csv`).
        Hsds = "hsds", "hsds";
        /// HL7 FHIR R4 `HealthcareService` with Da Vinci Plan-Net profiles (a Bundle or a list of resources).
        Fhir = "fhir", "fhir";
        /// SAMHSA treatment locator (FindTreatment.gov) listing pages.
        Samhsa = "samhsa", "samhsa";
    }
}

/// The `last_verified` of a record whose source gives no date, when the
/// operator gave no source date ([`ImportOptions::with_source_date`]): the
/// verification date is **not listed**: the program names
/// [`NotListed::LastVerified`] in its `not_listed`, and its `last_verified`
/// holds this placeholder, which nothing reads. Freshness is not scored for
/// it (as for every part not listed), no stale-data alert is raised, and
/// the match's `unconfirmed` alert names the verification date; the import
/// report says how many records had no date. (The day the file was read is
/// not the day its records were verified: a 2019 data package read today
/// is 2019 data.)
///
/// # Example
///
/// ```
/// use carematch::import::{Format, ImportOptions, UNDATED, import};
/// assert_eq!(UNDATED.to_string(), "1900-01-01");
/// let json = r#"{"rows": [{"frid": "ab12", "name1": "Example Clinic (fictional)",
///   "street1": "1 Example Way", "city": "Lowell", "state": "MA", "zip": "01852",
///   "latitude": "42.63", "longitude": "-71.31", "typeFacility": "MH",
///   "services": [{"f1": "Service Settings", "f2": "SET", "f3": "Outpatient"}]}]}"#;
/// let out = import(Format::Samhsa, json, &ImportOptions::new(carematch::sample::AS_OF))?;
/// assert!(!out.programs[0].is_listed(carematch::NotListed::LastVerified));
/// # Ok::<(), carematch::Error>(())
/// ```
pub const UNDATED: Date = match Date::checked(1900, 1, 1) {
    Some(d) => d,
    None => panic!("1900-01-01 is a date"),
};

/// Options for an import.
///
/// # Example
///
/// ```
/// let o = carematch::import::ImportOptions::new(carematch::sample::AS_OF);
/// assert_eq!(o.as_of(), carematch::sample::AS_OF);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportOptions {
    as_of: Date,
    source_date: Option<Date>,
    creole: Option<Language>,
    max_rows: usize,
    max_bytes: usize,
}

/// The most records an import reads by default (1,000,000: the US has about
/// 30,000 treatment facilities).
pub const DEFAULT_MAX_ROWS: usize = 1_000_000;
/// The largest input an import reads by default (512 MiB).
pub const DEFAULT_MAX_BYTES: usize = 512 << 20;

impl ImportOptions {
    /// Options with `as_of`, the date the source was read: programs are
    /// validated against it (a record's date after it is refused). It is
    /// never a record's verification date: see [`ImportOptions::with_source_date`]
    /// and [`UNDATED`].
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::import::ImportOptions::new("2026-11-30".parse()?);
    /// assert_eq!(o.as_of().to_string(), "2026-11-30");
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn new(as_of: Date) -> ImportOptions {
        ImportOptions {
            as_of,
            source_date: None,
            creole: None,
            max_rows: DEFAULT_MAX_ROWS,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }

    /// The most records (listing rows) to read: past it the import stops
    /// with an error ([`DEFAULT_MAX_ROWS`] by default).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::import::{Format, ImportOptions, import};
    /// let o = ImportOptions::new(carematch::sample::AS_OF).with_max_rows(1);
    /// let err = import(Format::Samhsa, r#"{"rows": [{}, {}]}"#, &o).unwrap_err();
    /// assert!(err.to_string().contains("row limit"));
    /// ```
    #[must_use]
    pub fn with_max_rows(mut self, n: usize) -> ImportOptions {
        self.max_rows = n;
        self
    }

    /// The most records to read.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::import::{DEFAULT_MAX_ROWS, ImportOptions};
    /// assert_eq!(ImportOptions::new(carematch::sample::AS_OF).max_rows(), DEFAULT_MAX_ROWS);
    /// ```
    pub fn max_rows(&self) -> usize {
        self.max_rows
    }

    /// The largest input to read, in bytes: a larger one is an error before
    /// anything is parsed ([`DEFAULT_MAX_BYTES`] by default).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::import::{Format, ImportOptions, import};
    /// let o = ImportOptions::new(carematch::sample::AS_OF).with_max_bytes(4);
    /// let err = import(Format::Samhsa, r#"{"rows": []}"#, &o).unwrap_err();
    /// assert!(err.to_string().contains("input size limit"));
    /// ```
    #[must_use]
    pub fn with_max_bytes(mut self, n: usize) -> ImportOptions {
        self.max_bytes = n;
        self
    }

    /// The largest input to read, in bytes.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::import::{DEFAULT_MAX_BYTES, ImportOptions};
    /// assert_eq!(ImportOptions::new(carematch::sample::AS_OF).max_bytes(), DEFAULT_MAX_BYTES);
    /// ```
    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// The date the source says its records were verified (the operator
    /// gives it: a 2019 data package was verified in 2019, not on the day
    /// it was read). Records with no date of their own get it as
    /// `last_verified`; without it, their `last_verified` is not listed.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::import::ImportOptions::new(carematch::sample::AS_OF)
    ///     .with_source_date("2019-06-01".parse()?);
    /// assert_eq!(o.source_date().map(|d| d.to_string()), Some("2019-06-01".into()));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    #[must_use]
    pub fn with_source_date(mut self, date: Date) -> ImportOptions {
        self.source_date = Some(date);
        self
    }

    /// The `last_verified` of a record that gives no date of its own: the
    /// operator's source date, else [`UNDATED`] (not listed).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::import::{ImportOptions, UNDATED};
    /// assert_eq!(ImportOptions::new(carematch::sample::AS_OF).undated(), UNDATED);
    /// ```
    pub fn undated(&self) -> Date {
        self.source_date.unwrap_or(UNDATED)
    }

    /// The source's date, when the operator gave it.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::import::ImportOptions::new(carematch::sample::AS_OF);
    /// assert!(o.source_date().is_none());
    /// ```
    pub fn source_date(&self) -> Option<Date> {
        self.source_date
    }

    /// What a bare "Creole" means in this source (`ht` Haitian Creole,
    /// `kea` Cape Verdean Creole ...): the operator knows the place; the
    /// importer does not guess (without it, "Creole" is reported, not read).
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::import::ImportOptions::new(carematch::sample::AS_OF)
    ///     .with_creole("ht".parse()?);
    /// assert_eq!(o.creole().map(|l| l.code().to_owned()), Some("ht".into()));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    #[must_use]
    pub fn with_creole(mut self, language: Language) -> ImportOptions {
        self.creole = Some(language);
        self
    }

    /// What a bare "Creole" means, when the operator said.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::import::ImportOptions::new(carematch::sample::AS_OF).creole().is_none());
    /// ```
    pub fn creole(&self) -> Option<Language> {
        self.creole
    }

    /// The date the source was read.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::import::ImportOptions::new(carematch::sample::AS_OF);
    /// assert_eq!(o.as_of(), carematch::sample::AS_OF);
    /// ```
    pub fn as_of(&self) -> Date {
        self.as_of
    }
}

/// Programs read from a source, and the report of what was and was not understood.
///
/// # Example
///
/// ```
/// use carematch::import::{Format, ImportOptions, import};
/// let out = import(Format::Fhir, r#"{"resourceType": "Bundle", "entry": []}"#,
///     &ImportOptions::new(carematch::sample::AS_OF))?;
/// assert!(out.programs.is_empty());
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// The programs, each valid as of the options' date.
    pub programs: Vec<Program>,
    /// What was mapped, ignored, refused and noted.
    pub report: ImportReport,
}

/// Imports `text` in `format`.
///
/// # Errors
///
/// An error of kind [`ErrorKind::Json`](crate::ErrorKind::Json) when `text` is larger than
/// [`ImportOptions::max_bytes`] or holds more records than
/// [`ImportOptions::max_rows`]; with the path when `text` is not JSON or its outer shape
/// is not the format's (a listing page without `rows`, a FHIR document that
/// is neither a Bundle, a resource nor a list of resources ...). A record that
/// cannot become a program is refused in the report, not an error.
///
/// # Example
///
/// ```
/// use carematch::import::{Format, ImportOptions, import};
/// let err = import(Format::Samhsa, r#"{"rows": 3}"#, &ImportOptions::new(carematch::sample::AS_OF))
///     .unwrap_err();
/// assert!(err.to_string().starts_with("rows: "));
/// ```
pub fn import(format: Format, text: &str, options: &ImportOptions) -> Result<Import, Error> {
    check_size(text.len(), options)?;
    if format == Format::Samhsa {
        return samhsa::import_str(text, options);
    }
    let doc: Value =
        serde_json::from_str(text).map_err(|e| Error::json(String::new(), e.to_string()))?;
    import_value(format, &doc, options)
}

/// Imports `text` in `format` as [`import`] does, giving `sink` each program
/// as it is made instead of collecting them, and returns the report once
/// the last program is given. The programs, their order and the report are
/// those of [`import`]; an HSDS document's programs are never all held at
/// once, and an HSDS list of services (or a page of one, `contents`) is read
/// one item at a time, so memory follows one service, not the document's
/// tree (SAMHSA pages and FHIR documents are read whole first, then given
/// one at a time).
///
/// The input's shape is checked before the first program is given: an
/// error comes before any program, never after some.
///
/// # Errors
///
/// As [`import`].
///
/// # Example
///
/// ```
/// use carematch::import::{Format, ImportOptions, import, import_each};
/// let json = r#"{"id": "s1", "name": "Adult Intensive Outpatient Program (fictional)",
///   "service_at_locations": [{"location": {"id": "l1", "latitude": 42.36, "longitude": -71.06,
///     "addresses": [{"address_1": "1 Example Way", "city": "Boston", "state_province": "MA",
///                    "postal_code": "02110"}]}}]}"#;
/// let options = ImportOptions::new(carematch::sample::AS_OF);
/// let mut names = Vec::new();
/// let report = import_each(Format::Hsds, json, &options, |p| names.push(p.name))?;
/// assert_eq!(names, ["Adult Intensive Outpatient Program (fictional)"]);
/// assert_eq!(report.programs, 1);
/// assert_eq!(report, import(Format::Hsds, json, &options)?.report);
/// # Ok::<(), carematch::Error>(())
/// ```
pub fn import_each(
    format: Format,
    text: &str,
    options: &ImportOptions,
    mut sink: impl FnMut(Program),
) -> Result<ImportReport, Error> {
    if format != Format::Hsds {
        let out = import(format, text, options)?;
        out.programs.into_iter().for_each(sink);
        return Ok(out.report);
    }
    check_size(text.len(), options)?;
    hsds::import_text_each(text, options, Recorder::default(), &mut sink)
}

/// An error when an input of `len` bytes is over the options' size limit.
fn check_size(len: usize, options: &ImportOptions) -> Result<(), Error> {
    if len > options.max_bytes() {
        return Err(shape(
            "",
            format!(
                "{len} bytes: over the import's input size limit of {} bytes (raise it with --max-bytes)",
                options.max_bytes()
            ),
        ));
    }
    Ok(())
}

/// Imports an already parsed JSON document in `format`.
///
/// # Errors
///
/// As [`import`].
///
/// # Example
///
/// ```
/// use carematch::import::{Format, ImportOptions, import_value};
/// let doc = serde_json::json!({"rows": []});
/// let out = import_value(Format::Samhsa, &doc, &ImportOptions::new(carematch::sample::AS_OF))?;
/// assert_eq!(out.report.records, 0);
/// # Ok::<(), carematch::Error>(())
/// ```
pub fn import_value(format: Format, doc: &Value, options: &ImportOptions) -> Result<Import, Error> {
    match format {
        Format::Samhsa => samhsa::import(doc, options),
        Format::Fhir => fhir::import(doc, options),
        Format::Hsds => hsds::import(doc, options),
    }
}

// ------------------------------------------------------------ shared helpers

/// An error at `path` for the outer shape of a document.
pub(crate) fn shape(path: &str, message: impl Into<String>) -> Error {
    Error::json(path.to_owned(), message.into())
}

/// The text of `v[key]` when it is a non-empty string (trimmed).
pub(crate) fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A number given as a number or as a string.
pub(crate) fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|x| x.is_finite())
}

/// `v` as an array, or empty.
pub(crate) fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// A value resolved through carematch's vocabulary for `T`: the value, how
/// it matched and how sure; or the closest terms.
pub(crate) fn vocab<T: Resolvable>(text: &str) -> Result<(T, Method, f64), Vec<String>> {
    match T::resolve(text) {
        Ok(r) => Ok((r.value, Method::of(r.how), r.confidence)),
        Err(e) => Err(e.suggestions().to_vec()),
    }
}

/// A program id from a source's identifier: `prefix-` and the identifier
/// with anything but letters, digits, `-`, `_` and `.` replaced by `-`.
pub(crate) fn program_id(prefix: &str, id: &str) -> Option<ProgramId> {
    let tidy: String = id
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if tidy.is_empty() {
        return None;
    }
    format!("{prefix}-{tidy}").parse().ok()
}

/// A program with nothing listed but its identity and place: every part
/// that can be not listed is marked so until a source gives it.
pub(crate) fn blank(
    id: ProgramId,
    name: String,
    organization: String,
    location: Location,
    as_of: Date,
) -> Program {
    Program {
        id,
        name,
        organization,
        levels: Vec::new(),
        tracks: Vec::new(),
        modalities: Vec::new(),
        approaches: Vec::new(),
        specialties: Vec::new(),
        excluded_conditions: Vec::new(),
        staff: Default::default(),
        facility_credentials: Vec::new(),
        aftercare: Vec::new(),
        family_involvement: FamilyInvolvement::None,
        payers: Vec::new(),
        ages: AgeRange { min: 0, max: 120 },
        populations: Vec::new(),
        restricted_to: Vec::new(),
        languages: Vec::new(),
        interpreter_services: false,
        delivery: Vec::new(),
        location,
        accepting_new_patients: true,
        typical_wait_days: None,
        last_verified: as_of,
        licensed_states: Vec::new(),
        // The place is decided by the caller ([`map::site`]); the date by
        // [`finish`].
        not_listed: NotListed::ALL
            .iter()
            .copied()
            .filter(|n| *n != NotListed::Location)
            .collect(),
        open_slots: None,
        admits: Vec::new(),
        moud_medications: Vec::new(),
        opioid_treatment_program: false,
        coordinates_with_otp: false,
        withdrawal_management: false,
        medical_monitoring: false,
    }
}

/// Marks `part` as listed (the source gave it).
pub(crate) fn listed(p: &mut Program, part: NotListed) {
    p.not_listed.retain(|x| *x != part);
}

/// The street address from its lines, each trimmed, empty ones left out,
/// joined with ", " (HSDS `address_1`/`address_2`, SAMHSA
/// `street1`/`street2`, FHIR `address.line`).
pub(crate) fn join_address<'a>(lines: impl IntoIterator<Item = Option<&'a str>>) -> String {
    lines
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Pushes `x` unless it is there.
pub(crate) fn push<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

/// The program, if it validates (its warnings become notes); otherwise a
/// refusal with every error.
pub(crate) fn finish(
    rec: &mut Recorder,
    path: &str,
    mut p: Program,
    options: &ImportOptions,
) -> Option<Program> {
    // The wait is "not listed" by its absence alone.
    p.not_listed.retain(|x| *x != NotListed::Wait);
    if p.family_involvement == FamilyInvolvement::None
        && p.modalities.contains(&crate::therapy::Modality::Family)
    {
        p.family_involvement = FamilyInvolvement::OnRequest;
    }
    if p.last_verified == UNDATED {
        push(&mut p.not_listed, NotListed::LastVerified);
    } else {
        listed(&mut p, NotListed::LastVerified);
    }
    if !p.is_listed(NotListed::Location) && !placeless(rec, path, &mut p) {
        return None;
    }
    verification_line(rec, path, &p, options);
    let report = p.validate(options.as_of());
    for w in report.warnings() {
        rec.note(
            format!("{path} ({})", p.id),
            format!("warning: {}: {}", w.path, w.message),
        );
    }
    if report.has_errors() {
        let errors: Vec<String> = report
            .errors()
            .map(|e| format!("{}: {}", e.path, e.message))
            .collect();
        rec.refuse(path.to_owned(), errors.join("; "));
        return None;
    }
    Some(p)
}

/// A program whose source gives no place (no coordinates, no address with a
/// known ZIP code): kept with its location not listed when it offers
/// telehealth, delivered by telehealth alone (the in-person part has no
/// place to go to, and the report says it was dropped); refused otherwise.
fn placeless(rec: &mut Recorder, path: &str, p: &mut Program) -> bool {
    use crate::program::Delivery;
    if !p.delivery.iter().any(|d| d.has_telehealth()) {
        let zip = p.location.postal_code.as_str();
        let why = if zip.is_empty() {
            "no place: no coordinates and no address with a known ZIP code, and no telehealth, so no patient could be sent to it".to_owned()
        } else {
            format!(
                "no place: no coordinates, and its ZIP code is not in the embedded places table, which holds the US ZIP codes with a Census ZIP Code Tabulation Area (a post-office box or single-business ZIP code has none); no telehealth, so no patient could be sent to it (ZIP code {zip:?}; give coordinates to import it)"
            )
        };
        rec.refuse(path.to_owned(), why);
        return false;
    }
    let at = || path.to_owned();
    if p.delivery.iter().any(|d| d.meets_in_person()) {
        rec.ignored(
            "(delivery)",
            Some("in person, with no place listed"),
            at,
            "in-person delivery not kept: the location is not listed, so the program is imported as telehealth only",
        );
    }
    rec.read(
        "(location)",
        Some("not listed, telehealth"),
        at,
        "location not listed (not_listed: location; never excluded for distance); delivery: telehealth",
    );
    p.delivery = vec![Delivery::Telehealth];
    let state = if crate::region::state_bit(&p.location.state).is_some() {
        std::mem::take(&mut p.location.state)
    } else {
        String::new()
    };
    p.location = Location::not_listed(state);
    true
}

/// The line saying where a program's `last_verified` came from: the
/// record, the operator's source date, or nowhere (not listed).
fn verification_line(rec: &mut Recorder, path: &str, p: &Program, options: &ImportOptions) {
    let at = || path.to_owned();
    if p.last_verified == UNDATED {
        rec.ignored(
            "(last_verified)",
            Some("not listed"),
            at,
            "no date in the record and no --source-date: last_verified not listed (not_listed: last_verified; freshness not scored, named in the unconfirmed alert); pass the source's date with --source-date",
        );
    } else if options.source_date() == Some(p.last_verified) {
        rec.read(
            "(last_verified)",
            Some("the operator's source date"),
            at,
            format!("last_verified: {} (--source-date)", p.last_verified),
        );
    } else {
        rec.read(
            "(last_verified)",
            Some("the record's date"),
            at,
            "last_verified",
        );
    }
}

/// Programs with ids made unique: a repeated id gets `-2`, `-3` ... and a note.
pub(crate) fn unique_ids(rec: &mut Recorder, programs: &mut [Program]) {
    let mut ids = UniqueIds::default();
    for p in programs.iter_mut() {
        ids.make_unique(rec, p);
    }
}

/// The ids given so far, so that programs made one at a time get ids made
/// unique as [`unique_ids`] makes those of a whole list (the same renames,
/// in the same order).
#[derive(Debug, Default)]
pub(crate) struct UniqueIds {
    seen: std::collections::HashMap<Box<str>, u32>,
}

impl UniqueIds {
    /// Renames `p` when its id was given before: `-2`, `-3` ... and a note.
    pub(crate) fn make_unique(&mut self, rec: &mut Recorder, p: &mut Program) {
        let n = match self.seen.get_mut(p.id.as_str()) {
            Some(n) => n,
            None => self.seen.entry(p.id.as_str().into()).or_insert(0),
        };
        *n += 1;
        if *n > 1 {
            let new = format!("{}-{n}", p.id);
            if let Ok(id) = new.parse() {
                rec.note(
                    format!("program {}", p.id),
                    format!("id repeated in the source; this one renamed {new}"),
                );
                p.id = id;
            }
        }
    }
}

/// A time `HH:MM` or `HH:MM:SS` (seconds dropped), or 12-hour (`9:00am`,
/// `5 PM`, `noon`), with an optional `Z` or `+HH:MM` offset (returned separately: the caller reports it).
pub(crate) fn parse_time(s: &str) -> Option<(crate::schedule::TimeOfDay, Option<&str>)> {
    let s = s.trim();
    if let Some(t) = words::time_12h(s) {
        return Some((t, None));
    }
    let (clock, zone) = match s.find(['Z', 'z', '+', '-']) {
        Some(i) => (&s[..i], Some(&s[i..])),
        None => (s, None),
    };
    let mut parts = clock.split(':');
    let h: u8 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    if let Some(sec) = parts.next() {
        let sec: f64 = sec.parse().ok()?;
        if !(0.0..60.0).contains(&sec) {
            return None;
        }
    }
    if parts.next().is_some() {
        return None;
    }
    crate::schedule::TimeOfDay::hm(h, m).ok().map(|t| (t, zone))
}

/// Adds a session on `day` from `start` to `end`, merged with any it
/// overlaps or touches (a day may be given twice).
pub(crate) fn add_session(
    sessions: &mut Vec<crate::schedule::Session>,
    day: crate::schedule::Weekday,
    mut start: crate::schedule::TimeOfDay,
    mut end: crate::schedule::TimeOfDay,
) {
    use crate::schedule::{Session, TimeWindow};
    sessions.retain(|s| {
        let overlaps = s.day == day && s.window.start <= end && start <= s.window.end;
        if overlaps {
            start = start.min(s.window.start);
            end = end.max(s.window.end);
        }
        !overlaps
    });
    if let Ok(w) = TimeWindow::new(start, end) {
        sessions.push(Session::new(day, w));
        sessions.sort_by_key(|s| (s.day, s.window.start));
    }
}

/// Gives `p` a track named `name` with `sessions` at each of its ambulatory
/// levels (the hours the source says the service is open), and says so.
pub(crate) fn schedule_tracks(
    rec: &mut Recorder,
    path: &str,
    p: &mut Program,
    name: &str,
    sessions: Vec<crate::schedule::Session>,
) {
    if sessions.is_empty() {
        return;
    }
    let levels: Vec<_> = p
        .levels
        .iter()
        .copied()
        .filter(|l| l.is_ambulatory())
        .collect();
    if levels.is_empty() {
        rec.note(
            path.to_owned(),
            "hours given, but no level with weekly sessions (outpatient, IOP, PHP): not read as a track",
        );
        return;
    }
    for l in levels {
        let mut t = crate::schedule::Track::new(name, l);
        t.sessions = sessions.clone();
        p.tracks.push(t);
    }
    listed(p, NotListed::Tracks);
    rec.note(
        path.to_owned(),
        "the hours the service is open are read as its track at each level: a patient may attend fewer of them; confirm the session times",
    );
}
