//! Diagnoses: ICD-10-CM codes, the condition families IOPs treat, and a patient's diagnosis.
//!
//! The code-to-family table follows ICD-10-CM chapter 5 (F01-F99) blocks and
//! categories: F10-F19 substance use (F10 alcohol, F11 opioids, F12 cannabis,
//! F13 sedatives, hypnotics or anxiolytics, F14 cocaine, F15 other stimulants,
//! F16 hallucinogens, F17 nicotine, F18 inhalants, F19 other or multiple),
//! F20-F29 psychotic disorders, F30 manic episode, F31 bipolar disorder and
//! F34.0 cyclothymia (the bipolar spectrum), F32/F33 major depressive
//! disorder, F34.1 dysthymia and F34.81 disruptive mood dysregulation
//! disorder (a depressive disorder), F40/F41 anxiety, F42 obsessive-compulsive
//! disorder except F42.3 hoarding and F42.4 excoriation (in the F42 category
//! but treated differently, so read as [`Condition::Other`]), F43.1x post-traumatic stress disorder (F43.10 unspecified,
//! F43.11 acute, F43.12 chronic), the rest of F43 reactions to severe stress
//! and adjustment disorders, F50 eating disorders, F53.0 postpartum
//! depression (depressive) and F53.1 puerperal psychosis (psychotic), F60 specific personality
//! disorders with F60.3 borderline, and F90 ADHD. Source: the CMS/CDC
//! ICD-10-CM tabular list, chapter 5 (summarised at icd.codes/icd10cm/chapter5).

use std::fmt;
use std::str::FromStr;

use crate::error::Error;
use crate::terms::terms;

/// A validated ICD-10-CM code: a letter, two digits, and optionally a dot and
/// up to four more letters or digits.
///
/// Parsing ignores case, surrounding space and a missing dot: `F4310`,
/// `f43.10` and ` F43.10 ` all become `F43.10`. Whether the code exists in the
/// current code set is not checked; a well-formed code outside the families
/// below maps to [`Condition::Other`].
///
/// # Example
///
/// ```
/// use carematch::{Condition, IcdCode};
///
/// let code: IcdCode = "f4310".parse()?;
/// assert_eq!(code.to_string(), "F43.10");
/// assert_eq!(code.condition(), Condition::Ptsd);
/// assert_eq!("F60.3".parse::<IcdCode>()?.condition(), Condition::BorderlinePersonality);
/// assert_eq!("J45.909".parse::<IcdCode>()?.condition(), Condition::Other);
/// assert!("F4".parse::<IcdCode>().is_err());
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IcdCode {
    // Upper-case ASCII without the dot; `len` bytes are used (3 to 7).
    chars: [u8; 7],
    len: u8,
}

impl IcdCode {
    /// The three-character category, such as `F43`.
    ///
    /// # Example
    ///
    /// ```
    /// let code: carematch::IcdCode = "F43.10".parse()?;
    /// assert_eq!(code.category(), "F43");
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn category(&self) -> &str {
        // Only ASCII is ever stored.
        std::str::from_utf8(&self.chars[..3]).unwrap_or("")
    }

    /// The characters after the dot, such as `10` (empty for a bare category).
    ///
    /// # Example
    ///
    /// ```
    /// let code: carematch::IcdCode = "F43.10".parse()?;
    /// assert_eq!(code.subcode(), "10");
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn subcode(&self) -> &str {
        std::str::from_utf8(&self.chars[3..usize::from(self.len)]).unwrap_or("")
    }

