//! The evidence table: which therapies suit which condition, for which ages,
//! how strongly, with sources.
//!
//! Data, not code: [`EvidenceTable::default`] is documented row by row, every
//! row carries its source (also in its JSON), and a caller can replace the
//! table (serde, or [`EvidenceTable::new`]).

use std::fmt;

use crate::terms::terms;
use crate::{
    diagnosis::Condition,
    error::Error,
    therapy::{Approach, Modality},
};

/// A therapy the evidence table can name: an approach (CBT, CPT ...) or a
/// modality (psychoeducation, medication management ...).
///
/// Serialized as the approach's or modality's key (the keys are disjoint),
/// like every other vocabulary value.
///
/// # Example
///
/// ```
/// use carematch::{Approach, Modality, matching::Therapy};
/// let t: Therapy = "cpt".parse()?;
/// assert_eq!(t, Therapy::Approach(Approach::Cpt));
/// assert_eq!("psychoeducation".parse::<Therapy>()?, Therapy::Modality(Modality::Psychoeducation));
/// assert_eq!(t.to_string(), "cognitive processing therapy (CPT)");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Therapy {
    /// An evidence-based approach.
    Approach(Approach),
    /// A form of care.
    Modality(Modality),
}

impl Therapy {
    /// The machine key of the approach or modality.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Approach, matching::Therapy};
    /// assert_eq!(Therapy::Approach(Approach::Dbt).key(), "dbt");
    /// ```
    pub const fn key(self) -> &'static str {
        match self {
            Therapy::Approach(a) => a.key(),
            Therapy::Modality(m) => m.key(),
        }
    }
}

impl fmt::Display for Therapy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Therapy::Approach(a) => fmt::Display::fmt(a, f),
            Therapy::Modality(m) => fmt::Display::fmt(m, f),
        }
    }
}

impl std::str::FromStr for Therapy {
    type Err = Error;

    fn from_str(s: &str) -> Result<Therapy, Error> {
        s.parse::<Approach>()
            .map(Therapy::Approach)
            .or_else(|_| s.parse::<Modality>().map(Therapy::Modality))
            .map_err(|_| {
                Error::parse(
                    "therapy",
                    s,
                    "expected a therapy approach key (cbt, dbt, cpt ...) or a modality key (psychoeducation, medication_management ...)",
                )
            })
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Therapy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Therapy {
    /// The approach's or modality's key; the plain-English label (which
    /// versions before 0.2 wrote) is read too.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Therapy, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Therapy;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a therapy approach or modality key")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Therapy, E> {
                v.parse::<Therapy>().map_err(|e| E::custom(e.reason()))
            }
        }
        d.deserialize_str(V)
    }
}

terms! {
    /// What stands behind a row of the evidence table.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::matching::EvidenceBasis;
    /// assert_eq!(EvidenceBasis::Guideline.to_string(), "clinical practice guideline");
    /// ```
    pub enum EvidenceBasis: "evidence basis" {
        /// A published clinical practice guideline (APA, NICE, VA/DoD, SAMHSA TIP ...).
        Guideline = "guideline", "clinical practice guideline";
        /// Common practice, without a guideline found for it.
        CommonPractice = "common_practice", "common practice without a guideline";
    }
}

terms! {
    /// How strongly a row's therapies are recommended for its condition.
    ///
    /// The therapy criterion reads the two as separate parts of a
    /// condition's evidence credit: the best first-line therapy and the
    /// breadth of the first-line rows, then the best second-line or adjunct
    /// therapy (see [`crate::matching::Criterion::TherapyFit`] and
    /// `docs/matching.md`).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::matching::Strength;
    /// assert_eq!(Strength::FirstLine.to_string(), "first-line");
    /// assert_eq!(Strength::FirstLine.weight(), 2);
    /// ```
    pub enum Strength: "evidence strength" {
        /// First-line: what the guideline recommends first.
        FirstLine = "first_line", "first-line";
        /// Second-line or adjunct: recommended beside or after the first line.
        SecondLine = "second_line", "second-line or adjunct";
    }
}

impl Strength {
    /// A relative weight for the strength: 2 for first-line, 1 for
    /// second-line or adjunct. The therapy criterion no longer averages rows
    /// by it (since the clinical-truth change it reads first-line and
    /// adjunct rows as separate parts); kept for callers that weigh rows.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::matching::Strength::SecondLine.weight(), 1);
    /// ```
    pub const fn weight(self) -> u32 {
        match self {
            Strength::FirstLine => 2,
            Strength::SecondLine => 1,
        }
    }
}

terms! {
    /// Which episode of a condition an evidence row holds for: any, or only
    /// a first episode (coordinated specialty care is first-line for a
    /// first episode of psychosis: APA schizophrenia guideline, 2020; NICE
    /// CG178 early intervention). A patient's diagnosis says it is a first
    /// episode with `"first_episode": true`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::matching::Episode;
    /// assert!(Episode::Any.holds_for(Episode::First));
    /// assert!(!Episode::First.holds_for(Episode::Any));
    /// ```
    pub enum Episode: "episode" {
        /// Any episode (for a patient: not known to be a first episode).
        Any = "any", "any episode";
        /// A first episode only.
        First = "first", "a first episode";
    }
}

impl Episode {
    /// Whether a row for this episode holds for a patient's `episode`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::matching::Episode;
    /// assert!(Episode::First.holds_for(Episode::First));
    /// ```
    pub fn holds_for(self, episode: Episode) -> bool {
        self == Episode::Any || self == episode
    }

    #[cfg(feature = "serde")]
    pub(crate) fn any() -> Episode {
        Episode::Any
    }

    #[cfg(feature = "serde")]
    pub(crate) fn is_any(&self) -> bool {
        *self == Episode::Any
    }
}

terms! {
    /// How strongly the guideline recommends a row's therapies: strong, or
    /// conditional (weaker evidence, or a closer balance of benefit and
    /// burden). The VA/DoD PTSD guideline (2023), for example, recommends
    /// CPT, PE and EMDR strongly and CT-PTSD and written exposure therapy
    /// with less confidence.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::matching::Recommendation;
    /// assert_eq!(Recommendation::Strong.factor(), 1.0);
    /// assert!(Recommendation::Conditional.factor() < 1.0);
    /// ```
    pub enum Recommendation: "recommendation" {
        /// A strong recommendation.
        Strong = "strong", "strong recommendation";
        /// A conditional (weak) recommendation.
        Conditional = "conditional", "conditional recommendation";
    }
}

