#![doc = include_str!("../README.md")]

pub mod content;
pub mod corpus;
pub mod diagnostic;
pub mod load;
pub mod model;
pub mod page;
pub mod plan;
pub mod rules;
pub mod schema;
pub mod source;
pub mod text;
pub mod yaml;
pub mod yaml_writer;

use content::ContentSet;
use diagnostic::Problems;
use pathways_model::Release;
use source::Limits;
use std::path::PathBuf;

/// The outcome of the three validation stages over some paths.
#[derive(Debug)]
pub struct Validation {
    pub content: ContentSet,
    pub problems: Problems,
    pub files: usize,
}

impl Validation {
    pub fn is_valid(&self) -> bool {
        !self.problems.has_errors()
    }

    /// The release this content makes, when it is valid.
    pub fn plan(&self) -> Option<Release> {
        self.is_valid().then(|| plan::build(&self.content))
    }
}

/// Runs syntax, schema and content-rule checks over files and folders,
/// collecting every problem.
pub fn validate(paths: &[PathBuf], limits: Limits) -> Validation {
    let (content, problems) = load::load(paths, limits);
    finish(content, problems)
}

/// [`validate`] over files already in memory.
pub fn validate_sources(sources: Vec<source::SourceFile>) -> Validation {
    let (content, problems) = load::load_sources(sources);
    finish(content, problems)
}

fn finish(content: ContentSet, mut problems: Problems) -> Validation {
    problems.extend(rules::check(&content));
    problems.sort();
    let files = content.files.len();
    Validation {
        content,
        problems,
        files,
    }
}
