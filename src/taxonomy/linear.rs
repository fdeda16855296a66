//! A sparse multiclass linear model, learned by averaged passive-aggressive
//! updates (Crammer et al., *Online Passive-Aggressive Algorithms*, JMLR
//! 2006, PA-I; averaged as in Collins' perceptron).
//!
//! An example is a sparse vector of features and one class. Each step
//! scores the example against every class, and when the true class does not
//! beat the best other class by a margin of 1, moves the true class's
//! weights towards the example and the other class's away, by the least
//! that closes the margin, capped by `aggressiveness × weight of the
//! example`. The model kept is the average of the weights over all steps,
//! which generalises like a large-margin model. Training touches only the
//! classes a feature has been seen with, so it costs examples × epochs ×
//! (features × classes per feature), not examples × classes: a fraction of
//! a second for thousands of examples over thousands of classes.
//!
//! Deterministic: examples are visited in a shuffled order drawn from a
//! fixed seed, and every sum runs in one order.

// Indexing here cannot panic: features and classes index tables sized from
// the same counts at construction.
#![allow(clippy::indexing_slicing)]

/// One training example.
#[derive(Debug, Clone)]
pub(crate) struct Example {
    /// (feature, value), features distinct.
    pub features: Vec<(u32, f32)>,
    /// Its class.
    pub class: u32,
    /// How much it counts (scales the cap on each update).
    pub weight: f32,
}

/// How a model is trained.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Training {
    /// Passes over the examples.
    pub epochs: usize,
    /// PA-I's cap on one update (per unit of example weight).
    pub aggressiveness: f32,
    /// Seed of the visiting order.
    pub seed: u64,
}

/// A trained model: per feature, the classes it votes for and how much.
#[derive(Debug, Clone)]
pub(crate) struct LinearModel {
    rows: Vec<Vec<(u32, f32)>>,
    classes: usize,
}

/// One (class, weight, weighted sum for the average) cell while training.
#[derive(Clone, Copy)]
struct Cell {
    class: u32,
    w: f32,
    u: f32,
}

/// SplitMix64: a small, fixed pseudo-random sequence for the visiting order.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl LinearModel {
    /// Learns a model of `classes` classes over `features` features.
    /// Examples naming a feature or class outside those counts are skipped.
    pub(crate) fn train(features: usize, classes: usize, examples: &[Example], how: Training) -> LinearModel {
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); features];
        let usable: Vec<&Example> = examples
            .iter()
            .filter(|e| {
                (e.class as usize) < classes && e.features.iter().all(|&(f, _)| (f as usize) < features)
            })
            .filter(|e| !e.features.is_empty() && e.weight > 0.0)
            .collect();
        let mut order: Vec<usize> = (0..usable.len()).collect();
        let mut rng = SplitMix(how.seed);
        let mut scores = vec![0.0f32; classes];
        let mut met = vec![false; classes];
        let mut touched: Vec<u32> = Vec::new();
        // Step counter for the average (Daumé's trick: keep Σ t·Δ and
        // subtract it, scaled, at the end).
        let mut t = 1.0f32;
        for _ in 0..how.epochs {
            for i in (1..order.len()).rev() {
                let j = (rng.next() % (i as u64 + 1)) as usize;
                order.swap(i, j);
            }
            for &at in &order {
                let e = usable[at];
                for &(f, x) in &e.features {
                    for c in &rows[f as usize] {
                        let class = c.class as usize;
                        if !met[class] {
                            met[class] = true;
                            touched.push(c.class);
                        }
                        scores[class] += c.w * x;
                    }
                }
                let own = scores[e.class as usize];
                // The best other class (of equals, the first met: the
                // same on every run); classes no feature of the example
                // has met score 0.
                let mut rival: Option<(u32, f32)> = None;
                for &c in touched.iter().filter(|&&c| c != e.class) {
                    let s = scores[c as usize];
                    if rival.is_none_or(|(_, rs)| s > rs) {
                        rival = Some((c, s));
                    }
                }
                let others_met = touched.iter().filter(|&&c| c != e.class).count();
                let unmet_exist = classes > others_met + 1;
                let rival = match rival {
                    Some((c, s)) if s >= 0.0 || !unmet_exist => Some((c, s)),
                    // A class at 0 that no feature met is the rival: only
                    // the true class moves.
                    _ => None,
                };
                let rival_score = rival.map_or(0.0, |(_, s)| s);
                let loss = 1.0 - (own - rival_score);
                if loss > 0.0 {
                    let norm: f32 = e.features.iter().map(|&(_, x)| x * x).sum();
                    let moved = if rival.is_some() { 2.0 } else { 1.0 };
                    let tau = (loss / (moved * norm.max(1e-12))).min(how.aggressiveness * e.weight);
                    for &(f, x) in &e.features {
                        let row = &mut rows[f as usize];
                        add(row, e.class, tau * x, t);
                        if let Some((c, _)) = rival {
                            add(row, c, -tau * x, t);
                        }
                    }
                }
                for &c in &touched {
                    scores[c as usize] = 0.0;
                    met[c as usize] = false;
                }
                touched.clear();
                t += 1.0;
            }
        }
        let rows = rows
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|c| (c.class, c.w - c.u / t))
                    .filter(|&(_, w)| w.abs() > 1e-2)
                    .collect()
            })
            .collect();
        LinearModel { rows, classes }
    }

    /// Number of classes.
    pub(crate) fn classes(&self) -> usize {
        self.classes
    }

    /// A feature's (class, weight) cells.
    pub(crate) fn row(&self, feature: usize) -> &[(u32, f32)] {
        self.rows.get(feature).map_or(&[], Vec::as_slice)
    }

    /// A model from its rows (classes below `classes` only: others are
    /// dropped).
    pub(crate) fn from_rows(classes: usize, mut rows: Vec<Vec<(u32, f32)>>) -> LinearModel {
        for row in &mut rows {
            row.retain(|&(c, _)| (c as usize) < classes);
        }
        LinearModel { rows, classes }
    }

    /// Adds the scores of `x` into `scores` (one slot per class, zeroed by
    /// the caller), noting in `met` and `touched` (once) each class a
    /// feature of `x` votes for.
    pub(crate) fn score_into(
        &self,
        x: &[(u32, f32)],
        scores: &mut [f32],
        met: &mut [bool],
        touched: &mut Vec<u32>,
    ) {
        for &(f, v) in x {
            if let Some(row) = self.rows.get(f as usize) {
                for &(c, w) in row {
                    if let (Some(s), Some(m)) = (scores.get_mut(c as usize), met.get_mut(c as usize)) {
                        if !*m {
                            *m = true;
                            touched.push(c);
                        }
                        *s += w * v;
                    }
                }
            }
        }
    }
}

