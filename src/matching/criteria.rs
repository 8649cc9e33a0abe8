//! The criteria: one scorer each.
//!
//! Every score is a function of a few integer counts (facts). The plain path
//! (this file's `*_facts` functions, reading [`Program`] directly) and the
//! compiled index ([`crate::Directory`], reading bitmasks) derive the same
//! facts by different means and then call the same formula, so their scores
//! agree to the bit.
//!
//! Sub-weights inside a criterion are scoring parameters, documented here and
//! on [`crate::Criterion`]; clinical thresholds (IOP hours, evidence rows) come
//! from data.

use crate::matching::evidence::Therapy;
use crate::matching::explain::{FreshnessBand, Reason};
use crate::matching::query::{CheckSet, CheckSpec, Query};
use crate::{Aftercare, Criterion, Delivery, Modality, Program, Session, Track, WeekMask, Weights};

/// Therapy fit parts: needed modalities, evidence-based therapies, specialisation.
pub(crate) const THERAPY_PARTS: (f64, f64, f64) = (0.3, 0.5, 0.2);
/// Schedule parts: best track's fit, its hours, tracks fitting, evening/weekend, telehealth.
pub(crate) const SCHEDULE_PARTS: [f64; 5] = [0.55, 0.15, 0.10, 0.10, 0.10];
/// Miles at which the distance score halves.
pub(crate) const DISTANCE_HALF_MILES: f64 = 15.0;
/// Days of wait at which the wait score is one half.
pub(crate) const WAIT_HALF_DAYS: f64 = 14.0;
/// Freshness score per band: recent, 6-12 months, over a year.
pub(crate) const FRESHNESS_SCORES: [f64; 3] = [1.0, 0.6, 0.25];

// ---------------------------------------------------------------- formulas

