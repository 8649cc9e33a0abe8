//! Places as people write them: a ZIP code, or a Massachusetts city or town,
//! to a point on the map.
//!
//! The tables are embedded, public domain, from the US Census Bureau's
//! Gazetteer files (works of the US government):
//!
//! - **ZIP codes**: the internal points of every ZIP Code Tabulation Area
//!   (ZCTA) of the United States and Puerto Rico, 33,120 of them, from a
//!   national ZCTA Gazetteer file of the 2010 ZCTA delineation (the copy
//!   read has no year in its name; its rows and columns are those of the
//!   2012 to 2019 releases, see `data/places/README.md`), each with its
//!   state from the Census 2010 ZCTA-to-county relationship file
//!   (`zcta_county_rel_10.txt`): the state holding most of the ZCTA's
//!   population (most of its land where it has no residents; 103 ZCTAs cross
//!   a state line). A ZCTA approximates the area a ZIP code's mail goes to; a
//!   ZIP code that is a post-office box or a single business has none, and is
//!   not listed.
//! - **Cities and towns**: the internal points of Massachusetts' 351 county
//!   subdivisions (its cities and towns), from `2023_gaz_cousubs_25.txt`
//!   (2023 Gazetteer, county subdivisions, Massachusetts).
//!
//! `data/places/generate.py` writes the two tables (`data/places/zcta.bin`,
//! fixed-width records searched in place, 397,550 bytes; and
//! `data/places/ma_towns.tsv`; `data/places/README.md` names the copies
//! read) from those files and says which columns it reads. An internal point is
//! inside the area (the Census picks it near the centre), not the address of
//! anything: a program located by its ZIP code is located only roughly,
//! and says so ([`crate::LocationPrecision::ZipCentre`]).
//!
//! # Example
//!
//! ```
//! use carematch::places::{self, PlaceKind};
//!
//! let zip = places::lookup("01608")?;
//! assert_eq!(zip.kind, PlaceKind::Zip);
//! assert_eq!(zip.state, "MA");
//! assert_eq!(places::lookup("33136")?.state, "FL"); // Miami
//!
//! let town = places::lookup("worcester, ma")?;
//! assert_eq!((town.name.as_str(), town.kind), ("Worcester", PlaceKind::City));
//! assert!(town.point().miles_to(zip.point()) < 2.0);
//! assert_eq!(town.to_string(), "Worcester, MA (city): 42.2695, -71.8078");
//!
//! let e = places::lookup("Worcestr").unwrap_err();
//! assert_eq!(e.suggestions(), ["Worcester"]);
//! assert!(places::lookup("99999").is_err());
//! # Ok::<(), carematch::places::PlaceError>(())
//! ```

use std::fmt;

use crate::program::GeoPoint;

/// The ZCTA table as `data/places/generate.py` writes it: a header (`ZCTA`,
/// version 1, the state count and the states' two-letter codes), then one
/// 12-byte record per ZCTA sorted by ZIP code (little-endian `u32` ZIP code
/// times 64 plus its state's index; `i32` latitude and longitude in
/// millionths of a degree).
const ZCTA_TABLE: &[u8] = include_bytes!("../data/places/zcta.bin");
/// Bytes in one ZCTA record.
const ZCTA_RECORD: usize = 12;
/// The Massachusetts city and town table: `Census NAME<TAB>latitude<TAB>longitude`.
const TOWN_TABLE: &str = include_str!("../data/places/ma_towns.tsv");

/// What kind of place a [`Place`] is.
///
/// # Example
///
/// ```
/// assert_eq!(carematch::places::PlaceKind::Zip.to_string(), "ZIP code");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum PlaceKind {
    /// A ZIP code (its ZCTA's internal point).
    Zip,
    /// A Massachusetts town (a county subdivision with a town government).
    Town,
    /// A Massachusetts city (including the "Town city" forms, such as
    /// Amherst and Barnstable: towns with a city form of government).
    City,
}

impl fmt::Display for PlaceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PlaceKind::Zip => "ZIP code",
            PlaceKind::Town => "town",
            PlaceKind::City => "city",
        })
    }
}

