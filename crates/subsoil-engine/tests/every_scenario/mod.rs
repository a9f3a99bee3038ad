//! The scenarios the bit-for-bit tests of a whole path run on: every built-in scenario and every bench
//! scenario (bench/numpy_reference/*.toml).

use subsoil_scenario::Scenario;

/// The scenario at `path` (a built-in name or a file), or a panic that shows why it does not load.
pub fn load(path: &str) -> Scenario {
    subsoil_scenario::load(path, &[]).unwrap_or_else(|e| panic!("{path}:\n{}", e.render()))
}

/// The built-in scenarios and the bench scenarios, by name or path, in sorted order.
pub fn scenarios() -> Vec<(String, Scenario)> {
    let mut names: Vec<String> =
        subsoil_scenario::builtin::SCENARIOS.iter().map(|(name, _)| name.to_string()).collect();
    let bench = concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/numpy_reference");
    for entry in std::fs::read_dir(bench).expect("bench folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            names.push(path.to_string_lossy().into_owned());
        }
    }
    names.sort();
    names.into_iter().map(|n| (n.clone(), load(&n))).collect()
}
