//! The snapshot format (`Directory::write_snapshot`, `Directory::read_snapshot`,
//! docs/snapshot.md): a directory read back ranks, explains, counts
//! exclusions and takes updates exactly as the directory written; every
//! damaged file (a flipped bit anywhere, a cut anywhere, another version,
//! another magic, another layout, a forged length, a payload whose
//! checksum was forged to hold) is refused with `ErrorKind::Snapshot` and
//! a message naming what is wrong, never a panic.
//!
//! The directories are generated (`tests/common`, `carematch::synthetic`)
//! or the fictional sample.

mod common;

use std::io::Read;

use carematch::{
    Directory, ErrorKind, PatientNeeds, Program,
    matching::{MatchOptions, Query, Weights},
    sample, synthetic,
};
use common::{AS_OF, arb_directory, arb_patient_needs};
use proptest::prelude::*;

/// Header offsets, as docs/snapshot.md gives them.
const VERSION_AT: usize = 8;
const LAYOUT_AT: usize = 12;
const LEN_AT: usize = 20;
const CRC_AT: usize = 28;
const HEADER_CRC_AT: usize = 32;
const HEADER: usize = 36;

fn snapshot(dir: &Directory) -> Vec<u8> {
    let mut bytes = Vec::new();
    dir.write_snapshot(&mut bytes).expect("writing to a Vec");
    bytes
}

fn sample_dir() -> Directory {
    Directory::new(sample::massachusetts(), sample::AS_OF).expect("the sample validates")
}

/// The header's checksum and the payload's, made to hold again after an edit.
fn fix_checksums(bytes: &mut [u8]) {
    let crc = crc32fast::hash(&bytes[HEADER..]);
    bytes[CRC_AT..CRC_AT + 4].copy_from_slice(&crc.to_le_bytes());
    let header_crc = crc32fast::hash(&bytes[..HEADER_CRC_AT]);
    bytes[HEADER_CRC_AT..HEADER].copy_from_slice(&header_crc.to_le_bytes());
}

fn refused(bytes: &[u8]) -> String {
    match Directory::read_snapshot(bytes) {
        Ok(_) => panic!("a damaged snapshot of {} bytes was read", bytes.len()),
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Snapshot, "{e}");
            e.to_string()
        }
    }
}

fn queries(dir: &Directory, needs: &[PatientNeeds]) -> Vec<Query> {
    let mut out = Vec::new();
    for n in needs {
        let level = n
            .level
            .unwrap_or(carematch::LevelOfCare::IntensiveOutpatient);
        for options in [
            MatchOptions::new(AS_OF),
            MatchOptions::new(AS_OF)
                .with_exclusion_details(true)
                .with_alternatives_included(true)
                .with_waitlist_allowed(true)
                .with_self_pay_allowed(true),
        ] {
            if let Ok(q) = dir.query(n, level, options) {
                out.push(q);
            }
        }
    }
    out
}

/// `back` answers every query as `dir` does: rankings at two k, the
/// exclusions, an explanation of every program, and the programs.
fn assert_same(dir: &Directory, back: &Directory, needs: &[PatientNeeds]) {
    assert_eq!(back.len(), dir.len());
    assert_eq!(back.warnings(), dir.warnings());
    assert_eq!(
        back.programs().collect::<Vec<Program>>(),
        dir.programs().collect::<Vec<Program>>()
    );
    let weights = Weights::default();
    for q in queries(dir, needs) {
        for k in [3, 50] {
            assert_eq!(back.rank(&q, &weights, k), dir.rank(&q, &weights, k));
        }
        assert_eq!(
            back.exclusions(&q).collect::<Vec<_>>(),
            dir.exclusions(&q).collect::<Vec<_>>()
        );
        for id in dir.ids() {
            assert_eq!(
                back.explain(&q, &weights, id),
                dir.explain(&q, &weights, id)
            );
        }
    }
    for id in dir.ids() {
        assert_eq!(back.get(id), dir.get(id));
    }
    assert_eq!(back.get("no-such-program"), None);
}

