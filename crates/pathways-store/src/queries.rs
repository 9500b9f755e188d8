//! Queries over releases. Each returns `Result<_, DbErr>`.

pub mod codes;
pub mod counts;
pub mod history;
pub mod publish;
pub mod read;
pub mod releases;
pub mod search;
pub mod webhooks;
pub mod write;
