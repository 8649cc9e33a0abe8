//! Reading what a source writes in words, the same way for every format:
//! whole words only, and a negation ("no", "not", "non-", "does not",
//! "without") before a phrase in the same clause cancels it.
//!
//! - [`gate`]: whether a service is behavioral-health treatment at all
//!   (mental health or substance use care), before any level is read;
//! - [`levels_in`]: the levels of care a text names, as written;
//! - [`medications`]: what a medication statement means (MOUD with its
//!   medication, MAUD, medication management, withdrawal management);
//! - [`age_group`], [`ages_in_text`]: ages from age groups and stated ranges;
//! - [`language_by_name`]: languages by their English names and endonyms;
//! - [`time_12h`]: times such as "9:00am" and "5 PM".

use crate::level::LevelOfCare;
use crate::program::Language;
use crate::therapy::MoudMedication;

/// Words that negate a phrase after them in the same clause.
const NEGATIONS: &[&str] = &[
    "no",
    "not",
    "non",
    "without",
    "never",
    "nor",
    "doesn",
    "don",
    "isn",
    "cannot",
    "except",
    "excluding",
    "none",
    "neither",
];

/// How far back (in words) a negation reaches.
const NEGATION_REACH: usize = 5;

/// A text as clauses of lowercase words.
#[derive(Debug, Clone, Default)]
pub(crate) struct Text {
    clauses: Vec<Vec<String>>,
}

/// Whether a phrase is in a text, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hit {
    /// Written and not negated.
    Affirmed,
    /// Written, but every time after a negation ("non-residential", "does not").
    Negated,
    /// Not written.
    Absent,
}

impl Text {
    /// Splits `s` into clauses (at `.`, `;`, `:`, `,`, `!`, `?`, brackets,
    /// line breaks and the word "but") of lowercase words (letters and
    /// digits; `'` joins nothing: "doesn't" is "doesn", "t"). The
    /// hyphenated spellings "out-patient" and "in-patient" are the one
    /// words "outpatient" and "inpatient" (only with the hyphen: "in
    /// patient care" is not "inpatient").
    pub(crate) fn new(s: &str) -> Text {
        let mut clauses = Vec::new();
        for clause in s.split(['.', ';', ':', ',', '!', '?', '(', ')', '[', ']', '\n', '|']) {
            let mut words: Vec<String> = Vec::new();
            let clause = hyphenated_patient(&clause.to_lowercase());
            for w in clause
                .split(|c: char| !c.is_alphanumeric() && c != '+')
                .filter(|w| !w.is_empty())
            {
                let w = w.to_owned();
                if w == "but" {
                    if !words.is_empty() {
                        clauses.push(std::mem::take(&mut words));
                    }
                    continue;
                }
                words.push(w);
            }
            if !words.is_empty() {
                clauses.push(words);
            }
        }
        Text { clauses }
    }

    /// Several texts as one (each keeps its own clauses).
    pub(crate) fn of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Text {
        let mut t = Text::default();
        for s in texts {
            t.clauses.extend(Text::new(s).clauses);
        }
        t
    }

    /// Whether `phrase` (words separated by spaces, lowercase) is written,
    /// as whole words, and whether negated.
    pub(crate) fn find(&self, phrase: &str) -> Hit {
        self.find_where(phrase, |_, _| true)
    }

    /// As [`Text::find`], counting only the occurrences `keep` accepts
    /// (given the clause and the index of the phrase's first word).
    pub(crate) fn find_where(&self, phrase: &str, keep: impl Fn(&[String], usize) -> bool) -> Hit {
        let n = phrase.split(' ').count();
        let first = phrase.split(' ').next().unwrap_or("");
        let mut hit = Hit::Absent;
        for c in &self.clauses {
            if c.len() < n {
                continue;
            }
            for i in 0..=c.len() - n {
                if c[i] != first
                    || !phrase.split(' ').zip(&c[i..]).all(|(a, b)| a == b)
                    || !keep(c, i)
                {
                    continue;
                }
                let from = i.saturating_sub(NEGATION_REACH);
                // "non" (as in "non-residential") negates its own word only.
                let negated = c[from..i].iter().enumerate().any(|(k, w)| {
                    NEGATIONS.contains(&w.as_str()) && (w != "non" || from + k + 1 == i)
                });
                if negated {
                    hit = Hit::Negated;
                } else {
                    return Hit::Affirmed;
                }
            }
        }
        hit
    }

    /// Whether `phrase` is written and not negated.
    pub(crate) fn has(&self, phrase: &str) -> bool {
        self.find(phrase) == Hit::Affirmed
    }

    /// The first of `phrases` written and not negated.
    pub(crate) fn first<'p>(&self, phrases: &[&'p str]) -> Option<&'p str> {
        phrases.iter().copied().find(|p| self.has(p))
    }

    /// Whether the text is only negations of `phrases` (one negated, none affirmed).
    pub(crate) fn negates(&self, phrases: &[&str]) -> bool {
        phrases.iter().any(|p| self.find(p) == Hit::Negated) && !phrases.iter().any(|p| self.has(p))
    }
}

/// `s` (lower case) with "out-patient" and "in-patient" as one word each,
/// where the hyphenated word starts a word ("within-patient" stays).
fn hyphenated_patient(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("-patient") {
        let (before, after) = rest.split_at(i);
        let start = before
            .rfind(|c: char| !c.is_alphanumeric())
            .map_or(0, |j| j + 1);
        let joined = matches!(&before[start..], "out" | "in");
        out.push_str(before);
        // Keep the hyphen unless it joins "out" or "in" to "patient".
        out.push_str(if joined { "patient" } else { "-patient" });
        rest = &after["-patient".len()..];
    }
    out.push_str(rest);
    out
}

