//! Releases as a steward sees them: each with its status (published, staged
//! or retired) and latest publication, and the one being served (`history` walks
//! back through them and prunes).
//! Releases leave the store as model descriptions, never as rows.

use crate::entities::{publication, release};
use pathways_model::{ListedRelease, ReleaseDescription, ReleaseStatus};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// Every release, newest first, in two statements.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<ListedRelease>, DbErr> {
    let releases = release::Entity::find()
        .order_by_desc(release::Column::Id)
        .all(db)
        .await?;
    let publications = publication::Entity::find()
        .order_by_asc(publication::Column::Id)
        .all(db)
        .await?;
    let served = publications.last().map(|p| p.release_id);
    let mut last_published: HashMap<i32, String> = HashMap::new();
    for p in publications {
        last_published.insert(p.release_id, p.published_at);
    }
    Ok(releases
        .into_iter()
        .map(|release| {
            let published_at = last_published.remove(&release.id);
            let status = if Some(release.id) == served {
                ReleaseStatus::Published
            } else if published_at.is_some() {
                ReleaseStatus::Retired
            } else {
                ReleaseStatus::Staged
            };
            ListedRelease {
                release: release.describe(),
                status,
                published_at,
            }
        })
        .collect())
}

/// The newest publication: which release is served, and since when.
pub async fn current_publication(
    db: &impl ConnectionTrait,
) -> Result<Option<publication::Model>, DbErr> {
    publication::Entity::find()
        .order_by_desc(publication::Column::Id)
        .one(db)
        .await
}

/// The release being served, if any.
pub async fn published(db: &impl ConnectionTrait) -> Result<Option<ReleaseDescription>, DbErr> {
    match current_publication(db).await? {
        Some(p) => by_id(db, p.release_id).await,
        None => Ok(None),
    }
}

pub async fn by_id(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<ReleaseDescription>, DbErr> {
    let row = release::Entity::find_by_id(id).one(db).await?;
    Ok(row.as_ref().map(release::Model::describe))
}

/// The newest release holding content with this hash.
pub async fn by_hash(
    db: &impl ConnectionTrait,
    content_hash: &str,
) -> Result<Option<ReleaseDescription>, DbErr> {
    let row = release::Entity::find()
        .filter(release::Column::ContentHash.eq(content_hash))
        .order_by_desc(release::Column::Id)
        .one(db)
        .await?;
    Ok(row.as_ref().map(release::Model::describe))
}

/// What a server polls to see whether anything changed: the newest release,
/// the newest publication and how many releases there are, in one statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Marks {
    pub newest_release: Option<i32>,
    pub newest_publication: Option<i32>,
    pub releases: i64,
}

impl Marks {
    /// A number that changes whenever the marks do (and is the same in every
    /// process that reads the same marks).
    pub fn version(&self) -> u64 {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        BuildHasherDefault::<DefaultHasher>::default().hash_one(self)
    }
}

pub async fn marks(db: &impl ConnectionTrait) -> Result<Marks, DbErr> {
    let statement = Query::select()
        .expr_as(
            Expr::cust("(SELECT MAX(id) FROM releases)"),
            sea_orm::sea_query::Alias::new("newest_release"),
        )
        .expr_as(
            Expr::cust("(SELECT MAX(id) FROM publications)"),
            sea_orm::sea_query::Alias::new("newest_publication"),
        )
        .expr_as(
            Expr::cust("(SELECT COUNT(*) FROM releases)"),
            sea_orm::sea_query::Alias::new("releases"),
        )
        .to_owned();
    let backend = db.get_database_backend();
    let row = db
        .query_one(backend.build(&statement))
        .await?
        .ok_or_else(|| DbErr::Custom("no row from a select of three values".into()))?;
    Ok(Marks {
        newest_release: row.try_get("", "newest_release")?,
        newest_publication: row.try_get("", "newest_publication")?,
        releases: row.try_get("", "releases")?,
    })
}
