//! The partitioned index: the compiled directory's programs listed by where
//! they are (a grid of latitude-longitude cells), by the states their
//! telehealth is licensed in, and by the levels they offer, with tallies of
//! the filter facts every program has. A ranking then reads only the
//! programs that can be eligible (those near the patient, those the patient
//! can reach by licensed telehealth, or those offering a level wanted) and
//! counts the exclusions of every other program from the tallies, exactly
//! as if it had read them. [`crate::matching::Directory`] keeps both up to
//! date on every update.
//!
//! The query side (which cells to read, what the tallies count for one
//! patient) lives with the compiled query in `compiled.rs`, next to the
//! filters it must agree with.

use std::collections::{BTreeMap, HashMap};

use crate::matching::facts::ones;
use crate::matching::index::screens::{ScreenKey, Screens};
use crate::program::GeoPoint;

/// Cell size in degrees of latitude and of longitude: about 7 miles north
/// to south. A patient's travel limit selects the cells its bounding box
/// touches, so a smaller cell reads fewer programs beyond the limit and
/// costs more cells to look up; 0.1 degrees keeps a 20-mile radius at
/// about 50 cells.
const CELL_DEG: f64 = 0.1;
/// Bands of latitude (-90 to 90) and sectors of longitude (-180 to 180).
pub(crate) const BANDS: u16 = 1800;
pub(crate) const SECTORS: u16 = 3600;
/// Lists of licensed telehealth programs: one per state bit.
pub(crate) const STATE_LISTS: usize = 64;
/// Lists of programs by levels: one per level mask.
pub(crate) const LEVEL_LISTS: usize = 256;

/// Miles added to a travel limit before its bounding box is drawn, so that
/// a program the haversine puts at most the limit away is always inside
/// (its rounding error is far below this; see `MERIDIAN_MARGIN_MILES`).
const BOX_MARGIN_MILES: f64 = 0.05;

/// Mean earth radius in miles, as [`GeoPoint::miles_to`] uses.
pub(crate) const EARTH_RADIUS_MILES: f64 = 3958.8;

/// The latitudes and longitudes a cell's programs can have (degrees), a
/// little wider than the cell (a point on an edge may be filed on either
/// side of it): ((south, north), (west, east)).
pub(crate) fn cell_bounds(cell: (u16, u16)) -> ((f64, f64), (f64, f64)) {
    let edge = |i: u16, from: f64| f64::from(i) * CELL_DEG + from;
    const SLACK: f64 = 1e-7;
    let (band, sector) = cell;
    // The last band and sector also hold the upper edges.
    let north = if band == BANDS - 1 {
        90.0
    } else {
        edge(band + 1, -90.0)
    };
    let east = if sector == SECTORS - 1 {
        180.0
    } else {
        edge(sector + 1, -180.0)
    };
    (
        (
            (edge(band, -90.0) - SLACK).max(-90.0),
            (north + SLACK).min(90.0),
        ),
        (
            (edge(sector, -180.0) - SLACK).max(-180.0),
            (east + SLACK).min(180.0),
        ),
    )
}

/// The grid cell of a point: (band of latitude, sector of longitude).
/// Validated coordinates are within -90..=90 and -180..=180; the last band
/// and sector also hold the upper edges.
pub(crate) fn cell_of(latitude: f64, longitude: f64) -> (u16, u16) {
    let band = ((latitude + 90.0) / CELL_DEG).floor();
    let sector = ((longitude + 180.0) / CELL_DEG).floor();
    (
        (band.max(0.0) as u16).min(BANDS - 1),
        (sector.max(0.0) as u16).min(SECTORS - 1),
    )
}

/// The cells a disc on the sphere can touch: a range of bands and one or
/// two ranges of sectors (two when the disc crosses the antimeridian).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Window {
    bands: (u16, u16),
    sectors: [(u16, u16); 2],
}

