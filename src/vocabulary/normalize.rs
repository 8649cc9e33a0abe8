//! Normalized forms of free text: what resolution compares.
//!
//! [`normalize`] lowercases, folds accented Latin letters to their base
//! letters (Latin-1 Supplement and Latin Extended-A, by a small table;
//! combining marks are dropped), deletes apostrophes, reads `&` as "and",
//! turns every other non-alphanumeric character into a space, collapses
//! spaces, and spells a few British forms the American way ("behaviour",
//! "licence", "counselling"), so that both spellings meet. [`compact`] is the
//! normalized form without its spaces ("Mass Health" and "MassHealth" meet).

/// Latin Extended-A, U+0100 to U+017F, each folded to its lowercase base
/// letter(s); `|` separates the 128 entries.
const LATIN_EXTENDED_A: &str = concat!(
    "a|a|a|a|a|a|c|c|c|c|c|c|c|c|d|d|d|d|",         // U+0100-0111
    "e|e|e|e|e|e|e|e|e|e|g|g|g|g|g|g|g|g|h|h|h|h|", // U+0112-0127
    "i|i|i|i|i|i|i|i|i|i|ij|ij|j|j|k|k|k|",         // U+0128-0138
    "l|l|l|l|l|l|l|l|l|l|n|n|n|n|n|n|n|n|n|",       // U+0139-014B
    "o|o|o|o|o|o|oe|oe|r|r|r|r|r|r|",               // U+014C-0159
    "s|s|s|s|s|s|s|s|t|t|t|t|t|t|",                 // U+015A-0167
    "u|u|u|u|u|u|u|u|u|u|u|u|w|w|y|y|y|z|z|z|z|z|z|s"  // U+0168-017F
);

/// The lowercase base letters of a lowercase Latin-1 or Latin Extended-A
/// letter, or `None` when `c` needs no folding.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'à'..='å' => "a",
        'æ' => "ae",
        'ç' => "c",
        'è'..='ë' => "e",
        'ì'..='ï' => "i",
        'ð' => "d",
        'ñ' => "n",
        'ò'..='ö' | 'ø' => "o",
        'ù'..='ü' => "u",
        'ý' | 'ÿ' => "y",
        'þ' => "th",
        '\u{100}'..='\u{17f}' => {
            let i = c as usize - 0x100;
            return LATIN_EXTENDED_A.split('|').nth(i);
        }
        _ => return None,
    })
}

/// British spellings read the American way, token by token.
const SPELLINGS: [(&str, &str); 14] = [
    ("behaviour", "behavior"),
    ("behavioural", "behavioral"),
    ("behaviours", "behaviors"),
    ("licence", "license"),
    ("licences", "licenses"),
    ("licenced", "licensed"),
    ("counsellor", "counselor"),
    ("counselling", "counseling"),
    ("desensitisation", "desensitization"),
    ("hospitalisation", "hospitalization"),
    ("programme", "program"),
    ("centre", "center"),
    ("organization", "organization"),
    ("specialized", "specialized"),
];

/// Whether `c` is a combining mark (U+0300 to U+036F), dropped after folding.
fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// The normalized form of `text`: see the module docs.
pub(crate) fn normalize(text: &str) -> String {
    let mut spaced = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if let Some(base) = fold(c) {
            spaced.push_str(base);
        } else if c.is_alphanumeric() {
            spaced.push(c);
        } else if matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`') || is_combining(c) {
            // "women's" is "womens"; an accent written apart is dropped.
        } else if c == '&' {
            spaced.push_str(" and ");
        } else {
            spaced.push(' ');
        }
    }
    let mut out = String::with_capacity(spaced.len());
    for word in spaced.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        let word = SPELLINGS
            .iter()
            .find(|(british, _)| *british == word)
            .map_or(word, |(_, american)| american);
        out.push_str(word);
    }
    out
}

/// A normalized form without its spaces.
pub(crate) fn compact(normalized: &str) -> String {
    normalized.chars().filter(|c| *c != ' ').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_punctuation_accents_and_spacing() {
        assert_eq!(
            normalize("  Post-Traumatic   STRESS "),
            "post traumatic stress"
        );
        assert_eq!(normalize("Portugês"), "portuges");
        assert_eq!(normalize("Kreyòl Ayisyen"), "kreyol ayisyen");
        assert_eq!(normalize("Women's"), "womens");
        assert_eq!(
            normalize("Acceptance & Commitment"),
            "acceptance and commitment"
        );
        assert_eq!(normalize("F43.1"), "f43 1");
        assert_eq!(normalize("Straße Œuvre Łódź"), "strasse oeuvre lodz");
        assert_eq!(normalize("e\u{301}te\u{301}"), "ete");
        assert_eq!(normalize("İstanbul"), "istanbul");
        assert_eq!(normalize("…!?"), "");
        assert_eq!(normalize("中文"), "中文");
    }

    #[test]
    fn british_spellings_meet_american_ones() {
        assert_eq!(
            normalize("Dialectical Behaviour Therapy"),
            "dialectical behavior therapy"
        );
        assert_eq!(normalize("state licence"), "state license");
    }

    #[test]
    fn the_fold_table_covers_latin_extended_a_exactly() {
        assert_eq!(LATIN_EXTENDED_A.split('|').count(), 128);
        assert_eq!(fold('\u{100}'), Some("a"));
        assert_eq!(fold('č'), Some("c"));
        assert_eq!(fold('đ'), Some("d"));
        assert_eq!(fold('ę'), Some("e"));
        assert_eq!(fold('ğ'), Some("g"));
        assert_eq!(fold('ı'), Some("i"));
        assert_eq!(fold('ĳ'), Some("ij"));
        assert_eq!(fold('ł'), Some("l"));
        assert_eq!(fold('ń'), Some("n"));
        assert_eq!(fold('ő'), Some("o"));
        assert_eq!(fold('œ'), Some("oe"));
        assert_eq!(fold('ř'), Some("r"));
        assert_eq!(fold('š'), Some("s"));
        assert_eq!(fold('ť'), Some("t"));
        assert_eq!(fold('ů'), Some("u"));
        assert_eq!(fold('ŵ'), Some("w"));
        assert_eq!(fold('ŷ'), Some("y"));
        assert_eq!(fold('ž'), Some("z"));
        assert_eq!(fold('ſ'), Some("s"));
        assert_eq!(fold('x'), None);
    }

    #[test]
    fn compact_drops_spaces() {
        assert_eq!(compact(&normalize("Mass Health")), "masshealth");
    }
}
