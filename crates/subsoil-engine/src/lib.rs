//! The engine: runs the model over paths and reduces the results. It only orchestrates: the model is
//! `subsoil-core`, inputs come from `subsoil-scenario`, random numbers from `subsoil-risk` and
//! statistics from `subsoil-stats`.

pub mod base_case;

pub use base_case::{BaseCase, ProjectRow, Totals, base_case};
