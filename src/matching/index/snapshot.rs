//! The snapshot format: a compiled directory written as the arrays it
//! holds and read back as arrays, so that start-up is a read, not a
//! compile. `docs/snapshot.md` describes the format field by field.
//!
//! The field list lives in two functions side by side, [`write_payload`]
//! and [`read_payload`], in the same order; the records of the compiled
//! rows in `put_hot`/`get_hot`, `put_row`/`get_row` and
//! `put_track`/`get_track`, each pair side by side too. A field added to
//! a row or to a program goes in both functions of its pair (the
//! destructuring in each writer makes the compiler ask for it), and the
//! record's size constant changes with it, which changes [`layout_id`].
//!
//! Reading never trusts a length: every count is checked against the
//! bytes the header says are left before anything is allocated, and
//! arrays grow only as their bytes arrive, so a forged length costs at
//! most what the input really holds. The payload's checksum (CRC-32,
//! `crc32fast`) is computed as it is read; a payload that fails to read
//! is read to its end first, so that a corrupted or truncated file is
//! reported as such rather than by the field it happened to break.
//! After the checksum, what later code indexes with is checked
//! (`Store::from_parts`, `Rows::check`, the id order), so that no input
//! makes a later call panic; the partitions are checked against the rows
//! (`Parts::from_arrays`) without hashing a program. The lookups keyed per
//! process (the id and string hash tables) are built again.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};

use super::partition::{LanguageKey, PartArrays, Parts, PayerKey, Tallies, Tally};
use super::rows::{Hot, Row, Rows, TrackRow};
use super::screens::Screens;
use super::store::Store;
use crate::date::Date;
use crate::error::{Error, Problem, ProblemSeverity, ValidationReport};
use crate::program::Language;

/// The first eight bytes of every snapshot: a byte above 127 (caught by a
/// 7-bit channel), the name, and a line feed (caught by a text-mode
/// newline conversion).
pub(crate) const MAGIC: [u8; 8] = *b"\x89CMSNAP\n";

/// The format's version: the header's and the payload's structure. A
/// reader refuses any other. Version 1 had no partitions or tallies (a
/// reader counted them from the rows); version 2 holds them; version 3
/// holds the smaller program records (terms as bits, text by its words,
/// flags in one byte), side arrays without the payer and language ids the
/// masks hold, tracks shared, and the count of shared tracks.
pub(crate) const VERSION: u32 = 3;

/// Header bytes: magic 8, version 4, layout 8, payload length 8, payload
/// checksum 4, header checksum 4.
pub(crate) const HEADER_BYTES: usize = 36;

const HOT_BYTES: usize = 38;
const ROW_BYTES: usize = 66;
const TRACK_BYTES: usize = 14;

/// Bytes read at a time for an array.
const CHUNK: usize = 1 << 16;

/// An identifier of everything the payload's bytes mean beyond the
/// format's structure: the record sizes, the in-memory size of the types
/// a record decodes into (a field added to a program changes it), every
/// closed vocabulary's keys in order (the store and the rows hold terms
/// by their index and bit), and the states the telehealth bits name.
/// FNV-1a, 64 bits. A snapshot written by a build whose identifier
/// differs is refused, never misread.
pub(crate) fn layout_id() -> u64 {
    let mut h = Fnv::default();
    for n in [
        HOT_BYTES,
        ROW_BYTES,
        TRACK_BYTES,
        size_of::<Hot>(),
        size_of::<Row>(),
        size_of::<TrackRow>(),
        size_of::<crate::program::Program>(),
    ] {
        h.eat(&(n as u64).to_le_bytes());
    }
    super::store::vocabularies(&mut |b| h.eat(b));
    for s in crate::region::US_STATES {
        h.eat(s.as_bytes());
    }
    h.0
}

/// FNV-1a, 64 bits (for the layout identifier: a few hundred bytes).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn eat(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// What a snapshot holds, borrowed from a directory to write it.
pub(crate) struct View<'a> {
    pub store: &'a Store,
    pub by_rank: &'a [u32],
    pub rows: &'a Rows,
    pub parts: &'a Parts,
    pub as_of: Date,
    pub warnings: &'a ValidationReport,
}

/// What a snapshot holds, read back and checked.
pub(crate) struct Loaded {
    pub store: Store,
    pub by_rank: Vec<u32>,
    pub rows: Rows,
    pub parts: Parts,
    pub as_of: Date,
    pub warnings: ValidationReport,
}

