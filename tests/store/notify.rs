//! Notifications on PostgreSQL: a change is heard when its transaction
//! commits and never when it rolls back, and a listener whose connection is
//! killed says so and hears what comes after; rollbacks and prunes included.

use pathways_store::listen::{Heard, Listener, APPLICATION_NAME};
use pathways_store::queries::notify::{announce, Change};
use pathways_store::queries::publish::publish;
use pathways_test_db::TestDb;
use pathways_test_support::{seeds_plan, Connected};
use sea_orm::{ConnectionTrait, TransactionTrait};
use std::time::Duration;

async fn next(listener: &mut Listener) -> Heard {
    tokio::time::timeout(Duration::from_secs(10), listener.next())
        .await
        .expect("heard within 10 s")
        .expect("listening")
}

#[tokio::test]
async fn sqlite_has_nothing_to_listen_to() {
    let db = Connected::to(TestDb::sqlite()).await;
    assert!(Listener::connect(&db).await.unwrap().is_none());
    // Announcing is a no-op there.
    announce(&*db, &Change::Staged { release: 1 })
        .await
        .unwrap();
}

#[tokio::test]
async fn changes_are_heard_when_committed_and_after_a_lost_connection() {
    let Some(test) = TestDb::postgres().await else {
        return;
    };
    let db = Connected::to(test).await;
    let mut listener = Listener::connect(&db).await.unwrap().expect("PostgreSQL");
    let txn = db.begin().await.unwrap();
    announce(&txn, &Change::Staged { release: 7 })
        .await
        .unwrap();
    txn.rollback().await.unwrap();
    let written = pathways_store::queries::write::write_release(&db, &seeds_plan(), &mut |_| {})
        .await
        .unwrap();
    let id = written.release().id;
    assert_eq!(
        next(&mut listener).await,
        Heard::Change(Some(Change::Published { release: id })),
        "the rolled-back change is never heard"
    );

    let killed = db
        .execute_unprepared(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND application_name = '{APPLICATION_NAME}'"
        ))
        .await
        .unwrap();
    assert_eq!(killed.rows_affected(), 1);
    assert_eq!(next(&mut listener).await, Heard::Reconnected);
    pathways_store::queries::write::write(
        &db,
        &pathways_test_support::edited(&seeds_plan()),
        &Default::default(),
        &mut |_| {},
    )
    .await
    .unwrap();
    assert!(matches!(
        next(&mut listener).await,
        Heard::Change(Some(Change::Published { .. }))
    ));
    assert!(publish(&db, id).await.is_ok());
    assert_eq!(
        next(&mut listener).await,
        Heard::Change(Some(Change::Published { release: id }))
    );
}

#[tokio::test]
async fn rollbacks_and_prunes_are_heard_from_their_own_transaction() {
    use pathways_store::queries::history::prune;
    use pathways_store::queries::publish::rollback;
    let Some(test) = TestDb::postgres().await else {
        return;
    };
    let db = Connected::to(test).await;
    // Releases 0, 1, 2 published in turn, then 1 again: 1 is served.
    let releases = crate::releases_with_events(&db).await;
    let mut listener = Listener::connect(&db).await.unwrap().expect("PostgreSQL");
    let published = |release| Heard::Change(Some(Change::Published { release }));

    rollback(&db, None).await.unwrap();
    assert_eq!(next(&mut listener).await, published(releases[2]));
    rollback(&db, Some(releases[0])).await.unwrap();
    assert_eq!(next(&mut listener).await, published(releases[0]));
    // Refused (the served release), and a dry run: neither is heard.
    assert!(prune(&db, 3, &[releases[0]], false).await.is_err());
    let planned = prune(&db, 3, &[releases[2]], true).await.unwrap();
    assert_eq!(planned.removed.len(), 1);
    let pruned = prune(&db, 3, &[releases[2]], false).await.unwrap();
    assert_eq!(pruned.removed, planned.removed);
    assert_eq!(
        next(&mut listener).await,
        Heard::Change(Some(Change::Pruned { releases: 1 })),
        "the refused prune and the dry run are never heard"
    );
}
