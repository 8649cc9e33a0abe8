//! Schedules: patient availability from busy blocks, merging of free windows,
//! the quarter-hour rounding of `WeekMask` (outward for program sessions,
//! inward for free time), and weekly hours of tracks. A failure means
//! schedule fit would be judged wrongly: a patient shown as free when at
//! work, or an IOP's hours miscounted.

mod common;

use carematch::{
    Availability, LevelOfCare, PartOfDay, Session, TimeWindow, Track, WeekMask, Weekday,
};
use common::*;
use proptest::collection::vec;
use proptest::prelude::*;

/// A session on `day` from `start` to `end`, as `(hour, minute)`.
fn session(day: Weekday, start: (u8, u8), end: (u8, u8)) -> Session {
    Session::new(day, TimeWindow::hm(start, end).expect("a window"))
}

/// A session whose window may be reversed or empty (as JSON can give).
fn raw_session(day: Weekday, start: (u8, u8), end: (u8, u8)) -> Session {
    let t = |(h, m)| carematch::TimeOfDay::hm(h, m).expect("a time");
    Session::new(
        day,
        TimeWindow {
            start: t(start),
            end: t(end),
        },
    )
}

/// The slots of `mask`, as week quarter-hour numbers (Monday 00:00 is 0).
fn slots(mask: &WeekMask) -> Vec<usize> {
    (0..WeekMask::SLOTS).filter(|i| mask.contains(*i)).collect()
}

/// Slot number of `day` at `h:m` (which must be on a quarter-hour).
fn slot(day: Weekday, h: usize, m: usize) -> usize {
    let day = Weekday::ALL
        .iter()
        .position(|d| *d == day)
        .expect("a weekday");
    day * 96 + h * 4 + m / 15
}

#[test]
fn working_hours_leave_evenings_and_weekends_free() {
    let works = Availability::from_busy(
        Weekday::WORKDAYS,
        TimeWindow::hm((9, 0), (17, 0)).expect("a window"),
    );
    let mut expected = Vec::new();
    for day in Weekday::WORKDAYS {
        expected.push(session(day, (0, 0), (9, 0)));
        expected.push(session(day, (17, 0), (24, 0)));
    }
    expected.push(session(Weekday::Sat, (0, 0), (24, 0)));
    expected.push(session(Weekday::Sun, (0, 0), (24, 0)));
    assert_eq!(works.free(), expected.as_slice());
    assert_eq!(
        works.to_string(),
        "free: Mon, Tue, Wed, Thu, Fri 00:00-09:00; Sat, Sun 00:00-24:00; Mon, Tue, Wed, Thu, Fri 17:00-24:00"
    );

    let free = |day, start, end| works.is_free(day, TimeWindow::hm(start, end).expect("a window"));
    assert!(free(Weekday::Mon, (17, 30), (20, 30)), "a weekday evening");
    assert!(free(Weekday::Fri, (17, 0), (20, 0)), "from the end of work");
    assert!(
        free(Weekday::Wed, (7, 0), (9, 0)),
        "up to the start of work"
    );
    assert!(free(Weekday::Sat, (9, 0), (12, 0)), "a Saturday morning");
    assert!(free(Weekday::Sun, (0, 0), (24, 0)), "all Sunday");
    assert!(!free(Weekday::Mon, (9, 0), (12, 0)), "a weekday morning");
    assert!(
        !free(Weekday::Thu, (16, 30), (17, 30)),
        "across the end of work"
    );
    assert!(
        !free(Weekday::Tue, (8, 45), (9, 15)),
        "across the start of work"
    );

    // 5 days x 8 h x 4 quarter-hours are taken.
    assert_eq!(works.mask().count(), 672 - 5 * 32);
    assert_eq!(Availability::anytime().mask().count(), 672);
}

#[test]
fn free_windows_are_sorted_and_merged() {
    use Weekday::*;
    let a = Availability::from_free([
        session(Tue, (13, 0), (14, 0)),
        session(Mon, (11, 0), (14, 0)),
        session(Mon, (9, 0), (12, 0)),  // overlaps the one above
        session(Tue, (9, 0), (12, 0)),  // ends where 12:00-13:00 starts
        session(Tue, (12, 0), (13, 0)), // ... which ends where 13:00 starts
        session(Wed, (9, 0), (17, 0)),
        session(Wed, (10, 0), (11, 0)), // inside the one above
        session(Thu, (20, 0), (24, 0)), // a day's end is not the next day's start
        session(Fri, (0, 0), (2, 0)),
        raw_session(Sat, (12, 0), (9, 0)), // reversed: empty
        raw_session(Sun, (9, 0), (9, 0)),  // zero length: empty
    ]);
    assert_eq!(
        a.free(),
        [
            session(Mon, (9, 0), (14, 0)),
            session(Tue, (9, 0), (14, 0)),
            session(Wed, (9, 0), (17, 0)),
            session(Thu, (20, 0), (24, 0)),
            session(Fri, (0, 0), (2, 0)),
        ]
        .as_slice()
    );
    assert_eq!(Availability::from_free([]).to_string(), "never free");
}

