//! Open Referral HSDS 3.0 (JSON): a service (with its `service_at_locations`),
//! a service at location (with its `service`), an organization (with its
//! `services`), a paged list (`contents`), or a list of any of them. Each
//! service at each location becomes a program.
//!
//! Schedules: weekly rules (`freq: WEEKLY`, `byday`, `opens_at`, `closes_at`,
//! within `valid_from`/`valid_to`) become the service's track; other rules
//! (monthly `byday` such as `2MO`, intervals, counts) are reported, not read.
//! Text that disagrees with a structured field is reported, not guessed.

use serde_json::Value;

use crate::date::Date;
use crate::import::fhir::{apply, found_key, name_levels, through_vocabularies};
use crate::import::{
    Format, Import, ImportOptions, Method, Recorder, add_session, array, blank, finish, listed,
    number, parse_time, program_id, push, schedule_tracks, shape, text, unique_ids, vocab,
};
use crate::program::{AgeRange, Language, Location, NotListed, Payer, Program};
use crate::{credential::FacilityCredential, error::Error, schedule::Session, schedule::Weekday};

/// A service at a location, with the path of each part.
struct Record<'a> {
    path: String,
    service: &'a Value,
    location: Option<&'a Value>,
    schedules: Vec<(String, &'a Value)>,
    organization: Option<&'a Value>,
}

/// The service-at-location records of a document.
fn records<'a>(
    v: &'a Value,
    path: &str,
    org: Option<&'a Value>,
    rec: &mut Recorder,
    out: &mut Vec<Record<'a>>,
) -> Result<(), Error> {
    let at = |k: &str| {
        if path.is_empty() {
            k.to_owned()
        } else {
            format!("{path}.{k}")
        }
    };
    match v {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                records(item, &format!("{path}[{i}]"), org, rec, out)?;
            }
            Ok(())
        }
        Value::Object(o) => {
            if let Some(contents) = o.get("contents") {
                if !contents.is_array() {
                    return Err(shape(&at("contents"), "expected an array"));
                }
                for k in [
                    "total_items",
                    "total_pages",
                    "page_number",
                    "size",
                    "first_page",
                    "last_page",
                    "empty",
                ] {
                    if o.contains_key(k) {
                        rec.ignored(k, None, || at(k), "paging, not a service's data");
                    }
                }
                return records(contents, &at("contents"), org, rec, out);
            }
            if o.contains_key("service") && o.contains_key("location") {
                // A service at location with its service.
                let service = &o["service"];
                if !service.is_object() {
                    return Err(shape(&at("service"), "expected a service object"));
                }
                out.push(Record {
                    path: path.to_owned(),
                    service,
                    location: o.get("location"),
                    schedules: sal_schedules(v, path, service),
                    organization: service.get("organization").or(org),
                });
                return Ok(());
            }
            if let Some(services) = o.get("services") {
                // An organization.
                if !services.is_array() {
                    return Err(shape(&at("services"), "expected an array of services"));
                }
                return records(services, &at("services"), Some(v), rec, out);
            }
            if o.contains_key("location_type") || o.contains_key("addresses") {
                rec.ignored(
                    "(location without a service)",
                    None,
                    || {
                        if path.is_empty() {
                            "(document)".to_owned()
                        } else {
                            path.to_owned()
                        }
                    },
                    "a location alone offers no service: nothing to rank",
                );
                return Ok(());
            }
            if o.contains_key("name") {
                // A service.
                let sals = match o.get("service_at_locations") {
                    None | Some(Value::Null) => &[][..],
                    Some(Value::Array(a)) => a.as_slice(),
                    Some(_) => return Err(shape(&at("service_at_locations"), "expected an array")),
                };
                let organization = o.get("organization").or(org);
                if sals.is_empty() {
                    out.push(Record {
                        path: path.to_owned(),
                        service: v,
                        location: None,
                        schedules: Vec::new(),
                        organization,
                    });
                }
                for (i, sal) in sals.iter().enumerate() {
                    let sp = at(&format!("service_at_locations[{i}]"));
                    out.push(Record {
                        schedules: sal_schedules(sal, &sp, v),
                        path: sp,
                        service: v,
                        location: sal.get("location"),
                        organization,
                    });
                }
                return Ok(());
            }
            Err(shape(
                if path.is_empty() { "" } else { path },
                "expected an HSDS service, service at location, organization, location or a list of them",
            ))
        }
        _ => Err(shape(path, "expected an HSDS object or a list of them")),
    }
}

