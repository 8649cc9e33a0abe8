//! The plain, readable producer of facts: every fact read straight from a
//! [`Program`]. It is the reference the compiled index is tested against,
//! and [`rank_plain`] ranks with it.

use crate::matching::facts::{
    CriterionFacts, Eligibility, ExclusionKinds, FactSource, Placement, TrackFacts, TrackSummary,
    Travel, best_track, schedule_conflict, schedule_judged,
};
use crate::matching::query::{CheckSet, CheckSpec, Query};
use crate::matching::words::ExclusionKind;
use crate::{
    level::LevelOfCare,
    program::{Aftercare, Delivery, NotListed, Population, Program},
    schedule::WeekMask,
    therapy::{Modality, MoudMedication},
};

/// The plain producer: programs and a query, nothing compiled.
pub(crate) struct Plain<'a> {
    programs: &'a [Program],
    query: &'a Query,
    id_rank: Vec<u32>,
}

impl<'a> Plain<'a> {
    pub(crate) fn new(programs: &'a [Program], query: &'a Query) -> Plain<'a> {
        let mut order: Vec<usize> = (0..programs.len()).collect();
        order.sort_by(|a, b| programs[*a].id.cmp(&programs[*b].id));
        let mut id_rank = vec![0u32; programs.len()];
        for (rank, i) in order.into_iter().enumerate() {
            id_rank[i] = rank as u32;
        }
        Plain {
            programs,
            query,
            id_rank,
        }
    }
}

fn check_met(p: &Program, c: &CheckSpec) -> bool {
    match c.set {
        CheckSet::Licenses => p
            .staff
            .licenses
            .iter()
            .any(|(l, n)| *n > 0 && c.mask & l.bit() != 0),
        CheckSet::Certifications => p
            .staff
            .certifications
            .iter()
            .any(|(x, n)| *n > 0 && c.mask & x.bit() != 0),
        CheckSet::Facility => p.facility_credentials.iter().any(|f| c.mask & f.bit() != 0),
    }
}

impl FactSource for Plain<'_> {
    fn query(&self) -> &Query {
        self.query
    }

    fn len(&self) -> usize {
        self.programs.len()
    }

    fn program(&self, i: usize) -> std::borrow::Cow<'_, Program> {
        std::borrow::Cow::Borrowed(&self.programs[i])
    }

    fn id_rank(&self, i: usize) -> u32 {
        self.id_rank[i]
    }

    fn eligibility(&self, i: usize, _exact: bool) -> Eligibility {
        let (q, p) = (self.query, &self.programs[i]);
        let needs = &q.needs;
        let mut fails = ExclusionKinds::default();
        let placement = if p.levels.contains(&q.level) {
            Some(Placement::Match)
        } else {
            q.alternative_levels
                .iter()
                .find(|l| p.levels.contains(l))
                .map(|l| Placement::Alternative(*l))
        };
        fails.set(ExclusionKind::LevelNotOffered, placement.is_none());
        fails.set(ExclusionKind::AgeOutOfRange, !p.ages.contains(needs.age));
        fails.set(
            ExclusionKind::PopulationRestricted,
            !p.restricted_to.is_empty()
                && Population::mask_of(&p.restricted_to) & q.population_bits == 0,
        );
        // Payers not listed never exclude; otherwise the patient's payer, or
        // its parent (a plan's parent company, the MassHealth of a MassHealth
        // product): `Payer::accepted_under`.
        let payer_ok = !p.is_listed(NotListed::Payers)
            || lists_any(p, &needs.payer.accepted_under())
            || lists_any(p, &needs.payer.unconfirmed_under())
            || (q.options.self_pay_allowed() && p.takes_self_funded());
        fails.set(ExclusionKind::PayerNotAccepted, !payer_ok);
        fails.set(
            ExclusionKind::LanguageNotOffered,
            !p.languages.contains(&needs.language) && !p.interpreter_services,
        );
        let conditions_refused = q
            .conditions
            .iter()
            .filter(|c| p.excluded_conditions.iter().any(|x| x.covers(c.condition)))
            .fold(0, |m, c| m | c.condition.bit());
        fails.set(ExclusionKind::ConditionNotAccepted, conditions_refused != 0);
        fails.set(
            ExclusionKind::PrimaryConditionNotAdmitted,
            q.primary_bit != 0 && p.admits_cover().is_some_and(|m| m & q.primary_bit == 0),
        );
        fails.set(
            ExclusionKind::DeliveryNotAccepted,
            !p.delivery.iter().any(|d| needs.delivery.accepts(*d)),
        );
        let miles = miles(q, p);
        let beyond = matches!((miles, needs.max_travel_miles), (Some(m), Some(max)) if m > max);
        let tele = telehealth(q, p);
        Travel {
            beyond,
            remote_offered: tele.remote_offered,
            licensed: tele.licensed,
            in_person: p
                .delivery
                .iter()
                .any(|d| d.meets_in_person() && needs.delivery.accepts(*d)),
        }
        .kinds(&mut fails);
        fails.set(
            ExclusionKind::NotAcceptingNewPatients,
            !p.accepting_or_not_listed() && !q.options.waitlist_allowed(),
        );
        fails.set(
            ExclusionKind::Full,
            p.is_full() && q.options.full_excluded(),
        );
        // Staff not listed: a prescriber may be there; it never excludes,
        // except for methadone, which only an OTP (or a program coordinating
        // with one) keeps.
        let moud_fails = if q.moud_medication.is_some_and(MoudMedication::needs_otp) {
            !p.keeps_methadone()
        } else {
            !p.can_provide_moud() && p.is_listed(NotListed::Staff)
        };
        fails.set(
            ExclusionKind::MoudNotAvailable,
            q.moud_required && moud_fails,
        );
        let tracks = match placement {
            Some(pl) if schedule_judged(q, fails) => Some(track_summary(q, p, pl.level(q))),
            _ => None,
        };
        schedule_conflict(q, tracks, &mut fails);
        Eligibility {
            placement,
            fails,
            conditions_refused,
            miles,
            tracks,
        }
    }

    fn offers_evidence(&self, i: usize, c: usize) -> bool {
        let p = &self.programs[i];
        let c = &self.query.conditions[c];
        c.offers_first_line(c.hits(
            crate::therapy::Approach::mask_of(&p.approaches),
            Modality::mask_of(&p.modalities),
        ))
    }

    fn criterion_facts(
        &self,
        i: usize,
        level: LevelOfCare,
        eligibility: &Eligibility,
        out: &mut CriterionFacts,
    ) {
        let (q, p) = (self.query, &self.programs[i]);
        let modalities = Modality::mask_of(&p.modalities);
        let approaches = crate::therapy::Approach::mask_of(&p.approaches);
        out.level = Some(level);
        out.modalities = modalities & q.needed_modalities;
        out.trained = if p.not_listed_mask() & NotListed::Staff.bit() != 0 {
            u64::MAX
        } else {
            p.staff.trained_approaches()
        };
        out.evidence.clear();
        out.evidence
            .extend(q.conditions.iter().map(|c| c.hits(approaches, modalities)));
        out.specialties =
            p.specialties.iter().fold(0, |m, c| m | c.covered_mask()) & q.condition_bits;
        out.checks_met = q
            .checks
            .iter()
            .enumerate()
            .fold(0, |m, (i, c)| m | u64::from(check_met(p, c)) << i);
        out.populations = Population::mask_of(&p.populations) & q.population_bits;
        out.tracks = eligibility
            .tracks
            .unwrap_or_else(|| track_summary(q, p, level));
        let tele = telehealth(q, p);
        out.telehealth_option = tele.some && tele.licensed;
        out.remote = tele.remote_offered && tele.licensed;
        out.telehealth_unlicensed = tele.some && !tele.licensed;
        out.moud = p.can_provide_moud();
        out.moud_listed = !q.moud_required || p.lists_moud(q.moud_medication);
        out.withdrawal_management = p.withdrawal_management;
        out.network_unconfirmed = network_unconfirmed(q, p);
        out.medical_monitoring = p.medical_monitoring;
        out.dietitian = p.staff.license_mask() & crate::License::Dietitian.bit() != 0;
        out.aftercare = Aftercare::mask_of(&p.aftercare);
        out.miles = eligibility.miles.or_else(|| miles(q, p));
        out.accepting = p.accepting_or_not_listed();
        out.not_listed = p.not_listed_mask();
        out.wait_days = p.typical_wait_days;
        out.days_since_verified = q.options.as_of().days_since(p.last_verified);
    }
}

