//! Standard screening instruments as data: a total (or the answers) in, the
//! instrument's published severity band and its source out, with the facts
//! it suggests for carematch.
//!
//! | instrument | input | bands (default table) | suggests |
//! | --- | --- | --- | --- |
//! | PHQ-9 | total 0-27, item 9 (0-3) | 0-4, 5-9, 10-14, 15-19, 20-27 | depressive disorder to confirm at 10+; risk of harm 3 when item 9 is above 0 |
//! | GAD-7 | total 0-21 | 0-4, 5-9, 10-14, 15-21 | anxiety disorder to confirm at 10+ |
//! | PCL-5 | total 0-80 | 0-32, 33-80 | PTSD to confirm at 33+ |
//! | AUDIT-C | total 0-12, sex | men 0-3, 4-12; women 0-2, 3-12 | alcohol use disorder to confirm when positive |
//! | C-SSRS screener | the questions answered yes | negative, low, moderate, high risk | risk of harm 2 to 5 by the highest answer |
//! | CIWA-Ar | total 0-67 | 0-9, 10-15, 16-20, 21-67 | withdrawal risk mild, moderate, severe |
//! | COWS | total 0-48 | 0-4, 5-12, 13-24, 25-36, 37-48 | withdrawal risk mild, moderate (13-36), severe |
//!
//! Sources are in [`ScreeningTable::default`]'s rows and in each result.
//! Only numbers, thresholds and band names are stored: no item wording of
//! any instrument (some are copyrighted).
//!
//! Suggestions are never applied silently. A [`ScreeningResult`] carries
//! them; [`LevelRecommendation::with_suggestions`](crate::level::LevelRecommendation::with_suggestions)
//! shows them beside a recommendation, for the clinician to accept or
//! change; [`suggested_assessment`] builds an assessment from them only when
//! a caller asks, and says so.
//!
//! # Example
//!
//! ```
//! use carematch::screening::{Score, ScreeningTable};
//! use carematch::level::Suggested;
//! let table = ScreeningTable::default();
//! let r = table.evaluate(&Score::Phq9 { total: 12, item9: Some(1) })?;
//! assert_eq!(r.band, "moderate");
//! assert!(r.source.contains("Kroenke"));
//! assert!(r.suggestions.iter().any(|s| matches!(s.suggests, Suggested::Rating { .. })));
//! # Ok::<(), carematch::Error>(())
//! ```

mod table;

use std::fmt;

use crate::error::{Error, ValidationReport};
use crate::level::{Assessment, Rating, Ratings, Suggested, Suggestion};
use crate::terms::terms;

terms! {
    /// A screening instrument carematch reads.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::screening::Instrument;
    /// assert_eq!(Instrument::Phq9.to_string(), "PHQ-9");
    /// assert_eq!("audit_c".parse::<Instrument>()?, Instrument::AuditC);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub enum Instrument: "screening instrument" {
        /// Patient Health Questionnaire, nine items (depression).
        Phq9 = "phq9", "PHQ-9";
        /// Generalized Anxiety Disorder scale, seven items.
        Gad7 = "gad7", "GAD-7";
        /// PTSD Checklist for DSM-5.
        Pcl5 = "pcl5", "PCL-5";
        /// The consumption questions of the Alcohol Use Disorders Identification Test.
        AuditC = "audit_c", "AUDIT-C";
        /// The screener version of the Columbia-Suicide Severity Rating Scale.
        CssrsScreener = "cssrs_screener", "C-SSRS screener";
        /// Clinical Institute Withdrawal Assessment for Alcohol, revised.
        CiwaAr = "ciwa_ar", "CIWA-Ar";
        /// Clinical Opiate Withdrawal Scale.
        Cows = "cows", "COWS";
    }
}

terms! {
    /// The sex an instrument's sex-specific cut-offs are published for
    /// (AUDIT-C's).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!("female".parse::<carematch::screening::Sex>()?, carematch::screening::Sex::Female);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub enum Sex: "sex" {
        /// Female.
        Female = "female", "female";
        /// Male.
        Male = "male", "male";
    }
}