impl Window {
    /// The cells holding every point at most `max_miles` from `center` by
    /// [`GeoPoint::miles_to`]; `None` when the disc is not a usable window
    /// (coordinates out of range, a limit that is not a finite number of
    /// miles at least 0).
    ///
    /// The bounding box of a spherical cap: latitudes within the angular
    /// radius r, and, when no pole is inside the cap, longitudes within
    /// asin(sin r / cos latitude) (the meridians tangent to the cap); with
    /// a pole inside, every longitude.
    pub(crate) fn around(center: GeoPoint, max_miles: f64) -> Option<Window> {
        if center.problem().is_some() || !max_miles.is_finite() || max_miles < 0.0 {
            return None;
        }
        let r = (max_miles * (1.0 + 1e-9) + BOX_MARGIN_MILES) / EARTH_RADIUS_MILES;
        let lat = center.latitude.to_radians();
        let (lat_lo, lat_hi) = (lat - r, lat + r);
        let half_pi = std::f64::consts::FRAC_PI_2;
        let lo_band = cell_of((lat_lo.to_degrees() - 1e-9).max(-90.0), 0.0).0;
        let hi_band = cell_of((lat_hi.to_degrees() + 1e-9).min(90.0), 0.0).0;
        let all = (0, SECTORS - 1);
        if lat_hi >= half_pi || lat_lo <= -half_pi {
            return Some(Window {
                bands: (lo_band, hi_band),
                sectors: [all, all],
            });
        }
        let dlon = (r.sin() / lat.cos()).min(1.0).asin().to_degrees() + 1e-9;
        if dlon >= 180.0 {
            return Some(Window {
                bands: (lo_band, hi_band),
                sectors: [all, all],
            });
        }
        let (west, east) = (center.longitude - dlon, center.longitude + dlon);
        let sector = |lon: f64| cell_of(0.0, lon).1;
        let sectors = if west < -180.0 {
            [(sector(west + 360.0), SECTORS - 1), (0, sector(east))]
        } else if east > 180.0 {
            [(sector(west), SECTORS - 1), (0, sector(east - 360.0))]
        } else {
            let s = (sector(west), sector(east));
            [s, s]
        };
        Some(Window {
            bands: (lo_band, hi_band),
            sectors,
        })
    }

    /// Whether `cell` is one of the window's.
    pub(crate) fn contains(&self, cell: (u16, u16)) -> bool {
        let (b, s) = cell;
        (self.bands.0..=self.bands.1).contains(&b)
            && self.sectors.iter().any(|(lo, hi)| (*lo..=*hi).contains(&s))
    }

    /// The sector ranges, each once.
    fn sector_ranges(&self) -> &[(u16, u16)] {
        if self.sectors[0] == self.sectors[1] {
            &self.sectors[..1]
        } else {
            &self.sectors
        }
    }
}

/// A program's payers as the payer filter reads them: the interned ids
/// below 64 as bits, the others listed (ascending), whether it takes
/// self-pay, and whether its payers are not listed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct PayerKey {
    pub mask: u64,
    pub high: Box<[u32]>,
    pub self_funded: bool,
    pub unlisted: bool,
}

/// A program's languages as the language filter reads them (programs with
/// interpreters never fail it and are not tallied): interned ids below 32
/// as bits, the others listed (ascending).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct LanguageKey {
    pub mask: u32,
    pub high: Box<[u16]>,
}

/// What the partitions and tallies hold of one program.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PartKey {
    pub cell: (u16, u16),
    /// Offers fully remote delivery.
    pub telehealth: bool,
    /// States its telehealth is licensed in (bits of `region::US_STATES`).
    pub states: u64,
    pub levels: u8,
    pub ages: (u8, u8),
    pub restricted: u16,
    pub payers: PayerKey,
    /// `None` when it provides interpreters.
    pub languages: Option<LanguageKey>,
    pub excluded_cover: u32,
    /// The conditions it admits as primary (bits of [`crate::Condition`]); 0: any.
    pub admits_cover: u32,
    pub delivery: u8,
    pub flags: u8,
    pub unlisted: u8,
    /// What the bit sets for rankings without a place read.
    pub screen: ScreenKey,
}

/// Counts of programs by one filter's key: the distinct keys and their
/// counts in flat arrays, which every ranking reads in one pass from start
/// to end (a hash map's buckets took 18% of a ranking at 30,000 programs,
/// most of it the payer tally's), with a map from each key to its place for
/// updates. Zero counts are dropped: a key taken to 0 leaves, the last key
/// taking its place.
#[derive(Debug, Clone)]
pub(crate) struct Tally<K> {
    keys: Vec<K>,
    counts: Vec<u32>,
    at: HashMap<K, u32>,
}

impl<K> Default for Tally<K> {
    fn default() -> Tally<K> {
        Tally {
            keys: Vec::new(),
            counts: Vec::new(),
            at: HashMap::new(),
        }
    }
}

/// What one [`Tally::bump`] did to the flat arrays (so a column kept beside
/// them can follow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    /// A count changed in place.
    Counted,
    /// A new key went at the end.
    Pushed,
    /// The key at this place left, the last taking its place (`swap_remove`).
    Removed(usize),
}

impl<K: std::hash::Hash + Eq + Clone> Tally<K> {
    /// A tally of `entries`; `Err` with the place of a key given twice.
    pub(crate) fn from_entries(entries: Vec<(K, u32)>) -> Result<Tally<K>, usize> {
        let mut t = Tally {
            keys: Vec::with_capacity(entries.len()),
            counts: Vec::with_capacity(entries.len()),
            at: HashMap::with_capacity(entries.len()),
        };
        for (j, (k, n)) in entries.into_iter().enumerate() {
            if t.at.insert(k.clone(), j as u32).is_some() {
                return Err(j);
            }
            t.keys.push(k);
            t.counts.push(n);
        }
        Ok(t)
    }

