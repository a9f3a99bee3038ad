//! The built-in data as a user relies on it: every number rests on a source, a derivation from one, or a
//! stated assumption, and the deposit tables are consistent with each other and with the map.
//!
//! Rules checked for every TOML file under `data/` and `scenarios/` (read from disk, so a file that is
//! not embedded or not a layer is still checked):
//!
//! - a scenario layer is read file by file along the schema ([`provenance::list`] of every built-in
//!   scenario and layer), so a value that a later layer overrides is checked too. Every quantity needs
//!   `source` (with an optional `derivation`) or `assumption`: a bare number or a table without either
//!   is "unsourced" and fails.
//! - a whole-number field (the schema's counts, which cannot carry provenance keys) needs a comment on
//!   its line or directly above it saying why. `time.*` is exempt: the simulated years and the year of
//!   the dollars are choices of the run, not claims about the world.
//! - a TOML file that is not a layer (`data/analogs.toml`) is read with [`provenance::list_plain`]: a
//!   quantity table needs its own `source` or `assumption`; any other number (a study's `currency-year`)
//!   is covered by a `source`, `assumption` or `url` key of the table it sits in.
//!
//! CSV files: every row of the deposits, licence-events and licence-fee files names its sources.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use subsoil_scenario::provenance::{self, Written, WrittenCount};
use subsoil_scenario::walk::parse_date;
use subsoil_scenario::{builtin, load};

/// Whole-number fields known to lack a reason, as (file, field-path suffix). Each entry must still
/// match something (the test fails when a gap is closed and the entry is left behind), and nothing
/// else may be added silently. The projects layer writes `ramp-years` without a comment; the ramp's
/// first-year share (`ramp-start`) beside it carries an assumption.
const KNOWN_COUNT_GAPS: &[(&str, &str)] = &[];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A file name as printed by the loader, without the `builtin:` prefix of embedded files.
fn shown(file: &str) -> &str {
    file.strip_prefix("builtin:").unwrap_or(file)
}

/// `*.toml` files under `dir` (relative to the repository), as `dir/name.toml`, sorted.
fn toml_files(dir: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(repo().join(dir))
        .unwrap_or_else(|e| panic!("cannot read {dir}/: {e}"))
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .map(|n| format!("{dir}/{n}"))
        .collect();
    out.sort();
    out
}

/// Every quantity and count written in the built-in layers, each once, and the layer files read.
fn layer_values() -> (Vec<Written>, Vec<WrittenCount>, BTreeSet<String>) {
    let mut names: Vec<&str> = builtin::scenario_names();
    names.extend(builtin::layer_names());
    let mut quantities = Vec::new();
    let mut counts = Vec::new();
    let mut seen = HashSet::new();
    let mut files = BTreeSet::new();
    for name in names {
        let listing = match provenance::list(name) {
            Ok(l) => l,
            Err(e) => panic!("built-in {name} cannot be read:\n{}", e.render()),
        };
        files.extend(listing.layers.iter().map(|f| shown(f).to_string()));
        for w in listing.quantities {
            if seen.insert((w.file.clone(), w.line, w.quantity.path.clone())) {
                quantities.push(w);
            }
        }
        for c in listing.counts {
            if seen.insert((c.file.clone(), c.line, c.path.clone())) {
                counts.push(c);
            }
        }
    }
    (quantities, counts, files)
}

