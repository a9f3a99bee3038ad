//! Provenance listings: every number written in every file of a scenario, where it was written and
//! what it rests on.
//!
//! [`crate::load`] keeps only the values in effect after layers are merged. A provenance listing needs
//! more: a value that a later layer overrides is still a number in a built-in file and still needs its
//! source. [`list`] therefore reads every layer on its own, walks it along [the schema](crate::schema)
//! and reports each quantity and each whole-number field with its file and line, marking the ones in
//! effect. It also lists the rows of the scenario's CSV files with their sources.
//!
//! Two data files are not layers but back the built-in numbers: `data/analogs.toml` (the feasibility
//! studies that project figures are scaled from) and `data/licence_fees.csv` (observed auction prices).
//! They are embedded in [`REFERENCE_FILES`] and read with [`list_plain`] and [`sourced_rows`]; a
//! scenario's listing names the ones its layers cite ([`Listing::cited`]: a layer that names the file).
//!
//! The listing does not validate: [`crate::load`] does. Values that a layer writes but that cannot be
//! read as quantities are left out.

use std::collections::{BTreeMap, HashSet};

use subsoil_risk::Dist;
use toml::de::DeTable;

use crate::LoadError;
use crate::diag::{Diagnostics, FileId, Location, SourceFile, Sources};
use crate::layers::{self, Origin};
use crate::quantity::{self, Provenance, Quantity};
use crate::schema::{self, Field, Q, Ty, Unit};
use crate::tree::{Kind, Node};

/// Data files that back the built-in numbers without being scenario layers: (path in the source tree,
/// contents).
pub static REFERENCE_FILES: &[(&str, &str)] = &[
    ("data/analogs.toml", include_str!("../../../data/analogs.toml")),
    ("data/licence_fees.csv", include_str!("../../../data/licence_fees.csv")),
];

/// A quantity as written in one file.
#[derive(Clone, Debug)]
pub struct Written {
    /// File name as shown in messages (`builtin:data/products.toml` for embedded files).
    pub file: String,
    /// 1-based line of the value.
    pub line: usize,
    /// The quantity: path, value or distribution, unit and provenance.
    pub quantity: Quantity,
    /// Whether this is the value the merged scenario uses (false when a later layer overrides it).
    pub in_effect: bool,
}

/// A whole-number field as written in one file. The schema keeps such counts out of quantities, so they
/// cannot carry `source` or `assumption` keys; their reason, if any, is a comment beside or directly
/// above them.
#[derive(Clone, Debug)]
pub struct WrittenCount {
    /// File name as shown in messages.
    pub file: String,
    /// 1-based line of the value.
    pub line: usize,
    /// Dotted field path.
    pub path: String,
    /// The number.
    pub value: f64,
    /// The comment on the value's line, or else the comment lines directly above it.
    pub comment: Option<String>,
    /// Whether this is the value the merged scenario uses.
    pub in_effect: bool,
}

/// A row of a data CSV file with its sources.
#[derive(Clone, Debug)]
pub struct SourcedRow {
    /// File name as shown in messages.
    pub file: String,
    /// 1-based line of the row.
    pub line: usize,
    /// What the row is about, e.g. `dobra_li` or `shevchenkivske_li issued 2018-02-21`.
    pub label: String,
    /// The row's sources as written (`;`-separated), possibly empty.
    pub sources: String,
    /// Whether the row rests on a low-reliability source.
    pub low_reliability: bool,
}

/// A product as the merged scenario defines it.
#[derive(Clone, Debug)]
pub struct ProductInfo {
    /// Identifier.
    pub id: String,
    /// Display name (the traded product).
    pub name: String,
    /// Unit of quantity.
    pub unit: String,
}

/// Everything a scenario's files write, by file and line.
#[derive(Clone, Debug)]
pub struct Listing {
    /// Layer files in the order applied.
    pub layers: Vec<String>,
    /// Every quantity written in any layer, in file order.
    pub quantities: Vec<Written>,
    /// Every whole-number field written in any layer, in file order.
    pub counts: Vec<WrittenCount>,
    /// Rows of the deposits and licence-events files.
    pub rows: Vec<SourcedRow>,
    /// Products of the merged scenario.
    pub products: Vec<ProductInfo>,
    /// The [`REFERENCE_FILES`] that a layer of the scenario names (in a source, a derivation or a
    /// comment), by path: the data files its numbers rest on.
    pub cited: Vec<&'static str>,
}

