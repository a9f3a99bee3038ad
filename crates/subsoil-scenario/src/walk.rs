//! Validation of a merged scenario tree against [the schema](crate::schema): types, units, ranges,
//! required fields and unknown keys, all reported at once. What passes is a tree of [`Valid`] values
//! shaped like the schema, with every default filled in; `typed.rs` reads it into the typed
//! sections that lowering uses.

use std::collections::BTreeMap;

use crate::diag::{Diagnostics, Location};
use crate::quantity::{self, Quantity};
use crate::schema::{Field, PRODUCT_KEY, Req, Ty};
use crate::tree::{Kind, Node};

/// A calendar date as (year, month, day).
pub type Ymd = (i32, u8, u8);

/// A validated value: its dotted path, where it was written (`None` for a default) and the value.
#[derive(Clone, Debug)]
pub struct Valid {
    /// Dotted path (`projects.dobra.capex`, `deal.tiers[0].hurdle`).
    pub path: String,
    /// Where it was written; `None` when it is the schema's default (or an absent table's defaults).
    pub loc: Option<Location>,
    /// The value.
    pub val: Val,
}

/// The validated value of a field, by schema type.
#[derive(Clone, Debug)]
pub enum Val {
    /// A quantity (boxed: it is far larger than the other variants).
    Quantity(Box<Quantity>),
    /// A whole number.
    Count(i64),
    /// A string or an enum choice (one of the schema's names).
    Str(String),
    /// A boolean.
    Bool(bool),
    /// A date.
    Date(Ymd),
    /// A table: its fields given or defaulted, by key. A table not given holds its defaults.
    Table(BTreeMap<&'static str, Valid>),
    /// A table of named entries, in key order; entries whose id is not valid are left out.
    Map(Vec<(String, Valid)>),
    /// An array; items that are not valid are left out, except tables (whose own fields are checked).
    Array(Vec<Valid>),
}

impl Valid {
    /// Field `key` of a table.
    pub fn field(&self, key: &str) -> Option<&Valid> {
        match &self.val {
            Val::Table(t) => t.get(key),
            _ => None,
        }
    }

    /// Every quantity in the tree, in path order within each table.
    pub fn quantities(&self) -> Vec<&Quantity> {
        let mut out = Vec::new();
        self.visit(&mut |v| {
            if let Val::Quantity(q) = &v.val {
                out.push(&**q);
            }
        });
        out
    }

    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Valid)) {
        f(self);
        match &self.val {
            Val::Table(t) => t.values().for_each(|c| c.visit(f)),
            Val::Map(m) => m.iter().for_each(|(_, c)| c.visit(f)),
            Val::Array(a) => a.iter().for_each(|c| c.visit(f)),
            _ => {}
        }
    }
}

/// Checks `root` against the fields of a table schema: the validated tree, with defaults filled in.
pub fn validate(root: &Node, fields: &'static [Field], d: &mut Diagnostics) -> Valid {
    let units = product_units(root);
    table(root, fields, "", Scope { units: &units, product: None }, d)
}

/// Each product's unit as written in the merged tree (`products.<id>.unit`), for messages about
/// quantities counted in it; a product without a (non-empty) unit is left out.
fn product_units(root: &Node) -> BTreeMap<&str, &str> {
    let Some(products) = root.get("products").and_then(Node::table) else {
        return BTreeMap::new();
    };
    products
        .iter()
        .filter_map(|(id, p)| Some((id.as_str(), p.get("unit")?.str()?.trim())))
        .filter(|(_, u)| !u.is_empty())
        .collect()
}

/// The product the quantities being walked are counted in: the key of a table of products
/// (`products.<id>`, a project's `products.<id>`) or the `product` field of a table that names one
/// (`above-price`, `price-link`), inherited by everything inside.
#[derive(Clone, Copy)]
struct Scope<'a> {
    /// Each product's unit.
    units: &'a BTreeMap<&'a str, &'a str>,
    /// The product's id, if known.
    product: Option<&'a str>,
}