    /// The condition family this code belongs to ([`Condition::Other`] outside them).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Condition, IcdCode};
    /// assert_eq!("F10.20".parse::<IcdCode>()?.condition(), Condition::AlcoholUse);
    /// assert_eq!("F43.21".parse::<IcdCode>()?.condition(), Condition::TraumaRelated);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn condition(&self) -> Condition {
        let c = &self.chars;
        if c[0] != b'F' {
            return Condition::Other;
        }
        let n = u32::from(c[1] - b'0') * 10 + u32::from(c[2] - b'0');
        let sub = self.subcode().as_bytes();
        match n {
            10 => Condition::AlcoholUse,
            11 => Condition::OpioidUse,
            12 => Condition::CannabisUse,
            13 => Condition::SedativeUse,
            14 => Condition::CocaineUse,
            15 => Condition::StimulantUse,
            16 => Condition::HallucinogenUse,
            17 => Condition::NicotineUse,
            18 => Condition::InhalantUse,
            19 => Condition::OtherSubstanceUse,
            20..=29 => Condition::Psychotic,
            30 | 31 => Condition::Bipolar,
            32 | 33 => Condition::Depressive,
            34 if sub.first() == Some(&b'0') => Condition::Bipolar,
            34 if sub.first() == Some(&b'1') => Condition::Depressive,
            34 if sub == b"81" => Condition::Depressive,
            // Hoarding and excoriation sit in F42 but are treated differently
            // from OCD (excoriation: habit reversal training).
            42 if matches!(sub.first(), Some(b'3' | b'4')) => Condition::Other,
            40 | 41 => Condition::Anxiety,
            42 => Condition::ObsessiveCompulsive,
            43 if sub.first() == Some(&b'1') => Condition::Ptsd,
            43 => Condition::TraumaRelated,
            50 => Condition::Eating,
            53 if sub.first() == Some(&b'0') => Condition::Depressive,
            53 if sub.first() == Some(&b'1') => Condition::Psychotic,
            60 if sub.first() == Some(&b'3') => Condition::BorderlinePersonality,
            60 => Condition::Personality,
            90 => Condition::Adhd,
            _ => Condition::Other,
        }
    }
}

impl IcdCode {
    /// The withdrawal this code records, if it is a withdrawal code of
    /// F10-F19, read in full (not by its category alone).
    ///
    /// ICD-10-CM codes withdrawal in the abuse, dependence and
    /// unspecified-use subcategories of each substance: the fourth and
    /// fifth characters `13`, `23` or `93` (F10.130-F10.939 alcohol, F11.13,
    /// F11.23, F11.93 opioids, F12 cannabis, F13 sedatives, F14 cocaine, F15
    /// other stimulants, F19 other or multiple substances); for alcohol,
    /// sedatives and other substances a sixth character says `0`
    /// uncomplicated, `1` with delirium, `2` with perceptual disturbance, `9`
    /// unspecified. Nicotine withdrawal is F17.2x3. Hallucinogens (F16) and
    /// inhalants (F18) have no withdrawal codes. Source: the CMS/CDC
    /// ICD-10-CM tabular list, chapter 5, categories F10-F19 (FY2023 and
    /// later, which added the abuse and unspecified-use withdrawal codes).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Condition, IcdCode, Withdrawal};
    /// let w = "F10.231".parse::<IcdCode>()?.withdrawal().unwrap();
    /// assert_eq!(w, Withdrawal { substance: Condition::AlcoholUse, delirium: true, perceptual_disturbance: false });
    /// assert!("F11.23".parse::<IcdCode>()?.withdrawal().is_some());
    /// assert!("F10.20".parse::<IcdCode>()?.withdrawal().is_none());
    /// assert!("F10.21".parse::<IcdCode>()?.withdrawal().is_none()); // in remission
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn withdrawal(&self) -> Option<Withdrawal> {
        let c = &self.chars;
        if c[0] != b'F' || c[1] != b'1' {
            return None;
        }
        let sub = self.subcode().as_bytes();
        let substance = self.condition();
        let (delirium, perceptual_disturbance) = match c[2] {
            // Nicotine: F17.2x3 (F17.203, F17.213, F17.223, F17.293).
            b'7' => {
                return (sub.first() == Some(&b'2') && sub.get(2) == Some(&b'3')).then_some(
                    Withdrawal {
                        substance,
                        delirium: false,
                        perceptual_disturbance: false,
                    },
                );
            }
            b'6' | b'8' => return None,
            _ if matches!(sub.first(), Some(b'1' | b'2' | b'9')) && sub.get(1) == Some(&b'3') => {
                (sub.get(2) == Some(&b'1'), sub.get(2) == Some(&b'2'))
            }
            _ => return None,
        };
        Some(Withdrawal {
            substance,
            delirium,
            perceptual_disturbance,
        })
    }

