//! Discovery and the hook call's body.

use crate::error::{Error, ValidationReport};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// The hooks carematch answers.
///
/// # Example
///
/// ```
/// use carematch::cds::Hook;
/// assert_eq!(Hook::PatientView.to_string(), "patient-view");
/// assert_eq!("order-select".parse::<Hook>().unwrap(), Hook::OrderSelect);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hook {
    /// A patient's chart is opened (context: `patientId`, optional
    /// `encounterId`, `userId`).
    PatientView,
    /// Orders are being chosen (context: `patientId`, `selections`, the
    /// `draftOrders` Bundle, `userId`); carematch answers when a selected
    /// order is a behavioral-health referral ([`behavioral_health_referral`]).
    OrderSelect,
}

impl fmt::Display for Hook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Hook::PatientView => "patient-view",
            Hook::OrderSelect => "order-select",
        })
    }
}

impl std::str::FromStr for Hook {
    type Err = Error;
    fn from_str(s: &str) -> Result<Hook, Error> {
        match s {
            "patient-view" => Ok(Hook::PatientView),
            "order-select" => Ok(Hook::OrderSelect),
            _ => {
                let mut r = ValidationReport::default();
                r.error(
                    "hook",
                    "not a hook carematch answers (patient-view, order-select)",
                );
                Err(Error::query(r))
            }
        }
    }
}

/// One service in the discovery document.
///
/// # Example
///
/// ```
/// let d = carematch::cds::Discovery::carematch();
/// assert!(d.services.iter().all(|s| !s.description.is_empty()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceEntry {
    /// The hook it answers.
    pub hook: Hook,
    /// A name for people.
    pub title: String,
    /// What it does.
    pub description: String,
    /// Its id: the service is at `{base}/cds-services/{id}`.
    pub id: String,
    /// The FHIR queries the EHR should run and send with each call, by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub prefetch: BTreeMap<String, String>,
    /// Preconditions for use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage_requirements: Option<String>,
}

impl fmt::Display for ServiceEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.id, self.hook, self.title)
    }
}

/// The answer to `GET /cds-services`.
///
/// # Example
///
/// ```
/// use carematch::cds::{Discovery, Hook};
/// let d = Discovery::carematch();
/// assert_eq!(d.services.len(), 2);
/// assert_eq!(d.service("carematch-referral").unwrap().hook, Hook::OrderSelect);
/// assert!(d.services[0].prefetch["conditions"].starts_with("Condition?patient={{context.patientId}}"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discovery {
    /// The services.
    pub services: Vec<ServiceEntry>,
}

/// The prefetch templates both services ask for: the resources the FHIR
/// patient reader understands (the patient's age, active problems,
/// coverage, screening scores and pregnancy status, MOUD).
const PREFETCH: [(&str, &str); 7] = [
    ("patient", "Patient/{{context.patientId}}"),
    (
        "conditions",
        "Condition?patient={{context.patientId}}&clinical-status=active",
    ),
    (
        "coverage",
        "Coverage?patient={{context.patientId}}&status=active",
    ),
    (
        "observations",
        "Observation?patient={{context.patientId}}&category=survey,social-history&_sort=-date",
    ),
    (
        "questionnaireResponses",
        "QuestionnaireResponse?patient={{context.patientId}}&status=completed&_sort=-authored",
    ),
    (
        "medicationStatements",
        "MedicationStatement?patient={{context.patientId}}&status=active",
    ),
    (
        "medicationRequests",
        "MedicationRequest?patient={{context.patientId}}&status=active",
    ),
];