impl Recommendation {
    /// The share of a first-line row's credit its best therapy earns: 1 for
    /// a strong recommendation, 0.8 for a conditional one (a scoring
    /// parameter: one strongly recommended therapy outranks two
    /// conditionally recommended ones).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::matching::Recommendation::Conditional.factor(), 0.8);
    /// ```
    pub const fn factor(self) -> f64 {
        match self {
            Recommendation::Strong => 1.0,
            Recommendation::Conditional => 0.8,
        }
    }
}

terms! {
    /// The ages a row holds for.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::matching::AgeBand;
    /// assert!(AgeBand::Under18.holds_for(14));
    /// assert!(!AgeBand::Under18.holds_for(18));
    /// assert!(AgeBand::Adults.holds_for(18));
    /// assert!(AgeBand::All.holds_for(70));
    /// ```
    pub enum AgeBand: "age band" {
        /// Every age.
        All = "all", "all ages";
        /// Children and adolescents, under 18.
        Under18 = "under_18", "under 18";
        /// Adults, 18 and over.
        Adults = "adults", "18 and over";
    }
}

impl AgeBand {
    /// Whether a patient aged `age` is in the band.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!carematch::matching::AgeBand::Adults.holds_for(17));
    /// ```
    pub const fn holds_for(self, age: u8) -> bool {
        match self {
            AgeBand::All => true,
            AgeBand::Under18 => age < 18,
            AgeBand::Adults => age >= 18,
        }
    }

    /// Whether the two bands share an age.
    const fn overlaps(self, other: AgeBand) -> bool {
        !matches!(
            (self, other),
            (AgeBand::Under18, AgeBand::Adults) | (AgeBand::Adults, AgeBand::Under18)
        )
    }
}

terms! {
    /// Which prescriber a condition's care calls for.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::matching::PrescriberNeed;
    /// assert!(PrescriberNeed::Psychiatric > PrescriberNeed::Any);
    /// assert_eq!(PrescriberNeed::NotNeeded.key(), "not_needed");
    /// ```
    pub enum PrescriberNeed: "prescriber need" {
        /// No prescriber needed for the row's care.
        NotNeeded = "not_needed", "no prescriber needed";
        /// Any prescriber: a psychiatrist, another physician, a PMHNP, another
        /// nurse practitioner or a physician assistant (medication for alcohol
        /// or opioid use, tobacco treatment).
        Any = "any", "any prescriber";
        /// A psychiatric prescriber: a psychiatrist or PMHNP (bipolar
        /// disorder, psychosis, ADHD).
        Psychiatric = "psychiatric", "a psychiatric prescriber";
    }
}

/// The share of a named therapy's credit that a generic substitute earns when
/// the named one is missing: one half, the most the table allows (plain CBT
/// where a guideline names exposure and response prevention, CBT for
/// psychosis or eating-disorder-focused CBT).
pub const PARTIAL_CREDIT: f64 = 0.5;

/// The credit a named therapy earns when a certification in it exists
/// ([`crate::Certification`]) and the program's staff, listed, hold none:
/// offered, but no clinician is listed as trained to deliver it (a scoring
/// parameter). A therapy with no certification in the vocabulary, or at a
/// program whose staff are not listed, earns full credit.
pub const UNTRAINED_CREDIT: f64 = 0.85;

/// A generic therapy that earns [`PARTIAL_CREDIT`] in a row when the
/// disorder-specific therapy it stands in for is not offered.
///
/// # Example
///
/// ```
/// use carematch::{Approach, matching::{PartialCredit, Therapy}};
/// let p = PartialCredit { therapy: Therapy::Approach(Approach::Cbt), instead_of: Therapy::Approach(Approach::Erp) };
/// assert_eq!(p.to_string(), "cognitive behavioral therapy (CBT) without exposure and response prevention (ERP): half credit");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct PartialCredit {
    /// The generic therapy offered.
    pub therapy: Therapy,
    /// The row's named therapy it partly stands in for.
    pub instead_of: Therapy,
}

impl fmt::Display for PartialCredit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} without {}: half credit",
            self.therapy, self.instead_of
        )
    }
}

/// One row: for a condition and an age band, therapies of one strength, the
/// generic substitutes that earn partial credit, which prescriber the care
/// calls for, and the source.
///
/// # Example
///
/// ```
/// use carematch::{Condition, matching::{Episode, EvidenceTable, PrescriberNeed, Strength}};
/// let table = EvidenceTable::default();
/// let rows = table.rows_for(Condition::Bipolar, 34, Episode::Any);
/// assert_eq!(rows[0].strength, Strength::FirstLine);
/// assert_eq!(rows[0].prescriber, PrescriberNeed::Psychiatric);
/// assert!(rows[0].source.contains("CANMAT"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct EvidenceRow {
    /// The condition.
    pub condition: Condition,
    /// The ages the row holds for (default: all).
    #[cfg_attr(feature = "serde", serde(default = "AgeBand::all"))]
    pub ages: AgeBand,
    /// The episodes the row holds for (default: any).
    #[cfg_attr(
        feature = "serde",
        serde(default = "Episode::any", skip_serializing_if = "Episode::is_any")
    )]
    pub episode: Episode,
    /// First-line, or second-line and adjunct.
    pub strength: Strength,
    /// Strong or conditional (default: strong).
    #[cfg_attr(feature = "serde", serde(default = "Recommendation::strong"))]
    pub recommendation: Recommendation,
    /// The therapies recommended, most central first; each earns full credit.
    pub therapies: Vec<Therapy>,
    /// Generic therapies that earn [`PARTIAL_CREDIT`] for a named one that is missing.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub partial: Vec<PartialCredit>,
    /// The prescriber the care calls for.
    #[cfg_attr(feature = "serde", serde(default = "PrescriberNeed::not_needed"))]
    pub prescriber: PrescriberNeed,
    /// A guideline, or common practice.
    pub basis: EvidenceBasis,
    /// The source, in our own words.
    pub source: String,
}

