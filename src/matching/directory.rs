//! The compiled directory: programs turned once into compact rows of
//! bitmasks and small integers, ranked without touching the original
//! records until the winners are explained.

use std::collections::BTreeMap;

use crate::matching::criteria::best_track;
use crate::matching::evidence::EvidenceTable;
use crate::matching::explain::{Exclusion, Ranking, exclusion_reasons};
use crate::matching::facts::{
    CriterionFacts, Eligibility, ExclusionKind, ExclusionKinds, FactSource, Placement, TrackFacts,
    TrackSummary, Travel, schedule_conflict,
};
use crate::matching::plain::{is_evening_or_weekend, licensed_states};
use crate::matching::query::{CheckSet, MatchOptions, Query};
use crate::matching::rank::rank_with;
use crate::{
    credential::FacilityCredential,
    date::Date,
    error::{Error, ValidationReport},
    level::LevelOfCare,
    matching::Weights,
    patient::PatientNeeds,
    program::{
        Aftercare, Delivery, GeoPoint, Language, Population, Program, ProgramId, validate_programs,
    },
    schedule::WeekMask,
    therapy::{Approach, Modality},
};

const ACCEPTING: u8 = 1;
const INTERPRETER: u8 = 2;
const SELF_FUNDED: u8 = 4;
const WAIT_KNOWN: u8 = 8;
/// Offers MOUD or has a prescriber.
const MOUD: u8 = 16;

/// What the eligibility filters read, packed into 40 bytes: every program's
/// row is read on every ranking, so these stay small and together. The
/// track offsets are here because the schedule rule reads them for every
/// program at the level (from the cold row they cost about 15% more).
#[derive(Debug, Clone, Copy, Default)]
struct Hot {
    lat: f64,
    /// Payers with interned ids below 64, as bits; others are in `payer_ids`.
    payer_mask: u64,
    /// Languages with interned ids below 32, as bits; others are in `lang_ids`.
    lang_mask: u32,
    excluded_cover: u32,
    /// The program's tracks (in `tracks`), read by the schedule rule.
    track_off: u32,
    track_len: u16,
    restricted: u16,
    levels: u8,
    delivery: u8,
    flags: u8,
    age_min: u8,
    age_max: u8,
}

/// What scoring reads, for the (few) eligible programs.
#[derive(Debug, Clone, Copy, Default)]
struct Row {
    lon: f64,
    /// States it may treat by telehealth (bits of `region::US_STATES`).
    states: u64,
    verified: i32,
    id_rank: u32,
    approaches: u64,
    specialty_cover: u32,
    payer_off: u32,
    lang_off: u32,
    licenses: u16,
    populations: u16,
    wait: u16,
    payer_len: u16,
    lang_len: u16,
    modalities: u8,
    certifications: u16,
    facility: u8,
    aftercare: u8,
}

/// One track: its merged session ranges (absolute quarter-hour slots).
#[derive(Debug, Clone, Copy, Default)]
struct TrackRow {
    sess_off: u32,
    minutes: u32,
    slots: u16,
    sess_len: u16,
    level: u8,
    evening_or_weekend: bool,
}

/// A directory of programs, validated and compiled once for ranking.
///
/// Immutable and `Send + Sync`: share it (for example in an `Arc`) and rank
/// any number of patients against it. Ranking scores compact rows of
/// bitmasks and builds explanations only for the top k; it returns exactly
/// what [`crate::matching::rank_plain`] returns over the same programs.
///
/// # Example
///
/// ```
/// use carematch::{Directory, sample, matching::{MatchOptions, Weights}};
///
/// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
/// let needs = &sample::patients()[0].needs;
/// let query = dir.query(needs, MatchOptions::new(sample::AS_OF))?;
/// let ranking = dir.rank(&query, &Weights::default(), 5);
/// for m in &ranking.matches {
///     println!("{:.3} {}", m.score, m.program_name);
/// }
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Directory {
    programs: Vec<Program>,
    warnings: ValidationReport,
    evidence: EvidenceTable,
    hot: Vec<Hot>,
    rows: Vec<Row>,
    payer_ids: Vec<u32>,
    lang_ids: Vec<u16>,
    tracks: Vec<TrackRow>,
    sessions: Vec<(u16, u16)>,
    payers: BTreeMap<String, u32>,
    languages: BTreeMap<Language, u16>,
}

