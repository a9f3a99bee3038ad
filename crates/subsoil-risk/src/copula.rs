//! Gaussian copula: rank correlations between uncertain inputs.
//!
//! The copula works on the uniforms, before they go through each input's quantile function, so it
//! imposes dependence without changing any marginal distribution. For the `n` correlated inputs of
//! a path it maps `u → z = Φ⁻¹(u) → y = L z → Φ(y)`, where `L Lᵀ` is the Pearson correlation
//! matrix of the normals. A Spearman rank correlation `ρ_s` between two inputs needs the normal
//! correlation `r = 2 sin(π ρ_s / 6)` (exact for the Gaussian copula).
//!
//! Requested correlations need not be mutually consistent; a matrix that is not positive
//! semi-definite is repaired by clipping its eigenvalues at a small positive floor and rescaling
//! to unit diagonal, and the repair is reported through [`Copula::repair`] so the caller can warn.

use std::fmt;

use crate::linalg::{cholesky_pd, cholesky_psd, compose, identity, row_starts, symmetric_eigen};
use crate::rng::{MAX_UNIFORM, MIN_UNIFORM};
use crate::special::{norm_cdf, norm_inv};

/// Smallest eigenvalue kept by a repair.
const EIGEN_FLOOR: f64 = 1e-8;

/// Below this smallest eigenvalue a matrix counts as not positive semi-definite (rounding in the
/// `2 sin(π ρ / 6)` transform alone stays far above it).
const PSD_TOLERANCE: f64 = 1e-12;

/// Pivots of the Cholesky factorisation below this count as zero (perfect correlation).
const PIVOT_TOLERANCE: f64 = 1e-12;

/// Most inputs in one copula whose correlations may be repaired: the repair's Jacobi eigen solver is
/// O(n³) per sweep (measured: 0.1 s at this size, 2.3 s at 418, about two minutes at 1,000). Consistent correlations have
/// no such limit: their Cholesky factorisation skips the zeros outside each row's envelope.
pub const MAX_REPAIR: usize = 200;

/// Most inputs in one connected group of correlations (the copula keeps dense `n × n` matrices: at
/// this size, 32 MB each).
pub const MAX_GROUP: usize = 2_000;

/// What a repair of an inconsistent correlation matrix changed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Repair {
    /// Smallest eigenvalue of the requested normal correlation matrix (negative).
    pub min_eigenvalue: f64,
    /// Largest absolute change of any normal (Pearson) correlation.
    pub max_change: f64,
}

/// Why a copula could not be built. Pairs are numbered from 0 in the order given.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CopulaError {
    /// A pair refers to an input index `>= n`.
    IndexOutOfRange {
        /// Position of the pair in the list.
        pair: usize,
        /// The bad index.
        index: usize,
        /// Number of inputs.
        n: usize,
    },
    /// A pair correlates an input with itself.
    SelfPair {
        /// Position of the pair in the list.
        pair: usize,
        /// The index given twice.
        index: usize,
    },
    /// A correlation is NaN, infinite or outside `[-1, 1]`.
    OutOfRange {
        /// Position of the pair in the list.
        pair: usize,
        /// The value given.
        value: f64,
    },
    /// The correlations are inconsistent (their matrix is not positive definite) among more inputs
    /// than [`MAX_REPAIR`], too many to repair in reasonable time.
    TooLargeToRepair {
        /// Number of inputs.
        n: usize,
    },
    /// More inputs than [`MAX_GROUP`] in one copula.
    TooLarge {
        /// Number of inputs.
        n: usize,
    },
    /// The same two inputs are given two different correlations.
    Conflict {
        /// Position of the later pair in the list.
        pair: usize,
        /// First input.
        i: usize,
        /// Second input.
        j: usize,
        /// The correlation given first.
        first: f64,
        /// The correlation given later.
        second: f64,
    },
}