#[cfg(feature = "serde")]
impl AgeBand {
    fn all() -> AgeBand {
        AgeBand::All
    }
}

#[cfg(feature = "serde")]
impl Recommendation {
    fn strong() -> Recommendation {
        Recommendation::Strong
    }
}

#[cfg(feature = "serde")]
impl PrescriberNeed {
    fn not_needed() -> PrescriberNeed {
        PrescriberNeed::NotNeeded
    }
}

impl Therapy {
    /// Whether the therapy is among `hits` (approach and modality bits).
    pub(crate) fn hit(self, (approaches, modalities): (u64, u64)) -> bool {
        match self {
            Therapy::Approach(a) => approaches & a.bit() != 0,
            Therapy::Modality(m) => modalities & m.bit() != 0,
        }
    }
}

/// What earned a row its credit at one program: the therapy (a named one, or
/// a generic substitute), its credit, and whether staff trained in it are
/// listed (`None`: no certification exists for it, or staff are not listed).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Earned {
    pub therapy: Therapy,
    pub credit: f64,
    pub trained: Option<bool>,
}

impl Therapy {
    /// Whether staff trained in the therapy are listed: `trained` holds the
    /// approaches some clinician is certified in (all bits: staff not
    /// listed). `None` for a therapy no certification exists for.
    pub(crate) fn trained(self, trained: u64) -> Option<bool> {
        match self {
            Therapy::Approach(a)
                if trained != u64::MAX
                    && crate::credential::CERTIFIABLE_APPROACHES & a.bit() != 0 =>
            {
                Some(trained & a.bit() != 0)
            }
            _ => None,
        }
    }
}

/// A row read against what a program offers: the named therapies offered and
/// missing, and the partial credits earned.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RowReading {
    pub offered: Vec<Therapy>,
    pub missing: Vec<Therapy>,
    pub partial: Vec<PartialCredit>,
}

impl EvidenceRow {
    /// The therapy that earns the row its credit at a program offering
    /// `hits`, with `trained` the approaches its staff are certified in: the
    /// named therapies are alternatives, so the best one offered counts
    /// (1, or [`UNTRAINED_CREDIT`] without trained staff; the earliest
    /// listed among equals); else a generic substitute ([`PARTIAL_CREDIT`]);
    /// `None` when nothing is offered.
    pub(crate) fn best(&self, hits: (u64, u64), trained: u64) -> Option<Earned> {
        let mut best: Option<Earned> = None;
        for t in self.therapies.iter().filter(|t| t.hit(hits)) {
            let is_trained = t.trained(trained);
            let credit = if is_trained == Some(false) {
                UNTRAINED_CREDIT
            } else {
                1.0
            };
            if best.is_none_or(|b| credit > b.credit) {
                best = Some(Earned {
                    therapy: *t,
                    credit,
                    trained: is_trained,
                });
            }
        }
        best.or_else(|| {
            self.partial_credits(hits).next().map(|p| Earned {
                therapy: p.therapy,
                credit: PARTIAL_CREDIT,
                trained: None,
            })
        })
    }

    /// How many of the row's named therapies `hits` hold, and how many it names.
    pub(crate) fn breadth(&self, hits: (u64, u64)) -> (usize, usize) {
        let offered = self.therapies.iter().filter(|t| t.hit(hits)).count();
        (offered, self.therapies.len())
    }

    /// The substitutes earning partial credit: offered, standing in for a named
    /// therapy not offered (one per named therapy).
    fn partial_credits(&self, hits: (u64, u64)) -> impl Iterator<Item = &PartialCredit> {
        self.partial
            .iter()
            .enumerate()
            .filter(move |(i, p)| {
                p.therapy.hit(hits)
                    && !p.instead_of.hit(hits)
                    && !self.partial[..*i]
                        .iter()
                        .any(|q| q.instead_of == p.instead_of && q.therapy.hit(hits))
            })
            .map(|(_, p)| p)
    }

    /// The row read against `hits`, for the words.
    pub(crate) fn read(&self, hits: (u64, u64)) -> RowReading {
        let (offered, missing) = self.therapies.iter().partition(|t| t.hit(hits));
        RowReading {
            offered,
            missing,
            partial: self.partial_credits(hits).copied().collect(),
        }
    }

    /// The approaches and modalities the row names or accepts as substitutes, as bits.
    pub(crate) fn masks(&self) -> (u64, u64) {
        let (mut a, mut m) = (0, 0);
        for t in self
            .therapies
            .iter()
            .chain(self.partial.iter().map(|p| &p.therapy))
        {
            match t {
                Therapy::Approach(x) => a |= x.bit(),
                Therapy::Modality(x) => m |= x.bit(),
            }
        }
        (a, m)
    }
}

