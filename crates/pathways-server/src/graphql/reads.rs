//! What one operation's resolvers read, as the cache keys of its answer.
//! Every field of every object notes what it reads, a thousand times and more
//! for a fully nested query, so a note is one bit in a set sized to the
//! release (a load, and an atomic `or` the first time), and the keys' names
//! are made once, at the end, in order.

use crate::snapshot::Snapshot;
use pathways_model::purge;
use std::sync::atomic::{AtomicU64, Ordering};

/// One thing an answer read, as a cache key names it (see
/// [`pathways_model::purge`]), in the order the keys are listed.
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

/// The reads that name no profession or role, in key order, with their keys.
const KINDS: [(Read, &str); 7] = [
    (Read::Release, purge::RELEASE),
    (Read::Professions, purge::PROFESSIONS),
    (Read::Roles, purge::ROLES),
    (Read::Routes, purge::ROUTES),
    (Read::Levels, purge::LEVELS),
    (Read::Page, purge::PAGE),
    (Read::Search, purge::SEARCH),
];

/// The longest `Surrogate-Key` an answer carries: past it, an answer carries
/// `pathways release` instead of its keys, and goes at every publish.
pub const MAX_KEYS_LEN: usize = 1_000;

/// The keys one operation's resolvers read: a bit per kind, per profession
/// and per role of the release.
#[derive(Debug)]
pub struct Reads {
    kinds: AtomicU64,
    professions: Box<[AtomicU64]>,
    roles: Box<[AtomicU64]>,
}

fn bits(count: usize) -> Box<[AtomicU64]> {
    (0..count.div_ceil(64)).map(|_| AtomicU64::new(0)).collect()
}

/// Whether bit `i` of `set` is set.
fn has(set: &[AtomicU64], i: usize) -> bool {
    set.get(i / 64)
        .is_some_and(|word| word.load(Ordering::Relaxed) & (1 << (i % 64)) != 0)
}

impl Reads {
    /// An empty set for an operation over `snapshot`.
    pub fn new(snapshot: &Snapshot) -> Reads {
        Reads {
            kinds: AtomicU64::new(0),
            professions: bits(snapshot.content.professions.len()),
            roles: bits(snapshot.content.roles.len()),
        }
    }

    pub fn add(&self, read: Read) {
        let (word, bit) = match read {
            Read::Profession(p) => (self.professions.get(p / 64), p % 64),
            Read::Role(r) => (self.roles.get(r / 64), r % 64),
            kind => (Some(&self.kinds), kind_bit(kind)),
        };
        if let Some(word) = word {
            let mask = 1 << bit;
            // Mostly a repeat: a load, and no write to the shared line.
            if word.load(Ordering::Relaxed) & mask == 0 {
                word.fetch_or(mask, Ordering::Relaxed);
            }
        }
    }

    /// The keys, space-separated, `pathways` first; `pathways release` when
    /// they would be longer than [`MAX_KEYS_LEN`]. Written into one string
    /// sized for the longest list, with no string made per key.
    pub fn keys(&self, snapshot: &Snapshot) -> String {
        let mut keys = String::with_capacity(MAX_KEYS_LEN + 64);
        keys.push_str(purge::ALL);
        let mut push = |prefix: &str, key: &str| {
            keys.push(' ');
            keys.push_str(prefix);
            keys.push_str(key);
            keys.len() <= MAX_KEYS_LEN
        };
        let kinds = self.kinds.load(Ordering::Relaxed);
        // Any change of content purges `search`: an answer carrying it needs
        // no key of content besides (only `release`, which every publish
        // purges, content changed or not), and its headers stay short.
        let searched = kinds & (1 << kind_bit(Read::Search)) != 0;
        for (bit, (kind, key)) in KINDS.iter().enumerate() {
            let implied = searched && !matches!(kind, Read::Release | Read::Search);
            if kinds & (1 << bit) != 0 && !implied && !push("", key) {
                return overflowed();
            }
        }
        if searched {
            return keys;
        }
        for (p, profession) in snapshot.content.professions.iter().enumerate() {
            if has(&self.professions, p) && !push(purge::PROFESSION_PREFIX, &profession.slug) {
                return overflowed();
            }
        }
        for (r, role) in snapshot.content.roles.iter().enumerate() {
            if has(&self.roles, r) && !push(purge::ROLE_PREFIX, &role.slug) {
                return overflowed();
            }
        }
        keys
    }
}

fn kind_bit(kind: Read) -> usize {
    KINDS.iter().position(|&(k, _)| k == kind).unwrap_or(0)
}

/// What an answer whose keys are too long to list carries.
pub fn overflowed() -> String {
    format!("{} {}", purge::ALL, purge::RELEASE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::fixtures::{self, profession};
    use pathways_model::{Block, Level, Release, Role};

    /// A snapshot of two professions and `roles` roles (more than a word of bits).
    fn snapshot(roles: usize) -> Snapshot {
        let role = |i: usize| Role {
            slug: format!("role-{i:03}"),
            title: format!("Role {i}"),
            level: Level::from_rank(4).unwrap(),
            blocks: vec![Block::Paragraph("What it does.".into())],
            shared: false,
        };
        fixtures::snapshot(Release {
            professions: vec![profession("dietitian"), profession("podiatrist")],
            roles: (0..roles).map(role).collect(),
            ..Release::default()
        })
    }

    /// The reads of an operation that read `reads`, in that order.
    fn having_read(snapshot: &Snapshot, reads: impl IntoIterator<Item = Read>) -> Reads {
        let set = Reads::new(snapshot);
        for read in reads {
            set.add(read);
        }
        set
    }

    #[test]
    fn keys_are_listed_once_each_in_order_whatever_the_order_of_reading() {
        let snapshot = snapshot(70);
        let reads = having_read(
            &snapshot,
            [
                Read::Role(65),
                Read::Profession(1),
                Read::Levels,
                Read::Role(2),
                Read::Role(65),
                Read::Release,
                Read::Profession(1),
                Read::Levels,
            ],
        );
        assert_eq!(
            &*reads.keys(&snapshot),
            "pathways release levels profession:podiatrist role:role-002 role:role-065"
        );
        assert_eq!(&*Reads::new(&snapshot).keys(&snapshot), "pathways");
    }

    #[test]
    fn an_answer_that_searched_carries_search_for_every_key_of_content() {
        let snapshot = snapshot(3);
        let reads = having_read(
            &snapshot,
            [
                Read::Role(1),
                Read::Profession(0),
                Read::Search,
                Read::Levels,
            ],
        );
        assert_eq!(&*reads.keys(&snapshot), "pathways search");
        reads.add(Read::Release);
        assert_eq!(&*reads.keys(&snapshot), "pathways release search");
    }

    #[test]
    fn keys_too_long_to_list_become_the_release() {
        let snapshot = snapshot(200);
        let reads = having_read(&snapshot, (0..200).map(Read::Role));
        assert_eq!(reads.keys(&snapshot), overflowed());
        assert_eq!(&*overflowed(), "pathways release");
    }

    #[test]
    fn a_read_outside_the_release_is_ignored() {
        let snapshot = snapshot(1);
        let reads = having_read(&snapshot, [Read::Role(5_000), Read::Profession(64)]);
        assert_eq!(&*reads.keys(&snapshot), "pathways");
    }
}
