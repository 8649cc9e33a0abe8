//! The evidence table: which therapies suit which condition, with sources.
//!
//! Data, not code: [`EvidenceTable::default`] is documented row by row and a
//! caller can replace it (serde, or [`EvidenceTable::new`]).

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

/// One row: the therapies that suit a condition, and whether a prescriber is needed.
///
/// # Example
///
/// ```
/// use carematch::{Condition, matching::EvidenceTable};
/// let table = EvidenceTable::default();
/// let row = table.row(Condition::Bipolar).unwrap();
/// assert!(row.needs_prescriber);
/// assert!(row.source.contains("CANMAT"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct EvidenceRow {
    /// The condition.
    pub condition: Condition,
    /// The therapies recommended for it, most central first.
    pub therapies: Vec<Therapy>,
    /// Whether care for it usually needs a prescriber (psychiatrist or PMHNP).
    pub needs_prescriber: bool,
    /// A guideline, or common practice.
    pub basis: EvidenceBasis,
    /// The source, in our own words.
    pub source: String,
}

/// Condition to evidence-based therapies, as data.
///
/// Lookups fall back to the broader family: alcohol use finds the alcohol
/// row; a condition without its own row, such as cannabis use, finds the
/// substance-use row.
///
/// # Example
///
/// ```
/// use carematch::{Approach, Condition, matching::{EvidenceTable, Therapy}};
///
/// let table = EvidenceTable::default();
/// let ptsd = table.row(Condition::Ptsd).unwrap();
/// assert!(ptsd.therapies.contains(&Therapy::Approach(Approach::Cpt)));
/// let cannabis = table.row(Condition::CannabisUse).unwrap();
/// assert_eq!(cannabis.condition, Condition::SubstanceUse);
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
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) when two rows name the same condition, a row names no
    /// therapy or repeats one, or a source is empty.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Approach, Condition, matching::{EvidenceBasis, EvidenceRow, EvidenceTable, Therapy}};
    /// let row = EvidenceRow {
    ///     condition: Condition::Anxiety,
    ///     therapies: vec![Therapy::Approach(Approach::Act)],
    ///     needs_prescriber: false,
    ///     basis: EvidenceBasis::CommonPractice,
    ///     source: "local consensus".into(),
    /// };
    /// let table = EvidenceTable::new(vec![row.clone()])?;
    /// assert_eq!(table.rows().len(), 1);
    /// assert!(EvidenceTable::new(vec![row.clone(), row]).is_err());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn new(rows: Vec<EvidenceRow>) -> Result<EvidenceTable, Error> {
        for (i, row) in rows.iter().enumerate() {
            if rows[..i].iter().any(|r| r.condition == row.condition) {
                return Err(Error::config(
                    "evidence table",
                    format!("rows[{i}]: a second row for {}", row.condition.key()),
                ));
            }
            if row.therapies.is_empty() {
                return Err(Error::config(
                    "evidence table",
                    format!("rows[{i}]: names no therapy"),
                ));
            }
            for (j, t) in row.therapies.iter().enumerate() {
                if row.therapies[..j].contains(t) {
                    return Err(Error::config(
                        "evidence table",
                        format!("rows[{i}].therapies[{j}]: {} is listed twice", t.key()),
                    ));
                }
            }
            if row.source.trim().is_empty() {
                return Err(Error::config(
                    "evidence table",
                    format!("rows[{i}].source: is empty"),
                ));
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

    /// The row for `condition`, or for its broader family.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Condition, matching::EvidenceTable};
    /// assert!(EvidenceTable::default().row(Condition::Other).is_none());
    /// ```
    pub fn row(&self, condition: Condition) -> Option<&EvidenceRow> {
        self.rows
            .iter()
            .find(|r| r.condition == condition)
            .or_else(|| {
                let broader = condition.broader()?;
                self.rows.iter().find(|r| r.condition == broader)
            })
    }
}

fn row(
    condition: Condition,
    therapies: &[Therapy],
    needs_prescriber: bool,
    basis: EvidenceBasis,
    source: &str,
) -> EvidenceRow {
    EvidenceRow {
        condition,
        therapies: therapies.to_vec(),
        needs_prescriber,
        basis,
        source: source.to_owned(),
    }
}

impl Default for EvidenceTable {
    /// The default table. Each row's source, in our own words:
    ///
    /// - **PTSD**: CPT, PE, trauma-focused CBT and EMDR. The 2017 VA/DoD and
    ///   APA PTSD guidelines both strongly recommend PE, CPT and trauma-focused
    ///   CBT (reviewed in Watkins, Sprang and Rothbaum 2018, PMC6224348); the
    ///   2023 VA/DoD guideline recommends PE, CPT or EMDR. (APA here is the
    ///   American Psychological Association.)
    /// - **Borderline personality disorder**: DBT. American Psychiatric
    ///   Association practice guideline for borderline personality disorder,
    ///   2nd edition: a structured
    ///   psychotherapy such as DBT or mentalization-based treatment.
    /// - **Depression**: CBT, IPT, behavioral activation. American Psychological
    ///   Association clinical practice guideline for the treatment of depression
    ///   across three age cohorts (2019) and NICE NG222 (2022).
    /// - **Anxiety**: CBT. NICE CG113 (2011) for generalised anxiety and panic.
    /// - **Bipolar disorder**: psychoeducation, medication management,
    ///   family-focused therapy, IPSRT. CANMAT/ISBD bipolar guidelines (2018)
    ///   and NICE CG185 (2014).
    /// - **Substance use (any)**: motivational interviewing, CBT, contingency
    ///   management. SAMHSA TIP 35 (motivational approaches) and TIP 33
    ///   (stimulant use, contingency management).
    /// - **Opioid use**: as substance use plus MOUD. SAMHSA TIP 63.
    /// - **Alcohol use**: as substance use plus MAUD. American Psychiatric
    ///   Association practice guideline for the pharmacological treatment of
    ///   patients with alcohol use disorder (2018).
    /// - **Obsessive-compulsive disorder**: CBT (with exposure and response
    ///   prevention). NICE CG31 (2005).
    /// - **Eating disorders**: CBT (eating-disorder-focused). NICE NG69 (2017).
    /// - **Psychotic disorders**: CBT for psychosis, family intervention,
    ///   medication management. NICE CG178 (2014).
    /// - **ADHD (adults)**: medication management, CBT. NICE NG87 (2018).
    /// - **Other trauma- and stressor-related disorders**: CBT. Common practice;
    ///   no guideline found.
    fn default() -> EvidenceTable {
        use Approach as A;
        use EvidenceBasis::{CommonPractice, Guideline};
        use Modality as M;
        use Therapy::{Approach as Ap, Modality as Mo};
        let sud = [
            Ap(A::MotivationalInterviewing),
            Ap(A::Cbt),
            Ap(A::ContingencyManagement),
        ];
        let rows = vec![
            row(
                Condition::Ptsd,
                &[Ap(A::Cpt), Ap(A::Pe), Ap(A::TfCbt), Ap(A::Emdr)],
                false,
                Guideline,
                "VA/DoD and American Psychological Association PTSD guidelines (2017) strongly recommend PE, CPT and trauma-focused CBT; VA/DoD 2023 recommends PE, CPT or EMDR",
            ),
            row(
                Condition::BorderlinePersonality,
                &[Ap(A::Dbt)],
                false,
                Guideline,
                "American Psychiatric Association practice guideline for borderline personality disorder, 2nd edition: a structured psychotherapy such as DBT",
            ),
            row(
                Condition::Depressive,
                &[Ap(A::Cbt), Ap(A::Ipt), Ap(A::BehavioralActivation)],
                false,
                Guideline,
                "American Psychological Association clinical practice guideline for depression (2019); NICE NG222 (2022)",
            ),
            row(
                Condition::Anxiety,
                &[Ap(A::Cbt)],
                false,
                Guideline,
                "NICE CG113 (2011): CBT for generalised anxiety and panic disorder",
            ),
            row(
                Condition::Bipolar,
                &[
                    Mo(M::Psychoeducation),
                    Mo(M::MedicationManagement),
                    Ap(A::FamilyFocused),
                    Ap(A::Ipsrt),
                ],
                true,
                Guideline,
                "CANMAT/ISBD bipolar guidelines (2018): psychoeducation, family-focused therapy and IPSRT beside medication; NICE CG185 (2014)",
            ),
            row(
                Condition::SubstanceUse,
                &sud,
                false,
                Guideline,
                "SAMHSA TIP 35 (motivational interviewing) and TIP 33 (contingency management); CBT per NIDA's principles of treatment",
            ),
            row(
                Condition::OpioidUse,
                &[sud[0], sud[1], sud[2], Ap(A::Moud)],
                true,
                Guideline,
                "SAMHSA TIP 63: medications for opioid use disorder, with psychosocial care as in TIP 35",
            ),
            row(
                Condition::AlcoholUse,
                &[sud[0], sud[1], sud[2], Ap(A::Maud)],
                true,
                Guideline,
                "American Psychiatric Association practice guideline for the pharmacological treatment of alcohol use disorder (2018), with psychosocial care as in TIP 35",
            ),
            row(
                Condition::ObsessiveCompulsive,
                &[Ap(A::Cbt)],
                false,
                Guideline,
                "NICE CG31 (2005): CBT with exposure and response prevention",
            ),
            row(
                Condition::Eating,
                &[Ap(A::Cbt)],
                false,
                Guideline,
                "NICE NG69 (2017): eating-disorder-focused CBT",
            ),
            row(
                Condition::Psychotic,
                &[Ap(A::Cbt), Mo(M::Family), Mo(M::MedicationManagement)],
                true,
                Guideline,
                "NICE CG178 (2014): CBT for psychosis and family intervention beside medication",
            ),
            row(
                Condition::Adhd,
                &[Mo(M::MedicationManagement), Ap(A::Cbt)],
                true,
                Guideline,
                "NICE NG87 (2018): medication, with CBT as an option for adults",
            ),
            row(
                Condition::TraumaRelated,
                &[Ap(A::Cbt)],
                false,
                CommonPractice,
                "common practice for adjustment and stress-related disorders; no guideline found",
            ),
        ];
        EvidenceTable { rows }
    }
}
