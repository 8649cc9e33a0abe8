//! The output model: a ranking, its matches with their criterion scores,
//! exclusions and explanations, and how they print for people (`Display`)
//! and serialize for machines. Built by [`crate::matching::explain`] from the
//! facts; nothing here computes a score.

use std::fmt;

use crate::matching::alert::Alert;
use crate::matching::words::{ExclusionKind, ExclusionReason, Reason, write_list};
use crate::{level::LevelOfCare, matching::Criterion, program::ProgramId};

/// How many programs were excluded for one reason (a program excluded for
/// several reasons counts under each).
///
/// # Example
///
/// ```
/// use carematch::{matching::{ExclusionCount, ExclusionKind}};
/// let c = ExclusionCount { reason: ExclusionKind::TooFar, programs: 22 };
/// assert_eq!(c.to_string(), "too_far 22");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ExclusionCount {
    /// The reason's kind (written as its key).
    pub reason: ExclusionKind,
    /// Programs excluded for it.
    pub programs: usize,
}

impl fmt::Display for ExclusionCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.reason.key(), self.programs)
    }
}

/// One criterion's part of a match's score.
///
/// # Example
///
/// ```
/// # use carematch::{*, level::*, matching::*, vocabulary::*, level::*, matching::*, vocabulary::*};
/// let programs = sample::massachusetts();
/// let dir = Directory::new(programs, sample::AS_OF)?;
/// let needs = carematch::sample::patients()[0].needs.clone();
/// let q = Query::new(&needs, needs.level.expect("a level"), dir.evidence(), MatchOptions::new(sample::AS_OF))?;
/// let ranking = dir.rank(&q, &Weights::default(), 3);
/// let first = &ranking.matches[0];
/// let sum: f64 = first.criteria.iter().map(|c| c.contribution).sum();
/// assert!((sum - first.score).abs() < 1e-9);
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CriterionScore {
    /// Which criterion.
    pub criterion: Criterion,
    /// Its score in [0, 1]; `None` when it does not apply (missing data), in
    /// which case its weight is left out of the mean.
    pub score: Option<f64>,
    /// Its weight.
    pub weight: f64,
    /// Its share of the total: weight x score / sum of the applicable weights.
    pub contribution: f64,
    /// Why (each written with its sentence as `"text"` in JSON).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_impl::with_text"))]
    pub reasons: Vec<Reason>,
}

/// One ranked program with its breakdown.
///
/// JSON: `{"program_id", "program_name", "city", "level", "alternative", "score",
/// "distance_miles", "wait_days", "open_slots", "alerts", "criteria": {"therapy_fit": {...}, ...}}`;
/// it reads back from that shape (every criterion's entry must be there).
///
/// # Example
///
/// ```
/// # use carematch::{*, level::*, matching::*, vocabulary::*, level::*, matching::*, vocabulary::*};
/// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
/// let needs = sample::patients()[0].needs.clone();
/// let q = Query::new(&needs, needs.level.expect("a level"), dir.evidence(), MatchOptions::new(sample::AS_OF))?;
/// let m = &dir.rank(&q, &Weights::default(), 1).matches[0];
/// assert!((0.0..=1.0).contains(&m.score));
/// assert_eq!(m.criteria.len(), 7);
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// The program's id.
    pub program_id: ProgramId,
    /// The program's name.
    pub program_name: String,
    /// Its city or town.
    pub city: String,
    /// The level it is matched at.
    pub level: LevelOfCare,
    /// Whether this is an alternative at an adjacent level, not the level wanted.
    pub alternative: bool,
    /// The total: the weighted mean of the applicable criterion scores, in [0, 1].
    pub score: f64,
    /// Straight-line miles, when the patient's location is known.
    pub distance_miles: Option<f64>,
    /// Typical days to intake, when listed.
    pub wait_days: Option<u16>,
    /// Open places the program lists (`None`: not listed); 0 also raises a
    /// [`Alert::NoOpenSlot`].
    pub open_slots: Option<u32>,
    /// What a clinician must see about this program first (MOUD gap, hours
    /// below the level, stale listing), safety before confirm; each written
    /// with its channel as `"channel"` and its sentence as `"text"` in JSON.
    pub alerts: Vec<Alert>,
    /// One entry per criterion, in [`Criterion::ALL`] order.
    pub criteria: Vec<CriterionScore>,
}

