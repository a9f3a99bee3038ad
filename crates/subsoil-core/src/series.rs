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

/// A series scaled by one factor drawn per path: a whole deck shifted by one uncertain input.
#[derive(Clone, Debug)]
pub struct Scaled {
    /// The factor (1 unless the scenario makes it uncertain).
    pub scale: crate::param::Param,
    /// The series.
    pub series: Series,
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
}
