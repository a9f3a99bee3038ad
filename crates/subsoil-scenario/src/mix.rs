//! Mixtures of two scenarios, term by term: what `subsoil compare A B --explain` runs.
//!
//! A *term* is a top-level key of `[deal]` (`deal.lock-up-until`, `deal.target`) or a whole array of
//! tables under it (`deal.tiers`, `deal.contributions`), or, when the two scenarios differ outside
//! their deals, a whole top-level section (`macro`, `projects`); `metadata`, `levers` and `sensitivity`,
//! which change no number, never count. A term
//! differs when its values differ: labels (`deal.name`, a party's `name`, a credit's `what`) and
//! provenance (`source`, `note`, `assumption`, `derivation`, `reliability`, `as-of`) do not make a
//! difference, nor does a key written at its default on one side and omitted on the other.
//!
//! The mixture of a subset of the terms is scenario A's merged tree with those terms taken from B (or
//! removed, where B does not have them). It is built on the merged trees, where every value still
//! knows the file and the span it came from, and then validated and lowered like any scenario, so a
//! mixture that is not a valid scenario (a tier naming a party the other deal does not have) is
//! reported with the locations of the values that clash.

use std::collections::BTreeMap;

use crate::diag::{Diagnostics, FileId};
use crate::layers::{self, Layered};
use crate::schema::{self, Req, Ty};
use crate::tree::{Kind, Node};
use crate::{LoadError, Scenario};

/// Most terms a decomposition takes: the mixtures number 2^terms.
pub const MAX_TERMS: usize = 10;

/// Keys that record where a number comes from, not what it is.
const PROVENANCE: &[&str] = &["source", "note", "assumption", "derivation", "reliability", "as-of"];

/// Keys under `[deal]` that only label things.
const LABELS: &[&str] = &["name", "what"];

/// One term in which the two scenarios differ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    /// As shown: `deal.tiers`, `deal.lock-up-until`, or a section name such as `macro`.
    pub name: String,
    /// Keys from the root of the tree.
    path: Vec<String>,
}

/// Why two scenarios cannot be mixed.
#[derive(Debug)]
pub enum MixError {
    /// One of the scenarios does not load.
    Load(LoadError),
    /// More than [`MAX_TERMS`] terms differ; their names.
    TooManyTerms(Vec<String>),
}

impl std::fmt::Display for MixError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MixError::Load(e) => f.write_str(&e.render()),
            MixError::TooManyTerms(names) => write!(
                f,
                "the two scenarios differ in {} terms: {}; --explain decomposes at most {MAX_TERMS} \
                 (it runs 2^terms mixed scenarios): compare a scenario closer to the first, e.g. a \
                 file that extends it with some of the second's terms",
                names.len(),
                names.join(", ")
            ),
        }
    }
}

impl std::error::Error for MixError {}

/// Two scenarios' merged trees, ready to be mixed.
#[derive(Debug)]
pub struct Mixer {
    /// Scenario A's tree, with B's files appended to its sources.
    a: Layered,
    /// Scenario B's tree, its nodes pointing into `a`'s sources.
    b: Node,
    /// B's layers, for the mixtures' manifests.
    b_layers: Vec<String>,
    terms: Vec<Term>,
}

impl Mixer {
    /// Reads scenarios `a` and `b` (names or paths), each with `sets`, and finds their terms.
    ///
    /// # Errors
    ///
    /// [`MixError::Load`] when either does not load as a scenario (checked in full, so that a bad file
    /// is reported as `subsoil check` would), [`MixError::TooManyTerms`] past [`MAX_TERMS`].
    pub fn new(a: &str, b: &str, sets: &[String]) -> Result<Mixer, MixError> {
        let read = |spec: &str| -> Result<Layered, MixError> {
            let mut d = Diagnostics::default();
            let l = layers::load(spec, sets, &mut d);
            if !d.is_empty() {
                return Err(MixError::Load(l.failed(d)));
            }
            // A scenario that does not validate on its own is reported as such, not as a mixture.
            crate::from_layered(l.clone()).map_err(MixError::Load)?;
            Ok(l)
        };
        let (mut a, b) = (read(a)?, read(b)?);
        // B's files join A's sources; B's nodes are renumbered to point at them.
        let offset = a.sources.files().len() as u32;
        for (file, origin) in b.sources.files().iter().zip(&b.origins) {
            a.sources.add(file.clone());
            a.origins.push(origin.clone());
        }
        let mut b_root = b.root;
        renumber(&mut b_root, offset);
        let terms = terms(&a.root, &b_root);
        if terms.len() > MAX_TERMS {
            return Err(MixError::TooManyTerms(terms.into_iter().map(|t| t.name).collect()));
        }
        Ok(Mixer { a, b: b_root, b_layers: b.layers, terms })
    }

