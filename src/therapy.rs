//! Therapies: how care is delivered ([`Modality`]) and which evidence-based
//! approach is used ([`Approach`]).

use crate::terms::terms;

terms! {
    /// A form of care a program delivers.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::Modality;
    /// assert_eq!("family".parse::<Modality>()?, Modality::Family);
    /// assert_eq!(Modality::MedicationManagement.to_string(), "medication management");
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub enum Modality: "therapy modality" {
        /// One-to-one psychotherapy.
        Individual = "individual", "individual therapy";
        /// Therapy groups, the core of most IOPs.
        Group = "group", "group therapy";
        /// Sessions that include family members or other supports.
        Family = "family", "family therapy";
        /// Structured teaching about the condition, its treatment and coping skills.
        Psychoeducation = "psychoeducation", "psychoeducation";
        /// Prescribing and monitoring psychiatric medication.
        MedicationManagement = "medication_management", "medication management";
        /// Support from staff with lived experience of recovery.
        PeerSupport = "peer_support", "peer support";
        /// Help coordinating housing, benefits, work, school and other care.
        CaseManagement = "case_management", "case management";
    }
}

terms! {
    /// A named, evidence-based therapeutic approach.
    ///
    /// Which approach suits which condition is the evidence table, kept as data
    /// in the evidence table used by matching.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::Approach;
    /// assert_eq!("dbt".parse::<Approach>()?, Approach::Dbt);
    /// assert_eq!(Approach::Cpt.to_string(), "cognitive processing therapy (CPT)");
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub enum Approach: "therapy approach" {
        /// Cognitive behavioral therapy.
        Cbt = "cbt", "cognitive behavioral therapy (CBT)";
        /// Dialectical behavior therapy.
        Dbt = "dbt", "dialectical behavior therapy (DBT)";
        /// Cognitive processing therapy, a trauma-focused therapy.
        Cpt = "cpt", "cognitive processing therapy (CPT)";
        /// Prolonged exposure therapy, a trauma-focused therapy.
        Pe = "pe", "prolonged exposure (PE)";
        /// Eye movement desensitization and reprocessing.
        Emdr = "emdr", "eye movement desensitization and reprocessing (EMDR)";
        /// Trauma-focused cognitive behavioral therapy.
        TfCbt = "tf_cbt", "trauma-focused CBT (TF-CBT)";
        /// Interpersonal psychotherapy.
        Ipt = "ipt", "interpersonal psychotherapy (IPT)";
        /// Behavioral activation.
        BehavioralActivation = "behavioral_activation", "behavioral activation (BA)";
        /// Acceptance and commitment therapy.
        Act = "act", "acceptance and commitment therapy (ACT)";
        /// Motivational interviewing.
        MotivationalInterviewing = "motivational_interviewing", "motivational interviewing (MI)";
        /// Contingency management.
        ContingencyManagement = "contingency_management", "contingency management (CM)";
        /// Family-focused therapy (as developed for bipolar disorder).
        FamilyFocused = "family_focused", "family-focused therapy (FFT)";
        /// Interpersonal and social rhythm therapy.
        Ipsrt = "ipsrt", "interpersonal and social rhythm therapy (IPSRT)";
        /// Mindfulness-based approaches in general (MBSR and others; MBCT
        /// has its own key, [`Approach::Mbct`]).
        MindfulnessBased = "mindfulness_based", "mindfulness-based therapy";
        /// Medication for opioid use disorder (buprenorphine, methadone, naltrexone).
        Moud = "moud", "medication for opioid use disorder (MOUD)";
        /// Medication for alcohol use disorder (naltrexone, acamprosate, disulfiram).
        Maud = "maud", "medication for alcohol use disorder (MAUD)";
        /// Exposure and response prevention, the CBT for obsessive-compulsive
        /// disorder that NICE CG31 names.
        Erp = "erp", "exposure and response prevention (ERP)";
        /// CBT for psychosis (NICE CG178).
        Cbtp = "cbtp", "CBT for psychosis (CBTp)";
        /// Enhanced, eating-disorder-focused CBT (NICE NG69: CBT-ED).
        CbtE = "cbt_e", "eating-disorder-focused CBT (CBT-E)";
        /// Family-based treatment for eating disorders in young people
        /// (anorexia- or bulimia-focused family therapy, NICE NG69).
        Fbt = "fbt", "family-based treatment (FBT)";
        /// Mentalization-based treatment, for borderline personality disorder.
        Mbt = "mbt", "mentalization-based treatment (MBT)";
        /// Transference-focused psychotherapy, for borderline personality disorder.
        Tfp = "tfp", "transference-focused psychotherapy (TFP)";
        /// Schema therapy, for personality disorders.
        SchemaTherapy = "schema_therapy", "schema therapy";
        /// Systems Training for Emotional Predictability and Problem Solving,
        /// a group programme for borderline personality disorder.
        Stepps = "stepps", "systems training for emotional predictability and problem solving (STEPPS)";
        /// Good psychiatric management, for borderline personality disorder.
        Gpm = "gpm", "good psychiatric management (GPM)";
        /// CBT for insomnia.
        CbtI = "cbt_i", "CBT for insomnia (CBT-I)";
        /// Written exposure therapy, a brief trauma-focused therapy.
        Wet = "wet", "written exposure therapy (WET)";
        /// Cognitive therapy for PTSD (Ehlers and Clark), a trauma-focused therapy.
        CtPtsd = "ct_ptsd", "cognitive therapy for PTSD (CT-PTSD)";
        /// Mindfulness-based cognitive therapy, for preventing relapse of depression.
        Mbct = "mbct", "mindfulness-based cognitive therapy (MBCT)";
        /// Interpersonal psychotherapy adapted for adolescents.
        IptA = "ipt_a", "interpersonal psychotherapy for adolescents (IPT-A)";
        /// Coordinated specialty care for first-episode psychosis.
        Csc = "csc", "coordinated specialty care (CSC)";
        /// Individual placement and support, supported employment.
        Ips = "ips", "individual placement and support (IPS)";
        /// Behavioral parent training, for children with ADHD or conduct problems.
        ParentTraining = "parent_training", "behavioral parent training";
        /// Tobacco treatment: counselling with cessation medication.
        TobaccoTreatment = "tobacco_treatment", "tobacco treatment";
        /// Habit reversal training, for excoriation and other body-focused
        /// repetitive behaviors.
        HabitReversal = "habit_reversal", "habit reversal training (HRT)";
        /// Family intervention for psychosis: a structured intervention with
        /// the family over months (psychoeducation, problem solving, crisis
        /// planning), not any family session (NICE CG178).
        FamilyIntervention = "family_intervention", "family intervention for psychosis";
        /// The Maudsley Anorexia Nervosa Treatment for Adults: a structured
        /// individual therapy for anorexia, one of the three NICE NG69 (2017)
        /// offers for adults with anorexia beside CBT-ED and SSCM.
        Mantra = "mantra", "Maudsley Anorexia Nervosa Treatment for Adults (MANTRA)";
        /// Specialist supportive clinical management: regular sessions
        /// joining supportive therapy with clinical management of weight and
        /// health, for adults with anorexia (NICE NG69, 2017).
        Sscm = "sscm", "specialist supportive clinical management (SSCM)";
        /// Assertive community treatment: a multidisciplinary team treating
        /// people with serious mental illness in the community, around the
        /// clock (APA schizophrenia guideline, 2020). Not acceptance and
        /// commitment therapy (`act`): the free-text reader asks which
        /// "ACT" is meant.
        AssertiveCommunityTreatment = "assertive_community_treatment", "assertive community treatment team";
    }
}

