//! The criteria by name: the [`Criterion`] enum, each criterion's default
//! weight, and [`PerCriterion`], the container indexed by criterion that
//! scores, contributions and reasons travel in (no positional arrays).
//!
//! Adding a criterion: its variant here (key, label, default weight), its
//! file in `criteria/` (score and reasons side by side), the facts it reads
//! and their producers. ARCHITECTURE.md lists the files.

use std::ops::{Index, IndexMut};

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

/// How many criteria there are.
pub(crate) const COUNT: usize = Criterion::ALL.len();

impl Criterion {
    /// The criterion's weight in [`crate::matching::Weights::default`]: the
    /// four core criteria (therapy fit, credentials, schedule flexibility,
    /// aftercare) carry 80%.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::matching::Criterion;
    /// let sum: f64 = Criterion::ALL.iter().map(|c| c.default_weight()).sum();
    /// assert!((sum - 1.0).abs() < 1e-12);
    /// assert_eq!(Criterion::TherapyFit.default_weight(), 0.25);
    /// ```
    pub const fn default_weight(self) -> f64 {
        match self {
            Criterion::TherapyFit => 0.25,
            Criterion::Credentials => 0.20,
            Criterion::ScheduleFlexibility => 0.20,
            Criterion::Aftercare => 0.15,
            Criterion::Distance => 0.10,
            Criterion::Wait => 0.05,
            Criterion::Freshness => 0.05,
        }
    }
}

/// One value per criterion, indexed by [`Criterion`] and iterated in
/// [`Criterion::ALL`] order.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct PerCriterion<T>([T; COUNT]);

impl<T> PerCriterion<T> {
    /// The value of `f` for every criterion, called in [`Criterion::ALL`] order.
    #[inline]
    pub(crate) fn from_fn(mut f: impl FnMut(Criterion) -> T) -> PerCriterion<T> {
        PerCriterion(std::array::from_fn(|i| f(Criterion::ALL[i])))
    }

    /// Every criterion with its value, in [`Criterion::ALL`] order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Criterion, &T)> {
        Criterion::ALL.iter().copied().zip(&self.0)
    }

    /// The values, in [`Criterion::ALL`] order.
    pub(crate) fn values(&self) -> &[T; COUNT] {
        &self.0
    }
}

impl<T> Index<Criterion> for PerCriterion<T> {
    type Output = T;
    #[inline]
    fn index(&self, c: Criterion) -> &T {
        &self.0[c.index()]
    }
}

impl<T> IndexMut<Criterion> for PerCriterion<T> {
    #[inline]
    fn index_mut(&mut self, c: Criterion) -> &mut T {
        &mut self.0[c.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_found_by_criterion_in_declaration_order() {
        let mut p = PerCriterion::from_fn(|c| c.key());
        assert_eq!(p[Criterion::Wait], "wait");
        p[Criterion::Wait] = "changed";
        assert_eq!(p[Criterion::Wait], "changed");
        let keys: Vec<Criterion> = p.iter().map(|(c, _)| c).collect();
        assert_eq!(keys, Criterion::ALL);
        assert_eq!(p.values()[Criterion::Distance.index()], "distance");
    }
}
