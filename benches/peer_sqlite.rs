//! The SQLite peer (issue 29): carematch's `Directory::rank` against the
//! ranking a backend engineer would write as one SQL statement over SQLite,
//! in the same process and the same loop, cold and warm.
//!
//! **The data** is `carematch::synthetic` (fictional programs around fifty
//! real metropolitan centres; fictional patients), as `benches/ranking.rs`
//! uses. Each program is one row of a `program` table with the columns a
//! backend engineer would store: a bitmask column per set (levels, payers,
//! languages, modalities, approaches, trained approaches, specialties,
//! licenses, certifications, facility credentials, populations, aftercare,
//! delivery), ages, coordinates, the state, new-patient status, wait and
//! the verification day. Tracks are a side table (`track`: program,
//! level, listed position, the 672-bit week as a blob, minutes a week,
//! evening or weekend). An R*Tree (`program_box`) indexes the coordinates
//! for the bounding box of the patient's travel limit; an index on (state,
//! remote) finds fully remote programs licensed in the patient's state.
//!
//! **One statement per query, prepared once** (`RANK_SQL`), with the
//! patient's compiled values bound as parameters: eligibility (every
//! exclusion rule carematch applies with the default options but the MOUD
//! rule: no generated patient is on MOUD, and the bench asserts it, as it
//! asserts that every program lists every part and is licensed in its own
//! state only, as the generator makes them), the seven
//! criterion scores, the weighted mean in carematch's order of operations,
//! and the ranking order (score, then miles, then wait with unknown last,
//! then program id), `LIMIT 10`.
//!
//! **What plain SQL cannot compute the same way, and what is done instead**
//! (the registered functions give the peer compiled Rust, so a ratio is, if
//! anything, in SQLite's favour):
//!
//! - *Bit counts.* SQLite has bitwise AND and OR but no popcount: the
//!   function `overlap(week, week)` (quarter-hours in both 672-bit weeks)
//!   is registered from Rust. It is generic.
//! - *Great-circle miles.* `haversine(lat, lon, lat, lon)` and `powf(x, y)`
//!   are registered from Rust, written here with the same operations as
//!   `GeoPoint::miles_to` and `f64::powf`, so the miles and the distance
//!   score are equal bit for bit (SQLite's own math functions depend on a
//!   build option).
//! - *The evidence credit of therapy fit.* Per condition of the patient it
//!   is the best first-line therapy offered (weighed by its row's
//!   recommendation; 0.85 of the credit without trained staff where a
//!   certification exists), the breadth of first-line therapies offered, the best
//!   second-line one, and partial credit for a generic substitute only when
//!   the therapy it stands in for is missing. As SQL this is a statement
//!   generated per patient's evidence rows, not one prepared statement.
//!   It is the registered function `therapy(approaches, modalities,
//!   trained, specialties, populations)`, written in this file (it calls no
//!   carematch code) over the patient's evidence rows, which it reads from
//!   a per-query state set before the statement runs. It returns the whole
//!   therapy-fit score, the other three parts (modalities, specialty,
//!   populations) included, so their order of operations is carematch's.
//! - *The patient's compiled values* (evidence rows at the patient's age,
//!   credential checks, aftercare emphasis, hours a level needs, the free
//!   time as a week) are crate-private fields of `carematch::matching::Query`,
//!   which has no public accessor: this bench reads them from the query's
//!   `Debug` form (compiled once per patient, outside the timing, for both
//!   sides). The library lacks a public view of a compiled query.
//!
//! Scores are compared **bit for bit** (`f64::to_bits`), ids in order.
//!
//! **Shapes** (as `bench_partitioned` in `benches/ranking.rs`): the
//! generated patients in person with a location, telehealth only, either,
//! and without a location. `PEER_BENCH_N` sets the directory size (30,000 by
//! default; `PEER_BENCH_N=1000000`), `PEER_BENCH_PATIENTS` the patients per
//! shape (200). `cargo bench -- --test` checks 5 patients per shape at
//! 2,000 programs and times nothing.
//!
//! **Timing loop**: for each shape, patient by patient, interleaved: an
//! unrelated SQL query reading every byte of another 64 MiB table (so that
//! caches go cold), then carematch once (cold), then carematch again
//! `WARM_REPEATS` times (warm: the fastest kept), then the unrelated query
//! again and the SQL statement (cold too). Median and p90 of each, and the
//! ratios of the medians, from the same run, printed to stderr as a
//! markdown table. Two criterion benchmarks time the first in-person
//! patient each way, warm.
//!
//! **Join order.** SQLite's planner, left alone, scanned every program and
//! probed the R*Tree by id, and scanned every track; `CROSS JOIN` fixes the
//! order a backend engineer would check with `EXPLAIN QUERY PLAN`
//! (`PEER_BENCH_PLAN=1` prints it): the R*Tree's box first, then each
//! program by its key, then its tracks by the primary key.

use std::hint::black_box;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use carematch::{
    Aftercare, Approach, Certification, Condition, Delivery, DeliveryPreference, Directory,
    FacilityCredential, Language, LevelOfCare, License, Modality, PatientNeeds, Payer, Population,
    Program,
    matching::{Criterion, MatchOptions, Query, Recommendation, Weights},
    synthetic,
};
use criterion::{Criterion as Bench, criterion_group, criterion_main};
use rusqlite::{Connection, functions::FunctionFlags, params_from_iter, types::Value};

const SEED: u64 = 2026;
const K: usize = 10;
const WARM_REPEATS: usize = 3;

// ---------------------------------------------------------------------------
// A small reader of Rust's `Debug` output, for the compiled query's values.
// ---------------------------------------------------------------------------

/// A value as `{:?}` prints it.
#[derive(Debug, Clone)]
enum Dbg {
    /// `Name { field: value, .. }`
    Struct(String, Vec<(String, Dbg)>),
    /// `Name(value, ..)`, or `(value, ..)` with an empty name.
    Tuple(String, Vec<Dbg>),
    /// `[value, ..]`
    List(Vec<Dbg>),
    /// A number, a name, `None`, `true`.
    Atom(String),
    /// A string literal (read past: no value this bench needs is a string).
    Str,
}

struct DbgReader<'a> {
    s: &'a [u8],
    at: usize,
}

