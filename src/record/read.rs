//! Reading a FHIR R4 Bundle, resource by resource, one function per
//! resource type. Nothing from the record is ever written into a message:
//! only paths built from positions and known element names, and carematch's
//! own words and values.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::date::Date;
use crate::diagnosis::{Diagnosis, IcdCode, Pregnancy};
use crate::error::{Error, ValidationReport};
use crate::program::Payer;
use crate::record::tables::{
    ICD10CM, PAYER_TYPOLOGY, PAYER_TYPOLOGY_OID, RXNORM, SNOMED, moud_from_words, payer_typology,
    pregnancy_value, sex_of,
};
use crate::record::{PatientRecord, Reads, RecordImport, RecordOptions, RecordReport, ReportItem};
use crate::screening::{CssrsItem, Instrument, Score, suggested_assessment};
use crate::therapy::MoudMedication;

/// Reads a FHIR R4 record from JSON text: a Bundle, a JSON array of
/// resources, or one Patient resource. See the [module docs](crate::record)
/// for what each resource gives.
///
/// # Errors
///
/// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid), with the path: input
/// over the size limit, not JSON, not a Bundle or list of resources, more
/// resources than the limit, no Patient or more than one, a deceased
/// patient, a birth date missing, partial or after the as-of date, a score
/// given beside the record out of its range. Never a value from the record.
///
/// # Example
///
/// ```
/// use carematch::record::{RecordOptions, read_bundle};
/// let o = RecordOptions::new(carematch::Date::new(2026, 1, 1)?);
/// let e = read_bundle(r#"[{"resourceType": "Patient", "birthDate": "1950-01-01", "deceasedBoolean": true}]"#, &o).unwrap_err();
/// assert_eq!(e.problems()[0].path, "[0].deceased");
/// assert!(read_bundle("not json", &o).is_err());
/// # Ok::<(), carematch::Error>(())
/// ```
pub fn read_bundle(text: &str, options: &RecordOptions) -> Result<RecordImport, Error> {
    if text.len() > options.max_bytes() {
        return Err(invalid(
            "(document)",
            format!(
                "{} bytes: over the input size limit of {} bytes",
                text.len(),
                options.max_bytes()
            ),
        ));
    }
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Eof => "ends too early",
            serde_json::error::Category::Syntax => "has a syntax error",
            serde_json::error::Category::Data => "has data of the wrong kind",
            serde_json::error::Category::Io => "could not be read",
        };
        invalid(
            "(document)",
            format!(
                "is not JSON: it {what} at line {} column {}",
                e.line(),
                e.column()
            ),
        )
    })?;
    read_bundle_value(&doc, options)
}

/// Reads a FHIR R4 record already parsed as JSON (as a service receives
/// it); see [`read_bundle`].
///
/// # Errors
///
/// As [`read_bundle`], less the size and JSON checks.
///
/// # Example
///
/// ```
/// use carematch::record::{RecordOptions, read_bundle_value};
/// let doc = serde_json::json!({"resourceType": "Bundle", "entry": [
///     {"resource": {"resourceType": "Patient", "birthDate": "2010-06-15"}}]});
/// let out = read_bundle_value(&doc, &RecordOptions::new(carematch::Date::new(2026, 6, 14)?))?;
/// assert_eq!(out.record.age, 15);
/// # Ok::<(), carematch::Error>(())
/// ```
pub fn read_bundle_value(doc: &Value, options: &RecordOptions) -> Result<RecordImport, Error> {
    let resources = resources_of(doc)?;
    if resources.len() > options.max_resources() {
        return Err(invalid(
            "(document)",
            format!(
                "{} resources: over the limit of {}",
                resources.len(),
                options.max_resources()
            ),
        ));
    }
    let mut reader = Reader::new(options, &resources);
    for (i, (path, _, resource)) in resources.iter().enumerate() {
        reader.resource(i, path, resource);
    }
    reader.finish()
}

/// An error at `path`.
fn invalid(path: &str, message: impl Into<String>) -> Error {
    let mut r = ValidationReport::default();
    r.error(path, message);
    Error::invalid(r)
}

/// A resource with its path and its entry's full URL.
type Located<'v> = (String, Option<&'v str>, &'v Value);