terms! {
    /// A question of the C-SSRS screener answered yes, by its number (the
    /// sixth, about suicidal behavior, by when). Only the question numbers
    /// and topics are stored, not their wording.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::screening::CssrsItem;
    /// assert_eq!(CssrsItem::Intent.to_string(), "question 4");
    /// ```
    pub enum CssrsItem: "C-SSRS screener question" {
        /// Question 1 (a wish to be dead).
        WishToBeDead = "wish_to_be_dead", "question 1";
        /// Question 2 (active suicidal thoughts).
        SuicidalThoughts = "suicidal_thoughts", "question 2";
        /// Question 3 (thoughts with a method).
        ThoughtsWithMethod = "thoughts_with_method", "question 3";
        /// Question 4 (intent).
        Intent = "intent", "question 4";
        /// Question 5 (a plan, with intent).
        PlanWithIntent = "plan_with_intent", "question 5";
        /// Question 6 (suicidal behavior), more than three months ago.
        BehaviorOverThreeMonthsAgo = "behavior_over_three_months_ago", "question 6, over three months ago";
        /// Question 6 (suicidal behavior), within the past three months.
        BehaviorWithinThreeMonths = "behavior_within_three_months", "question 6, within three months";
    }
}

/// One instrument's score, as entered or read from a record.
///
/// In JSON, `"instrument"` names it beside its fields:
/// `{"instrument": "phq9", "total": 12, "item9": 1}`,
/// `{"instrument": "audit_c", "total": 3, "sex": "female"}`,
/// `{"instrument": "cssrs_screener", "yes": ["wish_to_be_dead"]}`,
/// `{"instrument": "ciwa_ar", "total": 17}`.
///
/// # Example
///
/// ```
/// use carematch::screening::{Instrument, Score};
/// let s = Score::Cows { total: 14 };
/// assert_eq!(s.instrument(), Instrument::Cows);
/// assert_eq!(s.to_string(), "total 14");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "instrument", rename_all = "snake_case", deny_unknown_fields)
)]
#[non_exhaustive]
pub enum Score {
    /// PHQ-9: the total, and item 9 when known.
    #[cfg_attr(feature = "serde", serde(rename = "phq9"))]
    Phq9 {
        /// The total, 0-27.
        total: u16,
        /// Item 9's score, 0-3, when known.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        item9: Option<u8>,
    },
    /// GAD-7: the total, 0-21.
    #[cfg_attr(feature = "serde", serde(rename = "gad7"))]
    Gad7 {
        /// The total.
        total: u16,
    },
    /// PCL-5: the total, 0-80.
    #[cfg_attr(feature = "serde", serde(rename = "pcl5"))]
    Pcl5 {
        /// The total.
        total: u16,
    },
    /// AUDIT-C: the total, 0-12, and the sex its cut-off depends on.
    AuditC {
        /// The total.
        total: u16,
        /// The sex, when known; without it the lower (women's) cut-off is
        /// used, and the result says so.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        sex: Option<Sex>,
    },
    /// The C-SSRS screener: the questions answered yes (none: a negative screen).
    CssrsScreener {
        /// The questions answered yes.
        yes: Vec<CssrsItem>,
    },
    /// CIWA-Ar: the total, 0-67.
    CiwaAr {
        /// The total.
        total: u16,
    },
    /// COWS: the total, 0-48.
    Cows {
        /// The total.
        total: u16,
    },
}

impl Score {
    /// The instrument scored.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::screening::{Instrument, Score};
    /// assert_eq!(Score::Gad7 { total: 3 }.instrument(), Instrument::Gad7);
    /// ```
    pub fn instrument(&self) -> Instrument {
        match self {
            Score::Phq9 { .. } => Instrument::Phq9,
            Score::Gad7 { .. } => Instrument::Gad7,
            Score::Pcl5 { .. } => Instrument::Pcl5,
            Score::AuditC { .. } => Instrument::AuditC,
            Score::CssrsScreener { .. } => Instrument::CssrsScreener,
            Score::CiwaAr { .. } => Instrument::CiwaAr,
            Score::Cows { .. } => Instrument::Cows,
        }
    }