impl DbgReader<'_> {
    fn parse(text: &str) -> Dbg {
        let mut r = DbgReader {
            s: text.as_bytes(),
            at: 0,
        };
        r.value()
    }

    fn skip(&mut self) {
        while self.at < self.s.len() && self.s[self.at].is_ascii_whitespace() {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> u8 {
        self.skip();
        self.s.get(self.at).copied().unwrap_or(0)
    }

    fn eat(&mut self, c: u8) {
        let got = self.peek();
        assert_eq!(got as char, c as char, "Debug reader at {}", self.at);
        self.at += 1;
    }

    fn atom(&mut self) -> String {
        self.skip();
        let start = self.at;
        while self.at < self.s.len()
            && (self.s[self.at].is_ascii_alphanumeric() || b"_.-+".contains(&self.s[self.at]))
        {
            self.at += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.at]).into_owned()
    }

    fn items(&mut self, close: u8) -> Vec<Dbg> {
        let mut out = Vec::new();
        while self.peek() != close {
            out.push(self.value());
            if self.peek() == b',' {
                self.at += 1;
            }
        }
        self.at += 1;
        out
    }

    fn value(&mut self) -> Dbg {
        match self.peek() {
            b'[' => {
                self.at += 1;
                Dbg::List(self.items(b']'))
            }
            b'(' => {
                self.at += 1;
                Dbg::Tuple(String::new(), self.items(b')'))
            }
            b'"' => {
                self.at += 1;
                let mut out = Vec::new();
                while self.s[self.at] != b'"' {
                    if self.s[self.at] == b'\\' {
                        self.at += 1;
                    }
                    out.push(self.s[self.at]);
                    self.at += 1;
                }
                self.at += 1;
                drop(out);
                Dbg::Str
            }
            _ => {
                let name = self.atom();
                match self.peek() {
                    b'{' => {
                        self.at += 1;
                        let mut fields = Vec::new();
                        while self.peek() != b'}' {
                            let f = self.atom();
                            self.eat(b':');
                            fields.push((f, self.value()));
                            if self.peek() == b',' {
                                self.at += 1;
                            }
                        }
                        self.at += 1;
                        Dbg::Struct(name, fields)
                    }
                    b'(' => {
                        self.at += 1;
                        Dbg::Tuple(name, self.items(b')'))
                    }
                    _ => Dbg::Atom(name),
                }
            }
        }
    }
}

impl Dbg {
    fn get(&self, field: &str) -> &Dbg {
        match self {
            Dbg::Struct(_, fields) => fields
                .iter()
                .find(|(f, _)| f == field)
                .map(|(_, v)| v)
                .unwrap_or_else(|| panic!("no field {field} in {self:?}")),
            _ => panic!("{self:?} is not a struct (asked for {field})"),
        }
    }

    fn name(&self) -> &str {
        match self {
            Dbg::Struct(n, _) | Dbg::Tuple(n, _) | Dbg::Atom(n) => n,
            _ => panic!("{self:?} has no name"),
        }
    }

    fn list(&self) -> &[Dbg] {
        match self {
            Dbg::List(v) | Dbg::Tuple(_, v) => v,
            _ => panic!("{self:?} is not a list"),
        }
    }

    fn u64(&self) -> u64 {
        self.name().parse().unwrap_or_else(|_| panic!("{self:?}"))
    }

    fn f64(&self) -> f64 {
        self.name().parse().unwrap_or_else(|_| panic!("{self:?}"))
    }

    fn bool(&self) -> bool {
        self.name() == "true"
    }

    /// `Some(x)` as `Some(&x)`, `None` as `None`.
    fn option(&self) -> Option<&Dbg> {
        match self {
            Dbg::Tuple(n, v) if n == "Some" => v.first(),
            Dbg::Atom(n) if n == "None" => None,
            _ => panic!("{self:?} is not an Option"),
        }
    }
}

/// Bit of `v` among `all` (carematch's sets are bit `i` for `ALL[i]`).
fn bit<T: PartialEq>(all: &[T], v: &T) -> u64 {
    1u64 << all
        .iter()
        .position(|x| x == v)
        .expect("a value of its own ALL")
}

fn mask<'a, T: PartialEq + 'a>(all: &[T], vs: impl IntoIterator<Item = &'a T>) -> u64 {
    vs.into_iter().fold(0, |m, v| m | bit(all, v))
}