// ------------------------------------------------------------ the gate

/// Words that say a service is behavioral-health treatment by themselves.
const TREATMENT: &[&str] = &[
    "psychotherapy",
    "psychiatry",
    "psychiatrist",
    "psychiatric services",
    "psychiatric care",
    "psychiatric treatment",
    "psychiatric hospital",
    "psychiatric hospitals",
    "psychological services",
    "mental health treatment",
    "mental health counseling",
    "mental health counselling",
    "mental health clinic",
    "mental health services",
    "mental health care",
    "mental health center",
    "mental health centre",
    "community mental health agency",
    "community mental health agencies",
    "behavioral health treatment",
    "behavioral health services",
    "behavioral health clinic",
    "behavioral health care",
    "substance use treatment",
    "substance use disorder treatment",
    "substance abuse treatment",
    "substance use services",
    "substance abuse services",
    "substance use disorder services",
    "addiction treatment",
    "addiction services",
    "alcohol treatment",
    "drug treatment",
    "drug and alcohol treatment",
    "alcohol and drug treatment",
    "alcoholism treatment",
    "detox",
    "detoxification",
    "withdrawal management",
    "opioid treatment",
    "methadone",
    "buprenorphine",
    "suboxone",
    "medication assisted treatment",
    "integrated dual diagnosis treatment",
    "intensive outpatient",
    "iop",
    "partial hospitalization",
    "partial hospital",
    "php",
    "day treatment",
    "crisis stabilization",
    "dbt",
    "cbt",
    "emdr",
    "eating disorder treatment",
    "eating disorders treatment",
    "dialectical behavior therapy",
    "cognitive behavioral therapy",
    "community counselling",
    "community counseling",
    "private therapy practices",
    "private therapy practice",
    "play therapy",
    "trauma therapy",
];

/// Counselling and therapy of no stated kind: treatment only where a
/// behavioral-health domain is written too (in the name, a taxonomy term
/// or the description), and never enough against a kind of service that
/// is not treatment: a 211 taxonomy gives "Individual Counseling" to
/// youth programmes, shelters and senior centres alike.
const GENERIC_CARE: &[&str] = &[
    "counseling services",
    "counselling services",
    "family counseling",
    "family counselling",
    "individual counseling",
    "individual counselling",
    "group counseling",
    "group counselling",
    "conjoint counseling",
    "marriage counseling",
    "family therapy",
    "individual therapy",
    "group therapy",
];

/// Words that make counselling of no stated kind clinical when the
/// description says them: it is therapy, by clinicians.
const THERAPEUTIC: &[&str] = &[
    "psychotherapy",
    "therapy",
    "therapeutic",
    "therapist",
    "therapists",
    "clinician",
    "clinicians",
    "clinical",
    "psychologist",
    "psychologists",
];

/// Words naming a behavioral-health domain: treatment when care words go with them.
const DOMAIN: &[&str] = &[
    "mental health",
    "behavioral health",
    "behavioural health",
    "psychiatric",
    "emotional",
    "substance use",
    "substance abuse",
    "addiction",
    "addictions",
    "alcohol",
    "drug",
    "opioid",
    "depression",
    "anxiety",
    "trauma",
    "ptsd",
    "eating disorder",
    "eating disorders",
    "psychosis",
    // A population, not a service: "Dual Diagnosis" is whom a service is for.
    "dual diagnosis",
    "co occurring",
];

/// Words naming care: treatment when a domain goes with them.
const CARE: &[&str] = &[
    "treatment",
    "therapy",
    "therapies",
    "therapist",
    "counseling",
    "counselling",
    "counselor",
    "clinic",
    "clinical",
    "outpatient",
    "inpatient",
    "residential treatment",
    "recovery services",
    "rehabilitation",
    "medication",
];

/// A kind of service that is not treatment: its words, what the report
/// calls it, and whether it stands against treatment words elsewhere.
struct Kind {
    words: &'static [&'static str],
    why: &'static str,
    /// A help line: never treatment when its name says so, and named in a
    /// taxonomy term it outweighs everything but treatment words in the name.
    line: bool,
}

