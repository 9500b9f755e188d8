//! Releases become a steward's workflow: a note on each release, a log of
//! publications (the newest names the release served), and the webhook outbox
//! that a publication writes in the same transaction and servers deliver.
//!
//! Before this migration every ingest was served at once, so each release that
//! is already there is logged as published when it was imported, in order.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Releases {
    Table,
    Id,
    Note,
    ImportedAt,
}

#[derive(DeriveIden)]
enum Publications {
    Table,
    Id,
    ReleaseId,
    PreviousReleaseId,
    PublishedAt,
}

#[derive(DeriveIden)]
enum WebhookEvents {
    Table,
    Id,
    EventId,
    Kind,
    ReleaseId,
    Payload,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    EventId,
    Url,
    Attempts,
    LastStatus,
    LastError,
    NextAttemptAt,
    LockedUntil,
    DeliveredAt,
    GaveUpAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Releases::Table)
                    .add_column(text_null(Releases::Note))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Publications::Table)
                    .col(pk_auto(Publications::Id))
                    .col(integer(Publications::ReleaseId))
                    .col(integer_null(Publications::PreviousReleaseId))
                    .col(string(Publications::PublishedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_publications_release")
                            .from(Publications::Table, Publications::ReleaseId)
                            .to(Releases::Table, Releases::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_publications_release")
                    .table(Publications::Table)
                    .col(Publications::ReleaseId)
                    .to_owned(),
            )
            .await?;
        // Every release so far was served when it was imported.
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(Publications::Table)
                    .columns([Publications::ReleaseId, Publications::PublishedAt])
                    .select_from(
                        Query::select()
                            .columns([Releases::Id, Releases::ImportedAt])
                            .from(Releases::Table)
                            .order_by(Releases::Id, Order::Asc)
                            .to_owned(),
                    )
                    .map_err(|e| DbErr::Migration(e.to_string()))?
                    .to_owned(),
            )
            .await?;

        // Events outlive the releases they announce: no foreign key to releases.
        manager
            .create_table(
                Table::create()
                    .table(WebhookEvents::Table)
                    .col(pk_auto(WebhookEvents::Id))
                    .col(string_uniq(WebhookEvents::EventId))
                    .col(string(WebhookEvents::Kind))
                    .col(integer(WebhookEvents::ReleaseId))
                    .col(text(WebhookEvents::Payload))
                    .col(big_integer(WebhookEvents::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDeliveries::Table)
                    .col(pk_auto(WebhookDeliveries::Id))
                    .col(integer(WebhookDeliveries::EventId))
                    .col(text(WebhookDeliveries::Url))
                    .col(integer(WebhookDeliveries::Attempts).default(0))
                    .col(integer_null(WebhookDeliveries::LastStatus))
                    .col(text_null(WebhookDeliveries::LastError))
                    .col(big_integer(WebhookDeliveries::NextAttemptAt))
                    .col(big_integer_null(WebhookDeliveries::LockedUntil))
                    .col(big_integer_null(WebhookDeliveries::DeliveredAt))
                    .col(big_integer_null(WebhookDeliveries::GaveUpAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhook_deliveries_event")
                            .from(WebhookDeliveries::Table, WebhookDeliveries::EventId)
                            .to(WebhookEvents::Table, WebhookEvents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One delivery per event and address, however many servers add it.
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_deliveries_event_url")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::EventId)
                    .col(WebhookDeliveries::Url)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_deliveries_due")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::DeliveredAt)
                    .col(WebhookDeliveries::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WebhookDeliveries::Table.into_iden(),
            WebhookEvents::Table.into_iden(),
            Publications::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Releases::Table)
                    .drop_column(Releases::Note)
                    .to_owned(),
            )
            .await
    }
}
