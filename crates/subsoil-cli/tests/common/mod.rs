//! What every CLI test needs: running the binary as a user would, reading its output, a scratch folder.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `subsoil` with `args` in `dir` (the current folder when `None`), styles off.
pub fn subsoil_in(dir: Option<&Path>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_subsoil"));
    cmd.args(args).env("NO_COLOR", "1");
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    cmd.output().expect("the subsoil binary runs")
}

/// Runs `subsoil` with `args`, styles off.
pub fn subsoil(args: &[&str]) -> Output {
    subsoil_in(None, args)
}

/// Output bytes as text.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// An empty scratch folder for one test, unique to this process.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("subsoil-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
pub mod server;
