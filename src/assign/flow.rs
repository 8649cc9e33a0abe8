//! Minimum-cost maximum flow on a bipartite graph with capacities:
//! referrals on the left (one unit each), programs on the right (their open
//! slots), by successive shortest paths with Dijkstra and node potentials.
//!
//! Written here rather than taken from a crate: `pathfinding`'s
//! `kuhn_munkres` wants a dense matrix with every row assigned and no
//! capacities (slots would be copied into columns: 1,000 x 30,000 cells),
//! and `mcmf` binds LEMON's network simplex in C++ (a C++ toolchain at build
//! time, last released 2018). This is about 150 lines, tested against
//! exhaustive search below.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// One bipartite problem: `edges[l]` lists (right node, cost) for left node
/// `l`; `caps[r]` is right node `r`'s capacity. Costs must be non-negative.
#[derive(Debug, Clone, Default)]
pub(crate) struct Bipartite {
    pub(crate) edges: Vec<Vec<(usize, i128)>>,
    pub(crate) caps: Vec<u32>,
}

#[derive(Debug, Clone, Copy)]
struct Edge {
    to: usize,
    cap: u32,
    cost: i128,
    rev: usize,
}

struct Graph {
    adj: Vec<Vec<Edge>>,
}

impl Graph {
    fn add(&mut self, from: usize, to: usize, cap: u32, cost: i128) {
        let (rf, rt) = (self.adj[to].len(), self.adj[from].len());
        self.adj[from].push(Edge {
            to,
            cap,
            cost,
            rev: rf,
        });
        self.adj[to].push(Edge {
            to: from,
            cap: 0,
            cost: -cost,
            rev: rt,
        });
    }
}

/// A solved problem: the assignment and what proves it optimal.
#[derive(Debug, Clone)]
pub(crate) struct Solution {
    /// `assigned[l]`: the right node of left node `l`, if any.
    pub(crate) assigned: Vec<Option<usize>>,
    /// Whether left node `l` can still be reached from the source in the
    /// final residual graph (an unmatched node, or one a chain of
    /// reassignments from an unmatched node could move).
    pub(crate) reachable: Vec<bool>,
    /// `slack[l]`: the node potential of `l` less the sink's. An edge not
    /// in the problem from `l` at cost `c` could lower the total cost only
    /// if `c + slack[l] < 0` (every other node's potential is at most the
    /// sink's, so this bounds its reduced cost from below).
    pub(crate) slack: Vec<i128>,
}

/// The assignment with the most left nodes matched and, among those, the
/// least total cost.
///
/// Deterministic: Dijkstra's queue is ordered by (distance, node number),
/// and edges are read in the order given, so equal-cost optima are chosen
/// the same way every time.
#[cfg(test)]
pub(crate) fn min_cost_max_flow(p: &Bipartite) -> Vec<Option<usize>> {
    solve(p).assigned
}

