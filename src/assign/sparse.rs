//! The assignment's solver: a minimum-cost assignment on the sparse
//! bipartite graph of referrals (rows, one unit each) and their candidate
//! programs (columns, their open slots), by shortest augmenting paths one
//! row at a time (the Hungarian method in the sparse form of Jonker and
//! Volgenant, 1987), with dual prices that certify the optimum.
//!
//! # The problem
//!
//! Every row is assigned: to a column on one of its edges (cost `c`), or to
//! the "unplaced" column, which has no capacity limit and costs
//! [`Bipartite`]'s `unplaced` for every row. With `unplaced` larger than any
//! difference between two sums of edge costs over the rows, the minimum
//! total cost places the most rows and, among those placements, has the
//! least sum of edge costs: the assignment's objective (see the parent
//! module's "Exactness").
//!
//! # The method
//!
//! Row prices `alpha` and column prices `beta >= 0` are kept dual feasible
//! (`alpha[l] - beta[r] <= c` on every edge, `alpha[l] <= unplaced`) and
//! tight on every assigned edge, and only a full column has a positive
//! price. Rows are added one at a time, in the order given: Dijkstra's
//! search from the new row over reduced costs `c - alpha + beta` (never
//! negative) follows alternating paths (a full column leads on to the rows
//! it holds, each of which may move to another of its columns) until it
//! settles a column with a slot left, or the unplaced column; the path is
//! flipped and the prices of the settled columns and their rows are raised
//! by how far they were from the end, which keeps every invariant. When a
//! row is added the assignment so far is a minimum-cost one for the rows so
//! far (an augmenting path from the new row is the only way the optimum can
//! change), so after the last row it is optimal, and the prices are a
//! certificate: linear-programming duality with complementary slackness.
//!
//! # Cost
//!
//! Each row costs one search: `O(E' log V')` over the part of the graph it
//! settles, which is the alternating tree closer than its end. Where a row's
//! first choices have slots, the search settles a few columns; where slots
//! are contested, the prices of full columns rise to what the rows competing
//! for them would give up, so the search reaches a free slot, or the
//! cheapest row to leave unplaced, through a few alternating steps. The
//! worst case is `O(n E log V)` for `n` rows and `E` edges (every search
//! settling the whole graph), as for the solver it replaces, which paid that
//! on every augmentation from the start (every unassigned row at once).
//! Memory is `O(n + E + m)` for `m` columns.
//!
//! # Certificate
//!
//! The prices prove the assignment optimal over **every** edge, including
//! edges not in the problem: an edge from row `l` to column `r` at cost `c`
//! could improve it only if `alpha[l] - beta[r] > c`, and `beta[r]` is 0
//! for a column not in the problem (it has every slot left). So a row whose
//! price is at most the cost of its cheapest edge left out needs no more
//! edges, and the caller ranks deeper only the rows for which that fails.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// One bipartite problem: `edges[l]` lists (column, cost) for row `l`;
/// `caps[r]` is column `r`'s capacity; a row left unplaced costs
/// `unplaced`. Costs must be non-negative and below `unplaced`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Bipartite {
    pub(crate) edges: Vec<Vec<(usize, i128)>>,
    pub(crate) caps: Vec<u32>,
    pub(crate) unplaced: i128,
}

/// A solved problem: the assignment and the prices that prove it optimal.
#[derive(Debug, Clone)]
pub(crate) struct Solution {
    /// `assigned[l]`: the column of row `l`, if it is placed.
    pub(crate) assigned: Vec<Option<usize>>,
    /// Each row's price (`alpha`): the cost of its own edge plus its
    /// column's price for a placed row, `unplaced` for a row not placed.
    pub(crate) row_price: Vec<i128>,
    /// Each column's price (`beta`, never negative; 0 unless it is full).
    pub(crate) col_price: Vec<i128>,
}

/// A column in the search: a real one, or the unplaced column (`m`, after
/// the real ones).
type Col = u32;