impl Discovery {
    /// carematch's services: `carematch-patient-view` (`patient-view`) and
    /// `carematch-referral` (`order-select`), each with the same prefetch
    /// templates.
    ///
    /// # Example
    ///
    /// ```
    /// let d = carematch::cds::Discovery::carematch();
    /// assert_eq!(d.services[0].id, "carematch-patient-view");
    /// ```
    pub fn carematch() -> Discovery {
        let prefetch: BTreeMap<String, String> = PREFETCH
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Discovery {
            services: vec![
                ServiceEntry {
                    hook: Hook::PatientView,
                    title: "carematch: level of care and programs".to_owned(),
                    description: "From the patient's problems, coverage, screening scores and \
                                  medications: safety alerts first, a suggested level of care \
                                  with the rules that fired, and the best-fitting treatment \
                                  programs with their reasons. Decision support: a clinician decides."
                        .to_owned(),
                    id: "carematch-patient-view".to_owned(),
                    prefetch: prefetch.clone(),
                    usage_requirements: Some(
                        "Answers with what it can when parts of the record are not sent; \
                         says which parts it did not weigh."
                            .to_owned(),
                    ),
                },
                ServiceEntry {
                    hook: Hook::OrderSelect,
                    title: "carematch: programs for a behavioral-health referral".to_owned(),
                    description: "When a behavioral-health referral is selected: safety alerts \
                                  first, then the treatment programs that fit the patient, with \
                                  their reasons. Decision support: a clinician decides."
                        .to_owned(),
                    id: "carematch-referral".to_owned(),
                    prefetch,
                    usage_requirements: None,
                },
            ],
        }
    }

    /// The service with `id`.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::cds::Discovery::carematch().service("nope").is_none());
    /// ```
    pub fn service(&self, id: &str) -> Option<&ServiceEntry> {
        self.services.iter().find(|s| s.id == id)
    }
}

/// What a call sent for one prefetch key.
///
/// # Example
///
/// ```
/// use carematch::cds::{CdsRequest, Prefetched};
/// let r = CdsRequest::from_json(r#"{"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
///     "context": {"patientId": "1288992"}, "prefetch": {"patient": null}}"#)?;
/// assert_eq!(r.prefetched("patient"), Prefetched::Null);
/// assert_eq!(r.prefetched("coverage"), Prefetched::Absent);
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Prefetched<'a> {
    /// The EHR ran the query and sent the result.
    Given(&'a Value),
    /// The EHR sent `null`: it could not or would not run the query; the
    /// service may fetch it itself when the call gives a FHIR server and
    /// authorization.
    Null,
    /// The key was not sent.
    Absent,
}

/// A hook call's body (CDS Hooks 2.0, "Calling a CDS Service").
///
/// The access token in `fhirAuthorization` is kept for fetching what the
/// EHR did not prefetch and is never printed: `Debug` shows it as
/// `<redacted>`.
///
/// # Example
///
/// ```
/// use carematch::cds::{CdsRequest, Hook};
/// let r = CdsRequest::from_json(r#"{"hook": "patient-view",
///     "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
///     "fhirServer": "https://ehr.example.org/fhir",
///     "context": {"userId": "Practitioner/example", "patientId": "1288992"}}"#)?;
/// assert_eq!(r.hook, Hook::PatientView);
/// assert!(!r.can_fetch()); // no authorization given
/// let err = CdsRequest::from_json(r#"{"hook": "patient-view", "context": {}}"#).unwrap_err();
/// assert!(err.to_string().contains("hookInstance"));
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct CdsRequest {
    /// The hook that fired.
    pub hook: Hook,
    /// The call's unique id.
    pub hook_instance: String,
    /// The EHR's FHIR server, when given.
    pub fhir_server: Option<String>,
    /// The bearer token for that server, when given.
    pub access_token: Option<String>,
    /// The hook's context (`patientId`, `selections`, `draftOrders`...).
    pub context: serde_json::Map<String, Value>,
    /// What the EHR prefetched, by key (a `null` is kept as `Value::Null`).
    pub prefetch: BTreeMap<String, Value>,
}

