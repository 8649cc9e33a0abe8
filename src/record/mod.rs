//! FHIR R4 patient input: a Bundle (or a list of resources) from a health
//! record in, the patient's needs, screening results with their suggested
//! assessment, and a report of what was read out.
//!
//! | resource | read | refused or ignored |
//! | --- | --- | --- |
//! | `Patient` | `birthDate` (age in whole years on the as-of date), `gender` (only for AUDIT-C's cut-offs) | deceased: refused; every identifier, name, telecom, address, the birth date itself and all else: dropped |
//! | `Condition` | `code`: ICD-10-CM codings, else SNOMED CT through [`CodeTables::snomed`]; ICD-10-CM wins when both are given | not active (`clinicalStatus` other than active, recurrence, relapse), not confirmed (`verificationStatus`) |
//! | `Coverage` | `payor` display or Organization name, `class` plan names through [`CodeTables::payers`]; `type` by the Source of Payment Typology | not active, ended before the as-of date; none: payer not listed |
//! | `Observation` | `code`, and each `component`'s code, through [`CodeTables::observations`] (LOINC PHQ-9 total and item 9, GAD-7, AUDIT-C, pregnancy status; a site's CIWA-Ar, COWS, PCL-5 codes); value as integer, quantity, string or (pregnancy) a SNOMED CT coding | not final, amended or corrected; free text |
//! | `QuestionnaireResponse` | items by `linkId` equal to an observation code (with or without a leading `/`), answers as integer, decimal, quantity or string | not completed or amended |
//! | `MedicationStatement`, `MedicationRequest` | RxNorm ingredient codes through [`CodeTables::moud`], product codings by their ingredient's name; `medicationReference` to a contained or bundled `Medication` followed | not active |
//!
//! **No patient data out.** Nothing read from the bundle reaches an output,
//! the report or an error except the facts carematch reads: codes through
//! its tables, numbers it parsed, the age. Paths are built from positions
//! and element names carematch knows (`entry[3].resource.code.coding[1]`);
//! a value not understood is reported by its path and kind, never echoed.
//!
//! # Example
//!
//! ```
//! use carematch::record::{RecordOptions, read_bundle};
//! use carematch::{Condition, Date, Payer};
//! let bundle = r#"{"resourceType": "Bundle", "type": "collection", "entry": [
//!   {"resource": {"resourceType": "Patient", "birthDate": "1990-03-01", "name": [{"family": "Fictional"}]}},
//!   {"resource": {"resourceType": "Condition",
//!     "clinicalStatus": {"coding": [{"code": "active"}]},
//!     "verificationStatus": {"coding": [{"code": "confirmed"}]},
//!     "code": {"coding": [{"system": "http://snomed.info/sct", "code": "47505003"}]}}},
//!   {"resource": {"resourceType": "Observation", "status": "final",
//!     "code": {"coding": [{"system": "http://loinc.org", "code": "44261-6"}]}, "valueInteger": 16}}
//! ]}"#;
//! let out = read_bundle(bundle, &RecordOptions::new(Date::new(2026, 3, 1)?))?;
//! assert_eq!(out.record.age, 36);
//! assert_eq!(out.record.diagnoses[0].condition, Condition::Ptsd);
//! assert_eq!(out.screening[0].band, "moderately_severe");
//! assert!(out.record.payer.is_none()); // no Coverage: not listed
//! let needs = out.needs(Some(Payer::MassHealth))?;
//! assert_eq!(needs.age, 36);
//! assert!(!serde_json::to_string(&out)?.contains("Fictional"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod read;
mod tables;

use std::fmt;

use crate::date::Date;
use crate::diagnosis::{Condition, Diagnosis, Pregnancy};
use crate::error::{Error, ValidationReport};
use crate::level::Assessment;
use crate::patient::PatientNeeds;
use crate::program::Payer;
use crate::screening::{CssrsItem, Instrument, Score, ScreeningResult, ScreeningTable, Sex};
use crate::therapy::MoudMedication;

pub use self::read::{read_bundle, read_bundle_value};

/// The largest input [`read_bundle`] reads by default, in bytes (16 MiB).
pub const DEFAULT_MAX_BYTES: usize = 16 * 1024 * 1024;

/// The most resources [`read_bundle`] reads by default.
pub const DEFAULT_MAX_RESOURCES: usize = 10_000;