/// The minimum-cost assignment of every row (placed or unplaced), with its
/// prices; see the module documentation.
///
/// Deterministic: rows are added in the order given, the search's queue is
/// ordered by (distance, column number), and a column keeps the first row
/// that reached it at its final distance, so ties between equal optima are
/// settled the same way every time.
pub(crate) fn solve(p: &Bipartite) -> Solution {
    let (n, m) = (p.edges.len(), p.caps.len());
    let unplaced_col = m as Col;
    let big = p.unplaced;
    let mut alpha = vec![0i128; n];
    let mut beta = vec![0i128; m + 1];
    // Each row's column (`unplaced_col` when not placed; rows not yet added
    // are never read), and the rows each real column holds.
    let mut at: Vec<Col> = vec![unplaced_col; n];
    let mut holds: Vec<Vec<u32>> = vec![Vec::new(); m];
    let mut s = Search::new(m + 1);
    let mut reached_rows: Vec<(u32, i128)> = Vec::new();
    for l in 0..n {
        // The new row's price: its cheapest edge at today's prices.
        let a = p.edges[l]
            .iter()
            .map(|&(r, c)| c + beta[r])
            .fold(big, i128::min);
        alpha[l] = a;
        for &(r, c) in &p.edges[l] {
            s.relax(r as Col, c - a + beta[r], l as u32);
        }
        s.relax(unplaced_col, big - a, l as u32);
        let mut end = None;
        while let Some(Reverse((d, col))) = s.heap.pop() {
            let c = col as usize;
            if s.done[c] || d > s.dist[c] {
                continue;
            }
            s.done[c] = true;
            s.settled.push(col);
            if col == unplaced_col || (holds[c].len() as u32) < p.caps[c] {
                end = Some((col, d));
                break;
            }
            // A full column: each row it holds may move on, at no cost to
            // reach (its edge here is tight).
            for &i in &holds[c] {
                reached_rows.push((i, d));
                let iu = i as usize;
                for &(r, cost) in &p.edges[iu] {
                    if r != c {
                        s.relax(r as Col, d + cost - alpha[iu] + beta[r], i);
                    }
                }
                s.relax(unplaced_col, d + big - alpha[iu], i);
            }
        }
        // The unplaced column is always reachable from the new row.
        let (end_col, dstar) = end.unwrap_or((unplaced_col, big - a));
        // Prices: each settled column and each row reached through one rise
        // by how far short of the end they were; the new row by the whole way.
        for &col in &s.settled {
            let c = col as usize;
            if col != unplaced_col {
                beta[c] += dstar - s.dist[c];
            }
        }
        for &(i, d) in &reached_rows {
            alpha[i as usize] += dstar - d;
        }
        alpha[l] += dstar;
        // Flip the path: from the end back to the new row.
        let mut col = end_col;
        loop {
            let row = s.via[col as usize];
            let from = (row as usize != l).then(|| at[row as usize] as usize);
            if let Some(f) = from
                && let Some(k) = holds[f].iter().position(|&x| x == row)
            {
                holds[f].swap_remove(k);
            }
            if col != unplaced_col {
                holds[col as usize].push(row);
            }
            at[row as usize] = col;
            match from {
                None => break,
                Some(f) => col = f as Col,
            }
        }
        s.reset();
        reached_rows.clear();
    }
    beta.truncate(m);
    Solution {
        assigned: at
            .iter()
            .map(|&c| (c != unplaced_col).then_some(c as usize))
            .collect(),
        row_price: alpha,
        col_price: beta,
    }
}

/// One search's state over the columns, reset through `touched`.
struct Search {
    dist: Vec<i128>,
    done: Vec<bool>,
    /// The row that reached each column at its distance.
    via: Vec<u32>,
    touched: Vec<Col>,
    settled: Vec<Col>,
    heap: BinaryHeap<Reverse<(i128, Col)>>,
}

