//! Bad input gets an error, never a panic: arbitrary text into every
//! `FromStr`, arbitrary and damaged JSON into `programs_from_json` and
//! `patient_from_json`, and whatever they accept through validation and
//! `Display`. Text a parser accepts prints back to text it reads as the same
//! value; text it refuses is quoted as given. A failure here is a crash (or a
//! misleading message) that a directory file or a referral form could cause.

mod common;

use std::fmt::{Debug, Display};
use std::str::FromStr;

use carematch::{
    Aftercare, Approach, Certification, Condition, Date, Delivery, DeliveryPreference, Error,
    ErrorKind, FacilityCredential, FamilyInvolvement, IcdCode, Language, LevelOfCare, License,
    Modality, PartOfDay, Payer, Population, ProgramId, Severity, TimeOfDay, Weekday,
};
use common::*;
use proptest::prelude::*;

/// Text of every kind: any Unicode, printable ASCII, and near misses of
/// codes, dates, times and keys.
fn arb_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,14}",
        "[ \t0-9:+-]{0,8}",
        "[0-9-]{8,12}",
        "[A-Za-z][0-9Oo]{0,2}[.]?[A-Za-z0-9.]{0,6}",
        "[a-z_ :]{0,24}",
        "[\u{80}-\u{10ffff}]{1,4}[A-Za-z0-9]{0,4}",
    ]
}

/// `text` either reads as a value that prints back to text read as the same
/// value, or is refused with a parse error quoting it.
fn parses_cleanly<T>(text: &str) -> Result<(), TestCaseError>
where
    T: FromStr<Err = Error> + Display + Debug + PartialEq,
{
    match text.parse::<T>() {
        Ok(v) => {
            let printed = v.to_string();
            match printed.parse::<T>() {
                Ok(again) => prop_assert_eq!(again, v, "`{}` printed as `{}`", text, printed),
                Err(e) => {
                    return Err(TestCaseError::fail(format!(
                        "`{text}` read as {v:?}, printed as `{printed}`, which is refused: {e}"
                    )));
                }
            }
        }
        Err(e) if e.kind() == ErrorKind::Parse => {
            prop_assert_eq!(e.input(), Some(text), "a refused text is quoted as given");
        }
        Err(other) => {
            return Err(TestCaseError::fail(format!(
                "`{text}`: not a parse error: {other:?}"
            )));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256, "parse_no_panic"))]

    #[test]
    fn icd_code(text in arb_text()) {
        parses_cleanly::<IcdCode>(&text)?;
    }

    #[test]
    fn date(text in arb_text()) {
        parses_cleanly::<Date>(&text)?;
    }

    #[test]
    fn time_of_day(text in arb_text()) {
        parses_cleanly::<TimeOfDay>(&text)?;
    }

    #[test]
    fn payer(text in arb_text()) {
        parses_cleanly::<Payer>(&text)?;
    }

    #[test]
    fn language(text in arb_text()) {
        parses_cleanly::<Language>(&text)?;
    }

    #[test]
    fn program_id(text in arb_text()) {
        parses_cleanly::<ProgramId>(&text)?;
    }

    #[test]
    fn every_vocabulary(text in arb_text()) {
        parses_cleanly::<Condition>(&text)?;
        parses_cleanly::<Severity>(&text)?;
        parses_cleanly::<License>(&text)?;
        parses_cleanly::<Certification>(&text)?;
        parses_cleanly::<FacilityCredential>(&text)?;
        parses_cleanly::<LevelOfCare>(&text)?;
        parses_cleanly::<DeliveryPreference>(&text)?;
        parses_cleanly::<Population>(&text)?;
        parses_cleanly::<Aftercare>(&text)?;
        parses_cleanly::<Delivery>(&text)?;
        parses_cleanly::<FamilyInvolvement>(&text)?;
        parses_cleanly::<Weekday>(&text)?;
        parses_cleanly::<PartOfDay>(&text)?;
        parses_cleanly::<Modality>(&text)?;
        parses_cleanly::<Approach>(&text)?;
    }

    #[cfg(feature = "serde")]
    #[test]
    fn arbitrary_text(text in prop_oneof![any::<String>(), "[\\[\\]{}\":, 0-9a-z_.-]{0,80}"]) {
        json::reads_cleanly(&text)?;
    }

    #[cfg(feature = "serde")]
    #[test]
    fn arbitrary_json(doc in json::arb_json()) {
        json::reads_cleanly(&doc.to_string())?;
        json::reads_cleanly(&serde_json::json!({ "programs": [doc] }).to_string())?;
    }

    #[cfg(feature = "serde")]
    #[test]
    fn a_directory_with_one_value_replaced(
        programs in arb_directory(2),
        path in proptest::collection::vec(any::<prop::sample::Index>(), 1..7),
        with in json::arb_json(),
    ) {
        let mut doc = serde_json::json!({ "programs": programs });
        json::replace_somewhere(&mut doc, &path, with);
        json::reads_cleanly(&doc.to_string())?;
    }

    #[cfg(feature = "serde")]
    #[test]
    fn a_patient_with_one_value_replaced(
        n in arb_patient_needs(),
        path in proptest::collection::vec(any::<prop::sample::Index>(), 1..6),
        with in json::arb_json(),
    ) {
        let mut doc = serde_json::to_value(&n).map_err(|e| TestCaseError::fail(e.to_string()))?;
        json::replace_somewhere(&mut doc, &path, with);
        json::reads_cleanly(&doc.to_string())?;
    }

    #[cfg(feature = "serde")]
    #[test]
    fn damaged_documents(
        programs in arb_directory(1),
        n in arb_patient_needs(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), json::arb_char()), 1..4),
    ) {
        let directory = serde_json::json!({ "programs": programs }).to_string();
        json::reads_cleanly(&json::damage(&directory, &edits))?;
        let patient = serde_json::to_string(&n).map_err(|e| TestCaseError::fail(e.to_string()))?;
        json::reads_cleanly(&json::damage(&patient, &edits))?;
    }
}

