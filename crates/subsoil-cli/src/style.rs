//! Terminal styling: bold headings on a terminal, nothing when piped or when `NO_COLOR` is set.

use std::io::IsTerminal;

/// Whether standard output may carry ANSI styles.
pub fn enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// `s` in bold when styles are enabled.
pub fn bold(s: &str) -> String {
    if enabled() { format!("\x1b[1m{s}\x1b[0m") } else { s.to_string() }
}

/// `s` dimmed when styles are enabled.
pub fn dim(s: &str) -> String {
    if enabled() { format!("\x1b[2m{s}\x1b[0m") } else { s.to_string() }
}
