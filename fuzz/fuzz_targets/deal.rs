//! The deal language: arbitrary text after the header of a layer over the built-in base scenario, so a
//! `[deal]` section (parties, contributions, cash, credits, tiers) meets the real deposits and projects.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut file = b"format-version = 1\nextends = \"ukraine-base\"\n".to_vec();
    file.extend_from_slice(data);
    let path = common::write("deal.toml", &file);
    common::check(&path, subsoil_scenario::load(&path, &[]));
});
