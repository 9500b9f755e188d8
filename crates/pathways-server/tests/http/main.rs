//! The API over real HTTP: a server on an ephemeral port over a real SQLite
//! file, and over PostgreSQL when `PATHWAYS_TEST_POSTGRES_URL` is set.

mod api;
mod caching;
mod explorer;
mod harness;
mod limits;
mod protocol;
mod scale;
mod sdl;
