//! The coordinator page at `/`: one HTML file, one script and one style
//! sheet, all inside the binary (`include_str!`), served with a content
//! security policy that allows nothing from outside the service. The page
//! reads and writes through the service's own JSON routes (`/level`,
//! `/rank`, `/explain`, `/assign`, `/programs/{id}`) and two small ones of
//! its own:
//!
//! | route | body | answer |
//! | --- | --- | --- |
//! | `GET /` | | the page |
//! | `POST /` | a form, `application/x-www-form-urlencoded` | without JavaScript: the ranking, "why not", the queue placed, or admin, as a page ([`submit`]) |
//! | `GET /assets/app.js`, `/assets/app.css` | | its script and style |
//! | `POST /page/terms` | `{"family": "condition", "text": "..."}` | the term resolved, or the closest terms (did you mean) |
//! | `GET /page/programs` | | the directory's ids, names and cities (for "why not" and admin) |
//!
//! Nothing a person types is kept or logged: the page posts it as JSON
//! bodies (never in a URL), and the access log names only the route.

use std::sync::Arc;

use axum::{
    Extension,
    body::Body,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use carematch::vocabulary::TermFamily;
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, Source};
use crate::routes::{AppState, RequestId, authorize, body, json, read, to_json};
use crate::store::Condition;

/// The page.
pub const INDEX_HTML: &str = include_str!("../assets/index.html");
/// Its script (vanilla JavaScript, no build step).
pub const APP_JS: &str = include_str!("../assets/app.js");
/// Its style sheet.
pub const APP_CSS: &str = include_str!("../assets/app.css");

/// The content security policy of every page response: the service's own
/// script, style and JSON routes, nothing else (no inline script, no
/// outside font, image or connection).
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; \
    frame-ancestors 'none'";

/// The most programs `/page/programs` lists (the page's pickers).
pub const MAX_LISTED: usize = 5000;

fn asset(body: &'static str, content_type: &'static str, cache: &'static str) -> Response {
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    r
}

/// `GET /`: the page.
pub async fn index() -> Response {
    asset(INDEX_HTML, "text/html; charset=utf-8", "no-store")
}

/// `GET /assets/app.js`.
pub async fn script() -> Response {
    asset(
        APP_JS,
        "text/javascript; charset=utf-8",
        "public, max-age=300",
    )
}

/// `GET /assets/app.css`.
pub async fn style() -> Response {
    asset(APP_CSS, "text/css; charset=utf-8", "public, max-age=300")
}

/// The body of `POST /page/terms`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermRequest {
    /// The term family's key (`condition`, `payer`, `language`, ...).
    pub family: String,
    /// What was typed.
    pub text: String,
}

/// The answer of `POST /page/terms`.
#[derive(Debug, Serialize)]
pub struct TermAnswer {
    /// Whether the term resolved.
    pub resolved: bool,
    /// The value as the strict JSON reader takes it (resolved only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Its plain-English name (resolved only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// How sure: 1 for exact, the similarity for a close spelling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// Whether it matched a close spelling rather than a known form.
    pub fuzzy: bool,
    /// The closest terms, best first (unresolved only).
    pub suggestions: Vec<String>,
    /// Whether two values were about equally close.
    pub ambiguous: bool,
    /// For a place (family `place`): its latitude (resolved only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// For a place: its longitude (resolved only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// Why a place did not resolve, in fixed words (never the text typed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<&'static str>,
}

/// A town or ZIP code through the embedded Census table
/// ([`carematch::places`]): the place's internal point, or why not (in
/// words that never repeat what was typed) with close town names.
fn resolve_place(text: &str) -> TermAnswer {
    use carematch::places::PlaceError;
    let unresolved = |problem: &'static str, suggestions: Vec<String>| TermAnswer {
        resolved: false,
        key: None,
        label: None,
        confidence: None,
        fuzzy: false,
        suggestions,
        ambiguous: false,
        latitude: None,
        longitude: None,
        problem: Some(problem),
    };
    match carematch::places::lookup(text) {
        Ok(place) => TermAnswer {
            resolved: true,
            key: Some(place.name.clone()),
            label: Some(place.to_string()),
            confidence: Some(1.0),
            fuzzy: false,
            suggestions: Vec::new(),
            ambiguous: false,
            latitude: Some(place.latitude),
            longitude: Some(place.longitude),
            problem: None,
        },
        Err(PlaceError::UnknownTown { suggestions, .. }) => {
            unresolved("not a Massachusetts city or town in the table", suggestions)
        }
        Err(PlaceError::UnknownZip { .. }) => unresolved(
            "a ZIP code the table does not hold (it covers US ZIP codes with a Census ZIP code area)",
            Vec::new(),
        ),
        Err(PlaceError::NotAZip { .. }) => {
            unresolved("not a ZIP code: write five digits (01608)", Vec::new())
        }
        Err(PlaceError::Empty) => unresolved("empty", Vec::new()),
        Err(_) => unresolved(
            "cities and towns are listed for Massachusetts only; a ZIP code works in every state",
            Vec::new(),
        ),
    }
}

