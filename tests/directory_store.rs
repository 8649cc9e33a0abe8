//! The directory keeps its programs compactly encoded and decodes them on
//! demand: what it gives back ([`Directory::programs`], [`Directory::get`])
//! must be exactly what it was given, for every kind of value a program can
//! hold, and stay so through updates.

mod common;

use carematch::{
    Directory, Language, MassHealthPlan, NotListed, Payer, Program, ProgramId, synthetic,
};
use common::{AS_OF, arb_directory, arb_term, config};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// State codes, for licensed states and other states' Medicaid.
const STATES: [&str; 12] = [
    "NH", "RI", "CT", "NY", "VT", "ME", "CA", "TX", "PR", "DC", "FL", "WA",
];

/// Text beyond the ASCII the common strategies draw: accents, scripts
/// other than Latin, emoji, and strings of a few hundred bytes.
fn arb_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z][A-Za-z ]{0,20}",
        "[A-Za-zÀ-ÿ][ -~À-ÿ]{0,40}",
        "[\u{4e00}-\u{4e80}\u{0600}-\u{0620}\u{1f600}-\u{1f640}a-z]{1,30}",
        "[A-Za-z]{1}[a-z ]{200,400}",
    ]
    .prop_filter("not blank", |s| !s.trim().is_empty())
}

/// Every kind of payer, named plans with any text.
fn arb_any_payer() -> impl Strategy<Value = Payer> {
    prop_oneof![
        select(vec![
            Payer::MassHealth,
            Payer::Medicare,
            Payer::Tricare,
            Payer::SelfPay,
            Payer::SlidingScale,
            Payer::VaCommunityCare,
            Payer::MedicareAdvantage(None),
        ]),
        arb_term(MassHealthPlan::ALL).prop_map(Payer::MassHealthPlan),
        arb_text().prop_map(|t| Payer::commercial(&t).unwrap_or_else(|e| panic!("{e}"))),
        arb_text().prop_map(|t| Payer::MedicareAdvantage(Some(
            t.split_whitespace().collect::<Vec<_>>().join(" ")
        ))),
        select(STATES.as_slice())
            .prop_map(|s| Payer::medicaid(s).unwrap_or_else(|e| panic!("{e}"))),
    ]
}

/// What the common program strategy rarely or never draws, to add to a
/// program: payers of every kind, any language code, licensed states,
/// open slots, unicode and long text.
#[derive(Debug, Clone)]
struct Extras {
    payers: Vec<Payer>,
    languages: Vec<Language>,
    licensed_states: Vec<String>,
    open_slots: Option<u32>,
    name: Option<String>,
    organization: Option<String>,
    address: Option<String>,
    city: Option<String>,
    track_name: Option<String>,
}

fn arb_extras() -> impl Strategy<Value = Extras> {
    (
        vec(arb_any_payer(), 0..4),
        vec(
            "[a-z]{2,3}".prop_map(|c| c.parse::<Language>().unwrap_or_else(|e| panic!("{e}"))),
            0..3,
        ),
        vec(select(STATES.as_slice()).prop_map(str::to_owned), 0..4),
        proptest::option::of(0u32..=10_000),
        (
            proptest::option::of(arb_text()),
            proptest::option::of(arb_text()),
            proptest::option::of(arb_text()),
            proptest::option::of(arb_text()),
            proptest::option::of(arb_text()),
        ),
    )
        .prop_map(
            |(
                payers,
                languages,
                licensed_states,
                open_slots,
                (name, organization, address, city, track_name),
            )| {
                Extras {
                    payers,
                    languages,
                    licensed_states,
                    open_slots,
                    name,
                    organization,
                    address,
                    city,
                    track_name,
                }
            },
        )
}

/// `p` with the extras, keeping it valid (a part not listed stays empty;
/// payers and languages stay distinct).
fn with_extras(mut p: Program, e: Extras) -> Program {
    if p.is_listed(NotListed::Payers) {
        for payer in e.payers {
            if !p.payers.contains(&payer) {
                p.payers.push(payer);
            }
        }
    }
    for l in e.languages {
        if !p.languages.contains(&l) {
            p.languages.push(l);
        }
    }
    p.licensed_states = e.licensed_states;
    p.licensed_states.dedup();
    p.open_slots = e.open_slots;
    if let Some(name) = e.name {
        p.name = name;
    }
    if let Some(o) = e.organization {
        p.organization = o;
    }
    if let Some(a) = e.address {
        p.location.address = a;
    }
    if let Some(c) = e.city {
        p.location.city = c;
    }
    if let (Some(t), Some(track)) = (e.track_name, p.tracks.first_mut()) {
        track.name = t;
    }
    p
}

