//! What several of this crate's integration tests share.

use std::collections::HashMap;

use subsoil_core::Randomness;

/// A path whose chance is written out: each uncertain input at a given value, each named uniform as
/// scripted (1.0, so that no event happens, when not), and every normal 0 (prices on their median paths).
pub struct Scripted<'a> {
    /// Values of the uncertain inputs, by slot.
    pub scalars: &'a [f64],
    /// Uniforms by (stream, sub-index).
    pub uniforms: HashMap<(u64, u32), f64>,
}

impl Randomness for Scripted<'_> {
    fn scalar(&self, slot: u32) -> f64 {
        self.scalars[slot as usize]
    }
    fn uniform(&self, stream: u64, k: u32) -> f64 {
        self.uniforms.get(&(stream, k)).copied().unwrap_or(1.0)
    }
    fn normal(&self, _stream: u64, _k: u32) -> f64 {
        0.0
    }
}