proptest! {
    #![proptest_config(common::config(24, "snapshot"))]

    /// A snapshot of any generated directory, built in one go or changed by
    /// updates afterwards (so the rows hold entries no row points at, and
    /// slots out of the built order), ranks, explains and counts exclusions
    /// exactly as the directory.
    #[test]
    fn a_snapshot_ranks_explains_and_counts_as_the_directory(
        programs in arb_directory(30),
        needs in proptest::collection::vec(arb_patient_needs(), 1..4),
        updated in any::<bool>(),
    ) {
        let dir = if updated && programs.len() > 2 {
            let half = programs.len() / 2;
            let mut d = Directory::new(programs[..half].to_vec(), AS_OF).expect("valid");
            for p in &programs[half..] {
                d.insert(p.clone()).expect("a new id");
            }
            for p in programs.iter().step_by(3) {
                d.remove(&p.id).expect("present");
            }
            let mut again = programs[1].clone();
            again.name.push_str(" (renamed)");
            d.upsert(again).expect("valid");
            d
        } else {
            Directory::new(programs, AS_OF).expect("valid")
        };
        let bytes = snapshot(&dir);
        let back = Directory::read_snapshot(bytes.as_slice()).expect("its own snapshot");
        assert_same(&dir, &back, &needs);
        // Written again, the snapshot is the same bytes.
        prop_assert_eq!(snapshot(&back), bytes);
    }

    /// A flipped bit in a payload whose checksums are then forged to hold
    /// is refused or read; what is read ranks, decodes and takes updates
    /// without a panic (the checks after the checksum stand alone).
    #[test]
    fn a_forged_checksum_never_leads_to_a_panic(
        at in any::<proptest::sample::Index>(),
        bit in 0u8..8,
        seed in any::<u64>(),
    ) {
        let dir = Directory::new(synthetic::directory(12, seed), AS_OF).expect("valid");
        let mut bytes = snapshot(&dir);
        let i = HEADER + at.index(bytes.len() - HEADER);
        bytes[i] ^= 1 << bit;
        fix_checksums(&mut bytes);
        match Directory::read_snapshot(bytes.as_slice()) {
            Err(e) => prop_assert_eq!(e.kind(), ErrorKind::Snapshot),
            Ok(mut back) => {
                let needs = synthetic::patients(3, seed);
                let weights = Weights::default();
                for q in queries(&back, &needs) {
                    let _ = back.rank(&q, &weights, 5);
                    let _ = back.exclusions(&q).count();
                }
                let _ = back.programs().count();
                let ids: Vec<String> = back.ids().map(str::to_owned).collect();
                for p in synthetic::directory(3, seed ^ 1) {
                    let _ = back.upsert(p);
                }
                for id in ids.iter().step_by(2) {
                    let _ = back.remove(id.as_str());
                }
            }
        }
    }
}

#[test]
fn updates_after_a_load_rank_as_updates_to_the_directory() {
    let mut dir = sample_dir();
    let mut back = Directory::read_snapshot(snapshot(&dir).as_slice()).expect("its own snapshot");
    let pool = synthetic::directory(6, 3);
    let ids: Vec<String> = dir.ids().map(str::to_owned).collect();
    for d in [&mut dir, &mut back] {
        for p in &pool[..3] {
            d.insert(p.clone()).expect("a new id");
        }
        let mut changed = pool[3].clone();
        changed.id = ids[1].parse().expect("an id");
        d.replace(changed).expect("valid");
        d.remove(ids[2].as_str()).expect("present");
        d.set_accepting(ids[0].as_str(), false, Some(21))
            .expect("present");
        assert_eq!(
            d.insert(pool[0].clone()).unwrap_err().kind(),
            ErrorKind::DuplicateProgram
        );
    }
    let needs: Vec<_> = sample::patients().into_iter().map(|p| p.needs).collect();
    assert_same(&dir, &back, &needs);
    // Updates are validated against the date the snapshot kept.
    let mut stale = pool[4].clone();
    stale.last_verified = carematch::Date::checked(1990, 1, 1).expect("a date");
    assert_eq!(
        back.insert(stale.clone()).is_ok(),
        dir.insert(stale).is_ok()
    );
}

