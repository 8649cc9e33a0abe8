//! The builders of the explanations around the scores: the exclusion
//! reasons, a match's alerts and the exclusion counts, each a pure function
//! of the facts (each criterion's own reasons are in its file in
//! `criteria/`; the words are in [`crate::matching::words`], the output
//! model in [`crate::matching::output`]).

use crate::matching::alert::Alert;
use crate::matching::facts::{CriterionFacts, Eligibility};
use crate::matching::output::ExclusionCount;
use crate::matching::query::Query;
use crate::matching::words::{ExclusionKind, ExclusionReason};
use crate::program::{NotListed, Program};
use crate::{diagnosis::Condition, level::LevelOfCare};

/// Counts per reason kind from a histogram of excluded programs by their set
/// of kinds (`by_set[s]` programs failed exactly the kinds of
/// [`ExclusionKinds::from_bits`]`(s)`), most frequent first, ties by key.
pub(crate) fn count_exclusions(counts: &crate::matching::facts::KindCounts) -> Vec<ExclusionCount> {
    let counts = counts.by_kind;
    let mut v: Vec<ExclusionCount> = ExclusionKind::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| ExclusionCount {
            reason: *k,
            programs: n,
        })
        .collect();
    v.sort_by(|a, b| {
        b.programs
            .cmp(&a.programs)
            .then(a.reason.key().cmp(b.reason.key()))
    });
    v
}

/// Every reason a program cannot take the patient, in the order the filters
/// run, a pure function of the eligibility facts; `p` gives only the values
/// the reasons report (its levels, ages, populations).
pub(crate) fn exclusion_reasons(q: &Query, e: &Eligibility, p: &Program) -> Vec<ExclusionReason> {
    let needs = &q.needs;
    let mut out = Vec::new();
    for kind in e.fails.iter() {
        match kind {
            ExclusionKind::LevelNotOffered => out.push(ExclusionReason::LevelNotOffered {
                wanted: q.level,
                offered: p.levels.clone(),
            }),
            ExclusionKind::AgeOutOfRange => out.push(ExclusionReason::AgeOutOfRange {
                age: needs.age,
                min: p.ages.min,
                max: p.ages.max,
            }),
            ExclusionKind::PopulationRestricted => {
                out.push(ExclusionReason::PopulationRestricted {
                    restricted_to: p.restricted_to.clone(),
                })
            }
            ExclusionKind::PayerNotAccepted => out.push(ExclusionReason::PayerNotAccepted {
                payer: needs.payer.clone(),
            }),
            ExclusionKind::LanguageNotOffered => out.push(ExclusionReason::LanguageNotOffered {
                language: needs.language,
            }),
            ExclusionKind::ConditionNotAccepted => out.extend(
                q.conditions
                    .iter()
                    .filter(|c| e.conditions_refused & c.condition.bit() != 0)
                    .map(|c| ExclusionReason::ConditionNotAccepted {
                        condition: c.condition,
                    }),
            ),
            ExclusionKind::PrimaryConditionNotAdmitted => {
                if let Some(c) = q.conditions.iter().find(|c| c.primary) {
                    out.push(ExclusionReason::PrimaryConditionNotAdmitted {
                        condition: c.condition,
                        admits: p.admits.clone(),
                    });
                }
            }
            ExclusionKind::DeliveryNotAccepted => out.push(ExclusionReason::DeliveryNotAccepted {
                preference: needs.delivery,
            }),
            ExclusionKind::OutOfStateTelehealth => {
                out.push(ExclusionReason::OutOfStateTelehealth {
                    state: needs.state.clone().unwrap_or_default(),
                    licensed_states: if p.licensed_states.is_empty() {
                        vec![p.location.state.clone()]
                    } else {
                        p.licensed_states.clone()
                    },
                })
            }
            ExclusionKind::TooFar => out.push(ExclusionReason::TooFar {
                // Exact eligibility facts carry the miles whenever the
                // patient's location is known, which `too_far` needs.
                miles: e.miles.unwrap_or(f64::INFINITY),
                max_miles: needs.max_travel_miles.unwrap_or(f64::INFINITY),
            }),
            ExclusionKind::NotAcceptingNewPatients => {
                out.push(ExclusionReason::NotAcceptingNewPatients)
            }
            ExclusionKind::Full => out.push(ExclusionReason::Full),
            ExclusionKind::ScheduleConflict => {
                let level = e.placement.map_or(q.level, |pl| pl.level(q));
                let best = e
                    .tracks
                    .and_then(|t| t.best)
                    .and_then(|(i, t)| p.tracks_at(level).nth(i as usize).map(|track| (track, t)));
                if let Some((track, t)) = best {
                    out.push(ExclusionReason::ScheduleConflict {
                        track: track.name.clone(),
                        share: f64::from(t.free_slots) / f64::from(t.slots.max(1)),
                        min: q.options.min_schedule_fit(),
                    });
                }
            }
            ExclusionKind::MoudNotAvailable => out.push(ExclusionReason::MoudNotAvailable {
                medication: q.moud_medication,
            }),
        }
    }
    out
}

