//! Reading directories and patients from JSON, with field paths in every error.

use crate::serde_impl::from_json;
use crate::{
    date::Date,
    error::{Error, ValidationReport},
    level::{Assessment, LevelPolicy, LevelRules},
    patient::PatientNeeds,
    program::{DirectoryCheck, Program, validate_programs},
};

mod parallel;

/// The fuzz target `load_parallel`'s oracle: reads `text` on two threads in
/// chunks of `chunk` bytes (whatever its size) and panics if the result
/// differs from the derived reader's. Not part of the API.
#[cfg(feature = "testing")]
#[doc(hidden)]
pub fn fuzz_read_on_threads(text: &str, chunk: usize) {
    parallel::check_against_derived(text, chunk, crate::synthetic::AS_OF);
}

/// The threads a large document's programs are read on: the machine's
/// (at most 8), or 1 where threads are not available.
fn load_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// A directory document: `{"notice": "...", "programs": [ ... ]}`.
/// The notice is read (so it is not an unknown field) and not kept.
#[derive(serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a directory as a JSON object with the field programs"
)]
pub(crate) struct DirectoryDoc {
    #[serde(default, rename = "notice")]
    _notice: Option<String>,
    pub(crate) programs: Vec<Program>,
}

/// Reads the programs of a directory document, `{"programs": [...]}` (an
/// optional `"notice"` string may say where the data comes from). Only the
/// shape is checked here; see [`load_directory`] for validation.
///
/// # Errors
///
/// [`ErrorKind::Json`](crate::ErrorKind::Json) naming the field path, as in
/// `programs[2].tracks[0].sessions[1].start: invalid time of day ...`.
///
/// # Example
///
/// ```
/// let err = carematch::programs_from_json(r#"{"programs": [{"id": "a b"}]}"#).unwrap_err();
/// assert!(err.to_string().starts_with("programs[0].id: `a b`: must not contain spaces"), "{err}");
/// ```
pub fn programs_from_json(text: &str) -> Result<Vec<Program>, Error> {
    Ok(from_json::<DirectoryDoc>(text)?.programs)
}

/// Reads and validates a directory document: the programs and any warnings.
///
/// To rank against it, [`crate::Directory::from_json`] does this in one
/// step (validating once, keeping the warnings on the directory); passing
/// these programs to [`crate::Directory::new`] would validate them again.
///
/// A document of 8 MiB or more is read on the machine's threads (at most 8,
/// all joined before this returns): its programs array is cut into chunks
/// read side by side and put back in document order. The programs, the
/// warnings and every error (with its field path) are those of reading on
/// one thread: a document that does not read cleanly is read again on one
/// thread for its errors.
///
/// # Errors
///
/// [`ErrorKind::Json`](crate::ErrorKind::Json) for a document of the wrong shape, [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) with
/// every problem when validation finds an error.
///
/// # Example
///
/// ```
/// let (programs, warnings) = carematch::load_directory(carematch::sample::MASSACHUSETTS_JSON, carematch::sample::AS_OF)?;
/// assert!(programs.len() >= 30);
/// assert!(!warnings.has_errors());
/// # Ok::<(), carematch::Error>(())
/// ```
pub fn load_directory(text: &str, as_of: Date) -> Result<(Vec<Program>, ValidationReport), Error> {
    let (programs, report) = read_and_check(text, as_of)?;
    Ok((programs, report.into_result()?))
}

/// Reads a directory document and validates its programs, errors and all:
/// what [`programs_from_json`] then [`validate_programs`] give, in one pass
/// over the text when it can be (each program checked as soon as it is
/// read, while it is still in the cache; duplicate ids at the end).
///
/// A document the one pass does not read (any error, but also a form it
/// leaves to the derived reader, such as an escaped key) is read again the
/// plain way, so errors, with their paths, are exactly those of
/// [`programs_from_json`].
pub(crate) fn read_and_check(
    text: &str,
    as_of: Date,
) -> Result<(Vec<Program>, ValidationReport), Error> {
    if let Some(read) = read_and_check_one_pass(text, as_of) {
        return Ok(read);
    }
    let programs = programs_from_json(text)?;
    let report = validate_programs(&programs, as_of);
    Ok((programs, report))
}

/// The one pass of [`read_and_check`]; `None` for any document it does not
/// read, which the plain readers then read (or reject) instead.
fn read_and_check_one_pass(text: &str, as_of: Date) -> Option<(Vec<Program>, ValidationReport)> {
    let mut check = DirectoryCheck::new(as_of);
    let mut programs = Vec::new();
    read_each(text, as_of, &mut |batch| {
        for Checked { program, report } in batch.drain(..) {
            check.checked(report);
            programs.push(program);
        }
    })?;
    let report = check.finish(&programs);
    Some((programs, report))
}

/// A program as read, with the problems it has on its own
/// ([`Program::validate`]: everything but a duplicate id).
pub(crate) struct Checked {
    pub(crate) program: Program,
    pub(crate) report: ValidationReport,
}