#[test]
fn a_snapshot_starts_with_its_header() {
    let bytes = snapshot(&sample_dir());
    assert_eq!(&bytes[..8], b"\x89CMSNAP\n");
    assert_eq!(&bytes[VERSION_AT..VERSION_AT + 4], &3u32.to_le_bytes());
    let len = u64::from_le_bytes(bytes[LEN_AT..LEN_AT + 8].try_into().unwrap());
    assert_eq!(len as usize, bytes.len() - HEADER);
    let crc = u32::from_le_bytes(bytes[CRC_AT..CRC_AT + 4].try_into().unwrap());
    assert_eq!(crc, crc32fast::hash(&bytes[HEADER..]));
    let header_crc = u32::from_le_bytes(bytes[HEADER_CRC_AT..HEADER].try_into().unwrap());
    assert_eq!(header_crc, crc32fast::hash(&bytes[..HEADER_CRC_AT]));
}

#[test]
fn an_empty_directory_round_trips() {
    let dir = Directory::new(Vec::new(), AS_OF).expect("empty is valid");
    let back = Directory::read_snapshot(snapshot(&dir).as_slice()).expect("read");
    assert!(back.is_empty());
    let needs = synthetic::patients(2, 5);
    assert_same(&dir, &back, &needs);
}

#[test]
fn reading_stops_at_the_snapshots_end() {
    let bytes = snapshot(&sample_dir());
    let mut stream = bytes.clone();
    stream.extend_from_slice(b"what follows");
    let mut r = stream.as_slice();
    Directory::read_snapshot(&mut r).expect("read");
    let mut rest = String::new();
    r.read_to_string(&mut rest).expect("the rest");
    assert_eq!(rest, "what follows");
}

#[test]
fn every_flipped_bit_is_refused_naming_the_damage() {
    let bytes = snapshot(&sample_dir());
    for i in 0..bytes.len() {
        let mut bad = bytes.clone();
        bad[i] ^= 1 << (i % 8);
        let msg = refused(&bad);
        let expected = match i {
            0..8 => "not a carematch snapshot",
            8..12 => "format version",
            _ => "corrupted",
        };
        assert!(msg.contains(expected), "byte {i}: {msg}");
    }
}

#[test]
fn a_corrupted_payload_gives_both_checksums() {
    let mut bytes = snapshot(&sample_dir());
    let i = bytes.len() / 2;
    bytes[i] = bytes[i].wrapping_add(1);
    let msg = refused(&bytes);
    let stored = u32::from_le_bytes(bytes[CRC_AT..CRC_AT + 4].try_into().unwrap());
    let computed = crc32fast::hash(&bytes[HEADER..]);
    assert!(
        msg.contains(&format!(
            "checksum is {stored:08x}, its bytes give {computed:08x}"
        )),
        "{msg}"
    );
}

#[test]
fn every_cut_is_refused_as_truncated() {
    let bytes = snapshot(&sample_dir());
    assert!(refused(&[]).contains("not a carematch snapshot: the file starts with nothing"));
    for cut in 1..bytes.len() {
        let msg = refused(&bytes[..cut]);
        if cut < 8 {
            assert!(msg.contains("not a carematch snapshot"), "{cut}: {msg}");
        } else {
            assert!(msg.contains("truncated"), "{cut}: {msg}");
        }
    }
}

#[test]
fn another_version_is_refused_by_number() {
    // Version 1 (no partitions or tallies in the file), version 2 (the
    // program records and side arrays before they were made smaller) and
    // a later one.
    for version in [1u32, 2, 4] {
        let mut bytes = snapshot(&sample_dir());
        bytes[VERSION_AT..VERSION_AT + 4].copy_from_slice(&version.to_le_bytes());
        fix_checksums(&mut bytes);
        assert_eq!(
            refused(&bytes),
            format!(
                "snapshot refused: format version {version}; this build reads version 3 only \
                 (write the snapshot again with this build)"
            )
        );
    }
}

