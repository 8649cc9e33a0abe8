//! The compiled rows: every program turned once into compact rows of
//! bitmasks and small integers (the hot row every ranking reads, the row
//! scoring reads, the shared side arrays of payer and language ids, tracks
//! and session runs), kept in slots ordered by remote telehealth, region
//! of cells, levels offered and grid cell. The directory owns the [`Rows`]; the index
//! borrows them to rank.

use std::collections::BTreeMap;

use crate::matching::index::partition::{
    LanguageKey, Member, PartKey, PayerKey, TallyTotals, cell_of,
};
use crate::matching::index::screens::ScreenKey;
use crate::{
    credential::FacilityCredential,
    error::Error,
    level::LevelOfCare,
    program::{Aftercare, Delivery, Language, NotListed, Population, Program},
    schedule::WeekMask,
    therapy::{Approach, Modality, MoudMedication},
};

pub(super) const ACCEPTING: u8 = 1;
pub(super) const INTERPRETER: u8 = 2;
pub(super) const SELF_FUNDED: u8 = 4;
pub(super) const WAIT_KNOWN: u8 = 8;
/// Offers MOUD or has a prescriber ([`Program::can_provide_moud`]).
pub(super) const MOUD: u8 = 16;
/// Keeps a patient on methadone ([`Program::keeps_methadone`]).
pub(super) const OTP_ACCESS: u8 = 32;
/// Admits only some primary conditions (`Row::admits_cover`).
pub(super) const ADMITS: u8 = 64;
/// Lists no open place ([`Program::is_full`]).
pub(super) const FULL: u8 = 128;

/// What the eligibility filters read, packed into 40 bytes: every program's
/// row is read on every ranking, so these stay small and together. The
/// track offsets are here because the schedule rule reads them for every
/// program at the level (from the cold row they cost about 15% more).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Hot {
    pub(super) lat: f64,
    /// Payers with interned ids below 64, as bits; others are in `payer_ids`.
    pub(super) payer_mask: u64,
    /// Languages with interned ids below 32, as bits; others are in `lang_ids`.
    pub(super) lang_mask: u32,
    pub(super) excluded_cover: u32,
    /// The program's tracks (in `tracks`), read by the schedule rule.
    pub(super) track_off: u32,
    pub(super) track_len: u16,
    pub(super) restricted: u16,
    pub(super) levels: u8,
    pub(super) delivery: u8,
    pub(super) flags: u8,
    pub(super) age_min: u8,
    pub(super) age_max: u8,
    /// Parts not listed (bits of [`NotListed`]).
    pub(super) unlisted: u8,
}

/// What scoring reads, for the (few) eligible programs.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Row {
    pub(super) lon: f64,
    /// States it may treat by telehealth (bits of `region::US_STATES`).
    pub(super) states: u64,
    pub(super) verified: i32,
    pub(super) id_rank: u32,
    pub(super) approaches: u64,
    pub(super) specialty_cover: u32,
    /// The primary conditions it admits (read when `ADMITS` is set).
    pub(super) admits_cover: u32,
    /// Where its payer ids of 64 and above start in `Rows::payer_ids`
    /// (`payer_len` of them; those below 64 are `Hot::payer_mask`'s bits).
    pub(super) payer_off: u32,
    /// Where its language ids of 32 and above start in `Rows::lang_ids`
    /// (`lang_len` of them; those below 32 are `Hot::lang_mask`'s bits).
    pub(super) lang_off: u32,
    pub(super) licenses: u16,
    pub(super) populations: u16,
    pub(super) wait: u16,
    pub(super) payer_len: u16,
    pub(super) lang_len: u16,
    pub(super) modalities: u8,
    pub(super) certifications: u16,
    pub(super) facility: u8,
    pub(super) aftercare: u8,
    /// Bit `i`: it lists `MoudMedication::ALL[i]`; bit 3: it lists MOUD at
    /// all ([`Program::lists_moud`]).
    pub(super) moud_listed: u8,
    /// Provides or coordinates withdrawal management.
    pub(super) withdrawal_management: bool,
    /// Monitors medical stability ([`Program::medical_monitoring`]).
    pub(super) medical_monitoring: bool,
}

/// Where a program's rows go when a directory is built: remote telehealth
/// or not, region ([`REGION_CELLS`] cells a side), levels offered, grid cell
/// (then position breaks ties).
type SlotKey = (bool, (u16, u16), u8, (u16, u16));