#[test]
fn every_number_in_the_built_in_files_has_a_source_a_derivation_or_an_assumption() {
    let (mut quantities, counts, layer_files) = layer_values();

    // Every TOML file on disk is either a layer read above or a plain data file read here.
    let mut on_disk = toml_files("data");
    on_disk.extend(toml_files("scenarios"));
    let mut plain_files = Vec::new();
    for f in &on_disk {
        if builtin::file(f).is_some() {
            assert!(layer_files.contains(f), "{f} is embedded but no built-in scenario reads it");
            continue;
        }
        let text = std::fs::read_to_string(repo().join(f)).expect("readable file");
        match provenance::list_plain(f, &text) {
            Ok(w) => quantities.extend(w),
            Err(e) => panic!("{f} is not valid TOML:\n{}", e.render()),
        }
        plain_files.push(f.clone());
    }
    assert!(
        plain_files.iter().any(|f| f == "data/analogs.toml"),
        "data/analogs.toml must be checked (found plain files {plain_files:?})"
    );

    let mut problems = Vec::new();
    for w in &quantities {
        let kind = w.quantity.provenance.kind();
        if kind == "unsourced" || kind == "default" {
            problems.push(format!(
                "{}:{}: {}: no `source`, `derivation` with source, or `assumption`",
                shown(&w.file),
                w.line,
                w.quantity.path
            ));
        }
    }

    let mut gaps_used = vec![0usize; KNOWN_COUNT_GAPS.len()];
    for c in &counts {
        if c.path.starts_with("time.") || c.comment.is_some() {
            continue;
        }
        let gap = KNOWN_COUNT_GAPS
            .iter()
            .position(|(file, suffix)| shown(&c.file) == *file && c.path.ends_with(suffix));
        match gap {
            Some(i) => gaps_used[i] += 1,
            None => problems.push(format!(
                "{}:{}: {} = {}: a whole number needs a comment on its line or directly above it giving its source or reason",
                shown(&c.file),
                c.line,
                c.path,
                c.value
            )),
        }
    }
    for (i, used) in gaps_used.iter().enumerate() {
        if *used == 0 {
            problems.push(format!(
                "KNOWN_COUNT_GAPS entry {:?} no longer matches anything: remove it",
                KNOWN_COUNT_GAPS[i]
            ));
        }
    }

    // The walk must have seen the files' contents, not an empty listing.
    assert!(quantities.len() > 500, "only {} quantities found", quantities.len());
    for f in ["data/products.toml", "data/macro.toml", "scenarios/ukraine-projects.toml"] {
        assert!(layer_files.contains(f), "{f} was not read");
    }
    assert!(counts.iter().any(|c| c.path == "rates.postwar-years"), "counts were not read");
    assert!(
        problems.is_empty(),
        "{} value(s) without provenance:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_row_of_the_data_csv_files_names_its_sources() {
    let listing = provenance::list(builtin::DEFAULT_SCENARIO).expect("built-in scenario lists");
    let mut rows = listing.rows;
    rows.extend(provenance::licence_fee_rows());
    let mut per_file: BTreeMap<String, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    for r in &rows {
        *per_file.entry(shown(&r.file).to_string()).or_default() += 1;
        if provenance::sources_of(&r.sources).is_empty() {
            problems.push(format!("{}:{}: {}: no source", shown(&r.file), r.line, r.label));
        }
    }
    for (f, n) in
        [("data/deposits.csv", 40), ("data/licence_events.csv", 40), ("data/licence_fees.csv", 3)]
    {
        assert!(
            per_file.get(f).copied().unwrap_or(0) >= n,
            "too few rows read from {f}: {per_file:?}"
        );
    }
    assert!(problems.is_empty(), "rows without sources:\n{}", problems.join("\n"));
}

/// Rows of a CSV file under `data/` as maps from column to cell, with their line numbers.
fn csv_rows(name: &str) -> Vec<(usize, BTreeMap<String, String>)> {
    let path = repo().join("data").join(name);
    let mut rdr = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let header: Vec<String> =
        rdr.headers().expect("a header row").iter().map(String::from).collect();
    rdr.records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("{name}: malformed CSV: {e}"));
            let line = r.position().map_or(0, |p| p.line() as usize);
            (line, header.iter().cloned().zip(r.iter().map(|c| c.trim().to_string())).collect())
        })
        .collect()
}

/// The `name` property of every feature of the oblast map. The file holds one feature per line with a
/// flat `properties` object of strings, which is all this reads.
fn map_names() -> Vec<String> {
    let text = std::fs::read_to_string(repo().join("data/ukraine-oblasts.geojson"))
        .expect("data/ukraine-oblasts.geojson is readable");
    let mut names = Vec::new();
    for (i, _) in text.match_indices("\"properties\"") {
        let rest = &text[i..];
        let props = &rest[..rest.find('}').expect("a closed properties object")];
        let key = "\"name\":\"";
        let start = props.find(key).expect("a name property") + key.len();
        let end = props[start..].find('"').expect("a closed string") + start;
        names.push(props[start..end].to_string());
    }
    names
}

