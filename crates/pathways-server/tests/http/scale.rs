//! No N+1: the statements a request runs depend on its shape, not on how much
//! content it returns.

use crate::harness::{plan_of, uncached, TestServer, FULL_QUERY};
use pathways_test_db::TestDb;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_full_query_runs_as_many_statements_on_a_corpus_100_times_larger() {
    let seeds = crate::harness::repo().join("seeds");
    let base = pathways_ingest::validate(std::slice::from_ref(&seeds), Default::default());
    let scratch = tempfile::tempdir().unwrap();
    pathways_ingest::corpus::write_scaled(&base.content, 100, scratch.path()).unwrap();
    let large = plan_of(scratch.path());
    assert_eq!(large.counts().steps, 3500);
    let small = plan_of(&seeds);
    for (small_db, large_db) in TestDb::each().await.into_iter().zip(TestDb::each().await) {
        let mut counts = Vec::new();
        for (db, plan) in [(small_db, &small), (large_db, &large)] {
            let server = TestServer::start(db, plan, uncached()).await;
            let before = server.sql_statements().await;
            let data = server.data(FULL_QUERY, Value::Null).await;
            counts.push((
                server.sql_statements().await - before,
                data["professions"]["edges"].as_array().unwrap().len(),
            ));
        }
        let [(small_statements, small_rows), (large_statements, large_rows)] = counts[..] else {
            unreachable!()
        };
        assert_eq!((small_rows, large_rows), (15, 100));
        eprintln!(
            "full nested query: {small_statements} statements on the seeds, \
             {large_statements} on the corpus 100 times larger"
        );
        assert_eq!(
            small_statements, large_statements,
            "statements grew with the corpus"
        );
        assert!(
            small_statements <= 15,
            "{small_statements} statements for one query"
        );
    }
}
