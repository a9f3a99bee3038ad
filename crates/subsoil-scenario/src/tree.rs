//! A TOML document as a tree whose every value remembers the file and byte range it came from, so
//! that errors found after layers are merged still point at the right line of the right file.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostics, FileId, Location};

/// A value with its origin.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// File the value was written in.
    pub file: FileId,
    /// Byte range of the value.
    pub span: Range<usize>,
    /// The value.
    pub kind: Kind,
}

/// The kinds of TOML values.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A table; keys in sorted order.
    Table(BTreeMap<String, Node>),
    /// An array.
    Array(Vec<Node>),
    /// A string.
    Str(String),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// A date or date-time, as written.
    Datetime(String),
}

impl Kind {
    /// Name of the TOML type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Kind::Table(_) => "a table",
            Kind::Array(_) => "an array",
            Kind::Str(_) => "a string",
            Kind::Int(_) => "an integer",
            Kind::Float(_) => "a float",
            Kind::Bool(_) => "a boolean",
            Kind::Datetime(_) => "a date",
        }
    }
}

impl Node {
    /// Location of this value.
    pub fn location(&self) -> Location {
        Location { file: self.file, span: Some(self.span.clone()) }
    }

    /// The table's entries, if this is a table.
    pub fn table(&self) -> Option<&BTreeMap<String, Node>> {
        match &self.kind {
            Kind::Table(t) => Some(t),
            _ => None,
        }
    }

    /// Entry `key` of a table.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.table().and_then(|t| t.get(key))
    }

    /// The node at a dotted path of keys.
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        let mut n = self;
        for k in path {
            n = n.get(k)?;
        }
        Some(n)
    }

    /// The number, if this is an integer or a float.
    pub fn number(&self) -> Option<f64> {
        match self.kind {
            Kind::Int(i) => Some(i as f64),
            Kind::Float(f) => Some(f),
            _ => None,
        }
    }

    /// The string, if this is a string.
    pub fn str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this table is a quantity (it has `value` or `dist`): quantities are replaced whole when
    /// layers merge.
    pub fn is_quantity_table(&self) -> bool {
        self.get("value").is_some()
            || self.get("dist").is_some()
            || self.get("by-year").is_some()
            || self.get("by-production-year").is_some()
    }

    /// Converts a parsed TOML table. Integers and floats that do not fit are reported in `diags`.
    pub fn from_toml(
        file: FileId,
        table: &toml::Spanned<DeTable<'_>>,
        diags: &mut Diagnostics,
    ) -> Node {
        Node {
            file,
            span: table.span(),
            kind: Kind::Table(convert_table(file, table.get_ref(), "", diags)),
        }
    }

    /// Layers `over` on top of `self`: tables merge key by key (except quantities, which are replaced
    /// whole); any other value in `over` replaces the one in `self`.
    pub fn merge(&mut self, over: Node) {
        match (&mut self.kind, over.kind) {
            (Kind::Table(base), Kind::Table(top)) if !table_is_quantity(&top) => {
                for (k, v) in top {
                    match base.get_mut(&k) {
                        Some(existing) if !existing.is_quantity_table() => existing.merge(v),
                        _ => {
                            base.insert(k, v);
                        }
                    }
                }
            }
            (_, kind) => {
                self.kind = kind;
                self.file = over.file;
                self.span = over.span;
            }
        }
    }
}

fn table_is_quantity(t: &BTreeMap<String, Node>) -> bool {
    t.contains_key("value")
        || t.contains_key("dist")
        || t.contains_key("by-year")
        || t.contains_key("by-production-year")
}

/// Converts a table whose dotted path is `prefix` (empty at the root); the path names the field in
/// errors found while converting (a number too large, a NaN).
fn convert_table(
    file: FileId,
    t: &DeTable<'_>,
    prefix: &str,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Node> {
    let mut out = BTreeMap::new();
    for (k, v) in t {
        let key = k.get_ref();
        let path = if prefix.is_empty() { key.to_string() } else { format!("{prefix}.{key}") };
        out.insert(key.to_string(), convert_value(file, v, &path, diags));
    }
    out
}

fn convert_value(
    file: FileId,
    v: &toml::Spanned<DeValue<'_>>,
    path: &str,
    diags: &mut Diagnostics,
) -> Node {
    let span = v.span();
    let kind = match v.get_ref() {
        DeValue::String(s) => Kind::Str(s.to_string()),
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => Kind::Int(n),
            Err(_) => {
                diags.error(
                    Some(Location { file, span: Some(span.clone()) }),
                    path,
                    format!("integer {} does not fit in 64 bits", i.as_str()),
                );
                Kind::Int(0)
            }
        },
        DeValue::Float(f) => match f.as_str().parse::<f64>() {
            Ok(x) if x.is_finite() => Kind::Float(x),
            _ => {
                diags.error(
                    Some(Location { file, span: Some(span.clone()) }),
                    path,
                    format!("{} is not a finite number", f.as_str()),
                );
                Kind::Float(0.0)
            }
        },
        DeValue::Boolean(b) => Kind::Bool(*b),
        DeValue::Datetime(d) => Kind::Datetime(d.to_string()),
        DeValue::Array(a) => Kind::Array(
            a.iter()
                .enumerate()
                .map(|(i, x)| convert_value(file, x, &format!("{path}[{i}]"), diags))
                .collect(),
        ),
        DeValue::Table(t) => Kind::Table(convert_table(file, t, path, diags)),
    };
    Node { file, span, kind }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(file: u32, text: &str) -> Node {
        let t = DeTable::parse(text).expect("valid toml");
        let mut d = Diagnostics::default();
        let n = Node::from_toml(FileId(file), &t, &mut d);
        assert!(d.is_empty());
        n
    }

    #[test]
    fn tables_merge_key_by_key_and_quantities_are_replaced_whole() {
        let mut base = parse(0, "[a]\nx = 1\ny = 2\n[a.q]\nvalue = 1\nsource = \"s\"\n");
        let over = parse(1, "[a]\ny = 3\nq = { dist = \"uniform\", min = 0, max = 1 }\n");
        base.merge(over);
        assert_eq!(base.at(&["a", "x"]).and_then(Node::number), Some(1.0));
        assert_eq!(base.at(&["a", "y"]).and_then(Node::number), Some(3.0));
        let q = base.at(&["a", "q"]).expect("q");
        assert!(q.get("source").is_none(), "the old quantity's keys must not survive");
        assert_eq!(q.get("dist").and_then(Node::str), Some("uniform"));
        assert_eq!(q.file, FileId(1));
    }
}