#[test]
fn busy_blocks_are_merged_before_the_complement() {
    use Weekday::*;
    let a = Availability::from_busy_sessions(&[
        session(Mon, (10, 0), (12, 0)),
        session(Mon, (9, 0), (11, 0)),
        session(Mon, (12, 0), (13, 0)),
        session(Mon, (15, 0), (24, 0)),
        session(Tue, (0, 0), (24, 0)),
        raw_session(Wed, (17, 0), (9, 0)), // reversed: not busy at all
    ]);
    let mut expected = vec![session(Mon, (0, 0), (9, 0)), session(Mon, (13, 0), (15, 0))];
    for day in [Wed, Thu, Fri, Sat, Sun] {
        expected.push(session(day, (0, 0), (24, 0)));
    }
    assert_eq!(a.free(), expected.as_slice());
    assert_eq!(
        Availability::from_busy_sessions(&[]),
        Availability::anytime()
    );
    assert_eq!(Availability::default(), Availability::anytime());
}

#[test]
fn touching_rounds_out_and_within_rounds_in() {
    use Weekday::*;
    // (session, slots touched, slots within)
    let cases: [(Session, Vec<usize>, Vec<usize>); 7] = [
        (
            session(Mon, (9, 0), (9, 15)),
            vec![slot(Mon, 9, 0)],
            vec![slot(Mon, 9, 0)],
        ),
        (session(Mon, (9, 5), (9, 10)), vec![slot(Mon, 9, 0)], vec![]),
        (
            session(Mon, (9, 5), (9, 40)),
            vec![slot(Mon, 9, 0), slot(Mon, 9, 15), slot(Mon, 9, 30)],
            vec![slot(Mon, 9, 15)],
        ),
        (session(Tue, (0, 0), (0, 15)), vec![96], vec![96]),
        (session(Sun, (23, 50), (24, 0)), vec![671], vec![]),
        (session(Sun, (23, 45), (24, 0)), vec![671], vec![671]),
        (raw_session(Wed, (12, 0), (9, 0)), vec![], vec![]),
    ];
    for (s, touched, within) in cases {
        assert_eq!(slots(&WeekMask::touching(&[s])), touched, "touching {s}");
        assert_eq!(slots(&WeekMask::within(&[s])), within, "within {s}");
    }

    let evening = [session(Mon, (17, 40), (20, 30))];
    assert_eq!(WeekMask::touching(&evening).count(), 12, "17:30-20:30");
    assert_eq!(WeekMask::within(&evening).count(), 11, "17:45-20:30");
    let whole_week: Vec<Session> = Weekday::ALL
        .iter()
        .map(|d| session(*d, (0, 0), (24, 0)))
        .collect();
    assert_eq!(WeekMask::touching(&whole_week).count(), 672);
    assert_eq!(WeekMask::within(&whole_week).count(), 672);
    assert_eq!(WeekMask::touching(&[]), WeekMask::EMPTY);
}

#[test]
fn hours_per_week_of_tracks() {
    use Weekday::*;
    let w = |start, end| TimeWindow::hm(start, end).expect("a window");
    let iop = LevelOfCare::IntensiveOutpatient;
    let t = Track::new("evening", iop).with_sessions([Mon, Wed, Thu], w((17, 30), (20, 30)));
    assert_eq!(t.hours_per_week(), 9.0);
    assert_eq!(t.minutes_per_week(), 540);
    let odd = Track::new("odd", iop).with_sessions([Mon, Wed, Thu], w((17, 40), (20, 30)));
    assert_eq!(odd.minutes_per_week(), 3 * 170);
    assert_eq!(odd.hours_per_week(), 8.5);
    let mut reversed = t.clone();
    reversed.sessions.push(raw_session(Fri, (20, 0), (18, 0)));
    assert_eq!(reversed.hours_per_week(), 9.0, "a reversed window counts 0");
    assert_eq!(Track::new("empty", iop).hours_per_week(), 0.0);
    let day = Track::new("day", LevelOfCare::PartialHospitalization)
        .with_sessions(Weekday::WORKDAYS, w((9, 0), (15, 0)));
    assert_eq!(day.hours_per_week(), 30.0);
    assert_eq!(day.mask().count(), 5 * 24);
    assert!(!day.has_weekend());
    assert_eq!(
        day.to_string(),
        "day (partial hospitalization): Mon, Tue, Wed, Thu, Fri 09:00-15:00"
    );
}

