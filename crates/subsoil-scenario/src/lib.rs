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
mod inline_sites;
pub mod inputs;
pub mod layers;
pub mod lower;
mod lower_common;
mod lower_conflict;
mod lower_correlations;
mod lower_deal;
pub mod lower_flows;
mod lower_fund_cash;
mod lower_products;
mod lower_projects;
mod lower_rent;
mod lower_series;
pub mod mix;
mod money;
pub mod provenance;
pub mod quantity;
pub mod reference;
pub mod renamed;
pub mod schema;
#[deny(dead_code)]
mod sections;
pub mod tree;
mod typed;
pub mod vocab;
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
    /// The problems found in `sources`, put in the order of the files and of the lines in each.
    pub fn new(sources: Sources, mut diagnostics: Diagnostics) -> LoadError {
        diagnostics.sort_by_position();
        LoadError { sources, diagnostics }
    }

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
        return Err(layered.failed(d));
    }
    from_layered(layered)
}

/// Validates and lowers a merged scenario tree (what [`load`] does once the layers are read and
/// merged): the step a tree built otherwise, such as a mixture of two scenarios ([`mix`]), goes
/// through, so that its errors keep their locations.
pub fn from_layered(mut layered: layers::Layered) -> Result<Scenario, LoadError> {
    // The problems of `remove` lists: the tree goes on without the entries they name.
    let mut d = std::mem::take(&mut layered.removals);
    let mut tree = walk::validate(&layered.root, schema::ROOT, &mut d);
    money::convert(&mut tree, &mut d);
    let s = <sections::Root as typed::Typed>::read(Some(&tree), "");

    // Deposits and licence events, resolved relative to the file that names them.
    let mut read_csv = |name: &Option<typed::Located<String>>, d: &mut Diagnostics| {
        let name = name.as_ref()?;
        let loc = name.site.loc.clone()?;
        let origin = layered.origin(loc.file).join(&name.value);
        let text = origin.read(Some(loc), &name.site.path, d)?;
        layered.origins.push(origin.clone());
        Some(layered.sources.add(diag::SourceFile::new(origin.display(), text)))
    };
    let dep_file = read_csv(&s.deposits.file, &mut d);
    let ev_file = read_csv(&s.deposits.events_file, &mut d);
    let geo_file = read_csv(&s.deposits.boundaries, &mut d);
    let boundaries = geo_file.and_then(|f| {
        let file = layered.sources.get(f);
        let path = s.deposits.boundaries.as_ref().map_or("", |b| b.site.path.as_str());
        let areas = boundaries::read(f, &file.text, path, &mut d)?;
        Some(Boundaries {
            file: file.name.clone(),
            source: s.deposits.boundaries_source.clone().unwrap_or(file.name.clone()),
            areas,
        })
    });
    let mut deposit_rows =
        dep_file.map(|f| deposits::read_deposits(f, &layered.sources, &mut d)).unwrap_or_default();
    let from_file = deposit_rows.len();
    inline_sites::inline_deposits(&s.deposits.sites, &mut deposit_rows, &mut d);
    if s.deposits.file.is_some() && (dep_file.is_none() || from_file == 0) && !d.is_empty() {
        // Without its deposits file (or with one that could not be read, such as a wrong header) every
        // deposit id, oblast and licence event would be one more error.
        return Err(LoadError::new(layered.sources, d));
    }
    let events = ev_file
        .map(|f| {
            deposits::read_events(f, &layered.sources, &deposit_rows, s.time.start_year, &mut d)
        })
        .unwrap_or_default();

    let li = lower::LowerInput {
        s: &s,
        deposits: &deposit_rows,
        events: &events,
        sources: &layered.sources,
    };
    let (model, inputs, rank_correlations) = lower::lower(&li, &mut d);
    let factor_groups = factor_groups(&s.sensitivity.groups, &inputs, &mut d);
    if !d.is_empty() {
        return Err(LoadError::new(layered.sources, d));
    }
    // Every quantity written in the files, the `[reference]` facts among them.
    let mut quantities: Vec<Quantity> = tree
        .quantities()
        .into_iter()
        .filter(|q| q.provenance != Provenance::Default)
        .cloned()
        .collect();
    quantities.sort_by(|a, b| a.path.cmp(&b.path));
    let analogs = s
        .projects
        .entries
        .iter()
        .filter_map(|(id, p)| p.analog.clone().map(|a| (id.clone(), a)))
        .collect();
    let levers = read_levers(&s.levers, &mut d);
    if !d.is_empty() {
        return Err(LoadError::new(layered.sources, d));
    }
    let hash = scenario_hash(&layered.root, layered.sources.files());
    let meta = &s.metadata;
    Ok(Scenario {
        name: meta.name.clone().unwrap_or_default(),
        title: meta.title.clone().unwrap_or_default(),
        description: meta.description.clone().unwrap_or_default(),
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
    groups: &typed::Entries<typed::Items<typed::Located<String>>>,
    inputs: &Inputs,
    d: &mut Diagnostics,
) -> Vec<FactorGroup> {
    let mut out = Vec::new();
    for (name, list) in &groups.entries {
        if list.items.is_empty() {
            d.error(list.site.loc.clone(), &list.site.path, "a group needs at least one pattern");
        }
        for p in &list.items {
            if !inputs.matches_any(&p.value) {
                d.error(
                    p.site.loc.clone().or_else(|| list.site.loc.clone()),
                    &p.site.path,
                    format!(
                        "{:?} matches no uncertain input and no random stream of this scenario \
                         (`subsoil inputs` lists the inputs; streams are named like \
                         `products.<id>.shock`, `projects.<id>.events`, `conflict.events`)",
                        p.value
                    ),
                );
            }
        }
        let patterns = list.items.iter().map(|p| p.value.clone()).collect();
        out.push(FactorGroup { name: name.clone(), patterns });
    }
    out
}

/// The levers, each override checked to be `path=value` with a path the schema knows.
fn read_levers(levers: &typed::Entries<sections::Lever>, d: &mut Diagnostics) -> Vec<Lever> {
    levers
        .entries
        .iter()
        .map(|(id, l)| {
            for (i, set) in l.set.items.iter().enumerate() {
                let path = set.split_once('=').map(|(p, _)| p.trim());
                if path.is_none_or(|p| schema::field_at(&renamed::current(p)).is_none()) {
                    d.error(
                        l.set.site.loc.clone(),
                        format!("{}[{i}]", l.set.site.path),
                        format!(
                            "{set:?} is not an override of a known field; expected path=value as --set takes it, \
                             e.g. \"conflict.creep-hazard=0\""
                        ),
                    );
                }
            }
            Lever {
                name: id.clone(),
                label: l.label.clone().unwrap_or_default(),
                group: l.group.clone(),
                sets: l.set.items.clone(),
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
