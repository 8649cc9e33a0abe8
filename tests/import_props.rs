//! Import never panics: arbitrary JSON, JSON built from each format's own
//! keys, and the real examples with subtrees replaced, give programs and a
//! report or an error with a path. Every program imported validates, and
//! every record is a program or a refusal.

use carematch::import::{Format, ImportOptions, import_value};
use carematch::{sample, validate_programs};
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Keys the three formats use, so generated objects reach deep into the importers.
const KEYS: &[&str] = &[
    "rows",
    "frid",
    "name1",
    "name2",
    "street1",
    "city",
    "state",
    "zip",
    "latitude",
    "longitude",
    "typeFacility",
    "services",
    "f1",
    "f2",
    "f3",
    "resourceType",
    "id",
    "entry",
    "resource",
    "location",
    "reference",
    "position",
    "extension",
    "url",
    "valueCodeableConcept",
    "coding",
    "code",
    "system",
    "display",
    "text",
    "availableTime",
    "daysOfWeek",
    "availableStartTime",
    "availableEndTime",
    "allDay",
    "program",
    "characteristic",
    "specialty",
    "type",
    "name",
    "communication",
    "providedBy",
    "service_at_locations",
    "schedules",
    "freq",
    "byday",
    "opens_at",
    "closes_at",
    "valid_from",
    "valid_to",
    "interval",
    "languages",
    "minimum_age",
    "maximum_age",
    "cost_options",
    "option",
    "attributes",
    "taxonomy_term",
    "contents",
    "service",
    "organization",
    "status",
    "addresses",
    "wait_time",
    "assured_date",
];

/// Strings the formats use as values.
const WORDS: &[&str] = &[
    "Bundle",
    "HealthcareService",
    "Location",
    "Organization",
    "Location/a",
    "Organization/o",
    "TAP",
    "SET",
    "PAY",
    "AGE",
    "LANG",
    "TRSRV",
    "LCA",
    "SG",
    "PHR",
    "MH",
    "SA",
    "Outpatient; Intensive outpatient treatment",
    "Individual psychotherapy; Group therapy",
    "Medicaid; Private health insurance",
    "Adults; Seniors (65 or older)",
    "Spanish",
    "WEEKLY",
    "MONTHLY",
    "MO,TU",
    "2MO",
    "-1FR",
    "17:30",
    "08:30:00",
    "05:30:00",
    "25:99",
    "24:00",
    "mon",
    "sun",
    "virtual",
    "physical",
    "newpt",
    "nopt",
    "42.1",
    "-71.2",
    "999",
    "Intensive Outpatient Program",
    "PHP",
    "active",
    "defunct",
    "2026-01-01",
    "2005-01-01",
    "http://nucc.org/provider-taxonomy",
    "101YP2500X",
    "2 weeks",
    "MassHealth",
    "",
];

fn arb_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        (-200.0..200.0f64).prop_map(Value::from),
        prop::sample::select(WORDS).prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ]
}

/// Arbitrary JSON, objects keyed mostly by the formats' own keys.
fn arb_json() -> impl Strategy<Value = Value> {
    arb_leaf().prop_recursive(5, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![4 => prop::sample::select(KEYS).prop_map(str::to_owned), 1 => "[a-z_]{1,8}"],
                    inner
                ),
                0..8
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn example(path: &str) -> Value {
    let text = std::fs::read_to_string(format!(
        "{}/tests/data/formats/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Replaces the `n`th node (in document order) of `v` by `with`.
fn replace_nth(v: &mut Value, n: &mut usize, with: &Value) -> bool {
    if *n == 0 {
        *v = with.clone();
        return true;
    }
    *n -= 1;
    match v {
        Value::Array(a) => a.iter_mut().any(|x| replace_nth(x, n, with)),
        Value::Object(o) => o.values_mut().any(|x| replace_nth(x, n, with)),
        _ => false,
    }
}

fn check(format: Format, doc: &Value) -> Result<(), TestCaseError> {
    let options = ImportOptions::new(sample::AS_OF);
    if let Ok(out) = import_value(format, doc, &options) {
        let r = &out.report;
        prop_assert_eq!(r.programs, out.programs.len());
        prop_assert!(
            out.programs.len() + r.refused.len() >= r.records,
            "a record neither imported nor refused: {}",
            r
        );
        let v = validate_programs(&out.programs, sample::AS_OF);
        prop_assert!(!v.has_errors(), "imported programs do not validate: {}", v);
        let _ = r.to_string();
        let _ = serde_json::to_string(r).unwrap();
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary JSON in each format: a result or an error, never a panic.
    #[test]
    fn import_never_panics_on_arbitrary_json(doc in arb_json()) {
        for format in Format::ALL {
            check(*format, &doc)?;
        }
    }

    /// The real examples with one subtree replaced by arbitrary JSON.
    #[test]
    fn import_never_panics_on_damaged_examples(n in 0usize..400, with in arb_json()) {
        for (format, path) in [
            (Format::Samhsa, "samhsa/listing_example_fictional.json"),
            (Format::Fhir, "fhir/fictional_iop_bundle.json"),
            (Format::Hsds, "hsds/fictional_services.json"),
            (Format::Hsds, "hsds/service_full.json"),
        ] {
            let mut doc = example(path);
            let mut k = n;
            replace_nth(&mut doc, &mut k, &with);
            check(format, &doc)?;
        }
    }
}

#[test]
fn malformed_samhsa_gives_an_error_with_its_path() {
    let options = ImportOptions::new(sample::AS_OF);
    for (json, path) in [
        (r#"{"rows": "none"}"#, "rows"),
        (r#"{"page": 1}"#, ""),
        (r#"[{"rows": 1}]"#, "[0].rows"),
        ("true", ""),
        ("{not json", ""),
    ] {
        match carematch::import::import(Format::Samhsa, json, &options) {
            Err(e) if e.kind() == carematch::ErrorKind::Json => {
                assert_eq!(e.path(), Some(path), "{json}")
            }
            other => panic!("{json}: {other:?}"),
        }
    }
    // A bad row is refused with its path, not an error.
    let out = carematch::import::import(
        Format::Samhsa,
        r#"{"rows": [3, {"frid": "a", "name1": "X", "latitude": "north"}]}"#,
        &options,
    )
    .unwrap();
    let refused: Vec<String> = out.report.refused.iter().map(|r| r.to_string()).collect();
    assert_eq!(
        refused,
        [
            "rows[0]: a listing row must be an object",
            "rows[1]: no level of care carematch ranks in its service settings (`SET`) or facility type (`FT`)"
        ]
    );
    // Its coordinates, not numbers, are reported as not read.
    assert!(
        out.report
            .line("(coordinates)", Some("not numbers"))
            .is_some()
    );
}
