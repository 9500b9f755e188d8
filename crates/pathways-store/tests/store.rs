//! The store against real databases: a SQLite file, and PostgreSQL when
//! `PATHWAYS_TEST_POSTGRES_URL` is set. Every test runs the real migrator.

use pathways_ingest::model::Block;
use pathways_ingest::plan::ReleasePlan;
use pathways_store::entities::profession;
use pathways_store::migrations::Migrator;
use pathways_store::queries::write::WriteOutcome;
use pathways_store::queries::{batch, counts::row_counts, read::read_plan, write};
use pathways_test_db::TestDb;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use sea_orm_migration::MigratorTrait;
use std::path::PathBuf;

fn seeds_plan() -> ReleasePlan {
    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../seeds");
    let validation = pathways_ingest::validate(&[seeds], Default::default());
    validation.plan().expect("the committed seeds are valid")
}

async fn write(
    db: &impl std::ops::Deref<Target = sea_orm::DatabaseConnection>,
    plan: &ReleasePlan,
) -> Result<WriteOutcome, sea_orm::DbErr> {
    write::write_release(db, plan, &mut |_| {}).await
}

struct Connected {
    db: sea_orm::DatabaseConnection,
    test: TestDb,
}

impl std::ops::Deref for Connected {
    type Target = sea_orm::DatabaseConnection;
    fn deref(&self) -> &Self::Target {
        &self.db
    }
}

async fn each_db() -> Vec<Connected> {
    let mut out = Vec::new();
    for test in TestDb::each().await {
        let db = pathways_store::connect(test.url())
            .await
            .unwrap_or_else(|e| panic!("{:?}: {e}", test.backend()));
        out.push(Connected { db, test });
    }
    out
}

#[tokio::test]
async fn writes_the_seeds_once_then_reports_unchanged() {
    let plan = seeds_plan();
    for db in each_db().await {
        let backend = db.test.backend();
        let WriteOutcome::Created(release) = write(&db, &plan).await.unwrap() else {
            panic!("{backend:?}: first write should create a release");
        };
        assert_eq!(
            (
                release.professions,
                release.pathways,
                release.steps,
                release.roles,
                release.shared_roles,
                release.routes
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
    for db in each_db().await {
        let WriteOutcome::Created(release) = write(&db, &plan).await.unwrap() else {
            panic!()
        };
        let back = read_plan(&*db, &release).await.unwrap();
        assert_eq!(back, plan, "{:?}", db.test.backend());
        assert_eq!(back.content_hash(), release.content_hash);
    }
}

#[tokio::test]
async fn a_failed_write_leaves_every_table_as_it_was() {
    let plan = seeds_plan();
    // Two professions with one slug break a unique index halfway through the write.
    let mut broken = plan.clone();
    broken.professions.push(broken.professions[0].clone());
    broken.page.title.push_str(" (changed)");
    for db in each_db().await {
        write(&db, &plan).await.unwrap();
        let before = row_counts(&*db).await.unwrap();
        let latest = write::latest(&*db).await.unwrap();
        let error = write(&db, &broken)
            .await
            .expect_err("duplicate slugs must fail");
        assert!(!error.to_string().is_empty());
        assert_eq!(
            row_counts(&*db).await.unwrap(),
            before,
            "{:?}",
            db.test.backend()
        );
        assert_eq!(write::latest(&*db).await.unwrap(), latest);
    }
}

#[tokio::test]
async fn new_content_becomes_a_new_release_beside_the_old_one() {
    let plan = seeds_plan();
    let mut edited = plan.clone();
    edited.roles[0]
        .blocks
        .push(Block::Paragraph("A new closing paragraph.".into()));
    for db in each_db().await {
        let WriteOutcome::Created(first) = write(&db, &plan).await.unwrap() else {
            panic!()
        };
        let WriteOutcome::Created(second) = write(&db, &edited).await.unwrap() else {
            panic!()
        };
        assert!(second.id > first.id);
        assert_ne!(second.content_hash, first.content_hash);
        assert_eq!(write::latest(&*db).await.unwrap().unwrap().id, second.id);
        // The release that was served is still whole.
        assert_eq!(read_plan(&*db, &first).await.unwrap(), plan);
        assert_eq!(read_plan(&*db, &second).await.unwrap(), edited);
    }
}

#[tokio::test]
async fn batch_queries_answer_for_many_ids_at_once() {
    let plan = seeds_plan();
    for db in each_db().await {
        let WriteOutcome::Created(release) = write(&db, &plan).await.unwrap() else {
            panic!()
        };
        let professions = profession::Entity::find()
            .filter(profession::Column::ReleaseId.eq(release.id))
            .filter(profession::Column::Slug.is_in(["physiotherapist", "art-therapist"]))
            .all(&*db)
            .await
            .unwrap();
        let ids: Vec<i32> = professions.iter().map(|p| p.id).collect();
        let steps = batch::steps_by_profession_ids(&*db, &ids).await.unwrap();
        assert_eq!(steps.len(), 7 + 5);
        let physio = professions
            .iter()
            .find(|p| p.slug == "physiotherapist")
            .unwrap();
        let titles: Vec<&str> = steps
            .iter()
            .filter(|s| s.profession_id == physio.id)
            .map(|s| s.title.as_str())
            .collect();
        assert_eq!(titles.first(), Some(&"Physiotherapy Assistant"));
        assert_eq!(titles.last(), Some(&"Advanced Clinical Practitioner"));

        let role_ids: Vec<i32> = steps.iter().map(|s| s.role_id).collect();
        let roles = batch::roles_by_ids(&*db, &role_ids).await.unwrap();
        // Physiotherapist: HCSW, senior HCSW, AP, ECP, ACP; art therapist adds creative therapy support worker.
        assert_eq!(roles.iter().filter(|r| r.shared).count(), 6);
        let route_ids: Vec<i32> = steps.iter().filter_map(|s| s.entry_route_id).collect();
        let stages = batch::stages_by_route_ids(&*db, &route_ids).await.unwrap();
        let optional: Vec<&str> = stages
            .iter()
            .filter(|(rs, _)| rs.optional)
            .map(|(_, s)| s.name.as_str())
            .collect();
        assert_eq!(optional, ["University Postgraduate"]);
        let text = batch::text_by_role_ids(&*db, &role_ids).await.unwrap();
        assert!(text
            .iter()
            .any(|t| t.text == "elderly people, including those with dementia"));
    }
}

#[tokio::test]
async fn migrations_go_down_and_up_again() {
    for db in each_db().await {
        let backend = db.test.backend();
        Migrator::down(&*db, None).await.unwrap();
        let tables = table_names(&db).await;
        assert!(
            !tables.iter().any(|t| t == "steps"),
            "{backend:?}: {tables:?}"
        );
        Migrator::up(&*db, None).await.unwrap();
        assert!(table_names(&db).await.iter().any(|t| t == "steps"));
        Migrator::fresh(&*db).await.unwrap();
        write(&db, &seeds_plan()).await.unwrap();
        assert_eq!(row_counts(&*db).await.unwrap()["professions"], 15);
    }
}

async fn table_names(db: &Connected) -> Vec<String> {
    use pathways_test_db::Backend;
    let sql = match db.test.backend() {
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
