//! The store against real databases: a SQLite file, and PostgreSQL when
//! `PATHWAYS_TEST_POSTGRES_URL` is set. Every test runs the real migrator.

use pathways_model::Release;
use pathways_store::entities::{role, step};
use pathways_store::migrations::Migrator;
use pathways_store::queries::read::{read_release, READ_STATEMENTS};
use pathways_store::queries::write::WriteOutcome;
use pathways_store::queries::{counts::row_counts, write};
use pathways_test_db::TestDb;
use pathways_test_support::content::scaled_plan;
use pathways_test_support::{edited, seeds_plan, Connected};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use sea_orm_migration::MigratorTrait;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

mod notify;
mod outbox;
mod schedule;

/// Three releases, each published once (so three events), then the second
/// published again (a fourth event): the second is served, the third retired.
/// Returns their ids.
async fn releases_with_events(db: &Connected) -> [i32; 3] {
    let first = seeds_plan();
    let second = edited(&first);
    let third = edited(&second);
    let mut ids = [0; 3];
    for (at, plan) in [first, second, third].iter().enumerate() {
        ids[at] = write(db, plan).await.unwrap().release().id;
    }
    pathways_store::queries::publish::publish(db, ids[1])
        .await
        .unwrap();
    ids
}

async fn write(
    db: &impl std::ops::Deref<Target = sea_orm::DatabaseConnection>,
    plan: &Release,
) -> Result<WriteOutcome, sea_orm::DbErr> {
    write::write_release(db, plan, &mut |_| {}).await
}

#[tokio::test]
async fn writes_the_seeds_once_then_reports_unchanged() {
    let plan = seeds_plan();
    for db in Connected::each().await {
        let backend = db.backend();
        let WriteOutcome::Created(release) = write(&db, &plan).await.unwrap() else {
            panic!("{backend:?}: first write should create a release");
        };
        let counts = release.counts;
        assert_eq!(
            (
                counts.professions,
                counts.pathways,
                counts.steps,
                counts.roles,
                counts.shared_roles,
                counts.routes
            ),
            (15, 6, 35, 15, 6, 3),
            "{backend:?}"
        );
        let before = row_counts(&*db).await.unwrap();
        assert_eq!(before["steps"], 35, "{backend:?}");
        assert_eq!(
            write(&db, &plan).await.unwrap(),
            WriteOutcome::Unchanged(release),
            "{backend:?}"
        );
        assert_eq!(
            row_counts(&*db).await.unwrap(),
            before,
            "{backend:?}: unchanged content wrote rows"
        );
    }
}

#[tokio::test]
async fn reads_back_exactly_what_was_written() {
    let plan = seeds_plan();
    for db in Connected::each().await {
        let WriteOutcome::Created(release) = write(&db, &plan).await.unwrap() else {
            panic!()
        };
        let back = read_release(&*db, release.id).await.unwrap();
        assert_eq!(back, plan, "{:?}", db.backend());
        assert_eq!(back.content_hash(), release.content_hash);
        // The seeds' occupation codes come back with their sources, in scheme order.
        let physio = back
            .professions
            .iter()
            .find(|p| p.slug == "physiotherapist")
            .unwrap();
        let codes: Vec<(&str, &str)> = physio
            .codes
            .iter()
            .map(|c| (c.scheme.key(), c.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("soc2020", "2221"),
                ("isco08", "2264"),
                (
                    "esco",
                    "http://data.europa.eu/esco/occupation/006cc1f9-2841-41c3-991a-dc3f2f3bd533"
                )
            ]
        );
        assert!(physio
            .codes
            .iter()
            .all(|c| c.source.starts_with("https://")));
        assert_eq!(row_counts(&*db).await.unwrap()["profession_codes"], 14);
    }
}

#[tokio::test]
async fn a_failed_write_leaves_every_table_as_it_was() {
    let plan = seeds_plan();
    // Two professions with one slug break a unique index halfway through the write.
    let mut broken = plan.clone();
    broken.professions.push(broken.professions[0].clone());
    broken.page.title.push_str(" (changed)");
    for db in Connected::each().await {
        write(&db, &plan).await.unwrap();
        let before = row_counts(&*db).await.unwrap();
        let latest = pathways_store::queries::releases::published(&*db)
            .await
            .unwrap();
        let error = write(&db, &broken)
            .await
            .expect_err("duplicate slugs must fail");
        assert!(!error.to_string().is_empty());
        assert_eq!(
            row_counts(&*db).await.unwrap(),
            before,
            "{:?}",
            db.backend()
        );
        assert_eq!(
            pathways_store::queries::releases::published(&*db)
                .await
                .unwrap(),
            latest
        );
    }
}