    /// One program more (`add`) or less with `key`.
    fn bump(&mut self, key: K, add: bool) -> Change {
        match (self.at.get(&key).copied(), add) {
            (Some(j), true) => {
                self.counts[j as usize] += 1;
                Change::Counted
            }
            (None, true) => {
                self.at.insert(key.clone(), self.keys.len() as u32);
                self.keys.push(key);
                self.counts.push(1);
                Change::Pushed
            }
            (Some(j), false) => {
                let j = j as usize;
                self.counts[j] -= 1;
                if self.counts[j] > 0 {
                    return Change::Counted;
                }
                self.at.remove(&key);
                self.keys.swap_remove(j);
                self.counts.swap_remove(j);
                if let Some(moved) = self.keys.get(j)
                    && let Some(place) = self.at.get_mut(moved)
                {
                    *place = j as u32;
                }
                Change::Removed(j)
            }
            (None, false) => Change::Counted,
        }
    }

    /// The count of `key` (0 when absent).
    #[cfg(test)]
    pub(crate) fn get(&self, key: &K) -> u32 {
        self.at.get(key).map_or(0, |j| self.counts[*j as usize])
    }
}

impl<K> Tally<K> {
    /// Each distinct key with its count, in the flat arrays' order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &u32)> {
        self.into_iter()
    }

    /// The counts, in the flat arrays' order (beside [`Tally::key`]'s places).
    pub(crate) fn counts(&self) -> &[u32] {
        &self.counts
    }

    /// The key at place `j` (below [`Tally::len`]).
    pub(crate) fn key(&self, j: usize) -> &K {
        &self.keys[j]
    }

    /// How many distinct keys.
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }
}

impl<'a, K> IntoIterator for &'a Tally<K> {
    type Item = (&'a K, &'a u32);
    type IntoIter = std::iter::Zip<std::slice::Iter<'a, K>, std::slice::Iter<'a, u32>>;

    fn into_iter(self) -> Self::IntoIter {
        self.keys.iter().zip(&self.counts)
    }
}

/// Equal when they count the same programs by the same keys, in whatever
/// order their updates left the keys.
impl<K: std::hash::Hash + Eq + Clone> PartialEq for Tally<K> {
    fn eq(&self, other: &Tally<K>) -> bool {
        self.len() == other.len()
            && self.iter().all(|(k, n)| {
                other
                    .at
                    .get(k)
                    .is_some_and(|j| other.counts[*j as usize] == *n)
            })
    }
}

/// The payer tally's keys as the payer filter reads them, in a column beside
/// the tally's own arrays (same places): the payer bits, and whether the key
/// takes self-pay ([`PayerColumn::SELF_FUNDED`]), has its payers not listed
/// ([`PayerColumn::UNLISTED`]) or lists payers beyond the bits
/// ([`PayerColumn::HIGH`]). Nine bytes a key against the key's 32 and the
/// map's buckets: the tally every ranking reads that is largest (one key per
/// set of payers taken: 8,192 for the generator's 13 payers).
#[derive(Debug, Clone, Default)]
pub(crate) struct PayerColumn {
    pub masks: Vec<u64>,
    pub flags: Vec<u8>,
    /// How many keys have [`PayerColumn::HIGH`] (most directories: none).
    pub high: usize,
}

impl PayerColumn {
    pub(crate) const SELF_FUNDED: u8 = 1;
    pub(crate) const UNLISTED: u8 = 2;
    pub(crate) const HIGH: u8 = 4;

    fn flags_of(k: &PayerKey) -> u8 {
        (u8::from(k.self_funded) * Self::SELF_FUNDED)
            | (u8::from(k.unlisted) * Self::UNLISTED)
            | (u8::from(!k.high.is_empty()) * Self::HIGH)
    }

    /// The column for `keys`, in their order.
    fn of<'k>(keys: impl Iterator<Item = &'k PayerKey>) -> PayerColumn {
        let (masks, flags): (Vec<u64>, Vec<u8>) = keys.map(|k| (k.mask, Self::flags_of(k))).unzip();
        let high = flags.iter().filter(|f| *f & Self::HIGH != 0).count();
        PayerColumn { masks, flags, high }
    }

    /// Follows `change`, made to the tally for `k`.
    fn follow(&mut self, change: Change, k: &PayerKey) {
        match change {
            Change::Counted => {}
            Change::Pushed => {
                self.masks.push(k.mask);
                self.flags.push(Self::flags_of(k));
                self.high += usize::from(!k.high.is_empty());
            }
            Change::Removed(j) => {
                self.masks.swap_remove(j);
                self.flags.swap_remove(j);
                self.high -= usize::from(!k.high.is_empty());
            }
        }
    }
}

