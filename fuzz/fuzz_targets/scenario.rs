//! A whole scenario file from arbitrary bytes (not necessarily UTF-8), loaded and validated as
//! `subsoil check FILE` does: its `extends` may name the built-in layers.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

/// The worked example's data files, beside the fuzzed file, so a scenario naming `deposits.csv` and
/// `events.csv` gets past its deposits to the rest of the validation.
fn data_files() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        common::write(
            "deposits.csv",
            include_bytes!("../../crates/subsoil-engine/tests/data/worked-example/deposits.csv"),
        );
        common::write(
            "events.csv",
            include_bytes!("../../crates/subsoil-engine/tests/data/worked-example/events.csv"),
        );
    });
}

fuzz_target!(|data: &[u8]| {
    data_files();
    let path = common::write("scenario.toml", data);
    common::check(&path, subsoil_scenario::load(&path, &[]));
});
