//! The standard vocabularies: canonical forms come from each type's keys and
//! labels; this file adds official abbreviations, synonyms and common
//! spellings, and the family-specific readings (ICD-10-CM codes, commercial
//! plans, ISO 639 codes).
//!
//! A label's parenthesised part is an official abbreviation, `/` separating
//! several ("psychiatric nurse practitioner (PMHNP/APRN)"), and the part before
//! it a canonical name. `SYNONYMS` entries may be matched by close spelling;
//! `ABBREVIATIONS` entries only exactly.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::credential::{Certification, FacilityCredential, License};
use crate::diagnosis::{Condition, IcdCode};
use crate::level::LevelOfCare;
use crate::patient::DeliveryPreference;
use crate::program::{
    Aftercare, Delivery, FamilyInvolvement, LANGUAGES, Language, MassHealthPlan, Payer, Population,
};
use crate::therapy::{Approach, Modality};
use crate::vocabulary::family::{Resolvable, TermFamily, sealed};
use crate::vocabulary::matcher::{Form, Vocabulary};
use crate::vocabulary::result::{MatchKind, Resolution, ResolveError};

/// Extra written forms for one closed vocabulary.
struct Table<T: 'static> {
    /// Official abbreviations not in the labels: canonical, exact only.
    official: &'static [(&'static str, T)],
    /// Synonyms, matched exactly or by close spelling.
    synonyms: &'static [(&'static str, T)],
    /// Abbreviations and codes, matched exactly only.
    abbreviations: &'static [(&'static str, T)],
}

fn form(written: &str, canonical: bool, abbreviation: bool) -> Form<'_> {
    Form {
        written: Cow::Borrowed(written),
        canonical,
        abbreviation,
    }
}

/// The canonical forms of a label: itself, the part before a parenthesis,
/// and each official abbreviation inside it.
fn label_forms(label: &str) -> Vec<Form<'_>> {
    let mut forms = vec![form(label, true, false)];
    if let Some((name, rest)) = label.split_once('(') {
        forms.push(form(name.trim(), true, false));
        for abbreviation in rest.trim_end_matches(')').split('/') {
            forms.push(form(abbreviation.trim(), true, true));
        }
    }
    forms
}

/// The table's forms for `value`.
fn table_forms<T: PartialEq>(table: &Table<T>, value: &T) -> Vec<Form<'static>> {
    let pick = |list: &'static [(&'static str, T)], canonical, abbreviation| {
        list.iter()
            .filter(move |(_, v)| v == value)
            .map(move |(w, _)| form(w, canonical, abbreviation))
    };
    pick(table.official, true, true)
        .chain(pick(table.synonyms, false, false))
        .chain(pick(table.abbreviations, false, true))
        .collect()
}

/// Builds the vocabulary of a `terms!` enum.
fn closed<T: Copy + PartialEq>(
    family: TermFamily,
    all: &[T],
    key: fn(T) -> &'static str,
    label: fn(T) -> String,
    table: &Table<T>,
) -> Vocabulary<T> {
    Vocabulary::build(
        family,
        all.iter()
            .map(|&v| {
                let mut forms = vec![form(key(v), true, false)];
                let shown = label(v);
                forms.extend(label_forms(&shown).into_iter().map(|f| Form {
                    written: Cow::Owned(f.written.into_owned()),
                    ..f
                }));
                forms.extend(table_forms(table, &v));
                (v, shown, forms)
            })
            .collect(),
    )
}

/// Implements `Resolvable` for a `terms!` enum with its table.
macro_rules! closed_vocabulary {
    ($t:ident, label: $label:expr, $table:expr $(, $extra:item)*) => {
        impl sealed::Sealed for $t {
            fn build() -> Vocabulary<$t> {
                closed(TermFamily::$t, $t::ALL, $t::key, $label, &$table)
            }

            fn json_key(&self) -> String {
                self.key().to_owned()
            }

            $($extra)*
        }

        impl Resolvable for $t {
            const FAMILY: TermFamily = TermFamily::$t;

            fn vocabulary() -> &'static Vocabulary<$t> {
                static VOCABULARY: OnceLock<Vocabulary<$t>> = OnceLock::new();
                VOCABULARY.get_or_init(<$t as sealed::Sealed>::build)
            }
        }
    };
    ($t:ident, $table:expr $(, $extra:item)*) => {
        closed_vocabulary!($t, label: |v| v.label().to_owned(), $table $(, $extra)*);
    };
}

