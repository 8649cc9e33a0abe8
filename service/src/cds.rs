//! CDS Hooks 2.0 routes: carematch's cards inside the clinician's EHR.
//!
//! | route | answers |
//! | --- | --- |
//! | `GET /cds-services` | the discovery document ([`carematch::cds::Discovery::carematch`]) |
//! | `POST /cds-services/carematch-patient-view` | `patient-view`: cards for the patient in the chart |
//! | `POST /cds-services/carematch-referral` | `order-select`: cards when a selected draft order is a behavioral-health referral, none otherwise |
//!
//! A call is read with [`CdsRequest::from_value`]; the FHIR resources it
//! prefetched (and, for `order-select`, its draft orders) go through the
//! library's FHIR patient reader ([`carematch::record`]), which keeps the
//! patient's age, problems, coverage, screening scores, pregnancy status
//! and MOUD, and drops every identifier, name, address and birth date. The
//! level is the one the screening scores suggest (shown with its fired
//! rules); with no suggestion the cards say so and rank nothing.
//!
//! What the EHR did not prefetch (a key sent as `null` or left out) is
//! fetched from the call's `fhirServer` with its token when the operator
//! lists that server (`--fhir-server`; see [`crate::fetch`] for what is
//! sent and what is never logged). What still is missing is named on a
//! warning card, and a fetch that failed on another (key and reason, fixed
//! words); a paged answer of which only the first page was read, on a
//! third. With no `Patient` resource at all nothing can be said (the age
//! decides the policy and the programs): the answer is 412, as the
//! specification provides, saying whether and why the Patient was not
//! fetched. Errors carry field paths and fixed words, never a value from
//! the record; nothing from the call is logged.

use std::sync::Arc;

use axum::{
    body::Body,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use carematch::cds::{
    self, Card, CardOptions, CdsRequest, CdsResponse, Coding, Discovery, Hook, Indicator,
    Prefetched, Source,
};
use carematch::matching::MatchOptions;
use carematch::record::{RecordOptions, read_bundle_value};
use carematch::{Problem, ProblemSeverity};
use serde_json::Value;

use crate::error::ApiError;
use crate::fetch::{self, Failure, FhirAccess, NotFetched, Outcome, Wanted};
use crate::metrics::METRICS;
use crate::routes::{AppState, authorize, body, json, to_json};

/// The resource kind each prefetch key asks for, as the warning card names it.
const KINDS: [(&str, &str); 7] = [
    ("patient", "Patient"),
    ("conditions", "Condition"),
    ("coverage", "Coverage"),
    ("observations", "Observation"),
    ("questionnaireResponses", "QuestionnaireResponse"),
    ("medicationStatements", "MedicationStatement"),
    ("medicationRequests", "MedicationRequest"),
];

/// `GET /cds-services`.
pub(crate) async fn discovery(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    authorize(&state, &headers, false)?;
    Ok(json(StatusCode::OK, to_json(&Discovery::carematch())?))
}

/// `POST /cds-services/{id}`.
pub(crate) async fn call(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    raw: Body,
) -> Result<Response, ApiError> {
    authorize(&state, &headers, false)?;
    let discovery = Discovery::carematch();
    let Some(service) = discovery.service(&id) else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_service",
            "no CDS service has this id (GET /cds-services lists them)",
        ));
    };
    let hook = service.hook;
    let text = body(&state, &headers, raw).await?;
    let value: Value = serde_json::from_str(&text)
        .map_err(|_| ApiError::field("", "not JSON: a CDS Hooks request is a JSON object"))?;
    let mut request = CdsRequest::from_value(&value).map_err(|e| request_error(&e))?;
    if request.hook != hook {
        return Err(ApiError::field(
            "hook",
            format!("this service answers {hook}"),
        ));
    }
    if request.hook == Hook::OrderSelect && request.selected_referrals().is_empty() {
        // Not a behavioral-health referral: nothing to say, nothing fetched.
        return Ok(json(StatusCode::OK, to_json(&CdsResponse::default())?));
    }
    let report = fetch_missing(&state, &service.prefetch, &mut request).await;
    let s = state.clone();
    let bytes = state
        .rank_pool
        .run(move || answer(&s, &request, &report))
        .await??;
    Ok(json(StatusCode::OK, bytes))
}

/// What fetching did for one call: why nothing was fetched, or which keys
/// failed and which were read in part.
#[derive(Debug, Default)]
struct FetchReport {
    /// Why nothing was fetched (when something was missing).
    not_fetched: Option<NotFetched>,
    /// Keys whose fetch failed, with why.
    failed: Vec<(String, Failure)>,
    /// Keys of which only the first page was read.
    first_page_only: Vec<String>,
}

