//! Directory validation: every problem with a program, or a whole directory,
//! reported at once with its field path.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::date::Date;
use crate::diagnosis::Condition;
use crate::error::{ValidationReport, join_path};
use crate::limits::{
    MAX_ENTRIES_PER_LIST, MAX_LANGUAGES_PER_PROGRAM, MAX_PAYERS_PER_PROGRAM,
    MAX_SESSIONS_PER_TRACK, MAX_TRACKS_PER_PROGRAM, too_many,
};
use crate::program::{NotListed, Program, hours_for_level};
use crate::schedule::Track;

/// The most open slots a program may list: more than any one program
/// could take in at once, so a larger figure is a typing error.
const MAX_OPEN_SLOTS: u32 = 10_000;

impl Program {
    /// Every problem with this program alone (not duplicate ids), judged
    /// against `as_of` for verification dates. Paths are relative to the program.
    ///
    /// A program with a list over its limit (see [`crate::limits`]) gets one
    /// error per such list and nothing else: its entries are not looked at.
    ///
    /// # Example
    ///
    /// ```
    /// let mut p = carematch::sample::massachusetts()[0].clone();
    /// p.name.clear();
    /// p.ages.min = 99;
    /// p.ages.max = 18;
    /// let report = p.validate(carematch::sample::AS_OF);
    /// assert_eq!(report.errors().count(), 2);
    /// assert_eq!(report.problems[0].path, "name");
    /// ```
    pub fn validate(&self, as_of: Date) -> ValidationReport {
        let mut r = self.check_sizes();
        if r.has_errors() {
            return r;
        }
        self.check_names_and_levels(&mut r);
        for (i, t) in self.tracks.iter().enumerate() {
            self.check_track(i, t, &mut r);
        }
        self.check_offer(&mut r);
        self.check_not_listed(&mut r);
        self.check_place_and_people(&mut r);
        self.check_wait_moud_and_date(as_of, &mut r);
        r
    }

    /// The name, organization, levels and open slots.
    fn check_names_and_levels(&self, r: &mut ValidationReport) {
        if self.name.trim().is_empty() {
            r.error("name", "is empty");
        }
        if self.organization.trim().is_empty() {
            r.error("organization", "is empty");
        }
        if self.levels.is_empty() {
            r.error("levels", "lists no level of care");
        }
        if let Some(n) = self.open_slots {
            if n > MAX_OPEN_SLOTS {
                r.error(
                    "open_slots",
                    format!("{n} is more than {MAX_OPEN_SLOTS}: give the places open now"),
                );
            } else if n > 0 && !self.accepting_new_patients {
                r.warning(
                    "open_slots",
                    format!("{n} open, but the program is not accepting new patients"),
                );
            }
        }
    }

    /// Track `i`: its name, its level among the program's, its sessions,
    /// and (when its sessions are sound) its hours against the level's.
    fn check_track(&self, i: usize, t: &Track, r: &mut ValidationReport) {
        // The path is written only for a problem: most tracks have none.
        let tp = || format!("tracks[{i}]");
        if t.name.trim().is_empty() {
            r.error(join_path(&tp(), "name"), "is empty");
        }
        if !self.levels.contains(&t.level) {
            r.error(
                join_path(&tp(), "level"),
                format!("{} is not among the program's levels", t.level),
            );
        }
        if t.sessions.is_empty() {
            r.error(join_path(&tp(), "sessions"), "the track has no sessions");
        }
        let found = t.session_problems();
        let bad_window = !found.is_empty();
        for (j, message) in found {
            r.error(format!("{}.sessions[{j}]", tp()), message);
        }
        if !bad_window && !t.sessions.is_empty() {
            self.check_track_hours(i, t, r);
        }
    }

