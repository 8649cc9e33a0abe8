//! Treatment programs and their parts. Validation is in [`validate`].

use std::fmt;
use std::str::FromStr;

use crate::credential::{FacilityCredential, Staff};
use crate::date::Date;
use crate::diagnosis::Condition;
use crate::error::Error;
use crate::level::LevelOfCare;
use crate::schedule::Track;
#[cfg(feature = "serde")]
use crate::serde_impl::exact_vec;
use crate::terms::terms;
use crate::therapy::{Approach, Modality, MoudMedication};

mod validate;

pub(crate) use self::validate::DirectoryCheck;
pub use self::validate::validate_programs;

/// A program's identifier, unique within a directory: non-empty, no spaces.
///
/// # Example
///
/// ```
/// use carematch::ProgramId;
/// let id: ProgramId = "worcester-evening-iop".parse()?;
/// assert_eq!(id.as_str(), "worcester-evening-iop");
/// assert!("".parse::<ProgramId>().is_err());
/// assert!("two words".parse::<ProgramId>().is_err());
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProgramId(String);

impl ProgramId {
    /// The identifier as text.
    ///
    /// # Example
    ///
    /// ```
    /// let id: carematch::ProgramId = "a1".parse()?;
    /// assert_eq!(id.as_str(), "a1");
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Why `s` is not a program id (empty, spaces or control characters,
    /// longer than 128 bytes), or `None` when it is one: the one rule
    /// [`str::parse`] and the snapshot's record check (which allocates
    /// nothing) both read.
    pub(crate) fn refusal(s: &str) -> Option<&'static str> {
        if s.is_empty() {
            Some("is empty")
        } else if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            Some("must not contain spaces or control characters")
        } else if s.len() > 128 {
            Some("is longer than 128 bytes")
        } else {
            None
        }
    }

    /// The empty id, which [`str::parse`] refuses: the placeholder the
    /// snapshot's record check builds its unkept programs with.
    pub(crate) fn placeholder() -> ProgramId {
        ProgramId(String::new())
    }
}

impl FromStr for ProgramId {
    type Err = Error;

    fn from_str(s: &str) -> Result<ProgramId, Error> {
        match ProgramId::refusal(s) {
            Some(why) => Err(Error::parse("program id", s, why)),
            None => Ok(ProgramId(s.to_owned())),
        }
    }
}

impl AsRef<str> for ProgramId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Hashes and orders as its text, so a `HashMap<ProgramId, _>` or
/// `BTreeMap<ProgramId, _>` can be looked up by `&str`.
///
/// # Example
///
/// ```
/// use std::collections::HashMap;
/// use carematch::ProgramId;
/// let mut seats: HashMap<ProgramId, u32> = HashMap::new();
/// seats.insert(ProgramId::try_from("a1")?, 3);
/// assert_eq!(seats.get("a1"), Some(&3));
/// # Ok::<(), carematch::Error>(())
/// ```
impl std::borrow::Borrow<str> for ProgramId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl TryFrom<&str> for ProgramId {
    type Error = Error;

    /// As [`str::parse`].
    fn try_from(s: &str) -> Result<ProgramId, Error> {
        s.parse()
    }
}

impl TryFrom<String> for ProgramId {
    type Error = Error;

    /// As [`str::parse`], keeping the allocation.
    fn try_from(s: String) -> Result<ProgramId, Error> {
        match ProgramId::refusal(&s) {
            Some(why) => Err(Error::parse("program id", &s, why)),
            None => Ok(ProgramId(s)),
        }
    }
}

impl fmt::Display for ProgramId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

#[cfg(feature = "serde")]
crate::serde_impl::via_string!(ProgramId, "a program id without spaces");

terms! {
    /// A plan that runs MassHealth products (ACO and MCO plans, One Care,
    /// Senior Care Options). WellSense, Fallon Health, Health New England,
    /// Mass General Brigham Health Plan and Tufts Health Together run
    /// MassHealth ACO or MCO plans; Commonwealth Care Alliance runs One Care
    /// (MassHealth with Medicare, ages 21 to 64) and Senior Care Options.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::MassHealthPlan;
    /// assert_eq!("wellsense".parse::<MassHealthPlan>()?, MassHealthPlan::WellSense);
    /// assert_eq!(MassHealthPlan::CcaOneCare.to_string(), "Commonwealth Care Alliance One Care");
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub enum MassHealthPlan: "MassHealth plan" {
        /// WellSense Health Plan (formerly BMC HealthNet Plan).
        WellSense = "wellsense", "WellSense";
        /// Fallon Health.
        Fallon = "fallon", "Fallon Health";
        /// Health New England.
        HealthNewEngland = "health_new_england", "Health New England";
        /// Mass General Brigham Health Plan (formerly AllWays Health Partners).
        MassGeneralBrigham = "mass_general_brigham", "Mass General Brigham Health Plan";
        /// Tufts Health Together (Tufts Health Plan's MassHealth product).
        TuftsHealthTogether = "tufts_health_together", "Tufts Health Together";
        /// Commonwealth Care Alliance One Care.
        CcaOneCare = "cca_one_care", "Commonwealth Care Alliance One Care";
        /// Commonwealth Care Alliance Senior Care Options.
        CcaSeniorCareOptions = "cca_senior_care_options", "Commonwealth Care Alliance Senior Care Options";
    }
}

/// Parent companies of commercial plans: the parent's name, then its plans.
/// Point32Health is the parent of Harvard Pilgrim Health Care and Tufts
/// Health Plan (clinical reference, Massachusetts payers).
const COMMERCIAL_PARENTS: &[(&str, &[&str])] = &[(
    "Point32Health",
    &["Harvard Pilgrim Health Care", "Tufts Health Plan"],
)];

/// A payer: public insurance (MassHealth and its products, Medicare and
/// Medicare Advantage, TRICARE, VA Community Care, another state's
/// Medicaid), a named commercial plan, self-pay or a sliding scale.
///
/// Written as `masshealth`, `masshealth: <plan>` (a [`MassHealthPlan`]),
/// `medicare`, `medicare_advantage` or `medicare_advantage: <plan name>`,
/// `tricare`, `va_community_care`, `medicaid: <state>` (two letters; another
/// state's Medicaid program, Massachusetts's being `masshealth`),
/// `self_pay`, `sliding_scale`, or `commercial: <plan name>`. Plan names
/// compare without regard to ASCII case or repeated spaces.
///
/// Acceptance ([`Payer::accepts`]) follows parents: a program accepting
/// `commercial: Point32Health` accepts Harvard Pilgrim Health Care and Tufts
/// Health Plan; one accepting `medicare_advantage` accepts every Medicare
/// Advantage plan.
///
/// MassHealth is different, because its products have networks of their
/// own. Plain `masshealth` means the fee-for-service network (the Primary
/// Care Clinician Plan, Primary Care ACOs, and behavioral health through the
/// Massachusetts Behavioral Health Partnership); a `masshealth: <plan>`
/// product (a managed care organization, an Accountable Care Partnership
/// Plan such as WellSense, One Care or Senior Care Options) contracts its
/// own providers (MassHealth provider handbooks; MassHealth's "health plans"
/// member pages). So a listing cannot settle the network either way when
/// one side names a product and the other plain MassHealth: a member of a
/// product at a program listing only plain `masshealth`, or a plain
/// MassHealth member at a program listing only products, is *unconfirmed*
/// ([`Payer::unconfirmed_under`]): a match with an alert, never silently in
/// network and never excluded.
///
/// # Example
///
/// ```
/// use carematch::{MassHealthPlan, Payer};
///
/// let p: Payer = "commercial: Harvard  Pilgrim".parse()?;
/// assert_eq!(p.to_string(), "commercial: Harvard Pilgrim");
/// assert_eq!(p, "Commercial: harvard pilgrim".parse()?);
/// assert_eq!("MassHealth".parse::<Payer>()?, Payer::MassHealth);
/// assert_eq!("masshealth: WellSense".parse::<Payer>()?, Payer::MassHealthPlan(MassHealthPlan::WellSense));
/// assert_eq!("medicaid: ny".parse::<Payer>()?.to_string(), "medicaid: NY");
/// assert!("Masshelth".parse::<Payer>().is_err());
/// assert!("medicaid: MA".parse::<Payer>().is_err());
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Eq)]
#[non_exhaustive]
pub enum Payer {
    /// MassHealth, Massachusetts' Medicaid and CHIP program (any product).
    MassHealth,
    /// Medicare.
    Medicare,
    /// TRICARE, the military health plan.
    Tricare,
    /// Paying out of pocket at the full rate.
    SelfPay,
    /// Fees reduced by income.
    SlidingScale,
    /// A named commercial plan.
    Commercial(String),
    /// A MassHealth product run by a named plan.
    MassHealthPlan(MassHealthPlan),
    /// Medicare Advantage (Medicare Part C), optionally a named plan.
    MedicareAdvantage(Option<String>),
    /// VA Community Care: care for veterans outside VA facilities, paid by the VA.
    VaCommunityCare,
    /// Another state's Medicaid program, by its two-letter state code.
    Medicaid(String),
}

