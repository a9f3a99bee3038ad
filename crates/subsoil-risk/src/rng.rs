//! Random numbers as pure functions of their coordinates.
//!
//! subsoil never carries a random-number generator state through a simulation. Every uniform is
//! computed from four 64-bit words — the run's `seed`, the `path` index, the input's `stream` and a
//! sub-index `k` (for example the year of a yearly price shock) — by [`uniform`]. The same
//! coordinates give the same bits on every machine, in every thread schedule, forever: that is what
//! makes runs reproducible for any thread count and lets two scenarios share random numbers
//! (common random numbers) for inputs with the same name.
//!
//! # Stability
//!
//! The functions in this module are part of subsoil's reproducibility contract: changing any
//! constant changes every published result. Golden values are pinned by the tests.
//!
//! # The hash
//!
//! Each word is multiplied by its own odd constant, xored into a 64-bit state and mixed by the
//! SplitMix64 finaliser (Stafford's "Mix13": two xor-shift-multiply rounds); a final round of a
//! second xor-shift-multiply mixer (Evensen's "moremur" constants) follows. Each absorption is a
//! bijection of the state, so for fixed other words, distinct paths (or streams, or `k`s) never
//! collide before the last 11 bits are dropped. The integration tests check bit balance, uniformity,
//! avalanche and correlation between neighbouring coordinates.
//!
//! Exactly, with all arithmetic modulo 2^64, `mix(z)` = SplitMix64's finaliser
//! (`z ^= z >> 30; z *= 0xbf58476d1ce4e5b9; z ^= z >> 27; z *= 0x94d049bb133111eb; z ^= z >> 31`)
//! and `fin(z)` = (`z ^= z >> 27; z *= 0x3c79ac492ba7b653; z ^= z >> 33; z *= 0x1c69b3f74ac4ae35;
//! z ^= z >> 27`):
//!
//! ```text
//! h = mix(0x9e3779b97f4a7c15)                  // domain 0
//! h = mix(h ^ seed   * 0xd1b54a32d192ed03)
//! h = mix(h ^ path   * 0xaef17502108ef2d9)
//! h = mix(h ^ stream * 0xc2b2ae3d27d4eb4f)
//! h = mix(h ^ k      * 0x165667b19e3779f9)
//! x = fin(h)
//! while x >> 11 == 0 { x = mix(x + 0x9e3779b97f4a7c15) }   // probability 2^-53
//! uniform = (x >> 11) * 2^-53
//! ```

/// SplitMix64's increment, `2^64 / φ` rounded to odd.
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// Per-word multipliers (odd), so that permuting the words changes the result.
const K_SEED: u64 = 0xD1B5_4A32_D192_ED03;
const K_PATH: u64 = 0xAEF1_7502_108E_F2D9;
const K_STREAM: u64 = 0xC2B2_AE3D_27D4_EB4F;
const K_SUB: u64 = 0x1656_67B1_9E37_79F9;

/// FNV-1a 64-bit offset basis.
const FNV_OFFSET: u64 = 0xCBF2_9CE4_8422_2325;
/// FNV-1a 64-bit prime.
const FNV_PRIME: u64 = 0x0000_0100_0000_01B3;

/// `2^-53`, the spacing of the uniforms returned by [`uniform`].
pub const UNIT_STEP: f64 = 1.0 / 9_007_199_254_740_992.0;

/// The smallest value [`uniform`] can return, `2^-53`.
pub const MIN_UNIFORM: f64 = UNIT_STEP;

/// The largest value [`uniform`] can return, `1 - 2^-53` (the largest `f64` below 1).
pub const MAX_UNIFORM: f64 = 1.0 - UNIT_STEP;

/// The SplitMix64 finaliser (Stafford's Mix13), a bijection of `u64`.
#[inline]
pub(crate) const fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A second, differently-shaped mixer used as the output round.
#[inline]
const fn finish64(mut z: u64) -> u64 {
    z ^= z >> 27;
    z = z.wrapping_mul(0x3C79_AC49_2BA7_B653);
    z ^= z >> 33;
    z = z.wrapping_mul(0x1C69_B3F7_4AC4_AE35);
    z ^ (z >> 27)
}

