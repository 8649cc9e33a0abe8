//! Lenient reading of directory and patient JSON: free-text terms where
//! typed values are expected, every reinterpretation reported as a note.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use crate::credential::{Certification, FacilityCredential, License};
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
            self.keys::<License>(staff, "licenses", &staff_path);
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
            return Err(Error::invalid(self.report));
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
        Error::json(
            if path == "." { String::new() } else { path },
            e.inner().to_string(),
        )
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
/// `staff.licenses` and `staff.certifications` keys,
/// `facility_credentials`, `aftercare`, `family_involvement`, `payers`,
/// `populations`, `restricted_to`, `languages`, `delivery`.
///
/// # Errors
///
/// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) listing every term that could not be resolved, each
/// with its field path and the closest terms; otherwise the strict reader's
/// errors ([`ErrorKind::Json`](crate::ErrorKind::Json) with a field path).
///
/// # Example
///
/// ```
/// let json = r#"{"programs": [{
///     "id": "p1", "name": "Evening IOP", "organization": "Example Health",
///     "levels": ["IOP"], "modalities": ["group therapy", "individual counseling"],
///     "approaches": ["DBT", "prolonged exposure therapy"],
///     "staff": {"licenses": {"LCSW": 2}},
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
///     "programs[0].staff.licenses.LCSW",
///     "programs[0].payers[1]",
/// ]);
///
/// let bad = json.replace("\"DBT\"", "\"dialectic behaviour thrapy\"");
/// let err = carematch::vocabulary::programs_from_json_lenient(&bad).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "invalid input: programs[0].approaches[0]: unknown therapy approach \
///      \"dialectic behaviour thrapy\"; did you mean \"dialectical behavior therapy (DBT)\"?"
/// );
/// # Ok::<(), carematch::Error>(())
/// ```
pub fn programs_from_json_lenient(
    text: &str,
) -> Result<(Vec<Program>, Vec<ResolutionNote>), Error> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let read = serde_path_to_error::deserialize::<_, LenientDirectory>(&mut *de)
        .map_err(|e| (e.path().to_string(), e.into_inner()))
        .and_then(|doc| de.end().map(|()| doc).map_err(|e| (".".to_owned(), e)));
    let doc = match read {
        Ok(doc) => doc,
        // Text that is not JSON: the error of reading it as one JSON tree,
        // as the reader gave when it parsed the whole document first.
        Err((path, e)) if e.is_syntax() || e.is_eof() || e.is_io() => {
            return Err(syntax_error(text).unwrap_or(Error::json(
                if path == "." { String::new() } else { path },
                e.to_string(),
            )));
        }
        // JSON of the wrong shape (not an object, programs not a list): no
        // term was read, so the strict reader's error is the answer.
        Err((path, e)) => {
            return Err(strict_error(text).unwrap_or(Error::json(
                if path == "." { String::new() } else { path },
                e.to_string(),
            )));
        }
    };
    let LenientDirectory {
        walker,
        programs,
        shape_error,
    } = doc;
    if walker.report.has_errors() {
        return Err(Error::invalid(walker.report));
    }
    if let Some(e) = shape_error {
        // Nothing was rewritten: the strict reader's error, with line and column.
        return Err(if walker.changed {
            e
        } else {
            strict_error(text).unwrap_or(e)
        });
    }
    Ok((programs, walker.notes))
}

/// The error of reading `text` as one JSON tree (the error a reader that
/// parses the whole document first gives: skipping a program's text finds
/// the same faults with other words), found holding one program at a time.
fn syntax_error(text: &str) -> Option<Error> {
    from_json::<Skim>(text).err()
}

/// Reads JSON as [`Value`] would and keeps nothing: the document and its
/// fields entry by entry, each program (depth 2) as a whole [`Value`].
struct Skim(u8);

