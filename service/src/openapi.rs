//! `GET /openapi.json`: an OpenAPI 3.1 document built from [`ROUTES`], the
//! table of every route with its request and response schemas. A test
//! holds the table to the router both ways: every row is routed, and every
//! method a row's path does not list answers 405.
//!
//! The schemas of the library's own types (a program, a patient, a
//! ranking) are described by name and link to their documentation: their
//! JSON is the crate's serde form, documented in `docs/formats.md` and on
//! docs.rs; the service's own bodies are spelled out field by field.

use serde_json::{Value, json};

/// One route: method, path, what it does, its body and answers.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// The HTTP method, lower case.
    pub method: &'static str,
    /// The path pattern (`{id}` for a parameter).
    pub path: &'static str,
    /// One line on what it does.
    pub summary: &'static str,
    /// The schema of the request body, if any.
    pub request: Option<&'static str>,
    /// The schema of the 2xx answer.
    pub response: &'static str,
    /// The statuses it answers (besides 2xx), each with the error shape.
    pub errors: &'static [u16],
    /// Whether a bearer token is required (writes).
    pub write: bool,
}

const READ_ERRORS: &[u16] = &[400, 401, 403, 408, 413, 415, 422, 431, 503];
const WRITE_ERRORS: &[u16] = &[400, 401, 403, 404, 408, 412, 413, 415, 422, 431, 503];

/// Every route the service answers.
pub const ROUTES: &[Route] = &[
    Route {
        method: "post",
        path: "/level",
        summary: "Recommend a level of care from an assessment",
        request: Some("Assessment"),
        response: "LevelRecommendation",
        errors: READ_ERRORS,
        write: false,
    },
    Route {
        method: "post",
        path: "/rank",
        summary: "Rank the directory for one patient (full or compact; excluded programs paged)",
        request: Some("RankRequest"),
        response: "Ranking",
        errors: READ_ERRORS,
        write: false,
    },
    Route {
        method: "post",
        path: "/explain",
        summary: "Where one program ranks for a patient, or every reason it is excluded",
        request: Some("RankRequest"),
        response: "Explanation",
        errors: &[400, 401, 403, 404, 408, 413, 415, 422, 431, 503],
        write: false,
    },
    Route {
        method: "post",
        path: "/assign",
        summary: "Place a queue of referrals in the programs' open slots",
        request: Some("AssignRequest"),
        response: "Assignment",
        errors: READ_ERRORS,
        write: false,
    },
    Route {
        method: "get",
        path: "/programs/{id}",
        summary: "One program, its version as ETag; 304 when If-None-Match names it",
        request: None,
        response: "Program",
        errors: &[401, 403, 404],
        write: false,
    },
    Route {
        method: "put",
        path: "/programs/{id}",
        summary: "Create (201) or replace (200) a program; If-Match checks its version",
        request: Some("Program"),
        response: "Written",
        errors: WRITE_ERRORS,
        write: true,
    },
    Route {
        method: "patch",
        path: "/programs/{id}",
        summary: "Change whether a program accepts new patients, its wait and open slots",
        request: Some("ProgramPatch"),
        response: "Written",
        errors: WRITE_ERRORS,
        write: true,
    },
    Route {
        method: "delete",
        path: "/programs/{id}",
        summary: "Delete a program; If-Match checks its version",
        request: None,
        response: "Deleted",
        errors: &[401, 403, 404, 412, 431, 503],
        write: true,
    },
    Route {
        method: "get",
        path: "/health",
        summary: "Liveness: the process answers",
        request: None,
        response: "Health",
        errors: &[],
        write: false,
    },
    Route {
        method: "get",
        path: "/ready",
        summary: "Readiness: the directory is loaded and the store answers",
        request: None,
        response: "Ready",
        errors: &[503],
        write: false,
    },
    Route {
        method: "get",
        path: "/metrics",
        summary: "Prometheus metrics (text format)",
        request: None,
        response: "Metrics",
        errors: &[401, 403],
        write: false,
    },
    Route {
        method: "get",
        path: "/openapi.json",
        summary: "This document",
        request: None,
        response: "OpenApi",
        errors: &[401, 403],
        write: false,
    },
    Route {
        method: "get",
        path: "/",
        summary: "The coordinator page (HTML; its script and style are inside the binary)",
        request: None,
        response: "Html",
        errors: &[],
        write: false,
    },
    Route {
        method: "post",
        path: "/",
        summary: "A form of the page sent without JavaScript (form-urlencoded): the ranking, why not, the queue placed or admin as a page; errors as HTML pages",
        request: Some("PatientForm"),
        response: "Html",
        errors: &[401, 403, 404, 408, 412, 413, 415, 422, 503],
        write: false,
    },
    Route {
        method: "get",
        path: "/assets/app.js",
        summary: "The page's script",
        request: None,
        response: "Script",
        errors: &[],
        write: false,
    },
    Route {
        method: "get",
        path: "/assets/app.css",
        summary: "The page's style sheet",
        request: None,
        response: "Stylesheet",
        errors: &[],
        write: false,
    },
    Route {
        method: "post",
        path: "/page/terms",
        summary: "Resolve one typed term (condition, payer, language...): its key, or the closest terms",
        request: Some("TermRequest"),
        response: "TermAnswer",
        errors: READ_ERRORS,
        write: false,
    },
    Route {
        method: "get",
        path: "/page/programs",
        summary: "The directory's program ids, names and cities (the page's pickers)",
        request: None,
        response: "ProgramList",
        errors: &[401, 403],
        write: false,
    },
    Route {
        method: "get",
        path: "/cds-services",
        summary: "CDS Hooks 2.0 discovery: carematch's patient-view and order-select services with their prefetch templates",
        request: None,
        response: "CdsDiscovery",
        errors: &[401, 403],
        write: false,
    },
    Route {
        method: "post",
        path: "/cds-services/{id}",
        summary: "A CDS Hooks call: cards for the patient, safety first (412 when no Patient was prefetched)",
        request: Some("CdsRequest"),
        response: "CdsResponse",
        errors: &[400, 401, 403, 404, 408, 412, 413, 415, 422, 431, 503],
        write: false,
    },
];

