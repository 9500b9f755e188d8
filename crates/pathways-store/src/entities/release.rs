//! A content release: one ingest of valid content, with its hash, counts and note.
//! Immutable once written; the newest publication says which one is served.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "releases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub content_hash: String,
    /// RFC 3339, UTC.
    pub imported_at: String,
    pub professions: i32,
    pub pathways: i32,
    pub steps: i32,
    pub roles: i32,
    pub shared_roles: i32,
    pub routes: i32,
    pub duplicates_merged: i32,
    pub page_title: String,
    /// The page's introductory sentences, one per line.
    pub page_intro: String,
    pub page_footer: Option<String>,
    /// What the steward wrote about the release (`ingest --note`).
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The release as the rest of the workspace sees it: the row stays here.
    pub fn describe(&self) -> pathways_model::ReleaseDescription {
        let count = |n: i32| usize::try_from(n).unwrap_or_default();
        pathways_model::ReleaseDescription {
            id: self.id,
            content_hash: self.content_hash.clone(),
            imported_at: self.imported_at.clone(),
            note: self.note.clone(),
            counts: pathways_model::Counts {
                professions: count(self.professions),
                pathways: count(self.pathways),
                steps: count(self.steps),
                roles: count(self.roles),
                shared_roles: count(self.shared_roles),
                routes: count(self.routes),
                duplicates_merged: count(self.duplicates_merged),
            },
        }
    }
}
