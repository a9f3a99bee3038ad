//! The deposits file and the licence-events file of a small one-mine scenario from arbitrary bytes:
//! the input up to its first NUL byte is `deposits.csv`, the rest (if any) `events.csv`.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

const SCENARIO: &str = include_str!("../../crates/subsoil-engine/tests/data/faults/one-mine.toml");

fuzz_target!(|data: &[u8]| {
    let (deposits, events) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    common::write("deposits.csv", deposits);
    let mut scenario = SCENARIO.to_string();
    if let Some(events) = events {
        common::write("events.csv", events);
        scenario = scenario.replace(
            "file = \"deposits.csv\"\n",
            "file = \"deposits.csv\"\nevents-file = \"events.csv\"\n",
        );
    }
    let path = common::write("one-mine.toml", scenario.as_bytes());
    common::check(&path, subsoil_scenario::load(&path, &[]));
});
