//! Step 3: the release a request reads: the published one, or with the preview
//! token a release named by `Pathways-Release`.

use super::rejection::Rejection;
use crate::http::preview::{self, Access, Refused};
use crate::release_watch::Catalog;
use crate::snapshot::Snapshot;
use crate::AppState;
use axum::http::HeaderMap;
use std::sync::Arc;

/// What one request reads: a release's snapshot and the catalog, both fixed
/// for the whole request, and whether it is a preview.
pub struct View {
    pub snapshot: Arc<Snapshot>,
    pub catalog: Arc<Catalog>,
    pub preview: bool,
}

/// The release `headers` may read, or why not.
pub async fn choose(state: &AppState, headers: &HeaderMap) -> Result<View, Rejection> {
    let inner = &state.inner;
    let access =
        preview::access(headers, inner.config.preview_token.as_ref()).map_err(|refused| {
            match refused {
                Refused::BadRelease(_) => Rejection::BadReleaseHeader(refused.to_string()),
                _ => Rejection::Unauthenticated(refused.to_string()),
            }
        })?;
    let catalog = inner.release.catalog();
    let published = || inner.release.current().ok_or(Rejection::NothingPublished);
    let (snapshot, preview) = match access {
        Access::Public => (published()?, false),
        Access::Preview { release: None } => (published()?, true),
        Access::Preview { release: Some(id) } => {
            match inner.release.preview(&inner.db, id, &inner.metrics).await {
                Ok(Some(snapshot)) => (snapshot, true),
                Ok(None) => return Err(Rejection::UnknownRelease(id)),
                Err(error) => {
                    tracing::error!(%error, release = id, "could not load a release for a preview");
                    return Err(Rejection::DatabaseUnavailable(id));
                }
            }
        }
    };
    Ok(View {
        snapshot,
        catalog,
        preview,
    })
}
