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
        /// Mindfulness-based approaches (MBCT, MBSR).
        MindfulnessBased = "mindfulness_based", "mindfulness-based therapy";
        /// Medication for opioid use disorder (buprenorphine, methadone, naltrexone).
        Moud = "moud", "medication for opioid use disorder (MOUD)";
        /// Medication for alcohol use disorder (naltrexone, acamprosate, disulfiram).
        Maud = "maud", "medication for alcohol use disorder (MAUD)";
    }
}
