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
        TopK {
            k,
            heap: BinaryHeap::with_capacity(k.min(1024) + 1),
        }
    }

    pub(crate) fn push(&mut self, item: T) {
        if self.k == 0 {
            return;
        }
        if self.heap.len() < self.k {
            self.heap.push(item);
        } else if let Some(mut worst) = self.heap.peek_mut()
            && item < *worst
        {
            *worst = item;
        }
    }

    /// The kept items, least first.
    pub(crate) fn into_sorted(self) -> Vec<T> {
        self.heap.into_sorted_vec()
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
            prop_assert_eq!(top.into_sorted(), all);
        }
    }

    #[test]
    fn keeps_the_least_and_breaks_no_ties_wrongly() {
        let mut top = TopK::new(2);
        for x in [5, 1, 4, 1, 3] {
            top.push(x);
        }
        assert_eq!(top.into_sorted(), vec![1, 1]);
    }
}
