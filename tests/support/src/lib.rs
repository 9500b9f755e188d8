#![doc = include_str!("../README.md")]

pub mod command;
pub mod content;
pub mod databases;
pub mod http;
pub mod paths;
pub mod process;
pub mod server;
pub mod tools;

pub use command::{json, pathways};
pub use content::{changed_seeds, edited, plan_of, seeds_plan};
pub use databases::{each_db, row_counts, runtime, Connected};
pub use http::{Http, Response};
pub use paths::{copy_tree, fixtures, repo, seeds};
pub use process::Served;
pub use server::TestServer;
pub use tools::tool;
