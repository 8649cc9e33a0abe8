//! SAMHSA treatment locator (FindTreatment.gov) listing pages: `{"page",
//! "totalPages", "recordCount", "rows": [...]}`, one row per facility
//! listing, its services in groups `{"f1": label, "f2": code, "f3": "a; b"}`.
//!
//! | source field | becomes in `Program` |
//! | --- | --- |
//! | `frid` | `id` (`samhsa-<frid>`); refused without it |
//! | `name1` | `organization`, and `name` when `name2` is empty; refused without it |
//! | `name2` | `name` |
//! | `street1`, `street2`, `city`, `state`, `zip` | `location`'s address, city, state (upper case), postal code |
//! | `latitude`, `longitude` (numbers or strings) | `location`'s coordinates; without them, the `zip` code's centre from the embedded Census table, marked approximate (`precision: zip_centre`); without either, the location is not listed: kept for a telehealth program (telehealth only), refused otherwise |
//! | `typeFacility` (`MH`, `SA`) | nothing: which vocabulary the services use |
//! | services `SET`, `FT` | `levels`, telehealth `delivery`; refused when no level is found |
//! | services `TAP`, `EDU`, `AS` | `approaches`, `modalities` (`IPT`, individual psychotherapy, is a modality) |
//! | services `PHR`, `OT`, `OM` | `approaches` (MOUD, MAUD), `modalities` (medication management) |
//! | services `PAY`, `PYAS` | `payers`, listed only when every value names a carematch payer (else not listed, noted) |
//! | services `SG` | `populations`, `specialties` |
//! | services `LANG`, `OL` | `languages` (English added first when not listed), `interpreter_services` |
//! | services `AGE` | `ages`: the union of the groups (0-120, noted, when none) |
//! | services `TRSRV` | `aftercare` (then listed) |
//! | services `LCA` | `facility_credentials` (then listed) |
//! | services `TC`, `EMS`, `FOP`, `SMP`, `TOBAC`, `ASSES`, `SCR`, `EXCL`, `GN` | ignored, each with its reason |
//! | `phone`, `intake1`, `intake2`, `hotline1`, `website`, `miles` | ignored: contact details, the search's distance |
//!
//! Delivery is in person (and telehealth when a value says so). Schedules,
//! staff, wait and new-patient status stay not listed.
//!
//! Codes and values are SAMHSA's vocabulary (the locator's filter codes and
//! the 2023 mental-health facility file, US Government work): the table here
//! says what each value means in carematch's terms, in our own words.

use serde_json::Value;

use crate::import::map::{Found, coordinates, site};
use crate::import::words::{Meds, Text, language_by_name, levels_in, medications};
use crate::import::{
    Import, ImportOptions, Method, Recorder, blank, finish, join_address, listed, program_id, push,
    shape, text, unique_ids, vocab,
};
use crate::program::{
    Aftercare, AgeRange, Delivery, Language, Location, LocationPrecision, NotListed, Payer,
    Population, Program, ProgramId,
};
use crate::{
    credential::FacilityCredential,
    diagnosis::Condition,
    error::Error,
    import::Format,
    level::LevelOfCare,
    therapy::{Approach, Modality},
};

