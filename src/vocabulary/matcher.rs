//! The matcher: one family's [`Vocabulary`] of written forms, exact lookup
//! after normalization, and close spelling (Damerau-Levenshtein with a cheap
//! character-histogram bound) with did-you-mean suggestions.

use std::collections::HashMap;

use crate::vocabulary::family::{Resolvable, TermFamily};
use crate::vocabulary::normalize::{compact, normalize};
use crate::vocabulary::result::{MatchKind, Resolution, ResolveError, ResolvedTerm};

/// A second value this many edits (or fewer) worse than the best makes a
/// close spelling ambiguous.
const AMBIGUITY_EDITS: usize = 1;

/// Inputs longer than this (in characters, normalized, without spaces) are
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

/// One written form of a value in a vocabulary, precomputed.
#[derive(Debug, Clone)]
struct Entry {
    /// As written in the table.
    written: Box<str>,
    /// Normalized, without spaces.
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
/// normalized once. Built once per family and shared ([`Resolvable::vocabulary`]).
///
/// # How a term is resolved
///
/// 1. The text is normalized: lowercase, accents folded, punctuation turned
///    into spaces, spaces collapsed, British spellings read the American way.
/// 2. An exact match of the normalized form, or of the form without spaces,
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
/// normalized and without spaces; the confidence of a fuzzy match is the
/// normalized similarity `1 - d / n`, `n` the longer length in characters.
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
///   five characters (after normalization, without spaces) is only looked up,
///   and abbreviation terms ("DBT", "PE", "IOP", "LADC I", all terms of fewer
///   than five characters) are never fuzzy candidates. A term that contains
///   an abbreviation ("DBT-trained") is a candidate only for an input holding
///   the same abbreviations, so "DBT" never becomes "CBT", "PE" never "PT",
///   "IOP" never "PHP". A term holding an abbreviation the input lacks is
///   never chosen but still counts as a rival for the ambiguity margin: a
///   slip may have fused it to the word before ("counseloraII" for
///   "counselor II").
/// - Inputs longer than 64 characters (normalized, without spaces) are only
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
/// use carematch::{Condition, vocabulary::{Resolvable, Vocabulary}};
///
/// let v: &Vocabulary<Condition> = Condition::vocabulary();
/// assert!(v.terms().any(|(written, c)| written == "post traumatic stress" && *c == Condition::Ptsd));
/// assert_eq!(v.resolve("Post-Traumatic Stress")?.value, Condition::Ptsd);
/// # Ok::<(), carematch::vocabulary::ResolveError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Vocabulary<T> {
    family: TermFamily,
    pub(super) values: Vec<T>,
    labels: Vec<String>,
    entries: Vec<Entry>,
    by_normalized: HashMap<Box<str>, usize>,
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
            by_normalized: HashMap::new(),
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
        let normalized = normalize(&form.written);
        if normalized.is_empty() {
            self.conflicts.push(format!("{:?} is empty", form.written));
            return;
        }
        let compact = compact(&normalized);
        let existing = self
            .by_normalized
            .get(normalized.as_str())
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
        let words: Vec<Box<str>> = normalized.split(' ').map(Box::from).collect();
        if abbreviation {
            self.abbreviation_words
                .extend(words.iter().filter(|w| is_abbreviation_word(w)).cloned());
        }
        let index = self.entries.len();
        self.by_normalized.insert(normalized.into(), index);
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
    /// use carematch::{Approach, vocabulary::{Resolvable, TermFamily}};
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
    /// use carematch::{LevelOfCare, vocabulary::Resolvable};
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
        self.lookup_normalized(&normalize(text))
    }

    fn lookup_normalized(&self, normalized: &str) -> Option<Resolution<T>> {
        let e = self
            .by_normalized
            .get(normalized)
            .or_else(|| self.by_compact.get(compact(normalized).as_str()))?;
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
    fn fuzzy(&self, text: &str, normalized: &str) -> Result<Resolution<T>, ResolveError> {
        let input = compact(normalized);
        let n_in = input.chars().count();
        if !(MIN_FUZZY_CHARS..=MAX_FUZZY_CHARS).contains(&n_in) {
            return Err(self.unknown(text, normalized));
        }
        let histogram = Histogram::of(&input);
        let mut wanted: Vec<&str> = normalized
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
            return Err(self.unknown(text, normalized));
        };
        if d > allowed_edits(n) {
            return Err(self.unknown(text, normalized));
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
    fn unknown(&self, text: &str, normalized: &str) -> ResolveError {
        ResolveError {
            family: self.family,
            input: text.to_owned(),
            suggestions: self.suggest(normalized),
            ambiguous: false,
        }
    }

    /// The closest values to an unmatched input, by the same similarity over
    /// every term (abbreviations included), or by word prefixes.
    fn suggest(&self, normalized: &str) -> Vec<String> {
        let input = compact(normalized);
        let n_in = input.chars().count();
        if n_in == 0 || n_in > MAX_FUZZY_CHARS {
            return Vec::new();
        }
        let words: Vec<&str> = normalized.split(' ').filter(|w| w.len() >= 3).collect();
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
    /// use carematch::{Approach, vocabulary::{MatchKind, Resolvable}};
    /// let v = Approach::vocabulary();
    /// assert_eq!(v.resolve("DBT")?.value, Approach::Dbt);
    /// assert!(v.resolve("DBTT").is_err());
    /// let r = v.resolve("cognitive behavioral therepy")?;
    /// assert_eq!((r.value, r.how), (Approach::Cbt, MatchKind::Fuzzy));
    /// # Ok::<(), carematch::vocabulary::ResolveError>(())
    /// ```
    pub fn resolve(&self, text: &str) -> Result<Resolution<T>, ResolveError> {
        if let Some(r) = T::special(self, text) {
            return r;
        }
        let normalized = normalize(text);
        if let Some(r) = self.lookup_normalized(&normalized) {
            return Ok(r);
        }
        if let Some(value) = T::fallback(text) {
            return Ok(Resolution {
                value,
                confidence: 0.5,
                how: MatchKind::AsWritten,
            });
        }
        self.fuzzy(text, &normalized)
    }

    /// `value` as a [`ResolvedTerm`].
    pub(super) fn term(&self, value: &T) -> ResolvedTerm {
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
    pub(super) fn terms_as_text(&self) -> Vec<(String, ResolvedTerm)> {
        self.terms()
            .map(|(w, v)| (w.to_owned(), self.term(v)))
            .collect()
    }
}

/// `1 - d / n`, the normalized similarity.
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