impl<'de> serde::Deserialize<'de> for Skim {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::DeserializeSeed::deserialize(Skim(0), d)
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Skim {
    type Value = Skim;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Skim, D::Error> {
        if self.0 >= 2 {
            <Value as serde::Deserialize>::deserialize(d)?;
            Ok(self)
        } else {
            d.deserialize_any(self)
        }
    }
}

impl<'de> serde::de::Visitor<'de> for Skim {
    type Value = Skim;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Skim, E> {
        Ok(self)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Skim, E> {
        Ok(self)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Skim, E> {
        Ok(self)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Skim, E> {
        Ok(self)
    }
    fn visit_str<E>(self, _: &str) -> Result<Skim, E> {
        Ok(self)
    }
    fn visit_unit<E>(self) -> Result<Skim, E> {
        Ok(self)
    }
    fn visit_none<E>(self) -> Result<Skim, E> {
        Ok(self)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Skim, D::Error> {
        serde::de::DeserializeSeed::deserialize(self, d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Skim, A::Error> {
        while seq.next_element_seed(Skim(self.0 + 1))?.is_some() {}
        Ok(self)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Skim, A::Error> {
        while map.next_key::<String>()?.is_some() {
            map.next_value_seed(Skim(self.0 + 1))?;
        }
        Ok(self)
    }
}

/// The strict reader's error for `text`, if it gives one.
fn strict_error(text: &str) -> Option<Error> {
    from_json::<crate::load::DirectoryDoc>(text).err()
}

/// A directory document read one program at a time: each program is parsed
/// to a [`Value`] on its own, its terms resolved, and turned into a
/// [`Program`] before the next is read, so no more than one program is held
/// as a tree (the strict reader's memory, not five times the text).
///
/// Errors of shape are kept, not returned, so that every unresolvable term
/// in the document is still reported first (as when the whole document was
/// walked before it was read).
struct LenientDirectory {
    walker: Walker,
    programs: Vec<Program>,
    /// The first shape error, with its field path.
    shape_error: Option<Error>,
}

impl LenientDirectory {
    fn shape(&mut self, path: String, message: String) {
        if self.shape_error.is_none() {
            self.shape_error = Some(Error::json(path, message));
        }
        self.programs = Vec::new();
    }

    /// One program: resolve its terms, then read it (the strict reader on
    /// its own text when no term changed, so a duplicate field is refused
    /// as the strict reader refuses it).
    fn program(&mut self, i: usize, raw: &serde_json::value::RawValue) {
        let path = format!("programs[{i}]");
        let mut value: Value = match serde_json::from_str(raw.get()) {
            Ok(v) => v,
            Err(e) => return self.shape(path, e.to_string()),
        };
        let changed_before = self.walker.changed;
        self.walker.changed = false;
        if let Value::Object(p) = &mut value {
            self.walker.program(p, &path);
        }
        let changed = self.walker.changed;
        self.walker.changed |= changed_before;
        if self.walker.report.has_errors() || self.shape_error.is_some() {
            // The result is an error already: keep resolving, stop reading.
            return;
        }
        let read = if changed {
            from_value::<Program>(value)
        } else {
            let de = &mut serde_json::Deserializer::from_str(raw.get());
            serde_path_to_error::deserialize::<_, Program>(de).map_err(|e| {
                // The path and message of the tree reader (no line and column,
                // which would count from the program, not the document),
                // unless only the text reader sees the problem.
                from_value::<Program>(value)
                    .err()
                    .unwrap_or(Error::json(e.path().to_string(), e.inner().to_string()))
            })
        };
        match read {
            Ok(p) => self.programs.push(p),
            Err(e) => match e.repr() {
                crate::error::Repr::Json(p) => {
                    let inner = if p.path == "." { "" } else { &p.path };
                    self.shape(join_path(&path, inner), p.message.clone());
                }
                _ => self.shape(path, e.to_string()),
            },
        }
    }
}

impl<'de> serde::Deserialize<'de> for LenientDirectory {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(DocVisitor)
    }
}

struct DocVisitor;

impl<'de> serde::de::Visitor<'de> for DocVisitor {
    type Value = LenientDirectory;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("struct DirectoryDoc")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error as _;
        let mut doc = LenientDirectory {
            walker: Walker::default(),
            programs: Vec::new(),
            shape_error: None,
        };
        let mut seen_programs = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "programs" if seen_programs => {
                    return Err(A::Error::duplicate_field("programs"));
                }
                "programs" => {
                    seen_programs = true;
                    map.next_value_seed(ProgramsSeed(&mut doc))?;
                }
                "notice" => {
                    let notice = map.next_value::<Value>()?;
                    if !notice.is_null()
                        && let Err(e) = serde_json::from_value::<String>(notice)
                    {
                        doc.shape("notice".into(), e.to_string());
                    }
                }
                other => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    let e = A::Error::unknown_field(other, &["notice", "programs"]);
                    doc.shape(String::new(), e.to_string());
                }
            }
        }
        if !seen_programs {
            doc.shape(String::new(), "missing field `programs`".into());
        }
        Ok(doc)
    }
}

/// The `programs` list, read and resolved one program at a time.
struct ProgramsSeed<'a>(&'a mut LenientDirectory);

impl<'de> serde::de::DeserializeSeed<'de> for ProgramsSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for ProgramsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        while let Some(raw) = seq.next_element::<Box<serde_json::value::RawValue>>()? {
            self.0.program(i, &raw);
            i += 1;
        }
        Ok(())
    }
}

