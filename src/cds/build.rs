//! Cards from a ranking and a level recommendation.

use super::{Card, CdsResponse, Coding, Indicator, Link, Source};
use crate::level::LevelRecommendation;
use crate::matching::{Alert, AlertChannel, CrisisContact, Match, Ranking};
use std::fmt::Write as _;

/// Settings for the cards [`cards`] builds.
///
/// # Example
///
/// ```
/// let o = carematch::cds::CardOptions::new()
///     .with_page_url("https://carematch.example.org/")
///     .with_missing("Coverage");
/// assert_eq!(o.top, 3);
/// assert_eq!(o.missing, ["Coverage"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardOptions {
    /// The label of every card's source (default "carematch").
    pub source_label: String,
    /// Where the source is described (an absolute URL), if anywhere.
    pub source_url: Option<String>,
    /// The coordinator page (an absolute URL) the programs card links to.
    pub page_url: Option<String>,
    /// How many programs the programs card names (default 3).
    pub top: usize,
    /// What the service could not read (resource kinds such as
    /// "Coverage"), said on a warning card so the clinician knows what the
    /// cards did not weigh. Fixed words only: never a value from the record.
    pub missing: Vec<String>,
    /// Why no programs are shown, when they are withheld (no payer read,
    /// say): a warning card says it in place of the programs, and only the
    /// alerts that do not depend on the programs are kept. Fixed words only.
    pub programs_withheld: Option<String>,
}

impl Default for CardOptions {
    fn default() -> CardOptions {
        CardOptions::new()
    }
}

impl CardOptions {
    /// The defaults: source "carematch", no URLs, the top 3, nothing missing.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::cds::CardOptions::new().source_label, "carematch");
    /// ```
    pub fn new() -> CardOptions {
        CardOptions {
            source_label: "carematch".to_owned(),
            source_url: None,
            page_url: None,
            top: 3,
            missing: Vec::new(),
            programs_withheld: None,
        }
    }

    /// Links the programs card to the coordinator page at `url`.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::cds::CardOptions::new().with_page_url("https://x.example/");
    /// assert_eq!(o.page_url.as_deref(), Some("https://x.example/"));
    /// ```
    pub fn with_page_url(mut self, url: &str) -> CardOptions {
        self.page_url = Some(url.to_owned());
        self
    }

    /// Names a part of the record the service could not read.
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::cds::CardOptions::new().with_missing("Condition");
    /// assert_eq!(o.missing.len(), 1);
    /// ```
    pub fn with_missing(mut self, what: &str) -> CardOptions {
        self.missing.push(what.to_owned());
        self
    }

    /// Withholds the programs, saying why (fixed words, never a record
    /// value): see [`CardOptions::programs_withheld`].
    ///
    /// # Example
    ///
    /// ```
    /// let o = carematch::cds::CardOptions::new().with_programs_withheld("no coverage was read");
    /// assert!(o.programs_withheld.is_some());
    /// ```
    pub fn with_programs_withheld(mut self, why: &str) -> CardOptions {
        self.programs_withheld = Some(why.to_owned());
        self
    }

    fn source(&self, topic: &str, display: &str) -> Source {
        Source {
            label: self.source_label.clone(),
            url: self.source_url.clone(),
            icon: None,
            topic: Some(Coding::new(TOPIC_SYSTEM, topic, display)),
        }
    }
}

/// The code system of carematch's card topics (`Source::topic`): a system
/// of its own, since the specification prescribes none. A service adding
/// cards of its own beside [`cards`] names their topics in it too.
///
/// # Example
///
/// ```
/// let c = carematch::cds::Coding::new(carematch::cds::TOPIC_SYSTEM, "fetch-failed", "Record parts not fetched");
/// assert_eq!(c.system.as_deref(), Some("urn:carematch:cds-topic"));
/// ```
pub const TOPIC_SYSTEM: &str = "urn:carematch:cds-topic";

