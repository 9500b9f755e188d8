//! `pathways webhooks new-secret` and `pathways webhooks list`: every event
//! with each delivery's state (delivered, being sent, interrupted, waiting
//! behind an older event, retrying, due, given up), its attempts, and what
//! the last one got. Addresses are shown as stored: credentials and query
//! strings redacted.

use super::{open_read_only, runtime, time, DatabaseOpts, OutputFormat};
use anyhow::Context;
use pathways_store::entities::{outbox_delivery, outbox_target};
use pathways_store::queries::outbox;
use pathways_store::queries::publish::unix_millis;
use serde_json::json;
use std::collections::HashMap;
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
        outbox::list(&db)
            .await
            .context("Failed to read the webhook events")
    })?;
    let now = unix_millis();
    // Each target's oldest open event: the one its later events wait behind.
    let mut heads: HashMap<i32, (i32, &str)> = HashMap::new();
    for listed in &events {
        for (d, _) in &listed.deliveries {
            if d.delivered_at.is_none() && d.gave_up_at.is_none() {
                heads.insert(d.target_id, (listed.event.id, &listed.event.event_id));
            }
        }
    }
    let state = |d| State::of(d, &heads, now);
    match opts.format {
        OutputFormat::Json => {
            let events: Vec<_> = events
                .iter()
                .map(|listed| {
                    let event = &listed.event;
                    json!({
                        "id": event.event_id,
                        "type": event.kind,
                        "release": event.release_id,
                        "created_at": time(event.created_at),
                        "deliveries": listed.deliveries.iter().map(|(d, target)| delivery_json(d, target, &state(d))).collect::<Vec<_>>(),
                    })
                })
                .collect();
            super::print_json(&json!({"events": events}))?;
        }
        OutputFormat::Human => {
            if events.is_empty() {
                outln!("no events yet: each publish writes one");
            }
            for listed in &events {
                let event = &listed.event;
                outln!(
                    "{} {} release {} at {}",
                    event.event_id,
                    event.kind,
                    event.release_id,
                    time(event.created_at)
                );
                if listed.deliveries.is_empty() {
                    outln!("    no delivery (no server with webhooks has seen it, or it came before them)");
                }
                for (d, target) in &listed.deliveries {
                    outln!("    {}: {}", target.address, state(d).sentence(d));
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

type Delivery = outbox_delivery::Model;

/// What a delivery is doing now.
#[derive(Debug, Clone, PartialEq, Eq)]
enum State<'a> {
    Delivered(i64),
    GaveUp(i64),
    /// Claimed by a server whose lease still holds.
    InFlight {
        by: &'a str,
        since: i64,
    },
    /// Claimed by a server that stopped before recording an answer: the next
    /// server to claim it sends it again.
    Interrupted {
        by: &'a str,
        at: i64,
    },
    /// Waiting behind an older event to the same address.
    Queued {
        behind: &'a str,
    },
    Retrying(i64),
    Due,
}

impl<'a> State<'a> {
    /// `heads` holds each target's oldest open event (row id, event id).
    fn of(d: &'a Delivery, heads: &HashMap<i32, (i32, &'a str)>, now: i64) -> State<'a> {
        let behind = heads
            .get(&d.target_id)
            .filter(|(event, _)| *event != d.event_id)
            .map(|(_, id)| *id);
        let claim = (
            d.claimed_by.as_deref().unwrap_or("?"),
            d.claimed_at.unwrap_or(0),
        );
        match (d.delivered_at, d.gave_up_at, d.locked_until) {
            (Some(at), _, _) => State::Delivered(at),
            (None, Some(at), _) => State::GaveUp(at),
            (None, None, Some(until)) if until >= now => State::InFlight {
                by: claim.0,
                since: claim.1,
            },
            (None, None, Some(_)) => State::Interrupted {
                by: claim.0,
                at: claim.1,
            },
            (None, None, None) => match behind {
                Some(behind) => State::Queued { behind },
                None if d.next_attempt_at > now => State::Retrying(d.next_attempt_at),
                None => State::Due,
            },
        }
    }

    fn name(&self) -> &'static str {
        match self {
            State::Delivered(_) => "delivered",
            State::GaveUp(_) => "gave_up",
            State::InFlight { .. } => "in_flight",
            State::Interrupted { .. } => "interrupted",
            State::Queued { .. } => "queued",
            State::Retrying(_) => "retrying",
            State::Due => "due",
        }
    }

    /// One line for people: the state, then the attempts and the last error.
    fn sentence(&self, d: &Delivery) -> String {
        let now = match self {
            State::Delivered(at) => format!("delivered {}", time(*at)),
            State::GaveUp(at) => format!("gave up {}", time(*at)),
            State::InFlight { by, since } => {
                format!("being sent since {} by {by}", time(*since))
            }
            State::Interrupted { by, at } => format!(
                "interrupted: {by} stopped during its attempt of {}; the next server to claim it sends it again",
                time(*at)
            ),
            State::Queued { behind } => format!("waiting behind {behind} to the same address"),
            State::Retrying(at) => format!("next attempt {}", time(*at)),
            State::Due => "due now, waiting for a server".to_owned(),
        };
        let mut out = format!("{now}; {} attempt(s)", d.attempts);
        if d.interrupted > 0 {
            out.push_str(&format!(
                " and {} interrupted (its server stopped before recording an answer; the receiver may have had it)",
                d.interrupted
            ));
        }
        if let Some(status) = d.last_status {
            out.push_str(&format!(", last status {status}"));
        }
        if let Some(error) = &d.last_error {
            out.push_str(&format!(", last error: {error}"));
        }
        out
    }
}

fn delivery_json(d: &Delivery, target: &outbox_target::Model, state: &State) -> serde_json::Value {
    let at = |ms: Option<i64>| ms.map(time);
    let waiting = matches!(state, State::Retrying(_) | State::Due);
    json!({
        "url": target.address,
        "kind": target.kind,
        "state": state.name(),
        "attempts": d.attempts,
        "interrupted": d.interrupted,
        "last_status": d.last_status,
        "last_error": d.last_error,
        "last_attempt_at": at(d.last_attempt_at),
        "delivered_at": at(d.delivered_at),
        "next_attempt_at": at(waiting.then_some(d.next_attempt_at)),
        "claimed_by": d.claimed_by,
        "claimed_at": at(d.claimed_at),
        "gave_up_at": at(d.gave_up_at),
    })
}
