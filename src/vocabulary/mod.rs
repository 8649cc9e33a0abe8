//! Free-text terms to typed values, with "did you mean" when unsure.
//!
//! Directory data and intake forms arrive as free text: "post traumatic
//! stress", "PTSD", "dialectical behavior therapy", "Mass Health", "licsw",
//! "Portugese", "F43.1". Each family of terms has a [`Vocabulary`]: the
//! canonical keys and names of its values, their abbreviations and common
//! synonyms. [`Resolvable::resolve`] (or [`TermFamily::resolve`]) reads one
//! term and says how it matched ([`MatchKind`]) and how sure it is.
//!
//! The rules (normalisation, the similarity metric, its threshold and the
//! ambiguity margin) are documented on [`Vocabulary`], where rustdoc shows them.
//!
//! # Example
//!
//! ```
//! use carematch::{Approach, Language, MatchKind, Resolvable};
//!
//! let r = Approach::resolve("Dialectical Behaviour Therapy")?;
//! assert_eq!((r.value, r.how, r.confidence), (Approach::Dbt, MatchKind::Exact, 1.0));
//!
//! let r = Language::resolve("Portugese")?;
//! assert_eq!(r.value.code(), "pt");
//! assert_eq!(r.how, MatchKind::Fuzzy);
//! assert!((r.confidence - 0.9).abs() < 1e-9);
//!
//! let err = Approach::resolve("dialectic behaviour thrapy").unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     r#"unknown therapy approach "dialectic behaviour thrapy"; did you mean "dialectical behavior therapy (DBT)"?"#
//! );
//! assert!(Approach::resolve("PT").is_err());
//! # Ok::<(), carematch::ResolveError>(())
//! ```

mod normalise;
mod tables;

#[cfg(feature = "serde")]
mod lenient;

use std::collections::HashMap;
use std::fmt;

use crate::terms::terms;

use self::normalise::{compact, normalise};

#[cfg(feature = "serde")]
pub use self::lenient::{
    ResolutionNote, load_directory_lenient, patient_from_json_lenient, programs_from_json_lenient,
};

/// A second value this many edits (or fewer) worse than the best makes a
/// close spelling ambiguous.
const AMBIGUITY_EDITS: usize = 1;

/// Inputs longer than this (in characters, normalised, without spaces) are
/// only looked up exactly: no close spelling, no suggestions.
const MAX_FUZZY_CHARS: usize = 64;

/// Inputs (and terms) shorter than this are only looked up exactly.
const MIN_FUZZY_CHARS: usize = 5;

/// At most this many suggestions in an error.
const MAX_SUGGESTIONS: usize = 3;

/// A suggestion must be at least this similar to the input (or begin with
/// its words) ...
const SUGGESTION_FLOOR: f64 = 0.75;

/// ... and within this much of the best suggestion.
const SUGGESTION_SPREAD: f64 = 0.1;

/// The similarity given to a term every word of the input begins a word of
/// ("Blue" for "Blue Cross"), for suggestions only.
const WORD_PREFIX_SIMILARITY: f64 = 0.6;

/// Words that are never abbreviations, even when short.
const STOP_WORDS: [&str; 12] = [
    "and", "of", "the", "for", "on", "in", "or", "to", "with", "by", "at", "an",
];

terms! {
    /// A family of terms, one [`Vocabulary`] each.
    ///
    /// `Display` gives what the family names, as messages use it
    /// ("therapy approach").
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::TermFamily;
    /// assert_eq!(TermFamily::Approach.to_string(), "therapy approach");
    /// let r = TermFamily::Licence.resolve("LCSW")?;
    /// assert_eq!(r.value.key, "licsw");
    /// # Ok::<(), carematch::ResolveError>(())
    /// ```
    #[non_exhaustive]
    pub enum TermFamily: "term family" {
        /// [`Condition`](crate::Condition), also from ICD-10-CM codes.
        Condition = "condition", "condition";
        /// [`Modality`](crate::Modality).
        Modality = "modality", "therapy modality";
        /// [`Approach`](crate::Approach).
        Approach = "approach", "therapy approach";
        /// [`Licence`](crate::Licence).
        Licence = "licence", "clinician licence";
        /// [`Certification`](crate::Certification).
        Certification = "certification", "therapy certification";
        /// [`FacilityCredential`](crate::FacilityCredential): facility licences and accreditations.
        FacilityCredential = "facility_credential", "facility credential";
        /// [`Payer`](crate::Payer), including named commercial plans.
        Payer = "payer", "payer";
        /// [`Language`](crate::Language): English names and ISO 639 codes.
        Language = "language", "language";
        /// [`LevelOfCare`](crate::LevelOfCare).
        LevelOfCare = "level", "level of care";
        /// [`Aftercare`](crate::Aftercare).
        Aftercare = "aftercare", "aftercare service";
        /// [`Population`](crate::Population).
        Population = "population", "population";
        /// [`Delivery`](crate::Delivery), how a program delivers sessions.
        Delivery = "delivery", "delivery mode";
        /// [`DeliveryPreference`](crate::DeliveryPreference), how a patient will attend.
        DeliveryPreference = "delivery_preference", "delivery preference";
        /// [`FamilyInvolvement`](crate::FamilyInvolvement).
        FamilyInvolvement = "family_involvement", "family involvement";
    }
}

