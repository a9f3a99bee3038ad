//! Scenario files: the only part of subsoil that knows TOML and CSV.
//!
//! [`load`] reads a scenario (a built-in name or a path) with its `extends` layers and `--set`
//! overrides, validates it against the [schema], reads the deposits and licence events it names, and
//! lowers it to a [`subsoil_core::Model`] plus the registry of uncertain [`Inputs`]. Every problem is
//! collected, located (file, line, column, field path) and reported together.

pub mod boundaries;
pub mod builtin;
pub mod claims;
pub mod deposits;
pub mod diag;
pub mod inputs;
pub mod layers;
pub mod lower;
pub mod lower_deal;
pub mod lower_flows;
pub mod mix;
pub mod provenance;
pub mod quantity;
pub mod reference;
pub mod schema;
pub mod tree;
pub mod walk;

use std::collections::HashMap;

pub use boundaries::{Area, Boundaries};
pub use deposits::{ControlStatus, DepositRow, EventKind, LicenceEvent};
pub use diag::{Diagnostic, Diagnostics, Sources};
pub use inputs::{FactorGroup, Input, Inputs, NamedStream, glob_match};
pub use quantity::{Provenance, Quantity};

use subsoil_core::Model;

use crate::layers::Origin;
use crate::tree::{Kind, Node};

/// A loaded, validated scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.title`.
    pub title: String,
    /// `metadata.description`.
    pub description: String,
    /// The model.
    pub model: Model,
    /// The uncertain inputs, by slot.
    pub inputs: Inputs,
    /// Rank correlations between uncertain inputs: (slot, slot, Spearman ρ).
    pub rank_correlations: Vec<lower::RankCorrelation>,
    /// The factor groups of `[sensitivity.groups]`, in file order.
    pub factor_groups: Vec<FactorGroup>,
    /// Every quantity written in the scenario's files, by path (for provenance listings).
    pub quantities: Vec<Quantity>,
    /// The deposits file's rows.
    pub deposits: Vec<DepositRow>,
    /// The licence events.
    pub events: Vec<LicenceEvent>,
    /// Analog study named by each project, by project id.
    pub analogs: HashMap<String, String>,
    /// Layer files in the order applied.
    pub layers: Vec<String>,
    /// Hash of the merged scenario and its data files (16 hex digits).
    pub hash: String,
    /// The boundaries its map is drawn on (`deposits.boundaries`), if it names any.
    pub boundaries: Option<Boundaries>,
    /// The scenario's levers (`[levers.<id>]`), by id.
    pub levers: Vec<Lever>,
}

/// A named list of `--set` overrides declared in a scenario (`[levers.<id>]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lever {
    /// Id.
    pub name: String,
    /// What pulling it means.
    pub label: String,
    /// Levers of one group are alternatives.
    pub group: Option<String>,
    /// The overrides, `path=value`.
    pub sets: Vec<String>,
}

/// A scenario that could not be loaded: the problems and the files they point into.
#[derive(Debug)]
pub struct LoadError {
    /// Files read.
    pub sources: Sources,
    /// Problems.
    pub diagnostics: Diagnostics,
}

