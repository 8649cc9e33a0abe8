//! The compiled directory: programs turned once into compact rows of
//! bitmasks and small integers, ranked without touching the original
//! records until the winners are explained.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::matching::evidence::EvidenceTable;
use crate::matching::explain::exclusion_reasons;
use crate::matching::facts::{
    CriterionFacts, Eligibility, ExclusionKinds, FactSource, KindCounts, Placement, Plan,
    TrackFacts, TrackSummary, Travel, best_track, schedule_conflict, schedule_judged,
};
use crate::matching::output::{Exclusion, Explanation, Ranking};
use crate::matching::partition::{LanguageKey, PartKey, Parts, PayerKey, Window, cell_of};
use crate::matching::query::{CheckSet, MatchOptions, Query};
use crate::matching::rank::{explain_one, rank_with};
use crate::matching::store::Store;
use crate::matching::words::ExclusionKind;
use crate::{
    credential::FacilityCredential,
    date::Date,
    error::{Error, ValidationReport},
    level::LevelOfCare,
    matching::Weights,
    patient::PatientNeeds,
    program::{
        Aftercare, Delivery, GeoPoint, Language, NotListed, Population, Program, validate_programs,
    },
    schedule::WeekMask,
    therapy::{Approach, Modality, MoudMedication},
};

const ACCEPTING: u8 = 1;
const INTERPRETER: u8 = 2;
const SELF_FUNDED: u8 = 4;
const WAIT_KNOWN: u8 = 8;
/// Offers MOUD or has a prescriber ([`Program::can_provide_moud`]).
const MOUD: u8 = 16;
/// Keeps a patient on methadone ([`Program::keeps_methadone`]).
const OTP_ACCESS: u8 = 32;
/// Admits only some primary conditions (`Row::admits_cover`).
const ADMITS: u8 = 64;

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
    /// Parts not listed (bits of [`NotListed`]).
    unlisted: u8,
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
    /// The primary conditions it admits (read when `ADMITS` is set).
    admits_cover: u32,
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
    /// Bit `i`: it lists `MoudMedication::ALL[i]`; bit 3: it lists MOUD at
    /// all ([`Program::lists_moud`]).
    moud_listed: u8,
    /// Provides or coordinates withdrawal management.
    withdrawal_management: bool,
}

/// Where a program's rows go when a directory is built: levels offered,
/// remote telehealth or not, grid cell (then position breaks ties).
type SlotKey = (u8, bool, (u16, u16));

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

/// A directory of programs, validated and compiled once for ranking, and
/// kept up to date one program at a time.
///
/// `Send + Sync`: share it (for example in an `Arc<RwLock<_>>`) and rank any
/// number of patients against it. Ranking scores compact rows of bitmasks
/// and builds explanations only for the top k; it returns exactly what
/// [`crate::matching::rank_plain`] returns over the same programs. Updates
/// ([`Directory::insert`], [`Directory::replace`], [`Directory::remove`],
/// [`Directory::set_accepting`]) validate and compile the one program they
/// touch; afterwards every ranking equals that of a directory built afresh
/// from [`Directory::programs`].
///
/// # Example
///
/// ```
/// use carematch::{Directory, sample, matching::{MatchOptions, Weights}};
///
/// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
/// let patient = &sample::patients()[0];
/// let level = patient.needs.level.expect("the sample patient names a level");
/// let query = dir.query(&patient.needs, level, MatchOptions::new(sample::AS_OF))?;
/// let ranking = dir.rank(&query, &Weights::default(), 5);
/// for m in &ranking.matches {
///     println!("{:.3} {}", m.score, m.program_name);
/// }
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Clone)]
pub struct Directory {
    /// The programs, encoded compactly, with the O(1) lookup by id; a
    /// [`Program`] is decoded on demand.
    programs: Store,
    /// Positions in `programs`, in program-id order.
    by_rank: Vec<u32>,
    /// The index's rows (`hot`, `rows`) are in slots: ordered by the levels
    /// offered, then grid cell, when the directory is built, so the
    /// programs of one level group or one cell are read one after another;
    /// an inserted program takes the next slot.
    /// `slot_of[position]` and `pos_of[slot]` translate.
    slot_of: Vec<u32>,
    pos_of: Vec<u32>,
    /// The date updates are validated against.
    as_of: Date,
    /// Entries of `payer_ids`, `lang_ids`, `tracks` and `sessions` no row
    /// points at any more (left by updates; compacted when they outnumber the rest).
    dead: usize,
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
    /// Positions by place, licensed telehealth state and levels, and the
    /// filter tallies: what lets a ranking skip programs unread.
    parts: Parts,
    scan: Scan,
}

/// Which programs a ranking reads: a knob for benchmarks and tests, which
/// compare the partitioned index with the full scan. Rankings are the same
/// whichever is chosen.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Scan {
    /// The partitions, unless they would read most programs anyway.
    #[default]
    Auto,
    /// The partitions whenever the query allows them.
    Partitions,
    /// Every program, in order.
    Full,
}

impl std::fmt::Debug for Directory {
    /// A summary (the index is large): how many programs, index bytes and warnings.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Directory")
            .field("programs", &self.programs.len())
            .field("index_bytes", &self.index_bytes())
            .field("warnings", &self.warnings.problems.len())
            .field("as_of", &self.as_of)
            .finish_non_exhaustive()
    }
}

/// Sorts and deduplicates `v[from..]` in place (dropping the repeats off
/// the end) and gives that part back.
fn sort_dedup_tail<T: Ord + Copy>(v: &mut Vec<T>, from: usize) -> &[T] {
    v[from..].sort_unstable();
    let mut kept = from;
    for i in from..v.len() {
        if kept == from || v[i] != v[kept - 1] {
            v[kept] = v[i];
            kept += 1;
        }
    }
    v.truncate(kept);
    &v[from..]
}

fn narrow<T: TryFrom<usize>>(n: usize, what: &str) -> Result<T, Error> {
    T::try_from(n).map_err(|_| Error::limit(format!("too many {what} ({n})")))
}

