//! Scenario layers and data files embedded in the binary, so `subsoil run` works from any directory.
//! Paths are those of the source tree; files refer to each other by relative paths as on disk.

/// Every embedded file: (path in the source tree, contents).
pub static FILES: &[(&str, &str)] = &[
    ("scenarios/ukraine-base.toml", include_str!("../../../scenarios/ukraine-base.toml")),
    ("scenarios/ukraine-projects.toml", include_str!("../../../scenarios/ukraine-projects.toml")),
    (
        "scenarios/ukraine-final-2025.toml",
        include_str!("../../../scenarios/ukraine-final-2025.toml"),
    ),
    ("data/products.toml", include_str!("../../../data/products.toml")),
    ("data/macro.toml", include_str!("../../../data/macro.toml")),
    ("data/deposits.csv", include_str!("../../../data/deposits.csv")),
    ("data/licence_events.csv", include_str!("../../../data/licence_events.csv")),
];

/// Built-in scenarios that run on their own, with a one-line description.
pub static SCENARIOS: &[(&str, &str)] = &[(
    "ukraine-final-2025",
    "Final agreement (signed 30 Apr 2025, in force 23 May 2025): 50% of receipts from new or unexploited licences",
)];

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
