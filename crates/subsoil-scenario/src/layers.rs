//! Reading scenario layers: files or built-ins, `extends` chains, `--set` overrides, and the guards that
//! keep bad input from doing harm (regular files only, size limits per file and in all, a bounded number
//! of layers each read and applied once, UTF-8, empty files, cycles, one-line `--set` values).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use toml::de::DeTable;

use crate::builtin;
pub use crate::diag::clip;
use crate::diag::{Diagnostics, FileId, Location, SourceFile, Sources};
use crate::tree::{Kind, Node};

/// Largest file subsoil reads (scenario layers and data files).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// Deepest `extends` chain.
pub const MAX_DEPTH: usize = 32;
/// Most distinct layer files one scenario may be built from.
pub const MAX_LAYERS: usize = 64;
/// Most bytes of layer files one scenario may read in all.
pub const MAX_TOTAL_BYTES: u64 = 32 * 1024 * 1024;

/// Where a file came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary, by its path in the source tree (e.g. `scenarios/ukraine-base.toml`).
    Builtin(String),
    /// On disk.
    File(PathBuf),
    /// A `--set` override on the command line.
    CommandLine,
    /// A scenario handed over as text (an upload to `subsoil serve`), by the name it is shown under, or
    /// a file such a scenario names: it may extend built-in layers only and reads nothing from disk.
    Upload(String),
}

impl Origin {
    /// The origin of `rel` written in a file that came from `self`.
    pub fn join(&self, rel: &str) -> Origin {
        match self {
            Origin::Builtin(p) => Origin::Builtin(normalise(&format!("{}/{rel}", parent(p)))),
            Origin::File(p) => Origin::File(p.parent().unwrap_or_else(|| Path::new(".")).join(rel)),
            Origin::CommandLine => Origin::File(PathBuf::from(rel)),
            Origin::Upload(_) => Origin::Upload(rel.to_string()),
        }
    }

    /// Name shown in messages.
    pub fn display(&self) -> String {
        match self {
            Origin::Builtin(p) => format!("builtin:{p}"),
            Origin::File(p) => p.display().to_string(),
            Origin::CommandLine => "--set".to_string(),
            Origin::Upload(name) => name.clone(),
        }
    }

    /// Reads the file's text, reporting problems in `diags` (located at `at` when given).
    pub fn read(
        &self,
        at: Option<Location>,
        path: &str,
        diags: &mut Diagnostics,
    ) -> Option<String> {
        match self {
            Origin::Builtin(p) => match builtin::file(p) {
                Some(text) => Some(text.to_string()),
                None => {
                    diags.error(at, path, format!("no built-in file {p}"));
                    None
                }
            },
            Origin::File(p) => read_checked(p, at, path, diags),
            Origin::CommandLine => None,
            Origin::Upload(name) => {
                diags.error(
                    at,
                    path,
                    format!(
                        "{name:?} is a file, and a scenario given as text reads no files: extend a built-in \
                         layer by its name ({}) and write deposits inline under [deposits.sites]",
                        builtin::layer_names().join(", ")
                    ),
                );
                None
            }
        }
    }

    fn key(&self) -> String {
        match self {
            Origin::Builtin(p) => format!("builtin:{p}"),
            Origin::File(p) => {
                std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()).display().to_string()
            }
            Origin::CommandLine => "--set".into(),
            Origin::Upload(name) => format!("upload:{name}"),
        }
    }
}

fn parent(p: &str) -> &str {
    p.rfind('/').map_or("", |i| &p[..i])
}