impl Directory {
    /// Validates `programs` (judging verification dates against `as_of`)
    /// and compiles them. Warnings are kept ([`Directory::warnings`]).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) with every problem when validation finds an error;
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) when a directory is beyond the index's limits (more
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
        Directory::compile_all(programs, warnings, as_of)
    }

    /// Compiles programs already validated.
    fn compile_all(
        programs: Vec<Program>,
        warnings: ValidationReport,
        as_of: Date,
    ) -> Result<Directory, Error> {
        narrow::<u32>(programs.len(), "programs")?;
        let mut d = Directory::empty(as_of, programs.len());
        d.warnings = warnings;
        // Each program is freed once stored, so the parsed programs and
        // the store are not both whole at once.
        for p in programs {
            d.push_compiled(&p)?;
        }
        d.finish_build();
        Ok(d)
    }

    /// An empty directory with room for `n` programs, ready for
    /// [`Directory::push_compiled`] and [`Directory::finish_build`].
    fn empty(as_of: Date, n: usize) -> Directory {
        Directory {
            programs: Store::with_capacity(n),
            by_rank: Vec::new(),
            slot_of: Vec::new(),
            pos_of: Vec::new(),
            as_of,
            dead: 0,
            warnings: ValidationReport::default(),
            evidence: EvidenceTable::default(),
            hot: Vec::with_capacity(n),
            rows: Vec::with_capacity(n),
            payer_ids: Vec::new(),
            lang_ids: Vec::new(),
            tracks: Vec::new(),
            sessions: Vec::new(),
            payers: BTreeMap::new(),
            languages: BTreeMap::new(),
            parts: Parts::default(),
            scan: Scan::Auto,
        }
    }

    /// Compiles and stores one more program (validated, its id new) while a
    /// directory is built: its rows go in position order, with its id rank
    /// and slot left to [`Directory::finish_build`].
    fn push_compiled(&mut self, p: &Program) -> Result<(), Error> {
        narrow::<u32>(self.programs.len() + 1, "programs")?;
        let (hot, row) = self.compile(p, 0)?;
        self.hot.push(hot);
        self.rows.push(row);
        self.programs.push(p);
        Ok(())
    }

    /// Finishes a directory built with [`Directory::push_compiled`]: id
    /// ranks, rows put in slots (by levels offered, remote telehealth or
    /// not, grid cell, then position), partitions and tallies.
    fn finish_build(&mut self) {
        let n = self.programs.len();
        let mut by_rank: Vec<u32> = (0..n as u32).collect();
        by_rank.sort_by(|a, b| {
            self.programs
                .id(*a as usize)
                .cmp(self.programs.id(*b as usize))
        });
        for (rank, pos) in by_rank.iter().enumerate() {
            self.rows[*pos as usize].id_rank = rank as u32;
        }
        self.by_rank = by_rank;
        // Levels offered first, then cell: a level group is one run of
        // slots and a cell a few (one per level group), so reading either
        // reads rows one after another (a gather of scattered rows costs a
        // cache miss each, more than reading every row in order).
        // Remote telehealth apart within a level group, so the programs a
        // state's licensed telehealth lists are runs too.
        let mut order: Vec<(SlotKey, u32)> = (0..n)
            .map(|i| {
                let h = &self.hot[i];
                let cell = cell_of(h.lat, self.rows[i].lon);
                ((h.levels, h.delivery & TELEHEALTH != 0, cell), i as u32)
            })
            .collect();
        order.sort_unstable();
        self.pos_of = order.into_iter().map(|(_, i)| i).collect();
        self.slot_of = vec![0; n];
        for (slot, pos) in self.pos_of.iter().enumerate() {
            self.slot_of[*pos as usize] = slot as u32;
        }
        self.hot = self.pos_of.iter().map(|p| self.hot[*p as usize]).collect();
        self.rows = self.pos_of.iter().map(|p| self.rows[*p as usize]).collect();
        self.relayout_side_arrays();
        self.programs.shrink_to_fit();
        for slot in 0..n {
            let key = self.part_key(slot);
            self.parts.add(slot as u32, &key);
        }
    }

    /// Rewrites the side arrays (payer and language ids, tracks, sessions)
    /// in slot order with only the entries the rows point at, so that
    /// scoring the programs of a cell reads them one after another too: after
    /// a bulk build, and to compact them once updates have left enough
    /// entries no row points at.
    fn relayout_side_arrays(&mut self) {
        let mut payer_ids = Vec::with_capacity(self.payer_ids.len());
        let mut lang_ids = Vec::with_capacity(self.lang_ids.len());
        let mut tracks = Vec::with_capacity(self.tracks.len());
        let mut sessions = Vec::with_capacity(self.sessions.len());
        for (h, r) in self.hot.iter_mut().zip(&mut self.rows) {
            let at = payer_ids.len() as u32;
            payer_ids.extend_from_slice(
                &self.payer_ids[r.payer_off as usize..][..usize::from(r.payer_len)],
            );
            r.payer_off = at;
            let at = lang_ids.len() as u32;
            lang_ids.extend_from_slice(
                &self.lang_ids[r.lang_off as usize..][..usize::from(r.lang_len)],
            );
            r.lang_off = at;
            let at = tracks.len() as u32;
            for t in &self.tracks[h.track_off as usize..][..usize::from(h.track_len)] {
                let sess_off = sessions.len() as u32;
                sessions.extend_from_slice(
                    &self.sessions[t.sess_off as usize..][..usize::from(t.sess_len)],
                );
                tracks.push(TrackRow { sess_off, ..*t });
            }
            h.track_off = at;
        }
        self.payer_ids = payer_ids;
        self.lang_ids = lang_ids;
        self.tracks = tracks;
        self.sessions = sessions;
        self.dead = 0;
    }

    /// Reads, validates, compiles and stores a directory document in one
    /// pass, each program dropped as soon as it is stored (so the parsed
    /// programs are never all in memory); the validation report's errors
    /// (a duplicate id among them: duplicates are stored, then reported) as
    /// the plain path reports them. `None` when the one pass does not read
    /// the document or passes a limit of the index, which the plain path
    /// then reads (and reports) instead.
    #[cfg(feature = "serde")]
    fn stream(text: &str, as_of: Date) -> Option<Result<Directory, Error>> {
        let mut d = Directory::empty(as_of, 0);
        let mut check = crate::program::DirectoryCheck::new(as_of);
        let mut failed = false;
        crate::load::read_each(text, as_of, &mut |batch| {
            for c in batch.iter_mut() {
                check.checked(std::mem::take(&mut c.report));
                // A duplicate id is stored too, and reported below.
                failed = failed || d.push_compiled(&c.program).is_err();
            }
        })?;
        if failed {
            return None;
        }
        let ids = (0..d.programs.len()).map(|i| d.programs.id(i));
        d.warnings = match check.finish_ids(ids).into_result() {
            Ok(r) => r,
            Err(e) => return Some(Err(e)),
        };
        d.finish_build();
        Some(Ok(d))
    }

    /// Reads a directory document (`{"programs": [...]}`, as
    /// [`crate::programs_from_json`]), validates it once and compiles it; the
    /// warnings stay on the directory ([`Directory::warnings`]).
    ///
    /// Each program is stored as soon as it is read and checked, and
    /// dropped, so the parsed programs are never all in memory. A document
    /// of 8 MiB or more is read and checked on the machine's threads (at
    /// most 8, joined before this returns) and compiled, in document order,
    /// on this one; the directory, its warnings and every error are those of
    /// reading on one thread (see [`crate::load_directory`]).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Json`](crate::ErrorKind::Json) naming the field path for
    /// a document of the wrong shape, and as [`Directory::new`].
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, sample};
    /// let dir = Directory::from_json(sample::MASSACHUSETTS_JSON, sample::AS_OF)?;
    /// assert_eq!(dir.len(), sample::massachusetts().len());
    /// assert!(!dir.warnings().has_errors());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    #[cfg(feature = "serde")]
    pub fn from_json(text: &str, as_of: Date) -> Result<Directory, Error> {
        if let Some(built) = Directory::stream(text, as_of) {
            return built;
        }
        let (programs, report) = crate::load::read_and_check(text, as_of)?;
        Directory::compile_all(programs, report.into_result()?, as_of)
    }

    /// As [`Directory::from_json`], reading the document from `reader` (a
    /// file, a request body).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Json`](crate::ErrorKind::Json) when the reader fails or
    /// the text is not valid UTF-8, and as [`Directory::from_json`].
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, sample};
    /// let dir = Directory::from_reader(sample::MASSACHUSETTS_JSON.as_bytes(), sample::AS_OF)?;
    /// assert!(!dir.is_empty());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    #[cfg(feature = "serde")]
    pub fn from_reader<R: std::io::Read>(mut reader: R, as_of: Date) -> Result<Directory, Error> {
        let mut text = String::new();
        reader
            .read_to_string(&mut text)
            .map_err(|e| Error::json(String::new(), format!("cannot read the document: {e}")))?;
        Directory::from_json(&text, as_of)
    }

    fn compile(&mut self, p: &Program, id_rank: u32) -> Result<(Hot, Row), Error> {
        let payer_off = narrow::<u32>(self.payer_ids.len(), "payer entries")?;
        // The ids go straight onto the side array, sorted and deduplicated
        // there; a payer's key is written into one buffer and copied only
        // for a payer seen for the first time.
        let mut key = String::new();
        for payer in &p.payers {
            key.clear();
            payer.write_key(&mut key);
            let id = match self.payers.get(key.as_str()) {
                Some(id) => *id,
                None => {
                    let next = narrow::<u32>(self.payers.len(), "payers")?;
                    self.payers.insert(key.clone(), next);
                    next
                }
            };
            self.payer_ids.push(id);
        }
        let ids = sort_dedup_tail(&mut self.payer_ids, payer_off as usize);
        let payer_mask = ids
            .iter()
            .filter(|i| **i < 64)
            .fold(0u64, |m, i| m | 1 << i);
        let payer_len = narrow::<u16>(ids.len(), "payers in one program")?;

        let lang_off = narrow::<u32>(self.lang_ids.len(), "language entries")?;
        for l in &p.languages {
            let next = narrow::<u16>(self.languages.len(), "languages")?;
            let id = *self.languages.entry(*l).or_insert(next);
            self.lang_ids.push(id);
        }
        let langs = sort_dedup_tail(&mut self.lang_ids, lang_off as usize);
        let lang_mask = langs
            .iter()
            .filter(|i| **i < 32)
            .fold(0u32, |m, i| m | 1 << i);
        let lang_len = narrow::<u16>(langs.len(), "languages in one program")?;

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
                evening_or_weekend: t.is_evening_or_weekend(),
            });
        }
        let track_len = narrow::<u16>(p.tracks.len(), "tracks in one program")?;

        let (mut flags, unlisted) = status_bits(p);
        if p.interpreter_services {
            flags |= INTERPRETER;
        }
        if p.takes_self_funded() {
            flags |= SELF_FUNDED;
        }
        if p.can_provide_moud() {
            flags |= MOUD;
        }
        if p.keeps_methadone() {
            flags |= OTP_ACCESS;
        }
        let admits_cover = p.admits_cover();
        if admits_cover.is_some() {
            flags |= ADMITS;
        }
        let moud_listed = MoudMedication::ALL
            .iter()
            .enumerate()
            .fold(u8::from(p.lists_moud(None)) << 3, |m, (i, med)| {
                m | u8::from(p.lists_moud(Some(*med))) << i
            });
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
            unlisted,
        };
        let row = Row {
            lon: p.location.longitude,
            states: p.licensed_state_bits(),
            populations: Population::mask_of(&p.populations) as u16,
            verified: p.last_verified.days_since_epoch(),
            id_rank,
            approaches: Approach::mask_of(&p.approaches),
            specialty_cover: p.specialties.iter().fold(0, |m, c| m | c.covered_mask()) as u32,
            admits_cover: admits_cover.unwrap_or(0) as u32,
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
            moud_listed,
            withdrawal_management: p.withdrawal_management,
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

    /// The same directory ranking with `scan` (benchmarks and tests compare
    /// the partitioned index with the full scan; rankings are equal).
    #[doc(hidden)]
    pub fn with_scan(mut self, scan: Scan) -> Directory {
        self.scan = scan;
        self
    }

    /// The programs, in the order given (an inserted program last, a removed
    /// one's place closed up), each decoded as it is reached: the directory
    /// keeps its programs compactly encoded (ranking reads the compiled
    /// index), so each item is a [`Program`] of its own. Collect them when
    /// you need them all at once.
    ///
    /// # Example
    ///
    /// ```
    /// let programs = carematch::sample::massachusetts();
    /// let dir = carematch::Directory::new(programs.clone(), carematch::sample::AS_OF)?;
    /// assert_eq!(dir.programs().len(), dir.len());
    /// assert_eq!(dir.programs().collect::<Vec<_>>(), programs);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn programs(
        &self,
    ) -> impl ExactSizeIterator<Item = Program> + DoubleEndedIterator + Clone + '_ {
        (0..self.programs.len()).map(|i| self.programs.get(i))
    }

    /// The ids of the programs, in the order of [`Directory::programs`],
    /// read without decoding the programs.
    ///
    /// # Example
    ///
    /// ```
    /// let dir = carematch::Directory::new(carematch::sample::massachusetts(), carematch::sample::AS_OF)?;
    /// let first = dir.ids().next().expect("the sample is not empty");
    /// assert_eq!(dir.get(first).map(|p| p.id), Some(first.parse()?));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn ids(&self) -> impl ExactSizeIterator<Item = &str> + DoubleEndedIterator + Clone + '_ {
        (0..self.programs.len()).map(|i| self.programs.id(i))
    }

    /// The program with `id`, if any, found in O(1) and decoded.
    ///
    /// # Example
    ///
    /// ```
    /// let programs = carematch::sample::massachusetts();
    /// let dir = carematch::Directory::new(programs.clone(), carematch::sample::AS_OF)?;
    /// assert_eq!(dir.get(programs[0].id.as_str()).as_ref(), Some(&programs[0]));
    /// assert_eq!(dir.get("no-such-program"), None);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn get<Id: AsRef<str> + ?Sized>(&self, id: &Id) -> Option<Program> {
        self.position(id.as_ref()).map(|i| self.programs.get(i))
    }

    /// Whether a program has `id`.
    ///
    /// # Example
    ///
    /// ```
    /// let dir = carematch::Directory::new(carematch::sample::massachusetts(), carematch::sample::AS_OF)?;
    /// assert!(dir.contains(carematch::sample::massachusetts()[0].id.as_str()));
    /// assert!(!dir.contains("no-such-program"));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn contains<Id: AsRef<str> + ?Sized>(&self, id: &Id) -> bool {
        self.position(id.as_ref()).is_some()
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.programs.position(id)
    }

    /// Program `i`'s open slots (`i` as in [`Directory::programs`]), read
    /// without decoding the program.
    pub(crate) fn open_slots_at(&self, i: usize) -> Option<u32> {
        self.programs.open_slots(i)
    }

    fn position_or_err(&self, id: &str) -> Result<usize, Error> {
        self.position(id).ok_or_else(|| Error::unknown_program(id))
    }

    /// Adds `program`, validating it alone (against the `as_of` date the
    /// directory was built with) and compiling its row; nothing else is
    /// rebuilt. Returns the program's warnings (paths relative to the program).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::DuplicateProgram`](crate::ErrorKind::DuplicateProgram)
    /// when a program already has its id;
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) with every error
    /// when it fails validation; [`ErrorKind::Limit`](crate::ErrorKind::Limit)
    /// beyond the index's limits. The directory is unchanged on error.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, ErrorKind, sample};
    /// let mut programs = sample::massachusetts();
    /// let last = programs.pop().unwrap();
    /// let mut dir = Directory::new(programs, sample::AS_OF)?;
    /// dir.insert(last.clone())?;
    /// assert!(dir.contains(last.id.as_str()));
    /// assert_eq!(dir.insert(last).unwrap_err().kind(), ErrorKind::DuplicateProgram);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn insert(&mut self, program: Program) -> Result<ValidationReport, Error> {
        if self.contains(&program.id) {
            return Err(Error::duplicate_program(program.id.as_str()));
        }
        let warnings = program.validate(self.as_of).into_result()?;
        let i = narrow::<u32>(self.programs.len(), "programs")?;
        narrow::<u32>(self.programs.len() + 1, "programs")?;
        let rank = self
            .by_rank
            .partition_point(|r| self.programs.id(*r as usize) < program.id.as_str());
        let (hot, row) = self.compile_or_undo(&program, rank as u32)?;
        for r in &mut self.rows {
            if r.id_rank as usize >= rank {
                r.id_rank += 1;
            }
        }
        self.by_rank.insert(rank, i);
        // The next slot (`i`, as every position has one).
        self.hot.push(hot);
        self.rows.push(row);
        self.slot_of.push(i);
        self.pos_of.push(i);
        self.programs.push(&program);
        let key = self.part_key(i as usize);
        self.parts.add(i, &key);
        Ok(warnings)
    }

    /// Replaces the program with `program`'s id by `program`, validating and
    /// compiling it alone; it keeps its place in [`Directory::programs`].
    /// Returns its warnings (paths relative to the program).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownProgram`](crate::ErrorKind::UnknownProgram) when
    /// no program has its id, and as [`Directory::insert`]. The directory is
    /// unchanged on error.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, sample};
    /// let mut dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let mut p = sample::massachusetts().remove(0);
    /// p.name = "Renamed".into();
    /// dir.replace(p.clone())?;
    /// assert_eq!(dir.get(p.id.as_str()).map(|p| p.name), Some("Renamed".to_owned()));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn replace(&mut self, program: Program) -> Result<ValidationReport, Error> {
        let i = self.position_or_err(program.id.as_str())?;
        let warnings = program.validate(self.as_of).into_result()?;
        let s = self.slot_of[i] as usize;
        let (hot, row) = self.compile_or_undo(&program, self.rows[s].id_rank)?;
        let old = self.part_key(s);
        self.parts.remove(s as u32, &old);
        self.dead += self.entries(s);
        self.hot[s] = hot;
        self.rows[s] = row;
        self.programs.set(i, &program);
        let key = self.part_key(s);
        self.parts.add(s as u32, &key);
        self.compact_if_needed();
        Ok(warnings)
    }

    /// Inserts `program`, or replaces the program with its id (as a `PUT`
    /// does). Returns its warnings.
    ///
    /// # Errors
    ///
    /// As [`Directory::insert`] and [`Directory::replace`].
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, sample};
    /// let mut dir = Directory::new(Vec::new(), sample::AS_OF)?;
    /// let p = sample::massachusetts().remove(0);
    /// dir.upsert(p.clone())?;
    /// dir.upsert(p)?;
    /// assert_eq!(dir.len(), 1);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn upsert(&mut self, program: Program) -> Result<ValidationReport, Error> {
        if self.contains(&program.id) {
            self.replace(program)
        } else {
            self.insert(program)
        }
    }

    /// Removes the program with `id` and returns it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownProgram`](crate::ErrorKind::UnknownProgram) when
    /// no program has `id`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, sample};
    /// let mut dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let id = sample::massachusetts()[3].id.clone();
    /// let removed = dir.remove(id.as_str())?;
    /// assert_eq!(removed.id, id);
    /// assert!(dir.get(id.as_str()).is_none());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn remove<Id: AsRef<str> + ?Sized>(&mut self, id: &Id) -> Result<Program, Error> {
        let id = id.as_ref();
        let i = self.position_or_err(id)?;
        let s = self.slot_of[i] as usize;
        let key = self.part_key(s);
        self.parts.remove(s as u32, &key);
        self.parts.close_up(s as u32);
        self.dead += self.entries(s);
        let rank = self.rows[s].id_rank;
        self.by_rank.remove(rank as usize);
        for r in &mut self.by_rank {
            if *r as usize > i {
                *r -= 1;
            }
        }
        self.hot.remove(s);
        self.rows.remove(s);
        for r in &mut self.rows {
            if r.id_rank > rank {
                r.id_rank -= 1;
            }
        }
        self.pos_of.remove(s);
        for p in &mut self.pos_of {
            if *p as usize > i {
                *p -= 1;
            }
        }
        self.slot_of.remove(i);
        for x in &mut self.slot_of {
            if *x as usize > s {
                *x -= 1;
            }
        }
        let program = self.programs.get(i);
        self.programs.remove(i);
        self.compact_if_needed();
        Ok(program)
    }

    /// Sets whether the program with `id` accepts new patients and its
    /// typical wait in days (`None`: not listed), the update a program's
    /// intake desk sends most often; the new-patient status is listed from
    /// then on. The program is validated again.
    /// Returns its warnings.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownProgram`](crate::ErrorKind::UnknownProgram) when
    /// no program has `id`; [`ErrorKind::Invalid`](crate::ErrorKind::Invalid)
    /// when the program no longer validates. The directory is unchanged on error.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, sample};
    /// let mut dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let id = sample::massachusetts()[0].id.clone();
    /// dir.set_accepting(id.as_str(), false, Some(21))?;
    /// let p = dir.get(id.as_str()).unwrap();
    /// assert!(!p.accepting_new_patients);
    /// assert_eq!(p.typical_wait_days, Some(21));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn set_accepting<Id: AsRef<str> + ?Sized>(
        &mut self,
        id: &Id,
        accepting: bool,
        typical_wait_days: Option<u16>,
    ) -> Result<ValidationReport, Error> {
        let i = self.position_or_err(id.as_ref())?;
        let p = self.programs.get(i);
        // The new-patient status is now listed; so is the wait when given
        // (a `None` wait is not listed, as in a program's JSON).
        let mut not_listed = p.not_listed.clone();
        not_listed.retain(|n| {
            *n != NotListed::AcceptingNewPatients
                && (*n != NotListed::Wait || typical_wait_days.is_none())
        });
        let changed = Program {
            accepting_new_patients: accepting,
            typical_wait_days,
            not_listed,
            ..p
        };
        let warnings = changed.validate(self.as_of).into_result()?;
        let (bits, unlisted) = status_bits(&changed);
        let s = self.slot_of[i] as usize;
        let old = self.part_key(s);
        self.parts.remove(s as u32, &old);
        self.programs.set(i, &changed);
        let h = &mut self.hot[s];
        h.flags = h.flags & !(ACCEPTING | WAIT_KNOWN) | bits;
        h.unlisted = unlisted;
        self.rows[s].wait = typical_wait_days.unwrap_or(0);
        let key = self.part_key(s);
        self.parts.add(s as u32, &key);
        Ok(warnings)
    }

    /// What the partitions and tallies hold of the program in slot `i`, from its rows.
    fn part_key(&self, i: usize) -> PartKey {
        let (h, r) = (&self.hot[i], &self.rows[i]);
        let payers = &self.payer_ids[r.payer_off as usize..][..usize::from(r.payer_len)];
        let langs = &self.lang_ids[r.lang_off as usize..][..usize::from(r.lang_len)];
        PartKey {
            cell: cell_of(h.lat, r.lon),
            telehealth: h.delivery & TELEHEALTH != 0,
            states: r.states,
            levels: h.levels,
            ages: (h.age_min, h.age_max),
            restricted: h.restricted,
            payers: PayerKey {
                mask: h.payer_mask,
                high: payers.iter().copied().filter(|id| *id >= 64).collect(),
                self_funded: h.flags & SELF_FUNDED != 0,
                unlisted: h.unlisted & PAYERS_UNLISTED != 0,
            },
            languages: (h.flags & INTERPRETER == 0).then(|| LanguageKey {
                mask: h.lang_mask,
                high: langs.iter().copied().filter(|id| *id >= 32).collect(),
            }),
            excluded_cover: h.excluded_cover,
            admits_cover: if h.flags & ADMITS != 0 {
                r.admits_cover
            } else {
                0
            },
            delivery: h.delivery,
            flags: h.flags,
            unlisted: h.unlisted,
        }
    }

    /// Compiles `p`; on an error, the side arrays are as they were.
    fn compile_or_undo(&mut self, p: &Program, id_rank: u32) -> Result<(Hot, Row), Error> {
        let lens = (
            self.payer_ids.len(),
            self.lang_ids.len(),
            self.tracks.len(),
            self.sessions.len(),
        );
        self.compile(p, id_rank).inspect_err(|_| {
            self.payer_ids.truncate(lens.0);
            self.lang_ids.truncate(lens.1);
            self.tracks.truncate(lens.2);
            self.sessions.truncate(lens.3);
        })
    }

    /// Entries the program in slot `i` holds in the shared side arrays.
    fn entries(&self, i: usize) -> usize {
        let (h, r) = (&self.hot[i], &self.rows[i]);
        let tracks = &self.tracks[h.track_off as usize..][..usize::from(h.track_len)];
        usize::from(r.payer_len)
            + usize::from(r.lang_len)
            + tracks.len()
            + tracks
                .iter()
                .map(|t| usize::from(t.sess_len))
                .sum::<usize>()
    }

    /// Rewrites the side arrays without the entries no row points at, once
    /// those outnumber the rest (so updates cost amortized O(1) space).
    fn compact_if_needed(&mut self) {
        let total =
            self.payer_ids.len() + self.lang_ids.len() + self.tracks.len() + self.sessions.len();
        if self.dead >= 64 && self.dead * 2 >= total {
            self.relayout_side_arrays();
        }
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

    /// Validation warnings found when the directory was built (each update
    /// returns the warnings of the program it touched).
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

    /// Compiles `needs` at `level` with this directory's evidence table.
    ///
    /// # Errors
    ///
    /// As [`Query::new`].
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, LevelOfCare, sample, matching::MatchOptions};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let needs = &sample::patients()[1].needs;
    /// let q = dir.query(needs, LevelOfCare::IntensiveOutpatient, MatchOptions::new(sample::AS_OF))?;
    /// assert_eq!(q.needs().age, 16);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn query(
        &self,
        needs: &PatientNeeds,
        level: LevelOfCare,
        options: MatchOptions,
    ) -> Result<Query, Error> {
        Query::new(needs, level, &self.evidence, options)
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
    /// use carematch::{Directory, LevelPolicy, sample, matching::MatchOptions};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let patient = &sample::patients()[0];
    /// let rec = LevelPolicy::default().recommend(&patient.assessment);
    /// let q = dir.query_for(&patient.needs, &rec, MatchOptions::new(sample::AS_OF))?;
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
    /// assert!(dir.index_bytes() / dir.len() < 1024);
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
            + self.parts.bytes()
            + (self.slot_of.len() + self.pos_of.len()) * size_of::<u32>()
    }

    /// Bytes the stored programs take: their compact records, the strings
    /// they share (organizations, places, payer plan and track names) and
    /// the lookup by id. With [`Directory::index_bytes`], what the
    /// directory holds.
    ///
    /// # Example
    ///
    /// ```
    /// let dir = carematch::Directory::new(carematch::sample::massachusetts(), carematch::sample::AS_OF)?;
    /// assert!(dir.store_bytes() > 0);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn store_bytes(&self) -> usize {
        self.programs.heap_bytes()
    }

    /// [`Directory::store_bytes`] in parts: the records (with where each
    /// starts), the shared strings (with their lookup), the id table. A
    /// measurement aid, not part of the API.
    #[doc(hidden)]
    pub fn store_parts(&self) -> (usize, usize, usize) {
        self.programs.heap_parts()
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

    /// Everything about one program for one patient: where it would rank
    /// in the full ranking (even outside the top k) with its whole
    /// breakdown, as a match or a labelled alternative; or every reason it
    /// is excluded; or that no program has `id`. Answers "why is X not on my
    /// list?" and "how does X compare?". One pass over the directory (to
    /// count the programs ranked above it); the lookup by id is O(1).
    ///
    /// # Example
    ///
    /// ```
    /// # use carematch::{*, level::*, matching::*};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let patient = &sample::patients()[1];
    /// let q = dir.query(&patient.needs, LevelOfCare::IntensiveOutpatient, MatchOptions::new(sample::AS_OF))?;
    /// let ranking = dir.rank(&q, &Weights::default(), 3);
    /// let first = &ranking.matches[0];
    /// match dir.explain(&q, &Weights::default(), first.program_id.as_str()) {
    ///     Explanation::Match { rank, details } => assert_eq!((rank, &details), (1, first)),
    ///     other => panic!("{other:?}"),
    /// }
    /// let adults_only = dir.programs().find(|p| p.ages.min >= 18).unwrap();
    /// let Explanation::Excluded { details } = dir.explain(&q, &Weights::default(), adults_only.id.as_str()) else {
    ///     panic!("a 16-year-old cannot attend an adults-only program");
    /// };
    /// assert!(details.reasons.iter().any(|r| matches!(r, ExclusionReason::AgeOutOfRange { .. })));
    /// assert!(matches!(dir.explain(&q, &Weights::default(), "nope"), Explanation::UnknownProgram { .. }));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn explain<Id: AsRef<str> + ?Sized>(
        &self,
        q: &Query,
        weights: &Weights,
        id: &Id,
    ) -> Explanation {
        match self.position(id.as_ref()) {
            Some(i) => explain_one(&Index::new(self, q), weights, self.slot_of[i] as usize),
            None => Explanation::UnknownProgram {
                program_id: id.as_ref().to_owned(),
            },
        }
    }

    /// Every program that cannot take the patient, with all its reasons, in
    /// program-id order: what a ranking lists as `excluded` when
    /// [`MatchOptions::with_exclusion_details`] is on, built lazily, one
    /// program at a time.
    ///
    /// # Example
    ///
    /// ```
    /// # use carematch::{*, level::*, matching::*};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let q = dir.query(&sample::patients()[1].needs, LevelOfCare::IntensiveOutpatient, MatchOptions::new(sample::AS_OF))?;
    /// let ranking = dir.rank(&q, &Weights::default(), 5);
    /// assert!(ranking.excluded.is_empty() && ranking.excluded_count > 0);
    /// assert_eq!(dir.exclusions(&q).count(), ranking.excluded_count);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn exclusions<'a>(&'a self, q: &'a Query) -> impl Iterator<Item = Exclusion> + 'a {
        let index = Index::new(self, q);
        self.by_rank.iter().filter_map(move |pos| {
            let i = self.slot_of[*pos as usize] as usize;
            index.eligibility(i, false).outcome().err()?;
            let e = index.eligibility(i, true);
            let p = self.programs.get(*pos as usize);
            let reasons = exclusion_reasons(q, &e, &p);
            Some(Exclusion {
                program_id: p.id,
                program_name: p.name,
                reasons,
            })
        })
    }

    /// Ranks the directory for one patient: the top `k` programs at the
    /// query's level with their breakdowns, the top `k` labelled
    /// alternatives (when the query's options ask for them), exclusion
    /// counts by reason, and (only when
    /// [`MatchOptions::with_exclusion_details`] asks) every excluded program
    /// with all its reasons ([`Directory::exclusions`] lists them on demand).
    ///
    /// Deterministic: score by `f64::total_cmp`, then distance, then wait,
    /// then program id.
    ///
    /// # Example
    ///
    /// ```
    /// # use carematch::{*, level::*, matching::*};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let q = dir.query(&sample::patients()[0].needs, LevelOfCare::IntensiveOutpatient, MatchOptions::new(sample::AS_OF))?;
    /// let top5 = dir.rank(&q, &Weights::default(), 5);
    /// let top6 = dir.rank(&q, &Weights::default(), 6);
    /// assert_eq!(top5.matches[..], top6.matches[..top5.matches.len()]);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn rank(&self, q: &Query, weights: &Weights, k: usize) -> Ranking {
        rank_with(&Index::new(self, q), weights, k)
    }

    /// Ranks many patients against the directory in one call: element `i`
    /// is `self.rank(&queries[i], weights, k)`. With the `rayon` feature the
    /// queries run in parallel; the results are the same either way.
    ///
    /// # Example
    ///
    /// ```
    /// # use carematch::{*, level::*, matching::*};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let queries = sample::patients()
    ///     .iter()
    ///     .map(|p| dir.query(&p.needs, LevelOfCare::IntensiveOutpatient, MatchOptions::new(sample::AS_OF)))
    ///     .collect::<Result<Vec<_>, _>>()?;
    /// let rankings = dir.rank_batch(&queries, &Weights::default(), 5);
    /// assert_eq!(rankings[1], dir.rank(&queries[1], &Weights::default(), 5));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn rank_batch(&self, queries: &[Query], weights: &Weights, k: usize) -> Vec<Ranking> {
        #[cfg(feature = "rayon")]
        {
            use rayon::prelude::*;
            queries
                .par_iter()
                .map(|q| self.rank(q, weights, k))
                .collect()
        }
        #[cfg(not(feature = "rayon"))]
        {
            queries.iter().map(|q| self.rank(q, weights, k)).collect()
        }
    }

    /// The index's slot of the program at `position` (for the property test).
    #[cfg(test)]
    pub(crate) fn slot(&self, position: usize) -> usize {
        self.slot_of[position] as usize
    }

    /// The compiled index as a producer of facts for `q` (for the property
    /// test holding the two producers equal), by slot ([`Directory::slot`]).
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

    /// The program in slot `i`, decoded.
    fn program(&self, i: usize) -> Cow<'_, Program> {
        Cow::Owned(self.dir.programs.get(self.dir.pos_of[i] as usize))
    }

    fn id_rank(&self, i: usize) -> u32 {
        self.dir.rows[i].id_rank
    }

    /// Mask tests on the hot row; the haversine only when the travel limit
    /// needs it (or `exact` asks for the miles).
    fn eligibility(&self, i: usize, exact: bool) -> Eligibility {
        self.eligibility_with(i, exact, false)
    }

    /// Decides the outcome and the place filters exactly, stopping the
    /// other filters at the first that fails: their counts come from the
    /// tallies ([`FactSource::exclusion_counts`]).
    fn screen(&self, i: usize) -> Eligibility {
        self.eligibility_with(i, false, true)
    }

    fn offers_evidence(&self, i: usize, c: usize) -> bool {
        let r = &self.dir.rows[i];
        let c = &self.cq.query.conditions[c];
        c.offers_first_line(c.hits(r.approaches, u64::from(r.modalities)))
    }

    /// The programs that can be eligible. With a location and a travel
    /// limit: those in the grid cells the limit reaches, and (when the
    /// patient accepts telehealth) those with remote delivery licensed in
    /// the patient's state; otherwise those offering a level wanted.
    /// `None` (read every program in order) when that is most of them.
    fn plan(&self) -> Option<Plan<'_>> {
        let (d, cq) = (self.dir, &self.cq);
        if d.scan == Scan::Full {
            return None;
        }
        let parts = &d.parts;
        let mut plan = Plan::default();
        match (cq.location, cq.max_miles) {
            (Some(at), Some(max)) => {
                let w = Window::around(at, max)?;
                parts.cells(&w, &mut plan.blocks);
                if cq.accepts_telehealth {
                    plan.extra = parts
                        .telehealth(cq.query.patient_state)
                        .iter()
                        .copied()
                        .filter(|i| {
                            let i = *i as usize;
                            !w.contains(cell_of(d.hot[i].lat, d.rows[i].lon))
                        })
                        .collect();
                }
                plan.by_place = true;
            }
            _ => {
                let wanted = cq.wanted_levels();
                plan.blocks.extend(
                    parts
                        .by_levels()
                        .filter(|(m, _)| m & wanted != 0)
                        .map(|(_, b)| b),
                );
            }
        }
        let read = plan.blocks.iter().map(|b| b.len()).sum::<usize>() + plan.extra.len();
        // Reading a large share of the programs through the lists costs
        // about what reading every one in order does (a program failing
        // its level is screened out at once).
        // A third keeps the partitions for place and for rare levels.
        if d.scan == Scan::Auto && read * 3 > d.len() {
            return None;
        }
        plan.unread = d.len() - read;
        Some(plan)
    }

    /// Every filter that does not depend on place is counted from the
    /// tallies, which count every program (the screen may have stopped at
    /// another); the place filters are counted from the programs screened,
    /// plus the unread ones: all of them beyond the limit (read by place),
    /// or none (read by level: no location or no limit, so nothing is beyond).
    fn exclusion_counts(&self, plan: Option<&Plan<'_>>, read: KindCounts) -> KindCounts {
        let (d, cq) = (self.dir, &self.cq);
        let t = &d.parts.tallies;
        fn total<'m, K: 'm>(
            map: impl IntoIterator<Item = (&'m K, &'m u32)>,
            fails: impl Fn(&K) -> bool,
        ) -> usize {
            map.into_iter()
                .filter(|(k, _)| fails(k))
                .map(|(_, n)| *n as usize)
                .sum()
        }
        let mut out = read;
        out.excluded += plan.map_or(0, |p| p.unread);
        let wanted = cq.wanted_levels();
        let by_kind = &mut out.by_kind;
        by_kind[ExclusionKind::LevelNotOffered.index()] = d
            .parts
            .by_levels()
            .filter(|(m, _)| m & wanted == 0)
            .map(|(_, b)| b.len())
            .sum();
        by_kind[ExclusionKind::AgeOutOfRange.index()] =
            total(&t.ages, |(min, max)| cq.age_fails(*min, *max));
        by_kind[ExclusionKind::PopulationRestricted.index()] =
            total(&t.restricted, |r| cq.population_fails(*r));
        by_kind[ExclusionKind::PayerNotAccepted.index()] = total(&t.payers, |k| {
            let flags = if k.self_funded { SELF_FUNDED } else { 0 };
            let unlisted = if k.unlisted { PAYERS_UNLISTED } else { 0 };
            cq.payer_fails(k.mask, flags, unlisted, || &k.high)
        });
        by_kind[ExclusionKind::LanguageNotOffered.index()] =
            total(&t.languages, |k| cq.language_fails(k.mask, || &k.high));
        by_kind[ExclusionKind::ConditionNotAccepted.index()] =
            total(&t.excluded, |c| cq.condition_fails(*c));
        by_kind[ExclusionKind::PrimaryConditionNotAdmitted.index()] =
            total(&t.admits, |c| cq.admits_fails(*c));
        by_kind[ExclusionKind::DeliveryNotAccepted.index()] =
            total(&t.delivery, |m| cq.delivery_fails(*m));
        by_kind[ExclusionKind::NotAcceptingNewPatients.index()] =
            total(&t.status, |(flags, _)| cq.not_accepting_fails(*flags));
        by_kind[ExclusionKind::MoudNotAvailable.index()] = total(&t.status, |(flags, unlisted)| {
            cq.moud_fails(*flags, *unlisted)
        });
        let out_of_state = ExclusionKind::OutOfStateTelehealth.index();
        let Some(plan) = plan else {
            // Every program screened: the place filters are counted exactly.
            return out;
        };
        if plan.by_place {
            // Unread: beyond the limit, and not reachable by licensed telehealth.
            by_kind[ExclusionKind::TooFar.index()] += plan.unread;
            // Out of state as well when it offers remote delivery the patient
            // accepts, not licensed in the patient's state.
            if cq.accepts_telehealth
                && let Some(bit) = cq.query.patient_state
            {
                let unlicensed =
                    |i: usize| d.hot[i].delivery & TELEHEALTH != 0 && d.rows[i].states & bit == 0;
                let all = d.parts.telehealth_count() - d.parts.telehealth(Some(bit)).len();
                let read = plan.positions().filter(|i| unlicensed(*i)).count();
                by_kind[out_of_state] += all - read;
            }
        } else {
            // Nothing is beyond: the rule does not depend on place.
            by_kind[out_of_state] = total(&t.telehealth, |(delivery, states)| {
                let mut fails = ExclusionKinds::default();
                cq.travel(false, *delivery, *states).kinds(&mut fails);
                fails.contains(ExclusionKind::OutOfStateTelehealth)
            });
        }
        out
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
        out.moud_listed = !q.moud_required
            || r.moud_listed & q.moud_medication.map_or(1 << 3, |m| 1 << m.index()) != 0;
        out.withdrawal_management = r.withdrawal_management;
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
        out.not_listed = u64::from(h.unlisted);
        out.wait_days = (h.flags & WAIT_KNOWN != 0).then_some(r.wait);
        out.days_since_verified = cq.as_of_days - r.verified;
    }
}

