//! ICD-10-CM codes: which texts read as which code, the exact message for
//! each malformed one, and the condition family of codes at every family
//! boundary. A failure means a referral's diagnosis would be read wrongly or
//! matched to the wrong kind of program.

use carematch::{Condition, Diagnosis, IcdCode};

/// `input` reads as the code printed `expected`.
#[track_caller]
fn assert_code(input: &str, expected: &str) {
    match input.parse::<IcdCode>() {
        Ok(code) => assert_eq!(code.to_string(), expected, "`{input}`"),
        Err(e) => panic!("`{input}` should read as {expected}: {e}"),
    }
}

/// `input` is refused with exactly `reason`.
#[track_caller]
fn assert_refused(input: &str, reason: &str) {
    match input.parse::<IcdCode>() {
        Ok(code) => panic!("`{input}` should be refused, read as {code}"),
        Err(e) => {
            assert_eq!(
                e.to_string(),
                format!("invalid ICD-10-CM code `{input}`: {reason}")
            );
            assert!(
                e.kind() == carematch::ErrorKind::Parse && e.input() == Some(input),
                "{e:?}"
            );
        }
    }
}

/// `code` belongs to `family`.
#[track_caller]
fn assert_family(code: &str, family: Condition) {
    match code.parse::<IcdCode>() {
        Ok(c) => assert_eq!(c.condition(), family, "{code}"),
        Err(e) => panic!("`{code}`: {e}"),
    }
}

#[test]
fn valid_forms_normalize() {
    for (input, expected) in [
        ("F43.10", "F43.10"),
        ("F4310", "F43.10"),
        ("f43.10", "F43.10"),
        (" F43.10 ", "F43.10"),
        ("\tf4310\n", "F43.10"),
        ("F32.A", "F32.A"),
        ("f32.a", "F32.A"),
        ("F32A", "F32.A"),
        ("F10.20", "F10.20"),
        ("F43", "F43"),
        ("f43", "F43"),
        ("F43.1", "F43.1"),
        ("F431", "F43.1"),
        ("Z63.0", "Z63.0"),
        ("J45.909", "J45.909"),
        ("S06.0X1A", "S06.0X1A"),
        ("s060x1a", "S06.0X1A"),
        ("T14.91XA", "T14.91XA"),
    ] {
        assert_code(input, expected);
    }
}

#[test]
fn parts_of_a_code() {
    let code: IcdCode = "f43.12".parse().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code.category(), "F43");
    assert_eq!(code.subcode(), "12");
    let bare: IcdCode = "F43".parse().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(bare.category(), "F43");
    assert_eq!(bare.subcode(), "");
    // The same code however it was typed.
    assert_eq!("F4312".parse::<IcdCode>(), Ok(code));
    assert_ne!(bare, code);
}

#[test]
fn malformed_codes_are_refused_with_their_reason() {
    const SHAPE: &str = "expected a letter and two digits, as in F43.10";
    const DOT: &str = "a dot must be followed by 1 to 4 characters";
    const LONG: &str = "at most 4 characters may follow the category";
    const CHARS: &str = "only letters and digits may follow the category";
    for (input, reason) in [
        ("", SHAPE),
        ("   ", SHAPE),
        ("F", SHAPE),
        ("F4", SHAPE),
        (" F4 ", SHAPE),
        ("43.10", SHAPE),
        ("FF3.10", SHAPE),
        ("F4A.1", SHAPE),
        (".F43", SHAPE),
        ("1F43", SHAPE),
        ("F43.", DOT),
        ("f43. ", DOT),
        ("F43.10000", LONG),
        ("F4310000", LONG),
        ("F43..1", CHARS),
        ("F43-10", CHARS),
        ("F43 10", CHARS),
        ("F43.1.0", CHARS),
        ("F43.10.", CHARS),
        ("F43_10", CHARS),
        ("F43.1-2345", CHARS),
        // Unicode: a non-ASCII letter, full-width letters and digits, an accent.
        ("É43.10", SHAPE),
        ("Ｆ43.10", SHAPE),
        ("F４3.10", SHAPE),
        ("F43.1é", CHARS),
        ("F43.１0", CHARS),
        ("F43.10\u{200b}", CHARS),
    ] {
        assert_refused(input, reason);
    }
}

