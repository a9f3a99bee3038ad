//! Calendar dates for dated cash flows ([`crate::xnpv`], [`crate::xirr`]).
//!
//! A deliberately small proleptic Gregorian date: construction validates the day of the month
//! (leap years included), [`Date::day_number`] gives a serial day count for day differences, and
//! [`Date::parse`] reads the ISO `YYYY-MM-DD` form used in scenario files.

use std::fmt;
use std::str::FromStr;

/// Smallest year accepted by [`Date::new`] and [`Date::parse`].
pub const MIN_YEAR: i32 = 1;
/// Largest year accepted by [`Date::new`] and [`Date::parse`].
pub const MAX_YEAR: i32 = 9999;

/// Days from 0000-03-01 to 1970-01-01, so that [`Date::day_number`] counts from the Unix epoch.
const EPOCH_SHIFT: i64 = 719_468;
/// Days in a 400-year Gregorian cycle.
const DAYS_PER_ERA: i64 = 146_097;

/// A valid calendar date between years [`MIN_YEAR`] and [`MAX_YEAR`].
///
/// Ordering is chronological.
///
/// # Examples
///
/// ```
/// use subsoil_finance::Date;
///
/// let start: Date = "2008-01-01".parse()?;
/// let end = Date::new(2009, 4, 1)?;
/// // 2008 is a leap year: 366 + 31 + 28 + 31 days.
/// assert_eq!(start.days_until(end), 456);
/// assert!(Date::parse("2023-02-29").is_err());
/// # Ok::<(), subsoil_finance::DateError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    y: i32,
    m: u8,
    d: u8,
}

impl Date {
    /// Builds a date, checking the year range, the month and the day of that month.
    ///
    /// # Errors
    ///
    /// [`DateError::YearOutOfRange`], [`DateError::InvalidMonth`] or
    /// [`DateError::InvalidDay`] (for example 29 February in a common year).
    pub fn new(year: i32, month: u32, day: u32) -> Result<Date, DateError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(DateError::YearOutOfRange { year });
        }
        if !(1..=12).contains(&month) {
            return Err(DateError::InvalidMonth { month });
        }
        let max_day = days_in_month(year, month);
        if !(1..=max_day).contains(&day) {
            return Err(DateError::InvalidDay { year, month, day, max_day });
        }
        // Month and day are checked to fit in a u8 above.
        Ok(Date { y: year, m: month as u8, d: day as u8 })
    }

    /// Parses the ISO form `YYYY-MM-DD` (exactly four, two and two digits).
    ///
    /// # Errors
    ///
    /// [`DateError::Format`] when the text is not of that shape, otherwise the errors of
    /// [`Date::new`].
    ///
    /// # Examples
    ///
    /// ```
    /// use subsoil_finance::{Date, DateError};
    ///
    /// assert_eq!(Date::parse("2024-02-29")?, Date::new(2024, 2, 29)?);
    /// assert!(matches!(Date::parse("2024-2-29"), Err(DateError::Format { .. })));
    /// assert!(matches!(Date::parse("2024-13-01"), Err(DateError::InvalidMonth { month: 13 })));
    /// # Ok::<(), DateError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let format_error = || DateError::Format { input: text.to_owned() };
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(format_error());
        }
        let number = |range: std::ops::Range<usize>| -> Result<u32, DateError> {
            text.get(range).and_then(|s| s.parse().ok()).ok_or_else(format_error)
        };
        let year = number(0..4)?;
        let year = i32::try_from(year).map_err(|_| format_error())?;
        Date::new(year, number(5..7)?, number(8..10)?)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.y
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u32 {
        u32::from(self.m)
    }

    /// The day of the month, starting at 1.
    pub fn day(self) -> u32 {
        u32::from(self.d)
    }

    /// Serial day number: days since 1970-01-01 (negative before it).
    ///
    /// Differences of day numbers are actual calendar days, leap days included.
    ///
    /// # Examples
    ///
    /// ```
    /// use subsoil_finance::Date;
    ///
    /// assert_eq!(Date::new(1970, 1, 1)?.day_number(), 0);
    /// assert_eq!(Date::new(2000, 3, 1)?.day_number(), 11_017);
    /// assert_eq!(Date::new(1969, 12, 31)?.day_number(), -1);
    /// # Ok::<(), subsoil_finance::DateError>(())
    /// ```
    pub fn day_number(self) -> i64 {
        // Count years from March so that the leap day is the last day of the counting year.
        let (year, month) = if self.m <= 2 {
            (i64::from(self.y) - 1, i64::from(self.m) + 9)
        } else {
            (i64::from(self.y), i64::from(self.m) - 3)
        };
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        // Month lengths from March repeat 31,30,31,30,31 — the 153-days-per-5-months rule.
        let day_of_year = (153 * month + 2) / 5 + i64::from(self.d) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * DAYS_PER_ERA + day_of_era - EPOCH_SHIFT
    }

    /// The date with the given [`Date::day_number`], or `None` outside the supported years.
    ///
    /// # Examples
    ///
    /// ```
    /// use subsoil_finance::Date;
    ///
    /// assert_eq!(Date::from_day_number(11_017), Some(Date::new(2000, 3, 1)?));
    /// # Ok::<(), subsoil_finance::DateError>(())
    /// ```
    pub fn from_day_number(day_number: i64) -> Option<Date> {
        let shifted = day_number.checked_add(EPOCH_SHIFT)?;
        let era = shifted.div_euclid(DAYS_PER_ERA);
        let day_of_era = shifted - era * DAYS_PER_ERA;
        // Undo the leap-day corrections to find the March-based year within the era.
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524
            - day_of_era / (DAYS_PER_ERA - 1))
            / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_from_march = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
        let (month, year) = if month_from_march < 10 {
            (month_from_march + 3, era * 400 + year_of_era)
        } else {
            (month_from_march - 9, era * 400 + year_of_era + 1)
        };
        let year = i32::try_from(year).ok()?;
        Date::new(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?).ok()
    }

    /// Calendar days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.day_number() - self.day_number()
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Date, DateError> {
        Date::parse(text)
    }
}