/// Cells a side of the regions slots are grouped by ([`Rows::finish_build`]).
const REGION_CELLS: u16 = 10;

/// One track: its merged session ranges (absolute quarter-hour slots).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(super) struct TrackRow {
    pub(super) sess_off: u32,
    pub(super) minutes: u32,
    pub(super) slots: u16,
    pub(super) sess_len: u16,
    pub(super) level: u8,
    pub(super) evening_or_weekend: bool,
}

/// The compiled rows of a directory's programs, in slots, with the side
/// arrays they point into and the interned payer and language ids.
#[derive(Clone, Default)]
pub(crate) struct Rows {
    pub(super) hot: Vec<Hot>,
    pub(super) rows: Vec<Row>,
    /// The interned payer ids of 64 and above, each row's run ascending.
    pub(super) payer_ids: Vec<u32>,
    /// The interned language ids of 32 and above, each row's run ascending.
    pub(super) lang_ids: Vec<u16>,
    pub(super) tracks: Vec<TrackRow>,
    pub(super) sessions: Vec<(u16, u16)>,
    /// The tracks below this index (and their session runs) were laid out
    /// shared ([`Rows::relayout_side_arrays`]): rows with the same tracks
    /// point at one run of them, and tracks with the same session runs at
    /// one run of those. Tracks from here on were appended by updates,
    /// each row's its own.
    pub(super) shared_tracks: usize,
    pub(super) payers: BTreeMap<String, u32>,
    pub(super) languages: BTreeMap<Language, u16>,
    /// The rows are in slots: ordered by remote telehealth, region, levels
    /// offered, then grid cell, when the directory is built
    /// ([`Rows::finish_build`]), so the programs of one cell are read one
    /// after another; an inserted program
    /// takes the next slot. `slot_of[position]` and `pos_of[slot]` translate.
    pub(super) slot_of: Vec<u32>,
    pub(super) pos_of: Vec<u32>,
    /// Entries of `payer_ids`, `lang_ids`, `tracks` and `sessions` no row
    /// points at any more (left by updates; compacted when they outnumber
    /// the rest), counted where a row owns its entries: shared tracks
    /// (below `shared_tracks`) a row leaves are not counted, as other
    /// rows may point at them (they are at most what the last layout
    /// held, and the next one drops them).
    pub(super) dead: usize,
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

pub(crate) fn narrow<T: TryFrom<usize>>(n: usize, what: &'static str) -> Result<T, Error> {
    T::try_from(n).map_err(|_| Error::limit(what, n))
}

impl Rows {
    /// No rows, with room for `n`.
    pub(crate) fn with_capacity(n: usize) -> Rows {
        Rows {
            hot: Vec::with_capacity(n),
            rows: Vec::with_capacity(n),
            ..Rows::default()
        }
    }

    /// How many programs have rows.
    pub(crate) fn len(&self) -> usize {
        self.hot.len()
    }

    /// The slot of the program at `position` (in the directory's order).
    pub(crate) fn slot(&self, position: usize) -> usize {
        self.slot_of[position] as usize
    }

    /// The position of the program in `slot`.
    pub(crate) fn position(&self, slot: usize) -> usize {
        self.pos_of[slot] as usize
    }

    /// The rank of the program in `slot` among the programs' ids.
    pub(crate) fn id_rank(&self, slot: usize) -> u32 {
        self.rows[slot].id_rank
    }

    /// Compiles one more program (validated) while a directory is built: its
    /// rows go in position order, its id rank and slot left to
    /// [`Rows::finish_build`].
    pub(crate) fn push(&mut self, p: &Program) -> Result<(), Error> {
        let (hot, row) = self.compile(p, 0)?;
        self.hot.push(hot);
        self.rows.push(row);
        Ok(())
    }