terms! {
    /// How a term matched its vocabulary.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{MatchKind, Modality, Resolvable};
    /// assert_eq!(Modality::resolve("group therapy")?.how, MatchKind::Exact);
    /// assert_eq!(Modality::resolve("group counseling")?.how, MatchKind::Synonym);
    /// assert_eq!(Modality::resolve("group therepy")?.how, MatchKind::Fuzzy);
    /// # Ok::<(), carematch::ResolveError>(())
    /// ```
    #[non_exhaustive]
    pub enum MatchKind: "match kind" {
        /// A canonical key, name or official abbreviation, ignoring case,
        /// accents, punctuation and spacing.
        Exact = "exact", "exact";
        /// A listed synonym (or, for conditions, an ICD-10-CM code).
        Synonym = "synonym", "synonym";
        /// A close spelling of a term (see the module docs for the rule).
        Fuzzy = "fuzzy", "close spelling";
        /// Not in the vocabulary but well formed, so kept as written (a
        /// language code carematch does not list); confidence 0.5, and the
        /// lenient readers say so in a note.
        AsWritten = "as_written", "kept as written, not a listed term";
    }
}

/// A term resolved to a value: the value, how sure, and how it matched.
///
/// # Example
///
/// ```
/// use carematch::{LevelOfCare, MatchKind, Resolvable};
/// let r = LevelOfCare::resolve("IOP")?;
/// assert_eq!(r.value, LevelOfCare::IntensiveOutpatient);
/// assert_eq!(r.how, MatchKind::Exact);
/// assert_eq!(r.confidence, 1.0);
/// # Ok::<(), carematch::ResolveError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Resolution<T> {
    /// The value the term stands for.
    pub value: T,
    /// 1 for exact and synonym matches; the similarity (0.9 or more for
    /// terms of ten characters or longer) for close spellings.
    pub confidence: f64,
    /// How it matched.
    pub how: MatchKind,
}

impl<T> Resolution<T> {
    /// The same resolution with its value transformed.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Approach, Resolvable};
    /// let r = Approach::resolve("EMDR")?.map(|a| a.key());
    /// assert_eq!(r.value, "emdr");
    /// # Ok::<(), carematch::ResolveError>(())
    /// ```
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Resolution<U> {
        Resolution {
            value: f(self.value),
            confidence: self.confidence,
            how: self.how,
        }
    }
}

/// A resolved term of any family, as text: what [`TermFamily::resolve`] gives.
///
/// # Example
///
/// ```
/// use carematch::TermFamily;
/// let t = TermFamily::Payer.resolve("BCBS")?.value;
/// assert_eq!(t.key, "commercial: Blue Cross Blue Shield of Massachusetts");
/// assert_eq!(t.label, "commercial: Blue Cross Blue Shield of Massachusetts");
/// assert_eq!(t.family, TermFamily::Payer);
/// # Ok::<(), carematch::ResolveError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ResolvedTerm {
    /// The family of the term.
    pub family: TermFamily,
    /// The value as the strict JSON reader accepts it: a key such as `dbt`,
    /// an ISO 639 code, or `commercial: <plan name>`.
    pub key: String,
    /// The value's plain-English name, as suggestions show it.
    pub label: String,
}

/// A term that could not be resolved: unknown, or too close to call between
/// two values. It names the family, repeats the input and lists the closest
/// terms, best first.
///
/// # Example
///
/// ```
/// use carematch::{Approach, Resolvable, TermFamily};
/// let err = Approach::resolve("DBTT").unwrap_err();
/// assert_eq!(err.family(), TermFamily::Approach);
/// assert_eq!(err.input(), "DBTT");
/// assert_eq!(err.suggestions(), ["dialectical behavior therapy (DBT)"]);
/// assert!(!err.is_ambiguous());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResolveError {
    family: TermFamily,
    input: String,
    suggestions: Vec<String>,
    ambiguous: bool,
}

impl ResolveError {
    /// The family the term was looked up in.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Payer, Resolvable, TermFamily};
    /// assert_eq!(Payer::resolve("Acme").unwrap_err().family(), TermFamily::Payer);
    /// ```
    pub fn family(&self) -> TermFamily {
        self.family
    }

    /// The text as given.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Population, Resolvable};
    /// assert_eq!(Population::resolve(" xyz ").unwrap_err().input(), " xyz ");
    /// ```
    pub fn input(&self) -> &str {
        &self.input
    }

    /// The closest terms, best first (at most three; possibly none).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Licence, Resolvable};
    /// let err = Licence::resolve("LADC").unwrap_err();
    /// assert_eq!(&err.suggestions()[..2], [
    ///     "licensed alcohol and drug counselor I (LADC I)",
    ///     "licensed alcohol and drug counselor II (LADC II)",
    /// ]);
    /// ```
    pub fn suggestions(&self) -> &[String] {
        &self.suggestions
    }