/// A SNOMED CT concept carematch reads as a condition family.
///
/// # Example
///
/// ```
/// use carematch::{Condition, record::CodeTables};
/// let t = CodeTables::default();
/// let ptsd = t.snomed.iter().find(|c| c.code == "47505003").unwrap();
/// assert_eq!(ptsd.condition, Condition::Ptsd);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct SnomedConcept {
    /// The concept id.
    pub code: String,
    /// The condition family.
    pub condition: Condition,
    /// The concept's name, in our words (for the report).
    pub concept: String,
}

/// What an observation code (or a questionnaire item's `linkId`) reads.
///
/// # Example
///
/// ```
/// use carematch::record::Reads;
/// use carematch::screening::Instrument;
/// assert_eq!(Reads::Total(Instrument::CiwaAr).to_string(), "CIWA-Ar total");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Reads {
    /// An instrument's total (not the C-SSRS screener, which has none).
    Total(Instrument),
    /// PHQ-9 item 9 (0-3).
    Phq9Item9,
    /// A C-SSRS screener question: a yes (true, `Y`, 1) marks it answered yes.
    CssrsYes(CssrsItem),
    /// Pregnancy status (a SNOMED CT coded value).
    Pregnancy,
}

impl fmt::Display for Reads {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reads::Total(i) => write!(f, "{i} total"),
            Reads::Phq9Item9 => f.write_str("PHQ-9 item 9"),
            Reads::CssrsYes(q) => write!(f, "C-SSRS screener {q}"),
            Reads::Pregnancy => f.write_str("pregnancy status"),
        }
    }
}

/// An observation code (system and code) and what it reads.
///
/// # Example
///
/// ```
/// use carematch::record::{ObservationCode, Reads};
/// use carematch::screening::Instrument;
/// let site = ObservationCode { system: "urn:example:site-codes".into(), code: "ciwa".into(), reads: Reads::Total(Instrument::CiwaAr) };
/// assert_eq!(site.reads, Reads::Total(Instrument::CiwaAr));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ObservationCode {
    /// The code system.
    pub system: String,
    /// The code.
    pub code: String,
    /// What it reads.
    pub reads: Reads,
}

/// A payer's or plan's name and the carematch payer it means.
///
/// # Example
///
/// ```
/// use carematch::{Payer, record::CodeTables};
/// let t = CodeTables::default();
/// assert!(t.payers.iter().any(|p| p.name == "MassHealth" && p.payer == Payer::MassHealth));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct PayerName {
    /// The name as records write it (compared without regard to case or repeated spaces).
    pub name: String,
    /// The payer.
    pub payer: Payer,
}

/// The code tables the reader maps through: SNOMED CT concepts, observation
/// codes, payer names, MOUD ingredient codes and the state whose Medicaid a
/// "Medicaid" coverage means. A site adds its own rows (its CIWA-Ar and
/// COWS codes, its plans) to the defaults.
///
/// # Example
///
/// ```
/// use carematch::record::{CodeTables, ObservationCode, Reads};
/// use carematch::screening::Instrument;
/// let mut t = CodeTables::default();
/// t.observations.push(ObservationCode { system: "urn:example:site".into(), code: "cows".into(), reads: Reads::Total(Instrument::Cows) });
/// t.medicaid_state = Some("MA".into());
/// assert!(t.snomed.len() >= 20);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct CodeTables {
    /// SNOMED CT concepts read as condition families.
    #[cfg_attr(feature = "serde", serde(default))]
    pub snomed: Vec<SnomedConcept>,
    /// Observation codes (and `linkId`s) and what they read.
    #[cfg_attr(feature = "serde", serde(default))]
    pub observations: Vec<ObservationCode>,
    /// Payer and plan names.
    #[cfg_attr(feature = "serde", serde(default))]
    pub payers: Vec<PayerName>,
    /// RxNorm ingredient codes of MOUD medications.
    #[cfg_attr(feature = "serde", serde(default))]
    pub moud: Vec<(String, MoudMedication)>,
    /// The two-letter state whose Medicaid program a Source of Payment
    /// Typology Medicaid code (2, 21) means (`MA`: MassHealth); none by
    /// default, so such a coverage is reported, not guessed.
    #[cfg_attr(feature = "serde", serde(default))]
    pub medicaid_state: Option<String>,
}