/// A place found by [`lookup`]: its name, kind, state and point.
///
/// # Example
///
/// ```
/// let p = carematch::places::lookup("02108")?;
/// assert_eq!(p.name, "02108");
/// assert_eq!(p.to_string(), "ZIP 02108, MA (the ZIP code's centre): 42.3578, -71.0648");
/// # Ok::<(), carematch::places::PlaceError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Place {
    /// The ZIP code, or the city or town's name ("Worcester", "Manchester-by-the-Sea").
    pub name: String,
    /// ZIP code, town or city.
    pub kind: PlaceKind,
    /// The two-letter state code.
    pub state: String,
    /// Latitude of the Census internal point, in decimal degrees.
    pub latitude: f64,
    /// Longitude of the Census internal point, in decimal degrees.
    pub longitude: f64,
}

impl Place {
    /// The place's point.
    ///
    /// # Example
    ///
    /// ```
    /// let p = carematch::places::lookup("Boston")?;
    /// assert!(p.point().problem().is_none());
    /// # Ok::<(), carematch::places::PlaceError>(())
    /// ```
    pub fn point(&self) -> GeoPoint {
        GeoPoint {
            latitude: self.latitude,
            longitude: self.longitude,
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            PlaceKind::Zip => write!(
                f,
                "ZIP {}, {} (the ZIP code's centre): {}",
                self.name,
                self.state,
                self.point()
            ),
            _ => write!(
                f,
                "{}, {} ({}): {}",
                self.name,
                self.state,
                self.kind,
                self.point()
            ),
        }
    }
}

/// Why [`lookup`] found no place.
///
/// # Example
///
/// ```
/// use carematch::places::{lookup, PlaceError};
/// let e = lookup("Sprngfield, MA").unwrap_err();
/// assert!(matches!(e, PlaceError::UnknownTown { .. }));
/// assert_eq!(
///     e.to_string(),
///     "`Sprngfield, MA` is not a Massachusetts city or town; did you mean Springfield?"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlaceError {
    /// Nothing was written.
    #[error("no place given: write a ZIP code (01608) or a Massachusetts city or town (Worcester)")]
    Empty,
    /// A five-digit code the table does not hold.
    #[error(
        "ZIP code {zip} is not in the table: it covers the US ZIP codes that have a Census \
         ZIP Code Tabulation Area (2010); a post-office box or single-business ZIP code has none"
    )]
    UnknownZip {
        /// The five digits.
        zip: String,
    },
    /// Digits that are not a ZIP code (not five, or ZIP+4 written wrong).
    #[error("`{input}` is not a ZIP code: write five digits (01608) or ZIP+4 (01608-1234)")]
    NotAZip {
        /// What was written.
        input: String,
    },
    /// A name that is not a Massachusetts city or town.
    #[error("`{input}` is not a Massachusetts city or town{}", did_you_mean(.suggestions))]
    UnknownTown {
        /// What was written.
        input: String,
        /// Close names, best first (at most three).
        suggestions: Vec<String>,
    },
    /// A city or town named in a state other than Massachusetts.
    #[error(
        "`{input}`: cities and towns are listed for Massachusetts only (a ZIP code works in every state)"
    )]
    OtherState {
        /// What was written.
        input: String,
    },
}

fn did_you_mean(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!("; did you mean {one}?"),
        more => format!("; did you mean one of {}?", more.join(", ")),
    }
}

impl PlaceError {
    /// Close names for a misspelled city or town, best first; empty otherwise.
    ///
    /// # Example
    ///
    /// ```
    /// let e = carematch::places::lookup("Fitchberg").unwrap_err();
    /// assert_eq!(e.suggestions(), ["Fitchburg"]);
    /// ```
    pub fn suggestions(&self) -> &[String] {
        match self {
            PlaceError::UnknownTown { suggestions, .. } => suggestions,
            _ => &[],
        }
    }
}

impl From<PlaceError> for crate::Error {
    fn from(e: PlaceError) -> crate::Error {
        let input = match &e {
            PlaceError::Empty => String::new(),
            PlaceError::UnknownZip { zip } => zip.clone(),
            PlaceError::NotAZip { input }
            | PlaceError::UnknownTown { input, .. }
            | PlaceError::OtherState { input } => input.clone(),
        };
        crate::Error::parse_owned("place", input, e.to_string())
    }
}

/// One record of the ZCTA table.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ZipRow {
    zip: u32,
    state: &'static str,
    latitude: f64,
    longitude: f64,
}

/// The ZCTA table read in place ([`ZCTA_TABLE`]): nothing is decoded until
/// a record is asked for, so a [`Places`] costs no work for its 33,120 ZIP
/// codes and a lookup is a binary search over the embedded bytes.
#[derive(Clone, Copy)]
struct ZipTable {
    /// Two ASCII letters per state, in the order the records index them.
    states: &'static [u8],
    /// [`ZCTA_RECORD`] bytes per ZCTA, sorted by ZIP code.
    records: &'static [u8],
}