impl Payer {
    const NAMED: [(Payer, &'static str, &'static str); 7] = [
        (Payer::MassHealth, "masshealth", "MassHealth"),
        (Payer::Medicare, "medicare", "Medicare"),
        (Payer::Tricare, "tricare", "TRICARE"),
        (Payer::SelfPay, "self_pay", "self-pay"),
        (Payer::SlidingScale, "sliding_scale", "sliding scale"),
        (
            Payer::MedicareAdvantage(None),
            "medicare_advantage",
            "Medicare Advantage",
        ),
        (
            Payer::VaCommunityCare,
            "va_community_care",
            "VA Community Care",
        ),
    ];

    /// A commercial plan, its name's spaces tidied.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Parse`](crate::ErrorKind::Parse) for an empty name.
    ///
    /// # Example
    ///
    /// ```
    /// let p = carematch::Payer::commercial(" Tufts  Health Plan ")?;
    /// assert_eq!(p.to_string(), "commercial: Tufts Health Plan");
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn commercial(name: &str) -> Result<Payer, Error> {
        tidy_name(name, "a commercial plan needs a name").map(Payer::Commercial)
    }

    /// Another state's Medicaid program.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Parse`](crate::ErrorKind::Parse) for a code that is not a US state or territory, and
    /// for `MA` (Massachusetts's Medicaid is [`Payer::MassHealth`]).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::Payer::medicaid("nh")?.to_string(), "medicaid: NH");
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn medicaid(state: &str) -> Result<Payer, Error> {
        let code = state.trim().to_ascii_uppercase();
        if code == "MA" {
            return Err(Error::parse(
                "payer",
                state,
                "Massachusetts's Medicaid program is MassHealth: write masshealth",
            ));
        }
        if let Some(problem) = crate::region::state_problem(&code) {
            return Err(Error::parse("payer", state, problem));
        }
        Ok(Payer::Medicaid(code))
    }

    /// Whether this is a self-pay or sliding-scale arrangement.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::Payer::SlidingScale.is_self_funded());
    /// ```
    pub fn is_self_funded(&self) -> bool {
        matches!(self, Payer::SelfPay | Payer::SlidingScale)
    }