use Condition as C;
closed_vocabulary!(
    Condition,
    Table {
        official: &[],
        synonyms: &[
            ("depression", C::Depressive),
            ("major depression", C::Depressive),
            ("major depressive disorder", C::Depressive),
            ("clinical depression", C::Depressive),
            ("unipolar depression", C::Depressive),
            ("dysthymia", C::Depressive),
            ("persistent depressive disorder", C::Depressive),
            ("depressive disorders", C::Depressive),
            ("anxiety disorders", C::Anxiety),
            ("generalized anxiety disorder", C::Anxiety),
            ("generalised anxiety disorder", C::Anxiety),
            ("panic disorder", C::Anxiety),
            ("social anxiety disorder", C::Anxiety),
            ("social anxiety", C::Anxiety),
            ("agoraphobia", C::Anxiety),
            ("post traumatic stress", C::Ptsd),
            ("post traumatic stress syndrome", C::Ptsd),
            ("complex ptsd", C::Ptsd),
            ("adjustment disorder", C::TraumaRelated),
            ("adjustment disorders", C::TraumaRelated),
            ("acute stress disorder", C::TraumaRelated),
            ("trauma and stressor related disorder", C::TraumaRelated),
            ("bipolar", C::Bipolar),
            ("bipolar i", C::Bipolar),
            ("bipolar ii", C::Bipolar),
            ("bipolar 1", C::Bipolar),
            ("bipolar 2", C::Bipolar),
            ("bipolar i disorder", C::Bipolar),
            ("bipolar ii disorder", C::Bipolar),
            ("bipolar affective disorder", C::Bipolar),
            ("manic depression", C::Bipolar),
            ("manic depressive illness", C::Bipolar),
            ("personality disorders", C::Personality),
            ("borderline", C::BorderlinePersonality),
            ("borderline personality", C::BorderlinePersonality),
            (
                "emotionally unstable personality disorder",
                C::BorderlinePersonality
            ),
            ("substance use", C::SubstanceUse),
            ("substance abuse", C::SubstanceUse),
            ("substance misuse", C::SubstanceUse),
            ("substance use disorders", C::SubstanceUse),
            ("addiction", C::SubstanceUse),
            ("addictions", C::SubstanceUse),
            ("chemical dependency", C::SubstanceUse),
            ("drug addiction", C::SubstanceUse),
            ("drug use disorder", C::SubstanceUse),
            ("alcohol use", C::AlcoholUse),
            ("alcohol abuse", C::AlcoholUse),
            ("alcohol dependence", C::AlcoholUse),
            ("alcohol addiction", C::AlcoholUse),
            ("alcoholism", C::AlcoholUse),
            ("opioid use", C::OpioidUse),
            ("opioid addiction", C::OpioidUse),
            ("opioid dependence", C::OpioidUse),
            ("opiate use disorder", C::OpioidUse),
            ("opiate addiction", C::OpioidUse),
            ("heroin use disorder", C::OpioidUse),
            ("heroin addiction", C::OpioidUse),
            ("cannabis use", C::CannabisUse),
            ("cannabis dependence", C::CannabisUse),
            ("marijuana use disorder", C::CannabisUse),
            ("marijuana addiction", C::CannabisUse),
            ("sedative use", C::SedativeUse),
            (
                "sedative hypnotic or anxiolytic use disorder",
                C::SedativeUse
            ),
            ("benzodiazepine use disorder", C::SedativeUse),
            ("benzodiazepine addiction", C::SedativeUse),
            ("cocaine use", C::CocaineUse),
            ("cocaine addiction", C::CocaineUse),
            ("cocaine dependence", C::CocaineUse),
            ("crack cocaine use", C::CocaineUse),
            ("stimulant use", C::StimulantUse),
            ("stimulant addiction", C::StimulantUse),
            ("methamphetamine use disorder", C::StimulantUse),
            ("amphetamine use disorder", C::StimulantUse),
            ("hallucinogen use", C::HallucinogenUse),
            ("nicotine dependence", C::NicotineUse),
            ("nicotine addiction", C::NicotineUse),
            ("tobacco use disorder", C::NicotineUse),
            ("tobacco dependence", C::NicotineUse),
            ("inhalant use", C::InhalantUse),
            ("polysubstance use", C::OtherSubstanceUse),
            ("polysubstance use disorder", C::OtherSubstanceUse),
            ("polysubstance dependence", C::OtherSubstanceUse),
            ("polysubstance abuse", C::OtherSubstanceUse),
            ("psychosis", C::Psychotic),
            ("psychotic disorders", C::Psychotic),
            ("schizophrenia", C::Psychotic),
            ("schizoaffective disorder", C::Psychotic),
            ("schizophrenia spectrum disorder", C::Psychotic),
            ("first episode psychosis", C::Psychotic),
            ("obsessive compulsive", C::ObsessiveCompulsive),
            ("cyclothymia", C::Bipolar),
            ("cyclothymic disorder", C::Bipolar),
            ("manic episode", C::Bipolar),
            ("disruptive mood dysregulation disorder", C::Depressive),
            ("eating disorders", C::Eating),
            ("anorexia", C::Eating),
            ("anorexia nervosa", C::Eating),
            ("bulimia", C::Eating),
            ("bulimia nervosa", C::Eating),
            ("binge eating disorder", C::Eating),
            ("attention deficit disorder", C::Adhd),
            ("attention deficit", C::Adhd),
        ],
        abbreviations: &[
            ("MDD", C::Depressive),
            ("GAD", C::Anxiety),
            ("CPTSD", C::Ptsd),
            ("BPAD", C::Bipolar),
            ("EUPD", C::BorderlinePersonality),
            ("SUD", C::SubstanceUse),
            ("AUD", C::AlcoholUse),
            ("OUD", C::OpioidUse),
            ("OCD", C::ObsessiveCompulsive),
            ("ARFID", C::Eating),
            ("ADD", C::Adhd),
            ("DMDD", C::Depressive),
        ],
    },
    /// An ICD-10-CM code ("F43.1", "f4310") reads as its condition; an
    /// abbreviation clinicians use for two conditions ("BPD": borderline
    /// personality disorder or bipolar disorder) is refused as ambiguous,
    /// naming both.
    fn special(
        vocabulary: &Vocabulary<Condition>,
        text: &str,
    ) -> Option<Result<Resolution<Condition>, ResolveError>> {
        let normalized = super::normalize::normalize(text);
        if let Some((_, meanings)) = AMBIGUOUS_CONDITIONS
            .iter()
            .find(|(w, _)| normalized.eq_ignore_ascii_case(w))
        {
            return Some(Err(ResolveError {
                family: TermFamily::Condition,
                input: text.to_owned(),
                suggestions: meanings.iter().map(|c| vocabulary.term(c).label).collect(),
                ambiguous: true,
            }));
        }
        let code: IcdCode = text.parse().ok()?;
        Some(Ok(Resolution {
            value: code.condition(),
            confidence: 1.0,
            how: MatchKind::Synonym,
        }))
    }
);

/// Abbreviations that name more than one condition in clinical use, refused
/// with every meaning suggested: "BPD" is written for borderline personality
/// disorder and for bipolar disorder, and reading it as either could send a
/// patient to the wrong program.
const AMBIGUOUS_CONDITIONS: &[(&str, &[Condition])] = &[(
    "bpd",
    &[Condition::BorderlinePersonality, Condition::Bipolar],
)];

