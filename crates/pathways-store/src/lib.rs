#![doc = include_str!("../README.md")]

pub mod connection;
pub mod entities;
pub mod error;
pub mod migrations;
pub mod queries;

pub use connection::{connect, DEFAULT_DATABASE_URL};
pub use error::StoreError;
/// Content blocks as stored: the server renders them without knowing where they came from.
pub use pathways_ingest::model::{Block, ListKind};
pub use sea_orm::{DatabaseConnection, DbErr};
