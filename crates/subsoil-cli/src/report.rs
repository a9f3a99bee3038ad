//! `subsoil report DIR` and the report of `run --out`: `report.html`, rendered from `summary.json`
//! alone, so that a saved folder re-renders to the same bytes.

use std::path::Path;
use std::process::ExitCode;

use crate::save::SaveError;
use crate::{EXIT_BAD_INPUT, output};

/// `report.html` for the bytes of a `summary.json`.
pub fn html(summary: &[u8]) -> Result<Vec<u8>, SaveError> {
    let text = std::str::from_utf8(summary)
        .map_err(|_| SaveError::BadInput("summary.json is not UTF-8 text".into()))?;
    subsoil_report::render(text).map(String::into_bytes).map_err(|e| SaveError::BadInput(e.0))
}

/// Runs `subsoil report DIR`: reads `DIR/summary.json` and writes `DIR/report.html` (through a
/// temporary file renamed into place, so a reader never sees half a page).
pub fn run(dir: &Path) -> ExitCode {
    let bad = |msg: String| {
        output::stderr(&format!("error: {msg}\n"));
        ExitCode::from(EXIT_BAD_INPUT)
    };
    let path = dir.join("summary.json");
    if !path.is_file() {
        return bad(format!(
            "{} holds no summary.json: give a folder written by `subsoil run --out DIR`",
            dir.display()
        ));
    }
    let summary = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => return bad(format!("cannot read {}: {e}", path.display())),
    };
    let page = match html(&summary) {
        Ok(p) => p,
        Err(e) => return bad(format!("{}: {}", path.display(), e.message())),
    };
    let target = dir.join("report.html");
    let temp = dir.join(format!(".report.html.partial-{}", std::process::id()));
    let written = std::fs::write(&temp, &page).and_then(|()| std::fs::rename(&temp, &target));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        output::stderr(&format!("error: cannot write {}: {e}\n", target.display()));
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