/// Builds the cards for one patient, most urgent first:
///
/// 1. `critical`: the ranking's imminent-risk, withdrawal and
///    medical-stability alerts (imminent risk with the crisis contacts as
///    `tel:` links), then a gap in medication for opioid use disorder at any
///    program the cards name.
/// 2. `warning`: the ranking's other safety alerts (a safety plan to
///    complete, an adult policy used for a minor, no evidence-based or
///    schedule-fitting match), then what the service could not read
///    ([`CardOptions::missing`]).
/// 3. `info`: the recommended level with every rule that fired (when a
///    recommendation is given), then the top programs with their scores,
///    main reasons and what to confirm, linked to the coordinator page; or a
///    `warning` when no program can take the patient.
///
/// Every summary is under 140 characters; the detail is Markdown. Nothing
/// here reads the patient's record: only carematch's own output.
///
/// # Example
///
/// ```
/// use carematch::{cds, sample, Directory, LevelPolicy};
/// use carematch::matching::{MatchOptions, Weights};
///
/// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
/// let patient = &sample::patients()[0];
/// let rec = LevelPolicy::default().recommend(&patient.assessment);
/// let q = dir.query_for(&patient.needs, &rec, MatchOptions::new(sample::AS_OF))?;
/// let ranking = dir.rank(&q, &Weights::default(), 3);
/// let response = cds::cards(&ranking, Some(&rec), &cds::CardOptions::new());
/// let level_card = response.cards.iter().find(|c| c.summary.starts_with("Recommended level")).unwrap();
/// assert_eq!(level_card.indicator, cds::Indicator::Info);
/// # Ok::<(), carematch::Error>(())
/// ```
pub fn cards(
    ranking: &Ranking,
    recommendation: Option<&LevelRecommendation>,
    options: &CardOptions,
) -> CdsResponse {
    build(Some(ranking), recommendation, options)
}

/// The cards when there is no ranking to show (no level of care could be
/// suggested, or the programs are withheld): what could not be read, the
/// level when there is one, and a warning card saying why no programs are
/// shown ([`CardOptions::programs_withheld`], or "no level of care" when
/// unset), linked to the coordinator page.
///
/// # Example
///
/// ```
/// use carematch::cds::{self, CardOptions, Indicator};
/// let options = CardOptions::new().with_missing("Observation");
/// let response = cds::cards_without_ranking(None, &options);
/// assert_eq!(response.cards.len(), 2);
/// assert!(response.cards.iter().all(|c| c.indicator == Indicator::Warning));
/// assert!(response.cards[1].summary.starts_with("Programs not ranked"));
/// ```
pub fn cards_without_ranking(
    recommendation: Option<&LevelRecommendation>,
    options: &CardOptions,
) -> CdsResponse {
    build(None, recommendation, options)
}

/// The alerts that do not depend on which programs are shown.
fn about_the_patient(alert: &Alert) -> bool {
    matches!(
        alert,
        Alert::ImminentRisk { .. }
            | Alert::Withdrawal { .. }
            | Alert::ElevatedRisk
            | Alert::MedicalStability { .. }
            | Alert::AdolescentPolicy { .. }
    )
}

fn build(
    ranking: Option<&Ranking>,
    recommendation: Option<&LevelRecommendation>,
    options: &CardOptions,
) -> CdsResponse {
    let withheld = match (ranking, &options.programs_withheld) {
        (_, Some(why)) => Some(why.clone()),
        (None, None) => Some("no level of care could be suggested from the record".to_owned()),
        (Some(_), None) => None,
    };
    let mut critical = Vec::new();
    let mut warning = Vec::new();
    for alert in ranking.map(|r| r.alerts.as_slice()).unwrap_or_default() {
        if alert.channel() != AlertChannel::Safety
            || (withheld.is_some() && !about_the_patient(alert))
        {
            continue;
        }
        let card = alert_card(alert, options);
        if card.indicator == Indicator::Critical {
            critical.push(card);
        } else {
            warning.push(card);
        }
    }
    let shown: Vec<&Match> = match (ranking, &withheld) {
        (Some(r), None) => r.matches.iter().take(options.top).collect(),
        _ => Vec::new(),
    };
    if let Some(card) = moud_card(&shown, options) {
        critical.push(card);
    }
    if !options.missing.is_empty() {
        let mut card = Card::new(
            &format!(
                "Not read from the record: {}; the cards below did not weigh it",
                options.missing.join(", ")
            ),
            Indicator::Warning,
            options.source("missing", "Record parts not available"),
        );
        card.detail = Some(
            "The EHR did not send these parts and they could not be fetched. \
             Enter them on the coordinator page, or check them before acting on the cards."
                .to_owned(),
        );
        warning.push(card);
    }
    let mut info = Vec::new();
    if let Some(rec) = recommendation {
        info.push(level_card(rec, options));
    }
    let programs = match (ranking, withheld) {
        (_, Some(why)) => Some(withheld_card(&why, options)),
        (Some(r), None) => programs_card(r, &shown, options),
        (None, None) => None,
    };
    let mut out = critical;
    out.append(&mut warning);
    if let Some(card) = programs {
        if card.indicator == Indicator::Warning {
            out.push(card);
            out.append(&mut info);
        } else {
            out.append(&mut info);
            out.push(card);
        }
    } else {
        out.append(&mut info);
    }
    CdsResponse {
        cards: out,
        system_actions: Vec::new(),
    }
}