/// Fetches the prefetch keys `request` sent as `null` or left out (of the
/// discovery's `templates`, and of a kind the call did not send under
/// another key), when the settings and the call allow it; what came is put
/// into `request.prefetch`.
async fn fetch_missing(
    state: &AppState,
    templates: &std::collections::BTreeMap<String, String>,
    request: &mut CdsRequest,
) -> FetchReport {
    let sent: Vec<&str> = request
        .resources()
        .into_iter()
        .filter_map(|r| r.get("resourceType").and_then(Value::as_str))
        .collect();
    let wanted: Vec<Wanted> = templates
        .iter()
        .filter(|(key, _)| !matches!(request.prefetched(key), Prefetched::Given(_)))
        .filter(|(key, _)| kind_of(key).is_none_or(|k| !sent.contains(&k)))
        .map(|(key, template)| Wanted {
            key: key.clone(),
            template: template.clone(),
        })
        .collect();
    let mut report = FetchReport::default();
    if wanted.is_empty() {
        return report;
    }
    // The settings were checked at start-up; settings built in code that
    // do not read leave fetching off.
    let permitted = FhirAccess::from_settings(&state.settings)
        .map_err(|_| NotFetched::Off)
        .and_then(|access| {
            let base = fetch::permitted(&access, request)?.to_owned();
            Ok((access, base))
        });
    let (access, base) = match permitted {
        Ok(p) => p,
        Err(why) => {
            not_fetched(why, wanted.len());
            report.not_fetched = Some(why);
            return report;
        }
    };
    for (key, outcome) in fetch::fetch_all(&access, &base, request, wanted).await {
        match outcome {
            Outcome::Fetched {
                value,
                first_page_only,
            } => {
                if first_page_only {
                    report.first_page_only.push(key.clone());
                }
                request.prefetch.insert(key, value);
            }
            Outcome::Failed(f) => report.failed.push((key, f)),
        }
    }
    report
}

/// The log line of a call whose missing keys were not fetched (a warning
/// when fetching is on but the call did not qualify).
fn not_fetched(why: NotFetched, keys: usize) {
    if why == NotFetched::Off {
        tracing::debug!(target: "carematch_service::fhir", reason = why.key(), keys, "missing prefetch keys not fetched");
    } else {
        tracing::warn!(target: "carematch_service::fhir", reason = why.key(), keys, "missing prefetch keys not fetched");
    }
}

/// The resource kind a prefetch key asks for.
fn kind_of(key: &str) -> Option<&'static str> {
    KINDS.iter().find(|(k, _)| *k == key).map(|(_, kind)| *kind)
}

/// A request's problems: their paths and the library's fixed words (the
/// CDS request reader never quotes the request).
fn request_error(e: &carematch::Error) -> ApiError {
    let problems: Vec<Problem> = e
        .problems()
        .iter()
        .map(|p| Problem::new(ProblemSeverity::Error, p.path.clone(), p.message.clone()))
        .collect();
    let message = problems.first().map_or_else(
        || "the CDS Hooks request cannot be read".to_owned(),
        |p| {
            if p.path.is_empty() {
                p.message.clone()
            } else {
                format!("{}: {}", p.path, p.message)
            }
        },
    );
    ApiError {
        status: StatusCode::BAD_REQUEST,
        kind: "cds_request",
        message,
        problems,
        retry_after: None,
    }
}

/// The cards for `request`, as JSON, on the caller's (blocking) thread,
/// with what fetching could not bring said beside them.
fn answer(
    state: &AppState,
    request: &CdsRequest,
    report: &FetchReport,
) -> Result<Vec<u8>, ApiError> {
    let mut response = cards(state, request, report)?;
    add_fetch_cards(&mut response, report);
    to_json(&response)
}

