//! A bounded cache of answers, least recently used out first, keyed by the canonical request.

use std::collections::HashMap;
use std::sync::Arc;

/// At most `capacity` answers and `max_bytes` bytes of them.
pub struct Lru {
    capacity: usize,
    max_bytes: usize,
    bytes: usize,
    tick: u64,
    entries: HashMap<String, (u64, Arc<Vec<u8>>)>,
}

impl Lru {
    /// An empty cache.
    pub fn new(capacity: usize, max_bytes: usize) -> Lru {
        Lru { capacity, max_bytes, bytes: 0, tick: 0, entries: HashMap::new() }
    }

    /// The answer to `key`, marked as just used.
    pub fn get(&mut self, key: &str) -> Option<Arc<Vec<u8>>> {
        self.tick += 1;
        let tick = self.tick;
        self.entries.get_mut(key).map(|(used, v)| {
            *used = tick;
            Arc::clone(v)
        })
    }

    /// Keeps `value` as the answer to `key`, dropping the least recently used answers beyond the bounds.
    /// An answer larger than the whole cache is not kept.
    pub fn put(&mut self, key: String, value: Arc<Vec<u8>>) {
        if self.capacity == 0 || value.len() > self.max_bytes {
            return;
        }
        self.tick += 1;
        self.bytes += value.len();
        if let Some((_, old)) = self.entries.insert(key, (self.tick, value)) {
            self.bytes -= old.len();
        }
        while self.entries.len() > self.capacity || self.bytes > self.max_bytes {
            let Some(oldest) =
                self.entries.iter().min_by_key(|(_, (used, _))| *used).map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some((_, v)) = self.entries.remove(&oldest) {
                self.bytes -= v.len();
            }
        }
    }

    /// Answers kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no answer is kept.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(n: usize) -> Arc<Vec<u8>> {
        Arc::new(vec![0; n])
    }

    #[test]
    fn the_least_recently_used_answer_goes_first() {
        let mut c = Lru::new(2, 1_000);
        c.put("a".into(), v(1));
        c.put("b".into(), v(1));
        assert!(c.get("a").is_some()); // a is now newer than b
        c.put("c".into(), v(1));
        assert!(c.get("b").is_none());
        assert!(c.get("a").is_some());
        assert!(c.get("c").is_some());
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn bytes_are_bounded_too() {
        let mut c = Lru::new(10, 10);
        c.put("a".into(), v(6));
        c.put("b".into(), v(6));
        assert!(c.get("a").is_none());
        assert_eq!(c.len(), 1);
        c.put("huge".into(), v(11));
        assert!(c.get("huge").is_none());
        c.put("b".into(), v(4)); // replacing an answer counts its new size only
        c.put("d".into(), v(6));
        assert_eq!(c.len(), 2);
    }
}