impl Search {
    fn new(cols: usize) -> Search {
        Search {
            dist: vec![i128::MAX; cols],
            done: vec![false; cols],
            via: vec![0; cols],
            touched: Vec::new(),
            settled: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// Column `col` reached at distance `d` from `row`, if that is closer.
    fn relax(&mut self, col: Col, d: i128, row: u32) {
        let c = col as usize;
        if d < self.dist[c] {
            if self.dist[c] == i128::MAX {
                self.touched.push(col);
            }
            self.dist[c] = d;
            self.via[c] = row;
            self.heap.push(Reverse((d, col)));
        }
    }

    fn reset(&mut self) {
        for &col in &self.touched {
            self.dist[col as usize] = i128::MAX;
            self.done[col as usize] = false;
        }
        self.touched.clear();
        self.settled.clear();
        self.heap.clear();
    }
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    use super::super::flow::{
        self,
        tests::{exhaustive, value},
    };
    use super::*;
    use proptest::prelude::*;

    /// The problem without its unplaced cost, as the old solver's tests read it.
    fn as_flow(p: &Bipartite) -> flow::Bipartite {
        flow::Bipartite {
            edges: p.edges.clone(),
            caps: p.caps.clone(),
        }
    }

    /// The prices are dual feasible and complementary to the assignment.
    fn certificate_holds(p: &Bipartite, s: &Solution) -> bool {
        let mut load = vec![0u32; p.caps.len()];
        for r in s.assigned.iter().flatten() {
            load[*r] += 1;
        }
        let feasible = p.edges.iter().enumerate().all(|(l, es)| {
            s.row_price[l] <= p.unplaced
                && es
                    .iter()
                    .all(|&(r, c)| s.row_price[l] - s.col_price[r] <= c)
        });
        let tight = s.assigned.iter().enumerate().all(|(l, a)| match a {
            Some(r) => {
                let c = p.edges[l].iter().find(|e| e.0 == *r).map(|e| e.1).unwrap();
                s.row_price[l] - s.col_price[*r] == c
            }
            None => s.row_price[l] == p.unplaced,
        });
        let prices = (0..p.caps.len())
            .all(|r| s.col_price[r] >= 0 && (s.col_price[r] == 0 || load[r] == p.caps[r]));
        feasible && tight && prices
    }

    fn big(p: &Bipartite) -> i128 {
        let top = p.edges.iter().flatten().map(|e| e.1).max().unwrap_or(0);
        (p.edges.len() as i128 + 1) * (top + 1)
    }

    fn problem() -> impl Strategy<Value = Bipartite> {
        (1usize..=4, 0usize..=7).prop_flat_map(|(nr, nl)| {
            (
                proptest::collection::vec(0u32..=2, nr),
                proptest::collection::vec(
                    proptest::collection::btree_map(0..nr, 0i128..20, 0..=nr),
                    nl,
                ),
            )
                .prop_map(|(caps, edges)| {
                    let mut p = Bipartite {
                        caps,
                        edges: edges.into_iter().map(|m| m.into_iter().collect()).collect(),
                        unplaced: 0,
                    };
                    p.unplaced = big(&p);
                    p
                })
        })
    }

    #[test]
    fn an_empty_problem_places_no_one() {
        assert!(solve(&Bipartite::default()).assigned.is_empty());
    }

    #[test]
    fn a_cheaper_row_wins_the_only_slot_when_both_cannot_be_placed() {
        let mut p = Bipartite {
            edges: vec![vec![(0, 9)], vec![(0, 1)]],
            caps: vec![1],
            unplaced: 0,
        };
        p.unplaced = big(&p);
        assert_eq!(solve(&p).assigned, vec![None, Some(0)]);
    }

    #[test]
    fn moving_one_row_to_its_second_choice_places_both() {
        let mut p = Bipartite {
            edges: vec![vec![(0, 1), (1, 5)], vec![(0, 2)]],
            caps: vec![1, 1],
            unplaced: 0,
        };
        p.unplaced = big(&p);
        assert_eq!(solve(&p).assigned, vec![Some(1), Some(0)]);
    }

    #[test]
    fn zero_capacity_takes_no_one() {
        let mut p = Bipartite {
            edges: vec![vec![(0, 1)], vec![(0, 1)]],
            caps: vec![0],
            unplaced: 0,
        };
        p.unplaced = big(&p);
        assert_eq!(solve(&p).assigned, vec![None, None]);
    }

    proptest! {
        #[test]
        fn the_assignment_equals_exhaustive_search_and_its_prices_prove_it(p in problem()) {
            let s = solve(&p);
            prop_assert_eq!(value(&as_flow(&p), &s.assigned), exhaustive(&as_flow(&p)));
            prop_assert!(certificate_holds(&p, &s), "{:?}", s);
        }
    }
}