use Modality as M;
closed_vocabulary!(
    Modality,
    Table {
        official: &[],
        synonyms: &[
            ("individual counseling", M::Individual),
            ("individual psychotherapy", M::Individual),
            ("individual sessions", M::Individual),
            ("one on one therapy", M::Individual),
            ("1:1 therapy", M::Individual),
            ("groups", M::Group),
            ("group counseling", M::Group),
            ("group psychotherapy", M::Group),
            ("group sessions", M::Group),
            ("family counseling", M::Family),
            ("family psychotherapy", M::Family),
            ("family sessions", M::Family),
            ("psycho education", M::Psychoeducation),
            ("psychoeducational groups", M::Psychoeducation),
            ("psychoeducational", M::Psychoeducation),
            ("psychoed", M::Psychoeducation),
            ("med management", M::MedicationManagement),
            ("med mgmt", M::MedicationManagement),
            ("medication monitoring", M::MedicationManagement),
            ("psychiatric medication management", M::MedicationManagement),
            ("psychopharmacology", M::MedicationManagement),
            ("peer support services", M::PeerSupport),
            ("peer mentoring", M::PeerSupport),
            ("peer counseling", M::PeerSupport),
            ("care coordination", M::CaseManagement),
            ("care management", M::CaseManagement),
            ("case management services", M::CaseManagement),
        ],
        abbreviations: &[],
    }
);

use Approach as A;
closed_vocabulary!(
    Approach,
    Table {
        official: &[],
        synonyms: &[
            ("cognitive behavior therapy", A::Cbt),
            ("cognitive therapy", A::Cbt),
            ("cbt therapy", A::Cbt),
            ("dialectical behavioral therapy", A::Dbt),
            ("dbt therapy", A::Dbt),
            ("dbt skills", A::Dbt),
            ("cognitive processing", A::Cpt),
            ("cpt therapy", A::Cpt),
            ("prolonged exposure therapy", A::Pe),
            ("pe therapy", A::Pe),
            ("eye movement desensitization", A::Emdr),
            ("emdr therapy", A::Emdr),
            ("trauma focused cognitive behavioral therapy", A::TfCbt),
            ("interpersonal therapy", A::Ipt),
            ("ipt therapy", A::Ipt),
            ("acceptance commitment therapy", A::Act),
            ("act therapy", A::Act),
            ("acceptance and commitment", A::Act),
            (
                "assertive community treatment",
                A::AssertiveCommunityTreatment
            ),
            ("act team", A::AssertiveCommunityTreatment),
            (
                "assertive community treatment team",
                A::AssertiveCommunityTreatment
            ),
            (
                "program of assertive community treatment",
                A::AssertiveCommunityTreatment
            ),
            ("maudsley anorexia nervosa treatment for adults", A::Mantra),
            ("maudsley model of anorexia nervosa treatment", A::Mantra),
            ("specialist supportive clinical management", A::Sscm),
            ("motivational interview", A::MotivationalInterviewing),
            ("motivational incentives", A::ContingencyManagement),
            ("family focused treatment", A::FamilyFocused),
            ("interpersonal social rhythm therapy", A::Ipsrt),
            ("social rhythm therapy", A::Ipsrt),
            ("mindfulness", A::MindfulnessBased),
            ("mindfulness based stress reduction", A::MindfulnessBased),
            (
                "mindfulness based cognitive therapy for depression",
                A::Mbct
            ),
            ("exposure response prevention", A::Erp),
            ("exposure with response prevention", A::Erp),
            ("exposure and ritual prevention", A::Erp),
            ("erp therapy", A::Erp),
            ("cognitive behavioral therapy for psychosis", A::Cbtp),
            ("cognitive behavioural therapy for psychosis", A::Cbtp),
            ("cbt for psychosis", A::Cbtp),
            ("enhanced cbt", A::CbtE),
            ("enhanced cognitive behavioral therapy", A::CbtE),
            ("cbt for eating disorders", A::CbtE),
            ("family based treatment", A::Fbt),
            ("family based therapy", A::Fbt),
            ("maudsley approach", A::Fbt),
            ("maudsley family therapy", A::Fbt),
            ("family therapy for anorexia nervosa", A::Fbt),
            ("mentalization based therapy", A::Mbt),
            ("mentalisation based treatment", A::Mbt),
            ("transference focused therapy", A::Tfp),
            ("schema focused therapy", A::SchemaTherapy),
            ("systems training for emotional predictability", A::Stepps),
            ("general psychiatric management", A::Gpm),
            ("cognitive behavioral therapy for insomnia", A::CbtI),
            ("cognitive behavioural therapy for insomnia", A::CbtI),
            ("cbt for insomnia", A::CbtI),
            ("written exposure", A::Wet),
            (
                "cognitive therapy for post traumatic stress disorder",
                A::CtPtsd
            ),
            ("ehlers clark cognitive therapy", A::CtPtsd),
            ("interpersonal therapy for adolescents", A::IptA),
            (
                "coordinated specialty care for first episode psychosis",
                A::Csc
            ),
            ("first episode psychosis program", A::Csc),
            ("early intervention in psychosis", A::Csc),
            ("family intervention for psychosis", A::FamilyIntervention),
            ("family intervention in psychosis", A::FamilyIntervention),
            (
                "behavioural family therapy for psychosis",
                A::FamilyIntervention
            ),
            (
                "behavioral family therapy for psychosis",
                A::FamilyIntervention
            ),
            ("supported employment", A::Ips),
            (
                "individual placement and support supported employment",
                A::Ips
            ),
            ("parent management training", A::ParentTraining),
            ("parent training", A::ParentTraining),
            ("behavioral parent training program", A::ParentTraining),
            ("smoking cessation", A::TobaccoTreatment),
            ("tobacco cessation", A::TobaccoTreatment),
            ("tobacco use treatment", A::TobaccoTreatment),
            ("quit smoking program", A::TobaccoTreatment),
            ("habit reversal therapy", A::HabitReversal),
            ("medications for opioid use disorder", A::Moud),
            ("buprenorphine", A::Moud),
            ("suboxone", A::Moud),
            ("methadone", A::Moud),
            ("methadone maintenance", A::Moud),
            ("medications for alcohol use disorder", A::Maud),
            ("acamprosate", A::Maud),
            ("disulfiram", A::Maud),
            ("antabuse", A::Maud),
        ],
        abbreviations: &[
            ("MBSR", A::MindfulnessBased),
            ("EX/RP", A::Erp),
            ("CBT-p", A::Cbtp),
            ("CBT-ED", A::CbtE),
            ("FT-AN", A::Fbt),
            ("CBTI", A::CbtI),
            ("IPTA", A::IptA),
            ("EIP", A::Csc),
            ("PMT", A::ParentTraining),
            ("PACT", A::AssertiveCommunityTreatment),
        ],
    },
    /// A bare "ACT" names two approaches in clinical use (acceptance and
    /// commitment therapy, assertive community treatment): refused as
    /// ambiguous, naming both (clinical reference, section 10.5). The
    /// machine key `act`, written exactly so, stays acceptance and
    /// commitment therapy, so strict JSON reads the same in free text.
    fn special(
        vocabulary: &Vocabulary<Approach>,
        text: &str,
    ) -> Option<Result<Resolution<Approach>, ResolveError>> {
        if text == Approach::Act.key() {
            return None;
        }
        let normalized = super::normalize::normalize(text);
        AMBIGUOUS_APPROACHES
            .iter()
            .find(|(w, _)| normalized.eq_ignore_ascii_case(w))
            .map(|(_, meanings)| {
                Err(ResolveError {
                    family: TermFamily::Approach,
                    input: text.to_owned(),
                    suggestions: meanings.iter().map(|a| vocabulary.term(a).label).collect(),
                    ambiguous: true,
                })
            })
    }
);

