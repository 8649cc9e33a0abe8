//! Lenient reading of directory and patient JSON: free-text terms where
//! typed values are expected, every reinterpretation reported as a note.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use crate::credential::{Certification, FacilityCredential, Licence};
use crate::date::Date;
use crate::diagnosis::{Condition, IcdCode};
use crate::error::join_path;
use crate::error::{Error, ValidationReport};
use crate::level::LevelOfCare;
use crate::limits::{MAX_TRACKS_PER_PROGRAM, list_limit, too_many};
use crate::patient::{DeliveryPreference, PatientNeeds};
use crate::program::{
    Aftercare, Delivery, FamilyInvolvement, Language, Payer, Population, Program, validate_programs,
};
use crate::serde_impl::from_json;
use crate::therapy::{Approach, Modality};
use crate::vocabulary::family::{Resolvable, TermFamily};
use crate::vocabulary::result::MatchKind;

/// A term the lenient reader resolved by synonym or close spelling: where,
/// what was written, and what it became. Exact matches (a key, a canonical
/// name, an official abbreviation, in any case) give no note.
///
/// # Example
///
/// ```
/// use carematch::{vocabulary::{MatchKind, TermFamily}};
///
/// let json = r#"{"age": 34, "diagnoses": ["PTSD"], "payer": "Blue Cross", "language": "Portugese"}"#;
/// let (needs, notes) = carematch::vocabulary::patient_from_json_lenient(json)?;
/// assert_eq!(needs.language.code(), "pt");
/// assert_eq!(notes.len(), 2);
/// assert_eq!(notes[0].path, "payer");
/// assert_eq!(notes[0].became, "commercial: Blue Cross Blue Shield of Massachusetts");
/// assert_eq!(notes[1].family, TermFamily::Language);
/// assert_eq!(notes[1].how, MatchKind::Fuzzy);
/// assert_eq!(
///     notes[1].to_string(),
///     r#"language: read "Portugese" as "pt" (Portuguese (pt)); close spelling, confidence 0.90"#
/// );
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ResolutionNote {
    /// The field path, such as `programs[3].approaches[1]`.
    pub path: String,
    /// The family of the term.
    pub family: TermFamily,
    /// The text as written.
    pub written: String,
    /// What it became, as the strict reader writes it (`dbt`, `pt`,
    /// `commercial: Tufts Health Plan`).
    pub became: String,
    /// The plain-English name of what it became.
    pub label: String,
    /// 1 for a synonym; the similarity for a close spelling.
    pub confidence: f64,
    /// Synonym or close spelling.
    pub how: MatchKind,
}

impl fmt::Display for ResolutionNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: read {:?} as {:?}",
            self.path, self.written, self.became
        )?;
        if self.label != self.became {
            write!(f, " ({})", self.label)?;
        }
        write!(f, "; {}, confidence {:.2}", self.how, self.confidence)
    }
}

/// Walks a JSON value, resolving the term fields in place.
#[derive(Default)]
struct Walker {
    notes: Vec<ResolutionNote>,
    report: ValidationReport,
    changed: bool,
}

impl Walker {
    /// Resolves the string at `v` (anything else is left to the strict reader).
    fn term<T: Resolvable>(&mut self, v: &mut Value, path: &str) {
        let Value::String(text) = v else { return };
        match T::resolve(text) {
            Ok(r) => {
                let became = r.value.json_key();
                if r.how != MatchKind::Exact {
                    let term = T::vocabulary().term(&r.value);
                    self.notes.push(ResolutionNote {
                        path: path.to_owned(),
                        family: T::FAMILY,
                        written: text.clone(),
                        became: became.clone(),
                        label: term.label,
                        confidence: r.confidence,
                        how: r.how,
                    });
                }
                if *text != became {
                    *text = became;
                    self.changed = true;
                }
            }
            Err(e) => self.report.error(path, e.to_string()),
        }
    }

