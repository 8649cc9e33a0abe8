//! CDS Hooks 2.0: carematch's decision support as cards in the clinician's
//! electronic health record.
//!
//! [CDS Hooks](https://cds-hooks.hl7.org/2.0/) is how an EHR calls a
//! decision-support service at a point in its workflow (a *hook*: opening a
//! patient's chart is `patient-view`, choosing an order is `order-select`)
//! and shows what comes back as *cards*. This module holds the parts that
//! are pure data, so any Rust service can use them; `carematch serve` puts
//! them behind HTTP routes:
//!
//! - [`Discovery`]: the answer to `GET /cds-services`, carematch's two
//!   services with their prefetch templates ([`Discovery::carematch`]).
//! - [`CdsRequest`]: a hook call's body, read with its problems named by
//!   field path ([`CdsRequest::from_json`]), and what it prefetched
//!   ([`CdsRequest::prefetched`]).
//! - [`Card`] and [`CdsResponse`]: the response, built from a
//!   [`Ranking`](crate::matching::Ranking) and a
//!   [`LevelRecommendation`](crate::level::LevelRecommendation) by
//!   [`cards`]: safety alerts first as `critical` cards (crisis contacts as
//!   `tel:` links, withdrawal, a medication-for-opioid-use-disorder gap among
//!   the programs shown), then the recommended level with the rules that
//!   fired, then the top programs with their main reasons and a link to the
//!   coordinator page.
//! - [`check_response`]: the specification's card rules (required fields, a
//!   summary under 140 characters, the allowed indicator, selection and link
//!   values, no `null` and no empty value), checked on the JSON itself.
//!
//! Cards carry what carematch decided from the facts it read (diagnosis
//! codes, levels, program names from the directory), never the record's
//! identifiers, names or addresses: the FHIR reader drops those before any
//! of this runs.
//!
//! Source of the shapes and rules: CDS Hooks 2.0, HL7 (the specification's
//! "Discovery", "Calling a CDS Service" and "CDS Service Response"
//! sections), published under the Apache License 2.0.
//!
//! # Example
//!
//! ```
//! use carematch::{cds, sample, Directory};
//! use carematch::matching::{MatchOptions, Query, Weights};
//!
//! let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
//! let needs = &sample::patients()[0].needs;
//! let q = dir.query(needs, None, MatchOptions::new(sample::AS_OF))?;
//! let ranking = dir.rank(&q, &Weights::default(), 3);
//!
//! let options = cds::CardOptions::new().with_page_url("https://carematch.example.org/");
//! let response = cds::cards(&ranking, None, &options);
//! let json = serde_json::to_value(&response).expect("cards serialize");
//! assert!(cds::check_response(&json).is_ok());
//! assert!(response.cards.iter().all(|c| c.summary.chars().count() < 140));
//! # Ok::<(), carematch::Error>(())
//! ```

mod build;
mod check;
mod request;

pub use build::{CardOptions, TOPIC_SYSTEM, cards, cards_without_ranking};
pub use check::{SUMMARY_MAX_CHARS, check_response};
pub use request::{
    BEHAVIORAL_HEALTH_REFERRAL_CODES, CdsRequest, Discovery, Hook, Prefetched, ServiceEntry,
    behavioral_health_referral,
};

use serde::{Deserialize, Serialize};
use std::fmt;

/// How urgent a card is, in the specification's order of increasing urgency.
///
/// # Example
///
/// ```
/// use carematch::cds::Indicator;
/// assert!(Indicator::Critical > Indicator::Info);
/// assert_eq!(Indicator::Warning.to_string(), "warning");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Indicator {
    /// Information for reading.
    Info,
    /// Worth the user's attention.
    Warning,
    /// A critical need: shown first.
    Critical,
}

impl fmt::Display for Indicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Indicator::Info => "info",
            Indicator::Warning => "warning",
            Indicator::Critical => "critical",
        })
    }
}

/// A coded value (the specification's Coding: a system, a code, a display).
///
/// # Example
///
/// ```
/// let c = carematch::cds::Coding::new("http://example.org/topics", "placement", "Placement");
/// assert_eq!(c.to_string(), "Placement (http://example.org/topics#placement)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Coding {
    /// The code system's URI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// The code.
    pub code: String,
    /// Words for people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

