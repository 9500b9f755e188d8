//! Persisted documents: a request may name its document instead of sending it.
//!
//! - Apollo's automatic persisted queries: `extensions.persistedQuery` with
//!   `version: 1` and a `sha256Hash`. A hash the server does not know answers
//!   `PersistedQueryNotFound`; the client retries with the document, which is
//!   checked against the hash and kept (in a bounded LRU) for next time.
//! - A manifest of trusted documents (`serve --persisted-queries FILE`): a JSON
//!   object from id to document, as GraphQL Codegen's client preset writes it
//!   (`sha256:<hex>` keys) or Relay does (plain ids), named by `documentId` or
//!   by `sha256Hash`, with or without the `sha256:` prefix. With `only`, no
//!   other document runs: the API is locked to the app's own queries.

use crate::bounded_lru::BoundedLru;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// Documents kept from automatic persisted queries, and their bytes at most.
const APQ_ENTRIES: usize = 1_000;
const APQ_BYTES: usize = 8 * 1024 * 1024;

/// What a request names: the document it sends, and the ids it gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Named {
    pub query: Option<String>,
    /// `extensions.persistedQuery.sha256Hash`.
    pub sha256_hash: Option<String>,
    /// `documentId`.
    pub document_id: Option<String>,
}

/// Why a request's document cannot be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No document by that id or hash: the client should send it (APQ) or
    /// the id is not in the manifest.
    NotFound,
    /// The document sent does not hash to the hash given.
    HashMismatch,
    /// Only documents from the manifest run here, and none was named.
    Required,
    /// Neither a document nor an id.
    Missing,
    /// `sha256Hash` is not a SHA-256 in hex, and no manifest id either.
    BadHash(String),
}

pub struct PersistedDocuments {
    manifest: HashMap<String, Arc<str>>,
    only: bool,
    /// Documents registered by automatic persisted queries, by hash.
    apq: Mutex<BoundedLru<String, Arc<str>>>,
}

impl PersistedDocuments {
    /// `manifest` maps ids to documents; `only` refuses any other document.
    pub fn new(manifest: HashMap<String, String>, only: bool) -> PersistedDocuments {
        let mut index = HashMap::with_capacity(manifest.len() * 2);
        for (id, document) in manifest {
            let document: Arc<str> = document.into();
            if let Some(hex) = id.strip_prefix("sha256:") {
                index.insert(hex.to_ascii_lowercase(), document.clone());
            }
            index.insert(id, document);
        }
        PersistedDocuments {
            manifest: index,
            only,
            apq: Mutex::new(BoundedLru::new(APQ_BYTES, NonZeroUsize::new(APQ_ENTRIES))),
        }
    }

    pub fn only(&self) -> bool {
        self.only
    }

    /// The document a request runs.
    pub fn resolve(&self, named: Named) -> Result<Arc<str>, Refusal> {
        let by_hash = named.document_id.is_none();
        let id = named.document_id.or(named.sha256_hash);
        let Some(id) = id else {
            if self.only {
                return Err(Refusal::Required);
            }
            return named.query.map(Arc::from).ok_or(Refusal::Missing);
        };
        if let Some(document) = self.in_manifest(&id) {
            return Ok(document);
        }
        if self.only {
            return Err(Refusal::NotFound);
        }
        let Some(hash) = sha256_hex(&id) else {
            if by_hash {
                return Err(Refusal::BadHash(id.chars().take(80).collect()));
            }
            return Err(Refusal::NotFound);
        };
        match named.query {
            Some(query) => {
                if hash_of(&query) != hash {
                    return Err(Refusal::HashMismatch);
                }
                let document: Arc<str> = query.into();
                self.remember(hash, document.clone());
                Ok(document)
            }
            None => self.lock().get(&hash).cloned().ok_or(Refusal::NotFound),
        }
    }

    fn in_manifest(&self, id: &str) -> Option<Arc<str>> {
        self.manifest
            .get(id)
            .or_else(|| self.manifest.get(id.strip_prefix("sha256:")?))
            .cloned()
    }

