//! The programs a [`crate::Directory`] holds, stored compactly: one byte
//! record per program in a single buffer, repeated values (the words of
//! names and organizations, address, city, state, postal code, payer plan
//! names, licensed states and whole tracks) kept once in a table of shared
//! byte strings, and a lookup
//! by id that holds four bytes a slot. Every part is a few large vectors,
//! not one allocation per program or string, so that the allocator can
//! give back what loading freed around them. Ranking reads the compiled index, not these records; a
//! whole [`Program`] is decoded on demand (for the top k it explains, for
//! an exclusion's details, for [`crate::Directory::get`]).
//!
//! A record is its length, then the program's id (its length then its
//! bytes) and open slots (so that both are read without the rest), one
//! byte of flags (interpreter services, accepting new patients, opioid
//! treatment program, coordinates with one, withdrawal management, medical
//! monitoring, a ZIP-centre location: bits 0 to 6), then the other fields
//! in declaration order: integers as LEB128 varints; the values of a closed
//! vocabulary as their index in `ALL` (one byte); a list of them, when it
//! ascends strictly (as most do), as one varint of their bits (shifted up
//! one, the low bit set), otherwise its length (shifted up one) then its
//! items; staff as the bits of the licenses (and of the certifications)
//! then each one's count; the name and the organization as their fields
//! between single spaces, each a number (a decimal without a leading zero
//! as its value) or a shared string (so a directory's repeated words are
//! kept once); other lists as their length then their items; a shared
//! string (or an encoded track) as its index in the table; coordinates as
//! the bits of the `f64`. Decoding gives back exactly the program encoded
//! (the round trip is a property test), whichever way a list was written.

use std::hash::{BuildHasher, RandomState};

use crate::credential::{Certification, FacilityCredential, License, Staff};
use crate::date::Date;
use crate::diagnosis::Condition;
use crate::level::LevelOfCare;
use crate::program::{
    Aftercare, AgeRange, Delivery, FamilyInvolvement, Language, Location, LocationPrecision,
    MassHealthPlan, NotListed, Payer, Population, Program, ProgramId,
};
use crate::schedule::{Session, TimeOfDay, TimeWindow, Track, Weekday};
use crate::therapy::{Approach, Modality, MoudMedication};

/// Programs by position, encoded, with the lookup by id.
#[derive(Clone, Default)]
pub(crate) struct Store {
    /// The records, one after another (replaced and removed ones stay until
    /// [`Store::compact_if_needed`] rewrites the buffer).
    pub(super) bytes: Vec<u8>,
    /// Where each program's record starts in `bytes`.
    pub(super) starts: Vec<usize>,
    /// Bytes of `bytes` no program points at any more.
    pub(super) dead: usize,
    /// A buffer reused while encoding.
    scratch: Vec<u8>,
    pub(super) strings: Shared,
    /// Positions by id (the ids are read from the records).
    ids: Slots,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("programs", &self.starts.len())
            .field("bytes", &self.heap_bytes())
            .finish_non_exhaustive()
    }
}

impl Store {
    /// An empty store with room for `n` programs.
    pub(crate) fn with_capacity(n: usize) -> Store {
        Store {
            starts: Vec::with_capacity(n),
            ..Store::default()
        }
    }

    /// How many programs.
    pub(crate) fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether there are no programs.
    pub(crate) fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Adds `p` last. Its id should not be in the store already: a second
    /// program with the same id is stored, but `position` finds the first
    /// (a directory being loaded stores duplicates, then reports them and
    /// is dropped).
    pub(crate) fn push(&mut self, p: &Program) {
        let start = self.append(p);
        self.starts.push(start);
        let i = self.starts.len() - 1;
        let (bytes, starts) = (&self.bytes, &self.starts);
        self.ids
            .insert(i, starts.len(), |j| id_bytes(bytes, starts[j]));
    }

    /// Replaces program `i` by `p`, which has the same id.
    pub(crate) fn set(&mut self, i: usize, p: &Program) {
        debug_assert_eq!(self.id(i), p.id.as_str());
        self.dead += self.record_len(i);
        self.starts[i] = self.append(p);
        self.compact_if_needed();
    }

    /// Removes program `i`; the programs after it move up one place.
    pub(crate) fn remove(&mut self, i: usize) {
        let (bytes, starts) = (&self.bytes, &self.starts);
        self.ids.remove(i, |j| id_bytes(bytes, starts[j]));
        self.dead += self.record_len(i);
        self.starts.remove(i);
        self.compact_if_needed();
    }

    /// Program `i`, decoded.
    ///
    /// # Panics
    ///
    /// Never for a position below [`Store::len`]: a record is only ever
    /// written by [`Store::append`], and decoding reads back exactly what
    /// it wrote (the round trip is a property test).
    pub(crate) fn get(&self, i: usize) -> Program {
        match self.decode(i) {
            Some(p) => p,
            None => unreachable!("program {i}'s record does not decode"),
        }
    }

    /// Program `i`'s id, read from its record without decoding the rest.
    pub(crate) fn id(&self, i: usize) -> &str {
        std::str::from_utf8(id_bytes(&self.bytes, self.starts[i])).unwrap_or_default()
    }

    /// Program `i`'s open slots, read from its record without decoding the
    /// rest.
    pub(crate) fn open_slots(&self, i: usize) -> Option<u32> {
        let mut r = Reader {
            bytes: &self.bytes,
            at: self.starts[i],
            strings: &self.strings,
            dry: None,
        };
        r.varint()?;
        r.raw()?;
        r.option()?
    }

