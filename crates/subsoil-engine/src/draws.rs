//! A path's random numbers: the scalar inputs drawn once per path, and the yearly uniforms and normals
//! the model reads from named streams.
//!
//! Every uncertain input (a slot of [`subsoil_scenario::Inputs`]) gets one uniform per path from the
//! [`Sampler`] (pseudo-random, Latin hypercube or Sobol), keyed by the input's stream and its slot. If the
//! scenario correlates inputs, a Gaussian [`Copula`] mixes the uniforms of the correlated slots. Each
//! uniform then goes through its distribution's quantile function and is clamped to the input's bounds.
//! Yearly numbers are not stratified: `uniform(stream, k)` is [`subsoil_risk::uniform`] at
//! `(seed, path, stream, k)` and `normal` its standard-normal transform, so they depend only on the seed,
//! the path and their coordinates.

use subsoil_core::Randomness;
use subsoil_risk::{Copula, CopulaError, Dist, InputKey, Sampler, std_normal, uniform};
use subsoil_scenario::Inputs;

/// One uncertain input, as the drawer needs it.
#[derive(Clone, Debug)]
struct Slot {
    key: InputKey,
    dist: Dist,
    lo: f64,
    hi: f64,
}

/// Rank correlations among a subset of the slots.
#[derive(Clone, Debug)]
struct Correlated {
    /// The slots that take part, in the copula's order.
    slots: Vec<usize>,
    copula: Copula,
}

/// Draws every uncertain input of a scenario for any path; shared read-only by all threads.
#[derive(Clone, Debug)]
pub struct ScalarDraws {
    sampler: Sampler,
    slots: Vec<Slot>,
    correlated: Option<Correlated>,
}

impl ScalarDraws {
    /// A drawer for `inputs` under `sampler`, with Spearman rank correlations `(slot, slot, ρ)` between
    /// inputs (empty for independent inputs).
    ///
    /// # Errors
    ///
    /// A [`CopulaError`] when a pair names a slot that does not exist, pairs a slot with itself, gives a
    /// correlation outside `[-1, 1]` or gives one pair two values. Inconsistent correlations are not an
    /// error: the copula repairs them.
    pub fn new(
        inputs: &Inputs,
        sampler: Sampler,
        correlations: &[(u32, u32, f64)],
    ) -> Result<ScalarDraws, CopulaError> {
        let slots = inputs
            .list
            .iter()
            .enumerate()
            .map(|(slot, input)| Slot {
                key: InputKey::new(input.stream, slot as u32),
                dist: input.dist.clone(),
                lo: input.bounds.0,
                hi: input.bounds.1,
            })
            .collect::<Vec<_>>();
        let correlated = correlate(slots.len(), correlations)?;
        Ok(ScalarDraws { sampler, slots, correlated })
    }

    /// Number of uncertain inputs (the length of the buffer [`ScalarDraws::fill`] writes).
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether the scenario has no uncertain input.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The sampler.
    pub fn sampler(&self) -> &Sampler {
        &self.sampler
    }

    /// A scratch buffer sized for this drawer (allocate once per thread, reuse for every path).
    pub fn scratch(&self) -> Scratch {
        Scratch {
            values: vec![0.0; self.slots.len()],
            copula: vec![0.0; self.correlated.as_ref().map_or(0, |c| c.slots.len())],
        }
    }

    /// Writes the values of every uncertain input on `path` into `scratch`; allocates nothing.
    pub fn fill(&self, path: u64, scratch: &mut Scratch) {
        let values = &mut scratch.values;
        for (v, s) in values.iter_mut().zip(&self.slots) {
            *v = self.sampler.unit(path, s.key);
        }
        if let Some(c) = &self.correlated {
            for (u, &slot) in scratch.copula.iter_mut().zip(&c.slots) {
                *u = values[slot];
            }
            c.copula.apply(&mut scratch.copula);
            for (&u, &slot) in scratch.copula.iter().zip(&c.slots) {
                values[slot] = u;
            }
        }
        for (v, s) in values.iter_mut().zip(&self.slots) {
            *v = s.dist.quantile(*v).clamp(s.lo, s.hi);
        }
    }
}