    /// Resolves `obj[key]`: one term, or each term of an array.
    fn field<T: Resolvable>(&mut self, obj: &mut Map<String, Value>, key: &str, path: &str) {
        let path = join_path(path, key);
        match obj.get_mut(key) {
            Some(Value::Array(items)) => {
                // Refused before any term is resolved, as validation would refuse it.
                if let Some(message) = too_many(items.len(), list_limit(key)) {
                    self.report.error(path, message);
                    return;
                }
                for (i, item) in items.iter_mut().enumerate() {
                    self.term::<T>(item, &format!("{path}[{i}]"));
                }
            }
            Some(v) => self.term::<T>(v, &path),
            None => {}
        }
    }

    /// Resolves the keys of the map `obj[key]` (staff counts); two keys that
    /// become the same term are an error, not a sum.
    fn keys<T: Resolvable>(&mut self, obj: &mut Map<String, Value>, key: &str, path: &str) {
        let Some(Value::Object(map)) = obj.get_mut(key) else {
            return;
        };
        let path = join_path(path, key);
        let mut first_written: BTreeMap<String, String> = BTreeMap::new();
        for (written, count) in std::mem::take(map) {
            let mut k = Value::String(written.clone());
            let key_path = join_path(&path, &written);
            self.term::<T>(&mut k, &key_path);
            let Value::String(k) = k else { continue };
            if let Some(first) = first_written.get(&k) {
                self.report.error(
                    key_path,
                    format!("{written:?} is {k:?}, which {first:?} already gives"),
                );
                continue;
            }
            first_written.insert(k.clone(), written);
            map.insert(k, count);
        }
    }

    fn program(&mut self, p: &mut Map<String, Value>, path: &str) {
        self.field::<LevelOfCare>(p, "levels", path);
        if let Some(Value::Array(tracks)) = p.get_mut("tracks")
            && let Some(message) = too_many(tracks.len(), MAX_TRACKS_PER_PROGRAM)
        {
            self.report.error(join_path(path, "tracks"), message);
        } else if let Some(Value::Array(tracks)) = p.get_mut("tracks") {
            for (j, t) in tracks.iter_mut().enumerate() {
                if let Value::Object(t) = t {
                    self.field::<LevelOfCare>(t, "level", &format!("{path}.tracks[{j}]"));
                }
            }
        }
        self.field::<Modality>(p, "modalities", path);
        self.field::<Approach>(p, "approaches", path);
        self.field::<Condition>(p, "specialties", path);
        self.field::<Condition>(p, "excluded_conditions", path);
        if let Some(Value::Object(staff)) = p.get_mut("staff") {
            let staff_path = join_path(path, "staff");
            self.keys::<Licence>(staff, "licences", &staff_path);
            self.keys::<Certification>(staff, "certifications", &staff_path);
        }
        self.field::<FacilityCredential>(p, "facility_credentials", path);
        self.field::<Aftercare>(p, "aftercare", path);
        self.field::<FamilyInvolvement>(p, "family_involvement", path);
        self.field::<Payer>(p, "payers", path);
        self.field::<Population>(p, "populations", path);
        self.field::<Population>(p, "restricted_to", path);
        self.field::<Language>(p, "languages", path);
        self.field::<Delivery>(p, "delivery", path);
    }

    fn patient(&mut self, p: &mut Map<String, Value>) {
        if let Some(Value::Array(diagnoses)) = p.get_mut("diagnoses") {
            for (i, d) in diagnoses.iter_mut().enumerate() {
                self.diagnosis(d, &format!("diagnoses[{i}]"));
            }
        }
        self.field::<LevelOfCare>(p, "level", "");
        self.field::<Payer>(p, "payer", "");
        self.field::<Language>(p, "language", "");
        self.field::<DeliveryPreference>(p, "delivery", "");
        self.field::<Population>(p, "populations", "");
    }

    /// A diagnosis object, or a bare string: an ICD-10-CM code or a condition.
    fn diagnosis(&mut self, d: &mut Value, path: &str) {
        if let Value::String(text) = d {
            let mut object = Map::new();
            match text.parse::<IcdCode>() {
                Ok(code) => {
                    object.insert("code".into(), Value::String(code.to_string()));
                }
                Err(_) => {
                    let mut condition = Value::String(std::mem::take(text));
                    self.term::<Condition>(&mut condition, path);
                    object.insert("condition".into(), condition);
                }
            }
            *d = Value::Object(object);
            self.changed = true;
            return;
        }
        let Value::Object(m) = d else { return };
        // A code written as the condition keeps its code.
        if !m.contains_key("code")
            && let Some(code) = m
                .get("condition")
                .and_then(Value::as_str)
                .and_then(|t| t.parse::<IcdCode>().ok())
        {
            m.insert("code".into(), Value::String(code.to_string()));
            self.changed = true;
        }
        self.field::<Condition>(m, "condition", path);
    }

