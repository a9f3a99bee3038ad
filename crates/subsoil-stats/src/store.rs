//! Bounded dense bucket store behind [`crate::QuantileSketch`], one per sign.
//!
//! Bucket keys are integers that grow with the magnitude of the value. The store keeps counts in
//! one contiguous window and never holds more than `max_buckets` keys: when the keys in use would
//! span more than that, everything below `max_key − max_buckets + 1` is added into that lowest
//! retained bucket (the one nearest zero). The final bucket of every value therefore depends only
//! on its own key and on the largest key ever added, so the bucket counts after any sequence of
//! adds and merges equal those after adding the same values in any other order.

/// Number of buckets allocated for a new store; the window doubles as needed up to the bound.
const INITIAL_WINDOW: usize = 64;

/// Counts per integer key in a window `[offset, offset + counts.len())`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Store {
    counts: Vec<u64>,
    offset: i32,
    /// Smallest key with a non-zero count (meaningful only when `total > 0`).
    min_key: i32,
    /// Largest key with a non-zero count (meaningful only when `total > 0`).
    max_key: i32,
    total: u64,
    max_buckets: usize,
    /// Whether some values were added into the lowest bucket from below it.
    collapsed: bool,
}

impl Store {
    /// An empty store holding at most `max_buckets` keys (at least 1).
    pub(crate) fn new(max_buckets: usize) -> Self {
        Self {
            counts: Vec::new(),
            offset: 0,
            min_key: 0,
            max_key: 0,
            total: 0,
            max_buckets: max_buckets.max(1),
            collapsed: false,
        }
    }

    /// Total count over all buckets.
    pub(crate) fn total(&self) -> u64 {
        self.total
    }

    /// Number of buckets currently allocated (memory in use is eight bytes per bucket).
    pub(crate) fn allocated(&self) -> usize {
        self.counts.len()
    }

    /// Whether the lowest bucket absorbed keys below it.
    pub(crate) fn collapsed(&self) -> bool {
        self.collapsed
    }

    /// Marks the lowest bucket as having absorbed smaller keys (as a saved store said).
    pub(crate) fn mark_collapsed(&mut self, collapsed: bool) {
        self.collapsed |= collapsed;
    }

    /// Largest number of buckets this store may hold.
    pub(crate) fn max_buckets(&self) -> usize {
        self.max_buckets
    }

    /// Largest key in use, if any.
    pub(crate) fn max_key(&self) -> Option<i32> {
        (self.total > 0).then_some(self.max_key)
    }

    /// Smallest key in use, if any.
    pub(crate) fn min_key(&self) -> Option<i32> {
        (self.total > 0).then_some(self.min_key)
    }

    /// Lowest key that may hold a value: the bound implied by the largest key.
    fn floor_for(&self, max_key: i32) -> i32 {
        let span = i32::try_from(self.max_buckets - 1).unwrap_or(i32::MAX);
        max_key.saturating_sub(span)
    }

    /// Adds `count` values with bucket key `key`.
    #[inline]
    pub(crate) fn add(&mut self, key: i32, count: u64) {
        // Fast path: a key inside the range already in use.
        if self.total > 0 && self.min_key <= key && key <= self.max_key {
            let slot = self.slot(key);
            self.counts[slot] += count;
            self.total += count;
        } else {
            self.add_outside(key, count);
        }
    }

    /// Adds a key that extends the range in use (or the first key), collapsing if needed.
    #[cold]
    fn add_outside(&mut self, key: i32, count: u64) {
        if count == 0 {
            return;
        }
        if self.total == 0 {
            self.min_key = key;
            self.max_key = key;
            self.ensure_window(key, key);
        } else if key > self.max_key {
            let floor = self.floor_for(key);
            if self.min_key < floor {
                self.collapse_below(floor);
            }
            self.max_key = key;
            self.ensure_window(self.min_key, self.max_key);
        }
        let mut key = key;
        if key < self.min_key {
            let floor = self.floor_for(self.max_key);
            if key < floor {
                key = floor;
                self.collapsed = true;
            }
            self.min_key = key;
            self.ensure_window(self.min_key, self.max_key);
        }
        let slot = self.slot(key);
        self.counts[slot] += count;
        self.total += count;
    }

    /// Adds every bucket of `other` into `self`, largest keys first so that collapsing happens
    /// once.
    pub(crate) fn merge(&mut self, other: &Store) {
        if other.total == 0 {
            return;
        }
        self.collapsed |= other.collapsed;
        for (key, count) in other.iter_desc() {
            self.add(key, count);
        }
    }