    /// Whether two or more values matched about equally well (rather than none).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Language, Resolvable};
    /// assert!(!Language::resolve("Klingon").unwrap_err().is_ambiguous());
    /// ```
    pub fn is_ambiguous(&self) -> bool {
        self.ambiguous
    }

    /// The message without its leading "unknown <family> "<input>"".
    fn reason(&self) -> String {
        let mut s = String::from(if self.ambiguous {
            "ambiguous term"
        } else {
            "unknown term"
        });
        self.write_tail(&mut s);
        s
    }

    /// "; did you mean ...?" and the family's hint.
    fn write_tail(&self, s: &mut String) {
        if !self.suggestions.is_empty() {
            s.push_str("; did you mean ");
            let n = self.suggestions.len();
            for (i, x) in self.suggestions.iter().enumerate() {
                if i > 0 {
                    s.push_str(if i + 1 == n { " or " } else { ", " });
                }
                s.push_str(&format!("{x:?}"));
            }
            s.push('?');
        }
        match self.family {
            TermFamily::Payer if !self.ambiguous => {
                s.push_str(" (for a plan not listed write \"commercial: <plan name>\")");
            }
            TermFamily::Language if !self.ambiguous => {
                s.push_str(" (an ISO 639 code such as \"pt\" is also accepted)");
            }
            _ => {}
        }
    }
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 80;
        let shown: String = self.input.chars().take(SHOWN).collect();
        let more = if self.input.chars().nth(SHOWN).is_some() {
            "..."
        } else {
            ""
        };
        let mut tail = String::new();
        self.write_tail(&mut tail);
        write!(
            f,
            "{} {} {:?}{more}{tail}",
            if self.ambiguous {
                "ambiguous"
            } else {
                "unknown"
            },
            self.family.label(),
            shown
        )
    }
}

impl std::error::Error for ResolveError {}

impl From<ResolveError> for crate::Error {
    /// An [`Error::Parse`](crate::Error::Parse) naming the family as what was
    /// being read, with the suggestions in the reason.
    fn from(e: ResolveError) -> crate::Error {
        crate::Error::Parse {
            what: e.family.label(),
            reason: e.reason(),
            input: e.input,
        }
    }
}

/// One written form of a value in a vocabulary, precomputed.
#[derive(Debug, Clone)]
struct Entry {
    /// As written in the table.
    written: Box<str>,
    /// Normalised, without spaces.
    compact: Box<str>,
    /// `compact`'s length in characters.
    chars: usize,
    /// `compact`'s character counts, for a cheap lower bound on the distance.
    histogram: Histogram,
    /// Index of the value.
    value: usize,
    /// Canonical (key, name, official abbreviation) rather than a synonym.
    canonical: bool,
    /// Matched exactly only.
    abbreviation: bool,
    /// The abbreviation words it contains, sorted.
    abbreviations: Vec<Box<str>>,
    /// Its words, for word-prefix suggestions.
    words: Vec<Box<str>>,
}