/// Writes `v` to `w`: the header, then the payload. The payload is encoded
/// twice, once to count its bytes and checksum (the header comes first)
/// and once to write it, so nothing is buffered whole.
pub(crate) fn write(v: &View<'_>, w: impl Write) -> Result<(), Error> {
    let fail = |e: io::Error| Error::snapshot(format!("cannot write the snapshot: {e}"));
    let mut count = Out::new(io::sink());
    write_payload(v, &mut count).map_err(fail)?;
    let (len, crc) = (count.len, count.crc.finalize());
    let mut header = Vec::with_capacity(HEADER_BYTES);
    header.extend_from_slice(&MAGIC);
    header.extend_from_slice(&VERSION.to_le_bytes());
    header.extend_from_slice(&layout_id().to_le_bytes());
    header.extend_from_slice(&len.to_le_bytes());
    header.extend_from_slice(&crc.to_le_bytes());
    let header_crc = crc32fast::hash(&header);
    header.extend_from_slice(&header_crc.to_le_bytes());
    let mut out = Out::new(w);
    out.w.write_all(&header).map_err(fail)?;
    write_payload(v, &mut out).map_err(fail)?;
    out.w.flush().map_err(fail)?;
    if out.len != len || out.crc.finalize() != crc {
        return Err(Error::snapshot(
            "the payload changed between its two passes".to_owned(),
        ));
    }
    Ok(())
}

/// Reads a snapshot from `r`: the header, checked, then the payload,
/// checksummed, then the arrays, checked. Reads no byte past the payload.
pub(crate) fn read(r: impl Read) -> Result<Loaded, Error> {
    read_checked(r).map_err(|m| Error::snapshot(format!("snapshot refused: {m}")))
}

fn read_checked(mut r: impl Read) -> Result<Loaded, String> {
    let mut header = [0u8; HEADER_BYTES];
    let mut got = 0;
    while got < HEADER_BYTES {
        match r.read(&mut header[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("cannot read the header: {e}")),
        }
    }
    if got < MAGIC.len() || header[..MAGIC.len()] != MAGIC {
        return Err(format!(
            "not a carematch snapshot: the file starts with {}, not the magic bytes {}",
            hex(&header[..got.min(MAGIC.len())]),
            hex(&MAGIC)
        ));
    }
    if got < HEADER_BYTES {
        return Err(format!(
            "truncated: the file ends inside the header ({got} of {HEADER_BYTES} bytes)"
        ));
    }
    let field = |at: usize| -> [u8; 8] {
        let mut b = [0u8; 8];
        b.copy_from_slice(&header[at..at + 8]);
        b
    };
    let word = |at: usize| -> [u8; 4] {
        let mut b = [0u8; 4];
        b.copy_from_slice(&header[at..at + 4]);
        b
    };
    let version = u32::from_le_bytes(word(8));
    if version != VERSION {
        return Err(format!(
            "format version {version}; this build reads version {VERSION} only \
             (write the snapshot again with this build)"
        ));
    }
    let header_crc = u32::from_le_bytes(word(32));
    let computed = crc32fast::hash(&header[..32]);
    if header_crc != computed {
        return Err(format!(
            "corrupted: the header's checksum is {header_crc:08x}, its bytes give {computed:08x}"
        ));
    }
    let layout = u64::from_le_bytes(field(12));
    if layout != layout_id() {
        return Err(format!(
            "layout {layout:016x}; this build's layout is {:016x} (the snapshot was written by \
             a build whose programs, rows or vocabularies differ: write it again with this build)",
            layout_id()
        ));
    }
    let len = u64::from_le_bytes(field(20));
    let crc = u32::from_le_bytes(word(28));
    let mut inp = In {
        r,
        crc: crc32fast::Hasher::new(),
        left: len,
        len,
    };
    let read = read_payload(&mut inp).and_then(|l| match inp.left {
        0 => Ok(l),
        n => Err(format!("{n} bytes follow the last field of the payload")),
    });
    let loaded = match read {
        Ok(l) => l,
        Err(problem) => return Err(inp.explain(crc, problem)),
    };
    let computed = inp.crc.clone().finalize();
    if computed != crc {
        return Err(format!(
            "corrupted: the payload's checksum is {crc:08x}, its bytes give {computed:08x}"
        ));
    }
    check(loaded).map_err(|p| format!("inconsistent (its checksum holds): {p}"))
}

