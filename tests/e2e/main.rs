//! End-to-end tests of the `pathways` command: real processes, real SQLite
//! files, and PostgreSQL when `PATHWAYS_TEST_POSTGRES_URL` is set.

mod bad_input;
mod concurrent;
mod diff;
mod hostile_input;
mod import_routes;
mod receiver;
mod releases;
mod seeds;
mod serve;
mod webhooks;
