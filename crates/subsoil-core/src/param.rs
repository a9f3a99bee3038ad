//! Model inputs that may be uncertain, and the seam through which a path's random numbers reach the model.
//!
//! The model never draws random numbers itself. Every uncertain scalar input is a [`Param::Slot`] whose value
//! for the current path is read from a [`Randomness`] implementation; yearly events and price shocks read
//! uniforms and normals from named streams. The engine implements [`Randomness`] from a seed; the
//! deterministic base case is [`BaseCase`].

/// A scalar model input: either fixed at lowering time or drawn once per path.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Param {
    /// A value that is the same on every path.
    Fixed(f64),
    /// The index of an uncertain input; its value on a path comes from [`Randomness::scalar`].
    Slot(u32),
}

impl Param {
    /// The value of this input on the path that `r` describes.
    #[inline]
    pub fn at<R: Randomness + ?Sized>(self, r: &R) -> f64 {
        match self {
            Param::Fixed(v) => v,
            Param::Slot(s) => r.scalar(s),
        }
    }

    /// The fixed value, if the input is not uncertain.
    pub fn fixed(self) -> Option<f64> {
        match self {
            Param::Fixed(v) => Some(v),
            Param::Slot(_) => None,
        }
    }
}

/// What one simulated path knows about chance.
///
/// Conventions every implementation keeps:
/// - `scalar(slot)` is the path's value of uncertain input `slot` (already transformed by its distribution);
/// - `uniform(stream, k)` is in (0, 1]; an event of probability `p` in year `k` happens when `u <= p`,
///   so the base case returns 1.0 and no yearly event of probability below one happens;
/// - `normal(stream, k)` is a standard normal; the base case returns 0;
/// - each is a function of its arguments alone, never of which numbers were asked before: the model may
///   draw a number before it needs it (the markets draw a path's price shocks when the path starts).
pub trait Randomness {
    /// The path's value of uncertain input `slot`.
    fn scalar(&self, slot: u32) -> f64;
    /// A uniform for sub-index `k` (usually a year index) of the named stream `stream`.
    fn uniform(&self, stream: u64, k: u32) -> f64;
    /// A standard normal for sub-index `k` of the named stream `stream`.
    fn normal(&self, stream: u64, k: u32) -> f64;
    /// The standard normals for sub-indices `first`, `first + 1`, … of `stream`, one per entry of
    /// `out`: each what [`Randomness::normal`] gives for its sub-index.
    fn normals(&self, stream: u64, first: u32, out: &mut [f64]) {
        for (k, z) in (first..).zip(out.iter_mut()) {
            *z = self.normal(stream, k);
        }
    }
}

/// The deterministic base case: each uncertain input at the value given (its median), no yearly events,
/// and zero price shocks, so prices follow their median paths.
#[derive(Clone, Copy, Debug)]
pub struct BaseCase<'a> {
    /// Values of the uncertain inputs, indexed by slot.
    pub scalars: &'a [f64],
}

impl Randomness for BaseCase<'_> {
    #[inline]
    fn scalar(&self, slot: u32) -> f64 {
        self.scalars[slot as usize]
    }
    #[inline]
    fn uniform(&self, _stream: u64, _k: u32) -> f64 {
        1.0
    }
    #[inline]
    fn normal(&self, _stream: u64, _k: u32) -> f64 {
        0.0
    }
}

/// Whether an event of probability `p` happens for uniform `u` (see [`Randomness`]); never when `p` is
/// not positive (or not a number), whatever `u`, so a caller may skip drawing `u` then.
#[inline]
pub fn happens(u: f64, p: f64) -> bool {
    u <= p && p > 0.0
}

/// The probability that an event with yearly hazard `h` (events per year) happens within a year:
/// `1 − e^(−h)`.
#[inline]
pub fn yearly_probability(h: f64) -> f64 {
    if h > 0.0 { -(-h).exp_m1() } else { 0.0 }
}