fn family(key: &str) -> Option<TermFamily> {
    [
        TermFamily::Condition,
        TermFamily::Payer,
        TermFamily::Language,
        TermFamily::LevelOfCare,
        TermFamily::DeliveryPreference,
        TermFamily::Population,
    ]
    .into_iter()
    .find(|f| f.key() == key)
}

/// Resolves one typed term of `family` (did you mean).
///
/// # Errors
///
/// A family the page does not use (422).
pub fn resolve(family_key: &str, text: &str) -> Result<TermAnswer, ApiError> {
    if family_key == "place" {
        return Ok(resolve_place(text));
    }
    let Some(f) = family(family_key) else {
        return Err(ApiError::field(
            "family",
            "not one of condition, payer, language, level, delivery_preference, population, place",
        ));
    };
    Ok(match f.resolve(text) {
        Ok(r) => TermAnswer {
            resolved: true,
            key: Some(r.value.key),
            label: Some(r.value.label),
            confidence: Some(r.confidence),
            fuzzy: r.how == carematch::vocabulary::MatchKind::Fuzzy,
            suggestions: Vec::new(),
            ambiguous: false,
            latitude: None,
            longitude: None,
            problem: None,
        },
        Err(e) => TermAnswer {
            resolved: false,
            key: None,
            label: None,
            confidence: None,
            fuzzy: false,
            suggestions: e.suggestions().to_vec(),
            ambiguous: e.is_ambiguous(),
            latitude: None,
            longitude: None,
            problem: None,
        },
    })
}

/// `POST /page/terms`.
pub async fn terms(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    raw: Body,
) -> Result<Response, ApiError> {
    authorize(&state, &headers, false)?;
    let text = body(&state, &headers, raw).await?;
    let r: TermRequest = read("", &text, Source::Patient)?;
    let answer = resolve(&r.family, &r.text)?;
    Ok(json(StatusCode::OK, to_json(&answer)?))
}

#[derive(Serialize)]
struct Listed {
    id: String,
    name: String,
    city: String,
}

/// `GET /page/programs`: ids, names and cities, in id order, at most
/// [`MAX_LISTED`].
pub async fn programs(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    authorize(&state, &headers, false)?;
    let (listed, total) = {
        let live = state.shared.read();
        let d = &live.directory;
        let mut ids: Vec<&str> = d.ids().collect();
        ids.sort_unstable();
        let listed: Vec<Listed> = ids
            .iter()
            .take(MAX_LISTED)
            .filter_map(|id| d.get(id))
            .map(|p| Listed {
                id: p.id.as_str().to_owned(),
                name: p.name,
                city: p.location.city,
            })
            .collect();
        (listed, d.len())
    };
    let body = serde_json::json!({"programs": listed, "total": total});
    Ok(json(StatusCode::OK, to_json(&body)?))
}

// ---- Without JavaScript: the patient form posted as a form -------------

/// Decodes an `application/x-www-form-urlencoded` body into its pairs, in
/// order (`+` is a space; a `%` escape that does not decode is kept).
pub fn form_pairs(body: &str) -> Vec<(String, String)> {
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                    match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                        Some(b) => {
                            out.push(b);
                            i += 2;
                        }
                        None => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// Text made safe inside HTML elements and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const RATINGS: [&str; 7] = [
    "risk_of_harm",
    "functional_status",
    "comorbidity",
    "stress",
    "support",
    "treatment_history",
    "engagement",
];

fn is_icd_code(text: &str) -> bool {
    let t = text.as_bytes();
    t.len() >= 3
        && t[0].is_ascii_alphabetic()
        && !t[0].eq_ignore_ascii_case(&b'U')
        && t[1].is_ascii_digit()
        && t[2].is_ascii_alphanumeric()
        && (t.len() == 3
            || (t[3] == b'.'
                && (5..=8).contains(&t.len())
                && t[4..].iter().all(u8::is_ascii_alphanumeric)))
}

