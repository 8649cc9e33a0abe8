//! Fetching what the EHR did not prefetch from its FHIR server (CDS Hooks
//! 2.0, "FHIR Resource Access": when a call gives both `fhirServer` and
//! `fhirAuthorization`, the service may read what it needs from that server
//! with the call's bearer token).
//!
//! Off unless the operator lists the FHIR servers it may read from
//! (`--fhir-server URL`, repeatable, or `CAREMATCH_FHIR_SERVERS`,
//! comma-separated): a call whose `fhirServer` is not on the list is
//! answered from what it sent, and nothing is requested, so a call cannot
//! make the service reach an address of the caller's choosing. Each listed
//! address is `https`, or `http` on a loopback address only; the list is
//! checked at start-up ([`FhirAccess::from_settings`]).
//!
//! What is fetched: at most the prefetch templates of the discovery
//! document, their tokens filled from the call's context
//! ([`CdsRequest::fill_prefetch_template`], which puts only FHIR ids in
//! the query), for the keys the call sent as `null` or left out. Each is a
//! `GET {fhirServer}/{query}` with `Accept: application/fhir+json` and
//! `Authorization: Bearer <token>`, all at once on blocking threads (never
//! on the async workers), within `--fhir-timeout` seconds in all and
//! `--fhir-max-bytes` a response. No redirect is followed. A read must
//! answer the resource type and id it asked for; a search must answer a
//! `Bundle`, whose entries of the searched type are kept, and none of
//! which may name another patient; only the first page of a paged answer
//! is read, and the answer says so.
//!
//! What is never sent, kept or logged: the call's token goes to the listed
//! server only, in the `Authorization` header; logs name the prefetch key,
//! the HTTP status or the failure's kind, and the time taken, never the
//! URL (it holds the patient's id), the token or a resource.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use carematch::cds::CdsRequest;
use serde_json::Value;

use crate::settings::Settings;

/// Where and how the service may fetch: the allowed FHIR base URLs (as
/// [`normalize_base`] writes them), the time allowed in all and the
/// largest response.
///
/// # Example
///
/// ```
/// use carematch_service::{fetch::FhirAccess, Settings};
/// let mut s = Settings::defaults();
/// assert!(!FhirAccess::from_settings(&s)?.is_on());
/// s.fhir_servers = vec!["https://EHR.example.org:443/fhir/".into()];
/// let access = FhirAccess::from_settings(&s)?;
/// assert!(access.allows("https://ehr.example.org/fhir").is_some());
/// assert!(access.allows("https://ehr.example.org/other").is_none());
/// s.fhir_servers = vec!["http://ehr.example.org/fhir".into()];
/// assert!(FhirAccess::from_settings(&s).is_err()); // http beyond loopback
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone)]
pub struct FhirAccess {
    servers: Vec<String>,
    timeout: Duration,
    max_bytes: u64,
}

impl FhirAccess {
    /// The access the settings give (`--fhir-server`, `--fhir-timeout`,
    /// `--fhir-max-bytes`).
    ///
    /// # Errors
    ///
    /// A listed address that is not an absolute `https` URL (or `http` on
    /// a loopback address), or that carries credentials, a query or a
    /// fragment; a timeout that is not a positive number of seconds.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch_service::{fetch::FhirAccess, Settings};
    /// let mut s = Settings::defaults();
    /// s.fhir_servers = vec!["http://127.0.0.1:8080/fhir".into()];
    /// assert!(FhirAccess::from_settings(&s)?.is_on());
    /// # Ok::<(), String>(())
    /// ```
    pub fn from_settings(settings: &Settings) -> Result<FhirAccess, String> {
        let mut servers = Vec::new();
        for (i, s) in settings.fhir_servers.iter().enumerate() {
            if s.trim().is_empty() {
                continue;
            }
            let base = normalize_base(s).map_err(|why| format!("--fhir-server[{i}]: {why}"))?;
            servers.push(base);
        }
        if !(settings.fhir_timeout.is_finite() && settings.fhir_timeout > 0.0) {
            return Err("--fhir-timeout: not a positive number of seconds".to_owned());
        }
        Ok(FhirAccess {
            servers,
            timeout: Settings::secs(settings.fhir_timeout),
            max_bytes: settings.fhir_max_bytes,
        })
    }

    /// Whether any FHIR server is listed (fetching is off otherwise).
    ///
    /// # Example
    ///
    /// ```
    /// let s = carematch_service::Settings::defaults();
    /// assert!(!carematch_service::fetch::FhirAccess::from_settings(&s).unwrap().is_on());
    /// ```
    pub fn is_on(&self) -> bool {
        !self.servers.is_empty()
    }