/// What one locator value means for a program.
#[derive(Debug, Clone)]
enum Target {
    /// A level, an approach, a modality or a population.
    Concept(Found),
    Delivery(Delivery),
    Payer(Payer),
    /// A payer kind carematch cannot name as a payer (private insurance
    /// without plans, Medicaid outside Massachusetts): the payer list is
    /// then left not listed, so no patient is excluded on it.
    PayerKind(&'static str),
    Specialty(Condition),
    Language(Language),
    Interpreter,
    Ages(u8, u8),
    Aftercare(Aftercare),
    Facility(FacilityCredential),
    /// Levels a setting names in words (whole words, negations respected).
    Levels(Vec<LevelOfCare>),
    /// Medications and withdrawal management, as written.
    Meds(Meds),
    /// Specialties (serious mental illness: psychotic and bipolar disorders).
    Specialties(&'static [Condition]),
    Ignore(&'static str),
}

impl Target {
    fn describe(&self) -> String {
        match self {
            Target::Concept(f) => f.describe(),
            Target::Delivery(d) => format!("delivery: {}", d.key()),
            Target::Payer(p) => format!("payers: {}", p.key()),
            Target::PayerKind(k) => format!("payers: not listed ({k})"),
            Target::Specialty(c) => format!("specialties: {}", c.key()),
            Target::Language(l) => format!("languages: {l}"),
            Target::Interpreter => "interpreter_services: true".to_owned(),
            Target::Ages(a, b) => format!("ages: {a}-{b}"),
            Target::Aftercare(a) => format!("aftercare: {}", a.key()),
            Target::Facility(f) => format!("facility_credentials: {}", f.key()),
            Target::Levels(ls) => ls
                .iter()
                .map(|l| format!("levels: {}", l.key()))
                .collect::<Vec<_>>()
                .join(", "),
            Target::Meds(m) => m.describe().join(", "),
            Target::Specialties(cs) => cs
                .iter()
                .map(|c| format!("specialties: {}", c.key()))
                .collect::<Vec<_>>()
                .join(", "),
            Target::Ignore(_) => String::new(),
        }
    }
}

/// Categories carematch reads nothing from, and why.
const IGNORED_CATEGORIES: &[(&str, &str)] = &[
    (
        "EMS",
        "emergency services: not a program property carematch matches on",
    ),
    ("FOP", "facility operation (ownership): not matched on"),
    ("SMP", "smoking policy: not matched on"),
    ("TOBAC", "tobacco services: not matched on"),
    ("ASSES", "assessment services: not matched on"),
    ("SCR", "screening services: not matched on"),
    (
        "EXCL",
        "exclusions are free text about facilities, not conditions: read them at the source",
    ),
    (
        "GN",
        "genders accepted: not read (a women's or men's program is a population restriction to confirm)",
    ),
];

/// What a value in the table means: a target, or one that depends on
/// what the table cannot hold (a language by its code; Medicaid by the
/// row's state).
#[derive(Debug, Clone)]
enum Meaning {
    Is(Target),
    LanguageCode(&'static str),
    Medicaid,
    /// "Creole": the language the operator says (`ImportOptions::creole`), else not guessed.
    Creole,
}

impl Meaning {
    /// The target in a row of `state`.
    fn target(&self, state: &str, creole: Option<Language>) -> Option<Target> {
        match self {
            Meaning::Creole => Some(creole.map_or(
                Target::Ignore(
                    "which Creole is not said (Haitian? Cape Verdean?): pass --creole to say what this source means",
                ),
                Target::Language,
            )),
            Meaning::Is(t) => Some(t.clone()),
            Meaning::LanguageCode(code) => code.parse().ok().map(Target::Language),
            Meaning::Medicaid if state.eq_ignore_ascii_case("MA") => {
                Some(Target::Payer(Payer::MassHealth))
            }
            Meaning::Medicaid => Some(Target::PayerKind(
                "Medicaid outside Massachusetts: carematch names MassHealth only",
            )),
        }
    }
}

const fn level(l: LevelOfCare) -> Meaning {
    Meaning::Is(Target::Concept(Found::Level(l)))
}
const fn approach(a: Approach) -> Meaning {
    Meaning::Is(Target::Concept(Found::Approach(a)))
}
const fn modality(m: Modality) -> Meaning {
    Meaning::Is(Target::Concept(Found::Modality(m)))
}
const fn population(p: Population) -> Meaning {
    Meaning::Is(Target::Concept(Found::Population(p)))
}
const fn specialty(c: Condition) -> Meaning {
    Meaning::Is(Target::Specialty(c))
}
const fn payer(p: Payer) -> Meaning {
    Meaning::Is(Target::Payer(p))
}
const fn payer_kind(why: &'static str) -> Meaning {
    Meaning::Is(Target::PayerKind(why))
}
const fn ages(min: u8, max: u8) -> Meaning {
    Meaning::Is(Target::Ages(min, max))
}
const fn aftercare(a: Aftercare) -> Meaning {
    Meaning::Is(Target::Aftercare(a))
}
const fn facility(f: FacilityCredential) -> Meaning {
    Meaning::Is(Target::Facility(f))
}
const fn ignore(why: &'static str) -> Meaning {
    Meaning::Is(Target::Ignore(why))
}
const TELEHEALTH: Meaning = Meaning::Is(Target::Delivery(Delivery::Telehealth));

/// A category's values (lowercase) and what each means.
type Values = &'static [(&'static [&'static str], Meaning)];

/// One category of the locator's services: its codes, its values, and what
/// a value not listed means (`None`: carematch's vocabularies decide).
struct Category {
    codes: &'static [&'static str],
    values: Values,
    otherwise: Option<Meaning>,
}

/// The locator's own values, by category. Anything not here goes to
/// carematch's vocabularies for the category.
static CATEGORIES: &[Category] = &[
    Category {
        codes: &["TC"],
        values: &[],
        otherwise: Some(ignore(
            "type of care: carematch matches on levels, approaches and conditions",
        )),
    },
    Category {
        codes: &["SET"],
        values: SETTINGS,
        otherwise: None,
    },
    Category {
        codes: &["FT"],
        values: SETTINGS,
        otherwise: Some(ignore("a facility type, not a level of care")),
    },
    Category {
        codes: &["TAP"],
        values: APPROACHES,
        otherwise: None,
    },
    Category {
        codes: &["EDU"],
        values: COUNSELLING,
        otherwise: Some(ignore("counselling or education carematch has no term for")),
    },
    Category {
        codes: &["AS"],
        values: ANCILLARY,
        otherwise: Some(ignore("an ancillary service carematch does not match on")),
    },
    Category {
        codes: &["PHR", "OT", "OM"],
        values: MEDICATIONS,
        otherwise: Some(modality(Modality::MedicationManagement)),
    },
    Category {
        codes: &["PAY", "PYAS"],
        values: PAYMENT,
        otherwise: Some(ignore(
            "a funding source (grants, government funds), not a patient's payer",
        )),
    },
    Category {
        codes: &["SG"],
        values: GROUPS,
        otherwise: Some(ignore(
            "a special group carematch has no population or condition for",
        )),
    },
    Category {
        codes: &["LANG", "OL"],
        values: LANGUAGES,
        otherwise: None,
    },
    Category {
        codes: &["AGE"],
        values: AGE_GROUPS,
        otherwise: None,
    },
    Category {
        codes: &["TRSRV"],
        values: TRANSITIONAL,
        otherwise: None,
    },
    Category {
        codes: &["LCA"],
        values: CREDENTIALS,
        otherwise: None,
    },
];

/// `SET` service settings and `FT` facility types: levels, telehealth.
const SETTINGS: Values = &[
    (
        &[
            "outpatient",
            "regular outpatient treatment",
            "outpatient mental health facility",
        ],
        level(LevelOfCare::Outpatient),
    ),
    (
        &["intensive outpatient treatment"],
        level(LevelOfCare::IntensiveOutpatient),
    ),
    (
        &[
            "partial hospitalization/day treatment",
            "outpatient day treatment or partial hospitalization",
            "day treatment or partial hospitalization",
        ],
        level(LevelOfCare::PartialHospitalization),
    ),
    (
        &[
            "residential/24-hour residential",
            "short-term residential",
            "long-term residential",
            "residential treatment center (rtc) for children",
            "residential treatment center (rtc) for adults",
        ],
        level(LevelOfCare::Residential),
    ),
    (
        &[
            "hospital inpatient/24-hour hospital inpatient",
            "hospital inpatient treatment",
            "hospital inpatient",
            "psychiatric inpatient",
            "inpatient",
            "psychiatric hospital",
            "general hospital (including va hospital) with separate psychiatric unit",
        ],
        level(LevelOfCare::Inpatient),
    ),
    (
        &[
            "telemedicine/telehealth",
            "telemedicine",
            "telehealth",
            "telemedicine/telehealth therapy",
        ],
        TELEHEALTH,
    ),
];

/// `TAP` treatment approaches: approaches, and the modalities the
/// mental-health vocabulary lists among them.
const APPROACHES: Values = &[
    // The mental-health vocabulary's IPT: individual psychotherapy, a modality.
    (
        &["individual psychotherapy"],
        modality(Modality::Individual),
    ),
    (&["group therapy"], modality(Modality::Group)),
    (&["couples/family therapy"], modality(Modality::Family)),
    (&["cognitive behavioral therapy"], approach(Approach::Cbt)),
    (&["dialectical behavior therapy"], approach(Approach::Dbt)),
    (
        &["eye movement desensitization and reprocessing therapy"],
        approach(Approach::Emdr),
    ),
    (
        &["motivational interviewing"],
        approach(Approach::MotivationalInterviewing),
    ),
    (
        &["contingency management/motivational incentives"],
        approach(Approach::ContingencyManagement),
    ),
    (&["telemedicine/telehealth therapy"], TELEHEALTH),
    (
        &[
            "integrated mental and substance use disorder treatment",
            "integrated dual disorders treatment",
            "integrated dual disorder treatment",
        ],
        specialty(Condition::SubstanceUse),
    ),
    (
        &["psychotropic medication", "psychotropic medications"],
        modality(Modality::MedicationManagement),
    ),
    (
        &["trauma therapy"],
        ignore("a general term, not a named evidence-based approach (CPT, PE, EMDR ...)"),
    ),
    (
        &[
            "activity therapy",
            "cognitive remediation therapy",
            "electroconvulsive therapy",
            "ketamine infusion therapy",
            "transcranial magnetic stimulation",
            "abnormal involuntary movement scale",
            "relapse prevention",
            "substance use counseling approach",
            "12-step facilitation approach",
            "anger management",
            "brief intervention approach",
            "rational emotive behavioral therapy",
            "matrix model",
            "community reinforcement plus vouchers",
            "trauma-related counseling",
        ],
        ignore("no carematch approach or modality for it"),
    ),
];

/// `EDU` counselling and education: modalities.
const COUNSELLING: Values = &[
    (
        &["individual counseling offered"],
        modality(Modality::Individual),
    ),
    (&["group counseling offered"], modality(Modality::Group)),
    (
        &[
            "family counseling offered",
            "marital/couples counseling offered",
        ],
        modality(Modality::Family),
    ),
];

/// `AS` ancillary services: modalities.
const ANCILLARY: Values = &[
    (
        &["case management", "case management service"],
        modality(Modality::CaseManagement),
    ),
    (
        &["family psychoeducation", "psychoeducation"],
        modality(Modality::Psychoeducation),
    ),
    (
        &[
            "consumer-run (peer-support) services",
            "peer support",
            "peer support services",
        ],
        modality(Modality::PeerSupport),
    ),
];

/// `PHR`, `OT`, `OM` pharmacotherapies not read as medication statements
/// first (buprenorphine in any form or brand, methadone, naltrexone,
/// acamprosate, disulfiram, psychotropic medication: see the importer's
/// medication table, `words::medications`): other named medications are
/// medication management.
const MEDICATIONS: Values = &[
    (
        &[
            "antidepressants",
            "mood stabilizers",
            "anti-psychotics",
            "antipsychotics",
            "anxiolytics",
            "stimulants",
            "medication management",
        ],
        modality(Modality::MedicationManagement),
    ),
    (
        &[
            "accepts clients on opioid medication",
            "accepts clients on opioid medication but prescribed elsewhere",
        ],
        ignore("accepts patients on MOUD prescribed elsewhere: not the program's own MOUD"),
    ),
];

/// `PAY`, `PYAS` payment accepted and assistance: payers and payer kinds.
const PAYMENT: Values = &[
    (&["medicare"], payer(Payer::Medicare)),
    (&["medicaid"], Meaning::Medicaid),
    (
        &[
            "military insurance (e.g., tricare)",
            "federal military insurance (e.g., tricare)",
        ],
        payer(Payer::Tricare),
    ),
    (&["cash or self-payment"], payer(Payer::SelfPay)),
    (
        &[
            "sliding fee scale (fee is based on income and other factors)",
            "sliding fee scale",
        ],
        payer(Payer::SlidingScale),
    ),
    (
        &["private health insurance"],
        payer_kind("private insurance accepted, but no plans named"),
    ),
    (
        &["state-financed health insurance plan other than medicaid"],
        payer_kind("a state plan other than Medicaid, not named"),
    ),
    (
        &["payment assistance (check with facility for details)"],
        ignore("payment assistance: confirm with the facility"),
    ),
    (
        &["no payment accepted"],
        ignore("free services: carematch has no payer for it; treated as self-pay is not assumed"),
    ),
];

/// `SG` special programs or groups: populations and specialties.
const GROUPS: Values = &[
    (&["veterans"], population(Population::Veterans)),
    (
        &[
            "young adults",
            "transitional age young adults",
            "transition age youth",
            "transition-age youth",
        ],
        population(Population::YoungAdults),
    ),
    (
        &[
            "pregnant/postpartum women",
            "pregnant/postpartum",
            "pregnant or postpartum women",
            "pregnant women",
        ],
        population(Population::PerinatalParents),
    ),
    (
        &[
            "persons 18 and older with serious mental illness (smi)",
            "persons with serious mental illness (smi)",
            "serious mental illness",
        ],
        Meaning::Is(Target::Specialties(&[
            Condition::Psychotic,
            Condition::Bipolar,
        ])),
    ),
    (
        &["seniors or older adults", "seniors"],
        population(Population::OlderAdults),
    ),
    (&["adolescents"], population(Population::Adolescents)),
    (&["adult women", "women"], population(Population::Women)),
    (&["adult men", "men"], population(Population::Men)),
    (
        &[
            "lesbian, gay, bisexual, transgender, or queer/questioning (lgbtq)",
            "lesbian, gay, bisexual, or transgender (lgbt) clients",
            "lgbtq",
            "lgbt clients",
            "lgbtq clients",
            "lgbtq+ clients",
        ],
        population(Population::Lgbtq),
    ),
    (
        &["persons with post-traumatic stress disorder (ptsd)"],
        specialty(Condition::Ptsd),
    ),
    (
        &["persons with eating disorders"],
        specialty(Condition::Eating),
    ),
    (
        &["persons experiencing first-episode psychosis"],
        specialty(Condition::Psychotic),
    ),
    (
        &[
            "clients who have experienced trauma",
            "trauma",
            "persons who have experienced trauma",
        ],
        specialty(Condition::TraumaRelated),
    ),
    (
        &[
            "persons with co-occurring mental and substance use disorders",
            "clients with co-occurring mental and substance use disorders",
        ],
        specialty(Condition::SubstanceUse),
    ),
];

/// `LANG`, `OL` languages: the ones the vocabulary may not know, and
/// those reported rather than guessed.
const LANGUAGES: Values = &[
    (
        &["services for the deaf and hard of hearing"],
        ignore("deaf and hard-of-hearing services: confirm which"),
    ),
    (
        &["sign language/asl", "american sign language"],
        Meaning::LanguageCode("ase"),
    ),
    (&["creole"], Meaning::Creole),
    (
        &["any chinese language", "chinese"],
        Meaning::LanguageCode("zh"),
    ),
    (&["farsi"], Meaning::LanguageCode("fa")),
    (
        &["interpreter services", "interpreter"],
        Meaning::Is(Target::Interpreter),
    ),
    (
        &["american indian or alaska native languages"],
        ignore("which language is not said"),
    ),
];

/// `AGE` age groups: age ranges (a row's ranges are joined).
const AGE_GROUPS: Values = &[
    (
        &["children/adolescents", "children", "youth (under 18)"],
        ages(0, 17),
    ),
    (&["adolescents"], ages(13, 17)),
    (&["young adults"], ages(18, 25)),
    // "Adults" on the locator is 18 and older (its own filter says so):
    // never capped at 64, so seniors are not excluded.
    (&["adults", "adults (18 and older)"], ages(18, 120)),
    (&["seniors (65 or older)", "seniors"], ages(65, 120)),
];

/// `TRSRV` transitional services: aftercare.
const TRANSITIONAL: Values = &[
    (
        &["aftercare/continuing care"],
        aftercare(Aftercare::AlumniGroup),
    ),
    (
        &["discharge planning"],
        aftercare(Aftercare::DischargePlanning),
    ),
];

/// `LCA` licences, certifications, accreditations: facility credentials.
const CREDENTIALS: Values = &[
    (
        &[
            "state mental health department",
            "state mental health agency",
        ],
        facility(FacilityCredential::StateMentalHealth),
    ),
    (
        &["state substance abuse agency"],
        facility(FacilityCredential::StateSubstanceUse),
    ),
    (
        &["the joint commission", "joint commission"],
        facility(FacilityCredential::JointCommission),
    ),
    (
        &[
            "commission on accreditation of rehabilitation facilities (carf)",
            "carf",
        ],
        facility(FacilityCredential::Carf),
    ),
    (
        &["council on accreditation (coa)"],
        facility(FacilityCredential::Coa),
    ),
];

/// What the locator's `value` of category `cat` means in a row of `state`,
/// by the table (ignoring case); `None` when the table does not say.
fn table(cat: &str, value: &str, state: &str, creole: Option<Language>) -> Option<Target> {
    let v = value
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let category = CATEGORIES.iter().find(|c| c.codes.contains(&cat))?;
    let meaning = category
        .values
        .iter()
        .find(|(values, _)| values.contains(&v.as_str()))
        .map(|(_, m)| m)
        .or(category.otherwise.as_ref())?;
    meaning.target(state, creole)
}

/// Categories whose values may state medications or withdrawal management.
const MEDICATION_CATEGORIES: &[&str] = &["PHR", "OT", "OM", "AUT", "TC", "SET", "TAP"];

/// A medication or withdrawal statement, read as written (negated ones
/// mean nothing); `None` when the value states neither (the table decides).
fn medication_value(cat: &str, value: &str) -> Option<Target> {
    if !MEDICATION_CATEGORIES.contains(&cat) {
        return None;
    }
    let meds = medications(value, matches!(cat, "OT" | "OM"));
    if meds.any() {
        // A setting that is withdrawal management ("Outpatient
        // detoxification") is not a level carematch ranks.
        return Some(Target::Meds(meds));
    }
    let t = Text::new(value);
    let pharmacy = matches!(cat, "PHR" | "OT" | "OM" | "AUT");
    let stated = [
        "medication",
        "medications",
        "opioid",
        "addiction",
        "treat",
        "use",
        "prescribe",
    ];
    if pharmacy && t.negates(&stated) {
        return Some(Target::Ignore(
            "a negated statement (\"does not\", \"do not\"): it means no medication, so nothing is mapped",
        ));
    }
    None
}

/// The vocabulary fallback for a category: a value through carematch's terms.
fn fallback(cat: &str, value: &str) -> Result<(Target, Method, f64), Vec<String>> {
    fn via<T: crate::vocabulary::Resolvable>(
        value: &str,
        wrap: impl Fn(T) -> Target,
    ) -> Result<(Target, Method, f64), Vec<String>> {
        vocab::<T>(value).map(|(x, how, c)| (wrap(x), how, c))
    }
    match cat {
        "SET" | "FT" => {
            let ls: Vec<LevelOfCare> = levels_in(&Text::new(value))
                .into_iter()
                .map(|(l, _)| l)
                .collect();
            if ls.is_empty() {
                Err(Vec::new())
            } else {
                Ok((Target::Levels(ls), Method::Read, 1.0))
            }
        }
        "TAP" => via(value, |a| Target::Concept(Found::Approach(a))).or_else(|s| {
            via(value, |m| Target::Concept(Found::Modality(m)))
                .map_err(|t| s.into_iter().chain(t).collect())
        }),
        "SG" => via(value, |x| Target::Concept(Found::Population(x))),
        "LANG" | "OL" => match language_by_name(value) {
            Some(l) => Ok((Target::Language(l), Method::FormatCode, 1.0)),
            None => via(value, Target::Language),
        },
        "TRSRV" => via(value, Target::Aftercare),
        "LCA" => via(value, Target::Facility),
        _ => Err(Vec::new()),
    }
}

/// Imports a listing page (or a list of pages, or a list of rows).
pub(crate) fn import(doc: &Value, options: &ImportOptions) -> Result<Import, Error> {
    let mut st = Stream::new(options);
    let rows = rows(doc)?;
    for key in ["page", "totalPages", "recordCount"] {
        if doc.get(key).is_some() {
            st.paging(key);
        }
    }
    for (path, row) in rows {
        st.row(path, row)?;
    }
    Ok(st.finish())
}

/// Imports a listing page from its text, one row at a time: the rows are
/// never held as one JSON tree, so memory follows the programs made, not
/// the input (a page, or a list of pages, is read element by element).
pub(crate) fn import_str(text: &str, options: &ImportOptions) -> Result<Import, Error> {
    use serde::de::DeserializeSeed;
    let mut st = Stream::new(options);
    let mut de = serde_json::Deserializer::from_str(text);
    let read = Top(&mut st).deserialize(&mut de).and_then(|()| de.end());
    if let Some(e) = st.stop.take() {
        return Err(e);
    }
    read.map_err(|e| Error::json(String::new(), e.to_string()))?;
    Ok(st.finish())
}

/// The rows read, the programs made so far, and the sites seen.
struct Stream<'o> {
    rec: Recorder,
    options: &'o ImportOptions,
    programs: Vec<Program>,
    sites: std::collections::BTreeMap<String, Vec<(String, String)>>,
    rows: usize,
    objects: usize,
    /// Why reading stopped (a shape error or a limit), kept beside the
    /// deserializer's own error so its path survives.
    stop: Option<Error>,
}

/// Rows read before a page none of whose rows is an object is refused whole.
const NO_OBJECT_AFTER: usize = 1_000;

impl<'o> Stream<'o> {
    fn new(options: &'o ImportOptions) -> Stream<'o> {
        Stream {
            rec: Recorder::default(),
            options,
            programs: Vec::new(),
            sites: Default::default(),
            rows: 0,
            objects: 0,
            stop: None,
        }
    }

    fn paging(&mut self, key: &str) {
        self.rec
            .ignored(key, None, || key.to_owned(), "paging, not a program's data");
    }

    /// One row: a program or a refusal; an error past the row limit, or
    /// when the first rows are none of them listing rows.
    fn row(&mut self, path: String, row: &Value) -> Result<(), Error> {
        self.rows += 1;
        if self.rows > self.options.max_rows() {
            return Err(shape(
                "rows",
                format!(
                    "more than {} rows: over the import's row limit (raise it with --max-rows)",
                    self.options.max_rows()
                ),
            ));
        }
        if row.is_object() {
            self.objects += 1;
        } else if self.objects == 0 && self.rows >= NO_OBJECT_AFTER {
            return Err(shape(
                "rows",
                format!(
                    "the first {NO_OBJECT_AFTER} rows are none of them listing rows (objects): not a listing page"
                ),
            ));
        }
        if let Some(p) = row_program(&mut self.rec, &path, row, self.options) {
            let site = format!(
                "{}|{}|{}|{}",
                p.organization.to_ascii_lowercase(),
                p.location.address.to_ascii_lowercase(),
                p.location.city.to_ascii_lowercase(),
                p.location.postal_code
            );
            let kind = text(row, "typeFacility").unwrap_or("").to_owned();
            self.sites.entry(site).or_default().push((path, kind));
            self.programs.push(p);
        }
        Ok(())
    }

    fn finish(mut self) -> Import {
        let rec = &mut self.rec;
        for listings in self.sites.values().filter(|l| l.len() > 1) {
            let (first, _) = &listings[0];
            let all: Vec<String> = listings.iter().map(|(p, k)| format!("{p} ({k})")).collect();
            rec.note(
                first.clone(),
                format!(
                    "one site listed {} times: {}; kept as separate programs (each listing's services are its own): confirm which program fits",
                    listings.len(),
                    all.join(", ")
                ),
            );
        }
        unique_ids(rec, &mut self.programs);
        let n = self.programs.len();
        Import {
            report: self.rec.finish(Format::Samhsa, self.rows, n),
            programs: self.programs,
        }
    }
}

/// The document: a listing page (an object with `rows`) or a list of pages or rows.
struct Top<'s, 'o>(&'s mut Stream<'o>);

impl<'de> serde::de::DeserializeSeed<'de> for Top<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Top<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a listing page (an object with `rows`)")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use serde::de::IgnoredAny;
        let mut rows = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "rows" => {
                    rows = true;
                    map.next_value_seed(Rows(self.0, String::new()))?;
                }
                "page" | "totalPages" | "recordCount" => {
                    map.next_value::<IgnoredAny>()?;
                    self.0.paging(&key);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !rows {
            return Err(stop(
                self.0,
                shape("", "expected a listing page with `rows`"),
            ));
        }
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        while let Some(item) = seq.next_element::<Value>()? {
            let here = match item.get("rows") {
                Some(Value::Array(rows)) => rows
                    .iter()
                    .enumerate()
                    .try_for_each(|(j, r)| self.0.row(format!("[{i}].rows[{j}]"), r)),
                Some(_) => Err(shape(&format!("[{i}].rows"), "expected an array")),
                None => self.0.row(format!("[{i}]"), &item),
            };
            here.map_err(|e| stop(self.0, e))?;
            i += 1;
        }
        Ok(())
    }
}

/// Keeps `e` as the reason reading stopped, for the deserializer to unwind.
fn stop<E: serde::de::Error>(st: &mut Stream<'_>, e: Error) -> E {
    let msg = e.to_string();
    st.stop = Some(e);
    E::custom(msg)
}

/// A page's `rows`, each read and imported in turn.
struct Rows<'s, 'o>(&'s mut Stream<'o>, String);

impl<'de> serde::de::DeserializeSeed<'de> for Rows<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Rows<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of listing rows")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut j = 0;
        while let Some(row) = seq.next_element::<Value>()? {
            let path = format!("{}rows[{j}]", self.1);
            self.0.row(path, &row).map_err(|e| stop(self.0, e))?;
            j += 1;
        }
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(stop(
            self.0,
            shape("rows", "expected an array of listing rows"),
        ))
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        Err(stop(
            self.0,
            shape("rows", "expected an array of listing rows"),
        ))
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        Err(stop(
            self.0,
            shape("rows", "expected an array of listing rows"),
        ))
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        Err(stop(
            self.0,
            shape("rows", "expected an array of listing rows"),
        ))
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        Err(stop(
            self.0,
            shape("rows", "expected an array of listing rows"),
        ))
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        Err(stop(
            self.0,
            shape("rows", "expected an array of listing rows"),
        ))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Err(stop(
            self.0,
            shape("rows", "expected an array of listing rows"),
        ))
    }
}

/// The listing rows of a document, with their paths.
fn rows(doc: &Value) -> Result<Vec<(String, &Value)>, Error> {
    match doc {
        Value::Object(o) => match o.get("rows") {
            Some(Value::Array(rows)) => Ok(rows
                .iter()
                .enumerate()
                .map(|(i, r)| (format!("rows[{i}]"), r))
                .collect()),
            Some(_) => Err(shape("rows", "expected an array of listing rows")),
            None => Err(shape("", "expected a listing page with `rows`")),
        },
        Value::Array(items) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match item.get("rows") {
                    Some(Value::Array(rows)) => out.extend(
                        rows.iter()
                            .enumerate()
                            .map(|(j, r)| (format!("[{i}].rows[{j}]"), r)),
                    ),
                    Some(_) => return Err(shape(&format!("[{i}].rows"), "expected an array")),
                    None => out.push((format!("[{i}]"), item)),
                }
            }
            Ok(out)
        }
        _ => Err(shape("", "expected a listing page (an object with `rows`)")),
    }
}

