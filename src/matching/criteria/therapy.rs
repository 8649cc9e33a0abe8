//! Therapy fit: the modalities the patient needs that the program offers,
//! per condition the evidence-based care it gives (below), specialty cover
//! credited only with an evidence-based therapy for the condition, and
//! serving the patient's populations (only for a patient who belongs to one).
//!
//! A condition's evidence credit reads its rows as care is given: the
//! therapies a row names are alternatives, and one structured therapy
//! delivered well is first-line care (a DBT program treats borderline
//! personality disorder without also offering MBT). So the credit is
//! mostly the best first-line therapy offered ([`EVIDENCE_PARTS`]: 0.75),
//! weighed by its row's recommendation (strong 1, conditional 0.8) and by
//! whether trained staff deliver it ([`crate::matching::UNTRAINED_CREDIT`]);
//! breadth across the first-line therapies adds a little (0.15); the best
//! second-line or adjunct therapy the rest (0.10). A generic substitute
//! (plain CBT for OCD) earns half of a named therapy.

use crate::matching::evidence::Strength;
use crate::matching::facts::CriterionFacts;
use crate::matching::query::{ConditionNeed, Query};
use crate::matching::words::Reason;
use crate::{program::Population, therapy::Modality};

/// Therapy fit parts: needed modalities, evidence-based therapies,
/// specialization (credited only with an evidence-based therapy for the
/// condition), and serving the patient's populations (only for a patient
/// who belongs to one).
const PARTS: (f64, f64, f64, f64) = (0.3, 0.5, 0.2, 0.1);

/// A condition's evidence credit parts: the best first-line therapy
/// offered, the breadth of the first-line therapies offered, the best
/// second-line or adjunct therapy offered (a part counts only when the
/// condition has rows of its kind).
pub(crate) const EVIDENCE_PARTS: (f64, f64, f64) = (0.75, 0.15, 0.10);

/// The score: the parts that apply, weighted by [`PARTS`].
pub(super) fn score(q: &Query, f: &CriterionFacts) -> Option<f64> {
    let (wm, we, ws, wp) = PARTS;
    let credited = specialty_credited(q, f);
    let need = q.needed_modalities.count_ones();
    let mut num = wm * f64::from(f.modalities.count_ones()) / f64::from(need);
    let mut den = wm;
    let (mut ev_num, mut ev_den) = (0.0, 0.0);
    let (mut sp_num, mut sp_den) = (0.0, 0.0);
    for (c, (approaches, modalities)) in q.conditions.iter().zip(&f.evidence) {
        let w = f64::from(c.weight);
        if let Some(credit) = condition_evidence(c, (*approaches, *modalities), f.trained) {
            ev_num += w * credit;
            ev_den += w;
        }
        if credited & c.condition.bit() != 0 {
            sp_num += w;
        }
        sp_den += w;
    }
    if ev_den > 0.0 {
        num += we * ev_num / ev_den;
        den += we;
    }
    if sp_den > 0.0 {
        num += ws * sp_num / sp_den;
        den += ws;
    }
    if q.population_bits != 0 {
        num += wp * f64::from(u8::from(f.populations != 0));
        den += wp;
    }
    Some(num / den)
}

/// The greatest score [`score`] can give, for a bound that does not read
/// the evidence rows: 1, since the score is a weighted mean of shares, each
/// at most 1 (needed modalities offered of those needed, never none needed;
/// evidence credits, specialty cover and populations served, each 0 to 1).
/// Always applicable, as the score is.
pub(super) fn most(_q: &Query, _f: &CriterionFacts) -> Option<f64> {
    Some(1.0)
}

/// A condition's evidence credit, 0 to 1, at a program offering `hits`
/// whose staff are trained in `trained` (see the module docs); `None`
/// without rows.
fn condition_evidence(c: &ConditionNeed, hits: (u64, u64), trained: u64) -> Option<f64> {
    let (wb, wn, wa) = EVIDENCE_PARTS;
    let (mut first, mut offered, mut named, mut adjunct) = (None::<f64>, 0, 0, None::<f64>);
    for row in &c.rows {
        let earned = row.best(hits, trained).map_or(0.0, |e| e.credit);
        match row.strength {
            Strength::FirstLine => {
                let credit = row.recommendation.factor() * earned;
                first = Some(first.map_or(credit, |b| b.max(credit)));
                let (o, n) = row.breadth(hits);
                offered += o;
                named += n;
            }
            Strength::SecondLine => adjunct = Some(adjunct.map_or(earned, |b| b.max(earned))),
        }
    }
    let (mut num, mut den) = (0.0, 0.0);
    if let Some(best) = first {
        num += wb * best + wn * offered as f64 / named as f64;
        den += wb + wn;
    }
    if let Some(best) = adjunct {
        num += wa * best;
        den += wa;
    }
    (den > 0.0).then(|| num / den)
}

/// The patient's conditions whose specialty earns credit: listed as a
/// specialty, and a therapy a first-line row names for it offered.
fn specialty_credited(q: &Query, f: &CriterionFacts) -> u64 {
    q.conditions
        .iter()
        .zip(&f.evidence)
        .filter(|(c, hits)| f.specialties & c.condition.bit() != 0 && c.offers_first_line(**hits))
        .fold(0, |acc, (c, _)| acc | c.condition.bit())
}

/// The reasons: each evidence row read against what is offered (or that a
/// condition has none), the modalities, each condition's specialty, the
/// populations served.
pub(super) fn reasons(q: &Query, f: &CriterionFacts) -> Vec<Reason> {
    let mut r = Vec::new();
    for (c, hits) in q.conditions.iter().zip(&f.evidence) {
        if c.rows.is_empty() {
            r.push(Reason::NoEvidenceRow {
                condition: c.condition,
            });
        }
        for row in &c.rows {
            let reading = row.read(*hits);
            let earned = row.best(*hits, f.trained);
            r.push(Reason::Evidence {
                condition: c.condition,
                primary: c.primary,
                strength: row.strength,
                recommendation: row.recommendation,
                ages: row.ages,
                episode: row.episode,
                credited: earned.map(|e| e.therapy),
                trained: earned.and_then(|e| e.trained),
                offered: reading.offered,
                // A second-line or adjunct therapy is not missing when absent.
                missing: match row.strength {
                    Strength::FirstLine => reading.missing,
                    Strength::SecondLine => Vec::new(),
                },
                partial: reading.partial,
                source: row.source.clone(),
            });
        }
    }
    let (offered, missing): (Vec<Modality>, Vec<Modality>) = Modality::ALL
        .iter()
        .filter(|m| q.needed_modalities & m.bit() != 0)
        .partition(|m| f.modalities & m.bit() != 0);
    r.push(Reason::Modalities { offered, missing });
    let credited = specialty_credited(q, f);
    for c in &q.conditions {
        r.push(Reason::Specialty {
            condition: c.condition,
            specializes: f.specialties & c.condition.bit() != 0,
            credited: credited & c.condition.bit() != 0,
        });
    }
    if q.population_bits != 0 {
        let of = |bits: u64| -> Vec<Population> {
            Population::ALL
                .iter()
                .copied()
                .filter(|p| bits & p.bit() != 0)
                .collect()
        };
        r.push(Reason::Populations {
            served: of(f.populations),
            patient: of(q.population_bits),
        });
    }
    r
}