    /// The total, for the instruments that have one (all but the C-SSRS screener).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::screening::Score;
    /// assert_eq!(Score::Pcl5 { total: 40 }.total(), Some(40));
    /// assert_eq!(Score::CssrsScreener { yes: vec![] }.total(), None);
    /// ```
    pub fn total(&self) -> Option<u16> {
        match self {
            Score::Phq9 { total, .. }
            | Score::Gad7 { total }
            | Score::Pcl5 { total }
            | Score::AuditC { total, .. }
            | Score::CiwaAr { total }
            | Score::Cows { total } => Some(*total),
            Score::CssrsScreener { .. } => None,
        }
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Score::Phq9 {
                total,
                item9: Some(i),
            } => write!(f, "total {total}, item 9 scored {i}"),
            Score::AuditC {
                total,
                sex: Some(s),
            } => write!(f, "total {total} ({s})"),
            Score::CssrsScreener { yes } if yes.is_empty() => {
                f.write_str("no question answered yes")
            }
            Score::CssrsScreener { yes } => {
                f.write_str("yes to ")?;
                for (i, q) in yes.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{q}")?;
                }
                Ok(())
            }
            other => match other.total() {
                Some(t) => write!(f, "total {t}"),
                None => Ok(()),
            },
        }
    }
}

/// A published severity band: the totals it covers, a machine key and its
/// name (the band's published name, never an item's wording).
///
/// # Example
///
/// ```
/// use carematch::screening::ScoreBand;
/// let b = ScoreBand { min: 10, max: 14, key: "moderate".into(), label: "moderate depression".into() };
/// assert!(b.contains(14) && !b.contains(15));
/// assert_eq!(b.to_string(), "moderate depression (10-14)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ScoreBand {
    /// The lowest total in the band.
    pub min: u16,
    /// The highest total in the band.
    pub max: u16,
    /// The machine key (`moderate`, `positive`).
    pub key: String,
    /// The band's name for people.
    pub label: String,
}

impl ScoreBand {
    /// Whether `total` falls in the band.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::screening::ScoreBand;
    /// let b = ScoreBand { min: 0, max: 4, key: "minimal".into(), label: "minimal".into() };
    /// assert!(b.contains(0));
    /// ```
    pub fn contains(&self, total: u16) -> bool {
        (self.min..=self.max).contains(&total)
    }
}

impl fmt::Display for ScoreBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}-{})", self.label, self.min, self.max)
    }
}

/// A suggestion drawn from a total: at `min_total` or more (for `sex` only,
/// when set), the instrument suggests `suggests`. Of an instrument's rules
/// of one kind (a rating, a withdrawal risk, a condition), the highest
/// reached applies.
///
/// # Example
///
/// ```
/// use carematch::{Condition, screening::SuggestionRule, level::Suggested};
/// let r = SuggestionRule { min_total: 33, sex: None, suggests: Suggested::ConfirmCondition { condition: Condition::Ptsd }, source: "site".into() };
/// assert!(r.reached(33, None) && !r.reached(32, None));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct SuggestionRule {
    /// The least total that suggests it.
    pub min_total: u16,
    /// The sex the rule is for, when the cut-off is sex-specific. When the
    /// sex is not known, the rule with the lowest cut-off of its kind is used.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub sex: Option<Sex>,
    /// What it suggests.
    pub suggests: Suggested,
    /// Where the threshold comes from.
    pub source: String,
}