/// The `/rank` body the patient form describes, as the script builds it;
/// or the problems, a term's closest terms among them (did you mean).
///
/// # Errors
///
/// One line per problem: a missing field, a term not known.
pub fn rank_body(pairs: &[(String, String)]) -> Result<serde_json::Value, Vec<String>> {
    use serde_json::{Value, json};
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map_or("", |(_, v)| v.trim())
    };
    let on = |k: &str| !get(k).is_empty();
    fn term(problems: &mut Vec<String>, family: &str, label: &str, text: &str) -> Option<String> {
        match resolve(family, text) {
            Ok(t) if t.resolved => t.key,
            Ok(t) if t.suggestions.is_empty() => {
                problems.push(format!("{label}: not a term carematch knows"));
                None
            }
            Ok(t) => {
                problems.push(format!(
                    "{label}: did you mean {}?",
                    t.suggestions
                        .iter()
                        .map(|s| format!("“{s}”"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ));
                None
            }
            Err(e) => {
                problems.push(e.message);
                None
            }
        }
    }
    let mut problems = Vec::new();
    let mut patient = serde_json::Map::new();
    match get("age").parse::<u8>() {
        Ok(age) => {
            patient.insert("age".into(), json!(age));
        }
        Err(_) => problems.push("Age in years: give a whole number".to_owned()),
    }
    let mut diagnoses = Vec::new();
    for (field, label, primary) in [
        ("diag1", "Primary diagnosis", true),
        ("diag2", "Other diagnosis", false),
    ] {
        let text = get(field);
        if text.is_empty() {
            continue;
        }
        if is_icd_code(text) {
            diagnoses.push(json!({"code": text.to_ascii_uppercase(), "primary": primary}));
        } else if let Some(key) = term(&mut problems, "condition", label, text) {
            diagnoses.push(json!({"condition": key, "primary": primary}));
        }
    }
    if get("diag1").is_empty() {
        problems.push("Primary diagnosis: give a code or a name".to_owned());
    }
    patient.insert("diagnoses".into(), Value::Array(diagnoses));
    if let Some(payer) = term(&mut problems, "payer", "Payer and plan", get("payer")) {
        patient.insert("payer".into(), json!(payer));
    }
    if on("language")
        && let Some(language) = term(&mut problems, "language", "Language", get("language"))
    {
        patient.insert("language".into(), json!(language));
    }
    let number = |k: &str| get(k).parse::<f64>().ok().filter(|x| x.is_finite());
    if on("place") {
        let t = resolve_place(get("place"));
        match (t.latitude, t.longitude) {
            (Some(lat), Some(lon)) => {
                patient.insert(
                    "location".into(),
                    json!({"latitude": lat, "longitude": lon}),
                );
            }
            _ if !t.suggestions.is_empty() => problems.push(format!(
                "Town or ZIP code: did you mean {}?",
                t.suggestions
                    .iter()
                    .map(|s| format!("“{s}”"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )),
            _ => problems.push(format!(
                "Town or ZIP code: {}",
                t.problem.unwrap_or("not found")
            )),
        }
    }
    if let Some(miles) = number("miles") {
        patient.insert("max_travel_miles".into(), json!(miles));
    }
    if let Some(days) = number("discharge") {
        patient.insert("days_since_inpatient_discharge".into(), json!(days));
    }
    let delivery = if on("delivery") {
        get("delivery")
    } else {
        "either"
    };
    patient.insert("delivery".into(), json!(delivery));
    let mut busy = Vec::new();
    for (_, v) in pairs.iter().filter(|(k, _)| k == "busy") {
        let Some((day, hour)) = v.split_once('-') else {
            continue;
        };
        let (Ok(hour), true) = (
            hour.parse::<u32>(),
            ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].contains(&day),
        ) else {
            continue;
        };
        if (7..=19).contains(&hour) {
            busy.push(json!({"days": [day], "start": format!("{hour:02}:00"), "end": format!("{:02}:00", hour + 2)}));
        }
    }
    patient.insert("availability".into(), json!({ "busy": busy }));
    patient.insert("co_occurring_substance_use".into(), json!(on("substance")));
    patient.insert("wants_family_involved".into(), json!(on("family")));
    match get("moud") {
        "" => {}
        "on" => {
            patient.insert("on_moud".into(), json!(true));
        }
        m => {
            patient.insert("moud_medication".into(), json!(m));
        }
    }
    if on("pregnancy") {
        patient.insert("pregnancy".into(), json!(get("pregnancy")));
    }
    let mut body = serde_json::Map::new();
    body.insert(
        "top".into(),
        json!(get("top").parse::<u32>().unwrap_or(5).clamp(1, 50)),
    );
    let ratings: Vec<(&str, &str)> = RATINGS
        .iter()
        .map(|k| (*k, get(&format!("r-{k}"))))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    if ratings.len() == RATINGS.len() {
        let mut r = serde_json::Map::new();
        for (k, v) in ratings {
            r.insert(k.into(), json!(v.parse::<u8>().unwrap_or(0)));
        }
        let mut a = json!({"ratings": r, "age": patient.get("age").cloned().unwrap_or(json!(0)),
            "co_occurring_substance_use": on("substance")});
        if let Some(days) = number("discharge") {
            a["days_since_inpatient_discharge"] = json!(days);
        }
        body.insert("assessment".into(), a);
    } else if !ratings.is_empty() {
        problems.push("Assessment: rate all seven dimensions, or none".to_owned());
    } else if on("level") {
        body.insert("level".into(), json!(get("level")));
    }
    if on("waitlist") {
        body.insert("allow_waitlist".into(), json!(true));
    }
    if on("selfpay") {
        body.insert("allow_self_pay".into(), json!(true));
    }
    body.insert("patient".into(), Value::Object(patient));
    if problems.is_empty() {
        Ok(Value::Object(body))
    } else {
        Err(problems)
    }
}

fn words(key: &str) -> String {
    key.replace('_', " ")
}

fn tel(contact: &str) -> Option<&'static str> {
    match contact {
        "911" => Some("tel:911"),
        "988" => Some("tel:988"),
        "833-773-2445" => Some("tel:+18337732445"),
        _ => None,
    }
}

fn alerts_html(alerts: &serde_json::Value, out: &mut String) {
    let list = alerts.as_array().map(Vec::as_slice).unwrap_or_default();
    let mut sorted: Vec<&serde_json::Value> = list.iter().collect();
    sorted.sort_by_key(|a| a["channel"] == "confirm");
    for a in sorted {
        let safety = a["channel"] != "confirm";
        let text = a["text"].as_str().unwrap_or("");
        out.push_str(&format!(
            "<div class=\"alert {}\"{}><strong class=\"mark\">{}</strong> ",
            if safety { "safety" } else { "confirm" },
            if safety { " role=\"alert\"" } else { "" },
            if safety { "Safety" } else { "To confirm" }
        ));
        match a["contacts"].as_array() {
            Some(contacts) if !contacts.is_empty() => {
                let head = text.split(". ").next().unwrap_or(text);
                out.push_str(&format!(
                    "<span>{}.</span><ul class=\"contacts\">",
                    escape(head)
                ));
                for c in contacts {
                    let number = c["contact"].as_str().unwrap_or("");
                    let reach = tel(number).map_or_else(
                        || escape(number),
                        |t| format!("<a href=\"{t}\">{}</a>", escape(number)),
                    );
                    out.push_str(&format!(
                        "<li><strong>{}</strong>: {reach} ({})</li>",
                        escape(c["name"].as_str().unwrap_or("")),
                        escape(c["when"].as_str().unwrap_or(""))
                    ));
                }
                out.push_str("</ul>");
            }
            _ => out.push_str(&format!("<span>{}</span>", escape(text))),
        }
        out.push_str("</div>");
    }
}

const CRITERIA: [&str; 7] = [
    "therapy_fit",
    "credentials",
    "schedule_flexibility",
    "aftercare",
    "distance",
    "wait",
    "freshness",
];

fn criterion_name(key: &str) -> String {
    match key {
        "therapy_fit" => "Therapy fit".to_owned(),
        "credentials" => "Credentials".to_owned(),
        "schedule_flexibility" => "Schedule".to_owned(),
        "aftercare" => "Aftercare".to_owned(),
        "distance" => "Distance".to_owned(),
        "wait" => "Wait".to_owned(),
        "freshness" => "Data freshness".to_owned(),
        other => words(other),
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// The ranking's answer as the body of a page (what the script draws,
/// less the plot and the buttons).
pub fn ranking_html(d: &serde_json::Value) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "<h2 id=\"result-h\">Result: {}</h2>",
        escape(&words(d["level"].as_str().unwrap_or("")))
    ));
    alerts_html(&d["alerts"], &mut out);
    let counts: Vec<String> = d["exclusion_counts"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|c| {
            format!(
                "{}: {}",
                words(c["reason"].as_str().unwrap_or("")),
                c["programs"]
            )
        })
        .collect();
    out.push_str(&format!(
        "<p class=\"summary\">{} eligible, {} excluded{}.</p>",
        d["eligible"],
        d["excluded_count"],
        if counts.is_empty() {
            String::new()
        } else {
            format!(" ({})", escape(&counts.join(", ")))
        }
    ));
    let matches = d["matches"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if matches.is_empty() {
        out.push_str("<p>No program matches.</p>");
    }
    out.push_str("<ol class=\"matches\">");
    for (i, m) in matches.iter().enumerate() {
        match_card(m, i, &mut out);
    }
    out.push_str("</ol>");
    out
}

/// One match as the script's card draws it (less the plot): name, facts,
/// score, alerts, a bar per criterion and the reasons.
fn match_card(m: &serde_json::Value, i: usize, out: &mut String) {
    let s = |k: &str| escape(m[k].as_str().unwrap_or(""));
    let facts = [
        s("city"),
        escape(&words(m["level"].as_str().unwrap_or(""))),
        m["distance_miles"]
            .as_f64()
            .map_or("distance not known".to_owned(), |x| format!("{x:.1} miles")),
        m["wait_days"]
            .as_u64()
            .map_or("wait not listed".to_owned(), |x| format!("wait {x} days")),
        m["open_slots"]
            .as_u64()
            .map_or("open slots not listed".to_owned(), |x| {
                format!("{x} open slot{}", if x == 1 { "" } else { "s" })
            }),
    ];
    out.push_str(&format!(
        "<li class=\"match\" data-program=\"{}\"><h3>{}. {}</h3><p class=\"facts\">{}</p><p class=\"score\">Score <strong>{}</strong></p>",
        s("program_id"),
        i + 1,
        s("program_name"),
        facts.join(" · "),
        pct(m["score"].as_f64().unwrap_or(0.0))
    ));
    alerts_html(&m["alerts"], out);
    out.push_str("<div class=\"bars\">");
    // In the order the ranking gives them (serde_json's map sorts keys).
    let criteria: Vec<&serde_json::Value> = m["criteria"].as_object().map_or_else(Vec::new, |c| {
        let mut v: Vec<&serde_json::Value> = c.values().collect();
        v.sort_by_key(|c| {
            CRITERIA
                .iter()
                .position(|k| c["criterion"] == *k)
                .unwrap_or(CRITERIA.len())
        });
        v
    });
    for c in &criteria {
        let name = criterion_name(c["criterion"].as_str().unwrap_or(""));
        let (fill, value) = match c["score"].as_f64() {
            Some(x) => (
                ((x * 20.0).round() as u32).min(20) * 5,
                format!("{} × {}", pct(x), c["weight"]),
            ),
            None => (0, "not scored".to_owned()),
        };
        out.push_str(&format!(
            "<div class=\"bar\"><span class=\"bar-name\">{name}</span><span class=\"bar-track\" aria-hidden=\"true\"><span class=\"bar-fill w{fill}\"></span></span><span class=\"bar-val\">{value}</span></div>"
        ));
    }
    out.push_str("</div><div class=\"reasons\">");
    for c in &criteria {
        out.push_str(&format!(
            "<h4>{}</h4><ul>",
            criterion_name(c["criterion"].as_str().unwrap_or(""))
        ));
        for r in c["reasons"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            out.push_str(&format!(
                "<li>{}</li>",
                escape(r["text"].as_str().unwrap_or(""))
            ));
        }
        out.push_str("</ul>");
    }
    out.push_str("</div></li>");
}

/// A whole page around `body` (the same style sheet; no script).
pub fn document(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<link rel=\"stylesheet\" href=\"/assets/app.css\">\n</head>\n<body>\n<header><h1>carematch</h1><p class=\"lede\">Decision support: a clinician decides. Nothing typed was stored or logged.</p><p><a href=\"/\">Back to the form</a> (your browser's Back button keeps what you typed)</p></header>\n<main id=\"main\">\n{}\n</main>\n</body>\n</html>\n",
        escape(title),
        body
    )
}