fn normalise(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Reads a file from disk with the guards: a regular file only (a device such as `/dev/zero` or a FIFO
/// would never end or never start), at most [`MAX_FILE_BYTES`] (checked before reading and enforced
/// while reading, for a file that grows), UTF-8 text.
fn read_checked(
    p: &Path,
    at: Option<Location>,
    path: &str,
    diags: &mut Diagnostics,
) -> Option<String> {
    use std::io::Read;

    let shown = p.display();
    let too_big =
        |len: u64| format!("{shown} is {len} bytes; files are limited to {MAX_FILE_BYTES} bytes");
    match std::fs::metadata(p) {
        Ok(m) if m.is_dir() => {
            diags.error(at, path, format!("{shown} is a directory, expected a file"));
            return None;
        }
        Ok(m) if !m.is_file() => {
            diags.error(
                at,
                path,
                format!(
                    "{shown} is not a regular file (a device, FIFO or socket); expected a scenario or data file"
                ),
            );
            return None;
        }
        Ok(m) if m.len() > MAX_FILE_BYTES => {
            diags.error(at, path, too_big(m.len()));
            return None;
        }
        Ok(_) => {}
        Err(e) => {
            diags.error(at, path, format!("cannot read {shown}: {e}"));
            return None;
        }
    }
    let mut bytes = Vec::new();
    let read =
        std::fs::File::open(p).and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes));
    if let Err(e) = read {
        diags.error(at, path, format!("cannot read {shown}: {e}"));
        return None;
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        diags.error(at, path, format!("{shown} grew past {MAX_FILE_BYTES} bytes while it was read; files are limited to {MAX_FILE_BYTES} bytes"));
        return None;
    }
    match String::from_utf8(bytes) {
        Ok(s) => Some(s),
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..good]).into_owned();
            let line = prefix.matches('\n').count() + 1;
            let col = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            diags.error(
                at,
                path,
                format!(
                    "{shown}:{line}:{col}: not UTF-8 text (invalid byte at offset {good}); expected a UTF-8 TOML or CSV file"
                ),
            );
            None
        }
    }
}

/// A scenario read from its layers.
#[derive(Clone, Debug)]
pub struct Layered {
    /// Every file read, for messages.
    pub sources: Sources,
    /// Origin of each file, indexed like `sources`.
    pub origins: Vec<Origin>,
    /// The merged document.
    pub root: Node,
    /// Layer files in the order they were applied.
    pub layers: Vec<String>,
    /// Problems with the layers' `remove` lists. The tree is whole without the entries they name
    /// (only those are skipped), so validation goes on and reports them with its own problems.
    pub removals: Diagnostics,
}

impl Layered {
    /// The load's failure with problems `d`: they and the `remove` lists' problems, in file order.
    pub fn failed(self, mut d: Diagnostics) -> crate::LoadError {
        d.append(self.removals);
        crate::LoadError::new(self.sources, d)
    }

    /// Origin of the file a node came from.
    pub fn origin(&self, file: FileId) -> &Origin {
        &self.origins[file.0 as usize]
    }
}

/// How a scenario is named on the command line: a built-in name, or a path to a `.toml` file.
pub fn origin_of(spec: &str) -> Origin {
    if spec.contains('/') || spec.contains('\\') || spec.ends_with(".toml") {
        Origin::File(PathBuf::from(spec))
    } else {
        match builtin::layer_path(spec) {
            Some(p) => Origin::Builtin(p.to_string()),
            None => Origin::File(PathBuf::from(spec)),
        }
    }
}

/// Reads the scenario `spec` with its `extends` chain and applies `sets` (`path=value` overrides).
/// Problems go to `diags`; the merged tree is returned even when some were found, so that later checks
/// can report theirs too.
pub fn load(spec: &str, sets: &[String], diags: &mut Diagnostics) -> Layered {
    let mut l = Loader::new(None);
    let origin = origin_of(spec);
    if let Origin::File(p) = &origin
        && !p.exists()
        && !spec.ends_with(".toml")
        && !spec.contains('/')
    {
        diags.error(
            None,
            "",
            format!(
                "no built-in scenario or file named {spec:?}; built-ins: {}",
                builtin::scenario_names().join(", ")
            ),
        );
    }
    if diags.is_empty() {
        l.layer(origin, None, diags);
    }
    l.finish(sets, diags)
}

/// Like [`load`] for a scenario given as `text` and shown as `name` in messages: it may extend built-in
/// layers by name, and any file it names (a path in `extends`, a deposits file) is an error, so that a
/// scenario from elsewhere (an upload to `subsoil serve`) reads nothing from this machine's disk.
pub fn load_text(name: &str, text: &str, sets: &[String], diags: &mut Diagnostics) -> Layered {
    let mut l = Loader::new(Some(text.to_string()));
    l.layer(Origin::Upload(name.to_string()), None, diags);
    l.finish(sets, diags)
}

impl Loader {
    fn new(upload: Option<String>) -> Loader {
        Loader {
            sources: Sources::default(),
            origins: Vec::new(),
            layers: Vec::new(),
            stack: Vec::new(),
            seen: HashSet::new(),
            applied: Vec::new(),
            bytes: 0,
            over_limit: false,
            upload,
        }
    }

