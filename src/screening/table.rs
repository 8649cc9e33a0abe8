//! The default screening table: each instrument's published bands and the
//! suggestions carematch draws from them, numbers and sources only.

use crate::diagnosis::Condition;
use crate::level::{Dimension, Rating, Suggested, WithdrawalRisk};
use crate::screening::{
    CssrsItem, CssrsRule, Instrument, InstrumentRules, ScoreBand, ScreeningTable, Sex,
    SuggestionRule,
};

/// PHQ-9: Kroenke, Spitzer and Williams, "The PHQ-9: validity of a brief
/// depression severity measure", J Gen Intern Med 2001;16(9):606-613. Nine
/// items scored 0-3, total 0-27; the paper's severity cut points are 5, 10,
/// 15 and 20 (minimal, mild, moderate, moderately severe, severe), and 10 or
/// more is its usual threshold for a depressive disorder worth confirming.
pub(crate) const SOURCE_PHQ9: &str = "Kroenke, Spitzer & Williams, J Gen Intern Med 2001;16:606-613 (PHQ-9 severity cut points 5, 10, 15, 20)";

/// PHQ-9 item 9 (thoughts of death or self-harm), scored 0-3: any answer
/// above 0 calls for a suicide risk assessment (Kroenke 2001; Simon et al.,
/// "Does response on the PHQ-9 depression questionnaire predict subsequent
/// suicide attempt or suicide death?", Psychiatric Services 2013;64:1195-1202,
/// found risk rising with each step of the item). The rating suggested is
/// carematch's own default, not the paper's.
pub(crate) const SOURCE_PHQ9_ITEM9: &str = "PHQ-9 item 9 above 0 calls for a suicide risk assessment (Kroenke et al. 2001; Simon et al., Psychiatr Serv 2013;64:1195-1202); the risk-of-harm rating is carematch's default, for a clinician to confirm";

/// GAD-7: Spitzer, Kroenke, Williams and Löwe, "A brief measure for assessing
/// generalized anxiety disorder: the GAD-7", Arch Intern Med
/// 2006;166(10):1092-1097. Seven items scored 0-3, total 0-21; cut points 5,
/// 10 and 15 (minimal, mild, moderate, severe), and 10 or more as the
/// threshold for further evaluation.
pub(crate) const SOURCE_GAD7: &str = "Spitzer, Kroenke, Williams & Löwe, Arch Intern Med 2006;166:1092-1097 (GAD-7 cut points 5, 10, 15)";

/// PCL-5: Weathers et al., the PTSD Checklist for DSM-5 (National Center
/// for PTSD, 2013); twenty items scored 0-4, total 0-80. The National Center
/// for PTSD's scoring page gives 31-33 as a provisional cut-off; Bovin et
/// al., Psychological Assessment 2016;28(11):1379-1391, found 31-33 optimal
/// in veterans. carematch uses 33, the top of that range.
pub(crate) const SOURCE_PCL5: &str = "Weathers et al., PCL-5 (National Center for PTSD, 2013); provisional cut-off 31-33 (Bovin et al., Psychol Assess 2016;28:1379-1391), 33 used";

/// AUDIT-C: Bush et al., "The AUDIT alcohol consumption questions
/// (AUDIT-C)", Arch Intern Med 1998;158(16):1789-1795 (three items, total
/// 0-12, 4 or more positive in men); Bradley et al., "AUDIT-C as a brief
/// screen for alcohol misuse in primary care", Alcohol Clin Exp Res
/// 2007;31(7):1208-1217 (3 or more positive in women).
pub(crate) const SOURCE_AUDIT_C: &str = "Bush et al., Arch Intern Med 1998;158:1789-1795 (AUDIT-C, 4 or more positive in men); Bradley et al., Alcohol Clin Exp Res 2007;31:1208-1217 (3 or more positive in women)";