impl Index<'_> {
    /// Program `i`'s eligibility: mask tests on the hot row, the haversine
    /// only when the travel limit needs it (or `exact` asks for the miles).
    /// With `screen`, the filters that do not depend on place stop at the
    /// first that fails (one reason is enough to exclude; their counts come
    /// from the tallies); the place filters and the outcome are exact.
    fn eligibility_with(&self, i: usize, exact: bool, screen: bool) -> Eligibility {
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
        // Once one filter fails, a screen skips the rest that do not depend on place.
        let go = |fails: &ExclusionKinds| !screen || fails.is_empty();
        if go(&fails) {
            fails.set(
                ExclusionKind::AgeOutOfRange,
                cq.age_fails(r.age_min, r.age_max),
            );
        }
        if go(&fails) {
            fails.set(
                ExclusionKind::PopulationRestricted,
                cq.population_fails(r.restricted),
            );
        }
        if go(&fails) {
            fails.set(
                ExclusionKind::PayerNotAccepted,
                cq.payer_fails(r.payer_mask, r.flags, r.unlisted, || {
                    &d.payer_ids[d.rows[i].payer_off as usize..][..usize::from(d.rows[i].payer_len)]
                }),
            );
        }
        if r.flags & INTERPRETER == 0 && go(&fails) {
            fails.set(
                ExclusionKind::LanguageNotOffered,
                cq.language_fails(r.lang_mask, || {
                    &d.lang_ids[d.rows[i].lang_off as usize..][..usize::from(d.rows[i].lang_len)]
                }),
            );
        }
        let conditions_refused = u64::from(r.excluded_cover) & cq.condition_bits;
        if go(&fails) {
            fails.set(ExclusionKind::ConditionNotAccepted, conditions_refused != 0);
        }
        if r.flags & ADMITS != 0 && go(&fails) {
            fails.set(
                ExclusionKind::PrimaryConditionNotAdmitted,
                cq.admits_fails(d.rows[i].admits_cover),
            );
        }
        if go(&fails) {
            fails.set(
                ExclusionKind::DeliveryNotAccepted,
                cq.delivery_fails(r.delivery),
            );
        }
        let licensed = cq.licensed(d.rows[i].states);
        let remote_offered = cq.remote_offered(r.delivery);
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
        cq.travel(beyond, r.delivery, d.rows[i].states)
            .kinds(&mut fails);
        if go(&fails) {
            fails.set(
                ExclusionKind::NotAcceptingNewPatients,
                cq.not_accepting_fails(r.flags),
            );
        }
        if go(&fails) {
            fails.set(
                ExclusionKind::MoudNotAvailable,
                cq.moud_fails(r.flags, r.unlisted),
            );
        }
        let tracks = match placement {
            Some(pl) if schedule_judged(cq.query, fails) => {
                Some(self.track_summary(i, pl.level(cq.query)))
            }
            _ => None,
        };
        schedule_conflict(cq.query, tracks, &mut fails);
        Eligibility {
            placement,
            fails,
            conditions_refused,
            miles,
            tracks,
        }
    }

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
const PAYERS_UNLISTED: u8 = NotListed::Payers.bit() as u8;
const STAFF_UNLISTED: u8 = NotListed::Staff.bit() as u8;
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

