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
use subsoil_risk::{
    Copula, CopulaError, Dist, InputKey, Sampler, connected_groups, std_normal, std_normals,
    uniform,
};
use subsoil_scenario::Inputs;

/// One uncertain input, as the drawer needs it.
#[derive(Clone, Debug)]
struct Slot {
    key: InputKey,
    dist: Dist,
    lo: f64,
    hi: f64,
}

/// Rank correlations among one connected group of slots (inputs in different groups are independent).
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
    /// One copula per connected group of correlated slots.
    correlated: Vec<Correlated>,
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

    /// The sizes of the connected groups of correlated inputs, each with a copula of its own.
    pub fn correlated_groups(&self) -> Vec<usize> {
        self.correlated.iter().map(|c| c.slots.len()).collect()
    }

    /// The sampler.
    pub fn sampler(&self) -> &Sampler {
        &self.sampler
    }

    /// A scratch buffer sized for this drawer (allocate once per thread, reuse for every path).
    pub fn scratch(&self) -> Scratch {
        Scratch {
            values: vec![0.0; self.slots.len()],
            copula: vec![0.0; self.correlated.iter().map(|c| c.slots.len()).max().unwrap_or(0)],
        }
    }

    /// Writes the values of every uncertain input on `path` into `scratch`; allocates nothing.
    pub fn fill(&self, path: u64, scratch: &mut Scratch) {
        let values = &mut scratch.values;
        for (v, s) in values.iter_mut().zip(&self.slots) {
            *v = self.sampler.unit(path, s.key);
        }
        for c in &self.correlated {
            let u = &mut scratch.copula[..c.slots.len()];
            for (u, &slot) in u.iter_mut().zip(&c.slots) {
                *u = values[slot];
            }
            c.copula.apply(u);
            for (&u, &slot) in u.iter().zip(&c.slots) {
                values[slot] = u;
            }
        }
        for (v, s) in values.iter_mut().zip(&self.slots) {
            *v = s.dist.quantile(*v).clamp(s.lo, s.hi);
        }
    }
}

/// One copula per connected group of the slots named in `pairs` (none when there are no pairs). Only
/// the slots that take part are mixed, and each group is factorised on its own, so a few correlations
/// among hundreds of inputs cost a few operations per path, and many small groups cost no more than
/// their sizes.
fn correlate(n: usize, pairs: &[(u32, u32, f64)]) -> Result<Vec<Correlated>, CopulaError> {
    for (pair, &(i, j, _)) in pairs.iter().enumerate() {
        if let Some(&index) = [i, j].iter().find(|&&s| s as usize >= n) {
            return Err(CopulaError::IndexOutOfRange { pair, index: index as usize, n });
        }
    }
    let links: Vec<(usize, usize)> =
        pairs.iter().map(|&(i, j, _)| (i as usize, j as usize)).collect();
    let groups = connected_groups(n, &links);
    // Each slot's group and its position in it.
    let mut place = vec![(usize::MAX, 0usize); n];
    for (g, slots) in groups.iter().enumerate() {
        for (k, &slot) in slots.iter().enumerate() {
            place[slot] = (g, k);
        }
    }
    // Each group's pairs in local numbering, with their positions in `pairs` for error messages.
    let mut local: Vec<Vec<(usize, usize, f64)>> = vec![Vec::new(); groups.len()];
    let mut global: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    for (pair, &(i, j, rho)) in pairs.iter().enumerate() {
        let ((g, a), (_, b)) = (place[i as usize], place[j as usize]);
        local[g].push((a, b, rho));
        global[g].push(pair);
    }
    let mut out = Vec::with_capacity(groups.len());
    for ((slots, local), global) in groups.into_iter().zip(&local).zip(&global) {
        let copula =
            Copula::new(slots.len(), local).map_err(|e| e.renumber(|p| global[p], |i| slots[i]))?;
        out.push(Correlated { slots, copula });
    }
    Ok(out)
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
    fn normals(&self, stream: u64, first: u32, out: &mut [f64]) {
        std_normals(self.seed, self.path, stream, u64::from(first), out);
    }
}

/// The chance of a hybrid path of a Saltelli design: the draws of path `a`, except that the scalar
/// inputs and yearly streams of one factor come from path `b`. `scalars` already holds the mixed
/// values of the inputs (path `a`'s, with the factor's slots from path `b`); `from_b` lists the ids of
/// the factor's streams, sorted.
#[derive(Clone, Copy, Debug)]
pub struct MixedRandomness<'a> {
    /// The run's seed.
    pub seed: u64,
    /// The path whose draws are kept.
    pub a: u64,
    /// The path the factor's streams come from.
    pub b: u64,
    /// The mixed values of the uncertain inputs, by slot.
    pub scalars: &'a [f64],
    /// The factor's streams, sorted.
    pub from_b: &'a [u64],
}