/// The vocabulary of one family: every value's canonical forms and synonyms,
/// normalised once. Built once per family and shared ([`Resolvable::vocabulary`]).
///
/// # How a term is resolved
///
/// 1. The text is normalised: lowercase, accents folded, punctuation turned
///    into spaces, spaces collapsed, British spellings read the American way.
/// 2. An exact match of the normalised form, or of the form without spaces,
///    against a canonical key, name or official abbreviation is
///    [`MatchKind::Exact`]; against a listed synonym, [`MatchKind::Synonym`].
///    Both have confidence 1. For conditions an ICD-10-CM code ("F43.1",
///    "f4310") is read first and counts as a synonym of its condition.
/// 3. Otherwise a close spelling may match ([`MatchKind::Fuzzy`]), under the
///    rules below; anything else is a [`ResolveError`] listing the closest
///    terms.
///
/// # The similarity rule
///
/// The metric is the Damerau-Levenshtein distance `d` ([`strsim::damerau_levenshtein`]:
/// insertions, deletions, substitutions and transpositions of adjacent
/// characters, each one edit) between the input and a vocabulary term, both
/// normalised and without spaces; the confidence of a fuzzy match is the
/// normalised similarity `1 - d / n`, `n` the longer length in characters.
/// Edit distance suits typing slips (a missed, doubled or swapped letter),
/// and an edit count is something a reader can check. Jaro-Winkler rewards
/// shared prefixes instead: it rates "dialectic behaviour thrapy" (three
/// edits from the DBT name) 0.92, and "Medicade" 0.95 against both
/// "Medicare" and "Medicaid".
///
/// - **Threshold**: a term is close enough when `d <= max(1, n / 10)` (whole
///   division): one edit per ten characters, that is a similarity of at least
///   0.9, and one edit in any word of 5 to 9 characters ("Portugese",
///   "Spansh"). "dialectic behaviour thrapy" is three edits from the DBT
///   name, whose 26 characters allow two, so it is refused with a
///   suggestion: a clinician's term is never guessed at.
/// - **Ambiguity margin**: when a second value is at most one edit farther
///   than the best, neither is chosen and the error lists both. A similarity
///   margin would be too narrow for short words: "Medicade" is one edit from
///   "Medicare" and two from "Medicaid", so it is refused as ambiguous
///   between Medicare and MassHealth rather than read as Medicare.
/// - **Abbreviations match exactly, never fuzzily**: an input of fewer than
///   five characters (after normalisation, without spaces) is only looked up,
///   and abbreviation terms ("DBT", "PE", "IOP", "LADC I", all terms of fewer
///   than five characters) are never fuzzy candidates. A term that contains
///   an abbreviation ("DBT-trained") is a candidate only for an input holding
///   the same abbreviations, so "DBT" never becomes "CBT", "PE" never "PT",
///   "IOP" never "PHP". A term holding an abbreviation the input lacks is
///   never chosen but still counts as a rival for the ambiguity margin: a
///   slip may have fused it to the word before ("counseloraII" for
///   "counselor II").
/// - Inputs longer than 64 characters (normalised, without spaces) are only
///   looked up exactly.
///
/// Suggestions in an error are the values (at most three) whose terms have a
/// similarity of at least 0.75 to the input or begin with each of its words
/// ("Blue" suggests Blue Cross Blue Shield), within 0.1 of the best.
///
/// # Readings particular to a family
///
/// - **Conditions**: an ICD-10-CM code reads as its condition family
///   ([`IcdCode::condition`](crate::IcdCode::condition)).
/// - **Payers**: named commercial plans of Massachusetts and their common
///   names ("BCBS", "Harvard Pilgrim", "Tufts") read as `commercial: <plan>`
///   with the plan's canonical name. Text that is not a known payer is refused,
///   never taken for a commercial plan; `commercial: <plan name>` is taken
///   as written, its plan canonicalised when it is a known one.
/// - **Languages**: English names and ISO 639 codes; any other well-formed
///   two- or three-letter code is taken as written, as the strict reader
///   takes it.
///
/// Each standard vocabulary is built on first use and kept for the life of
/// the process (a `OnceLock` per family; a few milliseconds for all of them).
/// It is immutable, so it is shared state with nothing to coordinate.
///
/// # Example
///
/// ```
/// use carematch::{Condition, Resolvable, Vocabulary};
///
/// let v: &Vocabulary<Condition> = Condition::vocabulary();
/// assert!(v.terms().any(|(written, c)| written == "post traumatic stress" && *c == Condition::Ptsd));
/// assert_eq!(v.resolve("Post-Traumatic Stress")?.value, Condition::Ptsd);
/// # Ok::<(), carematch::ResolveError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Vocabulary<T> {
    family: TermFamily,
    values: Vec<T>,
    labels: Vec<String>,
    entries: Vec<Entry>,
    by_normalised: HashMap<Box<str>, usize>,
    by_compact: HashMap<Box<str>, usize>,
    abbreviation_words: Vec<Box<str>>,
    /// Written forms that named another value already, kept for a test.
    conflicts: Vec<String>,
}

/// One written form and how the table marks it, before building.
pub(crate) struct Form<'a> {
    pub(crate) written: std::borrow::Cow<'a, str>,
    pub(crate) canonical: bool,
    pub(crate) abbreviation: bool,
}

