//! Releases and the content tables, each row tied to its release.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Releases {
    Table,
    Id,
    ContentHash,
    ImportedAt,
    Professions,
    Pathways,
    Steps,
    Roles,
    SharedRoles,
    Routes,
    DuplicatesMerged,
    PageTitle,
    PageIntro,
    PageFooter,
}

#[derive(DeriveIden)]
enum Levels {
    Table,
    Id,
    ReleaseId,
    Scheme,
    Rank,
    Label,
}

#[derive(DeriveIden)]
enum Professions {
    Table,
    Id,
    ReleaseId,
    Slug,
    Name,
    PathwayPosition,
}

#[derive(DeriveIden)]
enum Stages {
    Table,
    Id,
    ReleaseId,
    Position,
    Slug,
    Name,
    Label,
}

#[derive(DeriveIden)]
enum Routes {
    Table,
    Id,
    ReleaseId,
    Position,
    Slug,
    Name,
}

#[derive(DeriveIden)]
enum RouteStages {
    Table,
    Id,
    RouteId,
    StageId,
    Position,
    Optional,
}

#[derive(DeriveIden)]
enum Roles {
    Table,
    Id,
    ReleaseId,
    Position,
    Slug,
    Title,
    LevelId,
    Shared,
}

#[derive(DeriveIden)]
enum Steps {
    Table,
    Id,
    ReleaseId,
    ProfessionId,
    Position,
    Title,
    LevelId,
    RoleId,
    EntryRouteId,
}

#[derive(DeriveIden)]
enum TextBlocks {
    Table,
    Id,
    ReleaseId,
    RoleId,
    StepId,
    Block,
    Item,
    Kind,
    Text,
    ListKind,
    Marker,
}