/// Kinds of service that are not treatment, as their words say. Checked
/// before any treatment word, so a "mental health crisis line" is a crisis
/// contact and "supportive housing for mental health" is housing. A
/// taxonomy term is one thing: "Psychiatric Case Management" is case
/// management and "Mental Health Related Support Groups" a support group,
/// so a term naming a kind lends none of its words to treatment.
const NOT_TREATMENT: &[Kind] = &[
    Kind {
        words: &[
            "help line",
            "helpline",
            "helplines",
            "hotline",
            "hotlines",
            "hot line",
            "warmline",
            "warm line",
            "talkline",
            "crisis line",
            "crisis lines",
            "lifeline",
            "text line",
            "chat line",
            "crisis chat",
            "crisis text",
            "988",
            "mobile crisis",
            "crisis team",
            "crisis response team",
        ],
        why: "a help line or crisis contact, not a treatment program",
        line: true,
    },
    Kind {
        words: &[
            "information and referral",
            "information referral",
            "locator",
            "211",
            "2 1 1",
        ],
        why: "information and referral, not a treatment program",
        line: false,
    },
    Kind {
        words: &[
            "assisted living",
            "nursing home",
            "nursing homes",
            "skilled nursing",
            "home health",
            "home care",
            "housing",
            "shelter",
            "shelters",
            "homeless",
            "group home",
            "sober living",
            "sober house",
            "recovery residence",
            "recovery home",
            "rent",
            "rental",
            "adult day",
            "respite",
            "hospice",
        ],
        why: "housing, shelter or residential care, not treatment",
        line: false,
    },
    Kind {
        words: &[
            "food",
            "meals",
            "meal",
            "pantry",
            "nutrition",
            "groceries",
            "clothing",
        ],
        why: "food or basic needs, not treatment",
        line: false,
    },
    Kind {
        words: &["transportation", "transport", "rides", "bus"],
        why: "transportation, not treatment",
        line: false,
    },
    Kind {
        words: &[
            "employment",
            "job",
            "jobs",
            "vocational",
            "career",
            "workforce",
            "internship",
            "internships",
        ],
        why: "employment or vocational services, not treatment",
        line: false,
    },
    Kind {
        words: &[
            "legal",
            "lawyer",
            "attorney",
            "financial",
            "benefits",
            "tax",
            "utility",
            "utilities",
            "credit",
            "debt",
            "mortgage",
            "foreclosure",
            "homebuyer",
            "insurance",
        ],
        why: "legal, financial or benefits help, not treatment",
        line: false,
    },
    Kind {
        words: &[
            "support group",
            "support groups",
            "self help",
            "mutual aid",
            "alcoholics anonymous",
            "narcotics anonymous",
            "al anon",
            "peer support",
            "peer counseling",
            "drop in",
            "clubhouse",
        ],
        why: "a support or self-help group, not a treatment program",
        line: false,
    },
    Kind {
        words: &[
            "case management",
            "case care management",
            "care management",
            "care coordination",
        ],
        why: "case management or care coordination, not treatment",
        line: false,
    },
    Kind {
        words: &[
            "court",
            "courts",
            "diversion",
            "probation",
            "complaints",
            "guardian ad litem",
            "guardians ad litem",
            "protective services",
        ],
        why: "a court, diversion or complaints service, not treatment",
        line: false,
    },
    Kind {
        words: &[
            "registry",
            "directory",
            "advocacy",
            "education",
            "training",
            "prevention",
            "awareness",
            "classes",
            "workshops",
        ],
        why: "information, advocacy, education or prevention, not treatment",
        line: false,
    },
    Kind {
        words: &[
            "camp",
            "camps",
            "recreation",
            "recreational",
            "sports",
            "after school",
        ],
        why: "recreation or camps, not treatment",
        line: false,
    },
];

/// Clinical words that keep a service a treatment service even when its
/// name also names a non-treatment kind ("Mental Health Clinic at the
/// Shelter"); never enough against a help line.
const CLINICAL: &[&str] = &[
    "psychotherapy",
    "psychiatry",
    "psychiatric",
    "clinic",
    "outpatient",
    "inpatient",
    "intensive outpatient",
    "partial hospitalization",
    "detox",
    "detoxification",
    "therapy",
    "counseling",
    "counselling",
    "treatment",
    "methadone",
    "buprenorphine",
];

/// What the gate decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Gate {
    /// Behavioral-health treatment, as these words say.
    Treatment(String),
    /// Not treatment: why (the words that said so).
    NotTreatment(String),
}

/// The first kind of service `t` names, with the words that named it.
fn kind_in(t: &Text) -> Option<(&'static str, &'static Kind)> {
    NOT_TREATMENT
        .iter()
        .find_map(|k| t.first(k.words).map(|w| (w, k)))
}

/// Whether a service is behavioral-health treatment. `primary` is its name
/// first, then its program name and taxonomy terms; `description` is read
/// only when no term names a kind of service (a 211's terms say what a
/// service is; its description says much else: whom it refers to, what it
/// prevents, what the agency does elsewhere).
///
/// - A name naming a help line is never treatment; a name naming another
///   kind (housing, food, case management ...) is not treatment unless the
///   name itself says clinical care.
/// - A term naming a kind lends none of its words to treatment. When terms
///   name a kind, the service is treatment only when the name or another
///   term says treatment outright (a help-line term: only the name).
/// - A domain and a word of care say treatment when one text holds both
///   ("Drug Use Disorder Counseling").
/// - Counselling of no stated kind ("Individual Counseling") is treatment
///   only with a behavioral-health domain, or therapy by clinicians,
///   written somewhere (the description too), and never against a kind.
///
/// `coded` says a structured code of the format already named
/// behavioral-health care (a NUCC taxonomy code, say).
pub(crate) fn gate(primary: &[&str], description: Option<&str>, coded: bool) -> Gate {
    let name_text = primary.first().copied().unwrap_or("");
    let name = Text::new(name_text);
    // The name first: a help line named so is never treatment; another kind
    // named so is not treatment unless the name itself says clinical care.
    if let Some((w, k)) = kind_in(&name) {
        let why = k.why;
        if k.line || name.first(CLINICAL).is_none() || treatment_words(&name).is_none() {
            return Gate::NotTreatment(format!("{why} ({w:?})"));
        }
        return Gate::Treatment(format!(
            "{:?} with {w:?}",
            name.first(CLINICAL).unwrap_or("")
        ));
    }
    // Then the terms, each one thing: those naming a kind apart.
    let terms = primary.get(1..).unwrap_or(&[]);
    let mut kinds: Vec<(&str, &Kind)> = Vec::new();
    let mut plain: Vec<&str> = vec![name_text];
    for t in terms {
        match kind_in(&Text::new(t)) {
            Some(k) => kinds.push(k),
            None => plain.push(t),
        }
    }
    let rest = Text::of(plain.iter().copied());
    let context = Text::of(plain.iter().copied().chain(description));
    // A domain and care in one text: "Drug Use Disorder Counseling", not
    // "Substance Use Disorder Assessment" beside "Individual Counseling".
    let strong = plain.iter().find_map(|t| treatment_words(&Text::new(t)));
    if let Some((w, k)) = kinds.first().copied() {
        let line = kinds.iter().find(|(_, k)| k.line);
        return match (strong, line) {
            (Some(t), None) => Gate::Treatment(format!("{t} with {w:?}")),
            (Some(t), Some(_)) if treatment_words(&name).is_some() => {
                Gate::Treatment(format!("{t} with {w:?}"))
            }
            (_, Some((lw, lk))) => Gate::NotTreatment(format!("{} ({lw:?})", lk.why)),
            (None, None) => Gate::NotTreatment(format!("{} ({w:?})", k.why)),
        };
    }
    if let Some(w) = strong {
        return Gate::Treatment(w);
    }
    if let Some(w) = generic_care(&rest, &context) {
        return Gate::Treatment(w);
    }
    if coded {
        return Gate::Treatment("a behavioral-health code".to_owned());
    }
    if let Some(d) = description {
        let t = Text::new(d);
        if let Some((w, k)) = kind_in(&t)
            && k.line
        {
            return Gate::NotTreatment(format!("{} ({w:?}, in its description)", k.why));
        }
        if let Some(w) = treatment_words(&t).or_else(|| generic_care(&t, &context)) {
            return Gate::Treatment(format!("{w} (in its description)"));
        }
    }
    Gate::NotTreatment(
        "names no mental-health or substance-use treatment in its name, taxonomy or description"
            .to_owned(),
    )
}