fn narrow<T: TryFrom<usize>>(n: usize, what: &str) -> Result<T, Error> {
    T::try_from(n).map_err(|_| Error::config("directory", format!("too many {what} ({n})")))
}

impl Directory {
    /// Validates `programs` (judging verification dates against `as_of`)
    /// and compiles them. Warnings are kept ([`Directory::warnings`]).
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] with every problem when validation finds an error;
    /// [`Error::Config`] when a directory is beyond the index's limits (more
    /// than 2^32 programs, or a program with more than 65,535 payers, languages or tracks).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, sample};
    /// let mut programs = sample::massachusetts();
    /// programs[2].name.clear();
    /// let err = Directory::new(programs, sample::AS_OF).unwrap_err();
    /// assert!(err.to_string().contains("programs[2].name: is empty"));
    /// ```
    pub fn new(programs: Vec<Program>, as_of: Date) -> Result<Directory, Error> {
        let warnings = validate_programs(&programs, as_of).into_result()?;
        let mut d = Directory {
            programs: Vec::new(),
            warnings,
            evidence: EvidenceTable::default(),
            hot: Vec::with_capacity(programs.len()),
            rows: Vec::with_capacity(programs.len()),
            payer_ids: Vec::new(),
            lang_ids: Vec::new(),
            tracks: Vec::new(),
            sessions: Vec::new(),
            payers: BTreeMap::new(),
            languages: BTreeMap::new(),
        };
        narrow::<u32>(programs.len(), "programs")?;
        let mut order: Vec<usize> = (0..programs.len()).collect();
        order.sort_by(|a, b| programs[*a].id.cmp(&programs[*b].id));
        let mut id_rank = vec![0u32; programs.len()];
        for (rank, i) in order.into_iter().enumerate() {
            id_rank[i] = rank as u32;
        }
        for (i, p) in programs.iter().enumerate() {
            let (hot, row) = d.compile(p, id_rank[i])?;
            d.hot.push(hot);
            d.rows.push(row);
        }
        d.programs = programs;
        Ok(d)
    }

    fn compile(&mut self, p: &Program, id_rank: u32) -> Result<(Hot, Row), Error> {
        let payer_off = narrow::<u32>(self.payer_ids.len(), "payer entries")?;
        let mut ids: Vec<u32> = Vec::with_capacity(p.payers.len());
        for payer in &p.payers {
            let next = narrow::<u32>(self.payers.len(), "payers")?;
            ids.push(*self.payers.entry(payer.key()).or_insert(next));
        }
        ids.sort_unstable();
        ids.dedup();
        let payer_mask = ids
            .iter()
            .filter(|i| **i < 64)
            .fold(0u64, |m, i| m | 1 << i);
        let payer_len = narrow::<u16>(ids.len(), "payers in one program")?;
        self.payer_ids.extend(ids);

        let lang_off = narrow::<u32>(self.lang_ids.len(), "language entries")?;
        let mut langs: Vec<u16> = Vec::with_capacity(p.languages.len());
        for l in &p.languages {
            let next = narrow::<u16>(self.languages.len(), "languages")?;
            langs.push(*self.languages.entry(*l).or_insert(next));
        }
        langs.sort_unstable();
        langs.dedup();
        let lang_mask = langs
            .iter()
            .filter(|i| **i < 32)
            .fold(0u32, |m, i| m | 1 << i);
        let lang_len = narrow::<u16>(langs.len(), "languages in one program")?;
        self.lang_ids.extend(langs);

        let track_off = narrow::<u32>(self.tracks.len(), "tracks")?;
        for t in &p.tracks {
            let sess_off = narrow::<u32>(self.sessions.len(), "sessions")?;
            let mask = WeekMask::touching(&t.sessions);
            // Merged runs of set slots: their total equals the mask's count.
            let mut slot = 0usize;
            let mut n = 0usize;
            while slot < WeekMask::SLOTS {
                if bit(&mask, slot) {
                    let start = slot;
                    while slot < WeekMask::SLOTS && bit(&mask, slot) {
                        slot += 1;
                    }
                    self.sessions.push((start as u16, slot as u16));
                    n += 1;
                } else {
                    slot += 1;
                }
            }
            self.tracks.push(TrackRow {
                sess_off,
                minutes: t.minutes_per_week(),
                slots: mask.count() as u16,
                sess_len: narrow::<u16>(n, "session runs in one track")?,
                level: t.level.bit() as u8,
                evening_or_weekend: is_evening_or_weekend(&t.sessions),
            });
        }
        let track_len = narrow::<u16>(p.tracks.len(), "tracks in one program")?;

        let mut flags = 0u8;
        if p.accepting_new_patients {
            flags |= ACCEPTING;
        }
        if p.interpreter_services {
            flags |= INTERPRETER;
        }
        if p.payers.iter().any(|x| x.is_self_funded()) {
            flags |= SELF_FUNDED;
        }
        if p.typical_wait_days.is_some() {
            flags |= WAIT_KNOWN;
        }
        if p.approaches.contains(&Approach::Moud)
            || p.staff
                .licenses
                .iter()
                .any(|(l, n)| *n > 0 && l.prescribes())
        {
            flags |= MOUD;
        }
        let hot = Hot {
            lat: p.location.latitude,
            track_off,
            track_len,
            payer_mask,
            lang_mask,
            excluded_cover: p
                .excluded_conditions
                .iter()
                .fold(0, |m, c| m | c.covered_mask()) as u32,
            restricted: Population::mask_of(&p.restricted_to) as u16,
            levels: LevelOfCare::mask_of(&p.levels) as u8,
            delivery: Delivery::mask_of(&p.delivery) as u8,
            flags,
            age_min: p.ages.min,
            age_max: p.ages.max,
        };
        let row = Row {
            lon: p.location.longitude,
            states: licensed_states(p),
            populations: Population::mask_of(&p.populations) as u16,
            verified: p.last_verified.days_since_epoch(),
            id_rank,
            approaches: Approach::mask_of(&p.approaches),
            specialty_cover: p.specialties.iter().fold(0, |m, c| m | c.covered_mask()) as u32,
            payer_off,
            lang_off,
            licenses: p.staff.license_mask() as u16,
            wait: p.typical_wait_days.unwrap_or(0),
            payer_len,
            lang_len,
            modalities: Modality::mask_of(&p.modalities) as u8,
            certifications: p.staff.certification_mask() as u16,
            facility: FacilityCredential::mask_of(&p.facility_credentials) as u8,
            aftercare: Aftercare::mask_of(&p.aftercare) as u8,
        };
        Ok((hot, row))
    }

    /// The same directory using `evidence` for queries made with [`Directory::query`].
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, sample, matching::EvidenceTable};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?
    ///     .with_evidence(EvidenceTable::default());
    /// assert!(!dir.evidence().rows().is_empty());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn with_evidence(mut self, evidence: EvidenceTable) -> Directory {
        self.evidence = evidence;
        self
    }

    /// The programs, in the order given.
    ///
    /// # Example
    ///
    /// ```
    /// let dir = carematch::Directory::new(carematch::sample::massachusetts(), carematch::sample::AS_OF)?;
    /// assert_eq!(dir.programs().len(), dir.len());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn programs(&self) -> &[Program] {
        &self.programs
    }

    /// The program with `id`, if any.
    ///
    /// # Example
    ///
    /// ```
    /// let dir = carematch::Directory::new(carematch::sample::massachusetts(), carematch::sample::AS_OF)?;
    /// let first = &dir.programs()[0];
    /// assert_eq!(dir.get(&first.id), Some(first));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn get(&self, id: &ProgramId) -> Option<&Program> {
        self.programs.iter().find(|p| &p.id == id)
    }

    /// How many programs.
    ///
    /// # Example
    ///
    /// ```
    /// let dir = carematch::Directory::new(Vec::new(), carematch::sample::AS_OF)?;
    /// assert_eq!(dir.len(), 0);
    /// assert!(dir.is_empty());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.programs.len()
    }

    /// Whether there are no programs.
    ///
    /// # Example
    ///
    /// ```
    /// let dir = carematch::Directory::new(carematch::sample::massachusetts(), carematch::sample::AS_OF)?;
    /// assert!(!dir.is_empty());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.programs.is_empty()
    }

    /// Validation warnings found when the directory was built.
    ///
    /// # Example
    ///
    /// ```
    /// let dir = carematch::Directory::new(carematch::sample::massachusetts(), carematch::sample::AS_OF)?;
    /// assert!(!dir.warnings().has_errors());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn warnings(&self) -> &ValidationReport {
        &self.warnings
    }

    /// The evidence table [`Directory::query`] compiles queries with.
    ///
    /// # Example
    ///
    /// ```
    /// let dir = carematch::Directory::new(Vec::new(), carematch::sample::AS_OF)?;
    /// assert_eq!(dir.evidence(), &carematch::matching::EvidenceTable::default());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn evidence(&self) -> &EvidenceTable {
        &self.evidence
    }

    /// Compiles `needs` with this directory's evidence table.
    ///
    /// # Errors
    ///
    /// As [`Query::new`].
    ///
    /// # Example
    ///
    /// ```
    /// # use carematch::{*, level::*, matching::*, vocabulary::*, level::*, matching::*, vocabulary::*};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let q = dir.query(&sample::patients()[1].needs, MatchOptions::new(sample::AS_OF))?;
    /// assert_eq!(q.needs().age, 16);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn query(&self, needs: &PatientNeeds, options: MatchOptions) -> Result<Query, Error> {
        Query::new(needs, &self.evidence, options)
    }

    /// Compiles `needs` at the level `recommendation` gives, with this
    /// directory's evidence table, carrying the assessment into matching.
    ///
    /// # Errors
    ///
    /// As [`Query::for_recommendation`].
    ///
    /// # Example
    ///
    /// ```
    /// # use carematch::{*, level::*, matching::*, vocabulary::*, level::*, matching::*, vocabulary::*};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let patient = &sample::patients()[0];
    /// let rec = LevelPolicy::default().recommend(&patient.assessment);
    /// let mut needs = patient.needs.clone();
    /// needs.level = None;
    /// let q = dir.query_for(&needs, &rec, MatchOptions::new(sample::AS_OF))?;
    /// assert_eq!(q.level(), rec.effective_level());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn query_for(
        &self,
        needs: &PatientNeeds,
        recommendation: &crate::level::LevelRecommendation,
        options: MatchOptions,
    ) -> Result<Query, Error> {
        Query::for_recommendation(needs, recommendation, &self.evidence, options)
    }

    /// Bytes the compiled index takes, beyond the original programs.
    ///
    /// # Example
    ///
    /// ```
    /// let dir = carematch::Directory::new(carematch::sample::massachusetts(), carematch::sample::AS_OF)?;
    /// assert!(dir.index_bytes() / dir.len() < 256);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn index_bytes(&self) -> usize {
        use std::mem::size_of;
        self.hot.len() * size_of::<Hot>()
            + self.rows.len() * size_of::<Row>()
            + self.payer_ids.len() * size_of::<u32>()
            + self.lang_ids.len() * size_of::<u16>()
            + self.tracks.len() * size_of::<TrackRow>()
            + self.sessions.len() * size_of::<(u16, u16)>()
    }

    /// A checksum over every byte of the compiled index, read once in order:
    /// the memory-scan baseline that ranking speed is measured against. A
    /// benchmark aid, not part of the API.
    #[doc(hidden)]
    pub fn scan_index(&self) -> u64 {
        let mut sum = 0u64;
        for h in &self.hot {
            sum = sum
                .wrapping_add(h.lat.to_bits())
                .wrapping_add(h.payer_mask ^ u64::from(h.lang_mask))
                .wrapping_add(u64::from(h.excluded_cover ^ u32::from(h.restricted)))
                .wrapping_add(u64::from(h.track_off) ^ u64::from(h.track_len))
                .wrapping_add(u64::from(
                    h.levels ^ h.delivery ^ h.flags ^ h.age_min ^ h.age_max,
                ));
        }
        for r in &self.rows {
            sum = sum
                .wrapping_add(r.lon.to_bits())
                .wrapping_add(u64::from(r.verified as u32))
                .wrapping_add(u64::from(r.id_rank ^ r.specialty_cover) ^ r.approaches)
                .wrapping_add(u64::from(r.payer_off ^ r.lang_off))
                .wrapping_add(u64::from(r.licenses ^ r.wait ^ r.payer_len ^ r.lang_len))
                .wrapping_add(u64::from(
                    u16::from(r.modalities ^ r.facility ^ r.aftercare) ^ r.certifications,
                ));
        }
        for x in &self.payer_ids {
            sum = sum.wrapping_add(u64::from(*x));
        }
        for x in &self.lang_ids {
            sum = sum.wrapping_add(u64::from(*x));
        }
        for t in &self.tracks {
            sum = sum.wrapping_add(
                u64::from(t.sess_off ^ t.minutes)
                    ^ u64::from(t.slots ^ t.sess_len)
                    ^ u64::from(t.level)
                    ^ u64::from(t.evening_or_weekend),
            );
        }
        for (a, b) in &self.sessions {
            sum = sum.wrapping_add(u64::from(*a) << 16 | u64::from(*b));
        }
        sum
    }

    /// Why `id` cannot take the patient: its exclusion with every reason, or
    /// `None` when it is eligible (or not in the directory). Answers "why is X
    /// not on my list?" when the ranking was made with
    /// [`MatchOptions::exclusion_details`] off.
    ///
    /// # Example
    ///
    /// ```
    /// # use carematch::{*, level::*, matching::*, vocabulary::*, level::*, matching::*, vocabulary::*};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let q = dir.query(&sample::patients()[1].needs, MatchOptions::new(sample::AS_OF).exclusion_details(false))?;
    /// let ranking = dir.rank(&q, &Weights::default(), 5);
    /// assert!(ranking.excluded.is_empty() && ranking.excluded_count > 0);
    /// let adults_only = dir.programs().iter().find(|p| p.ages.min >= 18).unwrap();
    /// let why = dir.exclusion(&q, &adults_only.id).unwrap();
    /// assert!(why.reasons.iter().any(|r| matches!(r, ExclusionReason::AgeOutOfRange { .. })));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn exclusion(&self, q: &Query, id: &ProgramId) -> Option<Exclusion> {
        let i = self.programs.iter().position(|p| &p.id == id)?;
        let e = Index::new(self, q).eligibility(i, true);
        e.outcome().err()?;
        let p = &self.programs[i];
        Some(Exclusion {
            program_id: p.id.clone(),
            program_name: p.name.clone(),
            reasons: exclusion_reasons(q, &e, p),
        })
    }

    /// Ranks the directory for one patient: the top `k` programs at the
    /// query's level with their breakdowns, the top `k` labelled
    /// alternatives (when the query's options ask for them), and every
    /// excluded program with all its reasons.
    ///
    /// Deterministic: score by `f64::total_cmp`, then distance, then wait,
    /// then program id.
    ///
    /// # Example
    ///
    /// ```
    /// # use carematch::{*, level::*, matching::*, vocabulary::*, level::*, matching::*, vocabulary::*};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let q = dir.query(&sample::patients()[0].needs, MatchOptions::new(sample::AS_OF))?;
    /// let top5 = dir.rank(&q, &Weights::default(), 5);
    /// let top6 = dir.rank(&q, &Weights::default(), 6);
    /// assert_eq!(top5.matches[..], top6.matches[..top5.matches.len()]);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn rank(&self, q: &Query, weights: &Weights, k: usize) -> Ranking {
        rank_with(&Index::new(self, q), weights, k)
    }

    /// The compiled index as a producer of facts for `q` (for the property
    /// test holding the two producers equal).
    #[cfg(test)]
    pub(crate) fn index<'a>(&'a self, q: &'a Query) -> impl FactSource + 'a {
        Index::new(self, q)
    }
}