    /// Whether the code records pregnancy or the puerperium, and which:
    /// O09 (supervision of a high-risk pregnancy) and Z33.1 (pregnant state)
    /// are [`Pregnancy::Pregnant`]; in O99.3 (mental, substance-use and
    /// nervous system conditions complicating pregnancy, childbirth and the
    /// puerperium) the sixth character says when: `0` unspecified trimester,
    /// `1`-`3` the first to third trimester ([`Pregnancy::Pregnant`]), `4`
    /// childbirth and `5` the puerperium ([`Pregnancy::Postpartum`]: the
    /// pregnancy has ended). Source: the ICD-10-CM tabular list, chapters 15
    /// and 21.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{IcdCode, Pregnancy};
    /// assert_eq!("O99.345".parse::<IcdCode>()?.pregnancy(), Some(Pregnancy::Postpartum));
    /// assert_eq!("O99.343".parse::<IcdCode>()?.pregnancy(), Some(Pregnancy::Pregnant));
    /// assert_eq!("O99.322".parse::<IcdCode>()?.pregnancy(), Some(Pregnancy::Pregnant));
    /// assert_eq!("Z33.1".parse::<IcdCode>()?.pregnancy(), Some(Pregnancy::Pregnant));
    /// assert_eq!("F33.1".parse::<IcdCode>()?.pregnancy(), None);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn pregnancy(&self) -> Option<Pregnancy> {
        let sub = self.subcode().as_bytes();
        match self.category() {
            "O09" => Some(Pregnancy::Pregnant),
            "Z33" if sub.first() == Some(&b'1') => Some(Pregnancy::Pregnant),
            "O99" if sub.first() == Some(&b'3') => {
                if matches!(sub.get(2), Some(b'4' | b'5')) {
                    Some(Pregnancy::Postpartum)
                } else {
                    Some(Pregnancy::Pregnant)
                }
            }
            _ => None,
        }
    }

    /// Whether the code is one of O99.31-O99.34 (alcohol use, drug use,
    /// tobacco use or another mental disorder complicating pregnancy,
    /// childbirth or the puerperium). ICD-10-CM sequences these first and
    /// asks for an additional code for the condition itself, so the
    /// condition is read from the F code given with it (see
    /// [`PatientNeeds::primary_condition`](crate::PatientNeeds::primary_condition)).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::IcdCode;
    /// assert!("O99.344".parse::<IcdCode>()?.takes_condition_from_f_code());
    /// assert!(!"O99.35".parse::<IcdCode>()?.takes_condition_from_f_code());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn takes_condition_from_f_code(&self) -> bool {
        let sub = self.subcode().as_bytes();
        self.category() == "O99"
            && sub.first() == Some(&b'3')
            && matches!(sub.get(1), Some(b'1'..=b'4'))
    }
}

