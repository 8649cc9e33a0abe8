//! The criteria: one scorer each, every score a pure function of the
//! [`CriterionFacts`] (and the weights for the total).
//!
//! The plain path and the compiled index produce the same facts by different
//! means ([`crate::matching::facts`]); the scores here and the words in
//! [`crate::matching::explain`] read nothing else, so a reason can never say
//! what the score did not use.
//!
//! Sub-weights inside a criterion are scoring parameters, documented here and
//! on [`crate::matching::Criterion`]; clinical thresholds (IOP hours, evidence rows) come
//! from data.

use crate::matching::facts::{CriterionFacts, TrackFacts};
use crate::matching::query::{ConditionNeed, Query};
use crate::matching::words::FreshnessBand;
use crate::{
    matching::{Criterion, Weights},
    program::{Aftercare, NotListed},
};

/// Therapy fit parts: needed modalities, evidence-based therapies,
/// specialization (credited only with an evidence-based therapy for the
/// condition), and serving the patient's populations (only for a patient
/// who belongs to one).
pub(crate) const THERAPY_PARTS: (f64, f64, f64, f64) = (0.3, 0.5, 0.2, 0.1);
/// Schedule parts: best track's fit, its hours, tracks fitting, evening/weekend, telehealth.
pub(crate) const SCHEDULE_PARTS: [f64; 5] = [0.55, 0.15, 0.10, 0.10, 0.10];
/// Miles at which the distance score halves.
pub(crate) const DISTANCE_HALF_MILES: f64 = 15.0;
/// Days of wait at which the wait score is one half.
pub(crate) const WAIT_HALF_DAYS: f64 = 14.0;
/// Freshness score per band: recent, 6-12 months, over a year.
pub(crate) const FRESHNESS_SCORES: [f64; 3] = [1.0, 0.6, 0.25];

// ---------------------------------------------------------------- formulas

/// All seven scores, a pure function of the facts (`None`: not applicable).
pub(crate) fn scores(q: &Query, f: &CriterionFacts) -> [Option<f64>; 7] {
    let level = f.level.unwrap_or(q.level);
    let mut s = [None; 7];
    s[Criterion::TherapyFit.index()] = Some(therapy_score(q, f));
    s[Criterion::Credentials.index()] = credentials_score(q, f.checks_met, f.not_listed);
    // A part not listed is not scored.
    s[Criterion::ScheduleFlexibility.index()] = (f.not_listed & NotListed::Tracks.bit() == 0)
        .then(|| schedule_score(q.hours_needed(level), f));
    s[Criterion::Aftercare.index()] =
        (f.not_listed & NotListed::Aftercare.bit() == 0).then(|| aftercare_score(q, f.aftercare));
    s[Criterion::Distance.index()] = distance_score(f.miles, f.remote);
    s[Criterion::Wait.index()] = wait_score(f.accepting, f.wait_days);
    s[Criterion::Freshness.index()] = Some(freshness_score(f.days_since_verified));
    s
}

/// Therapy fit from: modalities offered of those needed, per condition the
/// share of its evidence row offered, and specialty cover.
fn therapy_score(q: &Query, f: &CriterionFacts) -> f64 {
    let (wm, we, ws, wp) = THERAPY_PARTS;
    let credited = f.specialty_credited(q);
    let need = q.needed_modalities.count_ones();
    let mut num = wm * f64::from(f.modalities.count_ones()) / f64::from(need);
    let mut den = wm;
    let (mut ev_num, mut ev_den) = (0.0, 0.0);
    let (mut sp_num, mut sp_den) = (0.0, 0.0);
    for (c, (approaches, modalities)) in q.conditions.iter().zip(&f.evidence) {
        let w = f64::from(c.weight);
        if let Some(credit) = condition_evidence(c, (*approaches, *modalities)) {
            ev_num += w * credit;
            ev_den += w;
        }
        if credited & c.condition.bit() != 0 {
            sp_num += w;
        }
        sp_den += w;
    }
    if ev_den > 0.0 {
        num += we * ev_num / ev_den;
        den += we;
    }
    if sp_den > 0.0 {
        num += ws * sp_num / sp_den;
        den += ws;
    }
    if q.population_bits != 0 {
        num += wp * f64::from(u8::from(f.populations != 0));
        den += wp;
    }
    num / den
}