/// Lists every value written in the files of scenario `spec` (a built-in name or a path).
pub fn list(spec: &str) -> Result<Listing, LoadError> {
    let mut d = Diagnostics::default();
    let layered = layers::load(spec, &[], &mut d);
    if !d.is_empty() || !layered.removals.is_empty() {
        return Err(layered.failed(d));
    }
    let sources = &layered.sources;

    // What the merged document uses: quantity and count nodes keep the file and span they came from.
    let mut merged = Vec::new();
    walk(&layered.root, &Ty::Table(schema::ROOT), String::new(), &mut merged);
    let effective: HashSet<(FileId, usize)> =
        merged.iter().map(|f| (f.node.file, f.node.span.start)).collect();

    let mut quantities = Vec::new();
    let mut counts = Vec::new();
    let mut cited = Vec::new();
    for (i, file) in sources.files().iter().enumerate() {
        if matches!(layered.origins.get(i), Some(Origin::CommandLine) | None) {
            continue;
        }
        for (path, _) in REFERENCE_FILES {
            let name = path.rsplit('/').next().unwrap_or(path);
            if !cited.contains(path) && file.text.contains(name) {
                cited.push(*path);
            }
        }
        let id = FileId(i as u32);
        let Ok(parsed) = DeTable::parse(&file.text) else { continue };
        let mut scratch = Diagnostics::default();
        let mut root = Node::from_toml(id, &parsed, &mut scratch);
        // The former names of renamed fields, as the layers read them.
        crate::renamed::rename_layer(&mut root, &mut scratch);
        let mut found = Vec::new();
        walk(&root, &Ty::Table(schema::ROOT), String::new(), &mut found);
        for f in found {
            let line = file.line_col(f.node.span.start).0;
            let in_effect = effective.contains(&(id, f.node.span.start));
            match f.what {
                What::Quantity(q) => {
                    if let Some(quantity) = quantity::read(f.node, &q, None, &f.path, &mut scratch)
                    {
                        quantities.push(Written {
                            file: file.name.clone(),
                            line,
                            quantity,
                            in_effect,
                        });
                    }
                }
                What::Count => {
                    let Some(value) = f.node.number() else { continue };
                    counts.push(WrittenCount {
                        file: file.name.clone(),
                        line,
                        path: f.path,
                        value,
                        comment: comment(file, line, f.node.span.end),
                        in_effect,
                    });
                }
            }
        }
    }

    // The deposits file and the events file: (key under [deposits], columns naming a row, sources column).
    let csv_files: [(&str, &[&str], &str); 2] =
        [("file", &["id"], "sources"), ("events-file", &["deposit_id", "event", "date"], "source")];
    let mut rows = Vec::new();
    for (key, labels, source_col) in csv_files {
        let Some(node) = layered.root.at(&["deposits", key]) else { continue };
        let Some(rel) = node.str() else { continue };
        let origin = layered.origin(node.file).join(rel);
        let mut scratch = Diagnostics::default();
        if let Some(text) = origin.read(None, "", &mut scratch) {
            rows.extend(sourced_rows(
                &origin.display(),
                &text,
                labels,
                source_col,
                "low_reliability",
            ));
        }
    }

    let products = layered
        .root
        .at(&["products"])
        .and_then(Node::table)
        .map(|t| {
            t.iter()
                .map(|(id, n)| ProductInfo {
                    id: id.clone(),
                    name: n.get("name").and_then(Node::str).unwrap_or_default().to_string(),
                    unit: n.get("unit").and_then(Node::str).unwrap_or_default().to_string(),
                })
                .collect()
        })
        .unwrap_or_default();

    cited.sort_unstable();
    Ok(Listing { layers: layered.layers, quantities, counts, rows, products, cited })
}

/// What the schema says a node found in a walk is.
enum What {
    Quantity(Q),
    Count,
}

/// A quantity or count node found by [`walk`], with its dotted path.
struct Found<'a> {
    node: &'a Node,
    path: String,
    what: What,
}