    /// The parent whose acceptance covers this payer: the parent company of
    /// a commercial plan (Point32Health for Harvard Pilgrim Health Care and
    /// Tufts Health Plan), Medicare Advantage for a named Medicare Advantage
    /// plan. A MassHealth product has none: its network is its own (see
    /// [`Payer::unconfirmed_under`]).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{MassHealthPlan, Payer};
    /// let hp = Payer::commercial("harvard pilgrim health care")?;
    /// assert_eq!(hp.parent(), Some(Payer::commercial("Point32Health")?));
    /// assert_eq!(Payer::MassHealthPlan(MassHealthPlan::Fallon).parent(), None);
    /// assert_eq!(Payer::MassHealth.parent(), None);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn parent(&self) -> Option<Payer> {
        match self {
            Payer::Commercial(name) => COMMERCIAL_PARENTS
                .iter()
                .find(|(_, plans)| plans.iter().any(|p| p.eq_ignore_ascii_case(name)))
                .map(|(parent, _)| Payer::Commercial((*parent).to_owned())),
            Payer::MedicareAdvantage(Some(_)) => Some(Payer::MedicareAdvantage(None)),
            _ => None,
        }
    }

    /// The payers a program may list to accept a patient on this payer: the
    /// payer itself, then its parent ([`Payer::parent`]). The one rule both
    /// the plain path and the index use.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{MassHealthPlan, Payer};
    /// let p = Payer::commercial("Tufts Health Plan")?;
    /// assert_eq!(p.accepted_under(), vec![p.clone(), Payer::commercial("Point32Health")?]);
    /// let wellsense = Payer::MassHealthPlan(MassHealthPlan::WellSense);
    /// assert_eq!(wellsense.accepted_under(), vec![wellsense.clone()]);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn accepted_under(&self) -> Vec<Payer> {
        let mut out = vec![self.clone()];
        let mut at = self.parent();
        while let Some(p) = at {
            at = p.parent();
            out.push(p);
        }
        out
    }

    /// Whether a program listing this payer accepts a patient on `patient`:
    /// `patient` is this payer or one of its plans or products.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{MassHealthPlan, Payer};
    /// let point32 = Payer::commercial("Point32Health")?;
    /// assert!(point32.accepts(&Payer::commercial("Harvard Pilgrim Health Care")?));
    /// // MassHealth products have networks of their own: unconfirmed, not accepted.
    /// assert!(!Payer::MassHealth.accepts(&Payer::MassHealthPlan(MassHealthPlan::WellSense)));
    /// assert!(!Payer::MassHealthPlan(MassHealthPlan::WellSense).accepts(&Payer::MassHealth));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn accepts(&self, patient: &Payer) -> bool {
        patient.accepted_under().contains(self)
    }

    /// The payers a program may list that leave a patient on this payer
    /// *unconfirmed*: neither in network nor out, to be confirmed with the
    /// program (a match with a `network_unconfirmed` alert). For a MassHealth
    /// product, plain `masshealth` (the fee-for-service network: the product
    /// contracts its own providers); for plain MassHealth, every product (a
    /// program in a product's network may also take fee-for-service members,
    /// which its listing does not say). Empty for every other payer. The one
    /// rule both the plain path and the index use (MassHealth provider
    /// handbooks; see [`Payer`]).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{MassHealthPlan, Payer};
    /// let wellsense = Payer::MassHealthPlan(MassHealthPlan::WellSense);
    /// assert_eq!(wellsense.unconfirmed_under(), vec![Payer::MassHealth]);
    /// assert!(Payer::MassHealth.unconfirmed_under().contains(&wellsense));
    /// assert!(Payer::Medicare.unconfirmed_under().is_empty());
    /// ```
    pub fn unconfirmed_under(&self) -> Vec<Payer> {
        match self {
            Payer::MassHealthPlan(_) => vec![Payer::MassHealth],
            Payer::MassHealth => MassHealthPlan::ALL
                .iter()
                .map(|p| Payer::MassHealthPlan(*p))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// A key for comparing payers: the machine key, or the kind and the plan
    /// with ASCII letters lowercased (`commercial:tufts health plan`,
    /// `masshealth:wellsense`, `medicaid:ny`). Two payers are equal exactly
    /// when their keys are.
    ///
    /// # Example
    ///
    /// ```
    /// let p = carematch::Payer::commercial("Tufts Health Plan")?;
    /// assert_eq!(p.key(), "commercial:tufts health plan");
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn key(&self) -> String {
        let mut key = String::new();
        self.write_key(&mut key);
        key
    }

    /// Appends [`Payer::key`] to `out` (the index writes every program's
    /// payers' keys into one buffer).
    pub(crate) fn write_key(&self, out: &mut String) {
        let (prefix, name) = match self {
            Payer::Commercial(name) => ("commercial:", name.as_str()),
            Payer::MassHealthPlan(plan) => {
                out.push_str("masshealth:");
                out.push_str(plan.key());
                return;
            }
            Payer::MedicareAdvantage(Some(name)) => ("medicare_advantage:", name.as_str()),
            Payer::Medicaid(state) => ("medicaid:", state.as_str()),
            named => {
                let key = Payer::NAMED.iter().find(|(p, _, _)| p == named);
                out.push_str(key.map_or("", |(_, k, _)| k));
                return;
            }
        };
        out.push_str(prefix);
        let from = out.len();
        out.push_str(name);
        out[from..].make_ascii_lowercase();
    }

    /// Declaration order, for `Ord`.
    fn rank(&self) -> u8 {
        match self {
            Payer::MassHealth => 0,
            Payer::MassHealthPlan(_) => 1,
            Payer::Medicare => 2,
            Payer::MedicareAdvantage(_) => 3,
            Payer::Tricare => 4,
            Payer::VaCommunityCare => 5,
            Payer::Medicaid(_) => 6,
            Payer::SelfPay => 7,
            Payer::SlidingScale => 8,
            Payer::Commercial(_) => 9,
        }
    }
}

/// `name` with its spaces tidied, or an error when empty.
fn tidy_name(name: &str, empty: &'static str) -> Result<String, Error> {
    let tidy = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if tidy.is_empty() {
        return Err(Error::parse("payer", name, empty));
    }
    Ok(tidy)
}

impl PartialEq for Payer {
    fn eq(&self, other: &Payer) -> bool {
        match (self, other) {
            (Payer::Commercial(a), Payer::Commercial(b))
            | (Payer::MedicareAdvantage(Some(a)), Payer::MedicareAdvantage(Some(b)))
            | (Payer::Medicaid(a), Payer::Medicaid(b)) => a.eq_ignore_ascii_case(b),
            (Payer::MassHealthPlan(a), Payer::MassHealthPlan(b)) => a == b,
            (Payer::MedicareAdvantage(a), Payer::MedicareAdvantage(b)) => {
                a.is_none() && b.is_none()
            }
            (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b),
        }
    }
}

impl Ord for Payer {
    /// In declaration order (MassHealth products after MassHealth, Medicare
    /// Advantage after Medicare), named plans by name without regard to
    /// ASCII case, so that the order agrees with `==`.
    fn cmp(&self, other: &Payer) -> std::cmp::Ordering {
        self.rank()
            .cmp(&other.rank())
            .then_with(|| self.key().cmp(&other.key()))
    }
}

impl PartialOrd for Payer {
    fn partial_cmp(&self, other: &Payer) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::hash::Hash for Payer {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl fmt::Display for Payer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Payer::Commercial(name) => write!(f, "commercial: {name}"),
            Payer::MassHealthPlan(plan) => write!(f, "masshealth: {plan}"),
            Payer::MedicareAdvantage(Some(name)) => write!(f, "medicare_advantage: {name}"),
            Payer::Medicaid(state) => write!(f, "medicaid: {state}"),
            named => {
                let label = Payer::NAMED
                    .iter()
                    .find(|(p, _, _)| p == named)
                    .map_or("", |(_, _, l)| l);
                f.write_str(label)
            }
        }
    }
}

impl Payer {
    /// The payer `s` names when it is written exactly as serde writes one:
    /// a machine key (`masshealth`), or `commercial: <name>` with the name
    /// already tidy (ASCII, single spaces between words, none at either
    /// end). `None` for anything else, which [`Payer::from_str`] then reads
    /// in full. The shortcut for reading large directories: it reads the
    /// same value as `from_str` for every text it accepts, without trimming,
    /// case folding, splitting or joining.
    fn from_exact(s: &str) -> Option<Payer> {
        if let Some(name) = s.strip_prefix("commercial: ") {
            let b = name.as_bytes();
            let tidy = !b.is_empty()
                && b[0] != b' '
                && b[b.len() - 1] != b' '
                && b.iter()
                    .all(|c| c.is_ascii() && (!c.is_ascii_whitespace() || *c == b' '))
                && !name.contains("  ");
            return tidy.then(|| Payer::Commercial(name.to_owned()));
        }
        Payer::NAMED
            .iter()
            .find(|(_, k, _)| *k == s)
            .map(|(p, _, _)| p.clone())
    }
}

impl FromStr for Payer {
    type Err = Error;

    fn from_str(s: &str) -> Result<Payer, Error> {
        Payer::from_exact(s).map_or_else(|| Payer::parse_full(s), Ok)
    }
}

impl Payer {
    /// Reads any payer text: trimmed, any ASCII case, a key or a label, a
    /// plan name's spaces tidied.
    fn parse_full(s: &str) -> Result<Payer, Error> {
        let t = s.trim();
        // Quote the whole text, not just the part after the colon.
        let whole = |e: Error| match e.repr() {
            crate::error::Repr::Parse { what, reason, .. } => Error::parse(what, s, reason.clone()),
            _ => e,
        };
        if let Some((head, rest)) = t.split_once(':') {
            let head = head.trim();
            let is = |k: &str| head.eq_ignore_ascii_case(k);
            if is("commercial") {
                return Payer::commercial(rest).map_err(whole);
            }
            if is("masshealth") {
                return rest
                    .trim()
                    .parse::<MassHealthPlan>()
                    .map(Payer::MassHealthPlan)
                    .map_err(|_| {
                        Error::parse(
                            "payer",
                            s,
                            "expected a MassHealth plan: wellsense, fallon, health_new_england, mass_general_brigham, tufts_health_together, cca_one_care or cca_senior_care_options",
                        )
                    });
            }
            if is("medicare_advantage") || is("medicare advantage") {
                return tidy_name(rest, "a Medicare Advantage plan needs a name")
                    .map(|n| Payer::MedicareAdvantage(Some(n)))
                    .map_err(whole);
            }
            if is("medicaid") {
                return Payer::medicaid(rest).map_err(whole);
            }
        }
        Payer::NAMED
            .iter()
            .find(|(_, k, l)| k.eq_ignore_ascii_case(t) || l.eq_ignore_ascii_case(t))
            .map(|(p, _, _)| p.clone())
            .ok_or_else(|| {
                Error::parse(
                    "payer",
                    s,
                    "expected masshealth, `masshealth: <plan>`, medicare, medicare_advantage, tricare, va_community_care, `medicaid: <state>`, self_pay, sliding_scale or `commercial: <plan name>`",
                )
            })
    }
}