    /// Non-empty buckets as `(key, count)` in increasing key order.
    pub(crate) fn iter_asc(&self) -> impl Iterator<Item = (i32, u64)> + '_ {
        let offset = self.offset;
        self.counts
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c > 0)
            .map(move |(i, &c)| (offset + i as i32, c))
    }

    /// Non-empty buckets as `(key, count)` in decreasing key order.
    pub(crate) fn iter_desc(&self) -> impl Iterator<Item = (i32, u64)> + '_ {
        let offset = self.offset;
        self.counts
            .iter()
            .enumerate()
            .rev()
            .filter(|&(_, &c)| c > 0)
            .map(move |(i, &c)| (offset + i as i32, c))
    }

    fn slot(&self, key: i32) -> usize {
        (i64::from(key) - i64::from(self.offset)) as usize
    }

    /// Moves all counts with keys below `floor` into bucket `floor`.
    fn collapse_below(&mut self, floor: i32) {
        let mut moved = 0;
        for key in self.min_key..floor.min(self.max_key + 1) {
            let slot = self.slot(key);
            moved += self.counts[slot];
            self.counts[slot] = 0;
        }
        if moved > 0 {
            self.collapsed = true;
        }
        self.min_key = floor;
        if floor <= self.max_key {
            let slot = self.slot(floor);
            self.counts[slot] += moved;
        } else {
            // Every old key lies below the new floor: the counts move to the new floor bucket,
            // which the window must cover first.
            self.max_key = floor;
            self.ensure_window(floor, floor);
            let slot = self.slot(floor);
            self.counts[slot] += moved;
        }
    }

    /// Reallocates if needed so that the window covers `[lo, hi]` (`hi − lo < max_buckets`).
    fn ensure_window(&mut self, lo: i32, hi: i32) {
        let len = self.counts.len();
        let end = i64::from(self.offset) + len as i64;
        if len > 0 && self.offset <= lo && i64::from(hi) < end {
            return;
        }
        let span = (i64::from(hi) - i64::from(lo) + 1) as usize;
        let new_len = span.max(2 * len).max(INITIAL_WINDOW).min(self.max_buckets.max(span));
        let slack = (new_len - span) as i64;
        // Leave the spare room on the side the data is growing towards.
        let growing_down = len > 0 && lo < self.offset;
        let new_offset = if growing_down { i64::from(lo) - slack } else { i64::from(lo) };
        let new_offset = i32::try_from(new_offset).unwrap_or(i32::MIN);
        let mut counts = vec![0; new_len];
        for (key, count) in self.iter_asc() {
            let slot = (i64::from(key) - i64::from(new_offset)) as usize;
            counts[slot] = count;
        }
        self.counts = counts;
        self.offset = new_offset;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buckets(s: &Store) -> Vec<(i32, u64)> {
        s.iter_asc().collect()
    }

    #[test]
    fn counts_land_in_their_keys_until_the_bound_is_reached() {
        let mut s = Store::new(4);
        for k in [10, 12, 11, 10, 13] {
            s.add(k, 1);
        }
        assert_eq!(buckets(&s), vec![(10, 2), (11, 1), (12, 1), (13, 1)]);
        assert!(!s.collapsed());
        s.add(15, 1);
        // Keys 10 and 11 fold into 12, the lowest key within four of 15.
        assert_eq!(buckets(&s), vec![(12, 4), (13, 1), (15, 1)]);
        assert!(s.collapsed());
        s.add(-100, 2);
        assert_eq!(buckets(&s), vec![(12, 6), (13, 1), (15, 1)]);
        assert_eq!(s.total(), 8);
        assert!(s.allocated() <= 4);
    }

    #[test]
    fn jump_far_above_moves_everything_into_the_new_floor() {
        let mut s = Store::new(3);
        s.add(0, 5);
        s.add(1, 1);
        s.add(100, 1);
        assert_eq!(buckets(&s), vec![(98, 6), (100, 1)]);
    }

    #[test]
    fn final_counts_do_not_depend_on_the_order_of_adds() {
        let keys: Vec<i32> = (0..200).map(|i| ((i * 7919) % 131) - 40).collect();
        let mut forward = Store::new(16);
        keys.iter().for_each(|&k| forward.add(k, 1));
        let mut backward = Store::new(16);
        keys.iter().rev().for_each(|&k| backward.add(k, 1));
        let mut halves = Store::new(16);
        let mut other = Store::new(16);
        keys[..77].iter().for_each(|&k| halves.add(k, 1));
        keys[77..].iter().for_each(|&k| other.add(k, 1));
        halves.merge(&other);
        assert_eq!(buckets(&forward), buckets(&backward));
        assert_eq!(buckets(&forward), buckets(&halves));
        assert_eq!(forward.total(), 200);
    }

    #[test]
    fn growing_downwards_keeps_existing_counts() {
        let mut s = Store::new(1000);
        for k in (0..300).rev() {
            s.add(k, 1);
        }
        assert_eq!(s.total(), 300);
        assert_eq!(buckets(&s).len(), 300);
        assert_eq!(s.min_key(), Some(0));
    }
}