/// The primary condition a match offers no first-line therapy for (its
/// `no_first_line_therapy` alert), where the evidence table lists any; never
/// at imminent risk (the question is crisis care, not therapy fit).
/// `offers(pi)`: whether the program offers a first-line therapy for the
/// query's condition `pi`, read from its facts (`None`: not read) or, by a
/// ranking in numbers, from its row.
pub(crate) fn no_first_line_therapy(
    q: &Query,
    offers: impl FnOnce(usize) -> Option<bool>,
) -> Option<Condition> {
    let pi = q.conditions.iter().position(|c| c.primary)?;
    let c = &q.conditions[pi];
    if q.at_imminent_risk() || c.first_line == (0, 0) {
        return None;
    }
    (!offers(pi)?).then_some(c.condition)
}

/// A match's own alerts, a pure function of its facts; `p` gives the best
/// track's name and the verification date.
pub(crate) fn match_alerts(q: &Query, f: &CriterionFacts, p: &Program) -> Vec<Alert> {
    let mut out = Vec::new();
    let level = f.level.unwrap_or(q.level);
    // With staff not listed a prescriber may be there: `unconfirmed` names staff.
    if q.oud && !f.moud && f.not_listed & NotListed::Staff.bit() == 0 {
        out.push(Alert::MoudGap);
    }
    // On MOUD, at a program that can continue it but does not list the
    // medication: never silent.
    if q.moud_required && !f.moud_listed {
        out.push(Alert::ConfirmMoud {
            medication: q.moud_medication,
        });
    }
    if q.in_withdrawal() && !f.withdrawal_management {
        out.push(Alert::ConfirmWithdrawalManagement);
    }
    // An eating disorder at IOP and above needs medical and nutritional care.
    if level >= LevelOfCare::IntensiveOutpatient
        && q.condition_bits & Condition::Eating.bit() != 0
        && !(f.medical_monitoring && f.dietitian)
    {
        out.push(Alert::ConfirmMedicalMonitoring {
            medical_monitoring: f.medical_monitoring,
            dietitian: f.dietitian,
        });
    }
    let offers = |pi: usize| {
        let hits = f.evidence.get(pi)?;
        Some(q.conditions[pi].offers_first_line(*hits))
    };
    if let Some(condition) = no_first_line_therapy(q, offers) {
        out.push(Alert::NoFirstLineTherapy { condition });
    }
    if let (Some((i, t)), Some((min, _))) = (f.tracks.best, q.hours_needed(level)) {
        let hours = f64::from(t.minutes) / 60.0;
        if hours < min
            && let Some(track) = p.tracks_at(level).nth(i as usize)
        {
            out.push(Alert::HoursBelowLevel {
                level,
                track: track.name.clone(),
                hours,
                min,
            });
        }
    }
    if p.is_full() {
        out.push(Alert::NoOpenSlot);
    }
    if f.network_unconfirmed {
        out.push(Alert::NetworkUnconfirmed {
            payer: q.needs.payer.clone(),
        });
    }
    if f.days_since_verified > STALE_AFTER_DAYS && f.not_listed & NotListed::LastVerified.bit() == 0
    {
        out.push(Alert::StaleData {
            verified: p.last_verified,
            days_ago: f.days_since_verified,
        });
    }
    if f.not_listed != 0 {
        out.push(Alert::Unconfirmed {
            not_listed: NotListed::from_mask(f.not_listed),
        });
    }
    out
}

/// A listing verified more than this many days before the ranking's date is stale (12 months).
pub(crate) const STALE_AFTER_DAYS: i32 = 365;
