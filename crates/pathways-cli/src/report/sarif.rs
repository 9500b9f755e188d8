//! Problems as SARIF 2.1.0 (one run, the tool `pathways` with one rule per
//! problem code, each problem a result with its physical location and its JSON
//! Pointer as a logical location), built from `serde-sarif`'s types.

use pathways_ingest::diagnostic::{Problem, Problems, Severity};
use serde_sarif::sarif::{
    ArtifactLocation, Location, LogicalLocation, Message, PhysicalLocation, Region,
    ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent,
};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn render(problems: &Problems) -> serde_json::Value {
    // One rule per code, in the order the codes first appear.
    let mut rules: Vec<String> = Vec::new();
    for problem in problems {
        let code = problem.code.as_str();
        if !rules.contains(&code) {
            rules.push(code);
        }
    }
    let results: Vec<SarifResult> = problems
        .iter()
        .map(|p| {
            let code = p.code.as_str();
            result(p, rules.iter().position(|r| *r == code).unwrap_or(0))
        })
        .collect();
    let driver = ToolComponent::builder()
        .name("pathways")
        .version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/pathways-ahp/pathways")
        .rules(
            rules
                .into_iter()
                .map(|id| ReportingDescriptor::builder().id(id).build())
                .collect::<Vec<_>>(),
        )
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_value(log).unwrap_or(serde_json::Value::Null)
}

fn result(problem: &Problem, rule_index: usize) -> SarifResult {
    let l = &problem.location;
    let level = match problem.severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Note => ResultLevel::Note,
    };
    let mut text = problem.message.clone();
    if let Some(help) = &problem.help {
        text.push_str(&format!(" (help: {help})"));
    }
    let physical = PhysicalLocation::builder()
        .artifact_location(ArtifactLocation::builder().uri(uri(&l.file)).build())
        .region(
            Region::builder()
                .start_line(i64::try_from(l.line).unwrap_or(i64::MAX))
                .start_column(i64::try_from(l.column).unwrap_or(i64::MAX))
                .build(),
        )
        .build();
    let location = match &l.pointer {
        Some(pointer) => Location::builder()
            .physical_location(physical)
            .logical_locations(vec![LogicalLocation::builder()
                .fully_qualified_name(pointer.clone())
                .kind("element")
                .build()])
            .build(),
        None => Location::builder().physical_location(physical).build(),
    };
    SarifResult::builder()
        .rule_id(problem.code.as_str())
        .rule_index(i64::try_from(rule_index).unwrap_or(i64::MAX))
        .level(level)
        .message(Message::builder().text(text).build())
        .locations(vec![location])
        .build()
}

/// A path as a URI reference: relative paths stay relative, characters a URI
/// cannot hold are percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pathways_ingest::diagnostic::{Code, Location as At};

    #[test]
    fn one_rule_per_code_and_one_result_per_problem() {
        let mut problems = Problems::default();
        let at = |line| At {
            file: "professions/my file.yaml".into(),
            line,
            column: 5,
            pointer: Some("/slug".into()),
            ..At::default()
        };
        problems.push(Problem::error(Code::DuplicateSlug, at(2), "twice"));
        problems.push(Problem::warning(Code::TitleVariant, at(4), "variant"));
        problems.push(Problem::error(Code::DuplicateSlug, at(9), "again"));
        let log = render(&problems);
        let run = &log["runs"][0];
        assert_eq!(log["version"], "2.1.0");
        assert_eq!(run["tool"]["driver"]["name"], "pathways");
        assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 2);
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);
        assert_eq!(results[1]["level"], "warning");
        assert_eq!(results[2]["ruleIndex"], 0);
        let location = &results[2]["locations"][0];
        assert_eq!(location["physicalLocation"]["region"]["startLine"], 9);
        assert_eq!(
            location["physicalLocation"]["artifactLocation"]["uri"],
            "professions/my%20file.yaml"
        );
        assert_eq!(
            location["logicalLocations"][0]["fullyQualifiedName"],
            "/slug"
        );
    }
}