#[tokio::test]
async fn new_content_becomes_a_new_release_beside_the_old_one() {
    let plan = seeds_plan();
    let edited = edited(&plan);
    for db in Connected::each().await {
        let WriteOutcome::Created(first) = write(&db, &plan).await.unwrap() else {
            panic!()
        };
        let WriteOutcome::Created(second) = write(&db, &edited).await.unwrap() else {
            panic!()
        };
        assert!(second.id > first.id);
        assert_ne!(second.content_hash, first.content_hash);
        assert_eq!(
            pathways_store::queries::releases::published(&*db)
                .await
                .unwrap()
                .unwrap()
                .id,
            second.id
        );
        // The release that was served is still whole.
        assert_eq!(read_release(&*db, first.id).await.unwrap(), plan);
        assert_eq!(read_release(&*db, second.id).await.unwrap(), edited);
    }
}

#[tokio::test]
async fn pruning_a_release_takes_its_search_documents_with_it() {
    let plan = seeds_plan();
    let edited = edited(&plan);
    for db in Connected::each().await {
        let backend = db.backend();
        let WriteOutcome::Created(first) = write(&db, &plan).await.unwrap() else {
            panic!()
        };
        write(&db, &edited).await.unwrap();
        let search = pathways_store::queries::search::search;
        assert!(!search(&db.db, first.id, "dementia", 5)
            .await
            .unwrap()
            .is_empty());
        // The first release is the rollback target, so it goes only when named.
        let removed = pathways_store::queries::history::prune(&db, 1, &[first.id], false)
            .await
            .unwrap()
            .removed;
        assert_eq!(removed.iter().map(|r| r.id).collect::<Vec<_>>(), [first.id]);
        assert_eq!(
            search(&db.db, first.id, "dementia", 5).await.unwrap(),
            [],
            "{backend:?}: the pruned release is still searchable"
        );
    }
}

#[tokio::test]
async fn reads_a_whole_release_in_a_fixed_number_of_statements() {
    let large = scaled_plan(100);
    assert_eq!(large.counts().steps, 3500);
    for plan in [seeds_plan(), large] {
        for test in TestDb::each().await {
            let mut db = pathways_store::connect(test.url()).await.unwrap();
            let WriteOutcome::Created(release) =
                write::write_release(&db, &plan, &mut |_| {}).await.unwrap()
            else {
                panic!()
            };
            let statements = Arc::new(AtomicU64::new(0));
            let counter = statements.clone();
            db.set_metric_callback(move |_| {
                counter.fetch_add(1, Ordering::Relaxed);
            });
            let back = read_release(&db, release.id).await.unwrap();
            assert_eq!(
                statements.load(Ordering::Relaxed),
                READ_STATEMENTS,
                "{:?}, {} steps",
                test.backend(),
                plan.counts().steps
            );
            assert_eq!(back, plan, "{:?}", test.backend());
        }
    }
}

#[tokio::test]
async fn an_inconsistent_release_is_an_error_not_a_panic() {
    let plan = seeds_plan();
    for db in Connected::each().await {
        let WriteOutcome::Created(release) = write(&db, &plan).await.unwrap() else {
            panic!()
        };
        let mut edited = plan.clone();
        edited.page.title.push_str(" (edited)");
        let WriteOutcome::Created(other) = write(&db, &edited).await.unwrap() else {
            panic!()
        };
        let foreign_role = role::Entity::find()
            .filter(role::Column::ReleaseId.eq(other.id))
            .one(&*db)
            .await
            .unwrap()
            .unwrap();
        // A step pointing at a role of another release: the keys allow it, the
        // release does not hold together.
        let step = step::Entity::find()
            .filter(step::Column::ReleaseId.eq(release.id))
            .one(&*db)
            .await
            .unwrap()
            .unwrap();
        let mut broken: step::ActiveModel = step.into();
        broken.role_id = sea_orm::Set(foreign_role.id);
        broken.update(&*db).await.unwrap();
        let error = read_release(&*db, release.id).await.unwrap_err();
        assert!(
            error.to_string().contains("is not in the release"),
            "{:?}: {error}",
            db.backend()
        );
    }
}