/// C-SSRS screener: Posner et al., "The Columbia-Suicide Severity Rating
/// Scale", Am J Psychiatry 2011;168(12):1266-1277, and the Columbia
/// Lighthouse Project's screener with triage points: a yes to question 1 or
/// 2 is low risk, to question 3 or to question 6 for behavior more than three
/// months ago moderate risk, to question 4, 5 or 6 within three months high
/// risk. The ratings suggested are carematch's own mapping of those triage
/// levels to a risk-of-harm rating, for a clinician to confirm.
pub(crate) const SOURCE_CSSRS: &str = "Posner et al., Am J Psychiatry 2011;168:1266-1277; Columbia Lighthouse Project screener triage (questions 1-2 low, 3 or 6 over three months ago moderate, 4, 5 or 6 within three months high); the rating is carematch's mapping, for a clinician to confirm";

/// CIWA-Ar: Sullivan et al., "Assessment of alcohol withdrawal: the revised
/// Clinical Institute Withdrawal Assessment for Alcohol scale (CIWA-Ar)", Br
/// J Addict 1989;84(11):1353-1357; ten items, total 0-67. The bands (under
/// 10 absent or minimal, 10-15 mild, 16-20 moderate, over 20 severe) are
/// those common in hospital withdrawal protocols that cite it; a site with
/// its own protocol loads its own table.
pub(crate) const SOURCE_CIWA: &str = "Sullivan et al., Br J Addict 1989;84:1353-1357 (CIWA-Ar, 0-67); bands under 10, 10-15, 16-20, over 20 as hospital protocols use them";

/// COWS: Wesson and Ling, "The Clinical Opiate Withdrawal Scale (COWS)", J
/// Psychoactive Drugs 2003;35(2):253-259; eleven items, total 0-48; bands
/// 5-12 mild, 13-24 moderate, 25-36 moderately severe, over 36 severe.
pub(crate) const SOURCE_COWS: &str =
    "Wesson & Ling, J Psychoactive Drugs 2003;35:253-259 (COWS bands 5-12, 13-24, 25-36, over 36)";

/// The suggestions drawn from a band are carematch's own defaults.
const SOURCE_OWN: &str = "carematch's default reading of the band, for a clinician to confirm";

fn band(min: u16, max: u16, key: &str, label: &str) -> ScoreBand {
    ScoreBand {
        min,
        max,
        key: key.to_owned(),
        label: label.to_owned(),
    }
}

fn rule(min_total: u16, suggests: Suggested) -> SuggestionRule {
    SuggestionRule {
        min_total,
        sex: None,
        suggests,
        source: SOURCE_OWN.to_owned(),
    }
}

fn rating(n: u8) -> Rating {
    Rating::ALL[usize::from(n.clamp(1, 5)) - 1]
}

fn confirm(condition: Condition) -> Suggested {
    Suggested::ConfirmCondition { condition }
}

fn withdrawal(risk: WithdrawalRisk) -> Suggested {
    Suggested::WithdrawalRisk { risk }
}

fn risk_of_harm(n: u8) -> Suggested {
    Suggested::Rating {
        dimension: Dimension::RiskOfHarm,
        rating: rating(n),
    }
}