    /// The terms in which the scenarios differ, in order: `[deal]` keys first (sorted), then sections.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// The merged tree of the mixture that takes the terms whose bits are set in `mask` from B (bit
    /// `i` for term `i`) and everything else from A.
    pub fn tree(&self, mask: u32) -> Node {
        let mut root = self.a.root.clone();
        for (i, term) in self.terms.iter().enumerate() {
            if mask & (1 << i) != 0 {
                let from_b = at(&self.b, &term.path).cloned();
                put(&mut root, &term.path, from_b);
            }
        }
        root
    }

    /// The mixture of `mask` (see [`Mixer::tree`]) as a validated scenario, named after A with the
    /// terms it takes from B. Mask 0 is scenario A and the full mask scenario B (up to labels).
    ///
    /// # Errors
    ///
    /// The mixture's problems, located in the files the clashing values came from.
    pub fn scenario(&self, mask: u32) -> Result<Scenario, LoadError> {
        let mut layered = self.a.clone();
        layered.root = self.tree(mask);
        if mask != 0 {
            layered.layers.extend(self.b_layers.iter().cloned());
        }
        let mut s = crate::from_layered(layered)?;
        if mask != 0 {
            s.name = format!("{} + {}", s.name, self.describe(mask));
        }
        Ok(s)
    }

    /// The names of the terms in `mask`, comma-separated.
    pub fn describe(&self, mask: u32) -> String {
        let names: Vec<&str> = self
            .terms
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, t)| t.name.as_str())
            .collect();
        names.join(", ")
    }
}

/// Scenario `spec` with `sets` and without its `[deal]`: the same deposits, markets and risks, so that
/// a run of both on common random numbers measures what the deal itself causes. The scenario is named
/// after the original with ` without its deal`.
///
/// # Errors
///
/// The problems of the scenario, or of the scenario without its deal (a correlation naming one of
/// the deal's inputs), with their locations.
pub fn without_deal(spec: &str, sets: &[String]) -> Result<Scenario, LoadError> {
    let mut d = Diagnostics::default();
    let mut l = layers::load(spec, sets, &mut d);
    if !d.is_empty() {
        return Err(l.failed(d));
    }
    put(&mut l.root, &["deal".to_string()], None);
    let mut s = crate::from_layered(l)?;
    s.name = format!("{} without its deal", s.name);
    Ok(s)
}

/// The terms in which trees `a` and `b` differ.
fn terms(a: &Node, b: &Node) -> Vec<Term> {
    let empty = BTreeMap::new();
    let mut out = Vec::new();
    let da = a.get("deal").and_then(Node::table).unwrap_or(&empty);
    let db = b.get("deal").and_then(Node::table).unwrap_or(&empty);
    let deal_fields = match schema::ROOT.iter().find(|f| f.key == "deal").map(|f| &f.ty) {
        Some(Ty::Table(fields)) => *fields,
        _ => &[],
    };
    for key in keys(da, db) {
        let default = deal_fields.iter().find(|f| f.key == key).and_then(|f| default_kind(f.req));
        let canon = |n: Option<&Node>| n.map(|n| canonical(n, true)).or(default.clone());
        if canon(da.get(key)) != canon(db.get(key)) && !LABELS.contains(&key) {
            out.push(Term { name: format!("deal.{key}"), path: vec!["deal".into(), key.into()] });
        }
    }
    for key in keys(a.table().unwrap_or(&empty), b.table().unwrap_or(&empty)) {
        // Sections that change no number: the description, the page's levers (lists of overrides,
        // not values) and the grouping of inputs for sensitivity indices.
        if matches!(key, "deal" | "metadata" | "levers" | "sensitivity") {
            continue;
        }
        let canon = |n: &Node| n.get(key).map(|n| canonical(n, false));
        if canon(a) != canon(b) {
            out.push(Term { name: key.to_string(), path: vec![key.into()] });
        }
    }
    out
}

/// The keys of two tables, each once, sorted.
fn keys<'a>(a: &'a BTreeMap<String, Node>, b: &'a BTreeMap<String, Node>) -> Vec<&'a str> {
    let mut k: Vec<&str> = a.keys().chain(b.keys()).map(String::as_str).collect();
    k.sort_unstable();
    k.dedup();
    k
}

/// A value as compared: without provenance (nor, in `[deal]`, labels), a quantity table holding only
/// a value as that value, numbers as floats and dates as text.
#[derive(Clone, Debug, PartialEq)]
enum Canon {
    Table(BTreeMap<String, Canon>),
    Array(Vec<Canon>),
    Text(String),
    Number(f64),
    Bool(bool),
}