    /// The value with every term resolved, or every unresolvable term.
    fn finish<T: serde::de::DeserializeOwned>(
        self,
        text: &str,
        value: Value,
    ) -> Result<(T, Vec<ResolutionNote>), Error> {
        if self.report.has_errors() {
            return Err(Error::Invalid(self.report));
        }
        let read = if self.changed {
            from_value(value)?
        } else {
            // Nothing was rewritten: the strict reader, with line and column.
            from_json(text)?
        };
        Ok((read, self.notes))
    }
}

/// Reads `T` from a JSON value; a failure names the field path.
fn from_value<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        Error::Json {
            path: if path == "." { String::new() } else { path },
            message: e.inner().to_string(),
        }
    })
}

/// Parses JSON text, with the strict reader's error for text that is not JSON.
fn parse(text: &str) -> Result<Value, Error> {
    from_json(text)
}

/// Reads a directory document like [`programs_from_json`](crate::programs_from_json),
/// accepting free text where a term is expected: "DBT", "Mass Health",
/// "licsw", "Portugese", "F43.1". Every term resolved by synonym or close
/// spelling comes back as a [`ResolutionNote`]; exact terms (keys, names,
/// official abbreviations, in any case) give none. The strict reader stays
/// the default; see [`Vocabulary`](crate::vocabulary::Vocabulary) for the rules.
///
/// Term fields: `levels`, `tracks[].level`, `modalities`, `approaches`,
/// `specialties` and `excluded_conditions` (ICD-10-CM codes too),
/// `staff.licences` and `staff.certifications` keys,
/// `facility_credentials`, `aftercare`, `family_involvement`, `payers`,
/// `populations`, `restricted_to`, `languages`, `delivery`.
///
/// # Errors
///
/// [`Error::Invalid`] listing every term that could not be resolved, each
/// with its field path and the closest terms; otherwise the strict reader's
/// errors ([`Error::Json`] with a field path).
///
/// # Example
///
/// ```
/// let json = r#"{"programs": [{
///     "id": "p1", "name": "Evening IOP", "organization": "Example Health",
///     "levels": ["IOP"], "modalities": ["group therapy", "individual counseling"],
///     "approaches": ["DBT", "prolonged exposure therapy"],
///     "staff": {"licences": {"LCSW": 2}},
///     "family_involvement": "on request", "payers": ["Mass Health", "BCBS"],
///     "ages": {"min": 18, "max": 64}, "languages": ["English", "Spanish"],
///     "delivery": ["in person"],
///     "location": {"address": "1 Main St", "city": "Worcester", "postal_code": "01608",
///                  "latitude": 42.26, "longitude": -71.80},
///     "accepting_new_patients": true, "last_verified": "2026-09-01"}]}"#;
/// let (programs, notes) = carematch::vocabulary::programs_from_json_lenient(json)?;
/// assert_eq!(programs[0].approaches, [carematch::Approach::Dbt, carematch::Approach::Pe]);
/// let paths: Vec<&str> = notes.iter().map(|n| n.path.as_str()).collect();
/// assert_eq!(paths, [
///     "programs[0].modalities[1]",
///     "programs[0].approaches[1]",
///     "programs[0].staff.licences.LCSW",
///     "programs[0].payers[1]",
/// ]);
///
/// let bad = json.replace("\"DBT\"", "\"dialectic behaviour thrapy\"");
/// let err = carematch::vocabulary::programs_from_json_lenient(&bad).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "1 error, 0 warnings\n  error: programs[0].approaches[0]: unknown therapy approach \
///      \"dialectic behaviour thrapy\"; did you mean \"dialectical behavior therapy (DBT)\"?"
/// );
/// # Ok::<(), carematch::Error>(())
/// ```
pub fn programs_from_json_lenient(
    text: &str,
) -> Result<(Vec<Program>, Vec<ResolutionNote>), Error> {
    let mut value = parse(text)?;
    let mut walker = Walker::default();
    if let Some(Value::Array(programs)) = value.get_mut("programs") {
        for (i, p) in programs.iter_mut().enumerate() {
            if let Value::Object(p) = p {
                walker.program(p, &format!("programs[{i}]"));
            }
        }
    }
    let (doc, notes) = walker.finish::<crate::load::DirectoryDoc>(text, value)?;
    Ok((doc.programs, notes))
}

