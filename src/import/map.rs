//! The mapping every format shares: what a code or text means in
//! carematch's vocabularies ([`Found`]), the levels words in a name give,
//! a language from its code or name, a time of day, and the recorder's
//! shorthands for the lines most fields write (`read` and `code`).

use serde_json::Value;

use crate::import::words::{Text, language_by_name, levels_in, levels_offered};
use crate::import::{Method, Recorder, number, parse_time, push, vocab};
use crate::level::LevelOfCare;
use crate::program::{Language, Location, LocationPrecision, Population, Program};
use crate::schedule::TimeOfDay;
use crate::therapy::{Approach, Modality};

/// What a code or text means: a level, an approach, a modality or a population.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Found {
    Level(LevelOfCare),
    Approach(Approach),
    Modality(Modality),
    Population(Population),
}

impl Found {
    /// The report's `field: value` for it.
    pub(crate) fn describe(self) -> String {
        match self {
            Found::Level(l) => format!("levels: {}", l.key()),
            Found::Approach(a) => format!("approaches: {}", a.key()),
            Found::Modality(m) => format!("modalities: {}", m.key()),
            Found::Population(p) => format!("populations: {}", p.key()),
        }
    }

    /// Adds it to the program (once).
    pub(crate) fn apply(self, p: &mut Program) {
        match self {
            Found::Level(l) => push(&mut p.levels, l),
            Found::Approach(a) => push(&mut p.approaches, a),
            Found::Modality(m) => push(&mut p.modalities, m),
            Found::Population(x) => push(&mut p.populations, x),
        }
    }
}

/// A text through the vocabularies a service's codes may name: levels,
/// approaches, modalities, populations, the first that knows it; else the
/// first three suggestions.
pub(crate) fn through_vocabularies(t: &str) -> Result<(Found, Method, f64), Vec<String>> {
    let mut suggestions = Vec::new();
    macro_rules! try_family {
        ($t:ty, $wrap:expr) => {
            match vocab::<$t>(t) {
                Ok((x, how, c)) => return Ok(($wrap(x), how, c)),
                Err(s) => suggestions.extend(s),
            }
        };
    }
    // A level only by its exact term or a synonym: a close spelling of a
    // level in free text ("Outpatient Psychiatry" near "partial hospital")
    // is how false levels were made.
    match vocab::<LevelOfCare>(t) {
        Ok((x, how, c)) if how != Method::CloseSpelling => return Ok((Found::Level(x), how, c)),
        Ok(_) => {}
        Err(s) => suggestions.extend(s),
    }
    try_family!(Approach, Found::Approach);
    try_family!(Modality, Found::Modality);
    try_family!(Population, Found::Population);
    suggestions.truncate(3);
    Err(suggestions)
}

/// `words` through the vocabularies into `p`, with its line (`field`,
/// `value`, mapped); the closest terms when no vocabulary knows it (the
/// caller says what that means).
pub(crate) fn concept(
    rec: &mut Recorder,
    field: &str,
    value: &str,
    words: &str,
    at: impl Fn() -> String,
    p: &mut Program,
) -> Result<(), Vec<String>> {
    let (found, how, c) = through_vocabularies(words)?;
    rec.mapped(field, Some(value), at, vec![found.describe()], how, c);
    found.apply(p);
    Ok(())
}

/// The `latitude` and `longitude` of `v`, each a number or a string of one.
pub(crate) fn coordinates(v: &Value) -> Option<(f64, f64)> {
    let latitude = v.get("latitude").and_then(number)?;
    let longitude = v.get("longitude").and_then(number)?;
    Some((latitude, longitude))
}

/// Where a site is, from what its record gives: the coordinates as listed;
/// else, for an address with a ZIP code in the embedded Census table
/// ([`crate::places`]), the ZIP code's centre, marked
/// [`LocationPrecision::ZipCentre`]; else `None`, with a line saying why
/// (the caller then lists the location as not listed, which only a
/// telehealth program may be: see [`crate::import::finish`]).
pub(crate) fn site(
    rec: &mut Recorder,
    at: impl Fn() -> String,
    coordinates: Option<(f64, f64)>,
    mut location: Location,
) -> Option<Location> {
    if let Some((latitude, longitude)) = coordinates {
        location.latitude = latitude;
        location.longitude = longitude;
        return Some(location);
    }
    let zip = location.postal_code.trim();
    if zip.is_empty() {
        rec.ignored(
            "(location)",
            Some("no coordinates and no ZIP code"),
            at,
            "location not listed: no coordinates and no ZIP code to place it by",
        );
        return None;
    }
    match rec.places().zip(zip) {
        Some(centre) => {
            rec.read(
                "(location)",
                Some("no coordinates: the ZIP code's centre"),
                at,
                "location: the Census ZCTA internal point of its ZIP code, marked approximate (precision: zip_centre)",
            );
            location.latitude = centre.latitude;
            location.longitude = centre.longitude;
            location.precision = LocationPrecision::ZipCentre;
            if location.state.is_empty() {
                location.state = centre.state;
            }
            Some(location)
        }
        None => {
            rec.ignored(
                "(location)",
                Some("no coordinates, ZIP code not in the table"),
                at,
                "location not listed: no coordinates, and its ZIP code is not in the embedded Census table (the US ZIP codes with a 2010 ZCTA)",
            );
            None
        }
    }
}

