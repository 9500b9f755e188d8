//! A response cache bounded in bytes, least recently used out first. Keys
//! include the release id, so a new release never sees old answers; the cache
//! is also cleared when one appears.

use crate::bounded_lru::BoundedLru;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey {
    pub release_id: i32,
    /// The catalog's version: `releases` answers from it.
    pub catalog: u64,
    pub query: String,
    pub variables: String,
    pub operation_name: Option<String>,
    pub media_type: &'static str,
}

impl CacheKey {
    fn weight(&self) -> usize {
        self.query.len()
            + self.variables.len()
            + self.operation_name.as_ref().map_or(0, String::len)
            + 64
    }
}

#[derive(Debug, Clone)]
pub struct CachedResponse {
    pub status: u16,
    pub content_type: &'static str,
    pub body: axum::body::Bytes,
}

#[derive(Debug, Clone)]
pub struct ResponseCache {
    inner: Arc<Mutex<BoundedLru<CacheKey, CachedResponse>>>,
    enabled: bool,
}

impl ResponseCache {
    pub fn new(enabled: bool, max_bytes: usize) -> ResponseCache {
        ResponseCache {
            inner: Arc::new(Mutex::new(BoundedLru::new(max_bytes, None))),
            enabled,
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    pub fn get(&self, key: &CacheKey) -> Option<CachedResponse> {
        if !self.enabled {
            return None;
        }
        self.lock().get(key).cloned()
    }

    /// Keeps `response` unless it alone is larger than the cache; evicts the
    /// least recently used entries until everything fits.
    pub fn put(&self, key: CacheKey, response: CachedResponse) {
        if self.enabled {
            let weight = key.weight() + response.body.len();
            self.lock().put(key, response, weight);
        }
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    pub fn bytes(&self) -> usize {
        self.lock().bytes()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BoundedLru<CacheKey, CachedResponse>> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(query: &str) -> CacheKey {
        CacheKey {
            release_id: 1,
            catalog: 0,
            query: query.into(),
            variables: String::new(),
            operation_name: None,
            media_type: "application/json",
        }
    }

    fn body(n: usize) -> CachedResponse {
        CachedResponse {
            status: 200,
            content_type: "application/json",
            body: vec![b'x'; n].into(),
        }
    }

    #[test]
    fn stays_within_its_bytes() {
        let cache = ResponseCache::new(true, 1000);
        for i in 0..20 {
            cache.put(key(&format!("q{i}")), body(200));
            assert!(cache.bytes() <= 1000);
        }
        assert!(cache.get(&key("q19")).is_some());
        assert!(
            cache.get(&key("q0")).is_none(),
            "the oldest entry is evicted first"
        );
    }

    #[test]
    fn a_disabled_cache_keeps_nothing() {
        let cache = ResponseCache::new(false, 1000);
        cache.put(key("q"), body(10));
        assert!(cache.get(&key("q")).is_none());
    }

    #[test]
    fn keys_differ_by_release() {
        let cache = ResponseCache::new(true, 10_000);
        cache.put(key("q"), body(10));
        let mut other = key("q");
        other.release_id = 2;
        assert!(cache.get(&other).is_none());
    }
}
