//! SAMHSA treatment locator (FindTreatment.gov) listing pages: `{"page",
//! "totalPages", "recordCount", "rows": [...]}`, one row per facility
//! listing, its services in groups `{"f1": label, "f2": code, "f3": "a; b"}`.
//!
//! Codes and values are SAMHSA's vocabulary (the locator's filter codes and
//! the 2023 mental-health facility file, US Government work): the table here
//! says what each value means in carematch's terms, in our own words.

use serde_json::Value;

use crate::import::{
    Import, ImportOptions, Method, Recorder, blank, finish, listed, number, program_id, push,
    shape, text, unique_ids, vocab,
};
use crate::program::{
    Aftercare, AgeRange, Delivery, Language, Location, NotListed, Payer, Population, Program,
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
    Level(LevelOfCare),
    Delivery(Delivery),
    Approach(Approach),
    Modality(Modality),
    Payer(Payer),
    /// A payer kind carematch cannot name as a payer (private insurance
    /// without plans, Medicaid outside Massachusetts): the payer list is
    /// then left not listed, so no patient is excluded on it.
    PayerKind(&'static str),
    Population(Population),
    Specialty(Condition),
    Language(Language),
    Interpreter,
    Ages(u8, u8),
    Aftercare(Aftercare),
    Facility(FacilityCredential),
    Ignore(&'static str),
}

impl Target {
    fn describe(&self) -> String {
        match self {
            Target::Level(l) => format!("levels: {}", l.key()),
            Target::Delivery(d) => format!("delivery: {}", d.key()),
            Target::Approach(a) => format!("approaches: {}", a.key()),
            Target::Modality(m) => format!("modalities: {}", m.key()),
            Target::Payer(p) => format!("payers: {}", p.key()),
            Target::PayerKind(k) => format!("payers: not listed ({k})"),
            Target::Population(p) => format!("populations: {}", p.key()),
            Target::Specialty(c) => format!("specialties: {}", c.key()),
            Target::Language(l) => format!("languages: {l}"),
            Target::Interpreter => "interpreter_services: true".to_owned(),
            Target::Ages(a, b) => format!("ages: {a}-{b}"),
            Target::Aftercare(a) => format!("aftercare: {}", a.key()),
            Target::Facility(f) => format!("facility_credentials: {}", f.key()),
            Target::Ignore(_) => String::new(),
        }
    }
}

/// Categories carematch reads nothing from, and why.
const IGNORED_CATEGORIES: &[(&str, &str)] = &[
    (
        "TC",
        "type of care: carematch matches on levels, approaches and conditions",
    ),
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

/// The locator's own values, by category code. Anything not here goes to
/// carematch's vocabularies for the category.
fn table(cat: &str, value: &str, state: &str) -> Option<Vec<Target>> {
    use Target as T;
    let v = value.to_ascii_lowercase();
    let v = v.as_str();
    let one = |t: Target| Some(vec![t]);
    match cat {
        "SET" | "FT" => match v {
            "outpatient" | "regular outpatient treatment" | "outpatient mental health facility" => {
                one(T::Level(LevelOfCare::Outpatient))
            }
            "intensive outpatient treatment" => one(T::Level(LevelOfCare::IntensiveOutpatient)),
            "partial hospitalization/day treatment"
            | "outpatient day treatment or partial hospitalization"
            | "day treatment or partial hospitalization" => {
                one(T::Level(LevelOfCare::PartialHospitalization))
            }
            "residential/24-hour residential"
            | "short-term residential"
            | "long-term residential"
            | "residential treatment center (rtc) for children"
            | "residential treatment center (rtc) for adults" => {
                one(T::Level(LevelOfCare::Residential))
            }
            "hospital inpatient/24-hour hospital inpatient"
            | "hospital inpatient treatment"
            | "psychiatric hospital"
            | "general hospital (including va hospital) with separate psychiatric unit" => {
                one(T::Level(LevelOfCare::Inpatient))
            }
            "telemedicine/telehealth" => one(T::Delivery(Delivery::Telehealth)),
            "outpatient detoxification"
            | "residential detoxification"
            | "hospital inpatient detoxification" => one(T::Ignore(
                "withdrawal management is not a level carematch ranks",
            )),
            _ if cat == "FT" => one(T::Ignore("a facility type, not a level of care")),
            _ => None,
        },
        "TAP" => match v {
            // The mental-health vocabulary's IPT: individual psychotherapy, a modality.
            "individual psychotherapy" => one(T::Modality(Modality::Individual)),
            "group therapy" => one(T::Modality(Modality::Group)),
            "couples/family therapy" => one(T::Modality(Modality::Family)),
            "cognitive behavioral therapy" => one(T::Approach(Approach::Cbt)),
            "dialectical behavior therapy" => one(T::Approach(Approach::Dbt)),
            "eye movement desensitization and reprocessing therapy" => {
                one(T::Approach(Approach::Emdr))
            }
            "motivational interviewing" => one(T::Approach(Approach::MotivationalInterviewing)),
            "contingency management/motivational incentives" => {
                one(T::Approach(Approach::ContingencyManagement))
            }
            "telemedicine/telehealth therapy" => one(T::Delivery(Delivery::Telehealth)),
            "trauma therapy" => one(T::Ignore(
                "a general term, not a named evidence-based approach (CPT, PE, EMDR ...)",
            )),
            "activity therapy"
            | "cognitive remediation therapy"
            | "electroconvulsive therapy"
            | "ketamine infusion therapy"
            | "transcranial magnetic stimulation"
            | "abnormal involuntary movement scale"
            | "integrated mental and substance use disorder treatment"
            | "relapse prevention"
            | "substance use counseling approach"
            | "12-step facilitation approach"
            | "anger management"
            | "brief intervention approach"
            | "rational emotive behavioral therapy"
            | "matrix model"
            | "community reinforcement plus vouchers"
            | "trauma-related counseling" => {
                one(T::Ignore("no carematch approach or modality for it"))
            }
            _ => None,
        },
        "EDU" => match v {
            "individual counseling offered" => one(T::Modality(Modality::Individual)),
            "group counseling offered" => one(T::Modality(Modality::Group)),
            "family counseling offered" | "marital/couples counseling offered" => {
                one(T::Modality(Modality::Family))
            }
            _ => one(T::Ignore(
                "counselling or education carematch has no term for",
            )),
        },
        "AS" => match v {
            "case management" | "case management service" => {
                one(T::Modality(Modality::CaseManagement))
            }
            "family psychoeducation" | "psychoeducation" => {
                one(T::Modality(Modality::Psychoeducation))
            }
            "consumer-run (peer-support) services" | "peer support" | "peer support services" => {
                one(T::Modality(Modality::PeerSupport))
            }
            _ => one(T::Ignore(
                "an ancillary service carematch does not match on",
            )),
        },
        "PHR" | "OT" | "OM" => match v {
            "buprenorphine"
            | "buprenorphine used in treatment"
            | "methadone"
            | "methadone used in treatment"
            | "methadone maintenance"
            | "naltrexone used in treatment"
            | "buprenorphine sub-dermal implant (probuphine)"
            | "buprenorphine with naloxone"
            | "buprenorphine without naloxone"
            | "buprenorphine (extended-release, injectable, for example, sublocade)" => {
                one(T::Approach(Approach::Moud))
            }
            "acamprosate (campral)" | "disulfiram (antabuse)" | "acamprosate" | "disulfiram" => {
                one(T::Approach(Approach::Maud))
            }
            "antidepressants"
            | "mood stabilizers"
            | "anti-psychotics"
            | "antipsychotics"
            | "anxiolytics"
            | "stimulants"
            | "medication management" => one(T::Modality(Modality::MedicationManagement)),
            "accepts clients on opioid medication"
            | "accepts clients on opioid medication but prescribed elsewhere" => one(T::Ignore(
                "accepts patients on MOUD prescribed elsewhere: not the program's own MOUD",
            )),
            _ => one(T::Modality(Modality::MedicationManagement)),
        },
        "PAY" | "PYAS" => match v {
            "medicare" => one(T::Payer(Payer::Medicare)),
            "medicaid" if state.eq_ignore_ascii_case("MA") => one(T::Payer(Payer::MassHealth)),
            "medicaid" => one(T::PayerKind(
                "Medicaid outside Massachusetts: carematch names MassHealth only",
            )),
            "military insurance (e.g., tricare)" | "federal military insurance (e.g., tricare)" => {
                one(T::Payer(Payer::Tricare))
            }
            "cash or self-payment" => one(T::Payer(Payer::SelfPay)),
            "sliding fee scale (fee is based on income and other factors)"
            | "sliding fee scale" => one(T::Payer(Payer::SlidingScale)),
            "private health insurance" => one(T::PayerKind(
                "private insurance accepted, but no plans named",
            )),
            "state-financed health insurance plan other than medicaid" => {
                one(T::PayerKind("a state plan other than Medicaid, not named"))
            }
            "payment assistance (check with facility for details)" => {
                one(T::Ignore("payment assistance: confirm with the facility"))
            }
            "no payment accepted" => one(T::Ignore(
                "free services: carematch has no payer for it; treated as self-pay is not assumed",
            )),
            _ => one(T::Ignore(
                "a funding source (grants, government funds), not a patient's payer",
            )),
        },
        "SG" => match v {
            "veterans" => one(T::Population(Population::Veterans)),
            "young adults" => one(T::Population(Population::YoungAdults)),
            "seniors or older adults" | "seniors" => one(T::Population(Population::OlderAdults)),
            "adolescents" => one(T::Population(Population::Adolescents)),
            "adult women" | "women" => one(T::Population(Population::Women)),
            "adult men" | "men" => one(T::Population(Population::Men)),
            "lesbian, gay, bisexual, transgender, or queer/questioning (lgbtq)" | "lgbtq" => {
                one(T::Population(Population::Lgbtq))
            }
            "persons with post-traumatic stress disorder (ptsd)" => {
                one(T::Specialty(Condition::Ptsd))
            }
            "persons with eating disorders" => one(T::Specialty(Condition::Eating)),
            "persons experiencing first-episode psychosis" => {
                one(T::Specialty(Condition::Psychotic))
            }
            "clients who have experienced trauma" => one(T::Specialty(Condition::TraumaRelated)),
            "persons with co-occurring mental and substance use disorders"
            | "clients with co-occurring mental and substance use disorders" => {
                one(T::Specialty(Condition::SubstanceUse))
            }
            _ => one(T::Ignore(
                "a special group carematch has no population or condition for",
            )),
        },
        "LANG" | "OL" => match v {
            "services for the deaf and hard of hearing" => one(T::Ignore(
                "deaf and hard-of-hearing services: confirm which",
            )),
            "sign language/asl" | "american sign language" => {
                "ase".parse().ok().map(|l| vec![T::Language(l)])
            }
            "creole" => one(T::Ignore(
                "which Creole is not said (Haitian? Cape Verdean?)",
            )),
            "any chinese language" | "chinese" => "zh".parse().ok().map(|l| vec![T::Language(l)]),
            "farsi" => "fa".parse().ok().map(|l| vec![T::Language(l)]),
            "interpreter services" | "interpreter" => one(T::Interpreter),
            "american indian or alaska native languages" => {
                one(T::Ignore("which language is not said"))
            }
            _ => None,
        },
        "AGE" => match v {
            "children/adolescents" | "children" | "youth (under 18)" => one(T::Ages(0, 17)),
            "adolescents" => one(T::Ages(13, 17)),
            "young adults" => one(T::Ages(18, 25)),
            "adults" | "adults (18 and older)" => one(T::Ages(18, 64)),
            "seniors (65 or older)" | "seniors" => one(T::Ages(65, 120)),
            _ => None,
        },
        "TRSRV" => match v {
            "aftercare/continuing care" => one(T::Aftercare(Aftercare::AlumniGroup)),
            "discharge planning" => one(T::Aftercare(Aftercare::DischargePlanning)),
            _ => None,
        },
        "LCA" => match v {
            "state mental health department" | "state mental health agency" => {
                one(T::Facility(FacilityCredential::StateMentalHealth))
            }
            "state substance abuse agency" => {
                one(T::Facility(FacilityCredential::StateSubstanceUse))
            }
            "the joint commission" | "joint commission" => {
                one(T::Facility(FacilityCredential::JointCommission))
            }
            "commission on accreditation of rehabilitation facilities (carf)" | "carf" => {
                one(T::Facility(FacilityCredential::Carf))
            }
            "council on accreditation (coa)" => one(T::Facility(FacilityCredential::Coa)),
            _ => None,
        },
        _ => None,
    }
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
        "SET" => via(value, Target::Level),
        "TAP" => via(value, Target::Approach).or_else(|s| {
            via(value, Target::Modality).map_err(|t| s.into_iter().chain(t).collect())
        }),
        "SG" => via(value, Target::Population),
        "LANG" | "OL" => via(value, Target::Language),
        "TRSRV" => via(value, Target::Aftercare),
        "LCA" => via(value, Target::Facility),
        _ => Err(Vec::new()),
    }
}

/// Imports a listing page (or a list of pages, or a list of rows).
pub(crate) fn import(doc: &Value, options: &ImportOptions) -> Result<Import, Error> {
    let mut rec = Recorder::default();
    let rows: Vec<(String, &Value)> = match doc {
        Value::Object(o) => match o.get("rows") {
            Some(Value::Array(rows)) => rows
                .iter()
                .enumerate()
                .map(|(i, r)| (format!("rows[{i}]"), r))
                .collect(),
            Some(_) => return Err(shape("rows", "expected an array of listing rows")),
            None => return Err(shape("", "expected a listing page with `rows`")),
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
                    Some(_) => {
                        return Err(shape(&format!("[{i}].rows"), "expected an array"));
                    }
                    None => out.push((format!("[{i}]"), item)),
                }
            }
            out
        }
        _ => return Err(shape("", "expected a listing page (an object with `rows`)")),
    };
    for key in ["page", "totalPages", "recordCount"] {
        if let Some(v) = doc.get(key) {
            rec.ignored(key, None, || key.to_owned(), "paging, not a program's data");
            let _ = v;
        }
    }
    let mut programs = Vec::new();
    let mut sites: std::collections::BTreeMap<String, Vec<(String, String)>> = Default::default();
    for (path, row) in &rows {
        if let Some(p) = row_program(&mut rec, path, row, options) {
            let site = format!(
                "{}|{}|{}|{}",
                p.organization.to_ascii_lowercase(),
                p.location.address.to_ascii_lowercase(),
                p.location.city.to_ascii_lowercase(),
                p.location.postal_code
            );
            let kind = text(row, "typeFacility").unwrap_or("").to_owned();
            sites.entry(site).or_default().push((path.clone(), kind));
            programs.push(p);
        }
    }
    for listings in sites.values().filter(|l| l.len() > 1) {
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
    unique_ids(&mut rec, &mut programs);
    let n = programs.len();
    Ok(Import {
        programs,
        report: rec.finish(Format::Samhsa, rows.len(), n),
    })
}

/// One row to a program, or a refusal.
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
    let at = |k: &str| format!("{path}.{k}");
    // Every top-level field gets a line.
    for (k, v) in fields {
        let how = match k.as_str() {
            "frid" => Some(("id", Method::Read)),
            "name1" => Some(("organization (and name when name2 is empty)", Method::Read)),
            "name2" => Some(("name", Method::Read)),
            "street1" | "street2" => Some(("location.address", Method::Read)),
            "city" => Some(("location.city", Method::Read)),
            "state" => Some(("location.state", Method::Read)),
            "zip" => Some(("location.postal_code", Method::Read)),
            "latitude" => Some(("location.latitude", Method::Read)),
            "longitude" => Some(("location.longitude", Method::Read)),
            "services" => Some(("(each group below)", Method::Read)),
            "typeFacility" => None,
            _ => {
                let why = match k.as_str() {
                    "phone" | "intake1" | "intake2" | "hotline1" | "website" => {
                        "contact details: carematch keeps no contact fields"
                    }
                    "miles" => "distance from the locator's search point, not the patient's",
                    "_irow" => "the row's position on the page",
                    _ => "not a locator field carematch reads",
                };
                rec.ignored(k, None, || at(k), why);
                continue;
            }
        };
        if let Some((to, how)) = how
            && !v.is_null()
        {
            rec.mapped(k, None, || at(k), vec![to.to_owned()], how, 1.0);
        } else if v.is_null() {
            rec.ignored(k, None, || at(k), "null");
        }
    }
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
    let (Some(lat), Some(lon)) = (
        row.get("latitude").and_then(number),
        row.get("longitude").and_then(number),
    ) else {
        rec.refuse(
            path.to_owned(),
            "`latitude` and `longitude` must be numbers (given as strings or numbers)",
        );
        return None;
    };
    let state = text(row, "state").unwrap_or("").to_ascii_uppercase();
    let address = super::join_address([text(row, "street1"), text(row, "street2")]);
    let location = Location {
        address,
        city: text(row, "city").unwrap_or("").to_owned(),
        state: state.clone(),
        postal_code: text(row, "zip").unwrap_or("").to_owned(),
        latitude: lat,
        longitude: lon,
    };
    let mut p = blank(id, name, org.to_owned(), location, options.as_of());
    match text(row, "typeFacility") {
        Some(t @ ("MH" | "SA")) => rec.mapped(
            "typeFacility",
            Some(t),
            || at("typeFacility"),
            vec!["(which vocabulary the services use)".to_owned()],
            Method::FormatCode,
            1.0,
        ),
        Some(t) => rec.unknown("typeFacility", t, || at("typeFacility"), Vec::new()),
        None => {}
    }
    let mut ages: Option<(u8, u8)> = None;
    let mut payers_complete = None::<bool>;
    let mut telehealth = false;
    let services = match row.get("services") {
        Some(Value::Array(s)) => s.as_slice(),
        None | Some(Value::Null) => &[],
        Some(_) => {
            rec.refuse(at("services"), "`services` must be an array of groups");
            return None;
        }
    };
    for (gi, g) in services.iter().enumerate() {
        let gpath = format!("{path}.services[{gi}]");
        let (Some(cat), f3) = (text(g, "f2"), g.get("f3")) else {
            rec.ignored(
                "services",
                None,
                || gpath.clone(),
                "a group without a category code `f2`",
            );
            continue;
        };
        let field = format!("services.{cat}");
        if let Some((_, why)) = IGNORED_CATEGORIES.iter().find(|(c, _)| *c == cat) {
            rec.ignored(&field, f3.and_then(Value::as_str), || gpath.clone(), why);
            continue;
        }
        let Some(values) = f3.and_then(Value::as_str) else {
            rec.ignored(
                &field,
                None,
                || gpath.clone(),
                "no values (`f3` is not text)",
            );
            continue;
        };
        match cat {
            "PAY" | "PYAS" if payers_complete.is_none() => payers_complete = Some(true),
            _ => {}
        }
        for value in values.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            let vpath = || format!("{gpath}.f3");
            let targets = match table(cat, value, &state) {
                Some(ts) => ts
                    .into_iter()
                    .map(|t| (t, Method::FormatCode, 1.0))
                    .collect(),
                None => match fallback(cat, value) {
                    Ok(t) => vec![t],
                    Err(suggestions) => {
                        if matches!(cat, "PAY" | "PYAS") {
                            payers_complete = Some(false);
                        }
                        if matches!(
                            cat,
                            "SET"
                                | "TAP"
                                | "SG"
                                | "LANG"
                                | "OL"
                                | "TRSRV"
                                | "LCA"
                                | "AGE"
                                | "PAY"
                                | "PYAS"
                        ) {
                            rec.unknown(&field, value, vpath, suggestions);
                        } else {
                            rec.ignored(
                                &field,
                                Some(value),
                                vpath,
                                "no carematch field for this category",
                            );
                        }
                        continue;
                    }
                },
            };
            for (t, how, confidence) in targets {
                if let Target::Ignore(why) = t {
                    rec.ignored(&field, Some(value), vpath, why);
                    continue;
                }
                rec.mapped(
                    &field,
                    Some(value),
                    vpath,
                    vec![t.describe()],
                    how,
                    confidence,
                );
                match t {
                    Target::Level(l) => push(&mut p.levels, l),
                    Target::Delivery(_) => telehealth = true,
                    Target::Approach(a) => push(&mut p.approaches, a),
                    Target::Modality(m) => push(&mut p.modalities, m),
                    Target::Payer(x) => push(&mut p.payers, x),
                    Target::PayerKind(_) => payers_complete = Some(false),
                    Target::Population(x) => push(&mut p.populations, x),
                    Target::Specialty(c) => push(&mut p.specialties, c),
                    Target::Language(l) => push(&mut p.languages, l),
                    Target::Interpreter => p.interpreter_services = true,
                    Target::Ages(a, b) => {
                        ages = Some(ages.map_or((a, b), |(x, y)| (x.min(a), y.max(b))));
                    }
                    Target::Aftercare(a) => {
                        push(&mut p.aftercare, a);
                        listed(&mut p, NotListed::Aftercare);
                    }
                    Target::Facility(f) => {
                        push(&mut p.facility_credentials, f);
                        listed(&mut p, NotListed::FacilityCredentials);
                    }
                    Target::Ignore(_) => {}
                }
            }
        }
    }
    // Payers: listed only when every payment value named a carematch payer.
    match payers_complete {
        Some(true) if !p.payers.is_empty() => listed(&mut p, NotListed::Payers),
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
    // The locator lists languages other than English; English is assumed.
    if !p.languages.contains(&Language::ENGLISH) {
        p.languages.insert(0, Language::ENGLISH);
    }
    rec.mapped(
        "(languages)",
        None,
        || path.to_owned(),
        vec!["languages: en".to_owned()],
        Method::FormatCode,
        1.0,
    );
    p.delivery = if telehealth {
        vec![Delivery::InPerson, Delivery::Telehealth]
    } else {
        vec![Delivery::InPerson]
    };
    match ages {
        Some((min, max)) => p.ages = AgeRange { min, max },
        None => rec.note(
            path.to_owned(),
            "no age groups listed: ages 0-120 so no patient is excluded on age; confirm",
        ),
    }
    if p.levels.is_empty() {
        rec.refuse(
            path.to_owned(),
            "no level of care carematch ranks in its service settings (`SET`) or facility type (`FT`)",
        );
        return None;
    }
    p.levels.sort();
    finish(rec, path, p, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipt_in_the_mental_health_vocabulary_is_individual_psychotherapy() {
        let t = table("TAP", "Individual psychotherapy", "MA").unwrap();
        assert!(matches!(t[..], [Target::Modality(Modality::Individual)]));
    }
}
