//! Facts a screening instrument suggests, shown beside a recommendation and
//! never applied by carematch itself: the clinician accepts or changes each.

use std::fmt;

use crate::diagnosis::Condition;
use crate::level::{Dimension, Rating, WithdrawalRisk};

/// What a screening result suggests for carematch.
///
/// In JSON, `"kind"` names it: `rating` (with `dimension` and `rating`),
/// `withdrawal_risk` (with `risk`) or `confirm_condition` (with `condition`).
///
/// # Example
///
/// ```
/// use carematch::{Dimension, Rating, level::Suggested};
/// let s = Suggested::Rating { dimension: Dimension::RiskOfHarm, rating: Rating::new(4)? };
/// assert_eq!(s.to_string(), "risk of harm rated 4");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Suggested {
    /// A rating of one dimension of the assessment.
    Rating {
        /// The dimension.
        dimension: Dimension,
        /// The suggested rating.
        rating: Rating,
    },
    /// A withdrawal-risk rating ([`crate::Assessment::withdrawal_risk`]).
    WithdrawalRisk {
        /// The suggested rating.
        risk: WithdrawalRisk,
    },
    /// A condition worth confirming with a diagnostic assessment; it is
    /// never added to the patient's diagnoses by carematch.
    ConfirmCondition {
        /// The condition.
        condition: Condition,
    },
}

impl fmt::Display for Suggested {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Suggested::Rating { dimension, rating } => write!(f, "{dimension} rated {rating}"),
            Suggested::WithdrawalRisk { risk } => write!(f, "withdrawal risk rated {risk}"),
            Suggested::ConfirmCondition { condition } => {
                write!(f, "confirm whether the patient has {condition}")
            }
        }
    }
}

/// A suggestion from one screening result: what it suggests, the
/// instrument and score behind it, the band or answer that triggered it and
/// the source of the threshold.
///
/// carematch never applies a suggestion silently: a recommendation shows
/// them ([`LevelRecommendation::suggestions`](crate::level::LevelRecommendation::suggestions)),
/// beside the ratings actually given.
///
/// # Example
///
/// ```
/// use carematch::level::{Suggested, Suggestion, WithdrawalRisk};
/// let s = Suggestion {
///     suggests: Suggested::WithdrawalRisk { risk: WithdrawalRisk::Moderate },
///     instrument: "CIWA-Ar".into(),
///     score: "total 17".into(),
///     because: "moderate withdrawal (16-20)".into(),
///     source: "site table".into(),
/// };
/// assert_eq!(s.to_string(), "withdrawal risk rated moderate: CIWA-Ar total 17, moderate withdrawal (16-20) (source: site table)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Suggestion {
    /// What is suggested.
    pub suggests: Suggested,
    /// The instrument's name, as people write it (`PHQ-9`, `C-SSRS screener`).
    pub instrument: String,
    /// The score behind it, in words (`total 17`, `item 9 scored 2`).
    pub score: String,
    /// The band or answer that triggered it.
    pub because: String,
    /// Where the threshold comes from.
    pub source: String,
}

impl fmt::Display for Suggestion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} {}, {} (source: {})",
            self.suggests, self.instrument, self.score, self.because, self.source
        )
    }
}
