//! The subsoil model: one simulated future of deposits, projects, prices, war and the state's receipts.
//!
//! This crate is pure: no I/O, no threads, no parsing and no random-number generator. [`simulate()`] maps a
//! validated [`Model`] and a path's [`Randomness`] to a [`PathOutcome`]; everything else in subsoil feeds it
//! (the scenario loader builds the model, the engine supplies random numbers) or consumes its results.
//!
//! Money is computed in nominal US dollars: real base-year prices and costs escalate with the path's
//! inflation; tax depreciation and loss carry-forward are nominal, as in real books. Results are reported
//! in both nominal and real base-year dollars.

pub mod conflict;
pub mod deal;
pub mod decisions;
pub mod flows;
pub mod fund;
pub mod ledger;
pub mod model;
pub mod operations;
pub mod outcome;
pub mod param;
pub mod prices;
pub mod project;
pub mod receipts;
pub mod rent;
pub mod series;
pub mod simulate;
pub mod stages;
pub mod streams;
pub mod tax;
pub mod terms;
pub mod valuation;
pub mod year;

pub use model::*;
pub use outcome::{
    DealOutcome, PathOutcome, ProjectOutcome, ProjectStatus, Receipts, Stream, YearOutcome,
};
pub use param::{BaseCase, Param, Randomness};
pub use simulate::{Workspace, simulate};
