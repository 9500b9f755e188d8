//! Occupation codes of professions (SOC 2020, ISCO-08, ESCO), each with the
//! public source that establishes it; one row per profession and scheme.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Releases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Professions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ProfessionCodes {
    Table,
    Id,
    ReleaseId,
    ProfessionId,
    Scheme,
    Code,
    Name,
    Source,
}

const BY_RELEASE: &str = "idx_profession_codes_release";
const ONE_PER_SCHEME: &str = "idx_profession_codes_scheme";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProfessionCodes::Table)
                    .col(pk_auto(ProfessionCodes::Id))
                    .col(integer(ProfessionCodes::ReleaseId))
                    .col(integer(ProfessionCodes::ProfessionId))
                    .col(string(ProfessionCodes::Scheme))
                    .col(text(ProfessionCodes::Code))
                    .col(text(ProfessionCodes::Name))
                    .col(text(ProfessionCodes::Source))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_profession_codes_release")
                            .from(ProfessionCodes::Table, ProfessionCodes::ReleaseId)
                            .to(Releases::Table, Releases::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_profession_codes_profession")
                            .from(ProfessionCodes::Table, ProfessionCodes::ProfessionId)
                            .to(Professions::Table, Professions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(BY_RELEASE)
                    .table(ProfessionCodes::Table)
                    .col(ProfessionCodes::ReleaseId)
                    .to_owned(),
            )
            .await?;
        // Ingest refuses a profession given codes twice; the database holds to it too.
        manager
            .create_index(
                Index::create()
                    .name(ONE_PER_SCHEME)
                    .table(ProfessionCodes::Table)
                    .col(ProfessionCodes::ProfessionId)
                    .col(ProfessionCodes::Scheme)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ProfessionCodes::Table).to_owned())
            .await
    }
}
