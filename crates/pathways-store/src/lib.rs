#![doc = include_str!("../README.md")]

pub mod connection;
pub mod entities;
pub mod error;
pub mod migrations;
pub mod queries;

pub use connection::{connect, open_existing, Existing, DEFAULT_DATABASE_URL};
pub use error::StoreError;
pub use sea_orm::{DatabaseConnection, DbErr};
