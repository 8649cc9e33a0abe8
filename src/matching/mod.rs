//! Program matching: eligibility filters, criteria, explanations, ranking.
//!
//! Data flows one way: [`crate::PatientNeeds`] compiles into a [`Query`];
//! programs compile into a [`Directory`]; `Directory::rank` filters, scores
//! every eligible program on compact numbers, keeps the top k, and explains
//! only those.

mod alert;
mod criteria;
mod criterion;
mod directory;
mod evidence;
mod explain;
mod facts;
mod index;
mod output;
mod plain;
mod query;
mod rank;
#[cfg(test)]
mod tests;
mod topk;
mod weights;
mod words;

pub use crate::crisis::CrisisContact;
#[cfg(feature = "serde")]
pub(crate) use alert::with_channel as alerts_with_channel;
pub use alert::{Alert, AlertChannel, LeftOut};
pub use criterion::Criterion;
pub use directory::Directory;
pub use evidence::{
    AgeBand, Episode, EvidenceBasis, EvidenceRow, EvidenceTable, PARTIAL_CREDIT, PartialCredit,
    PrescriberNeed, Recommendation, Strength, Therapy, UNTRAINED_CREDIT,
};
#[cfg(feature = "testing")]
#[doc(hidden)]
pub use index::Scan;
pub use output::{CriterionScore, Exclusion, ExclusionCount, Explanation, Match, Ranking};
pub(crate) use query::ELEVATED_RISK_RATING;
pub use query::{MatchOptions, Query};
pub use rank::rank_plain;
pub use weights::Weights;
pub use words::{CredentialCheck, ExclusionKind, ExclusionReason, FreshnessBand, Reason};