impl IcdCode {
    /// Whether a diagnosis may give this code with `condition` named beside
    /// it: the code's own family, or a broader one (`substance_use` beside
    /// F10.20), for a code in the families; for a code read as
    /// [`Condition::Other`], only the conditions the code can stand for.
    ///
    /// A code read as "other" can always be named `other`. Beyond that,
    /// following the ICD-10-CM tabular list, chapter 5 (the block titles are
    /// ICD-10-CM's; which family each may be is carematch's reading):
    ///
    /// | codes | may be named |
    /// | --- | --- |
    /// | O99.31 alcohol, O99.32 drug, O99.33 tobacco, O99.34 other mental disorders complicating pregnancy | alcohol use; another substance; nicotine; a condition outside substance use |
    /// | F06 mental disorders due to a known physiological condition (psychotic, mood, anxiety) | psychotic, depressive, bipolar, anxiety |
    /// | F07 personality change due to a known physiological condition, F69 unspecified disorder of adult personality | personality |
    /// | F34.8, F34.9 other and unspecified persistent mood disorders, F39 unspecified mood disorder | depressive, bipolar |
    /// | F53 puerperal disorders other than F53.0 and F53.1 | depressive, psychotic |
    /// | F93 childhood emotional disorders (F93.0 separation anxiety) | anxiety |
    /// | F94 social functioning disorders (F94.0 selective mutism; F94.1, F94.2 attachment disorders) | anxiety, trauma-related |
    /// | F99 mental disorder not otherwise specified | any condition outside substance use |
    ///
    /// Every other code read as "other" (F42.3 hoarding and F42.4
    /// excoriation, which sit in F42 but are not treated as OCD; dementia,
    /// sleep, developmental and conduct codes; every code outside chapter
    /// 5) can be named `other` only: a condition of the families is coded
    /// with its own F code.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Condition, IcdCode};
    /// let excoriation: IcdCode = "F42.4".parse()?;
    /// assert!(excoriation.can_mean(Condition::Other));
    /// assert!(!excoriation.can_mean(Condition::ObsessiveCompulsive));
    /// assert!("F39".parse::<IcdCode>()?.can_mean(Condition::Bipolar));
    /// assert!("F10.20".parse::<IcdCode>()?.can_mean(Condition::SubstanceUse));
    /// assert!(!"Z63.0".parse::<IcdCode>()?.can_mean(Condition::Depressive));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn can_mean(&self, condition: Condition) -> bool {
        use Condition as C;
        let own = self.condition();
        if own != C::Other {
            return condition.covers(own);
        }
        if condition == C::Other {
            return true;
        }
        let substance = condition.is_substance_use();
        if self.takes_condition_from_f_code() {
            return match self.subcode().as_bytes().get(1) {
                Some(b'1') => condition.covers(C::AlcoholUse),
                Some(b'2') => substance && condition != C::AlcoholUse,
                Some(b'3') => condition == C::NicotineUse,
                _ => !substance && condition != C::NicotineUse,
            };
        }
        match self.category() {
            "F06" => matches!(
                condition,
                C::Psychotic | C::Depressive | C::Bipolar | C::Anxiety
            ),
            "F07" | "F69" => condition == C::Personality,
            "F34" | "F39" => matches!(condition, C::Depressive | C::Bipolar),
            "F53" => matches!(condition, C::Depressive | C::Psychotic),
            "F93" => condition == C::Anxiety,
            "F94" => matches!(condition, C::Anxiety | C::TraumaRelated),
            "F99" => !substance && condition != C::NicotineUse,
            _ => false,
        }
    }

    /// Why a diagnosis may not give this code with `condition` beside it,
    /// in words, or `None` when it may ([`IcdCode::can_mean`]).
    pub(crate) fn refusal_of(&self, condition: Condition) -> Option<String> {
        if self.can_mean(condition) {
            return None;
        }
        let key = condition.key();
        let own = self.condition();
        if own != Condition::Other {
            return Some(format!(
                "code {self} is {own}, which does not agree with condition `{key}`"
            ));
        }
        if !self.category().starts_with('F') && !self.takes_condition_from_f_code() {
            return Some(format!(
                "code {self} is outside ICD-10-CM's chapter of mental and behavioural disorders (F01-F99), so it cannot be condition `{key}`: give that condition its own diagnosis with its F code, or leave `condition` out"
            ));
        }
        let can: Vec<String> = Condition::ALL
            .iter()
            .filter(|c| self.can_mean(**c))
            .map(|c| format!("`{}`", c.key()))
            .collect();
        let can = match can.split_last() {
            Some((last, [])) => format!("only {last}"),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        };
        let why = if self.category() == "F42" {
            " (hoarding and excoriation sit in F42 but are not treated as obsessive-compulsive disorder)"
        } else {
            ""
        };
        Some(format!(
            "code {self} can be condition {can}, not `{key}`{why}: correct the code or leave `condition` out"
        ))
    }
}

/// A withdrawal an ICD-10-CM code records ([`IcdCode::withdrawal`]).
///
/// # Example
///
/// ```
/// use carematch::IcdCode;
/// let w = "F13.232".parse::<IcdCode>()?.withdrawal().unwrap();
/// assert!(w.perceptual_disturbance && !w.delirium);
/// assert_eq!(w.to_string(), "sedative use disorder withdrawal with perceptual disturbance");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Withdrawal {
    /// The substance's condition (alcohol use, opioid use ...).
    pub substance: Condition,
    /// With delirium (sixth character `1` of F10, F13 and F19).
    pub delirium: bool,
    /// With perceptual disturbance (sixth character `2`).
    pub perceptual_disturbance: bool,
}