impl fmt::Debug for CdsRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CdsRequest")
            .field("hook", &self.hook)
            .field("hook_instance", &self.hook_instance)
            .field("fhir_server", &self.fhir_server)
            .field(
                "access_token",
                &self.access_token.as_ref().map(|_| "<redacted>"),
            )
            .field("context_keys", &self.context.keys().collect::<Vec<_>>())
            .field("prefetch_keys", &self.prefetch.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl CdsRequest {
    /// Reads a call's JSON body, reporting every problem with its path
    /// (`hookInstance: missing`, `context.patientId: missing`...). The
    /// problems name fields, never their values.
    ///
    /// # Errors
    ///
    /// An [`Error`] of kind [`ErrorKind::Query`](crate::ErrorKind::Query)
    /// when the body is not JSON, or a required field is missing or of the
    /// wrong type: `hook`, `hookInstance`, `context` and its `patientId`
    /// (and, for `order-select`, `selections` and `draftOrders`), and
    /// `fhirServer` when `fhirAuthorization` is given.
    ///
    /// # Example
    ///
    /// ```
    /// let err = carematch::cds::CdsRequest::from_json(r#"{"hook": "order-select", "hookInstance": "x",
    ///     "context": {"patientId": "1"}}"#).unwrap_err();
    /// assert!(err.to_string().contains("context.selections"));
    /// ```
    pub fn from_json(text: &str) -> Result<CdsRequest, Error> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            let mut r = ValidationReport::default();
            r.error(
                "",
                format!(
                    "not a JSON object (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            );
            Error::query(r)
        })?;
        CdsRequest::from_value(&value)
    }

    /// As [`CdsRequest::from_json`], from parsed JSON.
    ///
    /// # Errors
    ///
    /// As [`CdsRequest::from_json`].
    ///
    /// # Example
    ///
    /// ```
    /// let v = serde_json::json!({"hook": "patient-view", "hookInstance": "x", "context": {"patientId": "1"}});
    /// assert!(carematch::cds::CdsRequest::from_value(&v).is_ok());
    /// ```
    pub fn from_value(value: &Value) -> Result<CdsRequest, Error> {
        let mut r = ValidationReport::default();
        let Some(obj) = value.as_object() else {
            r.error("", "not a JSON object");
            return Err(Error::query(r));
        };
        let text = |key: &str, r: &mut ValidationReport| -> Option<String> {
            match obj.get(key) {
                Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
                Some(Value::String(_)) => {
                    r.error(key, "blank");
                    None
                }
                Some(_) => {
                    r.error(key, "not a string");
                    None
                }
                None => None,
            }
        };
        let hook = match text("hook", &mut r) {
            Some(h) => match h.parse::<Hook>() {
                Ok(h) => Some(h),
                Err(_) => {
                    r.error(
                        "hook",
                        "not a hook carematch answers (patient-view, order-select)",
                    );
                    None
                }
            },
            None => {
                if !obj.contains_key("hook") {
                    r.error("hook", "missing (required)");
                }
                None
            }
        };
        let hook_instance = text("hookInstance", &mut r);
        if !obj.contains_key("hookInstance") {
            r.error("hookInstance", "missing (required)");
        }
        let fhir_server = text("fhirServer", &mut r);
        let access_token = match obj.get("fhirAuthorization") {
            None | Some(Value::Null) => None,
            Some(Value::Object(a)) => match a.get("access_token") {
                Some(Value::String(t)) if !t.is_empty() => Some(t.clone()),
                _ => {
                    r.error("fhirAuthorization.access_token", "missing or not a string");
                    None
                }
            },
            Some(_) => {
                r.error("fhirAuthorization", "not an object");
                None
            }
        };
        if access_token.is_some() && fhir_server.is_none() {
            r.error(
                "fhirServer",
                "missing (required when fhirAuthorization is given)",
            );
        }
        let context = match obj.get("context") {
            Some(Value::Object(c)) => c.clone(),
            Some(_) => {
                r.error("context", "not an object");
                serde_json::Map::new()
            }
            None => {
                r.error("context", "missing (required)");
                serde_json::Map::new()
            }
        };
        if obj.get("context").is_some_and(Value::is_object) {
            match context.get("patientId") {
                Some(Value::String(s)) if !s.is_empty() => {}
                Some(_) => r.error("context.patientId", "not a non-empty string"),
                None => r.error("context.patientId", "missing (required)"),
            }
            if hook == Some(Hook::OrderSelect) {
                if !context.get("selections").is_some_and(Value::is_array) {
                    r.error(
                        "context.selections",
                        "missing or not an array (required for order-select)",
                    );
                }
                if !context.get("draftOrders").is_some_and(Value::is_object) {
                    r.error(
                        "context.draftOrders",
                        "missing or not a Bundle (required for order-select)",
                    );
                }
            }
        }
        let prefetch = match obj.get("prefetch") {
            None | Some(Value::Null) => BTreeMap::new(),
            Some(Value::Object(p)) => p.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            Some(_) => {
                r.error("prefetch", "not an object");
                BTreeMap::new()
            }
        };
        match (hook, hook_instance) {
            (Some(hook), Some(hook_instance)) if !r.has_errors() => Ok(CdsRequest {
                hook,
                hook_instance,
                fhir_server,
                access_token,
                context,
                prefetch,
            }),
            _ => Err(Error::query(r)),
        }
    }

    /// What the call sent for prefetch `key`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::cds::{CdsRequest, Prefetched};
    /// let r = CdsRequest::from_json(r#"{"hook": "patient-view", "hookInstance": "x",
    ///     "context": {"patientId": "1"}, "prefetch": {"patient": {"resourceType": "Patient"}}}"#)?;
    /// assert!(matches!(r.prefetched("patient"), Prefetched::Given(_)));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn prefetched(&self, key: &str) -> Prefetched<'_> {
        match self.prefetch.get(key) {
            Some(Value::Null) => Prefetched::Null,
            Some(v) => Prefetched::Given(v),
            None => Prefetched::Absent,
        }
    }

    /// Whether the call lets the service fetch from the EHR's FHIR server
    /// itself (a server and an access token were both given).
    ///
    /// # Example
    ///
    /// ```
    /// let r = carematch::cds::CdsRequest::from_json(r#"{"hook": "patient-view", "hookInstance": "x",
    ///     "fhirServer": "https://ehr.example.org/fhir", "fhirAuthorization": {"access_token": "t", "token_type": "Bearer"},
    ///     "context": {"patientId": "1"}}"#)?;
    /// assert!(r.can_fetch());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn can_fetch(&self) -> bool {
        self.fhir_server.is_some() && self.access_token.is_some()
    }

    /// A prefetch template with its tokens filled from this call, as the
    /// EHR would fill it (CDS Hooks 2.0, "Prefetch tokens"): each
    /// `{{context.NAME}}` by the context's string `NAME`, and
    /// `{{userPractitionerId}}`, `{{userPractitionerRoleId}}`,
    /// `{{userPatientId}}` and `{{userRelatedPersonId}}` by the id in
    /// `context.userId` when it names that resource type. The result is a
    /// relative FHIR query (`Patient/123`), to be put after the FHIR
    /// server's base URL.
    ///
    /// `None` when a token cannot be filled (unknown, absent, or not a
    /// string), or when a value is not a FHIR id (1 to 64 letters, digits,
    /// `-` and `.`; for `context.userId`, `Type/id`): a value that could
    /// change the query's path or parameters is never put in it.
    ///
    /// # Example
    ///
    /// ```
    /// let r = carematch::cds::CdsRequest::from_json(r#"{"hook": "patient-view", "hookInstance": "x",
    ///     "context": {"patientId": "fict-123", "userId": "Practitioner/p-9"}}"#)?;
    /// assert_eq!(
    ///     r.fill_prefetch_template("Condition?patient={{context.patientId}}&clinical-status=active").as_deref(),
    ///     Some("Condition?patient=fict-123&clinical-status=active")
    /// );
    /// assert_eq!(r.fill_prefetch_template("Practitioner/{{userPractitionerId}}").as_deref(), Some("Practitioner/p-9"));
    /// assert!(r.fill_prefetch_template("Encounter/{{context.encounterId}}").is_none()); // not in the context
    /// let odd = carematch::cds::CdsRequest::from_json(r#"{"hook": "patient-view", "hookInstance": "x",
    ///     "context": {"patientId": "1&_include=*"}}"#)?;
    /// assert!(odd.fill_prefetch_template("Patient/{{context.patientId}}").is_none());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn fill_prefetch_template(&self, template: &str) -> Option<String> {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after.find("}}")?;
            out.push_str(&self.prefetch_token(after[..end].trim())?);
            rest = &after[end + 2..];
        }
        if rest.contains("}}") {
            return None;
        }
        out.push_str(rest);
        Some(out)
    }

    /// The value of one prefetch token (without its braces), when it is a
    /// FHIR id or, for `context.userId`, a `Type/id` reference.
    fn prefetch_token(&self, token: &str) -> Option<String> {
        let text = |name: &str| self.context.get(name).and_then(Value::as_str);
        let user_id = |kind: &str| {
            let (t, id) = text("userId")?.split_once('/')?;
            (t == kind && is_fhir_id(id)).then(|| id.to_owned())
        };
        match token {
            "userPractitionerId" => user_id("Practitioner"),
            "userPractitionerRoleId" => user_id("PractitionerRole"),
            "userPatientId" => user_id("Patient"),
            "userRelatedPersonId" => user_id("RelatedPerson"),
            _ => {
                let name = token.strip_prefix("context.")?;
                let value = text(name)?;
                let ok = match value.split_once('/') {
                    Some((t, id)) if name == "userId" => {
                        !t.is_empty()
                            && t.chars().all(|c| c.is_ascii_alphabetic())
                            && is_fhir_id(id)
                    }
                    Some(_) => false,
                    None => is_fhir_id(value),
                };
                ok.then(|| value.to_owned())
            }
        }
    }

    /// The FHIR resources the call prefetched about the patient (a
    /// searchset Bundle's entries unpacked; `null` values skipped). The
    /// draft orders of `order-select` are not among them: they are the
    /// clinician's unsigned choices, read by
    /// [`CdsRequest::selected_referrals`].
    ///
    /// # Example
    ///
    /// ```
    /// let r = carematch::cds::CdsRequest::from_json(r#"{"hook": "patient-view", "hookInstance": "x",
    ///     "context": {"patientId": "1"}, "prefetch": {"patient": {"resourceType": "Patient", "id": "1"},
    ///     "conditions": {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {"resourceType": "Condition"}}]}}}"#)?;
    /// assert_eq!(r.resources().len(), 2);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn resources(&self) -> Vec<&Value> {
        let mut out = Vec::new();
        fn unpack<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
            if v.get("resourceType").and_then(Value::as_str) == Some("Bundle") {
                for e in v
                    .get("entry")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(r) = e.get("resource") {
                        unpack(r, out);
                    }
                }
            } else if v.is_object() {
                out.push(v);
            }
        }
        for v in self.prefetch.values() {
            unpack(v, &mut out);
        }
        out
    }

    /// The behavioral-health referrals among the selected draft orders
    /// (`order-select`): each `ServiceRequest` in `draftOrders` whose
    /// reference (`ServiceRequest/{id}`) is in `selections` and which
    /// [`behavioral_health_referral`] accepts.
    ///
    /// # Example
    ///
    /// ```
    /// let r = carematch::cds::CdsRequest::from_json(r#"{"hook": "order-select", "hookInstance": "x",
    ///   "context": {"patientId": "1", "selections": ["ServiceRequest/r1"],
    ///     "draftOrders": {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "ServiceRequest", "id": "r1",
    ///       "code": {"coding": [{"system": "http://snomed.info/sct", "code": "61801003"}]}}}]}}}"#)?;
    /// assert_eq!(r.selected_referrals().len(), 1);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn selected_referrals(&self) -> Vec<&Value> {
        let selections: Vec<&str> = self
            .context
            .get("selections")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut out = Vec::new();
        for e in self
            .context
            .get("draftOrders")
            .and_then(|d| d.get("entry"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(res) = e.get("resource") else {
                continue;
            };
            if res.get("resourceType").and_then(Value::as_str) != Some("ServiceRequest") {
                continue;
            }
            let id = res.get("id").and_then(Value::as_str).unwrap_or("");
            let reference = format!("ServiceRequest/{id}");
            if selections.contains(&reference.as_str()) && behavioral_health_referral(res) {
                out.push(res);
            }
        }
        out
    }
}