/// Counts of programs by the values each location-independent filter
/// reads: enough to count, for any patient, how many programs fail each
/// filter without reading them. Zero counts are dropped, so each tally holds
/// only the distinct values present.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tallies {
    pub ages: Tally<(u8, u8)>,
    pub restricted: Tally<u16>,
    pub payers: Tally<PayerKey>,
    /// The payer tally's keys as the filter reads them (same places).
    pub payer_column: PayerColumn,
    pub languages: Tally<LanguageKey>,
    pub excluded: Tally<u32>,
    /// Programs that admit only some primary conditions, by those conditions.
    pub admits: Tally<u32>,
    pub delivery: Tally<u8>,
    /// Programs with fully remote delivery, by (delivery modes, licensed states).
    pub telehealth: Tally<(u8, u64)>,
    /// Programs by (flags, not-listed bits): new-patient status and MOUD.
    pub status: Tally<(u8, u8)>,
}

/// The column follows the tally: equal tallies are enough.
impl PartialEq for Tallies {
    fn eq(&self, o: &Tallies) -> bool {
        self.ages == o.ages
            && self.restricted == o.restricted
            && self.payers == o.payers
            && self.languages == o.languages
            && self.excluded == o.excluded
            && self.admits == o.admits
            && self.delivery == o.delivery
            && self.telehealth == o.telehealth
            && self.status == o.status
    }
}

impl Tallies {
    fn count(&mut self, k: &PartKey, add: bool) {
        self.ages.bump(k.ages, add);
        if k.restricted != 0 {
            self.restricted.bump(k.restricted, add);
        }
        let change = self.payers.bump(k.payers.clone(), add);
        self.payer_column.follow(change, &k.payers);
        if let Some(l) = &k.languages {
            self.languages.bump(l.clone(), add);
        }
        if k.excluded_cover != 0 {
            self.excluded.bump(k.excluded_cover, add);
        }
        if k.admits_cover != 0 {
            self.admits.bump(k.admits_cover, add);
        }
        self.delivery.bump(k.delivery, add);
        if k.telehealth {
            self.telehealth.bump((k.delivery, k.states), add);
        }
        self.status.bump((k.flags, k.unlisted), add);
    }

    /// The payer column made again from the payer tally (after reading it back).
    pub(crate) fn with_payer_column(mut self) -> Tallies {
        self.payer_column = PayerColumn::of(self.payers.keys.iter());
        self
    }
}

/// The partitions: program positions (ascending in every list) by cell,
/// by licensed telehealth state and by levels offered, and the tallies.
#[derive(Debug, Clone)]
pub(crate) struct Parts {
    grid: BTreeMap<(u16, u16), Vec<u32>>,
    /// Programs with fully remote delivery.
    telehealth: Vec<u32>,
    /// The same, by each state they are licensed in (bit index).
    telehealth_by_state: Vec<Vec<u32>>,
    /// Programs by the levels they offer (the level mask).
    by_levels: Vec<Vec<u32>>,
    pub tallies: Tallies,
    /// Bit sets by value, for rankings without a place.
    pub screens: Screens,
}

impl Default for Parts {
    fn default() -> Parts {
        Parts {
            grid: BTreeMap::new(),
            telehealth: Vec::new(),
            telehealth_by_state: vec![Vec::new(); STATE_LISTS],
            by_levels: vec![Vec::new(); LEVEL_LISTS],
            tallies: Tallies::default(),
            screens: Screens::default(),
        }
    }
}

fn insert_sorted(list: &mut Vec<u32>, i: u32) {
    let at = list.partition_point(|x| *x < i);
    list.insert(at, i);
}

fn remove_sorted(list: &mut Vec<u32>, i: u32) {
    if let Ok(at) = list.binary_search(&i) {
        list.remove(at);
    }
}

impl Parts {
    /// Adds program `i` (appending is O(1) when `i` is the largest position yet).
    pub(crate) fn add(&mut self, i: u32, k: &PartKey) {
        insert_sorted(self.grid.entry(k.cell).or_default(), i);
        if k.telehealth {
            insert_sorted(&mut self.telehealth, i);
            for s in ones(k.states) {
                insert_sorted(&mut self.telehealth_by_state[s], i);
            }
        }
        insert_sorted(&mut self.by_levels[usize::from(k.levels)], i);
        self.tallies.count(k, true);
        self.screens.add(i as usize, &k.screen);
    }

    /// Removes program `i`, whose key was `k`; positions are unchanged.
    pub(crate) fn remove(&mut self, i: u32, k: &PartKey) {
        if let Some(list) = self.grid.get_mut(&k.cell) {
            remove_sorted(list, i);
            if list.is_empty() {
                self.grid.remove(&k.cell);
            }
        }
        if k.telehealth {
            remove_sorted(&mut self.telehealth, i);
            for s in ones(k.states) {
                remove_sorted(&mut self.telehealth_by_state[s], i);
            }
        }
        remove_sorted(&mut self.by_levels[usize::from(k.levels)], i);
        self.tallies.count(k, false);
        self.screens.remove(i as usize, &k.screen);
    }