impl Withdrawal {
    /// Whether the withdrawal calls for withdrawal management: every
    /// substance but nicotine (tobacco withdrawal is treated where the
    /// patient is, with nicotine replacement).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::IcdCode;
    /// assert!("F11.23".parse::<IcdCode>()?.withdrawal().unwrap().needs_management());
    /// assert!(!"F17.203".parse::<IcdCode>()?.withdrawal().unwrap().needs_management());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn needs_management(&self) -> bool {
        self.substance != Condition::NicotineUse
    }
}

impl fmt::Display for Withdrawal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} withdrawal", self.substance)?;
        if self.delirium {
            f.write_str(" with delirium")?;
        }
        if self.perceptual_disturbance {
            f.write_str(" with perceptual disturbance")?;
        }
        Ok(())
    }
}

terms! {
    /// Pregnancy or the 12 months after it.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::Pregnancy;
    /// assert_eq!("postpartum".parse::<Pregnancy>()?, Pregnancy::Postpartum);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub enum Pregnancy: "pregnancy status" {
        /// Pregnant now.
        Pregnant = "pregnant", "pregnant";
        /// Within 12 months after the end of a pregnancy.
        Postpartum = "postpartum", "postpartum (within 12 months)";
    }
}

impl fmt::Display for IcdCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.len > 3 {
            write!(f, "{}.{}", self.category(), self.subcode())
        } else {
            f.write_str(self.category())
        }
    }
}

impl FromStr for IcdCode {
    type Err = Error;

    fn from_str(s: &str) -> Result<IcdCode, Error> {
        const WHAT: &str = "ICD-10-CM code";
        let t = s.trim();
        let b = t.as_bytes();
        if b.len() < 3
            || !b[0].is_ascii_alphabetic()
            || !b[1].is_ascii_digit()
            || !b[2].is_ascii_digit()
        {
            return Err(Error::parse(
                WHAT,
                s,
                "expected a letter and two digits, as in F43.10",
            ));
        }
        let rest = match &b[3..] {
            [b'.'] => {
                return Err(Error::parse(
                    WHAT,
                    s,
                    "a dot must be followed by 1 to 4 characters",
                ));
            }
            [b'.', rest @ ..] => rest,
            rest => rest,
        };
        if !rest.iter().all(u8::is_ascii_alphanumeric) {
            return Err(Error::parse(
                WHAT,
                s,
                "only letters and digits may follow the category",
            ));
        }
        if rest.len() > 4 {
            return Err(Error::parse(
                WHAT,
                s,
                "at most 4 characters may follow the category",
            ));
        }
        let mut chars = [0u8; 7];
        for (i, &c) in b[..3].iter().chain(rest).enumerate() {
            chars[i] = c.to_ascii_uppercase();
        }
        Ok(IcdCode {
            chars,
            len: (3 + rest.len()) as u8,
        })
    }
}

#[cfg(feature = "serde")]
crate::serde_impl::via_string!(IcdCode, "an ICD-10-CM code such as F43.10");