fn withheld_card(why: &str, options: &CardOptions) -> Card {
    let mut card = Card::new(
        &format!("Programs not ranked: {why}"),
        Indicator::Warning,
        options.source("programs", "Programs"),
    );
    card.detail = Some(format!(
        "carematch ranks programs only from facts it has: {}. Enter what is missing on the \
         coordinator page to see the programs and their reasons.",
        markdown_escape(why)
    ));
    if let Some(url) = &options.page_url {
        card.links
            .push(Link::absolute("Open the coordinator page", url));
    }
    card
}

/// `text` shortened to at most `max` characters: the first sentence if it
/// fits, else cut at a word boundary with an ellipsis.
pub(super) fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    if let Some(end) = text.find(". ") {
        let first = &text[..end];
        if first.chars().count() <= max {
            return first.to_owned();
        }
    }
    let mut cut = String::new();
    for word in text.split_whitespace() {
        let next = if cut.is_empty() {
            word.chars().count()
        } else {
            cut.chars().count() + 1 + word.chars().count()
        };
        if next + 1 > max {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    if cut.is_empty() {
        cut = text.chars().take(max.saturating_sub(1)).collect();
    }
    let cut = cut.trim_end_matches([',', ';', ':', ' ']).to_owned();
    format!("{cut}…")
}

/// A phone link for a crisis contact whose number is all digits (three, or
/// ten for a US number): `tel:911`, `tel:988`, `tel:+18337732445`.
fn tel(contact: &CrisisContact) -> Option<Link> {
    let digits: String = contact
        .contact
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let only_number = contact
        .contact
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '(' | ')' | '+'));
    if !only_number {
        return None;
    }
    let url = match digits.len() {
        3 => format!("tel:{digits}"),
        10 => format!("tel:+1{digits}"),
        _ => return None,
    };
    Some(Link::absolute(
        &format!("Call {} ({})", contact.name, contact.contact),
        &url,
    ))
}

fn alert_card(alert: &Alert, options: &CardOptions) -> Card {
    let full = alert.to_string();
    let (indicator, summary) = match alert {
        Alert::ImminentRisk { .. } => (
            Indicator::Critical,
            "Imminent risk: evaluate for crisis care now, before any placement".to_owned(),
        ),
        Alert::Withdrawal { level, .. } => (
            Indicator::Critical,
            match level {
                Some(l) => format!("Withdrawal: manage it first, at {l} or above"),
                None => "Withdrawal: arrange withdrawal management before or with the program"
                    .to_owned(),
            },
        ),
        Alert::MedicalStability { .. } => (
            Indicator::Critical,
            "Check medical stability for admission before any outpatient level".to_owned(),
        ),
        _ => (Indicator::Warning, capitalized(&full)),
    };
    let mut card = Card::new(&summary, indicator, options.source(alert.key(), "Safety"));
    card.detail = Some(markdown_escape(&full));
    if let Alert::ImminentRisk { contacts } = alert {
        card.links = contacts.iter().filter_map(tel).collect();
    }
    card
}

fn moud_card(shown: &[&Match], options: &CardOptions) -> Option<Card> {
    let gaps: Vec<&&Match> = shown
        .iter()
        .filter(|m| {
            m.alerts
                .iter()
                .any(|a| matches!(a, Alert::MoudGap | Alert::ConfirmMoud { .. }))
        })
        .collect();
    if gaps.is_empty() {
        return None;
    }
    let mut card = Card::new(
        &format!(
            "MOUD: {} of the top {} programs may not continue or start it; confirm before referring",
            gaps.len(),
            shown.len()
        ),
        Indicator::Critical,
        options.source("moud", "Medication for opioid use disorder"),
    );
    let mut detail = String::new();
    for m in gaps {
        for a in m
            .alerts
            .iter()
            .filter(|a| matches!(a, Alert::MoudGap | Alert::ConfirmMoud { .. }))
        {
            let _ = writeln!(
                detail,
                "- **{}**: {}",
                markdown_escape(&m.program_name),
                markdown_escape(&a.to_string())
            );
        }
    }
    card.detail = Some(detail);
    Some(card)
}

