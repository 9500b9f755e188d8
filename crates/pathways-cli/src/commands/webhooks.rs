//! `pathways webhooks new-secret` and `pathways webhooks list`.

use super::{open_read_only, runtime, DatabaseOpts, OutputFormat};
use anyhow::Context;
use serde_json::json;
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Print a fresh signing secret, `whsec_<base64 of 32 random bytes>`.
    NewSecret,
    /// List the events sent, each with its deliveries: attempts, last status, last error.
    List(ListOpts),
}

#[derive(Debug, clap::Args)]
pub struct ListOpts {
    #[command(flatten)]
    pub database: DatabaseOpts,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

impl Command {
    pub fn prints_json(&self) -> bool {
        matches!(self, Command::List(opts) if opts.format == OutputFormat::Json)
    }
}

pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::NewSecret => {
            let mut key = [0u8; 32];
            getrandom::fill(&mut key)
                .map_err(|e| anyhow::anyhow!("Failed to get random bytes: {e}"))?;
            use base64::Engine;
            outln!(
                "whsec_{}",
                base64::engine::general_purpose::STANDARD.encode(key)
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::List(opts) => list(opts),
    }
}

fn list(opts: ListOpts) -> anyhow::Result<ExitCode> {
    let events = runtime()?.block_on(async {
        let db = open_read_only(&opts.database.url).await?;
        pathways_store::queries::webhooks::list(&db)
            .await
            .context("Failed to read the webhook events")
    })?;
    let time = |ms: Option<i64>| {
        ms.and_then(|ms| u64::try_from(ms).ok()).map(|ms| {
            humantime::format_rfc3339_seconds(
                std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms),
            )
            .to_string()
        })
    };
    match opts.format {
        OutputFormat::Json => {
            let events: Vec<_> = events
                .iter()
                .map(|(event, deliveries)| {
                    json!({
                        "id": event.event_id,
                        "type": event.kind,
                        "release": event.release_id,
                        "created_at": time(Some(event.created_at)),
                        "deliveries": deliveries.iter().map(|d| json!({
                            "url": d.url,
                            "attempts": d.attempts,
                            "last_status": d.last_status,
                            "last_error": d.last_error,
                            "delivered_at": time(d.delivered_at),
                            "next_attempt_at": (d.delivered_at.is_none() && d.gave_up_at.is_none()).then(|| time(Some(d.next_attempt_at))).flatten(),
                            "gave_up_at": time(d.gave_up_at),
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            super::print_json(&json!({"events": events}))?;
        }
        OutputFormat::Human => {
            if events.is_empty() {
                outln!("no events yet: each publish writes one");
            }
            for (event, deliveries) in &events {
                outln!(
                    "{} {} release {} at {}",
                    event.event_id,
                    event.kind,
                    event.release_id,
                    time(Some(event.created_at)).unwrap_or_default()
                );
                if deliveries.is_empty() {
                    outln!("    no delivery yet (no server with webhooks has seen it)");
                }
                for d in deliveries {
                    let state = match (d.delivered_at, d.gave_up_at) {
                        (Some(at), _) => {
                            format!("delivered {}", time(Some(at)).unwrap_or_default())
                        }
                        (None, Some(_)) => "gave up".to_owned(),
                        (None, None) => format!(
                            "next attempt {}",
                            time(Some(d.next_attempt_at)).unwrap_or_default()
                        ),
                    };
                    outln!(
                        "    {}: {} attempt(s), last status {}, {state}{}",
                        d.url,
                        d.attempts,
                        d.last_status.map_or("-".to_owned(), |s| s.to_string()),
                        d.last_error
                            .as_deref()
                            .map(|e| format!(", last error: {e}"))
                            .unwrap_or_default()
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