/// The payload offset of the partitions' first array (`parts.cells`):
/// past the date, the warnings and the id order (docs/snapshot.md).
fn parts_at(bytes: &[u8]) -> usize {
    let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
    let mut at = HEADER + 8;
    let warnings = u64_at(at);
    at += 8;
    for _ in 0..warnings {
        at += 1;
        at += 8 + u64_at(at);
        at += 8 + u64_at(at);
    }
    at + 8 + 4 * u64_at(at)
}

/// Partitions whose checksum holds but which do not fit the rows (a
/// position beyond the programs, a program in another cell, a list out
/// of order, a tally that does not add up) are refused as inconsistent,
/// naming the array.
#[test]
fn forged_partitions_are_refused() {
    let bytes = snapshot(&sample_dir());
    let n = sample_dir().len() as u32;
    let cells_at = parts_at(&bytes);
    let cells = u64::from_le_bytes(bytes[cells_at..cells_at + 8].try_into().unwrap()) as usize;
    assert!(cells > 1, "the sample is in more than one cell");
    let grid_at = cells_at + 8 + 8 * cells;
    let grid = u64::from_le_bytes(bytes[grid_at..grid_at + 8].try_into().unwrap());
    assert_eq!(grid, u64::from(n), "every program is in one cell");
    let first = grid_at + 8;
    let forge = |at: usize, value: u32| {
        let mut bad = bytes.clone();
        bad[at..at + 4].copy_from_slice(&value.to_le_bytes());
        fix_checksums(&mut bad);
        refused(&bad)
    };
    // A position beyond the programs.
    let msg = forge(first, n);
    assert!(
        msg.contains("inconsistent") && msg.contains("parts.grid[0][0]"),
        "{msg}"
    );
    // The last program of the grid put first: in another cell, or out of order.
    let last = grid_at + 8 + 4 * (n as usize - 1);
    let value = u32::from_le_bytes(bytes[last..last + 4].try_into().unwrap());
    let msg = forge(first, value);
    assert!(
        msg.contains("inconsistent") && msg.contains("parts.grid"),
        "{msg}"
    );
    // A cell's length one more (the lists then add up to more than given).
    let msg = forge(
        cells_at + 8 + 4,
        u32::from_le_bytes(bytes[cells_at + 12..cells_at + 16].try_into().unwrap()) + 1,
    );
    assert!(
        msg.contains("inconsistent") && msg.contains("parts.grid"),
        "{msg}"
    );
}

#[test]
fn another_magic_is_refused() {
    let mut bytes = snapshot(&sample_dir());
    bytes[..8].copy_from_slice(b"{\"progra");
    assert_eq!(
        refused(&bytes),
        "snapshot refused: not a carematch snapshot: the file starts with 7b2270726f677261, \
         not the magic bytes 89434d534e41500a"
    );
    let json = refused(sample::MASSACHUSETTS_JSON.as_bytes());
    assert!(json.contains("not a carematch snapshot"), "{json}");
}

#[test]
fn another_layout_is_refused() {
    let mut bytes = snapshot(&sample_dir());
    bytes[LAYOUT_AT] ^= 0xff;
    fix_checksums(&mut bytes);
    let msg = refused(&bytes);
    assert!(
        msg.contains("layout") && msg.contains("write it again"),
        "{msg}"
    );
}

#[test]
fn a_forged_length_allocates_nothing_it_does_not_read() {
    let bytes = snapshot(&sample_dir());
    // The payload's length in the header, forged (with the header's
    // checksum made to hold) to a petabyte: the file ends long before.
    let mut bad = bytes.clone();
    bad[LEN_AT..LEN_AT + 8].copy_from_slice(&(1u64 << 50).to_le_bytes());
    fix_checksums(&mut bad);
    assert!(refused(&bad).contains("truncated"));
    // The first array's count (the warnings, right after the date), forged
    // to 2^60 with both checksums made to hold: refused before allocating.
    let mut bad = bytes.clone();
    bad[HEADER + 8..HEADER + 16].copy_from_slice(&(1u64 << 60).to_le_bytes());
    fix_checksums(&mut bad);
    let msg = refused(&bad);
    assert!(
        msg.contains("inconsistent") && msg.contains("warnings: 1152921504606846976 items"),
        "{msg}"
    );
}

