//! Dispatch over term families: the [`Resolvable`] trait each family's
//! type implements, and [`TermFamily`] for callers who know the family only
//! at run time.

use crate::terms::terms;
use crate::vocabulary::matcher::Vocabulary;
use crate::vocabulary::result::{Resolution, ResolveError, ResolvedTerm};

terms! {
    /// A family of terms, one [`Vocabulary`] each.
    ///
    /// `Display` gives what the family names, as messages use it
    /// ("therapy approach").
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::vocabulary::TermFamily;
    /// assert_eq!(TermFamily::Approach.to_string(), "therapy approach");
    /// let r = TermFamily::License.resolve("LCSW")?;
    /// assert_eq!(r.value.key, "licsw");
    /// # Ok::<(), carematch::vocabulary::ResolveError>(())
    /// ```
    #[non_exhaustive]
    pub enum TermFamily: "term family" {
        /// [`Condition`](crate::Condition), also from ICD-10-CM codes.
        Condition = "condition", "condition";
        /// [`Modality`](crate::Modality).
        Modality = "modality", "therapy modality";
        /// [`Approach`](crate::Approach).
        Approach = "approach", "therapy approach";
        /// [`License`](crate::License).
        License = "license", "clinician license";
        /// [`Certification`](crate::Certification).
        Certification = "certification", "therapy certification";
        /// [`FacilityCredential`](crate::FacilityCredential): facility licenses and accreditations.
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

pub(crate) mod sealed {
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
/// use carematch::{Condition, Payer, vocabulary::{MatchKind, Resolvable}};
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
    /// use carematch::{Modality, vocabulary::Resolvable};
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
    /// use carematch::{License, vocabulary::Resolvable};
    /// assert_eq!(License::resolve("licsw")?.value, License::Licsw);
    /// # Ok::<(), carematch::vocabulary::ResolveError>(())
    /// ```
    fn resolve(text: &str) -> Result<Resolution<Self>, ResolveError> {
        Self::vocabulary().resolve(text)
    }
}

/// Runs `$body` with `$t` bound to the type of `$family`.
macro_rules! with_type {
    ($family:expr, $t:ident => $body:expr) => {
        match $family {
            TermFamily::Condition => {
                type $t = crate::diagnosis::Condition;
                $body
            }
            TermFamily::Modality => {
                type $t = crate::therapy::Modality;
                $body
            }
            TermFamily::Approach => {
                type $t = crate::therapy::Approach;
                $body
            }
            TermFamily::License => {
                type $t = crate::credential::License;
                $body
            }
            TermFamily::Certification => {
                type $t = crate::credential::Certification;
                $body
            }
            TermFamily::FacilityCredential => {
                type $t = crate::credential::FacilityCredential;
                $body
            }
            TermFamily::Payer => {
                type $t = crate::program::Payer;
                $body
            }
            TermFamily::Language => {
                type $t = crate::program::Language;
                $body
            }
            TermFamily::LevelOfCare => {
                type $t = crate::level::LevelOfCare;
                $body
            }
            TermFamily::Aftercare => {
                type $t = crate::program::Aftercare;
                $body
            }
            TermFamily::Population => {
                type $t = crate::program::Population;
                $body
            }
            TermFamily::Delivery => {
                type $t = crate::program::Delivery;
                $body
            }
            TermFamily::DeliveryPreference => {
                type $t = crate::patient::DeliveryPreference;
                $body
            }
            TermFamily::FamilyInvolvement => {
                type $t = crate::program::FamilyInvolvement;
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
    /// use carematch::{vocabulary::{MatchKind, TermFamily}};
    /// let r = TermFamily::Language.resolve("Portugese")?;
    /// assert_eq!((r.value.key.as_str(), r.value.label.as_str()), ("pt", "Portuguese (pt)"));
    /// assert_eq!(r.how, MatchKind::Fuzzy);
    /// # Ok::<(), carematch::vocabulary::ResolveError>(())
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
    /// use carematch::vocabulary::TermFamily;
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
}