/// A condition's evidence credit, 0 to 1: its rows' credits
/// ([`crate::matching::EvidenceRow`]: full per named therapy offered, half
/// per generic substitute for a missing one) weighted by strength (first-line
/// twice second-line); `None` without rows.
pub(crate) fn condition_evidence(c: &ConditionNeed, hits: (u64, u64)) -> Option<f64> {
    let (mut num, mut den) = (0.0, 0.0);
    for row in &c.rows {
        let w = f64::from(row.strength.weight());
        num += w * row.credit(hits);
        den += w;
    }
    (den > 0.0).then(|| num / den)
}

impl CriterionFacts {
    /// The patient's conditions whose specialty earns credit: listed as a
    /// specialty, and a therapy a first-line row names for it offered.
    pub(crate) fn specialty_credited(&self, q: &Query) -> u64 {
        q.conditions
            .iter()
            .zip(&self.evidence)
            .filter(|(c, hits)| {
                self.specialties & c.condition.bit() != 0 && c.offers_first_line(**hits)
            })
            .fold(0, |acc, (c, _)| acc | c.condition.bit())
    }
}

/// Credentials: the weighted share of checks met (bit `i` of `met` is
/// `q.checks[i]`), leaving out checks on parts not listed (staff, facility
/// credentials); not applicable when every check is on a part not listed.
fn credentials_score(q: &Query, met: u64, not_listed: u64) -> Option<f64> {
    let (mut num, mut den) = (0u32, 0u32);
    let mut skipped = false;
    for (i, c) in q.checks.iter().enumerate() {
        if not_listed & c.set.part().bit() != 0 {
            skipped = true;
            continue;
        }
        let w = c.check.weight();
        den += w;
        if met >> i & 1 == 1 {
            num += w;
        }
    }
    match (den, skipped) {
        (0, true) => None,
        (0, false) => Some(1.0),
        _ => Some(f64::from(num) / f64::from(den)),
    }
}

/// The weekly hours a level needs for the patient (`None`: no standard).
pub(crate) type Hours = Option<(f64, f64)>;

impl TrackFacts {
    /// The share of its session time inside the patient's free time.
    fn fit(&self) -> f64 {
        if self.slots == 0 {
            0.0
        } else {
            f64::from(self.free_slots) / f64::from(self.slots)
        }
    }

    fn hours_ok(&self, hours: Hours) -> bool {
        match hours {
            Some((min, max)) => {
                let h = f64::from(self.minutes) / 60.0;
                h >= min && h <= max
            }
            None => true,
        }
    }

    /// The value used to pick the best track: its fit and hours parts.
    fn value(&self, hours: Hours) -> f64 {
        SCHEDULE_PARTS[0] * self.fit()
            + SCHEDULE_PARTS[1] * f64::from(u8::from(self.hours_ok(hours)))
    }
}

/// Picks the best track: highest value, then the earliest listed. Returns
/// its position and facts.
pub(crate) fn best_track(
    hours: Hours,
    facts: impl Iterator<Item = TrackFacts>,
) -> Option<(u32, TrackFacts)> {
    let mut best: Option<(u32, TrackFacts, f64)> = None;
    for (i, t) in facts.enumerate() {
        let v = t.value(hours);
        if best.as_ref().is_none_or(|b| v > b.2) {
            best = Some((i as u32, t, v));
        }
    }
    best.map(|(i, t, _)| (i, t))
}

/// Schedule flexibility from the best track and program-wide options.
fn schedule_score(hours: Hours, f: &CriterionFacts) -> f64 {
    let p = SCHEDULE_PARTS;
    f.tracks.best.map_or(0.0, |(_, b)| b.value(hours))
        + p[2] * f64::from(f.tracks.fitting.min(2)) / 2.0
        + p[3] * f64::from(u8::from(f.tracks.evening_or_weekend))
        + p[4] * f64::from(u8::from(f.telehealth_option))
}