/// The compiled index as a producer of facts for one query.
struct Index<'a> {
    dir: &'a Directory,
    cq: CompiledQuery<'a>,
}

impl<'a> Index<'a> {
    fn new(dir: &'a Directory, q: &'a Query) -> Index<'a> {
        Index {
            dir,
            cq: CompiledQuery::new(dir, q),
        }
    }
}

/// Margin, in miles, by which the distance along the meridian must exceed the
/// travel limit before the haversine is skipped. The haversine's rounding
/// error near antipodal points is about 1e-4 miles (the square root of the
/// rounding in `asin`'s argument, times the earth's diameter); 0.01 is
/// comfortably above it, so the shortcut never decides what the haversine
/// would decide otherwise.
const MERIDIAN_MARGIN_MILES: f64 = 0.01;

impl FactSource for Index<'_> {
    fn query(&self) -> &Query {
        self.cq.query
    }

    fn len(&self) -> usize {
        self.dir.hot.len()
    }

    fn program(&self, i: usize) -> &Program {
        &self.dir.programs[i]
    }

    fn id_rank(&self, i: usize) -> u32 {
        self.dir.rows[i].id_rank
    }

    /// Mask tests on the hot row; the haversine only when the travel limit
    /// needs it (or `exact` asks for the miles).
    fn eligibility(&self, i: usize, exact: bool) -> Eligibility {
        let (d, cq) = (self.dir, &self.cq);
        let r = &d.hot[i];
        let mut fails = ExclusionKinds::default();
        let placement = if r.levels & cq.level_bit != 0 {
            Some(Placement::Match)
        } else {
            cq.alternatives
                .iter()
                .find(|l| r.levels & (l.bit() as u8) != 0)
                .map(|l| Placement::Alternative(*l))
        };
        fails.set(ExclusionKind::LevelNotOffered, placement.is_none());
        fails.set(
            ExclusionKind::AgeOutOfRange,
            cq.age < r.age_min || cq.age > r.age_max,
        );
        fails.set(
            ExclusionKind::PopulationRestricted,
            r.restricted != 0 && u64::from(r.restricted) & cq.population_bits == 0,
        );
        let payer_ok = r.payer_mask & cq.payer_low != 0
            || (!cq.payer_high.is_empty() && {
                let listed = &d.payer_ids[d.rows[i].payer_off as usize..]
                    [..usize::from(d.rows[i].payer_len)];
                cq.payer_high
                    .iter()
                    .any(|id| listed.binary_search(id).is_ok())
            })
            || (cq.allow_self_pay && r.flags & SELF_FUNDED != 0);
        fails.set(ExclusionKind::PayerNotAccepted, !payer_ok);
        if r.flags & INTERPRETER == 0 {
            let lang_ok = match cq.language {
                Some(id) if id < 32 => r.lang_mask >> id & 1 == 1,
                Some(id) => d.lang_ids[d.rows[i].lang_off as usize..]
                    [..usize::from(d.rows[i].lang_len)]
                    .binary_search(&id)
                    .is_ok(),
                None => false,
            };
            fails.set(ExclusionKind::LanguageNotOffered, !lang_ok);
        }
        let conditions_refused = u64::from(r.excluded_cover) & cq.condition_bits;
        fails.set(ExclusionKind::ConditionNotAccepted, conditions_refused != 0);
        fails.set(
            ExclusionKind::DeliveryNotAccepted,
            r.delivery & cq.delivery_ok == 0,
        );
        let licensed = cq
            .query
            .patient_state
            .is_none_or(|bit| d.rows[i].states & bit != 0);
        let remote_offered = cq.accepts_telehealth && r.delivery & TELEHEALTH != 0;
        let remote = remote_offered && licensed;
        let point = || GeoPoint {
            latitude: r.lat,
            longitude: d.rows[i].lon,
        };
        let mut miles = None;
        let mut beyond = false;
        if let Some(loc) = cq.location {
            match cq.max_miles {
                Some(max) if !remote || exact => {
                    // The great-circle distance is at least the distance along
                    // the meridian: when that alone is clearly beyond `max`,
                    // the haversine is skipped (unless the miles are asked for).
                    let along_meridian =
                        (r.lat - loc.latitude).abs().to_radians() * EARTH_RADIUS_MILES;
                    if !exact && along_meridian > max + MERIDIAN_MARGIN_MILES {
                        beyond = true;
                    } else {
                        let m = loc.miles_to(point());
                        miles = Some(m);
                        beyond = m > max;
                    }
                }
                _ if exact => miles = Some(loc.miles_to(point())),
                _ => {}
            }
        }
        Travel {
            beyond,
            remote_offered,
            licensed,
            in_person: r.delivery & cq.in_person_ok != 0,
        }
        .kinds(&mut fails);
        fails.set(
            ExclusionKind::NotAcceptingNewPatients,
            r.flags & ACCEPTING == 0 && !cq.allow_waitlist,
        );
        let tracks = match placement {
            Some(pl) if cq.query.schedule_rule => Some(self.track_summary(i, pl.level(cq.query))),
            _ => None,
        };
        schedule_conflict(cq.query, tracks, &mut fails);
        fails.set(
            ExclusionKind::MoudNotAvailable,
            cq.query.moud_required && r.flags & MOUD == 0,
        );
        Eligibility {
            placement,
            fails,
            conditions_refused,
            miles,
            tracks,
        }
    }

    fn offers_evidence(&self, i: usize, c: usize) -> bool {
        let r = &self.dir.rows[i];
        let c = &self.cq.query.conditions[c];
        c.offers_first_line(c.hits(r.approaches, u64::from(r.modalities)))
    }

    /// Popcounts on the row's bitmasks and prefix sums over the patient's free time.
    fn criterion_facts(
        &self,
        i: usize,
        level: LevelOfCare,
        eligibility: &Eligibility,
        out: &mut CriterionFacts,
    ) {
        let (d, cq) = (self.dir, &self.cq);
        let q = cq.query;
        let (h, r) = (&d.hot[i], &d.rows[i]);
        let modalities = u64::from(r.modalities);
        let approaches = r.approaches;
        out.level = Some(level);
        out.modalities = modalities & q.needed_modalities;
        out.evidence.clear();
        out.evidence
            .extend(q.conditions.iter().map(|c| c.hits(approaches, modalities)));
        out.specialties = u64::from(r.specialty_cover) & q.condition_bits;
        out.checks_met = q.checks.iter().enumerate().fold(0, |m, (i, c)| {
            let have = match c.set {
                CheckSet::Licenses => u64::from(r.licenses),
                CheckSet::Certifications => u64::from(r.certifications),
                CheckSet::Facility => u64::from(r.facility),
            };
            m | u64::from(have & c.mask != 0) << i
        });
        out.populations = u64::from(r.populations) & q.population_bits;
        out.tracks = eligibility
            .tracks
            .unwrap_or_else(|| self.track_summary(i, level));
        let licensed = q.patient_state.is_none_or(|bit| r.states & bit != 0);
        let some = cq.accepts_telehealth && h.delivery & (TELEHEALTH | HYBRID) != 0;
        out.telehealth_option = some && licensed;
        out.remote = cq.accepts_telehealth && h.delivery & TELEHEALTH != 0 && licensed;
        out.telehealth_unlicensed = some && !licensed;
        out.moud = h.flags & MOUD != 0;
        out.aftercare = u64::from(r.aftercare);
        out.miles = eligibility.miles.or_else(|| {
            cq.location.map(|l| {
                l.miles_to(GeoPoint {
                    latitude: h.lat,
                    longitude: r.lon,
                })
            })
        });
        out.accepting = h.flags & ACCEPTING != 0;
        out.wait_days = (h.flags & WAIT_KNOWN != 0).then_some(r.wait);
        out.days_since_verified = cq.as_of_days - r.verified;
    }
}