/// The directory's arrays, in the order [`read_payload`] reads them.
fn write_payload<W: Write>(v: &View<'_>, o: &mut Out<W>) -> io::Result<()> {
    // The directory.
    o.u64(v.as_of.days_since_epoch() as u64)?;
    o.u64(v.warnings.problems.len() as u64)?;
    for p in &v.warnings.problems {
        o.u8(match p.severity {
            ProblemSeverity::Warning => 0,
            ProblemSeverity::Error => 1,
        })?;
        o.str(&p.path)?;
        o.str(&p.message)?;
    }
    o.array(v.by_rank, |x| x.to_le_bytes())?;
    // The partitions and tallies.
    write_parts(v.parts, o)?;
    // The store.
    let s = v.store;
    o.blob(&s.bytes)?;
    o.array(&s.starts, |x| (*x as u64).to_le_bytes())?;
    o.u64(s.dead as u64)?;
    o.blob(&s.strings.text)?;
    o.array(&s.strings.ends, |x| (*x as u64).to_le_bytes())?;
    // The rows.
    let r = v.rows;
    o.array(&r.hot, put_hot)?;
    o.array(&r.rows, put_row)?;
    o.array(&r.payer_ids, |x| x.to_le_bytes())?;
    o.array(&r.lang_ids, |x| x.to_le_bytes())?;
    o.array(&r.tracks, put_track)?;
    o.array(&r.sessions, |(a, b)| {
        let mut out = [0u8; 4];
        out[..2].copy_from_slice(&a.to_le_bytes());
        out[2..].copy_from_slice(&b.to_le_bytes());
        out
    })?;
    o.u64(r.payers.len() as u64)?;
    for (key, id) in &r.payers {
        o.str(key)?;
        o.bytes(&id.to_le_bytes())?;
    }
    o.u64(r.languages.len() as u64)?;
    for (lang, id) in &r.languages {
        o.str(lang.code())?;
        o.bytes(&id.to_le_bytes())?;
    }
    o.array(&r.slot_of, |x| x.to_le_bytes())?;
    o.array(&r.pos_of, |x| x.to_le_bytes())?;
    o.u64(r.dead as u64)?;
    o.u64(r.shared_tracks as u64)
}

/// The directory's arrays, in the order [`write_payload`] writes them.
fn read_payload<R: Read>(i: &mut In<R>) -> Result<Unchecked, String> {
    // The directory.
    let days = i.u64("as_of")?;
    let as_of = i32::try_from(days as i64)
        .ok()
        .and_then(Date::from_days_since_epoch)
        .ok_or_else(|| format!("as_of: {days} is not a date"))?;
    let n = i.count("warnings", 1 + 8 + 8)?;
    let mut problems = Vec::with_capacity(n.min(CHUNK));
    for k in 0..n {
        let severity = match i.u8("warnings")? {
            0 => ProblemSeverity::Warning,
            1 => ProblemSeverity::Error,
            b => return Err(format!("warnings[{k}].severity: {b} is neither 0 nor 1")),
        };
        let path = i.str("warnings[].path")?;
        let message = i.str("warnings[].message")?;
        problems.push(Problem::new(severity, path, message));
    }
    let warnings = ValidationReport { problems };
    let by_rank = i.array("by_rank", |b: &[u8; 4]| u32::from_le_bytes(*b))?;
    // The partitions and tallies (checked against the rows in `check`).
    let (part_arrays, tallies) = read_parts(i)?;
    // The store.
    let bytes = i.blob("store.bytes")?;
    let starts = i.array("store.starts", usize_le)?;
    let dead = i.u64("store.dead")? as usize;
    let text = i.blob("store.strings.text")?;
    let ends = i.array("store.strings.ends", usize_le)?;
    // The rows.
    let hot = i.array("rows.hot", get_hot)?;
    let row = i.array("rows.rows", get_row)?;
    let payer_ids = i.array("rows.payer_ids", |b: &[u8; 4]| u32::from_le_bytes(*b))?;
    let lang_ids = i.array("rows.lang_ids", |b: &[u8; 2]| u16::from_le_bytes(*b))?;
    let tracks = i.array("rows.tracks", get_track)?;
    let sessions = i.array("rows.sessions", |b: &[u8; 4]| {
        (
            u16::from_le_bytes([b[0], b[1]]),
            u16::from_le_bytes([b[2], b[3]]),
        )
    })?;
    let mut payers = BTreeMap::new();
    for _ in 0..i.count("rows.payers", 8 + 4)? {
        let key = i.str("rows.payers[].key")?;
        let id = u32::from_le_bytes(i.exact::<4>("rows.payers[].id")?);
        payers.insert(key, id);
    }
    let mut languages = BTreeMap::new();
    for _ in 0..i.count("rows.languages", 8 + 2)? {
        let code = i.str("rows.languages[].code")?;
        let lang = code
            .parse::<Language>()
            .map_err(|e| format!("rows.languages[]: {e}"))?;
        let id = u16::from_le_bytes(i.exact::<2>("rows.languages[].id")?);
        languages.insert(lang, id);
    }
    let slot_of = i.array("rows.slot_of", |b: &[u8; 4]| u32::from_le_bytes(*b))?;
    let pos_of = i.array("rows.pos_of", |b: &[u8; 4]| u32::from_le_bytes(*b))?;
    let rows_dead = i.u64("rows.dead")? as usize;
    let shared_tracks = usize::try_from(i.u64("rows.shared_tracks")?).unwrap_or(usize::MAX);
    let store = Store::from_parts(bytes, starts, dead, text, ends)?;
    let rows = Rows {
        hot,
        rows: row,
        payer_ids,
        lang_ids,
        tracks,
        sessions,
        payers,
        languages,
        slot_of,
        pos_of,
        dead: rows_dead,
        shared_tracks,
    };
    Ok(Unchecked {
        loaded: Loaded {
            store,
            by_rank,
            rows,
            parts: Parts::default(),
            as_of,
            warnings,
        },
        part_arrays,
        tallies,
    })
}

