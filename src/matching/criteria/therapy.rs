//! Therapy fit: the modalities the patient needs that the program offers,
//! per condition the share of its evidence rows offered (first-line rows
//! weigh twice second-line ones), specialty cover credited only with an
//! evidence-based therapy for the condition, and serving the patient's
//! populations (only for a patient who belongs to one).

use crate::matching::facts::CriterionFacts;
use crate::matching::query::{ConditionNeed, Query};
use crate::matching::words::Reason;
use crate::{program::Population, therapy::Modality};

/// Therapy fit parts: needed modalities, evidence-based therapies,
/// specialization (credited only with an evidence-based therapy for the
/// condition), and serving the patient's populations (only for a patient
/// who belongs to one).
const PARTS: (f64, f64, f64, f64) = (0.3, 0.5, 0.2, 0.1);

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
        if let Some(credit) = condition_evidence(c, (*approaches, *modalities)) {
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

/// A condition's evidence credit, 0 to 1: its rows' credits
/// ([`crate::matching::EvidenceRow`]: full per named therapy offered, half
/// per generic substitute for a missing one) weighted by strength (first-line
/// twice second-line); `None` without rows.
fn condition_evidence(c: &ConditionNeed, hits: (u64, u64)) -> Option<f64> {
    let (mut num, mut den) = (0.0, 0.0);
    for row in &c.rows {
        let w = f64::from(row.strength.weight());
        num += w * row.credit(hits);
        den += w;
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
            r.push(Reason::Evidence {
                condition: c.condition,
                primary: c.primary,
                strength: row.strength,
                ages: row.ages,
                offered: reading.offered,
                missing: reading.missing,
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
