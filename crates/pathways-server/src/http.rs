//! The HTTP side of the server, read top to bottom: the router and its
//! middleware (`router`), the pages rendered from the release (`pages`), the
//! files it serves (`assets`, `explorer`, `graphiql`), who may read which release (`preview`), and `/graphql`, one
//! pipeline of steps (`graphql`).

mod assets;
pub(crate) mod connections;
mod etag;
mod explorer;
mod graphiql;
pub(crate) mod graphql;
mod pages;
pub mod preview;
mod router;

pub use explorer::documents as explorer_documents;
pub use router::router;