impl fmt::Debug for ZipTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ZipTable")
            .field("zip_codes", &self.len())
            .field("states", &(self.states.len() / 2))
            .finish()
    }
}

fn le_bytes(b: &[u8], at: usize) -> Option<[u8; 4]> {
    b.get(at..at + 4)?.try_into().ok()
}

impl ZipTable {
    /// The table in `bytes`, if its header is the one `generate.py` writes
    /// and its records are whole.
    fn read(bytes: &'static [u8]) -> Option<ZipTable> {
        let rest = bytes.strip_prefix(b"ZCTA")?;
        let (&[version, count], rest) = rest.split_first_chunk::<2>()?;
        let n = 2 * usize::from(count);
        let (states, records) = (rest.get(..n)?, rest.get(n..)?);
        (version == 1 && records.len() % ZCTA_RECORD == 0).then_some(ZipTable { states, records })
    }

    /// The embedded table (empty if it were not readable: a unit test holds
    /// that it is).
    fn embedded() -> ZipTable {
        ZipTable::read(ZCTA_TABLE).unwrap_or(ZipTable {
            states: &[],
            records: &[],
        })
    }

    fn len(&self) -> usize {
        self.records.len() / ZCTA_RECORD
    }

    /// Record `i`'s ZIP code times 64 plus its state's index.
    fn key(&self, i: usize) -> Option<u32> {
        le_bytes(self.records, i * ZCTA_RECORD).map(u32::from_le_bytes)
    }

    /// Record `i`, decoded.
    fn row(&self, i: usize) -> Option<ZipRow> {
        let at = i * ZCTA_RECORD;
        let key = self.key(i)?;
        let s = 2 * (key % 64) as usize;
        let state = std::str::from_utf8(self.states.get(s..s + 2)?).ok()?;
        let micro = |k: usize| {
            le_bytes(self.records, at + k).map(|b| f64::from(i32::from_le_bytes(b)) / 1e6)
        };
        Some(ZipRow {
            zip: key / 64,
            state,
            latitude: micro(4)?,
            longitude: micro(8)?,
        })
    }

    /// The record of `zip`, by binary search.
    fn find(&self, zip: u32) -> Option<ZipRow> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match (self.key(mid)? / 64).cmp(&zip) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return self.row(mid),
            }
        }
        None
    }
}

/// One row of the town table.
#[derive(Debug, Clone)]
struct TownRow {
    name: String,
    kind: PlaceKind,
    key: String,
    latitude: f64,
    longitude: f64,
}

/// The embedded tables, read once: keep one to look up many places (an
/// import does); [`lookup`] reads them for one.
///
/// # Example
///
/// ```
/// let places = carematch::places::Places::embedded();
/// assert_eq!(places.zip("01608").map(|p| p.state), Some("MA".to_string()));
/// assert_eq!(places.zip("02903").map(|p| p.state), Some("RI".to_string()));
/// assert_eq!(places.zip("10001").map(|p| p.state), Some("NY".to_string()));
/// assert!(places.zip("00000").is_none()); // no such ZIP code
/// ```
#[derive(Debug, Clone)]
pub struct Places {
    zips: ZipTable,
    towns: Vec<TownRow>,
}

/// Lower case, letters and digits only, one space between words
/// ("Manchester-by-the-Sea" is "manchester by the sea").
fn normalize(text: &str) -> String {
    let spaced: String = text
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| *c != '\'' && *c != '.')
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The rows of an embedded table: lines that are not comments, split at tabs.
fn table_rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

fn coordinates(lat: &str, lon: &str) -> Option<(f64, f64)> {
    let p = GeoPoint::new(lat.parse().ok()?, lon.parse().ok()?).ok()?;
    Some((p.latitude, p.longitude))
}

/// The Census NAME's name and kind: "Worcester city", "Amherst Town city",
/// "Bourne town".
fn town_name(census: &str) -> Option<(String, PlaceKind)> {
    if let Some(n) = census.strip_suffix(" Town city") {
        Some((n.to_string(), PlaceKind::City))
    } else if let Some(n) = census.strip_suffix(" city") {
        Some((n.to_string(), PlaceKind::City))
    } else {
        census
            .strip_suffix(" town")
            .map(|n| (n.to_string(), PlaceKind::Town))
    }
}

