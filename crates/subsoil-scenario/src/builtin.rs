//! Scenario layers and data files embedded in the binary, so `subsoil run` works from any directory.
//! Paths are those of the source tree; files refer to each other by relative paths as on disk.

/// An embedded file: its path in the source tree and its contents.
macro_rules! embed {
    ($path:literal) => {
        ($path, include_str!(concat!("../../../", $path)))
    };
}

/// Every embedded file: (path in the source tree, contents).
pub static FILES: &[(&str, &str)] = &[
    embed!("scenarios/ukraine-base.toml"),
    embed!("scenarios/ukraine-projects.toml"),
    embed!("scenarios/ukraine-feb-2025-draft.toml"),
    embed!("scenarios/ukraine-feb-2025-framework.toml"),
    embed!("scenarios/ukraine-mar-2025-draft.toml"),
    embed!("scenarios/ukraine-final-2025.toml"),
    embed!("scenarios/drc-sicomines-2008.toml"),
    embed!("scenarios/drc-sicomines-2024.toml"),
    embed!("data/products.toml"),
    embed!("data/macro.toml"),
    embed!("data/deposits.csv"),
    embed!("data/licence_events.csv"),
    embed!("data/ukraine-oblasts.geojson"),
];

/// The claims file (`subsoil claims`), kept apart from the scenario layers and their data.
pub static CLAIMS: &str = include_str!("../../../data/claims.toml");

/// Built-in scenarios that run on their own, with a one-line description.
pub static SCENARIOS: &[(&str, &str)] = &[
    (
        "ukraine-feb-2025-draft",
        "US draft of 21 Feb 2025: 50% of all resource revenue (net of operating expenses) and of infrastructure revenue, all to the US, until $500bn",
    ),
    (
        "ukraine-feb-2025-framework",
        "Framework of 24/25 Feb 2025: 50% of future monetisation of state resources, reinvested in Ukraine",
    ),
    (
        "ukraine-mar-2025-draft",
        "US draft of 28 Mar 2025: past aid ($123bn) credited, 50% of new receipts and infrastructure revenue, US repaid with 4% first",
    ),
    (
        "ukraine-final-2025",
        "Final agreement (signed 30 Apr 2025, in force 23 May 2025): 50% of receipts from new or unexploited licences; no distributions before 2035",
    ),
    (
        "drc-sicomines-2008",
        "DRC-China Sicomines convention (2008, revised 2009): 42.25% of the copper-cobalt JV's profit repays $3bn of infrastructure loans at 4.4%",
    ),
    (
        "drc-sicomines-2024",
        "DRC-China Sicomines as amended in 2024: $7bn of infrastructure ($324m a year 2024-2040) repaid from JV profit, 1.2% turnover royalty",
    ),
];

/// The default scenario of `subsoil run`.
pub const DEFAULT_SCENARIO: &str = "ukraine-final-2025";

/// Contents of an embedded file.
pub fn file(path: &str) -> Option<&'static str> {
    FILES.iter().find(|(p, _)| *p == path).map(|(_, t)| *t)
}

/// Path of the built-in layer called `name` (`scenarios/<name>.toml`, else `data/<name>.toml`).
pub fn layer_path(name: &str) -> Option<&'static str> {
    let a = format!("scenarios/{name}.toml");
    let b = format!("data/{name}.toml");
    FILES.iter().map(|(p, _)| *p).find(|p| *p == a || *p == b)
}

/// Names of built-in layers (usable in `extends`).
pub fn layer_names() -> Vec<&'static str> {
    FILES
        .iter()
        .filter_map(|(p, _)| p.strip_suffix(".toml"))
        .filter_map(|p| p.rsplit('/').next())
        .collect()
}

/// Names of built-in scenarios.
pub fn scenario_names() -> Vec<&'static str> {
    SCENARIOS.iter().map(|(n, _)| *n).collect()
}

/// A built-in layer that scenario files may extend.
#[derive(Clone, Debug)]
pub struct LayerInfo {
    /// Name to use in `extends`.
    pub name: &'static str,
    /// Path inside the built-in files.
    pub path: &'static str,
    /// What the layer says it holds (its opening comment).
    pub about: String,
    /// Layers it extends, as written.
    pub extends: Vec<String>,
    /// Top-level sections it writes (with the number of entries of tables of named items, such as
    /// projects).
    pub sections: Vec<String>,
}

/// Every built-in layer, in file order: what it holds, what it extends and which sections it writes.
pub fn layers() -> Vec<LayerInfo> {
    FILES
        .iter()
        .filter(|(p, _)| p.ends_with(".toml"))
        .filter_map(|(path, text)| {
            let name = path.strip_suffix(".toml")?.rsplit('/').next()?;
            let about: Vec<&str> = text
                .lines()
                .take_while(|l| l.starts_with('#'))
                .map(|l| l.trim_start_matches('#').trim())
                .collect();
            let parsed = toml::de::DeTable::parse(text).ok()?;
            let mut scratch = crate::diag::Diagnostics::default();
            let root = crate::tree::Node::from_toml(crate::diag::FileId(0), &parsed, &mut scratch);
            let table = root.table()?;
            let extends = match table.get("extends").map(|n| &n.kind) {
                Some(crate::tree::Kind::Str(s)) => vec![s.clone()],
                Some(crate::tree::Kind::Array(a)) => {
                    a.iter().filter_map(|v| v.str().map(String::from)).collect()
                }
                _ => Vec::new(),
            };
            let named = ["products", "projects", "parties"];
            let sections = table
                .iter()
                .filter(|(k, v)| v.table().is_some() && k.as_str() != "metadata")
                .map(|(k, v)| match v.table() {
                    Some(t) if named.contains(&k.as_str()) => format!("{k} ({})", t.len()),
                    _ => k.clone(),
                })
                .collect();
            Some(LayerInfo { name, path, about: about.join(" "), extends, sections })
        })
        .collect()
}