impl<'a> Scope<'a> {
    /// The scope of product `id`.
    fn of(self, id: &'a str) -> Scope<'a> {
        Scope { product: Some(id), ..self }
    }
    /// The unit of the product in scope, if it is defined with one.
    fn unit(self) -> Option<&'a str> {
        self.units.get(self.product?).copied()
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() { key.to_string() } else { format!("{prefix}.{key}") }
}

fn table<'a>(
    node: &'a Node,
    fields: &'static [Field],
    path: &str,
    scope: Scope<'a>,
    d: &mut Diagnostics,
) -> Valid {
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
            if let Some(advice) = crate::schema::removed(&p) {
                d.error(Some(child.location()), p, advice);
                continue;
            }
            let names: Vec<&str> = fields.iter().map(|f| f.key).collect();
            // A key far longer than any field name is no near miss (and is not worth comparing).
            let hint = if key.len() > 64 { None } else { closest(key, &names) }
                .map_or(String::new(), |c| format!(" (did you mean `{c}`?)"));
            d.error(
                Some(child.location()),
                p,
                format!(
                    "unknown key `{}`{hint}; expected one of: {}",
                    crate::diag::clip(key),
                    names.join(", ")
                ),
            );
        }
    }
    let mut out = BTreeMap::new();
    for f in fields {
        let p = join(path, f.key);
        let got = match entries.get(f.key) {
            // A value given but not valid is reported; a default stands in for it, so that lowering
            // goes on as if it had not been given.
            Some(child) => value(child, &f.ty, &p, scope, d).or_else(|| default(f, &p)),
            None => missing(node, f, &p, scope, d),
        };
        if let Some(v) = got {
            out.insert(f.key, v);
        }
    }
    let loc = (!path.is_empty()).then(|| node.location());
    Valid { path: path.to_string(), loc, val: Val::Table(out) }
}

/// A field absent from its (given) table: an error if required; otherwise its default.
fn missing(
    parent: &Node,
    f: &Field,
    p: &str,
    scope: Scope<'_>,
    d: &mut Diagnostics,
) -> Option<Valid> {
    if let Req::Required = f.req {
        let what = match &f.ty {
            Ty::Quantity(q) => format!(" ({})", q.unit.named(scope.unit())),
            _ => String::new(),
        };
        // At the start of the table that lacks it; a file lacking a top-level table is blamed at its
        // first line (the root's span is empty).
        let loc = Location { file: parent.file, span: Some(parent.span.start..parent.span.start) };
        d.error(Some(loc), p, format!("missing required field `{}`{what}: {}", f.key, f.doc));
    }
    default(f, p)
}

/// The value of a field not given: its default, or for a table the defaults of its fields (required
/// fields inside a table not given are only required when the table is given). `None` for a field
/// with no default.
fn default(f: &Field, p: &str) -> Option<Valid> {
    let val = match (f.req, &f.ty) {
        (_, Ty::Table(fields)) => Val::Table(
            fields.iter().filter_map(|g| Some((g.key, default(g, &join(p, g.key))?))).collect(),
        ),
        (Req::Num(x), Ty::Quantity(_)) => {
            Val::Quantity(Box::new(Quantity::default_value(p.to_string(), x)?))
        }
        (Req::Num(x), Ty::Count { .. }) => Val::Count(x as i64),
        (Req::Text(s), Ty::Bool) => Val::Bool(s == "true"),
        (Req::Text(s), Ty::Enum(_) | Ty::Str) => Val::Str(s.to_string()),
        _ => return None,
    };
    Some(Valid { path: p.to_string(), loc: None, val })
}

