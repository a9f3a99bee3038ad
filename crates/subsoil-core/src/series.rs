//! Values given year by year: a price deck, a share schedule, an exogenous stream of money.
//!
//! A [`Series`] holds one value per calendar year from its first year on, and what holds outside the
//! years given. Lowering resolves a scenario's `by-year` tables into it (the rule `error` is checked there:
//! the model only sees series that cover the years it asks for, or hold a value beyond them).

use crate::year::Year;

/// What a series is worth in a year outside the years given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outside {
    /// The nearest value given: the first before the first year, the last after the last.
    Hold,
    /// Zero.
    Zero,
}

/// A value per calendar year.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// The first year given.
    pub first: Year,
    /// The values from `first` on, one per year (never empty).
    pub values: Vec<f64>,
    /// The rule outside the years given.
    pub outside: Outside,
}

impl Series {
    /// The value in calendar year `year`.
    #[inline]
    pub fn at(&self, year: Year) -> f64 {
        let i = i64::from(year) - i64::from(self.first);
        if i < 0 {
            return match self.outside {
                Outside::Hold => self.values.first().copied().unwrap_or(0.0),
                Outside::Zero => 0.0,
            };
        }
        match self.values.get(i as usize) {
            Some(&v) => v,
            None => match self.outside {
                Outside::Hold => self.values.last().copied().unwrap_or(0.0),
                Outside::Zero => 0.0,
            },
        }
    }

    /// The last year given.
    pub fn last(&self) -> Year {
        self.first + self.values.len() as Year - 1
    }
}

/// The price index of an inflation path: `index[t]` for calendar year `first + t` (one per slot of
/// `index`), with 1 in `base`. `rates` gives the inflation of each calendar year (from the year before
/// to that year), times `scale`: a year after the base multiplies the year before by `1 + rate × scale`,
/// a year before the base divides the year after by that year's factor.
pub fn index_path(rates: &Series, scale: f64, first: Year, base: Year, index: &mut [f64]) {
    let factor = |y: Year| 1.0 + rates.at(y) * scale;
    for (t, slot) in index.iter_mut().enumerate() {
        let year = first + t as Year;
        let mut x = 1.0;
        if year > base {
            for y in base + 1..=year {
                x *= factor(y);
            }
        } else {
            for y in (year + 1..=base).rev() {
                x /= factor(y);
            }
        }
        *slot = x;
    }
}

/// The yearly inflation an investor expects on an inflation path: the geometric mean of the path's
/// yearly factors over the simulated years after the first (`first + 1 ..= last`), or the first year's
/// rate when there is only one year.
pub fn mean_inflation(rates: &Series, scale: f64, first: Year, last: Year) -> f64 {
    if last <= first {
        return rates.at(first) * scale;
    }
    let product: f64 = (first + 1..=last).map(|y| 1.0 + rates.at(y) * scale).product();
    product.powf(1.0 / (last - first) as f64) - 1.0
}

/// A series scaled by one factor drawn per path: a whole deck shifted by one uncertain input.
#[derive(Clone, Debug)]
pub struct Scaled {
    /// The factor (1 unless the scenario makes it uncertain).
    pub scale: crate::param::Param,
    /// The series.
    pub series: Series,
}

/// Powers `base^(first + t)` for `t` in `0..len` (by `f64::powi`), kept while they are asked for the same
/// base, first exponent and length: a path's rate that the model fixes (no inflation, a fixed growth
/// rate) gives the same table on every path, which is then computed once per workspace instead of once
/// a year on every path. The numbers are those `powi` gives, whichever path computed them.
#[derive(Clone, Debug, Default)]
pub struct Powers {
    /// The base's bits, the first exponent and the length of `values`, when filled.
    key: Option<(u64, i32, usize)>,
    values: Vec<f64>,
}

impl Powers {
    /// `base^(first + t)` for `t` in `0..len`.
    #[inline]
    pub fn of(&mut self, base: f64, first: i32, len: usize) -> &[f64] {
        let key = (base.to_bits(), first, len);
        if self.key != Some(key) {
            self.values.clear();
            self.values.extend((0..len).map(|t| base.powi(first + t as i32)));
            self.key = Some(key);
        }
        &self.values
    }

    /// The table as last filled.
    #[inline]
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Whether the table was last filled for `base`, `first` and `len` (and so is reused).
    pub fn holds(&self, base: f64, first: i32, len: usize) -> bool {
        self.key == Some((base.to_bits(), first, len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_the_years_given_a_series_holds_or_is_zero() {
        let s = Series { first: 2030, values: vec![1.0, 2.0, 4.0], outside: Outside::Hold };
        let got: Vec<f64> = (2028..2035).map(|y| s.at(y)).collect();
        assert_eq!(got, [1.0, 1.0, 1.0, 2.0, 4.0, 4.0, 4.0]);
        let z = Series { outside: Outside::Zero, ..s };
        let got: Vec<f64> = (2028..2035).map(|y| z.at(y)).collect();
        assert_eq!(got, [0.0, 0.0, 1.0, 2.0, 4.0, 0.0, 0.0]);
        assert_eq!(z.last(), 2032);
    }

    #[test]
    fn powers_are_powi_and_are_kept_only_for_the_same_base_and_exponents() {
        let mut p = Powers::default();
        let want: Vec<f64> = (0..6).map(|t| 1.03f64.powi(-2 + t)).collect();
        assert_eq!(p.of(1.03, -2, 6), &want[..]);
        assert!(p.holds(1.03, -2, 6));
        // Another base, first exponent or length fills the table again.
        let other: Vec<f64> = (0..6).map(|t| 1.05f64.powi(-2 + t)).collect();
        assert_eq!(p.of(1.05, -2, 6), &other[..]);
        assert!(!p.holds(1.03, -2, 6));
        assert_eq!(p.of(1.05, 0, 3), &[1.0, 1.05, 1.05f64.powi(2)][..]);
        assert_eq!(p.of(1.05, 0, 4).len(), 4);
        // A base differing in its last bit is another base.
        let next = f64::from_bits(1.05f64.to_bits() + 1);
        assert!(!p.holds(next, 0, 4));
        assert_eq!(p.of(next, 0, 4)[3].to_bits(), next.powi(3).to_bits());
    }

    #[test]
    fn an_inflation_path_compounds_from_the_base_year_both_ways() {
        // 10% in 2027, 5% from 2028 (held): 1 in 2026, 1.1, 1.155, 1.21275; 2025 is 1 divided by 2026's
        // factor, 1 + 0.
        let s = Series { first: 2026, values: vec![0.0, 0.10, 0.05], outside: Outside::Hold };
        let mut index = [0.0; 5];
        index_path(&s, 1.0, 2025, 2026, &mut index);
        for (got, want) in index.iter().zip([1.0, 1.0, 1.1, 1.155, 1.21275]) {
            assert!((got - want).abs() < 1e-12, "{index:?}");
        }
        // Scaled by 2: 20%, then 10%: 1.2, 1.32.
        index_path(&s, 2.0, 2026, 2026, &mut index[..3]);
        assert!((index[1] - 1.2).abs() < 1e-12 && (index[2] - 1.32).abs() < 1e-12);
        // Expected yearly inflation over 2026-2028: sqrt(1.1 × 1.05) − 1.
        let m = mean_inflation(&s, 1.0, 2026, 2028);
        assert!((m - (1.155f64.sqrt() - 1.0)).abs() < 1e-12, "{m}");
    }
}
