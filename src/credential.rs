//! Credentials: clinician licenses, therapy certifications, and facility
//! licenses and accreditations.
//!
//! Massachusetts boards: LICSW under the Board of Registration of Social
//! Workers (258 CMR 9.03); LMHC and LMFT under the Allied Mental Health
//! Board (262 CMR); LADC I and II under the Department of Public Health
//! (105 CMR 168, unconfirmed); APRNs, including psychiatric mental-health
//! nurse practitioners, under the Board of Registration in Nursing (244 CMR
//! 4.00). Prescribing (the MAT Act of 2023): any practitioner with a DEA
//! registration for Schedule III drugs may prescribe buprenorphine, so a
//! non-psychiatric physician, NP or PA counts for opioid use disorder; a
//! psychiatric prescriber (psychiatrist or PMHNP) is still what bipolar
//! disorder, psychosis and ADHD call for. Facility licenses: the Department of Mental Health licenses
//! inpatient psychiatric units (104 CMR 27.00) and community residential
//! programs (104 CMR 28.00); outpatient mental-health clinics, where most
//! IOPs sit, are licensed by the Department of Public Health (105 CMR 140,
//! unconfirmed); substance use programs by the Bureau of Substance Addiction
//! Services (105 CMR 164.000). "State mental-health license" stands for
//! whichever of these applies.

use std::collections::BTreeMap;

use crate::terms::terms;

terms! {
    /// A clinician's license or role.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::License;
    /// assert_eq!("licsw".parse::<License>()?, License::Licsw);
    /// assert!(License::Pmhnp.prescribes());
    /// assert!(License::Np.prescribes());
    /// assert!(!License::Np.is_psychiatric_prescriber());
    /// assert!(!License::Lmhc.prescribes());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub enum License: "clinician license" {
        /// Psychiatrist (MD or DO).
        Psychiatrist = "psychiatrist", "psychiatrist";
        /// Licensed psychologist.
        Psychologist = "psychologist", "psychologist";
        /// Psychiatric mental-health nurse practitioner (an APRN).
        Pmhnp = "pmhnp", "psychiatric nurse practitioner (PMHNP/APRN)";
        /// A physician (MD or DO) who is not a psychiatrist, such as a primary
        /// care or addiction medicine physician.
        /// A bare "MD" is refused by the free-text reader: in a mental-health
        /// program it is as often a psychiatrist.
        Physician = "physician", "non-psychiatric physician";
        /// A nurse practitioner without the psychiatric mental-health
        /// certification (family, adult or other NP). A bare "NP" is this.
        Np = "np", "nurse practitioner (NP)";
        /// Physician assistant.
        Pa = "pa", "physician assistant (PA)";
        /// Licensed independent clinical social worker.
        Licsw = "licsw", "licensed independent clinical social worker (LICSW)";
        /// Licensed mental health counselor.
        Lmhc = "lmhc", "licensed mental health counselor (LMHC)";
        /// Licensed marriage and family therapist.
        Lmft = "lmft", "licensed marriage and family therapist (LMFT)";
        /// Licensed alcohol and drug counselor I (master's level).
        LadcI = "ladc_i", "licensed alcohol and drug counselor I (LADC I)";
        /// Licensed alcohol and drug counselor II.
        LadcII = "ladc_ii", "licensed alcohol and drug counselor II (LADC II)";
        /// Certified addiction counselor (other than an LADC).
        AddictionCounselor = "addiction_counselor", "addiction counselor";
        /// Registered nurse.
        Rn = "rn", "registered nurse (RN)";
        /// Certified peer specialist.
        PeerSpecialist = "peer_specialist", "certified peer specialist";
        /// Dietitian: in Massachusetts a licensed dietitian/nutritionist
        /// (LD/N), elsewhere a registered dietitian (RD or RDN); the
        /// nutrition care eating-disorder treatment needs (APA eating
        /// disorders guideline, 2023).
        Dietitian = "dietitian", "licensed dietitian/nutritionist (LD/N, RD)";
    }
}