fn html(status: StatusCode, text: String) -> Response {
    let mut r = (status, text).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    r
}

/// The form's problems as a page with `status` (a 4xx, or 503 when busy),
/// each naming its field by the label the person sees.
fn problems_page(status: StatusCode, problems: &[String]) -> Response {
    let mut body =
        String::from("<h2>The form needs a change</h2><ul class=\"problems\" role=\"alert\">");
    for p in problems {
        body.push_str(&format!("<li class=\"error\">{}</li>", escape(p)));
    }
    body.push_str("</ul>");
    html(
        status,
        document("carematch: the form needs a change", &body),
    )
}

/// The label a person sees for a field path of the request the form made.
fn label(path: &str) -> &str {
    const LABELS: &[(&str, &str)] = &[
        ("patient.age", "Age in years"),
        ("patient.diagnoses", "Diagnoses"),
        ("patient.payer", "Payer and plan"),
        ("patient.language", "Language"),
        ("patient.location", "Latitude and longitude"),
        ("patient.location.latitude", "Latitude"),
        ("patient.location.longitude", "Longitude"),
        ("patient.max_travel_miles", "Travel limit in miles"),
        (
            "patient.days_since_inpatient_discharge",
            "Days since an inpatient discharge",
        ),
        ("patient.level", "Level of care"),
        ("patient.pregnancy", "Pregnancy"),
        (
            "patient.moud_medication",
            "Medication for opioid use disorder (MOUD)",
        ),
        ("assessment", "Assessment ratings"),
        ("level", "Level of care"),
        ("top", "Programs to show"),
        ("referrals", "Referral queue"),
        ("If-Match", "Version"),
    ];
    LABELS
        .iter()
        .find(|(p, _)| *p == path)
        .map_or(path, |(_, l)| l)
}

