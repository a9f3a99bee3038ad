//! Calendar years, the time unit of every path.

/// A calendar year.
pub type Year = i32;

/// The year a path is in, as its phases see it.
#[derive(Clone, Copy, Debug)]
pub struct PathYear {
    /// Year index (0 = the first simulated year).
    pub t: u32,
    /// Calendar year.
    pub year: Year,
    /// Price index (nominal = real × index).
    pub index: f64,
    /// Whether the war lasts through the year.
    pub at_war: bool,
}