/// Collects the quantity and count nodes of `node`, read as type `ty`. Keys the schema does not know
/// are skipped (validation reports them).
fn walk<'a>(node: &'a Node, ty: &Ty, path: String, out: &mut Vec<Found<'a>>) {
    let join = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    match ty {
        Ty::Quantity(q) => out.push(Found { node, path, what: What::Quantity(*q) }),
        Ty::Count { .. } => out.push(Found { node, path, what: What::Count }),
        Ty::Table(fields) => {
            for Field { key, ty, .. } in fields.iter() {
                if let Some(child) = node.get(key) {
                    walk(child, ty, join(key), out);
                }
            }
        }
        Ty::Map { value, .. } => {
            for (k, child) in node.table().into_iter().flatten() {
                walk(child, value, join(k), out);
            }
        }
        Ty::Array(inner) => {
            if let Kind::Array(items) = &node.kind {
                for (i, it) in items.iter().enumerate() {
                    walk(it, inner, format!("{path}[{i}]"), out);
                }
            }
        }
        Ty::Str | Ty::Enum(_) | Ty::Bool | Ty::Date => {}
    }
}

/// The comment explaining the value on `line` that ends at byte `end`: the text after `#` on the same
/// line, or else the block of comment lines directly above.
fn comment(file: &SourceFile, line: usize, end: usize) -> Option<String> {
    let line_end =
        file.text[end.min(file.text.len())..].find('\n').map_or(file.text.len(), |i| end + i);
    let rest = file.text.get(end..line_end).unwrap_or("");
    if let Some((_, c)) = rest.split_once('#') {
        let c = c.trim();
        if !c.is_empty() {
            return Some(c.to_string());
        }
    }
    let mut above = Vec::new();
    for l in (1..line).rev() {
        match file.line_text(l).trim().strip_prefix('#') {
            Some(c) => above.push(c.trim()),
            None => break,
        }
    }
    above.reverse();
    let joined = above.join(" ");
    (!joined.trim().is_empty()).then(|| joined.trim().to_string())
}

/// Every number in a TOML file that is not a scenario layer (such as `data/analogs.toml`), with its
/// provenance under this rule:
///
/// - a table with `value` or `dist` is a quantity, and its own `source`, `derivation` and `assumption`
///   keys give its provenance;
/// - any other number takes the provenance of the table it sits in: its `source` (with `derivation`),
///   its `assumption`, or its `url` (a study table's link to the study it describes); a number in a
///   table with none of these is unsourced;
/// - the top-level `format-version` is a format marker, not a value, and is skipped.
pub fn list_plain(name: &str, text: &str) -> Result<Vec<Written>, LoadError> {
    let mut sources = Sources::default();
    let file = sources.add(SourceFile::new(name.to_string(), text.to_string()));
    let mut d = Diagnostics::default();
    let parsed = match DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            d.error(
                Some(Location { file, span: Some(span) }),
                "",
                format!("invalid TOML: {}", e.message().trim()),
            );
            return Err(LoadError::new(sources, d));
        }
    };
    let root = Node::from_toml(file, &parsed, &mut d);
    if !d.is_empty() {
        return Err(LoadError::new(sources, d));
    }
    let mut out = Vec::new();
    let src = sources.get(file);
    if let Some(t) = root.table() {
        let own = table_provenance(t);
        for (k, child) in t {
            if k != "format-version" {
                plain(src, child, k.clone(), &own, &mut out);
            }
        }
    }
    out.sort_by_key(|w| w.line);
    Ok(out)
}

/// Any unit, any range: plain files are not checked against the schema.
const ANY: Q = Q {
    unit: Unit::Any,
    min: f64::NEG_INFINITY,
    max: f64::INFINITY,
    uncertain: true,
    series: false,
    by_age: false,
};

fn plain(
    src: &SourceFile,
    node: &Node,
    path: String,
    inherited: &Provenance,
    out: &mut Vec<Written>,
) {
    let line = src.line_col(node.span.start).0;
    let push = |quantity: Quantity, out: &mut Vec<Written>| {
        out.push(Written { file: src.name.clone(), line, quantity, in_effect: true });
    };
    match &node.kind {
        Kind::Table(_) if node.is_quantity_table() => {
            let mut scratch = Diagnostics::default();
            if let Some(q) = quantity::read(node, &ANY, None, &path, &mut scratch) {
                push(q, out);
            }
        }
        Kind::Table(t) => {
            let own = table_provenance(t);
            for (k, child) in t {
                plain(src, child, format!("{path}.{k}"), &own, out);
            }
        }
        Kind::Array(items) => {
            for (i, it) in items.iter().enumerate() {
                plain(src, it, format!("{path}[{i}]"), inherited, out);
            }
        }
        Kind::Int(_) | Kind::Float(_) => {
            let Some(dist) = node.number().and_then(|v| Dist::fixed(v).ok()) else { return };
            push(
                Quantity {
                    path,
                    dist,
                    uncertain: false,
                    unit: None,
                    provenance: inherited.clone(),
                    reliability: None,
                    as_of: None,
                    location: Some(node.location()),
                    bounds: (f64::NEG_INFINITY, f64::INFINITY),
                    series: None,
                },
                out,
            );
        }
        Kind::Str(_) | Kind::Bool(_) | Kind::Datetime(_) => {}
    }
}