/// A payload read, its partitions not yet checked against its rows.
struct Unchecked {
    loaded: Loaded,
    part_arrays: PartArrays,
    tallies: Tallies,
}

fn u32_le(b: &[u8; 4]) -> u32 {
    u32::from_le_bytes(*b)
}

/// The partitions (lists of positions) and the tallies, in the order
/// [`read_parts`] reads them; each tally's entries sorted by key.
fn write_parts<W: Write>(p: &Parts, o: &mut Out<W>) -> io::Result<()> {
    let a = p.arrays();
    o.array(&a.cells, |((band, sector), len)| {
        Put::<8>::new()
            .raw(band.to_le_bytes())
            .raw(sector.to_le_bytes())
            .raw(len.to_le_bytes())
            .done()
    })?;
    for list in [
        &a.grid,
        &a.telehealth,
        &a.state_lens,
        &a.by_state,
        &a.level_lens,
        &a.by_levels,
    ] {
        o.array(list, |x| x.to_le_bytes())?;
    }
    let t = &p.tallies;
    o.array(&Tallies::sorted(&t.ages), |((min, max), n)| {
        Put::<6>::new()
            .raw([*min, *max])
            .raw(n.to_le_bytes())
            .done()
    })?;
    o.array(&Tallies::sorted(&t.restricted), |(r, n)| {
        Put::<6>::new()
            .raw(r.to_le_bytes())
            .raw(n.to_le_bytes())
            .done()
    })?;
    let payers = Tallies::sorted(&t.payers);
    o.u64(payers.len() as u64)?;
    for (k, n) in &payers {
        o.bytes(&k.mask.to_le_bytes())?;
        o.bytes(&[u8::from(k.self_funded), u8::from(k.unlisted)])?;
        o.array(&k.high, |x| x.to_le_bytes())?;
        o.bytes(&n.to_le_bytes())?;
    }
    let languages = Tallies::sorted(&t.languages);
    o.u64(languages.len() as u64)?;
    for (k, n) in &languages {
        o.bytes(&k.mask.to_le_bytes())?;
        o.array(&k.high, |x| x.to_le_bytes())?;
        o.bytes(&n.to_le_bytes())?;
    }
    for map in [&t.excluded, &t.admits] {
        o.array(&Tallies::sorted(map), |(c, n)| {
            Put::<8>::new()
                .raw(c.to_le_bytes())
                .raw(n.to_le_bytes())
                .done()
        })?;
    }
    o.array(&Tallies::sorted(&t.delivery), |(d, n)| {
        Put::<5>::new().raw([*d]).raw(n.to_le_bytes()).done()
    })?;
    o.array(&Tallies::sorted(&t.telehealth), |((d, states), n)| {
        Put::<13>::new()
            .raw([*d])
            .raw(states.to_le_bytes())
            .raw(n.to_le_bytes())
            .done()
    })?;
    o.array(&Tallies::sorted(&t.status), |((flags, unlisted), n)| {
        Put::<6>::new()
            .raw([*flags, *unlisted])
            .raw(n.to_le_bytes())
            .done()
    })
}

