//! Queries over releases. Each returns `Result<_, DbErr>`; none builds SQL by hand.

pub mod batch;
pub mod content;
pub mod counts;
pub mod read;
pub mod search;
pub mod write;