impl fmt::Display for CopulaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            CopulaError::IndexOutOfRange { pair, index, n } => write!(
                f,
                "correlation pair {pair}: input index {index} is invalid; expected an index below {n}"
            ),
            CopulaError::SelfPair { pair, index } => write!(
                f,
                "correlation pair {pair}: input {index} is paired with itself; expected two \
                 different inputs"
            ),
            CopulaError::OutOfRange { pair, value } => write!(
                f,
                "correlation pair {pair}: correlation = {value} is invalid; expected a value in \
                 [-1, 1]"
            ),
            CopulaError::TooLargeToRepair { n } => write!(
                f,
                "the correlations among {n} connected inputs are inconsistent or perfect (their \
                 matrix is not positive definite); a repair is attempted for at most {MAX_REPAIR} \
                 inputs (its cost grows as the cube of their number); expected consistent \
                 correlations below 1: lower them, or correlate fewer inputs with each other"
            ),
            CopulaError::TooLarge { n } => write!(
                f,
                "{n} inputs are connected by correlations; expected at most {MAX_GROUP} in one \
                 connected group"
            ),
            CopulaError::Conflict { pair, i, j, first, second } => write!(
                f,
                "correlation pair {pair}: inputs {i} and {j} are given correlation {second} but \
                 already have {first}; expected each pair once"
            ),
        }
    }
}

impl std::error::Error for CopulaError {}

impl CopulaError {
    /// The same error with its pair numbers mapped through `pair` and its input indexes through
    /// `input` (from a group's numbering to the caller's).
    pub fn renumber(
        self,
        pair: impl Fn(usize) -> usize,
        input: impl Fn(usize) -> usize,
    ) -> CopulaError {
        match self {
            CopulaError::IndexOutOfRange { pair: p, index, n } => {
                CopulaError::IndexOutOfRange { pair: pair(p), index, n }
            }
            CopulaError::SelfPair { pair: p, index } => {
                CopulaError::SelfPair { pair: pair(p), index: input(index) }
            }
            CopulaError::OutOfRange { pair: p, value } => {
                CopulaError::OutOfRange { pair: pair(p), value }
            }
            CopulaError::Conflict { pair: p, i, j, first, second } => {
                CopulaError::Conflict { pair: pair(p), i: input(i), j: input(j), first, second }
            }
            other => other,
        }
    }
}

/// A Gaussian copula over `n` inputs, ready to apply to each path's uniforms.
#[derive(Debug, Clone, PartialEq)]
pub struct Copula {
    n: usize,
    /// Effective normal correlation matrix (row-major, after any repair).
    pearson: Vec<f64>,
    /// Lower Cholesky factor (row-major).
    chol: Vec<f64>,
    /// First non-zero column of each row of `chol`.
    starts: Vec<usize>,
    /// False for inputs that neither depend on nor influence another (left bit-for-bit untouched).
    active: Vec<bool>,
    repair: Option<Repair>,
}

impl Copula {
    /// A copula from Spearman rank correlations `(i, j, ρ_s)` between inputs `0..n`; unlisted
    /// pairs are independent.
    pub fn new(n: usize, pairs: &[(usize, usize, f64)]) -> Result<Copula, CopulaError> {
        let requested = matrix_from_pairs(n, pairs)?;
        let pearson: Vec<f64> = requested
            .iter()
            .enumerate()
            .map(|(k, &rho)| if k % (n + 1) == 0 { 1.0 } else { spearman_to_pearson(rho) })
            .collect();
        Self::from_matrix(n, pearson)
    }

    /// A copula from correlations `(i, j, r)` of the underlying normals (Pearson), for example
    /// correlated price shocks given as a correlation matrix of log-returns.
    pub fn from_pearson(n: usize, pairs: &[(usize, usize, f64)]) -> Result<Copula, CopulaError> {
        Self::from_matrix(n, matrix_from_pairs(n, pairs)?)
    }