impl License {
    /// Whether this license can prescribe: a psychiatrist, another physician,
    /// a PMHNP, another nurse practitioner or a physician assistant.
    ///
    /// Every one of them may prescribe buprenorphine for opioid use disorder:
    /// since the MAT Act (part of the Consolidated Appropriations Act, 2023)
    /// removed the separate "X-waiver", any practitioner whose DEA
    /// registration covers Schedule III drugs may, physicians of any
    /// specialty, nurse practitioners and physician assistants alike.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::License;
    /// assert!(License::Psychiatrist.prescribes());
    /// assert!(License::Pa.prescribes());
    /// assert!(!License::Rn.prescribes());
    /// ```
    pub const fn prescribes(self) -> bool {
        matches!(
            self,
            License::Psychiatrist | License::Physician | License::Pmhnp | License::Np | License::Pa
        )
    }

    /// Whether this is a psychiatric prescriber: a psychiatrist or a
    /// psychiatric mental-health nurse practitioner, the prescribers for
    /// conditions whose medication calls for psychiatric expertise (bipolar
    /// disorder, psychosis, ADHD). A nurse practitioner without the
    /// psychiatric certification is not one.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::License;
    /// assert!(License::Pmhnp.is_psychiatric_prescriber());
    /// assert!(!License::Physician.is_psychiatric_prescriber());
    /// ```
    pub const fn is_psychiatric_prescriber(self) -> bool {
        matches!(self, License::Psychiatrist | License::Pmhnp)
    }

    /// Whether this is an independently licensed psychotherapist
    /// (psychologist, LICSW, LMHC, LMFT) or a psychiatrist.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::License::Lmft.is_licensed_therapist());
    /// assert!(!carematch::License::Rn.is_licensed_therapist());
    /// ```
    pub const fn is_licensed_therapist(self) -> bool {
        matches!(
            self,
            License::Psychiatrist
                | License::Psychologist
                | License::Licsw
                | License::Lmhc
                | License::Lmft
        )
    }

    /// Whether this license is for addiction treatment (LADC I or II, addiction counselor).
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::License::LadcII.is_addiction());
    /// ```
    pub const fn is_addiction(self) -> bool {
        matches!(
            self,
            License::LadcI | License::LadcII | License::AddictionCounselor
        )
    }
}

terms! {
    /// A clinician's training or certification in a specific approach or population.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Approach, Certification};
    /// assert_eq!(Certification::Dbt.approach(), Some(Approach::Dbt));
    /// assert_eq!(Certification::ChildAdolescent.approach(), None);
    /// ```
    pub enum Certification: "therapy certification" {
        /// Intensively trained or certified in dialectical behavior therapy.
        Dbt = "dbt", "DBT-trained";
        /// Trained in cognitive processing therapy.
        Cpt = "cpt", "CPT-trained";
        /// Trained in prolonged exposure.
        Pe = "pe", "PE-trained";
        /// EMDR-trained or certified.
        Emdr = "emdr", "EMDR-trained";
        /// Trained in trauma-focused CBT.
        TfCbt = "tf_cbt", "TF-CBT-trained";
        /// Trained in exposure and response prevention.
        Erp = "erp", "ERP-trained";
        /// Trained in mentalization-based treatment.
        Mbt = "mbt", "MBT-trained";
        /// Trained in family-based treatment for eating disorders.
        Fbt = "fbt", "FBT-trained";
        /// Trained in eating-disorder-focused CBT.
        CbtE = "cbt_e", "CBT-E-trained";
        /// Trained in CBT for psychosis.
        Cbtp = "cbtp", "CBTp-trained";
        /// Trained in CBT for insomnia.
        CbtI = "cbt_i", "CBT-I-trained";
        /// Trained in written exposure therapy.
        Wet = "wet", "WET-trained";
        /// Trained in cognitive therapy for PTSD.
        CtPtsd = "ct_ptsd", "CT-PTSD-trained";
        /// Trained in schema therapy.
        SchemaTherapy = "schema_therapy", "schema-therapy-trained";
        /// Specialized in child and adolescent care (for example board-certified
        /// in child and adolescent psychiatry).
        ChildAdolescent = "child_adolescent", "child and adolescent specialist";
    }
}

