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
//! named on a warning card; this service does not yet fetch it from the
//! EHR's FHIR server itself, so a call that gives one still gets the same
//! answer. With no `Patient` resource at all nothing can be said (the age
//! decides the policy and the programs): the answer is 412, as the
//! specification provides. Errors carry field paths and fixed words, never
//! a value from the record; nothing from the call is logged.

use std::sync::Arc;

use axum::{
    body::Body,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use carematch::cds::{self, CardOptions, CdsRequest, Discovery, Hook, Prefetched};
use carematch::matching::MatchOptions;
use carematch::record::{RecordOptions, read_bundle_value};
use carematch::{Problem, ProblemSeverity};
use serde_json::Value;

use crate::error::ApiError;
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
    let request = CdsRequest::from_value(&value).map_err(|e| request_error(&e))?;
    if request.hook != hook {
        return Err(ApiError::field(
            "hook",
            format!("this service answers {hook}"),
        ));
    }
    let s = state.clone();
    let bytes = state.rank_pool.run(move || answer(&s, &request)).await??;
    Ok(json(StatusCode::OK, bytes))
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

/// The cards for `request`, as JSON, on the caller's (blocking) thread.
fn answer(state: &AppState, request: &CdsRequest) -> Result<Vec<u8>, ApiError> {
    if request.hook == Hook::OrderSelect && request.selected_referrals().is_empty() {
        // Not a behavioral-health referral: nothing to say.
        return to_json(&cds::CdsResponse::default());
    }
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
        return Err(ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition_failed",
            "no Patient resource was prefetched: the patient's age decides the policy and the programs (prefetch key `patient`)",
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
        return to_json(&cds::cards_without_ranking(None, &options));
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
    to_json(&cds::cards(&ranking, Some(&rec), &options))
}

/// The record reader's errors: their resource paths and its fixed words
/// (the reader never quotes the record).
fn record_error(e: &carematch::Error) -> ApiError {
    let mut err = request_error(e);
    err.status = StatusCode::UNPROCESSABLE_ENTITY;
    err.kind = "record";
    err
}