/// A tally read back, a key given twice refused.
fn tally<K: std::hash::Hash + Eq + Clone>(
    what: &str,
    entries: Vec<(K, u32)>,
) -> Result<Tally<K>, String> {
    Tally::from_entries(entries).map_err(|j| format!("tallies.{what}[{j}]: a key given twice"))
}

/// The partitions and tallies, in the order [`write_parts`] writes them.
fn read_parts<R: Read>(i: &mut In<R>) -> Result<(PartArrays, Tallies), String> {
    let cells = i.array("parts.cells", |b: &[u8; 8]| {
        let mut g = Get { b, at: 0 };
        ((g.u16(), g.u16()), g.u32())
    })?;
    let grid = i.array("parts.grid", u32_le)?;
    let telehealth = i.array("parts.telehealth", u32_le)?;
    let state_lens = i.array("parts.state_lens", u32_le)?;
    let by_state = i.array("parts.by_state", u32_le)?;
    let level_lens = i.array("parts.level_lens", u32_le)?;
    let by_levels = i.array("parts.by_levels", u32_le)?;
    let arrays = PartArrays {
        cells,
        grid,
        telehealth,
        state_lens,
        by_state,
        level_lens,
        by_levels,
    };
    let ages = i.array("tallies.ages", |b: &[u8; 6]| {
        let mut g = Get { b, at: 0 };
        ((g.u8(), g.u8()), g.u32())
    })?;
    let restricted = i.array("tallies.restricted", |b: &[u8; 6]| {
        let mut g = Get { b, at: 0 };
        (g.u16(), g.u32())
    })?;
    let n = i.count("tallies.payers", 8 + 2 + 8 + 4)?;
    let mut payers = Vec::with_capacity(n.min(CHUNK));
    for _ in 0..n {
        let mask = i.u64("tallies.payers[].mask")?;
        let [self_funded, unlisted] = i.exact::<2>("tallies.payers[].flags")?;
        let high = i.array("tallies.payers[].high", u32_le)?.into_boxed_slice();
        let count = u32::from_le_bytes(i.exact::<4>("tallies.payers[].count")?);
        let key = PayerKey {
            mask,
            high,
            self_funded: self_funded != 0,
            unlisted: unlisted != 0,
        };
        payers.push((key, count));
    }
    let n = i.count("tallies.languages", 4 + 8 + 4)?;
    let mut languages = Vec::with_capacity(n.min(CHUNK));
    for _ in 0..n {
        let mask = u32::from_le_bytes(i.exact::<4>("tallies.languages[].mask")?);
        let high = i
            .array("tallies.languages[].high", |b: &[u8; 2]| {
                u16::from_le_bytes(*b)
            })?
            .into_boxed_slice();
        let count = u32::from_le_bytes(i.exact::<4>("tallies.languages[].count")?);
        languages.push((LanguageKey { mask, high }, count));
    }
    let pair = |b: &[u8; 8]| {
        let mut g = Get { b, at: 0 };
        (g.u32(), g.u32())
    };
    let excluded = i.array("tallies.excluded", pair)?;
    let admits = i.array("tallies.admits", pair)?;
    let delivery = i.array("tallies.delivery", |b: &[u8; 5]| {
        let mut g = Get { b, at: 0 };
        (g.u8(), g.u32())
    })?;
    let telehealth = i.array("tallies.telehealth", |b: &[u8; 13]| {
        let mut g = Get { b, at: 0 };
        ((g.u8(), g.u64()), g.u32())
    })?;
    let status = i.array("tallies.status", |b: &[u8; 6]| {
        let mut g = Get { b, at: 0 };
        ((g.u8(), g.u8()), g.u32())
    })?;
    let tallies = Tallies {
        ages: tally("ages", ages)?,
        restricted: tally("restricted", restricted)?,
        payers: tally("payers", payers)?,
        languages: tally("languages", languages)?,
        excluded: tally("excluded", excluded)?,
        admits: tally("admits", admits)?,
        delivery: tally("delivery", delivery)?,
        telehealth: tally("telehealth", telehealth)?,
        status: tally("status", status)?,
        payer_column: Default::default(),
    }
    .with_payer_column();
    Ok((arrays, tallies))
}

/// What later code indexes with, checked (the store checked itself as it
/// was put together), and the partitions checked against the rows.
fn check(u: Unchecked) -> Result<Loaded, String> {
    let Unchecked {
        mut loaded,
        part_arrays,
        tallies,
    } = u;
    check_rows(&loaded)?;
    let rows = &loaded.rows;
    loaded.parts = Parts::from_arrays(
        part_arrays,
        tallies,
        rows.len(),
        |i| rows.member(i),
        &rows.tally_totals(),
    )?;
    // The bit sets are not written: made from the rows, as adding each would.
    loaded.parts.screens = Screens::of(rows.len(), |i| rows.screen_key(i));
    Ok(loaded)
}