/// Condition to evidence-based therapies, as data.
///
/// A condition may have several rows: by age band (TF-CBT for PTSD under 18,
/// CPT, PE, EMDR, CT-PTSD and WET from 18) and by strength (first-line,
/// second-line or adjunct). Lookups fall back to the broader family: a
/// condition without rows of its own, such as cannabis use, finds the
/// substance-use rows.
///
/// # Example
///
/// ```
/// use carematch::{Approach, Condition, matching::{Episode, EvidenceTable, Therapy}};
///
/// let table = EvidenceTable::default();
/// let adult = table.rows_for(Condition::Ptsd, 34, Episode::Any);
/// assert!(adult[0].therapies.contains(&Therapy::Approach(Approach::Cpt)));
/// assert!(!adult.iter().any(|r| r.therapies.contains(&Therapy::Approach(Approach::TfCbt))));
/// let teen = table.rows_for(Condition::Ptsd, 14, Episode::Any);
/// assert!(teen[0].therapies.contains(&Therapy::Approach(Approach::TfCbt)));
/// let cannabis = table.rows_for(Condition::CannabisUse, 30, Episode::Any);
/// assert_eq!(cannabis[0].condition, Condition::SubstanceUse);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "EvidenceRows", into = "EvidenceRows")
)]
pub struct EvidenceTable {
    rows: Vec<EvidenceRow>,
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct EvidenceRows {
    rows: Vec<EvidenceRow>,
}

#[cfg(feature = "serde")]
impl TryFrom<EvidenceRows> for EvidenceTable {
    type Error = Error;
    fn try_from(r: EvidenceRows) -> Result<EvidenceTable, Error> {
        EvidenceTable::new(r.rows)
    }
}

#[cfg(feature = "serde")]
impl From<EvidenceTable> for EvidenceRows {
    fn from(t: EvidenceTable) -> EvidenceRows {
        EvidenceRows { rows: t.rows }
    }
}

impl EvidenceTable {
    /// A table from rows.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) when two rows name the same condition and strength
    /// for overlapping ages, a row names no therapy or repeats one, a partial
    /// credit stands in for a therapy the row does not name (or is itself
    /// named, or is given twice), or a source is empty.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Approach, Condition, matching::*};
    /// let row = EvidenceRow {
    ///     condition: Condition::Anxiety,
    ///     ages: AgeBand::All,
    ///     episode: Episode::Any,
    ///     strength: Strength::FirstLine,
    ///     recommendation: Recommendation::Strong,
    ///     therapies: vec![Therapy::Approach(Approach::Act)],
    ///     partial: vec![],
    ///     prescriber: PrescriberNeed::NotNeeded,
    ///     basis: EvidenceBasis::CommonPractice,
    ///     source: "local consensus".into(),
    /// };
    /// let table = EvidenceTable::new(vec![row.clone()])?;
    /// assert_eq!(table.rows().len(), 1);
    /// assert!(EvidenceTable::new(vec![row.clone(), row]).is_err());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn new(rows: Vec<EvidenceRow>) -> Result<EvidenceTable, Error> {
        let fail = |msg: String| Err(Error::config("evidence table", msg));
        for (i, row) in rows.iter().enumerate() {
            if rows[..i].iter().any(|r| {
                r.condition == row.condition
                    && r.strength == row.strength
                    && r.recommendation == row.recommendation
                    && r.ages.overlaps(row.ages)
                    && r.episode == row.episode
            }) {
                return fail(format!(
                    "rows[{i}]: a second row for {} ({}, {}, {}) at overlapping ages",
                    row.condition.key(),
                    row.ages.key(),
                    row.strength.key(),
                    row.recommendation.key()
                ));
            }
            if row.therapies.is_empty() {
                return fail(format!("rows[{i}]: names no therapy"));
            }
            for (j, t) in row.therapies.iter().enumerate() {
                if row.therapies[..j].contains(t) {
                    return fail(format!(
                        "rows[{i}].therapies[{j}]: {} is listed twice",
                        t.key()
                    ));
                }
            }
            for (j, p) in row.partial.iter().enumerate() {
                if !row.therapies.contains(&p.instead_of) {
                    return fail(format!(
                        "rows[{i}].partial[{j}]: {} is not one of the row's therapies",
                        p.instead_of.key()
                    ));
                }
                if row.therapies.contains(&p.therapy) {
                    return fail(format!(
                        "rows[{i}].partial[{j}]: {} already earns full credit in the row",
                        p.therapy.key()
                    ));
                }
                if row.partial[..j].contains(p) {
                    return fail(format!("rows[{i}].partial[{j}]: is listed twice"));
                }
            }
            if row.source.trim().is_empty() {
                return fail(format!("rows[{i}].source: is empty"));
            }
        }
        Ok(EvidenceTable { rows })
    }

    /// The rows, in order.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::matching::EvidenceTable::default().rows().len() >= 10);
    /// ```
    pub fn rows(&self) -> &[EvidenceRow] {
        &self.rows
    }

    /// The rows that hold for `condition` at `age` in `episode`, in table
    /// order; when the condition has no row for that age, those of its
    /// broader family.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Approach, Condition, matching::{Episode, EvidenceTable, Therapy}};
    /// let table = EvidenceTable::default();
    /// assert!(table.rows_for(Condition::Other, 30, Episode::Any).is_empty());
    /// let csc = Therapy::Approach(Approach::Csc);
    /// let first = table.rows_for(Condition::Psychotic, 20, Episode::First);
    /// assert!(first.iter().any(|r| r.therapies.contains(&csc)));
    /// let later = table.rows_for(Condition::Psychotic, 20, Episode::Any);
    /// assert!(!later.iter().any(|r| r.therapies.contains(&csc)));
    /// ```
    pub fn rows_for(&self, condition: Condition, age: u8, episode: Episode) -> Vec<&EvidenceRow> {
        let of = |c: Condition| -> Vec<&EvidenceRow> {
            self.rows
                .iter()
                .filter(|r| {
                    r.condition == c && r.ages.holds_for(age) && r.episode.holds_for(episode)
                })
                .collect()
        };
        let own = of(condition);
        match condition.broader() {
            Some(broader) if own.is_empty() => of(broader),
            _ => own,
        }
    }
}

/// A row, for the default table.
struct R {
    condition: Condition,
    ages: AgeBand,
    episode: Episode,
    strength: Strength,
    recommendation: Recommendation,
    therapies: &'static [Therapy],
    partial: &'static [(Therapy, Therapy)],
    prescriber: PrescriberNeed,
    source: &'static str,
}

impl R {
    fn row(&self) -> EvidenceRow {
        EvidenceRow {
            condition: self.condition,
            ages: self.ages,
            episode: self.episode,
            strength: self.strength,
            recommendation: self.recommendation,
            therapies: self.therapies.to_vec(),
            partial: self
                .partial
                .iter()
                .map(|&(therapy, instead_of)| PartialCredit {
                    therapy,
                    instead_of,
                })
                .collect(),
            prescriber: self.prescriber,
            basis: EvidenceBasis::Guideline,
            source: self.source.to_owned(),
        }
    }
}

