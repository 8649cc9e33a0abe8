//! Bit sets over the slots for the filters a ranking without a place
//! screens by (levels offered, payers, delivery, age, new patients
//! accepted, open places), so such a ranking reads only the programs that
//! pass them: one bit a program for each value, combined a word (64
//! programs) at a time for the query. A ranking by place reads them for
//! the cells its limit decides whole (`Narrow` in source.rs), where a
//! program they leave out has a place reason known without its row.
//!
//! A patient without a location (or without a travel limit) can be
//! eligible anywhere, so the grid does not narrow the programs read, and
//! the level lists alone left most of a directory to screen one by one
//! (1,000,000 synthetic programs: 200,000 to every row read, for 0 to
//! 150,000 eligible). Each set here follows one rule of `CompiledQuery`
//! (compiled.rs): a program a set
//! leaves out fails that filter, so every program left out is excluded, and
//! the programs read are screened in full (the rules with more to them,
//! such as payer ids beyond the first 64 or the schedule, decide there).

use crate::matching::facts::ones;

/// What the sets read of one program (the rows make it, beside its
/// partition key).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ScreenKey {
    pub levels: u8,
    /// Payers with interned ids below 64, as bits.
    pub payer_mask: u64,
    /// Lists a payer id of 64 or more.
    pub payers_beyond: bool,
    pub self_funded: bool,
    pub payers_unlisted: bool,
    pub delivery: u8,
    pub ages: (u8, u8),
    pub accepting: bool,
    pub full: bool,
}

/// One query in the sets' terms ([`CompiledQuery`](super::compiled::CompiledQuery)
/// makes it from its rules).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScreenQuery {
    /// Levels wanted (the level and the adjacent levels asked for).
    pub levels: u8,
    /// The payer ids below 64 the patient's payer is accepted or
    /// unconfirmed under, as bits; and whether one of 64 or more is.
    pub payers: u64,
    pub payers_beyond: bool,
    pub self_pay: bool,
    /// Deliveries the patient accepts.
    pub delivery: u8,
    pub age: u8,
    pub waitlist: bool,
    pub exclude_full: bool,
    /// Deliveries that can reach the patient wherever the program is
    /// (fully remote, when the patient accepts it), for [`Screen::remote`].
    pub remote: u8,
}

/// One bit per slot (a set bit: the slot holds the value); empty while no
/// slot does, otherwise as many words as the slots need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Bits(Vec<u64>);

impl Bits {
    fn set(&mut self, i: usize, on: bool, words: usize) {
        if !on && self.0.is_empty() {
            return;
        }
        if self.0.len() < words {
            self.0.resize(words, 0);
        }
        let (w, b) = (i / 64, i % 64);
        self.0[w] = self.0[w] & !(1 << b) | u64::from(on) << b;
    }

    /// Takes out bit `i`: every later bit moves down by one.
    fn remove_at(&mut self, i: usize, words: usize) {
        if self.0.is_empty() {
            return;
        }
        let w0 = i / 64;
        let low = (1u64 << (i % 64)) - 1;
        let next = |v: &Vec<u64>, w: usize| v.get(w + 1).map_or(0, |x| x << 63);
        self.0[w0] = self.0[w0] & low | (self.0[w0] >> 1) & !low | next(&self.0, w0);
        for w in w0 + 1..self.0.len() {
            self.0[w] = self.0[w] >> 1 | next(&self.0, w);
        }
        self.0.truncate(words);
    }

    fn words(&self) -> Option<&[u64]> {
        (!self.0.is_empty()).then_some(&self.0[..])
    }

    fn bytes(&self) -> usize {
        self.0.len() * 8
    }
}

/// The bit sets, by value, over every slot; kept by [`super::Parts`] as
/// programs are added and removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Screens {
    /// Slots covered.
    len: usize,
    /// Every set, at the places below.
    sets: Vec<Bits>,
}