    /// The listed base URL a call's `fhirServer` names, compared after
    /// [`normalize_base`]; `None` when it is not listed or not a valid
    /// address.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch_service::{fetch::FhirAccess, Settings};
    /// let mut s = Settings::defaults();
    /// s.fhir_servers = vec!["https://ehr.example.org/fhir".into()];
    /// let a = FhirAccess::from_settings(&s)?;
    /// assert_eq!(a.allows("HTTPS://ehr.example.org/fhir/"), Some("https://ehr.example.org/fhir"));
    /// assert_eq!(a.allows("https://169.254.169.254/latest"), None);
    /// # Ok::<(), String>(())
    /// ```
    pub fn allows(&self, fhir_server: &str) -> Option<&str> {
        let base = normalize_base(fhir_server).ok()?;
        self.servers
            .iter()
            .find(|s| **s == base)
            .map(String::as_str)
    }
}

/// A FHIR base URL written one way: the scheme and host in lower case, no
/// default port, no trailing `/`.
///
/// # Errors
///
/// Fixed words (never the address) when it is not `https://` (or
/// `http://` on `localhost`, `127.0.0.0/8` or `[::1]`), has no host,
/// carries credentials (`user@`), a query, a fragment, a `..` segment,
/// spaces or control characters, or a port that is not a number.
///
/// # Example
///
/// ```
/// use carematch_service::fetch::normalize_base;
/// assert_eq!(normalize_base("https://EHR.example.org:443/fhir/R4/").unwrap(), "https://ehr.example.org/fhir/R4");
/// assert_eq!(normalize_base("http://localhost:8080/fhir").unwrap(), "http://localhost:8080/fhir");
/// assert!(normalize_base("http://ehr.example.org/fhir").is_err());
/// assert!(normalize_base("https://user:pw@ehr.example.org/fhir").is_err());
/// ```
pub fn normalize_base(url: &str) -> Result<String, &'static str> {
    let url = url.trim();
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("has spaces or control characters");
    }
    let lower = url.to_ascii_lowercase();
    let (scheme, rest) = if lower.starts_with("https://") {
        ("https", &url["https://".len()..])
    } else if lower.starts_with("http://") {
        ("http", &url["http://".len()..])
    } else {
        return Err("not an absolute https URL");
    };
    if rest.contains(['?', '#']) {
        return Err("has a query or fragment (give the FHIR base URL)");
    }
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    if authority.contains('@') {
        return Err("carries credentials (user@host)");
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6.split_once(']').ok_or("an IPv6 host without `]`")?;
        (
            format!("[{}]", h.to_ascii_lowercase()),
            after.strip_prefix(':'),
        )
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h.to_ascii_lowercase(), Some(p)),
            None => (authority.to_ascii_lowercase(), None),
        }
    };
    if host.is_empty() || host == "[]" {
        return Err("has no host");
    }
    let port = match port {
        None | Some("") => None,
        Some(p) => Some(
            p.parse::<u16>()
                .map_err(|_| "a port that is not a number")?,
        ),
    };
    let default = if scheme == "https" { 443 } else { 80 };
    let port = port
        .filter(|p| *p != default)
        .map(|p| format!(":{p}"))
        .unwrap_or_default();
    if scheme == "http" && !is_loopback(&host) {
        return Err("http is allowed only on a loopback address; use https");
    }
    let path = path.trim_end_matches('/');
    if path.split('/').any(|seg| seg == ".." || seg == ".") {
        return Err("has a `.` or `..` segment");
    }
    Ok(if path.is_empty() {
        format!("{scheme}://{host}{port}")
    } else {
        format!("{scheme}://{host}{port}/{path}")
    })
}

/// `localhost`, `127.0.0.0/8` or `[::1]`.
fn is_loopback(host: &str) -> bool {
    if host == "localhost" {
        return true;
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(IpAddr::V4(a)) => a.is_loopback(),
        Ok(IpAddr::V6(a)) => {
            a.is_loopback()
                || a.to_ipv4_mapped()
                    .is_some_and(|v4: Ipv4Addr| v4.is_loopback())
        }
        Err(_) => false,
    }
}

