//! Validation of a merged scenario tree against [the schema](crate::schema): types, units, ranges,
//! required fields and unknown keys, all reported at once. What passes is collected into [`Values`],
//! which lowering reads by dotted path.

use std::collections::{BTreeMap, HashMap};

use crate::diag::{Diagnostics, Location};
use crate::layers;
use crate::quantity::{self, Quantity};
use crate::schema::{Field, Req, Ty};
use crate::tree::{Kind, Node};

/// Validated values by dotted path; defaults are filled in.
#[derive(Debug, Default)]
pub struct Values {
    /// Quantities.
    pub quantities: HashMap<String, Quantity>,
    /// Whole numbers.
    pub counts: HashMap<String, i64>,
    /// Strings and enum choices.
    pub strings: HashMap<String, String>,
    /// Booleans.
    pub bools: HashMap<String, bool>,
    /// Dates as (year, month, day).
    pub dates: HashMap<String, (i32, u8, u8)>,
    /// Arrays of strings.
    pub string_lists: HashMap<String, Vec<String>>,
    /// Locations of values given in files, by path (for later cross-field messages).
    pub locations: HashMap<String, Location>,
}

impl Values {
    /// Quantity at `path` (given or defaulted).
    pub fn q(&self, path: &str) -> Option<&Quantity> {
        self.quantities.get(path)
    }
    /// Whole number at `path`.
    pub fn count(&self, path: &str) -> Option<i64> {
        self.counts.get(path).copied()
    }
    /// String at `path`.
    pub fn str(&self, path: &str) -> Option<&str> {
        self.strings.get(path).map(String::as_str)
    }
    /// Boolean at `path`.
    pub fn bool(&self, path: &str) -> Option<bool> {
        self.bools.get(path).copied()
    }
    /// Array of strings at `path` (empty if absent).
    pub fn strings_at(&self, path: &str) -> &[String] {
        self.string_lists.get(path).map_or(&[], Vec::as_slice)
    }
    /// Location of the value at `path`, if it was written in a file.
    pub fn loc(&self, path: &str) -> Option<Location> {
        self.locations.get(path).cloned()
    }
}

/// Checks `root` against the fields of a table schema.
pub fn validate(root: &Node, fields: &[Field], d: &mut Diagnostics) -> Values {
    let mut v = Values::default();
    table(root, fields, "", &mut v, d);
    v
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() { key.to_string() } else { format!("{prefix}.{key}") }
}

fn table(node: &Node, fields: &[Field], path: &str, v: &mut Values, d: &mut Diagnostics) {
    let empty = BTreeMap::new();
    let entries = match &node.kind {
        Kind::Table(t) => t,
        k => {
            d.error(
                Some(node.location()),
                path,
                format!("expected a table, found {}", k.type_name()),
            );
            &empty
        }
    };
    for (key, child) in entries {
        if !fields.iter().any(|f| f.key == key) {
            let p = join(path, key);
            let names: Vec<&str> = fields.iter().map(|f| f.key).collect();
            // A key far longer than any field name is no near miss (and is not worth comparing).
            let hint = if key.len() > 64 { None } else { closest(key, &names) }
                .map_or(String::new(), |c| format!(" (did you mean `{c}`?)"));
            d.error(
                Some(child.location()),
                p,
                format!(
                    "unknown key `{}`{hint}; expected one of: {}",
                    layers::clip(key),
                    names.join(", ")
                ),
            );
        }
    }
    for f in fields {
        let p = join(path, f.key);
        match entries.get(f.key) {
            Some(child) => {
                v.locations.insert(p.clone(), child.location());
                value(child, &f.ty, &p, v, d);
            }
            None => missing(node, f, &p, v, d),
        }
    }
}

/// A field absent from its table: an error if required; otherwise its default (and, for a table, the
/// defaults of its fields).
fn missing(parent: &Node, f: &Field, p: &str, v: &mut Values, d: &mut Diagnostics) {
    match (f.req, &f.ty) {
        (Req::Required, ty) => {
            let what = match ty {
                Ty::Quantity(q) => format!(" ({})", q.unit.written()),
                _ => String::new(),
            };
            // At the start of the table that lacks it; a file lacking a top-level table is blamed at
            // its first line (the root's span is empty).
            let loc =
                Location { file: parent.file, span: Some(parent.span.start..parent.span.start) };
            d.error(Some(loc), p, format!("missing required field `{}`{what}: {}", f.key, f.doc));
        }
        (_, Ty::Table(fields)) => {
            let empty = Node { file: parent.file, span: 0..0, kind: Kind::Table(BTreeMap::new()) };
            // Defaults of an absent optional table; required fields inside it are only required when
            // the table is given.
            for g in fields.iter() {
                if !matches!(g.req, Req::Required) {
                    missing(&empty, g, &join(p, g.key), v, d);
                }
            }
        }
        (Req::Num(x), Ty::Quantity(_)) => {
            if let Some(q) = Quantity::default_value(p.to_string(), x) {
                v.quantities.insert(p.to_string(), q);
            }
        }
        (Req::Num(x), Ty::Count { .. }) => {
            v.counts.insert(p.to_string(), x as i64);
        }
        (Req::Text(s), Ty::Bool) => {
            v.bools.insert(p.to_string(), s == "true");
        }
        (Req::Text(s), Ty::Enum(_) | Ty::Str) => {
            v.strings.insert(p.to_string(), s.to_string());
        }
        _ => {}
    }
}