/// The provenance a table gives the plain numbers in it (see [`list_plain`]).
fn table_provenance(t: &BTreeMap<String, Node>) -> Provenance {
    let text = |k: &str| t.get(k).and_then(Node::str).map(str::trim).filter(|s| !s.is_empty());
    match (text("source"), text("assumption"), text("url")) {
        (Some(s), _, _) => Provenance::Source {
            source: s.to_string(),
            derivation: text("derivation").map(String::from),
        },
        (None, Some(a), _) => Provenance::Assumption(a.to_string()),
        (None, None, Some(u)) => Provenance::Source { source: u.to_string(), derivation: None },
        (None, None, None) => Provenance::Unsourced,
    }
}

/// The rows of a CSV data file with their sources. `label_cols` name the columns that identify a row;
/// `source_col` and `low_col` the sources and the low-reliability flag (`true`). Rows of a file
/// without those columns, or that cannot be parsed, are left out.
pub fn sourced_rows(
    name: &str,
    text: &str,
    label_cols: &[&str],
    source_col: &str,
    low_col: &str,
) -> Vec<SourcedRow> {
    let mut rdr =
        csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
    let Ok(header) = rdr.headers().cloned() else { return Vec::new() };
    let col = |c: &str| header.iter().position(|h| h == c);
    let labels: Vec<usize> = label_cols.iter().filter_map(|c| col(c)).collect();
    let (source, low) = (col(source_col), col(low_col));
    let mut out = Vec::new();
    for rec in rdr.records().map_while(Result::ok) {
        let cell = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or("").trim().to_string();
        let label: Vec<String> =
            labels.iter().map(|&i| cell(Some(i))).filter(|s| !s.is_empty()).collect();
        out.push(SourcedRow {
            file: name.to_string(),
            line: rec.position().map_or(0, |p| p.line() as usize),
            label: label.join(" "),
            sources: cell(source),
            low_reliability: cell(low) == "true",
        });
    }
    out
}

/// The rows of `data/licence_fees.csv`, labelled by date and plot.
pub fn licence_fee_rows() -> Vec<SourcedRow> {
    REFERENCE_FILES
        .iter()
        .filter(|(p, _)| p.ends_with(".csv"))
        .flat_map(|(p, text)| {
            sourced_rows(
                &format!("builtin:{p}"),
                text,
                &["deposit_id", "date"],
                "source",
                "low_reliability",
            )
        })
        .collect()
}

/// Every number of the reference TOML files (`data/analogs.toml`) under the rule of [`list_plain`].
pub fn reference_quantities() -> Result<Vec<Written>, LoadError> {
    let mut out = Vec::new();
    for (p, text) in REFERENCE_FILES.iter().filter(|(p, _)| p.ends_with(".toml")) {
        out.extend(list_plain(&format!("builtin:{p}"), text)?);
    }
    Ok(out)
}