/// A service error as the form's page: its status, each problem by label.
fn error_page(e: ApiError) -> Response {
    let lines: Vec<String> = if e.problems.is_empty() {
        vec![e.message]
    } else {
        e.problems
            .iter()
            .map(|p| match p.path.as_str() {
                "" => p.message.clone(),
                path => format!("{}: {}", label(path), p.message),
            })
            .collect()
    };
    let mut r = problems_page(e.status, &lines);
    if let Some(s) = e.retry_after {
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(s));
    }
    r
}

/// A problem with one field of a form (422), named by its label.
fn form_error(label: &str, problem: &str) -> ApiError {
    let mut e = ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        format!("{label}: {problem}"),
    );
    e.problems.push(carematch::Problem::new(
        carematch::ProblemSeverity::Error,
        label,
        problem,
    ));
    e
}

/// The form's fields, looked up by name.
struct Form(Vec<(String, String)>);

impl Form {
    fn get(&self, k: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == k)
            .map_or("", |(_, v)| v.trim())
    }
    fn on(&self, k: &str) -> bool {
        !self.get(k).is_empty()
    }
}

/// `POST /`: a form sent without JavaScript
/// (`application/x-www-form-urlencoded`), answered as a page. The hidden
/// field `form` says which: `patient` (the ranking; with `action=whynot`,
/// why one program is not in it), `queue` (the referral queue pasted, placed),
/// `admin` (find a program, behind the token) or `admin-save` (change its
/// accepting, wait and open slots at the version shown).
///
/// Every error comes back as a page too, with its status (422 for a field
/// to change, naming it by its label; 401 or 403 for the token, 404 for a
/// program not found, 412 for a program changed since it was shown, 413 or
/// 415 for the body); nothing typed is echoed into it.
pub async fn submit(
    State(state): State<Arc<AppState>>,
    Extension(rid): Extension<RequestId>,
    headers: HeaderMap,
    raw: Body,
) -> Response {
    match submit_form(&state, &rid, &headers, raw).await {
        Ok(r) => r,
        Err(e) => error_page(e),
    }
}