/// Why a call's missing parts were not fetched at all.
///
/// # Example
///
/// ```
/// use carematch_service::fetch::NotFetched;
/// assert_eq!(NotFetched::NotListed.key(), "not_listed");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotFetched {
    /// No `--fhir-server` is set: fetching is off.
    Off,
    /// The call gave no `fhirServer`.
    NoServer,
    /// The call gave no `fhirAuthorization` (the specification lets a
    /// service fetch only with both).
    NoAuthorization,
    /// The call's `fhirServer` is not on the `--fhir-server` list.
    NotListed,
}

impl NotFetched {
    /// A short key for logs.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch_service::fetch::NotFetched::Off.key(), "off");
    /// ```
    pub fn key(self) -> &'static str {
        match self {
            NotFetched::Off => "off",
            NotFetched::NoServer => "no_fhir_server",
            NotFetched::NoAuthorization => "no_fhir_authorization",
            NotFetched::NotListed => "not_listed",
        }
    }

    /// Words for people.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch_service::fetch::NotFetched::NotListed.words().contains("--fhir-server"));
    /// ```
    pub fn words(self) -> &'static str {
        match self {
            NotFetched::Off => "fetching from FHIR servers is off (no --fhir-server is set)",
            NotFetched::NoServer => "the call gave no fhirServer",
            NotFetched::NoAuthorization => "the call gave no fhirAuthorization",
            NotFetched::NotListed => {
                "the call's fhirServer is not on the service's --fhir-server list"
            }
        }
    }
}

/// Why one prefetch key could not be fetched.
///
/// # Example
///
/// ```
/// use carematch_service::fetch::Failure;
/// assert_eq!(Failure::Status(500).words(), "the FHIR server answered HTTP 500");
/// assert_eq!(Failure::Timeout.key(), "timeout");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The template's tokens could not be filled from the call's context
    /// (nothing was requested).
    Template,
    /// No connection, or the connection failed (DNS, TCP, TLS, protocol).
    Connect,
    /// The time allowed (`--fhir-timeout`) ran out.
    Timeout,
    /// An answer other than 2xx (redirects included: none is followed).
    Status(u16),
    /// The answer is larger than `--fhir-max-bytes`.
    TooLarge,
    /// The answer is not JSON.
    NotJson,
    /// The answer is not the resource the query asks for: another type,
    /// or for a read another id.
    WrongType,
}

impl Failure {
    /// A short key for logs.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch_service::fetch::Failure::NotJson.key(), "not_json");
    /// ```
    pub fn key(self) -> &'static str {
        match self {
            Failure::Template => "template",
            Failure::Connect => "connect",
            Failure::Timeout => "timeout",
            Failure::Status(_) => "status",
            Failure::TooLarge => "too_large",
            Failure::NotJson => "not_json",
            Failure::WrongType => "wrong_type",
        }
    }

    /// Words for people (no value from the call or the answer).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch_service::fetch::Failure::Timeout.words(), "the FHIR server did not answer in time");
    /// ```
    pub fn words(self) -> String {
        match self {
            Failure::Template => "the query could not be filled from the call's context".to_owned(),
            Failure::Connect => "the FHIR server could not be reached".to_owned(),
            Failure::Timeout => "the FHIR server did not answer in time".to_owned(),
            Failure::Status(s) if (300..400).contains(&s) => {
                format!("the FHIR server redirected (HTTP {s}; redirects are not followed)")
            }
            Failure::Status(s) => format!("the FHIR server answered HTTP {s}"),
            Failure::TooLarge => "the FHIR server's answer was larger than allowed".to_owned(),
            Failure::NotJson => "the FHIR server's answer was not JSON".to_owned(),
            Failure::WrongType => "the FHIR server answered another resource than asked".to_owned(),
        }
    }
}

/// What one fetch brought.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The resource, or the searchset Bundle (its entries of the searched
    /// type only); `first_page_only` when the server has more pages.
    Fetched {
        /// The resource or Bundle.
        value: Value,
        /// The Bundle had a `next` link that was not followed.
        first_page_only: bool,
    },
    /// Nothing usable.
    Failed(Failure),
}

/// One prefetch key to fetch: its key and its template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    /// The prefetch key (`coverage`).
    pub key: String,
    /// The discovery's template (`Coverage?patient={{context.patientId}}&status=active`).
    pub template: String,
}

