//! The bodies of `POST /api/run` and `POST /api/compare`, checked field by field so that a refusal names
//! the field at fault, and the canonical form of a request that keys the cache.

use serde_json::{Map, Value};
use subsoil_engine::{DEFAULT_BLOCK_SIZE, RunConfig, SamplerKind};
use subsoil_scenario::{LoadError, Scenario, builtin};

use crate::Limits;
use crate::error::ApiError;

/// Paths of a run when a request names none (as `subsoil run`).
pub const DEFAULT_PATHS: u64 = 10_000;

/// Longest `--set` string accepted.
pub const MAX_SET_CHARS: usize = 1_000;

/// Name an uploaded scenario is shown under in messages.
pub const UPLOAD_NAME: &str = "upload.toml";

/// Where a scenario comes from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// A built-in scenario, by name.
    Builtin(String),
    /// A scenario given as TOML text; it may extend built-in layers only.
    Text(String),
}

impl Source {
    /// Loads the scenario with `sets`.
    pub fn load(&self, sets: &[String]) -> Result<Scenario, LoadError> {
        match self {
            Source::Builtin(name) => subsoil_scenario::load(name, sets),
            Source::Text(text) => subsoil_scenario::load_text(UPLOAD_NAME, text, sets),
        }
    }

    fn canonical(&self) -> Value {
        match self {
            Source::Builtin(name) => serde_json::json!({ "scenario": name }),
            Source::Text(text) => serde_json::json!({ "toml": text }),
        }
    }
}

/// A checked request for one run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRequest {
    /// The scenario.
    pub source: Source,
    /// `--set` overrides, in order, after the scenario's levers.
    pub sets: Vec<String>,
    /// Levers of the scenario to pull (by name), each standing for its list of overrides.
    pub levers: Vec<String>,
    /// Paths, seed and sampler.
    pub config: RunConfig,
    /// The page that asked, if any: a newer request from the same page cancels this one.
    pub session: Option<String>,
}

impl RunRequest {
    /// The cache key: every field that changes the answer, in a fixed order.
    pub fn key(&self, kind: &str) -> String {
        serde_json::json!([
            kind,
            self.source.canonical(),
            self.levers,
            self.sets,
            self.config.paths,
            self.config.seed,
            self.config.sampler.to_string()
        ])
        .to_string()
    }
}

/// A checked request for a comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareRequest {
    /// The scenarios, differences taken from the first.
    pub sources: Vec<Source>,
    /// `--set` overrides applied to every scenario.
    pub sets: Vec<String>,
    /// Paths, seed and sampler shared by every scenario.
    pub config: RunConfig,
}

impl CompareRequest {
    /// The cache key.
    pub fn key(&self) -> String {
        let sources: Vec<Value> = self.sources.iter().map(Source::canonical).collect();
        serde_json::json!([
            "compare",
            sources,
            self.sets,
            self.config.paths,
            self.config.seed,
            self.config.sampler.to_string()
        ])
        .to_string()
    }
}

/// The JSON object of a request body.
fn object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad("body", format!("the body is not valid JSON: {e}")))?;
    match v {
        Value::Object(m) => Ok(m),
        other => Err(ApiError::bad(
            "body",
            format!("expected a JSON object, found {}", type_name(&other)),
        )),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn only(m: &Map<String, Value>, known: &[&str]) -> Result<(), ApiError> {
    match m.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(ApiError::bad(
            k,
            format!("unknown field {:?}; expected one of: {}", clip(k), known.join(", ")),
        )),
        None => Ok(()),
    }
}

fn clip(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

fn string<'a>(m: &'a Map<String, Value>, field: &str) -> Result<Option<&'a str>, ApiError> {
    match m.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => {
            Err(ApiError::bad(field, format!("expected a string, found {}", type_name(other))))
        }
    }
}