    fn from_matrix(n: usize, requested: Vec<f64>) -> Result<Copula, CopulaError> {
        // A positive definite matrix factorises directly; the eigenvalues are only needed to decide
        // about, and make, a repair (the result is the same: a matrix whose Cholesky pivots are all
        // positive has no negative eigenvalue, and the old order found the same factor).
        if let Some(chol) = cholesky_pd(&requested, n, PIVOT_TOLERANCE) {
            return Ok(Self::assemble(n, requested, chol, None));
        }
        if n > MAX_REPAIR {
            // Only the eigenvalues tell a semi-definite matrix (perfect correlations) from an
            // inconsistent one, and they are what costs O(n³).
            return Err(CopulaError::TooLargeToRepair { n });
        }
        let (values, vectors) = symmetric_eigen(&requested, n);
        let min_eigenvalue = values.iter().copied().fold(f64::INFINITY, f64::min);
        let direct = if min_eigenvalue < -PSD_TOLERANCE {
            None
        } else {
            cholesky_psd(&requested, n, PIVOT_TOLERANCE)
        };
        let (pearson, chol, repair) = match direct {
            Some(chol) => (requested, chol, None),
            None => {
                let fixed = clip_eigenvalues(&values, &vectors, n);
                let max_change =
                    fixed.iter().zip(&requested).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
                // Clipping leaves every eigenvalue at or above EIGEN_FLOOR, far above the pivot
                // tolerance, so this factorisation succeeds; independence is the safe fallback.
                let chol = cholesky_psd(&fixed, n, PIVOT_TOLERANCE).unwrap_or_else(|| identity(n));
                (fixed, chol, Some(Repair { min_eigenvalue, max_change }))
            }
        };
        Ok(Self::assemble(n, pearson, chol, repair))
    }

    fn assemble(n: usize, pearson: Vec<f64>, chol: Vec<f64>, repair: Option<Repair>) -> Copula {
        let starts = row_starts(&chol, n);
        let mut col_trivial = vec![true; n];
        for i in 0..n {
            for j in starts[i]..i {
                if chol[i * n + j] != 0.0 {
                    col_trivial[j] = false;
                }
            }
        }
        let active = (0..n)
            .map(|i| {
                let row_trivial = starts[i] == i && chol[i * n + i] == 1.0;
                !(row_trivial && col_trivial[i])
            })
            .collect();
        Copula { n, pearson, chol, starts, active, repair }
    }

    /// Number of inputs.
    pub fn dim(&self) -> usize {
        self.n
    }

    /// The normal (Pearson) correlation matrix in use, row-major `n × n`, after any repair.
    pub fn pearson_matrix(&self) -> &[f64] {
        &self.pearson
    }

    /// The normal correlation between inputs `i` and `j` in use (`None` if out of range).
    pub fn pearson(&self, i: usize, j: usize) -> Option<f64> {
        (i < self.n && j < self.n).then(|| self.pearson[i * self.n + j])
    }

    /// The Spearman rank correlation the copula produces between inputs `i` and `j`:
    /// `(6 / π) asin(r / 2)`.
    pub fn spearman(&self, i: usize, j: usize) -> Option<f64> {
        self.pearson(i, j).map(|r| 6.0 / std::f64::consts::PI * (0.5 * r).asin())
    }

    /// `Some` when the requested correlations were inconsistent and had to be changed.
    pub fn repair(&self) -> Option<&Repair> {
        self.repair.as_ref()
    }

    /// The lower Cholesky factor `L` of [`Copula::pearson_matrix`] (row-major `n × n`): `L·Lᵀ` is the
    /// matrix in use.
    pub fn cholesky(&self) -> &[f64] {
        &self.chol
    }

    /// True when a repair happened.
    pub fn was_repaired(&self) -> bool {
        self.repair.is_some()
    }

    /// Correlates one path's uniforms in place: `u[i] ← Φ((L Φ⁻¹(u))_i)`.
    ///
    /// `u[i]` is input `i`'s uniform; values stay strictly inside `(0, 1)` (clamped to
    /// `[2^-53, 1 - 2^-53]`). Inputs that are independent of all others are not touched. If `u` is
    /// longer than `n` the extra entries are left alone; if shorter, the leading inputs are
    /// correlated among themselves as the leading block of the matrix says. No allocation.
    #[inline]
    pub fn apply(&self, u: &mut [f64]) {
        let m = self.n.min(u.len());
        for (x, &active) in u[..m].iter_mut().zip(&self.active) {
            if active {
                *x = norm_inv(*x);
            }
        }
        self.mix_normals(&mut u[..m]);
        for (x, &active) in u[..m].iter_mut().zip(&self.active) {
            if active {
                *x = norm_cdf(*x).clamp(MIN_UNIFORM, MAX_UNIFORM);
            }
        }
    }

