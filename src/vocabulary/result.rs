//! What resolving a term gives: the value and how it matched
//! ([`Resolution`], [`MatchKind`]), a family-erased term ([`ResolvedTerm`]),
//! or a did-you-mean error ([`ResolveError`]).

use std::fmt;

use crate::terms::terms;
use crate::vocabulary::family::TermFamily;

terms! {
    /// How a term matched its vocabulary.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Modality, vocabulary::{MatchKind, Resolvable}};
    /// assert_eq!(Modality::resolve("group therapy")?.how, MatchKind::Exact);
    /// assert_eq!(Modality::resolve("group counseling")?.how, MatchKind::Synonym);
    /// assert_eq!(Modality::resolve("group therepy")?.how, MatchKind::Fuzzy);
    /// # Ok::<(), carematch::vocabulary::ResolveError>(())
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
/// use carematch::{LevelOfCare, vocabulary::{MatchKind, Resolvable}};
/// let r = LevelOfCare::resolve("IOP")?;
/// assert_eq!(r.value, LevelOfCare::IntensiveOutpatient);
/// assert_eq!(r.how, MatchKind::Exact);
/// assert_eq!(r.confidence, 1.0);
/// # Ok::<(), carematch::vocabulary::ResolveError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
    /// use carematch::{Approach, vocabulary::Resolvable};
    /// let r = Approach::resolve("EMDR")?.map(|a| a.key());
    /// assert_eq!(r.value, "emdr");
    /// # Ok::<(), carematch::vocabulary::ResolveError>(())
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
/// use carematch::vocabulary::TermFamily;
/// let t = TermFamily::Payer.resolve("BCBS")?.value;
/// assert_eq!(t.key, "commercial: Blue Cross Blue Shield of Massachusetts");
/// assert_eq!(t.label, "commercial: Blue Cross Blue Shield of Massachusetts");
/// assert_eq!(t.family, TermFamily::Payer);
/// # Ok::<(), carematch::vocabulary::ResolveError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
/// use carematch::{Approach, vocabulary::{Resolvable, TermFamily}};
/// let err = Approach::resolve("DBTT").unwrap_err();
/// assert_eq!(err.family(), TermFamily::Approach);
/// assert_eq!(err.input(), "DBTT");
/// assert_eq!(err.suggestions(), ["dialectical behavior therapy (DBT)"]);
/// assert!(!err.is_ambiguous());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ResolveError {
    pub(super) family: TermFamily,
    pub(super) input: String,
    pub(super) suggestions: Vec<String>,
    pub(super) ambiguous: bool,
}

impl ResolveError {
    /// The family the term was looked up in.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Payer, vocabulary::{Resolvable, TermFamily}};
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
    /// use carematch::{Population, vocabulary::Resolvable};
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
    /// use carematch::{License, vocabulary::Resolvable};
    /// let err = License::resolve("LADC").unwrap_err();
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
    /// use carematch::{Language, vocabulary::Resolvable};
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

impl From<ResolveError> for crate::error::Error {
    /// An [`ErrorKind::Parse`](crate::ErrorKind::Parse)(crate::Error::Parse) naming the family as what was
    /// being read, with the suggestions in the reason.
    fn from(e: ResolveError) -> crate::error::Error {
        crate::error::Error::parse_owned(e.family.label(), e.input.clone(), e.reason())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