/// One rule per filter, read by the eligibility test (from a program's
/// rows) and by the tallies (from the values programs share), so the
/// programs a ranking skips are counted exactly as the ones it reads.
impl CompiledQuery<'_> {
    fn age_fails(&self, min: u8, max: u8) -> bool {
        self.age < min || self.age > max
    }

    fn population_fails(&self, restricted: u16) -> bool {
        restricted != 0 && u64::from(restricted) & self.population_bits == 0
    }

    /// `listed`: the program's interned payer ids, ascending (only those of
    /// 64 and above are looked for in it).
    fn payer_fails<'l>(
        &self,
        mask: u64,
        flags: u8,
        unlisted: u8,
        listed: impl FnOnce() -> &'l [u32],
    ) -> bool {
        let ok = mask & self.payer_low != 0
            || (!self.payer_high.is_empty() && {
                let listed = listed();
                self.payer_high
                    .iter()
                    .any(|id| listed.binary_search(id).is_ok())
            })
            || (self.allow_self_pay && flags & SELF_FUNDED != 0)
            || unlisted & PAYERS_UNLISTED != 0;
        !ok
    }

    /// For a program without interpreters; `listed`: its interned language
    /// ids, ascending (only those of 32 and above are looked for in it).
    fn language_fails<'l>(&self, mask: u32, listed: impl FnOnce() -> &'l [u16]) -> bool {
        let ok = match self.language {
            Some(id) if id < 32 => mask >> id & 1 == 1,
            Some(id) => listed().binary_search(&id).is_ok(),
            None => false,
        };
        !ok
    }

    fn condition_fails(&self, excluded_cover: u32) -> bool {
        u64::from(excluded_cover) & self.condition_bits != 0
    }

    fn delivery_fails(&self, delivery: u8) -> bool {
        delivery & self.delivery_ok == 0
    }

    /// Licensed in the patient's state, or the patient's state not given.
    fn licensed(&self, states: u64) -> bool {
        self.query.patient_state.is_none_or(|bit| states & bit != 0)
    }

    /// Fully remote delivery offered and accepted.
    fn remote_offered(&self, delivery: u8) -> bool {
        self.accepts_telehealth && delivery & TELEHEALTH != 0
    }

    fn travel(&self, beyond: bool, delivery: u8, states: u64) -> Travel {
        Travel {
            beyond,
            remote_offered: self.remote_offered(delivery),
            licensed: self.licensed(states),
            in_person: delivery & self.in_person_ok != 0,
        }
    }

    fn not_accepting_fails(&self, flags: u8) -> bool {
        flags & ACCEPTING == 0 && !self.allow_waitlist
    }

    /// Staff not listed: a prescriber may be there, so it never excludes,
    /// except for methadone, which only an OTP (or a program coordinating
    /// with one) keeps.
    fn moud_fails(&self, flags: u8, unlisted: u8) -> bool {
        self.query.moud_required
            && if self
                .query
                .moud_medication
                .is_some_and(MoudMedication::needs_otp)
            {
                flags & OTP_ACCESS == 0
            } else {
                flags & MOUD == 0 && unlisted & STAFF_UNLISTED == 0
            }
    }

    /// A program admitting only `admits_cover` (not 0) as primary conditions
    /// fails a patient with a primary condition outside it.
    fn admits_fails(&self, admits_cover: u32) -> bool {
        let primary = self.query.primary_bit;
        primary != 0 && u64::from(admits_cover) & primary == 0
    }
}