fn level_card(rec: &LevelRecommendation, options: &CardOptions) -> Card {
    let level = rec.effective_level();
    let summary = if level == rec.level() {
        let n = rec.rules().len();
        format!(
            "Recommended level: {level} (composite {}, {n} rule{} fired)",
            rec.composite(),
            if n == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "Level: {level} by the clinician's override (recommended: {})",
            rec.level()
        )
    };
    let mut card = Card::new(
        &summary,
        Indicator::Info,
        options.source("level", "Level of care"),
    );
    let mut detail = String::from("Rules that fired, in the order applied:\n\n");
    for r in rec.rules() {
        let _ = writeln!(detail, "- {}", markdown_escape(&r.to_string()));
    }
    if !rec.alternatives().is_empty() {
        detail.push_str("\nAlternatives worth a look:\n\n");
        for a in rec.alternatives() {
            let _ = writeln!(detail, "- {}", markdown_escape(&a.to_string()));
        }
    }
    detail.push_str("\nDecision support: a clinician decides the level.");
    card.detail = Some(detail);
    card
}

fn programs_card(ranking: &Ranking, shown: &[&Match], options: &CardOptions) -> Option<Card> {
    let imminent = ranking
        .alerts
        .iter()
        .any(|a| matches!(a, Alert::ImminentRisk { .. }));
    if imminent && shown.is_empty() {
        // Placement waits for the crisis evaluation; the critical card says so.
        return None;
    }
    let mut card = if shown.is_empty() {
        let mut card = Card::new(
            &format!(
                "No program in the directory offers {} and can take this patient",
                ranking.level
            ),
            Indicator::Warning,
            options.source("programs", "Programs"),
        );
        let mut detail = format!("{} programs excluded:\n\n", ranking.excluded_count);
        for c in &ranking.exclusion_counts {
            let _ = writeln!(detail, "- {}", markdown_escape(&c.to_string()));
        }
        card.detail = Some(detail);
        card
    } else {
        let best = shown[0];
        let mut card = Card::new(
            &format!(
                "Top {} {} programs; best fit: {} ({:.2})",
                shown.len(),
                ranking.level,
                best.program_name,
                best.score
            ),
            Indicator::Info,
            options.source("programs", "Programs"),
        );
        let mut detail = format!(
            "{} of {} eligible programs, best first:\n\n",
            shown.len(),
            ranking.eligible
        );
        for (i, m) in shown.iter().enumerate() {
            let _ = write!(
                detail,
                "{}. **{}**, {}: score {:.2}",
                i + 1,
                markdown_escape(&m.program_name),
                markdown_escape(&m.city),
                m.score
            );
            if let Some(d) = m.distance_miles {
                let _ = write!(detail, ", {d:.1} miles");
            }
            if let Some(w) = m.wait_days {
                let _ = write!(detail, ", about {w} days to intake");
            }
            detail.push('\n');
            for r in m.top_reasons(2) {
                let _ = writeln!(detail, "   - {}", markdown_escape(&r.to_string()));
            }
            for a in &m.alerts {
                let mark = match a.channel() {
                    AlertChannel::Safety => "Safety",
                    AlertChannel::Confirm => "To confirm",
                };
                let _ = writeln!(detail, "   - {mark}: {}", markdown_escape(&a.to_string()));
            }
        }
        detail.push_str("\nDecision support: options and their reasons; a clinician decides.");
        card.detail = Some(detail);
        card
    };
    if let Some(url) = &options.page_url {
        card.links.push(Link::absolute(
            "Open the coordinator page (every reason, why not, the queue)",
            url,
        ));
    }
    Some(card)
}

/// `s` with its first letter in upper case.
fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Escapes the characters Markdown would read as formatting.
fn markdown_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_keeps_short_text_and_cuts_long_text_at_a_word() {
        assert_eq!(shorten("  short  ", 10), "short");
        assert_eq!(shorten("abc def ghi", 8), "abc def…");
        let s = shorten(&"longword ".repeat(40), 139);
        assert!(s.chars().count() <= 139, "{s}");
        assert!(s.ends_with("longword…"));
        // A first sentence that fits is used whole.
        assert_eq!(shorten("First one. Second one is long.", 12), "First one");
        // One long word is cut inside it.
        assert_eq!(shorten(&"x".repeat(20), 5).chars().count(), 5);
    }

    #[test]
    fn tel_links_only_for_numbers() {
        let c = |contact: &str| CrisisContact {
            name: "n".into(),
            contact: contact.into(),
            when: "w".into(),
        };
        assert_eq!(tel(&c("911")).unwrap().url, "tel:911");
        assert_eq!(tel(&c("833-773-2445")).unwrap().url, "tel:+18337732445");
        assert!(tel(&c("through the local CBHC")).is_none());
        assert!(tel(&c("12345")).is_none());
    }

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(markdown_escape("a*b_[c]"), "a\\*b\\_\\[c\\]");
    }
}