impl<T: Clone> Vocabulary<T> {
    /// Builds a vocabulary from each value's label and written forms.
    pub(crate) fn build(family: TermFamily, values: Vec<(T, String, Vec<Form<'_>>)>) -> Self {
        let mut v = Vocabulary {
            family,
            values: Vec::with_capacity(values.len()),
            labels: Vec::with_capacity(values.len()),
            entries: Vec::new(),
            by_normalised: HashMap::new(),
            by_compact: HashMap::new(),
            abbreviation_words: Vec::new(),
            conflicts: Vec::new(),
        };
        for (index, (value, label, forms)) in values.into_iter().enumerate() {
            v.values.push(value);
            v.labels.push(label);
            for form in forms {
                v.add(index, form);
            }
        }
        v.abbreviation_words.sort();
        v.abbreviation_words.dedup();
        for e in &mut v.entries {
            e.abbreviations = e
                .words
                .iter()
                .filter(|w| v.abbreviation_words.binary_search(w).is_ok())
                .cloned()
                .collect();
            e.abbreviations.sort();
            e.abbreviations.dedup();
        }
        v
    }

    /// Adds one written form of value `value`; a form already present is
    /// skipped (and recorded as a conflict when it names another value).
    fn add(&mut self, value: usize, form: Form<'_>) {
        let normalised = normalise(&form.written);
        if normalised.is_empty() {
            self.conflicts.push(format!("{:?} is empty", form.written));
            return;
        }
        let compact = compact(&normalised);
        let existing = self
            .by_normalised
            .get(normalised.as_str())
            .or_else(|| self.by_compact.get(compact.as_str()));
        if let Some(&other) = existing {
            let e = &mut self.entries[other];
            if e.value == value {
                // The same form again: it keeps the strongest marks.
                e.canonical |= form.canonical;
                if form.abbreviation && !e.abbreviation {
                    e.abbreviation = true;
                    self.abbreviation_words
                        .extend(e.words.iter().filter(|w| is_abbreviation_word(w)).cloned());
                }
            } else {
                let other = e.value;
                self.conflicts.push(format!(
                    "{:?} names {:?} and {:?}",
                    form.written, self.labels[other], self.labels[value]
                ));
            }
            return;
        }
        let chars = compact.chars().count();
        let abbreviation = form.abbreviation || chars < MIN_FUZZY_CHARS;
        let words: Vec<Box<str>> = normalised.split(' ').map(Box::from).collect();
        if abbreviation {
            self.abbreviation_words
                .extend(words.iter().filter(|w| is_abbreviation_word(w)).cloned());
        }
        let index = self.entries.len();
        self.by_normalised.insert(normalised.into(), index);
        self.by_compact.insert(compact.clone().into(), index);
        self.entries.push(Entry {
            written: form.written.into_owned().into(),
            histogram: Histogram::of(&compact),
            compact: compact.into(),
            chars,
            value,
            canonical: form.canonical,
            abbreviation,
            abbreviations: Vec::new(),
            words,
        });
    }

    /// The family this vocabulary names.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Approach, Resolvable, TermFamily};
    /// assert_eq!(Approach::vocabulary().family(), TermFamily::Approach);
    /// ```
    pub fn family(&self) -> TermFamily {
        self.family
    }

    /// Every written form in the vocabulary (keys, names, abbreviations,
    /// synonyms) with its value, in table order.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{LevelOfCare, Resolvable};
    /// let forms: Vec<&str> = LevelOfCare::vocabulary()
    ///     .terms()
    ///     .filter(|(_, l)| **l == LevelOfCare::PartialHospitalization)
    ///     .map(|(w, _)| w)
    ///     .collect();
    /// assert!(forms.contains(&"PHP"));
    /// ```
    pub fn terms(&self) -> impl Iterator<Item = (&str, &T)> {
        self.entries
            .iter()
            .map(|e| (&*e.written, &self.values[e.value]))
    }

    /// Problems in the tables (a written form naming two values); empty when sound.
    #[cfg(test)]
    pub(crate) fn conflicts(&self) -> &[String] {
        &self.conflicts
    }

    /// An exact or synonym match of `text`, or `None`.
    pub(crate) fn lookup(&self, text: &str) -> Option<Resolution<T>> {
        self.lookup_normalised(&normalise(text))
    }

    fn lookup_normalised(&self, normalised: &str) -> Option<Resolution<T>> {
        let e = self
            .by_normalised
            .get(normalised)
            .or_else(|| self.by_compact.get(compact(normalised).as_str()))?;
        let e = &self.entries[*e];
        Some(Resolution {
            value: self.values[e.value].clone(),
            confidence: 1.0,
            how: if e.canonical {
                MatchKind::Exact
            } else {
                MatchKind::Synonym
            },
        })
    }

    /// A close spelling, or the error with suggestions.
    fn fuzzy(&self, text: &str, normalised: &str) -> Result<Resolution<T>, ResolveError> {
        let input = compact(normalised);
        let n_in = input.chars().count();
        if !(MIN_FUZZY_CHARS..=MAX_FUZZY_CHARS).contains(&n_in) {
            return Err(self.unknown(text, normalised));
        }
        let histogram = Histogram::of(&input);
        let mut wanted: Vec<&str> = normalised
            .split(' ')
            .filter(|w| {
                self.abbreviation_words
                    .binary_search_by(|a| (**a).cmp(w))
                    .is_ok()
            })
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        // Per value: the fewest edits to a term it may be chosen by, with that
        // term's length, and the fewest edits to any term that makes it a rival.
        let mut best: Vec<Option<(usize, usize)>> = vec![None; self.values.len()];
        let mut rival: Vec<Option<usize>> = vec![None; self.values.len()];
        for e in &self.entries {
            if e.abbreviation {
                continue;
            }
            // A term with the input's abbreviations may be chosen; one with
            // more (the input may have mangled one) only rivals; one without
            // an abbreviation the input names is out.
            let holds = |w: &&str| e.abbreviations.iter().any(|a| &**a == *w);
            if !wanted.iter().all(holds) {
                continue;
            }
            let eligible = e.abbreviations.len() == wanted.len();
            let n = n_in.max(e.chars);
            // One edit more than allowed still counts for ambiguity.
            let cap = allowed_edits(n) + AMBIGUITY_EDITS;
            if n_in.abs_diff(e.chars) > cap || histogram.min_edits(&e.histogram) > cap {
                continue;
            }
            let d = strsim::damerau_levenshtein(&input, &e.compact);
            if d > cap {
                continue;
            }
            if rival[e.value].is_none_or(|r| d < r) {
                rival[e.value] = Some(d);
            }
            let slot = &mut best[e.value];
            if eligible
                && slot
                    .is_none_or(|(bd, bn)| (d, std::cmp::Reverse(n)) < (bd, std::cmp::Reverse(bn)))
            {
                *slot = Some((d, n));
            }
        }
        let mut ranked: Vec<(usize, usize, usize)> = best
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.map(|(d, n)| (i, d, n)))
            .collect();
        ranked.sort_by(|a, b| {
            a.1.cmp(&b.1)
                .then(similarity(b.1, b.2).total_cmp(&similarity(a.1, a.2)))
                .then(a.0.cmp(&b.0))
        });
        let Some(&(top, d, n)) = ranked.first() else {
            return Err(self.unknown(text, normalised));
        };
        if d > allowed_edits(n) {
            return Err(self.unknown(text, normalised));
        }
        let mut rivals: Vec<(usize, usize)> = rival
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                r.filter(|r| i != top && *r <= d + AMBIGUITY_EDITS)
                    .map(|r| (r, i))
            })
            .collect();
        rivals.sort_unstable();
        let rivals: Vec<usize> = rivals.into_iter().map(|(_, i)| i).collect();
        if rivals.is_empty() {
            return Ok(Resolution {
                value: self.values[top].clone(),
                confidence: similarity(d, n),
                how: MatchKind::Fuzzy,
            });
        }
        Err(ResolveError {
            family: self.family,
            input: text.to_owned(),
            suggestions: std::iter::once(top)
                .chain(rivals)
                .take(MAX_SUGGESTIONS)
                .map(|i| self.labels[i].clone())
                .collect(),
            ambiguous: true,
        })
    }

    /// The error for a term nothing matched, with the closest terms.
    fn unknown(&self, text: &str, normalised: &str) -> ResolveError {
        ResolveError {
            family: self.family,
            input: text.to_owned(),
            suggestions: self.suggest(normalised),
            ambiguous: false,
        }
    }

    /// The closest values to an unmatched input, by the same similarity over
    /// every term (abbreviations included), or by word prefixes.
    fn suggest(&self, normalised: &str) -> Vec<String> {
        let input = compact(normalised);
        let n_in = input.chars().count();
        if n_in == 0 || n_in > MAX_FUZZY_CHARS {
            return Vec::new();
        }
        let words: Vec<&str> = normalised.split(' ').filter(|w| w.len() >= 3).collect();
        let histogram = Histogram::of(&input);
        let mut best: Vec<f64> = vec![0.0; self.values.len()];
        for e in &self.entries {
            let n = n_in.max(e.chars);
            let mut sim = 0.0;
            // A similarity of SUGGESTION_FLOOR or more needs d <= n / 4.
            if n_in.abs_diff(e.chars) * 4 <= n && histogram.min_edits(&e.histogram) * 4 <= n {
                sim = similarity(strsim::damerau_levenshtein(&input, &e.compact), n);
                if sim < SUGGESTION_FLOOR {
                    sim = 0.0;
                }
            }
            if !words.is_empty()
                && words
                    .iter()
                    .all(|w| e.words.iter().any(|ew| ew.starts_with(w)))
            {
                sim = f64::max(sim, WORD_PREFIX_SIMILARITY);
            }
            best[e.value] = f64::max(best[e.value], sim);
        }
        let mut ranked: Vec<(usize, f64)> = best.into_iter().enumerate().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let top = ranked.first().map_or(0.0, |(_, s)| *s);
        ranked
            .iter()
            .take_while(|(_, s)| *s > 0.0 && *s >= top - SUGGESTION_SPREAD)
            .take(MAX_SUGGESTIONS)
            .map(|(i, _)| self.labels[*i].clone())
            .collect()
    }
}