impl Match {
    /// The breakdown entry for `criterion`.
    ///
    /// # Example
    ///
    /// ```
    /// # use carematch::{*, level::*, matching::*, vocabulary::*, level::*, matching::*, vocabulary::*};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let q = Query::new(&sample::patients()[0].needs, sample::patients()[0].needs.level.expect("a level"), dir.evidence(), MatchOptions::new(sample::AS_OF))?;
    /// let m = &dir.rank(&q, &Weights::default(), 1).matches[0];
    /// assert_eq!(m.criterion(Criterion::Wait).criterion, Criterion::Wait);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn criterion(&self, criterion: Criterion) -> &CriterionScore {
        &self.criteria[criterion.index()]
    }

    /// The reasons worth a first look: the first reason of each applicable
    /// criterion, the criteria that contribute most first.
    ///
    /// # Example
    ///
    /// ```
    /// # use carematch::{*, level::*, matching::*, vocabulary::*, level::*, matching::*, vocabulary::*};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let q = Query::new(&sample::patients()[0].needs, sample::patients()[0].needs.level.expect("a level"), dir.evidence(), MatchOptions::new(sample::AS_OF))?;
    /// let m = &dir.rank(&q, &Weights::default(), 1).matches[0];
    /// assert_eq!(m.top_reasons(3).len(), 3);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn top_reasons(&self, n: usize) -> Vec<&Reason> {
        let mut cs: Vec<&CriterionScore> =
            self.criteria.iter().filter(|c| c.score.is_some()).collect();
        cs.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
        cs.into_iter()
            .filter_map(|c| c.reasons.first())
            .take(n)
            .collect()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Match {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Criteria<'a>(&'a [CriterionScore]);
        impl serde::Serialize for Criteria<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(Some(self.0.len()))?;
                for c in self.0 {
                    m.serialize_entry(c.criterion.key(), c)?;
                }
                m.end()
            }
        }
        let mut st = s.serialize_struct("Match", 11)?;
        st.serialize_field("program_id", &self.program_id)?;
        st.serialize_field("program_name", &self.program_name)?;
        st.serialize_field("city", &self.city)?;
        st.serialize_field("level", &self.level)?;
        st.serialize_field("alternative", &self.alternative)?;
        st.serialize_field("score", &self.score)?;
        st.serialize_field("distance_miles", &self.distance_miles)?;
        st.serialize_field("wait_days", &self.wait_days)?;
        st.serialize_field("open_slots", &self.open_slots)?;
        st.serialize_field("alerts", &Alerts(&self.alerts))?;
        st.serialize_field("criteria", &Criteria(&self.criteria))?;
        st.end()
    }
}

/// A match's alerts, each with its channel as `"channel"` and its sentence as `"text"`.
#[cfg(feature = "serde")]
struct Alerts<'a>(&'a [Alert]);

#[cfg(feature = "serde")]
impl serde::Serialize for Alerts<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::matching::alert::with_channel::serialize(self.0, s)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Match {
    /// The shape [`Match`]'s `Serialize` writes: `criteria` is a map from
    /// every criterion's key to its entry (each entry's `criterion` must
    /// agree with its key); it is read back in [`Criterion::ALL`] order.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Match, D::Error> {
        use serde::de::Error as _;
        #[derive(serde::Deserialize)]
        struct MatchJson {
            program_id: ProgramId,
            program_name: String,
            city: String,
            level: LevelOfCare,
            alternative: bool,
            score: f64,
            distance_miles: Option<f64>,
            wait_days: Option<u16>,
            #[serde(default)]
            open_slots: Option<u32>,
            #[serde(default)]
            alerts: Vec<Alert>,
            criteria: std::collections::BTreeMap<Criterion, CriterionScore>,
        }
        let m = MatchJson::deserialize(d)?;
        let mut criteria = Vec::with_capacity(Criterion::ALL.len());
        let mut by_key = m.criteria;
        for &c in Criterion::ALL {
            let entry = by_key.remove(&c).ok_or_else(|| {
                D::Error::custom(format!("criteria: missing the entry for `{}`", c.key()))
            })?;
            if entry.criterion != c {
                return Err(D::Error::custom(format!(
                    "criteria.{}: the entry names criterion `{}`",
                    c.key(),
                    entry.criterion.key()
                )));
            }
            criteria.push(entry);
        }
        Ok(Match {
            program_id: m.program_id,
            program_name: m.program_name,
            city: m.city,
            level: m.level,
            alternative: m.alternative,
            score: m.score,
            distance_miles: m.distance_miles,
            wait_days: m.wait_days,
            open_slots: m.open_slots,
            alerts: m.alerts,
            criteria,
        })
    }
}

