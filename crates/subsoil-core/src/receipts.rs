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

/// Amounts from new and from existing licences.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct NewExisting {
    /// From licences that count as new.
    pub new: f64,
    /// From existing licences.
    pub existing: f64,
}

impl NewExisting {
    /// The new (`true`) or existing (`false`) amount.
    #[inline]
    pub fn get(&self, new: bool) -> f64 {
        if new { self.new } else { self.existing }
    }
    /// The new (`true`) or existing (`false`) amount, to change.
    #[inline]
    pub fn get_mut(&mut self, new: bool) -> &mut f64 {
        if new { &mut self.new } else { &mut self.existing }
    }
}

/// A year's state receipts by stream, split into receipts from new and from existing licences (nominal USD).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Receipts {
    /// By stream, in the order of [`Stream::ALL`].
    pub by_stream: [NewExisting; Stream::COUNT],
}

impl Receipts {
    /// Adds `amount` to a stream.
    #[inline]
    pub fn add(&mut self, s: Stream, new: bool, amount: f64) {
        *self.by_stream[s as usize].get_mut(new) += amount;
    }
    /// Receipts of one stream, new or existing.
    #[inline]
    pub fn get(&self, s: Stream, new: bool) -> f64 {
        self.by_stream[s as usize].get(new)
    }
    /// All receipts from new (`true`) or existing (`false`) licences.
    #[inline]
    pub fn total(&self, new: bool) -> f64 {
        self.by_stream.iter().map(|s| s.get(new)).sum()
    }
}