fn whole(
    m: &Map<String, Value>,
    field: &str,
    lo: u64,
    hi: u64,
    default: u64,
) -> Result<u64, ApiError> {
    match m.get(field) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(v) if (lo..=hi).contains(&v) => Ok(v),
            // A number with a fraction (4096.5) is not out of range: it is not whole.
            None if n.as_f64().is_some_and(|x| x.fract() != 0.0) => Err(ApiError::bad(
                field,
                format!("{n} is not a whole number; expected a whole number from {lo} to {hi}"),
            )),
            _ => Err(ApiError::bad(
                field,
                format!("{n} is out of range; expected a whole number from {lo} to {hi}"),
            )),
        },
        Some(other) => Err(ApiError::bad(
            field,
            format!("expected a whole number from {lo} to {hi}, found {}", type_name(other)),
        )),
    }
}

fn strings(
    m: &Map<String, Value>,
    field: &str,
    most: usize,
    longest: usize,
) -> Result<Vec<String>, ApiError> {
    let items = match m.get(field) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(a)) => a,
        Some(other) => {
            return Err(ApiError::bad(
                field,
                format!("expected an array of strings, found {}", type_name(other)),
            ));
        }
    };
    if items.len() > most {
        return Err(ApiError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            Some(field),
            format!("{} entries; at most {most} are accepted", items.len()),
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            Value::String(s) if s.chars().count() <= longest => Ok(s.clone()),
            Value::String(_) => Err(ApiError::bad(
                &format!("{field}[{i}]"),
                format!("longer than {longest} characters"),
            )),
            other => Err(ApiError::bad(
                &format!("{field}[{i}]"),
                format!("expected a string, found {}", type_name(other)),
            )),
        })
        .collect()
}

/// A built-in scenario's name, checked: the server never reads a scenario from a path on its disk.
pub fn builtin_name(name: &str, field: &str) -> Result<Source, ApiError> {
    if builtin::scenario_names().contains(&name) {
        Ok(Source::Builtin(name.to_string()))
    } else {
        Err(ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            Some(field),
            format!(
                "no built-in scenario named {:?}; built-ins: {} (send a scenario of your own as `toml`)",
                clip(name),
                builtin::scenario_names().join(", ")
            ),
        ))
    }
}

fn source(m: &Map<String, Value>, prefix: &str) -> Result<Source, ApiError> {
    let at = |f: &str| format!("{prefix}{f}");
    match (
        string(m, "scenario").map_err(|e| rename(e, &at("scenario")))?,
        string(m, "toml").map_err(|e| rename(e, &at("toml")))?,
    ) {
        (Some(_), Some(_)) => Err(ApiError::bad(
            &at("toml"),
            "give either `scenario` (a built-in name) or `toml`, not both",
        )),
        (Some(name), None) => builtin_name(name, &at("scenario")),
        (None, Some(text)) => Ok(Source::Text(text.to_string())),
        (None, None) => Ok(Source::Builtin(builtin::DEFAULT_SCENARIO.to_string())),
    }
}

fn rename(mut e: ApiError, field: &str) -> ApiError {
    e.field = Some(field.to_string());
    e
}

fn config(m: &Map<String, Value>, limits: &Limits, scenarios: u64) -> Result<RunConfig, ApiError> {
    let most = (limits.max_paths / scenarios.max(1)).max(1);
    let beyond = m.get("paths").and_then(Value::as_u64).is_some_and(|p| p > most);
    let paths = match whole(
        m,
        "paths",
        1,
        if beyond { u64::MAX } else { most },
        DEFAULT_PATHS.min(most),
    ) {
        Ok(p) if p > most => Err(ApiError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            Some("paths"),
            if scenarios > 1 {
                format!(
                    "{p} paths under {scenarios} scenarios is more than this server runs in one request \
                     ({} paths in all); ask for at most {most}",
                    limits.max_paths
                )
            } else {
                format!(
                    "{p} paths is more than this server runs in one request; ask for at most {most}"
                )
            },
        )),
        other => other,
    }?;
    let seed = whole(m, "seed", 0, u64::MAX, 1)?;
    let sampler = match string(m, "sampler")? {
        None | Some("random") => SamplerKind::Random,
        Some("lhs" | "latin-hypercube") => SamplerKind::LatinHypercube,
        Some("sobol") => SamplerKind::Sobol,
        Some(other) => {
            return Err(ApiError::bad(
                "sampler",
                format!("unknown sampler {:?}; expected random, lhs or sobol", clip(other)),
            ));
        }
    };
    Ok(RunConfig { paths, seed, threads: 0, sampler, block_size: DEFAULT_BLOCK_SIZE })
}