#[cfg(feature = "serde")]
/// Written as the machine key (`masshealth`, `self_pay` ...) or `<kind>: <plan>`.
#[cfg(feature = "serde")]
impl serde::Serialize for Payer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Payer::Commercial(_)
            | Payer::MassHealthPlan(_)
            | Payer::MedicareAdvantage(Some(_))
            | Payer::Medicaid(_) => s.collect_str(self),
            named => s.serialize_str(&named.key()),
        }
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Payer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Payer, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Payer;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a payer such as masshealth or `commercial: <plan>`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Payer, E> {
                v.parse::<Payer>().map_err(|e| E::custom(e.reason()))
            }
        }
        d.deserialize_str(V)
    }
}

/// A language, as an ISO 639-1 (two-letter) or ISO 639-3 (three-letter) code.
///
/// # Example
///
/// ```
/// use carematch::Language;
/// let pt: Language = "PT".parse()?;
/// assert_eq!(pt.to_string(), "pt");
/// assert_eq!(pt.name(), Some("Portuguese"));
/// assert!("portuguese".parse::<Language>().is_err());
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Language([u8; 3]);

impl Language {
    /// English.
    pub const ENGLISH: Language = Language(*b"en\0");

    /// The code, lowercase.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carematch::Language::ENGLISH.code(), "en");
    /// ```
    pub fn code(&self) -> &str {
        let n = if self.0[2] == 0 { 2 } else { 3 };
        std::str::from_utf8(&self.0[..n]).unwrap_or("")
    }

    /// The English name, for every language the free-text vocabulary knows
    /// (the common languages of Massachusetts and many more).
    ///
    /// # Example
    ///
    /// ```
    /// let ht: carematch::Language = "ht".parse()?;
    /// assert_eq!(ht.name(), Some("Haitian Creole"));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn name(&self) -> Option<&'static str> {
        let code = self.code();
        LANGUAGES
            .iter()
            .find(|(c, _, _)| *c == code)
            .map(|(_, n, _)| *n)
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.code())
    }
}

impl FromStr for Language {
    type Err = Error;

    fn from_str(s: &str) -> Result<Language, Error> {
        let t = s.trim();
        if !(2..=3).contains(&t.len()) || !t.bytes().all(|c| c.is_ascii_alphabetic()) {
            return Err(Error::parse(
                "language",
                s,
                "expected an ISO 639 code of two or three letters, such as en, es or pt",
            ));
        }
        let mut b = [0u8; 3];
        for (i, c) in t.bytes().enumerate() {
            b[i] = c.to_ascii_lowercase();
        }
        Ok(Language(b))
    }
}

/// The one table of languages, for [`Language::name`] and the free-text
/// vocabulary: ISO 639 code, English name, then other names and ISO 639-2
/// codes (misspellings are left to close-spelling matching) (the three-letter codes of languages
/// with a two-letter code are read as the two-letter code, which matching
/// compares). Chinese is `zh`; Mandarin and Cantonese keep their own ISO
/// 639-3 codes (`cmn`, `yue`), because a patient who speaks one may not
/// speak the other.
pub(crate) const LANGUAGES: &[(&str, &str, &[&str])] = &[
    ("en", "English", &["eng"]),
    ("es", "Spanish", &["spa", "Espanol", "Castilian"]),
    (
        "pt",
        "Portuguese",
        &["por", "Brazilian Portuguese", "Portugues"],
    ),
    ("zh", "Chinese", &["zho", "chi"]),
    ("cmn", "Mandarin", &["Mandarin Chinese"]),
    ("yue", "Cantonese", &["Cantonese Chinese"]),
    (
        "ht",
        "Haitian Creole",
        &[
            "hat",
            "Haitian",
            "Kreyol",
            "Kreyol Ayisyen",
            "Creole (Haitian)",
        ],
    ),
    ("vi", "Vietnamese", &["vie"]),
    ("km", "Khmer", &["khm", "Cambodian"]),
    ("ru", "Russian", &["rus"]),
    ("ar", "Arabic", &["ara"]),
    ("fr", "French", &["fra", "fre"]),
    (
        "kea",
        "Cape Verdean Creole",
        &[
            "Cape Verdean",
            "Kriolu",
            "Kabuverdianu",
            "Creole (Cape Verdean)",
        ],
    ),
    ("ko", "Korean", &["kor"]),
    ("it", "Italian", &["ita"]),
    ("pl", "Polish", &["pol"]),
    ("el", "Greek", &["ell", "gre"]),
    ("ase", "American Sign Language", &["ASL", "sign language"]),
    ("de", "German", &["deu", "ger"]),
    ("ja", "Japanese", &["jpn"]),
    ("hi", "Hindi", &["hin"]),
    ("ur", "Urdu", &["urd"]),
    ("bn", "Bengali", &["ben", "Bangla"]),
    ("gu", "Gujarati", &["guj"]),
    ("pa", "Punjabi", &["pan", "Panjabi"]),
    ("ne", "Nepali", &["nep"]),
    ("ta", "Tamil", &["tam"]),
    ("tl", "Tagalog", &["tgl", "Filipino"]),
    ("th", "Thai", &["tha"]),
    ("lo", "Lao", &["lao", "Laotian"]),
    ("my", "Burmese", &["mya", "bur"]),
    ("hmn", "Hmong", &[]),
    ("so", "Somali", &["som"]),
    ("am", "Amharic", &["amh"]),
    ("ti", "Tigrinya", &["tir"]),
    ("sw", "Swahili", &["swa", "Kiswahili"]),
    ("yo", "Yoruba", &["yor"]),
    ("ig", "Igbo", &["ibo"]),
    ("tw", "Twi", &["twi"]),
    ("fa", "Persian", &["fas", "per", "Farsi"]),
    ("prs", "Dari", &[]),
    ("ps", "Pashto", &["pus"]),
    ("tr", "Turkish", &["tur"]),
    ("he", "Hebrew", &["heb"]),
    ("uk", "Ukrainian", &["ukr"]),
    ("ro", "Romanian", &["ron", "rum"]),
    ("sq", "Albanian", &["sqi", "alb"]),
    ("hy", "Armenian", &["hye", "arm"]),
    ("sr", "Serbian", &["srp"]),
    ("hr", "Croatian", &["hrv"]),
    ("bs", "Bosnian", &["bos"]),
    ("nl", "Dutch", &["nld", "dut"]),
    ("mam", "Mam", &[]),
];

#[cfg(feature = "serde")]
crate::serde_impl::via_string!(Language, "an ISO 639 language code");

terms! {
    /// A population a program focuses on, or is restricted to.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::Population;
    /// assert_eq!("lgbtq".parse::<Population>()?, Population::Lgbtq);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub enum Population: "population" {
        /// Women.
        Women = "women", "women";
        /// Men.
        Men = "men", "men";
        /// Military veterans.
        Veterans = "veterans", "veterans";
        /// LGBTQ+ people.
        Lgbtq = "lgbtq", "LGBTQ+";
        /// Young adults (about 18 to 25).
        YoungAdults = "young_adults", "young adults";
        /// Adolescents (about 13 to 17).
        Adolescents = "adolescents", "adolescents";
        /// Older adults (about 65 and over).
        OlderAdults = "older_adults", "older adults";
        /// Police, fire, EMS and other first responders.
        FirstResponders = "first_responders", "first responders";
        /// Pregnant and postpartum people.
        PerinatalParents = "perinatal", "pregnant and postpartum people";
    }
}

