//! The top k of a stream, in O(n log k).

use std::collections::BinaryHeap;

/// Keeps the `k` least items pushed (by `Ord`: least = ranks first) and
/// returns them sorted. Equal to sorting everything and truncating to `k`
/// (a property test holds them equal).
#[derive(Debug)]
pub(crate) struct TopK<T: Ord> {
    k: usize,
    heap: BinaryHeap<T>,
}

impl<T: Ord> TopK<T> {
    pub(crate) fn new(k: usize) -> TopK<T> {
        // Allocated at the first push: a list nothing is pushed to (the
        // alternatives, when none are asked for) costs no allocation.
        TopK {
            k,
            heap: BinaryHeap::new(),
        }
    }

    pub(crate) fn push(&mut self, item: T) {
        if self.k == 0 {
            return;
        }
        if self.heap.capacity() == 0 {
            self.heap.reserve_exact(self.k.min(1024) + 1);
        }
        if self.heap.len() < self.k {
            self.heap.push(item);
        } else if let Some(mut worst) = self.heap.peek_mut()
            && item < *worst
        {
            *worst = item;
        }
    }

    /// What an item must be less than to be kept: the greatest kept item
    /// once `k` are kept (`None` before, when any item is kept). With `k`
    /// 0 nothing is kept, so every item is at the bar: `Some(None)`.
    pub(crate) fn bar(&self) -> Option<Option<&T>> {
        if self.k == 0 {
            Some(None)
        } else if self.heap.len() < self.k {
            None
        } else {
            self.heap.peek().map(Some)
        }
    }

    /// The kept items, least first, taken out (none are kept after).
    pub(crate) fn take_sorted(&mut self) -> Vec<T> {
        std::mem::take(&mut self.heap).into_sorted_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::TopK;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn equals_sort_then_truncate(items in proptest::collection::vec((0u8..8, any::<u16>()), 0..200), k in 0usize..40) {
            let mut top = TopK::new(k);
            for x in &items {
                top.push(*x);
            }
            let mut all = items.clone();
            all.sort();
            all.truncate(k);
            // The bar is the greatest kept item once k are kept.
            match top.bar() {
                None => prop_assert!(k > 0 && all.len() < k),
                Some(None) => prop_assert_eq!(k, 0),
                Some(Some(bar)) => prop_assert_eq!(Some(bar), all.last()),
            }
            prop_assert_eq!(top.take_sorted(), all);
        }
    }

    #[test]
    fn keeps_the_least_and_breaks_no_ties_wrongly() {
        let mut top = TopK::new(2);
        for x in [5, 1, 4, 1, 3] {
            top.push(x);
        }
        assert_eq!(top.take_sorted(), vec![1, 1]);
    }
}
