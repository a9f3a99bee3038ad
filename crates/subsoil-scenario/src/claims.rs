//! The claims file: claims made in the public debate, each as a testable statement (`data/claims.toml`,
//! built in). This module reads it and checks the factual claims against the data files; the engine
//! (`subsoil_engine::claims`) judges the simulated ones.
//!
//! A claim names a statistic, the side of a threshold on which the claim holds (with the reason for
//! the threshold) and the scenarios it is judged under. Statistics:
//!
//! - `probability:NAME`, `mean:METRIC`: a run's probability (with its Wilson interval) or a metric's
//!   mean (± 1.96 standard errors);
//! - `by:EVENT:YEAR`: P(the event has happened by the end of YEAR);
//! - `difference-mean:METRIC`, `difference-probability:NAME`: the paired difference, on common random
//!   numbers, between the scenario with the claim's `sets` and with its `versus` sets;
//! - `fact:FILE:KEY`: a number in a built-in data file (`data/macro.toml`, a dotted key);
//! - `deposits-share`: the share of the rows of `data/deposits.csv` matching `among` that also match
//!   `where` (conditions `column=a|b`, `column!=a|b`, `column~a|b` for a `;`-separated list that
//!   contains one of them, `column!~a|b` for one that contains none);
//! - `none`: the claim cannot be tested with the model or its data; `reason` says why.

use toml::de::{DeTable, DeValue};

use crate::builtin;

/// Path of the built-in claims file.
pub const FILE: &str = "data/claims.toml";

/// Where a claim holds relative to its threshold.
#[derive(Clone, Debug, PartialEq)]
pub enum Holds {
    /// Above `threshold`.
    Above(f64),
    /// Below `threshold`.
    Below(f64),
    /// Within `[lo, hi]`.
    Between(f64, f64),
    /// Not tested.
    Untested,
}

/// A claim's statistic.
#[derive(Clone, Debug, PartialEq)]
pub enum Statistic {
    /// A probability of a run.
    Probability(String),
    /// The mean of a metric.
    Mean(String),
    /// P(event by the end of the year).
    By(String, i32),
    /// Mean of (metric with `sets` − metric with `versus`) on common random numbers.
    DifferenceMean(String),
    /// The same for a probability.
    DifferenceProbability(String),
    /// A number in a data file.
    Fact {
        /// The file (`data/macro.toml`).
        file: String,
        /// Its dotted key.
        key: String,
    },
    /// Share of the deposits among `among` that match `filter`.
    DepositsShare {
        /// Rows counted.
        filter: Condition,
        /// Rows considered (all when `None`).
        among: Option<Condition>,
    },
    /// Not tested.
    None,
}

impl Statistic {
    /// Whether it is computed from data files rather than simulated.
    pub fn is_data(&self) -> bool {
        matches!(self, Statistic::Fact { .. } | Statistic::DepositsShare { .. } | Statistic::None)
    }

    /// As written in the claims file.
    pub fn written(&self) -> String {
        match self {
            Statistic::Probability(n) => format!("P({n})"),
            Statistic::Mean(m) => format!("mean {m}"),
            Statistic::By(e, y) => format!("P({e} by {y})"),
            Statistic::DifferenceMean(m) => format!("Δ mean {m}"),
            Statistic::DifferenceProbability(n) => format!("Δ P({n})"),
            Statistic::Fact { file, key } => format!("{key} ({file})"),
            Statistic::DepositsShare { filter, among } => match among {
                Some(a) => format!("share of deposits with {} among {}", filter.written, a.written),
                None => format!("share of deposits with {}", filter.written),
            },
            Statistic::None => "none".into(),
        }
    }
}

/// A condition on a column of `data/deposits.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// As written.
    pub written: String,
    column: String,
    op: Op,
    values: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Is,
    IsNot,
    Contains,
    Lacks,
}

impl Condition {
    fn parse(s: &str) -> Result<Condition, String> {
        let (column, op, rest) = if let Some((c, v)) = s.split_once("!~") {
            (c, Op::Lacks, v)
        } else if let Some((c, v)) = s.split_once("!=") {
            (c, Op::IsNot, v)
        } else if let Some((c, v)) = s.split_once('~') {
            (c, Op::Contains, v)
        } else if let Some((c, v)) = s.split_once('=') {
            (c, Op::Is, v)
        } else {
            return Err(format!(
                "{s:?}: expected column=a|b, column!=a|b, column~a|b or column!~a|b"
            ));
        };
        Ok(Condition {
            written: s.to_string(),
            column: column.trim().to_string(),
            op,
            values: rest.split('|').map(|v| v.trim().to_string()).collect(),
        })
    }

