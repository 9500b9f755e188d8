//! Problems found in content: data first, rendering is the caller's business.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// What kind of problem this is. Each has a stable code for machines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub enum Code {
    /// The file could not be read.
    Io,
    /// The file is larger than the configured limit.
    TooLarge,
    /// The file holds nothing.
    Empty,
    /// The file is not UTF-8.
    Utf8,
    /// The file is not well-formed YAML or JSON.
    Syntax,
    /// No schema fits this file.
    UnknownFileKind,
    /// A JSON Schema keyword failed; the keyword is kept (`required`, `pattern`, ...).
    Schema(String),
    /// Two things of one kind share a slug.
    DuplicateSlug,
    /// A reference names nothing.
    DanglingReference,
    /// A pathway step sits at a lower level than the one before it.
    LevelGoesDown,
    /// A step at another level than its role.
    LevelMismatch,
    /// A route with no stages.
    RouteWithoutStages,
    /// A text that is empty once white space is removed.
    EmptyText,
    /// Text still carrying the page export's glue (`Level 2Direct...`, `route...`).
    ExportArtefact,
    /// One role displayed under titles that differ only in case or spacing.
    TitleVariant,
    /// A line of a page export that does not read as the format says.
    PageFormat,
}

impl Code {
    pub fn as_str(&self) -> String {
        let tail = match self {
            Code::Io => "io",
            Code::TooLarge => "too-large",
            Code::Empty => "empty-file",
            Code::Utf8 => "utf8",
            Code::Syntax => "syntax",
            Code::UnknownFileKind => "unknown-file-kind",
            Code::Schema(keyword) => return format!("pathways::schema::{keyword}"),
            Code::DuplicateSlug => "rule::duplicate-slug",
            Code::DanglingReference => "rule::dangling-reference",
            Code::LevelGoesDown => "rule::level-goes-down",
            Code::LevelMismatch => "rule::level-mismatch",
            Code::RouteWithoutStages => "rule::route-without-stages",
            Code::EmptyText => "rule::empty-text",
            Code::ExportArtefact => "rule::export-artefact",
            Code::TitleVariant => "rule::title-variant",
            Code::PageFormat => "page::format",
        };
        format!("pathways::{tail}")
    }
}

impl From<Code> for String {
    fn from(code: Code) -> String {
        code.as_str()
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str())
    }
}

/// Where a problem is: a file, a 1-based line and column (in characters),
/// the byte range for renderers, and the JSON Pointer of the value when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// Byte offset into the file, for renderers that underline a span.
    pub offset: usize,
    pub length: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    #[serde(flatten)]
    pub location: Location,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Problem {
    pub fn error(code: Code, location: Location, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            code,
            message: message.into(),
            location,
            schema_path: None,
            help: None,
        }
    }

    pub fn warning(code: Code, location: Location, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(code, location, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = &self.location;
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {severity}[{}]: {}",
            l.file, l.line, l.column, self.code, self.message
        )?;
        if let Some(pointer) = &l.pointer {
            write!(f, " (at {pointer})")?;
        }
        Ok(())
    }
}

/// Every problem one run found, in the order files and rules found them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Problems(Vec<Problem>);

impl Problems {
    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    pub fn extend(&mut self, problems: impl IntoIterator<Item = Problem>) {
        self.0.extend(problems);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Problem::is_error)
    }

    pub fn errors(&self) -> usize {
        self.0.iter().filter(|p| p.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.0.len() - self.errors()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Problem> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Orders problems by file, then position, so output is stable across runs.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.location.file, a.location.line, a.location.column).cmp(&(
                &b.location.file,
                b.location.line,
                b.location.column,
            ))
        });
    }
}

impl IntoIterator for Problems {
    type Item = Problem;
    type IntoIter = std::vec::IntoIter<Problem>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Problems {
    type Item = &'a Problem;
    type IntoIter = std::slice::Iter<'a, Problem>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