/// A program being built from a row, with what its services said so far.
struct Listing {
    p: Program,
    /// The union of the age groups.
    ages: Option<(u8, u8)>,
    /// Whether every payment value named a carematch payer (`None`: no payment group).
    payers_complete: Option<bool>,
    telehealth: bool,
}

impl Listing {
    /// Adds what a value means.
    fn apply(&mut self, t: Target) {
        let p = &mut self.p;
        match t {
            Target::Concept(f) => f.apply(p),
            Target::Delivery(_) => self.telehealth = true,
            Target::Payer(x) => push(&mut p.payers, x),
            Target::PayerKind(_) => self.payers_complete = Some(false),
            Target::Specialty(c) => push(&mut p.specialties, c),
            Target::Language(l) => push(&mut p.languages, l),
            Target::Interpreter => p.interpreter_services = true,
            Target::Ages(a, b) => {
                self.ages = Some(self.ages.map_or((a, b), |(x, y)| (x.min(a), y.max(b))));
            }
            Target::Aftercare(a) => {
                push(&mut p.aftercare, a);
                listed(p, NotListed::Aftercare);
            }
            Target::Facility(f) => {
                push(&mut p.facility_credentials, f);
                listed(p, NotListed::FacilityCredentials);
            }
            Target::Levels(ls) => ls.into_iter().for_each(|l| push(&mut p.levels, l)),
            Target::Meds(m) => m.apply(p),
            Target::Specialties(cs) => cs.iter().for_each(|c| push(&mut p.specialties, *c)),
            Target::Ignore(_) => {}
        }
    }
}

