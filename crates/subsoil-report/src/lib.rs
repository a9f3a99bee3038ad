//! The report of a saved run or comparison: one self-contained HTML file (inline CSS and SVG, no script, nothing
//! fetched when it is opened) with the headline answers in plain words, probabilities by year, fan
//! charts, histograms, the per-project table, the assumptions with their sources, and the manifest with
//! the command that reproduces the run; for a comparison, the versions side by side on the same axes
//! and their paired differences.
//!
//! The report is a pure function of the run's `summary.json` ([`render`]): `subsoil report DIR`
//! re-renders it from a saved folder byte for byte. Charts come from [`svg`], numbers are written by
//! [`mod@format`] as people read them.

mod compare;
pub mod format;
mod html;
pub mod svg;

pub use html::{SECTIONS, render, sections, style};

/// Why a summary cannot be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportError(pub String);

impl std::fmt::Display for ReportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReportError {}