    fn matches(&self, cell: &str) -> bool {
        let any = |x: &str| self.values.iter().any(|v| v == x);
        match self.op {
            Op::Is => any(cell),
            Op::IsNot => !any(cell),
            Op::Contains => cell.split(';').any(|x| any(x.trim())),
            Op::Lacks => !cell.split(';').any(|x| any(x.trim())),
        }
    }
}

/// One claim.
#[derive(Clone, Debug)]
pub struct Claim {
    /// Short id, as in `claims.md` (a part of a claim tested on its own adds `/part`).
    pub id: String,
    /// The claim, paraphrased.
    pub claim: String,
    /// Where it was made.
    pub source: String,
    /// What is measured.
    pub statistic: Statistic,
    /// Where the claim holds.
    pub holds: Holds,
    /// Why the threshold is where it is (or why the claim is not tested).
    pub reason: String,
    /// Scenarios it is judged under (a built-in name; `NAME#no-deal` for it without its deal).
    pub scenarios: Vec<String>,
    /// `--set` overrides of the claim's own case.
    pub sets: Vec<String>,
    /// `--set` overrides of the case a difference is taken from.
    pub versus: Vec<String>,
    /// Inputs whose swing explains a verdict that depends on them.
    pub swing: Vec<String>,
    /// Further statistics reported beside the verdict (`mean:`, `max:`, `p50:`, `p90:` a metric).
    pub also: Vec<String>,
}

/// Reads the built-in claims file.
///
/// # Errors
///
/// A message naming the claim and field that could not be read.
pub fn builtin() -> Result<Vec<Claim>, String> {
    parse(builtin::CLAIMS)
}

/// Reads a claims file.
///
/// # Errors
///
/// A message naming the claim and field that could not be read.
pub fn parse(text: &str) -> Result<Vec<Claim>, String> {
    let doc = DeTable::parse(text).map_err(|e| format!("{FILE}: {}", e.message()))?;
    let Some(list) = doc.get_ref().get("claims") else {
        return Err(format!("{FILE}: no [[claims]]"));
    };
    let DeValue::Array(items) = list.get_ref() else {
        return Err(format!("{FILE}: claims must be an array of tables"));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match item.get_ref() {
            DeValue::Table(t) => claim(t).map_err(|e| format!("{FILE}: claims[{i}]: {e}")),
            _ => Err(format!("{FILE}: claims[{i}] is not a table")),
        })
        .collect()
}

fn text(t: &DeTable<'_>, key: &str) -> Result<String, String> {
    match t.get(key).map(|v| v.get_ref()) {
        Some(DeValue::String(s)) => Ok(s.to_string()),
        Some(_) => Err(format!("{key} must be a string")),
        None => Err(format!("{key} is missing")),
    }
}

fn number(v: &DeValue<'_>) -> Option<f64> {
    match v {
        DeValue::Integer(i) => i.as_str().parse().ok(),
        DeValue::Float(f) => f.as_str().parse().ok(),
        _ => None,
    }
}

fn list(t: &DeTable<'_>, key: &str) -> Result<Vec<String>, String> {
    match t.get(key).map(|v| v.get_ref()) {
        None => Ok(Vec::new()),
        Some(DeValue::Array(a)) => a
            .iter()
            .map(|v| match v.get_ref() {
                DeValue::String(s) => Ok(s.to_string()),
                _ => Err(format!("{key} must list strings")),
            })
            .collect(),
        Some(_) => Err(format!("{key} must be an array of strings")),
    }
}

fn claim(t: &DeTable<'_>) -> Result<Claim, String> {
    let id = text(t, "id")?;
    let at = |e: String| format!("{id}: {e}");
    let statistic = statistic(t).map_err(at)?;
    let holds = match t.get("holds").map(|v| v.get_ref()) {
        Some(DeValue::String(s)) if s == "untested" => Holds::Untested,
        Some(DeValue::String(s)) => {
            let threshold = t.get("threshold").map(|v| v.get_ref());
            match (s.as_ref(), threshold) {
                ("above", Some(v)) => {
                    Holds::Above(number(v).ok_or_else(|| at("threshold".into()))?)
                }
                ("below", Some(v)) => {
                    Holds::Below(number(v).ok_or_else(|| at("threshold".into()))?)
                }
                ("between", Some(DeValue::Array(a))) if a.len() == 2 => {
                    let n = |i: usize| number(a[i].get_ref()).ok_or_else(|| at("threshold".into()));
                    Holds::Between(n(0)?, n(1)?)
                }
                _ => {
                    return Err(at(format!(
                        "holds = {s:?} needs a threshold (a number, or [lo, hi] for between)"
                    )));
                }
            }
        }
        _ => {
            return Err(at(
                "holds must be \"above\", \"below\", \"between\" or \"untested\"".into()
            ));
        }
    };
    if (holds == Holds::Untested) != (statistic == Statistic::None) {
        return Err(at("a claim is untested exactly when its statistic is none".into()));
    }
    let scenarios = list(t, "scenarios").map_err(at)?;
    if !statistic.is_data() && scenarios.is_empty() {
        return Err(at("a simulated statistic needs scenarios".into()));
    }
    Ok(Claim {
        claim: text(t, "claim").map_err(at)?,
        source: text(t, "source").map_err(at)?,
        reason: text(t, "reason").map_err(at)?,
        statistic,
        holds,
        scenarios,
        sets: list(t, "sets").map_err(at)?,
        versus: list(t, "versus").map_err(at)?,
        swing: list(t, "swing").map_err(at)?,
        also: list(t, "also").map_err(at)?,
        id,
    })
}