terms! {
    /// The condition families intensive outpatient programs treat and screen for.
    ///
    /// Substance use carries the substance ([`Condition::AlcoholUse`] ...);
    /// [`Condition::SubstanceUse`] names the whole family (a program that
    /// treats substance use of any kind). See [`Condition::covers`].
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::Condition;
    ///
    /// let c: Condition = "ptsd".parse()?;
    /// assert_eq!(c.to_string(), "post-traumatic stress disorder");
    /// assert_eq!(c.to_string().parse::<Condition>()?, c);
    /// assert!(Condition::SubstanceUse.covers(Condition::OpioidUse));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub enum Condition: "condition" {
        /// Major depressive disorder, single or recurrent (F32, F33), dysthymia
        /// (F34.1) and disruptive mood dysregulation disorder (F34.81).
        Depressive = "depressive", "depressive disorder";
        /// Phobic and other anxiety disorders (F40, F41).
        Anxiety = "anxiety", "anxiety disorder";
        /// Post-traumatic stress disorder (F43.1x).
        Ptsd = "ptsd", "post-traumatic stress disorder";
        /// Other reactions to severe stress and adjustment disorders (the rest of F43).
        TraumaRelated = "trauma_related", "trauma- or stressor-related disorder";
        /// Bipolar spectrum: manic episode (F30), bipolar disorder (F31) and
        /// cyclothymia (F34.0).
        Bipolar = "bipolar", "bipolar disorder";
        /// Specific personality disorders (F60) other than borderline.
        Personality = "personality", "personality disorder";
        /// Borderline personality disorder (F60.3).
        BorderlinePersonality = "borderline_personality", "borderline personality disorder";
        /// Substance use disorder of any substance (the F10-F19 family as a whole).
        SubstanceUse = "substance_use", "substance use disorder";
        /// Alcohol use disorder (F10).
        AlcoholUse = "alcohol_use", "alcohol use disorder";
        /// Opioid use disorder (F11).
        OpioidUse = "opioid_use", "opioid use disorder";
        /// Cannabis use disorder (F12).
        CannabisUse = "cannabis_use", "cannabis use disorder";
        /// Sedative, hypnotic or anxiolytic use disorder (F13).
        SedativeUse = "sedative_use", "sedative use disorder";
        /// Cocaine use disorder (F14).
        CocaineUse = "cocaine_use", "cocaine use disorder";
        /// Other stimulant use disorder (F15).
        StimulantUse = "stimulant_use", "stimulant use disorder";
        /// Hallucinogen use disorder (F16).
        HallucinogenUse = "hallucinogen_use", "hallucinogen use disorder";
        /// Nicotine dependence (F17).
        NicotineUse = "nicotine_use", "nicotine use disorder";
        /// Inhalant use disorder (F18).
        InhalantUse = "inhalant_use", "inhalant use disorder";
        /// Other or multiple psychoactive substance use (F19).
        OtherSubstanceUse = "other_substance_use", "other substance use disorder";
        /// Schizophrenia and other psychotic disorders (F20-F29).
        Psychotic = "psychotic", "psychotic disorder";
        /// Obsessive-compulsive disorder (F42, except F42.3 hoarding and F42.4
        /// excoriation, which are [`Condition::Other`]).
        ObsessiveCompulsive = "obsessive_compulsive", "obsessive-compulsive disorder";
        /// Eating disorders (F50).
        Eating = "eating", "eating disorder";
        /// Attention-deficit hyperactivity disorders (F90).
        Adhd = "adhd", "attention-deficit hyperactivity disorder";
        /// A condition outside the families above.
        Other = "other", "other condition";
    }
}

impl Condition {
    /// Whether this is substance use as programs and matching mean it: the
    /// substance-use family or one substance, but not nicotine dependence.
    ///
    /// This is the one definition of "co-occurring substance use" in the
    /// crate (addiction clinician and substance-use license checks,
    /// `co_occurring_substance_use`, the substance-use family a program's
    /// exclusion covers). Nicotine dependence (F17) is coded in the F10-F19
    /// block and is a DSM-5 substance use disorder, but a program that does
    /// not accept substance use still takes people who smoke; it has its own
    /// evidence row (tobacco treatment).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::Condition;
    /// assert!(Condition::AlcoholUse.is_substance_use());
    /// assert!(!Condition::NicotineUse.is_substance_use());
    /// assert!(!Condition::Ptsd.is_substance_use());
    /// ```
    pub const fn is_substance_use(self) -> bool {
        matches!(
            self,
            Condition::SubstanceUse
                | Condition::AlcoholUse
                | Condition::OpioidUse
                | Condition::CannabisUse
                | Condition::SedativeUse
                | Condition::CocaineUse
                | Condition::StimulantUse
                | Condition::HallucinogenUse
                | Condition::InhalantUse
                | Condition::OtherSubstanceUse
        )
    }

