//! Calendar years, the time unit of every path.

/// A calendar year.
pub type Year = i32;
