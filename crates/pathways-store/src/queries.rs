//! Queries over releases. Each returns `Result<_, DbErr>`.

pub mod codes;
pub mod counts;
pub mod history;
pub mod notify;
pub mod outbox;
pub mod publish;
pub mod read;
pub mod releases;
pub mod schedule;
pub mod search;
pub mod write;