    /// Finishes rows built with [`Rows::push`]: `by_rank` lists the
    /// positions in id order; the rows go into slots (by remote telehealth
    /// or not, region, levels offered, grid cell, then position) and the side
    /// arrays are rewritten in slot order.
    pub(crate) fn finish_build(&mut self, by_rank: &[u32]) {
        let n = self.hot.len();
        for (rank, pos) in by_rank.iter().enumerate() {
            self.rows[*pos as usize].id_rank = rank as u32;
        }
        // Remote telehealth apart, so the programs a state's licensed
        // telehealth lists are runs. Then regions of cells, levels offered
        // and cell: the cells a travel limit reaches are a few runs of
        // slots (one per region and level group), read one after another
        // (a gather of scattered rows costs a cache miss each, and a miss
        // of the page tables when caches are cold), while the programs
        // offering one level stay near each other within a region, for
        // the bit sets a ranking without a place reads. Measured with the
        // SQLite peer bench at 1,000,000 programs, cold: levels first
        // ranked a located patient in 1.21-1.23 ms (median), cells first
        // in 0.93-1.05 ms and regions in 0.94-1.11 ms; a patient without a
        // location in 15.5, 17.9 and 16.6 ms.
        let mut order: Vec<(SlotKey, u32)> = (0..n)
            .map(|i| {
                let h = &self.hot[i];
                let cell = cell_of(h.lat, self.rows[i].lon);
                let region = (cell.0 / REGION_CELLS, cell.1 / REGION_CELLS);
                (
                    (h.delivery & TELEHEALTH != 0, region, h.levels, cell),
                    i as u32,
                )
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
    }

    /// Compiles `p`, a new program whose id ranks `id_rank`, into the next
    /// slot (its position is the next one too); later ids move up one rank.
    /// Nothing changes when it fails. Returns its slot.
    pub(crate) fn insert(&mut self, p: &Program, id_rank: u32) -> Result<u32, Error> {
        let i = narrow::<u32>(self.hot.len(), "programs")?;
        let (hot, row) = self.compile_or_undo(p, id_rank)?;
        for r in &mut self.rows {
            if r.id_rank >= id_rank {
                r.id_rank += 1;
            }
        }
        self.hot.push(hot);
        self.rows.push(row);
        self.slot_of.push(i);
        self.pos_of.push(i);
        Ok(i)
    }

    /// Compiles `p` into `slot` in place of the program there (same id).
    /// Nothing changes when it fails.
    pub(crate) fn replace(&mut self, slot: usize, p: &Program) -> Result<(), Error> {
        let (hot, row) = self.compile_or_undo(p, self.rows[slot].id_rank)?;
        self.dead += self.entries(slot);
        self.hot[slot] = hot;
        self.rows[slot] = row;
        self.compact_if_needed();
        Ok(())
    }

    /// Removes the program in `slot` (at `position`): later slots and
    /// positions close up, later ids move down one rank. Returns its id rank.
    pub(crate) fn remove(&mut self, slot: usize, position: usize) -> u32 {
        self.dead += self.entries(slot);
        let rank = self.rows[slot].id_rank;
        self.hot.remove(slot);
        self.rows.remove(slot);
        for r in &mut self.rows {
            if r.id_rank > rank {
                r.id_rank -= 1;
            }
        }
        self.pos_of.remove(slot);
        for p in &mut self.pos_of {
            if *p as usize > position {
                *p -= 1;
            }
        }
        self.slot_of.remove(position);
        for x in &mut self.slot_of {
            if *x as usize > slot {
                *x -= 1;
            }
        }
        self.compact_if_needed();
        rank
    }

    /// Sets the new-patient status, wait and not-listed parts of the program
    /// in `slot` from `p` (the same program with those changed).
    pub(crate) fn set_status(&mut self, slot: usize, p: &Program) {
        let (bits, unlisted) = status_bits(p);
        let h = &mut self.hot[slot];
        h.flags = h.flags & !(ACCEPTING | WAIT_KNOWN | FULL) | bits;
        h.unlisted = unlisted;
        self.rows[slot].wait = p.typical_wait_days.unwrap_or(0);
    }

    /// Bytes the rows, side arrays and slot maps hold.
    pub(crate) fn bytes(&self) -> usize {
        use std::mem::size_of;
        self.hot.len() * size_of::<Hot>()
            + self.rows.len() * size_of::<Row>()
            + self.payer_ids.len() * size_of::<u32>()
            + self.lang_ids.len() * size_of::<u16>()
            + self.tracks.len() * size_of::<TrackRow>()
            + self.sessions.len() * size_of::<(u16, u16)>()
            + (self.slot_of.len() + self.pos_of.len()) * size_of::<u32>()
    }

    /// Compiles `p` (its id ranking `id_rank`) into its hot row and row,
    /// appending its payer and language ids, tracks and session runs to the
    /// side arrays.
    fn compile(&mut self, p: &Program, id_rank: u32) -> Result<(Hot, Row), Error> {
        let (payer_off, payer_mask, payer_len) = self.compile_payers(p)?;
        let (lang_off, lang_mask, lang_len) = self.compile_languages(p)?;
        let (track_off, track_len) = self.compile_tracks(p)?;
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
        let (lat, lon) = placed_point(p);
        let hot = Hot {
            lat,
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
            lon,
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
            medical_monitoring: p.medical_monitoring,
        };
        Ok((hot, row))
    }

    /// Interns `p`'s payers (a payer seen for the first time gets the next
    /// id): the ids below 64 as a mask, the others appended to `payer_ids`
    /// (sorted, deduplicated). Returns their offset, the mask and their count.
    fn compile_payers(&mut self, p: &Program) -> Result<(u32, u64, u16), Error> {
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
        // The ids below 64 are bits; only the others stay in the side array
        // (the filters look there for those alone).
        let low = ids.partition_point(|i| *i < 64);
        let payer_mask = ids[..low].iter().fold(0u64, |m, i| m | 1 << i);
        let from = payer_off as usize;
        self.payer_ids.drain(from..from + low);
        let payer_len = narrow::<u16>(self.payer_ids.len() - from, "payers in one program")?;

        Ok((payer_off, payer_mask, payer_len))
    }

    /// Interns `p`'s languages: the ids below 32 as a mask, the others
    /// appended to `lang_ids` (sorted, deduplicated). Returns their offset,
    /// the mask and their count.
    fn compile_languages(&mut self, p: &Program) -> Result<(u32, u32, u16), Error> {
        let lang_off = narrow::<u32>(self.lang_ids.len(), "language entries")?;
        for l in &p.languages {
            let next = narrow::<u16>(self.languages.len(), "languages")?;
            let id = *self.languages.entry(*l).or_insert(next);
            self.lang_ids.push(id);
        }
        let langs = sort_dedup_tail(&mut self.lang_ids, lang_off as usize);
        // As for payers: the ids below 32 are bits, the others listed.
        let low = langs.partition_point(|i| *i < 32);
        let lang_mask = langs[..low].iter().fold(0u32, |m, i| m | 1 << i);
        let from = lang_off as usize;
        self.lang_ids.drain(from..from + low);
        let lang_len = narrow::<u16>(self.lang_ids.len() - from, "languages in one program")?;

        Ok((lang_off, lang_mask, lang_len))
    }

    /// Appends `p`'s tracks, each with its merged runs of session slots:
    /// their offset and count.
    fn compile_tracks(&mut self, p: &Program) -> Result<(u32, u16), Error> {
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

        Ok((track_off, track_len))
    }

    /// Rewrites the side arrays (payer and language ids, tracks, sessions)
    /// in slot order with only the entries the rows point at, so that
    /// scoring the programs of a cell reads them one after another too: after
    /// a bulk build, and to compact them once updates have left enough
    /// entries no row points at. Tracks are laid out shared: a run of
    /// session runs equal to one laid out already is not written again,
    /// nor is a row's run of tracks equal to one written already (programs
    /// often run the same schedules), so the tracks and session runs are
    /// as many as there are distinct ones.
    fn relayout_side_arrays(&mut self) {
        use std::collections::HashMap;
        let mut payer_ids = Vec::with_capacity(self.payer_ids.len());
        let mut lang_ids = Vec::with_capacity(self.lang_ids.len());
        let mut tracks: Vec<TrackRow> = Vec::new();
        let mut sessions: Vec<(u16, u16)> = Vec::new();
        // Where a run of session runs, and a row's run of tracks, were
        // laid out (keyed by their contents; only looked up, never
        // iterated, so the layout follows the slot order alone).
        let mut runs_at: HashMap<&[(u16, u16)], u32> = HashMap::new();
        let mut seqs_at: HashMap<Vec<TrackRow>, u32> = HashMap::new();
        let mut seq: Vec<TrackRow> = Vec::new();
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
            seq.clear();
            for t in &self.tracks[h.track_off as usize..][..usize::from(h.track_len)] {
                let runs = &self.sessions[t.sess_off as usize..][..usize::from(t.sess_len)];
                let sess_off = *runs_at.entry(runs).or_insert_with(|| {
                    let at = sessions.len() as u32;
                    sessions.extend_from_slice(runs);
                    at
                });
                seq.push(TrackRow { sess_off, ..*t });
            }
            h.track_off = match seqs_at.get(seq.as_slice()) {
                Some(at) => *at,
                None => {
                    let at = tracks.len() as u32;
                    tracks.extend_from_slice(&seq);
                    seqs_at.insert(seq.clone(), at);
                    at
                }
            };
        }
        drop(runs_at);
        tracks.shrink_to_fit();
        sessions.shrink_to_fit();
        self.payer_ids = payer_ids;
        self.lang_ids = lang_ids;
        self.shared_tracks = tracks.len();
        self.tracks = tracks;
        self.sessions = sessions;
        self.dead = 0;
    }

    /// Checks rows read from a snapshot (`snapshot.rs`) so that nothing
    /// reading them later can panic: as many hot rows, rows and slots as
    /// `n` programs, the slot maps inverse permutations, every offset and
    /// length within its side array, every session run within the week,
    /// ascending, the count of entries no row points at within the side
    /// arrays (updates add to it). The message names the first entry found
    /// wrong.
    pub(super) fn check(&self, n: usize) -> Result<(), String> {
        let counts = [
            ("hot rows", self.hot.len()),
            ("rows", self.rows.len()),
            ("slot_of", self.slot_of.len()),
            ("pos_of", self.pos_of.len()),
        ];
        for (what, len) in counts {
            if len != n {
                return Err(format!("{len} {what} for {n} programs"));
            }
        }
        for (slot, pos) in self.pos_of.iter().enumerate() {
            if self.slot_of.get(*pos as usize) != Some(&(slot as u32)) {
                return Err(format!("pos_of[{slot}] = {pos} is not inverse to slot_of"));
            }
        }
        let within = |off: u32, len: u16, total: usize| {
            (off as usize)
                .checked_add(usize::from(len))
                .is_some_and(|end| end <= total)
        };
        for (slot, (h, r)) in self.hot.iter().zip(&self.rows).enumerate() {
            if !within(r.payer_off, r.payer_len, self.payer_ids.len())
                || !within(r.lang_off, r.lang_len, self.lang_ids.len())
                || !within(h.track_off, h.track_len, self.tracks.len())
            {
                return Err(format!(
                    "row {slot}'s payers, languages or tracks lie outside their arrays"
                ));
            }
        }
        for (i, t) in self.tracks.iter().enumerate() {
            if !within(t.sess_off, t.sess_len, self.sessions.len()) {
                return Err(format!("track {i}'s sessions lie outside their array"));
            }
        }
        for (i, (a, b)) in self.sessions.iter().enumerate() {
            if a > b || usize::from(*b) > WeekMask::SLOTS {
                return Err(format!("session run {i} ({a}..{b}) is not within the week"));
            }
        }
        if self.shared_tracks > self.tracks.len() {
            return Err(format!(
                "{} shared tracks, of {} in all",
                self.shared_tracks,
                self.tracks.len()
            ));
        }
        let total =
            self.payer_ids.len() + self.lang_ids.len() + self.tracks.len() + self.sessions.len();
        if self.dead > total {
            return Err(format!(
                "{} side-array entries no row points at, of {total} in all",
                self.dead
            ));
        }
        Ok(())
    }

    /// What the partitions list program `i` by (its slot), from its rows:
    /// the values a snapshot's partitions are checked against.
    pub(crate) fn member(&self, i: usize) -> Member {
        let (h, r) = (&self.hot[i], &self.rows[i]);
        Member {
            cell: cell_of(h.lat, r.lon),
            telehealth: h.delivery & TELEHEALTH != 0,
            states: r.states,
            levels: h.levels,
        }
    }

    /// How many programs each tally counts, from the rows (no hashing).
    pub(crate) fn tally_totals(&self) -> TallyTotals {
        let mut t = TallyTotals::default();
        for (h, r) in self.hot.iter().zip(&self.rows) {
            t.count(
                h.restricted != 0,
                h.flags & INTERPRETER != 0,
                h.excluded_cover != 0,
                h.flags & ADMITS != 0 && r.admits_cover != 0,
                h.delivery & TELEHEALTH != 0,
            );
        }
        t
    }

    /// What the bit sets read of slot `i` ([`PartKey::screen`]).
    pub(crate) fn screen_key(&self, i: usize) -> ScreenKey {
        let (h, r) = (&self.hot[i], &self.rows[i]);
        let payers = &self.payer_ids[r.payer_off as usize..][..usize::from(r.payer_len)];
        ScreenKey {
            levels: h.levels,
            payer_mask: h.payer_mask,
            payers_beyond: payers.iter().any(|id| *id >= 64),
            self_funded: h.flags & SELF_FUNDED != 0,
            payers_unlisted: h.unlisted & PAYERS_UNLISTED != 0,
            delivery: h.delivery,
            ages: (h.age_min, h.age_max),
            accepting: h.flags & ACCEPTING != 0,
            full: h.flags & FULL != 0,
        }
    }

    /// What the partitions and tallies hold of the program in slot `i`, from its rows.
    pub(crate) fn part_key(&self, i: usize) -> PartKey {
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
            screen: self.screen_key(i),
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

    /// Entries the program in slot `i` holds in the side arrays on its own
    /// (its tracks and their session runs when they were appended after the
    /// last layout; shared ones are not its own).
    fn entries(&self, i: usize) -> usize {
        let (h, r) = (&self.hot[i], &self.rows[i]);
        let own = h.track_off as usize >= self.shared_tracks;
        let tracks = &self.tracks[h.track_off as usize..][..usize::from(h.track_len)];
        let tracks = if own { tracks } else { &[] };
        usize::from(r.payer_len)
            + usize::from(r.lang_len)
            + tracks.len()
            + tracks
                .iter()
                .map(|t| usize::from(t.sess_len))
                .sum::<usize>()
    }

    /// Rewrites the side arrays without the entries no row points at, once
    /// those outnumber the rest and twice the rows (so updates cost
    /// amortized O(1) space, and O(1) time: laid out shared, the side
    /// arrays can be far fewer entries than there are rows, and a layout
    /// reads every row, so it waits for as many entries left behind).
    fn compact_if_needed(&mut self) {
        let total =
            self.payer_ids.len() + self.lang_ids.len() + self.tracks.len() + self.sessions.len();
        if self.dead >= 64 && self.dead * 2 >= total.max(4 * self.hot.len()) {
            self.relayout_side_arrays();
        }
    }
    /// A checksum of every row and side array, read in full (the
    /// benchmarks time it as the floor of a full scan).
    #[cfg(feature = "testing")]
    pub(crate) fn checksum(&self) -> u64 {
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

    /// Entries in the side arrays; those some row points at (each counted
    /// once, found by marking every row's runs); and those no row points at:
    /// the count `dead` keeps of a row's own entries left behind, plus the
    /// shared ones no row points at any more (tests).
    #[cfg(test)]
    pub(crate) fn side_entries(&self) -> (usize, usize, usize) {
        let mut payers = vec![false; self.payer_ids.len()];
        let mut langs = vec![false; self.lang_ids.len()];
        let mut tracks = vec![false; self.tracks.len()];
        let mut sessions = vec![false; self.sessions.len()];
        let mark = |m: &mut [bool], off: usize, len: usize| m[off..off + len].fill(true);
        for (h, r) in self.hot.iter().zip(&self.rows) {
            mark(&mut payers, r.payer_off as usize, usize::from(r.payer_len));
            mark(&mut langs, r.lang_off as usize, usize::from(r.lang_len));
            let (off, len) = (h.track_off as usize, usize::from(h.track_len));
            mark(&mut tracks, off, len);
            for t in &self.tracks[off..off + len] {
                mark(&mut sessions, t.sess_off as usize, usize::from(t.sess_len));
            }
        }
        let count = |m: &[bool]| m.iter().filter(|b| **b).count();
        let live = count(&payers) + count(&langs) + count(&tracks) + count(&sessions);
        let shared_sessions = self.tracks[..self.shared_tracks]
            .iter()
            .map(|t| t.sess_off as usize + usize::from(t.sess_len))
            .max()
            .unwrap_or(0);
        let unmarked = |m: &[bool], to: usize| m[..to].iter().filter(|b| !**b).count();
        let shared_dead =
            unmarked(&tracks, self.shared_tracks) + unmarked(&sessions, shared_sessions);
        let side =
            self.payer_ids.len() + self.lang_ids.len() + self.tracks.len() + self.sessions.len();
        (side, live, self.dead + shared_dead)
    }
}

/// A program's point in its rows: its coordinates, or NaN for both when
/// its location is not listed (a telehealth-only program): the NaN is the
/// row's mark of a location not listed (see [`placed`], [`not_listed_bits`];
/// `unlisted` holds only [`NotListed`]'s first eight parts), and the grid
/// files it in cell (0, 0), which no place window reads: it is reached
/// through the telehealth lists.
fn placed_point(p: &Program) -> (f64, f64) {
    if p.is_listed(NotListed::Location) {
        (p.location.latitude, p.location.longitude)
    } else {
        (f64::NAN, f64::NAN)
    }
}

/// Whether a row's latitude is a place (its location is listed).
pub(super) fn placed(lat: f64) -> bool {
    !lat.is_nan()
}

/// The parts not listed (bits of [`NotListed`]) of a hot row.
pub(super) fn not_listed_bits(h: &Hot) -> u64 {
    let location = if placed(h.lat) {
        0
    } else {
        NotListed::Location.bit()
    };
    u64::from(h.unlisted) | location
}

pub(super) const TELEHEALTH: u8 = Delivery::Telehealth.bit() as u8;
pub(super) const PAYERS_UNLISTED: u8 = NotListed::Payers.bit() as u8;
pub(super) const STAFF_UNLISTED: u8 = NotListed::Staff.bit() as u8;
pub(super) const HYBRID: u8 = Delivery::Hybrid.bit() as u8;

pub(super) fn bit(m: &WeekMask, slot: usize) -> bool {
    (m.words()[slot / 64] >> (slot % 64)) & 1 == 1
}

/// The hot row's bits that follow a program's new-patient status, wait and
/// open places (`ACCEPTING`, `WAIT_KNOWN`, `FULL`), and its not-listed parts: one rule for
/// compiling a program and for [`Rows::set_status`].
pub(super) fn status_bits(p: &Program) -> (u8, u8) {
    let unlisted = p.not_listed_mask() as u8;
    let mut flags = 0u8;
    // New-patient status not listed reads as accepting: it never excludes.
    if p.accepting_or_not_listed() {
        flags |= ACCEPTING;
    }
    if p.typical_wait_days.is_some() {
        flags |= WAIT_KNOWN;
    }
    if p.is_full() {
        flags |= FULL;
    }
    (flags, unlisted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::{Certification, License};

    /// A row's tracks (each with its session runs) as compiling its
    /// program alone gives them.
    fn tracks_of(r: &Rows, slot: usize) -> Vec<(TrackRow, Vec<(u16, u16)>)> {
        let h = &r.hot[slot];
        r.tracks[h.track_off as usize..][..usize::from(h.track_len)]
            .iter()
            .map(|t| {
                let runs = r.sessions[t.sess_off as usize..][..usize::from(t.sess_len)].to_vec();
                (TrackRow { sess_off: 0, ..*t }, runs)
            })
            .collect()
    }

    /// Laid out shared, every row still reads exactly its own program's
    /// tracks and session runs, in far fewer entries; and the payer and
    /// language ids the masks hold are not listed again.
    #[test]
    fn shared_tracks_read_as_each_program_compiled_alone() {
        let programs = crate::synthetic::directory(600, 9);
        let mut rows = Rows::with_capacity(programs.len());
        for p in &programs {
            rows.push(p).unwrap();
        }
        let (tracks, sessions) = (rows.tracks.len(), rows.sessions.len());
        let by_rank: Vec<u32> = (0..programs.len() as u32).collect();
        rows.finish_build(&by_rank);
        // Rows share runs of tracks; tracks share their session runs.
        assert!(
            rows.tracks.len() < tracks,
            "{} of {tracks}",
            rows.tracks.len()
        );
        assert!(
            rows.sessions.len() * 4 < sessions,
            "{} of {sessions}",
            rows.sessions.len()
        );
        assert_eq!(rows.shared_tracks, rows.tracks.len());
        // Synthetic directories intern fewer than 64 payers and 32 languages.
        assert!(rows.payer_ids.is_empty() && rows.lang_ids.is_empty());
        for (pos, p) in programs.iter().enumerate() {
            let mut alone = Rows::default();
            alone.push(p).unwrap();
            alone.finish_build(&[0]);
            let slot = rows.slot(pos);
            assert_eq!(
                tracks_of(&rows, slot),
                tracks_of(&alone, 0),
                "program {pos}"
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
            LevelOfCare::ALL.len(),
        ] {
            assert!(n <= 8);
        }
        // All but the location, which a NaN latitude marks (`placed_point`).
        assert!(NotListed::ALL.len() <= 9 && NotListed::Location.bit() == 1 << 8);
    }
}