/// A program that cannot take the patient, with every reason.
///
/// # Example
///
/// ```
/// # use carematch::{*, level::*, matching::*, vocabulary::*, level::*, matching::*, vocabulary::*};
/// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
/// let q = Query::new(&sample::patients()[0].needs, sample::patients()[0].needs.level.expect("a level"), dir.evidence(), MatchOptions::new(sample::AS_OF))?;
/// let ranking = dir.rank(&q, &Weights::default(), 5);
/// assert!(ranking.excluded.iter().all(|e| !e.reasons.is_empty()));
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Exclusion {
    /// The program's id.
    pub program_id: ProgramId,
    /// The program's name.
    pub program_name: String,
    /// Every reason it cannot take the patient (each written with its
    /// sentence as `"text"` in JSON).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_impl::with_text"))]
    pub reasons: Vec<ExclusionReason>,
}

impl fmt::Display for Exclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): ", self.program_name, self.program_id)?;
        write_list(f, &self.reasons, "; ")
    }
}

/// Everything about one program for one patient
/// ([`crate::Directory::explain`]).
///
/// Written in JSON with its `"outcome"` key (`match`, `alternative`,
/// `excluded`, `unknown_program`) beside its fields.
///
/// # Example
///
/// ```
/// # use carematch::{*, level::*, matching::*};
/// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
/// let q = dir.query(&sample::patients()[0].needs, LevelOfCare::IntensiveOutpatient, MatchOptions::new(sample::AS_OF))?;
/// let answer = dir.explain(&q, &Weights::default(), "no-such-program");
/// assert_eq!(answer, Explanation::UnknownProgram { program_id: "no-such-program".into() });
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "outcome", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Explanation {
    /// Eligible at the query's level: its place among the matches of the
    /// full ranking (1 = first), and its breakdown, exactly as a ranking
    /// with `k` at least `rank` lists it.
    Match {
        /// Its position in the full ranking of matches, from 1.
        rank: usize,
        /// The match, with every criterion and reason.
        details: Match,
    },
    /// Eligible at an adjacent level, listed as a labelled alternative
    /// (only when the query's options include alternatives): its place among
    /// the alternatives, from 1, and its breakdown.
    Alternative {
        /// Its position among the alternatives, from 1.
        rank: usize,
        /// The alternative, with every criterion and reason.
        details: Match,
    },
    /// It cannot take the patient: every reason.
    Excluded {
        /// The exclusion, with every reason.
        details: Exclusion,
    },
    /// No program in the directory has the id.
    UnknownProgram {
        /// The id asked about.
        program_id: String,
    },
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Explanation::Match { rank, details } => write!(
                f,
                "{} ({}): match number {rank}, score {:.3}",
                details.program_name, details.program_id, details.score
            ),
            Explanation::Alternative { rank, details } => write!(
                f,
                "{} ({}): alternative number {rank} at {}, score {:.3}",
                details.program_name, details.program_id, details.level, details.score
            ),
            Explanation::Excluded { details } => write!(f, "excluded: {details}"),
            Explanation::UnknownProgram { program_id } => {
                write!(f, "no program has the id `{program_id}`")
            }
        }
    }
}