    /// A warning when track `i`'s hours a week fall outside what its level
    /// usually needs for the program's ages.
    fn check_track_hours(&self, i: usize, t: &Track, r: &mut ValidationReport) {
        let hours = t.hours_per_week();
        let Some((min, max)) = hours_for_level(t.level, self.ages) else {
            return;
        };
        if hours < min || hours > max {
            let who = if self.ages.is_minors_only() {
                "adolescents"
            } else {
                "adults"
            };
            let range = if max.is_finite() {
                format!("{min}-{max}")
            } else {
                format!("at least {min}")
            };
            r.warning(
                format!("tracks[{i}]"),
                format!(
                    "gives {hours:.1} hours a week; {} for {who} usually needs {range}",
                    t.level
                ),
            );
        }
    }

    /// What the program offers: tracks, modalities, specialties against
    /// exclusions, staff counts, payers.
    fn check_offer(&self, r: &mut ValidationReport) {
        let ambulatory = self.levels.iter().any(|l| l.is_ambulatory());
        if ambulatory && self.tracks.is_empty() && self.is_listed(NotListed::Tracks) {
            r.warning("tracks", "no tracks: schedule fit cannot be judged");
        }
        if self.modalities.is_empty() {
            r.warning("modalities", "lists no modality");
        }
        // One pass over each list: the conditions the exclusions cover, as bits.
        let excluded = self
            .excluded_conditions
            .iter()
            .fold(0u64, |m, x| m | x.covered_mask());
        for (i, c) in self.specialties.iter().enumerate() {
            if excluded & Condition::bit(*c) != 0 {
                r.error(
                    format!("specialties[{i}]"),
                    format!("{c} is also an excluded condition"),
                );
            }
        }
        for (name, n) in self.staff.licenses.iter().map(|(l, n)| (l.key(), n)) {
            if *n == 0 {
                r.warning(format!("staff.licenses.{name}"), "count is 0");
            }
        }
        if self.payers.is_empty() && self.is_listed(NotListed::Payers) {
            r.warning("payers", "accepts no payer, so no patient can be matched");
        }
    }

    /// Where it is licensed and located, and whom it takes: states, ages,
    /// languages, delivery, location.
    fn check_place_and_people(&self, r: &mut ValidationReport) {
        for (i, st) in self.licensed_states.iter().enumerate() {
            if let Some(p) = crate::region::state_problem(st) {
                r.error(format!("licensed_states[{i}]"), p);
            }
        }
        if self.licensed_states.is_empty()
            && self.delivery.iter().any(|d| d.has_telehealth())
            && let Some(p) = crate::region::state_problem(&self.location.state)
        {
            r.warning(
                "location.state",
                format!(
                    "{p}: telehealth licensure is read from it when licensed_states is empty, so this program's telehealth counts only for patients whose state is not given"
                ),
            );
        }
        if let Some(p) = self.ages.problem() {
            r.error("ages", p);
        }
        if self.languages.is_empty() {
            r.error("languages", "lists no language");
        }
        if self.delivery.is_empty() {
            r.error("delivery", "lists no delivery mode");
        }
        if let Some(p) = self.location.point().problem() {
            r.error("location", p);
        }
        if self.location.city.trim().is_empty() && self.is_listed(NotListed::Location) {
            r.error("location.city", "is empty");
        }
    }

    /// The typical wait, methadone without an Opioid Treatment Program, and
    /// a verification date after `as_of`.
    fn check_wait_moud_and_date(&self, as_of: Date, r: &mut ValidationReport) {
        if let Some(days) = self.typical_wait_days
            && days > 365
        {
            r.warning("typical_wait_days", format!("{days} days is over a year"));
        }
        if self
            .moud_medications
            .contains(&crate::MoudMedication::Methadone)
            && !self.keeps_methadone()
        {
            r.warning(
                "moud_medications",
                "lists methadone, which only an Opioid Treatment Program dispenses for opioid use disorder, but is not one and does not coordinate with one: set `opioid_treatment_program` or `coordinates_with_otp`",
            );
        }
        if self.last_verified > as_of {
            r.error(
                "last_verified",
                format!("{} is in the future (as of {as_of})", self.last_verified),
            );
        }
    }

