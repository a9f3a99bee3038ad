//! Samplers: the uniform for (path, input), pseudo-random, Latin hypercube or Sobol.
//!
//! Paths are grouped in blocks of `block_size` consecutive indices (block `path / block_size`).
//! Latin hypercube and Sobol stratify within each block and randomise each block independently,
//! so block means are independent and identically distributed: the engine estimates standard
//! errors from the variation between blocks, never from formulas that assume independent draws.
//! Every value is a pure function of `(seed, path, key)` and lies strictly inside `(0, 1)`.

use std::fmt;

use crate::rng::{MAX_UNIFORM, bits_to_open_unit, domain_state, hash_words, mix64, uniform};

/// Default number of paths per block.
pub const DEFAULT_BLOCK_SIZE: u32 = 4096;

/// Largest block size for [`SamplerKind::Sobol`]: `sobol_burley` supports `2^16` points per seed.
pub const MAX_SOBOL_BLOCK: u32 = 1 << 16;

/// Number of Sobol dimensions available (`sobol_burley::NUM_DIMENSIONS`, 256). Inputs with
/// `dim >= SOBOL_DIMENSIONS` fall back to Latin hypercube.
pub const SOBOL_DIMENSIONS: u32 = sobol_burley::NUM_DIMENSIONS;

/// Internal hash domains, so sampler draws never coincide with public [`uniform`]s.
const LHS_PERMUTATION: u64 = domain_state(1);
const LHS_JITTER: u64 = domain_state(2);
const SOBOL_SEED: u64 = domain_state(3);
const SOBOL_JITTER: u64 = domain_state(4);

/// Which sampling scheme produces the uniforms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SamplerKind {
    /// Independent uniforms: `uniform(seed, path, stream, 0)`.
    Random,
    /// Latin hypercube: within each block, each input has exactly one point in each of the
    /// `block_size` equal strata of `(0, 1)`, in an order that is a random permutation per
    /// (seed, block, stream), with a uniform jitter inside the stratum.
    LatinHypercube,
    /// Owen-scrambled Sobol points (Burley's hash-based scrambling via `sobol_burley`), an
    /// independent scramble per block, refined below `2^-23` by a uniform jitter. Inputs with
    /// `dim >= 256` fall back to Latin hypercube. Block sizes must be powers of two up to `2^16`.
    Sobol,
}

impl fmt::Display for SamplerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SamplerKind::Random => "random",
            SamplerKind::LatinHypercube => "latin-hypercube",
            SamplerKind::Sobol => "sobol",
        })
    }
}

/// Identifies one uncertain input for a sampler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InputKey {
    /// The input's stream id, normally [`crate::stream_id`] of its name.
    pub stream: u64,
    /// The input's position in the scenario's sorted list of uncertain inputs (Sobol dimension).
    pub dim: u32,
}

impl InputKey {
    /// A key from a stream id and a dimension.
    pub fn new(stream: u64, dim: u32) -> Self {
        InputKey { stream, dim }
    }
}

/// Why a sampler could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SamplerError {
    /// The block size is 0.
    ZeroBlockSize,
    /// Sobol needs a power-of-two block size no larger than `2^16`.
    SobolBlockSize {
        /// The block size given.
        block_size: u32,
    },
}

impl fmt::Display for SamplerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SamplerError::ZeroBlockSize => {
                write!(f, "sampler: block size = 0 is invalid; expected at least 1")
            }
            SamplerError::SobolBlockSize { block_size } => write!(
                f,
                "sampler: block size = {block_size} is invalid for sobol; expected a power of two \
                 from 1 to {MAX_SOBOL_BLOCK}"
            ),
        }
    }
}

impl std::error::Error for SamplerError {}

/// Produces the uniform for each (path, input) under one scheme and seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sampler {
    kind: SamplerKind,
    seed: u64,
    block_size: u32,
}

impl Sampler {
    /// A sampler with the default block size (4096).
    pub fn new(kind: SamplerKind, seed: u64) -> Self {
        Sampler { kind, seed, block_size: DEFAULT_BLOCK_SIZE }
    }