/// One row to a program, or a refusal: each field group in turn.
fn row_program(
    rec: &mut Recorder,
    path: &str,
    row: &Value,
    options: &ImportOptions,
) -> Option<Program> {
    let Value::Object(fields) = row else {
        rec.refuse(path.to_owned(), "a listing row must be an object");
        return None;
    };
    row_fields(rec, path, fields);
    let (id, name, org) = identity(rec, path, row)?;
    let (location, placed) = location(rec, path, row);
    let state = location.state.clone();
    let mut p = blank(id, name, org, location, options.undated());
    if !placed {
        p.not_listed.push(NotListed::Location);
    }
    facility_type(rec, path, row);
    let services = match row.get("services") {
        Some(Value::Array(s)) => s.as_slice(),
        None | Some(Value::Null) => &[],
        Some(_) => {
            let at = format!("{path}.services");
            rec.refuse(at, "`services` must be an array of groups");
            return None;
        }
    };
    let mut l = Listing {
        p,
        ages: None,
        payers_complete: None,
        telehealth: false,
    };
    for (gi, g) in services.iter().enumerate() {
        let here = (state.as_str(), options.creole());
        group(rec, &format!("{path}.services[{gi}]"), g, here, &mut l);
    }
    payers(rec, path, &mut l);
    languages(rec, path, &mut l.p);
    l.p.delivery = if l.telehealth {
        vec![Delivery::InPerson, Delivery::Telehealth]
    } else {
        vec![Delivery::InPerson]
    };
    match l.ages {
        Some((min, max)) => l.p.ages = AgeRange { min, max },
        None => rec.note(
            path.to_owned(),
            "no age groups listed: ages 0-120 so no patient is excluded on age; confirm",
        ),
    }
    if l.p.levels.is_empty() {
        rec.refuse(
            path.to_owned(),
            "no level of care carematch ranks in its service settings (`SET`) or facility type (`FT`)",
        );
        return None;
    }
    l.p.levels.sort();
    finish(rec, path, l.p, options)
}