/// Straight-line miles from the patient to `p`, when both places are known
/// (a program's location may be not listed).
fn miles(q: &Query, p: &Program) -> Option<f64> {
    let at = q.needs.location?;
    p.is_listed(NotListed::Location)
        .then(|| at.miles_to(p.location.point()))
}

/// Whether `p` lists one of `payers`.
fn lists_any(p: &Program, payers: &[crate::Payer]) -> bool {
    payers.iter().any(|x| p.payers.contains(x))
}

/// Whether `p`'s network is unconfirmed for the patient: its payers are
/// listed, none accepts the patient's payer ([`crate::Payer::accepted_under`])
/// and one leaves it unconfirmed ([`crate::Payer::unconfirmed_under`]).
fn network_unconfirmed(q: &Query, p: &Program) -> bool {
    let payer = &q.needs.payer;
    p.is_listed(NotListed::Payers)
        && !lists_any(p, &payer.accepted_under())
        && lists_any(p, &payer.unconfirmed_under())
}

/// The facts of `p`'s tracks at `level`.
fn track_summary(q: &Query, p: &Program, level: LevelOfCare) -> TrackSummary {
    let hours = q.hours_needed(level);
    let mut tracks = 0u32;
    let mut fitting = 0u32;
    let facts = p.tracks_at(level).map(|t| {
        let m: WeekMask = t.mask();
        let f = TrackFacts {
            slots: m.count(),
            free_slots: m.overlap(&q.avail),
            minutes: t.minutes_per_week(),
        };
        tracks += 1;
        fitting += u32::from(f.fits_completely());
        f
    });
    let best = best_track(hours, facts);
    TrackSummary {
        best,
        tracks,
        fitting,
        evening_or_weekend: p.tracks_at(level).any(|t| t.is_evening_or_weekend()),
    }
}

/// What telehealth counts for: see [`crate::matching::facts::CriterionFacts`].
struct Telehealth {
    /// Telehealth or hybrid offered and accepted.
    some: bool,
    /// Fully remote delivery offered and accepted.
    remote_offered: bool,
    /// Licensed in the patient's state, or the patient's state not given.
    licensed: bool,
}

fn telehealth(q: &Query, p: &Program) -> Telehealth {
    let accepts = q.needs.delivery.accepts_telehealth();
    Telehealth {
        some: accepts && p.delivery.iter().any(|d| d.has_telehealth()),
        remote_offered: accepts && p.delivery.contains(&Delivery::Telehealth),
        licensed: q
            .patient_state
            .is_none_or(|bit| p.licensed_state_bits() & bit != 0),
    }
}
