//! Previews over a SQLite file: they follow the release log, load each release
//! once however many arrive together, and keep the few most recently used.

use super::*;
use pathways_model::Release;
use pathways_store::queries::history::prune;
use pathways_store::queries::write::{write, WriteOptions};
use pathways_test_db::TestDb;

/// Content of its own for release `n`.
fn plan(n: usize) -> Release {
    let mut plan = Release::default();
    plan.page.title = format!("Release {n}");
    plan
}

async fn add(db: &DatabaseConnection, n: usize, stage: bool) -> ReleaseDescription {
    let options = WriteOptions { stage, note: None };
    let written = write(db, &plan(n), &options, &mut |_| {}).await.unwrap();
    written.outcome.release().clone()
}

struct Watched {
    db: DatabaseConnection,
    watch: ReleaseWatch,
    metrics: Metrics,
    _test: TestDb,
}

impl Watched {
    /// Release 1 published and releases 2 to `staged + 1` staged, watched.
    async fn new(staged: usize) -> Watched {
        let test = TestDb::sqlite();
        let db = pathways_store::connect(test.url()).await.unwrap();
        add(&db, 1, false).await;
        for n in 2..=staged + 1 {
            add(&db, n, true).await;
        }
        let watched = Watched {
            db,
            watch: ReleaseWatch::default(),
            metrics: Metrics::default(),
            _test: test,
        };
        watched.refresh().await;
        watched
    }

    async fn refresh(&self) {
        self.watch.refresh(&self.db, &self.metrics).await.unwrap();
    }

    async fn preview(&self, id: i32) -> Result<Option<Arc<Snapshot>>, DbErr> {
        self.watch.preview(&self.db, id, &self.metrics).await
    }

    /// Release `id`'s snapshot, which must be previewable.
    async fn previewed(&self, id: i32) -> Arc<Snapshot> {
        let snapshot = self.preview(id).await.unwrap();
        let snapshot = snapshot.unwrap_or_else(|| panic!("release {id} is not previewable"));
        assert_eq!(snapshot.id(), id);
        snapshot
    }

    fn loads(&self) -> u64 {
        self.metrics.preview_loads()
    }
}

#[tokio::test]
async fn a_pruned_release_is_not_previewable_though_its_snapshot_was_in_memory() {
    let w = Watched::new(2).await;
    w.previewed(2).await;
    w.previewed(3).await;
    assert_eq!((w.loads(), w.watch.previews.ids()), (2, vec![3, 2]));
    let pruned = prune(&w.db, 0, &[2], false).await.unwrap();
    assert_eq!(pruned.removed.len(), 1);
    w.refresh().await;
    assert_eq!(
        w.watch.previews.ids(),
        [3],
        "the pruned release's snapshot is dropped"
    );
    assert!(w.preview(2).await.unwrap().is_none());
    for unknown in [0, -1, 99] {
        assert!(w.preview(unknown).await.unwrap().is_none(), "{unknown}");
    }
    w.previewed(3).await;
    assert_eq!(
        w.loads(),
        2,
        "neither the pruned nor unknown ids were loaded"
    );
    // The served release is previewable, as the release log has it.
    assert!(Arc::ptr_eq(
        &w.previewed(1).await,
        &w.watch.current().unwrap()
    ));
}

#[tokio::test]
async fn a_release_written_since_the_last_look_is_previewable_at_once() {
    let w = Watched::new(0).await;
    let staged = add(&w.db, 2, true).await;
    assert!(w.watch.catalog().get(staged.id).is_none(), "not looked yet");
    let snapshot = w.previewed(staged.id).await;
    assert_eq!(snapshot.release, staged);
    // Pruned before the next look: gone from the log, so gone from previews.
    prune(&w.db, 0, &[staged.id], false).await.unwrap();
    assert!(w.preview(staged.id).await.unwrap().is_none());
    assert!(w.watch.previews.ids().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_previews_of_one_release_at_once_load_it_once() {
    let w = Arc::new(Watched::new(1).await);
    let mut previews = tokio::task::JoinSet::new();
    for _ in 0..30 {
        let w = w.clone();
        previews.spawn(async move { w.previewed(2).await });
    }
    let snapshots = previews.join_all().await;
    assert_eq!(snapshots.len(), 30);
    assert!(snapshots.iter().all(|s| Arc::ptr_eq(s, &snapshots[0])));
    assert_eq!(w.loads(), 1);
}

#[tokio::test]
async fn previews_kept_are_bounded_the_least_recently_used_going_first() {
    let w = Watched::new(6).await;
    for id in 2..=5 {
        w.previewed(id).await;
    }
    assert_eq!((w.loads(), w.watch.previews.ids()), (4, vec![5, 4, 3, 2]));
    w.previewed(2).await;
    assert_eq!(w.loads(), 4, "kept: not loaded again");
    w.previewed(6).await;
    assert_eq!((w.loads(), w.watch.previews.ids()), (5, vec![6, 2, 5, 4]));
    w.previewed(3).await;
    assert_eq!(w.loads(), 6, "3 was the least recently used: loaded again");
    w.previewed(2).await;
    assert_eq!((w.loads(), w.watch.previews.ids()), (6, vec![2, 3, 6, 5]));
}

#[tokio::test]
async fn a_database_outage_during_a_preview_load_is_an_error_and_the_served_release_stays() {
    let w = Watched::new(1).await;
    w.db.clone().close().await.unwrap();
    assert!(
        w.preview(2).await.is_err(),
        "the database could not be read"
    );
    assert!(
        w.preview(0).await.unwrap().is_none(),
        "unknown, from the catalog"
    );
    assert!(
        w.preview(99).await.is_err(),
        "newer than the catalog: asks the database"
    );
    assert_eq!(w.watch.current().unwrap().id(), 1);
    assert_eq!(w.loads(), 1, "one attempt");
}