fn statistic(t: &DeTable<'_>) -> Result<Statistic, String> {
    let s = text(t, "statistic")?;
    let parts: Vec<&str> = s.split(':').collect();
    let stat = match parts.as_slice() {
        ["probability", n] => Statistic::Probability(n.to_string()),
        ["mean", m] => Statistic::Mean(m.to_string()),
        ["by", e, y] => {
            Statistic::By(e.to_string(), y.parse().map_err(|_| format!("{s:?}: year"))?)
        }
        ["difference-mean", m] => Statistic::DifferenceMean(m.to_string()),
        ["difference-probability", n] => Statistic::DifferenceProbability(n.to_string()),
        ["fact", file, key] => Statistic::Fact { file: file.to_string(), key: key.to_string() },
        ["deposits-share"] => Statistic::DepositsShare {
            filter: Condition::parse(&text(t, "where")?)?,
            among: match t.get("among") {
                Some(_) => Some(Condition::parse(&text(t, "among")?)?),
                None => None,
            },
        },
        ["none"] => Statistic::None,
        _ => return Err(format!("statistic {s:?} is not one the claims file knows")),
    };
    Ok(stat)
}

/// The value of a data statistic (a fact or a share of deposits), or `None` for a simulated one.
///
/// # Errors
///
/// When the file, key or column does not exist.
pub fn data_value(stat: &Statistic) -> Result<Option<f64>, String> {
    match stat {
        Statistic::Fact { file, key } => {
            let text =
                builtin::file(file).ok_or_else(|| format!("no built-in data file {file}"))?;
            let doc = DeTable::parse(text).map_err(|e| format!("{file}: {}", e.message()))?;
            let keys: Vec<&str> = key.split('.').collect();
            let mut table: &DeTable<'_> = doc.get_ref();
            for k in &keys[..keys.len() - 1] {
                match table.get(*k).map(|v| v.get_ref()) {
                    Some(DeValue::Table(t)) => table = t,
                    _ => return Err(format!("{file}: no table {k} on the way to {key}")),
                }
            }
            let last = keys[keys.len() - 1];
            let value = match table.get(last).map(|v| v.get_ref()) {
                Some(DeValue::Table(t)) => t.get("value").and_then(|x| number(x.get_ref())),
                Some(other) => number(other),
                None => return Err(format!("{file}: no {key}")),
            };
            value.map(Some).ok_or_else(|| format!("{file}: {key} is not a number"))
        }
        Statistic::DepositsShare { filter, among } => {
            let text = builtin::file("data/deposits.csv").ok_or("no built-in deposits.csv")?;
            let mut r = csv::Reader::from_reader(text.as_bytes());
            let headers = r.headers().map_err(|e| e.to_string())?.clone();
            let col = |c: &Condition| {
                headers
                    .iter()
                    .position(|h| h == c.column)
                    .ok_or_else(|| format!("data/deposits.csv has no column {}", c.column))
            };
            let fi = col(filter)?;
            let ai = among.as_ref().map(col).transpose()?;
            let (mut hits, mut n) = (0u32, 0u32);
            for row in r.records() {
                let row = row.map_err(|e| e.to_string())?;
                let cell = |i: usize| row.get(i).unwrap_or("");
                if let (Some(a), Some(i)) = (among, ai)
                    && !a.matches(cell(i))
                {
                    continue;
                }
                n += 1;
                hits += u32::from(filter.matches(cell(fi)));
            }
            if n == 0 {
                return Err("no deposit matches".into());
            }
            Ok(Some(f64::from(hits) / f64::from(n)))
        }
        _ => Ok(None),
    }
}
