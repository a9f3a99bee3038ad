//! Discounted-cash-flow functions for subsoil's model and reports.
//!
//! Plain functions over `&[f64]` cash-flow slices, with no dependencies: net present value,
//! internal and modified internal rate of return (periodic and dated), annuity payments and
//! payback periods. Each function states its convention, because the same name means different
//! things in different tools.
//!
//! # Conventions at a glance
//!
//! | function | first value | notes |
//! |---|---|---|
//! | [`npv_t0`] | at `t = 0`, undiscounted | numpy-financial `npv`; subsoil's default |
//! | [`npv_excel`] | discounted one period | Excel/LibreOffice `NPV`; `= npv_t0 / (1+r)` |
//! | [`irr()`], [`irr_all`], [`irr_with_guess`] | at `t = 0` | root of [`npv_t0`]; all roots found |
//! | [`mirr()`] | at `t = 0` | Excel `MIRR` |
//! | [`xnpv`], [`xirr`] | at its own date | actual days / 365 (Excel) |
//! | [`pmt()`] | — | Excel signs: cash received positive |
//! | [`payback()`], [`discounted_payback`] | at `t = 0` | first recovery, interpolated |
//!
//! # The two NPV conventions
//!
//! Spreadsheets (Excel, LibreOffice, FormCalc, FileMaker) discount the *first* value one full
//! period; numpy-financial treats it as paid now, at `t = 0`. The two differ by exactly one
//! period of discounting. Worked number, rate 10 %, flows `[-1000, 500, 500, 500]`:
//!
//! | function | formula | result |
//! |---|---|---|
//! | [`npv_t0`] | `-1000 + 500/1.1 + 500/1.1² + 500/1.1³` | `243.43` |
//! | [`npv_excel`] | `-1000/1.1 + 500/1.1² + 500/1.1³ + 500/1.1⁴` | `221.30` = 243.43 / 1.1 |
//!
//! A project valuation with an up-front investment wants [`npv_t0`] (in a spreadsheet:
//! `NPV(r, later flows) + first flow`).
//!
//! # Several internal rates of return
//!
//! Flows that change sign more than once, such as a mine with closure costs after its revenue
//! years, can have several IRRs. [`irr_all`] lists every root `r > -1`; [`irr()`] returns the
//! smallest non-negative root, or if all are negative the one closest to zero; [`irr_with_guess`]
//! returns the root nearest to a guess. [`sign_changes`] tells whether a series can have more
//! than one.
//!
//! # Failure values
//!
//! Functions that return a rate give `Option<f64>`: `None` when no rate exists. Value functions
//! give `f64` and return `NaN` for undefined inputs (for example a rate of exactly -1), like
//! numpy-financial. No function panics on any input.
//!
//! # Example
//!
//! ```
//! use subsoil_finance::{discounted_payback, irr, irr_all, npv_t0, sign_changes};
//!
//! // Two years of capex, six years of margin, one year of closure cost.
//! let flows = [-120.0, -80.0, 60.0, 60.0, 60.0, 60.0, 60.0, 60.0, -40.0];
//! let npv = npv_t0(0.08, &flows);
//! assert!(npv > 0.0);
//!
//! assert_eq!(sign_changes(&flows), 2); // an IRR may not be unique…
//! let rate = irr(&flows).unwrap_or(f64::NAN);
//! assert_eq!(irr_all(&flows).iter().find(|r| **r >= 0.0), Some(&rate));
//! assert!((npv_t0(rate, &flows)).abs() < 1e-9);
//!
//! let years = discounted_payback(0.08, &flows).unwrap_or(f64::NAN);
//! assert!(years > 5.0 && years < 6.0);
//! ```

mod date;
mod dated;
mod irr;
mod mirr;
mod npv;
mod payback;
mod pmt;
mod roots;

pub use date::{Date, DateError, MAX_YEAR, MIN_YEAR, is_leap_year};
pub use dated::{DAYS_PER_YEAR, xirr, xirr_all, xirr_with_guess, xnpv};
pub use irr::{irr, irr_all, irr_with_guess, sign_changes};
pub use mirr::mirr;
pub use npv::{npv_excel, npv_t0};
pub use payback::{discounted_payback, payback};
pub use pmt::{When, pmt};