    /// Correlates independent standard normals in place: `z ← L z`. Same length rules as
    /// [`Copula::apply`].
    #[inline]
    pub fn apply_normals(&self, z: &mut [f64]) {
        let m = self.n.min(z.len());
        self.mix_normals(&mut z[..m]);
    }

    /// `z ← L z` in place, from the last row up so each row still reads untouched inputs.
    fn mix_normals(&self, z: &mut [f64]) {
        let n = self.n;
        for i in (0..z.len()).rev() {
            if !self.active[i] {
                continue;
            }
            // The zeros before the row's first non-zero add nothing.
            let s = self.starts[i];
            let row = &self.chol[i * n + s..i * n + i + 1];
            z[i] = row.iter().zip(&z[s..=i]).map(|(l, x)| l * x).sum();
        }
    }
}

/// `r = 2 sin(π ρ_s / 6)`: the normal correlation whose Gaussian copula has Spearman `ρ_s`.
pub fn spearman_to_pearson(rho_s: f64) -> f64 {
    2.0 * (std::f64::consts::PI * rho_s / 6.0).sin()
}

/// Builds the symmetric matrix with unit diagonal from validated pairs.
fn matrix_from_pairs(n: usize, pairs: &[(usize, usize, f64)]) -> Result<Vec<f64>, CopulaError> {
    if n > MAX_GROUP {
        return Err(CopulaError::TooLarge { n });
    }
    let mut m = identity(n);
    let mut given = vec![false; n * n];
    for (pair, &(i, j, value)) in pairs.iter().enumerate() {
        for index in [i, j] {
            if index >= n {
                return Err(CopulaError::IndexOutOfRange { pair, index, n });
            }
        }
        if i == j {
            return Err(CopulaError::SelfPair { pair, index: i });
        }
        if !(-1.0..=1.0).contains(&value) {
            return Err(CopulaError::OutOfRange { pair, value });
        }
        if given[i * n + j] && m[i * n + j] != value {
            return Err(CopulaError::Conflict { pair, i, j, first: m[i * n + j], second: value });
        }
        given[i * n + j] = true;
        given[j * n + i] = true;
        m[i * n + j] = value;
        m[j * n + i] = value;
    }
    Ok(m)
}

/// Nearest-in-spirit correlation matrix: eigenvalues clipped at [`EIGEN_FLOOR`], then rescaled to
/// unit diagonal.
fn clip_eigenvalues(values: &[f64], vectors: &[f64], n: usize) -> Vec<f64> {
    let clipped: Vec<f64> = values.iter().map(|&v| v.max(EIGEN_FLOOR)).collect();
    let mut m = compose(&clipped, vectors, n);
    let scale: Vec<f64> = (0..n).map(|i| 1.0 / m[i * n + i].sqrt()).collect();
    for i in 0..n {
        for j in 0..n {
            m[i * n + j] *= scale[i] * scale[j];
        }
        m[i * n + i] = 1.0;
    }
    m
}

/// The connected groups of inputs `0..n` that `pairs` link (directly or through others), each sorted,
/// in the order of their smallest input; inputs in no pair are left out. Inputs in different groups
/// are independent, so each group can have a copula of its own.
pub fn connected_groups(n: usize, pairs: &[(usize, usize)]) -> Vec<Vec<usize>> {
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut parent: Vec<usize> = (0..n).collect();
    let mut linked = vec![false; n];
    for &(i, j) in pairs {
        if i >= n || j >= n {
            continue;
        }
        linked[i] = true;
        linked[j] = true;
        let (a, b) = (root(&mut parent, i), root(&mut parent, j));
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut index = vec![usize::MAX; n];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, _) in linked.iter().enumerate().filter(|(_, l)| **l) {
        let r = root(&mut parent, i);
        if index[r] == usize::MAX {
            index[r] = groups.len();
            groups.push(Vec::new());
        }
        groups[index[r]].push(i);
    }
    groups
}
