//! Places as people write them: a ZIP code, or a Massachusetts city or town,
//! to a point on the map.
//!
//! The tables are embedded, public domain, from the US Census Bureau's
//! Gazetteer files (works of the US government):
//!
//! - **ZIP codes**: the internal points of the ZIP Code Tabulation Areas
//!   (ZCTAs) of New England (ZIP codes 010xx to 069xx: Massachusetts, Rhode
//!   Island, New Hampshire, Maine, Vermont, Connecticut), 1,832 of them, from
//!   a national ZCTA Gazetteer file of the 2010 ZCTA delineation (the
//!   copy read has no year in its name; its 33,121 rows and columns are
//!   those of the 2012 to 2019 releases, see `data/places/README.md`). A ZCTA
//!   approximates the area a ZIP code's mail goes to; a ZIP code that is a
//!   post-office box or a single business has none, and is not listed.
//! - **Cities and towns**: the internal points of Massachusetts' 351 county
//!   subdivisions (its cities and towns), from `2023_gaz_cousubs_25.txt`
//!   (2023 Gazetteer, county subdivisions, Massachusetts).
//!
//! `data/places/generate.py` writes the two tables (`data/places/*.tsv`;
//! `data/places/README.md` names the copies read)
//! from those files and says which columns it reads. An internal point is
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

/// The ZCTA table: `zcta<TAB>latitude<TAB>longitude`, sorted, `#` comments.
const ZCTA_TABLE: &str = include_str!("../data/places/zcta_new_england.tsv");
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
        "ZIP code {zip} is not in the table: it covers New England ZIP codes (010xx to 069xx) \
         that have a Census ZIP Code Tabulation Area; a post-office box or single-business \
         ZIP code has none"
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
        "`{input}`: cities and towns are listed for Massachusetts only (a ZIP code works across New England)"
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

/// One row of the ZCTA table.
#[derive(Debug, Clone, Copy)]
struct ZipRow {
    zip: u32,
    latitude: f64,
    longitude: f64,
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
/// assert!(places.zip("10001").is_none()); // New York: not in the table
/// ```
#[derive(Debug, Clone)]
pub struct Places {
    zips: Vec<ZipRow>,
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

/// The state of a New England ZIP code, by its first three digits (USPS
/// prefixes: 010-027 MA, 028-029 RI, 030-038 NH, 039-049 ME, 050-059 VT,
/// 060-069 CT).
fn zip_state(zip: u32) -> &'static str {
    match zip / 100 {
        10..=27 => "MA",
        28..=29 => "RI",
        30..=38 => "NH",
        39..=49 => "ME",
        50..=59 => "VT",
        _ => "CT",
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
    /// The embedded tables (1,832 New England ZIP codes, 351 Massachusetts
    /// cities and towns).
    ///
    /// # Example
    ///
    /// ```
    /// let p = carematch::places::Places::embedded();
    /// assert_eq!((p.zip_count(), p.town_count()), (1832, 351));
    /// ```
    pub fn embedded() -> Places {
        let zips = table_rows(ZCTA_TABLE)
            .filter_map(|r| match r.as_slice() {
                [z, lat, lon] if z.len() == 5 => {
                    let (latitude, longitude) = coordinates(lat, lon)?;
                    Some(ZipRow {
                        zip: z.parse().ok()?,
                        latitude,
                        longitude,
                    })
                }
                _ => None,
            })
            .collect();
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
        let code: u32 = five.parse().ok()?;
        let i = self.zips.binary_search_by_key(&code, |r| r.zip).ok()?;
        let r = self.zips[i];
        Some(Place {
            name: five.to_string(),
            kind: PlaceKind::Zip,
            state: zip_state(code).to_string(),
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
        let rows = |t: &'static str| table_rows(t).count();
        let p = Places::embedded();
        assert_eq!(p.zips.len(), rows(ZCTA_TABLE));
        assert_eq!(p.towns.len(), rows(TOWN_TABLE));
        assert!(p.zips.windows(2).all(|w| w[0].zip < w[1].zip), "sorted");
        let mut keys: Vec<&str> = p.towns.iter().map(|t| t.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 351, "town names are distinct");
    }

    #[test]
    fn every_point_is_in_new_england() {
        let p = Places::embedded();
        for z in &p.zips {
            assert!((40.9..47.5).contains(&z.latitude), "{}", z.zip);
            assert!((-73.8..-66.8).contains(&z.longitude), "{}", z.zip);
        }
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
    fn zip_states_follow_the_prefixes() {
        assert_eq!(zip_state(1001), "MA");
        assert_eq!(zip_state(2903), "RI");
        assert_eq!(zip_state(3301), "NH");
        assert_eq!(zip_state(4101), "ME");
        assert_eq!(zip_state(5401), "VT");
        assert_eq!(zip_state(6103), "CT");
    }
}
