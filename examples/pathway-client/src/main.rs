//! A typed client of the pathways GraphQL API: the query in `pathway.graphql`
//! is checked against the committed schema at compile time, so a schema change
//! that breaks it breaks the build, not the site.
//!
//! ```text
//! cargo run -p pathway-client -- [--endpoint http://127.0.0.1:8080/graphql] physiotherapist
//! ```

// A command-line example reports on standard output.
#![allow(clippy::print_stdout)]

use graphql_client::{GraphQLQuery, Response};
use std::process::ExitCode;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../../schema/pathways.graphql",
    query_path = "pathway.graphql",
    response_derives = "Debug"
)]
struct Pathway;

const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:8080/graphql";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut endpoint = DEFAULT_ENDPOINT.to_owned();
    let mut slug = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--endpoint" => match args.next() {
                Some(url) => endpoint = url,
                None => return usage("--endpoint needs a URL"),
            },
            _ if slug.is_none() && !arg.starts_with('-') => slug = Some(arg),
            _ => return usage(&format!("unexpected argument `{arg}`")),
        }
    }
    let Some(slug) = slug else {
        return usage("name a profession, such as `physiotherapist`");
    };
    match run(&endpoint, slug).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("pathway-client: {message}");
            ExitCode::FAILURE
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("pathway-client: {problem}\nusage: pathway-client [--endpoint URL] PROFESSION-SLUG");
    ExitCode::from(2)
}

async fn run(endpoint: &str, slug: String) -> Result<(), String> {
    let body = Pathway::build_query(pathway::Variables { slug: slug.clone() });
    let response: Response<pathway::ResponseData> = reqwest::Client::new()
        .post(endpoint)
        .json(&body)
        .send()
        .await
        .map_err(|e| format!("{endpoint}: {e}"))?
        .json()
        .await
        .map_err(|e| format!("{endpoint}: the answer is not a GraphQL response: {e}"))?;
    if let Some(errors) = response.errors.filter(|e| !e.is_empty()) {
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        return Err(messages.join("; "));
    }
    let data = response.data.ok_or("the response has no data")?;
    let profession = data
        .profession
        .ok_or_else(|| format!("no profession `{slug}`"))?;
    if let Some(release) = data.release {
        println!("release {} ({})", release.id, &release.content_hash[..12]);
    }
    println!("{}: {} steps", profession.name, profession.steps.len());
    for step in &profession.steps {
        if let Some(route) = &step.entry_route {
            let stages: Vec<String> = route
                .stages
                .iter()
                .map(|s| match s.optional {
                    true => format!("{} (optional)", s.name),
                    false => s.name.clone(),
                })
                .collect();
            println!("     ↓ {}: {}", route.name, stages.join(" → "));
        }
        let shared = match step.role.shared {
            true => format!(" [shared by {}]", step.role.used_by.len()),
            false => String::new(),
        };
        println!(
            "  {}. {} ({}, rank {}){shared}",
            step.position, step.title, step.level.label, step.level.number
        );
    }
    Ok(())
}
