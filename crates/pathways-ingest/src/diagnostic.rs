//! Problems found in content: data first, rendering is the caller's business.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Something done that a steward should know of; never a failure.
    Note,
}

/// What kind of problem this is. Each has a stable code for machines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub enum Code {
    /// The file could not be read.
    Io,
    /// A symbolic link back to a folder that contains it: not followed.
    LinkLoop,
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
    /// The first step of a pathway has an entry route, with no step before it.
    FirstStepEntryRoute,
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
    /// A route the page export uses, defined from its route line.
    RouteDefined,
    /// A check that could not judge something, and why (a note).
    CheckSkipped,
    /// Content with no page or no professions: nothing a release could hold.
    NothingToIngest,
}

impl Code {
    pub fn as_str(&self) -> String {
        let tail = match self {
            Code::Io => "io",
            Code::LinkLoop => "link-loop",
            Code::TooLarge => "too-large",
            Code::Empty => "empty-file",
            Code::Utf8 => "utf8",
            Code::Syntax => "syntax",
            Code::UnknownFileKind => "unknown-file-kind",
            Code::Schema(keyword) => return format!("pathways::schema::{keyword}"),
            Code::DuplicateSlug => "rule::duplicate-slug",
            Code::DanglingReference => "rule::dangling-reference",
            Code::FirstStepEntryRoute => "rule::first-step-entry-route",
            Code::LevelGoesDown => "rule::level-goes-down",
            Code::LevelMismatch => "rule::level-mismatch",
            Code::RouteWithoutStages => "rule::route-without-stages",
            Code::EmptyText => "rule::empty-text",
            Code::ExportArtefact => "rule::export-artefact",
            Code::TitleVariant => "rule::title-variant",
            Code::PageFormat => "page::format",
            Code::RouteDefined => "page::route-defined",
            Code::CheckSkipped => "check-skipped",
            Code::NothingToIngest => "nothing-to-ingest",
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

impl Location {
    /// The start of `path`: for problems with a whole file or folder.
    pub fn start_of(path: &std::path::Path) -> Location {
        Location {
            file: path.display().to_string(),
            line: 1,
            column: 1,
            ..Location::default()
        }
    }
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
            message: bounded(message.into()),
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

    pub fn note(code: Code, location: Location, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Note,
            ..Problem::error(code, location, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(bounded(help.into()));
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
            Severity::Note => "note",
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

/// The most characters of a value a message quotes.
pub const QUOTE_CHARS: usize = 120;
/// The most characters any message has: values are quoted cut to [`QUOTE_CHARS`],
/// and this is the backstop for whatever else could run long.
pub const MESSAGE_CHARS: usize = 500;

/// `text` as a message quotes it: whole when short, else its first
/// [`QUOTE_CHARS`] characters, `…` and how long it was.
pub fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTE_CHARS) {
        None => text.to_owned(),
        Some((end, _)) => format!("{}… ({} characters)", &text[..end], text.chars().count()),
    }
}

/// Names as a message lists them, `` `a`, `b` ``, cut like a quoted value:
/// `` `a`, `b`, … and 2,998 more ``.
pub fn list<S: AsRef<str>>(names: &[S]) -> String {
    let mut out = String::new();
    for (i, name) in names.iter().enumerate() {
        let item = format!("`{}`", quote(name.as_ref()));
        if i > 0 && out.chars().count() + item.chars().count() > QUOTE_CHARS {
            out.push_str(&format!(", … and {} more", names.len() - i));
            return out;
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&item);
    }
    out
}

/// A JSON value as a message quotes it: compact JSON cut like [`quote`], its
/// size counted without writing the whole value out.
pub fn quote_json(value: &serde_json::Value) -> String {
    struct Limited {
        text: Vec<u8>,
        total: usize,
    }
    impl std::io::Write for Limited {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            let room = (QUOTE_CHARS * 4 + 4).saturating_sub(self.text.len());
            self.text.extend_from_slice(&bytes[..bytes.len().min(room)]);
            self.total += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut out = Limited {
        text: Vec::new(),
        total: 0,
    };
    if serde_json::to_writer(&mut out, value).is_err() {
        return "a value".to_owned();
    }
    let text = String::from_utf8_lossy(&out.text);
    match text.char_indices().nth(QUOTE_CHARS) {
        None if out.total == out.text.len() => text.into_owned(),
        cut => {
            let end = cut.map_or(text.len(), |(end, _)| end);
            format!("{}… ({} bytes)", &text[..end], out.total)
        }
    }
}

/// `message` cut to [`MESSAGE_CHARS`], saying so.
fn bounded(message: String) -> String {
    match message.char_indices().nth(MESSAGE_CHARS - 40) {
        None => message,
        Some((end, _)) => format!(
            "{}… (message cut from {} characters)",
            &message[..end],
            message.chars().count()
        ),
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
        self.0
            .iter()
            .filter(|p| p.severity == Severity::Warning)
            .count()
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn short_values_are_quoted_whole() {
        assert_eq!(quote("Level 9"), "Level 9");
        assert_eq!(quote_json(&json!({"a": [1, 2]})), r#"{"a":[1,2]}"#);
        assert_eq!(list(&["a", "b"]), "`a`, `b`");
    }

    #[test]
    fn long_values_are_cut_with_their_size() {
        let long = "x".repeat(10_000);
        assert_eq!(
            quote(&long),
            format!("{}… (10000 characters)", "x".repeat(120))
        );
        let big = json!({ "k": long });
        let quoted = quote_json(&big);
        assert!(quoted.ends_with("… (10008 bytes)"), "{quoted}");
        assert!(quoted.chars().count() < 150);
        let names: Vec<String> = (0..300_000).map(|i| format!("key{i}")).collect();
        let listed = list(&names);
        assert!(listed.ends_with("more"), "{listed}");
        assert!(listed.chars().count() < 160, "{listed}");
    }

    #[test]
    fn no_message_runs_past_the_cap() {
        let problem = Problem::error(Code::Syntax, Location::default(), "y".repeat(100_000));
        assert!(problem.message.chars().count() <= MESSAGE_CHARS);
        assert!(problem
            .message
            .ends_with("(message cut from 100000 characters)"));
    }
}