/// Whether `s` is a FHIR id: 1 to 64 ASCII letters, digits, `-` and `.`
/// (FHIR R4, the `id` data type), and not dots alone (`..` would climb a
/// URL's path).
fn is_fhir_id(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !s.bytes().all(|b| b == b'.')
}

/// Referral codes that mean behavioral-health care, as `(system, code,
/// meaning)`. SNOMED CT concepts from FHIR's "SNOMED CT Patient Referral"
/// value set (`http://hl7.org/fhir/ValueSet/referral-type`, its published
/// expansion), and the HL7 v2 referral type for psychiatric care (table
/// 0281, HL7 Terminology, CC0). A site adds its own codes by checking them
/// before calling [`behavioral_health_referral`].
///
/// # Example
///
/// ```
/// let codes = carematch::cds::BEHAVIORAL_HEALTH_REFERRAL_CODES;
/// assert!(codes.iter().any(|(_, code, _)| *code == "61801003"));
/// ```
pub const BEHAVIORAL_HEALTH_REFERRAL_CODES: [(&str, &str, &str); 5] = [
    (
        "http://snomed.info/sct",
        "61801003",
        "referral for psychiatric aftercare",
    ),
    (
        "http://snomed.info/sct",
        "69377005",
        "referral for psychological rehabilitation",
    ),
    (
        "http://snomed.info/sct",
        "4266003",
        "referral for drug addiction rehabilitation",
    ),
    (
        "http://snomed.info/sct",
        "38670004",
        "referral for alcoholism rehabilitation",
    ),
    (
        "http://terminology.hl7.org/CodeSystem/v2-0281",
        "PSY",
        "psychiatric referral",
    ),
];