    /// The broader family this condition belongs to, if any: borderline
    /// personality disorder is a personality disorder, and every substance but
    /// nicotine is substance use. Nicotine dependence (F17) is coded in the
    /// F10-F19 block, but it is not what programs mean by co-occurring
    /// substance use: it calls for no addiction clinician, and a program that
    /// does not accept substance use still takes people who smoke.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::Condition;
    /// assert_eq!(Condition::BorderlinePersonality.broader(), Some(Condition::Personality));
    /// assert_eq!(Condition::CocaineUse.broader(), Some(Condition::SubstanceUse));
    /// assert_eq!(Condition::NicotineUse.broader(), None);
    /// assert_eq!(Condition::Ptsd.broader(), None);
    /// ```
    pub const fn broader(self) -> Option<Condition> {
        match self {
            Condition::BorderlinePersonality => Some(Condition::Personality),
            Condition::SubstanceUse => None,
            c if c.is_substance_use() => Some(Condition::SubstanceUse),
            _ => None,
        }
    }

    /// Whether a program statement about `self` (a specialty, an exclusion)
    /// applies to a patient with `other`: the same condition, or `self` is the
    /// broader family of `other`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::Condition;
    /// assert!(Condition::Personality.covers(Condition::BorderlinePersonality));
    /// assert!(!Condition::BorderlinePersonality.covers(Condition::Personality));
    /// assert!(Condition::Ptsd.covers(Condition::Ptsd));
    /// ```
    pub const fn covers(self, other: Condition) -> bool {
        self as u8 == other as u8 || matches!(other.broader(), Some(b) if b as u8 == self as u8)
    }

    /// The bits of every condition `self` covers (itself and, for a family, its members).
    pub(crate) fn covered_mask(self) -> u64 {
        Condition::ALL
            .iter()
            .filter(|c| self.covers(**c))
            .fold(0, |m, c| m | c.bit())
    }
}

terms! {
    /// How severe a diagnosis is, as the referring clinician judged it.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::Severity;
    /// assert!(Severity::Severe > Severity::Mild);
    /// assert_eq!("moderate".parse::<Severity>()?, Severity::Moderate);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub enum Severity: "severity" {
        /// Mild.
        Mild = "mild", "mild";
        /// Moderate.
        Moderate = "moderate", "moderate";
        /// Severe.
        Severe = "severe", "severe";
    }
}

/// One diagnosis of a patient: a condition, from an ICD-10-CM code or named
/// directly, whether it is the primary one, and an optional severity.
///
/// In JSON give `code`, `condition` or both (they must agree: the code's
/// family or a broader one, or, for a code read as "other", a condition the
/// code can stand for, see [`IcdCode::can_mean`]):
/// `{"code": "F43.10", "primary": true}`, `{"condition": "depressive"}`.
///
/// # Example
///
/// ```
/// use carematch::{Condition, Diagnosis, Severity};
///
/// let d = Diagnosis::from_code("F33.1".parse()?).primary().with_severity(Severity::Moderate);
/// assert_eq!(d.condition, Condition::Depressive);
/// assert!(d.primary);
/// assert_eq!(d.to_string(), "depressive disorder (F33.1), moderate, primary");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "DiagnosisRepr", into = "DiagnosisRepr")
)]
pub struct Diagnosis {
    /// The condition family.
    pub condition: Condition,
    /// The ICD-10-CM code, when one was given.
    pub code: Option<IcdCode>,
    /// Whether this is the primary diagnosis (weighted most in matching).
    pub primary: bool,
    /// Severity, when known.
    pub severity: Option<Severity>,
    /// A first episode of a psychotic disorder (F20-F29 only): coordinated
    /// specialty care becomes first-line for it (APA schizophrenia
    /// guideline, 2020; NICE CG178 early intervention in psychosis). In
    /// JSON `"first_episode": true`; refused on any other condition.
    pub first_episode: bool,
}

