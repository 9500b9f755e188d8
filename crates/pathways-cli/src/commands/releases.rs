//! `pathways releases`: every release, newest first, with its status, and
//! what is scheduled: when, and for a schedule carried out, who published it
//! and when. Publishes what is overdue first (see `overdue`).

use super::{open_read_only, runtime, DatabaseOpts, OutputFormat};
use anyhow::Context;
use pathways_model::ListedRelease;
use pathways_store::entities::release_schedule::Model as Schedule;
use pathways_store::queries::{releases, schedule};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Opts {
    #[command(flatten)]
    pub database: DatabaseOpts,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

pub fn run(opts: Opts) -> anyhow::Result<ExitCode> {
    let (list, schedules) = runtime()?.block_on(async {
        let mut db = open_read_only(&opts.database.url).await?;
        if super::overdue::any(&db).await {
            // Named once already, by open_read_only.
            db = super::connect(&opts.database).await?;
            super::overdue::publish_and_say(&db, "releases").await?;
        }
        let list = releases::list(&db)
            .await
            .context("Failed to read the releases")?;
        let schedules = schedule::latest(&db).await.unwrap_or_default();
        anyhow::Ok((list, schedules))
    })?;
    match opts.format {
        OutputFormat::Json => {
            let releases: Vec<Value> = list
                .iter()
                .map(|info| {
                    let mut json = release_json(info);
                    json["schedule"] = schedules
                        .get(&info.release.id)
                        .map_or(Value::Null, schedule_json);
                    json
                })
                .collect();
            let document = json!({ "releases": releases });
            super::print_json(&document)?;
        }
        OutputFormat::Human => {
            out!("{}", table(&list));
            out!("{}", schedule_lines(&list, &schedules));
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn release_json(info: &ListedRelease) -> Value {
    let r = &info.release;
    json!({
        "id": r.id,
        "content_hash": r.content_hash,
        "imported_at": r.imported_at,
        "published_at": info.published_at,
        "status": info.status,
        "counts": r.counts,
        "note": r.note,
    })
}

fn table(list: &[ListedRelease]) -> String {
    if list.is_empty() {
        return "no releases yet: `pathways ingest PATH` writes one\n".to_owned();
    }
    let mut out = format!(
        "{:>4}  {:<9}  {:<12}  {:<20}  {:<20}  {:>5}  {}\n",
        "id", "status", "content", "imported", "published", "steps", "note"
    );
    for info in list {
        let r = &info.release;
        out.push_str(&format!(
            "{:>4}  {:<9}  {:<12}  {:<20}  {:<20}  {:>5}  {}\n",
            r.id,
            info.status.as_str(),
            super::short_hash(&r.content_hash),
            r.imported_at,
            info.published_at.as_deref().unwrap_or("-"),
            r.counts.steps,
            r.note.as_deref().unwrap_or("")
        ));
    }
    out
}

/// A release's newest schedule, as JSON: `status` is `pending`, `published`
/// or `cancelled`.
fn schedule_json(schedule: &Schedule) -> Value {
    let time = |ms: Option<i64>| ms.map(super::time);
    let status = match (schedule.published_at, schedule.cancelled_at) {
        (Some(_), _) => "published",
        (None, Some(_)) => "cancelled",
        (None, None) => "pending",
    };
    json!({
        "status": status,
        "publish_at": super::time(schedule.publish_at),
        "requested_at": super::time(schedule.requested_at),
        "published_at": time(schedule.published_at),
        "published_by": schedule.published_by,
        "cancelled_at": time(schedule.cancelled_at),
    })
}

/// One line per release scheduled, or published on schedule, newest first.
fn schedule_lines(list: &[ListedRelease], schedules: &HashMap<i32, Schedule>) -> String {
    let mut out = String::new();
    for info in list {
        let Some(s) = schedules.get(&info.release.id) else {
            continue;
        };
        let id = info.release.id;
        let at = super::time(s.publish_at);
        match (s.published_at, &s.published_by) {
            (Some(done), by) => out.push_str(&format!(
                "release {id} was scheduled for {at}: published at {} by {}\n",
                super::time(done),
                by.as_deref().unwrap_or("?")
            )),
            (None, _) if s.cancelled_at.is_none() => {
                let wait = s.publish_at - pathways_store::queries::publish::unix_millis();
                let wait = std::time::Duration::from_secs(u64::try_from(wait / 1000).unwrap_or(0));
                out.push_str(&format!(
                    "release {id} is scheduled for {at} (in {})\n",
                    humantime::format_duration(wait)
                ));
            }
            (None, _) => {}
        }
    }
    out
}