/// The words that may follow a town's name: its state and its kind.
fn town_key(text: &str) -> Result<String, bool> {
    let mut n = normalize(text);
    for state in [" massachusetts", " mass", " ma"] {
        if let Some(s) = n.strip_suffix(state) {
            n = s.to_string();
            break;
        }
    }
    // Another state's code after a comma ("Providence, RI").
    if let Some((_, after)) = text.rsplit_once(',') {
        let after = after.trim();
        if after.len() == 2
            && crate::region::state_bit(&after.to_ascii_uppercase()).is_some()
            && !after.eq_ignore_ascii_case("ma")
        {
            return Err(true);
        }
    }
    for kind in [" town city", " city", " town"] {
        if let Some(s) = n.strip_suffix(kind) {
            n = s.to_string();
            break;
        }
    }
    let n = n.strip_prefix("city of ").unwrap_or(&n).to_string();
    let n = n.strip_prefix("town of ").unwrap_or(&n).to_string();
    if n.is_empty() { Err(false) } else { Ok(n) }
}

impl Places {
    /// The embedded tables (33,120 US ZIP codes, read in place; 351
    /// Massachusetts cities and towns).
    ///
    /// # Example
    ///
    /// ```
    /// let p = carematch::places::Places::embedded();
    /// assert_eq!((p.zip_count(), p.town_count()), (33120, 351));
    /// ```
    pub fn embedded() -> Places {
        let zips = ZipTable::embedded();
        let towns = table_rows(TOWN_TABLE)
            .filter_map(|r| match r.as_slice() {
                [census, lat, lon] => {
                    let (name, kind) = town_name(census)?;
                    let (latitude, longitude) = coordinates(lat, lon)?;
                    Some(TownRow {
                        key: normalize(&name),
                        name,
                        kind,
                        latitude,
                        longitude,
                    })
                }
                _ => None,
            })
            .collect();
        Places { zips, towns }
    }

    /// How many ZIP codes the table holds.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::places::Places::embedded().zip_count() > 1000);
    /// ```
    pub fn zip_count(&self) -> usize {
        self.zips.len()
    }

    /// How many cities and towns the table holds.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::places::Places::embedded().town_count(), 351);
    /// ```
    pub fn town_count(&self) -> usize {
        self.towns.len()
    }

    /// The ZIP code's place, when `zip` is five digits in the table (a
    /// ZIP+4 reads as its first five digits).
    ///
    /// # Example
    ///
    /// ```
    /// let places = carematch::places::Places::embedded();
    /// assert_eq!(places.zip("01608-1234").map(|p| p.name), Some("01608".to_string()));
    /// ```
    pub fn zip(&self, zip: &str) -> Option<Place> {
        let five = zip_digits(zip.trim()).ok()?;
        let r = self.zips.find(five.parse().ok()?)?;
        Some(Place {
            name: five.to_string(),
            kind: PlaceKind::Zip,
            state: r.state.to_string(),
            latitude: r.latitude,
            longitude: r.longitude,
        })
    }