fn check_rows(l: &Loaded) -> Result<(), String> {
    let n = l.store.len();
    l.rows.check(n)?;
    if l.by_rank.len() != n {
        return Err(format!("{} id ranks for {n} programs", l.by_rank.len()));
    }
    for (rank, pos) in l.by_rank.iter().enumerate() {
        let slot = l.rows.slot_of.get(*pos as usize).map(|s| *s as usize);
        if slot.and_then(|s| l.rows.rows.get(s)).map(|r| r.id_rank) != Some(rank as u32) {
            return Err(format!(
                "by_rank[{rank}] = {pos} disagrees with the rows' id ranks"
            ));
        }
    }
    Ok(())
}

fn usize_le(b: &[u8; 8]) -> usize {
    // Offsets beyond this machine's address space are refused by the
    // checks that follow (they point outside every array).
    usize::try_from(u64::from_le_bytes(*b)).unwrap_or(usize::MAX)
}

fn hex(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "nothing (an empty file)".to_owned();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A little-endian record being written.
struct Put<const N: usize> {
    b: [u8; N],
    at: usize,
}

impl<const N: usize> Put<N> {
    fn new() -> Self {
        Put { b: [0; N], at: 0 }
    }
    fn raw<const K: usize>(mut self, x: [u8; K]) -> Self {
        self.b[self.at..self.at + K].copy_from_slice(&x);
        self.at += K;
        self
    }
    fn done(self) -> [u8; N] {
        debug_assert_eq!(self.at, N, "a record's fields fill it exactly");
        self.b
    }
}

/// A little-endian record being read.
struct Get<'a, const N: usize> {
    b: &'a [u8; N],
    at: usize,
}

impl<const N: usize> Get<'_, N> {
    fn raw<const K: usize>(&mut self) -> [u8; K] {
        let mut x = [0u8; K];
        x.copy_from_slice(&self.b[self.at..self.at + K]);
        self.at += K;
        x
    }
    fn u8(&mut self) -> u8 {
        self.raw::<1>()[0]
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes(self.raw())
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.raw())
    }
    fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.raw())
    }
}

fn put_hot(h: &Hot) -> [u8; HOT_BYTES] {
    let Hot {
        lat,
        payer_mask,
        lang_mask,
        excluded_cover,
        track_off,
        track_len,
        restricted,
        levels,
        delivery,
        flags,
        age_min,
        age_max,
        unlisted,
    } = *h;
    Put::new()
        .raw(lat.to_bits().to_le_bytes())
        .raw(payer_mask.to_le_bytes())
        .raw(lang_mask.to_le_bytes())
        .raw(excluded_cover.to_le_bytes())
        .raw(track_off.to_le_bytes())
        .raw(track_len.to_le_bytes())
        .raw(restricted.to_le_bytes())
        .raw([levels, delivery, flags, age_min, age_max, unlisted])
        .done()
}

fn get_hot(b: &[u8; HOT_BYTES]) -> Hot {
    let mut g = Get { b, at: 0 };
    Hot {
        lat: f64::from_bits(g.u64()),
        payer_mask: g.u64(),
        lang_mask: g.u32(),
        excluded_cover: g.u32(),
        track_off: g.u32(),
        track_len: g.u16(),
        restricted: g.u16(),
        levels: g.u8(),
        delivery: g.u8(),
        flags: g.u8(),
        age_min: g.u8(),
        age_max: g.u8(),
        unlisted: g.u8(),
    }
}

fn put_row(r: &Row) -> [u8; ROW_BYTES] {
    let Row {
        lon,
        states,
        verified,
        id_rank,
        approaches,
        specialty_cover,
        admits_cover,
        payer_off,
        lang_off,
        licenses,
        populations,
        wait,
        payer_len,
        lang_len,
        modalities,
        certifications,
        facility,
        aftercare,
        moud_listed,
        withdrawal_management,
        medical_monitoring,
    } = *r;
    Put::new()
        .raw(lon.to_bits().to_le_bytes())
        .raw(states.to_le_bytes())
        .raw(verified.to_le_bytes())
        .raw(id_rank.to_le_bytes())
        .raw(approaches.to_le_bytes())
        .raw(specialty_cover.to_le_bytes())
        .raw(admits_cover.to_le_bytes())
        .raw(payer_off.to_le_bytes())
        .raw(lang_off.to_le_bytes())
        .raw(licenses.to_le_bytes())
        .raw(populations.to_le_bytes())
        .raw(wait.to_le_bytes())
        .raw(payer_len.to_le_bytes())
        .raw(lang_len.to_le_bytes())
        .raw([modalities])
        .raw(certifications.to_le_bytes())
        .raw([
            facility,
            aftercare,
            moud_listed,
            u8::from(withdrawal_management),
            u8::from(medical_monitoring),
        ])
        .done()
}