    /// The position of the program with `id`, in O(1).
    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        let (bytes, starts) = (&self.bytes, &self.starts);
        self.ids.find(id.as_bytes(), |j| id_bytes(bytes, starts[j]))
    }

    /// Bytes the store holds on the heap: records, positions, the shared
    /// strings (with their lookup) and the id table.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
            + self.starts.capacity() * size_of::<usize>()
            + self.strings.heap_bytes()
            + self.ids.heap_bytes()
    }

    /// The parts of [`Store::heap_bytes`]: records (with their positions),
    /// shared strings, id table.
    #[cfg(feature = "testing")]
    pub(crate) fn heap_parts(&self) -> (usize, usize, usize) {
        (
            self.bytes.capacity() + self.starts.capacity() * size_of::<usize>(),
            self.strings.heap_bytes(),
            self.ids.heap_bytes(),
        )
    }

    /// Gives back the spare capacity of the vectors (after a bulk build).
    pub(crate) fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.starts.shrink_to_fit();
        self.strings.text.shrink_to_fit();
        self.strings.ends.shrink_to_fit();
    }

    /// A store from the arrays a snapshot holds (`snapshot.rs`): checked so
    /// that nothing read from them later can panic (the shared strings'
    /// ends ascend within their text, every record decodes whole), and
    /// the two lookups (by id, by string) hashed again, as they are keyed
    /// per process. The dead bytes are at most the records' bytes (updates
    /// add to them). The message names the first array found wrong.
    pub(super) fn from_parts(
        bytes: Vec<u8>,
        starts: Vec<usize>,
        dead: usize,
        text: Vec<u8>,
        ends: Vec<usize>,
    ) -> Result<Store, String> {
        if dead > bytes.len() {
            return Err(format!(
                "{dead} record bytes no program points at, of {} in all",
                bytes.len()
            ));
        }
        let mut last = 0;
        for (i, end) in ends.iter().enumerate() {
            if *end < last || *end > text.len() {
                return Err(format!(
                    "shared string {i} ends at {end}, outside {last}..={}",
                    text.len()
                ));
            }
            last = *end;
        }
        let mut s = Store {
            bytes,
            starts,
            dead,
            scratch: Vec::new(),
            strings: Shared {
                text,
                ends,
                slots: Slots::default(),
            },
            ids: Slots::default(),
        };
        s.check_records()?;
        let (text, ends) = (&s.strings.text, &s.strings.ends);
        s.strings.slots.rebuild(ends.len(), |j| blob(text, ends, j));
        let (bytes, starts) = (&s.bytes, &s.starts);
        s.ids.rebuild(starts.len(), |j| id_bytes(bytes, starts[j]));
        Ok(s)
    }

    /// Checks that every record decodes whole, without decoding: each
    /// shared string once (UTF-8, and whether it is a track), then each
    /// record read dry. On two threads for a large store (the machine's
    /// second core, joined before this returns).
    fn check_records(&self) -> Result<(), String> {
        let flags = shared_flags(&self.strings);
        let check = |from: usize, to: usize| -> Result<(), String> {
            match (from..to).find(|i| self.read_record(*i, Some(&flags)).is_none()) {
                Some(i) => Err(format!("program record {i} does not decode")),
                None => Ok(()),
            }
        };
        let n = self.len();
        let two = n >= 50_000 && std::thread::available_parallelism().is_ok_and(|p| p.get() > 1);
        if !two {
            return check(0, n);
        }
        std::thread::scope(|scope| {
            let first = scope.spawn(|| check(0, n / 2));
            let second = check(n / 2, n);
            let first = first
                .join()
                .unwrap_or_else(|_| Err("a record check failed".to_owned()));
            first.and(second)
        })
    }

    /// Encodes `p` at the end of the buffer; returns where it starts.
    fn append(&mut self, p: &Program) -> usize {
        let start = self.bytes.len();
        let mut body = std::mem::take(&mut self.scratch);
        body.clear();
        Writer {
            out: &mut body,
            strings: &mut self.strings,
        }
        .program(p);
        put_varint(&mut self.bytes, body.len() as u64);
        self.bytes.extend_from_slice(&body);
        self.scratch = body;
        start
    }

    /// Program `i`'s record, its length prefix included.
    fn record_len(&self, i: usize) -> usize {
        let mut r = Reader {
            bytes: &self.bytes,
            at: self.starts[i],
            strings: &self.strings,
            dry: None,
        };
        let len = r.varint().unwrap_or(0) as usize;
        r.at - self.starts[i] + len
    }

    fn decode(&self, i: usize) -> Option<Program> {
        self.read_record(i, None)
    }

    /// Program `i`'s record read whole: decoded, or only checked (`dry`,
    /// with the shared strings' flags).
    fn read_record(&self, i: usize, dry: Option<&[u8]>) -> Option<Program> {
        let mut r = Reader {
            bytes: &self.bytes,
            at: *self.starts.get(i)?,
            strings: &self.strings,
            dry,
        };
        let len = r.usize()?;
        let end = r.at.checked_add(len)?;
        let p = r.program()?;
        (r.at == end).then_some(p)
    }

    /// Rewrites the store without the records and strings nothing points at
    /// any more, once the dead records outweigh the live ones (so updates
    /// cost amortized O(1) space).
    fn compact_if_needed(&mut self) {
        if self.dead < 4096 || self.dead * 2 < self.bytes.len() {
            return;
        }
        let mut fresh = Store::with_capacity(self.len());
        for i in 0..self.len() {
            fresh.push(&self.get(i));
        }
        fresh.shrink_to_fit();
        *self = fresh;
    }
}