    /// Merges the layers read and applies `sets`. Problems with `remove` lists go to the result's
    /// `removals`, the others to `diags`.
    fn finish(mut self, sets: &[String], diags: &mut Diagnostics) -> Layered {
        let mut removals = Diagnostics::default();
        // Each layer once, in the order found: every layer after all it extends, siblings as listed.
        let mut applied = std::mem::take(&mut self.applied).into_iter();
        let mut root = applied.next().unwrap_or_else(empty_root);
        if let Some(first) = take_removals(&mut root) {
            // The first layer inherits nothing.
            for (_, at) in paths_of(&first, &mut removals) {
                removals.error(
                    Some(at),
                    "remove",
                    "this file extends no layer: there is nothing to remove",
                );
            }
        }
        for mut layer in applied {
            if let Some(list) = take_removals(&mut layer) {
                for (path, at) in paths_of(&list, &mut removals) {
                    remove_path(&mut root, &path, at, &mut removals);
                }
            }
            root.merge(layer);
        }
        for s in take_overrides(&mut root, diags).iter().chain(sets) {
            self.apply_set(&mut root, s, diags);
        }
        Layered {
            sources: self.sources,
            origins: self.origins,
            root,
            layers: self.layers,
            removals,
        }
    }
}

/// Removes the merged `overrides` from `root` and returns them (`--set` strings applied before the
/// command line's).
fn take_overrides(root: &mut Node, diags: &mut Diagnostics) -> Vec<String> {
    let Kind::Table(t) = &mut root.kind else { return Vec::new() };
    let Some(node) = t.remove("overrides") else { return Vec::new() };
    let expected = "expected an array of strings, each `path=value` as --set takes it";
    let Kind::Array(items) = &node.kind else {
        diags.error(
            Some(node.location()),
            "overrides",
            format!("{expected}, found {}", node.kind.type_name()),
        );
        return Vec::new();
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item.str() {
            Some(s) => out.push(s.to_string()),
            None => diags.error(
                Some(item.location()),
                format!("overrides[{i}]"),
                format!("{expected}, found {}", item.kind.type_name()),
            ),
        }
    }
    out
}

/// Takes a layer's `remove` list out of its tree.
fn take_removals(layer: &mut Node) -> Option<Node> {
    let Kind::Table(t) = &mut layer.kind else { return None };
    t.remove("remove")
}