    /// A sampler with a chosen block size: at least 1, and for Sobol a power of two `<= 2^16`.
    pub fn with_block_size(
        kind: SamplerKind,
        seed: u64,
        block_size: u32,
    ) -> Result<Self, SamplerError> {
        if block_size == 0 {
            return Err(SamplerError::ZeroBlockSize);
        }
        if kind == SamplerKind::Sobol
            && !(block_size.is_power_of_two() && block_size <= MAX_SOBOL_BLOCK)
        {
            return Err(SamplerError::SobolBlockSize { block_size });
        }
        Ok(Sampler { kind, seed, block_size })
    }

    /// The scheme.
    pub fn kind(&self) -> SamplerKind {
        self.kind
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Paths per block.
    pub fn block_size(&self) -> u32 {
        self.block_size
    }

    /// The block a path belongs to.
    #[inline]
    pub fn block_of(&self, path: u64) -> u64 {
        path / u64::from(self.block_size)
    }

    /// The uniform in `(0, 1)` for `key` on `path`.
    #[inline]
    pub fn unit(&self, path: u64, key: InputKey) -> f64 {
        match self.kind {
            SamplerKind::Random => uniform(self.seed, path, key.stream, 0),
            SamplerKind::LatinHypercube => self.latin(path, key.stream),
            SamplerKind::Sobol if key.dim < SOBOL_DIMENSIONS => {
                self.sobol(path, key.dim, key.stream)
            }
            SamplerKind::Sobol => self.latin(path, key.stream),
        }
    }

    fn latin(&self, path: u64, stream: u64) -> f64 {
        let size = u64::from(self.block_size);
        let (block, index) = (path / size, path % size);
        let key = hash_words(LHS_PERMUTATION, self.seed, block, stream, 0);
        let stratum = permute(index, size, key);
        let jitter = bits_to_open_unit(hash_words(LHS_JITTER, self.seed, path, stream, 0));
        point_in_stratum(stratum, jitter, size as f64)
    }

    fn sobol(&self, path: u64, dim: u32, stream: u64) -> f64 {
        const CELLS: f64 = 8_388_608.0; // 2^23: sobol_burley's f32 output resolution.
        let size = u64::from(self.block_size);
        let (block, index) = (path / size, path % size);
        // Truncation to 32 bits is intended: sobol_burley seeds are u32.
        let seed = hash_words(SOBOL_SEED, self.seed, block, 0, 0) as u32;
        // `index < 2^16` because the block size is at most 2^16 for Sobol.
        let x = f64::from(sobol_burley::sample(index as u32, dim, seed));
        let cell = (x * CELLS).floor();
        let jitter = bits_to_open_unit(hash_words(SOBOL_JITTER, self.seed, path, stream, 0));
        point_in_stratum(cell as u64, jitter, CELLS)
    }
}

/// `(stratum + jitter) / count`, kept strictly below the stratum's upper edge despite rounding.
fn point_in_stratum(stratum: u64, jitter: f64, count: f64) -> f64 {
    let s = stratum as f64;
    let v = (s + jitter) / count;
    let upper = (s + 1.0) / count;
    if v >= upper { upper.next_down().min(MAX_UNIFORM) } else { v }
}

/// A pseudo-random permutation of `0..size` (keyed by `key`) evaluated at `index < size`, with O(1)
/// memory: a 4-round balanced Feistel network on the smallest even number of bits covering `size`,
/// cycle-walked back into range (fewer than 4 steps on average).
pub(crate) fn permute(index: u64, size: u64, key: u64) -> u64 {
    if size <= 1 {
        return 0;
    }
    let bits = 64 - (size - 1).leading_zeros();
    let half = bits.div_ceil(2);
    let mask = (1u64 << half) - 1;
    let mut x = index;
    loop {
        for round in 0..4u64 {
            let (left, right) = (x >> half, x & mask);
            let f = mix64(key ^ right.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ round) & mask;
            x = (right << half) | (left ^ f);
        }
        if x < size {
            return x;
        }
    }
}