/// The row's fields read, and what each becomes.
const ROW_READ: &[(&str, &str)] = &[
    ("frid", "id"),
    ("name1", "organization (and name when name2 is empty)"),
    ("name2", "name"),
    ("street1", "location.address"),
    ("street2", "location.address"),
    ("city", "location.city"),
    ("state", "location.state"),
    ("zip", "location.postal_code"),
    ("latitude", "location.latitude"),
    ("longitude", "location.longitude"),
    ("services", "(each group below)"),
];

/// A line for every top-level field of a row.
fn row_fields(rec: &mut Recorder, path: &str, fields: &serde_json::Map<String, Value>) {
    for (k, v) in fields {
        let at = || format!("{path}.{k}");
        let read = ROW_READ.iter().find(|(x, _)| x == k).map(|(_, to)| *to);
        if read.is_none() && k != "typeFacility" {
            let why = match k.as_str() {
                "phone" | "intake1" | "intake2" | "hotline1" | "website" => {
                    "contact details: carematch keeps no contact fields"
                }
                "miles" => "distance from the locator's search point, not the patient's",
                "_irow" => "the row's position on the page",
                _ => "not a locator field carematch reads",
            };
            rec.ignored(k, None, at, why);
        } else if v.is_null() {
            rec.ignored(k, None, at, "null");
        } else if let Some(to) = read {
            rec.read(k, None, at, to);
        }
    }
}