/// Aftercare: the weighted share of services offered.
fn aftercare_score(q: &Query, offered: u64) -> f64 {
    let (mut num, mut den) = (0u32, 0u32);
    for a in Aftercare::ALL {
        let w = q.aftercare_weights[a.index()];
        den += w;
        if offered & a.bit() != 0 {
            num += w;
        }
    }
    f64::from(num) / f64::from(den)
}

/// Distance: 1 for accepted telehealth; otherwise halving every
/// [`DISTANCE_HALF_MILES`]; not applicable without the patient's location.
fn distance_score(miles: Option<f64>, telehealth_ok: bool) -> Option<f64> {
    if telehealth_ok {
        return Some(1.0);
    }
    miles.map(|m| 0.5f64.powf(m / DISTANCE_HALF_MILES))
}

/// Wait: 0 when not accepting; otherwise `1 / (1 + days / WAIT_HALF_DAYS)`
/// (one half at 14 days, one third at 28); not applicable when unknown.
fn wait_score(accepting: bool, days: Option<u16>) -> Option<f64> {
    if !accepting {
        return Some(0.0);
    }
    days.map(|d| 1.0 / (1.0 + f64::from(d) / WAIT_HALF_DAYS))
}

/// Freshness by band. A listing verified after `as_of` (possible when the
/// ranking's `as_of` is earlier than the directory's) counts as verified that day.
fn freshness_score(days_ago: i32) -> f64 {
    FRESHNESS_SCORES[FreshnessBand::of_days(days_ago.max(0)).index()]
}

/// The weighted mean of the applicable scores, and each one's contribution.
pub(crate) fn total(weights: &Weights, scores: &[Option<f64>; 7]) -> (f64, [f64; 7]) {
    let w = weights.as_array();
    let mut den = 0.0;
    let mut num = 0.0;
    for (s, w) in scores.iter().zip(w) {
        if let Some(s) = s {
            den += w;
            num += w * s;
        }
    }
    let mut contrib = [0.0; 7];
    if den > 0.0 {
        for (i, s) in scores.iter().enumerate() {
            if let Some(s) = s {
                contrib[i] = w[i] * s / den;
            }
        }
        (num / den, contrib)
    } else {
        (0.0, contrib)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn track(slots: u32, free_slots: u32, hours: u32) -> TrackFacts {
        TrackFacts {
            slots,
            free_slots,
            minutes: hours * 60,
        }
    }

    const IOP_ADULT: Hours = Some((9.0, 19.0));

    #[test]
    fn a_track_is_valued_by_its_fit_and_whether_its_hours_suit_the_level() {
        // Half inside free time, 12 hours a week: 0.55 x 0.5 + 0.15.
        assert_eq!(track(40, 20, 12).value(IOP_ADULT), 0.55 * 0.5 + 0.15);
        // Under the 9 hours and over the 19 hours the level needs: no hours part.
        assert_eq!(track(40, 20, 6).value(IOP_ADULT), 0.55 * 0.5);
        assert_eq!(track(40, 20, 20).value(IOP_ADULT), 0.55 * 0.5);
        // At the bounds it counts; with no standard it always counts.
        assert_eq!(track(40, 40, 9).value(IOP_ADULT), 0.55 + 0.15);
        assert_eq!(track(40, 40, 19).value(IOP_ADULT), 0.55 + 0.15);
        assert_eq!(track(40, 10, 2).value(None), 0.55 * 0.25 + 0.15);
        // A track with no session time fits nothing.
        assert_eq!(track(0, 0, 9).value(IOP_ADULT), 0.15);
    }

    #[test]
    fn the_best_track_has_the_highest_value_and_ties_go_to_the_earliest() {
        let tracks = [
            track(40, 10, 12),
            track(40, 30, 12),
            track(40, 30, 12),
            track(40, 20, 12),
        ];
        assert_eq!(
            best_track(IOP_ADULT, tracks.into_iter()).map(|b| b.0),
            Some(1)
        );
        let rising = [track(40, 10, 12), track(40, 20, 12), track(40, 40, 12)];
        assert_eq!(
            best_track(IOP_ADULT, rising.into_iter()).map(|b| b.0),
            Some(2)
        );
        assert_eq!(best_track(IOP_ADULT, std::iter::empty()), None);
    }
}
