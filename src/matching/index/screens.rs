//! Bit sets over the slots for the filters a ranking without a place
//! screens by (levels offered, payers, delivery, age, new patients
//! accepted, open places), so such a ranking reads only the programs that
//! pass them: one bit a program for each value, combined a word (64
//! programs) at a time for the query.
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
    /// By level offered (bit of the level mask).
    levels: Vec<Bits>,
    /// By payer, for the interned ids below 64 (bit of the payer mask).
    payers: Vec<Bits>,
    /// Payers self-funded; payers not listed; interned payer ids of 64 or
    /// more listed (decided in the screen).
    self_funded: Bits,
    payers_unlisted: Bits,
    payers_beyond: Bits,
    /// By delivery offered (bit of the delivery mask).
    delivery: Vec<Bits>,
    /// Ages 18 and up only; under 18 only.
    adults_only: Bits,
    minors_only: Bits,
    accepting: Bits,
    full: Bits,
}

impl Default for Screens {
    fn default() -> Screens {
        Screens {
            len: 0,
            levels: vec![Bits::default(); 8],
            payers: vec![Bits::default(); 64],
            self_funded: Bits::default(),
            payers_unlisted: Bits::default(),
            payers_beyond: Bits::default(),
            delivery: vec![Bits::default(); 8],
            adults_only: Bits::default(),
            minors_only: Bits::default(),
            accepting: Bits::default(),
            full: Bits::default(),
        }
    }
}

/// The first age of adulthood: a range starting there or ending below it
/// holds adults only or minors only.
const ADULT: u8 = 18;

impl Screens {
    fn all(&mut self) -> impl Iterator<Item = &mut Bits> {
        self.levels
            .iter_mut()
            .chain(self.payers.iter_mut())
            .chain(self.delivery.iter_mut())
            .chain([
                &mut self.self_funded,
                &mut self.payers_unlisted,
                &mut self.payers_beyond,
                &mut self.adults_only,
                &mut self.minors_only,
                &mut self.accepting,
                &mut self.full,
            ])
    }

    fn each(&self) -> impl Iterator<Item = &Bits> {
        self.levels
            .iter()
            .chain(&self.payers)
            .chain(&self.delivery)
            .chain([
                &self.self_funded,
                &self.payers_unlisted,
                &self.payers_beyond,
                &self.adults_only,
                &self.minors_only,
                &self.accepting,
                &self.full,
            ])
    }

    /// Sets (`on`) or clears slot `i`'s bits for the values of `k`.
    fn mark(&mut self, i: usize, k: &ScreenKey, on: bool) {
        let before = self.len.div_ceil(64);
        self.len = self.len.max(i + 1);
        let words = self.len.div_ceil(64);
        if words > before {
            // Every set held has a word for every 64 slots.
            for bits in self.all().filter(|b| !b.0.is_empty()) {
                bits.0.resize(words, 0);
            }
        }
        for b in ones(u64::from(k.levels)) {
            self.levels[b].set(i, on, words);
        }
        for b in ones(k.payer_mask) {
            self.payers[b].set(i, on, words);
        }
        for b in ones(u64::from(k.delivery)) {
            self.delivery[b].set(i, on, words);
        }
        let (min, max) = k.ages;
        for (bits, holds) in [
            (&mut self.self_funded, k.self_funded),
            (&mut self.payers_unlisted, k.payers_unlisted),
            (&mut self.payers_beyond, k.payers_beyond),
            (&mut self.adults_only, min >= ADULT),
            (&mut self.minors_only, max < ADULT),
            (&mut self.accepting, k.accepting),
            (&mut self.full, k.full),
        ] {
            if holds {
                bits.set(i, on, words);
            }
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
        for bits in self.all() {
            bits.remove_at(i, words);
        }
    }

    /// Bytes the sets take.
    pub(crate) fn bytes(&self) -> usize {
        self.each().map(Bits::bytes).sum()
    }

    /// The slots whose programs pass the filters the sets decide for `cq`:
    /// offering a level wanted, a payer the patient's is accepted under (or
    /// self-funded when self-pay is allowed, or payers not listed, or ids
    /// beyond the first 64), a delivery accepted, the patient's age on the
    /// right side of 18, accepting new patients unless the waitlist is
    /// allowed, not full when full programs are excluded. Each set is the
    /// rule of `CompiledQuery` it is named for, so every slot left out
    /// fails a filter.
    pub(crate) fn passing<'s>(&'s self, cq: &ScreenQuery) -> Vec<u64> {
        let words = self.len.div_ceil(64);
        let any = |sets: &'s [Bits], bits: u64| -> Vec<&'s [u64]> {
            ones(bits).filter_map(|b| sets[b].words()).collect()
        };
        let levels = any(&self.levels, u64::from(cq.levels));
        let mut payers = any(&self.payers, cq.payers);
        payers.extend(self.payers_unlisted.words());
        if cq.self_pay {
            payers.extend(self.self_funded.words());
        }
        if cq.payers_beyond {
            payers.extend(self.payers_beyond.words());
        }
        let delivery = any(&self.delivery, u64::from(cq.delivery));
        // Sets whose slots all fail: an adult in a program for minors only,
        // and the other way round; not accepting; full.
        let mut failing: Vec<&[u64]> = Vec::new();
        let ages = if cq.age < ADULT {
            &self.adults_only
        } else {
            &self.minors_only
        };
        failing.extend(ages.words());
        failing.extend(cq.exclude_full.then(|| self.full.words()).flatten());
        let accepting = (!cq.waitlist).then_some(&self.accepting);
        let or = |sets: &[&[u64]], w: usize| sets.iter().fold(0, |m, s| m | s[w]);
        let mut out = vec![0u64; words];
        for (w, o) in out.iter_mut().enumerate() {
            let mut x = or(&levels, w) & or(&payers, w) & or(&delivery, w) & !or(&failing, w);
            if let Some(a) = accepting {
                x &= a.0.get(w).copied().unwrap_or(0);
            }
            *o = x;
        }
        out
    }
}

/// The indexes of the set bits of `m`.
fn ones(m: u64) -> impl Iterator<Item = usize> {
    let mut m = m;
    std::iter::from_fn(move || {
        (m != 0).then(|| {
            let b = m.trailing_zeros() as usize;
            m &= m - 1;
            b
        })
    })
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
