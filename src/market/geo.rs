//! Places on the sphere: points jittered around a centre.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::sample::normal;
use crate::region::Coordinates;

/// A point `km` away from `from` in a random direction with a normal spread.
pub(super) fn jitter(rng: &mut ChaCha8Rng, from: Coordinates, sigma_km: f64) -> Coordinates {
    let km = (sigma_km * normal(rng)).abs();
    offset(from, km, rng.random_range(0.0..std::f64::consts::TAU))
}

/// The point `km` from `from` along `bearing` (radians), on a sphere.
pub(super) fn offset(from: Coordinates, km: f64, bearing: f64) -> Coordinates {
    let d = km / 6371.0088;
    let (lat1, lon1) = (from.lat().to_radians(), from.lon().to_radians());
    let lat2 = (lat1.sin() * d.cos() + lat1.cos() * d.sin() * bearing.cos()).asin();
    let lon2 = lon1 + (bearing.sin() * d.sin() * lat1.cos()).atan2(d.cos() - lat1.sin() * lat2.sin());
    // Six decimals (~0.1 m) keep files small and round-trip exactly.
    let r6 = |x: f64| (x * 1e6).round() / 1e6;
    Coordinates::new(r6(lat2.to_degrees()), r6(lon2.to_degrees())).unwrap_or(from)
}