/// The schedules of a service at location: its own, else the service's.
fn sal_schedules<'a>(sal: &'a Value, path: &str, service: &'a Value) -> Vec<(String, &'a Value)> {
    let own = array(sal, "schedules");
    if !own.is_empty() {
        return own
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("{path}.schedules[{i}]"), s))
            .collect();
    }
    array(service, "schedules")
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("{path} (service).schedules[{i}]"), s))
        .collect()
}

/// Imports an HSDS 3 document.
pub(crate) fn import(doc: &Value, options: &ImportOptions) -> Result<Import, Error> {
    import_with(doc, options, Recorder::default())
}

/// Imports an HSDS 3 document into a report already begun (the CSV reader's
/// lines about its tables come first).
pub(crate) fn import_with(
    doc: &Value,
    options: &ImportOptions,
    mut rec: Recorder,
) -> Result<Import, Error> {
    let mut recs = Vec::new();
    records(doc, "", None, &mut rec, &mut recs)?;
    let mut programs = Vec::new();
    for r in &recs {
        if let Some(p) = program(&mut rec, r, options) {
            programs.push(p);
        }
    }
    unique_ids(&mut rec, &mut programs);
    let n = programs.len();
    Ok(Import {
        programs,
        report: rec.finish(Format::Hsds, recs.len(), n),
    })
}

const SERVICE_FIELDS: &[(&str, Option<&str>)] = &[
    ("id", None),
    ("name", None),
    ("status", None),
    ("organization", None),
    ("service_at_locations", None),
    ("schedules", None),
    ("languages", None),
    ("minimum_age", None),
    ("maximum_age", None),
    ("cost_options", None),
    ("attributes", None),
    ("wait_time", None),
    ("accreditations", None),
    ("licenses", None),
    ("assured_date", None),
    ("interpretation_services", None),
    ("program", None),
    (
        "alternate_name",
        Some("an alternate name: the name is `name`"),
    ),
    ("description", Some("free text: read at the source")),
    (
        "url",
        Some("contact details: carematch keeps no contact fields"),
    ),
    (
        "email",
        Some("contact details: carematch keeps no contact fields"),
    ),
    (
        "phones",
        Some("contact details: carematch keeps no contact fields"),
    ),
    (
        "contacts",
        Some("contact details: carematch keeps no contact fields"),
    ),
    ("application_process", Some("free text: read at the source")),
    (
        "fees_description",
        Some("free text about fees: payers come from cost options"),
    ),
    ("fees", Some("deprecated free text about fees")),
    (
        "eligibility_description",
        Some("free text: ages come from minimum_age and maximum_age"),
    ),
    ("alert", Some("free text: read at the source")),
    (
        "last_modified",
        Some("when the record changed, not when it was verified (assured_date)"),
    ),
    ("assurer_email", Some("contact details")),
    (
        "service_areas",
        Some("service areas: not matched on (distance is from the location)"),
    ),
    ("required_documents", Some("not matched on")),
    ("funding", Some("funding sources, not a patient's payer")),
    ("metadata", Some("change history")),
];