impl SuggestionRule {
    /// Whether `total` (for `sex`) reaches this rule.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Condition, screening::{Sex, SuggestionRule}, level::Suggested};
    /// let r = SuggestionRule { min_total: 4, sex: Some(Sex::Male), suggests: Suggested::ConfirmCondition { condition: Condition::AlcoholUse }, source: "s".into() };
    /// assert!(r.reached(4, Some(Sex::Male)));
    /// assert!(!r.reached(4, Some(Sex::Female)));
    /// ```
    pub fn reached(&self, total: u16, sex: Option<Sex>) -> bool {
        total >= self.min_total && (self.sex.is_none() || sex.is_none() || self.sex == sex)
    }
}

/// One instrument's table: its highest total, its bands (and women's bands,
/// for sex-specific cut-offs), the suggestions its total draws, its source.
///
/// # Example
///
/// ```
/// use carematch::screening::{Instrument, ScreeningTable};
/// let t = ScreeningTable::default();
/// let phq9 = t.rules(Instrument::Phq9).unwrap();
/// assert_eq!(phq9.max_total, 27);
/// assert_eq!(phq9.bands.len(), 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct InstrumentRules {
    /// The instrument.
    pub instrument: Instrument,
    /// The highest total.
    pub max_total: u16,
    /// The bands, covering 0 to `max_total` in order (for men, when
    /// `female_bands` is given).
    pub bands: Vec<ScoreBand>,
    /// Women's bands, when the cut-offs are sex-specific (empty otherwise).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub female_bands: Vec<ScoreBand>,
    /// Where the bands come from.
    pub source: String,
    /// The suggestions the total draws.
    #[cfg_attr(feature = "serde", serde(default))]
    pub suggestions: Vec<SuggestionRule>,
}

/// A C-SSRS screener row: a yes to `item` means `triage` (the screener's
/// triage level) and suggests `suggests`. The highest suggestion among the
/// answers applies.
///
/// # Example
///
/// ```
/// use carematch::screening::{CssrsItem, ScreeningTable};
/// let t = ScreeningTable::default();
/// let row = t.cssrs.iter().find(|r| r.item == CssrsItem::Intent).unwrap();
/// assert_eq!(row.triage, "high risk");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct CssrsRule {
    /// The question answered yes.
    pub item: CssrsItem,
    /// The screener's triage level for it (`low risk`, `moderate risk`, `high risk`).
    pub triage: String,
    /// What it suggests.
    pub suggests: Suggested,
}

/// The screening table: every instrument's bands and suggestions, as data
/// with sources. A site with its own protocol (another CIWA-Ar banding, a
/// licensed instrument's table) loads its own, checked by
/// [`ScreeningTable::check`].
///
/// # Example
///
/// ```
/// use carematch::screening::{Score, ScreeningTable};
/// let t = ScreeningTable::default();
/// assert!(t.check().is_ok());
/// let r = t.evaluate(&Score::CiwaAr { total: 21 })?;
/// assert_eq!(r.band, "severe");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ScreeningTable {
    /// The instruments scored by a total.
    pub instruments: Vec<InstrumentRules>,
    /// What PHQ-9 item 9 suggests, by its score (0-3) as the "total".
    pub phq9_item9: Vec<SuggestionRule>,
    /// The C-SSRS screener's rows.
    pub cssrs: Vec<CssrsRule>,
    /// Where the C-SSRS rows come from.
    pub cssrs_source: String,
}

impl Default for ScreeningTable {
    /// The default table. Its sources, in our words:
    ///
    /// - PHQ-9: Kroenke, Spitzer and Williams, J Gen Intern Med 2001 (cut
    ///   points 5, 10, 15, 20); item 9 above 0 calls for a suicide risk
    ///   assessment (Simon et al., Psychiatr Serv 2013); the risk-of-harm
    ///   rating 3 it suggests is carematch's default.
    /// - GAD-7: Spitzer et al., Arch Intern Med 2006 (cut points 5, 10, 15).
    /// - PCL-5: Weathers et al. 2013, National Center for PTSD; provisional
    ///   cut-off 31-33 (Bovin et al. 2016), 33 used.
    /// - AUDIT-C: Bush et al. 1998 (4 or more in men); Bradley et al. 2007
    ///   (3 or more in women).
    /// - C-SSRS screener: Posner et al. 2011 and the Columbia Lighthouse
    ///   Project's triage; the ratings (2 to 5) are carematch's mapping.
    /// - CIWA-Ar: Sullivan et al. 1989; bands as hospital protocols use them.
    /// - COWS: Wesson and Ling 2003.
    fn default() -> ScreeningTable {
        table::default_table()
    }
}