/// Reads and validates a directory document like
/// [`load_directory`](crate::load_directory), reading terms leniently as
/// [`programs_from_json_lenient`] does: the programs, the validation
/// warnings, and the notes.
///
/// # Errors
///
/// As [`programs_from_json_lenient`], and [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) when validation
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
/// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) listing every term that could not be resolved, each
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::programs_from_json;

    /// A program written with canonical keys, as the strict reader takes it.
    fn canonical(id: &str) -> String {
        format!(
            r#"{{"id": "{id}", "name": "N", "organization": "O", "levels": ["intensive_outpatient"],
                "modalities": [], "family_involvement": "none", "payers": ["masshealth"],
                "ages": {{"min": 0, "max": 120}}, "languages": ["en"], "delivery": ["in_person"],
                "location": {{"address": "a", "city": "c", "postal_code": "0",
                             "latitude": 42.0, "longitude": -71.0}},
                "accepting_new_patients": true, "last_verified": "2026-09-01"}}"#
        )
    }

    fn doc(programs: &[String]) -> String {
        format!(
            r#"{{"notice": "test", "programs": [{}]}}"#,
            programs.join(",")
        )
    }

    #[test]
    fn programs_are_read_one_at_a_time_with_notes_in_document_order() {
        let free = canonical("b").replace(r#"["en"]"#, r#"["English", "Portugese"]"#);
        let text = doc(&[canonical("a"), free, canonical("c")]);
        let (programs, notes) = programs_from_json_lenient(&text).expect("reads");
        let ids: Vec<String> = programs.iter().map(|p| p.id.to_string()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        let paths: Vec<&str> = notes.iter().map(|n| n.path.as_str()).collect();
        assert_eq!(paths, ["programs[1].languages[1]"]);
        let b = canonical("b").replace(r#"["en"]"#, r#"["en", "pt"]"#);
        let strict = programs_from_json(&doc(&[canonical("a"), b, canonical("c")]));
        assert_eq!(strict.as_ref(), Ok(&programs));
    }

    #[test]
    fn every_unresolvable_term_comes_before_a_shape_error_in_an_earlier_program() {
        let shape = canonical("a").replace(r#""min": 0"#, r#""min": "zero""#);
        let term = canonical("b").replace(r#""masshealth""#, r#""Medicade""#);
        let err = programs_from_json_lenient(&doc(&[shape, term])).unwrap_err();
        assert_eq!(
            err.kind(),
            crate::ErrorKind::Invalid,
            "expected the term error first: {err}"
        );
        let lines: Vec<String> = err.problems().iter().map(|p| p.to_string()).collect();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(
            lines[0].starts_with("error: programs[1].payers[0]: ambiguous payer"),
            "{lines:?}"
        );
    }

    #[test]
    fn shape_errors_are_the_strict_readers_when_nothing_changed() {
        let cases = [
            doc(&[
                canonical("a"),
                canonical("b").replace(r#""min": 0"#, r#""min": -1"#),
            ]),
            // A field twice in one program: the strict reader refuses it.
            doc(&[canonical("a").replace(r#""name": "N","#, r#""name": "N", "name": "M","#)]),
            doc(&[canonical("a")]).replace(r#""notice": "test""#, r#""notice": 3"#),
            doc(&[canonical("a")]).replace(r#""notice""#, r#""extra""#),
            r#"{"programs": {}}"#.to_owned(),
            r#"{"notice": "x"}"#.to_owned(),
            r#"{"programs": [], "programs": []}"#.to_owned(),
            "[]".to_owned(),
            r#"{"programs": []} {}"#.to_owned(),
            r#"{"programs": [{"id": "a",}]}"#.to_owned(),
        ];
        for text in cases {
            let strict = programs_from_json(&text).unwrap_err();
            assert_eq!(
                programs_from_json_lenient(&text).unwrap_err(),
                strict,
                "{text}"
            );
        }
    }

    #[test]
    fn shape_errors_carry_the_document_path_when_a_term_changed() {
        let free = canonical("a").replace(r#"["en"]"#, r#"["Portugese"]"#);
        let bad = canonical("b").replace(r#""min": 0"#, r#""min": "zero""#);
        let err = programs_from_json_lenient(&doc(&[free.clone(), bad])).unwrap_err();
        assert!(err.path() == Some("programs[1].ages.min"), "{err}");
        // A field twice in an unchanged program is still refused.
        let twice = canonical("b").replace(r#""name": "N","#, r#""name": "N", "name": "M","#);
        let err = programs_from_json_lenient(&doc(&[free, twice])).unwrap_err();
        assert!(
            err.path() == Some("programs[1]") && err.to_string().contains("duplicate field `name`"),
            "{err:?}"
        );
    }
}