    /// A part named in `not_listed` must be left empty: a source either
    /// lists it or does not.
    fn check_not_listed(&self, r: &mut ValidationReport) {
        let mut seen = 0u64;
        for (i, part) in self.not_listed.iter().enumerate() {
            if seen & part.bit() != 0 {
                r.warning(
                    format!("not_listed[{i}]"),
                    format!("`{}` is named twice", part.key()),
                );
            }
            seen |= part.bit();
            let given = match part {
                NotListed::Tracks => !self.tracks.is_empty(),
                NotListed::Staff => self.staff != crate::credential::Staff::default(),
                NotListed::FacilityCredentials => !self.facility_credentials.is_empty(),
                NotListed::Aftercare => !self.aftercare.is_empty(),
                NotListed::Payers => !self.payers.is_empty(),
                NotListed::AcceptingNewPatients => !self.accepting_new_patients,
                NotListed::Wait => self.typical_wait_days.is_some(),
                // The date is not read when it is not listed.
                NotListed::LastVerified => false,
                NotListed::Location => {
                    let l = &self.location;
                    !l.address.is_empty()
                        || !l.city.is_empty()
                        || !l.postal_code.is_empty()
                        || l.latitude != 0.0
                        || l.longitude != 0.0
                }
            };
            if given {
                r.error(
                    format!("not_listed[{i}]"),
                    format!(
                        "`{}` is named as not listed but `{}` is given; leave it {}",
                        part.key(),
                        part.key(),
                        match part {
                            NotListed::AcceptingNewPatients => "true",
                            NotListed::Wait => "out",
                            NotListed::Location =>
                                "with its state only (no address, city, postal code; coordinates 0)",
                            _ => "empty",
                        }
                    ),
                );
            }
            if *part == NotListed::Location
                && self.delivery != [crate::program::Delivery::Telehealth]
            {
                r.error(
                    format!("not_listed[{i}]"),
                    "a program whose location is not listed must be delivered by telehealth \
                     alone (`delivery`: [\"telehealth\"]): a patient cannot be sent to a place not listed",
                );
            }
        }
    }

    /// An error for every list over its limit, looking at lengths only.
    /// (Staff counts are maps keyed by license and certification, so they
    /// are bounded by those vocabularies.)
    fn check_sizes(&self) -> ValidationReport {
        let mut r = ValidationReport::default();
        let lists: [(&str, usize, usize); 15] = [
            ("levels", self.levels.len(), MAX_ENTRIES_PER_LIST),
            ("tracks", self.tracks.len(), MAX_TRACKS_PER_PROGRAM),
            ("modalities", self.modalities.len(), MAX_ENTRIES_PER_LIST),
            ("approaches", self.approaches.len(), MAX_ENTRIES_PER_LIST),
            ("specialties", self.specialties.len(), MAX_ENTRIES_PER_LIST),
            (
                "excluded_conditions",
                self.excluded_conditions.len(),
                MAX_ENTRIES_PER_LIST,
            ),
            (
                "facility_credentials",
                self.facility_credentials.len(),
                MAX_ENTRIES_PER_LIST,
            ),
            ("aftercare", self.aftercare.len(), MAX_ENTRIES_PER_LIST),
            ("payers", self.payers.len(), MAX_PAYERS_PER_PROGRAM),
            ("populations", self.populations.len(), MAX_ENTRIES_PER_LIST),
            (
                "restricted_to",
                self.restricted_to.len(),
                MAX_ENTRIES_PER_LIST,
            ),
            ("languages", self.languages.len(), MAX_LANGUAGES_PER_PROGRAM),
            ("delivery", self.delivery.len(), MAX_ENTRIES_PER_LIST),
            (
                "licensed_states",
                self.licensed_states.len(),
                MAX_ENTRIES_PER_LIST,
            ),
            ("not_listed", self.not_listed.len(), MAX_ENTRIES_PER_LIST),
        ];
        for (path, len, max) in lists {
            if let Some(message) = too_many(len, max) {
                r.error(path, message);
            }
        }
        if self.tracks.len() <= MAX_TRACKS_PER_PROGRAM {
            for (i, t) in self.tracks.iter().enumerate() {
                if let Some(message) = too_many(t.sessions.len(), MAX_SESSIONS_PER_TRACK) {
                    r.error(format!("tracks[{i}].sessions"), message);
                }
            }
        }
        r
    }
}

