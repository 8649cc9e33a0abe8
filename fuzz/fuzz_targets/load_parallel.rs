//! Reading a directory's programs on threads, held to the derived reader
//! (`carematch::fuzz_read_on_threads` panics on a disagreement): whatever
//! the threads read whole, the derived reader reads to the same programs; a
//! document it reads never fails on threads; a document not taken has
//! handed nothing on.
//!
//! The first byte sets the chunk size (64 to 4,144 bytes, so that small
//! documents are cut into many chunks). With its top bit clear, the rest is
//! a list of edits to the embedded sample directory (62 KB), four bytes
//! each: where (two bytes, scaled to the text), how many bytes to cut
//! (0-15), and which piece of JSON to put in, so that most inputs are
//! documents the threads take; with it set, the rest is the document.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// Pieces of JSON an edit puts in.
const PIECES: &[&str] = &[
    "",
    ",",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "\\",
    " ",
    "\n",
    ",{",
    "},{",
    "}]",
    "x",
    "null",
    ":",
    "\"programs\":[]",
    "\"notice\":\"n\"",
    "\\u0067",
    "{\"id\":\"a\"}",
];

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let chunk = 64 + usize::from(*first & 0x7f) * 32;
    if first & 0x80 != 0 {
        if let Ok(text) = std::str::from_utf8(rest) {
            carematch::fuzz_read_on_threads(text, chunk);
        }
        return;
    }
    let mut text = String::from(carematch::sample::MASSACHUSETTS_JSON);
    for edit in rest.chunks_exact(4).take(8) {
        let scaled = usize::from(u16::from_le_bytes([edit[0], edit[1]]));
        let mut at = (scaled * (text.len() + 1)) >> 16;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + usize::from(edit[2] % 16)).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.replace_range(at..end, PIECES[usize::from(edit[3]) % PIECES.len()]);
    }
    carematch::fuzz_read_on_threads(&text, chunk);
});
