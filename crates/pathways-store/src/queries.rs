//! Queries over releases. Each returns `Result<_, DbErr>`.

pub mod counts;
pub mod read;
pub mod search;
pub mod write;
