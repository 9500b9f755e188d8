#![doc = include_str!("../README.md")]

#[macro_use]
mod output;
mod changes;
mod commands;
mod logging;
mod report;
mod seeds;

use clap::Parser;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "pathways",
    version,
    about = "Career-pathway content for the allied health professions: validate, ingest, import and export it."
)]
struct Cli {
    #[command(subcommand)]
    command: commands::Command,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, commands::Command::Serve(_)) {
        // Warnings (such as waiting for another process's migration) on
        // standard error; `serve` sets up its own logging.
        logging::init("warn", false, false);
    }
    let json = cli.command.prints_json();
    match cli.command.run() {
        Ok(code) => code,
        Err(error) => {
            let message = one_message(&error);
            if json {
                let document = serde_json::json!({"status": "failed", "error": message});
                let _ = commands::print_json(&document);
            } else {
                eprintln!("error: {message}");
            }
            ExitCode::from(report::EXIT_USAGE)
        }
    }
}

/// The error and its causes in one line, each cause once: a cause whose text
/// its wrapper already quotes (as `thiserror`'s `{0}` and SeaORM's errors do)
/// is not repeated.
fn one_message(error: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        let text = text.trim();
        if text.is_empty() || message.contains(text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(text);
    }
    message
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        super::Cli::command().debug_assert();
    }

    #[test]
    fn one_message_names_each_cause_once() {
        /// Quotes its source, as SeaORM's errors do.
        #[derive(Debug)]
        struct Wrapping(std::io::Error);
        impl std::fmt::Display for Wrapping {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "error returned from database: {}", self.0)
            }
        }
        impl std::error::Error for Wrapping {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let cause = std::io::Error::other("database or disk is full");
        let error = anyhow::Error::new(Wrapping(cause))
            .context("Failed to write the release; nothing was changed");
        assert_eq!(
            super::one_message(&error),
            "Failed to write the release; nothing was changed: error returned from database: database or disk is full"
        );
    }
}
