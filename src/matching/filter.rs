//! Eligibility: the hard filters, each failure a typed reason.

use crate::matching::criteria::{miles, remote_ok};
use crate::matching::explain::ExclusionReason;
use crate::matching::query::Query;
use crate::{LevelOfCare, Population, Program};

/// Where an eligible program goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placement {
    /// Offers the level wanted.
    Match,
    /// Offers only an adjacent level (listed when the caller asks).
    Alternative(LevelOfCare),
}

impl Placement {
    pub(crate) fn level(self, q: &Query) -> LevelOfCare {
        match self {
            Placement::Match => q.level,
            Placement::Alternative(l) => l,
        }
    }
}

/// The plain eligibility test: a placement, or every reason the program cannot take the patient.
pub(crate) fn eligibility(q: &Query, p: &Program) -> Result<Placement, Vec<ExclusionReason>> {
    let needs = &q.needs;
    let mut reasons = Vec::new();

    let placement = if p.levels.contains(&q.level) {
        Some(Placement::Match)
    } else {
        q.alternative_levels
            .iter()
            .find(|l| p.levels.contains(l))
            .map(|l| Placement::Alternative(*l))
    };
    if placement.is_none() {
        reasons.push(ExclusionReason::LevelNotOffered {
            wanted: q.level,
            offered: p.levels.clone(),
        });
    }
    if !p.ages.contains(needs.age) {
        reasons.push(ExclusionReason::AgeOutOfRange {
            age: needs.age,
            min: p.ages.min,
            max: p.ages.max,
        });
    }
    if !p.restricted_to.is_empty() && Population::mask_of(&p.restricted_to) & q.population_bits == 0
    {
        reasons.push(ExclusionReason::PopulationRestricted {
            restricted_to: p.restricted_to.clone(),
        });
    }
    let payer_ok = p.payers.contains(&needs.payer)
        || (q.options.self_pay_allowed() && p.payers.iter().any(|x| x.is_self_funded()));
    if !payer_ok {
        reasons.push(ExclusionReason::PayerNotAccepted {
            payer: needs.payer.clone(),
        });
    }
    if !p.languages.contains(&needs.language) && !p.interpreter_services {
        reasons.push(ExclusionReason::LanguageNotOffered {
            language: needs.language,
        });
    }
    for c in &q.conditions {
        if p.excluded_conditions.iter().any(|x| x.covers(c.condition)) {
            reasons.push(ExclusionReason::ConditionNotAccepted {
                condition: c.condition,
            });
        }
    }
    if !p.delivery.iter().any(|d| needs.delivery.accepts(*d)) {
        reasons.push(ExclusionReason::DeliveryNotAccepted {
            preference: needs.delivery,
        });
    }
    if let (Some(m), Some(max)) = (miles(q, p), needs.max_travel_miles)
        && m > max
        && !remote_ok(q, p)
    {
        reasons.push(ExclusionReason::TooFar {
            miles: m,
            max_miles: max,
        });
    }
    if !p.accepting_new_patients && !q.options.waitlist_allowed() {
        reasons.push(ExclusionReason::NotAcceptingNewPatients);
    }
    match placement {
        Some(pl) if reasons.is_empty() => Ok(pl),
        _ => Err(reasons),
    }
}