/// The result of ranking one patient against a directory.
///
/// `matches` offer the level wanted, best first; `alternatives` (only when
/// asked) offer an adjacent level instead and are labelled so; `excluded`
/// lists every program that cannot take the patient, with all its reasons,
/// ordered by id, only when [`crate::matching::MatchOptions::with_exclusion_details`]
/// asks (the counts are always there; [`crate::Directory::exclusions`] lists
/// them on demand).
///
/// # Example
///
/// ```
/// # use carematch::{*, level::*, matching::*, vocabulary::*, level::*, matching::*, vocabulary::*};
/// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
/// let q = Query::new(&sample::patients()[0].needs, sample::patients()[0].needs.level.expect("a level"), dir.evidence(), MatchOptions::new(sample::AS_OF))?;
/// let ranking = dir.rank(&q, &Weights::default(), 5);
/// assert!(ranking.matches.len() <= 5);
/// assert_eq!(ranking.eligible + ranking.alternatives_eligible + ranking.excluded_count, dir.len());
/// println!("{ranking}");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Ranking {
    /// What a clinician must see before any match, most urgent first (each
    /// written with its channel as `"channel"` and its sentence as `"text"`
    /// in JSON).
    #[cfg_attr(
        feature = "serde",
        serde(with = "crate::matching::alert::with_channel")
    )]
    pub alerts: Vec<Alert>,
    /// The level of care matched.
    pub level: LevelOfCare,
    /// The best programs at that level, at most k, best first.
    pub matches: Vec<Match>,
    /// Programs at an adjacent level, labelled, at most k (only when asked).
    pub alternatives: Vec<Match>,
    /// Every program that cannot take the patient, by id, with all its reasons
    /// (empty unless exclusion details were asked for).
    pub excluded: Vec<Exclusion>,
    /// How many programs were excluded.
    pub excluded_count: usize,
    /// Programs excluded per reason, most frequent first.
    pub exclusion_counts: Vec<ExclusionCount>,
    /// How many programs at the level were eligible (before the top k cut).
    pub eligible: usize,
    /// How many adjacent-level programs were eligible (0 unless asked).
    pub alternatives_eligible: usize,
}

fn write_match_table(f: &mut fmt::Formatter<'_>, matches: &[Match]) -> fmt::Result {
    for (i, m) in matches.iter().enumerate() {
        let dist = m
            .distance_miles
            .map_or_else(|| "-".to_owned(), |d| format!("{d:.1} mi"));
        writeln!(
            f,
            "{:>2}. {:.3}  {} ({}), {}, {}{}",
            i + 1,
            m.score,
            m.program_name,
            m.program_id,
            m.city,
            dist,
            if m.alternative {
                format!("  [alternative: {}]", m.level)
            } else {
                String::new()
            }
        )?;
        for a in &m.alerts {
            writeln!(f, "      {} {a}", a.channel().mark())?;
        }
        for c in &m.criteria {
            let score = c
                .score
                .map_or_else(|| "  n/a".to_owned(), |s| format!("{s:.2}"));
            write!(f, "      {:<22}{score}", c.criterion.label())?;
            if let Some(r) = c.reasons.first() {
                write!(f, "  {r}")?;
            }
            writeln!(f)?;
            // Every other reason that lowers a criterion below 1, for every
            // condition, and every part not listed.
            let below = c.score.is_some_and(|s| s < 1.0);
            for r in
                c.reasons.iter().skip(1).filter(|r| {
                    (below && r.is_shortfall()) || matches!(r, Reason::NotListed { .. })
                })
            {
                writeln!(f, "      {:<22}      {r}", "")?;
            }
        }
    }
    Ok(())
}

impl fmt::Display for Ranking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for a in &self.alerts {
            writeln!(f, "{} {a}", a.channel().mark())?;
        }
        if !self.alerts.is_empty() {
            writeln!(f)?;
        }
        if self.eligible == 0 {
            writeln!(
                f,
                "No program in the directory offers {} and can take this patient.",
                self.level
            )?;
        } else {
            writeln!(
                f,
                "Top {} of {} eligible {} programs:",
                self.matches.len(),
                self.eligible,
                self.level
            )?;
            write_match_table(f, &self.matches)?;
        }
        if !self.alternatives.is_empty() {
            writeln!(
                f,
                "Alternatives at adjacent levels (not the level recommended; a clinician decides):"
            )?;
            write_match_table(f, &self.alternatives)?;
        }
        write!(f, "{} excluded", self.excluded_count)?;
        if self.exclusion_counts.len() > 1 {
            f.write_str(" (a program is counted under each of its reasons)")?;
        }
        for (i, c) in self.exclusion_counts.iter().enumerate() {
            write!(f, "{}{c}", if i == 0 { ": " } else { ", " })?;
        }
        writeln!(f)
    }
}