/// A value given in a file, if valid (a table, map or array always is: its own entries are checked).
fn value<'a>(
    node: &'a Node,
    ty: &'static Ty,
    p: &str,
    scope: Scope<'a>,
    d: &mut Diagnostics,
) -> Option<Valid> {
    let loc = Some(node.location());
    let val = match ty {
        Ty::Quantity(q) => Val::Quantity(Box::new(quantity::read(node, q, scope.unit(), p, d)?)),
        Ty::Count { min, max } => match node.kind {
            Kind::Int(i) if i >= *min && i <= *max => Val::Count(i),
            Kind::Int(i) => {
                d.error(loc, p, format!("{i} is outside [{min}, {max}]"));
                return None;
            }
            Kind::Float(x) if x.fract() == 0.0 && x >= *min as f64 && x <= *max as f64 => {
                Val::Count(x as i64)
            }
            _ => {
                d.error(
                    loc,
                    p,
                    format!("expected a whole number in [{min}, {max}], found {}", show(node)),
                );
                return None;
            }
        },
        Ty::Str => match node.str() {
            Some(s) if s.len() <= 100_000 => Val::Str(s.to_string()),
            Some(_) => {
                d.error(loc, p, "string longer than 100,000 bytes");
                return None;
            }
            None => {
                d.error(loc, p, format!("expected a string, found {}", node.kind.type_name()));
                return None;
            }
        },
        Ty::Enum(choices) => match node.str() {
            Some(s) if choices.contains(&s) => Val::Str(s.to_string()),
            _ => {
                d.error(
                    loc,
                    p,
                    format!("expected one of {}, found {}", quoted(choices), show(node)),
                );
                return None;
            }
        },
        Ty::Bool => match node.kind {
            Kind::Bool(b) => Val::Bool(b),
            _ => {
                d.error(loc, p, format!("expected true or false, found {}", show(node)));
                return None;
            }
        },
        Ty::Date => {
            let text = match &node.kind {
                Kind::Datetime(s) | Kind::Str(s) => Some(s.as_str()),
                _ => None,
            };
            match text.and_then(parse_date) {
                Some(date) => Val::Date(date),
                None => {
                    d.error(loc, p, format!("expected a date YYYY-MM-DD, found {}", show(node)));
                    return None;
                }
            }
        }
        Ty::Table(fields) => {
            // A table that names its product (`product = "copper"`) counts its prices in that
            // product's unit.
            let names_product =
                fields.iter().any(|f| f.key == "product" && matches!(f.ty, Ty::Str));
            let scope = match node.get("product").and_then(Node::str) {
                Some(id) if names_product => scope.of(id),
                _ => scope,
            };
            return Some(table(node, fields, p, scope, d));
        }
        Ty::Map { value: inner, key } => Val::Map(match &node.kind {
            Kind::Table(t) if t.len() > 10_000 => {
                d.error(loc.clone(), p, "more than 10,000 entries");
                Vec::new()
            }
            Kind::Table(t) => {
                let mut entries = Vec::new();
                for (k, child) in t {
                    let cp = join(p, k);
                    if *key == crate::schema::CURRENCY_KEY {
                        if !crate::schema::is_currency(k) {
                            d.error(Some(child.location()), &cp, format!("{k:?} is not an ISO 4217 currency code: three capital letters, e.g. \"EUR\""));
                            continue;
                        }
                    } else if !valid_id(k) {
                        d.error(Some(child.location()), &cp, format!("{key} {k:?} is not a valid id: use lowercase letters, digits, `-` and `_`"));
                        continue;
                    }
                    let scope = if *key == PRODUCT_KEY { scope.of(k) } else { scope };
                    if let Some(v) = value(child, inner, &cp, scope, d) {
                        entries.push((k.clone(), v));
                    }
                }
                entries
            }
            k => {
                d.error(
                    loc.clone(),
                    p,
                    format!("expected a table of {key} entries, found {}", k.type_name()),
                );
                Vec::new()
            }
        }),
        Ty::Array(inner) => Val::Array(match &node.kind {
            Kind::Array(items) if items.len() > 10_000 => {
                d.error(loc.clone(), p, "more than 10,000 entries");
                Vec::new()
            }
            Kind::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, it)| value(it, inner, &format!("{p}[{i}]"), scope, d))
                .collect(),
            k => {
                d.error(loc.clone(), p, format!("expected an array, found {}", k.type_name()));
                Vec::new()
            }
        }),
    };
    Some(Valid { path: p.to_string(), loc, val })
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
        Kind::Str(s) => format!("{:?}", crate::diag::clip(s)),
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
