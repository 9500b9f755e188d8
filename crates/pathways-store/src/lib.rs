#![doc = include_str!("../README.md")]

pub mod address;
pub mod connection;
pub mod entities;
pub mod error;
pub mod listen;
pub mod migrations;
pub mod queries;

pub use connection::{
    connect, connect_with, open_existing, setup_lock, Existing, SetupLock, DEFAULT_DATABASE_URL,
    SETUP_LOCK_TIMEOUT,
};
pub use error::StoreError;
pub use sea_orm::{DatabaseConnection, DbErr};
