//! Rollback walks back through the publications log instead of toggling between
//! the last two releases: each publication records the state a rollback from it
//! returns to, the publication whose release was served before (a rollback's own
//! row takes the walk-back of the publication it returned to). The release id is
//! kept beside it, without a foreign key, so that a target since pruned can be
//! named.
//!
//! Rows written before this migration are read as plain publications, each
//! returning to the one before it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Publications {
    Table,
    RollbackPublicationId,
    RollbackReleaseId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            Publications::RollbackPublicationId,
            Publications::RollbackReleaseId,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Publications::Table)
                        .add_column(integer_null(column))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE publications SET rollback_release_id = previous_release_id, \
                 rollback_publication_id = \
                 (SELECT MAX(before.id) FROM publications AS before WHERE before.id < publications.id)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Publications::RollbackReleaseId,
            Publications::RollbackPublicationId,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Publications::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