impl Index<'_> {
    /// The facts of program `i`'s tracks at `level`, from its merged session
    /// runs and prefix sums over the patient's free time.
    fn track_summary(&self, i: usize, level: LevelOfCare) -> TrackSummary {
        let (d, q) = (self.dir, self.cq.query);
        let h = &d.hot[i];
        let level_bit = level.bit() as u8;
        let tracks = &d.tracks[h.track_off as usize..][..usize::from(h.track_len)];
        let (mut count, mut fitting) = (0u32, 0u32);
        let facts = tracks.iter().filter(|t| t.level == level_bit).map(|t| {
            let runs = &d.sessions[t.sess_off as usize..][..usize::from(t.sess_len)];
            let free: u32 = runs
                .iter()
                .map(|(a, b)| {
                    u32::from(q.avail_prefix[usize::from(*b)] - q.avail_prefix[usize::from(*a)])
                })
                .sum();
            let f = TrackFacts {
                slots: u32::from(t.slots),
                free_slots: free,
                minutes: t.minutes,
            };
            count += 1;
            fitting += u32::from(f.fits_completely());
            f
        });
        let best = best_track(q.hours_needed(level), facts);
        TrackSummary {
            best,
            tracks: count,
            fitting,
            evening_or_weekend: tracks
                .iter()
                .any(|t| t.level == level_bit && t.evening_or_weekend),
        }
    }
}