/// The resources of the document, with their paths and full URLs.
fn resources_of(doc: &Value) -> Result<Vec<Located<'_>>, Error> {
    let not_fhir = || {
        invalid(
            "(document)",
            "is not a FHIR Bundle, a resource or a JSON array of resources",
        )
    };
    match doc {
        Value::Array(items) => Ok(items
            .iter()
            .enumerate()
            .map(|(i, r)| (format!("[{i}]"), None, r))
            .collect()),
        Value::Object(o) => match o.get("resourceType").and_then(Value::as_str) {
            Some("Bundle") => {
                let entries = match o.get("entry") {
                    None => return Ok(Vec::new()),
                    Some(Value::Array(e)) => e,
                    Some(_) => return Err(invalid("entry", "is not an array")),
                };
                Ok(entries
                    .iter()
                    .enumerate()
                    .map(|(i, e)| {
                        let full_url = e.get("fullUrl").and_then(Value::as_str);
                        match e.get("resource") {
                            Some(r) => (format!("entry[{i}].resource"), full_url, r),
                            None => (format!("entry[{i}]"), full_url, &Value::Null),
                        }
                    })
                    .collect())
            }
            Some(_) => Ok(vec![("(document)".to_owned(), None, doc)]),
            None => Err(not_fhir()),
        },
        _ => Err(not_fhir()),
    }
}

/// A score part read from an observation or a questionnaire item, with its
/// date and position, so the latest of each wins.
#[derive(Debug, Clone, Copy)]
struct Reading {
    date: Option<Date>,
    order: usize,
    value: ReadValue,
}

#[derive(Debug, Clone, Copy)]
enum ReadValue {
    Number(u16),
    Yes(bool),
    Pregnancy(Option<Pregnancy>),
}

/// The resource types carematch reads or looks up.
const KNOWN: [&str; 9] = [
    "Patient",
    "Condition",
    "Coverage",
    "Observation",
    "QuestionnaireResponse",
    "MedicationStatement",
    "MedicationRequest",
    "Medication",
    "Organization",
];

struct Reader<'a> {
    options: &'a RecordOptions,
    /// Medications and Organizations by `Type/id` and full URL.
    lookup: BTreeMap<String, &'a Value>,
    report: RecordReport,
    errors: ValidationReport,
    patient: Option<(u8, Option<crate::screening::Sex>)>,
    patient_seen: bool,
    /// Mental and behavioural diagnoses first, then the others kept.
    diagnoses: Vec<Diagnosis>,
    others: Vec<Diagnosis>,
    payer: Option<Payer>,
    moud: Option<MoudMedication>,
    readings: BTreeMap<ReadsKey, Vec<Reading>>,
}

/// `Reads`, ordered, as a map key.
type ReadsKey = (u8, u8);

fn key_of(r: Reads) -> ReadsKey {
    match r {
        Reads::Total(i) => (0, i as u8),
        Reads::Phq9Item9 => (1, 0),
        Reads::CssrsYes(q) => (2, q as u8),
        Reads::Pregnancy => (3, 0),
    }
}

fn str_at<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

fn array_at<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The codes of a CodeableConcept's codings, with their systems and positions.
fn codings(concept: &Value) -> impl Iterator<Item = (usize, &str, &str)> {
    array_at(concept, "coding")
        .iter()
        .enumerate()
        .filter_map(|(j, c)| Some((j, str_at(c, "system").unwrap_or(""), str_at(c, "code")?)))
}

/// Whether a status CodeableConcept holds one of `codes`.
fn status_in(concept: Option<&Value>, codes: &[&str]) -> Option<bool> {
    let c = concept?;
    let mut any = false;
    for (_, _, code) in codings(c) {
        any = true;
        if codes.contains(&code) {
            return Some(true);
        }
    }
    any.then_some(false)
}

/// A date from the first ten characters of a FHIR date or dateTime.
fn date_of(s: Option<&str>) -> Option<Date> {
    s.and_then(|s| s.get(..10)).and_then(|d| d.parse().ok())
}

/// Whole years from `birth` to `on`.
fn years_between(birth: Date, on: Date) -> i32 {
    let mut years = i32::from(on.year()) - i32::from(birth.year());
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years
}

