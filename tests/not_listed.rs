//! "Not listed" is not "none": a part a source did not give never excludes,
//! is not scored, and is named in an `unconfirmed` alert.

use carematch::{
    Directory, NotListed, Payer, Program,
    matching::{Alert, Criterion, MatchOptions, Reason, Weights},
    programs_from_json, sample,
};

/// The sample patient's best match, with `parts` not listed (their fields cleared).
fn without(parts: &[NotListed]) -> (Vec<Program>, usize) {
    let mut programs = sample::massachusetts();
    let i = programs
        .iter()
        .position(|p| p.id.as_str() == "wor-lanternfly-evening-iop")
        .expect("the sample has it");
    let p = &mut programs[i];
    for part in parts {
        match part {
            NotListed::Tracks => p.tracks.clear(),
            NotListed::Payers => p.payers.clear(),
            NotListed::AcceptingNewPatients => p.accepting_new_patients = true,
            NotListed::Wait => p.typical_wait_days = None,
            NotListed::Staff => p.staff = Default::default(),
            NotListed::FacilityCredentials => p.facility_credentials.clear(),
            NotListed::Aftercare => p.aftercare.clear(),
            NotListed::LastVerified => p.last_verified = carematch::import::UNDATED,
            NotListed::Location => {
                p.delivery = vec![carematch::Delivery::Telehealth];
                p.location = carematch::Location::not_listed("MA");
            }
        }
    }
    p.not_listed = parts.to_vec();
    (programs, i)
}

fn unconfirmed(alerts: &[Alert]) -> Option<&Vec<NotListed>> {
    alerts.iter().find_map(|a| match a {
        Alert::Unconfirmed { not_listed } => Some(not_listed),
        _ => None,
    })
}

#[test]
fn a_program_without_schedule_or_payers_is_ranked_with_unconfirmed_never_excluded() {
    let (programs, i) = without(&[NotListed::Tracks, NotListed::Payers]);
    let id = programs[i].id.clone();
    let dir = Directory::new(programs, sample::AS_OF).unwrap();
    let mut needs = sample::patients()[0].needs.clone();
    // A payer no sample program lists: only a program with payers not listed can take it.
    needs.payer = Payer::commercial("Example Plan Nobody Lists").unwrap();
    let q = dir
        .query(
            &needs,
            needs.level.expect("a level"),
            MatchOptions::new(sample::AS_OF),
        )
        .unwrap();
    let r = dir.rank(&q, &Weights::default(), 40);
    let m = r
        .matches
        .iter()
        .find(|m| m.program_id == id)
        .unwrap_or_else(|| panic!("not ranked:\n{r}"));
    assert_eq!(
        unconfirmed(&m.alerts),
        Some(&vec![NotListed::Tracks, NotListed::Payers])
    );
    let schedule = m.criterion(Criterion::ScheduleFlexibility);
    assert_eq!(schedule.score, None, "a schedule not listed is not scored");
    assert_eq!(
        schedule.reasons,
        vec![Reason::NotListed {
            part: NotListed::Tracks
        }]
    );
    assert!(
        schedule.reasons[0]
            .to_string()
            .ends_with("not listed; confirm with the program")
    );
    assert!(r.excluded.iter().all(|e| e.program_id != id));
    // Every other program lists its payers and none takes this plan.
    assert_eq!(r.matches.len(), 1, "{r}");
    assert!(
        r.to_string()
            .contains("not listed: schedule, insurance accepted"),
        "{r}"
    );
}

#[test]
fn an_empty_payer_list_that_is_listed_still_excludes() {
    let mut programs = sample::massachusetts();
    programs[0].payers.clear();
    let id = programs[0].id.clone();
    let dir = Directory::new(programs, sample::AS_OF).unwrap();
    let needs = sample::patients()[0].needs.clone();
    let q = dir
        .query(
            &needs,
            needs.level.expect("a level"),
            MatchOptions::new(sample::AS_OF),
        )
        .unwrap();
    let carematch::matching::Explanation::Excluded { details: why } =
        dir.explain(&q, &Weights::default(), &id)
    else {
        panic!("{id} is not excluded")
    };
    assert!(why.reasons.iter().any(|r| r.key() == "payer_not_accepted"));
}