/// The treatment words in `t`: one that says it alone, or a domain with care.
fn treatment_words(t: &Text) -> Option<String> {
    if let Some(w) = t.first(TREATMENT) {
        return Some(format!("{w:?}"));
    }
    match (t.first(DOMAIN), t.first(CARE)) {
        (Some(d), Some(c)) => Some(format!("{d:?} with {c:?}")),
        _ => None,
    }
}

/// Counselling of no stated kind in `t`, when `context` names a domain or
/// therapy by clinicians.
fn generic_care(t: &Text, context: &Text) -> Option<String> {
    let c = t.first(GENERIC_CARE)?;
    let d = context
        .first(DOMAIN)
        .or_else(|| context.first(THERAPEUTIC))?;
    Some(format!("{c:?} with {d:?}"))
}

// ------------------------------------------------------------ levels

/// The levels a text names as written, each with the words that named it:
/// "intensive outpatient"/"IOP"; "partial hospitalization", "PHP", "day
/// treatment", "day hospital"; "residential", "RTC"; "inpatient",
/// "psychiatric hospital", "psychiatric unit"; plain "outpatient" (not as
/// part of "intensive outpatient" or "outpatient day treatment"). Negated
/// words ("non-residential") name nothing.
pub(crate) fn levels_in(t: &Text) -> Vec<(LevelOfCare, &'static str)> {
    levels_where(t, |_, _| true)
}

/// Words that, a few words before a level, make it a level of care
/// somewhere else: one the service refers or links people to, follows,
/// takes them after, or stands in for ("referral to inpatient care",
/// "after residential treatment", "step-down from inpatient", "an
/// alternative to hospitalization", "to prevent inpatient admission").
const ELSEWHERE: &[&str] = &[
    "refer",
    "refers",
    "referral",
    "referrals",
    "referred",
    "referring",
    "link",
    "links",
    "linked",
    "linkage",
    "linkages",
    "after",
    "following",
    "discharge",
    "discharged",
    "post",
    "step",
    "alternative",
    "prevent",
    "prevents",
    "preventing",
    "avoid",
    "avoiding",
];

/// The levels a service's own description offers, as [`levels_in`] reads
/// them, but a level with one of [`ELSEWHERE`] up to five words before it
/// in its clause is not the service's ("we provide inpatient and outpatient
/// treatment" names two; "referrals to inpatient units" names none).
pub(crate) fn levels_offered(t: &Text) -> Vec<(LevelOfCare, &'static str)> {
    levels_where(t, |c, i| {
        !c[i.saturating_sub(NEGATION_REACH)..i]
            .iter()
            .any(|w| ELSEWHERE.contains(&w.as_str()))
    })
}

/// [`levels_in`], counting only the occurrences `keep` accepts (given the
/// clause and the index of the phrase's first word).
fn levels_where(
    t: &Text,
    keep: impl Fn(&[String], usize) -> bool,
) -> Vec<(LevelOfCare, &'static str)> {
    const WORDS: &[(&str, LevelOfCare)] = &[
        ("intensive outpatient", LevelOfCare::IntensiveOutpatient),
        ("iop", LevelOfCare::IntensiveOutpatient),
        (
            "partial hospitalization",
            LevelOfCare::PartialHospitalization,
        ),
        ("partial hospital", LevelOfCare::PartialHospitalization),
        ("php", LevelOfCare::PartialHospitalization),
        ("day treatment", LevelOfCare::PartialHospitalization),
        ("day hospital", LevelOfCare::PartialHospitalization),
        ("residential", LevelOfCare::Residential),
        ("rtc", LevelOfCare::Residential),
        ("inpatient", LevelOfCare::Inpatient),
        ("psychiatric hospital", LevelOfCare::Inpatient),
        ("psychiatric unit", LevelOfCare::Inpatient),
        ("psychiatric hospitalization", LevelOfCare::Inpatient),
    ];
    let mut out: Vec<(LevelOfCare, &'static str)> = Vec::new();
    for &(w, l) in WORDS {
        if t.find_where(w, &keep) == Hit::Affirmed && !out.iter().any(|(x, _)| *x == l) {
            out.push((l, w));
        }
    }
    let plain = t.find_where("outpatient", |c, i| {
        if !keep(c, i) {
            return false;
        }
        let before = i.checked_sub(1).map(|j| c[j].as_str());
        let after: Vec<&str> = c[i + 1..].iter().take(2).map(String::as_str).collect();
        before != Some("intensive")
            && !matches!(
                after.as_slice(),
                ["day", ..] | ["partial", ..] | ["detox", ..] | ["detoxification", ..]
            )
    });
    if plain == Hit::Affirmed && !out.iter().any(|(x, _)| *x == LevelOfCare::Outpatient) {
        out.push((LevelOfCare::Outpatient, "outpatient"));
    }
    out
}

/// Words that say care is outpatient by nature (counselling, therapy, a
/// clinic, office-based treatment, a community mental health center), read
/// as outpatient only when nothing names a level. A community mental health
/// center (or agency) is, by its federal definition, a provider of
/// outpatient services (Public Health Service Act section 1913(c); the
/// Medicare definition in Social Security Act section 1861(ff)(3)(B) says
/// the same): what else it offers, it names.
pub(crate) fn outpatient_by_nature(t: &Text) -> Option<&'static str> {
    t.first(&[
        "counseling",
        "counselling",
        "psychotherapy",
        "therapy",
        "clinic",
        "psychiatry",
        "medication management",
        "office based",
        "community mental health center",
        "community mental health centre",
        "community mental health centers",
        "community mental health agency",
        "community mental health agencies",
        "cmhc",
    ])
}