/// The id's bytes in the record starting at `start` (the id is the first
/// field: its length, then its bytes).
fn id_bytes(bytes: &[u8], start: usize) -> &[u8] {
    let mut at = start;
    let _record_len = varint_at(bytes, &mut at);
    let len = varint_at(bytes, &mut at).and_then(|n| usize::try_from(n).ok());
    len.and_then(|n| bytes.get(at..at.checked_add(n)?))
        .unwrap_or_default()
}

/// A shared string's flag: it is UTF-8 text.
const UTF8: u8 = 1;
/// A shared string's flag: it is an encoded track.
const TRACK: u8 = 2;

/// The flags of every shared string: [`UTF8`] when it is text, [`TRACK`]
/// when it decodes whole as a track (whose name is a shared text).
fn shared_flags(strings: &Shared) -> Vec<u8> {
    let mut flags: Vec<u8> = (0..strings.ends.len())
        .map(|i| {
            u8::from(
                strings
                    .get(i)
                    .is_some_and(|b| std::str::from_utf8(b).is_ok()),
            )
        })
        .collect();
    let tracks: Vec<bool> = (0..flags.len())
        .map(|i| {
            let Some(bytes) = strings.get(i) else {
                return false;
            };
            let mut r = Reader {
                bytes,
                at: 0,
                strings,
                dry: Some(&flags),
            };
            r.track_body().is_some() && r.at == bytes.len()
        })
        .collect();
    for (f, t) in flags.iter_mut().zip(tracks) {
        if t {
            *f |= TRACK;
        }
    }
    flags
}

/// The LEB128 varint at `*at`, moving `at` past it.
fn varint_at(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

/// Byte strings many programs share (names, places, encoded tracks), each
/// kept once: all in one buffer, found again by their text.
#[derive(Clone, Default)]
pub(super) struct Shared {
    pub(super) text: Vec<u8>,
    /// Where each string ends in `text` (it starts where the previous ends).
    pub(super) ends: Vec<usize>,
    slots: Slots,
}

impl Shared {
    fn intern(&mut self, b: &[u8]) -> usize {
        let (text, ends) = (&self.text, &self.ends);
        if let Some(i) = self.slots.find(b, |j| blob(text, ends, j)) {
            return i;
        }
        self.text.extend_from_slice(b);
        self.ends.push(self.text.len());
        let i = self.ends.len() - 1;
        let (text, ends) = (&self.text, &self.ends);
        self.slots.insert(i, ends.len(), |j| blob(text, ends, j));
        i
    }

    fn get(&self, i: usize) -> Option<&[u8]> {
        let start = match i {
            0 => 0,
            _ => *self.ends.get(i - 1)?,
        };
        self.text.get(start..*self.ends.get(i)?)
    }

    fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * size_of::<usize>() + self.slots.heap_bytes()
    }
}

/// Shared string `i` (`i` below `ends.len()`).
fn blob<'a>(text: &'a [u8], ends: &[usize], i: usize) -> &'a [u8] {
    let start = if i == 0 { 0 } else { ends[i - 1] };
    &text[start..ends[i]]
}

/// A set of keys `0..n` found by their bytes (read elsewhere, through
/// `key_of`): open addressing with linear probing over `u32` slots (key +
/// 1; 0 is empty), at most half full, so four to eight bytes a key. Hashed
/// with a per-table random key (as `HashMap` is); nothing iterates the
/// slots into any output.
#[derive(Clone, Default)]
struct Slots {
    slots: Vec<u32>,
    hasher: RandomState,
}

impl Slots {
    fn home(&self, key: &[u8]) -> usize {
        (self.hasher.hash_one(key) as usize) & (self.slots.len() - 1)
    }

    fn heap_bytes(&self) -> usize {
        self.slots.capacity() * size_of::<u32>()
    }

    fn find<'k>(&self, key: &[u8], key_of: impl Fn(usize) -> &'k [u8]) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut at = self.home(key);
        loop {
            let slot = self.slots[at] as usize;
            if slot == 0 {
                return None;
            }
            if key_of(slot - 1) == key {
                return Some(slot - 1);
            }
            at = (at + 1) & mask;
        }
    }

    /// Adds key `i` of `n` (growing, and placing all `n` again, when the
    /// slots would be more than half full).
    fn insert<'k>(&mut self, i: usize, n: usize, key_of: impl Fn(usize) -> &'k [u8]) {
        if n * 2 > self.slots.len() {
            self.rebuild(n, key_of);
        } else {
            self.place(i, key_of(i));
        }
    }

    /// Holds exactly the keys `0..n`, sized once.
    fn rebuild<'k>(&mut self, n: usize, key_of: impl Fn(usize) -> &'k [u8]) {
        self.slots = vec![0; (n * 2).next_power_of_two().max(16)];
        for j in 0..n {
            self.place(j, key_of(j));
        }
    }

    fn place(&mut self, i: usize, key: &[u8]) {
        let mask = self.slots.len() - 1;
        let mut at = self.home(key);
        while self.slots[at] != 0 {
            at = (at + 1) & mask;
        }
        // Keys stay below 2^32: the directory refuses more programs, and
        // a program has fewer shared strings than bytes.
        self.slots[at] = i as u32 + 1;
    }

    /// Removes key `i` (still readable through `key_of`); keys after it
    /// move down one.
    fn remove<'k>(&mut self, i: usize, key_of: impl Fn(usize) -> &'k [u8]) {
        let mask = self.slots.len() - 1;
        let mut hole = self.home(key_of(i));
        while self.slots[hole] as usize != i + 1 {
            hole = (hole + 1) & mask;
        }
        // Backward-shift deletion: move up each later entry of the probe
        // run that may sit in the hole.
        let mut j = hole;
        loop {
            j = (j + 1) & mask;
            let slot = self.slots[j] as usize;
            if slot == 0 {
                break;
            }
            let home = self.home(key_of(slot - 1));
            if (j.wrapping_sub(home) & mask) >= (j.wrapping_sub(hole) & mask) {
                self.slots[hole] = self.slots[j];
                hole = j;
            }
        }
        self.slots[hole] = 0;
        for s in &mut self.slots {
            if *s as usize > i + 1 {
                *s -= 1;
            }
        }
    }
}