impl ScreeningTable {
    /// The table of one instrument scored by a total.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::screening::{Instrument, ScreeningTable};
    /// assert!(ScreeningTable::default().rules(Instrument::CssrsScreener).is_none());
    /// ```
    pub fn rules(&self, instrument: Instrument) -> Option<&InstrumentRules> {
        self.instruments.iter().find(|r| r.instrument == instrument)
    }

    /// Checks the table: every instrument once, bands covering 0 to the
    /// highest total without gap or overlap, thresholds within range, a
    /// source on every row.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid), every problem with its path.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::screening::ScreeningTable;
    /// let mut t = ScreeningTable::default();
    /// t.instruments[0].bands[1].min = 6;
    /// let e = t.check().unwrap_err();
    /// assert_eq!(e.problems()[0].path, "instruments[0].bands[1]");
    /// ```
    pub fn check(&self) -> Result<(), Error> {
        let mut r = ValidationReport::default();
        for (i, rules) in self.instruments.iter().enumerate() {
            let at = format!("instruments[{i}]");
            if rules.instrument == Instrument::CssrsScreener {
                r.error(
                    format!("{at}.instrument"),
                    "the C-SSRS screener has no total: its rows go in `cssrs`",
                );
            }
            if self.instruments[..i]
                .iter()
                .any(|o| o.instrument == rules.instrument)
            {
                r.error(
                    format!("{at}.instrument"),
                    format!("{} is listed twice", rules.instrument),
                );
            }
            if rules.source.trim().is_empty() {
                r.error(format!("{at}.source"), "is empty: cite the scoring");
            }
            check_bands(
                &mut r,
                &format!("{at}.bands"),
                &rules.bands,
                rules.max_total,
            );
            if !rules.female_bands.is_empty() {
                check_bands(
                    &mut r,
                    &format!("{at}.female_bands"),
                    &rules.female_bands,
                    rules.max_total,
                );
            }
            check_suggestions(
                &mut r,
                &format!("{at}.suggestions"),
                &rules.suggestions,
                rules.max_total,
            );
        }
        check_suggestions(&mut r, "phq9_item9", &self.phq9_item9, 3);
        for (i, row) in self.cssrs.iter().enumerate() {
            if row.triage.trim().is_empty() {
                r.error(format!("cssrs[{i}].triage"), "is empty");
            }
        }
        if !self.cssrs.is_empty() && self.cssrs_source.trim().is_empty() {
            r.error("cssrs_source", "is empty: cite the triage");
        }
        r.into_result().map(|_| ())
    }

