//! Reading a directory snapshot from arbitrary bytes: refused with
//! `ErrorKind::Snapshot` or read, never a panic, and a directory read ranks,
//! decodes its programs and takes updates without a panic.
//!
//! The bytes are tried twice: as they are (the header's checks: magic,
//! version, checksums, layout), and as the payload of a header made to
//! hold (this build's version and layout, the length and both checksums
//! computed), so that the fuzzer explores what follows the checksum: the
//! payload's counts and the checks of its arrays. The seed corpus
//! (`fuzz/corpus/snapshot/`) holds snapshots of the fictional sample and of
//! small synthetic directories.
#![no_main]

use std::sync::OnceLock;

use carematch::{
    Directory, ErrorKind,
    matching::{MatchOptions, Weights},
    sample::{self, AS_OF},
};
use libfuzzer_sys::fuzz_target;

/// This build's snapshot header: its first 20 bytes (magic, version,
/// layout), taken from a snapshot it writes.
fn header_start() -> &'static [u8] {
    static START: OnceLock<Vec<u8>> = OnceLock::new();
    START.get_or_init(|| {
        let dir = Directory::new(Vec::new(), AS_OF).expect("empty is valid");
        let mut bytes = Vec::new();
        dir.write_snapshot(&mut bytes).expect("writing to a Vec");
        bytes[..20].to_vec()
    })
}

/// `payload` behind a header that holds.
fn with_header(payload: &[u8]) -> Vec<u8> {
    let mut out = header_start().to_vec();
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    let header_crc = crc32fast::hash(&out);
    out.extend_from_slice(&header_crc.to_le_bytes());
    out.extend_from_slice(payload);
    out
}

fn read(bytes: &[u8]) {
    match Directory::read_snapshot(bytes) {
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Snapshot);
            assert!(e.to_string().starts_with("snapshot refused: "), "{e}");
        }
        Ok(mut dir) => {
            let weights = Weights::default();
            for p in sample::patients().iter().take(2) {
                let level = p.needs.level.expect("the sample's patients name a level");
                let options = MatchOptions::new(AS_OF).with_exclusion_details(true);
                if let Ok(q) = dir.query(&p.needs, level, options) {
                    let _ = dir.rank(&q, &weights, 5);
                    let _ = dir.exclusions(&q).count();
                }
            }
            let ids: Vec<String> = dir.programs().map(|p| p.id.to_string()).collect();
            if let Some(id) = ids.first() {
                let _ = dir.remove(id.as_str());
            }
            let _ = dir.insert(sample::massachusetts().remove(0));
            let mut again = Vec::new();
            dir.write_snapshot(&mut again).expect("writing to a Vec");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    read(data);
    // Past the header: a snapshot's payload starts at byte 36.
    read(&with_header(data.get(36..).unwrap_or(data)));
});