#[test]
fn every_family_boundary() {
    use Condition::*;
    for (code, family) in [
        // Before substance use: organic and unspecified mental disorders.
        ("F01.50", Other),
        ("F09", Other),
        // F10-F19, one substance each.
        ("F10", AlcoholUse),
        ("F10.20", AlcoholUse),
        ("F11.20", OpioidUse),
        ("F12.20", CannabisUse),
        ("F13.20", SedativeUse),
        ("F14.20", CocaineUse),
        ("F15.20", StimulantUse),
        ("F16.20", HallucinogenUse),
        ("F17.210", NicotineUse),
        ("F18.20", InhalantUse),
        ("F19.20", OtherSubstanceUse),
        // F20-F29 psychotic disorders.
        ("F20.9", Psychotic),
        ("F25.0", Psychotic),
        ("F29", Psychotic),
        // F30-F39 mood.
        ("F31", Bipolar),
        ("F31.81", Bipolar),
        ("F32", Depressive),
        ("F32.A", Depressive),
        ("F32.9", Depressive),
        ("F33.1", Depressive),
        // F30 manic episode and F34.0 cyclothymia are the bipolar spectrum.
        ("F30", Bipolar),
        ("F30.10", Bipolar),
        ("F30.9", Bipolar),
        ("F34", Other),
        ("F34.0", Bipolar),
        ("F34.1", Depressive),
        // F34.81 disruptive mood dysregulation disorder is depressive.
        ("F34.81", Depressive),
        ("F34.89", Other),
        ("F34.9", Other),
        ("F39", Other),
        // F40-F48 anxiety, obsessive-compulsive, stress-related.
        ("F40.10", Anxiety),
        ("F41.1", Anxiety),
        ("F41.9", Anxiety),
        ("F42.2", ObsessiveCompulsive),
        ("F42.8", ObsessiveCompulsive),
        // Hoarding and excoriation are in F42 but are not treated as OCD.
        ("F42.3", Other),
        ("F42.4", Other),
        ("F43", TraumaRelated),
        ("F43.0", TraumaRelated),
        ("F43.1", Ptsd),
        ("F43.10", Ptsd),
        ("F43.11", Ptsd),
        ("F43.12", Ptsd),
        ("F43.20", TraumaRelated),
        ("F43.21", TraumaRelated),
        ("F43.25", TraumaRelated),
        ("F43.81", TraumaRelated),
        ("F43.9", TraumaRelated),
        ("F44.81", Other),
        ("F48.9", Other),
        // F50 eating disorders.
        ("F50.01", Eating),
        ("F50.2", Eating),
        // F53.0 postpartum depression, F53.1 puerperal psychosis.
        ("F53.0", Depressive),
        ("F53.1", Psychotic),
        ("F51.01", Other),
        // F60 specific personality disorders.
        ("F60", Personality),
        ("F60.0", Personality),
        ("F60.2", Personality),
        ("F60.3", BorderlinePersonality),
        ("F60.4", Personality),
        ("F60.81", Personality),
        ("F61", Other),
        // F90 ADHD.
        ("F89", Other),
        ("F90", Adhd),
        ("F90.0", Adhd),
        ("F90.2", Adhd),
        ("F91.3", Other),
        ("F99", Other),
        // Outside chapter 5, whatever the digits.
        ("f43.10", Ptsd),
        ("G43.10", Other),
        ("Z63.0", Other),
        ("R45.851", Other),
        ("E10.10", Other),
        ("A00", Other),
    ] {
        assert_family(code, family);
    }
}

#[test]
fn a_statement_about_a_family_covers_its_members_only() {
    for &a in Condition::ALL {
        for &b in Condition::ALL {
            let expected = a == b
                // Nicotine dependence is not part of the substance-use family matching uses.
                || (a == Condition::SubstanceUse && b.is_substance_use())
                || (a == Condition::Personality && b == Condition::BorderlinePersonality);
            assert_eq!(a.covers(b), expected, "{a:?} covers {b:?}");
        }
    }
}

#[test]
fn diagnosis_display() {
    let code: IcdCode = "F60.3".parse().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        Diagnosis::from_code(code).to_string(),
        "borderline personality disorder (F60.3)"
    );
    assert_eq!(
        Diagnosis::from_condition(Condition::Ptsd)
            .primary()
            .to_string(),
        "post-traumatic stress disorder, primary"
    );
}

#[cfg(feature = "serde")]
mod json {
    use super::*;