/// The separate sources in a `source` field: its parts separated by `;` outside parentheses (a `;`
/// inside them separates the details of one source), each reduced to its URL when it has one
/// (`Liontown Kathleen Valley DFS 2021, https://…` → the URL), else kept as written (a study or a
/// file). Duplicates are dropped; order is kept.
pub fn sources_of(field: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (i, c) in field.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ';' if depth == 0 => {
                parts.push(&field[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&field[start..]);
    let mut out: Vec<String> = Vec::new();
    for part in parts.into_iter().map(str::trim).filter(|p| !p.is_empty()) {
        let key = part
            .split_whitespace()
            .find(|w| w.starts_with("http://") || w.starts_with("https://"))
            .map_or(part, |u| u.trim_end_matches([',', ')']));
        if !out.iter().any(|s| s == key) {
            out.push(key.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_field_splits_into_urls_and_studies() {
        let s = "Liontown Kathleen Valley DFS 2021, https://a.example/x ; https://b.example/y ;data/f.csv; https://a.example/x";
        assert_eq!(sources_of(s), ["https://a.example/x", "https://b.example/y", "data/f.csv"]);
        assert_eq!(sources_of("  "), Vec::<String>::new());
    }

    #[test]
    fn a_semicolon_inside_parentheses_does_not_split_a_source() {
        let s = "$1.5bn disbursed by May 2024 (Agence Ecofin 7 May 2024; facts b); https://a.example/x ; \
                 Ekanga (BCPSC), Deskeco Jul 2018 (facts a; gap 2)";
        assert_eq!(
            sources_of(s),
            [
                "$1.5bn disbursed by May 2024 (Agence Ecofin 7 May 2024; facts b)",
                "https://a.example/x",
                "Ekanga (BCPSC), Deskeco Jul 2018 (facts a; gap 2)"
            ]
        );
        assert_eq!(sources_of("a (b; c"), ["a (b; c"]);
        assert_eq!(sources_of("a) ; b"), ["a)", "b"]);
    }

    #[test]
    fn plain_numbers_take_the_provenance_of_their_table() {
        let text = "format-version = 1\n[a.study]\nurl = \"https://s.example\"\nyear = 2018\n\
                    cap = { value = 3, source = \"https://c.example\" }\n\
                    guess = { value = 4, assumption = \"judgment\" }\nbare = { value = 5 }\n\
                    [b]\nloose = 7\n";
        let w = list_plain("t.toml", text).expect("valid TOML");
        let kind =
            |p: &str| w.iter().find(|x| x.quantity.path == p).map(|x| x.quantity.provenance.kind());
        assert_eq!(w.len(), 5, "format-version is skipped");
        assert_eq!(kind("a.study.year"), Some("source"));
        assert_eq!(kind("a.study.cap"), Some("source"));
        assert_eq!(kind("a.study.guess"), Some("assumption"));
        assert_eq!(kind("a.study.bare"), Some("unsourced"));
        assert_eq!(kind("b.loose"), Some("unsourced"));
        assert_eq!(w.iter().find(|x| x.quantity.path == "b.loose").map(|x| x.line), Some(9));
    }

    #[test]
    fn every_layer_is_listed_and_overridden_values_are_marked() {
        let dir = std::env::temp_dir().join(format!("subsoil-provenance-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let base = "format-version = 1\n[fiscal]\ncit-rate = 0.18\n# ten years, judgment\n\
                    depreciation-years = 10\n[rates]\nvaluation = { value = 0.08, assumption = \"a\" }\n";
        let top = "format-version = 1\nextends = \"base.toml\"\n[fiscal]\n\
                   cit-rate = { value = 0.2, source = \"https://s.example\" }\n";
        std::fs::write(dir.join("base.toml"), base).expect("write");
        std::fs::write(dir.join("top.toml"), top).expect("write");
        let l = list(&dir.join("top.toml").display().to_string()).expect("layers read");
        let _ = std::fs::remove_dir_all(&dir);
        let q = |file: &str, path: &str| {
            l.quantities
                .iter()
                .find(|w| w.file.ends_with(file) && w.quantity.path == path)
                .map(|w| (w.line, w.quantity.provenance.kind(), w.in_effect))
        };
        assert_eq!(q("base.toml", "fiscal.cit-rate"), Some((3, "unsourced", false)));
        assert_eq!(q("top.toml", "fiscal.cit-rate"), Some((4, "source", true)));
        assert_eq!(q("base.toml", "rates.valuation"), Some((7, "assumption", true)));
        let c = &l.counts[0];
        assert_eq!((c.path.as_str(), c.line, c.value), ("fiscal.depreciation-years", 5, 10.0));
        assert_eq!(c.comment.as_deref(), Some("ten years, judgment"));
        assert_eq!(l.layers.len(), 2);
    }

    #[test]
    fn a_count_is_explained_by_the_comment_beside_or_above_it() {
        let f = SourceFile::new(
            "t.toml".into(),
            "x = 1\n# why\n# and more\ny = 2\nz = 3  # beside\n\nw = 4\n".into(),
        );
        let end = |key: &str| f.text.find(key).map_or(0, |i| i + key.len());
        assert_eq!(comment(&f, 4, end("y = 2")).as_deref(), Some("why and more"));
        assert_eq!(comment(&f, 5, end("z = 3")).as_deref(), Some("beside"));
        assert_eq!(comment(&f, 7, end("w = 4")), None);
        assert_eq!(comment(&f, 1, end("x = 1")), None);
    }
}
