//! What every resolver of one request sees: the snapshot of the release the
//! request reads and the catalog of releases (both fixed when it starts),
//! whether it is a preview, and the limits.

use super::errors;
use crate::config::QueryLimits;
use crate::release_watch::Catalog;
use crate::snapshot::Snapshot;
use async_graphql::Context;
use pathways_model::purge;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

pub struct RequestContext {
    pub snapshot: Arc<Snapshot>,
    pub catalog: Arc<Catalog>,
    /// Made with the preview token: staged releases are visible.
    pub preview: bool,
    /// `snapshot` is the release this server serves to everyone.
    pub served: bool,
    pub limits: QueryLimits,
    /// Where the site is public: JSON-LD `@id`s are made from it.
    pub base: Arc<pathways_jsonld::BaseUrl>,
    /// What the resolvers read, as cache keys; shared with the caller, which
    /// reads them once the operation has run.
    pub reads: Arc<Reads>,
}

/// One thing an answer read, as a cache key names it (see
/// [`pathways_model::purge`]). Indexes, not strings: adding one costs a lock
/// and a comparison or two; the names are made once, at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Read {
    Release,
    Professions,
    Roles,
    Routes,
    Levels,
    Page,
    Search,
    Profession(usize),
    Role(usize),
}

/// The longest `Surrogate-Key` an answer carries: past it, an answer carries
/// `pathways release` instead of its keys, and goes at every publish.
pub const MAX_KEYS_LEN: usize = 1_000;

/// The keys one operation's resolvers read. A field of an object reads what
/// its siblings read, so a repeat of the last read is dropped at once and the
/// rest are sorted out once, at the end: one push per object, not a set
/// insertion per field.
#[derive(Debug, Default)]
pub struct Reads(Mutex<Vec<Read>>);

impl Reads {
    pub fn add(&self, read: Read) {
        let mut reads = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if reads.last() != Some(&read) {
            reads.push(read);
        }
    }

    /// The keys, space-separated, `pathways` first; `pathways release` when
    /// they would be longer than [`MAX_KEYS_LEN`].
    pub fn keys(&self, snapshot: &Snapshot) -> Arc<str> {
        let reads: BTreeSet<Read> = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .iter()
            .copied()
            .collect();
        let mut keys = String::from(purge::ALL);
        for read in reads.iter() {
            let key = match *read {
                Read::Release => purge::RELEASE.to_owned(),
                Read::Professions => purge::PROFESSIONS.to_owned(),
                Read::Roles => purge::ROLES.to_owned(),
                Read::Routes => purge::ROUTES.to_owned(),
                Read::Levels => purge::LEVELS.to_owned(),
                Read::Page => purge::PAGE.to_owned(),
                Read::Search => purge::SEARCH.to_owned(),
                Read::Profession(p) => purge::profession(&snapshot.content.professions[p].slug),
                Read::Role(r) => purge::role(&snapshot.content.roles[r].slug),
            };
            keys.push(' ');
            keys.push_str(&key);
            if keys.len() > MAX_KEYS_LEN {
                return overflowed();
            }
        }
        keys.into()
    }
}

/// What an answer whose keys are too long to list carries.
pub fn overflowed() -> Arc<str> {
    format!("{} {}", purge::ALL, purge::RELEASE).into()
}

/// The snapshot, noting that the answer reads `read`.
pub fn reading<'a>(ctx: &Context<'a>, read: Read) -> async_graphql::Result<&'a Snapshot> {
    let rc = request(ctx)?;
    rc.reads.add(read);
    Ok(&rc.snapshot)
}

pub fn request<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a RequestContext> {
    ctx.data::<RequestContext>()
        .map_err(|_| errors::internal("request context missing"))
}

/// `first` checked against the cap: an error names the argument and the range.
pub fn page_size(
    first: Option<i32>,
    default: i32,
    limits: &QueryLimits,
) -> async_graphql::Result<usize> {
    let first = first.unwrap_or(default);
    if !(0..=limits.max_first).contains(&first) {
        return Err(errors::bad_input(format!(
            "`first` must be between 0 and {}, got {first}",
            limits.max_first
        )));
    }
    Ok(first as usize)
}
