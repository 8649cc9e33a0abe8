//! The coordinator page without a browser: the HTML, script and style are
//! served from the binary with the right types and a content security
//! policy, reach for nothing outside the service, stay small, and every
//! JSON field the script reads is in the real answers of the routes it
//! calls (the browser tests in `service/browser/` drive the page itself).

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Method, Request, StatusCode},
};
use carematch_service::{AppState, Settings, app, page};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

const TOKEN: &str = "page-test-token-0123456789";

fn test_app() -> Router {
    let mut s = Settings::defaults();
    s.tokens = Some(format!("tester:{TOKEN}"));
    s.tokens_file = None;
    s.read_auth = false;
    app(AppState::sample(s))
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

async fn send(app: &Router, method: Method, uri: &str, body: Option<Value>) -> Reply {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", format!("Bearer {TOKEN}"));
    if body.is_some() {
        b = b.header("content-type", "application/json");
    }
    let body = body.map_or_else(Body::empty, |v| Body::from(v.to_string()));
    let response = app
        .clone()
        .oneshot(b.body(body).unwrap())
        .await
        .expect("a response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        text: String::from_utf8(bytes.to_vec()).expect("UTF-8"),
    }
}

/// The patient the page builds for the sample ("Fill in the fictional
/// sample patient", then "Rank programs"), field for field.
fn page_patient() -> Value {
    json!({
        "age": 34,
        "diagnoses": [{"code": "F43.10", "primary": true}],
        "payer": "masshealth",
        "language": "en",
        "location": {"latitude": 42.2626, "longitude": -71.8023},
        "max_travel_miles": 25,
        "delivery": "either",
        "availability": {"busy": [
            {"days": ["mon"], "start": "09:00", "end": "17:00"},
            {"days": ["tue"], "start": "09:00", "end": "17:00"},
            {"days": ["wed"], "start": "09:00", "end": "17:00"},
            {"days": ["thu"], "start": "09:00", "end": "17:00"},
            {"days": ["fri"], "start": "09:00", "end": "17:00"}]},
        "co_occurring_substance_use": false,
        "wants_family_involved": false
    })
}

#[tokio::test]
async fn the_page_and_its_assets_are_served_from_the_binary() {
    let app = test_app();
    for (path, kind) in [
        ("/", "text/html"),
        ("/assets/app.js", "text/javascript"),
        ("/assets/app.css", "text/css"),
    ] {
        let r = send(&app, Method::GET, path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(r.header("content-type").starts_with(kind), "{path}");
        let csp = r.header("content-security-policy");
        for directive in [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "connect-src 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(r.header("x-content-type-options"), "nosniff");
        assert_eq!(r.header("referrer-policy"), "no-referrer");
    }
    let html = send(&app, Method::GET, "/", None).await;
    assert_eq!(html.text, page::INDEX_HTML);
    assert_eq!(html.header("cache-control"), "no-store");
    assert!(
        html.text
            .contains(r#"<script src="/assets/app.js" defer></script>"#)
    );
    assert!(
        html.text
            .contains(r#"<link rel="stylesheet" href="/assets/app.css">"#)
    );
    // No inline script or style: the policy would refuse them.
    assert_eq!(html.text.matches("<script").count(), 1);
    assert!(!html.text.contains("<style"));
    assert!(!html.text.contains(" style="));
    // Anything else under /assets is the JSON 404.
    let missing = send(&app, Method::GET, "/assets/other.js", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"], "not_found");
}

#[test]
fn the_assets_name_nothing_outside_the_service_and_stay_small() {
    for (name, text) in [
        ("index.html", page::INDEX_HTML),
        ("app.js", page::APP_JS),
        ("app.css", page::APP_CSS),
    ] {
        // The only absolute URL is the SVG namespace, a name, not a fetch.
        let rest = text.replace("http://www.w3.org/2000/svg", "");
        for outside in ["http://", "https://", "//cdn", "@import", "url(", "fonts.g"] {
            assert!(!rest.contains(outside), "{name} has {outside}");
        }
        // Nothing typed is put where it persists or leaves the page.
        for persist in [
            "localStorage",
            "sessionStorage",
            "document.cookie",
            "?patient",
        ] {
            assert!(!text.contains(persist), "{name} has {persist}");
        }
    }
    // Every src and href is a path on the service, an anchor or a tel: link.
    for attr in ["src=\"", "href=\""] {
        for (i, _) in page::INDEX_HTML.match_indices(attr) {
            let v = &page::INDEX_HTML[i + attr.len()..];
            assert!(v.starts_with('/') || v.starts_with('#'), "{attr}{v:.40}");
        }
    }
    let total = page::INDEX_HTML.len() + page::APP_JS.len() + page::APP_CSS.len();
    assert!(total < 200 * 1024, "the first load is {total} bytes");
    // Every form posts (never a GET that would put fields in the URL);
    // the patient form to / (the ranking as a page, without JavaScript).
    assert!(page::INDEX_HTML.contains(r#"<form id="patient-form" method="post" action="/""#));
    assert!(!page::INDEX_HTML.contains("method=\"get\""));
    assert_eq!(
        page::INDEX_HTML.matches("<form").count(),
        page::INDEX_HTML.matches("method=\"post\"").count()
    );
}

#[test]
fn every_control_has_a_label() {
    let html = page::INDEX_HTML;
    for tag in ["<input ", "<select ", "<textarea "] {
        for (i, _) in html.match_indices(tag) {
            let rest = &html[i..];
            let end = rest.find('>').unwrap();
            let element = &rest[..end];
            if element.contains("type=\"hidden\"") {
                continue;
            }
            let id = element
                .split("id=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or_else(|| panic!("no id: {element}"));
            assert!(html.contains(&format!("for=\"{id}\"")), "no label for {id}");
        }
    }
}

#[tokio::test]
async fn did_you_mean_resolves_terms_and_suggests_close_ones() {
    let app = test_app();
    let ask = |family: &str, text: &str| json!({"family": family, "text": text});
    let r = send(
        &app,
        Method::POST,
        "/page/terms",
        Some(ask("payer", "MassHealth")),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let v = r.json();
    assert_eq!(
        (v["resolved"].as_bool(), v["key"].as_str()),
        (Some(true), Some("masshealth"))
    );
    let v = send(
        &app,
        Method::POST,
        "/page/terms",
        Some(ask("condition", "post traumatic stress disorder")),
    )
    .await
    .json();
    assert_eq!(v["resolved"], true, "{v}");
    assert_eq!(v["key"], "ptsd", "{v}");
    let v = send(
        &app,
        Method::POST,
        "/page/terms",
        Some(ask("language", "Portugese")),
    )
    .await
    .json();
    assert_eq!(
        (v["key"].as_str(), v["fuzzy"].as_bool()),
        (Some("pt"), Some(true)),
        "{v}"
    );
    let v = send(
        &app,
        Method::POST,
        "/page/terms",
        Some(ask("condition", "bipolr disordr")),
    )
    .await
    .json();
    assert_eq!(v["resolved"], false, "{v}");
    let suggestions = v["suggestions"].as_array().unwrap();
    assert!(!suggestions.is_empty(), "{v}");
    // A suggestion, clicked, resolves.
    let first = suggestions[0].as_str().unwrap();
    let v = send(
        &app,
        Method::POST,
        "/page/terms",
        Some(ask("condition", first)),
    )
    .await
    .json();
    assert_eq!(v["resolved"], true, "{first}: {v}");
    let bad = send(
        &app,
        Method::POST,
        "/page/terms",
        Some(ask("colour", "red")),
    )
    .await;
    assert!(bad.status.is_client_error(), "{}", bad.status);
    assert_eq!(bad.json()["problems"][0]["path"], "family");
}

#[tokio::test]
async fn a_town_or_zip_resolves_to_its_census_point_and_a_misspelling_gets_suggestions() {
    let app = test_app();
    let ask = |text: &str| json!({"family": "place", "text": text});
    let v = send(&app, Method::POST, "/page/terms", Some(ask("Worcester")))
        .await
        .json();
    assert_eq!(v["resolved"], true, "{v}");
    let (lat, lon) = (
        v["latitude"].as_f64().unwrap(),
        v["longitude"].as_f64().unwrap(),
    );
    assert!(
        (lat - 42.27).abs() < 0.1 && (lon + 71.81).abs() < 0.1,
        "{v}"
    );
    let v = send(&app, Method::POST, "/page/terms", Some(ask("01608")))
        .await
        .json();
    assert_eq!(
        (v["resolved"].as_bool(), v["key"].as_str()),
        (Some(true), Some("01608")),
        "{v}"
    );
    // A misspelled town: close names, and the typed text never comes back.
    let r = send(&app, Method::POST, "/page/terms", Some(ask("Wocrester"))).await;
    let v = r.json();
    assert_eq!(v["resolved"], false, "{v}");
    assert!(
        v["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "Worcester"),
        "{v}"
    );
    assert!(!r.text.contains("Wocrester"), "{}", r.text);
    let r = send(&app, Method::POST, "/page/terms", Some(ask("99999"))).await;
    assert_eq!(r.json()["resolved"], false);
    assert!(!r.text.contains("99999"), "{}", r.text);
    // Without JavaScript: the form's town is placed, a misspelling is a 422
    // naming the field with its suggestions.
    let ok = post_form(&app, SAMPLE_FORM).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    let bad = post_form(
        &app,
        &SAMPLE_FORM.replace("place=Worcester", "place=Wocrester"),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert!(
        bad.text.contains("Town or ZIP code: did you mean"),
        "{}",
        bad.text
    );
}

/// The ranking's fields the script reads (showRanking, matchCard, plot).
fn assert_ranking_fields(d: &Value) {
    for k in [
        "level",
        "alerts",
        "matches",
        "alternatives",
        "eligible",
        "excluded_count",
        "exclusion_counts",
    ] {
        assert!(!d[k].is_null(), "{k}: {d}");
    }
    for c in d["exclusion_counts"].as_array().unwrap() {
        assert!(c["reason"].is_string() && c["programs"].is_u64(), "{c}");
    }
    for m in d["matches"].as_array().unwrap() {
        for k in [
            "program_id",
            "program_name",
            "city",
            "level",
            "alternative",
            "score",
            "alerts",
            "criteria",
        ] {
            assert!(!m[k].is_null(), "{k}: {m}");
        }
        for k in ["distance_miles", "wait_days", "open_slots"] {
            assert!(m.get(k).is_some(), "{k}");
        }
        let criteria = m["criteria"].as_object().unwrap();
        for name in [
            "therapy_fit",
            "credentials",
            "schedule_flexibility",
            "aftercare",
            "distance",
            "wait",
            "freshness",
        ] {
            let c = &criteria[name];
            assert_eq!(c["criterion"], name);
            // A criterion without data is not scored: null, shown as such.
            assert!(c["score"].is_f64() || c["score"].is_null(), "{c}");
            assert!(c["weight"].is_f64(), "{c}");
            for r in c["reasons"].as_array().unwrap() {
                assert!(r["text"].is_string(), "{r}");
            }
        }
        for a in m["alerts"].as_array().unwrap() {
            assert!(a["channel"] == "safety" || a["channel"] == "confirm", "{a}");
            assert!(a["text"].is_string() && a["kind"].is_string(), "{a}");
        }
    }
}

#[tokio::test]
async fn the_ranking_the_page_reads_has_every_field_it_uses() {
    let app = test_app();
    let body = json!({"patient": page_patient(), "top": 5, "level": "intensive_outpatient"});
    let r = send(&app, Method::POST, "/rank", Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let d = r.json();
    assert_ranking_fields(&d);
    assert_eq!(d["matches"][0]["program_id"], "wor-lanternfly-evening-iop");
    // A diagnosis by name, as the page sends it after did-you-mean.
    let mut p = page_patient();
    p["diagnoses"] = json!([{"condition": "ptsd", "primary": true}]);
    p["moud_medication"] = json!("buprenorphine");
    p["pregnancy"] = json!("pregnant");
    let r = send(
        &app,
        Method::POST,
        "/rank",
        Some(json!({"patient": p, "level": "intensive_outpatient"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_ranking_fields(&r.json());
    let mut p = page_patient();
    p["on_moud"] = json!(true);
    let r = send(
        &app,
        Method::POST,
        "/rank",
        Some(json!({"patient": p, "level": "intensive_outpatient"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

#[tokio::test]
async fn imminent_risk_comes_first_with_the_crisis_contacts_the_page_links() {
    let app = test_app();
    let assessment = json!({"ratings": {"risk_of_harm": 5, "functional_status": 3, "comorbidity": 2,
        "stress": 3, "support": 2, "treatment_history": 3, "engagement": 2}, "age": 34,
        "co_occurring_substance_use": false});
    let level = send(&app, Method::POST, "/level", Some(assessment.clone())).await;
    assert_eq!(level.status, StatusCode::OK, "{}", level.text);
    let rec = level.json();
    assert!(
        rec["level"].is_string() && rec["composite"].is_u64(),
        "{rec}"
    );
    assert!(
        rec["rules"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["text"].is_string())
    );
    let body = json!({"patient": page_patient(), "assessment": assessment, "top": 5});
    let r = send(&app, Method::POST, "/rank", Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let d = r.json();
    assert_ranking_fields(&d);
    let first = &d["alerts"][0];
    assert_eq!(first["kind"], "imminent_risk", "{d}");
    assert_eq!(first["channel"], "safety");
    let contacts: Vec<&str> = first["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert!(c["name"].is_string() && c["when"].is_string(), "{c}");
            c["contact"].as_str().unwrap()
        })
        .collect();
    // The page links each of these as tel: (its TEL table).
    for number in ["911", "988", "833-773-2445"] {
        assert!(contacts.contains(&number), "{contacts:?}");
        assert!(
            page::APP_JS.contains(&format!("'{number}': 'tel:")),
            "{number}"
        );
    }
}

#[tokio::test]
async fn why_not_queue_and_admin_answer_the_fields_the_page_reads() {
    let app = test_app();
    let base = json!({"patient": page_patient(), "level": "intensive_outpatient"});
    // The program list behind "why not" and admin's picker.
    let list = send(&app, Method::GET, "/page/programs", None).await.json();
    let programs = list["programs"].as_array().unwrap();
    assert_eq!(list["total"].as_u64(), Some(programs.len() as u64));
    assert!(
        programs
            .iter()
            .all(|p| p["id"].is_string() && p["name"].is_string() && p["city"].is_string())
    );
    // Why not: an excluded program, and a match.
    let mut ask = base.clone();
    ask["program_id"] = json!("bos-copperfinch-day-program");
    let x = send(&app, Method::POST, "/explain", Some(ask)).await.json();
    assert_eq!(x["outcome"], "excluded", "{x}");
    assert!(x["details"]["program_name"].is_string());
    assert!(
        x["details"]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["text"].is_string())
    );
    let mut ask = base.clone();
    ask["program_id"] = json!("wor-lanternfly-evening-iop");
    let x = send(&app, Method::POST, "/explain", Some(ask)).await.json();
    assert_eq!(
        (x["outcome"].as_str(), x["rank"].as_u64()),
        (Some("match"), Some(1)),
        "{x}"
    );
    assert!(x["details"]["score"].is_f64());
    // The sample queue: holds carry their text; placements and waitlists.
    let queue: Value = serde_json::from_str(include_str!("../../data/referrals.json")).unwrap();
    let a = send(
        &app,
        Method::POST,
        "/assign",
        Some(json!({"referrals": queue["referrals"], "first_come": false})),
    )
    .await
    .json();
    assert!(a["placed"].is_u64() && a["held"].as_u64() > Some(0), "{a}");
    let rs = a["referrals"].as_array().unwrap();
    for status in ["held", "placed", "unplaced"] {
        assert!(rs.iter().any(|r| r["status"] == status), "{status}");
    }
    for r in rs {
        assert!(r["referral_id"].is_string());
        match r["status"].as_str() {
            Some("held") => assert!(r["hold"]["text"].is_string(), "{r}"),
            Some("placed") => {
                let p = &r["placement"];
                assert!(
                    p["program_name"].is_string() && p["choice"].is_u64() && p["score"].is_f64(),
                    "{r}"
                );
            }
            Some("unplaced") => {
                assert!(r["reason"]["kind"].is_string(), "{r}");
                for w in r["waitlist"].as_array().unwrap() {
                    assert!(
                        w["program_name"].is_string()
                            && w["score"].is_f64()
                            && w.get("wait_days").is_some()
                    );
                }
            }
            other => panic!("{other:?}"),
        }
    }
    // Admin: read a program with its version, patch it, see the ranking change.
    let id = "wor-lanternfly-evening-iop";
    let p = send(&app, Method::GET, &format!("/programs/{id}"), None).await;
    assert_eq!(p.header("etag"), "\"1\"");
    let v = p.json();
    for k in ["id", "name", "last_verified", "accepting_new_patients"] {
        assert!(!v[k].is_null(), "{k}");
    }
    assert!(v["location"]["city"].is_string());
    let mut patch = Request::builder()
        .method(Method::PATCH)
        .uri(format!("/programs/{id}"))
        .header("authorization", format!("Bearer {TOKEN}"))
        .header("content-type", "application/json")
        .header("if-match", "\"1\"");
    patch = patch.header("x-request-id", "page-test");
    let response = app
        .clone()
        .oneshot(
            patch
                .body(Body::from(
                    json!({"accepting_new_patients": false, "typical_wait_days": 30, "open_slots": null}).to_string(),
                ))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let d = send(&app, Method::POST, "/rank", Some(base)).await.json();
    assert_ne!(d["matches"][0]["program_id"], id, "{d}");
}

#[tokio::test]
async fn the_openapi_document_lists_the_page() {
    let app = test_app();
    let doc = send(&app, Method::GET, "/openapi.json", None).await.json();
    assert!(doc["paths"]["/"]["get"]["responses"]["200"]["content"]["text/html"].is_object());
    assert!(doc["paths"]["/page/terms"]["post"].is_object());
    assert!(doc["paths"]["/page/programs"]["get"].is_object());
}

async fn post_form(app: &Router, body: &str) -> Reply {
    let response = app
        .clone()
        .oneshot(
            Request::builder()
                .method(Method::POST)
                .uri("/")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body.to_owned()))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        text: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

const SAMPLE_FORM: &str = "form=patient&age=34&diag1=F43.10&diag2=&level=intensive_outpatient&discharge=&moud=&pregnancy=&payer=MassHealth&place=Worcester&miles=25&delivery=either&language=English&busy=mon-9&busy=mon-11&busy=mon-13&busy=mon-15&busy=tue-9&busy=tue-11&busy=tue-13&busy=tue-15&busy=wed-9&busy=wed-11&busy=wed-13&busy=wed-15&busy=thu-9&busy=thu-11&busy=thu-13&busy=thu-15&busy=fri-9&busy=fri-11&busy=fri-13&busy=fri-15&top=5";

#[tokio::test]
async fn without_javascript_the_form_gives_the_ranking_as_a_page() {
    let app = test_app();
    let r = post_form(&app, SAMPLE_FORM).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.header("content-type").starts_with("text/html"));
    assert!(
        r.header("content-security-policy")
            .contains("script-src 'self'")
    );
    assert!(
        r.text
            .contains("<h3>1. Lanternfly Evening Trauma IOP (fictional)</h3>"),
        "{}",
        r.text
    );
    assert!(r.text.contains("class=\"bar-fill w"));
    let at = |s: &str| r.text.find(s).unwrap_or_else(|| panic!("{s}"));
    assert!(at(">Therapy fit<") < at(">Credentials<") && at(">Data freshness<") > at(">Wait<"));
    // The same request as the script's gives the same first program.
    let pairs = page::form_pairs(SAMPLE_FORM);
    let body = page::rank_body(&pairs).expect("the sample form reads");
    assert_eq!(
        body["patient"]["availability"]["busy"]
            .as_array()
            .unwrap()
            .len(),
        20
    );
    assert_eq!(body["patient"]["payer"], "masshealth");
    // Risk of harm 5: the crisis alert with its tel: links, first.
    let risk = format!(
        "{}&r-risk_of_harm=5&r-functional_status=3&r-comorbidity=2&r-stress=3&r-support=2&r-treatment_history=3&r-engagement=2",
        SAMPLE_FORM.replace("&level=intensive_outpatient", "&level=")
    );
    let r = post_form(&app, &risk).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let alert = r.text.find("class=\"alert safety\"").expect("an alert");
    assert!(alert < r.text.find("eligible").unwrap());
    for tel in ["tel:911", "tel:988", "tel:+18337732445"] {
        assert!(r.text.contains(tel), "{tel}");
    }
    // A misspelled term: did you mean, as a page; nothing typed is echoed
    // into markup unescaped.
    let bad = SAMPLE_FORM.replace("diag1=F43.10", "diag1=post+traumatc+stres+disordr%3Cb%3E");
    let r = post_form(&app, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        r.header("content-type").starts_with("text/html"),
        "a page a person reads"
    );
    assert!(
        r.text.contains("Primary diagnosis: did you mean"),
        "{}",
        r.text
    );
    assert!(!r.text.contains("<b>"));
    // A form this page does not send, or another media type.
    let r = post_form(&app, "queue=").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text.contains("Form: not one this page sends"),
        "{}",
        r.text
    );
    let r = send(&app, Method::POST, "/", Some(json!({}))).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[test]
fn form_bodies_decode_and_html_escapes() {
    let pairs = page::form_pairs("a=1+2&b=%41%zz&c&=x&d=%E2%80%93");
    assert_eq!(
        pairs,
        [
            ("a".to_owned(), "1 2".to_owned()),
            ("b".to_owned(), "A%zz".to_owned()),
            ("c".to_owned(), String::new()),
            (String::new(), "x".to_owned()),
            ("d".to_owned(), "–".to_owned()),
        ]
    );
    assert_eq!(
        page::escape("<a href=\"x\">'&'</a>"),
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
    );
    let v = page::ranking_html(
        &json!({"level": "<x>", "alerts": [], "matches": [{"program_name": "<script>", "criteria": {}}]}),
    );
    assert!(!v.contains("<script>") && !v.contains("<x>"), "{v}");
}

/// A form post's page: its status, type and text.
fn assert_page(r: &Reply, status: StatusCode, has: &[&str]) {
    assert_eq!(r.status, status, "{}", r.text);
    assert!(
        r.header("content-type").starts_with("text/html"),
        "{}",
        r.header("content-type")
    );
    assert_eq!(r.header("cache-control"), "no-store");
    for h in has {
        assert!(r.text.contains(h), "{h} missing from {}", r.text);
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn without_javascript_form_errors_are_4xx_pages_naming_the_field() {
    let app = test_app();
    // No age: 422, the field by its label, nothing typed echoed.
    let r = post_form(&app, &SAMPLE_FORM.replace("age=34", "age=")).await;
    assert_page(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        &["Age in years: give a whole number", "role=\"alert\""],
    );
    // An age the library refuses: its path becomes the label.
    let r = post_form(&app, &SAMPLE_FORM.replace("age=34", "age=131")).await;
    assert_page(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        &["Age in years: is refused"],
    );
    assert!(!r.text.contains("131"), "{}", r.text);
    // A body beyond the limit is a page too (not the JSON shape).
    let big = format!("{SAMPLE_FORM}&pad={}", "x".repeat(2 * 1024 * 1024));
    let r = post_form(&app, &big).await;
    assert_page(
        &r,
        StatusCode::PAYLOAD_TOO_LARGE,
        &["The form needs a change"],
    );
}

#[tokio::test]
async fn without_javascript_why_not_answers_as_a_page() {
    let app = test_app();
    let ask = |program: &str| format!("{SAMPLE_FORM}&action=whynot&whynot={}", encode(program));
    // By name with its city, as the page's list shows it: excluded, with every reason.
    let r = post_form(
        &app,
        &ask("Copperfinch Day and Evening Program (fictional) (Boston)"),
    )
    .await;
    assert_page(
        &r,
        StatusCode::OK,
        &[
            "is excluded for this patient:",
            "<ul class=\"exclusions\"><li>",
        ],
    );
    // By id: the first match, with its card.
    let r = post_form(&app, &ask("wor-lanternfly-evening-iop")).await;
    assert_page(
        &r,
        StatusCode::OK,
        &["is not excluded: it ranks 1", "class=\"bar-fill w"],
    );
    // A program not in the directory: 404, the field named.
    let r = post_form(&app, &ask("No Such Program")).await;
    assert_page(
        &r,
        StatusCode::NOT_FOUND,
        &["Why not a program: no program"],
    );
    assert!(!r.text.contains("No Such Program"));
    let r = post_form(&app, &ask("")).await;
    assert_page(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        &["Why not a program: give"],
    );
}

#[tokio::test]
async fn without_javascript_the_queue_is_placed_as_a_page_held_first() {
    let app = test_app();
    let queue = include_str!("../../data/referrals.json");
    let r = post_form(&app, &format!("form=queue&queue={}", encode(queue))).await;
    assert_page(
        &r,
        StatusCode::OK,
        &[
            "placed,",
            "class=\"alert safety\" role=\"alert\"><strong class=\"mark\">Held</strong>",
        ],
    );
    // Held first: the first referral listed is held, its hold's text before anything else in it.
    let first = r.text.find("<li class=\"referral ").unwrap();
    assert!(
        r.text[first..].starts_with("<li class=\"referral held\""),
        "{}",
        &r.text[first..first + 200]
    );
    let placed = r.text.find("data-status=\"placed\"").unwrap();
    assert!(r.text.rfind("data-status=\"held\"").unwrap() < placed);
    // A bare list reads too; first come, first served.
    let v: Value = serde_json::from_str(queue).unwrap();
    let list = v["referrals"].to_string();
    let r = post_form(
        &app,
        &format!("form=queue&first_come=on&queue={}", encode(&list)),
    )
    .await;
    assert_page(&r, StatusCode::OK, &["data-status=\"placed\""]);
    // Not JSON, or empty: 422 naming the queue, nothing pasted echoed.
    let r = post_form(&app, "form=queue&queue=%7B%22referrals%22%3A+Jane").await;
    assert_page(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        &["Referral queue: is not valid JSON"],
    );
    assert!(!r.text.contains("Jane"));
    let r = post_form(&app, "form=queue&queue=").await;
    assert_page(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        &["Referral queue: paste"],
    );
    // A referral the library refuses: the path under referrals, value-free.
    let bad = r#"[{"id": "A", "level": "intensive_outpatient", "needs": {"age": 34, "diagnoses": [{"code": "F43.10", "primary": true}], "payer": "masshelthzq"}}]"#;
    let r = post_form(&app, &format!("form=queue&queue={}", encode(bad))).await;
    assert!(
        r.status.is_client_error() || r.text.contains("Cannot be ranked"),
        "{}",
        r.text
    );
    assert!(!r.text.contains("masshelthzq"));
}

#[tokio::test]
async fn admin_says_an_undated_listing_is_not_listed_not_its_placeholder_date() {
    let app = test_app();
    let id = "wor-lanternfly-evening-iop";
    let got = send(&app, Method::GET, &format!("/programs/{id}"), None).await;
    let mut program = got.json();
    program["not_listed"] = json!(["last_verified"]);
    program["last_verified"] = json!("1900-01-01");
    let put = app
        .clone()
        .oneshot(
            Request::builder()
                .method(Method::PUT)
                .uri(format!("/programs/{id}"))
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {TOKEN}"))
                .body(Body::from(program.to_string()))
                .unwrap(),
        )
        .await
        .unwrap();
    assert!(put.status().is_success(), "{}", put.status());
    let r = post_form(&app, &format!("form=admin&token={TOKEN}&program={id}")).await;
    assert_page(
        &r,
        StatusCode::OK,
        &["Version 2; last verified not listed."],
    );
    assert!(!r.text.contains("1900"), "{}", r.text);
}

#[tokio::test]
async fn without_javascript_admin_finds_and_saves_behind_the_token() {
    let app = test_app();
    let id = "wor-lanternfly-evening-iop";
    // No token, a wrong one: 401 and 403 pages naming the token field.
    let r = post_form(&app, &format!("form=admin&program={id}")).await;
    assert_page(&r, StatusCode::UNAUTHORIZED, &["Service token:"]);
    let r = post_form(&app, &format!("form=admin&token=wrong&program={id}")).await;
    assert_page(&r, StatusCode::FORBIDDEN, &["Service token:"]);
    // Found by name: its version and last verification, and the edit form.
    let r = post_form(
        &app,
        &format!(
            "form=admin&token={TOKEN}&program={}",
            encode("Lanternfly Evening Trauma IOP (fictional)")
        ),
    )
    .await;
    assert_page(
        &r,
        StatusCode::OK,
        &[
            "Version 1; last verified 2026-09-15.",
            "name=\"version\" value=\"1\"",
            "id=\"admin-accepting\" name=\"accepting\" type=\"checkbox\" checked",
        ],
    );
    // The token is never put in the page.
    assert!(!r.text.contains(TOKEN));
    let r = post_form(&app, &format!("form=admin&token={TOKEN}&program=no-such")).await;
    assert_page(&r, StatusCode::NOT_FOUND, &["Program: no program"]);
    // Save: closed to new patients, a 30-day wait; the ranking changes.
    let save = |version: u64, token: &str| {
        format!("form=admin-save&program={id}&version={version}&token={token}&wait=30&slots=")
    };
    let r = post_form(&app, &save(1, "wrong")).await;
    assert_page(&r, StatusCode::FORBIDDEN, &["Service token:"]);
    let r = post_form(&app, &save(1, TOKEN)).await;
    assert_page(
        &r,
        StatusCode::OK,
        &["Saved: version 2.", "Version 2;", "value=\"30\""],
    );
    assert!(
        r.text.contains("name=\"accepting\" type=\"checkbox\">"),
        "unchecked"
    );
    let d = send(
        &app,
        Method::POST,
        "/rank",
        Some(json!({"patient": page_patient(), "level": "intensive_outpatient"})),
    )
    .await
    .json();
    assert_ne!(d["matches"][0]["program_id"], id, "{d}");
    // The page shown before the save is stale now: 412, the version named.
    let r = post_form(&app, &save(1, TOKEN)).await;
    assert_page(
        &r,
        StatusCode::PRECONDITION_FAILED,
        &["Version: does not match"],
    );
    let r = post_form(
        &app,
        &format!("form=admin-save&program={id}&version=2&token={TOKEN}&wait=soon"),
    )
    .await;
    assert_page(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        &["Typical wait in days: give a whole number"],
    );
}

#[test]
fn the_queue_page_puts_held_referrals_first_whatever_the_order_given() {
    let d = json!({"placed": 1, "held": 1, "referrals": [
        {"referral_id": "P-1", "status": "placed", "placement": {"program_name": "<A>", "choice": 1, "score": 0.5, "alerts": []}, "alerts": []},
        {"referral_id": "U-1", "status": "unplaced", "reason": {"kind": "no_open_slot"}, "waitlist": [], "alerts": []},
        {"referral_id": "H-1", "status": "held", "hold": {"text": "call 988 <now>"}, "alerts": [{"kind": "imminent_risk", "channel": "safety", "text": "x"}]}
    ]});
    let html = page::assignment_html(&d);
    let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("{s}: {html}"));
    assert!(at("H-1") < at("P-1") && at("P-1") < at("U-1"), "{html}");
    assert!(at("call 988 &lt;now&gt;") < at("P-1"));
    assert!(!html.contains("<A>") && !html.contains("<now>"));
    // The hold says the crisis text: the imminent-risk alert is not repeated.
    assert!(!html.contains(">x<"), "{html}");
}
