//! The subscription root: release events as this server serves them, over
//! graphql-ws on `/graphql` (`crate::live::ws`).

use super::types::Release;
use crate::live::ws::Session;
use crate::live::{dropped_message, Next, Published, ReleaseEvent};
use async_graphql::futures_util::{future, Stream, StreamExt};
use async_graphql::{Context, Object, Result, Subscription};
use std::sync::Arc;

#[derive(Default)]
pub struct Subscription;

/// Release events, the moment this server serves them.
#[Subscription]
impl Subscription {
    /// Each publication (or rollback): the release served now, the one served
    /// before, and the cache keys whose content changed. The same as the
    /// `data` of the `release.published` webhook and of `GET /events`.
    async fn release_published(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = Result<ReleasePublished>>> {
        let session = session(ctx)?;
        let open = session.open()?;
        let metrics = session.live.metrics().clone();
        Ok(session.live.events().filter_map(move |next| {
            let _open = &open;
            future::ready(match next {
                Next::Event(ReleaseEvent::Published(published)) => {
                    metrics.record_live_event(crate::live::ws::TRANSPORT);
                    Some(Ok(ReleasePublished(published)))
                }
                Next::Event(ReleaseEvent::Staged(_)) => None,
                Next::Dropped { missed } => {
                    metrics.record_live_dropped(crate::live::ws::TRANSPORT, "lagged");
                    Some(Err(dropped_message(missed).into()))
                }
            })
        }))
    }

    /// Each release written but not published, so a preview can show it.
    /// Only for connections whose `connection_init` payload carries the
    /// preview token, as `previewToken`.
    async fn release_staged(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = Result<ReleaseStaged>>> {
        let session = session(ctx)?;
        if !session.preview {
            return Err(super::errors::forbidden(
                "releaseStaged needs the preview token: send it in connection_init's payload as {\"previewToken\": \"…\"}",
            ));
        }
        let open = session.open()?;
        let metrics = session.live.metrics().clone();
        Ok(session.live.events().filter_map(move |next| {
            let _open = &open;
            future::ready(match next {
                Next::Event(ReleaseEvent::Staged(listed)) => {
                    metrics.record_live_event(crate::live::ws::TRANSPORT);
                    Some(Ok(ReleaseStaged(Release((*listed).clone()))))
                }
                Next::Event(ReleaseEvent::Published(_)) => None,
                Next::Dropped { missed } => {
                    metrics.record_live_dropped(crate::live::ws::TRANSPORT, "lagged");
                    Some(Err(dropped_message(missed).into()))
                }
            })
        }))
    }
}

/// The graphql-ws connection a subscription runs on.
fn session<'a>(ctx: &Context<'a>) -> Result<&'a Session> {
    ctx.data::<Session>().map_err(|_| {
        super::errors::bad_input(
            "subscriptions run over graphql-ws: open a WebSocket to /graphql with the graphql-transport-ws subprotocol",
        )
    })
}

/// A publication.
pub struct ReleasePublished(Arc<Published>);

/// A publication: what is served now, what was before, and what changed.
#[Object]
impl ReleasePublished {
    /// The release served now.
    async fn release(&self) -> Release {
        Release(self.0.release.clone())
    }

    /// The release served before, if any (and not pruned since).
    async fn previous(&self) -> Option<Release> {
        self.0.previous.clone().map(Release)
    }

    /// The cache keys whose content changed (`Surrogate-Key`, `Cache-Tag`):
    /// what to purge from a CDN. `pathways` is every answer.
    async fn purge(&self) -> &[String] {
        &self.0.purge
    }
}

/// A release written but not published.
pub struct ReleaseStaged(Release);

/// A release written but not published: what a preview can show now.
#[Object]
impl ReleaseStaged {
    /// The staged release.
    async fn release(&self) -> &Release {
        &self.0
    }
}
