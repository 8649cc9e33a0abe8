//! The scoring criteria and their weights.

use std::fmt;

use crate::error::Error;
use crate::terms::terms;

terms! {
    /// One scoring criterion. Each yields a score in [0, 1] with typed reasons.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::matching::Criterion;
    /// assert_eq!(Criterion::ALL.len(), 7);
    /// assert_eq!(Criterion::TherapyFit.key(), "therapy_fit");
    /// ```
    pub enum Criterion: "criterion" {
        /// Modalities, evidence-based approaches for the diagnoses, and specialization.
        TherapyFit = "therapy_fit", "therapy fit";
        /// Staff the patient's needs call for, licensed clinicians, facility license and accreditation.
        Credentials = "credentials", "credentials";
        /// How well the best track fits the patient's free time, its hours, and the options around it.
        ScheduleFlexibility = "schedule_flexibility", "schedule flexibility";
        /// Discharge planning, step-down, alumni groups and other aftercare.
        Aftercare = "aftercare", "aftercare";
        /// Travel distance (telehealth is distance-free when accepted).
        Distance = "distance", "distance";
        /// Typical days to intake.
        Wait = "wait", "wait";
        /// How recently the listing was verified.
        Freshness = "freshness", "freshness";
    }
}

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
/// Defaults (the four core criteria carry 80%): therapy fit 0.25, credentials
/// 0.20, schedule flexibility 0.20, aftercare 0.15, distance 0.10, wait 0.05,
/// freshness 0.05.
///
/// # Example
///
/// ```
/// use carematch::{matching::{Criterion, Weights}};
///
/// let w = Weights::default().with_weight(Criterion::Distance, 0.3)?;
/// assert_eq!(w.weight(Criterion::Distance), 0.3);
/// assert!(Weights::default().with_weight(Criterion::Wait, -1.0).is_err());
/// assert!(Weights::new([0.0; 7]).is_err());
/// assert!(Weights::default().with_weight(Criterion::Wait, 5e-324).is_err());
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights([f64; 7]);

impl Default for Weights {
    fn default() -> Weights {
        Weights([0.25, 0.20, 0.20, 0.15, 0.10, 0.05, 0.05])
    }
}

impl Weights {
    /// The smallest weight other than 0: 10⁻⁶. Anything from 0 to this is
    /// refused (write 0 to turn a criterion off). Scores are in [0, 1], so
    /// every product of a weight and a score stays far from the subnormal
    /// range where rounding, not the weights, would decide the order.
    pub const MIN: f64 = 1e-6;

    /// Weights in [`Criterion::ALL`] order.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) naming the criterion for a weight that is negative,
    /// not finite, or above 0 and below [`Weights::MIN`]; also when all are
    /// zero or their sum is not finite.
    ///
    /// # Example
    ///
    /// ```
    /// let w = carematch::matching::Weights::new([1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0])?;
    /// assert_eq!(w.weight(carematch::matching::Criterion::Wait), 0.0);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn new(weights: [f64; 7]) -> Result<Weights, Error> {
        for (c, w) in Criterion::ALL.iter().zip(weights) {
            if let Some(problem) = weight_problem(w) {
                return Err(Error::config("weights", format!("{}: {problem}", c.key())));
            }
        }
        if weights.iter().all(|w| *w == 0.0) {
            return Err(Error::config("weights", "every weight is 0"));
        }
        if !weights.iter().sum::<f64>().is_finite() {
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
        w[criterion.index()] = weight;
        Weights::new(w)
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
        self.0[criterion.index()]
    }

    /// Every weight, in [`Criterion::ALL`] order.
    ///
    /// # Example
    ///
    /// ```
    /// let sum: f64 = carematch::matching::Weights::default().as_array().iter().sum();
    /// assert!((sum - 1.0).abs() < 1e-12);
    /// ```
    pub fn as_array(&self) -> [f64; 7] {
        self.0
    }
}

impl fmt::Display for Weights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (c, w)) in Criterion::ALL.iter().zip(self.0).enumerate() {
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
        let mut m = s.serialize_map(Some(7))?;
        for (c, w) in Criterion::ALL.iter().zip(self.0) {
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
                let mut w: [Option<f64>; 7] = [None; 7];
                while let Some(c) = map.next_key::<Criterion>()? {
                    let v = map.next_value_seed(One(c))?;
                    if w[c.index()].replace(v).is_some() {
                        return Err(A::Error::custom(format!(
                            "the weight for `{}` is given twice",
                            c.key()
                        )));
                    }
                }
                let mut out = [0.0; 7];
                for c in Criterion::ALL {
                    out[c.index()] = w[c.index()].ok_or_else(|| {
                        A::Error::custom(format!(
                            "missing weight for `{}` (write 0 to turn it off)",
                            c.key()
                        ))
                    })?;
                }
                Weights::new(out).map_err(|e| A::Error::custom(e.to_string()))
            }
        }
        d.deserialize_map(V)
    }
}