/// Where each set is in [`Screens::sets`]: by level offered (bit of the
/// level mask, 8 sets); by payer, for the interned ids below 64 (bit of the
/// payer mask, 64); by delivery offered (bit of the delivery mask, 8);
/// then one each: payers self-funded, payers not listed, interned payer ids
/// of 64 or more listed (decided in the screen), ages 18 and up only, under
/// 18 only, accepting new patients, full.
const LEVELS: usize = 0;
const PAYERS: usize = 8;
const DELIVERY: usize = 72;
const SELF_FUNDED: usize = 80;
const PAYERS_UNLISTED: usize = 81;
const PAYERS_BEYOND: usize = 82;
const ADULTS_ONLY: usize = 83;
const MINORS_ONLY: usize = 84;
const ACCEPTING: usize = 85;
const FULL: usize = 86;
const SETS: usize = 87;

impl Default for Screens {
    fn default() -> Screens {
        Screens {
            len: 0,
            sets: vec![Bits::default(); SETS],
        }
    }
}

/// The first age of adulthood: a range starting there or ending below it
/// holds adults only or minors only.
const ADULT: u8 = 18;

impl Screens {
    /// Sets (`on`) or clears slot `i`'s bits for the values of `k`.
    fn mark(&mut self, i: usize, k: &ScreenKey, on: bool) {
        let before = self.len.div_ceil(64);
        self.len = self.len.max(i + 1);
        let words = self.len.div_ceil(64);
        if words > before {
            // Every set held has a word for every 64 slots.
            for bits in self.sets.iter_mut().filter(|b| !b.0.is_empty()) {
                bits.0.resize(words, 0);
            }
        }
        let (min, max) = k.ages;
        let each = ones(u64::from(k.levels))
            .map(|b| LEVELS + b)
            .chain(ones(k.payer_mask).map(|b| PAYERS + b))
            .chain(ones(u64::from(k.delivery)).map(|b| DELIVERY + b))
            .chain(
                [
                    (SELF_FUNDED, k.self_funded),
                    (PAYERS_UNLISTED, k.payers_unlisted),
                    (PAYERS_BEYOND, k.payers_beyond),
                    (ADULTS_ONLY, min >= ADULT),
                    (MINORS_ONLY, max < ADULT),
                    (ACCEPTING, k.accepting),
                    (FULL, k.full),
                ]
                .into_iter()
                .filter_map(|(set, holds)| holds.then_some(set)),
            );
        for set in each {
            self.sets[set].set(i, on, words);
        }
    }

    /// The sets for `n` slots, each given its key by `key`, made at once
    /// (as adding each in turn would make them).
    pub(crate) fn of(n: usize, key: impl Fn(usize) -> ScreenKey) -> Screens {
        let mut s = Screens {
            len: n,
            ..Screens::default()
        };
        for i in 0..n {
            s.mark(i, &key(i), true);
        }
        s
    }

    /// Slot `i` holds a program with key `k`.
    pub(crate) fn add(&mut self, i: usize, k: &ScreenKey) {
        self.mark(i, k, true);
    }

    /// Slot `i`, whose key was `k`, no longer holds it; slots are unchanged.
    pub(crate) fn remove(&mut self, i: usize, k: &ScreenKey) {
        self.mark(i, k, false);
    }

    /// After slot `i` was removed: every later slot moves down by one.
    pub(crate) fn close_up(&mut self, i: usize) {
        if i >= self.len {
            return;
        }
        self.len -= 1;
        let words = self.len.div_ceil(64);
        for bits in &mut self.sets {
            bits.remove_at(i, words);
        }
    }

    /// Bytes the sets take.
    pub(crate) fn bytes(&self) -> usize {
        self.sets.iter().map(Bits::bytes).sum()
    }

    /// The slots whose programs pass the filters the sets decide for `cq`
    /// ([`Screen::passing`] for every word).
    pub(crate) fn passing(&self, cq: &ScreenQuery) -> Vec<u64> {
        let screen = self.screen(cq);
        (0..self.len.div_ceil(64))
            .map(|w| screen.passing(w))
            .collect()
    }

