//! Indexes for reading a release whole, by `release_id`, and for deleting one:
//! steps and text blocks had indexes only by their parents.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Steps {
    Table,
    ReleaseId,
    ProfessionId,
    Position,
}

#[derive(DeriveIden)]
enum TextBlocks {
    Table,
    ReleaseId,
}

const STEPS: &str = "idx_steps_release";
const TEXT_BLOCKS: &str = "idx_text_blocks_release";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(STEPS)
                    .table(Steps::Table)
                    .col(Steps::ReleaseId)
                    .col(Steps::ProfessionId)
                    .col(Steps::Position)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(TEXT_BLOCKS)
                    .table(TextBlocks::Table)
                    .col(TextBlocks::ReleaseId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            (STEPS, Steps::Table.into_iden()),
            (TEXT_BLOCKS, TextBlocks::Table.into_iden()),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