/// The paths of a `remove` list with their locations; anything else is reported. A single string is
/// reported but still taken as its one path, so that the rest of the check reads the file as meant.
fn paths_of(list: &Node, diags: &mut Diagnostics) -> Vec<(String, Location)> {
    let expected = "expected an array of field paths (strings), e.g. [\"projects.old-mine\"]";
    if let Some(p) = list.str() {
        diags.error(
            Some(list.location()),
            "remove",
            format!("{expected}, found a string: write [{:?}]", clip(p.trim())),
        );
        return vec![(p.trim().to_string(), list.location())];
    }
    let Kind::Array(items) = &list.kind else {
        diags.error(
            Some(list.location()),
            "remove",
            format!("{expected}, found {}", list.kind.type_name()),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item.str() {
            Some(p) => out.push((p.trim().to_string(), item.location())),
            None => diags.error(
                Some(item.location()),
                format!("remove[{i}]"),
                format!("{expected}, found {}", item.kind.type_name()),
            ),
        }
    }
    out
}

/// Removes what `path` (dotted keys, the last one optionally `key[index]`) names from the merged layers
/// below; a path that names nothing is an error at `at`.
fn remove_path(root: &mut Node, path: &str, at: Location, diags: &mut Diagnostics) {
    let path = crate::renamed::current(path);
    let path: &str = &path;
    let mut keys: Vec<&str> = path.split('.').collect();
    let Some(last) = keys.pop() else { return };
    let (last, index) = match last.split_once('[') {
        Some((k, rest)) => match rest.strip_suffix(']').and_then(|i| i.parse::<usize>().ok()) {
            Some(i) => (k, Some(i)),
            None => {
                diags.error(Some(at), "remove", format!("{:?} is not a field path", clip(path)));
                return;
            }
        },
        None => (last, None),
    };
    let mut node = root;
    for k in keys {
        match &mut node.kind {
            Kind::Table(t) if t.contains_key(k) => node = t.get_mut(k).expect("present"),
            _ => {
                diags.error(
                    Some(at),
                    "remove",
                    format!("nothing inherited at {:?} to remove", clip(path)),
                );
                return;
            }
        }
    }
    let Kind::Table(t) = &mut node.kind else {
        diags.error(Some(at), "remove", format!("nothing inherited at {:?} to remove", clip(path)));
        return;
    };
    match index {
        None if t.remove(last).is_some() => {}
        Some(i) => match t.get_mut(last).map(|n| &mut n.kind) {
            Some(Kind::Array(items)) if i < items.len() => {
                items.remove(i);
            }
            _ => diags.error(
                Some(at),
                "remove",
                format!("nothing inherited at {:?} to remove", clip(path)),
            ),
        },
        None => diags.error(
            Some(at),
            "remove",
            format!("nothing inherited at {:?} to remove", clip(path)),
        ),
    }
}

fn empty_root() -> Node {
    Node { file: FileId(0), span: 0..0, kind: Kind::Table(Default::default()) }
}

struct Loader {
    sources: Sources,
    origins: Vec<Origin>,
    layers: Vec<String>,
    /// Keys of the layers being read, outermost first (to find cycles).
    stack: Vec<String>,
    /// Keys of every layer met so far: a layer reached twice (a diamond) is applied once.
    seen: HashSet<String>,
    /// The layers' own trees (without `extends`), in the order they apply.
    applied: Vec<Node>,
    /// Bytes of layer files read so far.
    bytes: u64,
    /// Whether the number or size of layers went past its limit (reported once).
    over_limit: bool,
    /// The text of a scenario given as text, until its layer is read.
    upload: Option<String>,
}

impl Loader {
    fn add(&mut self, origin: Origin, text: String) -> FileId {
        self.origins.push(origin.clone());
        self.sources.add(SourceFile::new(origin.display(), text))
    }

    /// Reads one layer and, first, everything it extends, unless it was met before: each layer is
    /// applied once, after every layer it extends, with siblings in the order listed.
    fn layer(&mut self, origin: Origin, at: Option<Location>, diags: &mut Diagnostics) {
        let key = origin.key();
        if let Some(pos) = self.stack.iter().position(|k| *k == key) {
            let mut cycle: Vec<String> = self.stack[pos..].to_vec();
            cycle.push(key);
            diags.error(at, "extends", format!("circular extends: {}", cycle.join(" → ")));
            return;
        }
        if self.seen.contains(&key) {
            return;
        }
        if self.stack.len() >= MAX_DEPTH {
            diags.error(at, "extends", format!("extends chain deeper than {MAX_DEPTH} layers"));
            return;
        }
        if self.over_limit {
            // Already reported: one limit error, not one per remaining entry.
            return;
        }
        if self.seen.len() >= MAX_LAYERS {
            self.over_limit = true;
            diags.error(
                at,
                "extends",
                format!("a scenario is built from at most {MAX_LAYERS} layer files; this one asks for more than {MAX_LAYERS} layers"),
            );
            return;
        }
        self.seen.insert(key.clone());
        let label = if at.is_some() { "extends" } else { "" };
        let text = match (&origin, self.upload.take()) {
            (Origin::Upload(_), Some(text)) => Some(text),
            (_, upload) => {
                self.upload = upload;
                origin.read(at.clone(), label, diags)
            }
        };
        let Some(text) = text else { return };
        self.bytes += text.len() as u64;
        if self.bytes > MAX_TOTAL_BYTES {
            self.over_limit = true;
            diags.error(
                at,
                label,
                format!(
                    "reading {} takes this scenario's layers past {MAX_TOTAL_BYTES} bytes in all, the limit",
                    origin.display()
                ),
            );
            return;
        }
        let file = self.add(origin.clone(), text);
        let text = self.sources.get(file).text.clone();
        let parsed = match DeTable::parse(&text) {
            Ok(t) => t,
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let msg = e.message().trim().to_string();
                diags.error(
                    Some(Location { file, span: Some(span) }),
                    "",
                    format!("invalid TOML: {msg}"),
                );
                return;
            }
        };
        let mut node = Node::from_toml(file, &parsed, diags);
        let whole = Location { file, span: Some(0..0) };
        let Kind::Table(table) = &mut node.kind else { return };
        if table.is_empty() {
            diags.error(
                Some(whole),
                "",
                "empty scenario file: expected at least `format-version = 1` and some sections",
            );
            return;
        }
        match table.remove("format-version") {
            None => {
                diags.error(
                    Some(whole),
                    "format-version",
                    "missing `format-version = 1` (required in every scenario file)",
                );
                return;
            }
            Some(v) if v.kind == Kind::Int(1) => {}
            Some(v) => {
                diags.error(
                    Some(v.location()),
                    "format-version",
                    format!("this subsoil reads format-version 1; found {}", describe(&v)),
                );
                return;
            }
        }
        let extends = table.remove("extends");
        self.stack.push(key);
        if let Some(ext) = extends {
            let names: Vec<Node> = match ext.kind {
                Kind::Str(_) => vec![ext],
                Kind::Array(items) => items,
                _ => {
                    diags.error(Some(ext.location()), "extends", format!("expected a layer name or path (a string) or an array of them, found {}", ext.kind.type_name()));
                    Vec::new()
                }
            };
            let mut listed: HashSet<String> = HashSet::new();
            let mut repeated: Vec<(String, Location, usize)> = Vec::new();
            let mut repeated_at: HashMap<String, usize> = HashMap::new();
            for n in names {
                let Some(rel) = n.str() else {
                    diags.error(
                        Some(n.location()),
                        "extends",
                        format!("expected a string, found {}", n.kind.type_name()),
                    );
                    continue;
                };
                let target = if rel.contains('/') || rel.ends_with(".toml") {
                    origin.join(rel)
                } else {
                    match builtin::layer_path(rel) {
                        Some(p) => Origin::Builtin(p.to_string()),
                        None => {
                            diags.error(
                                Some(n.location()),
                                "extends",
                                format!("no built-in layer named {:?} (a file path must end in .toml); built-ins: {}", clip(rel), builtin::layer_names().join(", ")),
                            );
                            continue;
                        }
                    }
                };
                let key = target.key();
                if !listed.insert(key.clone()) {
                    // One error per layer listed more than once, at its second entry.
                    match repeated_at.get(&key) {
                        Some(&i) => repeated[i].2 += 1,
                        None => {
                            repeated_at.insert(key, repeated.len());
                            repeated.push((clip(rel), n.location(), 2));
                        }
                    }
                    continue;
                }
                self.layer(target, Some(n.location()), diags);
            }
            for (rel, at, times) in repeated {
                let times = if times == 2 { "twice".to_string() } else { format!("{times} times") };
                diags.error(
                    Some(at),
                    "extends",
                    format!("{rel:?} is listed {times} in this extends list; list each layer once"),
                );
            }
        }
        self.stack.pop();
        self.layers.push(origin.display());
        crate::renamed::rename_layer(&mut node, diags);
        self.applied.push(node);
    }

    /// Applies `path=value` to the merged tree.
    fn apply_set(&mut self, root: &mut Node, set: &str, diags: &mut Diagnostics) {
        let file = self.add(Origin::CommandLine, set.to_string());
        let whole = Location { file, span: Some(0..set.len()) };
        if let Some(at) = set.find(['\n', '\r']) {
            // Text after a line break would otherwise be dropped without a word (or read as more TOML).
            diags.error(
                Some(Location { file, span: Some(at..at + 1) }),
                "--set",
                "a --set value cannot contain a newline; give one path=value per --set",
            );
            return;
        }
        let Some((path, value)) = set.split_once('=') else {
            diags.error(
                Some(whole),
                "--set",
                "expected path=value, e.g. --set rates.valuation=0.05",
            );
            return;
        };
        // A former field name stands for its current one (`crate::renamed`).
        let path = crate::renamed::current(path.trim());
        let path: &str = &path;
        // Segments: `key` or `key[index]` for an element of an array of tables.
        let mut segments: Vec<(&str, Option<usize>)> = Vec::new();
        for k in path.split('.') {
            let seg = match k.split_once('[') {
                None => Some((k, None)),
                Some((name, rest)) => rest
                    .strip_suffix(']')
                    .and_then(|i| i.parse::<usize>().ok())
                    .map(|i| (name, Some(i))),
            };
            match seg {
                Some((name, idx)) if !name.is_empty() => segments.push((name, idx)),
                _ => {
                    diags.error(
                        Some(whole),
                        "--set",
                        format!(
                            "{path:?} is not a dotted field path (keys, optionally with [index])"
                        ),
                    );
                    return;
                }
            }
        }
        let vstart = set.len() - value.len();
        let new = parse_set_value(file, value.trim(), vstart, path, diags);
        let mut node = root;
        let n = segments.len();
        for (depth, (k, idx)) in segments.iter().enumerate() {
            let last = depth + 1 == n;
            let Kind::Table(t) = &mut node.kind else {
                diags.error(Some(whole.clone()), path, "this path does not lead to a table");
                return;
            };
            if last && idx.is_none() {
                let replacement = match t.get(*k) {
                    Some(old) if old.is_quantity_table() && new.number().is_some() => {
                        quantity_from_set(old, new.clone())
                    }
                    _ => new.clone(),
                };
                t.insert(k.to_string(), replacement);
                return;
            }
            let child = t.entry(k.to_string()).or_insert_with(|| Node {
                file,
                span: 0..set.len(),
                kind: Kind::Table(Default::default()),
            });
            node = match idx {
                None => child,
                Some(i) => {
                    let Kind::Array(items) = &mut child.kind else {
                        diags.error(Some(whole.clone()), path, format!("{k} is not an array"));
                        return;
                    };
                    let len = items.len();
                    if *i >= len {
                        diags.error(
                            Some(whole.clone()),
                            path,
                            format!("{k} has {len} entries; index {i} is out of range"),
                        );
                        return;
                    }
                    if last {
                        items[*i] = new.clone();
                        return;
                    }
                    &mut items[*i]
                }
            };
        }
    }
}