terms! {
    /// A service that supports a patient after the program ends.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::Aftercare;
    /// assert_eq!(Aftercare::AlumniGroup.to_string(), "alumni or continuing-care group");
    /// ```
    pub enum Aftercare: "aftercare service" {
        /// A written discharge plan made with the patient.
        DischargePlanning = "discharge_planning", "discharge planning";
        /// A warm hand-off to outpatient care.
        StepDownOutpatient = "step_down_outpatient", "step-down to outpatient care";
        /// An alumni or continuing-care group.
        AlumniGroup = "alumni_group", "alumni or continuing-care group";
        /// Contact after discharge (calls or visits at set intervals).
        FollowUp = "follow_up", "follow-up after discharge";
        /// Peer recovery coaching or support after discharge.
        PeerRecoverySupport = "peer_recovery_support", "peer recovery support";
        /// Prescriptions bridged until an outpatient prescriber takes over.
        MedicationContinuity = "medication_continuity", "medication continuity";
        /// Family sessions during the transition home.
        FamilySessions = "family_sessions", "family sessions";
    }
}

terms! {
    /// A part of a listing that a source may leave out: "not listed" is not
    /// "none". A program lists the parts its source did not give in
    /// [`Program::not_listed`]; matching never excludes on them, does not
    /// score them, and names them in an `unconfirmed` alert.
    ///
    /// A typical wait is not listed whenever `typical_wait_days` is absent,
    /// whether or not `wait` is named.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::NotListed;
    /// assert_eq!("payers".parse::<NotListed>()?, NotListed::Payers);
    /// assert_eq!(NotListed::Payers.to_string(), "insurance accepted");
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub enum NotListed: "listing part" {
        /// Weekly tracks: the schedule.
        Tracks = "tracks", "schedule";
        /// Clinicians by license and certification.
        Staff = "staff", "staff credentials";
        /// Facility licenses and accreditations.
        FacilityCredentials = "facility_credentials", "facility credentials";
        /// Aftercare services.
        Aftercare = "aftercare", "aftercare services";
        /// Payers accepted.
        Payers = "payers", "insurance accepted";
        /// Whether it is taking new patients.
        AcceptingNewPatients = "accepting_new_patients", "new-patient status";
        /// Typical days to intake.
        Wait = "typical_wait_days", "typical wait";
        /// When the listing was last verified: a source with no date (and no
        /// date given by the operator). `last_verified` is then not read
        /// (importers write 1900-01-01); freshness is not scored and no
        /// stale-data alert is raised for it.
        LastVerified = "last_verified", "verification date";
        /// Where it is: neither an address nor coordinates. Only a program
        /// delivered by telehealth alone may leave it out (a patient cannot
        /// be sent to a place not listed); its `location` keeps only its
        /// state, and distance is neither scored nor a reason to exclude it.
        Location = "location", "location";
    }
}

impl NotListed {
    /// The parts in `mask` (bits of [`NotListed`]), in declaration order.
    pub(crate) fn from_mask(mask: u64) -> Vec<NotListed> {
        NotListed::ALL
            .iter()
            .copied()
            .filter(|n| mask & n.bit() != 0)
            .collect()
    }
}

terms! {
    /// How a program delivers sessions.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::Delivery;
    /// assert_eq!("telehealth".parse::<Delivery>()?, Delivery::Telehealth);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub enum Delivery: "delivery mode" {
        /// In person at the program's location.
        InPerson = "in_person", "in person";
        /// By video (or phone).
        Telehealth = "telehealth", "telehealth";
        /// Some sessions in person, some by video.
        Hybrid = "hybrid", "hybrid";
    }
}

impl Delivery {
    /// Whether the patient attends some sessions in person (in person or hybrid).
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::Delivery::Hybrid.meets_in_person());
    /// assert!(!carematch::Delivery::Telehealth.meets_in_person());
    /// ```
    pub const fn meets_in_person(self) -> bool {
        matches!(self, Delivery::InPerson | Delivery::Hybrid)
    }

    /// Whether some sessions are by telehealth (telehealth or hybrid).
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::Delivery::Hybrid.has_telehealth());
    /// assert!(!carematch::Delivery::InPerson.has_telehealth());
    /// ```
    pub const fn has_telehealth(self) -> bool {
        matches!(self, Delivery::Telehealth | Delivery::Hybrid)
    }
}

terms! {
    /// How much a program involves the patient's family or chosen supports.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::FamilyInvolvement;
    /// assert!(FamilyInvolvement::Integrated > FamilyInvolvement::OnRequest);
    /// ```
    pub enum FamilyInvolvement: "family involvement" {
        /// No family component.
        None = "none", "none";
        /// Family sessions when asked for.
        OnRequest = "on_request", "on request";
        /// Family sessions or groups are part of the program.
        Integrated = "integrated", "integrated";
    }
}

/// Ages a program serves, in whole years, both ends included.
///
/// # Example
///
/// ```
/// use carematch::AgeRange;
/// let adults = AgeRange::new(18, 120)?;
/// assert!(adults.contains(34));
/// assert!(!adults.contains(16));
/// assert!(AgeRange::new(18, 13).is_err());
/// assert_eq!(AgeRange::new(13, 17)?.to_string(), "13-17");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(
        deny_unknown_fields,
        expecting = "ages as an object with min and max, such as {\"min\": 18, \"max\": 64}"
    )
)]
pub struct AgeRange {
    /// Youngest age served.
    #[cfg_attr(
        feature = "serde",
        serde(deserialize_with = "crate::serde_impl::numbers::min_age")
    )]
    pub min: u8,
    /// Oldest age served.
    #[cfg_attr(
        feature = "serde",
        serde(deserialize_with = "crate::serde_impl::numbers::max_age")
    )]
    pub max: u8,
}

impl AgeRange {
    /// A range from `min` to `max`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Parse`](crate::ErrorKind::Parse) when `min` is above `max` or `max` above 120.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::AgeRange::new(0, 121).is_err());
    /// ```
    pub fn new(min: u8, max: u8) -> Result<AgeRange, Error> {
        let r = AgeRange { min, max };
        match r.problem() {
            Some(p) => Err(Error::parse("age range", &r.to_string(), p)),
            None => Ok(r),
        }
    }

    /// What is wrong with this range, if anything.
    ///
    /// # Example
    ///
    /// ```
    /// let r = carematch::AgeRange { min: 30, max: 20 };
    /// assert!(r.problem().is_some());
    /// ```
    pub fn problem(&self) -> Option<String> {
        if self.min > self.max {
            Some(format!("min {} is above max {}", self.min, self.max))
        } else if self.max > 120 {
            Some(format!("max {} is above 120", self.max))
        } else {
            None
        }
    }

    /// Whether `age` is in the range.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::AgeRange { min: 13, max: 17 }.contains(17));
    /// ```
    pub fn contains(&self, age: u8) -> bool {
        self.min <= age && age <= self.max
    }

    /// Whether everyone served is under 18.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::AgeRange { min: 13, max: 17 }.is_minors_only());
    /// ```
    pub fn is_minors_only(&self) -> bool {
        self.max < 18
    }
}

impl fmt::Display for AgeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.min, self.max)
    }
}

/// A point on the earth, in decimal degrees (WGS 84).
///
/// # Example
///
/// ```
/// use carematch::GeoPoint;
/// let boston = GeoPoint::new(42.3601, -71.0589)?;
/// let worcester = GeoPoint::new(42.2626, -71.8023)?;
/// let miles = boston.miles_to(worcester);
/// assert!((38.0..40.0).contains(&miles), "{miles}");
/// assert!(GeoPoint::new(91.0, 0.0).is_err());
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(
        deny_unknown_fields,
        expecting = "a point as an object with latitude and longitude in decimal degrees"
    )
)]
pub struct GeoPoint {
    /// Latitude, -90 to 90.
    #[cfg_attr(
        feature = "serde",
        serde(deserialize_with = "crate::serde_impl::numbers::latitude")
    )]
    pub latitude: f64,
    /// Longitude, -180 to 180.
    #[cfg_attr(
        feature = "serde",
        serde(deserialize_with = "crate::serde_impl::numbers::longitude")
    )]
    pub longitude: f64,
}