/// Abbreviations that name more than one approach in clinical use, refused
/// with every meaning suggested: "ACT" is written for acceptance and
/// commitment therapy and for assertive community treatment, two different
/// things for two different patients.
const AMBIGUOUS_APPROACHES: &[(&str, &[Approach])] = &[(
    "act",
    &[Approach::Act, Approach::AssertiveCommunityTreatment],
)];

use License as L;
closed_vocabulary!(
    License,
    Table {
        official: &[],
        synonyms: &[
            ("psychiatry", L::Psychiatrist),
            ("psychiatric physician", L::Psychiatrist),
            ("child psychiatrist", L::Psychiatrist),
            ("addiction psychiatrist", L::Psychiatrist),
            ("licensed psychologist", L::Psychologist),
            ("clinical psychologist", L::Psychologist),
            ("psychiatric mental health nurse practitioner", L::Pmhnp),
            ("family nurse practitioner", L::Np),
            ("adult nurse practitioner", L::Np),
            ("primary care physician", L::Physician),
            ("addiction medicine physician", L::Physician),
            ("medical doctor", L::Physician),
            ("physician assistant certified", L::Pa),
            ("psych np", L::Pmhnp),
            ("psychiatric aprn", L::Pmhnp),
            ("clinical social worker", L::Licsw),
            ("independent clinical social worker", L::Licsw),
            ("mental health counselor", L::Lmhc),
            ("marriage and family therapist", L::Lmft),
            ("certified addiction counselor", L::AddictionCounselor),
            ("substance abuse counselor", L::AddictionCounselor),
            ("substance use counselor", L::AddictionCounselor),
            ("alcohol and drug counselor", L::AddictionCounselor),
            ("drug and alcohol counselor", L::AddictionCounselor),
            ("peer specialist", L::PeerSpecialist),
            ("peer recovery specialist", L::PeerSpecialist),
            ("peer support specialist", L::PeerSpecialist),
            ("recovery coach", L::PeerSpecialist),
            ("peer recovery coach", L::PeerSpecialist),
            ("licensed dietitian", L::Dietitian),
            ("registered dietitian", L::Dietitian),
            ("licensed dietitian nutritionist", L::Dietitian),
            ("registered dietitian nutritionist", L::Dietitian),
            ("nutritionist", L::Dietitian),
        ],
        abbreviations: &[
            ("PMHNP-BC", L::Pmhnp),
            ("FNP", L::Np),
            ("APRN-NP", L::Np),
            ("PCP", L::Physician),
            ("PA-C", L::Pa),
            ("LCSW", L::Licsw),
            ("LPC", L::Lmhc),
            ("LPCC", L::Lmhc),
            ("LCMHC", L::Lmhc),
            ("MFT", L::Lmft),
            ("LADC 1", L::LadcI),
            ("LADC 2", L::LadcII),
            ("CADC", L::AddictionCounselor),
            ("CAC", L::AddictionCounselor),
            ("CADAC", L::AddictionCounselor),
            ("CPS", L::PeerSpecialist),
            ("CPRS", L::PeerSpecialist),
            ("LDN", L::Dietitian),
            ("LD/N", L::Dietitian),
            ("RDN", L::Dietitian),
            ("RD", L::Dietitian),
        ],
    }
);

use Certification as Ce;
closed_vocabulary!(
    Certification,
    Table {
        official: &[],
        synonyms: &[
            ("DBT certified", Ce::Dbt),
            ("DBT intensively trained", Ce::Dbt),
            ("CPT certified", Ce::Cpt),
            ("PE certified", Ce::Pe),
            ("EMDR certified", Ce::Emdr),
            ("EMDRIA certified", Ce::Emdr),
            ("TF-CBT certified", Ce::TfCbt),
            ("ERP certified", Ce::Erp),
            ("MBT certified", Ce::Mbt),
            ("FBT certified", Ce::Fbt),
            ("CBT-E certified", Ce::CbtE),
            ("CBTp certified", Ce::Cbtp),
            ("CBT-I certified", Ce::CbtI),
            ("WET certified", Ce::Wet),
            ("CT-PTSD certified", Ce::CtPtsd),
            ("schema therapy certified", Ce::SchemaTherapy),
            ("child and adolescent", Ce::ChildAdolescent),
            ("child adolescent", Ce::ChildAdolescent),
            ("child and adolescent psychiatry", Ce::ChildAdolescent),
        ],
        abbreviations: &[],
    }
);

