//! Inputs the fuzzer (`fuzz/`) found, kept as tests: each must load or fail with every problem
//! located in a file that was read (the fuzz targets' own check, without the fuzzer).

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Loads `scenario` (bytes) from a scratch folder holding the worked example's data files, as the
/// `scenario` fuzz target does, and checks that every error is located.
fn check(name: &str, scenario: &[u8]) {
    let dir =
        std::env::temp_dir().join(format!("subsoil-fuzz-regression-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let data = root().join("crates/subsoil-engine/tests/data/worked-example");
    for f in ["deposits.csv", "events.csv"] {
        std::fs::copy(data.join(f), dir.join(f)).expect("copy data file");
    }
    let path = dir.join("scenario.toml");
    std::fs::write(&path, scenario).expect("write scenario");
    let path = path.to_str().expect("UTF-8 path");
    if let Err(e) = subsoil_scenario::load(path, &[]) {
        for d in &e.diagnostics.items {
            let loc = d.location.as_ref();
            assert!(
                loc.is_some() || d.message.starts_with(path),
                "{name}: unlocated error: {d}\n{}",
                e.render()
            );
        }
        assert!(e.render().starts_with(&format!("error: {path}:")), "{name}:\n{}", e.render());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_kept_fuzz_input_loads_or_fails_with_located_errors() {
    let dir = root().join("fuzz/regressions/scenario");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("fuzz/regressions/scenario") {
        let p = entry.expect("entry").path();
        let name = p.file_name().expect("name").to_string_lossy().into_owned();
        check(&name, &std::fs::read(&p).expect("read"));
        n += 1;
    }
    assert!(n > 0, "no kept inputs in {}", dir.display());
}

/// The first crash: a layer lacking every top-level table (here `data/macro.toml` checked on its own)
/// had its missing tables reported with no file at all.
#[test]
fn a_file_missing_top_level_tables_is_blamed_at_its_first_line() {
    check("macro-alone", &std::fs::read(root().join("data/macro.toml")).expect("read"));
}