#[test]
fn parts_of_the_day_at_their_edges() {
    let iop = LevelOfCare::IntensiveOutpatient;
    let starting = |h, m| {
        Track::new("t", iop).with_sessions(
            [Weekday::Sat],
            TimeWindow::hm((h, m), (23, 0)).expect("a window"),
        )
    };
    for ((h, m), part) in [
        ((0, 0), PartOfDay::Morning),
        ((11, 59), PartOfDay::Morning),
        ((12, 0), PartOfDay::Afternoon),
        ((15, 59), PartOfDay::Afternoon),
        ((16, 0), PartOfDay::Evening),
        ((22, 0), PartOfDay::Evening),
    ] {
        let t = starting(h, m);
        assert_eq!(t.parts_of_day(), vec![part], "{t}");
        assert!(t.has_weekend());
    }
}

proptest! {
    #![proptest_config(config(256, "schedule"))]

    /// Rounding inward never gives more than rounding outward.
    #[test]
    fn within_is_a_subset_of_touching(free in vec(arb_session(), 0..10)) {
        let within = WeekMask::within(&free);
        let touching = WeekMask::touching(&free);
        prop_assert_eq!(within.and(&touching), within, "a slot within a window is not touched by it");
        prop_assert_eq!(within.overlap(&touching), within.count());
    }

    /// With busy blocks on quarter-hours, the free time is exactly the rest of the week.
    #[test]
    fn from_busy_is_the_complement_on_quarter_hours(
        busy in vec((arb_weekday(), (0u16..96).prop_flat_map(|s| (Just(s), s + 1..=96))), 0..10)
    ) {
        let busy: Vec<Session> = busy
            .into_iter()
            .map(|(d, (s, e))| Session::new(d, window(s * 15, e * 15)))
            .collect();
        let busy_mask = WeekMask::touching(&busy);
        prop_assert_eq!(busy_mask, WeekMask::within(&busy), "aligned windows round neither way");
        let free = Availability::from_busy_sessions(&busy).mask();
        prop_assert_eq!(free.overlap(&busy_mask), 0, "free while busy");
        prop_assert_eq!(free.count() + busy_mask.count(), 672, "a quarter-hour is neither free nor busy");
    }

    /// With any busy blocks, no free quarter-hour touches a busy one, and no
    /// busy block is free.
    #[test]
    fn from_busy_never_frees_busy_time(busy in vec(arb_session(), 0..8)) {
        let a = Availability::from_busy_sessions(&busy);
        prop_assert_eq!(a.mask().overlap(&WeekMask::touching(&busy)), 0);
        for s in &busy {
            prop_assert!(!a.is_free(s.day, s.window), "busy {} shown free in {}", s, a);
        }
    }

    /// Free windows come out sorted, apart (not touching), each input inside one.
    #[test]
    fn from_free_sorts_and_merges(free in vec(arb_session(), 0..10)) {
        let a = Availability::from_free(free.clone());
        for pair in a.free().windows(2) {
            prop_assert!(
                pair[0].day < pair[1].day || pair[0].window.end < pair[1].window.start,
                "{} and {} should be one window", pair[0], pair[1]
            );
        }
        for s in &free {
            prop_assert!(a.is_free(s.day, s.window), "{} is not free in {}", s, a);
        }
        prop_assert_eq!(WeekMask::touching(a.free()), WeekMask::touching(&free));
        let within = WeekMask::within(&free);
        prop_assert_eq!(a.mask().and(&within), within, "merging loses a free quarter-hour");
    }

    /// Hours a week are the sessions' minutes over 60, and a track's mask
    /// covers at least its minutes.
    #[test]
    fn track_hours_add_up(t in arb_track()) {
        let minutes: u32 = t.sessions.iter().map(|s| u32::from(s.window.minutes())).sum();
        prop_assert_eq!(t.minutes_per_week(), minutes);
        prop_assert_eq!(t.hours_per_week(), f64::from(minutes) / 60.0);
        prop_assert!(t.mask().count() * 15 >= minutes, "{}", t);
    }
}

/// The display as it was first written: for each distinct window in order,
/// the distinct days that have it, in order. Quadratic; the crate's display
/// sorts once and must say the same.
fn display_by_window(track: &Track) -> String {
    let mut out = format!("{} ({})", track.name, track.level);
    let mut windows: Vec<TimeWindow> = track.sessions.iter().map(|s| s.window).collect();
    windows.sort();
    windows.dedup();
    for (i, w) in windows.iter().enumerate() {
        out.push_str(if i == 0 { ": " } else { "; " });
        let mut days: Vec<Weekday> = track
            .sessions
            .iter()
            .filter(|s| s.window == *w)
            .map(|s| s.day)
            .collect();
        days.sort();
        days.dedup();
        let days: Vec<&str> = days.iter().map(|d| d.short()).collect();
        out.push_str(&format!("{} {w}", days.join(", ")));
    }
    out
}

proptest! {
    #![proptest_config(config(256, "schedule_display"))]

    /// Any sessions, overlapping or repeated, display grouped by window.
    #[test]
    fn a_track_displays_its_days_grouped_by_window(sessions in vec(arb_session(), 0..40)) {
        let mut track = Track::new("any", LevelOfCare::IntensiveOutpatient);
        track.sessions = sessions;
        prop_assert_eq!(track.to_string(), display_by_window(&track));
    }
}
