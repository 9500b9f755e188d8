//! The response cache: answers by [`RequestKey`], bounded in bytes, least
//! recently used out first. Keys hold the release id and the catalog's
//! version, so a new release never sees old answers; the cache is also
//! emptied when one appears.

use crate::bounded_lru::BoundedLru;
use crate::http::graphql::answer::{Answer, RequestKey};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
pub struct ResponseCache {
    inner: Arc<Mutex<BoundedLru<RequestKey, Answer>>>,
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

    pub(crate) fn get(&self, key: &RequestKey) -> Option<Answer> {
        if !self.enabled {
            return None;
        }
        self.lock().get(key).cloned()
    }

    /// Keeps `answer` unless it alone is larger than the cache; evicts the
    /// least recently used entries until everything fits.
    pub(crate) fn put(&self, key: RequestKey, answer: Answer) {
        if self.enabled {
            let weight =
                key.weight() + answer.body.len() + answer.keys.as_ref().map_or(0, |k| k.len());
            self.lock().put(key, answer, weight);
        }
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    pub fn bytes(&self) -> usize {
        self.lock().bytes()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BoundedLru<RequestKey, Answer>> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::graphql::negotiate::MediaType;
    use axum::http::StatusCode;

    fn key(query: &str) -> RequestKey {
        RequestKey {
            release_id: 1,
            catalog: 0,
            preview: false,
            query: query.into(),
            variables: String::new(),
            operation_name: None,
            media: MediaType::Json,
        }
    }

    fn answer(n: usize) -> Answer {
        Answer {
            status: StatusCode::OK,
            body: vec![b'x'; n].into(),
            etag: None,
            cacheable: true,
            keys: None,
        }
    }

    #[test]
    fn stays_within_its_bytes() {
        let cache = ResponseCache::new(true, 1000);
        for i in 0..20 {
            cache.put(key(&format!("q{i}")), answer(200));
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
        cache.put(key("q"), answer(10));
        assert!(cache.get(&key("q")).is_none());
    }

    #[test]
    fn keys_differ_by_release() {
        let cache = ResponseCache::new(true, 10_000);
        cache.put(key("q"), answer(10));
        let mut other = key("q");
        other.release_id = 2;
        assert!(cache.get(&other).is_none());
    }
}