#[allow(clippy::too_many_lines)]
fn program(rec: &mut Recorder, r: &Record<'_>, options: &ImportOptions) -> Option<Program> {
    let s = r.service;
    let path = if r.path.is_empty() {
        "(document)".to_owned()
    } else {
        r.path.clone()
    };
    let f = |k: &str| format!("service.{k}");
    for (k, _) in s.as_object().into_iter().flatten() {
        let at = || format!("{path}.{k}");
        match SERVICE_FIELDS.iter().find(|(x, _)| x == k) {
            Some((_, Some(why))) => rec.ignored(&f(k), None, at, why),
            Some((_, None)) => {}
            None => rec.ignored(
                &f(k),
                None,
                at,
                "not an HSDS 3.0 service field carematch reads",
            ),
        }
    }
    let Some(sid) = text(s, "id") else {
        rec.refuse(path, "a service without an `id`");
        return None;
    };
    let Some(name) = text(s, "name") else {
        rec.refuse(path, "a service without a `name`");
        return None;
    };
    rec.mapped(
        &f("name"),
        None,
        || format!("{path}.name"),
        vec!["name".into()],
        Method::Read,
        1.0,
    );
    match text(s, "status") {
        Some("active") | None => {}
        Some(other) => {
            rec.refuse(path, format!("status is {other:?}, not active"));
            return None;
        }
    }
    let Some(loc) = r.location else {
        rec.refuse(
            path,
            "no location: a program needs a place (a service with no `service_at_locations`)",
        );
        return None;
    };
    let lid = text(loc, "id").unwrap_or("location");
    let Some(id) = program_id("hsds", &format!("{sid}-{lid}")) else {
        rec.refuse(path, "its ids cannot make a program id");
        return None;
    };
    let (Some(lat), Some(lon)) = (
        loc.get("latitude").and_then(number),
        loc.get("longitude").and_then(number),
    ) else {
        rec.refuse(path, "its location has no `latitude` and `longitude`");
        return None;
    };
    rec.mapped(
        "location.latitude",
        None,
        || format!("{path}.location.latitude"),
        vec!["location.latitude".into()],
        Method::Read,
        1.0,
    );
    rec.mapped(
        "location.longitude",
        None,
        || format!("{path}.location.longitude"),
        vec!["location.longitude".into()],
        Method::Read,
        1.0,
    );
    let addr = array(loc, "addresses")
        .iter()
        .find(|a| text(a, "address_type") != Some("postal"))
        .or_else(|| array(loc, "addresses").first())
        .unwrap_or(&Value::Null);
    let address = super::join_address([text(addr, "address_1"), text(addr, "address_2")]);
    let location = Location {
        address,
        city: text(addr, "city").unwrap_or("").to_owned(),
        state: text(addr, "state_province").unwrap_or("").to_owned(),
        postal_code: text(addr, "postal_code").unwrap_or("").to_owned(),
        latitude: lat,
        longitude: lon,
    };
    let org = r.organization.and_then(|o| text(o, "name")).unwrap_or(name);
    if r.organization.is_some() {
        rec.mapped(
            &f("organization"),
            None,
            || format!("{path}.organization"),
            vec!["organization".into()],
            Method::Read,
            1.0,
        );
    } else {
        rec.note(path.clone(), "no organization: the service's name is used");
    }
    let mut p = blank(
        id,
        name.to_owned(),
        org.to_owned(),
        location,
        options.as_of(),
    );
    // Levels and more: the name, the program, attributes' taxonomy terms.
    for l in name_levels(name) {
        rec.mapped(
            &f("name"),
            Some(name),
            || format!("{path}.name"),
            vec![format!("levels: {} (words in the name)", l.key())],
            Method::Read,
            1.0,
        );
        push(&mut p.levels, l);
    }
    if let Some(pn) = s.get("program").and_then(|pr| text(pr, "name")) {
        vocab_line(
            rec,
            &f("program.name"),
            pn,
            &format!("{path}.program.name"),
            &mut p,
        );
    }
    for (i, a) in array(s, "attributes").iter().enumerate() {
        let apath = format!("{path}.attributes[{i}]");
        match a.get("taxonomy_term") {
            Some(t) => {
                let term = text(t, "name").or_else(|| text(t, "code")).unwrap_or("");
                vocab_line(
                    rec,
                    "attributes.taxonomy_term",
                    term,
                    &format!("{apath}.taxonomy_term"),
                    &mut p,
                );
            }
            None => rec.ignored(
                "attributes",
                None,
                || apath.clone(),
                "an attribute without a taxonomy term",
            ),
        }
        if let Some(v) = text(a, "value") {
            vocab_line(
                rec,
                "attributes.value",
                v,
                &format!("{apath}.value"),
                &mut p,
            );
        }
    }
    // Languages: the service's, else the location's.
    let mut langs = array(s, "languages");
    let mut lfield = "service.languages";
    if langs.is_empty() {
        langs = array(loc, "languages");
        lfield = "location.languages";
    }
    for (i, l) in langs.iter().enumerate() {
        let at = || format!("{path}.languages[{i}]");
        let code = text(l, "code");
        let label = code.or_else(|| text(l, "name")).unwrap_or("");
        match code
            .and_then(|c| c.parse::<Language>().ok())
            .filter(|l| l.name().is_some())
        {
            Some(lang) => {
                rec.mapped(
                    lfield,
                    Some(label),
                    at,
                    vec![format!("languages: {lang}")],
                    Method::Exact,
                    1.0,
                );
                push(&mut p.languages, lang);
            }
            None => match vocab::<Language>(text(l, "name").unwrap_or(label)) {
                Ok((lang, how, c)) => {
                    rec.mapped(
                        lfield,
                        Some(label),
                        at,
                        vec![format!("languages: {lang}")],
                        how,
                        c,
                    );
                    push(&mut p.languages, lang);
                }
                Err(sug) => rec.unknown(lfield, label, at, sug),
            },
        }
    }
    if p.languages.is_empty() {
        p.languages.push(Language::ENGLISH);
        rec.note(path.clone(), "no languages: English assumed; confirm");
    }
    if let Some(t) = text(s, "interpretation_services") {
        p.interpreter_services = true;
        rec.mapped(
            &f("interpretation_services"),
            None,
            || format!("{path}.interpretation_services"),
            vec!["interpreter_services: true".into()],
            Method::Read,
            1.0,
        );
        rec.note(path.clone(), format!("interpretation services said as text ({t:?}): read as offered; confirm the languages"));
    }
    // Ages.
    let min = s.get("minimum_age").and_then(number);
    let max = s.get("maximum_age").and_then(number);
    if min.is_some() || max.is_some() {
        let clamp = |x: f64| x.clamp(0.0, 120.0) as u8;
        let ages = AgeRange {
            min: min.map_or(0, clamp),
            max: max.map_or(120, clamp),
        };
        if ages.problem().is_none() {
            rec.mapped(
                &f("minimum_age/maximum_age"),
                Some(&ages.to_string()),
                || format!("{path}.minimum_age"),
                vec![format!("ages: {ages}")],
                Method::Read,
                1.0,
            );
            p.ages = ages;
        } else {
            rec.unknown(
                &f("minimum_age/maximum_age"),
                &ages.to_string(),
                || format!("{path}.minimum_age"),
                Vec::new(),
            );
        }
    } else {
        rec.note(
            path.clone(),
            "no minimum_age or maximum_age: ages 0-120 so no patient is excluded on age; confirm",
        );
    }
    // Payers from cost options: listed only when every option names a carematch payer.
    let costs = array(s, "cost_options");
    if !costs.is_empty() {
        let mut all = true;
        let mut payers: Vec<Payer> = Vec::new();
        for (i, c) in costs.iter().enumerate() {
            let at = || format!("{path}.cost_options[{i}]");
            let option = text(c, "option").unwrap_or("");
            match vocab::<Payer>(option) {
                Ok((x, how, conf)) => {
                    rec.mapped(
                        "cost_options.option",
                        Some(option),
                        at,
                        vec![format!("payers: {}", x.key())],
                        how,
                        conf,
                    );
                    push(&mut payers, x);
                }
                Err(sug) => {
                    all = false;
                    rec.unknown("cost_options.option", option, at, sug);
                }
            }
        }
        if all && !payers.is_empty() {
            p.payers = payers;
            listed(&mut p, NotListed::Payers);
        } else {
            rec.note(
                path.clone(),
                "a cost option names no carematch payer: payers left not listed",
            );
        }
    }
    // Wait.
    if let Some(w) = text(s, "wait_time") {
        match wait_days(w) {
            Some(d) => {
                rec.mapped(
                    &f("wait_time"),
                    Some(w),
                    || format!("{path}.wait_time"),
                    vec![format!("typical_wait_days: {d}")],
                    Method::Read,
                    1.0,
                );
                p.typical_wait_days = Some(d);
            }
            None => rec.unknown(
                &f("wait_time"),
                w,
                || format!("{path}.wait_time"),
                vec!["a number of days or weeks".into()],
            ),
        }
    }
    // Facility credentials.
    for k in ["accreditations", "licenses"] {
        if let Some(t) = text(s, k) {
            match vocab::<FacilityCredential>(t) {
                Ok((c, how, conf)) => {
                    rec.mapped(
                        &f(k),
                        Some(t),
                        || format!("{path}.{k}"),
                        vec![format!("facility_credentials: {}", c.key())],
                        how,
                        conf,
                    );
                    push(&mut p.facility_credentials, c);
                    listed(&mut p, NotListed::FacilityCredentials);
                }
                Err(sug) => rec.unknown(&f(k), t, || format!("{path}.{k}"), sug),
            }
        }
    }
    // Verification date.
    if let Some(d) = text(s, "assured_date") {
        match d.get(..10).and_then(|x| x.parse::<Date>().ok()) {
            Some(date) if date <= options.as_of() => {
                rec.mapped(
                    &f("assured_date"),
                    None,
                    || format!("{path}.assured_date"),
                    vec!["last_verified".into()],
                    Method::Read,
                    1.0,
                );
                p.last_verified = date;
            }
            _ => rec.unknown(
                &f("assured_date"),
                d,
                || format!("{path}.assured_date"),
                vec!["a date on or before the import's as-of date".into()],
            ),
        }
    }
    p.delivery = vec![crate::program::Delivery::InPerson];
    if p.levels.is_empty() {
        rec.refuse(
            path,
            "no level of care carematch ranks in its name, program or taxonomy terms",
        );
        return None;
    }
    p.levels.sort();
    // Schedules.
    let mut sessions = Vec::new();
    for (spath, sch) in &r.schedules {
        schedule(rec, spath, sch, options.as_of(), &mut sessions);
    }
    schedule_tracks(rec, &path, &mut p, "opening hours", sessions);
    finish(rec, &path, p, options)
}

