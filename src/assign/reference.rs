//! The solver the assignment used before [`super::tier`] (only with the
//! `testing` feature, for the tests that hold the two to the same optimum):
//! a minimum-cost maximum flow by successive shortest paths, each search
//! starting from every unplaced member at once ([`super::flow`]), solved
//! again from the start after each deeper ranking; a member is ranked deeper
//! when a chain of moves from an unplaced member reaches it or its potential
//! leaves room below its last candidate's cost. Exact, and quadratic in a
//! tier's size: 12.3 s for 10,000 referrals over 30,000 programs.

use super::tier::Graph;
use super::{Ranked, Ranker, flow, rank_deeper};
use crate::error::Error;

/// Places the tier `members` (in id order) in the slots `left` as the
/// assignment did before; see the module documentation.
pub(super) fn place_tier(
    ranker: &Ranker<'_>,
    members: &[usize],
    ranked: &mut [Ranked],
    left: &[u32],
    allow_poor: bool,
) -> Result<Vec<Option<usize>>, Error> {
    loop {
        let (solution, deeper) = solve_tier(members, ranked, left, allow_poor);
        if deeper.is_empty() {
            return Ok(solution);
        }
        rank_deeper(ranker, ranked, &deeper)?;
    }
}

/// Each member's candidate index, and the members whose lists were cut
/// where the flow's certificate cannot rule out a better placement below
/// the cut.
fn solve_tier(
    members: &[usize],
    ranked: &[Ranked],
    left: &[u32],
    allow_poor: bool,
) -> (Vec<Option<usize>>, Vec<usize>) {
    let graph = Graph::new(members, ranked, left, allow_poor);
    let problem = flow::Bipartite {
        edges: graph.problem.edges.clone(),
        caps: graph.problem.caps.clone(),
    };
    let solved = flow::solve(&problem);
    let chosen = graph.chosen(&solved.assigned);
    let deeper = members
        .iter()
        .enumerate()
        .filter(|&(i, &m)| {
            let r = &ranked[m];
            if !r.truncated() {
                return false;
            }
            let last = r.candidates.last().map_or(1.0, |c| c.score);
            solved.reachable[i] || graph.cost(last, r.candidates.len()) + solved.slack[i] < 0
        })
        .map(|(_, &m)| m)
        .collect();
    (chosen, deeper)
}