impl Diagnosis {
    /// A secondary diagnosis from a code; the condition is the code's family.
    ///
    /// # Example
    ///
    /// ```
    /// let d = carematch::Diagnosis::from_code("F31.81".parse()?);
    /// assert_eq!(d.condition, carematch::Condition::Bipolar);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn from_code(code: IcdCode) -> Diagnosis {
        Diagnosis {
            condition: code.condition(),
            code: Some(code),
            primary: false,
            severity: None,
            first_episode: false,
        }
    }

    /// A secondary diagnosis named by condition, without a code.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Condition, Diagnosis};
    /// assert_eq!(Diagnosis::from_condition(Condition::Ptsd).code, None);
    /// ```
    pub fn from_condition(condition: Condition) -> Diagnosis {
        Diagnosis {
            condition,
            code: None,
            primary: false,
            severity: None,
            first_episode: false,
        }
    }

    /// The same diagnosis marked primary.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Condition, Diagnosis};
    /// assert!(Diagnosis::from_condition(Condition::Ptsd).primary().primary);
    /// ```
    pub fn primary(mut self) -> Diagnosis {
        self.primary = true;
        self
    }

    /// The same diagnosis with a severity.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Condition, Diagnosis, Severity};
    /// let d = Diagnosis::from_condition(Condition::Anxiety).with_severity(Severity::Mild);
    /// assert_eq!(d.severity, Some(Severity::Mild));
    /// ```
    pub fn with_severity(mut self, severity: Severity) -> Diagnosis {
        self.severity = Some(severity);
        self
    }

    /// The same diagnosis marked as a first episode (of a psychotic
    /// disorder; [`crate::PatientNeeds::validate`] refuses it on another
    /// condition).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Condition, Diagnosis};
    /// let d = Diagnosis::from_condition(Condition::Psychotic).first_episode();
    /// assert!(d.first_episode);
    /// assert_eq!(d.to_string(), "psychotic disorder, first episode");
    /// ```
    pub fn first_episode(mut self) -> Diagnosis {
        self.first_episode = true;
        self
    }
}

impl fmt::Display for Diagnosis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.condition)?;
        if let Some(code) = self.code {
            write!(f, " ({code})")?;
        }
        if let Some(s) = self.severity {
            write!(f, ", {s}")?;
        }
        if self.first_episode {
            f.write_str(", first episode")?;
        }
        if self.primary {
            f.write_str(", primary")?;
        }
        Ok(())
    }
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a diagnosis: an object with \"code\" (ICD-10-CM) or \"condition\""
)]
struct DiagnosisRepr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    code: Option<IcdCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    condition: Option<Condition>,
    #[serde(default)]
    primary: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    severity: Option<Severity>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    first_episode: bool,
}

#[cfg(feature = "serde")]
impl TryFrom<DiagnosisRepr> for Diagnosis {
    type Error = String;

    fn try_from(r: DiagnosisRepr) -> Result<Diagnosis, String> {
        let condition = match (r.code, r.condition) {
            (None, None) => return Err("a diagnosis needs a `code` or a `condition`".into()),
            (None, Some(c)) => c,
            (Some(code), None) => code.condition(),
            (Some(code), Some(c)) => {
                if let Some(refusal) = code.refusal_of(c) {
                    return Err(refusal);
                }
                // The more precise of the two: the code's family, or the
                // condition named beside a code read as "other".
                match code.condition() {
                    Condition::Other => c,
                    from_code => from_code,
                }
            }
        };
        Ok(Diagnosis {
            condition,
            code: r.code,
            primary: r.primary,
            severity: r.severity,
            first_episode: r.first_episode,
        })
    }
}

#[cfg(feature = "serde")]
impl From<Diagnosis> for DiagnosisRepr {
    fn from(d: Diagnosis) -> DiagnosisRepr {
        DiagnosisRepr {
            code: d.code,
            condition: Some(d.condition),
            primary: d.primary,
            severity: d.severity,
            first_episode: d.first_episode,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Condition;

    /// The mask a family's exclusion or specialty compiles to agrees with `covers`.
    #[test]
    fn covered_masks_agree_with_covers() {
        for &a in Condition::ALL {
            for &b in Condition::ALL {
                assert_eq!(a.covered_mask() & b.bit() != 0, a.covers(b), "{a:?} {b:?}");
            }
        }
    }
}