fn arb_programs() -> impl Strategy<Value = Vec<Program>> {
    arb_directory(24)
        .prop_flat_map(|programs| {
            let n = programs.len();
            (Just(programs), vec(arb_extras(), n))
        })
        .prop_map(|(programs, extras)| {
            programs
                .into_iter()
                .zip(extras)
                .map(|(p, e)| with_extras(p, e))
                .collect()
        })
}

/// The directory gives back exactly what it was given, in order and by id.
fn assert_holds(dir: &Directory, programs: &[Program]) -> Result<(), TestCaseError> {
    prop_assert_eq!(dir.programs().collect::<Vec<_>>(), programs.to_vec());
    prop_assert_eq!(dir.programs().len(), programs.len());
    prop_assert!(dir.programs().rev().eq(programs.iter().rev().cloned()));
    prop_assert!(dir.ids().eq(programs.iter().map(|p| p.id.as_str())));
    for p in programs {
        prop_assert_eq!(dir.get(&p.id), Some(p.clone()));
        prop_assert!(dir.contains(&p.id));
    }
    prop_assert_eq!(dir.get("no-such-program"), None);
    Ok(())
}

proptest! {
    #![proptest_config(config(64, "directory_store"))]

    #[test]
    fn programs_come_back_exactly_as_given(programs in arb_programs()) {
        let dir = Directory::new(programs.clone(), AS_OF)
            .unwrap_or_else(|e| panic!("the strategy draws valid programs: {e}"));
        assert_holds(&dir, &programs)?;
    }

    #[test]
    fn programs_come_back_exactly_after_updates(
        programs in arb_programs(),
        more in arb_programs(),
        picks in vec((any::<prop::sample::Index>(), 0u8..4), 0..24),
    ) {
        let mut dir = Directory::new(programs.clone(), AS_OF)
            .unwrap_or_else(|e| panic!("the strategy draws valid programs: {e}"));
        let mut model = programs;
        let mut fresh = more.into_iter();
        for (pick, op) in picks {
            match (op, model.is_empty()) {
                (0, _) => {
                    if let Some(mut p) = fresh.next() {
                        p.id = format!("new-{}", p.id).parse::<ProgramId>().unwrap_or_else(|e| panic!("{e}"));
                        if !dir.contains(&p.id) {
                            dir.insert(p.clone()).unwrap_or_else(|e| panic!("{e}"));
                            model.push(p);
                        }
                    }
                }
                (1, false) => {
                    let i = pick.index(model.len());
                    let removed = dir.remove(&model[i].id).unwrap_or_else(|e| panic!("{e}"));
                    prop_assert_eq!(&removed, &model[i]);
                    model.remove(i);
                }
                (2, false) => {
                    if let Some(mut p) = fresh.next() {
                        let i = pick.index(model.len());
                        p.id = model[i].id.clone();
                        dir.replace(p.clone()).unwrap_or_else(|e| panic!("{e}"));
                        model[i] = p;
                    }
                }
                (3, false) => {
                    let i = pick.index(model.len());
                    let id = model[i].id.clone();
                    let wait = model[i].typical_wait_days.map(|w| w + 1);
                    dir.set_accepting(&id, !model[i].accepting_new_patients, wait)
                        .unwrap_or_else(|e| panic!("{e}"));
                    let p = &mut model[i];
                    p.accepting_new_patients = !p.accepting_new_patients;
                    p.typical_wait_days = wait;
                    p.not_listed.retain(|n| {
                        *n != NotListed::AcceptingNewPatients && (*n != NotListed::Wait || wait.is_none())
                    });
                }
                _ => {}
            }
        }
        assert_holds(&dir, &model)?;
    }
}

#[test]
fn a_large_synthetic_directory_comes_back_exactly() {
    let programs = synthetic::directory(3_000, 15);
    let dir = Directory::new(programs.clone(), synthetic::AS_OF).unwrap_or_else(|e| panic!("{e}"));
    assert!(dir.programs().eq(programs.iter().cloned()));
    for p in programs.iter().step_by(7) {
        assert_eq!(dir.get(&p.id).as_ref(), Some(p));
    }
}

#[test]
fn replacing_one_program_many_times_keeps_the_store_bounded() {
    let programs = synthetic::directory(200, 9);
    let mut dir =
        Directory::new(programs.clone(), synthetic::AS_OF).unwrap_or_else(|e| panic!("{e}"));
    let before = dir.store_bytes();
    for round in 0..2_000 {
        let mut p = programs[round % 50 + 1].clone();
        p.id = programs[0].id.clone();
        p.name = format!("{} (version {round})", p.name);
        dir.replace(p).unwrap_or_else(|e| panic!("{e}"));
    }
    assert!(
        dir.store_bytes() < 3 * before,
        "{} bytes after 2,000 replacements, {before} before",
        dir.store_bytes()
    );
}
