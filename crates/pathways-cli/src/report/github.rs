//! Problems as GitHub Actions workflow commands, one line each, so a CI job
//! puts them on the lines of the pull request:
//! `::error file=F,line=L,col=C,title=CODE::message`.

use pathways_ingest::diagnostic::{Problem, Problems, Severity};

pub fn render(problems: &Problems) -> String {
    problems.iter().map(annotation).collect()
}

fn annotation(problem: &Problem) -> String {
    let command = match problem.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let l = &problem.location;
    let mut message = problem.message.clone();
    if let Some(pointer) = &l.pointer {
        message.push_str(&format!(" (at {pointer})"));
    }
    if let Some(help) = &problem.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    format!(
        "::{command} file={},line={},col={},title={}::{}\n",
        property(&l.file),
        l.line,
        l.column,
        property(&problem.code.as_str()),
        data(&message)
    )
}

/// A message as workflow commands escape it.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: escaped like a message, and `:` and `,` too.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use pathways_ingest::diagnostic::{Code, Location};

    #[test]
    fn one_escaped_line_per_problem() {
        let mut problems = Problems::default();
        problems.push(
            Problem::error(
                Code::DanglingReference,
                Location {
                    file: "professions/a,b.yaml".into(),
                    line: 3,
                    column: 7,
                    pointer: Some("/pathway/steps/0/role".into()),
                    ..Location::default()
                },
                "role `x` does not exist: 100% sure",
            )
            .with_help("did you mean `y`?"),
        );
        assert_eq!(
            render(&problems),
            "::error file=professions/a%2Cb.yaml,line=3,col=7,title=pathways%3A%3Arule%3A%3Adangling-reference::role `x` does not exist: 100%25 sure (at /pathway/steps/0/role)%0Ahelp: did you mean `y`?\n"
        );
    }
}