impl LoadError {
    /// Every problem with its location, as printed to the terminal.
    pub fn render(&self) -> String {
        self.diagnostics.render(&self.sources)
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for LoadError {}

/// Loads the scenario `spec` (a built-in name or a path to a `.toml` file) with `sets` (`path=value`).
pub fn load(spec: &str, sets: &[String]) -> Result<Scenario, LoadError> {
    let mut d = Diagnostics::default();
    let layered = layers::load(spec, sets, &mut d);
    finish(layered, d)
}

/// Loads a scenario given as `text` (shown as `name` in messages) with `sets`: as [`load`], except that
/// it may only extend built-in layers by name and reads no file (see [`layers::load_text`]).
pub fn load_text(name: &str, text: &str, sets: &[String]) -> Result<Scenario, LoadError> {
    let mut d = Diagnostics::default();
    let layered = layers::load_text(name, text, sets, &mut d);
    finish(layered, d)
}

/// Validates, reads the data files of and lowers a scenario read from its layers.
fn finish(layered: layers::Layered, d: Diagnostics) -> Result<Scenario, LoadError> {
    if !d.is_empty() {
        return Err(LoadError { sources: layered.sources, diagnostics: d });
    }
    from_layered(layered)
}

/// Validates and lowers a merged scenario tree (what [`load`] does once the layers are read and
/// merged): the step a tree built otherwise, such as a mixture of two scenarios ([`mix`]), goes
/// through, so that its errors keep their locations.
pub fn from_layered(mut layered: layers::Layered) -> Result<Scenario, LoadError> {
    let mut d = Diagnostics::default();
    let values = walk::validate(&layered.root, schema::ROOT, &mut d);

    // Deposits and licence events, resolved relative to the file that names them.
    let mut read_csv = |key: &str, d: &mut Diagnostics| -> Option<diag::FileId> {
        let node = layered.root.at(&["deposits", key])?;
        let rel = node.str()?;
        let origin = layered.origin(node.file).join(rel);
        let text = origin.read(Some(node.location()), &format!("deposits.{key}"), d)?;
        layered.origins.push(origin.clone());
        Some(layered.sources.add(diag::SourceFile::new(origin.display(), text)))
    };
    let dep_file = read_csv("file", &mut d);
    let ev_file = read_csv("events-file", &mut d);
    let geo_file = read_csv("boundaries", &mut d);
    let boundaries = geo_file.and_then(|f| {
        let file = layered.sources.get(f);
        let areas = boundaries::read(f, &file.text, "deposits.boundaries", &mut d)?;
        let source = values.str("deposits.boundaries-source").map(str::to_string);
        Some(Boundaries {
            file: file.name.clone(),
            source: source.unwrap_or(file.name.clone()),
            areas,
        })
    });
    let mut deposit_rows =
        dep_file.map(|f| deposits::read_deposits(f, &layered.sources, &mut d)).unwrap_or_default();
    let sites: Vec<String> = layered
        .root
        .at(&["deposits", "sites"])
        .and_then(Node::table)
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default();
    let from_file = deposit_rows.len();
    deposits::inline_deposits(&values, &sites, &mut deposit_rows, &mut d);
    let file_named = layered.root.at(&["deposits", "file"]).is_some();
    if file_named && (dep_file.is_none() || from_file == 0) && !d.is_empty() {
        // Without its deposits file (or with one that could not be read, such as a wrong header) every
        // deposit id, oblast and licence event would be one more error.
        return Err(LoadError { sources: layered.sources, diagnostics: d });
    }
    let events = ev_file
        .map(|f| deposits::read_events(f, &layered.sources, &deposit_rows, &mut d))
        .unwrap_or_default();

    let keys = |path: &[&str]| -> Vec<String> {
        layered
            .root
            .at(path)
            .and_then(Node::table)
            // An id that is not valid is reported by the validation; lowering it would only add
            // unlocated errors about the fields it lacks.
            .map(|t| t.keys().filter(|k| walk::valid_id(k)).cloned().collect())
            .unwrap_or_default()
    };
    let products = keys(&["products"]);
    let projects = keys(&["projects"]);
    let project_products =
        projects.iter().map(|p| (p.clone(), keys(&["projects", p, "products"]))).collect();
    let count = |path: &[&str]| match layered.root.at(path).map(|n| &n.kind) {
        Some(Kind::Array(a)) => a.len(),
        _ => 0,
    };
    let correlations = count(&["correlations"]);
    let settlements = count(&["conflict", "settlements"]);
    let input_correlations = count(&["input-correlations"]);
    let deal = lower_deal::DealShape {
        parties: keys(&["deal", "parties"]),
        contributions: count(&["deal", "contributions"]),
        cash: count(&["deal", "cash"]),
        credits: count(&["deal", "credits"]),
        tiers: count(&["deal", "tiers"]),
    };
    let li = lower::LowerInput {
        values: &values,
        products,
        projects: projects.clone(),
        project_products,
        correlations,
        settlements,
        input_correlations,
        deal,
        deposits: &deposit_rows,
        events: &events,
        sources: &layered.sources,
    };
    let (model, inputs, rank_correlations) = lower::lower(&li, &mut d);
    let factor_groups = factor_groups(&values, &keys(&["sensitivity", "groups"]), &inputs, &mut d);
    if !d.is_empty() {
        return Err(LoadError { sources: layered.sources, diagnostics: d });
    }
    let mut quantities: Vec<Quantity> = values
        .quantities
        .values()
        .filter(|q| q.provenance != Provenance::Default)
        .cloned()
        .collect();
    quantities.sort_by(|a, b| a.path.cmp(&b.path));
    let analogs = projects
        .iter()
        .filter_map(|p| {
            values.str(&format!("projects.{p}.analog")).map(|a| (p.clone(), a.to_string()))
        })
        .collect();
    let levers = read_levers(&values, &keys(&["levers"]), &mut d);
    if !d.is_empty() {
        return Err(LoadError { sources: layered.sources, diagnostics: d });
    }
    let hash = scenario_hash(&layered.root, layered.sources.files());
    Ok(Scenario {
        name: values.str("metadata.name").unwrap_or_default().to_string(),
        title: values.str("metadata.title").unwrap_or_default().to_string(),
        description: values.str("metadata.description").unwrap_or_default().to_string(),
        model,
        inputs,
        rank_correlations,
        factor_groups,
        quantities,
        deposits: deposit_rows,
        events,
        analogs,
        layers: layered.layers,
        hash,
        boundaries,
        levers,
    })
}

/// Reads `[sensitivity.groups]`: every pattern must match an uncertain input or a random stream.
fn factor_groups(
    values: &walk::Values,
    names: &[String],
    inputs: &Inputs,
    d: &mut Diagnostics,
) -> Vec<FactorGroup> {
    let mut out = Vec::new();
    for name in names {
        let path = format!("sensitivity.groups.{name}");
        let patterns = values.strings_at(&path).to_vec();
        if patterns.is_empty() {
            d.error(values.loc(&path), path.clone(), "a group needs at least one pattern");
        }
        for (k, p) in patterns.iter().enumerate() {
            if !inputs.matches_any(p) {
                let item = format!("{path}[{k}]");
                d.error(
                    values.loc(&item).or_else(|| values.loc(&path)),
                    item,
                    format!(
                        "{p:?} matches no uncertain input and no random stream of this scenario \
                         (`subsoil inputs` lists the inputs; streams are named like \
                         `products.<id>.shock`, `projects.<id>.events`, `conflict.events`)"
                    ),
                );
            }
        }
        out.push(FactorGroup { name: name.clone(), patterns });
    }
    out
}

/// The levers `ids`, each override checked to be `path=value` with a path the schema knows.
fn read_levers(values: &walk::Values, ids: &[String], d: &mut Diagnostics) -> Vec<Lever> {
    ids.iter()
        .map(|id| {
            let at = |k: &str| format!("levers.{id}.{k}");
            let sets = values.strings_at(&at("set")).to_vec();
            for (i, set) in sets.iter().enumerate() {
                let path = set.split_once('=').map(|(p, _)| p.trim());
                if path.is_none_or(|p| schema::field_at(p).is_none()) {
                    d.error(
                        values.loc(&at("set")),
                        format!("{}[{i}]", at("set")),
                        format!(
                            "{set:?} is not an override of a known field; expected path=value as --set takes it, \
                             e.g. \"conflict.creep-hazard=0\""
                        ),
                    );
                }
            }
            Lever {
                name: id.clone(),
                label: values.str(&at("label")).unwrap_or_default().to_string(),
                group: values.str(&at("group")).map(str::to_string),
                sets,
            }
        })
        .collect()
}

/// Whether `spec` names a built-in scenario or layer rather than a file.
pub fn is_builtin(spec: &str) -> bool {
    matches!(layers::origin_of(spec), Origin::Builtin(_))
}

/// FNV-1a over a canonical rendering of the merged tree and the data files' text.
fn scenario_hash(root: &Node, files: &[diag::SourceFile]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    fn canon(n: &Node, out: &mut String) {
        match &n.kind {
            Kind::Table(t) => {
                out.push('{');
                for (k, v) in t {
                    out.push_str(k);
                    out.push('=');
                    canon(v, out);
                    out.push(';');
                }
                out.push('}');
            }
            Kind::Array(a) => {
                out.push('[');
                for v in a {
                    canon(v, out);
                    out.push(',');
                }
                out.push(']');
            }
            Kind::Str(s) => out.push_str(&format!("{s:?}")),
            Kind::Int(i) => out.push_str(&i.to_string()),
            Kind::Float(f) => out.push_str(&format!("{:?}", f)),
            Kind::Bool(b) => out.push_str(&b.to_string()),
            Kind::Datetime(s) => out.push_str(s),
        }
    }
    let mut s = String::new();
    canon(root, &mut s);
    feed(s.as_bytes());
    for f in files.iter().filter(|f| f.name.ends_with(".csv")) {
        feed(f.text.as_bytes());
    }
    format!("{h:016x}")
}
