//! Releases and the page the content is published as.

use super::*;
use crate::graphql::context::{reading, Read};
use async_graphql::{Context, Enum, Object, Result, ID};
use pathways_model::{ListedRelease, ReleaseStatus as Status};

/// Where a release stands.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseStatus {
    /// The release being served.
    Published,
    /// Written but never published: only previews see it.
    Staged,
    /// Published once, not now.
    Retired,
}

/// A content release: one ingest of validated content, immutable once written.
pub struct Release(pub ListedRelease);

/// A content release: one ingest of validated content, immutable once written.
#[Object]
impl Release {
    /// The release's number; a newer release has a larger one.
    async fn id(&self) -> ID {
        ID(self.0.release.id.to_string())
    }

    /// SHA-256 of the content, hex.
    async fn content_hash(&self) -> &str {
        &self.0.release.content_hash
    }

    /// When it was ingested (RFC 3339, UTC).
    async fn imported_at(&self) -> &str {
        &self.0.release.imported_at
    }

    /// Whether it is published, staged or retired.
    async fn status(&self) -> ReleaseStatus {
        match self.0.status {
            Status::Published => ReleaseStatus::Published,
            Status::Staged => ReleaseStatus::Staged,
            Status::Retired => ReleaseStatus::Retired,
        }
    }

    /// When it was last published (RFC 3339, UTC); null if never.
    async fn published_at(&self) -> Option<&str> {
        self.0.published_at.as_deref()
    }

    /// What the steward wrote about it when ingesting.
    async fn note(&self) -> Option<&str> {
        self.0.release.note.as_deref()
    }

    /// Professions in the release.
    async fn professions(&self) -> i32 {
        count(self.0.release.counts.professions)
    }

    /// Professions with a pathway.
    async fn pathways(&self) -> i32 {
        count(self.0.release.counts.pathways)
    }

    /// Pathway steps.
    async fn steps(&self) -> i32 {
        count(self.0.release.counts.steps)
    }

    /// Roles, each stored once.
    async fn roles(&self) -> i32 {
        count(self.0.release.counts.roles)
    }

    /// Roles shared by two or more professions.
    async fn shared_roles(&self) -> i32 {
        count(self.0.release.counts.shared_roles)
    }

    /// Routes.
    async fn routes(&self) -> i32 {
        count(self.0.release.counts.routes)
    }
}

/// The page the content is published as: its title, introduction and footer.
pub struct Page;

/// The page the content is published as: its title, introduction and footer.
#[Object]
impl Page {
    /// The page's title: `Explore AHP career pathways`.
    async fn title<'a>(&self, ctx: &Context<'a>) -> Result<&'a str> {
        Ok(&reading(ctx, Read::Page)?.content.page.title)
    }

    /// The introductory sentences, in page order.
    async fn intro<'a>(&self, ctx: &Context<'a>) -> Result<&'a [String]> {
        Ok(&reading(ctx, Read::Page)?.content.page.intro)
    }

    /// The line the page shows below the list of professions, when it has one.
    async fn footer<'a>(&self, ctx: &Context<'a>) -> Result<Option<&'a str>> {
        Ok(reading(ctx, Read::Page)?.content.page.footer.as_deref())
    }
}
