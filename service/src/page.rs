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
//! | `POST /` | the patient form, `application/x-www-form-urlencoded` | the ranking as a page (the form without JavaScript) |
//! | `GET /assets/app.js`, `/assets/app.css` | | its script and style |
//! | `POST /page/terms` | `{"family": "condition", "text": "..."}` | the term resolved, or the closest terms (did you mean) |
//! | `GET /page/programs` | | the directory's ids, names and cities (for "why not" and admin) |
//!
//! Nothing a person types is kept or logged: the page posts it as JSON
//! bodies (never in a URL), and the access log names only the route.

use std::sync::Arc;

use axum::{
    body::Body,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use carematch::vocabulary::TermFamily;
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, Source};
use crate::routes::{AppState, authorize, body, json, read, to_json};

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
    let Some(f) = family(family_key) else {
        return Err(ApiError::field(
            "family",
            "not one of condition, payer, language, level, delivery_preference, population",
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
        },
        Err(e) => TermAnswer {
            resolved: false,
            key: None,
            label: None,
            confidence: None,
            fuzzy: false,
            suggestions: e.suggestions().to_vec(),
            ambiguous: e.is_ambiguous(),
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
    if let (Some(lat), Some(lon)) = (number("lat"), number("lon")) {
        patient.insert(
            "location".into(),
            json!({"latitude": lat, "longitude": lon}),
        );
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
        alerts_html(&m["alerts"], &mut out);
        out.push_str("<div class=\"bars\">");
        // In the order the ranking gives them (serde_json's map sorts keys).
        let criteria: Vec<&serde_json::Value> =
            m["criteria"].as_object().map_or_else(Vec::new, |c| {
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
    out.push_str("</ol>");
    out
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

/// The form's problems as a page, with 200: the service turns every answer
/// of 400 or more into its JSON error shape, and a person without
/// JavaScript needs to read them.
fn problems_page(problems: &[String]) -> Response {
    let mut body = String::from("<h2>The form needs a change</h2><ul class=\"problems\">");
    for p in problems {
        body.push_str(&format!("<li class=\"error\">{}</li>", escape(p)));
    }
    body.push_str("</ul>");
    html(
        StatusCode::OK,
        document("carematch: the form needs a change", &body),
    )
}

/// `POST /`: the patient form sent without JavaScript
/// (`application/x-www-form-urlencoded`); the ranking as a page.
///
/// # Errors
///
/// The service's JSON errors for a body beyond the limits (413, 408) or
/// of another media type (415); the form's own problems, and a query that
/// cannot run, come as a page (200).
pub async fn submit(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    raw: Body,
) -> Result<Response, ApiError> {
    authorize(&state, &headers, false)?;
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';').next().is_some_and(|t| {
                t.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        });
    if !form {
        return Err(ApiError::for_status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
    }
    // The same limits as every body (size, time, UTF-8); the media type
    // was checked above.
    let mut as_json = headers.clone();
    as_json.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let text = body(&state, &as_json, raw).await?;
    let pairs = form_pairs(&text);
    if !pairs.iter().any(|(k, v)| k == "form" && v == "patient") {
        return Ok(problems_page(&[
            "The referral queue, \"why not\" and admin need JavaScript (or the command line)."
                .to_owned(),
        ]));
    }
    let request = match rank_body(&pairs) {
        Ok(r) => r,
        Err(problems) => return Ok(problems_page(&problems)),
    };
    let r: crate::routes::RankRequest = read("", &request.to_string(), Source::Patient)?;
    let limit = crate::routes::check_rank_request(&state, &r)?;
    let s = state.clone();
    let answer = state
        .rank_pool
        .run(move || crate::routes::rank_now(&s, &r, limit))
        .await?;
    match answer {
        Ok(bytes) => {
            let d: serde_json::Value = serde_json::from_slice(&bytes)
                .map_err(|_| ApiError::for_status(StatusCode::INTERNAL_SERVER_ERROR))?;
            Ok(html(
                StatusCode::OK,
                document("carematch: the ranking", &ranking_html(&d)),
            ))
        }
        Err(e) => {
            let lines: Vec<String> = if e.problems.is_empty() {
                vec![e.message]
            } else {
                e.problems
                    .iter()
                    .map(|p| format!("{}: {}", p.path, p.message))
                    .collect()
            };
            Ok(problems_page(&lines))
        }
    }
}