impl GeoPoint {
    /// A point, checked for range.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Parse`](crate::ErrorKind::Parse) for a latitude outside -90..=90, a longitude outside
    /// -180..=180, or a value that is not a finite number.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carematch::GeoPoint::new(f64::NAN, 0.0).is_err());
    /// ```
    pub fn new(latitude: f64, longitude: f64) -> Result<GeoPoint, Error> {
        let p = GeoPoint {
            latitude,
            longitude,
        };
        match p.problem() {
            Some(reason) => Err(Error::parse(
                "coordinates",
                &format!("{latitude}, {longitude}"),
                reason,
            )),
            None => Ok(p),
        }
    }

    /// What is wrong with these coordinates, if anything.
    ///
    /// # Example
    ///
    /// ```
    /// let p = carematch::GeoPoint { latitude: 42.0, longitude: -200.0 };
    /// assert_eq!(p.problem().as_deref(), Some("longitude -200 is outside -180 to 180"));
    /// ```
    pub fn problem(&self) -> Option<String> {
        if !(-90.0..=90.0).contains(&self.latitude) {
            Some(format!("latitude {} is outside -90 to 90", self.latitude))
        } else if !(-180.0..=180.0).contains(&self.longitude) {
            Some(format!(
                "longitude {} is outside -180 to 180",
                self.longitude
            ))
        } else {
            None
        }
    }

    /// Great-circle distance in statute miles (haversine, mean earth radius 3,958.8 mi).
    ///
    /// # Example
    ///
    /// ```
    /// let p = carematch::GeoPoint::new(42.0, -71.0)?;
    /// assert_eq!(p.miles_to(p), 0.0);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn miles_to(&self, other: GeoPoint) -> f64 {
        const EARTH_RADIUS_MILES: f64 = 3958.8;
        let (la1, la2) = (self.latitude.to_radians(), other.latitude.to_radians());
        let dla = la2 - la1;
        let dlo = (other.longitude - self.longitude).to_radians();
        let a = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_MILES * a.sqrt().min(1.0).asin()
    }
}

impl fmt::Display for GeoPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.4}, {:.4}", self.latitude, self.longitude)
    }
}

/// Where a program is.
///
/// # Example
///
/// ```
/// use carematch::{GeoPoint, Location};
/// let loc = Location {
///     address: "1 Example Way".into(),
///     city: "Worcester".into(),
///     state: "MA".into(),
///     postal_code: "01608".into(),
///     latitude: 42.2626,
///     longitude: -71.8023,
///     precision: Default::default(),
/// };
/// assert_eq!(loc.point(), GeoPoint::new(42.2626, -71.8023)?);
/// assert_eq!(loc.to_string(), "1 Example Way, Worcester, MA 01608");
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Location {
    /// Street address.
    pub address: String,
    /// City or town.
    pub city: String,
    /// Two-letter state code.
    #[cfg_attr(feature = "serde", serde(default = "default_state"))]
    pub state: String,
    /// Postal (ZIP) code.
    pub postal_code: String,
    /// Latitude in decimal degrees.
    #[cfg_attr(
        feature = "serde",
        serde(deserialize_with = "crate::serde_impl::numbers::latitude")
    )]
    pub latitude: f64,
    /// Longitude in decimal degrees.
    #[cfg_attr(
        feature = "serde",
        serde(deserialize_with = "crate::serde_impl::numbers::longitude")
    )]
    pub longitude: f64,
    /// How exact the coordinates are: as the source gave them (the
    /// default, left out of JSON), or an importer's estimate from the
    /// postal code ([`LocationPrecision::ZipCentre`]).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "LocationPrecision::is_as_listed")
    )]
    pub precision: LocationPrecision,
}

/// How exact a [`Location`]'s coordinates are.
///
/// # Example
///
/// ```
/// use carematch::LocationPrecision;
/// assert_eq!(LocationPrecision::default(), LocationPrecision::AsListed);
/// assert_eq!(LocationPrecision::ZipCentre.to_string(), "approximate: the ZIP code's centre");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum LocationPrecision {
    /// The coordinates the source gave.
    #[default]
    AsListed,
    /// Approximate: the source gave an address without coordinates, and the
    /// importer placed the program at its ZIP code's centre (the Census
    /// ZCTA internal point, [`crate::places`]). Distances to it are rough:
    /// a ZIP code area is often several miles across.
    ZipCentre,
}

impl LocationPrecision {
    /// Whether these are the coordinates the source gave.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!carematch::LocationPrecision::ZipCentre.is_as_listed());
    /// ```
    pub fn is_as_listed(&self) -> bool {
        *self == LocationPrecision::AsListed
    }
}

impl fmt::Display for LocationPrecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LocationPrecision::AsListed => "as listed",
            LocationPrecision::ZipCentre => "approximate: the ZIP code's centre",
        })
    }
}

impl Location {
    /// The location of a program whose location is not listed
    /// ([`NotListed::Location`]): its state (or "" when not known) and
    /// nothing else, as validation asks.
    ///
    /// # Example
    ///
    /// ```
    /// let l = carematch::Location::not_listed("MA");
    /// assert!(l.address.is_empty() && l.point().latitude == 0.0);
    /// ```
    pub fn not_listed(state: impl Into<String>) -> Location {
        Location {
            address: String::new(),
            city: String::new(),
            state: state.into(),
            postal_code: String::new(),
            latitude: 0.0,
            longitude: 0.0,
            precision: LocationPrecision::AsListed,
        }
    }

    /// The coordinates as a point.
    ///
    /// # Example
    ///
    /// ```
    /// let p = &carematch::sample::massachusetts()[0];
    /// assert!(p.location.point().problem().is_none());
    /// ```
    pub fn point(&self) -> GeoPoint {
        GeoPoint {
            latitude: self.latitude,
            longitude: self.longitude,
        }
    }
}

#[cfg(feature = "serde")]
fn default_state() -> String {
    "MA".to_owned()
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}, {}, {} {}",
            self.address, self.city, self.state, self.postal_code
        )
    }
}

