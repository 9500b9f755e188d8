//! A least-recently-used map bounded in bytes, and optionally in entries: what
//! the response cache and the automatic persisted queries keep.

use lru::LruCache;
use std::hash::Hash;
use std::num::NonZeroUsize;

#[derive(Debug)]
pub struct BoundedLru<K: Hash + Eq, V> {
    /// Each value with the bytes it was weighed at.
    entries: LruCache<K, (V, usize)>,
    bytes: usize,
    max_bytes: usize,
}

impl<K: Hash + Eq, V> BoundedLru<K, V> {
    /// At most `max_bytes` in all, and `max_entries` entries when given.
    pub fn new(max_bytes: usize, max_entries: Option<NonZeroUsize>) -> Self {
        BoundedLru {
            entries: max_entries.map_or_else(LruCache::unbounded, LruCache::new),
            bytes: 0,
            max_bytes,
        }
    }

    /// The value for `key`, now the most recently used.
    pub fn get(&mut self, key: &K) -> Option<&V> {
        self.entries.get(key).map(|(value, _)| value)
    }

    /// Keeps `value`, weighing `weight` bytes, unless it alone is larger than
    /// the bound; evicts the least recently used entries until all fits.
    pub fn put(&mut self, key: K, value: V, weight: usize) {
        if weight > self.max_bytes {
            return;
        }
        // `push` hands back what it displaced: the old value for this key, or
        // the entry evicted for the entry bound.
        if let Some((_, (_, gone))) = self.entries.push(key, (value, weight)) {
            self.bytes -= gone;
        }
        self.bytes += weight;
        while self.bytes > self.max_bytes {
            match self.entries.pop_lru() {
                Some((_, (_, gone))) => self.bytes -= gone,
                None => break,
            }
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.bytes = 0;
    }

    pub fn bytes(&self) -> usize {
        self.bytes
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_within_its_bytes_evicting_the_least_recently_used() {
        let mut lru = BoundedLru::new(100, None);
        lru.put("a", 1, 40);
        lru.put("b", 2, 40);
        assert_eq!(lru.get(&"a"), Some(&1));
        lru.put("c", 3, 40);
        assert_eq!(lru.bytes(), 80);
        assert_eq!(lru.get(&"b"), None, "b was used least recently");
        assert_eq!(lru.get(&"a"), Some(&1));
        lru.put("huge", 4, 101);
        assert_eq!(lru.get(&"huge"), None);
    }

    #[test]
    fn counts_replaced_and_evicted_entries_out_of_its_bytes() {
        let mut lru = BoundedLru::new(1000, NonZeroUsize::new(2));
        lru.put("a", 1, 10);
        lru.put("a", 2, 30);
        assert_eq!(lru.bytes(), 30);
        lru.put("b", 3, 10);
        lru.put("c", 4, 10);
        assert_eq!((lru.len(), lru.bytes()), (2, 20));
        lru.clear();
        assert_eq!((lru.len(), lru.bytes()), (0, 0));
    }
}