    /// A place by ZIP code or by Massachusetts city or town name (any case,
    /// with or without ", MA", "city", "town"): see [`lookup`].
    ///
    /// # Errors
    ///
    /// A [`PlaceError`] saying why, with close names for a misspelled town.
    ///
    /// # Example
    ///
    /// ```
    /// let places = carematch::places::Places::embedded();
    /// assert_eq!(places.lookup("Town of Amherst")?.name, "Amherst");
    /// # Ok::<(), carematch::places::PlaceError>(())
    /// ```
    pub fn lookup(&self, text: &str) -> Result<Place, PlaceError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(PlaceError::Empty);
        }
        if t.starts_with(|c: char| c.is_ascii_digit()) {
            let five = zip_digits(t).map_err(|()| PlaceError::NotAZip {
                input: t.to_string(),
            })?;
            return self.zip(five).ok_or_else(|| PlaceError::UnknownZip {
                zip: five.to_string(),
            });
        }
        let key = town_key(t).map_err(|other| {
            if other {
                PlaceError::OtherState {
                    input: t.to_string(),
                }
            } else {
                PlaceError::Empty
            }
        })?;
        if let Some(r) = self.towns.iter().find(|r| r.key == key) {
            return Ok(Place {
                name: r.name.clone(),
                kind: r.kind,
                state: "MA".to_string(),
                latitude: r.latitude,
                longitude: r.longitude,
            });
        }
        Err(PlaceError::UnknownTown {
            input: t.to_string(),
            suggestions: self.suggest(&key),
        })
    }

    /// Up to three town names close to `key` (normalized), best first:
    /// Damerau-Levenshtein distance at most 2 (1 for names of five letters
    /// or fewer), or a name that begins with what was written. (A name whose
    /// length differs by more than the limit is farther than it: the edit
    /// distance is not computed for it.)
    fn suggest(&self, key: &str) -> Vec<String> {
        let n = key.chars().count();
        let limit = if n <= 5 { 1 } else { 2 };
        let prefix = |r: &TownRow| key.len() >= 4 && r.key.starts_with(key);
        let mut close: Vec<(usize, &str)> = self
            .towns
            .iter()
            .filter_map(|r| {
                let d = if r.key.chars().count().abs_diff(n) <= limit {
                    strsim::damerau_levenshtein(key, &r.key)
                } else {
                    usize::MAX
                };
                if d <= limit {
                    Some((d, r.name.as_str()))
                } else if prefix(r) {
                    Some((limit + 1, r.name.as_str()))
                } else {
                    None
                }
            })
            .collect();
        close.sort();
        close
            .into_iter()
            .take(3)
            .map(|(_, n)| n.to_string())
            .collect()
    }
}

/// The five digits of a ZIP code or ZIP+4.
fn zip_digits(t: &str) -> Result<&str, ()> {
    let five = match t.split_once('-') {
        Some((five, four)) if four.len() == 4 && four.bytes().all(|b| b.is_ascii_digit()) => five,
        Some(_) => return Err(()),
        None => t,
    };
    if five.len() == 5 && five.bytes().all(|b| b.is_ascii_digit()) {
        Ok(five)
    } else {
        Err(())
    }
}