/// The starting state for a domain (0 for the public [`uniform`]; other domains are internal to the
/// samplers so their draws never coincide with public uniforms).
#[inline]
pub(crate) const fn domain_state(domain: u64) -> u64 {
    mix64(domain.wrapping_mul(GOLDEN) ^ GOLDEN)
}

/// 64 well-mixed bits from a domain state and four words.
#[inline]
pub(crate) const fn hash_words(state: u64, seed: u64, path: u64, stream: u64, k: u64) -> u64 {
    let mut h = mix64(state ^ seed.wrapping_mul(K_SEED));
    h = mix64(h ^ path.wrapping_mul(K_PATH));
    h = mix64(h ^ stream.wrapping_mul(K_STREAM));
    h = mix64(h ^ k.wrapping_mul(K_SUB));
    finish64(h)
}

/// The state of the public domain, computed at compile time.
const PUBLIC: u64 = domain_state(0);

/// Maps 64 random bits to a uniform in `[2^-53, 1 - 2^-53]` with 53-bit resolution.
///
/// Uses the top 53 bits `m`; `m = 0` (probability `2^-53`) is re-hashed so that `0.0` is never
/// returned and every value `j · 2^-53`, `j = 1 … 2^53 - 1`, is equally likely.
#[inline]
pub(crate) fn bits_to_open_unit(mut bits: u64) -> f64 {
    let mut m = bits >> 11;
    while m == 0 {
        bits = mix64(bits.wrapping_add(GOLDEN));
        m = bits >> 11;
    }
    m as f64 * UNIT_STEP
}

/// A stable 64-bit identifier for an input or stream name.
///
/// FNV-1a 64 over the UTF-8 bytes of `name` (offset basis `0xcbf29ce484222325`, prime
/// `0x100000001b3`) followed by the SplitMix64 finaliser, which spreads FNV's weak low bits over the
/// whole word. The result depends only on the bytes: names are case- and whitespace-sensitive.
pub fn stream_id(name: &str) -> u64 {
    let mut h = FNV_OFFSET;
    for &byte in name.as_bytes() {
        h ^= u64::from(byte);
        h = h.wrapping_mul(FNV_PRIME);
    }
    mix64(h)
}

/// The uniform random number at coordinates `(seed, path, stream, k)`.
///
/// Returns a value in the open interval `(0, 1)`: a multiple of `2^-53` between `2^-53` and
/// `1 - 2^-53`, all `2^53 - 1` values equally likely. `k` is a sub-index for streams that need
/// several numbers per path (for example one per year); use 0 otherwise.
#[inline]
pub fn uniform(seed: u64, path: u64, stream: u64, k: u64) -> f64 {
    bits_to_open_unit(hash_words(PUBLIC, seed, path, stream, k))
}

/// A standard normal draw at coordinates `(seed, path, stream, k)`: `Φ⁻¹(uniform(…))`.
///
/// Values lie within about ±8.2 because the uniform never comes closer than `2^-53` to 0 or 1.
#[inline]
pub fn std_normal(seed: u64, path: u64, stream: u64, k: u64) -> f64 {
    crate::special::norm_inv(uniform(seed, path, stream, k))
}

/// The standard normal draws at coordinates `(seed, path, stream, first + j)` for each entry `j` of
/// `out` (the sub-index wrapping past `u64::MAX`): the same bits as [`std_normal`] for each, drawn as a
/// batch (the uniforms, then their inverse CDFs in one loop, see [`crate::special::norm_inv_in_place`]).
pub fn std_normals(seed: u64, path: u64, stream: u64, first: u64, out: &mut [f64]) {
    let mut k = first;
    for x in out.iter_mut() {
        *x = uniform(seed, path, stream, k);
        k = k.wrapping_add(1);
    }
    crate::special::norm_inv_in_place(out);
}