/// The cards for `request` (an `order-select` call without a
/// behavioral-health referral is answered by [`call`] before this).
fn cards(
    state: &AppState,
    request: &CdsRequest,
    report: &FetchReport,
) -> Result<CdsResponse, ApiError> {
    let missing: Vec<String> = KINDS
        .iter()
        .filter(|(key, _)| !matches!(request.prefetched(key), Prefetched::Given(_)))
        .map(|(_, kind)| (*kind).to_owned())
        .collect();
    let resources: Vec<Value> = request.resources().into_iter().cloned().collect();
    let has_patient = resources
        .iter()
        .any(|r| r.get("resourceType").and_then(Value::as_str) == Some("Patient"));
    if !has_patient {
        let fetched = if let Some((_, f)) = report.failed.iter().find(|(k, _)| k == "patient") {
            format!("; fetching it failed: {}", f.words())
        } else if let Some(why) = report.not_fetched {
            format!("; it was not fetched: {}", why.words())
        } else {
            String::new()
        };
        return Err(ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition_failed",
            format!(
                "no Patient resource was prefetched: the patient's age decides the policy and the programs (prefetch key `patient`){fetched}"
            ),
        ));
    }
    let as_of = state.shared.as_of();
    let import = read_bundle_value(&Value::Array(resources), &RecordOptions::new(as_of))
        .map_err(|e| record_error(&e))?;
    let mut options = CardOptions::new();
    // Only an absolute http(s) address makes a valid card link.
    options.page_url = state
        .settings
        .public_url
        .clone()
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    options.missing = missing;
    let Some(rec) = import
        .suggested_assessment
        .as_ref()
        .map(|a| state.policy.recommend(a))
    else {
        let options = options.with_programs_withheld(
            "no screening score in the record suggests a level of care; rate the assessment on the coordinator page",
        );
        return Ok(cds::cards_without_ranking(None, &options));
    };
    // A payer the record does not list cannot be guessed: the patient's
    // own alerts are still shown, the programs are not.
    let payer_read = import.record.payer.is_some();
    if !payer_read {
        options = options.with_programs_withheld("no coverage was read from the record");
    }
    let needs = import
        .needs(Some(carematch::Payer::SelfPay))
        .map_err(|e| record_error(&e))?;
    let live = state.shared.read();
    let q = live
        .directory
        .query_for(&needs, &rec, MatchOptions::new(as_of))
        .map_err(|e| record_error(&e))?;
    METRICS.ranked();
    let ranking = live.directory.rank(&q, &state.weights, options.top);
    Ok(cds::cards(&ranking, Some(&rec), &options))
}

/// Warning cards for what fetching could not bring: the keys whose fetch
/// failed and why, and the keys read only in part. Placed after the card
/// naming what is missing (or after the critical cards). Fixed words only.
fn add_fetch_cards(response: &mut CdsResponse, report: &FetchReport) {
    if response.cards.is_empty() {
        return;
    }
    let source = |code: &str, display: &str| Source {
        topic: Some(Coding::new(cds::TOPIC_SYSTEM, code, display)),
        ..Source::new("carematch")
    };
    let mut new = Vec::new();
    if !report.failed.is_empty() {
        let mut reasons: Vec<String> = Vec::new();
        for (_, f) in &report.failed {
            if !reasons.contains(&f.words()) {
                reasons.push(f.words());
            }
        }
        let mut card = Card::new(
            &format!(
                "{} of the record could not be fetched: {}",
                parts(report.failed.len()),
                reasons.join("; ")
            ),
            Indicator::Warning,
            source("fetch-failed", "Record parts not fetched"),
        );
        let lines: Vec<String> = report
            .failed
            .iter()
            .map(|(key, f)| {
                format!(
                    "- `{key}` ({}): {}",
                    kind_of(key).unwrap_or("resource"),
                    f.words()
                )
            })
            .collect();
        card.detail = Some(format!(
            "The EHR did not send these parts, and carematch could not fetch them from the EHR's \
             FHIR server:\n\n{}\n\nThe cards do not weigh them; check them in the record.",
            lines.join("\n")
        ));
        new.push(card);
    }
    if !report.first_page_only.is_empty() {
        let kinds: Vec<&str> = report
            .first_page_only
            .iter()
            .map(|k| kind_of(k).unwrap_or("resource"))
            .collect();
        let mut card = Card::new(
            &format!(
                "Only the first page of {} was read: the FHIR server has more",
                kinds.join(", ")
            ),
            Indicator::Warning,
            source("fetch-first-page", "Record parts read in part"),
        );
        card.detail = Some(
            "The FHIR server split its answer into pages; carematch reads the first page only \
             (the newest first, where the query sorts by date). Older entries were not weighed."
                .to_owned(),
        );
        new.push(card);
    }
    if new.is_empty() {
        return;
    }
    let is_topic = |c: &Card, code: &str| {
        c.source
            .topic
            .as_ref()
            .is_some_and(|t| t.system.as_deref() == Some(cds::TOPIC_SYSTEM) && t.code == code)
    };
    let at = match response.cards.iter().position(|c| is_topic(c, "missing")) {
        Some(i) => i + 1,
        None => response
            .cards
            .iter()
            .position(|c| c.indicator != Indicator::Critical)
            .unwrap_or(response.cards.len()),
    };
    for (i, card) in new.into_iter().enumerate() {
        response.cards.insert(at + i, card);
    }
}

/// "One part", "3 parts".
fn parts(n: usize) -> String {
    if n == 1 {
        "One part".to_owned()
    } else {
        format!("{n} parts")
    }
}

/// The record reader's errors: their resource paths and its fixed words
/// (the reader never quotes the record).
fn record_error(e: &carematch::Error) -> ApiError {
    let mut err = request_error(e);
    err.status = StatusCode::UNPROCESSABLE_ENTITY;
    err.kind = "record";
    err
}