/// Identity: the program id from `frid`, the name (`name2`, else `name1`)
/// and the organization (`name1`); refused without them.
fn identity(rec: &mut Recorder, path: &str, row: &Value) -> Option<(ProgramId, String, String)> {
    let Some(frid) = text(row, "frid") else {
        rec.refuse(path.to_owned(), "no `frid` (the listing's id)");
        return None;
    };
    let Some(id) = program_id("samhsa", frid) else {
        rec.refuse(path.to_owned(), format!("`frid` {frid:?} cannot be an id"));
        return None;
    };
    let Some(org) = text(row, "name1") else {
        rec.refuse(path.to_owned(), "no `name1` (the facility's name)");
        return None;
    };
    let name = text(row, "name2").unwrap_or(org).to_owned();
    Some((id, name, org.to_owned()))
}

/// Location: the address and the coordinates (numbers or strings); without
/// coordinates, the ZIP code's centre (approximate); without either, not
/// listed (`false`: kept only for telehealth, see [`crate::import::finish`]).
fn location(rec: &mut Recorder, path: &str, row: &Value) -> (Location, bool) {
    let given = Location {
        address: join_address([text(row, "street1"), text(row, "street2")]),
        city: text(row, "city").unwrap_or("").to_owned(),
        state: text(row, "state").unwrap_or("").to_ascii_uppercase(),
        postal_code: text(row, "zip").unwrap_or("").to_owned(),
        latitude: 0.0,
        longitude: 0.0,
        precision: LocationPrecision::AsListed,
    };
    let coords = coordinates(row);
    if coords.is_none()
        && ["latitude", "longitude"].iter().any(|k| {
            row.get(*k)
                .is_some_and(|v| !v.is_null() && v.as_str() != Some(""))
        })
    {
        rec.ignored(
            "(coordinates)",
            Some("not numbers"),
            || path.to_owned(),
            "`latitude` and `longitude` must be numbers (given as strings or numbers): not read",
        );
    }
    let unplaced = crate::import::map::unplaced(&given);
    match site(rec, || path.to_owned(), coords, given) {
        Some(l) => (l, true),
        None => (unplaced, false),
    }
}