    fn remember(&self, hash: String, document: Arc<str>) {
        let weight = hash.len() + document.len();
        self.lock().put(hash, document, weight);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BoundedLru<String, Arc<str>>> {
        self.apq
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// SHA-256 of a document, lower-case hex: how APQ and `sha256:` ids name it.
pub fn hash_of(document: &str) -> String {
    Sha256::digest(document.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `id` as a SHA-256 hash (64 hex digits, `sha256:` optional), lower-cased.
fn sha256_hex(id: &str) -> Option<String> {
    let hex = id.strip_prefix("sha256:").unwrap_or(id);
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| hex.to_ascii_lowercase())
}

/// Reads a manifest: a JSON object from id to document. A `sha256:` id must
/// be the hash of its document, so a stale manifest is caught at start.
pub fn read_manifest(text: &str) -> Result<HashMap<String, String>, String> {
    let manifest: HashMap<String, String> = serde_json::from_str(text)
        .map_err(|e| format!("expected a JSON object from document id to document text: {e}"))?;
    for (id, document) in &manifest {
        if let Some(hex) = id.strip_prefix("sha256:") {
            let actual = hash_of(document);
            if !hex.eq_ignore_ascii_case(&actual) {
                return Err(format!(
                    "`{id}` is not the SHA-256 of its document (that is sha256:{actual}): regenerate the manifest"
                ));
            }
        }
    }
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUERY: &str = "{ release { id } }";

    fn named(query: Option<&str>, hash: Option<String>, id: Option<&str>) -> Named {
        Named {
            query: query.map(str::to_owned),
            sha256_hash: hash,
            document_id: id.map(str::to_owned),
        }
    }

    #[test]
    fn automatic_persisted_queries_register_on_retry() {
        let docs = PersistedDocuments::new(HashMap::new(), false);
        let hash = hash_of(QUERY);
        assert_eq!(
            docs.resolve(named(None, Some(hash.clone()), None)),
            Err(Refusal::NotFound)
        );
        assert_eq!(
            docs.resolve(named(Some("{ x }"), Some(hash.clone()), None)),
            Err(Refusal::HashMismatch)
        );
        assert_eq!(
            docs.resolve(named(Some(QUERY), Some(hash.clone()), None))
                .as_deref(),
            Ok(QUERY)
        );
        assert_eq!(
            docs.resolve(named(None, Some(hash.to_uppercase()), None))
                .as_deref(),
            Ok(QUERY)
        );
        assert_eq!(
            docs.resolve(named(Some(QUERY), Some("xyz".into()), None)),
            Err(Refusal::BadHash("xyz".into()))
        );
        assert_eq!(docs.resolve(named(None, None, None)), Err(Refusal::Missing));
    }

    #[test]
    fn a_manifest_answers_by_either_id_and_only_locks_the_api() {
        let hash = hash_of(QUERY);
        let manifest = HashMap::from([
            (format!("sha256:{hash}"), QUERY.to_owned()),
            ("relay-7".to_owned(), "{ levels { label } }".to_owned()),
        ]);
        let docs = PersistedDocuments::new(manifest, true);
        for id in [format!("sha256:{hash}"), hash.clone()] {
            assert_eq!(
                docs.resolve(named(None, None, Some(&id))).as_deref(),
                Ok(QUERY)
            );
            assert_eq!(
                docs.resolve(named(None, Some(id.clone()), None)).as_deref(),
                Ok(QUERY)
            );
        }
        assert!(docs.resolve(named(None, None, Some("relay-7"))).is_ok());
        assert_eq!(
            docs.resolve(named(Some(QUERY), None, None)),
            Err(Refusal::Required)
        );
        let other = hash_of("{ routes { slug } }");
        assert_eq!(
            docs.resolve(named(Some("{ routes { slug } }"), Some(other), None)),
            Err(Refusal::NotFound)
        );
    }

    #[test]
    fn the_lru_stays_bounded() {
        let docs = PersistedDocuments::new(HashMap::new(), false);
        for i in 0..(APQ_ENTRIES + 10) {
            let query = format!("{{ release {{ id }} }} # {i}");
            docs.resolve(named(Some(&query), Some(hash_of(&query)), None))
                .unwrap();
        }
        assert_eq!(docs.lock().len(), APQ_ENTRIES);
    }

    #[test]
    fn a_stale_manifest_is_refused() {
        assert!(read_manifest(r#"{"sha256:00": "{ x }"}"#)
            .unwrap_err()
            .contains("regenerate"));
        assert!(read_manifest("[1]").is_err());
        let good = format!(r#"{{"sha256:{}": "{QUERY}"}}"#, hash_of(QUERY));
        assert_eq!(read_manifest(&good).unwrap().len(), 1);
    }
}