    /// The band, source and suggestions of one score.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) for a total above
    /// the instrument's highest, a PHQ-9 item 9 above 3 or above the total,
    /// or an instrument the table has no row for.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::screening::{Score, ScreeningTable, Sex};
    /// let t = ScreeningTable::default();
    /// assert_eq!(t.evaluate(&Score::AuditC { total: 3, sex: Some(Sex::Female) })?.band, "positive");
    /// assert_eq!(t.evaluate(&Score::AuditC { total: 3, sex: Some(Sex::Male) })?.band, "negative");
    /// assert!(t.evaluate(&Score::Gad7 { total: 22 }).is_err());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn evaluate(&self, score: &Score) -> Result<ScreeningResult, Error> {
        let instrument = score.instrument();
        if let Score::CssrsScreener { yes } = score {
            return Ok(self.evaluate_cssrs(score, yes));
        }
        let mut r = ValidationReport::default();
        let Some(rules) = self.rules(instrument) else {
            r.error(
                "instrument",
                format!("the screening table has no row for {instrument}"),
            );
            return Err(Error::invalid(r));
        };
        let total = score.total().unwrap_or(0);
        if total > rules.max_total {
            r.error(
                "total",
                format!("is above the {instrument} maximum of {}", rules.max_total),
            );
        }
        if let Score::Phq9 { item9: Some(i), .. } = score {
            if *i > 3 {
                r.error("item9", "is above 3, the most one PHQ-9 item scores");
            } else if u16::from(*i) > total {
                r.error("item9", "is above the total it is part of");
            }
        }
        r.into_result()?;
        let sex = match score {
            Score::AuditC { sex, .. } => *sex,
            _ => None,
        };
        let female = !rules.female_bands.is_empty() && sex != Some(Sex::Male);
        let bands = if female {
            &rules.female_bands
        } else {
            &rules.bands
        };
        let note = (!rules.female_bands.is_empty() && sex.is_none()).then(|| {
            format!("sex not given: the women's cut-offs of {instrument} are used (the lower, so the more sensitive)")
        });
        let band = bands
            .iter()
            .find(|b| b.contains(total))
            .cloned()
            .unwrap_or_else(|| ScoreBand {
                min: total,
                max: total,
                key: "unbanded".to_owned(),
                label: "no band of the table holds this total".to_owned(),
            });
        let mut suggestions = Vec::new();
        let name = instrument.to_string();
        let rule_sex = if female { Some(Sex::Female) } else { sex };
        push_highest(
            &mut suggestions,
            &rules.suggestions,
            total,
            rule_sex,
            &name,
            &score.to_string(),
            &band.to_string(),
        );
        if let Score::Phq9 { item9: Some(i), .. } = score {
            push_highest(
                &mut suggestions,
                &self.phq9_item9,
                u16::from(*i),
                None,
                &name,
                &format!("item 9 scored {i}"),
                "item 9 (thoughts of death or self-harm) above 0",
            );
        }
        Ok(ScreeningResult {
            score: score.clone(),
            band: band.key.clone(),
            band_label: band.label.clone(),
            range: Some([band.min, band.max]),
            note,
            source: rules.source.clone(),
            suggestions,
        })
    }

    fn evaluate_cssrs(&self, score: &Score, yes: &[CssrsItem]) -> ScreeningResult {
        let top = self
            .cssrs
            .iter()
            .filter(|row| yes.contains(&row.item))
            .max_by(|a, b| a.suggests.cmp(&b.suggests));
        let (band, band_label) = match top {
            Some(row) => (row.triage.replace(' ', "_"), row.triage.clone()),
            None if yes.is_empty() => ("negative".to_owned(), "negative screen".to_owned()),
            None => (
                "unbanded".to_owned(),
                "no row of the table holds these answers".to_owned(),
            ),
        };
        let suggestions = top
            .map(|row| Suggestion {
                suggests: row.suggests,
                instrument: Instrument::CssrsScreener.to_string(),
                score: format!("yes to {}", row.item),
                because: row.triage.clone(),
                source: self.cssrs_source.clone(),
            })
            .into_iter()
            .collect();
        ScreeningResult {
            score: score.clone(),
            band,
            band_label,
            range: None,
            note: None,
            source: self.cssrs_source.clone(),
            suggestions,
        }
    }

    /// Evaluates every score, in order.
    ///
    /// # Errors
    ///
    /// The first score's error, its path prefixed with `scores[i]`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::screening::{Score, ScreeningTable};
    /// let rs = ScreeningTable::default().evaluate_all(&[Score::Gad7 { total: 4 }, Score::Cows { total: 30 }])?;
    /// assert_eq!(rs.len(), 2);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn evaluate_all(&self, scores: &[Score]) -> Result<Vec<ScreeningResult>, Error> {
        let mut out = Vec::with_capacity(scores.len());
        let mut r = ValidationReport::default();
        for (i, s) in scores.iter().enumerate() {
            match self.evaluate(s) {
                Ok(res) => out.push(res),
                Err(e) => {
                    for p in e.problems() {
                        r.error(format!("scores[{i}].{}", p.path), p.message.clone());
                    }
                }
            }
        }
        r.into_result()?;
        Ok(out)
    }
}

