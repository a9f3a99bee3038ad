//! The OpenAPI 3 document of the API, served at `/api/openapi.json`. It describes every answer the
//! server gives, errors included; `.ci/run` checks the server against it with schemathesis.

use serde_json::{Value, json};

use crate::Limits;
use crate::request::{DEFAULT_PATHS, MAX_COMPARED, MAX_SET_CHARS};

/// A number that is `null` when it is not finite (JSON has no NaN).
fn num() -> Value {
    json!({ "type": "number", "nullable": true })
}

fn int() -> Value {
    json!({ "type": "integer" })
}

fn string() -> Value {
    json!({ "type": "string" })
}

fn strings() -> Value {
    json!({ "type": "array", "items": { "type": "string" } })
}

fn object(properties: Value, required: &[&str]) -> Value {
    json!({ "type": "object", "properties": properties, "required": required })
}

fn by_name(item: &str) -> Value {
    json!({ "type": "object", "additionalProperties": { "$ref": format!("#/components/schemas/{item}") } })
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn answer(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

fn error(description: &str) -> Value {
    answer(description, reference("Error"))
}

const PERCENTILES: [&str; 7] = ["p5", "p10", "p25", "p50", "p75", "p90", "p95"];

fn distribution(extra: &[(&str, Value)], extra_required: &[&str]) -> Value {
    let mut p = serde_json::Map::new();
    for k in
        ["mean", "se", "sd", "min", "max", "quantile_relative_error"].iter().chain(&PERCENTILES)
    {
        p.insert((*k).into(), num());
    }
    p.insert("n".into(), int());
    p.insert("non_finite".into(), int());
    for (k, v) in extra {
        p.insert((*k).into(), v.clone());
    }
    let mut required: Vec<&str> = vec!["mean", "se", "sd", "min", "max", "n", "non_finite"];
    required.extend(PERCENTILES);
    required.extend(extra_required);
    object(Value::Object(p), &required)
}

/// A built-in scenario's name: the only names the server accepts.
fn builtin() -> Value {
    json!({ "type": "string", "enum": subsoil_scenario::builtin::scenario_names() })
}

fn schemas(limits: &Limits) -> Value {
    let interval = json!({ "type": "array", "items": num(), "minItems": 2, "maxItems": 2 });
    let year_interval = json!({ "type": "array", "items": { "type": "integer", "nullable": true }, "minItems": 2, "maxItems": 2 });
    let chance = object(
        json!({ "hits": int(), "n": int(), "p": num(), "se": num(), "ci95": interval, "description": string() }),
        &["hits", "n", "p", "se", "ci95"],
    );
    let by_year =
        object(json!({ "year": int(), "p": num(), "ci95": interval }), &["year", "p", "ci95"]);
    let event = object(
        json!({
            "description": string(),
            "by_horizon": reference("Chance"),
            "by_year": { "type": "array", "items": by_year },
            "median_year": { "type": "integer", "nullable": true },
            "median_year_ci95": year_interval,
            "never": num(),
        }),
        &["by_horizon", "by_year", "median_year", "median_year_ci95", "never"],
    );
    let mut fan_year = serde_json::Map::new();
    fan_year.insert("year".into(), int());
    for k in ["mean", "se"].iter().chain(&PERCENTILES) {
        fan_year.insert((*k).into(), num());
    }
    let mut fan_required = vec!["year", "mean", "se"];
    fan_required.extend(PERCENTILES);
    let series = object(
        json!({
            "description": string(),
            "unit": string(),
            "quantile_relative_error": num(),
            "years": { "type": "array", "items": object(Value::Object(fan_year), &fan_required) },
        }),
        &["description", "unit", "years"],
    );
    let built_by = object(
        json!({ "year": int(), "hits": int(), "n": int(), "p": num(), "se": num(), "ci95": interval }),
        &["year", "hits", "n", "p", "se", "ci95"],
    );
    let project = object(
        json!({
            "id": string(), "name": string(), "deposit": string(), "start_stage": string(),
            "built_by": { "type": "array", "items": built_by },
            "first_production": reference("Event"),
            "npv": reference("Distribution"),
            "occupied": reference("Chance"),
            "abandoned": reference("Chance"),
        }),
        &[
            "id",
            "name",
            "deposit",
            "start_stage",
            "built_by",
            "first_production",
            "npv",
            "occupied",
            "abandoned",
        ],
    );
    let header = json!({
        "paths": int(), "seed": int(), "sampler": string(), "block_size": int(), "blocks": int(),
        "se_method": string(), "partial_block_paths": int(), "se_partial_block": string(),
        "start_year": int(), "end_year": int(), "base_year": int(),
    });
    let header_required = [
        "paths",
        "seed",
        "sampler",
        "block_size",
        "blocks",
        "se_method",
        "partial_block_paths",
        "se_partial_block",
        "start_year",
        "end_year",
        "base_year",
    ];
    let mut manifest = header.as_object().cloned().unwrap_or_default();
    for (k, v) in [
        ("subsoil_version", string()),
        ("scenario", string()),
        ("scenario_hash", string()),
        ("layers", strings()),
        ("sets", strings()),
        ("mode", json!({ "type": "string", "enum": ["monte-carlo"] })),
        ("terminal_value", string()),
        ("discounting", string()),
        ("currency", string()),
    ] {
        manifest.insert(k.into(), v);
    }
    let mut manifest_required = header_required.to_vec();
    manifest_required.extend([
        "subsoil_version",
        "scenario",
        "scenario_hash",
        "layers",
        "sets",
        "mode",
        "terminal_value",
        "discounting",
        "currency",
    ]);
    let run_result = object(
        json!({
            "manifest": object(Value::Object(manifest), &manifest_required),
            "units": string(),
            "warnings": strings(),
            "metrics": by_name("Metric"),
            "probabilities": by_name("Chance"),
            "series": by_name("Series"),
            "events": by_name("Event"),
            "projects": { "type": "array", "items": project },
        }),
        &["manifest", "units", "metrics", "probabilities", "series", "events", "projects"],
    );
    let difference = object(
        json!({ "mean": num(), "n": int(), "se_paired": num(), "se_unpaired": num() }),
        &["mean", "n", "se_paired", "se_unpaired"],
    );
    let compared_id = object(
        json!({
            "scenario": string(), "title": string(), "scenario_hash": string(), "layers": strings(),
            "start_year": int(), "end_year": int(), "base_year": int(),
        }),
        &["scenario", "title", "scenario_hash", "layers", "start_year", "end_year", "base_year"],
    );
    let mut compare_manifest = header.as_object().cloned().unwrap_or_default();
    compare_manifest.insert("subsoil_version".into(), string());
    compare_manifest.insert("mode".into(), json!({ "type": "string", "enum": ["compare"] }));
    compare_manifest.insert("sets".into(), strings());
    compare_manifest.insert("currency".into(), string());
    compare_manifest.insert("scenarios".into(), json!({ "type": "array", "items": compared_id }));
    let mut compare_required = header_required.to_vec();
    compare_required.extend(["subsoil_version", "mode", "sets", "currency", "scenarios"]);
    let keyed = |item: Value| json!({ "type": "object", "additionalProperties": item });
    let compare_result = object(
        json!({
            "manifest": object(Value::Object(compare_manifest), &compare_required),
            "units": string(),
            "scenarios": { "type": "array", "items": object(json!({
                "scenario": string(), "warnings": strings(),
                "metrics": by_name("Metric"), "probabilities": by_name("Chance"), "events": by_name("Event"),
            }), &["scenario", "metrics", "probabilities", "events"]) },
            "differences": { "type": "array", "items": object(json!({
                "scenario": string(), "from": string(),
                "metrics": keyed(difference.clone()), "probabilities": keyed(difference.clone()),
                "events": keyed(difference),
            }), &["scenario", "from", "metrics", "probabilities", "events"]) },
        }),
        &["manifest", "units", "scenarios", "differences"],
    );
    let sampler = json!({ "type": "string", "enum": ["random", "lhs", "latin-hypercube", "sobol"], "default": "random" });
    let sets = json!({
        "type": "array", "maxItems": limits.max_sets,
        "items": { "type": "string", "maxLength": MAX_SET_CHARS },
        "description": "Overrides `path=value`, as `--set` takes them, applied in order after the levers'.",
    });
    let paths = |most: u64| json!({ "type": "integer", "minimum": 1, "maximum": most, "default": DEFAULT_PATHS.min(most) });
    let seed = json!({ "type": "integer", "minimum": 0, "maximum": u64::MAX, "default": 1 });
    let run_request = json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "scenario": { "type": "string", "enum": subsoil_scenario::builtin::scenario_names(), "description": "A built-in scenario's name (GET /api/scenarios); the default scenario when neither this nor `toml` is given." },
            "toml": { "type": "string", "description": "A scenario file's text; it may extend built-in layers by name and reads no files." },
            "sets": sets,
            "levers": { "type": "array", "maxItems": limits.max_sets, "items": { "type": "string", "maxLength": 200 }, "description": "Levers of the scenario to pull, by name (at most one of a group)." },
            "paths": paths(limits.max_paths),
            "seed": seed,
            "sampler": sampler,
            "session": { "type": "string", "maxLength": 100, "description": "The asking page: a newer streamed request from the same page cancels this one." },
        },
    });
    let compare_request = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["scenarios"],
        "properties": {
            "scenarios": { "type": "array", "minItems": 2, "maxItems": MAX_COMPARED, "items": { "oneOf": [
                builtin(),
                { "type": "object", "additionalProperties": false, "properties": { "scenario": builtin() }, "required": ["scenario"] },
                { "type": "object", "additionalProperties": false, "properties": { "toml": string() }, "required": ["toml"] },
            ] } },
            "sets": sets,
            "paths": { "type": "integer", "minimum": 1, "maximum": (limits.max_paths / 2).max(1), "default": DEFAULT_PATHS.min((limits.max_paths / 2).max(1)), "description": "Paths under each scenario; paths times scenarios is at most the server's cap." },
            "seed": seed,
            "sampler": sampler,
        },
    });
    let located = object(
        json!({
            "file": { "type": "string", "nullable": true },
            "line": { "type": "integer", "nullable": true },
            "column": { "type": "integer", "nullable": true },
            "field": string(),
            "message": string(),
        }),
        &["file", "line", "column", "field", "message"],
    );
    let lever = object(
        json!({ "name": string(), "label": string(), "group": { "type": "string", "nullable": true }, "sets": strings() }),
        &["name", "label", "group", "sets"],
    );
    let control = object(
        json!({
            "id": string(), "label": string(), "unit": string(),
            "min": { "type": "number" }, "max": { "type": "number" }, "step": { "type": "number" },
            "median": num(),
            "targets": { "type": "array", "items": object(json!({ "field": string(), "times": { "type": "number" } }), &["field", "times"]) },
        }),
        &["id", "label", "unit", "min", "max", "step", "median", "targets"],
    );
    let input = object(
        json!({
            "name": string(), "distribution": string(), "p5": num(), "median": num(), "mean": num(),
            "p95": num(), "unit": string(), "field": { "type": "string", "nullable": true },
            "provenance": string(), "source": string(),
        }),
        &[
            "name",
            "distribution",
            "p5",
            "median",
            "mean",
            "p95",
            "unit",
            "field",
            "provenance",
            "source",
        ],
    );
    let scenario = object(
        json!({
            "name": string(), "title": string(), "description": string(), "scenario_hash": string(),
            "layers": strings(), "file": string(), "toml": string(),
            "levers": { "type": "array", "items": lever },
            "controls": { "type": "array", "items": control },
            "inputs": { "type": "array", "items": input },
        }),
        &[
            "name",
            "title",
            "description",
            "scenario_hash",
            "layers",
            "file",
            "toml",
            "levers",
            "controls",
            "inputs",
        ],
    );
    let feature = object(
        json!({
            "type": { "type": "string", "enum": ["Feature"] },
            "id": string(),
            "geometry": { "type": "object", "nullable": true, "properties": {
                "type": { "type": "string", "enum": ["Point"] },
                "coordinates": { "type": "array", "items": { "type": "number" }, "minItems": 2, "maxItems": 2 },
            }, "required": ["type", "coordinates"] },
            "properties": object(json!({
                "id": string(), "name": string(), "commodities": strings(), "oblasts": strings(),
                "stage": string(), "control": string(), "coords_approximate": { "type": "boolean" },
            }), &["id", "name", "commodities", "oblasts", "stage", "control", "coords_approximate"]),
        }),
        &["type", "id", "geometry", "properties"],
    );
    json!({
        "Error": object(
            json!({ "error": string(), "field": { "type": "string", "nullable": true }, "errors": { "type": "array", "items": located } }),
            &["error", "field"],
        ),
        "Chance": chance,
        "Distribution": distribution(&[], &[]),
        "Metric": distribution(&[("description", string()), ("unit", string())], &["description", "unit"]),
        "Event": event,
        "Series": series,
        "RunRequest": run_request,
        "RunResult": run_result,
        "CompareRequest": compare_request,
        "CompareResult": compare_result,
        "ScenarioList": object(json!({
            "default": string(),
            "scenarios": { "type": "array", "items": object(json!({ "name": string(), "about": string() }), &["name", "about"]) },
        }), &["default", "scenarios"]),
        "Scenario": scenario,
        "Deposits": object(json!({
            "type": { "type": "string", "enum": ["FeatureCollection"] },
            "scenario": string(),
            "features": { "type": "array", "items": feature },
        }), &["type", "scenario", "features"]),
    })
}