/// A treatment program, as a directory lists it.
///
/// A passive record: fields are public, and [`Program::validate`] (or
/// [`validate_programs`] for a whole directory) reports every problem with
/// its field path. See the README for the JSON form.
///
/// # Example
///
/// ```
/// let programs = carematch::sample::massachusetts();
/// let p = &programs[0];
/// assert!(!p.name.is_empty());
/// let as_of = carematch::sample::AS_OF;
/// assert!(!p.validate(as_of).has_errors());
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Program {
    /// Unique identifier.
    pub id: ProgramId,
    /// The program's name.
    pub name: String,
    /// The organization that runs it.
    pub organization: String,
    /// Levels of care offered.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "exact_vec"))]
    pub levels: Vec<LevelOfCare>,
    /// Weekly tracks (morning, evening ...).
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "exact_vec"))]
    pub tracks: Vec<Track>,
    /// Forms of care delivered.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "exact_vec"))]
    pub modalities: Vec<Modality>,
    /// Evidence-based approaches used.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "exact_vec"))]
    pub approaches: Vec<Approach>,
    /// Conditions it specializes in.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "exact_vec"))]
    pub specialties: Vec<Condition>,
    /// Conditions it does not accept.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "exact_vec"))]
    pub excluded_conditions: Vec<Condition>,
    /// The primary conditions it admits, for a specialist program (an
    /// eating-disorders IOP, a substance-use residential program); empty
    /// (the default) admits any. A family covers its members
    /// ([`Condition::covers`]). A patient whose primary condition is not
    /// covered is excluded (`primary_condition_not_admitted`); secondary
    /// conditions are not checked here (see `excluded_conditions`).
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "Vec::is_empty",
            deserialize_with = "exact_vec"
        )
    )]
    pub admits: Vec<Condition>,
    /// The medications for opioid use disorder it prescribes, administers or
    /// continues (empty: none listed; a program with a prescriber may still
    /// continue them, which a match asks to confirm).
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "Vec::is_empty",
            deserialize_with = "exact_vec"
        )
    )]
    pub moud_medications: Vec<MoudMedication>,
    /// Whether it is a certified Opioid Treatment Program (42 CFR Part 8),
    /// the only setting that may dispense methadone for opioid use disorder.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "std::ops::Not::not")
    )]
    pub opioid_treatment_program: bool,
    /// Whether it coordinates care with an Opioid Treatment Program, so a
    /// patient on methadone keeps dosing there while attending.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "std::ops::Not::not")
    )]
    pub coordinates_with_otp: bool,
    /// Whether it provides withdrawal management (medically monitored or
    /// managed) or coordinates it with a program that does. A patient in
    /// withdrawal, or rated at a moderate withdrawal risk, is matched with a
    /// `confirm_withdrawal_management` alert where it is not listed.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "std::ops::Not::not")
    )]
    pub withdrawal_management: bool,
    /// Whether it monitors medical stability itself (a physician or nurse
    /// practitioner reviewing vital signs, weight and laboratory results on
    /// a schedule), as eating-disorder care at intensive outpatient and
    /// above needs (APA eating disorders guideline, 2023; clinical reference
    /// section 10.5). A patient with an eating disorder at that level is
    /// matched with a `confirm_medical_monitoring` alert where it, or a
    /// dietitian on staff, is not listed.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "std::ops::Not::not")
    )]
    pub medical_monitoring: bool,
    /// Clinicians by license and certification.
    #[cfg_attr(feature = "serde", serde(default))]
    pub staff: Staff,
    /// Facility licenses and accreditations.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "exact_vec"))]
    pub facility_credentials: Vec<FacilityCredential>,
    /// Aftercare services.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "exact_vec"))]
    pub aftercare: Vec<Aftercare>,
    /// How much families are involved.
    pub family_involvement: FamilyInvolvement,
    /// Payers accepted.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "exact_vec"))]
    pub payers: Vec<Payer>,
    /// Ages served.
    pub ages: AgeRange,
    /// Populations it focuses on (all are welcome).
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "exact_vec"))]
    pub populations: Vec<Population>,
    /// Populations it is restricted to: when not empty, a patient must belong
    /// to at least one (a women's program).
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "exact_vec"))]
    pub restricted_to: Vec<Population>,
    /// Languages sessions are held in.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "exact_vec"))]
    pub languages: Vec<Language>,
    /// Whether interpreters are provided for other languages.
    #[cfg_attr(feature = "serde", serde(default))]
    pub interpreter_services: bool,
    /// Delivery modes.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "exact_vec"))]
    pub delivery: Vec<Delivery>,
    /// Where it is.
    pub location: Location,
    /// Whether it is taking new patients now.
    pub accepting_new_patients: bool,
    /// Typical days from referral to intake, when known.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            deserialize_with = "crate::serde_impl::numbers::wait_days_opt"
        )
    )]
    pub typical_wait_days: Option<u16>,
    /// When the listing was last confirmed with the program.
    pub last_verified: Date,
    /// Two-letter US states whose patients its clinicians may treat by
    /// telehealth (where they are licensed); empty means the state of its
    /// location.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "Vec::is_empty",
            deserialize_with = "exact_vec"
        )
    )]
    pub licensed_states: Vec<String>,
    /// Parts the source did not give ("not listed", which is not "none"):
    /// each named part's field is left empty (`tracks`, `staff`,
    /// `facility_credentials`, `aftercare`, `payers`: empty;
    /// `typical_wait_days`: absent; `accepting_new_patients`: `true`, read as
    /// "not known to be closed"). Matching never excludes a program for a part
    /// not listed, does not score it, and names it in an `unconfirmed` alert.
    /// Empty (the default) means everything was listed, as in every file
    /// written before this field existed.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "Vec::is_empty",
            deserialize_with = "exact_vec"
        )
    )]
    pub not_listed: Vec<NotListed>,
    /// Places open for new patients now, as the program last reported them;
    /// `None` when not listed, which is not "unlimited": the assignment of
    /// many referrals at once ([`crate::assign`]) counts a program whose
    /// open slots are not listed as having none unless told otherwise.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "crate::serde_impl::numbers::open_slots_opt"
        )
    )]
    pub open_slots: Option<u32>,
}

/// IOP hours a week, adults (ASAM 2.1 and state MH-IOP specifications: 9 to 19).
pub(crate) const IOP_ADULT_HOURS: (f64, f64) = (9.0, 19.0);
/// IOP hours a week, adolescents (6 to 19).
pub(crate) const IOP_ADOLESCENT_HOURS: (f64, f64) = (6.0, 19.0);
/// Partial hospitalization, at least 20 hours a week (ASAM 2.5).
pub(crate) const PHP_MIN_HOURS: f64 = 20.0;

/// The weekly hours `level` usually needs, for a program serving `ages`.
///
/// Returns `(min, max)`; `None` for levels without a weekly-hours standard here.
///
/// # Example
///
/// ```
/// use carematch::{AgeRange, LevelOfCare, hours_for_level};
/// let adults = AgeRange { min: 18, max: 64 };
/// assert_eq!(hours_for_level(LevelOfCare::IntensiveOutpatient, adults), Some((9.0, 19.0)));
/// let teens = AgeRange { min: 13, max: 17 };
/// assert_eq!(hours_for_level(LevelOfCare::IntensiveOutpatient, teens), Some((6.0, 19.0)));
/// ```
pub fn hours_for_level(level: LevelOfCare, ages: AgeRange) -> Option<(f64, f64)> {
    match level {
        LevelOfCare::IntensiveOutpatient if ages.is_minors_only() => Some(IOP_ADOLESCENT_HOURS),
        LevelOfCare::IntensiveOutpatient => Some(IOP_ADULT_HOURS),
        LevelOfCare::PartialHospitalization => Some((PHP_MIN_HOURS, f64::INFINITY)),
        _ => None,
    }
}

impl Program {
    /// Whether the source gave `part` (see [`Program::not_listed`]); a
    /// typical wait is listed exactly when `typical_wait_days` is given.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::NotListed;
    /// let mut p = carematch::sample::massachusetts()[0].clone();
    /// assert!(p.is_listed(NotListed::Payers));
    /// p.payers.clear();
    /// p.not_listed.push(NotListed::Payers);
    /// assert!(!p.is_listed(NotListed::Payers));
    /// ```
    pub fn is_listed(&self, part: NotListed) -> bool {
        self.not_listed_mask() & part.bit() == 0
    }

    /// The parts not listed, as bits of [`NotListed`] (the wait's bit set
    /// whenever `typical_wait_days` is absent).
    pub(crate) fn not_listed_mask(&self) -> u64 {
        let named = NotListed::mask_of(&self.not_listed);
        if self.typical_wait_days.is_none() {
            named | NotListed::Wait.bit()
        } else {
            named
        }
    }
}