/// Reads the body of `POST /api/run` (and of its streaming form).
pub fn run(body: &[u8], limits: &Limits) -> Result<RunRequest, ApiError> {
    let m = object(body)?;
    only(&m, &["scenario", "toml", "sets", "levers", "paths", "seed", "sampler", "session"])?;
    let source = source(&m, "")?;
    let sets = strings(&m, "sets", limits.max_sets, MAX_SET_CHARS)?;
    let levers = strings(&m, "levers", limits.max_sets, 200)?;
    let config = config(&m, limits, 1)?;
    let session = strings_one(&m, "session")?;
    Ok(RunRequest { source, sets, levers, config, session })
}

fn strings_one(m: &Map<String, Value>, field: &str) -> Result<Option<String>, ApiError> {
    match string(m, field)? {
        Some(s) if s.chars().count() > 100 => {
            Err(ApiError::bad(field, "longer than 100 characters"))
        }
        s => Ok(s.map(str::to_string)),
    }
}

/// Reads the body of `POST /api/scenario`: `{"toml": text}`.
pub fn upload(body: &[u8]) -> Result<String, ApiError> {
    let m = object(body)?;
    only(&m, &["toml"])?;
    match string(&m, "toml")? {
        Some(t) => Ok(t.to_string()),
        None => Err(ApiError::bad("toml", "missing: expected the scenario file's text")),
    }
}

/// Most scenarios one comparison takes.
pub const MAX_COMPARED: usize = 6;