/// [`min_cost_max_flow`] with its optimality certificate ([`Solution`]).
pub(crate) fn solve(p: &Bipartite) -> Solution {
    let (nl, nr) = (p.edges.len(), p.caps.len());
    let (source, sink) = (0, nl + nr + 1);
    let n = nl + nr + 2;
    let mut g = Graph {
        adj: vec![Vec::new(); n],
    };
    for l in 0..nl {
        g.add(source, 1 + l, 1, 0);
        for &(r, cost) in &p.edges[l] {
            debug_assert!(cost >= 0 && r < nr);
            g.add(1 + l, 1 + nl + r, 1, cost);
        }
    }
    for (r, &cap) in p.caps.iter().enumerate() {
        if cap > 0 {
            g.add(1 + nl + r, sink, cap, 0);
        }
    }
    // All costs are non-negative, so zero potentials start valid.
    let mut pot = vec![0i128; n];
    let mut dist = vec![i128::MAX; n];
    let mut done = vec![false; n];
    let mut prev: Vec<(usize, usize)> = vec![(usize::MAX, 0); n];
    let mut touched: Vec<usize> = Vec::new();
    let mut heap = BinaryHeap::new();
    loop {
        for &v in &touched {
            dist[v] = i128::MAX;
            done[v] = false;
        }
        touched.clear();
        heap.clear();
        dist[source] = 0;
        touched.push(source);
        heap.push(Reverse((0i128, source)));
        let mut reached = None;
        while let Some(Reverse((d, u))) = heap.pop() {
            if done[u] || d > dist[u] {
                continue;
            }
            done[u] = true;
            if u == sink {
                reached = Some(d);
                break;
            }
            for (ei, e) in g.adj[u].iter().enumerate() {
                if e.cap == 0 {
                    continue;
                }
                let nd = d + e.cost + pot[u] - pot[e.to];
                if nd < dist[e.to] {
                    if dist[e.to] == i128::MAX {
                        touched.push(e.to);
                    }
                    dist[e.to] = nd;
                    prev[e.to] = (u, ei);
                    heap.push(Reverse((nd, e.to)));
                }
            }
        }
        let Some(reach) = reached else { break };
        // Potentials stay valid when nodes not settled take the sink's distance.
        for (v, p) in pot.iter_mut().enumerate() {
            *p += if done[v] { dist[v] } else { reach };
        }
        let mut v = sink;
        while v != source {
            let (u, ei) = prev[v];
            let rev = g.adj[u][ei].rev;
            g.adj[u][ei].cap -= 1;
            g.adj[v][rev].cap += 1;
            v = u;
        }
    }
    // The last search, which did not reach the sink, settled every node
    // reachable from the source.
    Solution {
        assigned: (0..nl)
            .map(|l| {
                g.adj[1 + l]
                    .iter()
                    .find(|e| e.to > nl && e.to <= nl + nr && e.cap == 0)
                    .map(|e| e.to - 1 - nl)
            })
            .collect(),
        reachable: (0..nl).map(|l| done[1 + l]).collect(),
        slack: (0..nl).map(|l| pot[1 + l] - pot[sink]).collect(),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every assignment, by brute force: the most matched, then the least cost.
    pub(in crate::assign) fn exhaustive(p: &Bipartite) -> (usize, i128) {
        fn go(
            p: &Bipartite,
            l: usize,
            caps: &mut Vec<u32>,
            n: usize,
            c: i128,
            best: &mut (usize, i128),
        ) {
            if l == p.edges.len() {
                if n > best.0 || (n == best.0 && c < best.1) {
                    *best = (n, c);
                }
                return;
            }
            go(p, l + 1, caps, n, c, best);
            for &(r, cost) in &p.edges[l] {
                if caps[r] > 0 {
                    caps[r] -= 1;
                    go(p, l + 1, caps, n + 1, c + cost, best);
                    caps[r] += 1;
                }
            }
        }
        let mut best = (0, 0);
        go(p, 0, &mut p.caps.clone(), 0, 0, &mut best);
        best
    }

    /// The number matched and the cost of `a`, checked against the capacities.
    pub(in crate::assign) fn value(p: &Bipartite, a: &[Option<usize>]) -> (usize, i128) {
        let mut used = vec![0u32; p.caps.len()];
        let mut cost = 0;
        for (l, r) in a.iter().enumerate() {
            if let Some(r) = *r {
                used[r] += 1;
                cost += p.edges[l].iter().find(|e| e.0 == r).map(|e| e.1).unwrap();
            }
        }
        for (u, c) in used.iter().zip(&p.caps) {
            assert!(u <= c, "over capacity");
        }
        (a.iter().flatten().count(), cost)
    }

    #[test]
    fn an_empty_problem_places_no_one() {
        assert!(min_cost_max_flow(&Bipartite::default()).is_empty());
    }

    #[test]
    fn a_cheaper_referral_wins_the_only_slot_when_both_cannot_be_placed() {
        // The order-by-order Hungarian method gets this wrong.
        let p = Bipartite {
            edges: vec![vec![(0, 9)], vec![(0, 1)]],
            caps: vec![1],
        };
        assert_eq!(min_cost_max_flow(&p), vec![None, Some(0)]);
    }

    #[test]
    fn moving_one_referral_to_its_second_choice_places_both() {
        let p = Bipartite {
            edges: vec![vec![(0, 1), (1, 5)], vec![(0, 2)]],
            caps: vec![1, 1],
        };
        assert_eq!(min_cost_max_flow(&p), vec![Some(1), Some(0)]);
    }

    #[test]
    fn zero_capacity_takes_no_one() {
        let p = Bipartite {
            edges: vec![vec![(0, 1)], vec![(0, 1)]],
            caps: vec![0],
        };
        assert_eq!(min_cost_max_flow(&p), vec![None, None]);
    }

    fn problem() -> impl Strategy<Value = Bipartite> {
        (1usize..=4, 0usize..=6).prop_flat_map(|(nr, nl)| {
            (
                proptest::collection::vec(0u32..=2, nr),
                proptest::collection::vec(
                    proptest::collection::btree_map(0..nr, 0i128..20, 0..=nr),
                    nl,
                ),
            )
                .prop_map(|(caps, edges)| Bipartite {
                    caps,
                    edges: edges.into_iter().map(|m| m.into_iter().collect()).collect(),
                })
        })
    }

    proptest! {
        #[test]
        fn the_flow_equals_exhaustive_search(p in problem()) {
            let got = value(&p, &min_cost_max_flow(&p));
            prop_assert_eq!(got, exhaustive(&p));
        }
    }
}