impl<'a> CompiledQuery<'a> {
    /// The levels a program must offer one of (bits): the level wanted and
    /// the adjacent levels asked for.
    fn wanted_levels(&self) -> u8 {
        self.alternatives
            .iter()
            .fold(self.level_bit, |m, l| m | l.bit() as u8)
    }

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

/// The hot row's bits that follow a program's new-patient status and wait
/// (`ACCEPTING`, `WAIT_KNOWN`), and its not-listed parts: one rule for
/// compiling a program and for [`Directory::set_accepting`].
fn status_bits(p: &Program) -> (u8, u8) {
    let unlisted = p.not_listed_mask() as u8;
    let mut flags = 0u8;
    // New-patient status not listed reads as accepting: it never excludes.
    if p.accepting_or_not_listed() {
        flags |= ACCEPTING;
    }
    if p.typical_wait_days.is_some() {
        flags |= WAIT_KNOWN;
    }
    (flags, unlisted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::{Certification, License};

    #[test]
    fn replacing_one_program_over_and_over_keeps_the_side_arrays_bounded() {
        let programs = crate::synthetic::directory(50, 3);
        let mut d = Directory::new(programs.clone(), crate::synthetic::AS_OF).unwrap();
        let live = |d: &Directory| (0..d.len()).map(|i| d.entries(i)).sum::<usize>();
        let side = |d: &Directory| {
            d.payer_ids.len() + d.lang_ids.len() + d.tracks.len() + d.sessions.len()
        };
        let mut compacted = false;
        for round in 0..200 {
            let mut p = programs[round % 7 + 1].clone();
            p.id = programs[0].id.clone();
            d.replace(p).unwrap();
            assert_eq!(side(&d), live(&d) + d.dead);
            assert!(d.dead < 64 || d.dead * 2 < side(&d) + 64, "round {round}");
            compacted |= d.dead == 0;
        }
        assert!(compacted, "compaction ran");
        let mut expected = programs.clone();
        expected[0] = programs[199 % 7 + 1].clone();
        expected[0].id = programs[0].id.clone();
        let fresh = Directory::new(expected, crate::synthetic::AS_OF).unwrap();
        for needs in crate::synthetic::patients(3, 3) {
            let q = fresh
                .query(
                    &needs,
                    needs.level.unwrap(),
                    MatchOptions::new(crate::synthetic::AS_OF),
                )
                .unwrap();
            assert_eq!(
                d.rank(&q, &Weights::default(), 10),
                fresh.rank(&q, &Weights::default(), 10)
            );
        }
    }

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
            NotListed::ALL.len(),
            LevelOfCare::ALL.len(),
        ] {
            assert!(n <= 8);
        }
    }
}