    /// After the program at position `i` was removed (and taken out with
    /// [`Parts::remove`]): every later position moves down by one.
    pub(crate) fn close_up(&mut self, i: u32) {
        self.screens.close_up(i as usize);
        let lists = self
            .grid
            .values_mut()
            .chain(std::iter::once(&mut self.telehealth))
            .chain(self.telehealth_by_state.iter_mut())
            .chain(self.by_levels.iter_mut());
        for list in lists {
            let from = list.partition_point(|x| *x <= i);
            for x in &mut list[from..] {
                *x -= 1;
            }
        }
    }

    /// The cells of `w` that hold programs, each with its list of positions.
    pub(crate) fn cells<'a>(
        &'a self,
        w: &Window,
    ) -> impl Iterator<Item = ((u16, u16), &'a [u32])> + 'a {
        let (bands, ranges) = (w.bands, w.sector_ranges().to_vec());
        (bands.0..=bands.1).flat_map(move |band| {
            ranges
                .clone()
                .into_iter()
                .flat_map(move |(lo, hi)| self.grid.range((band, lo)..=(band, hi)))
                .map(|(c, v)| (*c, &v[..]))
        })
    }

    /// Programs with fully remote delivery licensed in the state with bit
    /// `state`, or all of them for `None`.
    pub(crate) fn telehealth(&self, state: Option<u64>) -> &[u32] {
        match state {
            Some(bit) => &self.telehealth_by_state[bit.trailing_zeros() as usize % 64],
            None => &self.telehealth,
        }
    }

    /// Programs with fully remote delivery (all of them).
    pub(crate) fn telehealth_count(&self) -> usize {
        self.telehealth.len()
    }

    /// The lists of programs by level mask, with their masks.
    pub(crate) fn by_levels(&self) -> impl Iterator<Item = (u8, &[u32])> {
        self.by_levels
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.is_empty())
            .map(|(m, v)| (m as u8, &v[..]))
    }

    /// Bytes the lists and tallies take (roughly, for the tallies' maps).
    pub(crate) fn bytes(&self) -> usize {
        let lists: usize = self.grid.values().map(Vec::len).sum::<usize>()
            + self.telehealth.len()
            + self.telehealth_by_state.iter().map(Vec::len).sum::<usize>()
            + self.by_levels.iter().map(Vec::len).sum::<usize>();
        let t = &self.tallies;
        let entries = t.ages.len()
            + t.restricted.len()
            + t.payers.len()
            + t.languages.len()
            + t.excluded.len()
            + t.admits.len()
            + t.delivery.len()
            + t.telehealth.len()
            + t.status.len();
        lists * 4
            + self.grid.len() * 40
            + entries * 48
            + t.payer_column.masks.len() * 9
            + self.screens.bytes()
    }
}

/// The partitions as a snapshot holds them (`snapshot.rs`): every list of
/// positions as its length, the lists' positions one after another.
#[derive(Debug, PartialEq)]
pub(crate) struct PartArrays {
    /// The grid's cells holding programs, ascending, each with its list's length.
    pub cells: Vec<((u16, u16), u32)>,
    pub grid: Vec<u32>,
    pub telehealth: Vec<u32>,
    /// [`STATE_LISTS`] lengths.
    pub state_lens: Vec<u32>,
    pub by_state: Vec<u32>,
    /// [`LEVEL_LISTS`] lengths.
    pub level_lens: Vec<u32>,
    pub by_levels: Vec<u32>,
}

/// What the checks of partitions read back need of each program (its
/// rows' values), so that `partition.rs` does not read the rows itself.
pub(crate) struct Member {
    pub cell: (u16, u16),
    pub telehealth: bool,
    pub states: u64,
    pub levels: u8,
}

/// Per-tally totals the rows give (programs counted by each tally), to
/// check the tallies read back against.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct TallyTotals {
    pub all: u64,
    pub restricted: u64,
    pub languages: u64,
    pub excluded: u64,
    pub admits: u64,
    pub telehealth: u64,
}

impl TallyTotals {
    /// Counts one program in the totals its key is tallied in.
    pub(crate) fn count(
        &mut self,
        restricted: bool,
        interpreter: bool,
        excluded: bool,
        admits: bool,
        telehealth: bool,
    ) {
        self.all += 1;
        self.restricted += u64::from(restricted);
        self.languages += u64::from(!interpreter);
        self.excluded += u64::from(excluded);
        self.admits += u64::from(admits);
        self.telehealth += u64::from(telehealth);
    }
}

impl Tallies {
    /// Each tally's entries, sorted (so a snapshot's bytes do not depend on
    /// the maps' per-process order).
    pub(crate) fn sorted<K: Ord + Clone>(map: &Tally<K>) -> Vec<(K, u32)> {
        let mut v: Vec<(K, u32)> = map.iter().map(|(k, n)| (k.clone(), *n)).collect();
        v.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        v
    }