/// Validates a whole directory: every program's problems under
/// `programs[i]`, and duplicate ids.
///
/// # Example
///
/// ```
/// use carematch::{sample, validate_programs};
///
/// let mut programs = sample::massachusetts();
/// programs[1].id = programs[0].id.clone();
/// programs[3].tracks[0].sessions[0].window.end = carematch::TimeOfDay::hm(6, 0)?;
/// let report = validate_programs(&programs, sample::AS_OF);
/// let errors: Vec<String> = report.errors().map(|p| p.to_string()).collect();
/// assert!(errors.iter().any(|e| e.starts_with("error: programs[1].id: duplicates programs[0].id")));
/// assert!(errors.iter().any(|e| e.starts_with("error: programs[3].tracks[0].sessions[0]: ends at 06:00")));
/// # Ok::<(), carematch::Error>(())
/// ```
pub fn validate_programs(programs: &[Program], as_of: Date) -> ValidationReport {
    let mut check = DirectoryCheck::new(as_of);
    for p in programs {
        check.program(p);
    }
    check.finish(programs)
}

/// [`validate_programs`] one program at a time, so that a reader can check
/// each program as it is read, while it is still in the cache, and the
/// duplicate ids at the end: `program` for each program in order, then
/// `finish` with all of them gives the report `validate_programs` gives.
pub(crate) struct DirectoryCheck {
    as_of: Date,
    /// Programs seen so far.
    count: usize,
    /// The problems of each program that has any, by index, in order.
    found: Vec<(usize, ValidationReport)>,
}

impl DirectoryCheck {
    pub(crate) fn new(as_of: Date) -> DirectoryCheck {
        DirectoryCheck {
            as_of,
            count: 0,
            found: Vec::new(),
        }
    }

    /// Checks the next program on its own (duplicates are left to `finish`).
    pub(crate) fn program(&mut self, p: &Program) {
        self.checked(p.validate(self.as_of));
    }

    /// Takes the next program's own problems, `report` (what
    /// [`Program::validate`] gives, on another thread or earlier).
    pub(crate) fn checked(&mut self, report: ValidationReport) {
        if !report.problems.is_empty() {
            self.found.push((self.count, report));
        }
        self.count += 1;
    }

    /// The report for `programs` (the programs checked, in order): each
    /// program's duplicate id first, then its own problems, under `programs[i]`.
    pub(crate) fn finish(self, programs: &[Program]) -> ValidationReport {
        self.finish_ids(programs.iter().map(|p| p.id.as_str()))
    }

    /// As [`DirectoryCheck::finish`], from the programs' ids, in order.
    pub(crate) fn finish_ids<'a>(
        self,
        ids: impl ExactSizeIterator<Item = &'a str>,
    ) -> ValidationReport {
        debug_assert_eq!(self.count, ids.len());
        let mut r = ValidationReport::default();
        let mut found = self.found.into_iter().peekable();
        // Looked up, never iterated: the hash order cannot reach the report.
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(ids.len());
        for (i, id) in ids.enumerate() {
            // The path is written only for a program with a problem.
            let path = || format!("programs[{i}]");
            match seen.entry(id) {
                Entry::Occupied(first) => r.error(
                    join_path(&path(), "id"),
                    format!("duplicates programs[{}].id `{}`", first.get(), id),
                ),
                Entry::Vacant(v) => {
                    v.insert(i);
                }
            }
            if let Some((_, report)) = found.next_if(|(at, _)| *at == i) {
                r.absorb(&path(), report);
            }
        }
        r
    }
}
