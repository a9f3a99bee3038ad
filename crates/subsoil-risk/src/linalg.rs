//! Small dense symmetric linear algebra for correlation matrices: a cyclic Jacobi eigen solver and
//! a Cholesky factorisation that tolerates positive semi-definite input.
//!
//! Matrices are `n × n`, row-major, in a flat slice. Sizes here are the number of inputs in one
//! connected group of correlations: the Cholesky factorisation works within the matrix's envelope (a
//! chain or a band is cheap even for thousands of inputs); the Jacobi eigen solver, used only to repair
//! an inconsistent matrix, is O(n³) per sweep and is kept to small groups by the copula.

/// Eigen-decomposition of a symmetric matrix by the cyclic Jacobi method.
///
/// Returns `(eigenvalues, eigenvectors)` with eigenvector `k` in column `k` of the row-major
/// matrix. Sweeps until the off-diagonal part is below `1e-15` of the matrix norm (at most 100
/// sweeps; Jacobi converges quadratically, typically in under 10).
pub(crate) fn symmetric_eigen(matrix: &[f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut a = matrix.to_vec();
    let mut v = identity(n);
    let norm: f64 = a.iter().map(|x| x * x).sum::<f64>().sqrt();
    for _ in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * n + j] * a[i * n + j])
            .sum::<f64>()
            .sqrt();
        if off <= 1e-15 * norm {
            break;
        }
        for p in 0..n {
            for q in (p + 1)..n {
                rotate(&mut a, &mut v, n, p, q);
            }
        }
    }
    ((0..n).map(|i| a[i * n + i]).collect(), v)
}

/// One Jacobi rotation annihilating `a[p][q]`, applied to `a` (both sides) and `v` (right).
fn rotate(a: &mut [f64], v: &mut [f64], n: usize, p: usize, q: usize) {
    let apq = a[p * n + q];
    if apq == 0.0 {
        return;
    }
    let (app, aqq) = (a[p * n + p], a[q * n + q]);
    let theta = (aqq - app) / (2.0 * apq);
    // Smaller root of t² + 2θt - 1 = 0, stable for large θ.
    let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
    let c = 1.0 / (t * t + 1.0).sqrt();
    let s = t * c;
    for k in 0..n {
        let (akp, akq) = (a[k * n + p], a[k * n + q]);
        a[k * n + p] = c * akp - s * akq;
        a[k * n + q] = s * akp + c * akq;
    }
    for k in 0..n {
        let (apk, aqk) = (a[p * n + k], a[q * n + k]);
        a[p * n + k] = c * apk - s * aqk;
        a[q * n + k] = s * apk + c * aqk;
    }
    for k in 0..n {
        let (vkp, vkq) = (v[k * n + p], v[k * n + q]);
        v[k * n + p] = c * vkp - s * vkq;
        v[k * n + q] = s * vkp + c * vkq;
    }
}

/// The `n × n` identity matrix.
pub(crate) fn identity(n: usize) -> Vec<f64> {
    let mut m = vec![0.0; n * n];
    for i in 0..n {
        m[i * n + i] = 1.0;
    }
    m
}

/// `V diag(λ) Vᵀ`.
pub(crate) fn compose(values: &[f64], vectors: &[f64], n: usize) -> Vec<f64> {
    let mut m = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            m[i * n + j] =
                (0..n).map(|k| vectors[i * n + k] * values[k] * vectors[j * n + k]).sum();
        }
    }
    m
}

/// Lower-triangular `L` with `L Lᵀ = matrix`, for a symmetric positive semi-definite matrix.
///
/// A pivot below `tol` (a direction the matrix does not span, e.g. two perfectly correlated
/// variables) gets a zero column instead of failing, unless `strict`, when it returns `None` (the
/// matrix is then not safely positive definite). Returns `None` if a pivot is below `-tol`, which
/// means the matrix is not positive semi-definite.
///
/// Works within the matrix's envelope: row `i` of `L` is zero before the first non-zero of row `i`
/// of the matrix, so the zeros before it are skipped (a chain of correlations costs O(n), not O(n³);
/// the values are those of the dense algorithm, which only adds those zeros).
pub(crate) fn cholesky_psd(matrix: &[f64], n: usize, tol: f64) -> Option<Vec<f64>> {
    cholesky(matrix, n, tol, false)
}

/// [`cholesky_psd`] that fails on a pivot at or below `tol` as well.
pub(crate) fn cholesky_pd(matrix: &[f64], n: usize, tol: f64) -> Option<Vec<f64>> {
    cholesky(matrix, n, tol, true)
}

/// The first non-zero column of each row of a lower-triangular (or symmetric) matrix, at most `i`.
pub(crate) fn row_starts(matrix: &[f64], n: usize) -> Vec<usize> {
    (0..n).map(|i| (0..i).find(|&j| matrix[i * n + j] != 0.0).unwrap_or(i)).collect()
}

fn cholesky(matrix: &[f64], n: usize, tol: f64, strict: bool) -> Option<Vec<f64>> {
    let first = row_starts(matrix, n);
    let mut l = vec![0.0; n * n];
    for j in 0..n {
        let fj = first[j];
        let d = matrix[j * n + j] - (fj..j).map(|k| l[j * n + k] * l[j * n + k]).sum::<f64>();
        if d < -tol || (strict && d <= tol) {
            return None;
        }
        if d <= tol {
            continue;
        }
        let pivot = d.sqrt();
        l[j * n + j] = pivot;
        for i in (j + 1)..n {
            // Row i of L is zero before first[i]: nothing to do left of the envelope.
            if first[i] > j {
                continue;
            }
            let from = first[i].max(fj);
            let dot: f64 = (from..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
            l[i * n + j] = (matrix[i * n + j] - dot) / pivot;
        }
    }
    Some(l)
}