/// Words that say telehealth delivery.
pub(crate) fn telehealth_in(t: &Text) -> Option<&'static str> {
    t.first(&[
        "telehealth",
        "telemedicine",
        "telepsychiatry",
        "virtual",
        "video visits",
        "online therapy",
    ])
}

// ------------------------------------------------------------ medications

/// What a medication statement means.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Meds {
    /// MOUD, with the medications named (none when only "MOUD" is said).
    pub moud: Vec<MoudMedication>,
    /// MOUD without a named medication.
    pub moud_unnamed: bool,
    /// A certified Opioid Treatment Program (methadone for OUD, or said so).
    pub otp: bool,
    /// Medication for alcohol use disorder.
    pub maud: bool,
    /// Other psychiatric medication: medication management.
    pub management: bool,
    /// Withdrawal management (detoxification).
    pub withdrawal: bool,
}

impl Meds {
    /// Whether it says anything.
    pub(crate) fn any(&self) -> bool {
        *self != Meds::default()
    }

    /// The report's `field: value`s for it.
    pub(crate) fn describe(&self) -> Vec<String> {
        let mut to = Vec::new();
        if !self.moud.is_empty() || self.moud_unnamed {
            to.push("approaches: moud".to_owned());
        }
        for m in &self.moud {
            to.push(format!("moud_medications: {}", m.key()));
        }
        if self.otp {
            to.push("opioid_treatment_program: true".to_owned());
        }
        if self.maud {
            to.push("approaches: maud".to_owned());
        }
        if self.management {
            to.push("modalities: medication_management".to_owned());
        }
        if self.withdrawal {
            to.push("withdrawal_management: true".to_owned());
        }
        to
    }

    /// Adds it to `p`.
    pub(crate) fn apply(&self, p: &mut crate::program::Program) {
        use crate::import::push;
        use crate::therapy::{Approach, Modality};
        if !self.moud.is_empty() || self.moud_unnamed {
            push(&mut p.approaches, Approach::Moud);
        }
        for m in &self.moud {
            push(&mut p.moud_medications, *m);
        }
        p.opioid_treatment_program |= self.otp;
        if self.maud {
            push(&mut p.approaches, Approach::Maud);
        }
        if self.management {
            push(&mut p.modalities, Modality::MedicationManagement);
        }
        p.withdrawal_management |= self.withdrawal;
    }
}

/// The medications table (the importer docs print it): the source's
/// wording, and what it means.
pub(crate) const BUPRENORPHINE: &[&str] = &[
    "buprenorphine",
    "suboxone",
    "subutex",
    "zubsolv",
    "bunavail",
    "sublocade",
    "brixadi",
    "probuphine",
];
/// Extended-release naltrexone, by its names.
pub(crate) const NALTREXONE_XR: &[&str] = &[
    "vivitrol",
    "extended release naltrexone",
    "naltrexone extended release",
    "injectable naltrexone",
    "naltrexone injection",
    "xr naltrexone",
    "xr ntx",
];
/// Medications for alcohol use disorder.
pub(crate) const MAUD: &[&str] = &[
    "acamprosate",
    "campral",
    "disulfiram",
    "antabuse",
    "naltrexone",
    "revia",
];
/// Psychiatric medication: medication management.
pub(crate) const MANAGEMENT: &[&str] = &[
    "psychotropic medication",
    "psychotropic medications",
    "psychiatric medication",
    "psychiatric medications",
    "medication management",
    "antidepressants",
    "antidepressant",
    "mood stabilizers",
    "antipsychotics",
    "anti psychotics",
    "anxiolytics",
    "stimulants",
    "clozapine",
    "lithium",
];
/// Withdrawal management.
pub(crate) const WITHDRAWAL: &[&str] = &[
    "detox",
    "detoxification",
    "withdrawal management",
    "medically supervised withdrawal",
    "medically managed withdrawal",
];