pub(crate) fn default_table() -> ScreeningTable {
    let phq9 = InstrumentRules {
        instrument: Instrument::Phq9,
        max_total: 27,
        bands: vec![
            band(0, 4, "minimal", "minimal depression"),
            band(5, 9, "mild", "mild depression"),
            band(10, 14, "moderate", "moderate depression"),
            band(15, 19, "moderately_severe", "moderately severe depression"),
            band(20, 27, "severe", "severe depression"),
        ],
        female_bands: Vec::new(),
        source: SOURCE_PHQ9.to_owned(),
        suggestions: vec![SuggestionRule {
            source: SOURCE_PHQ9.to_owned(),
            ..rule(10, confirm(Condition::Depressive))
        }],
    };
    let gad7 = InstrumentRules {
        instrument: Instrument::Gad7,
        max_total: 21,
        bands: vec![
            band(0, 4, "minimal", "minimal anxiety"),
            band(5, 9, "mild", "mild anxiety"),
            band(10, 14, "moderate", "moderate anxiety"),
            band(15, 21, "severe", "severe anxiety"),
        ],
        female_bands: Vec::new(),
        source: SOURCE_GAD7.to_owned(),
        suggestions: vec![SuggestionRule {
            source: SOURCE_GAD7.to_owned(),
            ..rule(10, confirm(Condition::Anxiety))
        }],
    };
    let pcl5 = InstrumentRules {
        instrument: Instrument::Pcl5,
        max_total: 80,
        bands: vec![
            band(0, 32, "below_cutoff", "below the provisional PTSD cut-off"),
            band(
                33,
                80,
                "probable_ptsd",
                "at or above the provisional PTSD cut-off",
            ),
        ],
        female_bands: Vec::new(),
        source: SOURCE_PCL5.to_owned(),
        suggestions: vec![SuggestionRule {
            source: SOURCE_PCL5.to_owned(),
            ..rule(33, confirm(Condition::Ptsd))
        }],
    };
    let audit_c = InstrumentRules {
        instrument: Instrument::AuditC,
        max_total: 12,
        bands: vec![
            band(0, 3, "negative", "negative screen for alcohol misuse"),
            band(4, 12, "positive", "positive screen for alcohol misuse"),
        ],
        female_bands: vec![
            band(0, 2, "negative", "negative screen for alcohol misuse"),
            band(3, 12, "positive", "positive screen for alcohol misuse"),
        ],
        source: SOURCE_AUDIT_C.to_owned(),
        suggestions: vec![
            SuggestionRule {
                sex: Some(Sex::Male),
                source: SOURCE_AUDIT_C.to_owned(),
                ..rule(4, confirm(Condition::AlcoholUse))
            },
            SuggestionRule {
                sex: Some(Sex::Female),
                source: SOURCE_AUDIT_C.to_owned(),
                ..rule(3, confirm(Condition::AlcoholUse))
            },
        ],
    };
    let ciwa = InstrumentRules {
        instrument: Instrument::CiwaAr,
        max_total: 67,
        bands: vec![
            band(0, 9, "minimal", "absent or minimal withdrawal"),
            band(10, 15, "mild", "mild withdrawal"),
            band(16, 20, "moderate", "moderate withdrawal"),
            band(21, 67, "severe", "severe withdrawal"),
        ],
        female_bands: Vec::new(),
        source: SOURCE_CIWA.to_owned(),
        suggestions: vec![
            rule(10, withdrawal(WithdrawalRisk::Mild)),
            rule(16, withdrawal(WithdrawalRisk::Moderate)),
            rule(21, withdrawal(WithdrawalRisk::Severe)),
        ],
    };
    let cows = InstrumentRules {
        instrument: Instrument::Cows,
        max_total: 48,
        bands: vec![
            band(0, 4, "none", "no active withdrawal"),
            band(5, 12, "mild", "mild withdrawal"),
            band(13, 24, "moderate", "moderate withdrawal"),
            band(25, 36, "moderately_severe", "moderately severe withdrawal"),
            band(37, 48, "severe", "severe withdrawal"),
        ],
        female_bands: Vec::new(),
        source: SOURCE_COWS.to_owned(),
        suggestions: vec![
            rule(5, withdrawal(WithdrawalRisk::Mild)),
            rule(13, withdrawal(WithdrawalRisk::Moderate)),
            rule(37, withdrawal(WithdrawalRisk::Severe)),
        ],
    };
    let item9 = vec![SuggestionRule {
        min_total: 1,
        sex: None,
        suggests: risk_of_harm(3),
        source: SOURCE_PHQ9_ITEM9.to_owned(),
    }];
    use CssrsItem::*;
    let c = |item, triage: &str, n| CssrsRule {
        item,
        triage: triage.to_owned(),
        suggests: risk_of_harm(n),
    };
    ScreeningTable {
        instruments: vec![phq9, gad7, pcl5, audit_c, ciwa, cows],
        phq9_item9: item9,
        cssrs: vec![
            c(WishToBeDead, "low risk", 2),
            c(SuicidalThoughts, "low risk", 3),
            c(ThoughtsWithMethod, "moderate risk", 4),
            c(BehaviorOverThreeMonthsAgo, "moderate risk", 4),
            c(Intent, "high risk", 5),
            c(PlanWithIntent, "high risk", 5),
            c(BehaviorWithinThreeMonths, "high risk", 5),
        ],
        cssrs_source: SOURCE_CSSRS.to_owned(),
    }
}