impl MixedRandomness<'_> {
    #[inline]
    fn path(&self, stream: u64) -> u64 {
        if self.from_b.binary_search(&stream).is_ok() { self.b } else { self.a }
    }
}

impl Randomness for MixedRandomness<'_> {
    #[inline]
    fn scalar(&self, slot: u32) -> f64 {
        self.scalars[slot as usize]
    }
    #[inline]
    fn uniform(&self, stream: u64, k: u32) -> f64 {
        uniform(self.seed, self.path(stream), stream, u64::from(k))
    }
    #[inline]
    fn normal(&self, stream: u64, k: u32) -> f64 {
        std_normal(self.seed, self.path(stream), stream, u64::from(k))
    }
    fn normals(&self, stream: u64, first: u32, out: &mut [f64]) {
        std_normals(self.seed, self.path(stream), stream, u64::from(first), out);
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
    fn a_hybrid_path_takes_the_factors_streams_from_b_and_the_rest_from_a() {
        let (s1, s2) = (subsoil_risk::stream_id("one"), subsoil_risk::stream_id("two"));
        let mut from_b = [s2];
        from_b.sort_unstable();
        let scalars = [1.5, 2.5];
        let h = MixedRandomness { seed: 4, a: 10, b: 11, scalars: &scalars, from_b: &from_b };
        let (pa, pb) = (
            PathRandomness { seed: 4, path: 10, scalars: &scalars },
            PathRandomness { seed: 4, path: 11, scalars: &scalars },
        );
        for k in 0..5 {
            assert_eq!(h.uniform(s1, k), pa.uniform(s1, k));
            assert_eq!(h.normal(s1, k), pa.normal(s1, k));
            assert_eq!(h.uniform(s2, k), pb.uniform(s2, k));
            assert_eq!(h.normal(s2, k), pb.normal(s2, k));
        }
        assert_ne!(pa.uniform(s2, 0), pb.uniform(s2, 0));
        assert_eq!(h.scalar(1), 2.5);
    }

    #[test]
    fn a_batch_of_normals_is_each_sub_index_s_normal_on_plain_and_hybrid_paths() {
        // The markets draw a path's price shocks as one batch (`Randomness::normals`): each must be
        // the number `normal` gives for its sub-index, on a plain path and on a hybrid one, for the
        // factor's streams and the others.
        let (s1, s2) = (subsoil_risk::stream_id("one"), subsoil_risk::stream_id("two"));
        let from_b = [s2];
        let scalars = [1.5];
        let h = MixedRandomness { seed: 4, a: 10, b: 11, scalars: &scalars, from_b: &from_b };
        let p = PathRandomness { seed: 4, path: 10, scalars: &scalars };
        let check = |r: &dyn Fn(u64, u32, &mut [f64]), one: &dyn Fn(u64, u32) -> f64| {
            for stream in [s1, s2] {
                for first in [0, 1, 47] {
                    let mut batch = [f64::NAN; 60];
                    r(stream, first, &mut batch);
                    for (j, z) in batch.iter().enumerate() {
                        let want = one(stream, first + j as u32);
                        assert_eq!(z.to_bits(), want.to_bits(), "stream {stream} k {first}+{j}");
                    }
                }
            }
        };
        check(&|s, k, out| p.normals(s, k, out), &|s, k| p.normal(s, k));
        check(&|s, k, out| h.normals(s, k, out), &|s, k| h.normal(s, k));
        // The hybrid's factor stream is path b's, the other path a's.
        let (mut hb, mut pa) = ([0.0; 3], [0.0; 3]);
        h.normals(s2, 0, &mut hb);
        p.normals(s2, 0, &mut pa);
        assert_ne!(hb, pa);
    }

    #[test]
    fn a_pair_naming_a_missing_slot_is_an_error() {
        let ins = inputs(&["a"]);
        let sampler = Sampler::new(SamplerKind::Random, 1);
        let err = ScalarDraws::new(&ins, sampler, &[(0, 5, 0.3)]).expect_err("slot 5 is missing");
        assert!(matches!(err, CopulaError::IndexOutOfRange { index: 5, n: 1, .. }), "{err:?}");
    }

    /// Spearman rank correlation of two samples (no ties: the draws are continuous).
    fn spearman(x: &[f64], y: &[f64]) -> f64 {
        let rank = |v: &[f64]| {
            let mut idx: Vec<usize> = (0..v.len()).collect();
            idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
            let mut r = vec![0.0; v.len()];
            for (k, &i) in idx.iter().enumerate() {
                r[i] = k as f64;
            }
            r
        };
        let (rx, ry) = (rank(x), rank(y));
        let n = x.len() as f64;
        let m = (n - 1.0) / 2.0;
        let cov: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - m) * (b - m)).sum();
        let var: f64 = rx.iter().map(|a| (a - m) * (a - m)).sum();
        cov / var
    }

    fn chain(n: u32, rho: f64) -> Vec<(u32, u32, f64)> {
        (0..n - 1).map(|i| (i, i + 1, rho)).collect()
    }

    #[test]
    fn a_chain_of_a_thousand_correlated_inputs_draws_the_ranks_it_asks_for() {
        let names: Vec<String> = (0..1000).map(|i| format!("x{i}")).collect();
        let ins = inputs(&names.iter().map(String::as_str).collect::<Vec<_>>());
        let sampler = Sampler::new(SamplerKind::Random, 3);
        let d = ScalarDraws::new(&ins, sampler, &chain(1000, 0.3)).expect("consistent chain");
        assert_eq!(d.correlated_groups(), vec![1000]);
        let mut s = d.scratch();
        let paths = 4000;
        let mut cols: Vec<Vec<f64>> = vec![Vec::new(); 6];
        for path in 0..paths as u64 {
            d.fill(path, &mut s);
            for (c, &slot) in cols.iter_mut().zip(&[0, 1, 500, 501, 998, 999]) {
                c.push(s.values()[slot]);
            }
        }
        // Neighbours get the requested 0.3 (se about 0.015 at 4,000 paths).
        for (a, b) in [(0, 1), (2, 3), (4, 5)] {
            let r = spearman(&cols[a], &cols[b]);
            assert!((r - 0.3).abs() < 0.06, "neighbours {a}-{b}: {r}");
        }
        // Far apart in the chain: the correlation decays to nothing.
        let r = spearman(&cols[0], &cols[5]);
        assert!(r.abs() < 0.06, "ends of the chain: {r}");
    }

    #[test]
    fn separate_groups_of_correlated_inputs_get_copulas_of_their_own() {
        let names: Vec<String> = (0..1000).map(|i| format!("x{i}")).collect();
        let ins = inputs(&names.iter().map(String::as_str).collect::<Vec<_>>());
        // 250 pairs (2k, 2k+1) plus one triangle: 251 groups, none larger than 3.
        let mut pairs: Vec<(u32, u32, f64)> = (0..250).map(|k| (2 * k, 2 * k + 1, 0.8)).collect();
        pairs.extend([(600, 601, 0.5), (601, 602, 0.5), (600, 602, 0.5)]);
        let sampler = Sampler::new(SamplerKind::Random, 5);
        let d = ScalarDraws::new(&ins, sampler, &pairs).expect("valid");
        let groups = d.correlated_groups();
        assert_eq!(groups.len(), 251);
        assert_eq!(groups.iter().max(), Some(&3));
        assert_eq!(groups.iter().sum::<usize>(), 503);
        let mut s = d.scratch();
        let (mut x, mut y, mut z) = (Vec::new(), Vec::new(), Vec::new());
        for path in 0..4000 {
            d.fill(path, &mut s);
            x.push(s.values()[10]);
            y.push(s.values()[11]);
            z.push(s.values()[12]);
        }
        let r = spearman(&x, &y);
        assert!((r - 0.8).abs() < 0.04, "pair 10-11: {r}");
        let r = spearman(&x, &z);
        assert!(r.abs() < 0.06, "different groups: {r}");
        // An error in a later group still names the pair by its place in the whole list.
        let mut bad = pairs.clone();
        bad.push((700, 700, 0.2));
        match ScalarDraws::new(&ins, sampler, &bad) {
            Err(CopulaError::SelfPair { pair: 253, index: 700 }) => {}
            Err(e) => panic!("{e:?}"),
            Ok(_) => panic!("a self pair was accepted"),
        }
    }

    #[test]
    fn an_inconsistent_chain_too_long_to_repair_is_an_error_that_says_why() {
        let names: Vec<String> = (0..1000).map(|i| format!("x{i}")).collect();
        let ins = inputs(&names.iter().map(String::as_str).collect::<Vec<_>>());
        // Normal correlation 2 sin(0.8 π / 6) = 0.81 on a long chain: not positive definite (needs
        // at most 1 / (2 cos(π / 1001)), about 0.5).
        let sampler = Sampler::new(SamplerKind::Random, 5);
        match ScalarDraws::new(&ins, sampler, &chain(1000, 0.8)) {
            Err(e @ CopulaError::TooLargeToRepair { n: 1000 }) => {
                assert!(e.to_string().contains("at most 200 inputs"), "{e}");
            }
            Err(e) => panic!("{e:?}"),
            Ok(_) => panic!("an inconsistent chain of 1,000 was accepted"),
        }
        // A short one is repaired as before.
        let d = match ScalarDraws::new(&ins, sampler, &chain(50, 0.8)) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(d.correlated_groups(), vec![50]);
    }
}