impl Default for EvidenceTable {
    /// The default table, reviewed against current guidelines. Each row, its
    /// ages and strength, and its source in our own words (the README lists
    /// the same rows):
    ///
    /// - **PTSD, 18 and over, first-line**: CPT, PE, EMDR, cognitive therapy
    ///   for PTSD and written exposure therapy. The 2023 VA/DoD PTSD guideline
    ///   (summarised in Annals of Internal Medicine, doi 10.7326/M23-2757)
    ///   recommends CPT, PE and EMDR most strongly and CT-PTSD and WET as well;
    ///   the American Psychological Association's 2025 PTSD guideline
    ///   (replacing its 2017 one) and NICE NG116 (2018) agree. TF-CBT, a model
    ///   built for children and adolescents, is not among them.
    /// - **PTSD, under 18, first-line**: TF-CBT. NICE NG116, children and
    ///   young people.
    /// - **PTSD, 18 and over, adjunct**: CBT-I for the insomnia that comes with
    ///   PTSD. VA/DoD 2023; American College of Physicians insomnia guideline
    ///   (2016).
    /// - **Other trauma- and stressor-related disorders (acute stress,
    ///   adjustment)**: CBT (trauma-focused, within a month of the trauma);
    ///   under 18, TF-CBT, with plain CBT at half credit. NICE NG116 covers
    ///   acute stress disorder.
    /// - **Borderline personality disorder, first-line**: DBT and MBT;
    ///   **second-line**: TFP, good psychiatric management, schema therapy,
    ///   STEPPS. American Psychiatric Association borderline personality
    ///   disorder guideline (2024): a structured psychotherapy, DBT and MBT
    ///   with the most evidence; NICE CG78.
    /// - **Depression, 18 and over, first-line**: CBT, IPT, behavioral
    ///   activation; **adjunct**: MBCT for relapse prevention and CBT-I.
    ///   American Psychological Association depression guideline (2019); NICE
    ///   NG222 (2022); ACP insomnia guideline (2016).
    /// - **Depression, under 18, first-line**: IPT-A and CBT, plain IPT at
    ///   half credit for IPT-A. NICE NG134 (2019).
    /// - **Anxiety**: CBT. NICE CG113 (2011).
    /// - **Bipolar disorder, first-line**: medication management and
    ///   psychoeducation; **adjunct**: family-focused therapy, IPSRT, CBT.
    ///   Psychiatric prescriber. CANMAT/ISBD (2018); NICE CG185 (2014).
    /// - **Substance use (any substance without its own rows)**: motivational
    ///   interviewing, CBT, contingency management. SAMHSA TIP 35
    ///   (motivational approaches); NIDA's Principles of Drug Addiction
    ///   Treatment for CBT and contingency management.
    /// - **Stimulant and cocaine use**: contingency management, motivational
    ///   interviewing, CBT. SAMHSA TIP 33 (stimulants; cited only here).
    /// - **Opioid use, first-line**: MOUD; **adjunct**: motivational
    ///   interviewing, CBT, contingency management. Any prescriber (a
    ///   buprenorphine prescriber). SAMHSA TIP 63: medication is the core of
    ///   treatment, and losing it raises the risk of overdose.
    /// - **Alcohol use**: MAUD, motivational interviewing, CBT. Any
    ///   prescriber. American Psychiatric Association guideline on medication
    ///   for alcohol use disorder (2018); TIP 35.
    /// - **Nicotine (tobacco) use**: tobacco treatment (counselling with
    ///   medication). Any prescriber; stopping smoking raises clozapine and
    ///   olanzapine levels, which the prescriber must watch. USPSTF (2021);
    ///   US Public Health Service guideline on treating tobacco use (2008).
    ///   Nicotine stays outside co-occurring substance use.
    /// - **Obsessive-compulsive disorder**: ERP, plain CBT at half credit.
    ///   NICE CG31: CBT that includes exposure and response prevention.
    /// - **Eating disorders, under 18, first-line**: family-based treatment;
    ///   **second-line**: CBT-E, plain CBT at half credit. NICE NG69 (2017).
    /// - **Eating disorders, 18 and over**: CBT-E, plain CBT at half credit
    ///   (strong); MANTRA and specialist supportive clinical management
    ///   (conditional: NICE offers them beside CBT-ED for anorexia, and the
    ///   table does not tell eating disorders apart). NICE NG69.
    /// - **Psychotic disorders, first-line**: CBT for psychosis (plain CBT at
    ///   half credit) and family intervention for psychosis (generic family
    ///   sessions at half credit); for a **first episode**, coordinated
    ///   specialty care as well; **adjunct**: supported employment (IPS),
    ///   assertive community treatment and medication management (the frame
    ///   of care, not a therapy of its own). Psychiatric prescriber. NICE
    ///   CG178 (2014); American Psychiatric Association schizophrenia
    ///   guideline (2020).
    /// - **ADHD, 18 and over**: medication management and CBT; **under 18**:
    ///   behavioral parent training and medication management. Psychiatric
    ///   prescriber. NICE NG87 (2018).
    fn default() -> EvidenceTable {
        EvidenceTable {
            rows: default_rows::FAMILIES
                .iter()
                .flat_map(|family| family.iter())
                .map(R::row)
                .collect(),
        }
    }
}

/// The rows of the default table, family by family, in table order; each
/// row is described in words on [`EvidenceTable::default`].
mod default_rows {
    use super::{
        AgeBand::{Adults, All, Under18},
        Approach as A, Condition,
        Episode::{Any as EAny, First as EFirst},
        Modality as M,
        PrescriberNeed::{Any, NotNeeded, Psychiatric},
        R,
        Recommendation::{Conditional, Strong},
        Strength::{FirstLine, SecondLine},
        Therapy::{self, Approach as Ap, Modality as Mo},
    };

    /// The families in table order.
    pub(super) const FAMILIES: [&[R]; 6] = [
        TRAUMA,
        BORDERLINE,
        MOOD_AND_ANXIETY,
        SUBSTANCE_USE,
        OCD_AND_EATING,
        PSYCHOSIS_AND_ADHD,
    ];

    const CBT: Therapy = Ap(A::Cbt);
    const MI: Therapy = Ap(A::MotivationalInterviewing);
    const CM: Therapy = Ap(A::ContingencyManagement);
    const TIP33: &str = "SAMHSA TIP 33 (treatment for stimulant use disorders, 2021): contingency management first, with motivational interviewing and CBT";

    /// A substance-use row: contingency management, motivational
    /// interviewing and CBT, first-line at every age, no prescriber.
    const fn sud(condition: Condition, source: &'static str) -> R {
        R {
            condition,
            ages: All,
            episode: EAny,
            strength: FirstLine,
            recommendation: Strong,
            therapies: &[CM, MI, CBT],
            partial: &[],
            prescriber: NotNeeded,
            source,
        }
    }

