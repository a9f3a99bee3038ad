//! `--set` overrides on the built-in scenario: the input, split at NUL bytes, is up to eight
//! `path=value` arguments (newlines and all, as a shell can pass them).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let sets: Vec<String> = text.split('\0').take(8).map(str::to_string).collect();
    common::check("ukraine-final-2025", subsoil_scenario::load("ukraine-final-2025", &sets));
});