/// A value through the vocabularies, with its line.
fn vocab_line(rec: &mut Recorder, field: &str, value: &str, path: &str, p: &mut Program) {
    if let Some(l) = name_levels(value).first() {
        rec.mapped(
            field,
            Some(value),
            || path.to_owned(),
            vec![format!("levels: {}", l.key())],
            Method::Synonym,
            1.0,
        );
        push(&mut p.levels, *l);
        return;
    }
    match through_vocabularies(value) {
        Ok((found, how, c)) => {
            rec.mapped(
                field,
                Some(value),
                || path.to_owned(),
                vec![found_key(&found)],
                how,
                c,
            );
            apply(p, found);
        }
        Err(sug) => rec.unknown(field, value, || path.to_owned(), sug),
    }
}

/// Days from text such as "7 days", "2 weeks", "10".
fn wait_days(t: &str) -> Option<u16> {
    let mut words = t.split_whitespace();
    let n: u16 = words.next()?.parse().ok()?;
    match words.next().map(str::to_ascii_lowercase).as_deref() {
        None | Some("day" | "days") => Some(n),
        Some("week" | "weeks") => n.checked_mul(7),
        _ => None,
    }
}

const BYDAY: [(&str, Weekday); 7] = [
    ("MO", Weekday::Mon),
    ("TU", Weekday::Tue),
    ("WE", Weekday::Wed),
    ("TH", Weekday::Thu),
    ("FR", Weekday::Fri),
    ("SA", Weekday::Sat),
    ("SU", Weekday::Sun),
];

