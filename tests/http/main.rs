//! The API over real HTTP: a server on an ephemeral port over a real SQLite
//! file, and over PostgreSQL when `PATHWAYS_TEST_POSTGRES_URL` is set. Content comes
//! through ingest, so these tests live with the command, the one crate that may
//! depend on ingest, store and server at once.

mod api;
mod caching;
mod connections;
mod explorer;
mod harness;
mod limits;
mod persisted;
mod protocol;
mod scale;
mod sdl;
mod snapshot;