/// The bits of the terms' positions when they ascend strictly and all
/// fit below bit 63 (so the mask shifted up one fits a `u64`).
fn set_bits<T: Term>(ts: &[T]) -> Option<u64> {
    let mut mask = 0u64;
    let mut last = None;
    for t in ts {
        let i = t.position();
        if i >= 63 || last.is_some_and(|l| l >= i) {
            return None;
        }
        mask |= 1 << i;
        last = Some(i);
    }
    Some(mask)
}

/// The value of a decimal `field` written the one way `u64`'s `Display`
/// writes it (digits only, no leading zero but for 0 itself), of up to 18
/// digits (so the value shifted up one fits a `u64`).
fn decimal(field: &str) -> Option<u64> {
    let b = field.as_bytes();
    let canonical = !b.is_empty()
        && b.len() <= 18
        && b.iter().all(u8::is_ascii_digit)
        && (b[0] != b'0' || b.len() == 1);
    canonical.then(|| field.parse().ok()).flatten()
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A value of a closed vocabulary, as its index in `ALL`.
trait Term: Copy + 'static {
    const ALL: &'static [Self];
    fn position(self) -> usize;
}

macro_rules! term {
    ($($t:ty),+) => {
        $(
            impl Term for $t {
                const ALL: &'static [$t] = <$t>::ALL;
                fn position(self) -> usize {
                    self.index()
                }
            }
        )+

        /// Every closed vocabulary a record holds by index, its name then
        /// its keys in order (the snapshot's layout identifier eats them,
        /// so that a vocabulary changed is a layout changed).
        pub(super) fn vocabularies(eat: &mut dyn FnMut(&[u8])) {
            $(
                eat(stringify!($t).as_bytes());
                for t in <$t>::ALL {
                    eat(t.key().as_bytes());
                    eat(b",");
                }
            )+
        }
    };
}

term!(
    LevelOfCare,
    Modality,
    Approach,
    Condition,
    License,
    Certification,
    FacilityCredential,
    Aftercare,
    FamilyInvolvement,
    Population,
    Delivery,
    NotListed,
    Weekday,
    MassHealthPlan,
    MoudMedication
);

struct Writer<'a> {
    out: &'a mut Vec<u8>,
    strings: &'a mut Shared,
}