/// One schedule: a weekly rule into sessions; anything else reported.
#[allow(clippy::too_many_lines)]
fn schedule(rec: &mut Recorder, path: &str, s: &Value, as_of: Date, sessions: &mut Vec<Session>) {
    let f = |k: &str| format!("schedule.{k}");
    for (k, v) in s.as_object().into_iter().flatten() {
        let at = || format!("{path}.{k}");
        let why = match k.as_str() {
            "id" | "freq" | "byday" | "opens_at" | "closes_at" | "valid_from" | "valid_to"
            | "interval" | "description" => continue,
            "dtstart" | "until" | "count" => {
                "bounds of the rule: validity is read from valid_from and valid_to"
            }
            "wkst" => "the week's first day does not change a weekly rule's days",
            "byweekno" | "bymonthday" | "byyearday" => {
                "a rule part carematch does not read; the weekly days are read from byday"
            }
            "timezone" => "times are read as the location's local time",
            "schedule_link" | "attending_type" | "notes" => "free text: read at the source",
            "service_id" | "location_id" | "service_at_location_id" => "a link, already followed",
            _ => "not an HSDS 3.0 schedule field carematch reads",
        };
        if !v.is_null() {
            rec.ignored(&f(k), None, at, why);
        }
    }
    let date = |k: &str| {
        text(s, k)
            .and_then(|d| d.get(..10))
            .and_then(|d| d.parse::<Date>().ok())
    };
    if let Some(to) = date("valid_to")
        && to < as_of
    {
        rec.note(
            path.to_owned(),
            format!("valid until {to}, before {as_of}: not read"),
        );
        return;
    }
    if let Some(from) = date("valid_from")
        && from > as_of
    {
        rec.note(
            path.to_owned(),
            format!("valid from {from}, after {as_of}: not read"),
        );
        return;
    }
    let freq = text(s, "freq").map(str::to_ascii_uppercase);
    match freq.as_deref() {
        Some("WEEKLY") => rec.mapped(
            &f("freq"),
            Some("WEEKLY"),
            || format!("{path}.freq"),
            vec!["tracks".into()],
            Method::FormatCode,
            1.0,
        ),
        Some(other) => {
            rec.ignored(
                &f("freq"),
                Some(other),
                || format!("{path}.freq"),
                "only weekly rules are read",
            );
            rec.note(
                path.to_owned(),
                format!(
                    "a {} rule: reported, not read; confirm the schedule",
                    other.to_ascii_lowercase()
                ),
            );
            return;
        }
        None => {
            rec.note(
                path.to_owned(),
                "no `freq`: not read as a weekly rule; confirm the schedule",
            );
            return;
        }
    }
    if let Some(n) = s.get("interval").and_then(number)
        && n != 1.0
    {
        rec.note(
            path.to_owned(),
            format!("every {n} weeks: not read; confirm the schedule"),
        );
        return;
    }
    let mut days = Vec::new();
    for d in text(s, "byday")
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        match BYDAY.iter().find(|(c, _)| d.eq_ignore_ascii_case(c)) {
            Some((_, w)) => {
                rec.mapped(
                    &f("byday"),
                    Some(d),
                    || format!("{path}.byday"),
                    vec![format!("tracks: {}", w.key())],
                    Method::FormatCode,
                    1.0,
                );
                days.push(*w);
            }
            None => {
                rec.ignored(
                    &f("byday"),
                    Some(d),
                    || format!("{path}.byday"),
                    "a monthly day (such as 2MO or -1FR): not a weekly rule",
                );
                rec.note(
                    path.to_owned(),
                    format!(
                        "byday {d:?} is a monthly rule: reported, not read; confirm the schedule"
                    ),
                );
                return;
            }
        }
    }
    if days.is_empty() {
        rec.note(
            path.to_owned(),
            "a weekly rule without days (`byday`): not read",
        );
        return;
    }
    let time = |rec: &mut Recorder, k: &str| {
        let raw = text(s, k)?;
        match parse_time(raw) {
            Some((t, zone)) => {
                rec.mapped(
                    &f(k),
                    None,
                    || format!("{path}.{k}"),
                    vec!["tracks".into()],
                    Method::Read,
                    1.0,
                );
                if let Some(z) = zone {
                    rec.note(
                        format!("{path}.{k}"),
                        format!("time zone {z:?} given: read as local time"),
                    );
                }
                Some(t)
            }
            None => {
                rec.unknown(
                    &f(k),
                    raw,
                    || format!("{path}.{k}"),
                    vec!["HH:MM or HH:MM:SS".into()],
                );
                None
            }
        }
    };
    let (Some(open), Some(close)) = (time(rec, "opens_at"), time(rec, "closes_at")) else {
        rec.note(
            path.to_owned(),
            "days without opens_at and closes_at: not read",
        );
        return;
    };
    if close <= open {
        rec.note(
            path.to_owned(),
            format!("closes at {close}, not after it opens at {open}: not read (not guessed)"),
        );
        return;
    }
    if let Some(d) = text(s, "description") {
        let lower = d.to_ascii_lowercase();
        let weekdays = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ];
        if lower.contains("weekday") && days != weekdays {
            rec.note(path.to_owned(), format!("the description says weekdays ({d:?}) but byday gives {}: byday is read; confirm", text(s, "byday").unwrap_or("")));
        }
        rec.ignored(
            &f("description"),
            None,
            || format!("{path}.description"),
            "free text: compared with the structured fields, not read",
        );
    }
    for d in days {
        add_session(sessions, d, open, close);
    }
}