fn get_row(b: &[u8; ROW_BYTES]) -> Row {
    let mut g = Get { b, at: 0 };
    Row {
        lon: f64::from_bits(g.u64()),
        states: g.u64(),
        verified: g.u32() as i32,
        id_rank: g.u32(),
        approaches: g.u64(),
        specialty_cover: g.u32(),
        admits_cover: g.u32(),
        payer_off: g.u32(),
        lang_off: g.u32(),
        licenses: g.u16(),
        populations: g.u16(),
        wait: g.u16(),
        payer_len: g.u16(),
        lang_len: g.u16(),
        modalities: g.u8(),
        certifications: g.u16(),
        facility: g.u8(),
        aftercare: g.u8(),
        moud_listed: g.u8(),
        // Any byte but 0 reads as true (a flipped bit is the checksum's to catch).
        withdrawal_management: g.u8() != 0,
        medical_monitoring: g.u8() != 0,
    }
}

fn put_track(t: &TrackRow) -> [u8; TRACK_BYTES] {
    let TrackRow {
        sess_off,
        minutes,
        slots,
        sess_len,
        level,
        evening_or_weekend,
    } = *t;
    Put::new()
        .raw(sess_off.to_le_bytes())
        .raw(minutes.to_le_bytes())
        .raw(slots.to_le_bytes())
        .raw(sess_len.to_le_bytes())
        .raw([level, u8::from(evening_or_weekend)])
        .done()
}

fn get_track(b: &[u8; TRACK_BYTES]) -> TrackRow {
    let mut g = Get { b, at: 0 };
    TrackRow {
        sess_off: g.u32(),
        minutes: g.u32(),
        slots: g.u16(),
        sess_len: g.u16(),
        level: g.u8(),
        evening_or_weekend: g.u8() != 0,
    }
}

/// The payload being written: its bytes counted and checksummed.
struct Out<W: Write> {
    w: W,
    crc: crc32fast::Hasher,
    len: u64,
    buf: Vec<u8>,
}

impl<W: Write> Out<W> {
    fn new(w: W) -> Self {
        Out {
            w,
            crc: crc32fast::Hasher::new(),
            len: 0,
            buf: Vec::with_capacity(CHUNK),
        }
    }

    fn bytes(&mut self, b: &[u8]) -> io::Result<()> {
        self.crc.update(b);
        self.len += b.len() as u64;
        self.w.write_all(b)
    }

    fn u8(&mut self, x: u8) -> io::Result<()> {
        self.bytes(&[x])
    }

    fn u64(&mut self, x: u64) -> io::Result<()> {
        self.bytes(&x.to_le_bytes())
    }

    fn str(&mut self, s: &str) -> io::Result<()> {
        self.blob(s.as_bytes())
    }

    /// The count, then the bytes.
    fn blob(&mut self, b: &[u8]) -> io::Result<()> {
        self.u64(b.len() as u64)?;
        self.bytes(b)
    }

    /// The count, then each item's `N` bytes.
    fn array<T, const N: usize>(
        &mut self,
        items: &[T],
        put: impl Fn(&T) -> [u8; N],
    ) -> io::Result<()> {
        self.u64(items.len() as u64)?;
        let mut buf = std::mem::take(&mut self.buf);
        for chunk in items.chunks((CHUNK / N).max(1)) {
            buf.clear();
            for item in chunk {
                buf.extend_from_slice(&put(item));
            }
            self.bytes(&buf)?;
        }
        self.buf = buf;
        Ok(())
    }
}

/// The payload being read: its bytes counted against the header's length
/// and checksummed.
struct In<R: Read> {
    r: R,
    crc: crc32fast::Hasher,
    /// Payload bytes not read yet.
    left: u64,
    /// The header's payload length.
    len: u64,
}