/// A place by ZIP code ("01608", "01608-1234") or by Massachusetts city or
/// town ("Worcester", "worcester, ma", "Town of Amherst"), from the embedded
/// Census tables (see the [module docs](self)). Reads the tables on each
/// call: keep a [`Places`] to look up many.
///
/// # Errors
///
/// [`PlaceError::UnknownZip`] for five digits not in the table,
/// [`PlaceError::NotAZip`] for other digits, [`PlaceError::UnknownTown`]
/// (with did-you-mean suggestions) for a name not in the table,
/// [`PlaceError::OtherState`] for a town in another state,
/// [`PlaceError::Empty`] for nothing.
///
/// # Example
///
/// ```
/// let p = carematch::places::lookup("Manchester-by-the-Sea, MA")?;
/// assert_eq!(p.kind, carematch::places::PlaceKind::Town);
/// # Ok::<(), carematch::places::PlaceError>(())
/// ```
pub fn lookup(text: &str) -> Result<Place, PlaceError> {
    Places::embedded().lookup(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_row_is_read() {
        let p = Places::embedded();
        assert!(
            ZipTable::read(ZCTA_TABLE).is_some(),
            "the ZCTA table's header"
        );
        assert_eq!(p.zips.len(), 33_120);
        assert_eq!(p.zips.states.len(), 2 * 52, "50 states, DC, Puerto Rico");
        let rows: Vec<ZipRow> = (0..p.zips.len()).filter_map(|i| p.zips.row(i)).collect();
        assert_eq!(rows.len(), p.zips.len(), "every record decodes");
        assert!(rows.windows(2).all(|w| w[0].zip < w[1].zip), "sorted");
        for r in &rows {
            assert!(crate::region::state_bit(r.state).is_some(), "{}", r.zip);
            assert_eq!(p.zips.find(r.zip), Some(*r), "{} is found", r.zip);
        }
        assert_eq!(p.zips.find(0), None);
        assert_eq!(p.zips.find(99_999), None);
        assert_eq!(p.towns.len(), table_rows(TOWN_TABLE).count());
        let mut keys: Vec<&str> = p.towns.iter().map(|t| t.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 351, "town names are distinct");
    }

    #[test]
    fn every_point_is_in_its_state() {
        let p = Places::embedded();
        // Rough boxes (degrees north, degrees east) around some states and
        // every ZCTA the table gives them.
        let boxes = [
            ("MA", 41.2..42.9, -73.6..-69.9),
            ("NH", 42.6..45.4, -72.6..-70.6),
            ("FL", 24.4..31.1, -87.7..-79.9),
            ("PR", 17.8..18.6, -67.3..-65.2),
            ("AK", 51.0..71.5, -180.0..-129.9),
            ("HI", 18.9..22.3, -160.3..-154.7),
            ("CA", 32.5..42.1, -124.5..-114.1),
        ];
        let mut seen = [0; 7];
        for z in (0..p.zips.len()).filter_map(|i| p.zips.row(i)) {
            assert!(GeoPoint::new(z.latitude, z.longitude).is_ok(), "{}", z.zip);
            // The 50 states, DC and Puerto Rico: 17.9 to 71.4 N, west of 64.5 W.
            assert!((17.8..71.5).contains(&z.latitude), "{}", z.zip);
            assert!((-180.0..-64.5).contains(&z.longitude), "{}", z.zip);
            if let Some(i) = boxes.iter().position(|b| b.0 == z.state) {
                let (_, lat, lon) = &boxes[i];
                assert!(lat.contains(&z.latitude), "{} {}", z.zip, z.state);
                assert!(lon.contains(&z.longitude), "{} {}", z.zip, z.state);
                seen[i] += 1;
            }
        }
        assert!(seen.iter().all(|n| *n > 50), "{seen:?}");
        for t in &p.towns {
            // Massachusetts: 41.2 to 42.9 N, 69.9 to 73.6 W.
            assert!((41.2..42.9).contains(&t.latitude), "{}", t.name);
            assert!((-73.6..-69.9).contains(&t.longitude), "{}", t.name);
        }
    }

    #[test]
    fn a_town_and_its_zip_codes_are_close() {
        let p = Places::embedded();
        for (town, zip) in [
            ("Worcester", "01608"),
            ("Boston", "02108"),
            ("Pittsfield", "01201"),
            ("Nantucket", "02554"),
            ("Springfield", "01103"),
        ] {
            let (t, z) = (p.lookup(town).unwrap(), p.lookup(zip).unwrap());
            assert!(t.point().miles_to(z.point()) < 6.0, "{town} {zip}");
        }
    }

    #[test]
    fn suggestions_are_the_close_names_and_the_longer_ones_begun() {
        let p = Places::embedded();
        let sug = |t: &str| p.lookup(t).unwrap_err().suggestions().to_vec();
        assert_eq!(sug("Worcestr"), ["Worcester"]);
        assert_eq!(sug("Sprngfield"), ["Springfield"]);
        // A name begun: every town it begins, after the close ones.
        assert_eq!(sug("Westb"), ["Westborough"]);
        assert_eq!(sug("West Brook"), ["West Brookfield"]);
        assert!(sug("Qwertyuiop").is_empty());
    }

    #[test]
    fn zip_states_are_the_census_states() {
        let p = Places::embedded();
        let state = |z: &str| p.zip(z).map(|p| p.state);
        for (zip, st) in [
            ("01001", "MA"),
            ("02903", "RI"),
            ("03301", "NH"),
            ("04101", "ME"),
            ("05401", "VT"),
            ("06103", "CT"),
            ("06390", "NY"), // Fishers Island: a Connecticut prefix, in New York
            ("10001", "NY"),
            ("20001", "DC"),
            ("33136", "FL"),
            ("42223", "KY"), // Fort Campbell: most people in Kentucky, most land in Tennessee
            ("60601", "IL"),
            ("90210", "CA"),
            ("96813", "HI"),
            ("99501", "AK"),
            ("00601", "PR"),
        ] {
            assert_eq!(state(zip).as_deref(), Some(st), "{zip}");
        }
        // New England by its USPS prefixes (010-027 MA, 028-029 RI, 030-038
        // NH, 039-049 ME, 050-059 VT, 060-069 CT), but for Fishers Island.
        let prefix = |z: u32| match z / 100 {
            10..=27 => "MA",
            28..=29 => "RI",
            30..=38 => "NH",
            39..=49 => "ME",
            50..=59 => "VT",
            _ => "CT",
        };
        let new_england: Vec<ZipRow> = (0..p.zips.len())
            .filter_map(|i| p.zips.row(i))
            .filter(|r| (1_000..7_000).contains(&r.zip))
            .collect();
        assert_eq!(new_england.len(), 1_832);
        for r in new_england.iter().filter(|r| r.zip != 6_390) {
            assert_eq!(r.state, prefix(r.zip), "{}", r.zip);
        }
    }
}
