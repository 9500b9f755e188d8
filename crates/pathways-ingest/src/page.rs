//! The page-export format: reading an export into structured content files
//! (`import-page`) and rendering a release back into the format (`export-page`).

pub mod glue;
mod import;
mod lines;
mod reader;
mod render;
mod vocabulary;

pub use import::{import, Imported};
pub use reader::{read, Export, ExportPathway, ExportStep};
pub use render::render;
pub use vocabulary::Vocabulary;