use FacilityCredential as F;
closed_vocabulary!(
    FacilityCredential,
    Table {
        official: &[],
        synonyms: &[
            ("DMH licensed", F::StateMentalHealth),
            ("DMH license", F::StateMentalHealth),
            ("department of mental health", F::StateMentalHealth),
            ("department of mental health license", F::StateMentalHealth),
            ("DPH clinic license", F::StateMentalHealth),
            ("mental health license", F::StateMentalHealth),
            ("licensed mental health clinic", F::StateMentalHealth),
            ("BSAS licensed", F::StateSubstanceUse),
            ("BSAS license", F::StateSubstanceUse),
            ("DPH BSAS", F::StateSubstanceUse),
            (
                "bureau of substance addiction services",
                F::StateSubstanceUse
            ),
            ("substance use license", F::StateSubstanceUse),
            ("substance abuse license", F::StateSubstanceUse),
            ("state substance abuse license", F::StateSubstanceUse),
            ("joint commission", F::JointCommission),
            ("the joint commission", F::JointCommission),
            ("joint commission accredited", F::JointCommission),
            ("CARF accredited", F::Carf),
            ("CARF international", F::Carf),
            (
                "commission on accreditation of rehabilitation facilities",
                F::Carf
            ),
            ("COA accredited", F::Coa),
            ("council on accreditation", F::Coa),
        ],
        abbreviations: &[
            ("DMH", F::StateMentalHealth),
            ("BSAS", F::StateSubstanceUse),
            ("TJC", F::JointCommission),
            ("JCAHO", F::JointCommission),
        ],
    }
);

use LevelOfCare as Lv;
closed_vocabulary!(
    LevelOfCare,
    label: |l| format!("{} ({})", l.label(), l.abbreviation()),
    Table {
        official: &[
            ("OP", Lv::Outpatient),
            ("IOP", Lv::IntensiveOutpatient),
            ("PHP", Lv::PartialHospitalization),
            ("RES", Lv::Residential),
            ("IP", Lv::Inpatient),
        ],
        synonyms: &[
            ("outpatient therapy", Lv::Outpatient),
            ("outpatient treatment", Lv::Outpatient),
            ("outpatient services", Lv::Outpatient),
            ("routine outpatient", Lv::Outpatient),
            ("intensive outpatient program", Lv::IntensiveOutpatient),
            ("intensive outpatient treatment", Lv::IntensiveOutpatient),
            ("partial hospitalization program", Lv::PartialHospitalization),
            ("partial hospital program", Lv::PartialHospitalization),
            ("partial hospital", Lv::PartialHospitalization),
            ("day hospital", Lv::PartialHospitalization),
            ("residential treatment", Lv::Residential),
            ("residential program", Lv::Residential),
            ("residential care", Lv::Residential),
            ("inpatient hospitalization", Lv::Inpatient),
            ("inpatient psychiatric", Lv::Inpatient),
            ("inpatient psychiatry", Lv::Inpatient),
            ("acute inpatient", Lv::Inpatient),
            ("psychiatric hospitalization", Lv::Inpatient),
            ("inpatient unit", Lv::Inpatient),
        ],
        abbreviations: &[
            ("ASAM 1", Lv::Outpatient),
            ("ASAM level 1", Lv::Outpatient),
            ("ASAM 2.1", Lv::IntensiveOutpatient),
            ("ASAM level 2.1", Lv::IntensiveOutpatient),
            ("ASAM 2.5", Lv::PartialHospitalization),
            ("ASAM level 2.5", Lv::PartialHospitalization),
            ("RTC", Lv::Residential),
        ],
    }
);

use Aftercare as Af;
closed_vocabulary!(
    Aftercare,
    Table {
        official: &[],
        synonyms: &[
            ("discharge plan", Af::DischargePlanning),
            ("aftercare planning", Af::DischargePlanning),
            ("aftercare plan", Af::DischargePlanning),
            ("transition planning", Af::DischargePlanning),
            ("step down", Af::StepDownOutpatient),
            ("step down to outpatient", Af::StepDownOutpatient),
            ("step down care", Af::StepDownOutpatient),
            ("warm handoff", Af::StepDownOutpatient),
            ("warm hand off to outpatient", Af::StepDownOutpatient),
            ("referral to outpatient care", Af::StepDownOutpatient),
            ("alumni group", Af::AlumniGroup),
            ("alumni", Af::AlumniGroup),
            ("alumni program", Af::AlumniGroup),
            ("continuing care group", Af::AlumniGroup),
            ("continuing care", Af::AlumniGroup),
            ("aftercare group", Af::AlumniGroup),
            ("follow up", Af::FollowUp),
            ("follow up calls", Af::FollowUp),
            ("post discharge follow up", Af::FollowUp),
            ("check in calls", Af::FollowUp),
            ("peer recovery coaching", Af::PeerRecoverySupport),
            ("recovery coaching", Af::PeerRecoverySupport),
            ("recovery coach", Af::PeerRecoverySupport),
            ("medication bridge", Af::MedicationContinuity),
            ("bridge prescriptions", Af::MedicationContinuity),
            ("bridging prescriptions", Af::MedicationContinuity),
            ("family support", Af::FamilySessions),
            ("family transition sessions", Af::FamilySessions),
        ],
        abbreviations: &[],
    }
);