/// A foreign key that goes with the row it points to.
fn fk(
    name: &str,
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
    to: (impl IntoIden + 'static, impl IntoIden + 'static),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn release_fk(name: &str, table: impl IntoIden + 'static) -> ForeignKeyCreateStatement {
    fk(
        name,
        (table, Alias::new("release_id")),
        (Releases::Table, Releases::Id),
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Releases::Table)
                    .col(pk_auto(Releases::Id))
                    .col(string(Releases::ContentHash))
                    .col(string(Releases::ImportedAt))
                    .col(integer(Releases::Professions))
                    .col(integer(Releases::Pathways))
                    .col(integer(Releases::Steps))
                    .col(integer(Releases::Roles))
                    .col(integer(Releases::SharedRoles))
                    .col(integer(Releases::Routes))
                    .col(integer(Releases::DuplicatesMerged))
                    .col(text(Releases::PageTitle))
                    .col(text(Releases::PageIntro))
                    .col(text_null(Releases::PageFooter))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Levels::Table)
                    .col(pk_auto(Levels::Id))
                    .col(integer(Levels::ReleaseId))
                    .col(string(Levels::Scheme))
                    .col(integer(Levels::Rank))
                    .col(string(Levels::Label))
                    .foreign_key(&mut release_fk("fk_levels_release", Levels::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Professions::Table)
                    .col(pk_auto(Professions::Id))
                    .col(integer(Professions::ReleaseId))
                    .col(string(Professions::Slug))
                    .col(text(Professions::Name))
                    .col(integer_null(Professions::PathwayPosition))
                    .foreign_key(&mut release_fk(
                        "fk_professions_release",
                        Professions::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Stages::Table)
                    .col(pk_auto(Stages::Id))
                    .col(integer(Stages::ReleaseId))
                    .col(integer(Stages::Position))
                    .col(string(Stages::Slug))
                    .col(text(Stages::Name))
                    .col(text_null(Stages::Label))
                    .foreign_key(&mut release_fk("fk_stages_release", Stages::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Routes::Table)
                    .col(pk_auto(Routes::Id))
                    .col(integer(Routes::ReleaseId))
                    .col(integer(Routes::Position))
                    .col(string(Routes::Slug))
                    .col(text(Routes::Name))
                    .foreign_key(&mut release_fk("fk_routes_release", Routes::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RouteStages::Table)
                    .col(pk_auto(RouteStages::Id))
                    .col(integer(RouteStages::RouteId))
                    .col(integer(RouteStages::StageId))
                    .col(integer(RouteStages::Position))
                    .col(boolean(RouteStages::Optional))
                    .foreign_key(&mut fk(
                        "fk_route_stages_route",
                        (RouteStages::Table, RouteStages::RouteId),
                        (Routes::Table, Routes::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_route_stages_stage",
                        (RouteStages::Table, RouteStages::StageId),
                        (Stages::Table, Stages::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Roles::Table)
                    .col(pk_auto(Roles::Id))
                    .col(integer(Roles::ReleaseId))
                    .col(integer(Roles::Position))
                    .col(string(Roles::Slug))
                    .col(text(Roles::Title))
                    .col(integer(Roles::LevelId))
                    .col(boolean(Roles::Shared))
                    .foreign_key(&mut release_fk("fk_roles_release", Roles::Table))
                    .foreign_key(&mut fk(
                        "fk_roles_level",
                        (Roles::Table, Roles::LevelId),
                        (Levels::Table, Levels::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Steps::Table)
                    .col(pk_auto(Steps::Id))
                    .col(integer(Steps::ReleaseId))
                    .col(integer(Steps::ProfessionId))
                    .col(integer(Steps::Position))
                    .col(text(Steps::Title))
                    .col(integer(Steps::LevelId))
                    .col(integer(Steps::RoleId))
                    .col(integer_null(Steps::EntryRouteId))
                    .foreign_key(&mut release_fk("fk_steps_release", Steps::Table))
                    .foreign_key(&mut fk(
                        "fk_steps_profession",
                        (Steps::Table, Steps::ProfessionId),
                        (Professions::Table, Professions::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_steps_level",
                        (Steps::Table, Steps::LevelId),
                        (Levels::Table, Levels::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_steps_role",
                        (Steps::Table, Steps::RoleId),
                        (Roles::Table, Roles::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_steps_entry_route",
                        (Steps::Table, Steps::EntryRouteId),
                        (Routes::Table, Routes::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TextBlocks::Table)
                    .col(pk_auto(TextBlocks::Id))
                    .col(integer(TextBlocks::ReleaseId))
                    .col(integer_null(TextBlocks::RoleId))
                    .col(integer_null(TextBlocks::StepId))
                    .col(integer(TextBlocks::Block))
                    .col(integer(TextBlocks::Item))
                    .col(string(TextBlocks::Kind))
                    .col(text(TextBlocks::Text))
                    .col(string_null(TextBlocks::ListKind))
                    .col(string_null(TextBlocks::Marker))
                    .check(
                        Expr::col(TextBlocks::RoleId)
                            .is_null()
                            .ne(Expr::col(TextBlocks::StepId).is_null()),
                    )
                    .foreign_key(&mut release_fk("fk_text_blocks_release", TextBlocks::Table))
                    .foreign_key(&mut fk(
                        "fk_text_blocks_role",
                        (TextBlocks::Table, TextBlocks::RoleId),
                        (Roles::Table, Roles::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_text_blocks_step",
                        (TextBlocks::Table, TextBlocks::StepId),
                        (Steps::Table, Steps::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        // Lookups by release and slug are unique; the batch queries go by parent ids.
        let indexes = [
            index(
                "idx_releases_hash",
                Releases::Table,
                &[Releases::ContentHash.into_iden()],
                false,
            ),
            index(
                "idx_levels_release_rank",
                Levels::Table,
                &[Levels::ReleaseId.into_iden(), Levels::Rank.into_iden()],
                true,
            ),
            index(
                "idx_professions_release_slug",
                Professions::Table,
                &[
                    Professions::ReleaseId.into_iden(),
                    Professions::Slug.into_iden(),
                ],
                true,
            ),
            index(
                "idx_stages_release_slug",
                Stages::Table,
                &[Stages::ReleaseId.into_iden(), Stages::Slug.into_iden()],
                true,
            ),
            index(
                "idx_routes_release_slug",
                Routes::Table,
                &[Routes::ReleaseId.into_iden(), Routes::Slug.into_iden()],
                true,
            ),
            index(
                "idx_route_stages_route",
                RouteStages::Table,
                &[
                    RouteStages::RouteId.into_iden(),
                    RouteStages::Position.into_iden(),
                ],
                true,
            ),
            index(
                "idx_roles_release_slug",
                Roles::Table,
                &[Roles::ReleaseId.into_iden(), Roles::Slug.into_iden()],
                true,
            ),
            index(
                "idx_steps_profession_position",
                Steps::Table,
                &[Steps::ProfessionId.into_iden(), Steps::Position.into_iden()],
                true,
            ),
            index(
                "idx_steps_role",
                Steps::Table,
                &[Steps::RoleId.into_iden()],
                false,
            ),
            index(
                "idx_text_blocks_role",
                TextBlocks::Table,
                &[
                    TextBlocks::RoleId.into_iden(),
                    TextBlocks::Block.into_iden(),
                    TextBlocks::Item.into_iden(),
                ],
                false,
            ),
            index(
                "idx_text_blocks_step",
                TextBlocks::Table,
                &[
                    TextBlocks::StepId.into_iden(),
                    TextBlocks::Block.into_iden(),
                    TextBlocks::Item.into_iden(),
                ],
                false,
            ),
        ];
        for statement in indexes {
            manager.create_index(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            TextBlocks::Table.into_iden(),
            Steps::Table.into_iden(),
            Roles::Table.into_iden(),
            RouteStages::Table.into_iden(),
            Routes::Table.into_iden(),
            Stages::Table.into_iden(),
            Professions::Table.into_iden(),
            Levels::Table.into_iden(),
            Releases::Table.into_iden(),
        ];
        for table in tables {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

fn index(
    name: &str,
    table: impl IntoIden + 'static,
    columns: &[DynIden],
    unique: bool,
) -> IndexCreateStatement {
    let mut statement = Index::create();
    statement.name(name).table(table);
    for column in columns {
        statement.col(column.clone());
    }
    if unique {
        statement.unique();
    }
    statement.to_owned()
}
