//! Schedule flexibility: how well the best track at the level fits the
//! patient's free time and whether its weekly hours suit the level, how many
//! tracks fit completely, an evening or weekend track, and a telehealth
//! option. Not scored when the program's source lists no tracks.

use crate::matching::facts::{BEST_TRACK_PARTS, CriterionFacts};
use crate::matching::query::Query;
use crate::matching::words::Reason;
use crate::program::{NotListed, Program};

/// Schedule parts: the best track's fit and its hours (the two parts the
/// best track is chosen by, [`BEST_TRACK_PARTS`]), tracks fitting,
/// evening/weekend, telehealth.
const PARTS: [f64; 5] = [BEST_TRACK_PARTS.0, BEST_TRACK_PARTS.1, 0.10, 0.10, 0.10];

/// The best track's value plus the program-wide options; `None` when tracks are not listed.
pub(super) fn score(q: &Query, f: &CriterionFacts) -> Option<f64> {
    if f.not_listed & NotListed::Tracks.bit() != 0 {
        return None;
    }
    let hours = q.hours_needed(f.level.unwrap_or(q.level));
    Some(
        f.tracks.best.map_or(0.0, |(_, b)| b.value(hours))
            + PARTS[2] * f64::from(f.tracks.fitting.min(2)) / 2.0
            + PARTS[3] * f64::from(u8::from(f.tracks.evening_or_weekend))
            + PARTS[4] * f64::from(u8::from(f.telehealth_option)),
    )
}

/// The most [`score`] can be for a program whose tracks at the level are
/// not read (every track part at its most), with the same applicability:
/// what the ranking bounds a program by before deciding to score it.
pub(super) fn most(_q: &Query, f: &CriterionFacts) -> Option<f64> {
    if f.not_listed & NotListed::Tracks.bit() != 0 {
        return None;
    }
    // Summed in `score`'s order, so each part is at least its counterpart there.
    Some(
        PARTS[0]
            + PARTS[1]
            + PARTS[2]
            + PARTS[3]
            + PARTS[4] * f64::from(u8::from(f.telehealth_option)),
    )
}

/// The reasons: the best track (its name and sessions from `p`) and its
/// hours against the level's, or that there is no track at the level; then
/// the tracks fitting, evening or weekend, telehealth (and telehealth not
/// licensed where the patient is). Tracks not listed: that alone.
pub(super) fn reasons(q: &Query, f: &CriterionFacts, p: &Program) -> Vec<Reason> {
    let mut r = Vec::new();
    if f.not_listed & NotListed::Tracks.bit() != 0 {
        r.push(Reason::NotListed {
            part: NotListed::Tracks,
        });
        return r;
    }
    let level = f.level.unwrap_or(q.level);
    let best = f
        .tracks
        .best
        .and_then(|(i, t)| p.tracks_at(level).nth(i as usize).map(|track| (track, t)));
    match best {
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
    r
}