/// What a medication statement means, as written: negated statements
/// ("does not treat opioid addiction", "do not use medication for opioid
/// addiction") mean nothing. `opioid_context` says the statement is under
/// an opioid heading (SAMHSA's `OM`, `OT`): naltrexone there is for opioid
/// use disorder, so also MOUD.
pub(crate) fn medications(value: &str, opioid_context: bool) -> Meds {
    // Most values name no medication: a cheap look at the letters first.
    const STEMS: &[&str] = &[
        "bup", "subox", "subut", "zubs", "bunav", "subloc", "brix", "probu", "methad", "otp",
        "opioid", "naltr", "vivit", "revia", "acamp", "campr", "disulf", "antab", "psych",
        "medicat", "antidep", "mood", "psychot", "anxiol", "stimul", "cloz", "lithi", "detox",
        "withdraw", "moud",
    ];
    let lower = value.to_lowercase();
    if !STEMS.iter().any(|s| lower.contains(s)) {
        return Meds::default();
    }
    let t = Text::new(&lower);
    let mut m = Meds::default();
    if t.first(BUPRENORPHINE).is_some() {
        m.moud.push(MoudMedication::Buprenorphine);
    }
    if t.has("methadone") {
        m.moud.push(MoudMedication::Methadone);
        m.otp = true;
    }
    if t.first(&[
        "opioid treatment program",
        "otp",
        "samhsa certified opioid treatment program",
    ])
    .is_some()
    {
        m.otp = true;
        m.moud_unnamed = m.moud.is_empty();
    }
    let xr = t.first(NALTREXONE_XR).is_some();
    if xr || (opioid_context && t.has("naltrexone")) {
        m.moud.push(MoudMedication::Naltrexone);
    }
    if xr || t.first(MAUD).is_some() {
        m.maud = true;
    }
    if t.first(MANAGEMENT).is_some() {
        m.management = true;
    }
    if t.first(WITHDRAWAL).is_some() {
        m.withdrawal = true;
    }
    if !m.any()
        && t.first(&[
            "medication for opioid use disorder",
            "medications for opioid use disorder",
            "moud",
            "medication assisted treatment for opioid",
        ])
        .is_some()
    {
        m.moud_unnamed = true;
    }
    m
}

// ------------------------------------------------------------ people

/// The ages of a 211 or SAMHSA age group, as written ("Adults", "Older
/// Adults", "Adolescents", "Seniors (65 or older)" ...): `None` when the
/// text is not an age group.
pub(crate) fn age_group(value: &str) -> Option<(u8, u8)> {
    let v = value.trim().to_lowercase();
    let v = v.trim_end_matches(" only");
    Some(match v {
        "infants" | "infants/toddlers" | "infants and toddlers" | "toddlers" => (0, 3),
        "preschool" | "preschoolers" | "early childhood" => (0, 5),
        "children" | "child" | "school age children" => (0, 12),
        "children/adolescents"
        | "children and adolescents"
        | "youth (under 18)"
        | "minors"
        | "children and youth"
        | "children/youth" => (0, 17),
        "adolescents" | "adolescent" | "teens" | "teenagers" => (12, 17),
        "youth" => (12, 21),
        "transition age youth" | "transition-age youth" | "transitional age youth" => (16, 25),
        "young adults" | "young adult" => (18, 25),
        "adults" | "adult" | "adults (18 and older)" | "adults 18 and older" => (18, 120),
        "older adults"
        | "older adult"
        | "seniors"
        | "seniors (65 or older)"
        | "elderly"
        | "seniors or older adults"
        | "aging" => (60, 120),
        "all ages" => (0, 120),
        _ => return None,
    })
}

/// An age range stated in text: "Age 21-60", "ages 5 to 17", "18 and
/// older", "18+", "65 or over", "under 18"; the first one written.
pub(crate) fn ages_in_text(text: &str) -> Option<(u8, u8)> {
    let t = Text::new(&text.replace(['-', '–'], " to "));
    for c in &t.clauses {
        for i in 0..c.len() {
            let n = |j: usize| {
                c.get(j)
                    .and_then(|w| w.trim_end_matches('+').parse::<u16>().ok())
            };
            let agey = c[..i]
                .iter()
                .rev()
                .take(3)
                .any(|w| matches!(w.as_str(), "age" | "ages" | "aged"))
                || c.get(i + 1).is_some_and(|w| w.starts_with("year"))
                || c.get(i + 3).is_some_and(|w| w.starts_with("year"));
            let Some(a) = n(i) else {
                if c[i] == "under" && c.get(i + 1).and_then(|w| w.parse::<u16>().ok()).is_some() {
                    let b: u16 = c[i + 1].parse().ok()?;
                    if (1..=120).contains(&b) && (agey || c.iter().any(|w| w.starts_with("age"))) {
                        return Some((0, (b - 1) as u8));
                    }
                }
                continue;
            };
            if a > 120 {
                continue;
            }
            if c[i].ends_with('+') && agey {
                return Some((a as u8, 120));
            }
            let next: Vec<&str> = c[i + 1..].iter().take(2).map(String::as_str).collect();
            match next.as_slice() {
                ["to" | "through" | "thru", _] | ["and", _] if n(i + 2).is_some() => {
                    let b = n(i + 2)?;
                    if agey && a <= b && b <= 120 {
                        return Some((a as u8, b as u8));
                    }
                }
                ["and" | "or", "older" | "over" | "up" | "above"] | ["years", "and" | "or"]
                    if agey || next[0] != "years" =>
                {
                    return Some((a as u8, 120));
                }
                _ => {}
            }
        }
    }
    None
}

