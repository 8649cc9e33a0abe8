//! US states and territories by their two-letter postal codes, for
//! telehealth licensure (a clinician may treat by telehealth only a patient
//! located in a state where the clinician is licensed).

/// The two-letter codes of the 50 states, the District of Columbia and the
/// five inhabited territories (USPS abbreviations), in a fixed order: a
/// code's position is its bit in a set of states.
pub(crate) const US_STATES: [&str; 56] = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY", "DC", "PR", "GU", "VI", "AS", "MP",
];

/// The bit of a two-letter state code (exact, upper case), if it is one.
pub(crate) fn state_bit(code: &str) -> Option<u64> {
    US_STATES.iter().position(|s| *s == code).map(|i| 1u64 << i)
}

/// A problem with a state code, for validation messages.
pub(crate) fn state_problem(code: &str) -> Option<String> {
    state_bit(code).is_none().then(|| {
        format!(
            "`{}` is not a two-letter US state or territory code in upper case (e.g. MA)",
            crate::error::shown(code)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_two_letter_upper_case() {
        let mut seen = std::collections::BTreeSet::new();
        for s in US_STATES {
            assert!(
                s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase()),
                "{s}"
            );
            assert!(seen.insert(s), "{s} twice");
        }
        assert_eq!(state_bit("MA"), Some(1 << 20));
        assert!(state_problem("ma").is_some() && state_problem("XX").is_some());
    }
}
