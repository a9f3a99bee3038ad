//! What several test files share.

use std::path::PathBuf;

/// A new, empty folder for one call, named after `prefix` (tests run at once and must not share
/// files).
pub fn scratch(prefix: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let d = std::env::temp_dir().join(format!("subsoil-{prefix}-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}
