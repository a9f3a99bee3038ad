//! Sub-indexes of the yearly draws on the model's named random streams.
//!
//! Every yearly event reads `uniform(stream, k)` from [`crate::Randomness`]. One stream carries several
//! kinds of event, each from its own offset: a draw of year index `t` for an event of kind `K` is
//! `uniform(stream, K + t)`. Tests that script a path's draws name these offsets instead of their values.

/// A project's event stream ([`crate::model::Project::event_stream`]): abandonment at the end of
/// pre-decision stage `s` in year `t` at `K_ABANDON + K_ABANDON_STAGE * s + t`.
pub const K_ABANDON: u32 = 0;
/// A project's event stream: the distance between the abandonment draws of successive stages.
pub const K_ABANDON_STAGE: u32 = 1_000;
/// A project's event stream: war damage in year `t` at `K_DAMAGE + t`.
pub const K_DAMAGE: u32 = 5_000;

/// The conflict's stream ([`crate::model::Conflict::stream`]): a new ceasefire ending a renewed war in
/// year `t`.
pub const K_CEASEFIRE: u32 = 0;
/// The conflict's stream: a ceasefire breaking down in year `t`.
pub const K_BREAKDOWN: u32 = 10_000;

/// An oblast's stream ([`crate::model::Oblast::stream`]): the front advancing in year `t`.
pub const K_FRONT: u32 = 0;

/// A product's episode stream ([`crate::model::Dominant::stream`]): a supply flood starting in year `t`.
pub const K_FLOOD: u32 = 0;
/// A product's episode stream: export controls starting in year `t`.
pub const K_CONTROLS: u32 = 10_000;
/// A product's episode stream: a targeted cut in year `t`.
pub const K_CUT: u32 = 20_000;

/// A licensing flow's stream ([`crate::model::LicensingFlow::stream`]): the normal whose quantile is the
/// year's count of permits in year `t`.
pub const K_PERMITS: u32 = 0;
/// A licensing flow's stream: the normal whose quantile is the number of the year's permits developed.
pub const K_DEVELOPED: u32 = 10_000;

/// The fiscal regime's stream ([`crate::rent::RentChanges::stream`]): a change of the royalty rates in
/// year `t`.
pub const K_RENT_CHANGE: u32 = 0;
/// The fiscal regime's stream: whether the change of year `t` is a rise.
pub const K_RENT_UP: u32 = 10_000;

/// The sub-index of the abandonment draw at the end of pre-decision stage `stage` (its index in
/// [`crate::model::Stage::PRE_DECISION`]) in year index `t`.
#[inline]
pub const fn abandon(stage: usize, t: u32) -> u32 {
    K_ABANDON + stage as u32 * K_ABANDON_STAGE + t
}