/// Whether a `ServiceRequest` is a behavioral-health referral: its `code`
/// carries one of [`BEHAVIORAL_HEALTH_REFERRAL_CODES`], or its
/// `reasonCode` carries an ICD-10-CM code in chapter 5, mental, behavioral
/// and neurodevelopmental disorders (F01-F99), as written.
///
/// # Example
///
/// ```
/// use serde_json::json;
/// use carematch::cds::behavioral_health_referral;
/// let by_reason = json!({"resourceType": "ServiceRequest", "reasonCode": [{"coding": [
///     {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "F33.1"}]}]});
/// assert!(behavioral_health_referral(&by_reason));
/// let other = json!({"resourceType": "ServiceRequest", "code": {"coding": [
///     {"system": "http://snomed.info/sct", "code": "306206005"}]}});
/// assert!(!behavioral_health_referral(&other));
/// ```
pub fn behavioral_health_referral(service_request: &Value) -> bool {
    let codings = |v: Option<&Value>| -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut concepts: Vec<&Value> = Vec::new();
        match v {
            Some(Value::Array(a)) => concepts.extend(a.iter()),
            Some(o @ Value::Object(_)) => concepts.push(o),
            _ => {}
        }
        for c in concepts {
            for coding in c
                .get("coding")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let (Some(s), Some(code)) = (
                    coding.get("system").and_then(Value::as_str),
                    coding.get("code").and_then(Value::as_str),
                ) {
                    out.push((s.to_owned(), code.to_owned()));
                }
            }
        }
        out
    };
    let by_code = codings(service_request.get("code")).iter().any(|(s, c)| {
        BEHAVIORAL_HEALTH_REFERRAL_CODES
            .iter()
            .any(|(rs, rc, _)| rs == s && rc == c)
    });
    let by_reason = codings(service_request.get("reasonCode"))
        .iter()
        .any(|(s, c)| {
            let digits: String = c.chars().skip(1).take(2).collect();
            s == "http://hl7.org/fhir/sid/icd-10-cm"
                && c.starts_with('F')
                && digits.len() == 2
                && digits.chars().all(|d| d.is_ascii_digit())
                && digits != "00"
        });
    by_code || by_reason
}