#[tokio::test]
async fn a_release_whose_indexes_do_not_fit_is_refused_whole() {
    let plan = seeds_plan();
    let mut broken = plan.clone();
    broken.page.title.push_str(" (changed)");
    broken.professions[0].steps.push(pathways_model::Step {
        role: broken.roles.len() + 5,
        ..plan
            .professions
            .iter()
            .find(|p| !p.steps.is_empty())
            .unwrap()
            .steps[0]
            .clone()
    });
    for db in Connected::each().await {
        write(&db, &plan).await.unwrap();
        let before = row_counts(&*db).await.unwrap();
        let error = write(&db, &broken).await.unwrap_err();
        assert!(
            error.to_string().contains("role 20 is not in it"),
            "{error}"
        );
        assert_eq!(row_counts(&*db).await.unwrap(), before);
    }
}

/// The tables each migration since 000004 adds (000006 adds columns only).
const ADDED_BY: [(&str, &[&str]); 3] = [
    (
        "m20261201_000005_create_profession_codes",
        &["profession_codes"],
    ),
    ("m20261201_000006_add_publication_walk_back", &[]),
    (
        "m20261201_000007_create_outbox_targets_and_schedules",
        &["outbox_targets", "outbox_deliveries", "release_schedules"],
    ),
];

#[tokio::test]
async fn migrations_go_down_and_up_again() {
    for db in Connected::each().await {
        let backend = db.backend();
        let order: Vec<String> = Migrator::migrations()
            .iter()
            .map(|m| m.name().to_owned())
            .collect();
        assert!(
            order.is_sorted(),
            "run in the order of their names: {order:?}"
        );
        assert_eq!(order[4..], ADDED_BY.map(|(name, _)| name));
        assert_eq!(applied(&db).await, order, "{backend:?}");
        // One at a time, newest first: each takes away what it added.
        for (step, (name, tables)) in ADDED_BY.iter().enumerate().rev() {
            Migrator::down(&*db, Some(1)).await.unwrap();
            let now = table_names(&db).await;
            assert!(
                tables.iter().all(|t| !now.iter().any(|n| n == t)),
                "{backend:?}: {name} down left {tables:?} in {now:?}"
            );
            assert_eq!(applied(&db).await.len(), 4 + step, "{backend:?}: {name}");
            // Below 000007, 000004's deliveries table is back.
            let old_deliveries = now.iter().any(|n| n == "webhook_deliveries");
            assert!(old_deliveries, "{backend:?}: below {name}");
        }
        Migrator::down(&*db, None).await.unwrap();
        let tables = table_names(&db).await;
        assert!(
            !tables
                .iter()
                .any(|t| t == "steps" || t == "webhook_deliveries"),
            "{backend:?}: {tables:?}"
        );
        Migrator::up(&*db, None).await.unwrap();
        let tables = table_names(&db).await;
        for table in ADDED_BY
            .iter()
            .flat_map(|(_, t)| t.iter())
            .chain(&["steps"])
        {
            assert!(tables.iter().any(|t| t == table), "{backend:?}: {table}");
        }
        assert!(!tables.iter().any(|t| t == "webhook_deliveries"));
        assert_eq!(applied(&db).await, order);
        Migrator::fresh(&*db).await.unwrap();
        write(&db, &seeds_plan()).await.unwrap();
        assert_eq!(row_counts(&*db).await.unwrap()["professions"], 15);
    }
}

/// The migrations applied, by name.
async fn applied(db: &Connected) -> Vec<String> {
    db.query_all(sea_orm::Statement::from_string(
        db.get_database_backend(),
        "SELECT version FROM seaql_migrations ORDER BY version",
    ))
    .await
    .unwrap()
    .iter()
    .map(|row| row.try_get::<String>("", "version").unwrap())
    .collect()
}

async fn table_names(db: &Connected) -> Vec<String> {
    use pathways_test_db::Backend;
    let sql = match db.backend() {
        Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table'",
        Backend::Postgres => "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
    };
    db.query_all(sea_orm::Statement::from_string(
        db.get_database_backend(),
        sql,
    ))
    .await
    .unwrap()
    .iter()
    .map(|row| row.try_get::<String>("", "name").unwrap())
    .collect()
}
