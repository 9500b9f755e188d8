//! The API's object types. Each holds an index into the request's snapshot and
//! reads it directly: no SQL, no loaders.

mod profession;
mod release;
mod role;
mod search;

pub use profession::{Level, PathwayStep, Profession};
pub use release::{Page, Release};
pub use role::{Role, Route};
pub use search::SearchHit;

/// A count as GraphQL's `Int` holds it.
fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}