impl Certification {
    /// The approach this certification is training in, if it is one.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Approach, Certification};
    /// assert_eq!(Certification::Emdr.approach(), Some(Approach::Emdr));
    /// ```
    pub const fn approach(self) -> Option<crate::therapy::Approach> {
        use crate::therapy::Approach;
        match self {
            Certification::Dbt => Some(Approach::Dbt),
            Certification::Cpt => Some(Approach::Cpt),
            Certification::Pe => Some(Approach::Pe),
            Certification::Emdr => Some(Approach::Emdr),
            Certification::TfCbt => Some(Approach::TfCbt),
            Certification::Erp => Some(Approach::Erp),
            Certification::Mbt => Some(Approach::Mbt),
            Certification::Fbt => Some(Approach::Fbt),
            Certification::CbtE => Some(Approach::CbtE),
            Certification::Cbtp => Some(Approach::Cbtp),
            Certification::CbtI => Some(Approach::CbtI),
            Certification::Wet => Some(Approach::Wet),
            Certification::CtPtsd => Some(Approach::CtPtsd),
            Certification::SchemaTherapy => Some(Approach::SchemaTherapy),
            Certification::ChildAdolescent => None,
        }
    }

    /// The certification that attests training in `approach`, if there is one.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Approach, Certification};
    /// assert_eq!(Certification::for_approach(Approach::Pe), Some(Certification::Pe));
    /// assert_eq!(Certification::for_approach(Approach::Cbt), None);
    /// ```
    pub fn for_approach(approach: crate::therapy::Approach) -> Option<Certification> {
        Certification::ALL
            .iter()
            .copied()
            .find(|c| c.approach() == Some(approach))
    }
}

terms! {
    /// A facility license or accreditation.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::FacilityCredential;
    /// assert_eq!("carf".parse::<FacilityCredential>()?, FacilityCredential::Carf);
    /// assert!(FacilityCredential::JointCommission.is_accreditation());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub enum FacilityCredential: "facility credential" {
        /// Licensed by the state for mental-health services (in Massachusetts,
        /// DMH, or a DPH clinic license).
        StateMentalHealth = "state_mental_health", "state mental-health license";
        /// Licensed by the state for substance use treatment (in Massachusetts,
        /// DPH's Bureau of Substance Addiction Services, 105 CMR 164.000).
        StateSubstanceUse = "state_substance_use", "state substance-use license";
        /// Accredited by The Joint Commission.
        JointCommission = "joint_commission", "The Joint Commission accreditation";
        /// Accredited by CARF International.
        Carf = "carf", "CARF accreditation";
        /// Accredited by the Council on Accreditation.
        Coa = "coa", "COA accreditation";
    }
}

impl FacilityCredential {
    /// Whether this is a national accreditation rather than a state license.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!carematch::FacilityCredential::StateMentalHealth.is_accreditation());
    /// ```
    pub const fn is_accreditation(self) -> bool {
        matches!(
            self,
            FacilityCredential::JointCommission
                | FacilityCredential::Carf
                | FacilityCredential::Coa
        )
    }
}

/// Who is on a program's staff: how many clinicians hold each license and each
/// certification.
///
/// In JSON: `{"licenses": {"psychiatrist": 1, "licsw": 4}, "certifications": {"dbt": 2}}`.
///
/// # Example
///
/// ```
/// use carematch::{Certification, License, Staff};
///
/// let staff = Staff::default()
///     .with_license(License::Psychiatrist, 1)
///     .with_license(License::Licsw, 3)
///     .with_certification(Certification::Dbt, 2);
/// assert_eq!(staff.count(License::Licsw), 3);
/// assert!(staff.has_prescriber());
/// assert_eq!(staff.total_clinicians(), 4);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Staff {
    /// Clinicians per license.
    #[cfg_attr(feature = "serde", serde(default))]
    pub licenses: BTreeMap<License, u32>,
    /// Clinicians per certification.
    #[cfg_attr(feature = "serde", serde(default))]
    pub certifications: BTreeMap<Certification, u32>,
}