fn canonical(n: &Node, deal: bool) -> Canon {
    match &n.kind {
        Kind::Table(t) => {
            let kept: BTreeMap<String, Canon> = t
                .iter()
                .filter(|(k, _)| {
                    let label = deal && LABELS.contains(&k.as_str());
                    !PROVENANCE.contains(&k.as_str()) && !label
                })
                .map(|(k, v)| (k.clone(), canonical(v, deal)))
                .collect();
            match kept.get("value") {
                Some(v) if kept.len() == 1 => v.clone(),
                _ => Canon::Table(kept),
            }
        }
        Kind::Array(a) => Canon::Array(a.iter().map(|v| canonical(v, deal)).collect()),
        Kind::Str(s) | Kind::Datetime(s) => Canon::Text(s.clone()),
        Kind::Int(i) => Canon::Number(*i as f64),
        Kind::Float(f) => Canon::Number(*f),
        Kind::Bool(b) => Canon::Bool(*b),
    }
}

/// What an omitted field stands for, when the schema gives it a default.
fn default_kind(req: Req) -> Option<Canon> {
    match req {
        Req::Num(x) => Some(Canon::Number(x)),
        Req::Text("true") => Some(Canon::Bool(true)),
        Req::Text("false") => Some(Canon::Bool(false)),
        Req::Text(t) => Some(Canon::Text(t.to_string())),
        Req::Required | Req::Optional => None,
    }
}

fn at<'a>(n: &'a Node, path: &[String]) -> Option<&'a Node> {
    path.iter().try_fold(n, |n, k| n.get(k))
}

/// Sets (or, for `None`, removes) the value at `path`, creating tables on the way.
fn put(root: &mut Node, path: &[String], value: Option<Node>) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut n = root;
    for k in parents {
        let Kind::Table(t) = &mut n.kind else { return };
        let (file, span) = (n.file, n.span.clone());
        n = t.entry(k.clone()).or_insert_with(|| Node {
            file,
            span,
            kind: Kind::Table(BTreeMap::new()),
        });
    }
    let Kind::Table(t) = &mut n.kind else { return };
    match value {
        Some(v) => {
            t.insert(last.clone(), v);
        }
        None => {
            t.remove(last);
        }
    }
}

fn renumber(n: &mut Node, offset: u32) {
    n.file = FileId(n.file.0 + offset);
    match &mut n.kind {
        Kind::Table(t) => t.values_mut().for_each(|c| renumber(c, offset)),
        Kind::Array(a) => a.iter_mut().for_each(|c| renumber(c, offset)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms_of(a: &str, b: &str) -> Vec<String> {
        let m = Mixer::new(a, b, &[]).expect("both load");
        m.terms().iter().map(|t| t.name.clone()).collect()
    }

    #[test]
    fn a_scenario_has_no_terms_against_itself() {
        assert!(terms_of("ukraine-final-2025", "ukraine-final-2025").is_empty());
    }

    #[test]
    fn provenance_labels_and_defaults_do_not_make_terms() {
        // The February draft omits the renewals and restarts switches the final agreement writes at
        // their default (false), words aid-given's provenance differently and names its parties
        // differently: none of that is a term.
        let t = terms_of("ukraine-feb-2025-draft", "ukraine-final-2025");
        for absent in ["deal.renewals-count-as-new", "deal.restarts-count-as-new", "deal.aid-given"]
        {
            assert!(!t.iter().any(|x| x == absent), "{absent} in {t:?}");
        }
        assert!(!t.iter().any(|x| x == "deal.parties" || x == "deal.name"), "{t:?}");
        assert!(t.iter().any(|x| x == "deal.tiers"), "{t:?}");
        assert!(t.iter().any(|x| x == "deal.lock-up-until"), "{t:?}");
    }

    #[test]
    fn the_empty_and_full_mixtures_are_the_two_scenarios() {
        let m = Mixer::new("ukraine-feb-2025-draft", "ukraine-final-2025", &[]).expect("load");
        let full = (1u32 << m.terms().len()) - 1;
        let a = m.scenario(0).expect("A");
        let b = m.scenario(full).expect("B");
        let a0 = crate::load("ukraine-feb-2025-draft", &[]).expect("A");
        let b0 = crate::load("ukraine-final-2025", &[]).expect("B");
        assert_eq!(a.hash, a0.hash);
        assert_eq!(format!("{:?}", a.model), format!("{:?}", a0.model));
        // B's labels stay A's, which the model does not read beyond the deal's name.
        assert_eq!(format!("{:?}", b.model.deal.tiers), format!("{:?}", b0.model.deal.tiers));
        assert_eq!(
            format!("{:?}", b.model.deal.contributions),
            format!("{:?}", b0.model.deal.contributions)
        );
        let names = |s: &Scenario| s.inputs.list.iter().map(|i| i.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&b), names(&b0));
    }
}