/// The program rules about one program that both matching producers read
/// (the plain path from a `Program`, the index when it compiles a row),
/// written once here.
impl Program {
    /// Whether it can start or continue MOUD other than methadone: it offers
    /// MOUD, lists a medication for it, is an Opioid Treatment Program, or
    /// has a clinician who prescribes.
    ///
    /// # Example
    ///
    /// ```
    /// let mut p = carematch::sample::massachusetts()[0].clone();
    /// p.moud_medications = vec![carematch::MoudMedication::Buprenorphine];
    /// assert!(p.can_provide_moud());
    /// ```
    pub fn can_provide_moud(&self) -> bool {
        self.approaches.contains(&Approach::Moud)
            || !self.moud_medications.is_empty()
            || self.opioid_treatment_program
            || self
                .staff
                .licenses
                .iter()
                .any(|(l, n)| *n > 0 && l.prescribes())
    }

    /// Whether a patient on methadone can keep it while attending: the
    /// program is an Opioid Treatment Program or coordinates with one
    /// (methadone for opioid use disorder is dispensed only by a certified
    /// OTP, 42 CFR Part 8).
    ///
    /// # Example
    ///
    /// ```
    /// let mut p = carematch::sample::massachusetts()[0].clone();
    /// p.coordinates_with_otp = true;
    /// assert!(p.keeps_methadone());
    /// ```
    pub fn keeps_methadone(&self) -> bool {
        self.opioid_treatment_program || self.coordinates_with_otp
    }

    /// Whether it lists `medication` among those it prescribes, administers
    /// or continues (methadone: it is an OTP or lists it); with `None` (on
    /// MOUD, medication not named), whether it lists MOUD at all.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::MoudMedication;
    /// let mut p = carematch::sample::massachusetts()[0].clone();
    /// p.moud_medications = vec![MoudMedication::Naltrexone];
    /// assert!(p.lists_moud(Some(MoudMedication::Naltrexone)));
    /// assert!(!p.lists_moud(Some(MoudMedication::Buprenorphine)));
    /// ```
    pub fn lists_moud(&self, medication: Option<MoudMedication>) -> bool {
        match medication {
            Some(m) => {
                self.moud_medications.contains(&m)
                    || (m == MoudMedication::Methadone && self.opioid_treatment_program)
            }
            None => {
                !self.moud_medications.is_empty()
                    || self.opioid_treatment_program
                    || self.approaches.contains(&Approach::Moud)
            }
        }
    }

    /// Its tracks at `level`, in listed order.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::LevelOfCare;
    /// let p = &carematch::sample::massachusetts()[0];
    /// assert!(p.tracks_at(LevelOfCare::IntensiveOutpatient).count() >= 1);
    /// assert_eq!(p.tracks_at(LevelOfCare::Inpatient).count(), 0);
    /// ```
    pub fn tracks_at(&self, level: LevelOfCare) -> impl Iterator<Item = &Track> {
        self.tracks.iter().filter(move |t| t.level == level)
    }

    /// Whether it is full: it lists no open place (`open_slots: 0`). A
    /// ranking keeps it as a match with a `no_open_slot` alert, or leaves it
    /// out as `full` when the query asks
    /// ([`crate::matching::MatchOptions::with_full_excluded`]).
    ///
    /// # Example
    ///
    /// ```
    /// let mut p = carematch::sample::massachusetts()[0].clone();
    /// p.open_slots = Some(0);
    /// assert!(p.is_full());
    /// p.open_slots = None;
    /// assert!(!p.is_full(), "not listed is not full");
    /// ```
    pub fn is_full(&self) -> bool {
        self.open_slots == Some(0)
    }

    /// Whether it is accepting new patients, or does not list whether it is
    /// ("not listed" never excludes: it reads as "not known to be closed").
    ///
    /// # Example
    ///
    /// ```
    /// let mut p = carematch::sample::massachusetts()[0].clone();
    /// p.accepting_new_patients = false;
    /// assert!(!p.accepting_or_not_listed());
    /// p.not_listed.push(carematch::NotListed::AcceptingNewPatients);
    /// assert!(p.accepting_or_not_listed());
    /// ```
    pub fn accepting_or_not_listed(&self) -> bool {
        self.accepting_new_patients || !self.is_listed(NotListed::AcceptingNewPatients)
    }

    /// Whether it takes self-funded patients: self-pay or a sliding scale
    /// among its payers.
    ///
    /// # Example
    ///
    /// ```
    /// let mut p = carematch::sample::massachusetts()[0].clone();
    /// p.payers = vec![carematch::Payer::SlidingScale];
    /// assert!(p.takes_self_funded());
    /// ```
    pub fn takes_self_funded(&self) -> bool {
        self.payers.iter().any(Payer::is_self_funded)
    }

    /// The states its clinicians may treat by telehealth, as bits of
    /// `region::US_STATES`: those listed, else its location's state.
    pub(crate) fn licensed_state_bits(&self) -> u64 {
        if self.licensed_states.is_empty() {
            crate::region::state_bit(&self.location.state).unwrap_or(0)
        } else {
            self.licensed_states
                .iter()
                .filter_map(|s| crate::region::state_bit(s))
                .fold(0, |m, b| m | b)
        }
    }

    /// The conditions `admits` covers, as bits of [`Condition`]; `None` when
    /// it admits any.
    pub(crate) fn admits_cover(&self) -> Option<u64> {
        (!self.admits.is_empty()).then(|| self.admits.iter().fold(0, |m, c| m | c.covered_mask()))
    }
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}), {}", self.name, self.id, self.location.city)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::Payer;

    /// The shortcut and the full parser, compared exactly (`Payer`'s `==`
    /// ignores ASCII case in plan names, so compare their `Debug`).
    fn check(s: &str) -> Result<(), TestCaseError> {
        let full = Payer::parse_full(s).map_err(|e| e.to_string());
        if let Some(p) = Payer::from_exact(s) {
            prop_assert_eq!(
                Ok(format!("{p:?}")),
                full.clone().map(|p| format!("{p:?}")),
                "{:?}",
                s
            );
        }
        let read = s.parse::<Payer>().map_err(|e| e.to_string());
        prop_assert_eq!(
            read.map(|p| format!("{p:?}")),
            full.map(|p| format!("{p:?}")),
            "{:?}",
            s
        );
        Ok(())
    }

    #[test]
    fn the_shortcut_reads_payers_as_the_full_parser() -> Result<(), TestCaseError> {
        let exact = [
            "masshealth",
            "medicare",
            "tricare",
            "self_pay",
            "sliding_scale",
            "medicare_advantage",
            "va_community_care",
            "commercial: Aetna",
            "commercial: Tufts Health Plan",
            "commercial: A:B",
        ];
        for s in exact {
            prop_assert!(Payer::from_exact(s).is_some(), "{}", s);
            check(s)?;
        }
        // Left to the full parser: it trims, folds case, reads labels and
        // tidies spaces (or rejects the text).
        let full = [
            "MassHealth",
            " masshealth",
            "self-pay",
            "commercial:Aetna",
            "Commercial: Aetna",
            "commercial:  Aetna",
            "commercial: Aetna ",
            "commercial: Tufts  Health Plan",
            "commercial: Tufts\tHealth Plan",
            "commercial: Tufts\u{a0}Health Plan",
            "commercial: ",
            "commercial:  ",
            "masshealth: wellsense",
            "medicaid: ny",
            "medicare_advantage: Example Plan",
            "",
            "aetna",
        ];
        for s in full {
            prop_assert!(Payer::from_exact(s).is_none(), "{}", s);
            check(s)?;
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn the_shortcut_never_disagrees(
            head in prop::sample::select(vec!["commercial: ", "commercial:", "masshealth", "medicare", ""]),
            tail in "[ a-zA-Z:\t\u{a0}é]{0,12}",
        ) {
            check(&format!("{head}{tail}"))?;
        }
    }
}