fn check_bands(r: &mut ValidationReport, at: &str, bands: &[ScoreBand], max_total: u16) {
    if bands.is_empty() {
        r.error(at, "no band");
        return;
    }
    let mut next = 0u16;
    for (i, b) in bands.iter().enumerate() {
        if b.min != next || b.max < b.min {
            r.error(
                format!("{at}[{i}]"),
                format!(
                    "covers {}-{}; the bands must run from 0 to {max_total} in order, without gap or overlap (this one should start at {next})",
                    b.min, b.max
                ),
            );
            return;
        }
        if b.key.trim().is_empty() || b.label.trim().is_empty() {
            r.error(format!("{at}[{i}]"), "needs a key and a label");
        }
        next = b.max.saturating_add(1);
    }
    if next != max_total.saturating_add(1) {
        r.error(
            at,
            format!(
                "the bands end at {}, not at {max_total}",
                next.saturating_sub(1)
            ),
        );
    }
}

fn check_suggestions(r: &mut ValidationReport, at: &str, rules: &[SuggestionRule], max: u16) {
    for (i, s) in rules.iter().enumerate() {
        if s.min_total > max {
            r.error(
                format!("{at}[{i}].min_total"),
                format!("is above the highest score, {max}: the rule could never apply"),
            );
        }
        if s.source.trim().is_empty() {
            r.error(format!("{at}[{i}].source"), "is empty: cite the threshold");
        }
    }
}

/// The kind of a suggestion, so only the highest of each kind is kept.
fn same_kind(a: &Suggested, b: &Suggested) -> bool {
    match (a, b) {
        (Suggested::Rating { dimension: x, .. }, Suggested::Rating { dimension: y, .. }) => x == y,
        (Suggested::WithdrawalRisk { .. }, Suggested::WithdrawalRisk { .. }) => true,
        (
            Suggested::ConfirmCondition { condition: x },
            Suggested::ConfirmCondition { condition: y },
        ) => x == y,
        _ => false,
    }
}

/// Pushes, for each kind, the highest rule `total` reaches.
fn push_highest(
    out: &mut Vec<Suggestion>,
    rules: &[SuggestionRule],
    total: u16,
    sex: Option<Sex>,
    instrument: &str,
    score: &str,
    because: &str,
) {
    for rule in rules.iter().filter(|r| r.reached(total, sex)) {
        let higher_of_kind = rules.iter().any(|o| {
            o.reached(total, sex)
                && same_kind(&o.suggests, &rule.suggests)
                && (o.suggests > rule.suggests
                    || (o.suggests == rule.suggests && o.min_total < rule.min_total))
        });
        let already = out.iter().any(|s| s.suggests == rule.suggests);
        if !higher_of_kind && !already {
            out.push(Suggestion {
                suggests: rule.suggests,
                instrument: instrument.to_owned(),
                score: score.to_owned(),
                because: because.to_owned(),
                source: rule.source.clone(),
            });
        }
    }
}

/// One score's result: its band (key and name), the band's range, a note
/// when something was assumed, the source, and the suggestions.
///
/// # Example
///
/// ```
/// use carematch::screening::{Score, ScreeningTable};
/// let r = ScreeningTable::default().evaluate(&Score::Pcl5 { total: 33 })?;
/// assert_eq!(r.range, Some([33, 80]));
/// assert_eq!(r.to_string(), "PCL-5 total 33: at or above the provisional PTSD cut-off (33-80)");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ScreeningResult {
    /// The score read.
    pub score: Score,
    /// The band's key (`moderate`; for the C-SSRS screener `negative`,
    /// `low_risk`, `moderate_risk` or `high_risk`).
    pub band: String,
    /// The band's name for people.
    pub band_label: String,
    /// The totals the band covers (none for the C-SSRS screener).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub range: Option<[u16; 2]>,
    /// What was assumed (AUDIT-C without a sex).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub note: Option<String>,
    /// Where the band comes from.
    pub source: String,
    /// What the score suggests (never applied by carematch).
    pub suggestions: Vec<Suggestion>,
}