/// `1 - d / n`, the normalised similarity.
fn similarity(d: usize, n: usize) -> f64 {
    if n == 0 {
        1.0
    } else {
        1.0 - d as f64 / n as f64
    }
}

/// How many times each character occurs in a compact form: `a` to `z`,
/// `0` to `9`, and everything else together.
#[derive(Debug, Clone, Copy)]
struct Histogram([u8; 37]);

impl Histogram {
    fn of(compact: &str) -> Histogram {
        let mut h = [0u8; 37];
        for c in compact.chars() {
            let i = match c {
                'a'..='z' => c as usize - 'a' as usize,
                '0'..='9' => 26 + (c as usize - '0' as usize),
                _ => 36,
            };
            h[i] = h[i].saturating_add(1);
        }
        Histogram(h)
    }

    /// A lower bound on the Damerau-Levenshtein distance between the two
    /// forms: an insertion or deletion changes the counts by one, a
    /// substitution by two, a transposition not at all.
    fn min_edits(&self, other: &Histogram) -> usize {
        let l1: usize = self
            .0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| usize::from(a.abs_diff(*b)))
            .sum();
        l1.div_ceil(2)
    }
}

/// The most edits a close spelling of a term `n` characters long may have:
/// one per ten characters, and at least one.
fn allowed_edits(n: usize) -> usize {
    (n / 10).max(1)
}