/// Whether `request` may be fetched for under `access`: the listed base
/// URL to use, or why not.
///
/// # Errors
///
/// Why nothing may be fetched ([`NotFetched`]).
///
/// # Example
///
/// ```
/// use carematch::cds::CdsRequest;
/// use carematch_service::{fetch::{FhirAccess, NotFetched, permitted}, Settings};
/// let r = CdsRequest::from_json(r#"{"hook": "patient-view", "hookInstance": "x",
///     "fhirServer": "https://ehr.example.org/fhir", "fhirAuthorization": {"access_token": "t", "token_type": "Bearer"},
///     "context": {"patientId": "1"}}"#).unwrap();
/// let mut s = Settings::defaults();
/// assert_eq!(permitted(&FhirAccess::from_settings(&s)?, &r), Err(NotFetched::Off));
/// s.fhir_servers = vec!["https://ehr.example.org/fhir".into()];
/// assert_eq!(permitted(&FhirAccess::from_settings(&s)?, &r), Ok("https://ehr.example.org/fhir"));
/// # Ok::<(), String>(())
/// ```
pub fn permitted<'a>(access: &'a FhirAccess, request: &CdsRequest) -> Result<&'a str, NotFetched> {
    if !access.is_on() {
        return Err(NotFetched::Off);
    }
    let Some(server) = request.fhir_server.as_deref() else {
        return Err(NotFetched::NoServer);
    };
    if request.access_token.is_none() {
        return Err(NotFetched::NoAuthorization);
    }
    access.allows(server).ok_or(NotFetched::NotListed)
}

/// Fetches each of `wanted` from `base` (a listed server, from
/// [`permitted`]) with the call's token, all at once on blocking threads,
/// within the access's timeout in all. Logs one line a key: the key, the
/// status or the failure's kind, and the milliseconds taken.
///
/// # Example
///
/// ```no_run
/// # async fn f(access: carematch_service::fetch::FhirAccess, request: carematch::cds::CdsRequest) {
/// use carematch_service::fetch::{Wanted, fetch_all};
/// let wanted = vec![Wanted { key: "patient".into(), template: "Patient/{{context.patientId}}".into() }];
/// let outcomes = fetch_all(&access, "https://ehr.example.org/fhir", &request, wanted).await;
/// assert_eq!(outcomes.len(), 1);
/// # }
/// ```
pub async fn fetch_all(
    access: &FhirAccess,
    base: &str,
    request: &CdsRequest,
    wanted: Vec<Wanted>,
) -> Vec<(String, Outcome)> {
    let started = Instant::now();
    let deadline = tokio::time::Instant::now() + access.timeout;
    let mut tasks = Vec::new();
    for w in wanted {
        let Some(query) = request.fill_prefetch_template(&w.template) else {
            tasks.push((w.key, None));
            continue;
        };
        let url = format!("{base}/{query}");
        let expected = expected_type(&query);
        let token = request.access_token.clone();
        let (timeout, max_bytes) = (access.timeout, access.max_bytes);
        let handle = tokio::task::spawn_blocking(move || {
            fetch_one(&url, token.as_deref(), &expected, timeout, max_bytes)
        });
        tasks.push((w.key, Some(handle)));
    }
    let mut out = Vec::new();
    for (key, handle) in tasks {
        let outcome = match handle {
            None => Outcome::Failed(Failure::Template),
            // A little past the deadline: the client's own timeout ends the
            // thread; this only keeps the call from waiting on a stuck one.
            Some(h) => {
                match tokio::time::timeout_at(deadline + Duration::from_millis(250), h).await {
                    Ok(Ok((outcome, _status))) => outcome,
                    Ok(Err(_)) => Outcome::Failed(Failure::Connect),
                    Err(_) => Outcome::Failed(Failure::Timeout),
                }
            }
        };
        log(&key, &outcome, started.elapsed());
        out.push((key, outcome));
    }
    out
}

fn log(key: &str, outcome: &Outcome, took: Duration) {
    let ms = took.as_secs_f64() * 1000.0;
    match outcome {
        Outcome::Fetched {
            first_page_only, ..
        } => tracing::info!(
            target: "carematch_service::fhir",
            key,
            status = 200,
            first_page_only,
            ms,
            "prefetch key fetched"
        ),
        Outcome::Failed(Failure::Status(status)) => tracing::warn!(
            target: "carematch_service::fhir",
            key,
            failure = "status",
            status,
            ms,
            "prefetch key not fetched"
        ),
        Outcome::Failed(f) => tracing::warn!(
            target: "carematch_service::fhir",
            key,
            failure = f.key(),
            ms,
            "prefetch key not fetched"
        ),
    }
}