/// A language by its English name or a common endonym, as 211s and
/// SAMHSA write them; `None` when not in the table (the caller tries the
/// vocabulary). "Creole" alone is not here: which Creole is not said.
pub(crate) fn language_by_name(name: &str) -> Option<Language> {
    let n = name.trim().to_lowercase();
    let n = n
        .trim_end_matches(" language")
        .trim_end_matches(" speaking")
        .trim();
    let code = match n {
        "haitian creole" | "haitian-creole" | "haitian" | "kreyol" | "kreyòl"
        | "kreyol ayisyen" | "kreyòl ayisyen" | "creole (haitian)" | "creole - haitian"
        | "creole-haitian" => "ht",
        "cape verdean creole"
        | "cape verdean"
        | "cabo verdean creole"
        | "kriolu"
        | "kriol"
        | "kabuverdianu"
        | "crioulo"
        | "creole (cape verdean)"
        | "creole - cape verdean" => "kea",
        "portuguese" | "português" | "portugues" | "brazilian portuguese" => "pt",
        "spanish" | "español" | "espanol" | "castellano" => "es",
        "vietnamese" | "tiếng việt" | "tieng viet" => "vi",
        "chinese" | "any chinese language" | "中文" | "chinese (any)" => "zh",
        "mandarin" | "mandarin chinese" | "普通话" | "普通話" | "國語" | "国语" | "putonghua" => {
            "cmn"
        }
        "cantonese" | "cantonese chinese" | "廣東話" | "广东话" | "粵語" | "粤语" => {
            "yue"
        }
        "asl" | "american sign language" | "sign language/asl" | "sign language" => "ase",
        "english" => "en",
        "french" | "français" | "francais" => "fr",
        "arabic" | "العربية" => "ar",
        "russian" | "русский" => "ru",
        "khmer" | "cambodian" => "km",
        "somali" | "soomaali" => "so",
        "farsi" | "persian" => "fa",
        _ => return None,
    };
    code.parse().ok()
}