    /// PTSD, then the other trauma- and stressor-related disorders.
    const TRAUMA: &[R] = &[
        R {
            condition: Condition::Ptsd,
            ages: Adults,
            episode: EAny,
            strength: FirstLine,
            recommendation: Strong,
            therapies: &[Ap(A::Cpt), Ap(A::Pe), Ap(A::Emdr)],
            partial: &[],
            prescriber: NotNeeded,
            source: "VA/DoD PTSD guideline (2023; Annals of Internal Medicine summary, doi 10.7326/M23-2757): CPT, PE and EMDR strongly recommended; American Psychological Association PTSD guideline (2025, replacing 2017); NICE NG116 (2018)",
        },
        R {
            condition: Condition::Ptsd,
            ages: Adults,
            episode: EAny,
            strength: FirstLine,
            recommendation: Conditional,
            therapies: &[Ap(A::CtPtsd), Ap(A::Wet)],
            partial: &[],
            prescriber: NotNeeded,
            source: "VA/DoD PTSD guideline (2023): cognitive therapy for PTSD and written exposure therapy, recommended with less confidence than CPT, PE and EMDR",
        },
        R {
            condition: Condition::Ptsd,
            ages: Under18,
            episode: EAny,
            strength: FirstLine,
            recommendation: Strong,
            therapies: &[Ap(A::TfCbt)],
            partial: &[],
            prescriber: NotNeeded,
            source: "NICE NG116 (2018), children and young people: trauma-focused CBT (the TF-CBT model)",
        },
        R {
            condition: Condition::Ptsd,
            ages: Adults,
            episode: EAny,
            strength: SecondLine,
            recommendation: Strong,
            therapies: &[Ap(A::CbtI)],
            partial: &[],
            prescriber: NotNeeded,
            source: "VA/DoD PTSD guideline (2023) and American College of Physicians insomnia guideline (2016): CBT-I for insomnia with PTSD",
        },
        R {
            condition: Condition::TraumaRelated,
            ages: Adults,
            episode: EAny,
            strength: FirstLine,
            recommendation: Strong,
            therapies: &[CBT],
            partial: &[],
            prescriber: NotNeeded,
            source: "NICE NG116 (2018): trauma-focused CBT within a month of the trauma for acute stress disorder; for adjustment disorders CBT is common practice",
        },
        R {
            condition: Condition::TraumaRelated,
            ages: Under18,
            episode: EAny,
            strength: FirstLine,
            recommendation: Strong,
            therapies: &[Ap(A::TfCbt)],
            partial: &[(CBT, Ap(A::TfCbt))],
            prescriber: NotNeeded,
            source: "NICE NG116 (2018), children and young people: trauma-focused CBT for acute stress reactions",
        },
    ];

    /// Borderline personality disorder.
    const BORDERLINE: &[R] = &[
        R {
            condition: Condition::BorderlinePersonality,
            ages: All,
            episode: EAny,
            strength: FirstLine,
            recommendation: Strong,
            therapies: &[Ap(A::Dbt), Ap(A::Mbt)],
            partial: &[],
            prescriber: NotNeeded,
            source: "American Psychiatric Association practice guideline for borderline personality disorder (2024): a structured psychotherapy, DBT and MBT with the most evidence; NICE CG78",
        },
        R {
            condition: Condition::BorderlinePersonality,
            ages: All,
            episode: EAny,
            strength: SecondLine,
            recommendation: Strong,
            therapies: &[Ap(A::Tfp), Ap(A::Gpm), Ap(A::SchemaTherapy), Ap(A::Stepps)],
            partial: &[],
            prescriber: NotNeeded,
            source: "American Psychiatric Association practice guideline for borderline personality disorder (2024): other structured therapies (TFP, good psychiatric management, schema therapy, STEPPS)",
        },
    ];

    /// Depression, anxiety and bipolar disorder.
    const MOOD_AND_ANXIETY: &[R] = &[
        R {
            condition: Condition::Depressive,
            ages: Adults,
            episode: EAny,
            strength: FirstLine,
            recommendation: Strong,
            therapies: &[CBT, Ap(A::Ipt), Ap(A::BehavioralActivation)],
            partial: &[],
            prescriber: NotNeeded,
            source: "American Psychological Association depression guideline (2019); NICE NG222 (2022)",
        },
        R {
            condition: Condition::Depressive,
            ages: Adults,
            episode: EAny,
            strength: SecondLine,
            recommendation: Strong,
            therapies: &[Ap(A::Mbct), Ap(A::CbtI)],
            partial: &[],
            prescriber: NotNeeded,
            source: "NICE NG222 (2022): MBCT for preventing relapse; American College of Physicians insomnia guideline (2016): CBT-I",
        },
        R {
            condition: Condition::Depressive,
            ages: Under18,
            episode: EAny,
            strength: FirstLine,
            recommendation: Strong,
            therapies: &[Ap(A::IptA), CBT],
            partial: &[(Ap(A::Ipt), Ap(A::IptA))],
            prescriber: NotNeeded,
            source: "NICE NG134 (2019), depression in children and young people: IPT-A or CBT, with fluoxetine beside therapy for moderate to severe depression",
        },
        R {
            condition: Condition::Anxiety,
            ages: All,
            episode: EAny,
            strength: FirstLine,
            recommendation: Strong,
            therapies: &[CBT],
            partial: &[],
            prescriber: NotNeeded,
            source: "NICE CG113 (2011): CBT for generalised anxiety and panic disorder",
        },
        R {
            condition: Condition::Bipolar,
            ages: All,
            episode: EAny,
            strength: FirstLine,
            recommendation: Strong,
            therapies: &[Mo(M::MedicationManagement), Mo(M::Psychoeducation)],
            partial: &[],
            prescriber: Psychiatric,
            source: "CANMAT/ISBD bipolar guidelines (2018): medication with psychoeducation; NICE CG185 (2014)",
        },
        R {
            condition: Condition::Bipolar,
            ages: All,
            episode: EAny,
            strength: SecondLine,
            recommendation: Strong,
            therapies: &[Ap(A::FamilyFocused), Ap(A::Ipsrt), CBT],
            partial: &[],
            prescriber: Psychiatric,
            source: "CANMAT/ISBD bipolar guidelines (2018): family-focused therapy, IPSRT and CBT as adjuncts to medication",
        },
    ];