fn value(node: &Node, ty: &Ty, p: &str, v: &mut Values, d: &mut Diagnostics) {
    match ty {
        Ty::Quantity(q) => {
            if let Some(qt) = quantity::read(node, q, p, d) {
                v.quantities.insert(p.to_string(), qt);
            }
        }
        Ty::Count { min, max } => match node.kind {
            Kind::Int(i) if i >= *min && i <= *max => {
                v.counts.insert(p.to_string(), i);
            }
            Kind::Int(i) => {
                d.error(Some(node.location()), p, format!("{i} is outside [{min}, {max}]"))
            }
            Kind::Float(x) if x.fract() == 0.0 && x >= *min as f64 && x <= *max as f64 => {
                v.counts.insert(p.to_string(), x as i64);
            }
            _ => d.error(
                Some(node.location()),
                p,
                format!("expected a whole number in [{min}, {max}], found {}", show(node)),
            ),
        },
        Ty::Str => match node.str() {
            Some(s) if s.len() <= 100_000 => {
                v.strings.insert(p.to_string(), s.to_string());
            }
            Some(_) => d.error(Some(node.location()), p, "string longer than 100,000 bytes"),
            None => d.error(
                Some(node.location()),
                p,
                format!("expected a string, found {}", node.kind.type_name()),
            ),
        },
        Ty::Enum(choices) => match node.str() {
            Some(s) if choices.contains(&s) => {
                v.strings.insert(p.to_string(), s.to_string());
            }
            _ => d.error(
                Some(node.location()),
                p,
                format!("expected one of {}, found {}", quoted(choices), show(node)),
            ),
        },
        Ty::Bool => match node.kind {
            Kind::Bool(b) => {
                v.bools.insert(p.to_string(), b);
            }
            _ => d.error(
                Some(node.location()),
                p,
                format!("expected true or false, found {}", show(node)),
            ),
        },
        Ty::Date => {
            let text = match &node.kind {
                Kind::Datetime(s) | Kind::Str(s) => Some(s.as_str()),
                _ => None,
            };
            match text.and_then(parse_date) {
                Some(date) => {
                    v.dates.insert(p.to_string(), date);
                }
                None => d.error(
                    Some(node.location()),
                    p,
                    format!("expected a date YYYY-MM-DD, found {}", show(node)),
                ),
            }
        }
        Ty::Table(fields) => table(node, fields, p, v, d),
        Ty::Map { value: inner, key } => match &node.kind {
            Kind::Table(t) => {
                if t.len() > 10_000 {
                    d.error(Some(node.location()), p, "more than 10,000 entries");
                    return;
                }
                for (k, child) in t {
                    let cp = join(p, k);
                    if !valid_id(k) {
                        d.error(Some(child.location()), &cp, format!("{key} {k:?} is not a valid id: use lowercase letters, digits, `-` and `_`"));
                        continue;
                    }
                    v.locations.insert(cp.clone(), child.location());
                    value(child, inner, &cp, v, d);
                }
            }
            k => d.error(
                Some(node.location()),
                p,
                format!("expected a table of {key} entries, found {}", k.type_name()),
            ),
        },
        Ty::Array(inner) => match &node.kind {
            Kind::Array(items) => {
                if items.len() > 10_000 {
                    d.error(Some(node.location()), p, "more than 10,000 entries");
                    return;
                }
                for (i, it) in items.iter().enumerate() {
                    let cp = format!("{p}[{i}]");
                    v.locations.insert(cp.clone(), it.location());
                    value(it, inner, &cp, v, d);
                }
                if matches!(inner, Ty::Str) {
                    let list = items.iter().filter_map(|n| n.str().map(String::from)).collect();
                    v.string_lists.insert(p.to_string(), list);
                }
            }
            k => d.error(
                Some(node.location()),
                p,
                format!("expected an array, found {}", k.type_name()),
            ),
        },
    }
}

/// Whether `s` is a valid id of a product, project or fact.
pub fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (the first day of the period).
pub fn parse_date(s: &str) -> Option<(i32, u8, u8)> {
    let s = s.trim();
    let date_part = s.split(['T', ' ']).next()?;
    let parts: Vec<&str> = date_part.split('-').collect();
    let y: i32 = parts.first().filter(|p| p.len() == 4)?.parse().ok()?;
    let m: u8 = match parts.get(1) {
        Some(p) if p.len() == 2 => p.parse().ok()?,
        Some(_) => return None,
        None => 1,
    };
    let dd: u8 = match parts.get(2) {
        Some(p) if p.len() == 2 => p.parse().ok()?,
        Some(_) => return None,
        None => 1,
    };
    if parts.len() > 3 || !(1..=12).contains(&m) || dd == 0 || dd > days_in_month(y, m) {
        return None;
    }
    Some((y, m, dd))
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn show(n: &Node) -> String {
    match &n.kind {
        Kind::Str(s) => format!("{:?}", layers::clip(s)),
        Kind::Int(i) => i.to_string(),
        Kind::Float(f) => quantity::fmt_num(*f),
        Kind::Bool(b) => b.to_string(),
        k => k.type_name().to_string(),
    }
}

fn quoted(c: &[&str]) -> String {
    c.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ")
}

/// The candidate within edit distance 2 of `key`, if any.
fn closest<'a>(key: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(key, c), *c))
        .filter(|(dist, _)| *dist <= 2)
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_accept_year_month_and_day_precision() {
        assert_eq!(parse_date("2025-05-23"), Some((2025, 5, 23)));
        assert_eq!(parse_date("2026-02"), Some((2026, 2, 1)));
        assert_eq!(parse_date("2018"), Some((2018, 1, 1)));
        assert_eq!(parse_date("2025-02-29"), None);
        assert_eq!(parse_date("25-05-23"), None);
    }

    #[test]
    fn near_misses_get_a_suggestion() {
        assert_eq!(closest("capx", &["capex", "opex", "life-years"]), Some("capex"));
        assert_eq!(closest("zzzzzz", &["capex"]), None);
    }
}
