//! `subsoil data` as a user meets it: deposits, products and sources in every format, the filters, and
//! bad input that exits with status 2 and writes nothing to stdout.

mod common;

use common::{scratch, subsoil, subsoil_in, text};

use serde_json::Value;

fn ok_json(args: &[&str]) -> Value {
    let out = subsoil(args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON: {e}"))
}

/// Records of RFC 4180 CSV text (quoted fields may hold commas, quotes and line breaks).
fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(!quoted && field.is_empty() && record.is_empty(), "CSV must end with a full record");
    records
}

fn ok_csv(args: &[&str]) -> Vec<Vec<String>> {
    let out = subsoil(args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    let rows = parse_csv(&text(&out.stdout));
    let width = rows[0].len();
    for r in &rows {
        assert_eq!(r.len(), width, "every CSV record has the header's {width} fields: {r:?}");
    }
    rows
}

fn column(rows: &[Vec<String>], name: &str) -> usize {
    rows[0].iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn deposits_table_lists_every_deposit_from_any_directory() {
    let dir = scratch("anywhere");
    let out = subsoil_in(Some(&dir), &["data", "deposits"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    for col in [
        "id",
        "commodities",
        "region",
        "stage",
        "control (as of)",
        "licence holder",
        "licence events",
    ] {
        assert!(s.contains(col), "missing column {col}");
    }
    assert!(s.contains("(44 shown)"));
    assert!(s.contains("dobra_li"));
    assert!(s.contains("occupied (2025-07-06)"), "control is shown with its date");
    assert!(s.contains("2 issued, 1 revoked; last: revoked 2021"), "events are summarised");
    assert!(!s.contains('\x1b'), "NO_COLOR must turn styles off");
}

#[test]
fn deposit_filters_combine_and_agree_across_formats() {
    let v = ok_json(&["data", "deposits", "--commodity", "lithium", "--format", "json"]);
    assert_eq!(v["scenario"], "ukraine-final-2025");
    let all = v["deposits"].as_array().expect("deposits");
    assert_eq!(all.len(), 4, "four lithium deposits");
    for d in all {
        let c = d["commodities"].as_array().expect("commodities");
        assert!(c.iter().any(|x| x == "lithium"), "{d}");
    }

    let v = ok_json(&["data", "deposits", "--control", "occupied", "--format", "json"]);
    let occupied = v["deposits"].as_array().expect("deposits");
    assert_eq!(occupied.len(), 8);
    assert!(occupied.iter().all(|d| d["control"] == "occupied"));

    let rows = ok_csv(&[
        "data",
        "deposits",
        "--commodity",
        "lithium",
        "--control",
        "occupied",
        "--format",
        "csv",
    ]);
    let (id, control) = (column(&rows, "id"), column(&rows, "control"));
    let ids: Vec<&str> = rows[1..].iter().map(|r| r[id].as_str()).collect();
    assert_eq!(ids, ["shevchenkivske_li", "kruta_balka_li"]);
    assert!(rows[1..].iter().all(|r| r[control] == "occupied"));
    let low = column(&rows, "low_reliability");
    assert_eq!(rows[1][low], "true", "Shevchenkivske rests on a low-reliability source");

    // A commodity is matched however it is written.
    let v = ok_json(&["data", "deposits", "--commodity", "Rare-Earths", "--format", "json"]);
    assert_eq!(v["deposits"].as_array().map(Vec::len), Some(4));
}

#[test]
fn every_licence_event_appears_with_its_deposit() {
    let v = ok_json(&["data", "deposits", "--format", "json"]);
    let deposits = v["deposits"].as_array().expect("deposits");
    let events: usize = deposits.iter().map(|d| d["events"].as_array().map_or(0, Vec::len)).sum();
    assert_eq!(events, 45, "every row of data/licence_events.csv");
    let dobra = deposits.iter().find(|d| d["id"] == "dobra_li").expect("dobra_li");
    assert_eq!(dobra["events"][0]["event"], "issued");
    assert_eq!(dobra["events"][0]["date"], "2026-01-12");
}

#[test]
fn products_carry_values_and_provenance_kinds() {
    let v = ok_json(&["data", "products", "--format", "json"]);
    let products = v["products"].as_array().expect("products");
    assert_eq!(products.len(), 15);
    let kinds = ["sourced", "derived", "assumption"];
    for p in products {
        for f in [
            "price",
            "long_run",
            "volatility",
            "half_life",
            "royalty_rate",
            "dominant_producer_share",
        ] {
            let k = p[f]["kind"].as_str().unwrap_or_else(|| panic!("{} has no {f}", p["id"]));
            assert!(kinds.contains(&k), "{} {f}: kind {k}", p["id"]);
            assert!(!p[f]["provenance"].as_str().unwrap_or("").is_empty());
        }
        let lr = &p["long_run"];
        let (lo, med, hi) = (lr["min"].as_f64(), lr["median"].as_f64(), lr["max"].as_f64());
        assert!(lo <= med && med <= hi, "{}: long run {lr}", p["id"]);
        assert!(p["price"]["as_of"].is_string(), "{}: the price has a date", p["id"]);
    }
    let spod = products.iter().find(|p| p["id"] == "lithium-spodumene").expect("spodumene");
    assert_eq!(spod["unit"], "t");
    assert_eq!(spod["price"]["value"], 2000.0);
    assert_eq!(spod["royalty_rate"]["kind"], "assumption");

    let rows = ok_csv(&["data", "products", "--commodity", "natural_gas", "--format", "csv"]);
    let id = column(&rows, "id");
    let ids: Vec<&str> = rows[1..].iter().map(|r| r[id].as_str()).collect();
    assert_eq!(ids, ["natural-gas", "natural-gas-pso"]);

    let out = subsoil(&["data", "products"]);
    assert!(out.status.success());
    let s = text(&out.stdout);
    assert!(s.contains("lithium-spodumene") && s.contains("6.25% a"), "royalty with its mark");
}

#[test]
fn sources_print_the_counts_first_then_every_source() {
    let out = subsoil(&["data", "sources"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    let counts = s.find("sourced").expect("the counts table");
    let list = s.find("Sources (").expect("the list of sources");
    assert!(counts < list, "the counts come first");
    assert!(s.lines().next().is_some_and(|l| l.starts_with("Provenance of the values")));
    for group in [
        "scenario layers",
        "data/analogs.toml",
        "data/deposits.csv (rows)",
        "data/licence_events.csv (rows)",
    ] {
        assert!(s.contains(group), "missing {group}");
    }

    let v = ok_json(&["data", "sources", "--format", "json"]);
    let groups = v["counts"].as_array().expect("counts");
    let layers = &groups[0];
    assert!(layers["group"].as_str().is_some_and(|g| g.starts_with("scenario layers")));
    assert_eq!(layers["unsourced"], 0, "every built-in quantity has provenance");
    let sum = |k: &str| groups.iter().map(|g| g[k].as_u64().unwrap_or(0)).sum::<u64>();
    for k in ["sourced", "derived", "assumption", "unsourced", "total"] {
        assert_eq!(v["total"][k].as_u64(), Some(sum(k)), "total {k}");
    }
    assert_eq!(
        sum("total"),
        sum("sourced") + sum("derived") + sum("assumption") + sum("unsourced")
    );
    let deposits =
        groups.iter().find(|g| g["group"] == "data/deposits.csv (rows)").expect("deposits");
    assert_eq!(
        (deposits["total"].as_u64(), deposits["low_reliability"].as_u64()),
        (Some(44), Some(7))
    );

    // Every source supports at least one value, and the CSV lists each (source, value) pair.
    let sources = v["sources"].as_array().expect("sources");
    assert!(sources.len() > 100);
    assert!(
        sources
            .iter()
            .all(|x| x["values"].as_u64() == x["supports"].as_array().map(|a| a.len() as u64))
    );
    let rows = ok_csv(&["data", "sources", "--format", "csv"]);
    assert_eq!(rows[0], ["source", "file", "line", "field", "kind"]);
    let pairs: u64 = sources.iter().map(|x| x["values"].as_u64().unwrap_or(0)).sum();
    assert_eq!(rows.len() as u64 - 1, pairs);
    let line = column(&rows, "line");
    assert!(rows[1..].iter().all(|r| r[line].parse::<usize>().is_ok_and(|n| n > 0)));
}

#[test]
fn a_users_bare_number_is_counted_as_unsourced() {
    let dir = scratch("user");
    let file = dir.join("mine.toml");
    std::fs::write(
        &file,
        "format-version = 1\nextends = \"ukraine-final-2025\"\n[metadata]\nname = \"mine\"\n[fiscal]\ncit-rate = 0.2\n",
    )
    .expect("write");
    let path = file.display().to_string();
    let v = ok_json(&["data", "sources", "--format", "json", "--scenario", &path]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(v["scenario"], "mine");
    let layers = &v["counts"][0];
    assert_eq!(layers["unsourced"], 1, "{layers}");
    assert_eq!(v["overridden_layer_values"], 1, "the built-in cit-rate is overridden");
    assert!(
        v["counts"]
            .as_array()
            .is_some_and(|g| g.iter().any(|g| g["group"] == "data/analogs.toml (reference)")),
        "the file extends the built-in layers that cite the analogs"
    );
}

#[test]
fn bad_input_exits_with_status_2_and_writes_nothing() {
    for args in [
        &["data", "minerals"][..],
        &["data"],
        &["data", "deposits", "--control", "held"],
        &["data", "deposits", "--format", "xml"],
        &["data", "deposits", "--commodity", "unobtainium"],
        &["data", "products", "--commodity", "unobtainium"],
        &["data", "products", "--control", "occupied"],
        &["data", "sources", "--commodity", "lithium"],
        &["data", "deposits", "--scenario", "no-such-file.toml"],
    ] {
        let out = subsoil(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
        assert!(!text(&out.stderr).is_empty(), "{args:?} must say what is wrong");
    }
    let out = subsoil(&["data", "deposits", "--commodity", "unobtainium"]);
    assert!(text(&out.stderr).contains("commodities in the data: "), "lists the known commodities");
}

#[test]
fn help_shows_examples() {
    let out = subsoil(&["data", "--help"]);
    assert!(out.status.success());
    let s = text(&out.stdout);
    assert!(s.contains("Examples:") && s.contains("subsoil data sources"));
    for v in ["deposits", "products", "sources", "--commodity", "--control", "--scenario", "csv"] {
        assert!(s.contains(v), "help mentions {v}");
    }
}

#[test]
fn deposits_outside_ukraine_are_listed_with_generic_control_and_region_names() {
    // The Sicomines deposit is written inline with the default control, `operable`.
    let args = ["data", "deposits", "--scenario", "drc-sicomines-2024"];
    let out = subsoil(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(!table.contains("ukraine") && !table.contains("oblast"), "{table}");
    assert!(table.contains("region") && table.contains("operable"), "{table}");
    let v = ok_json(&[&args[..], &["--format", "json"]].concat());
    let d = &v["deposits"][0];
    assert_eq!((d["control"].as_str(), d["regions"][0].as_str()), (Some("operable"), Some("all")));
    let rows = ok_csv(&[&args[..], &["--format", "csv"]].concat());
    assert_eq!(rows[1][column(&rows, "control")], "operable");
    assert_eq!(rows[1][column(&rows, "region")], "all");
    // The Ukrainian file's `ukraine` and `frontline` are shown by their generic names, and the filter
    // takes either spelling.
    let ukraine = ok_json(&["data", "deposits", "--control", "ukraine", "--format", "json"]);
    let operable = ok_json(&["data", "deposits", "--control", "operable", "--format", "json"]);
    assert_eq!(ukraine, operable);
    let held = ukraine["deposits"].as_array().expect("deposits");
    assert_eq!(held.len(), 32);
    assert!(held.iter().all(|d| d["control"] == "operable"));
    let front = ok_json(&["data", "deposits", "--control", "frontline", "--format", "json"]);
    assert_eq!(front["deposits"][0]["control"], "contested");
}

#[test]
fn sources_list_the_values_the_scenario_uses_and_only_the_files_it_cites() {
    let v = ok_json(&["data", "sources", "--scenario", "drc-sicomines-2024", "--format", "json"]);
    let sources = v["sources"].as_array().expect("sources");
    // A `;` inside parentheses separates the details of one source, not two sources.
    for s in sources {
        let name = s["source"].as_str().expect("a source");
        assert_eq!(name.matches('(').count(), name.matches(')').count(), "split: {name:?}");
    }
    assert!(
        sources
            .iter()
            .any(|s| s["source"]
                == "$1.5bn disbursed by May 2024 (Agence Ecofin 7 May 2024; facts b)")
    );
    // Each field is credited once, from the file whose value is in effect: the 2024 file restates the
    // repayment rule and removes the 2008 file's credit.
    let mut fields: Vec<(String, String)> = Vec::new();
    for s in sources {
        for sup in s["supports"].as_array().expect("supports") {
            let file = sup["file"].as_str().unwrap_or_default();
            let field = sup["field"].as_str().unwrap_or_default();
            let replaced = ["deal.credits", "deal.contributions"];
            assert!(
                !(file.ends_with("drc-sicomines-2008.toml")
                    && replaced.iter().any(|r| field.starts_with(r))),
                "{field} of the 2008 file is overridden or removed: {}",
                s["source"]
            );
            let key = (s["source"].to_string(), field.to_string());
            assert!(!fields.contains(&key), "{key:?} credited twice");
            fields.push(key);
        }
    }
    // The Ukrainian data files back only the scenarios that cite them.
    let groups = |v: &Value| -> Vec<String> {
        v["counts"].as_array().expect("counts").iter().map(|g| g["group"].to_string()).collect()
    };
    let drc = groups(&v).join(" ");
    assert!(!drc.contains("analogs.toml") && !drc.contains("licence_fees.csv"), "{drc}");
    let ukraine = groups(&ok_json(&["data", "sources", "--format", "json"])).join(" ");
    assert!(ukraine.contains("analogs.toml") && ukraine.contains("licence_fees.csv"), "{ukraine}");
}