impl Coding {
    /// A coding with all three parts.
    ///
    /// # Example
    ///
    /// ```
    /// let c = carematch::cds::Coding::new("s", "c", "d");
    /// assert_eq!(c.display.as_deref(), Some("d"));
    /// ```
    pub fn new(system: &str, code: &str, display: &str) -> Coding {
        Coding {
            system: Some(system.to_owned()),
            code: code.to_owned(),
            display: Some(display.to_owned()),
        }
    }
}

impl fmt::Display for Coding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.display, &self.system) {
            (Some(d), Some(s)) => write!(f, "{d} ({s}#{})", self.code),
            (Some(d), None) => write!(f, "{d} ({})", self.code),
            (None, Some(s)) => write!(f, "{s}#{}", self.code),
            (None, None) => f.write_str(&self.code),
        }
    }
}

/// Where a card's guidance comes from.
///
/// # Example
///
/// ```
/// let s = carematch::cds::Source::new("carematch");
/// assert_eq!(s.to_string(), "carematch");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Source {
    /// A short label for people.
    pub label: String,
    /// Where to learn about the source (absolute URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// An icon (absolute URL to a 100x100 PNG).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// A topic, for filtering and ordering cards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<Coding>,
}

impl Source {
    /// A source with a label only.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::cds::Source::new("x").url.is_none());
    /// ```
    pub fn new(label: &str) -> Source {
        Source {
            label: label.to_owned(),
            url: None,
            icon: None,
            topic: None,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)?;
        if let Some(u) = &self.url {
            write!(f, " <{u}>")?;
        }
        Ok(())
    }
}

/// What a link opens: a plain URL, or a SMART app launch.
///
/// # Example
///
/// ```
/// assert_eq!(carematch::cds::LinkType::Absolute.to_string(), "absolute");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkType {
    /// Opened as it is.
    Absolute,
    /// A SMART app launch URL; the EHR adds the launch parameters.
    Smart,
}

impl fmt::Display for LinkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LinkType::Absolute => "absolute",
            LinkType::Smart => "smart",
        })
    }
}

/// A link on a card.
///
/// # Example
///
/// ```
/// let l = carematch::cds::Link::absolute("Call 988", "tel:988");
/// assert_eq!(l.to_string(), "Call 988 <tel:988>");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Link {
    /// Words for the link.
    pub label: String,
    /// Where it goes.
    pub url: String,
    /// What kind of URL it is.
    #[serde(rename = "type")]
    pub link_type: LinkType,
    /// Context for a SMART app (only with [`LinkType::Smart`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_context: Option<String>,
    /// A hint that the EHR may open it at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autolaunchable: Option<bool>,
}

impl Link {
    /// An absolute link.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::cds::{Link, LinkType};
    /// assert_eq!(Link::absolute("a", "https://x.example").link_type, LinkType::Absolute);
    /// ```
    pub fn absolute(label: &str, url: &str) -> Link {
        Link {
            label: label.to_owned(),
            url: url.to_owned(),
            link_type: LinkType::Absolute,
            app_context: None,
            autolaunchable: None,
        }
    }
}

impl fmt::Display for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} <{}>", self.label, self.url)
    }
}

/// What an action does to a FHIR resource.
///
/// # Example
///
/// ```
/// assert_eq!(carematch::cds::ActionType::Create.to_string(), "create");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionType {
    /// Creates `resource`.
    Create,
    /// Replaces a resource with `resource`.
    Update,
    /// Deletes `resourceId`.
    Delete,
}

impl fmt::Display for ActionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ActionType::Create => "create",
            ActionType::Update => "update",
            ActionType::Delete => "delete",
        })
    }
}