/// A 12-hour time: "9:00am", "5:00 PM", "9 am", "12:30p.m.", "noon",
/// "midnight" (as the end of a day: 24:00).
pub(crate) fn time_12h(s: &str) -> Option<crate::schedule::TimeOfDay> {
    use crate::schedule::TimeOfDay;
    let t = s.trim().to_lowercase().replace(['.', ' '], "");
    match t.as_str() {
        "noon" => return TimeOfDay::hm(12, 0).ok(),
        "midnight" => return TimeOfDay::hm(24, 0).ok(),
        _ => {}
    }
    let (clock, pm) = if let Some(c) = t.strip_suffix("am").or_else(|| t.strip_suffix('a')) {
        (c, false)
    } else if let Some(c) = t.strip_suffix("pm").or_else(|| t.strip_suffix('p')) {
        (c, true)
    } else {
        return None;
    };
    let (h, m) = match clock.split_once(':') {
        Some((h, m)) => (h.parse::<u8>().ok()?, m.parse::<u8>().ok()?),
        None => (clock.parse::<u8>().ok()?, 0),
    };
    if !(1..=12).contains(&h) || m > 59 {
        return None;
    }
    let h = match (h, pm) {
        (12, false) => 0,
        (12, true) => 12,
        (h, true) => h + 12,
        (h, false) => h,
    };
    TimeOfDay::hm(h, m).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(s: &str) -> Vec<LevelOfCare> {
        levels_in(&Text::new(s))
            .into_iter()
            .map(|(l, _)| l)
            .collect()
    }

    #[test]
    fn whole_words_and_negations() {
        assert!(levels("Non-residential outpatient services").contains(&LevelOfCare::Outpatient));
        assert!(!levels("Non-residential outpatient services").contains(&LevelOfCare::Residential));
        assert_eq!(levels("Outpatient Psychiatry"), [LevelOfCare::Outpatient]);
        assert_eq!(
            levels("Intensive Outpatient Program"),
            [LevelOfCare::IntensiveOutpatient]
        );
        assert_eq!(
            levels("residential and outpatient"),
            [LevelOfCare::Residential, LevelOfCare::Outpatient]
        );
        assert!(levels("Shiplop Services").is_empty());
        // Each level once, however many of its words the text has; every
        // level the text names.
        assert_eq!(
            levels("Inpatient psychiatric unit of a psychiatric hospital"),
            [LevelOfCare::Inpatient]
        );
        let both = levels("Residential and intensive outpatient treatment");
        assert_eq!(both.len(), 2, "{both:?}");
        assert!(both.contains(&LevelOfCare::Residential));
        assert!(both.contains(&LevelOfCare::IntensiveOutpatient));
    }

    #[test]
    fn hyphenated_patient_words_are_one_word() {
        assert_eq!(levels("Out-Patient Counseling"), [LevelOfCare::Outpatient]);
        assert_eq!(levels("in-patient unit"), [LevelOfCare::Inpatient]);
        assert_eq!(levels("non-out-patient"), Vec::<LevelOfCare>::new());
        // Without the hyphen, or inside another word, nothing is joined.
        assert!(levels("care in patient homes").is_empty());
        assert!(levels("within-patient comparisons").is_empty());
        assert_eq!(hyphenated_patient("within-patient"), "within-patient");
        assert_eq!(hyphenated_patient("(out-patient)"), "(outpatient)");
    }

    #[test]
    fn levels_offered_leave_out_levels_elsewhere() {
        let offered = |s: &str| -> Vec<LevelOfCare> {
            levels_offered(&Text::new(s))
                .into_iter()
                .map(|(l, _)| l)
                .collect()
        };
        assert_eq!(
            offered("We provide medical detox, inpatient treatment and outpatient programming."),
            [LevelOfCare::Inpatient, LevelOfCare::Outpatient]
        );
        for elsewhere in [
            "Referrals to inpatient units when needed",
            "Follow-up care after residential treatment",
            "A step-down from inpatient hospitalization",
            "An alternative to residential care",
            "Services to prevent inpatient admission",
            "Linkage to intensive outpatient programs",
        ] {
            assert!(offered(elsewhere).is_empty(), "{elsewhere}");
        }
        // Far enough from the referral, in its own clause, a level is the service's.
        assert_eq!(
            offered("Outpatient counseling; referrals to other agencies"),
            [LevelOfCare::Outpatient]
        );
        // levels_in reads every mention.
        assert_eq!(
            levels("Referrals to inpatient units"),
            [LevelOfCare::Inpatient]
        );
    }

    #[test]
    fn outpatient_by_nature_includes_community_mental_health_centers() {
        let by_nature = |s: &str| outpatient_by_nature(&Text::new(s));
        assert_eq!(
            by_nature("Northside Community Mental Health Center, Inc."),
            Some("community mental health center")
        );
        assert_eq!(
            by_nature("Community Mental Health Agencies"),
            Some("community mental health agencies")
        );
        assert_eq!(
            by_nature("Office-Based Opioid Treatment"),
            Some("office based")
        );
        assert_eq!(by_nature("Not a community mental health center"), None);
        assert_eq!(by_nature("Mental Health Awareness Week"), None);
    }

    #[test]
    fn the_gate() {
        for not in [
            "Assisted Living",
            "Permanent Supportive Housing",
            "Home Health Registry",
            "Crisis Help Line",
            "Mental Health Crisis Line",
            "Homeless Shelter",
            "Supported Employment",
            "Food Pantry",
        ] {
            assert!(
                matches!(gate(&[not], None, false), Gate::NotTreatment(_)),
                "{not}"
            );
        }
        for yes in [
            "Outpatient Psychiatry",
            "Outpatient Behavioral Health Services",
            "Community Counselling",
            "Mental Health Clinic at the Shelter",
            "Residential Treatment for Substance Use",
        ] {
            assert!(
                matches!(gate(&[yes], None, false), Gate::Treatment(_)),
                "{yes}"
            );
        }
    }

    fn is_treatment(primary: &[&str], description: Option<&str>) -> bool {
        matches!(gate(primary, description, false), Gate::Treatment(_))
    }

    /// The rules that real 211 data called for (issue 26), on fictional
    /// records in a 211 taxonomy's words.
    #[test]
    fn the_gate_reads_each_taxonomy_term_as_one_thing() {
        // A term naming a kind lends none of its words to treatment.
        assert!(!is_treatment(
            &["Targeted Case Management", "Psychiatric Case Management"],
            None
        ));
        assert!(!is_treatment(
            &["East", "Mental Health Related Support Groups"],
            None
        ));
        assert!(!is_treatment(
            &["Teen Link", "Crisis Intervention Hotlines/Helplines"],
            None
        ));
        assert!(!is_treatment(
            &["Peer Center", "Clubhouse Model Psychiatric Rehabilitation"],
            None
        ));
        // ... but a term saying treatment outright outweighs it.
        assert!(is_treatment(
            &[
                "Crisis Unit",
                "In Person Crisis Intervention",
                "Adult Psychiatric Inpatient Units"
            ],
            None
        ));
        // Counselling of no stated kind is not enough against a kind ...
        assert!(!is_treatment(
            &["Youth Haven", "Runaway/Youth Shelters", "Family Counseling"],
            Some("Shelter, meals and counseling for mental health.")
        ));
        assert!(!is_treatment(
            &[
                "Youth Enterprises",
                "Individual Counseling",
                "Job Training Formats"
            ],
            None
        ));
        // ... and needs a domain or therapy by clinicians somewhere.
        assert!(!is_treatment(
            &["Senior Support", "Individual Counseling", "Older Adults"],
            None
        ));
        assert!(is_treatment(
            &[
                "Therapy Services",
                "Individual Counseling",
                "Family Counseling"
            ],
            Some("Individual therapy for depression and anxiety.")
        ));
        assert!(is_treatment(
            &["North", "Individual Counseling", "Mental Health Issues"],
            None
        ));
        // A domain and care in one term say treatment, even beside a kind;
        // one term's domain with another's care does not.
        let referral = "Specialized Information and Referral";
        assert!(is_treatment(
            &["Clinic", "Drug Use Disorder Counseling", referral],
            None
        ));
        assert!(!is_treatment(
            &[
                "Intake",
                "General Assessment for Substance Use Disorders",
                "Individual Counseling",
                referral
            ],
            None
        ));
        // Terms that say what a service is are believed over its description.
        assert!(!is_treatment(
            &["Counseling Internship Program", "Internship Programs"],
            Some("Our division provides mental health counseling to all ages.")
        ));
        // Without terms, the description is read.
        assert!(is_treatment(
            &["Harbor Center, Inc."],
            Some("Outpatient treatment of opioid addiction with methadone.")
        ));
    }

    #[test]
    fn medications_as_written() {
        assert!(!medications("Does not treat opioid addiction", false).any());
        assert!(!medications("Do not use medication for opioid addiction", false).any());
        let m = medications("Naltrexone", false);
        assert!(m.maud && m.moud.is_empty());
        let m = medications("Vivitrol", false);
        assert!(m.maud && m.moud == [MoudMedication::Naltrexone]);
        let m = medications("Prescribes/administers buprenorphine", false);
        assert_eq!(m.moud, [MoudMedication::Buprenorphine]);
        let m = medications("Methadone maintenance", false);
        assert!(m.otp);
        assert!(medications("Psychotropic medication", false).management);
    }

    #[test]
    fn ages_and_times() {
        assert_eq!(ages_in_text("Age 21-60"), Some((21, 60)));
        assert_eq!(ages_in_text("Ages 18 and older"), Some((18, 120)));
        assert_eq!(ages_in_text("Must be 18+ years old"), Some((18, 120)));
        assert_eq!(ages_in_text("Youth under 18"), None);
        assert_eq!(ages_in_text("Ages under 18"), Some((0, 17)));
        assert_eq!(
            time_12h("9:00am").map(|t| t.to_string()),
            Some("09:00".into())
        );
        assert_eq!(
            time_12h("5:00 PM").map(|t| t.to_string()),
            Some("17:00".into())
        );
        assert_eq!(
            time_12h("12:00pm").map(|t| t.to_string()),
            Some("12:00".into())
        );
        assert_eq!(
            language_by_name("Kreyòl").map(|l| l.to_string()),
            Some("ht".into())
        );
    }
}