#[test]
fn deposits_events_and_fees_are_consistent_with_each_other_and_the_map() {
    let deposits = csv_rows("deposits.csv");
    let events = csv_rows("licence_events.csv");
    let fees = csv_rows("licence_fees.csv");
    let oblasts: HashSet<String> = map_names().into_iter().collect();
    assert_eq!(oblasts.len(), 27, "the map has Ukraine's 27 first-level units");
    assert!(deposits.len() >= 40 && events.len() >= 40, "the data files were read");

    let mut problems = Vec::new();
    let mut ids = BTreeMap::new();
    for (line, r) in &deposits {
        let at = format!("data/deposits.csv:{line}: {}", r["id"]);
        if let Some(first) = ids.insert(r["id"].clone(), *line) {
            problems.push(format!("{at}: duplicate id (first on line {first})"));
        }
        match (r["lat"].as_str(), r["lon"].as_str()) {
            ("", "") => {}
            (lat, lon) => match (lat.parse::<f64>(), lon.parse::<f64>()) {
                (Ok(lat), Ok(lon)) => {
                    if !(44.0..=52.5).contains(&lat) || !(22.0..=40.3).contains(&lon) {
                        problems.push(format!(
                            "{at}: ({lat}, {lon}) is outside Ukraine's bounding box"
                        ));
                    }
                }
                _ => problems.push(format!("{at}: coordinates {lat:?}, {lon:?} are not numbers")),
            },
        }
        let as_of = &r["control_as_of"];
        if !as_of.is_empty() && parse_date(as_of).is_none() {
            problems.push(format!("{at}: control_as_of {as_of:?} is not a date"));
        }
        if !matches!(r["location_kind"].as_str(), "site" | "basin-wide" | "offshore") {
            problems.push(format!("{at}: location_kind {:?}", r["location_kind"]));
        }
        let listed: Vec<&str> =
            r["oblast"].split(';').map(str::trim).filter(|s| !s.is_empty()).collect();
        if r["location_kind"] != "offshore" {
            if listed.is_empty() {
                problems.push(format!("{at}: an onshore deposit needs its oblast"));
            }
            for o in listed {
                if !oblasts.contains(o) {
                    problems
                        .push(format!("{at}: oblast {o:?} is not in data/ukraine-oblasts.geojson"));
                }
            }
        }
    }
    for (line, r) in &events {
        let at = format!("data/licence_events.csv:{line}");
        if !ids.contains_key(&r["deposit_id"]) {
            problems.push(format!("{at}: unknown deposit {:?}", r["deposit_id"]));
        }
        if parse_date(&r["date"]).is_none() {
            problems.push(format!("{at}: date {:?} is not a date", r["date"]));
        }
    }
    for (line, r) in &fees {
        let at = format!("data/licence_fees.csv:{line}");
        for id in r["deposit_id"].split(';').map(str::trim).filter(|s| !s.is_empty()) {
            if !ids.contains_key(id) {
                problems.push(format!("{at}: unknown deposit {id:?}"));
            }
        }
        if !r["date"].is_empty() && parse_date(&r["date"]).is_none() {
            problems.push(format!("{at}: date {:?} is not a date", r["date"]));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The loader reads the same files into the scenario without dropping a row.
    let s = load(builtin::DEFAULT_SCENARIO, &[]).expect("the built-in scenario loads");
    assert_eq!(s.deposits.len(), deposits.len());
    assert_eq!(s.events.len(), events.len());
}

#[test]
fn shares_and_probabilities_lie_in_the_unit_interval_and_dates_parse() {
    let (quantities, _, _) = layer_values();
    let mut problems = Vec::new();
    for w in &quantities {
        let q = &w.quantity;
        let at = format!("{}:{}: {}", shown(&w.file), w.line, q.path);
        let key = q.path.rsplit('.').next().unwrap_or("");
        let (lo, hi) = q.dist.support();
        // Fractions are shares, rates and probabilities, except a correlation (in [-1, 1]) and a
        // relative price jump after export controls (+250% is 2.5).
        let allowed = match (q.unit.as_deref(), key) {
            (_, "rho") => Some((-1.0, 1.0)),
            (Some("fraction"), "export-control-jump") => None,
            (Some("fraction"), _) => Some((0.0, 1.0)),
            _ => None,
        };
        if let Some((min, max)) = allowed
            && (lo < min || hi > max)
        {
            problems.push(format!("{at}: reaches [{lo}, {hi}], outside [{min}, {max}]"));
        }
        if let Some(d) = &q.as_of
            && parse_date(d).is_none()
        {
            problems.push(format!("{at}: as-of {d:?} is not YYYY, YYYY-MM or YYYY-MM-DD"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The probabilities of where a deposit of unknown control lies must add up to one.
    let s = load(builtin::DEFAULT_SCENARIO, &[]).expect("the built-in scenario loads");
    let p: f64 = s
        .quantities
        .iter()
        .filter(|q| q.path.starts_with("conflict.unknown-control."))
        .map(|q| q.median())
        .sum();
    assert!((p - 1.0).abs() < 1e-9, "conflict.unknown-control sums to {p}");
}
