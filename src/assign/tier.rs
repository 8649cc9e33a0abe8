//! One tier placed exactly: its members' candidate lists as a sparse graph,
//! the assignment solved with prices ([`super::sparse`]), and the
//! certificate that says whose lists were cut too short.
//!
//! A member's list is its top k eligible programs. After solving, the
//! prices prove the placement optimal over every eligible program unless a
//! left-out program could be cheaper for some member than the member's
//! price (see [`super::sparse`]'s "Certificate"). Two checks, the cheap one
//! first:
//!
//! 1. Any program below the cut costs at least what the last candidate's
//!    score costs one place further down; a member whose price is at most
//!    that is covered (a placed member rarely fails this; an unplaced one
//!    always does, its price being the cost of leaving it unplaced).
//! 2. The others are ranked against a directory of only the programs that
//!    had a slot left when the tier began (a saturated tier leaves few), to
//!    read each program below the cut with its own score: a member is
//!    covered when its price, less the program's price, is at most what that
//!    program costs. That directory is built only when the members left are
//!    many against the programs with a slot left; otherwise they are ranked
//!    deeper at once.
//!
//! The members still not covered are ranked twice as deep (up to every
//! eligible program) and the tier solved again, until all are covered.

use std::collections::{BTreeMap, BTreeSet};

use super::{Candidate, Ranked, Ranker, SCALE, rank_deeper, sparse, units};
use crate::error::Error;
use crate::matching::Directory;

/// A second check (2 above) is worth a directory of the programs with a slot
/// left when the members to check are at least one for this many of them.
pub(super) const PROGRAMS_PER_CHECK: usize = 16;

/// An eligible program with a slot left when the tier began, as a member's
/// ranking among those programs read it.
struct Open {
    program: usize,
    score: f64,
    poor_fit: bool,
}

impl From<&Candidate> for Open {
    fn from(c: &Candidate) -> Open {
        Open {
            program: c.program,
            score: c.score,
            poor_fit: c.poor_fit,
        }
    }
}

/// One tier's problem: its members' usable candidates as edges.
pub(super) struct Graph {
    /// The problem the solver reads; rows are members, in the order given.
    pub(super) problem: sparse::Bipartite,
    /// For each member, the candidate index of each of its edges.
    back: Vec<Vec<usize>>,
    /// Each program's column.
    column: BTreeMap<usize, usize>,
    /// The weight of a millionth of score against a place in a list.
    w: i128,
}

impl Graph {
    /// The graph of `members`' candidates with a slot `left` (and not a
    /// poor clinical fit, unless `allow_poor`). Columns are numbered by
    /// first appearance, members in the order given.
    pub(super) fn new(
        members: &[usize],
        ranked: &[Ranked],
        left: &[u32],
        allow_poor: bool,
    ) -> Graph {
        // Ties on score go to earlier choices: any sum of choice ranks, over
        // every eligible program, is below `w`.
        let deepest = members
            .iter()
            .map(|&m| ranked[m].eligible.max(ranked[m].candidates.len()))
            .max()
            .unwrap_or(0);
        let w = (members.len() as i128) * (deepest as i128) + 1;
        let mut g = Graph {
            problem: sparse::Bipartite::default(),
            back: Vec::with_capacity(members.len()),
            column: BTreeMap::new(),
            w,
        };
        let mut order: Vec<usize> = Vec::new();
        for &m in members {
            let mut edges = Vec::new();
            let mut idx = Vec::new();
            for (pos, c) in ranked[m].candidates.iter().enumerate() {
                // A full program, or a poor clinical fit the site does not
                // place in, is no edge.
                if !c.usable(left, allow_poor) {
                    continue;
                }
                let node = *g.column.entry(c.program).or_insert_with(|| {
                    order.push(c.program);
                    order.len() - 1
                });
                edges.push((node, g.cost(c.score, pos)));
                idx.push(pos);
            }
            g.problem.edges.push(edges);
            g.back.push(idx);
        }
        g.problem.caps = order.iter().map(|&p| left[p]).collect();
        // Leaving a member unplaced costs more than any difference between
        // two placements' sums of edge costs: the most placed come first.
        g.problem.unplaced = (members.len() as i128 + 1) * g.cost(0.0, deepest) + 1;
        g
    }

    /// The cost of a candidate with `score` at place `pos` (0 first) in its
    /// member's list: whole millionths of score short of 1, each worth more
    /// than any sum of places.
    pub(super) fn cost(&self, score: f64, pos: usize) -> i128 {
        i128::from(SCALE - units(score)) * self.w + pos as i128
    }

