//! The outbox on real databases: targets registered with their addresses
//! redacted, deliveries only of events newer than the target and of releases
//! still kept, claims that last their lease from when they are taken, one
//! winner among claims made at once, and a target's events one at a time in
//! order.

use crate::releases_with_events;
use pathways_store::entities::{outbox_delivery, outbox_target};
use pathways_store::queries::outbox::{self, Attempt};
use pathways_store::queries::publish::{publish, unix_millis};
use pathways_test_support::Connected;
use sea_orm::EntityTrait;

/// The open deliveries of `target`, as (event row id, delivery) pairs.
async fn deliveries_of(db: &Connected, target: i32) -> Vec<outbox_delivery::Model> {
    let mut rows: Vec<_> = outbox_delivery::Entity::find()
        .all(&db.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|d| d.target_id == target)
        .collect();
    rows.sort_by_key(|d| d.event_id);
    rows
}

/// `address` registered as configured from the start, given a delivery of
/// every event there is by `now`; its id.
async fn target_with_deliveries(db: &Connected, address: &str, now: i64) -> i32 {
    let target = outbox::register(&**db, outbox::WEBHOOK, &[address.to_owned()], 0)
        .await
        .unwrap()[0];
    outbox::add_deliveries(&**db, &[target], 0, now)
        .await
        .unwrap();
    target
}

#[tokio::test]
async fn addresses_are_stored_redacted_and_registered_once() {
    for db in Connected::each().await {
        let backend = db.backend();
        let secret = "http://user:hunter2@127.0.0.1:9/hook?token=abc".to_owned();
        let ids = outbox::register(&*db, outbox::WEBHOOK, std::slice::from_ref(&secret), 1)
            .await
            .unwrap();
        let again = outbox::register(&*db, outbox::WEBHOOK, std::slice::from_ref(&secret), 2)
            .await
            .unwrap();
        assert_eq!(ids, again, "{backend:?}");
        let targets = outbox_target::Entity::find().all(&db.db).await.unwrap();
        assert_eq!(targets.len(), 1, "{backend:?}");
        assert_eq!(targets[0].address, "http://***@127.0.0.1:9/hook?***");
        assert_eq!(
            targets[0].first_configured_at, 1,
            "the first registration counts"
        );
        let row = format!("{targets:?}");
        assert!(!row.contains("hunter2") && !row.contains("abc"), "{row}");
    }
}

#[tokio::test]
async fn a_target_gets_only_events_made_since_it_was_configured() {
    for db in Connected::each().await {
        let backend = db.backend();
        let releases = releases_with_events(&db).await;
        let configured = unix_millis() + 1;
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let late = outbox::register(&*db, outbox::WEBHOOK, &["http://late/".into()], configured)
            .await
            .unwrap()[0];
        let early = outbox::register(&*db, outbox::WEBHOOK, &["http://early/".into()], 0)
            .await
            .unwrap()[0];
        publish(&db, releases[2]).await.unwrap();
        let now = unix_millis();
        outbox::add_deliveries(&*db, &[late, early], 0, now)
            .await
            .unwrap();
        assert_eq!(deliveries_of(&db, late).await.len(), 1, "{backend:?}");
        assert_eq!(deliveries_of(&db, early).await.len(), 5, "{backend:?}");
        // Again: nothing new.
        assert_eq!(
            outbox::add_deliveries(&*db, &[late, early], 0, now)
                .await
                .unwrap(),
            0
        );
    }
}

#[tokio::test]
async fn events_of_a_pruned_release_are_given_up_and_never_added() {
    for db in Connected::each().await {
        let backend = db.backend();
        let releases = releases_with_events(&db).await;
        let target = target_with_deliveries(&db, "http://a/", unix_millis()).await;
        // Served and most recently published: releases[1]; its rollback
        // target releases[2] stays, releases[0] goes.
        let removed = pathways_store::queries::history::prune(&db, 1, &[], false)
            .await
            .unwrap()
            .removed;
        assert_eq!(
            removed.iter().map(|r| r.id).collect::<Vec<_>>(),
            [releases[0]],
            "{backend:?}"
        );
        let rows = deliveries_of(&db, target).await;
        let pruned: Vec<_> = rows
            .iter()
            .filter(|d| d.last_error.as_deref() == Some(outbox::PRUNED))
            .collect();
        assert_eq!(pruned.len(), 1, "{backend:?}: {rows:#?}");
        assert!(pruned[0].gave_up_at.is_some());

        let newcomer = outbox::register(&*db, outbox::WEBHOOK, &["http://b/".into()], 0)
            .await
            .unwrap()[0];
        outbox::add_deliveries(&*db, &[newcomer], 0, unix_millis())
            .await
            .unwrap();
        assert_eq!(
            deliveries_of(&db, newcomer).await.len(),
            3,
            "{backend:?}: only the events of kept releases"
        );
    }
}