impl fmt::Display for Date {
    /// Writes `YYYY-MM-DD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

/// Whether `year` has a 29 February in the Gregorian calendar.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in `month` (1 to 12) of `year`; 0 for an invalid month.
fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Why a date could not be built or parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DateError {
    /// The text is not of the form `YYYY-MM-DD`.
    Format {
        /// The rejected text.
        input: String,
    },
    /// The year is outside [`MIN_YEAR`]..=[`MAX_YEAR`].
    YearOutOfRange {
        /// The rejected year.
        year: i32,
    },
    /// The month is not between 1 and 12.
    InvalidMonth {
        /// The rejected month.
        month: u32,
    },
    /// The day does not exist in that month.
    InvalidDay {
        /// Year of the rejected date.
        year: i32,
        /// Month of the rejected date.
        month: u32,
        /// The rejected day.
        day: u32,
        /// Last day of that month.
        max_day: u32,
    },
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Format { input } => {
                write!(f, "invalid date '{input}': expected YYYY-MM-DD, e.g. 2025-04-30")
            }
            DateError::YearOutOfRange { year } => {
                write!(f, "year {year} is outside the supported range {MIN_YEAR}..={MAX_YEAR}")
            }
            DateError::InvalidMonth { month } => {
                write!(f, "month {month} does not exist (expected 1 to 12)")
            }
            DateError::InvalidDay { year, month, day, max_day } => write!(
                f,
                "day {day} does not exist in {year:04}-{month:02} (it has {max_day} days)"
            ),
        }
    }
}

impl std::error::Error for DateError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(is_leap_year(2000));
        assert!(is_leap_year(2024));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2100));
        assert!(!is_leap_year(2023));
    }

    #[test]
    fn day_numbers_match_a_naive_day_count() {
        // Independent count: walk month by month from 1970-01-01.
        let mut expected = 0_i64;
        for year in 1970..2101 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    let date = Date::new(year, month, day);
                    assert_eq!(date.map(Date::day_number), Ok(expected), "{year}-{month}-{day}");
                    expected += 1;
                }
            }
        }
    }

    #[test]
    fn day_numbers_round_trip_over_the_whole_range() {
        let first = Date::new(MIN_YEAR, 1, 1).map(Date::day_number);
        let last = Date::new(MAX_YEAR, 12, 31).map(Date::day_number);
        let (Ok(first), Ok(last)) = (first, last) else {
            panic!("range ends must be valid dates");
        };
        let mut previous: Option<Date> = None;
        for n in first..=last {
            let date = Date::from_day_number(n);
            assert_eq!(date.map(Date::day_number), Some(n));
            assert!(date > previous, "not increasing at {n}");
            previous = date;
        }
        assert_eq!(Date::from_day_number(first - 1), None);
        assert_eq!(Date::from_day_number(last + 1), None);
    }

    #[test]
    fn rejects_invalid_dates_with_a_reason() {
        assert_eq!(
            Date::parse("2023-02-29"),
            Err(DateError::InvalidDay { year: 2023, month: 2, day: 29, max_day: 28 })
        );
        assert!(Date::parse("2023-04-31").is_err());
        assert_eq!(Date::parse("2023-00-10"), Err(DateError::InvalidMonth { month: 0 }));
        assert_eq!(Date::parse("0000-01-01"), Err(DateError::YearOutOfRange { year: 0 }));
        for bad in ["", "2023-1-01", "2023/01/01", "2023-01-01T00", "+023-01-01", "２０２３-01-01"]
        {
            assert!(matches!(Date::parse(bad), Err(DateError::Format { .. })), "{bad:?}");
        }
    }

    #[test]
    fn display_round_trips_through_parse() {
        let date = Date::new(987, 6, 5);
        assert_eq!(date.clone().map(|d| d.to_string()), Ok("0987-06-05".to_owned()));
        assert_eq!(date.clone().map(|d| d.to_string()).and_then(|s| s.parse()), date);
        let message = Date::parse("2023-02-29").map_err(|e| e.to_string());
        assert_eq!(message, Err("day 29 does not exist in 2023-02 (it has 28 days)".to_owned()));
    }
}
