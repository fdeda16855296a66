//! Sampling: seeded streams, weighted choices, normal draws.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// SplitMix64 finaliser: spreads (seed, stream, index) over the seed space.
pub(super) fn mix(seed: u64, stream: u64, index: u64) -> u64 {
    let mut z = seed
        .wrapping_add(stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(index.wrapping_mul(0xBF58_476D_1CE4_E5B9));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A weighted choice among items, sampled by binary search over the
/// cumulative weights.
#[derive(Debug, Clone)]
pub(super) struct Weighted<T> {
    items: Vec<T>,
    cumulative: Vec<f64>,
}

impl<T: Copy> Weighted<T> {
    pub(super) fn new(pairs: impl IntoIterator<Item = (T, f64)>) -> Self {
        let mut items = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0.0;
        for (item, w) in pairs {
            if w > 0.0 {
                total += w;
                items.push(item);
                cumulative.push(total);
            }
        }
        Weighted { items, cumulative }
    }

    pub(super) fn total(&self) -> f64 {
        self.cumulative.last().copied().unwrap_or(0.0)
    }

    pub(super) fn sample(&self, rng: &mut ChaCha8Rng) -> T {
        let u = rng.random::<f64>() * self.total();
        let i = self.cumulative.partition_point(|&c| c <= u);
        self.items[i.min(self.items.len() - 1)]
    }
}

/// A standard normal draw (Box–Muller).
pub(super) fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

pub(super) fn round_to(x: f64, step: f64) -> f64 {
    (x / step).round() * step
}