impl Default for CodeTables {
    /// The default tables (see the module docs and each row's comment).
    fn default() -> CodeTables {
        tables::default_tables()
    }
}

impl CodeTables {
    /// These tables with a site's rows added before their own, so a
    /// site's row wins where both name a code; the site's Medicaid state,
    /// when it sets one. In JSON a site file lists only its rows (every
    /// table may be left out):
    ///
    /// ```json
    /// {"observations": [{"system": "urn:example:site", "code": "ciwa", "reads": {"total": "ciwa_ar"}},
    ///                   {"system": "urn:example:site", "code": "cssrs-4", "reads": {"cssrs_yes": "intent"}}],
    ///  "payers": [{"name": "Example Community Plan", "payer": "commercial: Example Community Plan"}],
    ///  "medicaid_state": "MA"}
    /// ```
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::record::{CodeTables, Reads};
    /// use carematch::screening::Instrument;
    /// let site: CodeTables = serde_json::from_str(r#"{"observations": [
    ///     {"system": "urn:example:site", "code": "cows", "reads": {"total": "cows"}}]}"#)?;
    /// let t = CodeTables::default().with_site(site);
    /// assert_eq!(t.observations[0].reads, Reads::Total(Instrument::Cows));
    /// assert!(t.snomed.len() >= 20);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn with_site(self, site: CodeTables) -> CodeTables {
        fn before<T>(mut first: Vec<T>, then: Vec<T>) -> Vec<T> {
            first.extend(then);
            first
        }
        CodeTables {
            snomed: before(site.snomed, self.snomed),
            observations: before(site.observations, self.observations),
            payers: before(site.payers, self.payers),
            moud: before(site.moud, self.moud),
            medicaid_state: site.medicaid_state.or(self.medicaid_state),
        }
    }
}

/// How to read a record: the as-of date (ages are computed on it), the
/// code tables, the screening table, scores given beside the record (CIWA-Ar
/// and COWS totals taken at the bedside), and size limits.
///
/// # Example
///
/// ```
/// use carematch::record::RecordOptions;
/// use carematch::screening::Score;
/// let o = RecordOptions::new(carematch::Date::new(2026, 12, 7)?).with_score(Score::CiwaAr { total: 12 });
/// assert_eq!(o.scores().len(), 1);
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct RecordOptions {
    as_of: Date,
    tables: CodeTables,
    screening: ScreeningTable,
    scores: Vec<Score>,
    max_bytes: usize,
    max_resources: usize,
}

impl RecordOptions {
    /// Options with the default tables and limits, ages on `as_of`.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::record::RecordOptions::new(carematch::sample::AS_OF);
    /// assert_eq!(o.as_of(), carematch::sample::AS_OF);
    /// ```
    pub fn new(as_of: Date) -> RecordOptions {
        RecordOptions {
            as_of,
            tables: CodeTables::default(),
            screening: ScreeningTable::default(),
            scores: Vec::new(),
            max_bytes: DEFAULT_MAX_BYTES,
            max_resources: DEFAULT_MAX_RESOURCES,
        }
    }

    /// The same options with these code tables.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::record::{CodeTables, RecordOptions};
    /// let o = RecordOptions::new(carematch::sample::AS_OF).with_tables(CodeTables::default());
    /// assert!(!o.tables().snomed.is_empty());
    /// ```
    #[must_use]
    pub fn with_tables(mut self, tables: CodeTables) -> RecordOptions {
        self.tables = tables;
        self
    }

    /// The same options with this screening table.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{record::RecordOptions, screening::ScreeningTable};
    /// let o = RecordOptions::new(carematch::sample::AS_OF).with_screening(ScreeningTable::default());
    /// assert!(o.screening().check().is_ok());
    /// ```
    #[must_use]
    pub fn with_screening(mut self, table: ScreeningTable) -> RecordOptions {
        self.screening = table;
        self
    }

    /// The same options with one more score given beside the record (a
    /// CIWA-Ar or COWS total, or any instrument): it replaces a score of
    /// the same instrument read from the record, and the report says so.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{record::RecordOptions, screening::Score};
    /// let o = RecordOptions::new(carematch::sample::AS_OF).with_score(Score::Cows { total: 9 });
    /// assert_eq!(o.scores()[0], Score::Cows { total: 9 });
    /// ```
    #[must_use]
    pub fn with_score(mut self, score: Score) -> RecordOptions {
        self.scores.push(score);
        self
    }