use Population as P;
closed_vocabulary!(
    Population,
    Table {
        official: &[],
        synonyms: &[
            ("woman", P::Women),
            ("female", P::Women),
            ("females", P::Women),
            ("women only", P::Women),
            ("women's", P::Women),
            ("man", P::Men),
            ("male", P::Men),
            ("males", P::Men),
            ("men only", P::Men),
            ("men's", P::Men),
            ("veteran", P::Veterans),
            ("vets", P::Veterans),
            ("military", P::Veterans),
            ("military veterans", P::Veterans),
            ("service members", P::Veterans),
            ("lgbt", P::Lgbtq),
            ("lgbtqia+", P::Lgbtq),
            ("lgbtq community", P::Lgbtq),
            ("queer", P::Lgbtq),
            ("transgender", P::Lgbtq),
            ("gender and sexual minorities", P::Lgbtq),
            ("young adult", P::YoungAdults),
            ("transition age youth", P::YoungAdults),
            ("emerging adults", P::YoungAdults),
            ("adolescent", P::Adolescents),
            ("teens", P::Adolescents),
            ("teen", P::Adolescents),
            ("teenagers", P::Adolescents),
            ("older adult", P::OlderAdults),
            ("seniors", P::OlderAdults),
            ("geriatric", P::OlderAdults),
            ("geriatrics", P::OlderAdults),
            ("elderly", P::OlderAdults),
            ("first responder", P::FirstResponders),
            ("police", P::FirstResponders),
            ("firefighters", P::FirstResponders),
            ("law enforcement", P::FirstResponders),
            ("public safety", P::FirstResponders),
            ("pregnant", P::PerinatalParents),
            ("postpartum", P::PerinatalParents),
            ("pregnant and postpartum", P::PerinatalParents),
            ("perinatal mental health", P::PerinatalParents),
            ("maternal mental health", P::PerinatalParents),
            ("new parents", P::PerinatalParents),
        ],
        abbreviations: &[("TAY", P::YoungAdults), ("EMS", P::FirstResponders)],
    }
);

use Delivery as D;
closed_vocabulary!(
    Delivery,
    Table {
        official: &[],
        synonyms: &[
            ("onsite", D::InPerson),
            ("on site", D::InPerson),
            ("face to face", D::InPerson),
            ("in clinic", D::InPerson),
            ("virtual", D::Telehealth),
            ("video", D::Telehealth),
            ("telemedicine", D::Telehealth),
            ("teletherapy", D::Telehealth),
            ("online", D::Telehealth),
            ("remote", D::Telehealth),
            ("blended", D::Hybrid),
            ("in person and telehealth", D::Hybrid),
            ("in person and virtual", D::Hybrid),
        ],
        abbreviations: &[],
    }
);

use DeliveryPreference as Dp;
closed_vocabulary!(
    DeliveryPreference,
    Table {
        official: &[],
        synonyms: &[
            ("in person", Dp::InPerson),
            ("face to face", Dp::InPerson),
            ("onsite", Dp::InPerson),
            ("virtual", Dp::Telehealth),
            ("virtual only", Dp::Telehealth),
            ("video", Dp::Telehealth),
            ("remote", Dp::Telehealth),
            ("online", Dp::Telehealth),
            ("telemedicine", Dp::Telehealth),
            ("any", Dp::Either),
            ("both", Dp::Either),
            ("no preference", Dp::Either),
            ("hybrid", Dp::Either),
            ("in person or virtual", Dp::Either),
        ],
        abbreviations: &[],
    }
);

use FamilyInvolvement as Fi;
closed_vocabulary!(
    FamilyInvolvement,
    Table {
        official: &[],
        synonyms: &[
            ("no family involvement", Fi::None),
            ("not offered", Fi::None),
            ("no family component", Fi::None),
            ("upon request", Fi::OnRequest),
            ("available on request", Fi::OnRequest),
            ("by request", Fi::OnRequest),
            ("as needed", Fi::OnRequest),
            ("optional", Fi::OnRequest),
            ("built in", Fi::Integrated),
            ("required", Fi::Integrated),
            ("family program", Fi::Integrated),
        ],
        abbreviations: &[],
    }
);

/// Named commercial plans of Massachusetts: the canonical plan name, then
/// synonyms, then exact-only abbreviations. Point32Health is the parent of
/// Harvard Pilgrim and Tufts Health Plan; it keeps its own name because
/// choosing one of the two would be a guess.
const COMMERCIAL_PLANS: &[(&str, &[&str], &[&str])] = &[
    (
        "Blue Cross Blue Shield of Massachusetts",
        &[
            "Blue Cross",
            "Blue Cross Blue Shield",
            "Blue Cross and Blue Shield",
            "Blue Cross and Blue Shield of Massachusetts",
            "Blue Cross Blue Shield of MA",
            "Blue Cross MA",
            "Blue Cross Massachusetts",
        ],
        &["BCBS", "BCBSMA", "BCBS MA", "BCBS of MA"],
    ),
    (
        "Harvard Pilgrim Health Care",
        &["Harvard Pilgrim"],
        &["HPHC"],
    ),
    ("Tufts Health Plan", &["Tufts", "Tufts Health"], &["THP"]),
    ("Point32Health", &["Point 32"], &[]),
    ("Aetna", &["Aetna Health", "Aetna Behavioral Health"], &[]),
    (
        "Cigna",
        &["Cigna Healthcare", "Cigna Behavioral Health"],
        &[],
    ),
    ("UnitedHealthcare", &["United Health", "United"], &["UHC"]),
    (
        "Fallon Health",
        &["Fallon Community Health Plan"],
        &["FCHP"],
    ),
    ("Health New England", &[], &[]),
    (
        "Mass General Brigham Health Plan",
        &["AllWays Health Partners", "Mass General Brigham"],
        &[],
    ),
    ("WellSense Health Plan", &[], &[]),
];

/// MassHealth products: the plan, then synonyms (matched by close spelling)
/// and exact-only abbreviations. Plan names that also sell commercial plans
/// are in [`AMBIGUOUS_PAYERS`] when written bare.
const MASSHEALTH_PLANS: &[(MassHealthPlan, &[&str], &[&str])] = &[
    (
        MassHealthPlan::WellSense,
        &[
            "WellSense MassHealth",
            "MassHealth WellSense",
            "WellSense Community Alliance",
            "BMC HealthNet Plan MassHealth",
            "WellSense ACO",
        ],
        &[],
    ),
    (
        MassHealthPlan::Fallon,
        &[
            "Fallon MassHealth",
            "MassHealth Fallon",
            "Fallon Health ACO",
            "Berkshire Fallon Health Collaborative",
        ],
        &[],
    ),
    (
        MassHealthPlan::HealthNewEngland,
        &[
            "Health New England MassHealth",
            "MassHealth Health New England",
            "Be Healthy Partnership",
        ],
        &["HNE MassHealth"],
    ),
    (
        MassHealthPlan::MassGeneralBrigham,
        &[
            "Mass General Brigham Health Plan MassHealth",
            "MassHealth Mass General Brigham",
            "Mass General Brigham ACO",
        ],
        &["MGB ACO"],
    ),
    (
        MassHealthPlan::TuftsHealthTogether,
        &["Tufts Health Together", "Tufts Health Together MassHealth"],
        &["THT"],
    ),
    (
        MassHealthPlan::CcaOneCare,
        &[
            "One Care",
            "CCA One Care",
            "Commonwealth Care Alliance One Care",
        ],
        &[],
    ),
    (
        MassHealthPlan::CcaSeniorCareOptions,
        &[
            "Senior Care Options",
            "CCA Senior Care Options",
            "Commonwealth Care Alliance Senior Care Options",
        ],
        &["CCA SCO", "SCO"],
    ),
];