/// Mean earth radius in miles, as [`GeoPoint::miles_to`] uses.
const EARTH_RADIUS_MILES: f64 = 3958.8;

const TELEHEALTH: u8 = Delivery::Telehealth.bit() as u8;
const HYBRID: u8 = Delivery::Hybrid.bit() as u8;

fn bit(m: &WeekMask, slot: usize) -> bool {
    (m.words()[slot / 64] >> (slot % 64)) & 1 == 1
}

/// The query's facts in the directory's terms (interned ids).
struct CompiledQuery<'a> {
    query: &'a Query,
    level_bit: u8,
    alternatives: &'a [LevelOfCare],
    age: u8,
    population_bits: u64,
    /// The interned ids of the payers that accept the patient's payer
    /// (`Payer::accepted_under`, as the plain path reads it): ids below 64
    /// as bits, the others listed.
    payer_low: u64,
    payer_high: Vec<u32>,
    allow_self_pay: bool,
    allow_waitlist: bool,
    language: Option<u16>,
    condition_bits: u64,
    delivery_ok: u8,
    /// Deliveries that meet in person and the patient accepts.
    in_person_ok: u8,
    accepts_telehealth: bool,
    location: Option<GeoPoint>,
    max_miles: Option<f64>,
    as_of_days: i32,
}