/// A whole number from a FHIR value: integer, decimal or quantity value, or
/// a string holding a whole number.
fn number_of(v: &Value) -> Option<Result<u16, ()>> {
    let n = |x: &Value| -> Result<u16, ()> {
        if let Some(u) = x.as_u64() {
            return u16::try_from(u).map_err(|_| ());
        }
        match x.as_f64() {
            Some(f) if f >= 0.0 && f.fract() == 0.0 && f <= f64::from(u16::MAX) => Ok(f as u16),
            _ => Err(()),
        }
    };
    for key in ["valueInteger", "valueDecimal"] {
        if let Some(x) = v.get(key) {
            return Some(n(x));
        }
    }
    if let Some(q) = v.get("valueQuantity") {
        return Some(q.get("value").map_or(Err(()), n));
    }
    if let Some(s) = v.get("valueString") {
        return Some(
            s.as_str()
                .and_then(|s| s.trim().parse::<u16>().ok())
                .ok_or(()),
        );
    }
    None
}

/// A yes or no from a FHIR value: boolean, 1 or 0, `Y`/`N`, `yes`/`no`, a
/// coding with such a code (or LOINC's LA33-6 yes and LA32-8 no).
fn yes_of(v: &Value) -> Option<bool> {
    let word = |s: &str| match s.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" | "true" | "1" | "la33-6" => Some(true),
        "n" | "no" | "false" | "0" | "la32-8" => Some(false),
        _ => None,
    };
    if let Some(b) = v.get("valueBoolean").and_then(Value::as_bool) {
        return Some(b);
    }
    if let Some(i) = v.get("valueInteger").and_then(Value::as_u64) {
        return match i {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        };
    }
    if let Some(s) = v.get("valueString").and_then(Value::as_str) {
        return word(s);
    }
    for c in value_codings(v) {
        if let Some(b) = str_at(c, "code").and_then(word) {
            return Some(b);
        }
    }
    None
}

/// Pregnancy status from a FHIR coded value.
fn pregnancy_of(v: &Value) -> Option<Option<Pregnancy>> {
    for c in value_codings(v) {
        if let (Some(system), Some(code)) = (str_at(c, "system"), str_at(c, "code"))
            && let Some(p) = pregnancy_value(system, code)
        {
            return Some(p);
        }
    }
    None
}