/// Whether a word of an abbreviation term counts as an abbreviation word:
/// two to five letters, not a common short word.
fn is_abbreviation_word(w: &str) -> bool {
    (2..=5).contains(&w.chars().count())
        && w.chars().all(char::is_alphabetic)
        && !STOP_WORDS.contains(&w)
}

mod sealed {
    /// What a type needs to have a vocabulary; private to the crate.
    pub trait Sealed: Sized + Clone + PartialEq {
        /// Builds the standard vocabulary.
        fn build() -> super::Vocabulary<Self>;
        /// The value as the strict JSON reader accepts it.
        fn json_key(&self) -> String;
        /// A reading before the vocabulary's (ICD codes, `commercial:`).
        fn special(
            _vocabulary: &super::Vocabulary<Self>,
            _text: &str,
        ) -> Option<Result<super::Resolution<Self>, super::ResolveError>> {
            None
        }
        /// A reading after exact lookup fails (a well-formed ISO 639 code).
        fn fallback(_text: &str) -> Option<Self> {
            None
        }
    }
}

/// A type whose values can be read from free text through its standard
/// [`Vocabulary`]. Implemented for every family in [`TermFamily`]; sealed.
///
/// # Example
///
/// ```
/// use carematch::{Condition, MatchKind, Payer, Resolvable};
///
/// let r = Condition::resolve("F43.1")?;
/// assert_eq!((r.value, r.how), (Condition::Ptsd, MatchKind::Synonym));
/// assert_eq!(Payer::resolve("Mass Health")?.value, Payer::MassHealth);
/// assert_eq!(Payer::resolve("Harvard Pilgrim")?.value, Payer::commercial("Harvard Pilgrim Health Care")?);
/// assert!(Payer::resolve("Acme Insurance").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Resolvable: sealed::Sealed + Send + Sync + 'static {
    /// The family of this type's terms.
    const FAMILY: TermFamily;

    /// The standard vocabulary, built on first use and shared after that.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Modality, Resolvable};
    /// assert!(std::ptr::eq(Modality::vocabulary(), Modality::vocabulary()));
    /// ```
    fn vocabulary() -> &'static Vocabulary<Self>;

    /// Resolves one free-text term with the standard vocabulary.
    ///
    /// # Errors
    ///
    /// [`ResolveError`] when nothing is close enough, or two values are about
    /// equally close; it lists the closest terms.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Licence, Resolvable};
    /// assert_eq!(Licence::resolve("licsw")?.value, Licence::Licsw);
    /// # Ok::<(), carematch::ResolveError>(())
    /// ```
    fn resolve(text: &str) -> Result<Resolution<Self>, ResolveError> {
        Self::vocabulary().resolve(text)
    }
}

impl<T: Resolvable> Vocabulary<T> {
    /// Resolves one free-text term (see the module docs for the rules).
    ///
    /// # Errors
    ///
    /// [`ResolveError`] when nothing is close enough, or two values are about
    /// equally close; it lists the closest terms.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Approach, MatchKind, Resolvable};
    /// let v = Approach::vocabulary();
    /// assert_eq!(v.resolve("DBT")?.value, Approach::Dbt);
    /// assert!(v.resolve("DBTT").is_err());
    /// let r = v.resolve("cognitive behavioral therepy")?;
    /// assert_eq!((r.value, r.how), (Approach::Cbt, MatchKind::Fuzzy));
    /// # Ok::<(), carematch::ResolveError>(())
    /// ```
    pub fn resolve(&self, text: &str) -> Result<Resolution<T>, ResolveError> {
        if let Some(r) = T::special(self, text) {
            return r;
        }
        let normalised = normalise(text);
        if let Some(r) = self.lookup_normalised(&normalised) {
            return Ok(r);
        }
        if let Some(value) = T::fallback(text) {
            return Ok(Resolution {
                value,
                confidence: 0.5,
                how: MatchKind::AsWritten,
            });
        }
        self.fuzzy(text, &normalised)
    }

    /// `value` as a [`ResolvedTerm`].
    fn term(&self, value: &T) -> ResolvedTerm {
        let key = value.json_key();
        let label = match self.values.iter().position(|v| v == value) {
            Some(i) => self.labels[i].clone(),
            // A value outside the table (an unlisted ISO code or plan) is its own name.
            None => key.clone(),
        };
        ResolvedTerm {
            family: self.family,
            key,
            label,
        }
    }

    /// Every written form with what it means, as text.
    fn terms_as_text(&self) -> Vec<(String, ResolvedTerm)> {
        self.terms()
            .map(|(w, v)| (w.to_owned(), self.term(v)))
            .collect()
    }
}