    /// Whether slot `i` offers one of `levels` (bits of the level mask).
    pub(crate) fn offers_level(&self, i: usize, levels: u8) -> bool {
        ones(u64::from(levels)).any(|b| {
            self.sets[LEVELS + b]
                .words()
                .is_some_and(|w| w.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 == 1))
        })
    }

    /// `cq` against the sets, to be read a word at a time.
    pub(crate) fn screen(&self, cq: &ScreenQuery) -> Screen<'_> {
        let held = |set: usize| self.sets[set].words();
        let any = |base: usize, bits: u64| -> Vec<&[u64]> {
            ones(bits).filter_map(|b| held(base + b)).collect()
        };
        // One of each of these lists holds every slot that passes.
        let levels = any(LEVELS, u64::from(cq.levels));
        let mut payers = any(PAYERS, cq.payers);
        payers.extend(held(PAYERS_UNLISTED));
        payers.extend(held(SELF_FUNDED).filter(|_| cq.self_pay));
        payers.extend(held(PAYERS_BEYOND).filter(|_| cq.payers_beyond));
        let delivery = any(DELIVERY, u64::from(cq.delivery));
        // None of these holds a slot that passes: an adult in a program for
        // minors only, and the other way round; full.
        let mut failing: Vec<&[u64]> = Vec::new();
        failing.extend(held(if cq.age < ADULT {
            ADULTS_ONLY
        } else {
            MINORS_ONLY
        }));
        failing.extend(held(FULL).filter(|_| cq.exclude_full));
        // Not accepting fails unless the waitlist is allowed: then every
        // slot that passes is in this one.
        let (accepting, none) = match (cq.waitlist, held(ACCEPTING)) {
            (true, _) => (None, false),
            (false, Some(a)) => (Some(a), false),
            (false, None) => (None, true),
        };
        Screen {
            levels,
            payers,
            delivery,
            failing,
            accepting,
            none,
            remote: any(DELIVERY, u64::from(cq.remote)),
        }
    }
}

/// A query against the [`Screens`], read a word (64 slots) at a time: bit
/// `b` of word `w` stands for slot `64 * w + b`.
pub(crate) struct Screen<'s> {
    levels: Vec<&'s [u64]>,
    payers: Vec<&'s [u64]>,
    delivery: Vec<&'s [u64]>,
    failing: Vec<&'s [u64]>,
    accepting: Option<&'s [u64]>,
    /// No slot passes (no program accepts new patients, and the waitlist
    /// is not allowed).
    none: bool,
    remote: Vec<&'s [u64]>,
}

impl Screen<'_> {
    /// The slots of word `w` whose programs pass the filters the sets
    /// decide: offering a level wanted, a payer the patient's is accepted
    /// under (or self-funded when self-pay is allowed, or payers not
    /// listed, or ids beyond the first 64), a delivery accepted, the
    /// patient's age on the right side of 18, accepting new patients unless
    /// the waitlist is allowed, not full when full programs are excluded.
    /// Each set is the rule of `CompiledQuery` it is named for, so every
    /// slot left out fails a filter.
    pub(crate) fn passing(&self, w: usize) -> u64 {
        if self.none {
            return 0;
        }
        let or = |sets: &[&[u64]]| sets.iter().fold(0, |m, s| m | s[w]);
        or(&self.levels)
            & or(&self.payers)
            & or(&self.delivery)
            & !or(&self.failing)
            & self.accepting.map_or(u64::MAX, |a| a[w])
    }

    /// The slots of word `w` whose programs offer one of the query's
    /// [`ScreenQuery::remote`] deliveries.
    pub(crate) fn remote(&self, w: usize) -> u64 {
        self.remote.iter().fold(0, |m, s| m | s[w])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Setting, clearing and taking out bits does as a list of flags
        /// does, across word boundaries.
        #[test]
        fn bits_follow_a_list_of_flags(
            ops in prop::collection::vec((0usize..200, 0u8..3), 0..120),
        ) {
            let mut bits = Bits::default();
            let mut model: Vec<bool> = Vec::new();
            for (at, op) in ops {
                match op {
                    0 | 1 => {
                        if at >= model.len() {
                            model.resize(at + 1, false);
                        }
                        model[at] = op == 0;
                        let words = model.len().div_ceil(64).max(bits.0.len());
                        bits.set(at, op == 0, words);
                    }
                    _ if at < model.len() => {
                        model.remove(at);
                        bits.remove_at(at, model.len().div_ceil(64).max(bits.0.len().saturating_sub(1)));
                    }
                    _ => {}
                }
                for (i, on) in model.iter().enumerate() {
                    let got = bits.0.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 == 1);
                    prop_assert_eq!(got, *on, "bit {}", i);
                }
                for i in model.len()..bits.0.len() * 64 {
                    prop_assert!(bits.0[i / 64] >> (i % 64) & 1 == 0, "bit {} beyond the end", i);
                }
            }
        }
    }
}