/// A location [`site`] could not place: not listed, keeping its state and
/// its ZIP code, so the refusal can say why the ZIP code placed nothing.
pub(crate) fn unplaced(location: &Location) -> Location {
    let mut l = Location::not_listed(location.state.clone());
    l.postal_code = location.postal_code.trim().to_owned();
    l
}

/// Levels named in a service's name, as written (whole words, negations
/// respected: see [`crate::import::words::levels_in`]).
pub(crate) fn name_levels(name: &str) -> Vec<LevelOfCare> {
    levels_in(&Text::new(name))
        .into_iter()
        .map(|(l, _)| l)
        .collect()
}

/// The levels words in `name` give, into `p`, each with its line (what it
/// was mapped to: `also`, then the level); whether any was found.
pub(crate) fn levels_in_name(
    rec: &mut Recorder,
    field: &str,
    name: &str,
    at: impl Fn() -> String,
    also: &[&str],
    p: &mut Program,
) -> bool {
    let found = name_levels(name);
    for &l in &found {
        let mut to: Vec<String> = also.iter().map(|&a| a.to_owned()).collect();
        to.push(format!("levels: {} (words in the name)", l.key()));
        rec.mapped(field, Some(name), &at, to, Method::Read, 1.0);
        push(&mut p.levels, l);
    }
    !found.is_empty()
}

/// The levels a service's own description offers, into `p`, each with its
/// line (the words, and the level): whole words, negations respected, and
/// a level the description refers people to, follows or stands in for
/// left out (see [`crate::import::words::levels_offered`]). The caller
/// reads it only when the name, program and taxonomy terms name no level.
/// Whether any was found.
pub(crate) fn levels_in_description(
    rec: &mut Recorder,
    field: &str,
    description: Option<&str>,
    at: impl Fn() -> String,
    p: &mut Program,
) -> bool {
    let Some(d) = description else {
        return false;
    };
    let found = levels_offered(&Text::new(d));
    for &(l, w) in &found {
        let to = vec![format!("levels: {} (words in the description)", l.key())];
        rec.mapped(field, Some(w), &at, to, Method::Read, 1.0);
        push(&mut p.levels, l);
    }
    !found.is_empty()
}

/// A language by its code (mapped `code_how` when the code names a known
/// language), else by `name` through the language vocabulary; with its line
/// under `field` and `label`.
pub(crate) fn language(
    rec: &mut Recorder,
    field: &str,
    label: &str,
    (code, code_how): (Option<&str>, Method),
    name: &str,
    at: impl Fn() -> String,
    languages: &mut Vec<Language>,
) {
    let by_code = code
        .and_then(|c| c.parse::<Language>().ok())
        .filter(|l| l.name().is_some())
        .map(|l| (l, code_how, 1.0));
    let by_name = || {
        language_by_name(name)
            .map(|l| (l, Method::FormatCode, 1.0))
            .map_or_else(|| vocab::<Language>(name), Ok)
    };
    match by_code.map_or_else(by_name, Ok) {
        Ok((l, how, c)) => {
            rec.mapped(
                field,
                Some(label),
                at,
                vec![format!("languages: {l}")],
                how,
                c,
            );
            push(languages, l);
        }
        Err(sug) => rec.unknown(field, label, at, sug),
    }
}

/// A time of day `raw` of `field` at `at` (`HH:MM` or `HH:MM:SS`, with a
/// zone returned for the caller to report), with its line; not recognised
/// (with `suggestions`) otherwise.
pub(crate) fn read_time<'a>(
    rec: &mut Recorder,
    field: &str,
    raw: &'a str,
    at: &str,
    suggestions: &[&str],
) -> Option<(TimeOfDay, Option<&'a str>)> {
    let time = parse_time(raw);
    match time {
        Some(_) => rec.read(field, None, || at.to_owned(), "tracks"),
        None => rec.unknown(
            field,
            raw,
            || at.to_owned(),
            suggestions.iter().map(|&s| s.to_owned()).collect(),
        ),
    }
    time
}

impl Recorder {
    /// A value read as given (a number, a date, a name): mapped to `to` by
    /// [`Method::Read`] with confidence 1.
    pub(crate) fn read(
        &mut self,
        field: &str,
        value: Option<&str>,
        at: impl FnOnce() -> String,
        to: impl Into<String>,
    ) {
        self.mapped(field, value, at, vec![to.into()], Method::Read, 1.0);
    }

    /// A code of the format's own vocabulary: mapped to `to` by
    /// [`Method::FormatCode`] with confidence 1.
    pub(crate) fn code(
        &mut self,
        field: &str,
        value: Option<&str>,
        at: impl FnOnce() -> String,
        to: impl Into<String>,
    ) {
        self.mapped(field, value, at, vec![to.into()], Method::FormatCode, 1.0);
    }
}