    /// Checks tallies read back: no count is 0 (a count taken to 0 is
    /// removed, so an update would take it below), and each tally counts
    /// as many programs as the rows say it must.
    fn check(&self, want: &TallyTotals) -> Result<(), String> {
        fn sum<K>(what: &str, map: &Tally<K>, want: u64) -> Result<(), String> {
            if map.counts().contains(&0) {
                return Err(format!("tallies.{what}: a count of 0"));
            }
            let got: u64 = map.counts().iter().map(|n| u64::from(*n)).sum();
            if got != want {
                return Err(format!(
                    "tallies.{what}: counts {got} programs, the rows {want}"
                ));
            }
            Ok(())
        }
        sum("ages", &self.ages, want.all)?;
        sum("restricted", &self.restricted, want.restricted)?;
        sum("payers", &self.payers, want.all)?;
        sum("languages", &self.languages, want.languages)?;
        sum("excluded", &self.excluded, want.excluded)?;
        sum("admits", &self.admits, want.admits)?;
        sum("delivery", &self.delivery, want.all)?;
        sum("telehealth", &self.telehealth, want.telehealth)?;
        sum("status", &self.status, want.all)
    }
}

/// Splits `flat` into lists of the lengths `lens`, each checked: strictly
/// ascending, every position below `n`, and every position `ok` for its
/// list (the list's index given). The message names the list and entry.
fn split(
    what: &str,
    lens: &[u32],
    flat: &[u32],
    n: usize,
    ok: impl Fn(usize, usize) -> bool,
) -> Result<Vec<Vec<u32>>, String> {
    let total: u64 = lens.iter().map(|l| u64::from(*l)).sum();
    if total != flat.len() as u64 {
        return Err(format!(
            "{what}: the lists' lengths add up to {total}, {} positions are given",
            flat.len()
        ));
    }
    let mut out = Vec::with_capacity(lens.len());
    let mut at = 0;
    for (l, len) in lens.iter().enumerate() {
        let list = &flat[at..at + *len as usize];
        at += *len as usize;
        let mut last: Option<u32> = None;
        for (j, x) in list.iter().enumerate() {
            if last.is_some_and(|y| y >= *x) || *x as usize >= n || !ok(l, *x as usize) {
                return Err(format!(
                    "{what}[{l}][{j}] = {x}: not ascending, beyond the {n} programs, or not a \
                     program of its list"
                ));
            }
            last = Some(*x);
        }
        out.push(list.to_vec());
    }
    Ok(out)
}

impl Parts {
    /// The lists as a snapshot writes them.
    pub(crate) fn arrays(&self) -> PartArrays {
        PartArrays {
            cells: self
                .grid
                .iter()
                .map(|(c, v)| (*c, v.len() as u32))
                .collect(),
            grid: self.grid.values().flatten().copied().collect(),
            telehealth: self.telehealth.clone(),
            state_lens: self
                .telehealth_by_state
                .iter()
                .map(|v| v.len() as u32)
                .collect(),
            by_state: self.telehealth_by_state.concat(),
            level_lens: self.by_levels.iter().map(|v| v.len() as u32).collect(),
            by_levels: self.by_levels.concat(),
        }
    }