    /// Each member's candidate index from the columns `assigned`.
    pub(super) fn chosen(&self, assigned: &[Option<usize>]) -> Vec<Option<usize>> {
        assigned
            .iter()
            .enumerate()
            .map(|(i, col)| {
                col.map(|n| {
                    let e = self.problem.edges[i]
                        .iter()
                        .position(|e| e.0 == n)
                        .unwrap_or(0);
                    self.back[i][e]
                })
            })
            .collect()
    }

    /// Check 1: whether member `i` (ranked `r`) needs no program below its
    /// cut, from its price alone.
    fn covered_by_price(&self, i: usize, r: &Ranked, s: &sparse::Solution) -> bool {
        if !r.truncated() {
            return true;
        }
        // The cheapest edge below the cut: a score no higher than the last
        // candidate's, one place further down; a column's price is never
        // negative.
        let last = r.candidates.last().map_or(1.0, |c| c.score);
        s.row_price[i] <= self.cost(last, r.candidates.len())
    }

    /// Check 2: whether member `i` (ranked `r`) needs none of the programs
    /// `open` lists below its cut (`open`: its ranking among the programs
    /// with a slot left when the tier began, so every program there is one).
    fn covered_by_open(
        &self,
        i: usize,
        r: &Ranked,
        open: &[Open],
        s: &sparse::Solution,
        allow_poor: bool,
    ) -> bool {
        let listed: BTreeSet<usize> = r.candidates.iter().map(|c| c.program).collect();
        let cut = r.candidates.len();
        open.iter()
            .filter(|c| !listed.contains(&c.program) && (allow_poor || !c.poor_fit))
            .all(|c| {
                // A program no member lists has every slot left: price 0.
                let price = self.column.get(&c.program).map_or(0, |&n| s.col_price[n]);
                s.row_price[i] - price <= self.cost(c.score, cut)
            })
    }
}

/// Places the tier `members` (in id order) in the slots `left`: the most
/// placed, then the highest total score in millionths, then the smallest sum
/// of choice ranks, over every eligible program. Ranks members deeper
/// (replacing their entries in `ranked`) until the certificate covers the
/// cut. Returns each member's candidate index.
pub(super) fn place(
    ranker: &Ranker<'_>,
    members: &[usize],
    ranked: &mut [Ranked],
    left: &[u32],
    allow_poor: bool,
) -> Result<Vec<Option<usize>>, Error> {
    // The programs with a slot left, and their directory once it is built.
    let open: Vec<usize> = (0..left.len()).filter(|&p| left[p] > 0).collect();
    let mut open_dir: Option<Directory> = None;
    // Each member's ranking there, read once a tier (it does not change).
    let mut open_lists: BTreeMap<usize, Vec<Open>> = BTreeMap::new();
    loop {
        let graph = Graph::new(members, ranked, left, allow_poor);
        let solution = sparse::solve(&graph.problem);
        let chosen = graph.chosen(&solution.assigned);
        let suspects: Vec<usize> = (0..members.len())
            .filter(|&i| !graph.covered_by_price(i, &ranked[members[i]], &solution))
            .collect();
        if suspects.is_empty() {
            return Ok(chosen);
        }
        if open_dir.is_none() && suspects.len() * PROGRAMS_PER_CHECK >= open.len() {
            open_dir = Some(ranker.dir.subset(&open)?);
        }
        let deeper: Vec<usize> = match &open_dir {
            Some(sub) => {
                let jobs: Vec<(usize, usize)> = suspects
                    .iter()
                    .map(|&i| (members[i], sub.len()))
                    .filter(|(m, _)| !open_lists.contains_key(m))
                    .collect();
                for (&(m, _), f) in jobs.iter().zip(ranker.rank_jobs(sub, Some(&open), &jobs)) {
                    open_lists.insert(m, f?.candidates.iter().map(Open::from).collect());
                }
                let covered = |i: usize| {
                    let m = members[i];
                    let open = open_lists.get(&m).map_or(&[][..], Vec::as_slice);
                    graph.covered_by_open(i, &ranked[m], open, &solution, allow_poor)
                };
                suspects
                    .iter()
                    .filter(|&&i| !covered(i))
                    .map(|&i| members[i])
                    .collect()
            }
            None => suspects.iter().map(|&i| members[i]).collect(),
        };
        if deeper.is_empty() {
            return Ok(chosen);
        }
        rank_deeper(ranker, ranked, &deeper)?;
    }
}