/// The document, with the server's limits written into it.
pub fn document(limits: &Limits) -> Value {
    let refused =
        |what: &str| error(&format!("refused: {what} (`field` names the request field at fault)"));
    let run_errors = |ok: Value| {
        json!({
            "200": ok,
            "400": refused("a malformed body or a scenario that does not load (every problem located under `errors`)"),
            "404": refused("no built-in scenario of that name"),
            "408": refused("the run took longer than the server allows"),
            "409": refused("a newer request from the same page replaced this one"),
            "413": refused("a body, a list of overrides or a number of paths beyond the server's limits"),
            "429": refused("as many runs as the server allows are under way"),
            "503": refused("the worker threads could not start"),
        })
    };
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "subsoil",
            "version": env!("CARGO_PKG_VERSION"),
            "description": format!(
                "Monte Carlo runs of minerals-for-aid deals. Answers are the JSON of `subsoil run --format json` \
                 and `subsoil compare --format json`. Limits of this server: {} bytes a body, {} paths a request \
                 (a comparison: paths times scenarios), {} overrides, {} runs at once, {} s a run.",
                limits.max_body_bytes, limits.max_paths, limits.max_sets, limits.concurrent_runs,
                limits.wall_time.as_secs()
            ),
        },
        "paths": {
            "/api/scenarios": { "get": {
                "summary": "The built-in scenarios",
                "responses": { "200": answer("names and what each is", reference("ScenarioList")) },
            } },
            "/api/scenarios/{name}": { "get": {
                "summary": "A built-in scenario: its TOML, inputs, levers and the page's controls",
                "parameters": [{ "name": "name", "in": "path", "required": true, "schema": builtin() }],
                "responses": {
                    "200": answer("the scenario", reference("Scenario")),
                    "404": refused("no built-in scenario of that name"),
                },
            } },
            "/api/scenario": { "post": {
                "summary": "A scenario file's text, checked and described as a built-in is (its problems located when it does not load)",
                "requestBody": { "required": true, "content": { "application/json": { "schema": {
                    "type": "object", "additionalProperties": false, "required": ["toml"],
                    "properties": { "toml": string() },
                } } } },
                "responses": {
                    "200": answer("the scenario", reference("Scenario")),
                    "400": refused("a malformed body or a scenario that does not load (every problem located under `errors`)"),
                    "413": refused("a body beyond the server's limit"),
                },
            } },
            "/api/run": { "post": {
                "summary": "One Monte Carlo run (the JSON of `subsoil run --format json`)",
                "requestBody": { "required": true, "content": { "application/json": { "schema": reference("RunRequest") } } },
                "responses": run_errors(answer("the run", reference("RunResult"))),
            } },
            "/api/run/stream": { "post": {
                "summary": "One Monte Carlo run, answered block by block",
                "description": "Newline-delimited JSON: one line per block boundary, `{\"paths\", \"of\", \"final\", \"result\", \"html\"}`, `result` being the run's JSON after that many paths; a line `{\"error\", \"field\"}` if it stops.",
                "requestBody": { "required": true, "content": { "application/json": { "schema": reference("RunRequest") } } },
                "responses": {
                    "200": { "description": "lines of JSON", "content": { "application/x-ndjson": { "schema": string() } } },
                    "400": refused("a malformed body or a scenario that does not load"),
                    "404": refused("no built-in scenario of that name"),
                    "413": refused("beyond the server's limits"),
                    "429": refused("as many runs as the server allows are under way"),
                },
            } },
            "/api/compare": { "post": {
                "summary": "Several scenarios on common random numbers (the JSON of `subsoil compare --format json`)",
                "requestBody": { "required": true, "content": { "application/json": { "schema": reference("CompareRequest") } } },
                "responses": run_errors(answer("the comparison", reference("CompareResult"))),
            } },
            "/api/deposits": { "get": {
                "summary": "A built-in scenario's deposits as GeoJSON",
                "parameters": [{ "name": "scenario", "in": "query", "required": false, "schema": builtin() }],
                "responses": {
                    "200": { "description": "one feature per deposit; no geometry where the data give no coordinates",
                             "content": { "application/geo+json": { "schema": reference("Deposits") } } },
                    "400": refused("the scenario does not load"),
                    "404": refused("no built-in scenario of that name"),
                },
            } },
            "/api/openapi.json": { "get": {
                "summary": "This document",
                "responses": { "200": answer("the OpenAPI document", json!({ "type": "object" })) },
            } },
        },
        "components": { "schemas": schemas(limits) },
    })
}