const DOCS: &str = "https://docs.rs/carematch/latest/carematch/";

fn library(name: &str, path: &str) -> Value {
    json!({
        "type": "object",
        "description": format!("carematch's `{name}` in its serde JSON form (docs/formats.md)"),
        "externalDocs": {"url": format!("{DOCS}{path}")},
    })
}

fn schemas() -> Value {
    json!({
        "Error": {
            "type": "object",
            "description": "Every error, whatever its status. Messages name the field and the problem, never a patient's value.",
            "required": ["error", "status", "message", "problems"],
            "properties": {
                "error": {"type": "string", "description": "A stable key: a carematch ErrorKind key, or not_found, method_not_allowed, payload_too_large, unsupported_media_type, header_too_large, bad_encoding, unauthorized, forbidden, precondition_failed, busy, timeout, store, not_ready, unknown_program, bad_request, internal"},
                "status": {"type": "integer"},
                "message": {"type": "string", "description": "One line: the first problem and how many more"},
                "problems": {"type": "array", "items": {"type": "object", "properties": {
                    "severity": {"type": "string", "enum": ["error", "warning"]},
                    "path": {"type": "string", "description": "The field path in the request body (patient.payer)"},
                    "message": {"type": "string"}}}}
            }
        },
        "RankRequest": {
            "type": "object",
            "required": ["patient"],
            "additionalProperties": false,
            "properties": {
                "patient": {"$ref": "#/components/schemas/PatientNeeds"},
                "assessment": {"$ref": "#/components/schemas/Assessment"},
                "level": {"type": "string", "description": "The level of care when no assessment gives it; else the patient's own `level`"},
                "top": {"type": "integer", "default": 5, "minimum": 0, "description": "Matches wanted (at most the max_top setting)"},
                "alternatives": {"type": "boolean", "default": false},
                "allow_self_pay": {"type": "boolean", "default": false},
                "allow_waitlist": {"type": "boolean", "default": false},
                "exclusion_details": {"type": "boolean", "default": false, "description": "List excluded programs with their reasons, one page"},
                "exclusions_offset": {"type": "integer", "default": 0},
                "exclusions_limit": {"type": "integer", "description": "Page size (default and most: the max_exclusions setting)"},
                "view": {"type": "string", "enum": ["full", "compact"], "default": "full", "description": "compact: ids, levels, scores and alert keys only"},
                "program_id": {"type": "string", "description": "For /explain: the program asked about"}
            }
        },
        "AssignRequest": {
            "type": "object",
            "required": ["referrals"],
            "additionalProperties": false,
            "properties": {
                "referrals": {"type": "array", "items": {"$ref": "#/components/schemas/Referral"}},
                "unlisted_slots": {"type": "integer", "default": 0},
                "first_come": {"type": "boolean", "default": false}
            }
        },
        "ProgramPatch": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "accepting_new_patients": {"type": "boolean"},
                "typical_wait_days": {"type": ["integer", "null"], "description": "null: not listed; absent: unchanged"},
                "open_slots": {"type": ["integer", "null"], "description": "null: not listed; absent: unchanged"}
            }
        },
        "Written": {"type": "object", "properties": {
            "program_id": {"type": "string"}, "version": {"type": "integer"},
            "warnings": {"type": "array", "items": {"type": "object"}}}},
        "Deleted": {"type": "object", "properties": {
            "program_id": {"type": "string"}, "version": {"type": "integer"}, "deleted": {"type": "boolean"}}},
        "Health": {"type": "object", "properties": {"status": {"type": "string", "enum": ["live"]}}},
        "Ready": {"type": "object", "properties": {
            "status": {"type": "string", "enum": ["ready"]}, "store": {"type": "string"}, "programs": {"type": "integer"}}},
        "Metrics": {"type": "string", "description": "Prometheus text format 0.0.4"},
        "OpenApi": {"type": "object"},
        "Html": {"type": "string", "description": "The coordinator page"},
        "PatientForm": {"type": "string", "description": "A form of the page as application/x-www-form-urlencoded. form=patient: age, diag1, diag2, level, discharge, moud, pregnancy, substance, family, payer, place (a Massachusetts town or a US ZIP code), miles, delivery, language, busy (mon-9 ...), r-<rating> (all seven or none), top, waitlist, selfpay, and action=whynot with whynot (a program's name or id). form=queue: queue (the queue's JSON), first_come. form=admin: token, program. form=admin-save: token, program, version, accepting, wait, slots"},
        "Script": {"type": "string"},
        "Stylesheet": {"type": "string"},
        "TermRequest": {"type": "object", "required": ["family", "text"], "additionalProperties": false, "properties": {
            "family": {"type": "string", "enum": ["condition", "payer", "language", "level", "delivery_preference", "population", "place"]},
            "text": {"type": "string"}}},
        "TermAnswer": {"type": "object", "properties": {
            "resolved": {"type": "boolean"}, "key": {"type": "string"}, "label": {"type": "string"},
            "confidence": {"type": "number"}, "fuzzy": {"type": "boolean"},
            "suggestions": {"type": "array", "items": {"type": "string"}}, "ambiguous": {"type": "boolean"},
            "latitude": {"type": "number", "description": "place only"}, "longitude": {"type": "number", "description": "place only"},
            "problem": {"type": "string", "description": "place only: why it did not resolve, never the text typed"}}},
        "ProgramList": {"type": "object", "properties": {
            "programs": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "string"}, "name": {"type": "string"}, "city": {"type": "string"}}}},
            "total": {"type": "integer"}}},
        "CdsDiscovery": library("Discovery", "cds/struct.Discovery.html"),
        "CdsRequest": {"type": "object", "required": ["hook", "hookInstance", "context"],
            "description": "A CDS Hooks 2.0 call (hook, hookInstance, fhirServer, fhirAuthorization, context with patientId, and for order-select selections and draftOrders; prefetch by the discovery's keys)",
            "externalDocs": {"url": "https://cds-hooks.hl7.org/2.0/#calling-a-cds-service"}},
        "CdsResponse": library("CdsResponse", "cds/struct.CdsResponse.html"),
        "Assessment": library("Assessment", "struct.Assessment.html"),
        "PatientNeeds": library("PatientNeeds", "struct.PatientNeeds.html"),
        "Program": library("Program", "struct.Program.html"),
        "Referral": library("Referral", "assign/struct.Referral.html"),
        "LevelRecommendation": library("LevelRecommendation", "level/struct.LevelRecommendation.html"),
        "Ranking": library("Ranking", "matching/struct.Ranking.html"),
        "Explanation": library("Explanation", "matching/enum.Explanation.html"),
        "Assignment": library("Assignment", "assign/struct.Assignment.html"),
    })
}

fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// The OpenAPI document.
pub fn document() -> Value {
    let mut paths = serde_json::Map::new();
    for r in ROUTES {
        let mut op = json!({
            "summary": r.summary,
            "operationId": format!("{}_{}", r.method, r.path.trim_start_matches('/').replace(['/', '{', '}', '.'], "_")),
            "responses": {},
        });
        if r.path.contains("{id}") {
            op["parameters"] = json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]);
            if matches!(r.method, "put" | "patch" | "delete") {
                op["parameters"] = json!([
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "If-Match", "in": "header", "required": false,
                     "description": "The version from the ETag (\"7\"), or *: 412 when it does not match",
                     "schema": {"type": "string"}}]);
            } else if r.method == "get" {
                op["parameters"] = json!([
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "If-None-Match", "in": "header", "required": false,
                     "description": "Versions the client holds (\"7\", W/\"7\", a list, or *): 304 without a body when one is the current version",
                     "schema": {"type": "string"}}]);
                op["responses"]["304"] =
                    json!({"description": "Not modified: the client's version is current (ETag)"});
            }
        }
        if let Some(req) = r.request {
            let media = if req == "PatientForm" {
                "application/x-www-form-urlencoded"
            } else {
                "application/json"
            };
            op["requestBody"] =
                json!({"required": true, "content": {media: {"schema": schema_ref(req)}}});
        }
        if r.write {
            op["security"] = json!([{"bearer": []}]);
        }
        let ok = "200";
        let media = match r.response {
            "Metrics" => "text/plain",
            "Html" => "text/html",
            "Script" => "text/javascript",
            "Stylesheet" => "text/css",
            _ => "application/json",
        };
        op["responses"][ok] =
            json!({"description": "OK", "content": {media: {"schema": schema_ref(r.response)}}});
        if r.method == "put" {
            op["responses"]["201"] = json!({"description": "Created", "content": {"application/json": {"schema": schema_ref(r.response)}}});
        }
        // A form's errors are pages a person reads; 405 stays JSON.
        let page_errors = r.response == "Html" && r.method == "post";
        for status in r.errors.iter().chain(&[404, 405]) {
            op["responses"][status.to_string()] = if page_errors && *status != 405 {
                json!({"description": "An error, as a page naming the field",
                    "content": {"text/html": {"schema": schema_ref("Html")}}})
            } else {
                json!({"description": "An error",
                    "content": {"application/json": {"schema": schema_ref("Error")}}})
            };
        }
        let entry = paths.entry(r.path.to_owned()).or_insert_with(|| json!({}));
        entry[r.method] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "carematch service",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Decision support for placing patients in mental-health care: a clinician decides. Writes need a bearer token.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    })
}
