//! Seeded synthetic directories and patients, for benchmarks and tests.
//!
//! **Synthetic, not real**: programs are scattered around fifty real US
//! metropolitan centres (approximate coordinates), with invented names,
//! realistic mixes of levels, tracks, therapies, staff, payers and
//! aftercare. The same `(n, seed)` always gives the same data, on every
//! platform (SplitMix64, no floating-point randomness beyond IEEE
//! arithmetic).
//!
//! The US has roughly 30,000 mental-health and substance-use treatment
//! facilities (SAMHSA's N-SUMHSS), so 30,000 programs is "the whole
//! country"; 1,000,000 is a stress size.

use crate::{
    assign::{Referral, ReferralId},
    credential::{Certification, FacilityCredential, License, Staff},
    date::Date,
    diagnosis::{Condition, Diagnosis},
    level::{LevelOfCare, Rating},
    patient::{DeliveryPreference, PatientNeeds},
    program::{
        Aftercare, AgeRange, Delivery, FamilyInvolvement, GeoPoint, Language, Location, NotListed,
        Payer, Population, Program,
    },
    schedule::{Availability, Session, TimeOfDay, TimeWindow, Track, Weekday},
    therapy::{Approach, Modality, MoudMedication},
};

/// The date synthetic verification dates are drawn before (2026-11-01).
///
/// # Example
///
/// ```
/// assert_eq!(carematch::synthetic::AS_OF.to_string(), "2026-11-01");
/// ```
pub const AS_OF: Date = match Date::checked(2026, 11, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// SplitMix64: small, fast, and the same everywhere.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5EED_CA2E_0000_0001)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
    /// True with probability `p` percent.
    fn pct(&mut self, p: u64) -> bool {
        self.below(100) < p
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    /// A random subset: each item with probability `p` percent.
    fn subset<T: Clone>(&mut self, items: &[T], p: u64) -> Vec<T> {
        items.iter().filter(|_| self.pct(p)).cloned().collect()
    }
}

/// Fifty US metropolitan centres (approximate), Massachusetts first.
const METROS: [(&str, f64, f64); 50] = [
    ("Boston", 42.3601, -71.0589),
    ("Worcester", 42.2626, -71.8023),
    ("Springfield", 42.1015, -72.5898),
    ("Lowell", 42.6334, -71.3162),
    ("New Bedford", 41.6362, -70.9342),
    ("Providence", 41.8240, -71.4128),
    ("Hartford", 41.7658, -72.6734),
    ("New York", 40.7128, -74.0060),
    ("Philadelphia", 39.9526, -75.1652),
    ("Baltimore", 39.2904, -76.6122),
    ("Washington", 38.9072, -77.0369),
    ("Pittsburgh", 40.4406, -79.9959),
    ("Buffalo", 42.8864, -78.8784),
    ("Cleveland", 41.4993, -81.6944),
    ("Columbus", 39.9612, -82.9988),
    ("Cincinnati", 39.1031, -84.5120),
    ("Detroit", 42.3314, -83.0458),
    ("Chicago", 41.8781, -87.6298),
    ("Milwaukee", 43.0389, -87.9065),
    ("Minneapolis", 44.9778, -93.2650),
    ("Indianapolis", 39.7684, -86.1581),
    ("St. Louis", 38.6270, -90.1994),
    ("Kansas City", 39.0997, -94.5786),
    ("Omaha", 41.2565, -95.9345),
    ("Louisville", 38.2527, -85.7585),
    ("Nashville", 36.1627, -86.7816),
    ("Memphis", 35.1495, -90.0490),
    ("Atlanta", 33.7490, -84.3880),
    ("Charlotte", 35.2271, -80.8431),
    ("Raleigh", 35.7796, -78.6382),
    ("Richmond", 37.5407, -77.4360),
    ("Jacksonville", 30.3322, -81.6557),
    ("Orlando", 28.5383, -81.3792),
    ("Tampa", 27.9506, -82.4572),
    ("Miami", 25.7617, -80.1918),
    ("New Orleans", 29.9511, -90.0715),
    ("Houston", 29.7604, -95.3698),
    ("Dallas", 32.7767, -96.7970),
    ("San Antonio", 29.4241, -98.4936),
    ("Austin", 30.2672, -97.7431),
    ("Oklahoma City", 35.4676, -97.5164),
    ("Denver", 39.7392, -104.9903),
    ("Salt Lake City", 40.7608, -111.8910),
    ("Phoenix", 33.4484, -112.0740),
    ("Las Vegas", 36.1699, -115.1398),
    ("San Diego", 32.7157, -117.1611),
    ("Los Angeles", 34.0522, -118.2437),
    ("San Francisco", 37.7749, -122.4194),
    ("Portland", 45.5152, -122.6784),
    ("Seattle", 47.6062, -122.3321),
];

/// The state of each metropolitan centre in [`METROS`], in the same order.
const METRO_STATES: [&str; 50] = [
    "MA", "MA", "MA", "MA", "MA", "RI", "CT", "NY", "PA", "MD", "DC", "PA", "NY", "OH", "OH", "OH",
    "MI", "IL", "WI", "MN", "IN", "MO", "MO", "NE", "KY", "TN", "TN", "GA", "NC", "NC", "VA", "FL",
    "FL", "FL", "FL", "LA", "TX", "TX", "TX", "TX", "OK", "CO", "UT", "AZ", "NV", "CA", "CA", "CA",
    "OR", "WA",
];

const PLANS: [&str; 8] = [
    "Blue Cross Blue Shield",
    "Aetna",
    "Cigna",
    "UnitedHealthcare",
    "Harvard Pilgrim Health Care",
    "Tufts Health Plan",
    "Kaiser Permanente",
    "Humana",
];

const LANGS: [&str; 8] = ["es", "pt", "zh", "vi", "ht", "ru", "ar", "km"];

fn window(start: u16, end: u16) -> TimeWindow {
    // Only called with constant, valid minute values below.
    TimeWindow {
        start: TimeOfDay::from_minutes(start).unwrap_or(TimeOfDay::MIDNIGHT),
        end: TimeOfDay::from_minutes(end).unwrap_or(TimeOfDay::END_OF_DAY),
    }
}

fn track(rng: &mut Rng, level: LevelOfCare, minors: bool) -> Track {
    let days: &[Weekday] = match rng.below(4) {
        0 => &[Weekday::Mon, Weekday::Wed, Weekday::Fri],
        1 => &[Weekday::Tue, Weekday::Thu, Weekday::Sat],
        2 => &[Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu],
        _ => &Weekday::WORKDAYS,
    };
    let (name, w) = match level {
        LevelOfCare::PartialHospitalization => ("day", window(9 * 60, 14 * 60 + 30)),
        LevelOfCare::Outpatient => ("weekly group", window(18 * 60, 19 * 60 + 30)),
        _ if minors => ("after-school", window(15 * 60 + 30, 18 * 60 + 30)),
        _ => match rng.below(3) {
            0 => ("morning", window(9 * 60, 12 * 60)),
            1 => ("afternoon", window(13 * 60, 16 * 60)),
            _ => ("evening", window(17 * 60 + 30, 20 * 60 + 30)),
        },
    };
    let days: &[Weekday] = match level {
        LevelOfCare::PartialHospitalization => &Weekday::WORKDAYS,
        LevelOfCare::Outpatient => &days[..1],
        _ => days,
    };
    Track::new(name, level).with_sessions(days.iter().copied(), w)
}

/// How many approaches, from the start of [`Approach::ALL`], the generator
/// draws from: those there were when its seeds' programs were fixed. An
/// approach added to the vocabulary later would add a draw and change every
/// program every seed gives (and the benchmarks' data with them); it is left
/// out of generated programs instead (`family_intervention`).
const GENERATED_APPROACHES: usize = 35;

const _: () = assert!(GENERATED_APPROACHES <= Approach::ALL.len());

/// One synthetic program, number `i` of a directory drawn with `rng`. The
/// random draws happen in the order of the lines below (the struct's fields
/// too): reordering them changes every program a seed gives.
fn program(rng: &mut Rng, i: usize) -> Program {
    let (metro, latitude, longitude) = place(rng);
    let minors = rng.pct(15);
    let ages = ages(rng, minors);
    let (levels, tracks) = levels_and_tracks(rng, minors);
    let modalities = modalities(rng);
    let approaches = rng.subset(&Approach::ALL[..GENERATED_APPROACHES], 30);
    let (specialties, excluded_conditions) = conditions(rng);
    let staff = staff(rng, minors);
    let payers = payers(rng);
    let languages = languages(rng);
    let delivery = delivery(rng);
    let restricted_to = match rng.below(40) {
        0 => vec![Population::Women],
        1 => vec![Population::Veterans],
        _ => Vec::new(),
    };
    let days_ago = rng.below(700) as i32;
    let last_verified = date_before(AS_OF, days_ago);
    let admits = if i % 16 == 5 {
        specialties.clone()
    } else {
        Vec::new()
    };
    let (city, _, _) = METROS[metro];
    Program {
        id: format!("syn-{i:07}")
            .parse()
            .expect("ids of the form syn-NNNNNNN are valid"),
        name: format!("Synthetic Program {i} ({city})"),
        organization: format!("Synthetic Organization {} (synthetic)", i / 3),
        levels,
        tracks,
        modalities,
        approaches,
        specialties,
        excluded_conditions,
        staff,
        facility_credentials: rng.subset(FacilityCredential::ALL, 50),
        aftercare: rng.subset(Aftercare::ALL, 50),
        family_involvement: *rng.pick(FamilyInvolvement::ALL),
        payers,
        ages,
        populations: rng.subset(Population::ALL, 8),
        restricted_to,
        languages,
        interpreter_services: rng.pct(30),
        delivery,
        location: Location {
            address: format!("{} Synthetic Way", 1 + i % 999),
            city: city.to_owned(),
            state: METRO_STATES[metro].to_owned(),
            postal_code: String::new(),
            latitude,
            longitude,
            precision: crate::program::LocationPrecision::AsListed,
        },
        accepting_new_patients: rng.pct(85),
        typical_wait_days: rng.pct(90).then(|| rng.below(45) as u16),
        last_verified,
        licensed_states: Vec::new(),
        not_listed: Vec::new(),
        open_slots: synthetic_open_slots(i),
        // From the index alone, like the open slots, so every other
        // field's random draws are unchanged: one in 16 admits only its
        // specialties as primary conditions, one in 25 is an Opioid
        // Treatment Program, one in 10 coordinates with one.
        admits,
        moud_medications: if i % 25 == 7 {
            vec![MoudMedication::Methadone, MoudMedication::Buprenorphine]
        } else {
            Vec::new()
        },
        opioid_treatment_program: i % 25 == 7,
        coordinates_with_otp: i % 10 == 3,
        withdrawal_management: i % 12 == 1,
        medical_monitoring: false,
    }
}

/// A metropolitan centre (its index in [`METROS`]) and a point about
/// +-0.35 degrees (roughly 25 miles) around it.
fn place(rng: &mut Rng) -> (usize, f64, f64) {
    let metro = rng.below(METROS.len() as u64) as usize;
    let (_, lat, lon) = METROS[metro];
    let latitude = lat + (rng.unit() - 0.5) * 0.7;
    let longitude = lon + (rng.unit() - 0.5) * 0.7;
    (metro, latitude, longitude)
}

/// 13-17 for a program for minors; otherwise one in ten 18-25, the rest
/// 18 and over.
fn ages(rng: &mut Rng, minors: bool) -> AgeRange {
    if minors {
        AgeRange { min: 13, max: 17 }
    } else if rng.pct(10) {
        AgeRange { min: 18, max: 25 }
    } else {
        AgeRange { min: 18, max: 120 }
    }
}

/// The levels of care, mostly intensive outpatient alone, and a track at
/// each (two at intensive outpatient for two in five).
fn levels_and_tracks(rng: &mut Rng, minors: bool) -> (Vec<LevelOfCare>, Vec<Track>) {
    let levels = match rng.below(10) {
        0 => vec![LevelOfCare::PartialHospitalization],
        1 => vec![
            LevelOfCare::PartialHospitalization,
            LevelOfCare::IntensiveOutpatient,
        ],
        2 => vec![LevelOfCare::IntensiveOutpatient, LevelOfCare::Outpatient],
        3 => vec![LevelOfCare::Outpatient],
        _ => vec![LevelOfCare::IntensiveOutpatient],
    };
    let mut tracks = Vec::new();
    for l in &levels {
        tracks.push(track(rng, *l, minors));
        if *l == LevelOfCare::IntensiveOutpatient && rng.pct(40) {
            tracks.push(track(rng, *l, minors));
        }
    }
    (levels, tracks)
}

/// Individual and group, and each other modality with odds of 65 in 100.
fn modalities(rng: &mut Rng) -> Vec<Modality> {
    let mut modalities = vec![Modality::Individual, Modality::Group];
    modalities.extend(rng.subset(
        &[
            Modality::Family,
            Modality::Psychoeducation,
            Modality::MedicationManagement,
            Modality::PeerSupport,
            Modality::CaseManagement,
        ],
        65,
    ));
    modalities
}

/// The specialties, and for 15 in 100 programs one or two excluded
/// conditions that no specialty covers or is covered by.
fn conditions(rng: &mut Rng) -> (Vec<Condition>, Vec<Condition>) {
    let conditions = [
        Condition::Depressive,
        Condition::Anxiety,
        Condition::Ptsd,
        Condition::Bipolar,
        Condition::BorderlinePersonality,
        Condition::SubstanceUse,
        Condition::AlcoholUse,
        Condition::OpioidUse,
    ];
    let specialties = rng.subset(&conditions, 25);
    let excluded = if rng.pct(15) {
        [
            Condition::Psychotic,
            Condition::Eating,
            Condition::SubstanceUse,
        ]
        .into_iter()
        .filter(|c| !specialties.iter().any(|s| c.covers(*s) || s.covers(*c)))
        .take(1 + rng.below(2) as usize)
        .collect()
    } else {
        Vec::new()
    };
    (specialties, excluded)
}

/// The licenses the generator draws from: the first 15, those its seeds
/// were fixed with (a license added later would shift every draw after it).
const GENERATED_LICENSES: usize = 15;

const _: () = assert!(GENERATED_LICENSES <= License::ALL.len());

/// Clinicians by license (1 to 4 for each license held) and certification
/// (1 to 3; the child and adolescent one only where minors are served).
fn staff(rng: &mut Rng, minors: bool) -> Staff {
    let mut staff = Staff::default();
    for l in &License::ALL[..GENERATED_LICENSES] {
        if rng.pct(45) {
            staff.licenses.insert(*l, 1 + rng.below(4) as u32);
        }
    }
    for c in Certification::ALL {
        if (*c != Certification::ChildAdolescent || minors) && rng.pct(30) {
            staff.certifications.insert(*c, 1 + rng.below(3) as u32);
        }
    }
    staff
}

/// Public payers and self-pay, some commercial plans, and at least self-pay.
fn payers(rng: &mut Rng) -> Vec<Payer> {
    let mut payers = rng.subset(
        &[
            Payer::MassHealth,
            Payer::Medicare,
            Payer::Tricare,
            Payer::SelfPay,
            Payer::SlidingScale,
        ],
        55,
    );
    for plan in PLANS {
        if rng.pct(35) {
            payers.push(Payer::Commercial(plan.to_owned()));
        }
    }
    if payers.is_empty() {
        payers.push(Payer::SelfPay);
    }
    payers
}

/// English, and each of [`LANGS`] with odds of 8 in 100.
fn languages(rng: &mut Rng) -> Vec<Language> {
    let mut languages = vec![Language::ENGLISH];
    for l in LANGS {
        if rng.pct(8) {
            languages.push(l.parse().unwrap_or(Language::ENGLISH));
        }
    }
    languages
}

/// Mostly in person; some hybrid, one in ten telehealth only.
fn delivery(rng: &mut Rng) -> Vec<Delivery> {
    match rng.below(10) {
        0 => vec![Delivery::Telehealth],
        1..=3 => vec![Delivery::InPerson, Delivery::Hybrid],
        4 => vec![Delivery::Hybrid],
        _ => vec![Delivery::InPerson],
    }
}

/// Open slots for synthetic program `i`: 0 to 3, not listed for one in ten.
/// Derived from the index alone, so adding it left every other field's
/// random draws unchanged.
fn synthetic_open_slots(i: usize) -> Option<u32> {
    let h = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
    (h % 10 != 9).then_some((h % 4) as u32)
}

/// The date `days` before `d` (`d` itself, should that leave the years 1900-2999).
fn date_before(d: Date, days: i32) -> Date {
    Date::from_days_since_epoch(d.days_since_epoch() - days).unwrap_or(d)
}

/// A synthetic directory of `n` programs from `seed`; it validates without error.
///
/// # Example
///
/// ```
/// use carematch::{synthetic, validate_programs};
/// let programs = synthetic::directory(200, 7);
/// assert_eq!(programs.len(), 200);
/// assert_eq!(programs, synthetic::directory(200, 7));
/// assert!(!validate_programs(&programs, synthetic::AS_OF).has_errors());
/// ```
pub fn directory(n: usize, seed: u64) -> Vec<Program> {
    programs(n, seed).collect()
}

/// The programs of [`directory`]`(n, seed)`, one at a time, so that a large
/// directory can be written without holding it (`gen_directory` streams it).
///
/// # Example
///
/// ```
/// use carematch::synthetic;
/// let first: Vec<_> = synthetic::programs(50, 3).take(5).collect();
/// assert_eq!(first, synthetic::directory(50, 3)[..5]);
/// ```
pub fn programs(n: usize, seed: u64) -> impl Iterator<Item = Program> {
    let mut rng = Rng::new(seed);
    (0..n).map(move |i| program(&mut rng, i))
}

/// Marks parts of about `percent` percent of `programs` as not listed (as
/// real sources often leave schedules, staff, payers or wait out), clearing
/// those parts, so the programs still validate. Draws from its own `seed`,
/// so [`directory`] stays as it was.
///
/// # Example
///
/// ```
/// use carematch::{synthetic, validate_programs};
/// let mut programs = synthetic::directory(200, 7);
/// synthetic::leave_unlisted(&mut programs, 3, 50);
/// assert!(programs.iter().any(|p| !p.not_listed.is_empty()));
/// assert!(!validate_programs(&programs, synthetic::AS_OF).has_errors());
/// ```
pub fn leave_unlisted(programs: &mut [Program], seed: u64, percent: u8) {
    let mut rng = Rng::new(seed.wrapping_add(0x0_1157));
    for p in programs {
        if !rng.pct(u64::from(percent)) {
            continue;
        }
        // The seven parts this was written with (the draws stay as they
        // were: the verification date and the location, added later, are
        // never left out here).
        let seven = &NotListed::ALL[..7];
        let mut parts = rng.subset(seven, 40);
        if parts.is_empty() {
            parts.push(*rng.pick(seven));
        }
        for part in &parts {
            match part {
                NotListed::Tracks => p.tracks.clear(),
                NotListed::Staff => p.staff = Staff::default(),
                NotListed::FacilityCredentials => p.facility_credentials.clear(),
                NotListed::Aftercare => p.aftercare.clear(),
                NotListed::Payers => p.payers.clear(),
                NotListed::AcceptingNewPatients => p.accepting_new_patients = true,
                NotListed::Wait => p.typical_wait_days = None,
                NotListed::LastVerified | NotListed::Location => {}
            }
        }
        p.not_listed = parts;
    }
}

/// `n` synthetic patients from `seed`, each with a level of care set, a
/// location near one of the metropolitan centres, a travel limit of 10 to
/// 40 miles and that centre's state.
///
/// # Example
///
/// ```
/// let ps = carematch::synthetic::patients(10, 1);
/// assert!(ps.iter().all(|p| p.level.is_some() && p.validate().errors().count() == 0));
/// assert!(ps.iter().all(|p| p.state.is_some() && p.max_travel_miles.is_some()));
/// ```
pub fn patients(n: usize, seed: u64) -> Vec<PatientNeeds> {
    let mut rng = Rng::new(seed.wrapping_add(0xA11CE));
    (0..n).map(|_| patient(&mut rng)).collect()
}

fn patient(rng: &mut Rng) -> PatientNeeds {
    let age = if rng.pct(15) {
        13 + rng.below(5) as u8
    } else {
        18 + rng.below(60) as u8
    };
    let payer = match rng.below(10) {
        0..=2 => Payer::MassHealth,
        3 | 4 => Payer::Medicare,
        5 => Payer::SelfPay,
        _ => Payer::Commercial((*rng.pick(&PLANS)).to_owned()),
    };
    let conditions = [
        Condition::Depressive,
        Condition::Anxiety,
        Condition::Ptsd,
        Condition::Bipolar,
        Condition::BorderlinePersonality,
        Condition::AlcoholUse,
        Condition::OpioidUse,
    ];
    let mut needs = PatientNeeds::new(age, payer)
        .with_diagnosis(Diagnosis::from_condition(*rng.pick(&conditions)).primary());
    if rng.pct(40) {
        let second = *rng.pick(&conditions);
        if needs.diagnoses.iter().all(|d| d.condition != second) {
            needs.diagnoses.push(Diagnosis::from_condition(second));
        }
    }
    needs.level = Some(match rng.below(10) {
        0 => LevelOfCare::Outpatient,
        1 | 2 => LevelOfCare::PartialHospitalization,
        _ => LevelOfCare::IntensiveOutpatient,
    });
    needs.availability = match rng.below(3) {
        0 => Availability::anytime(),
        1 => Availability::from_busy(Weekday::WORKDAYS, window(9 * 60, 17 * 60)),
        _ => Availability::from_free(
            [
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Sat,
            ]
            .into_iter()
            .map(|d| Session::new(d, window(8 * 60, 13 * 60))),
        ),
    };
    needs.delivery = *rng.pick(DeliveryPreference::ALL);
    if rng.pct(10) {
        needs.language = (*rng.pick(&LANGS)).parse().unwrap_or(Language::ENGLISH);
    }
    let metro = rng.below(METROS.len() as u64) as usize;
    let (_, lat, lon) = METROS[metro];
    // The metropolitan area's state: telehealth must be licensed there.
    needs.state = Some(METRO_STATES[metro].to_owned());
    needs.location = Some(GeoPoint {
        latitude: lat + (rng.unit() - 0.5) * 0.4,
        longitude: lon + (rng.unit() - 0.5) * 0.4,
    });
    needs.max_travel_miles = Some(10.0 + rng.below(31) as f64);
    needs.wants_family_involved = rng.pct(30);
    needs.days_since_inpatient_discharge = rng.pct(25).then(|| rng.below(60) as u16);
    needs.co_occurring_substance_use = rng.pct(20);
    needs
}

/// A synthetic queue of `n` referrals from `seed`: [`patients`]`(n, seed)`
/// with opaque ids `Q-00000`, `Q-00001` ..., each at its patient's level,
/// one in twenty rated 5 for risk of harm and one in ten rated 4, and 0 to
/// 29 days waited so far.
///
/// # Example
///
/// ```
/// let q = carematch::synthetic::referrals(10, 1);
/// assert_eq!(q[3].id.as_str(), "Q-00003");
/// assert_eq!(q, carematch::synthetic::referrals(10, 1));
/// ```
pub fn referrals(n: usize, seed: u64) -> Vec<Referral> {
    let mut rng = Rng::new(seed.wrapping_add(0x0051_07ED));
    patients(n, seed)
        .into_iter()
        .enumerate()
        .map(|(i, needs)| {
            let level = needs.level.unwrap_or(LevelOfCare::IntensiveOutpatient);
            let id = ReferralId::new(format!("Q-{i:05}"));
            let mut r = Referral::new(
                id.unwrap_or_else(|_| unreachable!("a valid id")),
                needs,
                level,
            );
            r.risk_of_harm = match rng.below(20) {
                0 => Some(Rating::MAX),
                1 | 2 => Some(Rating::ALL[3]),
                3..=9 => Some(Rating::ALL[2]),
                _ => None,
            };
            r.waiting_days = rng.below(30) as u16;
            r
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_before_are_exact() {
        for days in [0, 1, 30, 31, 59, 365, 366, 699] {
            assert_eq!(AS_OF.days_since(date_before(AS_OF, days)), days);
        }
    }

    #[test]
    fn the_generator_is_deterministic() {
        let p = &directory(3, 42)[2];
        assert_eq!(p.id.as_str(), "syn-0000002");
        let again = &directory(3, 42)[2];
        assert_eq!(p, again);
    }
}