async fn submit_form(
    state: &Arc<AppState>,
    rid: &RequestId,
    headers: &HeaderMap,
    raw: Body,
) -> Result<Response, ApiError> {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';').next().is_some_and(|t| {
                t.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        });
    if !is_form {
        return Err(ApiError::for_status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
    }
    // The same limits as every body (size, time, UTF-8); the media type
    // was checked above.
    let mut as_json = headers.clone();
    as_json.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let text = body(state, &as_json, raw).await?;
    let form = Form(form_pairs(&text));
    match form.get("form") {
        "patient" => {
            authorize(state, headers, false)?;
            if form.get("action") == "whynot" {
                why_not(state, &form).await
            } else {
                rank_page(state, &form).await
            }
        }
        "queue" => {
            authorize(state, headers, false)?;
            queue_page(state, &form).await
        }
        "admin" => admin_find(state, &form),
        "admin-save" => admin_save(state, rid, &form).await,
        _ => Err(form_error(
            "Form",
            "not one this page sends (patient, queue, admin)",
        )),
    }
}

/// The `/rank` request the patient form describes, read as the JSON route reads it.
fn rank_request(form: &Form) -> Result<crate::routes::RankRequest, ApiError> {
    let request = rank_body(&form.0).map_err(|problems| {
        let mut e = form_error("Form", "");
        e.message = problems.first().cloned().unwrap_or_default();
        e.problems = problems
            .into_iter()
            .map(|p| carematch::Problem::new(carematch::ProblemSeverity::Error, "", p))
            .collect();
        e
    })?;
    read("", &request.to_string(), Source::Patient)
}

async fn rank_page(state: &Arc<AppState>, form: &Form) -> Result<Response, ApiError> {
    let r = rank_request(form)?;
    let limit = crate::routes::check_rank_request(state, &r)?;
    let s = state.clone();
    let bytes = state
        .rank_pool
        .run(move || crate::routes::rank_now(&s, &r, limit))
        .await??;
    let d: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|_| ApiError::for_status(StatusCode::INTERNAL_SERVER_ERROR))?;
    Ok(html(
        StatusCode::OK,
        document("carematch: the ranking", &ranking_html(&d)),
    ))
}

/// The id of the program `text` names: its id, its name, or "name (city)"
/// as the page's list shows it (case aside); the first by id when two
/// share a name.
fn find_program(state: &AppState, text: &str) -> Option<String> {
    let live = state.shared.read();
    let d = &live.directory;
    if d.contains(text) {
        return Some(text.to_owned());
    }
    let wanted = text.to_lowercase();
    let mut ids: Vec<&str> = d.ids().collect();
    ids.sort_unstable();
    ids.into_iter()
        .find(|id| {
            d.get(id).is_some_and(|p| {
                let name = p.name.to_lowercase();
                name == wanted || format!("{name} ({})", p.location.city.to_lowercase()) == wanted
            })
        })
        .map(str::to_owned)
}

const WHY_NOT: &str = "Why not a program";

async fn why_not(state: &Arc<AppState>, form: &Form) -> Result<Response, ApiError> {
    let text = form.get("whynot");
    if text.is_empty() {
        return Err(form_error(WHY_NOT, "give a program's name or id"));
    }
    let r = rank_request(form)?;
    crate::routes::check_rank_request(state, &r)?;
    let Some(id) = find_program(state, text) else {
        let mut e = form_error(WHY_NOT, "no program in the directory has this name or id");
        e.status = StatusCode::NOT_FOUND;
        e.kind = "unknown_program";
        return Err(e);
    };
    let s = state.clone();
    let answer = state
        .rank_pool
        .run(move || crate::routes::explain_now(&s, &r, &id))
        .await??;
    let x = serde_json::to_value(&answer)
        .map_err(|_| ApiError::for_status(StatusCode::INTERNAL_SERVER_ERROR))?;
    Ok(html(
        StatusCode::OK,
        document("carematch: why not", &why_not_html(&x)),
    ))
}

/// An explanation (`/explain`'s answer) as the script draws it.
pub fn why_not_html(x: &serde_json::Value) -> String {
    let d = &x["details"];
    let name = escape(d["program_name"].as_str().unwrap_or(""));
    let mut out = format!("<h2 id=\"whynot-h\">{WHY_NOT}: {name}</h2>");
    if x["outcome"] == "excluded" {
        out.push_str(&format!(
            "<p><strong>{name}</strong> is excluded for this patient:</p><ul class=\"exclusions\">"
        ));
        for r in d["reasons"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let text = r["text"]
                .as_str()
                .map_or_else(|| words(r["reason"].as_str().unwrap_or("")), str::to_owned);
            out.push_str(&format!("<li>{}</li>", escape(&text)));
        }
        out.push_str("</ul>");
    } else {
        let rank = x["rank"].as_u64().unwrap_or(1).max(1);
        out.push_str(&format!(
            "<p><strong>{name}</strong> is not excluded: it ranks {rank}{}, score {}.</p><ol class=\"matches\" start=\"{rank}\">",
            if x["outcome"] == "alternative" {
                " as an alternative level"
            } else {
                ""
            },
            pct(d["score"].as_f64().unwrap_or(0.0))
        ));
        match_card(d, usize::try_from(rank - 1).unwrap_or(0), &mut out);
        out.push_str("</ol>");
    }
    out
}

