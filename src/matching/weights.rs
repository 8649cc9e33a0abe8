//! The weights of the criteria, set by name.

use std::fmt;

use crate::error::Error;
use crate::matching::criterion::{COUNT, Criterion, PerCriterion};

/// Validated weights for the seven criteria: each 0 or from
/// [`Weights::MIN`] (10⁻⁶) up, finite, not all zero, with a finite sum.
///
/// The total score is the weighted mean of the criterion scores that apply,
/// so scaling every weight by one factor changes no ranking (up to
/// floating-point rounding in the last digits, which can only swap programs
/// whose totals are equal to about 15 digits). The smallest nonzero weight
/// is what keeps that promise: a weight of 5e-324 (a subnormal number) has
/// one significant bit, so its products with the scores round to 0 or to
/// itself and the totals snap to 0 or 1; such weights are refused rather
/// than silently reordering the top matches.
///
/// Defaults ([`Criterion::default_weight`]; the four core criteria carry
/// 80%): therapy fit 0.25, credentials 0.20, schedule flexibility 0.20,
/// aftercare 0.15, distance 0.10, wait 0.05, freshness 0.05.
///
/// # Example
///
/// ```
/// use carematch::{matching::{Criterion, Weights}};
///
/// let w = Weights::default().with_weight(Criterion::Distance, 0.3)?;
/// assert_eq!(w.weight(Criterion::Distance), 0.3);
/// assert!(Weights::default().with_weight(Criterion::Wait, -1.0).is_err());
/// assert!(Weights::new(Criterion::ALL.iter().map(|c| (*c, 0.0))).is_err());
/// assert!(Weights::default().with_weight(Criterion::Wait, 5e-324).is_err());
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights(PerCriterion<f64>);

impl Default for Weights {
    fn default() -> Weights {
        Weights(PerCriterion::from_fn(Criterion::default_weight))
    }
}

impl Weights {
    /// The smallest weight other than 0: 10⁻⁶. Anything from 0 to this is
    /// refused (write 0 to turn a criterion off). Scores are in [0, 1], so
    /// every product of a weight and a score stays far from the subnormal
    /// range where rounding, not the weights, would decide the order.
    pub const MIN: f64 = 1e-6;

    /// Weights by name: every criterion exactly once, in any order.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) naming the criterion
    /// for a weight that is negative, not finite, or above 0 and below
    /// [`Weights::MIN`], for a criterion given twice or left out (write 0 to
    /// turn one off); also when all are zero or their sum is not finite.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::matching::{Criterion, Weights};
    /// let w = Weights::new([
    ///     (Criterion::TherapyFit, 1.0),
    ///     (Criterion::Credentials, 1.0),
    ///     (Criterion::ScheduleFlexibility, 1.0),
    ///     (Criterion::Aftercare, 1.0),
    ///     (Criterion::Distance, 0.0),
    ///     (Criterion::Wait, 0.0),
    ///     (Criterion::Freshness, 0.0),
    /// ])?;
    /// assert_eq!(w.weight(Criterion::Wait), 0.0);
    /// let missing = Weights::new([(Criterion::TherapyFit, 1.0)]).unwrap_err();
    /// assert!(missing.to_string().contains("missing weight for `credentials`"));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn new(weights: impl IntoIterator<Item = (Criterion, f64)>) -> Result<Weights, Error> {
        let mut given: PerCriterion<Option<f64>> = PerCriterion::default();
        for (c, w) in weights {
            if given[c].replace(w).is_some() {
                return Err(Error::config(
                    "weights",
                    format!("the weight for `{}` is given twice", c.key()),
                ));
            }
        }
        let mut out = PerCriterion::default();
        for c in Criterion::ALL.iter().copied() {
            out[c] = given[c].ok_or_else(|| {
                Error::config(
                    "weights",
                    format!("missing weight for `{}` (write 0 to turn it off)", c.key()),
                )
            })?;
        }
        Weights::checked(out)
    }

    /// `weights` if every one is a weight, not all are zero and their sum is finite.
    fn checked(weights: PerCriterion<f64>) -> Result<Weights, Error> {
        for (c, w) in weights.iter() {
            if let Some(problem) = weight_problem(*w) {
                return Err(Error::config("weights", format!("{}: {problem}", c.key())));
            }
        }
        if weights.values().iter().all(|w| *w == 0.0) {
            return Err(Error::config("weights", "every weight is 0"));
        }
        if !weights.values().iter().sum::<f64>().is_finite() {
            return Err(Error::config(
                "weights",
                "the weights are too large to add up",
            ));
        }
        Ok(Weights(weights))
    }

    /// The same weights with `criterion` set to `weight`.
    ///
    /// # Errors
    ///
    /// As [`Weights::new`].
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{matching::{Criterion, Weights}};
    /// assert!(Weights::default().with_weight(Criterion::Wait, f64::NAN).is_err());
    /// ```
    pub fn with_weight(self, criterion: Criterion, weight: f64) -> Result<Weights, Error> {
        let mut w = self.0;
        w[criterion] = weight;
        Weights::checked(w)
    }

    /// The weight of `criterion`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{matching::{Criterion, Weights}};
    /// assert_eq!(Weights::default().weight(Criterion::TherapyFit), 0.25);
    /// ```
    pub fn weight(&self, criterion: Criterion) -> f64 {
        self.0[criterion]
    }

    /// Every criterion with its weight, in [`Criterion::ALL`] order.
    ///
    /// # Example
    ///
    /// ```
    /// let sum: f64 = carematch::matching::Weights::default().iter().map(|(_, w)| w).sum();
    /// assert!((sum - 1.0).abs() < 1e-12);
    /// ```
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (Criterion, f64)> + '_ {
        Criterion::ALL
            .iter()
            .copied()
            .zip(self.0.values().iter().copied())
    }
}