/// A report line.
fn item(path: &str, message: impl Into<String>) -> ReportItem {
    ReportItem {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// The codings of a coded value: `valueCoding`, then `valueCodeableConcept`'s.
fn value_codings(v: &Value) -> impl Iterator<Item = &Value> {
    v.get("valueCoding").into_iter().chain(array_at(
        v.get("valueCodeableConcept").unwrap_or(&Value::Null),
        "coding",
    ))
}

/// Compares payer names without regard to case or repeated spaces.
fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    norm(a) == norm(b)
}

impl<'a> Reader<'a> {
    fn new(options: &'a RecordOptions, resources: &[Located<'a>]) -> Self {
        let mut lookup = BTreeMap::new();
        for (_, full_url, r) in resources {
            let Some(kind @ ("Medication" | "Organization")) = str_at(r, "resourceType") else {
                continue;
            };
            if let Some(id) = str_at(r, "id") {
                lookup.insert(format!("{kind}/{id}"), *r);
            }
            if let Some(url) = full_url {
                lookup.insert((*url).to_owned(), *r);
            }
        }
        Reader {
            options,
            lookup,
            report: RecordReport::default(),
            errors: ValidationReport::default(),
            patient: None,
            patient_seen: false,
            diagnoses: Vec::new(),
            others: Vec::new(),
            payer: None,
            moud: None,
            readings: BTreeMap::new(),
        }
    }

    fn read(&mut self, path: &str, message: impl Into<String>) {
        self.report.read.push(item(path, message));
    }

    fn ignored(&mut self, path: &str, message: impl Into<String>) {
        self.report.ignored.push(item(path, message));
    }

    fn not_understood(&mut self, path: &str, message: impl Into<String>) {
        self.report.not_understood.push(item(path, message));
    }

    fn note(&mut self, path: &str, message: impl Into<String>) {
        self.report.notes.push(item(path, message));
    }

    /// One resource, by its type.
    fn resource(&mut self, order: usize, path: &str, r: &'a Value) {
        self.report.resources += 1;
        if !r.is_object() {
            self.not_understood(path, "not a resource (a JSON object)");
            return;
        }
        let kind = str_at(r, "resourceType")
            .and_then(|k| KNOWN.iter().find(|&&known| known == k).copied());
        match kind {
            Some("Patient") => self.patient(path, r),
            Some("Condition") => self.condition(path, r),
            Some("Coverage") => self.coverage(path, r),
            Some("Observation") => self.observation(order, path, r),
            Some("QuestionnaireResponse") => self.questionnaire_response(order, path, r),
            Some(k @ ("MedicationStatement" | "MedicationRequest")) => self.medication(path, k, r),
            Some(k @ ("Medication" | "Organization")) => {
                self.ignored(path, format!("{k}: read only when a resource refers to it"));
            }
            _ if r.get("resourceType").is_none() => {
                self.not_understood(path, "no resourceType");
            }
            _ => self.ignored(path, "a resource of a type carematch does not read"),
        }
    }

    fn patient(&mut self, path: &str, r: &Value) {
        if self.patient_seen {
            self.errors.error(
                path,
                "a second Patient resource: a record must be of one patient",
            );
            return;
        }
        self.patient_seen = true;
        let deceased = r.get("deceasedDateTime").is_some()
            || r.get("deceasedBoolean").and_then(Value::as_bool) == Some(true);
        if deceased {
            self.errors.error(
                format!("{path}.deceased"),
                "the record says the patient has died: carematch does not place a deceased patient",
            );
            return;
        }
        let as_of = self.options.as_of();
        let age = match r.get("birthDate") {
            None => {
                self.errors.error(
                    format!("{path}.birthDate"),
                    "missing: the age cannot be computed",
                );
                return;
            }
            Some(b) => match b.as_str().and_then(|s| s.parse::<Date>().ok()) {
                Some(birth) => years_between(birth, as_of),
                None => {
                    self.errors.error(
                        format!("{path}.birthDate"),
                        "is not a full date (YYYY-MM-DD): the age in years cannot be computed exactly",
                    );
                    return;
                }
            },
        };
        let age = match u8::try_from(age) {
            Ok(a) if a <= 120 => a,
            _ if age < 0 => {
                self.errors
                    .error(format!("{path}.birthDate"), "is after the as-of date");
                return;
            }
            _ => {
                self.errors.error(
                    format!("{path}.birthDate"),
                    "gives an age above 120 on the as-of date",
                );
                return;
            }
        };
        let sex = str_at(r, "gender").and_then(sex_of);
        self.patient = Some((age, sex));
        self.read(
            path,
            format!(
                "Patient: age {age} on the as-of date{}; identifiers, names, telecom, addresses, the birth date itself and every other element dropped",
                if sex.is_some() { ", sex kept for sex-specific cut-offs" } else { "" }
            ),
        );
    }

    fn condition(&mut self, path: &str, r: &Value) {
        match status_in(
            r.get("clinicalStatus"),
            &["active", "recurrence", "relapse"],
        ) {
            Some(true) => {}
            Some(false) => return self.ignored(path, "Condition: not active"),
            None => {
                return self.ignored(path, "Condition: no clinical status, so not read as active");
            }
        }
        match status_in(r.get("verificationStatus"), &["confirmed"]) {
            Some(true) => {}
            Some(false) => return self.ignored(path, "Condition: not confirmed"),
            None => {
                return self.ignored(
                    path,
                    "Condition: no verification status, so not read as confirmed",
                );
            }
        }
        let code = r.get("code").unwrap_or(&Value::Null);
        let mut icd: Option<IcdCode> = None;
        let mut snomed = None;
        let mut bad_icd = None;
        let mut other_systems = 0usize;
        for (j, system, value) in codings(code) {
            match system {
                ICD10CM => match value.trim().parse::<IcdCode>() {
                    Ok(c) if icd.is_none() => icd = Some(c),
                    Ok(_) => {}
                    Err(_) => bad_icd = Some(j),
                },
                SNOMED => {
                    if snomed.is_none() {
                        snomed = self
                            .options
                            .tables()
                            .snomed
                            .iter()
                            .find(|c| c.code == value.trim())
                            .cloned();
                    }
                }
                _ => other_systems += 1,
            }
        }
        if let Some(j) = bad_icd {
            self.not_understood(
                &format!("{path}.code.coding[{j}]"),
                "an ICD-10-CM coding whose code is not a well-formed ICD-10-CM code",
            );
        }
        let diagnosis = match (icd, &snomed) {
            (Some(c), s) => {
                let d = Diagnosis::from_code(c);
                if let Some(s) = s.as_ref().filter(|s| s.condition != d.condition) {
                    self.note(
                        &format!("{path}.code"),
                        format!(
                            "the SNOMED CT coding means {} and the ICD-10-CM code {}: ICD-10-CM wins",
                            s.condition, d.condition
                        ),
                    );
                }
                d
            }
            (None, Some(s)) => {
                let d = Diagnosis::from_condition(s.condition);
                self.read(
                    path,
                    format!(
                        "Condition: {} (SNOMED CT, {}), without an ICD-10-CM code",
                        s.condition, s.concept
                    ),
                );
                self.keep(path, d);
                return;
            }
            (None, None) => {
                let why = if other_systems > 0 || code.get("coding").is_some() {
                    "Condition: no ICD-10-CM code and no SNOMED CT concept of carematch's behavioral-health table"
                } else {
                    "Condition: no coded condition (free text is not read)"
                };
                return self.not_understood(path, why);
            }
        };
        let Some(c) = diagnosis.code else { return };
        let behavioural = c.category().starts_with('F')
            || c.takes_condition_from_f_code()
            || c.pregnancy().is_some();
        if !behavioural {
            return self.ignored(
                path,
                "Condition: outside ICD-10-CM's mental and behavioural chapter, and not a pregnancy code: not read",
            );
        }
        self.read(path, format!("Condition: {diagnosis} (ICD-10-CM)"));
        self.keep(path, diagnosis);
    }

    /// Keeps a diagnosis once: F codes and SNOMED CT conditions first.
    fn keep(&mut self, path: &str, d: Diagnosis) {
        let same = |o: &Diagnosis| o.code == d.code && o.condition == d.condition;
        if self.diagnoses.iter().chain(&self.others).any(same) {
            self.ignored(path, "Condition: the same diagnosis again");
            return;
        }
        let first_list = d.code.is_none_or(|c| c.category().starts_with('F'));
        if first_list {
            self.diagnoses.push(d);
        } else {
            self.others.push(d);
        }
    }

    fn coverage(&mut self, path: &str, r: &Value) {
        if str_at(r, "status") != Some("active") {
            return self.ignored(path, "Coverage: not active");
        }
        let ended = r
            .get("period")
            .and_then(|p| date_of(str_at(p, "end")))
            .is_some_and(|end| end < self.options.as_of());
        if ended {
            return self.ignored(path, "Coverage: its period ended before the as-of date");
        }
        let tables = self.options.tables();
        let by_name = |name: &str| {
            tables
                .payers
                .iter()
                .find(|p| same_name(&p.name, name))
                .map(|p| p.payer.clone())
        };
        let mut found: Option<(Payer, &'static str)> = None;
        for class in array_at(r, "class") {
            if let Some(p) = str_at(class, "name").and_then(by_name) {
                found = Some((p, "a plan name in Coverage.class"));
                break;
            }
        }
        if found.is_none() {
            for payor in array_at(r, "payor") {
                let name = str_at(payor, "display").and_then(by_name).or_else(|| {
                    let target = self.resolve(r, str_at(payor, "reference")?)?;
                    str_at(target, "name").and_then(by_name)
                });
                if let Some(p) = name {
                    found = Some((p, "the payor's name"));
                    break;
                }
            }
        }
        if found.is_none()
            && let Some(t) = r.get("type")
        {
            let state = tables.medicaid_state.as_deref();
            for (_, system, code) in codings(t) {
                if (system == PAYER_TYPOLOGY || system == PAYER_TYPOLOGY_OID)
                    && let Some(p) = payer_typology(code, state)
                {
                    found = Some((p, "the payer type (Source of Payment Typology)"));
                    break;
                }
            }
        }
        match found {
            Some((p, how)) if self.payer.is_none() => {
                self.read(path, format!("Coverage: payer {p}, from {how}"));
                self.payer = Some(p);
            }
            Some((p, _)) => {
                self.note(
                    path,
                    format!("Coverage: another active coverage ({p}); the first is used: confirm which pays"),
                );
            }
            None => self.not_understood(
                path,
                "Coverage: no payer or plan name in carematch's payer table, and no payer type it maps (a Medicaid type needs the Medicaid state)",
            ),
        }
    }

    /// The resource a reference names: `#id` among `within`'s contained
    /// resources, else a bundled Medication or Organization.
    fn resolve(&self, within: &'a Value, reference: &str) -> Option<&'a Value> {
        if let Some(id) = reference.strip_prefix('#') {
            return array_at(within, "contained")
                .iter()
                .find(|c| str_at(c, "id") == Some(id));
        }
        self.lookup.get(reference).copied()
    }

    /// What an observation code or a questionnaire `linkId` reads, if any.
    fn reads_of(&self, system: Option<&str>, code: &str) -> Option<Reads> {
        let code = code.trim();
        let code = code.strip_prefix('/').unwrap_or(code);
        self.options
            .tables()
            .observations
            .iter()
            .find(|o| o.code == code && system.is_none_or(|s| s == o.system))
            .map(|o| o.reads)
    }

    /// Records one value for `reads`, or reports why it is not read.
    fn value(&mut self, order: usize, path: &str, date: Option<Date>, reads: Reads, v: &Value) {
        let value = match reads {
            Reads::Total(_) | Reads::Phq9Item9 => match number_of(v) {
                Some(Ok(n)) => ReadValue::Number(n),
                Some(Err(())) => {
                    return self.not_understood(
                        path,
                        format!("{reads}: the value is not a whole number of 0 or more"),
                    );
                }
                None => return self.not_understood(path, format!("{reads}: no value")),
            },
            Reads::CssrsYes(_) => match yes_of(v) {
                Some(b) => ReadValue::Yes(b),
                None => {
                    return self
                        .not_understood(path, format!("{reads}: the value is not a yes or no"));
                }
            },
            Reads::Pregnancy => match pregnancy_of(v) {
                Some(p) => ReadValue::Pregnancy(p),
                None => {
                    return self.not_understood(
                        path,
                        "pregnancy status: the value is not a SNOMED CT code carematch reads (pregnant, not pregnant, postpartum)",
                    );
                }
            },
        };
        let shown = match value {
            ReadValue::Number(n) => n.to_string(),
            ReadValue::Yes(b) => if b { "yes" } else { "no" }.to_owned(),
            ReadValue::Pregnancy(Some(p)) => p.to_string(),
            ReadValue::Pregnancy(None) => "not pregnant".to_owned(),
        };
        self.read(path, format!("{reads}: {shown}"));
        self.readings
            .entry(key_of(reads))
            .or_default()
            .push(Reading { date, order, value });
    }

    fn observation(&mut self, order: usize, path: &str, r: &Value) {
        if !matches!(str_at(r, "status"), Some("final" | "amended" | "corrected")) {
            return self.ignored(path, "Observation: not final, amended or corrected");
        }
        let date = date_of(str_at(r, "effectiveDateTime"))
            .or_else(|| date_of(r.get("effectivePeriod").and_then(|p| str_at(p, "start"))))
            .or_else(|| date_of(str_at(r, "issued")));
        let reads_of = |v: &Value| {
            let code = v.get("code").unwrap_or(&Value::Null);
            codings(code).find_map(|(_, system, c)| self.reads_of(Some(system), c))
        };
        // The Observation's own code, then each component's: a panel (a
        // PHQ-9 whose total and item 9 are components) is read by its parts.
        let own = reads_of(r);
        let components = array_at(r, "component");
        let parts: Vec<(usize, Reads)> = components
            .iter()
            .enumerate()
            .filter_map(|(k, c)| reads_of(c).map(|reads| (k, reads)))
            .collect();
        if own.is_none() && parts.is_empty() {
            return self.ignored(path, "Observation: a code carematch does not read");
        }
        if let Some(reads) = own {
            self.value(order, path, date, reads, r);
        }
        let unread = components.len() - parts.len();
        if unread > 0 {
            self.ignored(
                path,
                format!("Observation: {unread} component(s) with a code carematch does not read"),
            );
        }
        for (k, reads) in parts {
            self.value(
                order,
                &format!("{path}.component[{k}]"),
                date,
                reads,
                &components[k],
            );
        }
    }

    fn questionnaire_response(&mut self, order: usize, path: &str, r: &Value) {
        if !matches!(str_at(r, "status"), Some("completed" | "amended")) {
            return self.ignored(path, "QuestionnaireResponse: not completed or amended");
        }
        let date = date_of(str_at(r, "authored"));
        let mut unread = 0usize;
        self.items(
            order,
            &format!("{path}.item"),
            date,
            array_at(r, "item"),
            &mut unread,
            0,
        );
        if unread > 0 {
            self.ignored(
                path,
                format!(
                    "QuestionnaireResponse: {unread} item(s) with a linkId carematch does not read"
                ),
            );
        }
    }

    fn items(
        &mut self,
        order: usize,
        at: &str,
        date: Option<Date>,
        items: &[Value],
        unread: &mut usize,
        depth: usize,
    ) {
        if depth > 16 {
            self.not_understood(at, "items nested more than 16 deep: not read");
            return;
        }
        for (k, item) in items.iter().enumerate() {
            let here = format!("{at}[{k}]");
            let reads = str_at(item, "linkId").and_then(|l| self.reads_of(None, l));
            let answers = array_at(item, "answer");
            match (reads, answers.first()) {
                (Some(reads), Some(answer)) => {
                    self.value(order, &format!("{here}.answer[0]"), date, reads, answer);
                }
                (Some(reads), None) => self.not_understood(&here, format!("{reads}: no answer")),
                (None, _) if item.get("item").is_none() && answers.is_empty() => {}
                (None, _) => {
                    if item.get("item").is_none() {
                        *unread += 1;
                    }
                }
            }
            self.items(
                order,
                &format!("{here}.item"),
                date,
                array_at(item, "item"),
                unread,
                depth + 1,
            );
            for (a, answer) in answers.iter().enumerate() {
                self.items(
                    order,
                    &format!("{here}.answer[{a}].item"),
                    date,
                    array_at(answer, "item"),
                    unread,
                    depth + 1,
                );
            }
        }
    }

    fn medication(&mut self, path: &str, kind: &str, r: &'a Value) {
        if str_at(r, "status") != Some("active") {
            return self.ignored(path, format!("{kind}: not active"));
        }
        let concept = match (
            r.get("medicationCodeableConcept"),
            r.get("medicationReference"),
        ) {
            (Some(c), _) => c,
            (None, Some(reference)) => {
                match str_at(reference, "reference").and_then(|s| self.resolve(r, s)) {
                    Some(m) => m.get("code").unwrap_or(&Value::Null),
                    None => {
                        return self.not_understood(
                            &format!("{path}.medicationReference"),
                            format!("{kind}: refers to a Medication that is neither contained nor in the bundle"),
                        );
                    }
                }
            }
            (None, None) => return self.not_understood(path, format!("{kind}: no medication")),
        };
        let tables = self.options.tables();
        let by_code = codings(concept).find_map(|(_, system, code)| {
            (system == RXNORM)
                .then(|| tables.moud.iter().find(|(c, _)| c == code.trim()))
                .flatten()
                .map(|(_, m)| *m)
        });
        let by_words = || {
            let texts = array_at(concept, "coding")
                .iter()
                .filter_map(|c| str_at(c, "display"))
                .chain(str_at(concept, "text"));
            texts.filter_map(moud_from_words).next()
        };
        let found = match by_code {
            Some(MoudMedication::Naltrexone) => match by_words() {
                Some(Err(why)) => Err(why),
                _ => Ok(MoudMedication::Naltrexone),
            },
            Some(m) => Ok(m),
            None => match by_words() {
                Some(r) => r,
                None => {
                    return self.ignored(
                        path,
                        format!("{kind}: not a medication for opioid use disorder"),
                    );
                }
            },
        };
        match found {
            Err(why) => self.ignored(path, format!("{kind}: {why}")),
            Ok(m) if self.moud.is_none() => {
                self.read(
                    path,
                    format!("{kind}: on {m} (medication for opioid use disorder)"),
                );
                self.moud = Some(m);
            }
            Ok(m) if self.moud == Some(m) => self.read(path, format!("{kind}: on {m} again")),
            Ok(m) => self.note(
                path,
                format!(
                    "{kind}: also {m}; the first MOUD read is used: confirm which the patient takes"
                ),
            ),
        }
    }

    /// The latest reading of `reads` (by date, then position).
    fn latest(&self, reads: Reads) -> Option<Reading> {
        self.readings
            .get(&key_of(reads))?
            .iter()
            .copied()
            .max_by_key(|r| (r.date, r.order))
    }

    fn finish(mut self) -> Result<RecordImport, Error> {
        if !self.patient_seen {
            self.errors
                .error("(document)", "no Patient resource: the age cannot be read");
        }
        let errors = std::mem::take(&mut self.errors);
        let Some((age, sex)) = self.patient else {
            return Err(Error::invalid(errors));
        };
        errors.into_result()?;
        // The scores: the latest of each instrument's parts.
        let mut scores: Vec<Score> = Vec::new();
        let number = |r: Option<Reading>| match r.map(|r| r.value) {
            Some(ReadValue::Number(n)) => Some(n),
            _ => None,
        };
        for &instrument in Instrument::ALL {
            if instrument == Instrument::CssrsScreener {
                continue;
            }
            let Some(total) = number(self.latest(Reads::Total(instrument))) else {
                continue;
            };
            scores.push(match instrument {
                Instrument::Phq9 => Score::Phq9 {
                    total,
                    item9: number(self.latest(Reads::Phq9Item9)).and_then(|n| u8::try_from(n).ok()),
                },
                Instrument::Gad7 => Score::Gad7 { total },
                Instrument::Pcl5 => Score::Pcl5 { total },
                Instrument::AuditC => Score::AuditC { total, sex },
                Instrument::CiwaAr => Score::CiwaAr { total },
                _ => Score::Cows { total },
            });
        }
        if number(self.latest(Reads::Total(Instrument::Phq9))).is_none()
            && number(self.latest(Reads::Phq9Item9)).is_some()
        {
            self.note(
                "(document)",
                "PHQ-9 item 9 without a PHQ-9 total: not scored; enter the total",
            );
        }
        let cssrs: Vec<Option<Reading>> = CssrsItem::ALL
            .iter()
            .map(|&q| self.latest(Reads::CssrsYes(q)))
            .collect();
        let latest_date = cssrs.iter().flatten().map(|r| r.date).max();
        if let Some(latest_date) = latest_date {
            let yes = CssrsItem::ALL
                .iter()
                .zip(&cssrs)
                .filter(|(_, r)| {
                    r.is_some_and(|r| {
                        r.date == latest_date && matches!(r.value, ReadValue::Yes(true))
                    })
                })
                .map(|(q, _)| *q)
                .collect();
            scores.push(Score::CssrsScreener { yes });
        }
        for (i, given) in self.options.scores().iter().enumerate() {
            if let Err(e) = self.options.screening().evaluate(given) {
                let mut r = ValidationReport::default();
                for p in e.problems() {
                    r.error(format!("scores[{i}].{}", p.path), p.message.clone());
                }
                return Err(Error::invalid(r));
            }
            if let Some(pos) = scores
                .iter()
                .position(|s| s.instrument() == given.instrument())
            {
                scores.remove(pos);
                self.note(
                    "(options)",
                    format!(
                        "the {} score given beside the record replaces the record's",
                        given.instrument()
                    ),
                );
            }
            scores.push(given.clone());
        }
        // Each score through the screening table; one out of range is reported, not read.
        let mut results = Vec::with_capacity(scores.len());
        let mut kept = Vec::with_capacity(scores.len());
        for s in scores {
            match self.options.screening().evaluate(&s) {
                Ok(r) => {
                    results.push(r);
                    kept.push(s);
                }
                Err(_) => self.not_understood(
                    "(document)",
                    format!(
                        "{}: the score is out of the instrument's range: not read",
                        s.instrument()
                    ),
                ),
            }
        }
        let pregnancy_reading = self.latest(Reads::Pregnancy);
        let pregnancy = match pregnancy_reading.map(|r| r.value) {
            Some(ReadValue::Pregnancy(p)) => p,
            _ => None,
        };
        let mut diagnoses = std::mem::take(&mut self.diagnoses);
        diagnoses.append(&mut self.others);
        if diagnoses.len() > 1 {
            self.note(
                "(document)",
                "FHIR marks no primary diagnosis: the first mental or behavioural condition read is taken as primary; confirm it",
            );
        }
        if self.payer.is_none() {
            self.note("(document)", "no active coverage read: payer not listed");
        }
        let suggested = suggested_assessment(&results, Some(age));
        Ok(RecordImport {
            record: PatientRecord {
                age,
                sex,
                diagnoses,
                payer: self.payer,
                moud_medication: self.moud,
                pregnancy,
                pregnancy_read: pregnancy_reading.is_some(),
                scores: kept,
            },
            screening: results,
            suggested_assessment: suggested,
            report: self.report,
        })
    }
}
