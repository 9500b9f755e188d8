//! Schema migrations, applied in order by `Migrator`. Content never goes in a
//! migration: seeds are loaded through ingest like any other release.

mod m20261124_000001_create_content_tables;
mod m20261124_000002_create_search_index;
mod m20261126_000003_index_release_reads;
mod m20261126_000004_create_publications_and_webhooks;
mod m20261201_000005_create_profession_codes;
mod m20261201_000006_add_publication_walk_back;
mod m20261201_000007_create_outbox_targets_and_schedules;

use sea_orm_migration::prelude::*;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_create_content_tables::Migration),
            Box::new(m20261124_000002_create_search_index::Migration),
            Box::new(m20261126_000003_index_release_reads::Migration),
            Box::new(m20261126_000004_create_publications_and_webhooks::Migration),
            Box::new(m20261201_000005_create_profession_codes::Migration),
            Box::new(m20261201_000006_add_publication_walk_back::Migration),
            Box::new(m20261201_000007_create_outbox_targets_and_schedules::Migration),
        ]
    }
}