impl<'a> CompiledQuery<'a> {
    fn new(d: &Directory, q: &'a Query) -> CompiledQuery<'a> {
        let n = &q.needs;
        let accepted: Vec<u32> = n
            .payer
            .accepted_under()
            .iter()
            .filter_map(|p| d.payers.get(&p.key()).copied())
            .collect();
        CompiledQuery {
            query: q,
            level_bit: q.level.bit() as u8,
            alternatives: &q.alternative_levels,
            age: n.age,
            population_bits: q.population_bits,
            payer_low: accepted
                .iter()
                .filter(|id| **id < 64)
                .fold(0, |m, id| m | 1 << id),
            payer_high: accepted.iter().copied().filter(|id| *id >= 64).collect(),
            allow_self_pay: q.options.self_pay_allowed(),
            allow_waitlist: q.options.waitlist_allowed(),
            language: d.languages.get(&n.language).copied(),
            condition_bits: q.condition_bits,
            delivery_ok: Delivery::mask_of(Delivery::ALL.iter().filter(|x| n.delivery.accepts(**x)))
                as u8,
            in_person_ok: Delivery::mask_of(
                Delivery::ALL
                    .iter()
                    .filter(|x| x.meets_in_person() && n.delivery.accepts(**x)),
            ) as u8,
            accepts_telehealth: n.delivery.accepts_telehealth(),
            location: n.location,
            max_miles: n.max_travel_miles,
            as_of_days: q.options.as_of().days_since_epoch(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::{Certification, License};

    #[test]
    fn masks_fit_the_packed_widths() {
        assert!(Approach::ALL.len() <= 64);
        assert!(Certification::ALL.len() <= 16);
        assert!(crate::diagnosis::Condition::ALL.len() <= 32);
        assert!(License::ALL.len() <= 16);
        assert!(Population::ALL.len() <= 16);
        for n in [
            FacilityCredential::ALL.len(),
            Aftercare::ALL.len(),
            Delivery::ALL.len(),
            Modality::ALL.len(),
            LevelOfCare::ALL.len(),
        ] {
            assert!(n <= 8);
        }
    }
}