#[test]
fn new_patient_status_and_staff_not_listed_never_exclude() {
    let (mut programs, i) = without(&[
        NotListed::AcceptingNewPatients,
        NotListed::Staff,
        NotListed::Aftercare,
    ]);
    programs[i]
        .approaches
        .retain(|a| *a != carematch::Approach::Moud);
    let id = programs[i].id.clone();
    let dir = Directory::new(programs, sample::AS_OF).unwrap();
    let needs = sample::patients()[0].needs.clone();
    let q = dir
        .query(
            &needs,
            needs.level.expect("a level"),
            MatchOptions::new(sample::AS_OF),
        )
        .unwrap();
    let r = dir.rank(&q, &Weights::default(), 40);
    let m = r
        .matches
        .iter()
        .find(|m| m.program_id == id)
        .expect("ranked");
    assert_eq!(m.criterion(Criterion::Aftercare).score, None);
    assert!(
        m.criterion(Criterion::Wait)
            .reasons
            .contains(&Reason::NotListed {
                part: NotListed::AcceptingNewPatients
            })
    );
    let parts = unconfirmed(&m.alerts).expect("unconfirmed");
    assert!(parts.contains(&NotListed::Staff) && parts.contains(&NotListed::AcceptingNewPatients));
}

#[test]
fn not_listed_round_trips_in_json_and_old_files_mean_what_they_meant() {
    let (programs, i) = without(&[NotListed::Tracks, NotListed::Payers]);
    let json = serde_json::to_string(&programs[i]).unwrap();
    assert!(
        json.contains(r#""not_listed":["tracks","payers"]"#),
        "{json}"
    );
    let back: Program = serde_json::from_str(&json).unwrap();
    assert_eq!(back, programs[i]);
    // A program written without the field lists everything.
    let plain = serde_json::to_string(&sample::massachusetts()[0]).unwrap();
    assert!(!plain.contains("not_listed"));
}

#[test]
fn a_part_named_not_listed_but_given_is_an_error_with_its_path() {
    let mut programs = sample::massachusetts();
    programs[3].not_listed = vec![NotListed::Payers];
    let report = carematch::validate_programs(&programs, sample::AS_OF);
    let errors: Vec<String> = report.errors().map(|p| p.to_string()).collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("programs[3].not_listed[0]") && e.contains("payers")),
        "{errors:?}"
    );
    let json = r#"{"programs": [{"not_listed": ["scheduel"]}]}"#;
    let err = programs_from_json(json).unwrap_err().to_string();
    assert!(err.contains("not_listed"), "{err}");
}

/// A wait named as not listed (and so left out) is named in `unconfirmed`
/// exactly as an absent wait is: saying so twice does not cancel it.
#[test]
fn a_wait_named_not_listed_is_confirmed_like_an_absent_one() {
    for named in [true, false] {
        let (mut programs, i) = without(&[NotListed::Wait]);
        if !named {
            programs[i].not_listed.clear();
        }
        let id = programs[i].id.clone();
        let dir = Directory::new(programs, sample::AS_OF).unwrap();
        let needs = sample::patients()[0].needs.clone();
        let level = needs.level.expect("a level");
        let q = dir
            .query(&needs, level, MatchOptions::new(sample::AS_OF))
            .unwrap();
        let r = dir.rank(&q, &Weights::default(), 40);
        let m = r
            .matches
            .iter()
            .find(|m| m.program_id == id)
            .unwrap_or_else(|| panic!("not ranked:\n{r}"));
        let parts = unconfirmed(&m.alerts).expect("an unconfirmed alert");
        assert!(parts.contains(&NotListed::Wait), "named {named}: {parts:?}");
    }
}
