//! The builders of explanations: the reasons for each criterion, the
//! exclusion reasons and a match's alerts, each a pure function of the facts
//! (the words are in [`crate::matching::words`], the output model in
//! [`crate::matching::output`]).

use crate::matching::alert::Alert;
use crate::matching::facts::{CriterionFacts, Eligibility};
use crate::matching::output::ExclusionCount;
use crate::matching::query::Query;
use crate::matching::words::{ExclusionKind, ExclusionReason, FreshnessBand, Reason};
use crate::{
    matching::Criterion,
    program::{Aftercare, NotListed, Population, Program},
    therapy::Modality,
};

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

// ------------------------------------------------------ words from facts

/// The reasons for each criterion, a pure function of the facts; `p` gives
/// only names and dates for display (the best track's name and sessions, the
/// verification date).
pub(crate) fn reasons(q: &Query, f: &CriterionFacts, p: &Program) -> [Vec<Reason>; 7] {
    let mut out: [Vec<Reason>; 7] = Default::default();
    let level = f.level.unwrap_or(q.level);

    // Therapy fit.
    let r = &mut out[Criterion::TherapyFit.index()];
    for (c, hits) in q.conditions.iter().zip(&f.evidence) {
        if c.rows.is_empty() {
            r.push(Reason::NoEvidenceRow {
                condition: c.condition,
            });
        }
        for row in &c.rows {
            let reading = row.read(*hits);
            r.push(Reason::Evidence {
                condition: c.condition,
                primary: c.primary,
                strength: row.strength,
                ages: row.ages,
                offered: reading.offered,
                missing: reading.missing,
                partial: reading.partial,
                source: row.source.clone(),
            });
        }
    }
    let (offered, missing): (Vec<Modality>, Vec<Modality>) = Modality::ALL
        .iter()
        .filter(|m| q.needed_modalities & m.bit() != 0)
        .partition(|m| f.modalities & m.bit() != 0);
    r.push(Reason::Modalities { offered, missing });
    for c in &q.conditions {
        r.push(Reason::Specialty {
            condition: c.condition,
            specializes: f.specialties & c.condition.bit() != 0,
            credited: f.specialty_credited(q) & c.condition.bit() != 0,
        });
    }
    if q.population_bits != 0 {
        let of = |bits: u64| -> Vec<Population> {
            Population::ALL
                .iter()
                .copied()
                .filter(|p| bits & p.bit() != 0)
                .collect()
        };
        r.push(Reason::Populations {
            served: of(f.populations),
            patient: of(q.population_bits),
        });
    }

    // Credentials: unmet needs first, they are what a clinician must weigh.
    let r = &mut out[Criterion::Credentials.index()];
    let mut creds: Vec<Reason> = q
        .checks
        .iter()
        .enumerate()
        .filter(|(_, c)| f.not_listed & c.set.part().bit() == 0)
        .map(|(i, c)| Reason::Credential {
            check: c.check.clone(),
            met: f.checks_met >> i & 1 == 1,
        })
        .collect();
    creds.sort_by_key(|r| matches!(r, Reason::Credential { met: true, .. }));
    r.extend(creds);
    // Checks on a part not listed are not scored: one reason per part.
    for part in [NotListed::Staff, NotListed::FacilityCredentials] {
        if f.not_listed & part.bit() != 0 && q.checks.iter().any(|c| c.set.part() == part) {
            r.push(Reason::NotListed { part });
        }
    }

    // Schedule.
    let r = &mut out[Criterion::ScheduleFlexibility.index()];
    let tracks_listed = f.not_listed & NotListed::Tracks.bit() == 0;
    if !tracks_listed {
        r.push(Reason::NotListed {
            part: NotListed::Tracks,
        });
    }
    let best = f
        .tracks
        .best
        .and_then(|(i, t)| p.tracks_at(level).nth(i as usize).map(|track| (track, t)));
    match best {
        _ if !tracks_listed => {}
        Some((track, t)) => {
            r.push(Reason::BestTrack {
                track: track.name.clone(),
                sessions: track.sessions.clone(),
                free_quarter_hours: t.free_slots,
                quarter_hours: t.slots,
            });
            if let Some((min, max)) = q.hours_needed(level) {
                r.push(Reason::TrackHours {
                    track: track.name.clone(),
                    hours: f64::from(t.minutes) / 60.0,
                    min,
                    max,
                });
            }
        }
        None => r.push(Reason::NoTrackAtLevel { level }),
    }
    if tracks_listed {
        r.push(Reason::TracksFitting {
            fitting: f.tracks.fitting,
            tracks: f.tracks.tracks,
        });
        r.push(Reason::EveningOrWeekend {
            available: f.tracks.evening_or_weekend,
        });
        r.push(Reason::TelehealthOption {
            available: f.telehealth_option,
        });
        if let (true, Some(state)) = (f.telehealth_unlicensed, q.needs.state.as_ref()) {
            r.push(Reason::TelehealthNotLicensed {
                state: state.clone(),
            });
        }
    }

    // Aftercare.
    let (offered, missing): (Vec<Aftercare>, Vec<Aftercare>) = Aftercare::ALL
        .iter()
        .partition(|a| f.aftercare & a.bit() != 0);
    let emphasized = Aftercare::ALL
        .iter()
        .copied()
        .filter(|a| q.aftercare_weights[a.index()] > 1)
        .collect();
    out[Criterion::Aftercare.index()].push(if f.not_listed & NotListed::Aftercare.bit() == 0 {
        Reason::AftercareServices {
            offered,
            missing,
            emphasized,
        }
    } else {
        Reason::NotListed {
            part: NotListed::Aftercare,
        }
    });

    // Distance.
    let r = &mut out[Criterion::Distance.index()];
    r.push(match (f.remote, f.miles) {
        (true, miles) => Reason::TelehealthNoTravel { miles },
        (false, Some(miles)) => Reason::Distance { miles },
        (false, None) => Reason::DistanceUnknown,
    });
    if let (true, Some(state)) = (f.telehealth_unlicensed, q.needs.state.as_ref()) {
        r.push(Reason::TelehealthNotLicensed {
            state: state.clone(),
        });
    }

    // Wait.
    if f.not_listed & NotListed::AcceptingNewPatients.bit() != 0 {
        out[Criterion::Wait.index()].push(Reason::NotListed {
            part: NotListed::AcceptingNewPatients,
        });
    }
    out[Criterion::Wait.index()].push(match (f.accepting, f.wait_days) {
        (false, _) => Reason::NotAcceptingNewPatients,
        (true, Some(days)) => Reason::WaitDays { days },
        (true, None) => Reason::WaitUnknown,
    });

    // Freshness.
    let days_ago = f.days_since_verified.max(0);
    out[Criterion::Freshness.index()].push(Reason::Verified {
        date: p.last_verified,
        days_ago,
        band: FreshnessBand::of_days(days_ago),
    });
    out
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
    if let Some(pi) = q.conditions.iter().position(|c| c.primary)
        && let (c, Some(hits)) = (&q.conditions[pi], f.evidence.get(pi))
        && c.first_line != (0, 0)
        && !c.offers_first_line(*hits)
    {
        out.push(Alert::NoFirstLineTherapy {
            condition: c.condition,
        });
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
    if f.days_since_verified > STALE_AFTER_DAYS {
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