/// A quantity overridden on the command line keeps its unit; its provenance becomes the override.
fn quantity_from_set(old: &Node, value: Node) -> Node {
    let mut t = std::collections::BTreeMap::new();
    if let Some(u) = old.get("unit") {
        t.insert("unit".to_string(), u.clone());
    }
    let file = value.file;
    let span = value.span.clone();
    t.insert("value".to_string(), value);
    t.insert(
        "assumption".to_string(),
        Node {
            file,
            span: span.clone(),
            kind: Kind::Str("set on the command line with --set".into()),
        },
    );
    Node { file, span, kind: Kind::Table(t) }
}

/// Parses the value of a `--set`: any TOML value (`0.05`, `"text"`, `{ value = 1, unit = "yr" }`), or
/// else the text itself as a string (e.g. `--set metadata.title=My study`).
/// Problems in the value are named by the field `path` the `--set` gives.
fn parse_set_value(
    file: FileId,
    text: &str,
    offset: usize,
    path: &str,
    diags: &mut Diagnostics,
) -> Node {
    const PREFIX: &str = "v = ";
    let wrapped = format!("{PREFIX}{text}");
    if let Ok(t) = DeTable::parse(&wrapped) {
        let mut inner = Diagnostics::default();
        let n = Node::from_toml(file, &t, &mut inner);
        if let Some(mut v) = n.get("v").cloned() {
            shift(&mut v, offset as isize - PREFIX.len() as isize);
            for mut item in inner.items {
                // The wrapped value's key `v` stands for the path being set.
                item.path = match item.path.strip_prefix('v') {
                    Some(rest) => format!("{path}{rest}"),
                    None => item.path,
                };
                if let Some(span) = item.location.as_mut().and_then(|l| l.span.as_mut()) {
                    let by = offset as isize - PREFIX.len() as isize;
                    *span = (span.start as isize + by).max(0) as usize
                        ..(span.end as isize + by).max(0) as usize;
                }
                diags.items.push(item);
            }
            return v;
        }
    }
    Node { file, span: offset..offset + text.len(), kind: Kind::Str(text.into()) }
}

fn shift(n: &mut Node, by: isize) {
    n.span =
        (n.span.start as isize + by).max(0) as usize..(n.span.end as isize + by).max(0) as usize;
    match &mut n.kind {
        Kind::Table(t) => t.values_mut().for_each(|c| shift(c, by)),
        Kind::Array(a) => a.iter_mut().for_each(|c| shift(c, by)),
        _ => {}
    }
}

fn describe(n: &Node) -> String {
    match &n.kind {
        Kind::Int(i) => i.to_string(),
        Kind::Float(f) => crate::quantity::fmt_num(*f),
        Kind::Str(s) => format!("{:?}", clip(s)),
        k => k.type_name().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_paths_resolve_relative_to_their_file() {
        let o = Origin::Builtin("scenarios/deals/final.toml".into());
        assert_eq!(o.join("../../data/deposits.csv"), Origin::Builtin("data/deposits.csv".into()));
    }
}
