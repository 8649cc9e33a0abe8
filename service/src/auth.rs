//! Bearer tokens: each with a name (for the audit log), read from a file or
//! an environment variable, compared in constant time.
//!
//! The format, one token a line (or separated by commas in the variable):
//! `name:token`. Blank lines and lines starting with `#` are skipped.

use subtle::ConstantTimeEq;

/// The accepted tokens.
#[derive(Clone, Default)]
pub struct Tokens {
    entries: Vec<(String, Vec<u8>)>,
}

impl std::fmt::Debug for Tokens {
    /// Names only: a token never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.entries.iter().map(|(n, _)| n))
            .finish()
    }
}

/// The shortest token accepted.
pub const MIN_TOKEN_LEN: usize = 16;

impl Tokens {
    /// Reads `name:token` entries from `text` (lines or commas).
    ///
    /// # Errors
    ///
    /// A message naming the entry (by its place, never its token) that has
    /// no name, or a token shorter than [`MIN_TOKEN_LEN`] characters.
    pub fn parse(text: &str) -> Result<Tokens, String> {
        let mut entries = Vec::new();
        for (i, entry) in text.split(['\n', ',']).enumerate() {
            let entry = entry.trim();
            if entry.is_empty() || entry.starts_with('#') {
                continue;
            }
            let Some((name, token)) = entry.split_once(':') else {
                return Err(format!("token entry {}: not `name:token`", i + 1));
            };
            let (name, token) = (name.trim(), token.trim());
            if name.is_empty() {
                return Err(format!("token entry {}: no name", i + 1));
            }
            if token.len() < MIN_TOKEN_LEN {
                return Err(format!(
                    "token entry {} ({name}): shorter than {MIN_TOKEN_LEN} characters",
                    i + 1
                ));
            }
            entries.push((name.to_owned(), token.as_bytes().to_vec()));
        }
        Ok(Tokens { entries })
    }

    /// Whether no token is configured (then writes are refused).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The name of the token `presented` equals. Every configured token is
    /// compared, each in constant time, whatever matches first (a token's
    /// length may show; its bytes do not).
    pub fn check(&self, presented: &[u8]) -> Option<&str> {
        let mut found = None;
        for (name, token) in &self.entries {
            if bool::from(token.as_slice().ct_eq(presented)) {
                found = Some(name.as_str());
            }
        }
        found
    }

    /// The token of an `Authorization: Bearer <token>` header value.
    pub fn bearer(header: Option<&[u8]>) -> Option<&[u8]> {
        let h = header?;
        let prefix = b"Bearer ";
        (h.len() > prefix.len() && h[..prefix.len()].eq_ignore_ascii_case(prefix))
            .then(|| &h[prefix.len()..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_checks() {
        let t =
            Tokens::parse("# admins\nops:0123456789abcdef0\n\n,intake:fedcba98765432100").unwrap();
        assert_eq!(t.check(b"0123456789abcdef0"), Some("ops"));
        assert_eq!(t.check(b"fedcba98765432100"), Some("intake"));
        assert_eq!(t.check(b"0123456789abcdef"), None);
        assert!(Tokens::parse("ops:short").unwrap_err().contains("shorter"));
        assert!(Tokens::parse("x:0123456789abcdef0").is_ok());
        assert_eq!(Tokens::bearer(Some(b"bearer abc")), Some(&b"abc"[..]));
        assert_eq!(Tokens::bearer(Some(b"Basic abc")), None);
    }
}
