//! The specification's rules for a response body, checked on the JSON
//! itself (so a test can hold any service's answer to them, not only
//! carematch's typed cards).

use serde_json::Value;

/// A card's summary must be shorter than this many characters (CDS Hooks
/// 2.0, Card attributes: "<140-character summary").
///
/// # Example
///
/// ```
/// assert_eq!(carematch::cds::SUMMARY_MAX_CHARS, 140);
/// ```
pub const SUMMARY_MAX_CHARS: usize = 140;

/// Checks a CDS service response against the specification's card rules,
/// returning every problem found with its JSON path:
///
/// - the body is an object with a `cards` array;
/// - each card has a non-empty `summary` under [`SUMMARY_MAX_CHARS`]
///   characters, an `indicator` of `info`, `warning` or `critical`, and a
///   `source` with a non-empty `label`;
/// - `suggestions` come with a `selectionBehavior` of `at-most-one` or
///   `any` (and `at-most-one` recommends at most one), each suggestion with a
///   `label`, each action with a `type` of `create`, `update` or `delete`, a
///   `description`, a `resource` for create and update and a `resourceId`
///   or `resource` for delete;
/// - each link has a `label`, an absolute `url` and a `type` of `absolute`
///   or `smart`, with `appContext` only on `smart` links;
/// - override reasons carry a `display`;
/// - nowhere a `null`, an empty string, an empty array or an empty object
///   (but the required `cards` array, which may be empty).
///
/// # Example
///
/// ```
/// use carematch::cds::check_response;
/// let ok = serde_json::json!({"cards": [{"summary": "Hi", "indicator": "info", "source": {"label": "x"}}]});
/// assert!(check_response(&ok).is_ok());
/// let bad = serde_json::json!({"cards": [{"summary": "", "indicator": "urgent", "source": {}}]});
/// let problems = check_response(&bad).unwrap_err();
/// assert!(problems.iter().any(|p| p.starts_with("cards[0].indicator")));
/// assert!(problems.iter().any(|p| p.starts_with("cards[0].source.label")));
/// ```
pub fn check_response(body: &Value) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    no_empty("", body, &mut problems, true);
    match body.get("cards") {
        Some(Value::Array(cards)) => {
            for (i, card) in cards.iter().enumerate() {
                check_card(&format!("cards[{i}]"), card, &mut problems);
            }
        }
        Some(_) => problems.push("cards: not an array".to_owned()),
        None => problems.push("cards: missing (required, even when empty)".to_owned()),
    }
    if let Some(actions) = body.get("systemActions") {
        for (i, a) in actions.as_array().into_iter().flatten().enumerate() {
            check_action(&format!("systemActions[{i}]"), a, &mut problems);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Every `null`, empty string, empty array or empty object under `v`.
fn no_empty(path: &str, v: &Value, problems: &mut Vec<String>, top: bool) {
    match v {
        Value::Null => problems.push(format!("{path}: null (leave the field out instead)")),
        Value::String(s) if s.is_empty() => problems.push(format!("{path}: an empty string")),
        Value::Array(a) => {
            // The top-level `cards` array is required even when empty.
            if a.is_empty() && !(top || path == "cards") {
                problems.push(format!(
                    "{path}: an empty array (leave the field out instead)"
                ));
            }
            for (i, x) in a.iter().enumerate() {
                no_empty(&format!("{path}[{i}]"), x, problems, false);
            }
        }
        Value::Object(o) => {
            if o.is_empty() && !top {
                problems.push(format!("{path}: an empty object"));
            }
            for (k, x) in o {
                // A FHIR resource inside an action is the EHR's to judge.
                if k == "resource" {
                    continue;
                }
                no_empty(&join(path, k), x, problems, false);
            }
        }
        _ => {}
    }
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn required_text(path: &str, v: &Value, key: &str, problems: &mut Vec<String>) {
    match v.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => {}
        Some(Value::String(_)) => problems.push(format!("{}: blank", join(path, key))),
        Some(_) => problems.push(format!("{}: not a string", join(path, key))),
        None => problems.push(format!("{}: missing (required)", join(path, key))),
    }
}

fn one_of(path: &str, v: &Value, key: &str, allowed: &[&str], problems: &mut Vec<String>) {
    match text(v, key) {
        Some(s) if allowed.contains(&s) => {}
        Some(s) => problems.push(format!(
            "{}: {s:?} is not one of {}",
            join(path, key),
            allowed.join(", ")
        )),
        None => problems.push(format!("{}: missing (required)", join(path, key))),
    }
}

fn absolute_url(s: &str) -> bool {
    // A scheme (letters, digits, +, -, .) then ':' and something after it.
    match s.split_once(':') {
        Some((scheme, rest)) => {
            !rest.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

fn check_card(path: &str, card: &Value, problems: &mut Vec<String>) {
    if !card.is_object() {
        problems.push(format!("{path}: not an object"));
        return;
    }
    required_text(path, card, "summary", problems);
    if let Some(s) = text(card, "summary") {
        let n = s.chars().count();
        if n >= SUMMARY_MAX_CHARS {
            problems.push(format!(
                "{path}.summary: {n} characters (must be under {SUMMARY_MAX_CHARS})"
            ));
        }
    }
    one_of(
        path,
        card,
        "indicator",
        &["info", "warning", "critical"],
        problems,
    );
    match card.get("source") {
        Some(src @ Value::Object(_)) => {
            required_text(&join(path, "source"), src, "label", problems);
            for key in ["url", "icon"] {
                if let Some(u) = text(src, key)
                    && !absolute_url(u)
                {
                    problems.push(format!("{path}.source.{key}: not an absolute URL"));
                }
            }
        }
        Some(_) => problems.push(format!("{path}.source: not an object")),
        None => problems.push(format!("{path}.source: missing (required)")),
    }
    let suggestions = card.get("suggestions").and_then(Value::as_array);
    match (suggestions, text(card, "selectionBehavior")) {
        (Some(s), None) if !s.is_empty() => problems.push(format!(
            "{path}.selectionBehavior: missing (required with suggestions)"
        )),
        (_, Some(_)) => one_of(
            path,
            card,
            "selectionBehavior",
            &["at-most-one", "any"],
            problems,
        ),
        _ => {}
    }
    if let Some(s) = suggestions {
        for (i, sug) in s.iter().enumerate() {
            let sp = format!("{path}.suggestions[{i}]");
            required_text(&sp, sug, "label", problems);
            for (j, a) in sug
                .get("actions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                check_action(&format!("{sp}.actions[{j}]"), a, problems);
            }
        }
        let recommended = s
            .iter()
            .filter(|x| x.get("isRecommended") == Some(&Value::Bool(true)))
            .count();
        if text(card, "selectionBehavior") == Some("at-most-one") && recommended > 1 {
            problems.push(format!(
                "{path}.suggestions: {recommended} recommended with at-most-one selection"
            ));
        }
    }
    for (i, r) in card
        .get("overrideReasons")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let rp = format!("{path}.overrideReasons[{i}]");
        required_text(&rp, r, "code", problems);
        required_text(&rp, r, "display", problems);
    }
    for (i, l) in card
        .get("links")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let lp = format!("{path}.links[{i}]");
        required_text(&lp, l, "label", problems);
        required_text(&lp, l, "url", problems);
        if let Some(u) = text(l, "url")
            && !absolute_url(u)
        {
            problems.push(format!("{lp}.url: not an absolute URL"));
        }
        one_of(&lp, l, "type", &["absolute", "smart"], problems);
        if l.get("appContext").is_some() && text(l, "type") != Some("smart") {
            problems.push(format!("{lp}.appContext: only for smart links"));
        }
    }
}

fn check_action(path: &str, a: &Value, problems: &mut Vec<String>) {
    one_of(path, a, "type", &["create", "update", "delete"], problems);
    required_text(path, a, "description", problems);
    match text(a, "type") {
        Some("create" | "update") if !a.get("resource").is_some_and(Value::is_object) => {
            problems.push(format!(
                "{path}.resource: missing (required for create and update)"
            ));
        }
        Some("delete") if a.get("resourceId").is_none() && a.get("resource").is_none() => {
            problems.push(format!("{path}.resourceId: missing (required for delete)"));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_specifications_example_response_passes() {
        // The example response of CDS Hooks 2.0 ("CDS Service Response",
        // Example), Apache-2.0, shortened to its card fields.
        let body = json!({"cards": [
            {"uuid": "4e0a3a1e-3283-4575-ab82-028d55fe2719", "summary": "Example Card",
             "indicator": "info", "detail": "This is an example card.",
             "source": {"label": "Static CDS Service Example", "url": "https://example.com",
                        "icon": "https://example.com/img/icon-100px.png"},
             "links": [{"label": "Google", "url": "https://google.com", "type": "absolute"},
                       {"label": "SMART Example App", "url": "https://smart.example.com/launch",
                        "type": "smart", "appContext": "{\"session\":3456356}"}]},
            {"summary": "Another card", "indicator": "warning",
             "source": {"label": "Static CDS Service Example"},
             "overrideReasons": [{"code": "reason-code-provided-by-service",
                                  "system": "http://example.org/cds-services/fhir/CodeSystem/override-reasons",
                                  "display": "Patient refused"}]}
        ]});
        assert_eq!(check_response(&body), Ok(()));
        assert_eq!(check_response(&json!({"cards": []})), Ok(()));
    }

    #[test]
    fn each_rule_is_enforced() {
        let card = |extra: Value| {
            let mut c = json!({"summary": "s", "indicator": "info", "source": {"label": "l"}});
            for (k, v) in extra.as_object().unwrap() {
                c[k] = v.clone();
            }
            json!({ "cards": [c] })
        };
        let fails = |body: Value, needle: &str| {
            let p = check_response(&body).expect_err(needle);
            assert!(p.iter().any(|x| x.contains(needle)), "{needle}: {p:?}");
        };
        fails(json!({}), "cards: missing");
        fails(card(json!({"summary": "x".repeat(140)})), "140 characters");
        assert!(check_response(&card(json!({"summary": "x".repeat(139)}))).is_ok());
        fails(
            card(json!({"indicator": "hard-stop"})),
            "cards[0].indicator",
        );
        fails(
            card(json!({"source": {"url": "https://x"}})),
            "source.label",
        );
        fails(card(json!({"detail": null})), "cards[0].detail: null");
        fails(card(json!({"detail": ""})), "empty string");
        fails(card(json!({"links": []})), "empty array");
        fails(
            card(json!({"suggestions": [{"label": "a"}]})),
            "selectionBehavior: missing",
        );
        fails(
            card(json!({"suggestions": [{"label": "a"}], "selectionBehavior": "all"})),
            "selectionBehavior",
        );
        fails(
            card(
                json!({"suggestions": [{"label": "a", "isRecommended": true},
                                        {"label": "b", "isRecommended": true}],
                        "selectionBehavior": "at-most-one"}),
            ),
            "2 recommended",
        );
        fails(
            card(
                json!({"suggestions": [{"label": "a", "actions": [{"type": "create", "description": "d"}]}],
                        "selectionBehavior": "any"}),
            ),
            "resource: missing",
        );
        fails(
            card(json!({"links": [{"label": "a", "url": "/relative", "type": "absolute"}]})),
            "not an absolute URL",
        );
        fails(
            card(
                json!({"links": [{"label": "a", "url": "tel:988", "type": "absolute", "appContext": "x"}]}),
            ),
            "only for smart links",
        );
        fails(
            card(json!({"overrideReasons": [{"code": "c"}]})),
            "overrideReasons[0].display",
        );
        assert!(
            check_response(&card(
                json!({"links": [{"label": "a", "url": "tel:988", "type": "absolute"}]})
            ))
            .is_ok()
        );
    }
}
