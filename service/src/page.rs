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