    /// Substance use: any substance, stimulants and cocaine, opioids, alcohol, nicotine.
    const SUBSTANCE_USE: &[R] = &[
        R {
            therapies: &[MI, CBT, CM],
            ..sud(
                Condition::SubstanceUse,
                "SAMHSA TIP 35 (motivational interviewing); CBT and contingency management per NIDA's Principles of Drug Addiction Treatment (2018)",
            )
        },
        sud(Condition::StimulantUse, TIP33),
        sud(Condition::CocaineUse, TIP33),
        R {
            condition: Condition::OpioidUse,
            ages: All,
            episode: EAny,
            strength: FirstLine,
            recommendation: Strong,
            therapies: &[Ap(A::Moud)],
            partial: &[],
            prescriber: Any,
            source: "SAMHSA TIP 63 (2021): medication (buprenorphine, methadone, naltrexone) is the core of treatment; losing it raises the risk of overdose",
        },
        R {
            condition: Condition::OpioidUse,
            ages: All,
            episode: EAny,
            strength: SecondLine,
            recommendation: Strong,
            therapies: &[MI, CBT, CM],
            partial: &[],
            prescriber: Any,
            source: "SAMHSA TIP 63 (2021) with TIP 35: psychosocial care beside medication",
        },
        R {
            condition: Condition::AlcoholUse,
            ages: All,
            episode: EAny,
            strength: FirstLine,
            recommendation: Strong,
            therapies: &[Ap(A::Maud), MI, CBT],
            partial: &[],
            prescriber: Any,
            source: "American Psychiatric Association practice guideline for the pharmacological treatment of alcohol use disorder (2018); SAMHSA TIP 35",
        },
        R {
            condition: Condition::NicotineUse,
            ages: All,
            episode: EAny,
            strength: FirstLine,
            recommendation: Strong,
            therapies: &[Ap(A::TobaccoTreatment)],
            partial: &[],
            prescriber: Any,
            source: "USPSTF (2021) and the US Public Health Service guideline Treating Tobacco Use and Dependence (2008): counselling with medication; stopping smoking raises clozapine and olanzapine levels",
        },
    ];

    /// Obsessive-compulsive and eating disorders.
    const OCD_AND_EATING: &[R] = &[
        R {
            condition: Condition::ObsessiveCompulsive,
            ages: All,
            episode: EAny,
            strength: FirstLine,
            recommendation: Strong,
            therapies: &[Ap(A::Erp)],
            partial: &[(CBT, Ap(A::Erp))],
            prescriber: NotNeeded,
            source: "NICE CG31 (2005): CBT that includes exposure and response prevention",
        },
        R {
            condition: Condition::Eating,
            ages: Under18,
            episode: EAny,
            strength: FirstLine,
            recommendation: Strong,
            therapies: &[Ap(A::Fbt)],
            partial: &[],
            prescriber: NotNeeded,
            source: "NICE NG69 (2017): anorexia- or bulimia-focused family therapy first for children and young people",
        },
        R {
            condition: Condition::Eating,
            ages: Under18,
            episode: EAny,
            strength: SecondLine,
            recommendation: Strong,
            therapies: &[Ap(A::CbtE)],
            partial: &[(CBT, Ap(A::CbtE))],
            prescriber: NotNeeded,
            source: "NICE NG69 (2017): eating-disorder-focused CBT when family therapy is unsuitable or has not helped",
        },
        R {
            condition: Condition::Eating,
            ages: Adults,
            episode: EAny,
            strength: FirstLine,
            recommendation: Strong,
            therapies: &[Ap(A::CbtE)],
            partial: &[(CBT, Ap(A::CbtE))],
            prescriber: NotNeeded,
            source: "NICE NG69 (2017): eating-disorder-focused CBT for adults",
        },
        R {
            condition: Condition::Eating,
            ages: Adults,
            episode: EAny,
            strength: FirstLine,
            recommendation: Conditional,
            therapies: &[Ap(A::Mantra), Ap(A::Sscm)],
            partial: &[],
            prescriber: NotNeeded,
            source: "NICE NG69 (2017): for adults with anorexia, MANTRA or specialist supportive clinical management as alternatives to CBT-ED; both were built for anorexia, and the table does not tell eating disorders apart, so they rank as conditional across the family",
        },
    ];