impl Staff {
    /// The same staff with `count` clinicians holding `license`.
    ///
    /// # Example
    ///
    /// ```
    /// let s = carematch::Staff::default().with_license(carematch::License::Rn, 2);
    /// assert_eq!(s.count(carematch::License::Rn), 2);
    /// ```
    pub fn with_license(mut self, license: License, count: u32) -> Staff {
        self.licenses.insert(license, count);
        self
    }

    /// The same staff with `count` clinicians holding `certification`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Certification, Staff};
    /// let s = Staff::default().with_certification(Certification::Cpt, 1);
    /// assert!(s.has_certification(Certification::Cpt));
    /// ```
    pub fn with_certification(mut self, certification: Certification, count: u32) -> Staff {
        self.certifications.insert(certification, count);
        self
    }

    /// How many clinicians hold `license`.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::Staff::default().count(carematch::License::Lmhc), 0);
    /// ```
    pub fn count(&self, license: License) -> u32 {
        self.licenses.get(&license).copied().unwrap_or(0)
    }

    /// Whether at least one clinician holds `license`.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!carematch::Staff::default().has(carematch::License::Lmhc));
    /// ```
    pub fn has(&self, license: License) -> bool {
        self.count(license) > 0
    }

    /// Whether at least one clinician holds `certification`.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!carematch::Staff::default().has_certification(carematch::Certification::Emdr));
    /// ```
    pub fn has_certification(&self, certification: Certification) -> bool {
        self.certifications
            .get(&certification)
            .copied()
            .unwrap_or(0)
            > 0
    }

    /// Whether a prescriber ([`License::prescribes`]: psychiatrist,
    /// physician, PMHNP, NP or PA) is on staff.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{License, Staff};
    /// assert!(Staff::default().with_license(License::Pmhnp, 1).has_prescriber());
    /// assert!(Staff::default().with_license(License::Np, 1).has_prescriber());
    /// ```
    pub fn has_prescriber(&self) -> bool {
        self.licenses.iter().any(|(l, n)| l.prescribes() && *n > 0)
    }

    /// The licenses held by at least one clinician, as a bit set (for the index).
    pub(crate) fn license_mask(&self) -> u64 {
        self.licenses
            .iter()
            .filter(|(_, n)| **n > 0)
            .fold(0, |m, (l, _)| m | l.bit())
    }

    /// The certifications held by at least one clinician, as a bit set (for the index).
    /// The approaches (bits of [`crate::Approach`]) some clinician is
    /// trained in, from the certifications held.
    pub(crate) fn trained_approaches(&self) -> u64 {
        trained_approaches(self.certification_mask())
    }

    pub(crate) fn certification_mask(&self) -> u64 {
        self.certifications
            .iter()
            .filter(|(_, n)| **n > 0)
            .fold(0, |m, (c, _)| m | c.bit())
    }

    /// Clinicians counted over all licenses.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::Staff::default().total_clinicians(), 0);
    /// ```
    pub fn total_clinicians(&self) -> u32 {
        self.licenses
            .values()
            .fold(0u32, |a, n| a.saturating_add(*n))
    }
}

/// The approaches (bits of [`crate::Approach`]) that the certifications in
/// `mask` (bits of [`Certification`]) are training in.
pub(crate) fn trained_approaches(mask: u64) -> u64 {
    Certification::ALL
        .iter()
        .filter(|c| mask & c.bit() != 0)
        .filter_map(|c| c.approach())
        .fold(0, |m, a| m | a.bit())
}

/// The approaches (bits of [`crate::Approach`]) a certification exists for,
/// worked out once at compile time (it is read for every therapy scored).
pub(crate) const CERTIFIABLE_APPROACHES: u64 = {
    let mut mask = 0;
    let mut i = 0;
    while i < Certification::ALL.len() {
        if let Some(a) = Certification::ALL[i].approach() {
            mask |= a.bit();
        }
        i += 1;
    }
    mask
};