#[tokio::test]
async fn a_claim_lasts_its_lease_from_when_it_is_taken() {
    for db in Connected::each().await {
        let backend = db.backend();
        releases_with_events(&db).await;
        let t = unix_millis();
        let target = target_with_deliveries(&db, "http://a/", t).await;
        let head = outbox::head(&*db, target).await.unwrap().unwrap();
        let id = head.delivery.id;
        // Taken 50 s after the server's round began: the lease still runs from now.
        let first = outbox::claim(&*db, id, "a", t + 50_000, 10_000)
            .await
            .unwrap()
            .expect("free");
        assert_eq!(first.until, t + 60_000, "{backend:?}");
        assert_eq!(
            outbox::claim(&*db, id, "b", t + 59_999, 10_000)
                .await
                .unwrap(),
            None
        );
        // Server a never recorded: b takes it once the lease has run out.
        let second = outbox::claim(&*db, id, "b", t + 60_001, 10_000)
            .await
            .unwrap()
            .expect("the lease ran out");
        let delivered = Attempt::Delivered { status: 200 };
        assert!(!outbox::record(&*db, &first, &delivered, t + 60_002)
            .await
            .unwrap());
        assert!(outbox::record(&*db, &second, &delivered, t + 60_003)
            .await
            .unwrap());
        let row = deliveries_of(&db, target).await.remove(0);
        assert_eq!(
            (
                row.attempts,
                row.interrupted,
                row.delivered_at,
                row.locked_until
            ),
            (1, 1, Some(t + 60_003), None),
            "{backend:?}"
        );
        assert_eq!(row.claimed_by.as_deref(), Some("b"));
    }
}

#[tokio::test]
async fn one_of_many_claims_made_at_once_wins() {
    for db in Connected::each().await {
        releases_with_events(&db).await;
        let now = unix_millis();
        let target = target_with_deliveries(&db, "http://a/", now).await;
        let id = outbox::head(&*db, target)
            .await
            .unwrap()
            .unwrap()
            .delivery
            .id;
        let claims = (0..8).map(|n| {
            let db = db.db.clone();
            tokio::spawn(async move {
                outbox::claim(&db, id, &format!("server-{n}"), now, 30_000)
                    .await
                    .unwrap()
            })
        });
        let mut won = 0;
        for claim in claims {
            won += usize::from(claim.await.unwrap().is_some());
        }
        assert_eq!(won, 1, "{:?}", db.backend());
    }
}

#[tokio::test]
async fn a_target_waits_on_its_oldest_event() {
    for db in Connected::each().await {
        let backend = db.backend();
        releases_with_events(&db).await;
        let now = unix_millis();
        let target = target_with_deliveries(&db, "http://a/", now).await;
        let first = outbox::head(&*db, target).await.unwrap().unwrap();
        let claim = outbox::claim(&*db, first.delivery.id, "a", now, 30_000)
            .await
            .unwrap()
            .unwrap();
        let failed = Attempt::Failed {
            status: Some(503),
            error: "HTTP 503".into(),
            retry_at: Some(now + 60_000),
        };
        assert!(outbox::record(&*db, &claim, &failed, now + 1)
            .await
            .unwrap());
        // The head is the same event, not due yet: nothing newer goes first.
        let head = outbox::head(&*db, target).await.unwrap().unwrap();
        assert_eq!(head.delivery.id, first.delivery.id, "{backend:?}");
        assert!(outbox::claim(&*db, head.delivery.id, "a", now + 2, 30_000)
            .await
            .unwrap()
            .is_none());
        assert_eq!(
            outbox::with_open_work(&*db, &[target]).await.unwrap(),
            [target]
        );
        let later = now + 60_000;
        let claim = outbox::claim(&*db, head.delivery.id, "a", later, 30_000)
            .await
            .unwrap()
            .unwrap();
        let delivered = Attempt::Delivered { status: 204 };
        assert!(outbox::record(&*db, &claim, &delivered, later)
            .await
            .unwrap());
        let next = outbox::head(&*db, target).await.unwrap().unwrap();
        assert!(next.event.id > first.event.id, "{backend:?}");
    }
}

#[tokio::test]
async fn deliveries_of_the_old_table_become_targets_without_their_secrets() {
    use pathways_store::migrations::Migrator;
    use sea_orm::ConnectionTrait;
    use sea_orm_migration::MigratorTrait;
    for db in Connected::each().await {
        let backend = db.backend();
        releases_with_events(&db).await;
        let first_event = pathways_store::entities::webhook_event::Entity::find()
            .all(&db.db)
            .await
            .unwrap()
            .into_iter()
            .min_by_key(|e| e.id)
            .unwrap();
        // Back before migration 000007, with a delivery of the old kind.
        Migrator::down(&*db, Some(1)).await.unwrap();
        db.execute_unprepared(&format!(
            "INSERT INTO webhook_deliveries (event_id, url, attempts, last_status, next_attempt_at, delivered_at) \
             VALUES ({}, 'http://u:hunter2@h/x?t=1', 2, 200, 0, 5)",
            first_event.id
        ))
        .await
        .unwrap();
        Migrator::up(&*db, None).await.unwrap();
        let targets = outbox_target::Entity::find().all(&db.db).await.unwrap();
        assert_eq!(targets.len(), 1, "{backend:?}");
        assert_eq!(targets[0].address, "http://***@h/x?***");
        assert_eq!(targets[0].first_configured_at, first_event.created_at);
        let rows = deliveries_of(&db, targets[0].id).await;
        assert_eq!(
            (
                rows.len(),
                rows[0].attempts,
                rows[0].last_status,
                rows[0].delivered_at
            ),
            (1, 2, Some(200), Some(5)),
            "{backend:?}"
        );
        // And down again: the address as shown, the secret never stored.
        Migrator::down(&*db, Some(1)).await.unwrap();
        let kept = db
            .query_one(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT url FROM webhook_deliveries",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<String>("", "url")
            .unwrap();
        assert_eq!(kept, "http://***@h/x?***", "{backend:?}");
    }
}