/// Bit of the value of `all` whose `Debug` is `name`.
fn bit_named<T: std::fmt::Debug>(all: &[T], name: &str) -> u64 {
    1u64 << all
        .iter()
        .position(|x| format!("{x:?}") == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

/// A `WeekMask`'s 11 words, from its `Debug` (`WeekMask([..])`), as bytes.
fn week_blob(d: &Dbg) -> Vec<u8> {
    let words = d.list()[0].list();
    assert_eq!(words.len(), 11);
    words.iter().flat_map(|w| w.u64().to_le_bytes()).collect()
}

// ---------------------------------------------------------------------------
// The patient's compiled values, as the SQL statement's parameters.
// ---------------------------------------------------------------------------

/// A therapy named by an evidence row: (approach bits, modality bits).
type Therapy = (u64, u64);

fn therapy_of(d: &Dbg) -> Therapy {
    let name = d.list()[0].name();
    match d.name() {
        "Approach" => (bit_named(Approach::ALL, name), 0),
        "Modality" => (0, bit_named(Modality::ALL, name)),
        other => panic!("unknown therapy kind {other}"),
    }
}

fn hit(t: Therapy, approaches: u64, modalities: u64) -> bool {
    t.0 & approaches != 0 || t.1 & modalities != 0
}

#[derive(Clone)]
struct Row {
    first_line: bool,
    factor: f64,
    therapies: Vec<Therapy>,
    /// (substitute, instead of)
    partial: Vec<(Therapy, Therapy)>,
}

#[derive(Clone)]
struct Cond {
    bit: u64,
    weight: f64,
    approach_mask: u64,
    modality_mask: u64,
    first_line: (u64, u64),
    rows: Vec<Row>,
}

/// What the registered `therapy` function reads: the patient's conditions
/// and the needs of the therapy-fit score.
#[derive(Clone, Default)]
struct TherapyParams {
    conds: Vec<Cond>,
    needed_modalities: u64,
    population_bits: u64,
    certifiable: u64,
}

/// Everything bound to the statement for one patient.
struct Params {
    therapy: TherapyParams,
    values: Vec<Value>,
}

const UNTRAINED: f64 = 0.85;
const PARTIAL: f64 = 0.5;

impl TherapyParams {
    /// The therapy-fit score, in carematch's order of operations.
    fn score(
        &self,
        approaches: u64,
        modalities: u64,
        trained: u64,
        specialties: u64,
        populations: u64,
    ) -> f64 {
        let (wm, we, ws, wp) = (0.3, 0.5, 0.2, 0.1);
        let need = self.needed_modalities.count_ones();
        let mut num =
            wm * f64::from((modalities & self.needed_modalities).count_ones()) / f64::from(need);
        let mut den = wm;
        let (mut ev_num, mut ev_den) = (0.0, 0.0);
        let (mut sp_num, mut sp_den) = (0.0, 0.0);
        for c in &self.conds {
            let hits = (c.approach_mask & approaches, c.modality_mask & modalities);
            let w = c.weight;
            if let Some(credit) = self.evidence(c, hits, trained) {
                ev_num += w * credit;
                ev_den += w;
            }
            let first = hits.0 & c.first_line.0 != 0 || hits.1 & c.first_line.1 != 0;
            if specialties & c.bit != 0 && first {
                sp_num += w;
            }
            sp_den += w;
        }
        if ev_den > 0.0 {
            num += we * ev_num / ev_den;
            den += we;
        }
        if sp_den > 0.0 {
            num += ws * sp_num / sp_den;
            den += ws;
        }
        if self.population_bits != 0 {
            num += wp * f64::from(u8::from(populations & self.population_bits != 0));
            den += wp;
        }
        num / den
    }

    fn evidence(&self, c: &Cond, (a, m): (u64, u64), trained: u64) -> Option<f64> {
        let (wb, wn, wa) = (0.75, 0.15, 0.10);
        let (mut first, mut offered, mut named, mut adjunct) =
            (None::<f64>, 0usize, 0usize, None::<f64>);
        for row in &c.rows {
            let mut best: Option<f64> = None;
            for t in row.therapies.iter().filter(|t| hit(**t, a, m)) {
                let untrained = t.0 != 0 && self.certifiable & t.0 != 0 && trained & t.0 == 0;
                let credit = if untrained { UNTRAINED } else { 1.0 };
                if best.is_none_or(|b| credit > b) {
                    best = Some(credit);
                }
            }
            let earned = best
                .or_else(|| {
                    row.partial
                        .iter()
                        .enumerate()
                        .any(|(i, (sub, instead))| {
                            hit(*sub, a, m)
                                && !hit(*instead, a, m)
                                && !row.partial[..i]
                                    .iter()
                                    .any(|(s2, i2)| i2 == instead && hit(*s2, a, m))
                        })
                        .then_some(PARTIAL)
                })
                .unwrap_or(0.0);
            if row.first_line {
                let credit = row.factor * earned;
                first = Some(first.map_or(credit, |b| b.max(credit)));
                offered += row.therapies.iter().filter(|t| hit(**t, a, m)).count();
                named += row.therapies.len();
            } else {
                adjunct = Some(adjunct.map_or(earned, |b| b.max(earned)));
            }
        }
        let (mut num, mut den) = (0.0, 0.0);
        if let Some(best) = first {
            num += wb * best + wn * offered as f64 / named as f64;
            den += wb + wn;
        }
        if let Some(best) = adjunct {
            num += wa * best;
            den += wa;
        }
        (den > 0.0).then(|| num / den)
    }
}

/// Up to this many credential checks are bound (a patient has at most one
/// per condition and seven others).
const CHECK_SLOTS: usize = 10;

/// Interned payers and languages: bit `i` of a program's column is entry `i`.
#[derive(Default)]
struct Dict {
    payers: Vec<Payer>,
    languages: Vec<Language>,
    states: Vec<String>,
}

impl Dict {
    fn intern<T: PartialEq + Clone>(list: &mut Vec<T>, v: &T) -> u64 {
        let i = match list.iter().position(|x| x == v) {
            Some(i) => i,
            None => {
                list.push(v.clone());
                list.len() - 1
            }
        };
        assert!(i < 63, "more than 63 distinct values to intern");
        1 << i
    }

    fn find<T: PartialEq>(list: &[T], v: &T) -> u64 {
        list.iter().position(|x| x == v).map_or(0, |i| 1 << i)
    }

    fn state(&self, s: &str) -> i64 {
        self.states
            .iter()
            .position(|x| x == s)
            .map_or(-1, |i| i as i64)
    }
}

/// The patient's values bound to `RANK_SQL`, from the compiled query (its
/// `Debug` form: the fields are crate-private) and the needs.
fn params(dir_dict: &Dict, q: &Query, weights: &Weights) -> Params {
    let d = DbgReader::parse(&format!("{q:?}"));
    let needs: &PatientNeeds = q.needs();
    let opts = q.options();
    assert!(!opts.alternatives_included() && !opts.self_pay_allowed() && !opts.waitlist_allowed());
    assert!(!opts.full_excluded() && !opts.exclusion_details());
    assert!(
        !d.get("moud_required").bool(),
        "MOUD rules are not written in SQL"
    );
    assert!(d.get("alternative_levels").list().is_empty());
    let certifiable = Certification::ALL
        .iter()
        .filter_map(|c| c.approach())
        .fold(0, |m, a| m | bit(Approach::ALL, &a));
    let conds = d
        .get("conditions")
        .list()
        .iter()
        .map(|c| Cond {
            bit: bit_named(Condition::ALL, c.get("condition").name()),
            weight: c.get("weight").f64(),
            approach_mask: c.get("approach_mask").u64(),
            modality_mask: c.get("modality_mask").u64(),
            first_line: {
                let t = c.get("first_line").list();
                (t[0].u64(), t[1].u64())
            },
            rows: c
                .get("rows")
                .list()
                .iter()
                .map(|r| Row {
                    first_line: r.get("strength").name() == "FirstLine",
                    factor: Recommendation::ALL
                        .iter()
                        .find(|x| format!("{x:?}") == r.get("recommendation").name())
                        .expect("a recommendation")
                        .factor(),
                    therapies: r.get("therapies").list().iter().map(therapy_of).collect(),
                    partial: r
                        .get("partial")
                        .list()
                        .iter()
                        .map(|p| {
                            (
                                therapy_of(p.get("therapy")),
                                therapy_of(p.get("instead_of")),
                            )
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let therapy = TherapyParams {
        conds,
        needed_modalities: d.get("needed_modalities").u64(),
        population_bits: d.get("population_bits").u64(),
        certifiable,
    };

    let level = q.level();
    let located = needs.location.is_some();
    let (lat, lon) = needs
        .location
        .map_or((0.0, 0.0), |p| (p.latitude, p.longitude));
    let max_miles = needs.max_travel_miles;
    // The bounding box of the travel limit: a degree of latitude is over 69
    // miles on the haversine's sphere (68 taken, to be safe), a degree of
    // longitude that times the cosine of the latitude farthest from the equator.
    let (boxed, dlat, dlon) = match (located, max_miles) {
        (true, Some(m)) => {
            let dlat = m / 68.0 + 0.01;
            let far = (lat.abs() + dlat).min(89.0).to_radians();
            (true, dlat, dlat / far.cos())
        }
        _ => (false, 0.0, 0.0),
    };
    let pref = needs.delivery;
    let accepted_delivery = Delivery::ALL
        .iter()
        .filter(|x| pref.accepts(**x))
        .fold(0, |m, x| m | bit(Delivery::ALL, x));
    let in_person_ok = Delivery::ALL
        .iter()
        .filter(|x| pref.accepts(**x) && x.meets_in_person())
        .fold(0, |m, x| m | bit(Delivery::ALL, x));
    let telehealth_ok = Delivery::ALL
        .iter()
        .filter(|x| pref.accepts_telehealth() && x.has_telehealth())
        .fold(0, |m, x| m | bit(Delivery::ALL, x));
    let accepts_tele = pref.accepts_telehealth();
    let remote_bit = bit(Delivery::ALL, &Delivery::Telehealth);
    let payer_ok = needs
        .payer
        .accepted_under()
        .iter()
        .chain(needs.payer.unconfirmed_under().iter())
        .fold(0, |m, p| m | Dict::find(&dir_dict.payers, p));
    let state = needs.state.as_deref().map_or(-1, |s| dir_dict.state(s));
    let hours = d.get("hours_needed").option().map(|h| {
        let t = h.list();
        (t[0].f64(), t[1].f64())
    });
    let checks = d.get("checks").list();
    assert!(checks.len() <= CHECK_SLOTS);
    let w = |c: Criterion| weights.weight(c);
    let as_of = opts.as_of().days_since_epoch();
    let aftercare: Vec<u64> = d
        .get("aftercare_weights")
        .list()
        .iter()
        .map(Dbg::u64)
        .collect();
    assert_eq!(aftercare.len(), Aftercare::ALL.len());

    let mut v: Vec<Value> = Vec::new();
    let int = |x: u64| Value::Integer(x as i64);
    let real = Value::Real;
    let opt_real = |x: Option<f64>| x.map_or(Value::Null, Value::Real);
    // ?1 .. ?14: the place.
    v.push(int(u64::from(boxed))); // ?1
    v.push(real(lat - dlat)); // ?2
    v.push(real(lat + dlat)); // ?3
    v.push(real(lon - dlon)); // ?4
    v.push(real(lon + dlon)); // ?5
    v.push(int(u64::from(located))); // ?6
    v.push(real(lat)); // ?7
    v.push(real(lon)); // ?8
    v.push(opt_real(max_miles)); // ?9
    v.push(Value::Integer(state)); // ?10
    v.push(int(u64::from(accepts_tele))); // ?11
    v.push(int(remote_bit)); // ?12
    v.push(int(in_person_ok)); // ?13
    v.push(int(telehealth_ok)); // ?14
    // ?15 .. ?24: eligibility.
    v.push(int(bit(LevelOfCare::ALL, &level))); // ?15
    v.push(int(u64::from(needs.age))); // ?16
    v.push(int(d.get("population_bits").u64())); // ?17
    v.push(int(payer_ok)); // ?18
    v.push(int(Dict::find(&dir_dict.languages, &needs.language))); // ?19
    v.push(int(d.get("condition_bits").u64())); // ?20
    v.push(int(d.get("primary_bit").u64())); // ?21
    v.push(int(accepted_delivery)); // ?22
    v.push(int(u64::from(needs.state.is_some()))); // ?23
    v.push(int(u64::from(d.get("schedule_rule").bool()))); // ?24
    // ?25 .. ?30: the schedule.
    v.push(Value::Blob(week_blob(d.get("avail")))); // ?25
    v.push(int(u64::from(
        bit(LevelOfCare::ALL, &level).trailing_zeros(),
    ))); // ?26
    v.push(int(u64::from(hours.is_some()))); // ?27
    v.push(real(hours.map_or(0.0, |h| h.0))); // ?28
    v.push(real(hours.map_or(0.0, |h| h.1))); // ?29
    v.push(real(opts.min_schedule_fit())); // ?30
    // ?31 .. ?37: aftercare weights; ?38 their sum.
    for a in &aftercare {
        v.push(int(*a));
    }
    v.push(int(aftercare.iter().sum())); // ?38
    // ?39: as of (days since the epoch).
    v.push(Value::Integer(i64::from(as_of))); // ?39
    // ?40 .. ?46: weights in criterion order.
    for c in Criterion::ALL {
        v.push(real(w(*c)));
    }
    // ?47 ..: credential checks, (set, mask, weight) each; set 0: no check.
    for i in 0..CHECK_SLOTS {
        match checks.get(i) {
            Some(c) => {
                let set = match c.get("set").name() {
                    "Licenses" => 1,
                    "Certifications" => 2,
                    "Facility" => 3,
                    s => panic!("unknown check set {s}"),
                };
                let weight = match c.get("check").name() {
                    "Prescriber"
                    | "BuprenorphinePrescriber"
                    | "AnyPrescriber"
                    | "AddictionClinician"
                    | "CertifiedFor"
                    | "ChildAdolescent" => 2,
                    _ => 1,
                };
                v.push(int(set));
                v.push(int(c.get("mask").u64()));
                v.push(int(weight));
            }
            None => {
                v.push(int(0));
                v.push(int(0));
                v.push(int(0));
            }
        }
    }
    Params { therapy, values: v }
}

// ---------------------------------------------------------------------------
// The database.
// ---------------------------------------------------------------------------

const SCHEMA: &str = "
CREATE TABLE program (
  id INTEGER PRIMARY KEY,      -- position; program ids sort as positions
  pid TEXT NOT NULL,
  levels INTEGER NOT NULL, age_min INTEGER NOT NULL, age_max INTEGER NOT NULL,
  restricted INTEGER NOT NULL, payers INTEGER NOT NULL, languages INTEGER NOT NULL,
  interpreter INTEGER NOT NULL, refuses INTEGER NOT NULL, admits INTEGER,
  delivery INTEGER NOT NULL, remote INTEGER NOT NULL,
  lat REAL NOT NULL, lon REAL NOT NULL, state INTEGER NOT NULL,
  accepting INTEGER NOT NULL,
  modalities INTEGER NOT NULL, approaches INTEGER NOT NULL, trained INTEGER NOT NULL,
  specialties INTEGER NOT NULL, licenses INTEGER NOT NULL, certs INTEGER NOT NULL,
  facility INTEGER NOT NULL, populations INTEGER NOT NULL, aftercare INTEGER NOT NULL,
  wait INTEGER, verified INTEGER NOT NULL
);
CREATE VIRTUAL TABLE program_box USING rtree(id, min_lat, max_lat, min_lon, max_lon);
CREATE INDEX program_remote ON program(state, remote);
CREATE TABLE track (
  program INTEGER NOT NULL, level INTEGER NOT NULL, pos INTEGER NOT NULL,
  week BLOB NOT NULL, slots INTEGER NOT NULL, minutes INTEGER NOT NULL, eve INTEGER NOT NULL,
  PRIMARY KEY (program, level, pos)
) WITHOUT ROWID;
-- Unrelated to ranking: read between rankings so that caches go cold.
CREATE TABLE other (id INTEGER PRIMARY KEY, payload BLOB NOT NULL);
";

/// The ranking: eligibility, the seven scores, the weighted mean, the order.
const RANK_SQL: &str = "
WITH cand AS (
  SELECT p.* FROM program_box b CROSS JOIN program p ON p.id = b.id
   WHERE ?1 = 1 AND b.min_lat <= ?3 AND b.max_lat >= ?2 AND b.min_lon <= ?5 AND b.max_lon >= ?4
  UNION ALL
  SELECT p.* FROM program p
   WHERE ?1 = 1 AND ?11 = 1 AND p.state = ?10 AND p.remote = 1
     AND p.id NOT IN (SELECT id FROM program_box
                       WHERE min_lat <= ?3 AND max_lat >= ?2 AND min_lon <= ?5 AND max_lon >= ?4)
  UNION ALL
  SELECT p.* FROM program p WHERE ?1 = 0
),
placed AS (
  SELECT c.*,
    CASE WHEN ?6 = 1 THEN haversine(?7, ?8, c.lat, c.lon) END AS miles,
    (?23 = 0 OR c.state = ?10) AS licensed,
    (?11 = 1 AND c.remote = 1) AS remote_offered,
    (c.delivery & ?13) != 0 AS in_person,
    (c.delivery & ?14) != 0 AS tele_some
  FROM cand c
  WHERE (c.levels & ?15) != 0
    AND c.age_min <= ?16 AND ?16 <= c.age_max
    AND (c.restricted = 0 OR (c.restricted & ?17) != 0)
    AND (c.payers & ?18) != 0
    AND ((c.languages & ?19) != 0 OR c.interpreter = 1)
    AND (c.refuses & ?20) = 0
    AND (?21 = 0 OR c.admits IS NULL OR (c.admits & ?21) != 0)
    AND (c.delivery & ?22) != 0
    AND c.accepting = 1
),
elig AS (
  SELECT *, (miles IS NOT NULL AND ?9 IS NOT NULL AND miles > ?9) AS beyond FROM placed
),
ok AS MATERIALIZED (
  SELECT * FROM elig
  WHERE NOT (remote_offered AND NOT licensed AND (NOT in_person OR beyond))
    AND NOT (beyond AND NOT (remote_offered AND licensed))
),
tr0 AS (
  SELECT t.program, t.pos, t.eve, t.slots, t.minutes, overlap(t.week, ?25) AS free
  FROM ok CROSS JOIN track t ON t.program = ok.id AND t.level = ?26
),
tr AS (
  SELECT program, pos, eve, slots,
    (slots > 0 AND free = slots) AS fits,
    CASE WHEN slots = 0 THEN 0.0 ELSE CAST(free AS REAL) / slots END AS fit,
    (?27 = 0 OR (minutes / 60.0 >= ?28 AND minutes / 60.0 <= ?29)) AS hours_ok
  FROM tr0
),
ranked AS (
  SELECT tr.*, 0.55 * fit + 0.15 * hours_ok AS value,
    ROW_NUMBER() OVER (PARTITION BY program ORDER BY 0.55 * fit + 0.15 * hours_ok DESC, pos) AS rn,
    SUM(fits) OVER (PARTITION BY program) AS fitting,
    MAX(eve) OVER (PARTITION BY program) AS any_eve
  FROM tr
),
best AS (SELECT * FROM ranked WHERE rn = 1),
scored AS (
  SELECT ok.id, ok.pid, ok.miles, ok.wait,
    therapy(ok.approaches, ok.modalities, ok.trained, ok.specialties, ok.populations) AS s_therapy,
    CASE WHEN (?49 + ?52 + ?55 + ?58 + ?61 + ?64 + ?67 + ?70 + ?73 + ?76) = 0 THEN 1.0 ELSE
      CAST(
        CASE WHEN ?47 = 1 AND (ok.licenses & ?48) != 0 OR ?47 = 2 AND (ok.certs & ?48) != 0 OR ?47 = 3 AND (ok.facility & ?48) != 0 THEN ?49 ELSE 0 END
      + CASE WHEN ?50 = 1 AND (ok.licenses & ?51) != 0 OR ?50 = 2 AND (ok.certs & ?51) != 0 OR ?50 = 3 AND (ok.facility & ?51) != 0 THEN ?52 ELSE 0 END
      + CASE WHEN ?53 = 1 AND (ok.licenses & ?54) != 0 OR ?53 = 2 AND (ok.certs & ?54) != 0 OR ?53 = 3 AND (ok.facility & ?54) != 0 THEN ?55 ELSE 0 END
      + CASE WHEN ?56 = 1 AND (ok.licenses & ?57) != 0 OR ?56 = 2 AND (ok.certs & ?57) != 0 OR ?56 = 3 AND (ok.facility & ?57) != 0 THEN ?58 ELSE 0 END
      + CASE WHEN ?59 = 1 AND (ok.licenses & ?60) != 0 OR ?59 = 2 AND (ok.certs & ?60) != 0 OR ?59 = 3 AND (ok.facility & ?60) != 0 THEN ?61 ELSE 0 END
      + CASE WHEN ?62 = 1 AND (ok.licenses & ?63) != 0 OR ?62 = 2 AND (ok.certs & ?63) != 0 OR ?62 = 3 AND (ok.facility & ?63) != 0 THEN ?64 ELSE 0 END
      + CASE WHEN ?65 = 1 AND (ok.licenses & ?66) != 0 OR ?65 = 2 AND (ok.certs & ?66) != 0 OR ?65 = 3 AND (ok.facility & ?66) != 0 THEN ?67 ELSE 0 END
      + CASE WHEN ?68 = 1 AND (ok.licenses & ?69) != 0 OR ?68 = 2 AND (ok.certs & ?69) != 0 OR ?68 = 3 AND (ok.facility & ?69) != 0 THEN ?70 ELSE 0 END
      + CASE WHEN ?71 = 1 AND (ok.licenses & ?72) != 0 OR ?71 = 2 AND (ok.certs & ?72) != 0 OR ?71 = 3 AND (ok.facility & ?72) != 0 THEN ?73 ELSE 0 END
      + CASE WHEN ?74 = 1 AND (ok.licenses & ?75) != 0 OR ?74 = 2 AND (ok.certs & ?75) != 0 OR ?74 = 3 AND (ok.facility & ?75) != 0 THEN ?76 ELSE 0 END
      AS REAL) / (?49 + ?52 + ?55 + ?58 + ?61 + ?64 + ?67 + ?70 + ?73 + ?76)
    END AS s_credentials,
    IFNULL(b.value, 0.0) + 0.1 * MIN(IFNULL(b.fitting, 0), 2) / 2.0
      + 0.1 * IFNULL(b.any_eve, 0) + 0.1 * (ok.tele_some AND ok.licensed) AS s_schedule,
    CAST(
        CASE WHEN (ok.aftercare & 1) != 0 THEN ?31 ELSE 0 END
      + CASE WHEN (ok.aftercare & 2) != 0 THEN ?32 ELSE 0 END
      + CASE WHEN (ok.aftercare & 4) != 0 THEN ?33 ELSE 0 END
      + CASE WHEN (ok.aftercare & 8) != 0 THEN ?34 ELSE 0 END
      + CASE WHEN (ok.aftercare & 16) != 0 THEN ?35 ELSE 0 END
      + CASE WHEN (ok.aftercare & 32) != 0 THEN ?36 ELSE 0 END
      + CASE WHEN (ok.aftercare & 64) != 0 THEN ?37 ELSE 0 END
      AS REAL) / ?38 AS s_aftercare,
    CASE WHEN ok.remote_offered AND ok.licensed THEN 1.0
         WHEN ok.miles IS NOT NULL THEN powf(0.5, ok.miles / 15.0) END AS s_distance,
    CASE WHEN ok.wait IS NOT NULL THEN 1.0 / (1.0 + ok.wait / 14.0) END AS s_wait,
    CASE WHEN MAX(?39 - ok.verified, 0) <= 182 THEN 1.0
         WHEN MAX(?39 - ok.verified, 0) <= 365 THEN 0.6 ELSE 0.25 END AS s_fresh,
    b.slots AS best_slots, b.fit AS best_fit
  FROM ok LEFT JOIN best b ON b.program = ok.id
),
total AS (
  SELECT id, pid, miles, wait,
    (?40 * s_therapy + ?41 * s_credentials + ?42 * s_schedule + ?43 * s_aftercare
      + IFNULL(?44 * s_distance, 0.0) + IFNULL(?45 * s_wait, 0.0) + ?46 * s_fresh)
    / (?40 + ?41 + ?42 + ?43 + CASE WHEN s_distance IS NULL THEN 0.0 ELSE ?44 END
      + CASE WHEN s_wait IS NULL THEN 0.0 ELSE ?45 END + ?46) AS score
  FROM scored
  WHERE NOT (?24 = 1 AND IFNULL(best_slots, 0) > 0 AND best_fit < ?30)
)
SELECT pid, score FROM total
ORDER BY score DESC, miles ASC NULLS LAST, wait ASC NULLS LAST, id ASC
LIMIT 10
";

/// Bytes of the unrelated table read between rankings (larger than the
/// last-level cache); 1 MiB in `--test` mode.
const OTHER_BYTES: usize = 64 << 20;

/// The generic functions the statement calls (see the module docs), and
/// `therapy`, reading the patient's evidence rows from `state`.
fn register(db: &Connection, state: Arc<Mutex<TherapyParams>>) -> rusqlite::Result<()> {
    let det = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    db.create_scalar_function("haversine", 4, det, |ctx| {
        // As `GeoPoint::miles_to`, operation for operation.
        const EARTH_RADIUS_MILES: f64 = 3958.8;
        let (lat1, lon1, lat2, lon2): (f64, f64, f64, f64) =
            (ctx.get(0)?, ctx.get(1)?, ctx.get(2)?, ctx.get(3)?);
        let (la1, la2) = (lat1.to_radians(), lat2.to_radians());
        let dla = la2 - la1;
        let dlo = (lon2 - lon1).to_radians();
        let a = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
        Ok(2.0 * EARTH_RADIUS_MILES * a.sqrt().min(1.0).asin())
    })?;
    db.create_scalar_function("powf", 2, det, |ctx| {
        let (x, y): (f64, f64) = (ctx.get(0)?, ctx.get(1)?);
        Ok(x.powf(y))
    })?;
    db.create_scalar_function("overlap", 2, det, |ctx| {
        let a = ctx
            .get_raw(0)
            .as_blob()
            .map_err(|e| rusqlite::Error::UserFunctionError(e.into()))?;
        let b = ctx
            .get_raw(1)
            .as_blob()
            .map_err(|e| rusqlite::Error::UserFunctionError(e.into()))?;
        let n: u32 = a
            .chunks_exact(8)
            .zip(b.chunks_exact(8))
            .map(|(x, y)| {
                let x = u64::from_le_bytes(x.try_into().unwrap_or_default());
                let y = u64::from_le_bytes(y.try_into().unwrap_or_default());
                (x & y).count_ones()
            })
            .sum();
        Ok(i64::from(n))
    })?;
    db.create_scalar_function("therapy", 5, FunctionFlags::SQLITE_UTF8, move |ctx| {
        let t = state.lock().map_err(|_| rusqlite::Error::InvalidQuery)?;
        let g = |i: usize| ctx.get::<i64>(i).map(|v| v as u64);
        Ok(t.score(g(0)?, g(1)?, g(2)?, g(3)?, g(4)?))
    })?;
    Ok(())
}

fn track_week(t: &carematch::Track) -> Vec<u8> {
    week_blob(&DbgReader::parse(&format!("{:?}", t.mask())))
}

/// Loads `programs` into a new in-memory database, with the dictionaries.
fn load(programs: &[Program], other_bytes: usize) -> (Connection, Dict) {
    let db = Connection::open_in_memory().expect("an in-memory database");
    db.execute_batch(SCHEMA).expect("the schema");
    let mut dict = Dict::default();
    let tx = db.unchecked_transaction().expect("a transaction");
    {
        let mut ins = tx
            .prepare(
                "INSERT INTO program VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,
                 ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)",
            )
            .expect("insert program");
        let mut ins_box = tx
            .prepare("INSERT INTO program_box VALUES (?1, ?2, ?2, ?3, ?3)")
            .expect("insert box");
        let mut ins_track = tx
            .prepare("INSERT INTO track VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
            .expect("insert track");
        for (i, p) in programs.iter().enumerate() {
            // What this bench writes in SQL: every part listed, licensed in
            // its own state only (as the synthetic directory has it).
            assert!(p.not_listed.is_empty() && p.licensed_states.is_empty());
            assert!(
                p.id.as_str() == format!("syn-{i:07}"),
                "ids sort as positions"
            );
            let state = Dict::intern(&mut dict.states, &p.location.state).trailing_zeros();
            let payers = p
                .payers
                .iter()
                .fold(0, |m, x| m | Dict::intern(&mut dict.payers, x));
            let languages = p
                .languages
                .iter()
                .fold(0, |m, x| m | Dict::intern(&mut dict.languages, x));
            let covered = |cs: &[Condition]| -> u64 {
                Condition::ALL
                    .iter()
                    .filter(|c| cs.iter().any(|x| x.covers(**c)))
                    .fold(0, |m, c| m | bit(Condition::ALL, c))
            };
            let trained = p
                .staff
                .certifications
                .iter()
                .filter(|(_, n)| **n > 0)
                .filter_map(|(c, _)| c.approach())
                .fold(0, |m, a| m | bit(Approach::ALL, &a));
            let licenses = mask(
                License::ALL,
                p.staff
                    .licenses
                    .iter()
                    .filter(|(_, n)| **n > 0)
                    .map(|(l, _)| l),
            );
            let certs = mask(
                Certification::ALL,
                p.staff
                    .certifications
                    .iter()
                    .filter(|(_, n)| **n > 0)
                    .map(|(c, _)| c),
            );
            let v: Vec<Value> = vec![
                Value::Integer(i as i64),
                Value::Text(p.id.as_str().to_owned()),
                Value::Integer(mask(LevelOfCare::ALL, &p.levels) as i64),
                Value::Integer(i64::from(p.ages.min)),
                Value::Integer(i64::from(p.ages.max)),
                Value::Integer(mask(Population::ALL, &p.restricted_to) as i64),
                Value::Integer(payers as i64),
                Value::Integer(languages as i64),
                Value::Integer(i64::from(p.interpreter_services)),
                Value::Integer(covered(&p.excluded_conditions) as i64),
                if p.admits.is_empty() {
                    Value::Null
                } else {
                    Value::Integer(covered(&p.admits) as i64)
                },
                Value::Integer(mask(Delivery::ALL, &p.delivery) as i64),
                Value::Integer(i64::from(p.delivery.contains(&Delivery::Telehealth))),
                Value::Real(p.location.latitude),
                Value::Real(p.location.longitude),
                Value::Integer(i64::from(state)),
                Value::Integer(i64::from(p.accepting_or_not_listed())),
                Value::Integer(mask(Modality::ALL, &p.modalities) as i64),
                Value::Integer(mask(Approach::ALL, &p.approaches) as i64),
                Value::Integer(trained as i64),
                Value::Integer(covered(&p.specialties) as i64),
                Value::Integer(licenses as i64),
                Value::Integer(certs as i64),
                Value::Integer(mask(FacilityCredential::ALL, &p.facility_credentials) as i64),
                Value::Integer(mask(Population::ALL, &p.populations) as i64),
                Value::Integer(mask(Aftercare::ALL, &p.aftercare) as i64),
                p.typical_wait_days
                    .map_or(Value::Null, |d| Value::Integer(i64::from(d))),
                Value::Integer(i64::from(p.last_verified.days_since_epoch())),
            ];
            ins.execute(params_from_iter(v)).expect("a program row");
            ins_box
                .execute((i as i64, p.location.latitude, p.location.longitude))
                .expect("a box row");
            for level in LevelOfCare::ALL {
                for (pos, t) in p.tracks_at(*level).enumerate() {
                    ins_track
                        .execute((
                            i as i64,
                            i64::from(bit(LevelOfCare::ALL, level).trailing_zeros()),
                            pos as i64,
                            track_week(t),
                            i64::from(t.mask().count()),
                            i64::from(t.minutes_per_week()),
                            i64::from(t.is_evening_or_weekend()),
                        ))
                        .expect("a track row");
                }
            }
        }
        let mut other = tx
            .prepare("INSERT INTO other VALUES (?1, ?2)")
            .expect("insert other");
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for i in 0..other_bytes / 256 {
            let payload: Vec<u8> = (0..32)
                .flat_map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x.to_le_bytes()
                })
                .collect();
            other.execute((i as i64, payload)).expect("an other row");
        }
    }
    tx.commit().expect("commit");
    db.execute_batch("ANALYZE").expect("analyze");
    (db, dict)
}

/// The patient shapes of the issue: the generated patients in person with
/// a location, telehealth only, either, and without a location.
fn shapes(n: usize) -> Vec<(&'static str, Vec<PatientNeeds>)> {
    let base = synthetic::patients(n, SEED + 2);
    let with = |f: fn(&mut PatientNeeds)| -> Vec<PatientNeeds> {
        base.iter()
            .cloned()
            .map(|mut p| {
                f(&mut p);
                p
            })
            .collect()
    };
    vec![
        (
            "in_person",
            with(|p| p.delivery = DeliveryPreference::InPerson),
        ),
        (
            "telehealth",
            with(|p| p.delivery = DeliveryPreference::Telehealth),
        ),
        ("either", with(|p| p.delivery = DeliveryPreference::Either)),
        ("no_location", with(|p| p.location = None)),
    ]
}

struct Peer {
    db: Connection,
    dict: Dict,
    state: Arc<Mutex<TherapyParams>>,
}

impl Peer {
    fn new(programs: &[Program], other_bytes: usize) -> Peer {
        let (db, dict) = load(programs, other_bytes);
        let state = Arc::new(Mutex::new(TherapyParams::default()));
        register(&db, Arc::clone(&state)).expect("functions");
        db.prepare_cached(RANK_SQL).expect("the ranking statement");
        Peer { db, dict, state }
    }

    /// The top ten by the SQL statement: (program id, score).
    fn rank(&self, p: &Params) -> Vec<(String, f64)> {
        self.state
            .lock()
            .expect("the therapy state")
            .clone_from(&p.therapy);
        let mut stmt = self.db.prepare_cached(RANK_SQL).expect("cached");
        let rows = stmt
            .query_map(params_from_iter(&p.values), |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("the ranking runs");
        rows.collect::<Result<_, _>>().expect("rows")
    }

    /// Prints the statement's query plan for one patient (`PEER_BENCH_PLAN=1`).
    fn print_plan(&self, dir: &Directory, needs: &PatientNeeds, weights: &Weights) {
        let q = dir
            .query(
                needs,
                needs.level.expect("a level"),
                MatchOptions::new(synthetic::AS_OF),
            )
            .expect("a valid query");
        let p = params(&self.dict, &q, weights);
        *self.state.lock().expect("the therapy state") = p.therapy;
        let mut stmt = self
            .db
            .prepare(&format!("EXPLAIN QUERY PLAN {RANK_SQL}"))
            .expect("explain");
        let rows = stmt
            .query_map(params_from_iter(p.values), |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .expect("explain runs");
        for row in rows {
            let (id, parent, detail) = row.expect("a plan row");
            eprintln!("plan: {id} <- {parent}: {detail}");
        }
    }

    /// The unrelated query: reads every byte of the other table.
    fn other(&self) -> usize {
        let mut stmt = self
            .db
            .prepare_cached("SELECT length(max(payload)) FROM other")
            .expect("other");
        stmt.query_row([], |r| r.get::<_, i64>(0))
            .expect("other runs") as usize
    }
}

fn carematch_top(dir: &Directory, q: &Query, w: &Weights) -> Vec<(String, f64)> {
    dir.rank(q, w, K)
        .matches
        .iter()
        .map(|m| (m.program_id.as_str().to_owned(), m.score))
        .collect()
}

/// Fails loudly unless the SQL's top ten equals carematch's: ids in order,
/// scores bit for bit.
fn check(shape: &str, i: usize, ours: &[(String, f64)], sql: &[(String, f64)]) {
    let same = ours.len() == sql.len()
        && ours
            .iter()
            .zip(sql)
            .all(|(a, b)| a.0 == b.0 && a.1.to_bits() == b.1.to_bits());
    assert!(
        same,
        "{shape} patient {i}: SQLite's top {K} differs from carematch's\n carematch: {ours:?}\n sqlite:    {sql:?}"
    );
}

fn quantile(v: &mut [Duration], q: f64) -> Duration {
    v.sort();
    v[((v.len() - 1) as f64 * q).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn peer(c: &mut Bench) {
    let test = std::env::args().any(|a| a == "--test");
    let n = if test {
        2_000
    } else {
        env_usize("PEER_BENCH_N", 30_000)
    };
    let patients = if test {
        5
    } else {
        env_usize("PEER_BENCH_PATIENTS", 200)
    };
    let weights = Weights::default();
    let programs = synthetic::directory(n, SEED);
    let t = Instant::now();
    let sql = Peer::new(&programs, if test { 1 << 20 } else { OTHER_BYTES });
    eprintln!(
        "peer: SQLite loaded with {n} programs in {:.1?}",
        t.elapsed()
    );
    let t = Instant::now();
    let dir = Directory::new(programs, synthetic::AS_OF).expect("synthetic data validates");
    eprintln!("peer: {n} programs compiled in {:.1?}", t.elapsed());

    let shapes = shapes(patients);
    if std::env::var_os("PEER_BENCH_PLAN").is_some() {
        sql.print_plan(&dir, &shapes[0].1[0], &weights);
    }
    let mut compiled = Vec::new();
    for (shape, needs) in &shapes {
        let queries: Vec<Query> = needs
            .iter()
            .map(|p| {
                dir.query(
                    p,
                    p.level.expect("synthetic patients have a level"),
                    MatchOptions::new(synthetic::AS_OF),
                )
                .expect("a valid query")
            })
            .collect();
        // Checked before any timing: every patient, ids and scores.
        let t = Instant::now();
        let mut matched = 0;
        for (i, q) in queries.iter().enumerate() {
            let ours = carematch_top(&dir, q, &weights);
            let theirs = sql.rank(&params(&sql.dict, q, &weights));
            check(shape, i, &ours, &theirs);
            matched += ours.len();
        }
        assert!(matched > 0, "{shape}: some patient should have matches");
        eprintln!(
            "peer: {n} programs, {shape}: identical top {K} (ids, scores bit for bit) for {} of {} patients, {matched} matches, checked in {:.1?}",
            queries.len(),
            queries.len(),
            t.elapsed()
        );
        compiled.push((*shape, queries));
    }

    // One criterion benchmark each way, for the first in-person patient.
    let (_, first) = &compiled[0];
    let q0 = &first[0];
    let mut g = c.benchmark_group(format!("peer_{n}"));
    g.sample_size(10);
    g.bench_function("carematch_rank_in_person_patient0", |b| {
        b.iter(|| black_box(dir.rank(black_box(q0), &weights, K)))
    });
    let p0 = params(&sql.dict, q0, &weights);
    g.bench_function("sqlite_in_person_patient0", |b| {
        b.iter(|| black_box(sql.rank(black_box(&p0))))
    });
    g.finish();
    if test {
        return;
    }

    eprintln!(
        "\n| {n} programs, {patients} patients | carematch cold median / p90 | warm median / p90 | SQLite median / p90 | SQLite / cold (medians) | SQLite / warm (medians) |"
    );
    eprintln!("| --- | --- | --- | --- | --- | --- |");
    let mut sink = 0usize;
    for (shape, queries) in &compiled {
        let (mut cold, mut warm, mut peer) = (Vec::new(), Vec::new(), Vec::new());
        for q in queries {
            let p = params(&sql.dict, q, &weights);
            sink += sql.other();
            let t = Instant::now();
            let r = dir.rank(black_box(q), &weights, K);
            cold.push(t.elapsed());
            sink += r.matches.len();
            let best = (0..WARM_REPEATS)
                .map(|_| {
                    let t = Instant::now();
                    let r = dir.rank(black_box(q), &weights, K);
                    let e = t.elapsed();
                    sink += r.matches.len();
                    e
                })
                .min()
                .unwrap_or_default();
            warm.push(best);
            sink += sql.other();
            let t = Instant::now();
            let r = sql.rank(&p);
            peer.push(t.elapsed());
            sink += r.len();
        }
        let (cm, c9) = (quantile(&mut cold, 0.5), quantile(&mut cold, 0.9));
        let (wm, w9) = (quantile(&mut warm, 0.5), quantile(&mut warm, 0.9));
        let (sm, s9) = (quantile(&mut peer, 0.5), quantile(&mut peer, 0.9));
        eprintln!(
            "| {shape} | {:.3} / {:.3} ms | {:.3} / {:.3} ms | {:.2} / {:.2} ms | {:.0}x | {:.0}x |",
            ms(cm),
            ms(c9),
            ms(wm),
            ms(w9),
            ms(sm),
            ms(s9),
            sm.as_secs_f64() / cm.as_secs_f64(),
            sm.as_secs_f64() / wm.as_secs_f64()
        );
    }
    black_box(sink);
}

criterion_group!(benches, peer);
criterion_main!(benches);
