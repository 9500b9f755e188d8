//! The full-text search index, in each database's own kind: an FTS5 virtual
//! table on SQLite, a generated `tsvector` column with a GIN index on PostgreSQL.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Sqlite => {
                db.execute_unprepared(
                    "CREATE VIRTUAL TABLE search_index USING fts5(\
                     title, body, release_id UNINDEXED, kind UNINDEXED, ref_id UNINDEXED, \
                     tokenize = 'porter unicode61')",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared(
                    "CREATE TABLE search_documents (\
                     id SERIAL PRIMARY KEY, \
                     release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE, \
                     kind TEXT NOT NULL, ref_id INTEGER NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, \
                     document TSVECTOR GENERATED ALWAYS AS \
                     (setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')) STORED)",
                )
                .await?;
                db.execute_unprepared("CREATE INDEX idx_search_documents_document ON search_documents USING GIN (document)")
                    .await?;
                db.execute_unprepared(
                    "CREATE INDEX idx_search_documents_release ON search_documents (release_id)",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = match manager.get_database_backend() {
            DbBackend::Sqlite => "search_index",
            _ => "search_documents",
        };
        manager
            .get_connection()
            .execute_unprepared(&format!("DROP TABLE {table}"))
            .await?;
        Ok(())
    }
}