/// What a filled query asks for: a read of one resource (`Patient/123`:
/// that type and that id) or a search (`Condition?patient=123&...`: a
/// Bundle of Conditions, about that patient).
fn expected_type(query: &str) -> Expected {
    let (path, params) = query.split_once('?').unwrap_or((query, ""));
    match path.split_once('/') {
        Some((kind, id)) => Expected::Read(kind.to_owned(), id.to_owned()),
        None => Expected::Search(
            path.to_owned(),
            params
                .split('&')
                .find_map(|p| p.strip_prefix("patient="))
                .map(str::to_owned),
        ),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Expected {
    /// The type and id read.
    Read(String, String),
    /// The type searched, and the patient's id when the search names one.
    Search(String, Option<String>),
}

/// The FHIR elements that say whose a resource is, by type (R4: `subject`
/// for most, `beneficiary` for Coverage, `patient` for some).
const PATIENT_ELEMENTS: [&str; 3] = ["subject", "patient", "beneficiary"];

/// Whether a resource says it is about a patient other than `id` (a
/// reference that names a Patient, absolute, relative or versioned, with
/// another id). A resource that does not say is not held against.
fn about_another_patient(resource: &Value, id: &str) -> bool {
    PATIENT_ELEMENTS.iter().any(|e| {
        let Some(reference) = resource
            .get(*e)
            .and_then(|r| r.get("reference"))
            .and_then(Value::as_str)
        else {
            return false;
        };
        let path = reference.split("/_history/").next().unwrap_or(reference);
        match path.rsplit_once("Patient/") {
            Some((_, named)) => named != id,
            None => false,
        }
    })
}

/// The one HTTP client: no redirect followed, statuses read as they are.
/// Timeouts are per request. Proxies come from the usual environment
/// variables (`HTTPS_PROXY`, `NO_PROXY`), as for any client on the host.
fn agent() -> &'static ureq::Agent {
    static AGENT: OnceLock<ureq::Agent> = OnceLock::new();
    AGENT.get_or_init(|| {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("carematch-service/", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent()
    })
}

/// One GET, on a blocking thread: the outcome and the HTTP status when
/// one came.
fn fetch_one(
    url: &str,
    token: Option<&str>,
    expected: &Expected,
    timeout: Duration,
    max_bytes: u64,
) -> (Outcome, Option<u16>) {
    let mut req = agent().get(url).header("Accept", "application/fhir+json");
    if let Some(t) = token {
        req = req.header("Authorization", format!("Bearer {t}"));
    }
    let response = req.config().timeout_global(Some(timeout)).build().call();
    let mut response = match response {
        Ok(r) => r,
        Err(e) => return (Outcome::Failed(failure_of(&e)), None),
    };
    let status = response.status().as_u16();
    if !(200..300).contains(&status) {
        return (Outcome::Failed(Failure::Status(status)), Some(status));
    }
    let bytes = match response
        .body_mut()
        .with_config()
        .limit(max_bytes)
        .read_to_vec()
    {
        Ok(b) => b,
        Err(e) => return (Outcome::Failed(failure_of(&e)), Some(status)),
    };
    let Ok(value) = serde_json::from_slice::<Value>(&bytes) else {
        return (Outcome::Failed(Failure::NotJson), Some(status));
    };
    (checked(value, expected), Some(status))
}

fn failure_of(e: &ureq::Error) -> Failure {
    match e {
        ureq::Error::Timeout(_) => Failure::Timeout,
        ureq::Error::BodyExceedsLimit(_) => Failure::TooLarge,
        ureq::Error::StatusCode(s) => Failure::Status(*s),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => Failure::Timeout,
        _ => Failure::Connect,
    }
}

/// The answer held to what the template asks for.
fn checked(value: Value, expected: &Expected) -> Outcome {
    let kind = value
        .get("resourceType")
        .and_then(Value::as_str)
        .unwrap_or("");
    match expected {
        // Another patient's record must never be read as this one's.
        Expected::Read(want, id)
            if kind == want && value.get("id").and_then(Value::as_str) == Some(id.as_str()) =>
        {
            Outcome::Fetched {
                value,
                first_page_only: false,
            }
        }
        Expected::Search(want, patient) if kind == "Bundle" => {
            let first_page_only = value
                .get("link")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|l| l.get("relation").and_then(Value::as_str) == Some("next"));
            let entries: Vec<Value> = value
                .get("entry")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|e| {
                    e.get("resource")
                        .and_then(|r| r.get("resourceType"))
                        .and_then(Value::as_str)
                        == Some(want.as_str())
                })
                .cloned()
                .collect();
            // A search about this patient that brings another's record is
            // not trusted at all.
            let another = |e: &Value| {
                patient.as_deref().is_some_and(|id| {
                    e.get("resource")
                        .is_some_and(|r| about_another_patient(r, id))
                })
            };
            if entries.iter().any(another) {
                return Outcome::Failed(Failure::WrongType);
            }
            Outcome::Fetched {
                value: serde_json::json!({
                    "resourceType": "Bundle",
                    "type": "searchset",
                    "entry": entries,
                }),
                first_page_only,
            }
        }
        _ => Outcome::Failed(Failure::WrongType),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bases_are_written_one_way_and_unsafe_ones_refused() {
        for (given, want) in [
            (
                "https://EHR.example.org/fhir/",
                "https://ehr.example.org/fhir",
            ),
            ("https://ehr.example.org:443", "https://ehr.example.org"),
            (
                "https://ehr.example.org:8443/r4",
                "https://ehr.example.org:8443/r4",
            ),
            ("http://127.0.0.1:9/fhir", "http://127.0.0.1:9/fhir"),
            ("http://[::1]:9/fhir", "http://[::1]:9/fhir"),
            ("http://LOCALHOST/fhir", "http://localhost/fhir"),
        ] {
            assert_eq!(normalize_base(given).as_deref(), Ok(want), "{given}");
        }
        for bad in [
            "ftp://ehr.example.org",
            "http://ehr.example.org/fhir",
            "http://10.0.0.1/fhir",
            "https://u:p@ehr.example.org/fhir",
            "https://ehr.example.org/fhir?x=1",
            "https://ehr.example.org/fhir#x",
            "https://ehr.example.org/../fhir",
            "https:///fhir",
            "https://ehr.example.org:99999/fhir",
            "https://ehr .example.org/fhir",
            "ehr.example.org/fhir",
        ] {
            assert!(normalize_base(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn answers_are_held_to_the_template() {
        let read = expected_type("Patient/p-1");
        assert_eq!(read, Expected::Read("Patient".into(), "p-1".into()));
        let search = expected_type("Coverage?patient=p-1&status=active");
        assert_eq!(
            search,
            Expected::Search("Coverage".into(), Some("p-1".into()))
        );
        assert!(matches!(
            checked(json!({"resourceType": "Patient", "id": "p-1"}), &read),
            Outcome::Fetched {
                first_page_only: false,
                ..
            }
        ));
        assert_eq!(
            checked(json!({"resourceType": "Patient", "id": "p-2"}), &read),
            Outcome::Failed(Failure::WrongType)
        );
        assert_eq!(
            checked(json!({"resourceType": "Group"}), &read),
            Outcome::Failed(Failure::WrongType)
        );
        assert_eq!(
            checked(json!({"resourceType": "Coverage"}), &search),
            Outcome::Failed(Failure::WrongType)
        );
        let paged = json!({"resourceType": "Bundle", "type": "searchset",
            "link": [{"relation": "self", "url": "x"}, {"relation": "next", "url": "y"}],
            "entry": [{"resource": {"resourceType": "Coverage", "id": "c"}},
                      {"resource": {"resourceType": "OperationOutcome"}}]});
        let Outcome::Fetched {
            value,
            first_page_only,
        } = checked(paged, &search)
        else {
            panic!("a Bundle is fetched");
        };
        assert!(first_page_only);
        assert_eq!(value["entry"].as_array().map(Vec::len), Some(1));
        // Another patient's record in a search about this one: refused.
        for reference in [
            "Patient/p-2",
            "https://ehr.example.org/fhir/Patient/p-2",
            "Patient/p-2/_history/3",
        ] {
            let mixed = json!({"resourceType": "Bundle", "entry": [
                {"resource": {"resourceType": "Coverage", "beneficiary": {"reference": "Patient/p-1"}}},
                {"resource": {"resourceType": "Coverage", "beneficiary": {"reference": reference}}}]});
            assert_eq!(
                checked(mixed, &search),
                Outcome::Failed(Failure::WrongType),
                "{reference}"
            );
        }
        let own = json!({"resourceType": "Bundle", "entry": [
            {"resource": {"resourceType": "Coverage", "beneficiary": {"reference": "https://ehr.example.org/fhir/Patient/p-1/_history/2"}}},
            {"resource": {"resourceType": "Coverage", "beneficiary": {"display": "no reference"}}}]});
        assert!(matches!(checked(own, &search), Outcome::Fetched { .. }));
    }
}
