//! What every scenario target checks: loading never panics (libFuzzer reports a panic as a crash and a
//! slow input as a timeout), and an error is well formed: at least one problem, each with a location in a
//! file that was read, a field path or message, rendered with `file:line:col` and the closing count.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use subsoil_scenario::{LoadError, Scenario};

/// A scratch folder for this fuzzing process.
pub fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("subsoil-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("scratch folder");
        d
    })
}

/// Writes `bytes` to `name` in the scratch folder and returns its path.
pub fn write(name: &str, bytes: &[u8]) -> String {
    let p = scratch().join(name);
    std::fs::write(&p, bytes).expect("write scratch file");
    p.to_str().expect("UTF-8 temp path").to_string()
}

/// Checks the outcome of loading `top` (a path, or a built-in name).
pub fn check(top: &str, result: Result<Scenario, LoadError>) {
    match result {
        Ok(s) => {
            // Every project of a loaded model stands on one of its deposits.
            let n = s.model.deposits.len();
            assert!(
                s.model.projects.iter().all(|p| p.deposit < n),
                "a project without its deposit"
            );
        }
        Err(e) => well_formed(top, &e),
    }
}

/// An error is well formed: located, non-empty, rendered with its location. The one kind without a
/// location in the sources is a top file that could not be read in (not UTF-8, too big): its message
/// starts with the file's name (and a line and column where it has them).
pub fn well_formed(top: &str, e: &LoadError) {
    assert!(!e.diagnostics.is_empty(), "an error with no problem in it");
    let files = e.sources.files();
    for d in &e.diagnostics.items {
        let Some(loc) = d.location.as_ref() else {
            assert!(d.message.starts_with(&top), "unlocated error: {d}");
            continue;
        };
        let f = files.get(loc.file.0 as usize).unwrap_or_else(|| panic!("unknown file: {d}"));
        if let Some(span) = &loc.span {
            assert!(span.start <= span.end, "reversed span {span:?}: {d}");
            assert!(span.start <= f.text.len(), "span {span:?} past the end of {}: {d}", f.name);
        }
        assert!(!d.message.trim().is_empty(), "empty message at {}", d.path);
    }
    let text = e.render();
    assert!(text.starts_with("error: "), "{text}");
    assert!(text.ends_with("nothing was run.\n"), "{text}");
    let first = text.lines().next().unwrap_or_default();
    let named = files.iter().any(|f| first.starts_with(&format!("error: {}", f.name)))
        || first.starts_with(&format!("error: {top}"));
    assert!(named, "the first error names no file: {first}");
}
