//! What can go wrong in the store.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("cannot create the folder `{path}` for the SQLite database: {source}")]
    CreateFolder {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`{0}` is not a database URL: expected `sqlite://PATH` or `postgres://...`")]
    UnsupportedUrl(String),
    #[error("another pathways process held the database's setup lock for {waited:?} while this one waited to begin {what}: is one stuck? Try again, or raise PATHWAYS_LOCK_TIMEOUT")]
    LockTimeout {
        what: String,
        waited: std::time::Duration,
    },
}
