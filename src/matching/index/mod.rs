//! The compiled producer of facts: programs compiled once into rows
//! ([`Rows`]: bitmasks and small integers in slots), the compiled query
//! (one patient in the rows' terms), the partitions and tallies that let a
//! ranking skip programs unread, the compact program store, and the
//! [`Index`] that reads them for one query. The directory
//! ([`crate::matching::Directory`]) owns the rows, partitions and store and
//! keeps them up to date; the index borrows them.
//!
//! | file | holds |
//! | --- | --- |
//! | `store.rs` | the programs, encoded compactly, decoded on demand |
//! | `partition.rs` | positions by grid cell, licensed telehealth state and levels; the filter tallies |
//! | `screens.rs` | bit sets by value for the filters a ranking without a place screens by |
//! | `rows.rs` | compiling a program into its rows; slots; updates; the side arrays |
//! | `compiled.rs` | the compiled query and its one rule per filter |
//! | `source.rs` | [`Index`]: eligibility, plans, exclusion counts and criterion facts from the rows |
//! | `snapshot.rs` | the snapshot format: the store and the rows written as arrays and read back, checked |

mod compiled;
mod partition;
mod rows;
mod screens;
mod snapshot;
mod source;
mod store;

pub(crate) use partition::Parts;
pub(crate) use rows::{Rows, narrow};
pub(crate) use snapshot::{Loaded, View, read as read_snapshot, write as write_snapshot};
pub(crate) use source::Index;
pub use source::Scan;
pub(crate) use store::Store;