    /// Partitions and tallies read back from a snapshot, checked against
    /// the rows (`member(i)` gives program `i`'s values, `totals` what each
    /// tally must count) without hashing a program: every list strictly
    /// ascending with every position a program of that list (in its cell,
    /// of its levels, with remote delivery, licensed in its state), and
    /// each partition holding every program it must (the lists' lengths
    /// add up to the programs the rows put in it). So the lists are
    /// exactly those counting would give, and no later subtraction of one
    /// list's length from another's can underflow. The tallies are checked
    /// by their sums ([`Tallies::check`]).
    pub(crate) fn from_arrays(
        a: PartArrays,
        tallies: Tallies,
        n: usize,
        member: impl Fn(usize) -> Member,
        totals: &TallyTotals,
    ) -> Result<Parts, String> {
        if a.state_lens.len() != STATE_LISTS || a.level_lens.len() != LEVEL_LISTS {
            return Err(format!(
                "{} state lists and {} level lists, not {STATE_LISTS} and {LEVEL_LISTS}",
                a.state_lens.len(),
                a.level_lens.len()
            ));
        }
        for (j, w) in a.cells.windows(2).enumerate() {
            if w[0].0 >= w[1].0 {
                return Err(format!("parts.cells[{}]: not ascending", j + 1));
            }
        }
        if let Some((j, _)) = a
            .cells
            .iter()
            .enumerate()
            .find(|(_, ((b, s), len))| *b >= BANDS || *s >= SECTORS || *len == 0)
        {
            return Err(format!("parts.cells[{j}]: outside the grid, or empty"));
        }
        let lens: Vec<u32> = a.cells.iter().map(|(_, l)| *l).collect();
        let cells = split("parts.grid", &lens, &a.grid, n, |l, i| {
            member(i).cell == a.cells[l].0
        })?;
        if a.grid.len() != n {
            return Err(format!(
                "parts.grid: {} programs placed of {n}",
                a.grid.len()
            ));
        }
        let tele = split(
            "parts.telehealth",
            &[a.telehealth.len() as u32],
            &a.telehealth,
            n,
            |_, i| member(i).telehealth,
        )?;
        if a.telehealth.len() as u64 != totals.telehealth {
            return Err(format!(
                "parts.telehealth: {} programs, the rows {}",
                a.telehealth.len(),
                totals.telehealth
            ));
        }
        let by_state = split("parts.by_state", &a.state_lens, &a.by_state, n, |s, i| {
            let m = member(i);
            m.telehealth && m.states >> s & 1 == 1
        })?;
        let licensed: u64 = a
            .telehealth
            .iter()
            .map(|i| u64::from(member(*i as usize).states.count_ones()))
            .sum();
        if a.by_state.len() as u64 != licensed {
            return Err(format!(
                "parts.by_state: {} licences listed, the rows {licensed}",
                a.by_state.len()
            ));
        }
        let by_levels = split("parts.by_levels", &a.level_lens, &a.by_levels, n, |m, i| {
            usize::from(member(i).levels) == m
        })?;
        if a.by_levels.len() != n {
            return Err(format!(
                "parts.by_levels: {} programs of {n}",
                a.by_levels.len()
            ));
        }
        tallies.check(totals)?;
        Ok(Parts {
            grid: a.cells.iter().map(|(c, _)| *c).zip(cells).collect(),
            telehealth: tele.into_iter().next().unwrap_or_default(),
            telehealth_by_state: by_state,
            by_levels,
            tallies,
            screens: Screens::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(latitude: f64, longitude: f64) -> GeoPoint {
        GeoPoint {
            latitude,
            longitude,
        }
    }

    /// Every point within the limit (by the haversine the filters use) is in the window.
    #[test]
    fn the_window_holds_every_point_within_the_limit() {
        let centers = [
            point(42.36, -71.06),
            point(0.0, 179.99),
            point(0.0, -179.99),
            point(89.9, 10.0),
            point(-89.95, -120.0),
            point(-33.9, 151.2),
            point(64.0, -180.0),
            point(64.0, 180.0),
        ];
        let limits = [0.0, 1.0, 20.0, 150.0, 3000.0];
        let mut checked = 0;
        for c in centers {
            for max in limits {
                let w = Window::around(c, max).expect("a valid centre and limit");
                // Points on rings at and just inside the limit, all bearings.
                for step in 0..720 {
                    let bearing = f64::from(step).to_radians() / 2.0;
                    for frac in [1.0, 0.999_999, 0.5] {
                        let p = destination(c, max * frac, bearing);
                        if c.miles_to(p) <= max {
                            checked += 1;
                            assert!(
                                w.contains(cell_of(p.latitude, p.longitude)),
                                "{p:?} at {} miles from {c:?} (limit {max}) is outside {w:?}",
                                c.miles_to(p)
                            );
                        }
                    }
                }
            }
        }
        assert!(checked > 10_000);
    }

    /// The point `miles` from `c` on `bearing` (radians from north), on the sphere.
    fn destination(c: GeoPoint, miles: f64, bearing: f64) -> GeoPoint {
        let d = miles / EARTH_RADIUS_MILES;
        let (la, lo) = (c.latitude.to_radians(), c.longitude.to_radians());
        let la2 = (la.sin() * d.cos() + la.cos() * d.sin() * bearing.cos()).asin();
        let lo2 = lo + (bearing.sin() * d.sin() * la.cos()).atan2(d.cos() - la.sin() * la2.sin());
        let mut lon = lo2.to_degrees();
        while lon > 180.0 {
            lon -= 360.0;
        }
        while lon < -180.0 {
            lon += 360.0;
        }
        point(la2.to_degrees().clamp(-90.0, 90.0), lon)
    }

    /// The window is the bounding box and no more: its bands and sectors
    /// span the box's degrees plus at most a cell at each edge (so a
    /// ranking reads few cells beyond the limit), also across the
    /// antimeridian, where it is two short runs of sectors.
    #[test]
    fn the_window_is_no_larger_than_the_bounding_box() {
        let centers = [
            point(42.36, -71.06),
            point(0.0, 179.99),
            point(0.0, -179.99),
            point(-33.9, 151.2),
            point(64.0, -180.0),
            point(64.0, 180.0),
            point(10.0, 0.0),
        ];
        for c in centers {
            for max in [0.0, 1.0, 20.0, 40.0, 150.0] {
                let w = Window::around(c, max).expect("a valid centre and limit");
                let r = (max + 0.1) / EARTH_RADIUS_MILES;
                let dlat = r.to_degrees();
                let dlon = (r.sin() / c.latitude.to_radians().cos())
                    .asin()
                    .to_degrees();
                let bands = f64::from(w.bands.1 - w.bands.0 + 1);
                let sectors: f64 = w
                    .sector_ranges()
                    .iter()
                    .map(|(lo, hi)| f64::from(hi - lo + 1))
                    .sum();
                assert!(bands <= 2.0 * dlat / CELL_DEG + 2.0, "{c:?} {max}: {w:?}");
                assert!(sectors <= 2.0 * dlon / CELL_DEG + 3.0, "{c:?} {max}: {w:?}");
            }
        }
    }

    #[test]
    fn windows_refuse_what_is_not_a_place_or_a_limit() {
        assert_eq!(Window::around(point(91.0, 0.0), 10.0), None);
        assert_eq!(Window::around(point(0.0, 0.0), f64::NAN), None);
        assert_eq!(Window::around(point(0.0, 0.0), f64::INFINITY), None);
        assert_eq!(Window::around(point(0.0, 0.0), -1.0), None);
    }

    #[test]
    fn cells_cover_the_edges() {
        assert_eq!(cell_of(-90.0, -180.0), (0, 0));
        assert_eq!(cell_of(90.0, 180.0), (BANDS - 1, SECTORS - 1));
        assert_eq!(cell_of(0.05, 0.05), (900, 1800));
    }

    #[test]
    fn removing_closes_up_positions_in_every_list() {
        let key = |cell, levels| PartKey {
            cell,
            telehealth: true,
            states: 0b101,
            levels,
            ages: (0, 120),
            restricted: 0,
            payers: PayerKey {
                mask: 1,
                high: Box::new([]),
                self_funded: false,
                unlisted: false,
            },
            languages: None,
            excluded_cover: 0,
            admits_cover: 0,
            delivery: 2,
            flags: 1,
            screen: ScreenKey::default(),
            unlisted: 0,
        };
        let mut p = Parts::default();
        let keys = [key((1, 1), 2), key((1, 2), 2), key((1, 1), 4)];
        for (i, k) in keys.iter().enumerate() {
            p.add(i as u32, k);
        }
        p.remove(1, &keys[1]);
        p.close_up(1);
        assert_eq!(p.grid.get(&(1, 1)).map(Vec::as_slice), Some(&[0, 1][..]));
        assert!(!p.grid.contains_key(&(1, 2)));
        assert_eq!(p.telehealth(Some(0b100)), &[0, 1]);
        assert_eq!(p.by_levels[2], vec![0]);
        assert_eq!(p.by_levels[4], vec![1]);
        assert_eq!(p.tallies.payers.counts().iter().sum::<u32>(), 2);
    }

    proptest::proptest! {
        /// A tally under any sequence of adds and removes counts as a map
        /// would (zero counts dropped), its index finds every key's place
        /// after the swaps removals make, and the payer column stays beside
        /// its keys.
        #[test]
        fn a_tally_counts_as_a_map_does(
            ops in proptest::collection::vec((0u64..12, 0u8..3, proptest::bool::ANY), 0..200)
        ) {
            let mut t = Tallies::default();
            let mut model: HashMap<PayerKey, u32> = HashMap::new();
            for (mask, flags, add) in ops {
                let k = PayerKey {
                    mask,
                    high: if flags == 2 { Box::new([70]) } else { Box::new([]) },
                    self_funded: flags == 1,
                    unlisted: false,
                };
                let change = t.payers.bump(k.clone(), add);
                t.payer_column.follow(change, &k);
                if add {
                    *model.entry(k).or_insert(0) += 1;
                } else if let Some(n) = model.get_mut(&k) {
                    *n -= 1;
                    if *n == 0 {
                        model.remove(&k);
                    }
                }
            }
            proptest::prop_assert_eq!(t.payers.len(), model.len());
            for (k, n) in &model {
                proptest::prop_assert_eq!(t.payers.get(k), *n);
            }
            for (j, (k, n)) in t.payers.iter().enumerate() {
                proptest::prop_assert!(*n > 0);
                proptest::prop_assert_eq!(t.payers.at.get(k).copied(), Some(j as u32));
                proptest::prop_assert_eq!(t.payer_column.masks[j], k.mask);
                proptest::prop_assert_eq!(t.payer_column.flags[j], PayerColumn::flags_of(k));
            }
            proptest::prop_assert_eq!(
                t.payer_column.high,
                t.payers.iter().filter(|(k, _)| !k.high.is_empty()).count()
            );
            let rebuilt = Tallies {
                payers: Tally::from_entries(t.payers.iter().map(|(k, n)| (k.clone(), *n)).collect())
                    .expect("distinct keys"),
                ..Tallies::default()
            };
            proptest::prop_assert!(rebuilt.payers == t.payers);
        }
    }
}