/// The copula over the slots named in `pairs`, or `None` when there are no pairs. Only the slots that
/// take part are mixed, so a few correlations among hundreds of inputs cost a few operations per path.
fn correlate(n: usize, pairs: &[(u32, u32, f64)]) -> Result<Option<Correlated>, CopulaError> {
    if pairs.is_empty() {
        return Ok(None);
    }
    let mut slots: Vec<usize> =
        pairs.iter().flat_map(|&(i, j, _)| [i as usize, j as usize]).collect();
    slots.sort_unstable();
    slots.dedup();
    // A slot beyond the inputs keeps its own index, past the compact range, so the copula reports it.
    let compact = |s: u32| -> usize {
        let s = s as usize;
        if s < n { slots.binary_search(&s).unwrap_or(usize::MAX) } else { usize::MAX }
    };
    let mut local = Vec::with_capacity(pairs.len());
    for &(i, j, rho) in pairs {
        let (a, b) = (compact(i), compact(j));
        if a == usize::MAX || b == usize::MAX {
            let index = if a == usize::MAX { i } else { j };
            return Err(CopulaError::IndexOutOfRange {
                pair: local.len(),
                index: index as usize,
                n,
            });
        }
        local.push((a, b, rho));
    }
    let copula = Copula::new(slots.len(), &local)?;
    Ok(Some(Correlated { slots, copula }))
}

/// Per-thread buffers of [`ScalarDraws::fill`].
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    values: Vec<f64>,
    copula: Vec<f64>,
}

impl Scratch {
    /// The values of the inputs by slot, as last filled.
    pub fn values(&self) -> &[f64] {
        &self.values
    }
}

/// The chance of one Monte Carlo path, as the model sees it.
#[derive(Clone, Copy, Debug)]
pub struct PathRandomness<'a> {
    /// The run's seed.
    pub seed: u64,
    /// The path index.
    pub path: u64,
    /// The path's values of the uncertain inputs, by slot.
    pub scalars: &'a [f64],
}

impl Randomness for PathRandomness<'_> {
    #[inline]
    fn scalar(&self, slot: u32) -> f64 {
        self.scalars[slot as usize]
    }
    #[inline]
    fn uniform(&self, stream: u64, k: u32) -> f64 {
        uniform(self.seed, self.path, stream, u64::from(k))
    }
    #[inline]
    fn normal(&self, stream: u64, k: u32) -> f64 {
        std_normal(self.seed, self.path, stream, u64::from(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use subsoil_risk::SamplerKind;

    fn inputs(names: &[&str]) -> Inputs {
        let mut inputs = Inputs::default();
        for name in names {
            inputs.slot(name, Dist::uniform(0.0, 1.0).expect("valid"), "a test input");
        }
        inputs
    }

    #[test]
    fn draws_are_a_function_of_seed_path_and_name() {
        let a = inputs(&["x", "y"]);
        let b = inputs(&["y", "x"]);
        let sampler = Sampler::new(SamplerKind::Random, 9);
        let (da, db) = (
            ScalarDraws::new(&a, sampler, &[]).expect("no pairs"),
            ScalarDraws::new(&b, sampler, &[]).expect("no pairs"),
        );
        let (mut sa, mut sb) = (da.scratch(), db.scratch());
        da.fill(17, &mut sa);
        db.fill(17, &mut sb);
        // Common random numbers: an input keeps its draw when the registry order changes.
        assert_eq!(sa.values()[0], sb.values()[1]);
        assert_eq!(sa.values()[1], sb.values()[0]);
        da.fill(18, &mut sb);
        assert_ne!(sa.values()[0], sb.values()[0]);
    }

    #[test]
    fn strong_correlation_moves_inputs_together() {
        let ins = inputs(&["a", "b", "c"]);
        let sampler = Sampler::new(SamplerKind::Random, 1);
        let d = ScalarDraws::new(&ins, sampler, &[(0, 2, 0.95)]).expect("valid pair");
        let mut s = d.scratch();
        let (mut agree, n) = (0, 2000);
        for path in 0..n {
            d.fill(path, &mut s);
            let v = s.values();
            agree += usize::from((v[0] > 0.5) == (v[2] > 0.5));
        }
        // With ρ_s = 0.95 both sides of the median agree on about 90% of paths (independent: 50%).
        assert!(agree > n as usize * 8 / 10, "{agree} of {n}");
    }

    #[test]
    fn a_pair_naming_a_missing_slot_is_an_error() {
        let ins = inputs(&["a"]);
        let sampler = Sampler::new(SamplerKind::Random, 1);
        let err = ScalarDraws::new(&ins, sampler, &[(0, 5, 0.3)]).expect_err("slot 5 is missing");
        assert!(matches!(err, CopulaError::IndexOutOfRange { index: 5, n: 1, .. }), "{err:?}");
    }
}