/// Reads and validates a directory document like
/// [`load_directory`](crate::load_directory), reading terms leniently as
/// [`programs_from_json_lenient`] does: the programs, the validation
/// warnings, and the notes.
///
/// # Errors
///
/// As [`programs_from_json_lenient`], and [`Error::Invalid`] when validation
/// finds an error.
///
/// # Example
///
/// ```
/// use carematch::sample;
/// let (programs, warnings, notes) =
///     carematch::vocabulary::load_directory_lenient(sample::MASSACHUSETTS_JSON, sample::AS_OF)?;
/// assert!(!programs.is_empty());
/// assert!(!warnings.has_errors());
/// assert!(notes.is_empty(), "the sample is written with canonical keys");
/// # Ok::<(), carematch::Error>(())
/// ```
pub fn load_directory_lenient(
    text: &str,
    as_of: Date,
) -> Result<(Vec<Program>, ValidationReport, Vec<ResolutionNote>), Error> {
    let (programs, notes) = programs_from_json_lenient(text)?;
    let report = validate_programs(&programs, as_of).into_result()?;
    Ok((programs, report, notes))
}

/// Reads one patient's needs like [`patient_from_json`](crate::patient_from_json),
/// accepting free text where a term is expected, with a [`ResolutionNote`]
/// for every term resolved by synonym or close spelling.
///
/// Term fields: `diagnoses[].condition` (an ICD-10-CM code written there is
/// kept as the code), a diagnosis written as a bare string (a code or a
/// condition), `level`, `payer`, `language`, `delivery`, `populations`.
///
/// # Errors
///
/// [`Error::Invalid`] listing every term that could not be resolved, each
/// with its field path and the closest terms; otherwise the strict reader's
/// errors.
///
/// # Example
///
/// ```
/// use carematch::{Condition, LevelOfCare, Payer};
///
/// let json = r#"{"age": 34, "diagnoses": [{"condition": "F43.10", "primary": true}, "depression"],
///                "level": "IOP", "payer": "Mass Health", "delivery": "virtual"}"#;
/// let (needs, notes) = carematch::vocabulary::patient_from_json_lenient(json)?;
/// assert_eq!(needs.primary_condition(), Some(Condition::Ptsd));
/// assert_eq!(needs.diagnoses[0].code.map(|c| c.to_string()).as_deref(), Some("F43.10"));
/// assert_eq!(needs.diagnoses[1].condition, Condition::Depressive);
/// assert_eq!((needs.level, needs.payer), (Some(LevelOfCare::IntensiveOutpatient), Payer::MassHealth));
/// let paths: Vec<&str> = notes.iter().map(|n| n.path.as_str()).collect();
/// assert_eq!(paths, ["diagnoses[0].condition", "diagnoses[1]", "delivery"]);
///
/// let err = carematch::vocabulary::patient_from_json_lenient(r#"{"age": 34, "diagnoses": [], "payer": "Medicade"}"#)
///     .unwrap_err();
/// assert!(err.to_string().contains(r#"payer: ambiguous payer "Medicade"; did you mean "Medicare" or "MassHealth"?"#), "{err}");
/// # Ok::<(), carematch::Error>(())
/// ```
pub fn patient_from_json_lenient(text: &str) -> Result<(PatientNeeds, Vec<ResolutionNote>), Error> {
    let mut value = parse(text)?;
    let mut walker = Walker::default();
    if let Value::Object(p) = &mut value {
        walker.patient(p);
    }
    walker.finish(text, value)
}