/// Adds `delta` to `class`'s cell of a feature's row (made if missing),
/// and `t·delta` to its running sum for the average. Rows are kept in
/// class order.
fn add(row: &mut Vec<Cell>, class: u32, delta: f32, t: f32) {
    match row.binary_search_by_key(&class, |c| c.class) {
        Ok(at) => {
            let c = &mut row[at];
            c.w += delta;
            c.u += t * delta;
        }
        Err(at) => row.insert(
            at,
            Cell {
                class,
                w: delta,
                u: t * delta,
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(features: &[(u32, f32)], class: u32) -> Example {
        Example {
            features: features.to_vec(),
            class,
            weight: 1.0,
        }
    }

    fn best(m: &LinearModel, x: &[(u32, f32)]) -> u32 {
        let mut scores = vec![0.0; m.classes()];
        let mut met = vec![false; m.classes()];
        let mut touched = Vec::new();
        m.score_into(x, &mut scores, &mut met, &mut touched);
        (0..m.classes() as u32)
            .max_by(|&a, &b| scores[a as usize].total_cmp(&scores[b as usize]).then(b.cmp(&a)))
            .unwrap_or(0)
    }

    #[test]
    fn separates_what_a_feature_tells_apart() {
        // Feature 0 marks class 0, feature 1 class 1, feature 2 class 2;
        // feature 3 is in every example and says nothing.
        let examples = vec![
            ex(&[(0, 0.9), (3, 0.4)], 0),
            ex(&[(1, 0.9), (3, 0.4)], 1),
            ex(&[(2, 0.9), (3, 0.4)], 2),
            ex(&[(0, 0.7), (3, 0.7)], 0),
            ex(&[(1, 0.7), (3, 0.7)], 1),
        ];
        let how = Training {
            epochs: 10,
            aggressiveness: 1.0,
            seed: 7,
        };
        let m = LinearModel::train(4, 3, &examples, how);
        assert_eq!(best(&m, &[(0, 1.0)]), 0);
        assert_eq!(best(&m, &[(1, 1.0)]), 1);
        assert_eq!(best(&m, &[(2, 1.0), (3, 0.5)]), 2);
        // Deterministic.
        let again = LinearModel::train(4, 3, &examples, how);
        assert_eq!(format!("{:?}", m.rows), format!("{:?}", again.rows));
    }

    #[test]
    fn skips_examples_out_of_range() {
        let examples = vec![ex(&[(9, 1.0)], 0), ex(&[(0, 1.0)], 5), ex(&[(0, 1.0)], 1)];
        let how = Training {
            epochs: 3,
            aggressiveness: 1.0,
            seed: 1,
        };
        let m = LinearModel::train(2, 2, &examples, how);
        assert_eq!(best(&m, &[(0, 1.0)]), 1);
    }
}
