//! `subsoil serve`: the JSON API answers with the CLI's numbers, refuses what is beyond its limits with
//! a JSON error naming the field, locates the problems of an uploaded scenario as `check` does, and
//! answers a repeated request from its cache.

mod common;

use common::server::Server;
use common::{scratch, subsoil};
use serde_json::{Value, json};

fn cli_json(args: &[&str]) -> Value {
    let out = subsoil(args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn a_run_through_the_api_gives_the_numbers_of_the_same_run_on_the_command_line() {
    let server = Server::start(&[]);
    let body = json!({
        "scenario": "ukraine-final-2025", "paths": 5000, "seed": 7, "sampler": "lhs",
        "sets": ["leakage.receipts=0.1", "deal.fund.equity-cap=0.5"],
    });
    let (status, api) = server.post_json("/api/run", &body);
    assert_eq!(status, 200, "{api}");
    let cli = cli_json(&[
        "run",
        "ukraine-final-2025",
        "--paths",
        "5000",
        "--seed",
        "7",
        "--sampler",
        "lhs",
        "--set",
        "leakage.receipts=0.1",
        "--set",
        "deal.fund.equity-cap=0.5",
        "--format",
        "json",
    ]);
    assert_eq!(api, cli, "the API's run differs from the CLI's");
    // The same request again comes from the cache: the same bytes.
    let first = server.request("POST", "/api/run", body.to_string().as_bytes());
    let again = server.request("POST", "/api/run", body.to_string().as_bytes());
    assert_eq!(first, again);
}

#[test]
fn a_comparison_through_the_api_gives_the_numbers_of_compare() {
    let server = Server::start(&[]);
    let (status, api) = server.post_json(
        "/api/compare",
        &json!({ "scenarios": ["ukraine-mar-2025-draft", {"scenario": "ukraine-final-2025"}], "paths": 1000, "seed": 3 }),
    );
    assert_eq!(status, 200, "{api}");
    let cli = cli_json(&[
        "compare",
        "ukraine-mar-2025-draft",
        "ukraine-final-2025",
        "--paths",
        "1000",
        "--seed",
        "3",
        "--format",
        "json",
    ]);
    assert_eq!(api, cli);
}

#[test]
fn an_uploaded_scenario_runs_as_the_same_file_does_on_the_command_line() {
    let text = "format-version = 1\nextends = \"ukraine-final-2025\"\noverrides = [\"conflict.ceasefire-year=2030\"]\n\n[deal]\nlock-up-until = 2040\n";
    let dir = scratch("serve-upload");
    let file = dir.join("variant.toml");
    std::fs::write(&file, text).expect("write");
    let server = Server::start(&[]);
    let (status, api) =
        server.post_json("/api/run", &json!({ "toml": text, "paths": 2000, "seed": 5 }));
    assert_eq!(status, 200, "{api}");
    let cli = cli_json(&[
        "run",
        file.to_str().expect("utf-8"),
        "--paths",
        "2000",
        "--seed",
        "5",
        "--format",
        "json",
    ]);
    // The scenario's hash and layers name the file, which differs (upload.toml against a path).
    let strip = |mut v: Value| {
        for k in ["scenario_hash", "layers"] {
            v["manifest"].as_object_mut().expect("manifest").remove(k);
        }
        v
    };
    assert_eq!(strip(api), strip(cli));
}

#[test]
fn a_malformed_upload_is_refused_with_its_problems_located_as_check_locates_them() {
    let server = Server::start(&[]);
    let text = "format-version = 1\nextends = \"ukraine-final-2025\"\n\n[deal]\nlock-up-until = \"soon\"\n";
    let (status, e) = server.post_json("/api/run", &json!({ "toml": text, "paths": 10 }));
    assert_eq!(status, 400);
    assert_eq!(e["field"], "deal.lock-up-until");
    let first = &e["errors"][0];
    assert_eq!(
        (first["file"].as_str(), first["line"].as_u64(), first["column"].as_u64()),
        (Some("upload.toml"), Some(5), Some(17))
    );
    assert!(
        e["error"]
            .as_str()
            .expect("text")
            .contains("upload.toml:5:17: deal.lock-up-until: expected a whole number"),
        "{e}"
    );
    // It reads no file of the server's disk.
    let (status, e) = server.post_json(
        "/api/run",
        &json!({ "toml": "format-version = 1\nextends = \"/etc/hostname.toml\"\n" }),
    );
    assert_eq!(status, 400);
    assert_eq!(e["errors"][0]["line"], 2, "{e}");
    assert!(e["error"].as_str().expect("text").contains("reads no files"), "{e}");
}

#[test]
fn requests_beyond_the_limits_get_a_json_error_naming_the_field() {
    let server = Server::start(&["--max-paths", "3000"]);
    let refused = |body: Value, code: u16, field: &str| {
        let (status, e) = server.post_json("/api/run", &body);
        assert_eq!((status, e["field"].as_str()), (code, Some(field)), "{body}: {e}");
        assert!(e["error"].as_str().is_some_and(|s| !s.is_empty()));
    };
    refused(json!({ "paths": 3001 }), 413, "paths");
    refused(json!({ "paths": 0 }), 400, "paths");
    refused(json!({ "paths": 2.5 }), 400, "paths");
    refused(json!({ "seed": -1 }), 400, "seed");
    refused(json!({ "sets": vec!["x=1"; 201] }), 413, "sets");
    refused(json!({ "sets": ["rates.valuation=oops"] }), 400, "rates.valuation");
    refused(json!({ "scenario": "../../etc/passwd" }), 404, "scenario");
    refused(json!({ "scenario": "ukraine-final-2025", "toml": "x" }), 400, "toml");
    refused(json!({ "levers": ["no-such-lever"] }), 400, "levers[0]");
    refused(json!({ "colour": "red" }), 400, "colour");
    let (status, e) = server.post_json(
        "/api/compare",
        &json!({ "scenarios": ["ukraine-final-2025", "ukraine-mar-2025-draft"], "paths": 1501 }),
    );
    assert_eq!((status, e["field"].as_str()), (413, Some("paths")), "{e}");
    let huge = vec![b' '; 2 << 20];
    let (status, body) = server.request("POST", "/api/run", &huge);
    let e: Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!((status, e["field"].as_str()), (413, Some("body")), "{e}");
    let (status, body) = server.request("POST", "/api/run", b"{not json");
    let e: Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!((status, e["field"].as_str()), (400, Some("body")), "{e}");
    for (method, path, code) in [
        ("GET", "/api/nothing", 404),
        ("DELETE", "/api/run", 405),
        ("GET", "/api/scenarios/nothing", 404),
    ] {
        let (status, body) = server.request(method, path, b"");
        let e: Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(status, code, "{method} {path}: {e}");
        assert!(e["error"].is_string());
    }
    // The server is still up and answering.
    let (status, _) = server.post_json("/api/run", &json!({ "paths": 100 }));
    assert_eq!(status, 200);
}

#[test]
fn scenarios_deposits_and_the_openapi_document_are_served() {
    let server = Server::start(&[]);
    let (status, body) = server.get("/api/scenarios");
    let list: Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(status, 200);
    // The four versions of the Ukrainian deal and the two Sicomines deals.
    assert_eq!(list["scenarios"].as_array().map(Vec::len), Some(6));
    let (status, body) = server.get("/api/scenarios/ukraine-final-2025");
    let s: Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(status, 200);
    assert!(s["toml"].as_str().expect("toml").contains("extends = \"ukraine-base\""));
    let inputs = s["inputs"].as_array().expect("inputs");
    assert!(inputs.iter().any(|i| i["name"] == "conflict.ceasefire-hazard"));
    let (status, body) = server.get("/api/deposits");
    let geo: Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!((status, geo["type"].as_str()), (200, Some("FeatureCollection")));
    let features = geo["features"].as_array().expect("features");
    assert_eq!(features.len(), 44);
    let point = features.iter().find(|f| f["id"] == "kruta_balka_li").expect("Kruta Balka");
    assert_eq!(point["geometry"]["coordinates"], json!([36.7845, 46.7598]));
    let (status, body) = server.get("/api/openapi.json");
    let doc: Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!((status, doc["openapi"].as_str()), (200, Some("3.0.3")));
    assert!(doc["paths"]["/api/run"]["post"].is_object());
}

#[test]
fn a_run_past_the_time_limit_is_stopped_and_the_server_goes_on() {
    let server = Server::start(&["--max-seconds", "1"]);
    let started = std::time::Instant::now();
    let (status, e) = server.post_json("/api/run", &json!({ "paths": 200_000 }));
    assert_eq!((status, e["field"].as_str()), (408, Some("paths")), "{e}");
    // Stopped within a chunk of the limit, not run to the end (200,000 paths take far longer here).
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
    let (status, _) = server.post_json("/api/run", &json!({ "paths": 100 }));
    assert_eq!(status, 200);
    // A comparison is stopped the same way.
    let started = std::time::Instant::now();
    let body =
        json!({ "scenarios": ["ukraine-final-2025", "ukraine-mar-2025-draft"], "paths": 100_000 });
    let (status, e) = server.post_json("/api/compare", &body);
    assert_eq!((status, e["field"].as_str()), (408, Some("paths")), "{e}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
}

#[test]
fn a_streamed_run_reports_each_block_as_a_run_of_that_many_paths() {
    let server = Server::start(&[]);
    let body = json!({ "scenario": "ukraine-mar-2025-draft", "paths": 10_000, "seed": 9 });
    let stream = server.stream("/api/run/stream", &body);
    assert_eq!(stream.status, 200);
    let lines: Vec<Value> = stream.collect();
    let paths: Vec<u64> = lines.iter().map(|l| l["paths"].as_u64().expect("paths")).collect();
    assert_eq!(paths, [4096, 8192, 10_000]);
    assert_eq!(lines.iter().map(|l| l["final"] == true).collect::<Vec<_>>(), [false, false, true]);
    // The first block is the run of 4,096 paths, the last the whole run, as /api/run answers them.
    let (_, first) = server.post_json(
        "/api/run",
        &json!({ "scenario": "ukraine-mar-2025-draft", "paths": 4096, "seed": 9 }),
    );
    assert_eq!(lines[0]["result"], first);
    let (_, whole) = server.post_json("/api/run", &body);
    assert_eq!(lines[2]["result"], whole);
    for id in ["headline", "when", "fans", "projects", "map"] {
        assert!(lines[0]["html"][id].as_str().is_some_and(|h| h.contains('<')), "no {id}");
    }
    assert_eq!(
        lines[2]["command"],
        "subsoil run ukraine-mar-2025-draft --paths 10000 --seed 9 --sampler random"
    );
}

#[test]
fn a_newer_request_from_the_same_page_cancels_the_older_within_a_chunk() {
    let server = Server::start(&[]);
    let mut older = server
        .stream("/api/run/stream", &json!({ "paths": 200_000, "seed": 1, "session": "page-1" }));
    let first = older.next().expect("a first block");
    assert_eq!(first["paths"], 4096);
    let started = std::time::Instant::now();
    let newer: Vec<Value> = server
        .stream("/api/run/stream", &json!({ "paths": 4096, "seed": 2, "session": "page-1" }))
        .collect();
    assert_eq!(newer.last().map(|l| l["final"] == true), Some(true), "{newer:?}");
    // The older run stops: at most the block under way arrives, then its error line, then the end.
    let rest: Vec<Value> = older.collect();
    let end = rest.last().expect("an error line");
    assert_eq!(end["field"], "session", "{end}");
    assert!(rest.len() <= 2, "{} lines after the newer request", rest.len());
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    // Another page's run is not touched.
    let other: Vec<Value> =
        server.stream("/api/run/stream", &json!({ "paths": 100, "session": "page-2" })).collect();
    assert_eq!(other.len(), 1);
}

#[test]
fn a_comparison_of_scenarios_in_different_dollars_is_refused_with_the_message_of_compare() {
    let server = Server::start(&[]);
    let (status, e) = server.post_json(
        "/api/compare",
        &json!({ "scenarios": ["ukraine-final-2025", "drc-sicomines-2024"], "paths": 64 }),
    );
    assert_eq!(status, 400, "{e}");
    let cli = subsoil(&["compare", "ukraine-final-2025", "drc-sicomines-2024", "--paths", "64"]);
    assert_eq!(cli.status.code(), Some(2));
    let message = String::from_utf8_lossy(&cli.stderr);
    let message = message.trim().strip_prefix("error: ").expect("an error");
    assert!(message.contains("same dollars and years"), "{message}");
    assert_eq!(e["error"].as_str(), Some(message), "{e}");
    assert_eq!(e["field"].as_str(), Some("scenarios"), "{e}");
}