/// A change a suggestion would make in the EHR.
///
/// # Example
///
/// ```
/// use carematch::cds::{Action, ActionType};
/// let a = Action { action_type: ActionType::Delete, description: "Remove the draft".into(),
///                  resource: None, resource_id: Some("ServiceRequest/1".into()) };
/// assert_eq!(a.to_string(), "delete: Remove the draft");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    /// What it does.
    #[serde(rename = "type")]
    pub action_type: ActionType,
    /// Words for people.
    pub description: String,
    /// The resource to create, or the whole updated resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<serde_json::Value>,
    /// The resource to delete, as a relative reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.action_type, self.description)
    }
}

/// A suggestion on a card: actions the user may accept together.
///
/// # Example
///
/// ```
/// let s = carematch::cds::Suggestion { label: "Refer".into(), uuid: None, is_recommended: None, actions: vec![] };
/// assert_eq!(s.to_string(), "Refer");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// Words for the button.
    pub label: String,
    /// An identifier for feedback.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// Whether this is the recommended one among several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_recommended: Option<bool>,
    /// What accepting it does, all together.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
}

impl fmt::Display for Suggestion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

/// How many of a card's suggestions the user may choose.
///
/// # Example
///
/// ```
/// assert_eq!(carematch::cds::SelectionBehavior::AtMostOne.to_string(), "at-most-one");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SelectionBehavior {
    /// None or one.
    AtMostOne,
    /// Any number.
    Any,
}

impl fmt::Display for SelectionBehavior {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SelectionBehavior::AtMostOne => "at-most-one",
            SelectionBehavior::Any => "any",
        })
    }
}

/// One card: a summary under 140 characters, how urgent it is, where it
/// comes from, and optionally detail (Markdown), suggestions and links.
/// Serialized as the specification writes it: camelCase names, and no
/// `null` or empty field (absent parts are left out).
///
/// # Example
///
/// ```
/// use carematch::cds::{Card, Indicator, Source};
/// let card = Card::new("Recommended level: intensive outpatient", Indicator::Info, Source::new("carematch"));
/// assert_eq!(card.to_string(), "[info] Recommended level: intensive outpatient");
/// let json = serde_json::to_string(&card).unwrap();
/// assert!(!json.contains("null") && !json.contains("[]"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Card {
    /// An identifier for logging and feedback.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// One sentence, under [`SUMMARY_MAX_CHARS`] characters.
    pub summary: String,
    /// More, in GitHub-flavoured Markdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// How urgent.
    pub indicator: Indicator,
    /// Where it comes from.
    pub source: Source,
    /// Changes the user may accept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<Suggestion>,
    /// How many suggestions may be chosen (required with suggestions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selection_behavior: Option<SelectionBehavior>,
    /// Reasons the user may give for not following the card.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub override_reasons: Vec<Coding>,
    /// Links to open.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

impl Card {
    /// A card with a summary (shortened to fit under [`SUMMARY_MAX_CHARS`]
    /// characters at a word boundary, with an ellipsis), an indicator and a
    /// source.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::cds::{Card, Indicator, Source};
    /// let long = "word ".repeat(60);
    /// let card = Card::new(&long, Indicator::Info, Source::new("carematch"));
    /// assert!(card.summary.chars().count() < 140);
    /// assert!(card.summary.ends_with('…'));
    /// ```
    pub fn new(summary: &str, indicator: Indicator, source: Source) -> Card {
        Card {
            uuid: None,
            summary: build::shorten(summary, SUMMARY_MAX_CHARS - 1),
            detail: None,
            indicator,
            source,
            suggestions: Vec::new(),
            selection_behavior: None,
            override_reasons: Vec::new(),
            links: Vec::new(),
        }
    }
}

impl fmt::Display for Card {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.indicator, self.summary)
    }
}

/// A CDS service's answer: cards, most urgent first.
///
/// # Example
///
/// ```
/// let empty = carematch::cds::CdsResponse::default();
/// assert_eq!(serde_json::to_string(&empty).unwrap(), r#"{"cards":[]}"#);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CdsResponse {
    /// The cards (the specification requires the array, even empty).
    pub cards: Vec<Card>,
    /// Actions proposed for the EHR to apply itself (carematch proposes none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub system_actions: Vec<Action>,
}

impl fmt::Display for CdsResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in &self.cards {
            writeln!(f, "{c}")?;
        }
        Ok(())
    }
}