/// Reads a directory document in one pass, handing its programs to `sink`,
/// each checked on its own, in document order and in batches (`sink` takes
/// what it keeps; the rest is dropped). A document of 8 MiB or more is read
/// on several threads when the machine has them (see `parallel`).
///
/// `None` for any document the one pass does not read (an error, or a form
/// left to the derived reader), after which the caller reads it the plain
/// way; the programs handed over before then are the caller's to discard.
/// A document the threads fail on is not read again here on one thread
/// (it has programs handed over already): it goes the plain way too.
pub(crate) fn read_each(
    text: &str,
    as_of: Date,
    sink: &mut dyn FnMut(&mut Vec<Checked>),
) -> Option<()> {
    match parallel::read_each(text, as_of, load_threads(), sink) {
        parallel::Outcome::Read => return Some(()),
        parallel::Outcome::Failed => return None,
        parallel::Outcome::NotTaken => {}
    }
    let mut one = Vec::with_capacity(1);
    let mut each = |program: Program| {
        let report = program.validate(as_of);
        one.push(Checked { program, report });
        sink(&mut one);
        one.clear();
    };
    let de = &mut serde_json::Deserializer::from_str(text);
    serde::Deserializer::deserialize_map(&mut *de, CheckedDoc(&mut each)).ok()?;
    de.end().ok()
}

/// Reads a [`DirectoryDoc`]'s object, handing each program on as it is read.
/// It accepts no more than the derived reader does (each key once, no
/// other key, the same value types); anything else fails here and is left
/// to the derived reader.
struct CheckedDoc<'c>(&'c mut dyn FnMut(Program));

impl<'de> serde::de::Visitor<'de> for CheckedDoc<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a directory document")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use serde::de::Error as _;
        let (mut notice, mut programs) = (false, false);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "notice" if !notice => {
                    notice = true;
                    map.next_value::<Option<String>>()?;
                }
                "programs" if !programs => {
                    programs = true;
                    map.next_value_seed(CheckedPrograms(&mut *self.0))?;
                }
                _ => return Err(A::Error::custom("left to the derived reader")),
            }
        }
        if programs {
            Ok(())
        } else {
            Err(A::Error::custom("left to the derived reader"))
        }
    }
}

/// Reads the programs array, handing each program on as it is read.
struct CheckedPrograms<'c>(&'c mut dyn FnMut(Program));

impl<'de> serde::de::DeserializeSeed<'de> for CheckedPrograms<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for CheckedPrograms<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(p) = seq.next_element::<Program>()? {
            (self.0)(p);
        }
        Ok(())
    }
}

/// Reads one patient's needs from JSON (shape only; see [`PatientNeeds::validate`]).
///
/// # Errors
///
/// [`ErrorKind::Json`](crate::ErrorKind::Json) naming the field path.
///
/// # Example
///
/// ```
/// let n = carematch::patient_from_json(r#"{"age": 34, "diagnoses": [{"code": "F43.10"}], "payer": "masshealth"}"#)?;
/// assert_eq!(n.age, 34);
/// let err = carematch::patient_from_json(r#"{"age": 34, "diagnoses": [], "payer": "masshelth"}"#).unwrap_err();
/// assert!(err.to_string().starts_with("payer: "), "{err}");
/// # Ok::<(), carematch::Error>(())
/// ```
pub fn patient_from_json(text: &str) -> Result<PatientNeeds, Error> {
    from_json(text)
}

/// Reads an assessment from JSON and checks its context (see [`Assessment`]
/// for the format). The context fields are optional.
///
/// # Errors
///
/// [`ErrorKind::Json`](crate::ErrorKind::Json) naming the field path for a rating outside 1-5, a missing
/// rating, an unknown field (`ratings.support: ...`) or an age that is not a
/// whole number (`age: must be a whole number of years from 0 to 120, got
/// "34"`); [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) for a context
/// that fails [`Assessment::validate`] (an age above 120).
///
/// # Example
///
/// ```
/// let a = carematch::assessment_from_json(r#"{"ratings": {"risk_of_harm": 2, "functional_status": 3,
///     "comorbidity": 2, "stress": 3, "support": 2, "treatment_history": 3, "engagement": 2},
///     "age": 34, "days_since_inpatient_discharge": 10}"#)?;
/// assert_eq!(a.ratings.composite(), 17);
///
/// let err = carematch::assessment_from_json(r#"{"ratings": {"risk_of_harm": 2, "functional_status": 3,
///     "comorbidity": 2, "stress": 3, "support": 7, "treatment_history": 3, "engagement": 2}}"#).unwrap_err();
/// assert!(err.to_string().starts_with("ratings.support: `7`: must be from 1 to 5"), "{err}");
/// # Ok::<(), carematch::Error>(())
/// ```
pub fn assessment_from_json(text: &str) -> Result<Assessment, Error> {
    let assessment: Assessment = from_json(text)?;
    assessment.validate().into_result()?;
    Ok(assessment)
}

/// Reads a level-of-care policy from JSON (see [`LevelRules`] for the format)
/// and checks it.
///
/// # Errors
///
/// [`ErrorKind::Json`](crate::ErrorKind::Json) naming the field path for a document of the wrong shape
/// (an unknown level or dimension: `floors[0].dimension: ...`);
/// [`ErrorKind::Config`](crate::ErrorKind::Config) for rules that fail [`LevelPolicy::new`].
///
/// # Example
///
/// ```
/// use carematch::{LevelPolicy, level_policy_from_json};
///
/// let json = serde_json::to_string(&LevelPolicy::default()).map_err(|e| e.to_string())?;
/// assert_eq!(level_policy_from_json(&json)?, LevelPolicy::default());
///
/// let gap = json.replacen(r#""min":17"#, r#""min":18"#, 1);
/// let err = level_policy_from_json(&gap).unwrap_err();
/// assert_eq!(err.to_string(), "invalid level policy: bands[1] starts at 18, leaving composite 17 in no band");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn level_policy_from_json(text: &str) -> Result<LevelPolicy, Error> {
    LevelPolicy::new(from_json::<LevelRules>(text)?)
}