    /// Psychotic disorders and ADHD.
    const PSYCHOSIS_AND_ADHD: &[R] = &[
        R {
            condition: Condition::Psychotic,
            ages: All,
            episode: EAny,
            strength: FirstLine,
            recommendation: Strong,
            therapies: &[Ap(A::Cbtp), Ap(A::FamilyIntervention)],
            partial: &[
                (CBT, Ap(A::Cbtp)),
                (Mo(M::Family), Ap(A::FamilyIntervention)),
            ],
            prescriber: Psychiatric,
            source: "NICE CG178 (2014): CBT for psychosis and family intervention (a structured intervention, not any family session) beside medication; American Psychiatric Association schizophrenia guideline (2020)",
        },
        R {
            condition: Condition::Psychotic,
            ages: All,
            episode: EFirst,
            strength: FirstLine,
            recommendation: Strong,
            therapies: &[Ap(A::Csc)],
            partial: &[],
            prescriber: Psychiatric,
            source: "American Psychiatric Association schizophrenia guideline (2020) and NICE CG178 (2014) early intervention in psychosis: coordinated specialty care for a first episode",
        },
        R {
            condition: Condition::Psychotic,
            ages: All,
            episode: EAny,
            strength: SecondLine,
            recommendation: Strong,
            therapies: &[
                Ap(A::Ips),
                Ap(A::AssertiveCommunityTreatment),
                Mo(M::MedicationManagement),
            ],
            partial: &[],
            prescriber: Psychiatric,
            source: "NICE CG178 (2014) and American Psychiatric Association schizophrenia guideline (2020): supported employment (IPS), and assertive community treatment for those with frequent crises or hospital stays; medication management is the frame of care, not a psychosocial therapy of its own",
        },
        R {
            condition: Condition::Adhd,
            ages: Adults,
            episode: EAny,
            strength: FirstLine,
            recommendation: Strong,
            therapies: &[Mo(M::MedicationManagement), CBT],
            partial: &[],
            prescriber: Psychiatric,
            source: "NICE NG87 (2018): medication, with CBT as an option for adults",
        },
        R {
            condition: Condition::Adhd,
            ages: Under18,
            episode: EAny,
            strength: FirstLine,
            recommendation: Strong,
            therapies: &[Ap(A::ParentTraining), Mo(M::MedicationManagement)],
            partial: &[],
            prescriber: Psychiatric,
            source: "NICE NG87 (2018): ADHD-focused parent training, and medication when symptoms persist",
        },
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_table_passes_its_own_validation() {
        let t = EvidenceTable::default();
        assert_eq!(EvidenceTable::new(t.rows.clone()), Ok(t));
    }

    #[test]
    fn partial_credit_is_at_most_half_and_only_for_a_missing_named_therapy() {
        let t = EvidenceTable::default();
        let ocd = t.rows_for(Condition::ObsessiveCompulsive, 30, Episode::Any)[0];
        let (cbt, erp) = (Approach::Cbt.bit(), Approach::Erp.bit());
        // Staff not listed: no judgement of training.
        let credit = |hits, trained| ocd.best(hits, trained).map(|e| e.credit);
        assert_eq!(credit((erp, 0), u64::MAX), Some(1.0));
        assert_eq!(credit((cbt, 0), u64::MAX), Some(PARTIAL_CREDIT));
        assert_eq!(credit((cbt | erp, 0), u64::MAX), Some(1.0));
        assert_eq!(credit((0, 0), u64::MAX), None);
        assert!(ocd.read((cbt | erp, 0)).partial.is_empty());
        assert_eq!(ocd.read((cbt, 0)).partial.len(), 1);
    }

    #[test]
    fn two_substitutes_for_one_therapy_earn_its_partial_credit_once() {
        let (cbt, act, erp) = (Approach::Cbt, Approach::Act, Approach::Erp);
        let mut row =
            EvidenceTable::default().rows_for(Condition::ObsessiveCompulsive, 30, Episode::Any)[0]
                .clone();
        row.partial.push(PartialCredit {
            therapy: Therapy::Approach(act),
            instead_of: Therapy::Approach(erp),
        });
        assert!(EvidenceTable::new(vec![row.clone()]).is_ok());
        let credit = |hits| row.best(hits, u64::MAX).map(|e| e.credit);
        assert_eq!(credit((cbt.bit() | act.bit(), 0)), Some(PARTIAL_CREDIT));
        assert_eq!(credit((act.bit(), 0)), Some(PARTIAL_CREDIT));
        assert_eq!(row.read((cbt.bit() | act.bit(), 0)).partial.len(), 1);
    }

    #[test]
    fn the_best_therapy_offered_earns_the_row_and_trained_staff_earn_it_in_full() {
        let ptsd = EvidenceTable::default().rows_for(Condition::Ptsd, 30, Episode::Any)[0].clone();
        let (cpt, pe, emdr) = (
            Approach::Cpt.bit(),
            Approach::Pe.bit(),
            Approach::Emdr.bit(),
        );
        // Staff listed, none trained in CPT: offered, but not in full.
        let e = ptsd.best((cpt, 0), 0).expect("CPT is offered");
        assert_eq!((e.credit, e.trained), (UNTRAINED_CREDIT, Some(false)));
        // A trained clinician: full credit.
        let e = ptsd.best((cpt, 0), cpt).expect("CPT is offered");
        assert_eq!((e.credit, e.trained), (1.0, Some(true)));
        // Of two offered, the one with trained staff, though listed later.
        let e = ptsd.best((cpt | pe, 0), pe).expect("offered");
        assert_eq!(e.therapy, Therapy::Approach(Approach::Pe));
        // Among equals, the earliest listed.
        let e = ptsd.best((emdr | pe, 0), u64::MAX).expect("offered");
        assert_eq!(
            (e.therapy, e.trained),
            (Therapy::Approach(Approach::Pe), None)
        );
        assert_eq!(ptsd.breadth((cpt | pe, 0)), (2, 3));
    }

    #[test]
    fn a_therapy_no_certification_exists_for_is_never_judged_untrained() {
        // Behavioral activation has no certification in the vocabulary: a
        // program listing staff, none certified, still earns it in full.
        let depression =
            EvidenceTable::default().rows_for(Condition::Depressive, 30, Episode::Any)[0].clone();
        let ba = Approach::BehavioralActivation.bit();
        let e = depression.best((ba, 0), 0).expect("BA is offered");
        assert_eq!((e.credit, e.trained), (1.0, None));
        // A modality is never judged either.
        let t = Therapy::Modality(crate::therapy::Modality::Psychoeducation);
        assert_eq!(t.trained(0), None);
        // CPT is: with staff listed and none certified, not trained.
        assert_eq!(
            Therapy::Approach(Approach::Cpt).trained(Approach::Pe.bit()),
            Some(false)
        );
        assert_eq!(Therapy::Approach(Approach::Cpt).trained(u64::MAX), None);
        // The compile-time mask is the certifications' approaches.
        assert_eq!(
            crate::credential::CERTIFIABLE_APPROACHES,
            crate::credential::trained_approaches(u64::MAX)
        );
    }

    #[test]
    fn rows_differing_only_in_recommendation_are_two_rows() {
        let t = EvidenceTable::default();
        let adult = t.rows_for(Condition::Ptsd, 30, Episode::Any);
        let first: Vec<Recommendation> = adult
            .iter()
            .filter(|r| r.strength == Strength::FirstLine)
            .map(|r| r.recommendation)
            .collect();
        assert_eq!(first, [Recommendation::Strong, Recommendation::Conditional]);
        let mut twice = adult[1].clone();
        twice.recommendation = Recommendation::Strong;
        assert!(EvidenceTable::new(vec![adult[0].clone(), twice]).is_err());
    }
}