/// The line for `typeFacility` (`MH` or `SA`: which vocabulary the services use).
fn facility_type(rec: &mut Recorder, path: &str, row: &Value) {
    let at = || format!("{path}.typeFacility");
    match text(row, "typeFacility") {
        Some(t @ ("MH" | "SA")) => rec.code(
            "typeFacility",
            Some(t),
            at,
            "(which vocabulary the services use)",
        ),
        Some(t) => rec.unknown("typeFacility", t, at, Vec::new()),
        None => {}
    }
}

/// One services group (`f2` its category code, `f3` its values joined by "; ").
fn group(
    rec: &mut Recorder,
    gpath: &str,
    g: &Value,
    (state, creole): (&str, Option<Language>),
    l: &mut Listing,
) {
    let (Some(cat), f3) = (text(g, "f2"), g.get("f3")) else {
        let why = "a group without a category code `f2`";
        rec.ignored("services", None, || gpath.to_owned(), why);
        return;
    };
    let field = format!("services.{cat}");
    if let Some((_, why)) = IGNORED_CATEGORIES.iter().find(|(c, _)| *c == cat) {
        rec.ignored(&field, f3.and_then(Value::as_str), || gpath.to_owned(), why);
        return;
    }
    let Some(values) = f3.and_then(Value::as_str) else {
        let why = "no values (`f3` is not text)";
        rec.ignored(&field, None, || gpath.to_owned(), why);
        return;
    };
    if matches!(cat, "PAY" | "PYAS") && l.payers_complete.is_none() {
        l.payers_complete = Some(true);
    }
    for value in values.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let vpath = || format!("{gpath}.f3");
        if let Some(t) = medication_value(cat, value) {
            match t {
                Target::Ignore(why) => rec.ignored(&field, Some(value), vpath, why),
                t => {
                    rec.mapped(
                        &field,
                        Some(value),
                        vpath,
                        vec![t.describe()],
                        Method::Read,
                        1.0,
                    );
                    l.apply(t);
                }
            }
            continue;
        }
        let (t, how, confidence) = match table(cat, value, state, creole) {
            Some(t) => (t, Method::FormatCode, 1.0),
            None => match fallback(cat, value) {
                Ok(t) => t,
                Err(suggestions) => {
                    not_mapped(rec, &field, cat, value, vpath, suggestions, l);
                    continue;
                }
            },
        };
        if let Target::Ignore(why) = t {
            rec.ignored(&field, Some(value), vpath, why);
            continue;
        }
        let to = vec![t.describe()];
        rec.mapped(&field, Some(value), vpath, to, how, confidence);
        l.apply(t);
    }
}