terms! {
    /// A medication for opioid use disorder (MOUD), as a patient takes it
    /// and a program prescribes, administers or continues it.
    ///
    /// Methadone for opioid use disorder is dispensed only by a certified
    /// Opioid Treatment Program (42 CFR Part 8); buprenorphine and
    /// extended-release naltrexone can be prescribed in any setting with a
    /// prescriber (SAMHSA TIP 63).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::MoudMedication;
    /// assert_eq!("methadone".parse::<MoudMedication>()?, MoudMedication::Methadone);
    /// assert!(MoudMedication::Methadone.needs_otp());
    /// assert!(!MoudMedication::Buprenorphine.needs_otp());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub enum MoudMedication: "medication for opioid use disorder" {
        /// Buprenorphine (with or without naloxone; sublingual or extended-release injection).
        Buprenorphine = "buprenorphine", "buprenorphine";
        /// Methadone, dispensed by a certified Opioid Treatment Program.
        Methadone = "methadone", "methadone";
        /// Extended-release injectable naltrexone.
        Naltrexone = "naltrexone", "extended-release naltrexone";
    }
}

impl MoudMedication {
    /// Whether only a certified Opioid Treatment Program may dispense it
    /// for opioid use disorder (42 CFR Part 8): methadone.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::MoudMedication::Methadone.needs_otp());
    /// ```
    pub const fn needs_otp(self) -> bool {
        matches!(self, MoudMedication::Methadone)
    }
}