impl<R: Read> In<R> {
    /// Fills `out` from the payload.
    fn fill(&mut self, out: &mut [u8], what: &str) -> Result<(), String> {
        let n = out.len() as u64;
        if n > self.left {
            return Err(format!(
                "{what}: needs {n} bytes, {} are left in the payload",
                self.left
            ));
        }
        self.r.read_exact(out).map_err(|e| match e.kind() {
            io::ErrorKind::UnexpectedEof => format!("truncated: the file ends inside {what}"),
            _ => format!("cannot read {what}: {e}"),
        })?;
        self.crc.update(out);
        self.left -= n;
        Ok(())
    }

    fn exact<const N: usize>(&mut self, what: &str) -> Result<[u8; N], String> {
        let mut b = [0u8; N];
        self.fill(&mut b, what)?;
        Ok(b)
    }

    fn u8(&mut self, what: &str) -> Result<u8, String> {
        Ok(self.exact::<1>(what)?[0])
    }

    fn u64(&mut self, what: &str) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.exact(what)?))
    }

    /// A count of items of at least `item` bytes each, checked against the
    /// bytes left before anything is allocated for them.
    fn count(&mut self, what: &str, item: usize) -> Result<usize, String> {
        let n = self.u64(what)?;
        let bytes = n.checked_mul(item as u64);
        match bytes {
            Some(b) if b <= self.left => {
                usize::try_from(n).map_err(|_| format!("{what}: {n} items"))
            }
            _ => Err(format!(
                "{what}: {n} items of {item} bytes do not fit in the {} bytes left in the payload",
                self.left
            )),
        }
    }

    fn str(&mut self, what: &str) -> Result<String, String> {
        String::from_utf8(self.blob(what)?).map_err(|_| format!("{what}: not UTF-8"))
    }

    /// The count, then the bytes, read straight into the vector's spare
    /// room (which grows as they arrive, as in [`In::array`]).
    fn blob(&mut self, what: &str) -> Result<Vec<u8>, String> {
        let n = self.count(what, 1)?;
        let mut v: Vec<u8> = Vec::new();
        while v.len() < n {
            let at = v.len();
            let k = (n - at).min(at.max(CHUNK));
            v.reserve_exact(k);
            let got = (&mut self.r)
                .take(k as u64)
                .read_to_end(&mut v)
                .map_err(|e| format!("cannot read {what}: {e}"))?;
            if got < k {
                return Err(format!("truncated: the file ends inside {what}"));
            }
            self.crc.update(&v[at..]);
            self.left -= k as u64;
        }
        Ok(v)
    }

    /// The count, then each item from its `N` bytes. The vector grows as
    /// the bytes arrive (doubling, never past the count), so a forged
    /// count allocates no more than the input holds.
    fn array<T, const N: usize>(
        &mut self,
        what: &str,
        get: impl Fn(&[u8; N]) -> T,
    ) -> Result<Vec<T>, String> {
        let n = self.count(what, N)?;
        let per = (CHUNK / N).max(1);
        let mut v: Vec<T> = Vec::with_capacity(n.min(per));
        let mut buf = vec![0u8; per.min(n) * N];
        while v.len() < n {
            let k = (n - v.len()).min(per);
            let bytes = &mut buf[..k * N];
            self.fill(bytes, what)?;
            if v.capacity() - v.len() < k {
                v.reserve_exact(v.len().max(k).min(n - v.len()));
            }
            let (records, _) = bytes.as_chunks::<N>();
            v.extend(records.iter().map(&get));
        }
        Ok(v)
    }

    /// After `problem`: reads the rest of the payload, so that a truncated
    /// or corrupted file is reported as such (the usual cause), and
    /// `problem` only when the payload is whole and its checksum holds.
    fn explain(&mut self, crc: u32, problem: String) -> String {
        if problem.starts_with("truncated") {
            return problem;
        }
        let mut buf = vec![0u8; CHUNK];
        while self.left > 0 {
            let k = self.left.min(CHUNK as u64) as usize;
            match self.r.read(&mut buf[..k]) {
                Ok(0) => {
                    return format!(
                        "truncated: the file ends {} bytes before the end of the {}-byte payload",
                        self.left, self.len
                    );
                }
                Ok(got) => {
                    self.crc.update(&buf[..got]);
                    self.left -= got as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return format!("cannot read the payload: {e}"),
            }
        }
        let computed = self.crc.clone().finalize();
        if computed != crc {
            return format!(
                "corrupted: the payload's checksum is {crc:08x}, its bytes give {computed:08x} \
                 (reading stopped at {problem})"
            );
        }
        format!("inconsistent (its checksum holds): {problem}")
    }
}