    /// The same options with another input size limit, in bytes.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::record::RecordOptions::new(carematch::sample::AS_OF).with_max_bytes(1024);
    /// assert_eq!(o.max_bytes(), 1024);
    /// ```
    #[must_use]
    pub fn with_max_bytes(mut self, n: usize) -> RecordOptions {
        self.max_bytes = n;
        self
    }

    /// The same options with another limit on the resources read.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::record::RecordOptions::new(carematch::sample::AS_OF).with_max_resources(5);
    /// assert_eq!(o.max_resources(), 5);
    /// ```
    #[must_use]
    pub fn with_max_resources(mut self, n: usize) -> RecordOptions {
        self.max_resources = n;
        self
    }

    /// The as-of date.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::record::RecordOptions::new(carematch::sample::AS_OF).as_of(), carematch::sample::AS_OF);
    /// ```
    pub fn as_of(&self) -> Date {
        self.as_of
    }

    /// The code tables.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!carematch::record::RecordOptions::new(carematch::sample::AS_OF).tables().payers.is_empty());
    /// ```
    pub fn tables(&self) -> &CodeTables {
        &self.tables
    }

    /// The screening table.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::record::RecordOptions::new(carematch::sample::AS_OF).screening().check().is_ok());
    /// ```
    pub fn screening(&self) -> &ScreeningTable {
        &self.screening
    }

    /// The scores given beside the record.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::record::RecordOptions::new(carematch::sample::AS_OF).scores().is_empty());
    /// ```
    pub fn scores(&self) -> &[Score] {
        &self.scores
    }

    /// The input size limit in bytes.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::record::RecordOptions::new(carematch::sample::AS_OF).max_bytes(), carematch::record::DEFAULT_MAX_BYTES);
    /// ```
    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// The limit on resources read.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::record::RecordOptions::new(carematch::sample::AS_OF).max_resources(), carematch::record::DEFAULT_MAX_RESOURCES);
    /// ```
    pub fn max_resources(&self) -> usize {
        self.max_resources
    }
}

/// What carematch read from a record: minimum necessary, nothing that
/// identifies the patient.
///
/// # Example
///
/// ```
/// use carematch::record::PatientRecord;
/// let r = PatientRecord { age: 40, sex: None, diagnoses: vec![], payer: None, moud_medication: None, pregnancy: None, pregnancy_read: false, scores: vec![] };
/// assert_eq!(r.to_string(), "age 40; no diagnosis read; payer not listed");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PatientRecord {
    /// Age in whole years on the as-of date.
    pub age: u8,
    /// The administrative sex, kept only for sex-specific cut-offs (AUDIT-C).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub sex: Option<Sex>,
    /// Active, confirmed conditions, in record order, each once; none is
    /// marked primary (FHIR has no such mark: the first is taken as primary
    /// by [`PatientNeeds::primary_condition`], and the report says so).
    pub diagnoses: Vec<Diagnosis>,
    /// The payer of the active coverage; `None`: not listed.
    pub payer: Option<Payer>,
    /// The MOUD medication of an active statement or request.
    pub moud_medication: Option<MoudMedication>,
    /// Pregnancy status, when an observation gives one (`None` also when it
    /// says not pregnant; see `pregnancy_read`).
    pub pregnancy: Option<Pregnancy>,
    /// Whether a pregnancy-status observation was read at all.
    pub pregnancy_read: bool,
    /// The instrument scores read (the latest of each instrument), and
    /// those given beside the record.
    pub scores: Vec<Score>,
}

impl fmt::Display for PatientRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "age {}", self.age)?;
        if self.diagnoses.is_empty() {
            f.write_str("; no diagnosis read")?;
        }
        for d in &self.diagnoses {
            write!(f, "; {d}")?;
        }
        match &self.payer {
            Some(p) => write!(f, "; payer {p}")?,
            None => f.write_str("; payer not listed")?,
        }
        if let Some(m) = self.moud_medication {
            write!(f, "; on {m}")?;
        }
        if let Some(p) = self.pregnancy {
            write!(f, "; {p}")?;
        }
        Ok(())
    }
}

