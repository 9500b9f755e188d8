//! End-to-end tests of the `pathways` command: real processes, real SQLite
//! files, and PostgreSQL when `PATHWAYS_TEST_POSTGRES_URL` is set.

mod bad_input;
mod command_line;
mod concurrent;
mod diff;
mod etags;
mod history;
mod hostile_input;
mod import_routes;
mod nothing_to_ingest;
mod pre_commit;
mod purge;
mod push;
mod receiver;
mod releases;
mod schedule;
mod seeds;
mod serve;
mod validate;
mod varnish;
mod webhook_delivery;
mod webhooks;
