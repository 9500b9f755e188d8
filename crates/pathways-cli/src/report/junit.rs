//! Problems as JUnit XML, built with `quick-junit`, for CI systems that show
//! test reports (GitLab, Azure Pipelines, Jenkins): one test suite per run,
//! one test case per file judged, failed when the file has errors. The
//! failure's message is its first error and its text every error, one per
//! line, each `file:line:col: error[code]: message`; warnings and notes go to
//! the test case's standard output. (JUnit's schema allows several failures
//! in a test case, but `quick-junit` writes one, so one lists them all.)

use pathways_ingest::diagnostic::{Problem, Problems};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

pub fn render(command: &str, problems: &Problems, checked: &[String]) -> String {
    // Every file judged, then any other path a problem is about (a missing one).
    let mut files: Vec<&str> = checked.iter().map(String::as_str).collect();
    for problem in problems {
        if !files.contains(&problem.location.file.as_str()) {
            files.push(&problem.location.file);
        }
    }
    let mut suite = TestSuite::new(format!("pathways {command}"));
    for file in files {
        let (errors, others): (Vec<&Problem>, Vec<&Problem>) = problems
            .iter()
            .filter(|p| p.location.file == file)
            .partition(|p| p.is_error());
        let mut case = TestCase::new(file, status(&errors));
        case.set_classname(format!("pathways.{command}"));
        if !others.is_empty() {
            case.set_system_out(lines(&others));
        }
        suite.add_test_case(case);
    }
    let mut report = Report::new("pathways");
    report.add_test_suite(suite);
    report.to_string().unwrap_or_default()
}

fn status(errors: &[&Problem]) -> TestCaseStatus {
    let Some(first) = errors.first() else {
        return TestCaseStatus::success();
    };
    let mut message = first.to_string();
    if errors.len() > 1 {
        message.push_str(&format!(" (and {} more)", errors.len() - 1));
    }
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    status
        .set_message(message)
        .set_type(first.code.as_str())
        .set_description(lines(errors));
    status
}

/// One line per problem, `file:line:col: severity[code]: message (at pointer)`,
/// each followed by its help.
fn lines(problems: &[&Problem]) -> String {
    let mut out = String::new();
    for problem in problems {
        out.push_str(&format!("{problem}\n"));
        if let Some(help) = &problem.help {
            out.push_str(&format!("  help: {help}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pathways_ingest::diagnostic::{Code, Location};

    #[test]
    fn one_case_per_file_failed_by_its_errors() {
        let at = |file: &str, line| Location {
            file: file.into(),
            line,
            column: 3,
            ..Location::default()
        };
        let mut problems = Problems::default();
        problems.push(Problem::error(
            Code::DuplicateSlug,
            at("b.yaml", 2),
            "twice",
        ));
        problems.push(Problem::error(
            Code::EmptyText,
            at("b.yaml", 5),
            "empty <&>",
        ));
        problems.push(Problem::warning(
            Code::TitleVariant,
            at("a.yaml", 4),
            "variant",
        ));
        let xml = render("validate", &problems, &["a.yaml".into(), "b.yaml".into()]);
        let report = Report::deserialize_from_str(&xml).unwrap();
        let suite = &report.test_suites[0];
        assert_eq!(report.test_suites.len(), 1);
        assert_eq!((suite.tests, suite.failures), (2, 1));
        let a = &suite.test_cases[0];
        assert_eq!(a.name.as_str(), "a.yaml");
        assert!(matches!(a.status, TestCaseStatus::Success { .. }));
        assert!(a
            .system_out
            .as_ref()
            .unwrap()
            .as_str()
            .starts_with("a.yaml:4:3: warning"));
        let TestCaseStatus::NonSuccess {
            message,
            description,
            ..
        } = &suite.test_cases[1].status
        else {
            panic!("b.yaml passed");
        };
        assert_eq!(
            message.as_ref().unwrap().as_str(),
            "b.yaml:2:3: error[pathways::rule::duplicate-slug]: twice (and 1 more)"
        );
        assert!(description
            .as_ref()
            .unwrap()
            .as_str()
            .contains("b.yaml:5:3: error[pathways::rule::empty-text]: empty <&>"));
    }
}