/// Therapy fit from: modalities offered of those needed, per condition the
/// evidence-based therapies offered (`matched(i)`), and the program's
/// specialty cover bits.
pub(crate) fn therapy_score(
    q: &Query,
    modalities_have: u32,
    matched: impl Fn(usize) -> u32,
    specialty_cover: u64,
) -> f64 {
    let (wm, we, ws) = THERAPY_PARTS;
    let need = q.needed_modalities.count_ones();
    let mut num = wm * f64::from(modalities_have) / f64::from(need);
    let mut den = wm;
    let (mut ev_num, mut ev_den) = (0.0, 0.0);
    let (mut sp_num, mut sp_den) = (0.0, 0.0);
    for (i, c) in q.conditions.iter().enumerate() {
        let w = f64::from(c.weight);
        let total = c.approach_mask.count_ones() + c.modality_mask.count_ones();
        if total > 0 {
            ev_num += w * f64::from(matched(i)) / f64::from(total);
            ev_den += w;
        }
        if specialty_cover & c.condition.bit() != 0 {
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
    num / den
}

/// Credentials: the weighted share of checks met.
pub(crate) fn credentials_score(q: &Query, met: impl Fn(&CheckSpec) -> bool) -> f64 {
    let (mut num, mut den) = (0u32, 0u32);
    for c in &q.checks {
        den += c.weight;
        if met(c) {
            num += c.weight;
        }
    }
    if den == 0 {
        1.0
    } else {
        f64::from(num) / f64::from(den)
    }
}

/// The weekly hours a level needs for the patient (`None`: no standard).
pub(crate) type Hours = Option<(f64, f64)>;

/// One track's facts: quarter-hours it occupies, those inside free time, scheduled minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TrackFacts {
    pub slots: u32,
    pub free_slots: u32,
    pub minutes: u32,
}

impl TrackFacts {
    fn fit(&self) -> f64 {
        if self.slots == 0 {
            0.0
        } else {
            f64::from(self.free_slots) / f64::from(self.slots)
        }
    }

    pub(crate) fn fits_completely(&self) -> bool {
        self.slots > 0 && self.free_slots == self.slots
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
    pub(crate) fn value(&self, hours: Hours) -> f64 {
        SCHEDULE_PARTS[0] * self.fit()
            + SCHEDULE_PARTS[1] * f64::from(u8::from(self.hours_ok(hours)))
    }
}

/// Picks the best track: highest value, then the earliest listed.
pub(crate) fn best_track(
    hours: Hours,
    facts: impl Iterator<Item = TrackFacts>,
) -> Option<(usize, TrackFacts)> {
    let mut best: Option<(usize, TrackFacts, f64)> = None;
    for (i, t) in facts.enumerate() {
        let v = t.value(hours);
        if best.as_ref().is_none_or(|b| v > b.2) {
            best = Some((i, t, v));
        }
    }
    best.map(|(i, t, _)| (i, t))
}

/// Schedule flexibility from the best track and program-wide options.
pub(crate) fn schedule_score(
    hours: Hours,
    best: Option<TrackFacts>,
    fitting: u32,
    evening_or_weekend: bool,
    telehealth: bool,
) -> f64 {
    let p = SCHEDULE_PARTS;
    best.map_or(0.0, |b| b.value(hours))
        + p[2] * f64::from(fitting.min(2)) / 2.0
        + p[3] * f64::from(u8::from(evening_or_weekend))
        + p[4] * f64::from(u8::from(telehealth))
}

/// Aftercare: the weighted share of services offered.
pub(crate) fn aftercare_score(q: &Query, offered: u64) -> f64 {
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
pub(crate) fn distance_score(miles: Option<f64>, telehealth_ok: bool) -> Option<f64> {
    if telehealth_ok {
        return Some(1.0);
    }
    miles.map(|m| 0.5f64.powf(m / DISTANCE_HALF_MILES))
}

/// Wait: 0 when not accepting; otherwise `1 / (1 + days / WAIT_HALF_DAYS)`
/// (one half at 14 days, one third at 28); not applicable when unknown.
pub(crate) fn wait_score(accepting: bool, days: Option<u16>) -> Option<f64> {
    if !accepting {
        return Some(0.0);
    }
    days.map(|d| 1.0 / (1.0 + f64::from(d) / WAIT_HALF_DAYS))
}

/// Freshness by band. A listing verified after `as_of` (possible when the
/// ranking's `as_of` is earlier than the directory's) counts as verified that day.
pub(crate) fn freshness_score(days_ago: i32) -> f64 {
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

// ------------------------------------------------- the plain, readable path

/// The program's tracks at `level`.
pub(crate) fn tracks_at(p: &Program, level: crate::LevelOfCare) -> impl Iterator<Item = &Track> {
    p.tracks.iter().filter(move |t| t.level == level)
}

pub(crate) fn track_facts(q: &Query, t: &Track) -> TrackFacts {
    let m: WeekMask = t.mask();
    TrackFacts {
        slots: m.count(),
        free_slots: m.overlap(&q.avail),
        minutes: t.minutes_per_week(),
    }
}

pub(crate) fn is_evening_or_weekend(sessions: &[Session]) -> bool {
    sessions
        .iter()
        .any(|s| s.day.is_weekend() || s.window.start.minutes() >= 16 * 60)
}

pub(crate) fn offers_telehealth_accepted(q: &Query, p: &Program) -> bool {
    q.needs.delivery.accepts_telehealth()
        && p.delivery
            .iter()
            .any(|d| matches!(d, Delivery::Telehealth | Delivery::Hybrid))
}

/// Distance is waived only for fully remote delivery the patient accepts.
pub(crate) fn remote_ok(q: &Query, p: &Program) -> bool {
    q.needs.delivery.accepts_telehealth() && p.delivery.contains(&Delivery::Telehealth)
}

pub(crate) fn miles(q: &Query, p: &Program) -> Option<f64> {
    q.needs.location.map(|l| l.miles_to(p.location.point()))
}

fn specialty_cover(p: &Program) -> u64 {
    p.specialties.iter().fold(0, |m, c| m | c.covered_mask())
}

fn check_met(p: &Program, c: &CheckSpec) -> bool {
    match c.set {
        CheckSet::Licences => p
            .staff
            .licences
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

/// All seven scores for `p` at `level`, the plain way.
pub(crate) fn plain_scores(q: &Query, p: &Program, level: crate::LevelOfCare) -> [Option<f64>; 7] {
    let modalities_have = Modality::ALL
        .iter()
        .filter(|m| q.needed_modalities & m.bit() != 0 && p.modalities.contains(m))
        .count() as u32;
    let therapy = therapy_score(
        q,
        modalities_have,
        |i| {
            q.conditions[i]
                .therapies
                .iter()
                .flatten()
                .filter(|t| match t {
                    Therapy::Approach(a) => p.approaches.contains(a),
                    Therapy::Modality(m) => p.modalities.contains(m),
                })
                .count() as u32
        },
        specialty_cover(p),
    );
    let credentials = credentials_score(q, |c| check_met(p, c));
    let facts: Vec<TrackFacts> = tracks_at(p, level).map(|t| track_facts(q, t)).collect();
    let hours = q.hours_needed(level);
    let best = best_track(hours, facts.iter().copied()).map(|(_, f)| f);
    let fitting = facts.iter().filter(|f| f.fits_completely()).count() as u32;
    let evening = tracks_at(p, level).any(|t| is_evening_or_weekend(&t.sessions));
    let schedule = schedule_score(
        hours,
        best,
        fitting,
        evening,
        offers_telehealth_accepted(q, p),
    );
    let aftercare = aftercare_score(q, Aftercare::mask_of(&p.aftercare));
    let distance = distance_score(miles(q, p), remote_ok(q, p));
    let wait = wait_score(p.accepting_new_patients, p.typical_wait_days);
    let fresh = freshness_score(q.options.as_of().days_since(p.last_verified));
    [
        Some(therapy),
        Some(credentials),
        Some(schedule),
        Some(aftercare),
        distance,
        wait,
        Some(fresh),
    ]
}

// ----------------------------------------------------------------- reasons

/// The reasons for each criterion of `p` at `level` (built for winners only).
pub(crate) fn reasons(q: &Query, p: &Program, level: crate::LevelOfCare) -> [Vec<Reason>; 7] {
    let mut out: [Vec<Reason>; 7] = Default::default();

    // Therapy fit.
    let r = &mut out[Criterion::TherapyFit.index()];
    let (offered, missing): (Vec<Modality>, Vec<Modality>) = Modality::ALL
        .iter()
        .filter(|m| q.needed_modalities & m.bit() != 0)
        .partition(|m| p.modalities.contains(m));
    let mut evidence = Vec::new();
    for c in &q.conditions {
        match &c.therapies {
            Some(ts) => {
                let (o, m): (Vec<Therapy>, Vec<Therapy>) = ts.iter().partition(|t| match t {
                    Therapy::Approach(a) => p.approaches.contains(a),
                    Therapy::Modality(m) => p.modalities.contains(m),
                });
                evidence.push(Reason::Evidence {
                    condition: c.condition,
                    primary: c.primary,
                    offered: o,
                    missing: m,
                    source: c.source.clone(),
                });
            }
            None => evidence.push(Reason::NoEvidenceRow {
                condition: c.condition,
            }),
        }
    }
    r.extend(evidence);
    r.push(Reason::Modalities { offered, missing });
    let cover = specialty_cover(p);
    for c in &q.conditions {
        r.push(Reason::Specialty {
            condition: c.condition,
            specializes: cover & c.condition.bit() != 0,
        });
    }

    // Credentials: unmet needs first, they are what a clinician must weigh.
    let r = &mut out[Criterion::Credentials.index()];
    let mut creds: Vec<Reason> = q
        .checks
        .iter()
        .map(|c| Reason::Credential {
            check: c.check.clone(),
            met: check_met(p, c),
        })
        .collect();
    creds.sort_by_key(|r| matches!(r, Reason::Credential { met: true, .. }));
    r.extend(creds);

    // Schedule.
    let r = &mut out[Criterion::ScheduleFlexibility.index()];
    let tracks: Vec<&Track> = tracks_at(p, level).collect();
    let facts: Vec<TrackFacts> = tracks.iter().map(|t| track_facts(q, t)).collect();
    let hours = q.hours_needed(level);
    match best_track(hours, facts.iter().copied()) {
        Some((i, f)) => {
            r.push(Reason::BestTrack {
                track: tracks[i].name.clone(),
                sessions: tracks[i].sessions.clone(),
                free_quarter_hours: f.free_slots,
                quarter_hours: f.slots,
            });
            if let Some((min, max)) = hours {
                r.push(Reason::TrackHours {
                    track: tracks[i].name.clone(),
                    hours: f64::from(f.minutes) / 60.0,
                    min,
                    max,
                });
            }
        }
        None => r.push(Reason::NoTrackAtLevel { level }),
    }
    r.push(Reason::TracksFitting {
        fitting: facts.iter().filter(|f| f.fits_completely()).count() as u32,
        tracks: facts.len() as u32,
    });
    r.push(Reason::EveningOrWeekend {
        available: tracks.iter().any(|t| is_evening_or_weekend(&t.sessions)),
    });
    r.push(Reason::TelehealthOption {
        available: offers_telehealth_accepted(q, p),
    });

    // Aftercare.
    let (offered, missing): (Vec<Aftercare>, Vec<Aftercare>) =
        Aftercare::ALL.iter().partition(|a| p.aftercare.contains(a));
    let emphasised = Aftercare::ALL
        .iter()
        .copied()
        .filter(|a| q.aftercare_weights[a.index()] > 1)
        .collect();
    out[Criterion::Aftercare.index()].push(Reason::AftercareServices {
        offered,
        missing,
        emphasised,
    });

    // Distance.
    let d = miles(q, p);
    out[Criterion::Distance.index()].push(if remote_ok(q, p) {
        Reason::TelehealthNoTravel { miles: d }
    } else {
        match d {
            Some(miles) => Reason::Distance { miles },
            None => Reason::DistanceUnknown,
        }
    });

    // Wait.
    out[Criterion::Wait.index()].push(match (p.accepting_new_patients, p.typical_wait_days) {
        (false, _) => Reason::NotAcceptingNewPatients,
        (true, Some(days)) => Reason::WaitDays { days },
        (true, None) => Reason::WaitUnknown,
    });

    // Freshness.
    let days_ago = q.options.as_of().days_since(p.last_verified).max(0);
    out[Criterion::Freshness.index()].push(Reason::Verified {
        date: p.last_verified,
        days_ago,
        band: FreshnessBand::of_days(days_ago),
    });
    out
}