/// Reads the body of `POST /api/compare`.
pub fn compare(body: &[u8], limits: &Limits) -> Result<CompareRequest, ApiError> {
    let m = object(body)?;
    only(&m, &["scenarios", "sets", "paths", "seed", "sampler"])?;
    let list = match m.get("scenarios") {
        Some(Value::Array(a)) => a,
        Some(other) => {
            return Err(ApiError::bad(
                "scenarios",
                format!(
                    "expected an array of 2 to {MAX_COMPARED} scenarios, found {}",
                    type_name(other)
                ),
            ));
        }
        None => return Err(ApiError::bad("scenarios", "missing: expected an array of scenarios")),
    };
    if !(2..=MAX_COMPARED).contains(&list.len()) {
        return Err(ApiError::bad(
            "scenarios",
            format!(
                "{} scenario{}; a comparison takes 2 to {MAX_COMPARED}",
                list.len(),
                if list.len() == 1 { "" } else { "s" }
            ),
        ));
    }
    let mut sources = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let prefix = format!("scenarios[{i}].");
        let source = match item {
            Value::String(name) => builtin_name(name, &format!("scenarios[{i}]"))?,
            Value::Object(o) => {
                let known = ["scenario", "toml"];
                if let Some(k) = o.keys().find(|k| !known.contains(&k.as_str())) {
                    return Err(ApiError::bad(
                        &format!("{prefix}{k}"),
                        "unknown field; expected `scenario` or `toml`",
                    ));
                }
                if o.is_empty() {
                    return Err(ApiError::bad(
                        &format!("scenarios[{i}]"),
                        "expected `scenario` (a built-in name) or `toml`",
                    ));
                }
                source(o, &prefix)?
            }
            other => {
                return Err(ApiError::bad(
                    &format!("scenarios[{i}]"),
                    format!(
                        "expected a built-in name or an object with `scenario` or `toml`, found {}",
                        type_name(other)
                    ),
                ));
            }
        };
        sources.push(source);
    }
    let sets = strings(&m, "sets", limits.max_sets, MAX_SET_CHARS)?;
    let config = config(&m, limits, sources.len() as u64)?;
    Ok(CompareRequest { sources, sets, config })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits { max_paths: 2_000, ..Limits::default() }
    }

    #[test]
    fn a_refusal_names_the_field_at_fault() {
        let field = |body: &str| run(body.as_bytes(), &limits()).unwrap_err().field;
        assert_eq!(field(r#"{"paths": 0}"#).as_deref(), Some("paths"));
        assert_eq!(field(r#"{"paths": 2001}"#).as_deref(), Some("paths"));
        assert_eq!(field(r#"{"paths": "10"}"#).as_deref(), Some("paths"));
        assert_eq!(field(r#"{"sets": ["a=1", 2]}"#).as_deref(), Some("sets[1]"));
        assert_eq!(field(r#"{"sampler": "halton"}"#).as_deref(), Some("sampler"));
        assert_eq!(field(r#"{"scenario": "../etc/passwd"}"#).as_deref(), Some("scenario"));
        assert_eq!(
            field(r#"{"scenario": "ukraine-final-2025", "toml": ""}"#).as_deref(),
            Some("toml")
        );
        assert_eq!(field(r#"{"colour": 1}"#).as_deref(), Some("colour"));
        assert_eq!(field("[1]").as_deref(), Some("body"));
        assert_eq!(field("{").as_deref(), Some("body"));
    }

    #[test]
    fn a_refusal_says_what_is_wrong_with_the_value() {
        let message = |body: &str| run(body.as_bytes(), &limits()).unwrap_err().error;
        // A fraction is not whole, whatever its size; before, 4096.5 was "out of range".
        assert!(message(r#"{"paths": 100.5}"#).starts_with("100.5 is not a whole number"));
        assert!(message(r#"{"paths": -1}"#).starts_with("-1 is out of range"));
        let one = compare(br#"{"scenarios": ["ukraine-final-2025"]}"#, &limits()).unwrap_err();
        assert!(one.error.starts_with("1 scenario;"), "{}", one.error);
    }

    #[test]
    fn the_same_request_has_the_same_key_and_a_different_one_another() {
        let a = run(br#"{"paths": 100, "seed": 3, "sets": ["x=1"]}"#, &limits()).unwrap();
        let b = run(br#"{"sets": ["x=1"], "seed": 3, "paths": 100, "session": "p"}"#, &limits())
            .unwrap();
        let c = run(br#"{"paths": 100, "seed": 4, "sets": ["x=1"]}"#, &limits()).unwrap();
        assert_eq!(a.key("run"), b.key("run"));
        assert_ne!(a.key("run"), c.key("run"));
        assert_ne!(a.key("run"), a.key("stream"));
        assert_eq!(a.source, Source::Builtin(builtin::DEFAULT_SCENARIO.into()));
        assert_eq!(a.config.paths, 100);
    }

    #[test]
    fn a_comparison_shares_the_cap_on_paths_between_its_scenarios() {
        let body = br#"{"scenarios": ["ukraine-final-2025", {"scenario": "ukraine-mar-2025-draft"}], "paths": 1001}"#;
        let e = compare(body, &limits()).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("paths"));
        assert_eq!(e.status, axum::http::StatusCode::PAYLOAD_TOO_LARGE);
        let ok = br#"{"scenarios": ["ukraine-final-2025", {"scenario": "ukraine-mar-2025-draft"}], "paths": 1000}"#;
        assert_eq!(compare(ok, &limits()).unwrap().sources.len(), 2);
    }
}