impl Writer<'_> {
    fn varint(&mut self, v: u64) {
        put_varint(self.out, v);
    }

    fn len(&mut self, n: usize) {
        self.varint(n as u64);
    }

    fn raw(&mut self, s: &str) {
        self.len(s.len());
        self.out.extend_from_slice(s.as_bytes());
    }

    fn shared(&mut self, s: &str) {
        let i = self.strings.intern(s.as_bytes());
        self.len(i);
    }

    fn term<T: Term>(&mut self, t: T) {
        // Every vocabulary has fewer than 64 values (they are bitmasks).
        self.out.push(t.position() as u8);
    }

    /// A list of terms: strictly ascending (no term twice, as most lists
    /// are) as the bits of their positions, shifted up one with the low bit
    /// set; otherwise its length, shifted up one, then each term.
    fn terms<T: Term>(&mut self, ts: &[T]) {
        match set_bits(ts) {
            Some(mask) => self.varint(mask << 1 | 1),
            None => {
                self.varint((ts.len() as u64) << 1);
                for t in ts {
                    self.term(*t);
                }
            }
        }
    }

    /// Text as its fields between single spaces: the count of fields, then
    /// each field as a number (a decimal of up to 18 digits without a
    /// leading zero: its value, shifted up one with the low bit set) or as
    /// a shared string (its index shifted up one). Names and organizations
    /// repeat their words, not their whole text.
    fn text(&mut self, s: &str) {
        self.len(s.split(' ').count());
        for field in s.split(' ') {
            match decimal(field) {
                Some(v) => self.varint(v << 1 | 1),
                None => {
                    let i = self.strings.intern(field.as_bytes());
                    self.varint((i as u64) << 1);
                }
            }
        }
    }

    fn f64(&mut self, x: f64) {
        self.out.extend_from_slice(&x.to_bits().to_le_bytes());
    }

    fn program(&mut self, p: &Program) {
        let Program {
            id,
            name,
            organization,
            levels,
            tracks,
            modalities,
            approaches,
            specialties,
            excluded_conditions,
            staff,
            facility_credentials,
            aftercare,
            family_involvement,
            payers,
            ages,
            populations,
            restricted_to,
            languages,
            interpreter_services,
            delivery,
            location,
            accepting_new_patients,
            typical_wait_days,
            last_verified,
            licensed_states,
            not_listed,
            open_slots,
            admits,
            moud_medications,
            opioid_treatment_program,
            coordinates_with_otp,
            withdrawal_management,
            medical_monitoring,
        } = p;
        self.raw(id.as_str());
        // Second, so that `Store::open_slots` reads it without the rest.
        self.varint(open_slots.map_or(0, |n| u64::from(n) + 1));
        let flags = [
            *interpreter_services,
            *accepting_new_patients,
            *opioid_treatment_program,
            *coordinates_with_otp,
            *withdrawal_management,
            *medical_monitoring,
            location.precision == LocationPrecision::ZipCentre,
        ]
        .iter()
        .enumerate()
        .fold(0u8, |m, (i, b)| m | u8::from(*b) << i);
        self.out.push(flags);
        self.text(name);
        self.text(organization);
        self.terms(levels);
        self.len(tracks.len());
        for t in tracks {
            self.track(t);
        }
        self.terms(modalities);
        self.terms(approaches);
        self.terms(specialties);
        self.terms(excluded_conditions);
        self.staff(staff);
        self.terms(facility_credentials);
        self.terms(aftercare);
        self.term(*family_involvement);
        self.len(payers.len());
        for payer in payers {
            self.payer(payer);
        }
        let AgeRange { min, max } = *ages;
        self.out.extend_from_slice(&[min, max]);
        self.terms(populations);
        self.terms(restricted_to);
        self.len(languages.len());
        for l in languages {
            self.raw(l.code());
        }
        self.terms(delivery);
        self.location(location);
        self.varint(typical_wait_days.map_or(0, |w| u64::from(w) + 1));
        self.varint(u64::from(last_verified.year()));
        self.out
            .extend_from_slice(&[last_verified.month(), last_verified.day()]);
        self.len(licensed_states.len());
        for s in licensed_states {
            self.shared(s);
        }
        self.terms(not_listed);
        self.terms(admits);
        self.terms(moud_medications);
    }

    /// A track, encoded apart and shared: programs often run the same.
    fn track(&mut self, t: &Track) {
        let mut bytes = Vec::new();
        Writer {
            out: &mut bytes,
            strings: self.strings,
        }
        .track_body(t);
        let i = self.strings.intern(&bytes);
        self.len(i);
    }

    fn track_body(&mut self, t: &Track) {
        let Track {
            name,
            level,
            sessions,
        } = t;
        self.shared(name);
        self.term(*level);
        self.len(sessions.len());
        for s in sessions {
            let Session {
                day,
                window: TimeWindow { start, end },
            } = *s;
            self.term(day);
            self.varint(u64::from(start.minutes()));
            self.varint(u64::from(end.minutes()));
        }
    }

    fn staff(&mut self, s: &Staff) {
        let Staff {
            licenses,
            certifications,
        } = s;
        // Each map as the bits of its keys (in key order, as the map
        // holds them), then each key's count.
        self.varint(licenses.keys().fold(0, |m, l| m | 1 << l.position()));
        for n in licenses.values() {
            self.varint(u64::from(*n));
        }
        self.varint(certifications.keys().fold(0, |m, c| m | 1 << c.position()));
        for n in certifications.values() {
            self.varint(u64::from(*n));
        }
    }

    fn payer(&mut self, p: &Payer) {
        match p {
            Payer::MassHealth => self.out.push(0),
            Payer::Medicare => self.out.push(1),
            Payer::Tricare => self.out.push(2),
            Payer::SelfPay => self.out.push(3),
            Payer::SlidingScale => self.out.push(4),
            Payer::VaCommunityCare => self.out.push(5),
            Payer::MedicareAdvantage(None) => self.out.push(6),
            Payer::MedicareAdvantage(Some(name)) => {
                self.out.push(7);
                self.shared(name);
            }
            Payer::Commercial(name) => {
                self.out.push(8);
                self.shared(name);
            }
            Payer::MassHealthPlan(plan) => {
                self.out.push(9);
                self.term(*plan);
            }
            Payer::Medicaid(state) => {
                self.out.push(10);
                self.shared(state);
            }
        }
    }

    fn location(&mut self, l: &Location) {
        let Location {
            address,
            city,
            state,
            postal_code,
            latitude,
            longitude,
            // A bit of the record's flags.
            precision: _,
        } = l;
        self.shared(address);
        self.shared(city);
        self.shared(state);
        self.shared(postal_code);
        self.f64(*latitude);
        self.f64(*longitude);
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    strings: &'a Shared,
    /// With the flags of the shared strings (`UTF8`, `TRACK`, from
    /// [`shared_flags`]): checks what it reads without keeping it. Strings
    /// come back empty (their UTF-8 checked, a shared one's by its flag),
    /// lists empty (each item read), tracks empty (checked by their flag),
    /// so a record is checked as decoding it would check it, without
    /// allocating.
    dry: Option<&'a [u8]>,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn varint(&mut self) -> Option<u64> {
        varint_at(self.bytes, &mut self.at)
    }

    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.varint()?).ok()
    }

    fn raw(&mut self) -> Option<&'a [u8]> {
        let n = self.usize()?;
        let s = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }

    fn shared(&mut self) -> Option<String> {
        let i = self.usize()?;
        match self.dry {
            Some(flags) => (flags.get(i)? & UTF8 != 0).then(String::new),
            None => String::from_utf8(self.strings.get(i)?.to_vec()).ok(),
        }
    }

    fn term<T: Term>(&mut self) -> Option<T> {
        T::ALL.get(usize::from(self.byte()?)).copied()
    }

    fn list<T>(&mut self, item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.usize()?;
        self.items(n, item)
    }

    /// `n` items.
    fn items<T>(
        &mut self,
        n: usize,
        mut item: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        if self.dry.is_some() {
            for _ in 0..n {
                item(self)?;
            }
            return Some(Vec::new());
        }
        // Every item takes at least one byte: a corrupt length cannot
        // reserve more than the buffer holds.
        let mut v = Vec::with_capacity(n.min(self.bytes.len() - self.at.min(self.bytes.len())));
        for _ in 0..n {
            v.push(item(self)?);
        }
        Some(v)
    }

    /// A list of terms as [`Writer::terms`] wrote it.
    fn terms<T: Term>(&mut self) -> Option<Vec<T>> {
        let v = self.varint()?;
        if v & 1 == 0 {
            let n = usize::try_from(v >> 1).ok()?;
            return self.items(n, Reader::term);
        }
        let mask = v >> 1;
        // Every bit names a term of the vocabulary (the mask is below 2^63).
        let n = T::ALL.len().min(63);
        if mask >> n != 0 {
            return None;
        }
        if self.dry.is_some() {
            return Some(Vec::new());
        }
        Some(
            (0..n)
                .filter(|i| mask >> i & 1 == 1)
                .map(|i| T::ALL[i])
                .collect(),
        )
    }

    /// Text as [`Writer::text`] wrote it.
    fn text(&mut self) -> Option<String> {
        let n = self.usize()?;
        let mut s = String::new();
        for k in 0..n {
            if k > 0 && self.dry.is_none() {
                s.push(' ');
            }
            let v = self.varint()?;
            if v & 1 == 1 {
                if self.dry.is_none() {
                    use std::fmt::Write as _;
                    let _ = write!(s, "{}", v >> 1);
                }
                continue;
            }
            let i = usize::try_from(v >> 1).ok()?;
            match self.dry {
                Some(flags) => (flags.get(i)? & UTF8 != 0).then_some(())?,
                None => s.push_str(std::str::from_utf8(self.strings.get(i)?).ok()?),
            }
        }
        Some(s)
    }

    fn f64(&mut self) -> Option<f64> {
        let b = self.bytes.get(self.at..self.at + 8)?;
        self.at += 8;
        Some(f64::from_bits(u64::from_le_bytes(b.try_into().ok()?)))
    }

    fn u16(&mut self) -> Option<u16> {
        u16::try_from(self.varint()?).ok()
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.varint()?).ok()
    }

    /// An `Option` written as 0 for `None`, else the value plus one.
    fn option<T: TryFrom<u64>>(&mut self) -> Option<Option<T>> {
        match self.varint()? {
            0 => Some(None),
            v => T::try_from(v - 1).ok().map(Some),
        }
    }

    fn program(&mut self) -> Option<Program> {
        // The id is checked whole even when dry (an empty one is refused),
        // without allocating.
        let raw = self.raw()?;
        let id = match self.dry {
            Some(_) => {
                let s = std::str::from_utf8(raw).ok()?;
                ProgramId::refusal(s)
                    .is_none()
                    .then(ProgramId::placeholder)?
            }
            None => ProgramId::try_from(String::from_utf8(raw.to_vec()).ok()?).ok()?,
        };
        let open_slots = self.option()?;
        let flags = self.byte()?;
        // Seven flags; the eighth bit is never set.
        if flags >> 7 != 0 {
            return None;
        }
        let flag = |i: u8| flags >> i & 1 == 1;
        let name = self.text()?;
        let organization = self.text()?;
        let levels = self.terms()?;
        let tracks = self.list(Reader::track)?;
        let modalities = self.terms()?;
        let approaches = self.terms()?;
        let specialties = self.terms()?;
        let excluded_conditions = self.terms()?;
        let staff = self.staff()?;
        let facility_credentials = self.terms()?;
        let aftercare = self.terms()?;
        let family_involvement = self.term()?;
        let payers = self.list(Reader::payer)?;
        let ages = AgeRange {
            min: self.byte()?,
            max: self.byte()?,
        };
        let populations = self.terms()?;
        let restricted_to = self.terms()?;
        let languages =
            self.list(|r| std::str::from_utf8(r.raw()?).ok()?.parse::<Language>().ok())?;
        let interpreter_services = flag(0);
        let delivery = self.terms()?;
        let location = self.location(flag(6))?;
        let accepting_new_patients = flag(1);
        let typical_wait_days = self.option()?;
        let last_verified = Date::checked(self.u16()?, self.byte()?, self.byte()?)?;
        let licensed_states = self.list(Reader::shared)?;
        let not_listed = self.terms()?;
        let admits = self.terms()?;
        let moud_medications = self.terms()?;
        let opioid_treatment_program = flag(2);
        let coordinates_with_otp = flag(3);
        let withdrawal_management = flag(4);
        let medical_monitoring = flag(5);
        Some(Program {
            id,
            name,
            organization,
            levels,
            tracks,
            modalities,
            approaches,
            specialties,
            excluded_conditions,
            staff,
            facility_credentials,
            aftercare,
            family_involvement,
            payers,
            ages,
            populations,
            restricted_to,
            languages,
            interpreter_services,
            delivery,
            location,
            accepting_new_patients,
            typical_wait_days,
            last_verified,
            licensed_states,
            not_listed,
            open_slots,
            admits,
            moud_medications,
            opioid_treatment_program,
            coordinates_with_otp,
            withdrawal_management,
            medical_monitoring,
        })
    }

    fn track(&mut self) -> Option<Track> {
        let i = self.usize()?;
        if let Some(flags) = self.dry {
            return (flags.get(i)? & TRACK != 0).then(|| Track {
                name: String::new(),
                level: LevelOfCare::ALL[0],
                sessions: Vec::new(),
            });
        }
        let mut r = Reader {
            bytes: self.strings.get(i)?,
            at: 0,
            strings: self.strings,
            dry: self.dry,
        };
        let t = r.track_body()?;
        (r.at == r.bytes.len()).then_some(t)
    }

    fn track_body(&mut self) -> Option<Track> {
        let name = self.shared()?;
        let level = self.term()?;
        let sessions = self.list(|r| {
            let day = r.term()?;
            let start = TimeOfDay::from_minutes(r.u16()?).ok()?;
            let end = TimeOfDay::from_minutes(r.u16()?).ok()?;
            Some(Session {
                day,
                window: TimeWindow { start, end },
            })
        })?;
        Some(Track {
            name,
            level,
            sessions,
        })
    }

    fn staff(&mut self) -> Option<Staff> {
        let mut staff = Staff::default();
        // Inserted one by one: the entries were written in key order, and
        // collecting would sort them again.
        self.counts(License::ALL, &mut staff.licenses)?;
        self.counts(Certification::ALL, &mut staff.certifications)?;
        Some(staff)
    }

    /// A map of terms to counts, as `Writer::staff` writes one: the bits
    /// of its keys (positions in `all`), then each key's count in order.
    fn counts<T: Copy + Ord>(
        &mut self,
        all: &[T],
        into: &mut std::collections::BTreeMap<T, u32>,
    ) -> Option<()> {
        let keys = self.varint()?;
        let n = all.len().min(63);
        if keys >> n != 0 {
            return None;
        }
        for i in (0..n).filter(|i| keys >> i & 1 == 1) {
            let count = self.u32()?;
            if self.dry.is_none() {
                into.insert(all[i], count);
            }
        }
        Some(())
    }

    fn payer(&mut self) -> Option<Payer> {
        Some(match self.byte()? {
            0 => Payer::MassHealth,
            1 => Payer::Medicare,
            2 => Payer::Tricare,
            3 => Payer::SelfPay,
            4 => Payer::SlidingScale,
            5 => Payer::VaCommunityCare,
            6 => Payer::MedicareAdvantage(None),
            7 => Payer::MedicareAdvantage(Some(self.shared()?)),
            8 => Payer::Commercial(self.shared()?),
            9 => Payer::MassHealthPlan(self.term()?),
            10 => Payer::Medicaid(self.shared()?),
            _ => return None,
        })
    }

    /// The location, its precision given (a bit of the record's flags).
    fn location(&mut self, zip_centre: bool) -> Option<Location> {
        Some(Location {
            address: self.shared()?,
            city: self.shared()?,
            state: self.shared()?,
            postal_code: self.shared()?,
            latitude: self.f64()?,
            longitude: self.f64()?,
            precision: if zip_centre {
                LocationPrecision::ZipCentre
            } else {
                LocationPrecision::AsListed
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_of(programs: &[Program]) -> Store {
        let mut s = Store::with_capacity(programs.len());
        for p in programs {
            s.push(p);
        }
        s
    }

    #[test]
    fn synthetic_and_sample_programs_round_trip() {
        let mut programs = crate::synthetic::directory(300, 11);
        #[cfg(feature = "serde")]
        programs.extend(crate::sample::massachusetts());
        let s = store_of(&programs);
        for (i, p) in programs.iter().enumerate() {
            assert_eq!(&s.get(i), p);
            assert_eq!(s.id(i), p.id.as_str());
            assert_eq!(s.open_slots(i), p.open_slots);
            assert_eq!(s.position(p.id.as_str()), Some(i));
        }
        assert_eq!(s.position("no-such-program"), None);
    }

    /// Values validation would refuse still round-trip: the store does not
    /// rely on what validation guarantees.
    #[test]
    fn edge_values_and_every_vocabulary_value_round_trip() {
        let base = crate::synthetic::directory(1, 3).remove(0);
        let mut p = base.clone();
        p.name = String::new();
        p.organization = "\u{1f600} \u{4e2d}\u{6587} Behavioral Health".repeat(20);
        p.levels = LevelOfCare::ALL
            .iter()
            .chain(LevelOfCare::ALL)
            .copied()
            .collect();
        p.modalities = Modality::ALL.iter().rev().copied().collect();
        p.approaches = Approach::ALL.to_vec();
        p.specialties = Condition::ALL.to_vec();
        p.excluded_conditions = vec![Condition::ALL[0]; 3];
        p.admits = Condition::ALL.to_vec();
        p.moud_medications = MoudMedication::ALL.to_vec();
        p.opioid_treatment_program = true;
        p.coordinates_with_otp = true;
        p.withdrawal_management = true;
        p.medical_monitoring = true;
        p.facility_credentials = FacilityCredential::ALL.to_vec();
        p.aftercare = Aftercare::ALL.to_vec();
        p.populations = Population::ALL.to_vec();
        p.restricted_to = Population::ALL.iter().rev().copied().collect();
        p.delivery = Delivery::ALL.to_vec();
        p.not_listed = NotListed::ALL.to_vec();
        p.staff = Staff {
            licenses: License::ALL.iter().map(|l| (*l, u32::MAX)).collect(),
            certifications: Certification::ALL.iter().map(|c| (*c, 0)).collect(),
        };
        p.payers = MassHealthPlan::ALL
            .iter()
            .map(|m| Payer::MassHealthPlan(*m))
            .chain([
                Payer::MassHealth,
                Payer::Medicare,
                Payer::Tricare,
                Payer::SelfPay,
                Payer::SlidingScale,
                Payer::VaCommunityCare,
                Payer::MedicareAdvantage(None),
                Payer::MedicareAdvantage(Some("Plan \u{e9}".into())),
                Payer::Commercial(String::new()),
                Payer::Medicaid("ny".into()),
            ])
            .collect();
        p.languages = vec![Language::ENGLISH, Language::ENGLISH];
        p.ages = AgeRange { min: 200, max: 3 };
        p.typical_wait_days = Some(u16::MAX);
        p.open_slots = Some(u32::MAX);
        p.licensed_states = vec![String::new(), "zz".into(), "MA".into(), "MA".into()];
        p.location.latitude = -0.0;
        p.location.longitude = f64::MAX;
        p.location.postal_code = "x".repeat(5000);
        p.last_verified = Date::checked(2999, 12, 31).unwrap();
        p.tracks = vec![
            Track {
                name: String::new(),
                level: LevelOfCare::ALL[0],
                sessions: Weekday::ALL
                    .iter()
                    .map(|d| Session {
                        day: *d,
                        window: TimeWindow {
                            start: TimeOfDay::END_OF_DAY,
                            end: TimeOfDay::MIDNIGHT,
                        },
                    })
                    .collect(),
            };
            2
        ];
        let mut q = base;
        q.typical_wait_days = Some(0);
        q.open_slots = Some(0);
        q.tracks.clear();
        q.payers.clear();
        q.languages = ["kea", "ase", "xx", "zu"]
            .iter()
            .map(|c| c.parse().unwrap())
            .collect();
        q.last_verified = Date::checked(1900, 1, 1).unwrap();
        let programs = vec![p, q];
        let s = store_of(&programs);
        for (i, p) in programs.iter().enumerate() {
            assert_eq!(&s.get(i), p);
            assert_eq!(s.open_slots(i), p.open_slots);
        }
    }

    /// Text is kept by its words and numbers: any spacing, leading zeros,
    /// numbers too long for a `u64`, and text that is not ASCII come back
    /// exactly, and the words a directory repeats are kept once.
    #[test]
    fn names_and_organizations_round_trip_by_their_words() {
        let base = crate::synthetic::directory(1, 3).remove(0);
        let texts = [
            "",
            " ",
            "  two  spaces  ",
            "0",
            "00",
            "007 Agents",
            "Program 1",
            "Program 10 20 30",
            "-5 +5 5.0 1e3 0x10",
            "999999999999999999",
            "1000000000000000000",
            "18446744073709551615 18446744073709551616",
            "\u{1f600} Caf\u{e9} \u{4e2d}\u{6587} 12",
            "tab\there\nnewline",
            "Synthetic Program 123456 (Los Angeles)",
        ];
        let programs: Vec<Program> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut p = base.clone();
                p.id = format!("t{i}").parse().unwrap();
                p.name = (*t).to_owned();
                p.organization = texts[texts.len() - 1 - i].to_owned();
                p.location.precision = if i % 2 == 0 {
                    LocationPrecision::ZipCentre
                } else {
                    LocationPrecision::AsListed
                };
                p.interpreter_services = i % 3 == 0;
                p.medical_monitoring = i % 5 == 0;
                p
            })
            .collect();
        let s = store_of(&programs);
        for (i, p) in programs.iter().enumerate() {
            assert_eq!(&s.get(i), p, "{:?}", p.name);
        }
        // "Program" is one shared string however many names hold it.
        let program = (0..s.strings.ends.len())
            .filter(|i| s.strings.get(*i) == Some(b"Program".as_slice()))
            .count();
        assert_eq!(program, 1);
    }

    /// Checking a record dry agrees with decoding it, on every record
    /// damaged at every byte (the snapshot reader relies on the dry check).
    #[test]
    fn a_dry_check_agrees_with_decoding() {
        let programs = crate::synthetic::directory(6, 17);
        let s = store_of(&programs);
        for at in 0..s.bytes.len() {
            for flip in [1u8, 0x80, 0xff] {
                let mut damaged = s.clone();
                damaged.bytes[at] ^= flip;
                let flags = shared_flags(&damaged.strings);
                for i in 0..damaged.len() {
                    assert_eq!(
                        damaged.read_record(i, Some(&flags)).is_some(),
                        damaged.decode(i).is_some(),
                        "byte {at} ^ {flip:#x}, record {i}"
                    );
                }
            }
        }
        for at in 0..s.strings.text.len() {
            let mut damaged = s.clone();
            damaged.strings.text[at] ^= 0x80;
            let flags = shared_flags(&damaged.strings);
            for i in 0..damaged.len() {
                assert_eq!(
                    damaged.read_record(i, Some(&flags)).is_some(),
                    damaged.decode(i).is_some(),
                    "text byte {at}, record {i}"
                );
            }
        }
    }

    #[test]
    fn removing_and_replacing_keep_positions_and_lookup() {
        let programs = crate::synthetic::directory(200, 5);
        let mut expected = programs.clone();
        let mut s = store_of(&programs);
        for round in 0..150 {
            if round % 3 == 0 {
                let i = (round * 7) % expected.len();
                s.remove(i);
                expected.remove(i);
            } else {
                let i = (round * 13) % expected.len();
                let mut p = programs[round % 50].clone();
                p.id = expected[i].id.clone();
                p.name = format!("replaced {round} \u{e9}\u{4e2d}");
                s.set(i, &p);
                expected[i] = p;
            }
        }
        assert_eq!(s.len(), expected.len());
        for (i, p) in expected.iter().enumerate() {
            assert_eq!(&s.get(i), p);
            assert_eq!(s.position(p.id.as_str()), Some(i));
        }
        for p in &programs {
            if !expected.iter().any(|e| e.id == p.id) {
                assert_eq!(s.position(p.id.as_str()), None);
            }
        }
        // Replacing over and over compacts: the buffer stays near the live size.
        let live: usize = (0..s.len()).map(|i| s.record_len(i)).sum();
        assert!(s.bytes.len() <= 2 * live + 4096, "{} {live}", s.bytes.len());
    }
}