/// A value neither the table nor the vocabularies know: not recognised
/// (for the categories carematch reads) or ignored; a payment value leaves
/// payers not listed.
fn not_mapped(
    rec: &mut Recorder,
    field: &str,
    cat: &str,
    value: &str,
    at: impl FnOnce() -> String,
    suggestions: Vec<String>,
    l: &mut Listing,
) {
    if matches!(cat, "PAY" | "PYAS") {
        l.payers_complete = Some(false);
    }
    if matches!(
        cat,
        "SET" | "TAP" | "SG" | "LANG" | "OL" | "TRSRV" | "LCA" | "AGE" | "PAY" | "PYAS"
    ) {
        rec.unknown(field, value, at, suggestions);
    } else {
        let why = "no carematch field for this category";
        rec.ignored(field, Some(value), at, why);
    }
}

/// Payers: listed only when every payment value named a carematch payer.
fn payers(rec: &mut Recorder, path: &str, l: &mut Listing) {
    let p = &mut l.p;
    match l.payers_complete {
        Some(true) if !p.payers.is_empty() => listed(p, NotListed::Payers),
        Some(_) => {
            if !p.payers.is_empty() {
                rec.note(
                    path.to_owned(),
                    format!(
                        "payers left not listed: some payment values name no carematch payer (those that did: {})",
                        p.payers.iter().map(|x| x.key()).collect::<Vec<_>>().join(", ")
                    ),
                );
            }
            p.payers.clear();
        }
        None => {}
    }
}

/// Languages: the locator lists languages other than English; English is assumed.
fn languages(rec: &mut Recorder, path: &str, p: &mut Program) {
    if !p.languages.contains(&Language::ENGLISH) {
        p.languages.insert(0, Language::ENGLISH);
    }
    rec.code("(languages)", None, || path.to_owned(), "languages: en");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipt_in_the_mental_health_vocabulary_is_individual_psychotherapy() {
        let t = table("TAP", "Individual psychotherapy", "MA", None).unwrap();
        assert!(matches!(
            t,
            Target::Concept(Found::Modality(Modality::Individual))
        ));
    }
}
