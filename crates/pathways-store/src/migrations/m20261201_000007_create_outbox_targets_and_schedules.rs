//! The outbox gains targets, and releases gain schedules.
//!
//! - `outbox_targets`: where events go, by kind (`webhook` today; a second kind
//!   of receiver is a new kind, not a new table), matched by a hash of the
//!   address, shown with its credentials and query string redacted, and with
//!   the time it was first configured (it gets no event older than that).
//! - `outbox_deliveries` replaces `webhook_deliveries`: one per event and
//!   target, with who claimed it and when, and attempts that were interrupted
//!   (a server stopped mid-attempt) counted apart from recorded ones. Its rows
//!   are copied over; their addresses become targets.
//! - `release_schedules`: a release to publish at a time, and who published it.

use crate::address;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::Statement;
use std::collections::BTreeMap;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OutboxTargets {
    Table,
    Id,
    Kind,
    AddressKey,
    Address,
    FirstConfiguredAt,
}

#[derive(DeriveIden)]
enum OutboxDeliveries {
    Table,
    Id,
    EventId,
    TargetId,
    Attempts,
    Interrupted,
    LastStatus,
    LastError,
    LastAttemptAt,
    NextAttemptAt,
    ClaimedBy,
    ClaimedAt,
    LockedUntil,
    DeliveredAt,
    GaveUpAt,
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

#[derive(DeriveIden)]
enum WebhookEvents {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ReleaseSchedules {
    Table,
    Id,
    ReleaseId,
    PublishAt,
    RequestedAt,
    CancelledAt,
    PublishedAt,
    PublishedBy,
    PublicationId,
}

#[derive(DeriveIden)]
enum Releases {
    Table,
    Id,
}

/// The kind of target every address configured before this migration was.
const WEBHOOK: &str = "webhook";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_targets(manager).await?;
        create_deliveries(manager).await?;
        copy_to_targets(manager).await?;
        manager
            .drop_table(Table::drop().table(WebhookDeliveries::Table).to_owned())
            .await?;
        create_schedules(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReleaseSchedules::Table).to_owned())
            .await?;
        create_webhook_deliveries(manager).await?;
        copy_back(manager).await?;
        for table in [
            OutboxDeliveries::Table.into_iden(),
            OutboxTargets::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn create_targets(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(OutboxTargets::Table)
                .col(pk_auto(OutboxTargets::Id))
                .col(string(OutboxTargets::Kind))
                .col(string(OutboxTargets::AddressKey))
                .col(text(OutboxTargets::Address))
                .col(big_integer(OutboxTargets::FirstConfiguredAt))
                .to_owned(),
        )
        .await?;
    // One row per address and kind, however many servers register it at once.
    manager
        .create_index(
            Index::create()
                .name("idx_outbox_targets_kind_key")
                .table(OutboxTargets::Table)
                .col(OutboxTargets::Kind)
                .col(OutboxTargets::AddressKey)
                .unique()
                .to_owned(),
        )
        .await
}

async fn create_deliveries(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use OutboxDeliveries as D;
    manager
        .create_table(
            Table::create()
                .table(D::Table)
                .col(pk_auto(D::Id))
                .col(integer(D::EventId))
                .col(integer(D::TargetId))
                .col(integer(D::Attempts).default(0))
                .col(integer(D::Interrupted).default(0))
                .col(integer_null(D::LastStatus))
                .col(text_null(D::LastError))
                .col(big_integer_null(D::LastAttemptAt))
                .col(big_integer(D::NextAttemptAt))
                .col(text_null(D::ClaimedBy))
                .col(big_integer_null(D::ClaimedAt))
                .col(big_integer_null(D::LockedUntil))
                .col(big_integer_null(D::DeliveredAt))
                .col(big_integer_null(D::GaveUpAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_outbox_deliveries_event")
                        .from(D::Table, D::EventId)
                        .to(WebhookEvents::Table, WebhookEvents::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_outbox_deliveries_target")
                        .from(D::Table, D::TargetId)
                        .to(OutboxTargets::Table, OutboxTargets::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("idx_outbox_deliveries_event_target")
                .table(D::Table)
                .col(D::EventId)
                .col(D::TargetId)
                .unique()
                .to_owned(),
        )
        .await?;
    // A target's queue, oldest event first.
    manager
        .create_index(
            Index::create()
                .name("idx_outbox_deliveries_target_event")
                .table(D::Table)
                .col(D::TargetId)
                .col(D::EventId)
                .to_owned(),
        )
        .await
}

async fn create_schedules(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use ReleaseSchedules as S;
    manager
        .create_table(
            Table::create()
                .table(S::Table)
                .col(pk_auto(S::Id))
                .col(integer(S::ReleaseId))
                .col(big_integer(S::PublishAt))
                .col(big_integer(S::RequestedAt))
                .col(big_integer_null(S::CancelledAt))
                .col(big_integer_null(S::PublishedAt))
                .col(text_null(S::PublishedBy))
                .col(integer_null(S::PublicationId))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_release_schedules_release")
                        .from(S::Table, S::ReleaseId)
                        .to(Releases::Table, Releases::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("idx_release_schedules_release")
                .table(S::Table)
                .col(S::ReleaseId)
                .to_owned(),
        )
        .await
}

/// `webhook_deliveries` as migration 000004 made it, for going down.
async fn create_webhook_deliveries(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use WebhookDeliveries as W;
    manager
        .create_table(
            Table::create()
                .table(W::Table)
                .col(pk_auto(W::Id))
                .col(integer(W::EventId))
                .col(text(W::Url))
                .col(integer(W::Attempts).default(0))
                .col(integer_null(W::LastStatus))
                .col(text_null(W::LastError))
                .col(big_integer(W::NextAttemptAt))
                .col(big_integer_null(W::LockedUntil))
                .col(big_integer_null(W::DeliveredAt))
                .col(big_integer_null(W::GaveUpAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_webhook_deliveries_event")
                        .from(W::Table, W::EventId)
                        .to(WebhookEvents::Table, WebhookEvents::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("idx_webhook_deliveries_event_url")
                .table(W::Table)
                .col(W::EventId)
                .col(W::Url)
                .unique()
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("idx_webhook_deliveries_due")
                .table(W::Table)
                .col(W::DeliveredAt)
                .col(W::NextAttemptAt)
                .to_owned(),
        )
        .await
}

/// Each address of `webhook_deliveries` becomes a target (first configured
/// when its first event was made), and each delivery a row of `outbox_deliveries`.
async fn copy_to_targets(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let backend = manager.get_database_backend();
    let rows = db
        .query_all(Statement::from_string(
            backend,
            "SELECT d.event_id, d.url, d.attempts, d.last_status, d.last_error, \
             d.next_attempt_at, d.locked_until, d.delivered_at, d.gave_up_at, e.created_at \
             FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id ORDER BY d.id",
        ))
        .await?;
    let mut first_seen: BTreeMap<String, i64> = BTreeMap::new();
    for row in &rows {
        let url: String = row.try_get("", "url")?;
        let created: i64 = row.try_get("", "created_at")?;
        let seen = first_seen.entry(url).or_insert(created);
        *seen = (*seen).min(created);
    }
    for (url, at) in &first_seen {
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(OutboxTargets::Table)
                    .columns([
                        OutboxTargets::Kind,
                        OutboxTargets::AddressKey,
                        OutboxTargets::Address,
                        OutboxTargets::FirstConfiguredAt,
                    ])
                    .values_panic([
                        WEBHOOK.into(),
                        address::key(url).into(),
                        address::shown(url).into(),
                        (*at).into(),
                    ])
                    .to_owned(),
            )
            .await?;
    }
    let mut targets: BTreeMap<String, i32> = BTreeMap::new();
    for row in db
        .query_all(Statement::from_string(
            backend,
            "SELECT id, address_key FROM outbox_targets",
        ))
        .await?
    {
        targets.insert(row.try_get("", "address_key")?, row.try_get("", "id")?);
    }
    for row in &rows {
        let url: String = row.try_get("", "url")?;
        let target = targets.get(&address::key(&url)).copied().ok_or_else(|| {
            DbErr::Migration(format!(
                "no target made for a delivery of event {:?}",
                row.try_get::<i32>("", "event_id")
            ))
        })?;
        use OutboxDeliveries as D;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(D::Table)
                    .columns([
                        D::EventId,
                        D::TargetId,
                        D::Attempts,
                        D::LastStatus,
                        D::LastError,
                        D::NextAttemptAt,
                        D::LockedUntil,
                        D::DeliveredAt,
                        D::GaveUpAt,
                    ])
                    .values_panic([
                        row.try_get::<i32>("", "event_id")?.into(),
                        target.into(),
                        row.try_get::<i32>("", "attempts")?.into(),
                        row.try_get::<Option<i32>>("", "last_status")?.into(),
                        row.try_get::<Option<String>>("", "last_error")?.into(),
                        row.try_get::<i64>("", "next_attempt_at")?.into(),
                        row.try_get::<Option<i64>>("", "locked_until")?.into(),
                        row.try_get::<Option<i64>>("", "delivered_at")?.into(),
                        row.try_get::<Option<i64>>("", "gave_up_at")?.into(),
                    ])
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}

/// Going down: each delivery back to `webhook_deliveries`, under its target's
/// address as shown (the whole address was never stored; two addresses shown
/// alike keep the first one's row).
async fn copy_back(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .get_connection()
        .execute_unprepared(
            "INSERT INTO webhook_deliveries (event_id, url, attempts, last_status, last_error, \
             next_attempt_at, locked_until, delivered_at, gave_up_at) \
             SELECT d.event_id, t.address, d.attempts, d.last_status, d.last_error, \
             d.next_attempt_at, d.locked_until, d.delivered_at, d.gave_up_at \
             FROM outbox_deliveries d JOIN outbox_targets t ON t.id = d.target_id ORDER BY d.id \
             ON CONFLICT DO NOTHING",
        )
        .await?;
    Ok(())
}