/// Payer names that mean more than one payer, refused with every meaning
/// suggested: these plans sell commercial plans and run MassHealth ACO or MCO
/// plans (clinical reference, Massachusetts payers), and Commonwealth Care
/// Alliance runs two MassHealth products. Choosing one would be a guess about
/// the patient's coverage.
fn ambiguous_payers() -> Vec<(&'static str, Vec<Payer>)> {
    let both = |commercial: &str, plan: MassHealthPlan| {
        vec![
            Payer::Commercial(commercial.to_owned()),
            Payer::MassHealthPlan(plan),
        ]
    };
    vec![
        (
            "WellSense",
            both("WellSense Health Plan", MassHealthPlan::WellSense),
        ),
        (
            "WellSense Health Plan",
            both("WellSense Health Plan", MassHealthPlan::WellSense),
        ),
        (
            "BMC HealthNet",
            both("WellSense Health Plan", MassHealthPlan::WellSense),
        ),
        (
            "BMC HealthNet Plan",
            both("WellSense Health Plan", MassHealthPlan::WellSense),
        ),
        ("Fallon", both("Fallon Health", MassHealthPlan::Fallon)),
        (
            "Fallon Health",
            both("Fallon Health", MassHealthPlan::Fallon),
        ),
        (
            "Health New England",
            both("Health New England", MassHealthPlan::HealthNewEngland),
        ),
        (
            "HNE",
            both("Health New England", MassHealthPlan::HealthNewEngland),
        ),
        (
            "Mass General Brigham Health Plan",
            both(
                "Mass General Brigham Health Plan",
                MassHealthPlan::MassGeneralBrigham,
            ),
        ),
        (
            "MGB Health Plan",
            both(
                "Mass General Brigham Health Plan",
                MassHealthPlan::MassGeneralBrigham,
            ),
        ),
        (
            "AllWays",
            both(
                "Mass General Brigham Health Plan",
                MassHealthPlan::MassGeneralBrigham,
            ),
        ),
        (
            "Commonwealth Care Alliance",
            vec![
                Payer::MassHealthPlan(MassHealthPlan::CcaOneCare),
                Payer::MassHealthPlan(MassHealthPlan::CcaSeniorCareOptions),
            ],
        ),
        (
            "CCA",
            vec![
                Payer::MassHealthPlan(MassHealthPlan::CcaOneCare),
                Payer::MassHealthPlan(MassHealthPlan::CcaSeniorCareOptions),
            ],
        ),
    ]
}

/// Synonyms of the named public payers and payment arrangements.
const PAYER_SYNONYMS: &[(&str, Payer)] = &[
    ("medicaid", Payer::MassHealth),
    ("Medicaid (MA)", Payer::MassHealth),
    ("MA Medicaid", Payer::MassHealth),
    ("Massachusetts Medicaid", Payer::MassHealth),
    ("Mass Medicaid", Payer::MassHealth),
    ("MassHealth ACO", Payer::MassHealth),
    ("MassHealth MCO", Payer::MassHealth),
    ("MassHealth Standard", Payer::MassHealth),
    ("MassHealth CarePlus", Payer::MassHealth),
    ("MassHealth CommonHealth", Payer::MassHealth),
    ("Medicare Advantage plan", Payer::MedicareAdvantage(None)),
    ("Medicare Part C", Payer::MedicareAdvantage(None)),
    ("VA", Payer::VaCommunityCare),
    ("Veterans Affairs Community Care", Payer::VaCommunityCare),
    ("VA Community Care Network", Payer::VaCommunityCare),
    ("original Medicare", Payer::Medicare),
    ("traditional Medicare", Payer::Medicare),
    ("Medicare Part B", Payer::Medicare),
    ("TRICARE East", Payer::Tricare),
    ("TRICARE Prime", Payer::Tricare),
    ("TRICARE Select", Payer::Tricare),
    ("private pay", Payer::SelfPay),
    ("cash pay", Payer::SelfPay),
    ("cash", Payer::SelfPay),
    ("out of pocket", Payer::SelfPay),
    ("sliding scale fee", Payer::SlidingScale),
    ("sliding scale fees", Payer::SlidingScale),
    ("sliding fee", Payer::SlidingScale),
    ("sliding fee scale", Payer::SlidingScale),
    ("income based fee", Payer::SlidingScale),
    ("reduced fee", Payer::SlidingScale),
];