/// Helpers for the JSON properties.
#[cfg(feature = "serde")]
mod json {
    use super::*;
    use carematch::{
        PatientNeeds, Program, load_directory, patient_from_json, programs_from_json,
        validate_programs,
    };
    use serde_json::{Map, Value};

    /// Strings that mean something somewhere in the formats.
    const WORDS: [&str; 16] = [
        "",
        "25:00",
        "24:00",
        "09:00",
        "F43.10",
        "F4",
        "mon",
        "masshealth",
        "commercial:",
        "intensive_outpatient",
        "2026-02-30",
        "2026-09-15",
        "en",
        "a b",
        "free",
        "busy",
    ];

    /// Field names of programs and patients, so that objects are near misses.
    const FIELDS: [&str; 24] = [
        "programs",
        "id",
        "name",
        "levels",
        "tracks",
        "sessions",
        "day",
        "start",
        "end",
        "staff",
        "licenses",
        "payers",
        "ages",
        "min",
        "max",
        "location",
        "latitude",
        "age",
        "diagnoses",
        "code",
        "condition",
        "availability",
        "busy",
        "days",
    ];

    /// Any JSON value, leaning to the strings and field names of the formats.
    pub(super) fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            (-1e6f64..1e6).prop_map(Value::from),
            (0u64..300).prop_map(Value::from),
            proptest::sample::select(WORDS.as_slice()).prop_map(Value::from),
            any::<String>().prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::vec(
                    (proptest::sample::select(FIELDS.as_slice()), inner),
                    0..6
                )
                .prop_map(|kv| {
                    Value::Object(
                        kv.into_iter()
                            .map(|(k, v)| (k.to_owned(), v))
                            .collect::<Map<_, _>>(),
                    )
                }),
            ]
        })
    }

    /// `node` with the value reached by following `path` (as far as it goes) replaced by `with`.
    pub(super) fn replace_somewhere(node: &mut Value, path: &[prop::sample::Index], with: Value) {
        if let Some((step, rest)) = path.split_first() {
            match node {
                Value::Array(items) if !items.is_empty() => {
                    let i = step.index(items.len());
                    return replace_somewhere(&mut items[i], rest, with);
                }
                Value::Object(map) if !map.is_empty() => {
                    let i = step.index(map.len());
                    if let Some(child) = map.values_mut().nth(i) {
                        return replace_somewhere(child, rest, with);
                    }
                }
                _ => {}
            }
        }
        *node = with;
    }

    /// Whatever was read can be validated and printed without a panic.
    fn use_programs(programs: &[Program]) {
        let report = validate_programs(programs, AS_OF);
        let _ = report.to_string();
        for p in programs {
            let _ = (p.to_string(), p.location.to_string());
            for t in &p.tracks {
                let _ = (
                    t.to_string(),
                    t.hours_per_week(),
                    t.mask().count(),
                    t.parts_of_day(),
                );
            }
        }
    }

    /// Whatever was read can be validated and printed without a panic.
    fn use_patient(n: &PatientNeeds) {
        let _ = (n.validate().to_string(), n.to_string(), n.conditions());
        let _ = (n.availability.to_string(), n.availability.mask().count());
    }

    /// Reading `text` as a directory and as a patient either works or gives a JSON error.
    pub(super) fn reads_cleanly(text: &str) -> Result<(), TestCaseError> {
        match programs_from_json(text) {
            Ok(programs) => use_programs(&programs),
            Err(e) if e.kind() == ErrorKind::Json => {}
            Err(other) => return Err(TestCaseError::fail(format!("not a JSON error: {other:?}"))),
        }
        match load_directory(text, AS_OF) {
            Ok((programs, report)) => {
                prop_assert!(!report.has_errors(), "{}", report);
                use_programs(&programs);
            }
            Err(e) if matches!(e.kind(), ErrorKind::Json | ErrorKind::Invalid) => {}
            Err(other) => return Err(TestCaseError::fail(format!("unexpected: {other:?}"))),
        }
        match patient_from_json(text) {
            Ok(n) => use_patient(&n),
            Err(e) if e.kind() == ErrorKind::Json => {}
            Err(other) => return Err(TestCaseError::fail(format!("not a JSON error: {other:?}"))),
        }
        Ok(())
    }

    /// Text damaged by deleting, inserting or replacing a few bytes at char boundaries.
    pub(super) fn damage(text: &str, edits: &[(prop::sample::Index, u8, char)]) -> String {
        let mut s = text.to_owned();
        for (at, kind, c) in edits {
            let bounds: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
            let i = bounds[at.index(bounds.len())];
            match kind % 3 {
                0 => {
                    let end = s[i..].chars().next().map_or(i, |ch| i + ch.len_utf8());
                    s.replace_range(i..end, "");
                }
                1 => s.insert(i, *c),
                _ => {
                    let end = s[i..].chars().next().map_or(i, |ch| i + ch.len_utf8());
                    s.replace_range(i..end, &c.to_string());
                }
            }
        }
        s
    }

    /// JSON punctuation and digits, the characters that break structure.
    pub(super) fn arb_char() -> impl Strategy<Value = char> {
        prop_oneof![
            proptest::sample::select(
                &[
                    '{', '}', '[', ']', '"', ',', ':', '0', '9', '-', ' ', 'e', '\\'
                ][..]
            ),
            any::<char>(),
        ]
    }
}