/// Found by the fuzz target: a forged count of entries no row points at
/// (the payload's last field but one) overflowed the compaction rule on
/// the next update. Refused now, as is a forged count of dead record
/// bytes, and a count of shared tracks beyond the tracks (the last field).
#[test]
fn forged_dead_counts_are_refused() {
    let bytes = snapshot(&sample_dir());
    let mut bad = bytes.clone();
    let end = bad.len();
    bad[end - 16..end - 8].copy_from_slice(&u64::MAX.to_le_bytes());
    fix_checksums(&mut bad);
    let msg = refused(&bad);
    assert!(msg.contains("side-array entries no row points at"), "{msg}");
    let mut bad = bytes.clone();
    bad[end - 8..].copy_from_slice(&u64::MAX.to_le_bytes());
    fix_checksums(&mut bad);
    let msg = refused(&bad);
    assert!(msg.contains("shared tracks, of"), "{msg}");
    // The fuzzer's input, read as the target reads it: as it is, and as
    // the payload behind a header that holds.
    let fuzzed = include_bytes!("data/fuzz/snapshot-dead-overflow.snap");
    let mut forged = bytes[..LEN_AT].to_vec();
    forged.extend_from_slice(&((fuzzed.len() - HEADER) as u64).to_le_bytes());
    forged.extend_from_slice(&[0; 8]);
    forged.extend_from_slice(&fuzzed[HEADER..]);
    fix_checksums(&mut forged);
    for input in [&fuzzed[..], &forged[..]] {
        match Directory::read_snapshot(input) {
            Err(e) => assert_eq!(e.kind(), ErrorKind::Snapshot),
            Ok(mut back) => {
                let ids: Vec<String> = back.ids().map(str::to_owned).collect();
                if let Some(id) = ids.first() {
                    let _ = back.remove(id.as_str());
                }
                let _ = back.insert(sample::massachusetts().remove(0));
            }
        }
    }
}

#[test]
fn a_failing_writer_is_an_error() {
    struct Full;
    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let err = sample_dir().write_snapshot(Full).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Snapshot);
    assert_eq!(err.to_string(), "cannot write the snapshot: disk full");
}

/// Many distinct payer and language keys (each program its own commercial
/// plan and its own language, the later ones past the bit sets' interned
/// ids, so the tallies' keys carry `high` lists) round-trip.
#[test]
fn many_distinct_payer_and_language_tallies_round_trip() {
    let codes = [
        "en", "es", "pt", "ht", "vi", "zh", "fr", "ar", "ru", "ko", "ja", "de", "it", "pl", "el",
        "hi", "bn", "ur", "fa", "tr", "he", "th", "tl", "km", "lo", "so", "sw", "am", "ne", "pa",
        "gu", "ta", "te", "ml", "kn", "mr", "uk", "ro", "hu", "cs", "sk", "sr", "hr", "bs", "sq",
        "hy", "ka", "az", "kk", "uz",
    ];
    let base = sample::massachusetts()
        .into_iter()
        .next()
        .expect("the sample has programs");
    let programs: Vec<Program> = codes
        .iter()
        .enumerate()
        .map(|(k, code)| {
            let mut p = base.clone();
            p.id = format!("tally-{k}").parse().expect("an id");
            p.payers = vec![carematch::Payer::Commercial(format!("Plan {k}"))];
            p.languages = vec![code.parse().expect("an ISO 639-1 code")];
            p.interpreter_services = false;
            p
        })
        .collect();
    let dir = Directory::new(programs, sample::AS_OF).expect("the programs validate");
    let back = Directory::read_snapshot(snapshot(&dir).as_slice()).expect("it reads back");
    assert_same(&dir, &back, &synthetic::patients(8, 3));
}
