//! Rendering problems for people (graphical, one line each, or narrated) and
//! for machines (JSON, GitHub workflow commands, SARIF, JUnit XML, Code
//! Climate). One problem, several renderers.

pub mod codeclimate;
pub mod github;
pub mod junit;
pub mod sarif;

use crate::commands::Format;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource,
    NarratableReportHandler,
};
use pathways_ingest::diagnostic::{Code, Problem, Problems, Severity};
use pathways_ingest::source::Limits;
use pathways_ingest::Validation;
use std::collections::HashMap;
use std::fmt;
use std::io::IsTerminal;

pub const EXIT_VALID: u8 = 0;
pub const EXIT_INVALID: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// Problems that are about reading at all (missing file, unreadable folder) make
/// the run a usage or I/O failure rather than invalid content.
pub fn exit_code(problems: &Problems) -> u8 {
    if problems.iter().any(|p| p.code == Code::Io) {
        EXIT_USAGE
    } else if problems.has_errors() {
        EXIT_INVALID
    } else {
        EXIT_VALID
    }
}

/// Human renderings of every problem, with a summary line. Only the graphical
/// and narrated renderings show source lines; they read a file again only if
/// it was read at all and is within `limits`, so `--max-file-size` holds here too.
pub fn human(problems: &Problems, format: Format, limits: Limits) -> String {
    let mut sources: HashMap<String, Option<String>> = HashMap::new();
    let graphical =
        format == Format::Graphical || (format == Format::Human && std::io::stdout().is_terminal());
    let shows_source = graphical || format == Format::Narrated;
    let mut out = String::new();
    for problem in problems {
        let text = if shows_source {
            sources
                .entry(problem.location.file.clone())
                .or_insert_with(|| source_of(problem, limits))
                .clone()
        } else {
            None
        };
        let diagnostic = Rendered {
            problem,
            source: text.map(|t| NamedSource::new(&problem.location.file, t)),
        };
        match format {
            Format::Narrated => {
                let _ = NarratableReportHandler::new().render_report(&mut out, &diagnostic);
            }
            _ if graphical => {
                let theme = if colour() {
                    GraphicalTheme::unicode()
                } else {
                    GraphicalTheme::unicode_nocolor()
                };
                let _ =
                    GraphicalReportHandler::new_themed(theme).render_report(&mut out, &diagnostic);
            }
            _ => {
                out.push_str(&problem.to_string());
                out.push('\n');
                if let Some(help) = &problem.help {
                    out.push_str(&format!("  help: {help}\n"));
                }
            }
        }
    }
    out
}

/// Colour only on a terminal, and never under `NO_COLOR` (no-color.org).
fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The text of a problem's file, to show lines of: never for a file that was
/// refused or could not be read, nor for one over the size limit.
fn source_of(problem: &Problem, limits: Limits) -> Option<String> {
    if matches!(
        problem.code,
        Code::Io | Code::TooLarge | Code::Utf8 | Code::LinkLoop
    ) {
        return None;
    }
    let path = std::path::Path::new(&problem.location.file);
    let size = std::fs::metadata(path).ok()?.len();
    if size > limits.max_file_size {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// What a command found: its problems, and the files it judged (JUnit makes
/// a test case of each).
pub struct Findings<'a> {
    /// The subcommand, naming the JUnit test suite: `validate`, `ingest`, `import-page`.
    pub command: &'static str,
    pub problems: &'a Problems,
    pub checked: &'a [String],
}

/// Prints the problems in `format` on standard output (nothing for JSON,
/// which each command prints whole).
pub fn print_problems(findings: &Findings, format: Format, limits: Limits) {
    let problems = findings.problems;
    match format {
        Format::Human | Format::Graphical | Format::Narrated => {
            out!("{}", human(problems, format, limits))
        }
        Format::Github => out!("{}", github::render(problems)),
        Format::Sarif => outln!(
            "{}",
            serde_json::to_string_pretty(&sarif::render(problems)).unwrap_or_default()
        ),
        Format::Junit => outln!(
            "{}",
            junit::render(findings.command, problems, findings.checked)
        ),
        Format::Codeclimate => outln!(
            "{}",
            serde_json::to_string_pretty(&codeclimate::render(problems)).unwrap_or_default()
        ),
        Format::Json => {}
    }
}

/// A line for people: on standard output, or on standard error when standard
/// output carries one document (SARIF, JUnit XML, Code Climate) that must stay whole.
pub fn say(format: Format, line: &str) {
    if matches!(format, Format::Sarif | Format::Junit | Format::Codeclimate) {
        eprintln!("{line}");
    } else {
        outln!("{line}");
    }
}

/// `19 file(s) read: 1 error(s), 0 warning(s)`, or for named files judged
/// against their folder `1 file(s) checked against seeds (19 read): …`.
pub fn summary(validation: &Validation) -> String {
    let problems = &validation.problems;
    let files = if validation.contexts.is_empty() {
        format!("{} file(s) read", validation.read)
    } else {
        let folders: Vec<String> = validation
            .contexts
            .iter()
            .map(|c| c.display().to_string())
            .collect();
        format!(
            "{} file(s) checked against {} ({} read)",
            validation.checked.len(),
            folders.join(", "),
            validation.read
        )
    };
    let notes = problems.len() - problems.errors() - problems.warnings();
    let notes = if notes > 0 {
        format!(", {notes} note(s)")
    } else {
        String::new()
    };
    format!(
        "{files}: {} error(s), {} warning(s){notes}",
        problems.errors(),
        problems.warnings()
    )
}

/// A problem as a miette diagnostic, with its file as the source code.
struct Rendered<'a> {
    problem: &'a Problem,
    source: Option<NamedSource<String>>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.problem, f)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = &self.problem.location;
        write!(
            f,
            "{}:{}:{}: {}",
            l.file, l.line, l.column, self.problem.message
        )
    }
}

impl std::error::Error for Rendered<'_> {}

impl Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.problem.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.problem.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let pointer = self
            .problem
            .location
            .pointer
            .as_deref()
            .map(|p| format!("at {p}"));
        let parts: Vec<String> = pointer
            .into_iter()
            .chain(self.problem.help.clone())
            .collect();
        (!parts.is_empty()).then(|| Box::new(parts.join("; ")) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let l = &self.problem.location;
        let label = LabeledSpan::new(Some("here".into()), l.offset, l.length.clamp(1, 80));
        Some(Box::new(std::iter::once(label)))
    }
}
