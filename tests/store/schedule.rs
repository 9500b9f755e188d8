//! Scheduled publishing on real databases: scheduling, moving and cancelling,
//! the refusals, exactly one publication however many publish what is due at
//! once, and pruning that keeps what is scheduled.

use crate::releases_with_events;
use pathways_store::entities::publication;
use pathways_store::queries::publish::{unix_millis, PublishOutcome};
use pathways_store::queries::schedule::{self, ScheduleError};
use pathways_test_support::Connected;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

#[tokio::test]
async fn schedules_move_cancel_and_refuse_what_cannot_be() {
    for db in Connected::each().await {
        let backend = db.backend();
        let releases = releases_with_events(&db).await;
        let (served, staged) = (releases[1], releases[2]);
        let now = unix_millis();
        let first = schedule::schedule(&db, staged, now + 60_000, now)
            .await
            .unwrap();
        assert_eq!(first.replaced, None);
        let moved = schedule::schedule(&db, staged, now + 120_000, now)
            .await
            .unwrap();
        assert_eq!(moved.replaced.map(|s| s.publish_at), Some(now + 60_000));
        assert_eq!(
            schedule::pending(&*db).await.unwrap().len(),
            1,
            "{backend:?}"
        );
        assert_eq!(schedule::next_at(&*db).await.unwrap(), Some(now + 120_000));

        fn refused<T: std::fmt::Debug>(result: Result<T, ScheduleError>) -> String {
            result.unwrap_err().to_string()
        }
        assert!(refused(schedule::schedule(&db, 99, now + 1, now).await).contains("no release 99"));
        assert!(refused(schedule::schedule(&db, served, now + 1, now).await)
            .contains("already the one published"));
        assert!(refused(schedule::schedule(&db, releases[0], now, now).await).contains("past"));

        let cancelled = schedule::cancel(&db, staged, now).await.unwrap();
        assert_eq!(cancelled.cancelled_at, Some(now));
        assert!(refused(schedule::cancel(&db, staged, now).await).contains("not scheduled"));
        assert_eq!(schedule::next_at(&*db).await.unwrap(), None, "{backend:?}");
        assert_eq!(
            schedule::latest(&*db).await.unwrap()[&staged].cancelled_at,
            Some(now)
        );
    }
}

#[tokio::test]
async fn what_is_due_is_published_once_however_many_try() {
    for db in Connected::each().await {
        let backend = db.backend();
        let releases = releases_with_events(&db).await;
        let retired = releases[2];
        let published_before = publications_of(&db, retired).await;
        let now = unix_millis();
        schedule::schedule(&db, retired, now + 1_000, now)
            .await
            .unwrap();
        assert!(schedule::publish_due(&db, now, "early")
            .await
            .unwrap()
            .is_empty());
        let tries = (0..6).map(|n| {
            let db = db.db.clone();
            tokio::spawn(async move {
                schedule::publish_due(&db, now + 1_000, &format!("server-{n}"))
                    .await
                    .unwrap()
            })
        });
        let mut done = Vec::new();
        for attempt in tries {
            done.extend(attempt.await.unwrap());
        }
        assert_eq!(done.len(), 1, "{backend:?}: {done:#?}");
        assert!(matches!(done[0].outcome, PublishOutcome::Published(_)));
        let by = done[0].schedule.published_by.clone().unwrap();
        assert!(by.starts_with("server-"), "{by}");
        assert_eq!(
            publications_of(&db, retired).await,
            published_before + 1,
            "{backend:?}"
        );
        assert!(
            done[0].schedule.publication_id.is_some(),
            "{backend:?}: the schedule names its publication"
        );
        assert!(schedule::pending(&*db).await.unwrap().is_empty());
    }
}

async fn publications_of(db: &Connected, release: i32) -> u64 {
    publication::Entity::find()
        .filter(publication::Column::ReleaseId.eq(release))
        .count(&db.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn pruning_keeps_a_scheduled_release_until_its_schedule_is_cancelled() {
    use pathways_store::queries::history::{prune, PruneError, Reason};
    for db in Connected::each().await {
        let backend = db.backend();
        // releases[1] is served, releases[2] its rollback target: only releases[0]
        // has nothing else keeping it.
        let releases = releases_with_events(&db).await;
        let now = unix_millis();
        schedule::schedule(&db, releases[0], now + 60_000, now)
            .await
            .unwrap();
        let pruned = prune(&db, 0, &[], false).await.unwrap();
        assert!(pruned.removed.is_empty(), "{backend:?}: {pruned:?}");
        let kept = pruned.kept.iter().find(|k| k.release.id == releases[0]);
        assert_eq!(
            kept.map(|k| k.reasons.clone()),
            Some(vec![Reason::Scheduled]),
            "{backend:?}"
        );
        // Named, it is refused rather than removed with its schedule.
        let refused = prune(&db, 0, &[releases[0]], false).await;
        assert!(
            matches!(refused, Err(PruneError::Scheduled(id)) if id == releases[0]),
            "{backend:?}: {refused:?}"
        );
        assert!(pathways_store::queries::releases::by_id(&*db, releases[0])
            .await
            .unwrap()
            .is_some());
        schedule::cancel(&db, releases[0], now).await.unwrap();
        let removed = prune(&db, 0, &[], false).await.unwrap().removed;
        assert_eq!(
            removed.iter().map(|r| r.id).collect::<Vec<_>>(),
            [releases[0]],
            "{backend:?}: cancelled, nothing keeps it"
        );
    }
}