/// Runs `$body` with `$t` bound to the type of `$family`.
macro_rules! with_type {
    ($family:expr, $t:ident => $body:expr) => {
        match $family {
            TermFamily::Condition => {
                type $t = crate::Condition;
                $body
            }
            TermFamily::Modality => {
                type $t = crate::Modality;
                $body
            }
            TermFamily::Approach => {
                type $t = crate::Approach;
                $body
            }
            TermFamily::Licence => {
                type $t = crate::Licence;
                $body
            }
            TermFamily::Certification => {
                type $t = crate::Certification;
                $body
            }
            TermFamily::FacilityCredential => {
                type $t = crate::FacilityCredential;
                $body
            }
            TermFamily::Payer => {
                type $t = crate::Payer;
                $body
            }
            TermFamily::Language => {
                type $t = crate::Language;
                $body
            }
            TermFamily::LevelOfCare => {
                type $t = crate::LevelOfCare;
                $body
            }
            TermFamily::Aftercare => {
                type $t = crate::Aftercare;
                $body
            }
            TermFamily::Population => {
                type $t = crate::Population;
                $body
            }
            TermFamily::Delivery => {
                type $t = crate::Delivery;
                $body
            }
            TermFamily::DeliveryPreference => {
                type $t = crate::DeliveryPreference;
                $body
            }
            TermFamily::FamilyInvolvement => {
                type $t = crate::FamilyInvolvement;
                $body
            }
        }
    };
}

impl TermFamily {
    /// Resolves one free-text term of this family, giving the value as text
    /// (its key and label).
    ///
    /// # Errors
    ///
    /// [`ResolveError`] when nothing is close enough, or two values are about
    /// equally close.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{MatchKind, TermFamily};
    /// let r = TermFamily::Language.resolve("Portugese")?;
    /// assert_eq!((r.value.key.as_str(), r.value.label.as_str()), ("pt", "Portuguese (pt)"));
    /// assert_eq!(r.how, MatchKind::Fuzzy);
    /// # Ok::<(), carematch::ResolveError>(())
    /// ```
    pub fn resolve(self, text: &str) -> Result<Resolution<ResolvedTerm>, ResolveError> {
        with_type!(self, T => {
            let v = T::vocabulary();
            v.resolve(text).map(|r| r.map(|x| v.term(&x)))
        })
    }

    /// Every written form in this family's vocabulary with what it means.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::TermFamily;
    /// let forms = TermFamily::Approach.terms();
    /// assert!(forms.iter().any(|(w, t)| w == "dialectical behavioral therapy" && t.key == "dbt"));
    /// ```
    pub fn terms(self) -> Vec<(String, ResolvedTerm)> {
        with_type!(self, T => T::vocabulary().terms_as_text())
    }

    /// Table problems (a form naming two values) in this family's vocabulary.
    #[cfg(test)]
    fn conflicts(self) -> Vec<String> {
        with_type!(self, T => T::vocabulary().conflicts().to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_written_form_names_two_values() {
        for f in TermFamily::ALL {
            assert_eq!(f.conflicts(), Vec::<String>::new(), "{f}");
        }
    }

    #[test]
    fn every_family_has_terms_for_every_value() {
        for f in TermFamily::ALL {
            assert!(f.terms().len() >= 5, "{f}");
        }
    }

    #[test]
    fn abbreviation_words_skip_stop_words() {
        assert!(is_abbreviation_word("dbt"));
        assert!(!is_abbreviation_word("of"));
        assert!(!is_abbreviation_word("i"));
        assert!(!is_abbreviation_word("2"));
        assert!(!is_abbreviation_word("abcdef"));
    }

    #[test]
    fn the_histogram_bound_never_exceeds_the_distance() {
        for (a, b) in [
            ("portugese", "portuguese"),
            ("dbttherapy", "cbttherapy"),
            ("abc", "cab"),
            ("masshealth", "medicare"),
            ("", "xyz"),
        ] {
            let bound = Histogram::of(a).min_edits(&Histogram::of(b));
            assert!(bound <= strsim::damerau_levenshtein(a, b), "{a} {b}");
        }
        assert_eq!(Histogram::of("dbt").min_edits(&Histogram::of("cbt")), 1);
    }

    #[test]
    fn similarity_is_one_minus_the_share_of_edits() {
        assert_eq!(similarity(0, 0), 1.0);
        assert_eq!(similarity(1, 10), 0.9);
        assert_eq!(similarity(3, 4), 0.25);
    }

    #[test]
    fn reason_repeats_the_suggestions() {
        let e = ResolveError {
            family: TermFamily::Approach,
            input: "x".into(),
            suggestions: vec!["a".into(), "b".into(), "c".into()],
            ambiguous: true,
        };
        assert_eq!(
            e.reason(),
            r#"ambiguous term; did you mean "a", "b" or "c"?"#
        );
        let long = ResolveError {
            input: "y".repeat(100),
            suggestions: Vec::new(),
            ambiguous: false,
            ..e
        };
        assert_eq!(
            long.to_string(),
            format!("unknown therapy approach {:?}...", "y".repeat(80))
        );
    }
}