    /// `json` reads as a diagnosis of `condition` with `code`.
    #[track_caller]
    fn assert_reads(json: &str, condition: Condition, code: Option<&str>) {
        match serde_json::from_str::<Diagnosis>(json) {
            Ok(d) => {
                assert_eq!(d.condition, condition, "{json}");
                assert_eq!(d.code.map(|c| c.to_string()).as_deref(), code, "{json}");
            }
            Err(e) => panic!("{json}: {e}"),
        }
    }

    /// `json` is refused with exactly `message`.
    #[track_caller]
    fn assert_refused_json(json: &str, message: &str) {
        match serde_json::from_str::<Diagnosis>(json) {
            Ok(d) => panic!("{json} should be refused, read as {d:?}"),
            Err(e) => assert_eq!(e.to_string(), message, "{json}"),
        }
    }

    #[test]
    fn code_and_condition_must_agree() {
        for (json, condition, code) in [
            (r#"{"code": "f4310"}"#, Condition::Ptsd, Some("F43.10")),
            (r#"{"condition": "anxiety"}"#, Condition::Anxiety, None),
            (
                r#"{"code": "F43.10", "condition": "ptsd"}"#,
                Condition::Ptsd,
                Some("F43.10"),
            ),
            // The family is kept as the code says: the more precise of the two.
            (
                r#"{"code": "F10.20", "condition": "substance_use"}"#,
                Condition::AlcoholUse,
                Some("F10.20"),
            ),
            (
                r#"{"code": "F60.3", "condition": "personality"}"#,
                Condition::BorderlinePersonality,
                Some("F60.3"),
            ),
            // A code read as "other" takes a condition it can stand for
            // (issue 25): an unspecified mood disorder, a mental disorder
            // complicating pregnancy, or "other" itself.
            (
                r#"{"code": "F39", "condition": "bipolar"}"#,
                Condition::Bipolar,
                Some("F39"),
            ),
            (
                r#"{"code": "O99.344", "condition": "depressive"}"#,
                Condition::Depressive,
                Some("O99.344"),
            ),
            (
                r#"{"code": "Z63.0", "condition": "other"}"#,
                Condition::Other,
                Some("Z63.0"),
            ),
        ] {
            assert_reads(json, condition, code);
        }
        assert_refused_json(
            r#"{"code": "F43.10", "condition": "depressive"}"#,
            "code F43.10 is post-traumatic stress disorder, which does not agree with condition `depressive`",
        );
        assert_refused_json(
            r#"{"code": "F60.0", "condition": "borderline_personality"}"#,
            "code F60.0 is personality disorder, which does not agree with condition `borderline_personality`",
        );
        // ... and no other (issue 25): a relationship problem is no
        // depressive disorder, excoriation is not treated as OCD, drug use
        // complicating pregnancy is not alcohol use.
        assert_refused_json(
            r#"{"code": "Z63.0", "condition": "depressive"}"#,
            "code Z63.0 is outside ICD-10-CM's chapter of mental and behavioural disorders (F01-F99), so it cannot be condition `depressive`: give that condition its own diagnosis with its F code, or leave `condition` out",
        );
        assert_refused_json(
            r#"{"code": "F42.4", "condition": "obsessive_compulsive"}"#,
            "code F42.4 can be condition only `other`, not `obsessive_compulsive` (hoarding and excoriation sit in F42 but are not treated as obsessive-compulsive disorder): correct the code or leave `condition` out",
        );
        assert_refused_json(
            r#"{"code": "O99.322", "condition": "alcohol_use"}"#,
            "code O99.322 can be condition `substance_use`, `opioid_use`, `cannabis_use`, `sedative_use`, `cocaine_use`, `stimulant_use`, `hallucinogen_use`, `inhalant_use`, `other_substance_use` or `other`, not `alcohol_use`: correct the code or leave `condition` out",
        );
        assert_refused_json(
            r#"{"primary": true}"#,
            "a diagnosis needs a `code` or a `condition`",
        );
        assert_refused_json(
            r#"{"code": "F4"}"#,
            "`F4`: expected a letter and two digits, as in F43.10 at line 1 column 13",
        );
        assert_refused_json(
            r#"{"code": "F43.10", "kind": "x"}"#,
            "unknown field `kind`, expected one of `code`, `condition`, `primary`, `severity`, `first_episode` at line 1 column 25",
        );
    }
}

/// A code outside the mental and behavioural chapter (a Z-code for a
/// relationship problem, say) is read as "other" with a warning at its path;
/// an F code, and an O99.3x code that takes its condition from an F code
/// beside it, are not.
#[test]
fn a_code_outside_the_f_chapter_is_read_with_a_warning() {
    let needs = |codes: &[&str]| {
        let mut n = carematch::PatientNeeds::new(34, carematch::Payer::MassHealth);
        n.level = Some(carematch::LevelOfCare::IntensiveOutpatient);
        for (i, c) in codes.iter().enumerate() {
            let d = Diagnosis::from_code(c.parse::<IcdCode>().expect("a valid code"));
            n.diagnoses.push(if i == 0 { d.primary() } else { d });
        }
        n
    };
    let outside = |codes: &[&str]| -> Vec<String> {
        needs(codes)
            .validate()
            .problems
            .iter()
            .filter(|p| p.message.contains("mental and behavioural disorders"))
            .map(|p| p.path.clone())
            .collect()
    };
    assert_eq!(outside(&["F33.1", "Z63.0"]), ["diagnoses[1].code"]);
    assert_eq!(
        needs(&["F33.1", "Z63.0"]).diagnoses[1].condition,
        Condition::Other
    );
    assert!(outside(&["F33.1"]).is_empty());
    assert!(outside(&["O99.314", "F10.20"]).is_empty());
}

/// Issue 25: a code read as "other" stands only for the conditions it can
/// mean ([`IcdCode::can_mean`]'s table, row by row); a code of the families
/// for its family or a broader one.
#[test]
fn a_code_means_only_what_it_can() {
    use Condition as C;
    let rows: [(&str, &[Condition]); 16] = [
        ("O99.312", &[C::AlcoholUse, C::SubstanceUse]),
        (
            "O99.322",
            &[
                C::SubstanceUse,
                C::OpioidUse,
                C::CannabisUse,
                C::SedativeUse,
                C::CocaineUse,
                C::StimulantUse,
                C::HallucinogenUse,
                C::InhalantUse,
                C::OtherSubstanceUse,
            ],
        ),
        ("O99.332", &[C::NicotineUse]),
        (
            "O99.345",
            &[
                C::Depressive,
                C::Anxiety,
                C::Ptsd,
                C::TraumaRelated,
                C::Bipolar,
                C::Personality,
                C::BorderlinePersonality,
                C::Psychotic,
                C::ObsessiveCompulsive,
                C::Eating,
                C::Adhd,
            ],
        ),
        (
            "F06.32",
            &[C::Psychotic, C::Depressive, C::Bipolar, C::Anxiety],
        ),
        ("F07.0", &[C::Personality]),
        ("F69", &[C::Personality]),
        ("F34.89", &[C::Depressive, C::Bipolar]),
        ("F39", &[C::Depressive, C::Bipolar]),
        ("F53", &[C::Depressive, C::Psychotic]),
        ("F93.0", &[C::Anxiety]),
        ("F94.1", &[C::Anxiety, C::TraumaRelated]),
        (
            "F99",
            &[
                C::Depressive,
                C::Anxiety,
                C::Ptsd,
                C::TraumaRelated,
                C::Bipolar,
                C::Personality,
                C::BorderlinePersonality,
                C::Psychotic,
                C::ObsessiveCompulsive,
                C::Eating,
                C::Adhd,
            ],
        ),
        ("F42.4", &[]),
        ("F42.3", &[]),
        ("Z63.0", &[]),
    ];
    for (code, can) in rows {
        let code: IcdCode = code.parse().expect("a code");
        assert_eq!(code.condition(), C::Other, "{code}");
        for c in C::ALL {
            let expected = *c == C::Other || can.contains(c);
            assert_eq!(code.can_mean(*c), expected, "{code} as {c:?}");
        }
    }
    // A code of the families: its own family or a broader one, no other.
    let f10: IcdCode = "F10.20".parse().expect("a code");
    let f60: IcdCode = "F60.3".parse().expect("a code");
    for c in C::ALL {
        assert_eq!(
            f10.can_mean(*c),
            matches!(c, C::AlcoholUse | C::SubstanceUse),
            "F10.20 {c:?}"
        );
        assert_eq!(
            f60.can_mean(*c),
            matches!(c, C::BorderlinePersonality | C::Personality),
            "F60.3 {c:?}"
        );
    }
}
