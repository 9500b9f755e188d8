#![doc = include_str!("../README.md")]

pub mod block;
pub mod codes;
pub mod description;
pub mod diff;
pub mod level;
pub mod purge;
pub mod release;

pub use block::{Block, ListBlock, ListKind};
pub use codes::{CodeScheme, OccupationCode};
pub use description::{ListedRelease, ReleaseDescription, ReleaseStatus};
pub use level::{Level, LevelError};
pub use release::{Counts, Page, Profession, Release, Role, Route, RouteStage, Stage, Step};