impl sealed::Sealed for Payer {
    fn build() -> Vocabulary<Payer> {
        let named = [
            Payer::MassHealth,
            Payer::Medicare,
            Payer::Tricare,
            Payer::SelfPay,
            Payer::SlidingScale,
            Payer::MedicareAdvantage(None),
            Payer::VaCommunityCare,
        ];
        let mut values: Vec<(Payer, String, Vec<Form<'_>>)> = named
            .into_iter()
            .map(|p| {
                let label = p.to_string();
                let mut forms = vec![
                    Form {
                        written: Cow::Owned(p.key()),
                        canonical: true,
                        abbreviation: false,
                    },
                    Form {
                        written: Cow::Owned(label.clone()),
                        canonical: true,
                        abbreviation: false,
                    },
                ];
                forms.extend(
                    PAYER_SYNONYMS
                        .iter()
                        .filter(|(_, q)| *q == p)
                        .map(|(w, _)| form(w, false, false)),
                );
                (p, label, forms)
            })
            .collect();
        let ambiguous = ambiguous_payers();
        for (name, synonyms, abbreviations) in COMMERCIAL_PLANS {
            let p = Payer::Commercial((*name).to_owned());
            let label = p.to_string();
            let mut forms = vec![Form {
                written: Cow::Owned(label.clone()),
                canonical: true,
                abbreviation: false,
            }];
            // A bare name that also names a MassHealth product is refused
            // (`special`), so it is not one of the plan's forms.
            if !ambiguous.iter().any(|(w, _)| w == name) {
                forms.push(form(name, true, false));
            }
            forms.extend(synonyms.iter().map(|w| form(w, false, false)));
            forms.extend(abbreviations.iter().map(|w| form(w, false, true)));
            values.push((p, label, forms));
        }
        for (plan, synonyms, abbreviations) in MASSHEALTH_PLANS {
            let p = Payer::MassHealthPlan(*plan);
            let label = p.to_string();
            let mut forms = vec![
                Form {
                    written: Cow::Owned(label.clone()),
                    canonical: true,
                    abbreviation: false,
                },
                Form {
                    written: Cow::Owned(format!("MassHealth {}", plan.label())),
                    canonical: true,
                    abbreviation: false,
                },
            ];
            forms.extend(synonyms.iter().map(|w| form(w, false, false)));
            forms.extend(abbreviations.iter().map(|w| form(w, false, true)));
            values.push((p, label, forms));
        }
        Vocabulary::build(TermFamily::Payer, values)
    }

    fn json_key(&self) -> String {
        match self {
            Payer::Commercial(_)
            | Payer::MassHealthPlan(_)
            | Payer::MedicareAdvantage(Some(_))
            | Payer::Medicaid(_) => self.to_string(),
            named => named.key(),
        }
    }

    /// `commercial: <plan>`: a known plan's canonical name when the plan is
    /// one by name or synonym, else the plan as written (as the strict
    /// reader takes it).
    fn special(
        vocabulary: &Vocabulary<Payer>,
        text: &str,
    ) -> Option<Result<Resolution<Payer>, ResolveError>> {
        let normalized = super::normalize::normalize(text);
        if let Some((_, meanings)) = ambiguous_payers()
            .into_iter()
            .find(|(w, _)| super::normalize::normalize(w) == normalized)
        {
            return Some(Err(ResolveError {
                family: TermFamily::Payer,
                input: text.to_owned(),
                suggestions: meanings.iter().map(|p| vocabulary.term(p).label).collect(),
                ambiguous: true,
            }));
        }
        let (head, plan) = text.trim().split_once(':')?;
        if !head.trim().eq_ignore_ascii_case("commercial") {
            // `masshealth: <plan>`, `medicaid: <state>` ...: as the strict reader.
            return text.parse::<Payer>().ok().map(|value| {
                Ok(Resolution {
                    value,
                    confidence: 1.0,
                    how: MatchKind::Exact,
                })
            });
        }
        if let Some(mut r) = vocabulary
            .lookup(plan)
            .or_else(|| vocabulary.lookup(&format!("commercial: {plan}")))
            && let Payer::Commercial(name) = &r.value
        {
            // A plan read under another spelling than written ("He!alth",
            // "harvard pilgrim") changed: say so, never respell silently.
            if r.how == MatchKind::Exact && name != plan.trim() {
                r.how = MatchKind::Synonym;
            }
            return Some(Ok(r));
        }
        Some(match Payer::commercial(plan) {
            Ok(value) => Ok(Resolution {
                value,
                confidence: 1.0,
                how: MatchKind::Exact,
            }),
            Err(_) => Err(ResolveError {
                family: TermFamily::Payer,
                input: text.to_owned(),
                suggestions: Vec::new(),
                ambiguous: false,
            }),
        })
    }
}

impl Resolvable for Payer {
    const FAMILY: TermFamily = TermFamily::Payer;

    fn vocabulary() -> &'static Vocabulary<Payer> {
        static VOCABULARY: OnceLock<Vocabulary<Payer>> = OnceLock::new();
        VOCABULARY.get_or_init(<Payer as sealed::Sealed>::build)
    }
}

impl sealed::Sealed for Language {
    fn build() -> Vocabulary<Language> {
        let values = LANGUAGES
            .iter()
            .filter_map(|(code, name, synonyms)| {
                let language: Language = code.parse().ok()?;
                let mut forms = vec![form(code, true, true), form(name, true, false)];
                forms.extend(synonyms.iter().map(|w| form(w, false, false)));
                Some((language, format!("{name} ({code})"), forms))
            })
            .collect();
        Vocabulary::build(TermFamily::Language, values)
    }

    fn json_key(&self) -> String {
        self.code().to_owned()
    }

    /// Any well-formed ISO 639 code, as the strict reader takes it.
    fn fallback(text: &str) -> Option<Language> {
        text.parse().ok()
    }
}

impl Resolvable for Language {
    const FAMILY: TermFamily = TermFamily::Language;

    fn vocabulary() -> &'static Vocabulary<Language> {
        static VOCABULARY: OnceLock<Vocabulary<Language>> = OnceLock::new();
        VOCABULARY.get_or_init(<Language as sealed::Sealed>::build)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_code_parses() {
        assert_eq!(Language::vocabulary().values.len(), LANGUAGES.len());
    }

    #[test]
    fn level_abbreviations_are_official() {
        for l in LevelOfCare::ALL {
            let r = LevelOfCare::resolve(l.abbreviation());
            assert_eq!(r.map(|r| (r.value, r.how)), Ok((*l, MatchKind::Exact)));
        }
    }

    #[test]
    fn every_commercial_plan_is_a_value() {
        assert_eq!(
            Payer::vocabulary().values.len(),
            7 + COMMERCIAL_PLANS.len() + MASSHEALTH_PLANS.len()
        );
    }
}
