//! A guess of the k-th score a seeker will get, from the seekers before:
//! the search's first floor.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// A running estimate of the k-th score seekers get from a matcher, from
/// which the search guesses a floor: exponentially weighted mean and mean
/// absolute deviation, in relaxed atomics (a matcher is shared across
/// threads; a race only blurs the estimate, never a result).
#[derive(Debug, Default)]
pub(super) struct ThetaEstimate {
    k: AtomicUsize,
    seen: AtomicU64,
    mean: AtomicU64,
    deviation: AtomicU64,
}

impl ThetaEstimate {
    /// Seekers observed before guessing.
    const WARM_UP: u64 = 16;
    /// Weight of each new observation.
    const RATE: f64 = 1.0 / 32.0;
    /// The floor: this many mean deviations below the mean (about the
    /// 20th percentile of a normal spread), so that most first searches
    /// settle and few run twice.
    const DEVIATIONS: f64 = 1.0;

    fn load(x: &AtomicU64) -> f64 {
        f64::from_bits(x.load(Ordering::Relaxed))
    }

    fn store(x: &AtomicU64, v: f64) {
        x.store(v.to_bits(), Ordering::Relaxed);
    }

    /// A floor for a search of the top `k`, once enough seekers were seen.
    pub(super) fn guess(&self, k: usize) -> Option<f64> {
        if self.k.load(Ordering::Relaxed) != k || self.seen.load(Ordering::Relaxed) < Self::WARM_UP {
            return None;
        }
        let floor = Self::load(&self.mean) - Self::DEVIATIONS * Self::load(&self.deviation);
        floor.is_finite().then_some(floor)
    }

    /// Records a seeker's k-th score.
    pub(super) fn observe(&self, k: usize, kth: f64) {
        if !kth.is_finite() {
            return;
        }
        if self.k.swap(k, Ordering::Relaxed) != k {
            Self::store(&self.mean, kth);
            Self::store(&self.deviation, 0.0);
            self.seen.store(1, Ordering::Relaxed);
            return;
        }
        let mean = Self::load(&self.mean);
        let deviation = Self::load(&self.deviation);
        Self::store(&self.mean, mean + Self::RATE * (kth - mean));
        Self::store(
            &self.deviation,
            deviation + Self::RATE * ((kth - mean).abs() - deviation),
        );
        self.seen.fetch_add(1, Ordering::Relaxed);
    }
}
