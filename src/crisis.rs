//! The crisis text: one definition of the contacts and the words every
//! output uses when risk of harm is imminent (the level recommendation, the
//! `imminent_risk` alert of a ranking, an assignment's crisis hold, and any
//! refusal that involves it), so they never differ.

use std::fmt;

/// The headline every imminent-risk output starts with.
pub(crate) const IMMINENT_HEADLINE: &str =
    "IMMINENT RISK: evaluate for crisis care now, before any placement";

/// A crisis contact named by the `imminent_risk` alert.
///
/// # Example
///
/// ```
/// let contacts = carematch::matching::CrisisContact::massachusetts();
/// assert_eq!(contacts.len(), 4);
/// assert!(contacts.iter().any(|c| c.contact == "988"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CrisisContact {
    /// Who answers.
    pub name: String,
    /// How to reach them (a number, or where to find them).
    pub contact: String,
    /// When to use it.
    pub when: String,
}

impl CrisisContact {
    /// The crisis contacts for a patient in Massachusetts, in the order to
    /// use them: 911 for immediate danger; 988; the Massachusetts Behavioral
    /// Health Help Line; the Community Behavioral Health Centers' mobile
    /// crisis teams. Sources: 988lifeline.org; Massachusetts Executive Office
    /// of Health and Human Services, Behavioral Health Help Line and CBHC
    /// pages (2023).
    ///
    /// # Example
    ///
    /// ```
    /// let first = &carematch::matching::CrisisContact::massachusetts()[0];
    /// assert_eq!(first.contact, "911");
    /// ```
    pub fn massachusetts() -> Vec<CrisisContact> {
        let c = |name: &str, contact: &str, when: &str| CrisisContact {
            name: name.to_owned(),
            contact: contact.to_owned(),
            when: when.to_owned(),
        };
        vec![
            c(
                "Emergency services",
                "911",
                "immediate danger to the patient or others",
            ),
            c(
                "988 Suicide & Crisis Lifeline",
                "988",
                "call or text, 24/7, anywhere in the US",
            ),
            c(
                "Massachusetts Behavioral Health Help Line",
                "833-773-2445",
                "call or text, 24/7: crisis response and referral in Massachusetts",
            ),
            c(
                "Community Behavioral Health Centers' mobile crisis teams",
                "through the Behavioral Health Help Line or the local CBHC",
                "crisis evaluation where the patient is, 24/7, in Massachusetts",
            ),
        ]
    }
}

impl fmt::Display for CrisisContact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.name, self.contact, self.when)
    }
}

impl CrisisContact {
    /// The one crisis text: the headline, then the Massachusetts contacts in
    /// order (911 first). The level recommendation, the `imminent_risk`
    /// alert, an assignment's `crisis_evaluation_required` hold and the
    /// command line's refusals all print exactly this.
    ///
    /// # Example
    ///
    /// ```
    /// let t = carematch::matching::CrisisContact::imminent_risk_text();
    /// assert!(t.starts_with("IMMINENT RISK: evaluate for crisis care now, before any placement. Emergency services: 911"));
    /// let at = |s: &str| t.find(s).unwrap();
    /// assert!(at("911") < at("988") && at("988") < at("833-773-2445") && at("833-773-2445") < at("mobile crisis"));
    /// ```
    pub fn imminent_risk_text() -> String {
        struct Text;
        impl fmt::Display for Text {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_imminent(f, &CrisisContact::massachusetts())
            }
        }
        Text.to_string()
    }
}

/// Writes the headline and `contacts`, in order.
pub(crate) fn write_imminent(
    f: &mut fmt::Formatter<'_>,
    contacts: &[CrisisContact],
) -> fmt::Result {
    write!(f, "{IMMINENT_HEADLINE}. ")?;
    for (i, c) in contacts.iter().enumerate() {
        if i > 0 {
            f.write_str("; ")?;
        }
        write!(f, "{c}")?;
    }
    Ok(())
}