/// One line of a [`RecordReport`]: where in the bundle, and what became of
/// it, in carematch's words (never a value from the record).
///
/// # Example
///
/// ```
/// let l = carematch::record::ReportItem { path: "entry[2].resource".into(), message: "Condition: not confirmed".into() };
/// assert_eq!(l.to_string(), "entry[2].resource: Condition: not confirmed");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ReportItem {
    /// The path in the bundle, by position and known element names.
    pub path: String,
    /// What became of it.
    pub message: String,
}

impl fmt::Display for ReportItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// What a record import read, ignored and did not understand, in the style
/// of the directory importers' report: every resource has a line.
///
/// # Example
///
/// ```
/// use carematch::record::{RecordOptions, read_bundle};
/// let out = read_bundle(r#"[{"resourceType": "Patient", "birthDate": "2000-01-01"}, {"resourceType": "Encounter"}]"#,
///     &RecordOptions::new(carematch::Date::new(2026, 1, 1)?))?;
/// assert_eq!(out.report.resources, 2);
/// assert_eq!(out.report.ignored[0].path, "[1]");
/// assert!(out.report.to_string().starts_with("FHIR patient record: 2 resources"));
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RecordReport {
    /// Resources met.
    pub resources: usize,
    /// What was read, and what it became.
    pub read: Vec<ReportItem>,
    /// What was read and left out, and why.
    pub ignored: Vec<ReportItem>,
    /// What carematch did not understand (a code not in its tables, a
    /// value of the wrong kind).
    pub not_understood: Vec<ReportItem>,
    /// What was assumed or should be confirmed.
    pub notes: Vec<ReportItem>,
}

impl fmt::Display for RecordReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "FHIR patient record: {} resources; {} read, {} ignored, {} not understood, {} notes",
            self.resources,
            self.read.len(),
            self.ignored.len(),
            self.not_understood.len(),
            self.notes.len()
        )?;
        for (what, items) in [
            ("read", &self.read),
            ("ignored", &self.ignored),
            ("not understood", &self.not_understood),
            ("note", &self.notes),
        ] {
            for i in items {
                writeln!(f, "  {what} {i}")?;
            }
        }
        Ok(())
    }
}

/// The result of reading a record: the facts, the screening results with
/// their suggestions, the assessment those suggestions alone would make
/// (see [`crate::screening::suggested_assessment`]), and the report.
///
/// # Example
///
/// See [`read_bundle`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RecordImport {
    /// What was read.
    pub record: PatientRecord,
    /// Each score's band, source and suggestions.
    pub screening: Vec<ScreeningResult>,
    /// The assessment the suggestions alone make: suggested ratings, every
    /// other dimension at 1; `None` when nothing suggests a rating.
    pub suggested_assessment: Option<Assessment>,
    /// What was read, ignored and not understood.
    pub report: RecordReport,
}

impl RecordImport {
    /// The patient's needs for matching: the record's age, diagnoses, MOUD
    /// and pregnancy, and its payer, or `payer_if_not_listed` when the
    /// record lists none.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) at `payer` when
    /// the record lists no payer and none is given.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::record::{RecordOptions, read_bundle};
    /// let out = read_bundle(r#"{"resourceType": "Patient", "birthDate": "2000-01-01"}"#,
    ///     &RecordOptions::new(carematch::Date::new(2026, 1, 1)?))?;
    /// assert_eq!(out.needs(None).unwrap_err().problems()[0].path, "payer");
    /// assert_eq!(out.needs(Some(carematch::Payer::SelfPay))?.age, 26);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn needs(&self, payer_if_not_listed: Option<Payer>) -> Result<PatientNeeds, Error> {
        let Some(payer) = self.record.payer.clone().or(payer_if_not_listed) else {
            let mut r = ValidationReport::default();
            r.error(
                "payer",
                "the record lists no active coverage (payer not listed): give the payer",
            );
            return Err(Error::invalid(r));
        };
        let mut needs = PatientNeeds::new(self.record.age, payer);
        needs.diagnoses = self.record.diagnoses.clone();
        needs.moud_medication = self.record.moud_medication;
        needs.on_moud = self.record.moud_medication.is_some();
        needs.pregnancy = self.record.pregnancy;
        Ok(needs)
    }
}
