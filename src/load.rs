//! Reading directories and patients from JSON, with field paths in every error.

use crate::serde_impl::from_json;
use crate::{Date, Error, PatientNeeds, Program, ValidationReport, validate_programs};

/// A directory document: `{"notice": "...", "programs": [ ... ]}`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DirectoryDoc {
    #[serde(default)]
    #[allow(dead_code)]
    notice: Option<String>,
    programs: Vec<Program>,
}

/// Reads the programs of a directory document, `{"programs": [...]}` (an
/// optional `"notice"` string may say where the data comes from). Only the
/// shape is checked here; see [`load_directory`] for validation.
///
/// # Errors
///
/// [`Error::Json`] naming the field path, as in
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
/// # Errors
///
/// [`Error::Json`] for a document of the wrong shape, [`Error::Invalid`] with
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
    let programs = programs_from_json(text)?;
    let report = validate_programs(&programs, as_of).into_result()?;
    Ok((programs, report))
}

/// Reads one patient's needs from JSON (shape only; see [`PatientNeeds::validate`]).
///
/// # Errors
///
/// [`Error::Json`] naming the field path.
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