impl ScreeningResult {
    /// The instrument.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::screening::{Instrument, Score, ScreeningTable};
    /// let r = ScreeningTable::default().evaluate(&Score::Cows { total: 0 })?;
    /// assert_eq!(r.instrument(), Instrument::Cows);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn instrument(&self) -> Instrument {
        self.score.instrument()
    }
}

impl fmt::Display for ScreeningResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.instrument(),
            self.score,
            self.band_label
        )?;
        if let Some([min, max]) = self.range {
            write!(f, " ({min}-{max})")?;
        }
        if let Some(n) = &self.note {
            write!(f, "; {n}")?;
        }
        Ok(())
    }
}

/// Every suggestion of `results`, in order, each once.
///
/// # Example
///
/// ```
/// use carematch::screening::{Score, ScreeningTable, suggestions};
/// let t = ScreeningTable::default();
/// let rs = t.evaluate_all(&[Score::Pcl5 { total: 50 }, Score::Gad7 { total: 2 }])?;
/// assert_eq!(suggestions(&rs).len(), 1);
/// # Ok::<(), carematch::Error>(())
/// ```
pub fn suggestions(results: &[ScreeningResult]) -> Vec<Suggestion> {
    let mut out: Vec<Suggestion> = Vec::new();
    for s in results.iter().flat_map(|r| &r.suggestions) {
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    out
}

/// An assessment built from the suggestions alone, when any suggests a
/// rating or a withdrawal risk: each suggested dimension at the highest
/// rating suggested for it, every other dimension at 1 (not rated, so the
/// least concern), the highest withdrawal risk suggested. So its
/// recommendation is the least the screens call for, not a full
/// assessment; callers must say so (the command line does).
///
/// `None` when no suggestion is about a rating or withdrawal.
///
/// # Example
///
/// ```
/// use carematch::{Dimension, LevelOfCare, LevelPolicy, screening::{Score, ScreeningTable, suggested_assessment, CssrsItem}};
/// let t = ScreeningTable::default();
/// let rs = t.evaluate_all(&[Score::CssrsScreener { yes: vec![CssrsItem::ThoughtsWithMethod] }])?;
/// let a = suggested_assessment(&rs, Some(40)).unwrap();
/// assert_eq!(a.ratings.rating(Dimension::RiskOfHarm).get(), 4);
/// assert_eq!(a.ratings.rating(Dimension::Support).get(), 1);
/// assert_eq!(LevelPolicy::default().recommend(&a).level(), LevelOfCare::Residential);
/// # Ok::<(), carematch::Error>(())
/// ```
pub fn suggested_assessment(results: &[ScreeningResult], age: Option<u8>) -> Option<Assessment> {
    let mut ratings = Ratings::uniform(Rating::MIN);
    let mut any = false;
    let mut withdrawal = None;
    for s in results.iter().flat_map(|r| &r.suggestions) {
        match s.suggests {
            Suggested::Rating { dimension, rating } => {
                any = true;
                if rating > ratings.rating(dimension) {
                    ratings.set(dimension, rating);
                }
            }
            Suggested::WithdrawalRisk { risk } => {
                any = true;
                withdrawal = withdrawal.max(Some(risk));
            }
            Suggested::ConfirmCondition { .. } => {}
        }
    }
    if !any {
        return None;
    }
    let mut a = Assessment::new(ratings);
    a.age = age;
    a.withdrawal_risk = withdrawal;
    Some(a)
}