const QUEUE: &str = "Referral queue";

async fn queue_page(state: &Arc<AppState>, form: &Form) -> Result<Response, ApiError> {
    let text = form.get("queue");
    if text.is_empty() {
        return Err(form_error(QUEUE, "paste the queue's JSON"));
    }
    // Read only to find the list: a file's `{"referrals": [...]}` or the
    // list itself. Nothing of it is echoed in an error.
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|_| form_error(QUEUE, "is not valid JSON"))?;
    let referrals = match v {
        serde_json::Value::Array(_) => v,
        serde_json::Value::Object(mut o) => match o.remove("referrals") {
            Some(list @ serde_json::Value::Array(_)) => list,
            _ => return Err(form_error(QUEUE, "has no list of referrals")),
        },
        _ => return Err(form_error(QUEUE, "is not a list of referrals")),
    };
    let request = serde_json::json!({"referrals": referrals, "first_come": form.on("first_come")});
    let bytes = crate::routes::assign_text(state, &request.to_string()).await?;
    let d: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|_| ApiError::for_status(StatusCode::INTERNAL_SERVER_ERROR))?;
    Ok(html(
        StatusCode::OK,
        document("carematch: the queue placed", &assignment_html(&d)),
    ))
}

/// An assignment (`/assign`'s answer) as the script draws it: held
/// referrals first (their hold's text first), then placed, not placed
/// (with waitlists), and those that cannot be ranked.
pub fn assignment_html(d: &serde_json::Value) -> String {
    let rs = d["referrals"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let order = |s: &serde_json::Value| match s.as_str() {
        Some("held") => 0,
        Some("placed") => 1,
        Some("unplaced") => 2,
        Some("invalid") => 3,
        _ => 4,
    };
    let mut sorted: Vec<&serde_json::Value> = rs.iter().collect();
    sorted.sort_by_key(|r| order(&r["status"]));
    let (placed, held) = (
        d["placed"].as_u64().unwrap_or(0),
        d["held"].as_u64().unwrap_or(0),
    );
    let total = rs.len() as u64;
    let mut out = format!(
        "<h2 id=\"queue-result-h\">The queue placed</h2><p class=\"summary\">{placed} placed, {held} held, {} not placed, of {total}.</p><ol class=\"queue\">",
        total.saturating_sub(placed + held)
    );
    for r in sorted {
        let status = r["status"].as_str().unwrap_or("");
        out.push_str(&format!(
            "<li class=\"referral {0}\" data-status=\"{0}\"><h3>{1}: {2}</h3>",
            escape(status),
            escape(r["referral_id"].as_str().unwrap_or("")),
            escape(&words(status))
        ));
        if let Some(text) = r["hold"]["text"].as_str() {
            out.push_str(&format!(
                "<div class=\"alert safety\" role=\"alert\"><strong class=\"mark\">Held</strong> {}</div>",
                escape(text)
            ));
        }
        let p = &r["placement"];
        if p.is_object() {
            out.push_str(&format!(
                "<p>Placed at <strong>{}</strong> (choice {}, score {})</p>",
                escape(p["program_name"].as_str().unwrap_or("")),
                p["choice"],
                pct(p["score"].as_f64().unwrap_or(0.0))
            ));
            alerts_html(&p["alerts"], &mut out);
        }
        if status == "unplaced"
            && let Some(kind) = r["reason"]["kind"].as_str()
        {
            out.push_str(&format!("<p>Not placed: {}.</p>", escape(&words(kind))));
        }
        if let Some(problem) = r["problem"].as_object() {
            out.push_str(&format!(
                "<p>Cannot be ranked: {}: {}</p>",
                escape(problem.get("path").and_then(|v| v.as_str()).unwrap_or("")),
                escape(
                    problem
                        .get("message")
                        .and_then(|v| v.as_str())
                        .unwrap_or("")
                )
            ));
        }
        let waitlist = r["waitlist"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        if !waitlist.is_empty() {
            out.push_str("<p>Waitlists:</p><ol>");
            for w in waitlist {
                out.push_str(&format!(
                    "<li>{} ({}, {})</li>",
                    escape(w["program_name"].as_str().unwrap_or("")),
                    pct(w["score"].as_f64().unwrap_or(0.0)),
                    w["wait_days"]
                        .as_u64()
                        .map_or("wait not listed".to_owned(), |x| format!("wait {x} days"))
                ));
            }
            out.push_str("</ol>");
        }
        // The hold already says the crisis text.
        let alerts: Vec<serde_json::Value> = r["alerts"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter(|a| r["hold"].is_null() || a["kind"] != "imminent_risk")
            .cloned()
            .collect();
        alerts_html(&serde_json::Value::Array(alerts), &mut out);
        out.push_str("</li>");
    }
    out.push_str("</ol>");
    out
}

const PROGRAM: &str = "Program";
const TOKEN: &str = "Service token";

/// The headers a form's token makes: `Authorization: Bearer <token>`.
fn token_headers(form: &Form) -> HeaderMap {
    let mut h = HeaderMap::new();
    let token = form.get("token");
    if !token.is_empty()
        && let Ok(v) = HeaderValue::from_str(&format!("Bearer {token}"))
    {
        h.insert(header::AUTHORIZATION, v);
    }
    h
}

/// Admin: the token must be one the service accepts for writes.
fn admin_token(state: &AppState, form: &Form) -> Result<Option<String>, ApiError> {
    authorize(state, &token_headers(form), true).map_err(|mut e| {
        e.problems = vec![carematch::Problem::new(
            carematch::ProblemSeverity::Error,
            TOKEN,
            e.message.clone(),
        )];
        e
    })
}

fn not_found(label: &str) -> ApiError {
    let mut e = form_error(label, "no program in the directory has this name or id");
    e.status = StatusCode::NOT_FOUND;
    e.kind = "unknown_program";
    e
}

fn admin_find(state: &Arc<AppState>, form: &Form) -> Result<Response, ApiError> {
    admin_token(state, form)?;
    let text = form.get("program");
    if text.is_empty() {
        return Err(form_error(PROGRAM, "give a program's name or id"));
    }
    let id = find_program(state, text).ok_or_else(|| not_found(PROGRAM))?;
    Ok(html(StatusCode::OK, admin_document(state, &id, None)?))
}

/// The program's page for admin: what it is, its version and last
/// verification, and a form to change accepting, wait and open slots.
fn admin_document(state: &AppState, id: &str, saved: Option<u64>) -> Result<String, ApiError> {
    let (p, version) = {
        let live = state.shared.read();
        let p = live.directory.get(id).ok_or_else(|| not_found(PROGRAM))?;
        (p, live.versions.get(id).copied().unwrap_or(1))
    };
    let mut out = String::from("<h2 id=\"admin-h\">Directory admin</h2>");
    if let Some(v) = saved {
        out.push_str(&format!(
            "<p class=\"saved\" role=\"status\">Saved: version {v}.</p>"
        ));
    }
    let id_e = escape(p.id.as_str());
    out.push_str(&format!(
        "<p><strong>{}</strong> ({id_e}, {})</p><p id=\"admin-meta\">Version {version}; last verified {}.</p>",
        escape(&p.name),
        escape(&p.location.city),
        if p.not_listed.contains(&carematch::NotListed::LastVerified) {
            "not listed".to_owned()
        } else {
            p.last_verified.to_string()
        }
    ));
    out.push_str(&format!(
        "<form id=\"admin-save\" method=\"post\" action=\"/\"><input type=\"hidden\" name=\"form\" value=\"admin-save\"><input type=\"hidden\" name=\"program\" value=\"{id_e}\"><input type=\"hidden\" name=\"version\" value=\"{version}\">\
<div class=\"row\"><label for=\"admin-token\">Service token (again: it is not kept in this page)</label><input id=\"admin-token\" name=\"token\" type=\"password\" autocomplete=\"off\" required></div>\
<div class=\"row check\"><input id=\"admin-accepting\" name=\"accepting\" type=\"checkbox\"{}><label for=\"admin-accepting\">Accepting new patients</label></div>\
<div class=\"row\"><label for=\"admin-wait\">Typical wait in days (empty: not listed)</label><input id=\"admin-wait\" name=\"wait\" type=\"number\" min=\"0\" max=\"3650\" value=\"{}\"></div>\
<div class=\"row\"><label for=\"admin-slots\">Open slots (empty: not listed)</label><input id=\"admin-slots\" name=\"slots\" type=\"number\" min=\"0\" max=\"100000\" value=\"{}\"></div>\
<div class=\"actions\"><button type=\"submit\">Save</button></div></form>",
        if p.accepting_new_patients { " checked" } else { "" },
        p.typical_wait_days.map_or(String::new(), |d| d.to_string()),
        p.open_slots.map_or(String::new(), |n| n.to_string()),
    ));
    Ok(document("carematch: directory admin", &out))
}

async fn admin_save(
    state: &Arc<AppState>,
    rid: &RequestId,
    form: &Form,
) -> Result<Response, ApiError> {
    let token = admin_token(state, form)?;
    let id = form.get("program").to_owned();
    let Ok(version) = form.get("version").parse::<u64>() else {
        return Err(form_error("Version", "find the program again"));
    };
    fn number<T: std::str::FromStr>(
        form: &Form,
        k: &str,
        label: &str,
    ) -> Result<Option<T>, ApiError> {
        match form.get(k) {
            "" => Ok(None),
            v => v
                .parse::<T>()
                .map(Some)
                .map_err(|_| form_error(label, "give a whole number, or leave it empty")),
        }
    }
    let patch = crate::routes::ProgramPatch {
        accepting_new_patients: Some(form.on("accepting")),
        typical_wait_days: Some(number::<u16>(form, "wait", "Typical wait in days")?),
        open_slots: Some(number::<u32>(form, "slots", "Open slots")?),
    };
    let s = state.clone();
    let pid = id.clone();
    let result = state
        .write_pool
        .run(move || {
            s.shared
                .patch(&pid, Condition::Version(version), |p| patch.apply(p))
        })
        .await?;
    let written = crate::routes::finish_write(result, rid, token.as_deref(), "patch", &id)?;
    let saved = written
        .headers()
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim_matches('"').parse::<u64>().ok());
    Ok(html(StatusCode::OK, admin_document(state, &id, saved)?))
}