impl fmt::Display for Weights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (c, w)) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{c} {w}")?;
        }
        Ok(())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Weights {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(COUNT))?;
        for (c, w) in self.iter() {
            m.serialize_entry(c.key(), &w)?;
        }
        m.end()
    }
}

/// Why `w` cannot be a weight, if it cannot.
fn weight_problem(w: f64) -> Option<String> {
    if !w.is_finite() || w < 0.0 {
        Some(format!("{w} is not a finite number of 0 or more"))
    } else if w > 0.0 && w < Weights::MIN {
        Some(format!(
            "{w:e} is below {:e}, the smallest weight other than 0 \
             (write 0 to turn the criterion off)",
            Weights::MIN
        ))
    } else {
        None
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Weights {
    /// A map from every criterion key to its weight, checked as
    /// [`Weights::new`]. A bad weight fails at its own key, and its message
    /// names the criterion (`wait: -1 is not a finite number of 0 or more`;
    /// a reader that tracks paths, such as `serde_path_to_error`, points at
    /// `weights.wait`); an unknown key, a repeated key or a criterion left
    /// out is an error too (write 0 to turn one off), so no weight is
    /// dropped silently.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Weights, D::Error> {
        use serde::de::Error as _;

        /// One criterion's weight, checked as it is read (so that a path
        /// tracking reader points at its key), the error naming the key.
        struct One(Criterion);
        impl<'de> serde::de::DeserializeSeed<'de> for One {
            type Value = f64;
            fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<f64, D::Error> {
                let w = <f64 as serde::Deserialize>::deserialize(d)?;
                match weight_problem(w) {
                    Some(problem) => Err(D::Error::custom(format!("{}: {problem}", self.0.key()))),
                    None => Ok(w),
                }
            }
        }

        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Weights;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map from each criterion key to its weight")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Weights, A::Error> {
                let mut w: PerCriterion<Option<f64>> = PerCriterion::default();
                while let Some(c) = map.next_key::<Criterion>()? {
                    let v = map.next_value_seed(One(c))?;
                    if w[c].replace(v).is_some() {
                        return Err(A::Error::custom(format!(
                            "the weight for `{}` is given twice",
                            c.key()
                        )));
                    }
                }
                let mut out = PerCriterion::default();
                for c in Criterion::ALL.iter().copied() {
                    out[c] = w[c].ok_or_else(|| {
                        A::Error::custom(format!(
                            "missing weight for `{}` (write 0 to turn it off)",
                            c.key()
                        ))
                    })?;
                }
                Weights::checked(out).map_err(|e| A::Error::custom(e.to_string()))
            }
        }
        d.deserialize_map(V)
    }
}
