//! The state's receipts: the streams they come by, and a year's receipts by stream from new and existing
//! licences.

/// A stream of state receipts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Royalty (subsoil rent).
    Royalty = 0,
    /// State share of PSA profit production.
    PsaStateShare = 1,
    /// Licence fees and auction prices.
    LicenceFee = 2,
    /// Corporate income tax.
    CorporateTax = 3,
}

impl Stream {
    /// Number of streams.
    pub const COUNT: usize = 4;
    /// All streams in order.
    pub const ALL: [Stream; Stream::COUNT] =
        [Stream::Royalty, Stream::PsaStateShare, Stream::LicenceFee, Stream::CorporateTax];
    /// Name as written in scenario files and outputs.
    pub fn name(self) -> &'static str {
        match self {
            Stream::Royalty => "royalty",
            Stream::PsaStateShare => "psa-state-share",
            Stream::LicenceFee => "licence-fees",
            Stream::CorporateTax => "corporate-tax",
        }
    }
}

/// A year's state receipts by stream, split into receipts from new and from existing licences (nominal USD).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Receipts {
    /// `[stream][0]` new, `[stream][1]` existing.
    pub by_stream: [[f64; 2]; Stream::COUNT],
}

impl Receipts {
    /// Adds `amount` to a stream.
    #[inline]
    pub fn add(&mut self, s: Stream, new: bool, amount: f64) {
        self.by_stream[s as usize][usize::from(!new)] += amount;
    }
    /// Receipts of one stream, new or existing.
    pub fn get(&self, s: Stream, new: bool) -> f64 {
        self.by_stream[s as usize][usize::from(!new)]
    }
    /// All receipts from new (`true`) or existing (`false`) licences.
    pub fn total(&self, new: bool) -> f64 {
        self.by_stream.iter().map(|s| s[usize::from(!new)]).sum()
    }
}
