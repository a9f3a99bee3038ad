//! The routes: the JSON API and the page.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State as Shared};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use subsoil_engine::{RunError, RunResult};
use subsoil_scenario::{Scenario, builtin};

use crate::error::ApiError;
use crate::request::{self, RunRequest};
use crate::{State, geo, openapi};

pub(crate) fn routes(state: Arc<State>) -> axum::Router {
    let limit = state.limits.max_body_bytes;
    axum::Router::new()
        .route("/", get(crate::page::index))
        .route("/app.js", get(crate::page::app_js))
        .route("/app.css", get(crate::page::app_css))
        .route("/report.css", get(crate::page::report_css))
        .route("/api/scenarios", get(scenarios))
        .route("/api/scenario", post(uploaded))
        .route("/api/scenarios/{name}", get(scenario))
        .route("/api/run", post(run))
        .route("/api/run/stream", post(crate::stream::run))
        .route("/api/compare", post(compare))
        .route("/api/deposits", get(deposits))
        .route("/api/openapi.json", get(openapi_json))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

/// A JSON answer.
pub(crate) fn json_bytes(status: StatusCode, body: impl Into<axum::body::Body>) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body.into()).into_response()
}

fn json_value(v: &Value) -> Response {
    json_bytes(StatusCode::OK, serde_json::to_vec(v).unwrap_or_default())
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        None,
        "no such page or API route; the API is described at /api/openapi.json",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        None,
        "this route does not answer that method; /api/openapi.json lists the methods of each route",
    )
}

/// The bytes of a body within the limit, or a 413.
pub(crate) fn body(b: Result<Bytes, BytesRejection>, limit: usize) -> Result<Bytes, ApiError> {
    b.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                Some("body"),
                format!("the body is larger than this server accepts ({limit} bytes)"),
            )
        } else {
            ApiError::new(e.status(), Some("body"), format!("cannot read the body: {e}"))
        }
    })
}

async fn scenarios() -> Response {
    let list: Vec<Value> = builtin::SCENARIOS
        .iter()
        .map(|(name, about)| json!({ "name": name, "about": about }))
        .collect();
    json_value(&json!({ "default": builtin::DEFAULT_SCENARIO, "scenarios": list }))
}

async fn scenario(
    Shared(st): Shared<Arc<State>>,
    name: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(name) = name.map_err(|e| ApiError::bad("name", e.body_text()))?;
    let source = request::builtin_name(&name, "name")?;
    let path = builtin::layer_path(&name).unwrap_or_default();
    let toml = builtin::file(path).unwrap_or_default().to_string();
    let s = blocking(move || source.load(&[]).map_err(|e| ApiError::scenario(&e))).await??;
    let mut v = describe(&st, &s);
    v["toml"] = Value::String(toml);
    v["file"] = Value::String(path.to_string());
    Ok(json_value(&v))
}

/// `POST /api/scenario {"toml": ...}`: an uploaded scenario checked and described as a built-in is, or
/// its problems located.
async fn uploaded(
    Shared(st): Shared<Arc<State>>,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let b = body(b, st.limits.max_body_bytes)?;
    let text = request::upload(&b)?;
    let source = request::Source::Text(text.clone());
    let s = blocking(move || source.load(&[]).map_err(|e| ApiError::scenario(&e))).await??;
    let mut v = describe(&st, &s);
    v["toml"] = Value::String(text);
    v["file"] = Value::String(request::UPLOAD_NAME.into());
    Ok(json_value(&v))
}

/// What the page shows of a scenario before it runs: names, layers, inputs, levers and controls.
pub(crate) fn describe(st: &State, s: &Scenario) -> Value {
    json!({
        "name": s.name,
        "title": s.title,
        "description": s.description,
        "scenario_hash": s.hash,
        "layers": s.layers,
        "levers": s.levers.iter().map(|l| json!({
            "name": l.name, "label": l.label, "group": l.group, "sets": l.sets,
        })).collect::<Vec<_>>(),
        "controls": crate::controls::controls(s),
        "inputs": (st.render.inputs)(s),
    })
}

#[derive(serde::Deserialize)]
struct DepositsQuery {
    scenario: Option<String>,
}

async fn deposits(q: Result<Query<DepositsQuery>, QueryRejection>) -> Result<Response, ApiError> {
    let q = q.map_err(|e| ApiError::bad("scenario", e.body_text()))?;
    let name = q.0.scenario.unwrap_or_else(|| builtin::DEFAULT_SCENARIO.to_string());
    let source = request::builtin_name(&name, "scenario")?;
    let s = blocking(move || source.load(&[]).map_err(|e| ApiError::scenario(&e))).await??;
    Ok(json_bytes(StatusCode::OK, serde_json::to_vec(&geo::deposits(&s)).unwrap_or_default())
        .map_or_geojson())
}

trait GeoJson {
    fn map_or_geojson(self) -> Response;
}

impl GeoJson for Response {
    fn map_or_geojson(mut self) -> Response {
        self.headers_mut()
            .insert(header::CONTENT_TYPE, header::HeaderValue::from_static("application/geo+json"));
        self
    }
}

async fn openapi_json(Shared(st): Shared<Arc<State>>) -> Response {
    json_value(&openapi::document(&st.limits))
}

/// Runs `f` on the blocking pool; a worker that panics is a 500, never a dropped connection.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::internal(format!("the worker failed: {e}")))
}

/// A permit to run, waiting at most the queue time.
pub(crate) async fn permit(st: &State) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
    let wait = st.limits.queue_wait;
    match tokio::time::timeout(wait, Arc::clone(&st.runs).acquire_owned()).await {
        Ok(Ok(p)) => Ok(p),
        _ => Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            None,
            format!(
                "{} runs are under way, the most this server runs at once, and none ended within {} s; \
                 try again shortly",
                st.limits.concurrent_runs,
                wait.as_secs()
            ),
        )),
    }
}

/// Sets its flag when dropped: a handler whose client went away cancels its run.
pub(crate) struct CancelOnDrop(pub Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// A timer that cancels a run once the wall time is up, and says whether it did.
pub(crate) struct Deadline {
    pub timed_out: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Deadline {
    pub(crate) fn start(st: &State, cancel: &Arc<AtomicBool>) -> Deadline {
        let timed_out = Arc::new(AtomicBool::new(false));
        let (flag, cancel, wait) =
            (Arc::clone(&timed_out), Arc::clone(cancel), st.limits.wall_time);
        let task = tokio::spawn(async move {
            tokio::time::sleep(wait).await;
            flag.store(true, Ordering::Relaxed);
            cancel.store(true, Ordering::Relaxed);
        });
        Deadline { timed_out, task }
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The error of a run that did not finish.
pub(crate) fn run_error(e: RunError, st: &State, timed_out: bool) -> ApiError {
    match e {
        RunError::Threads(m) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            None,
            format!("cannot start the worker threads: {m}"),
        ),
        e if crate::engine::cancelled(&e) => {
            if timed_out {
                ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    Some("paths"),
                    format!(
                        "the run took longer than this server allows ({} s) and was stopped; ask for fewer paths",
                        st.limits.wall_time.as_secs()
                    ),
                )
            } else {
                ApiError::new(
                    StatusCode::CONFLICT,
                    Some("session"),
                    "a newer request from the same page replaced this one",
                )
            }
        }
        e => ApiError::bad("scenario", e.to_string()),
    }
}

/// The scenario of `req` with its levers pulled and its overrides applied, and the overrides as a list
/// of `--set` strings that reproduce it on the command line (the levers' first, then the request's).
pub(crate) fn load(req: &RunRequest) -> Result<(Scenario, Vec<String>), ApiError> {
    let sets = crate::levers::expand(&req.source, &req.levers, &req.sets)?;
    let s = req.source.load(&sets).map_err(|e| ApiError::scenario(&e))?;
    Ok((s, sets))
}

async fn run(
    Shared(st): Shared<Arc<State>>,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let b = body(b, st.limits.max_body_bytes)?;
    let req = request::run(&b, &st.limits)?;
    let key = req.key("run");
    if let Some(hit) = st.cached(&key) {
        return Ok(json_bytes(StatusCode::OK, hit.to_vec()));
    }
    let permit = permit(&st).await?;
    let cancel = Arc::new(AtomicBool::new(false));
    let _gone = CancelOnDrop(Arc::clone(&cancel));
    let deadline = Deadline::start(&st, &cancel);
    let shared = Arc::clone(&st);
    let flag = Arc::clone(&cancel);
    let out = blocking(move || {
        let _permit = permit;
        let (s, sets) = load(&req)?;
        let result: Result<RunResult, RunError> =
            crate::engine::run(&s, &req.config, &flag, &|_| true);
        Ok::<_, ApiError>((s, sets, result))
    })
    .await??;
    let (s, sets, result) = out;
    let result =
        result.map_err(|e| run_error(e, &st, deadline.timed_out.load(Ordering::Relaxed)))?;
    let bytes =
        Arc::new(serde_json::to_vec(&(shared.render.run)(&s, &sets, &result)).unwrap_or_default());
    st.keep(key, Arc::clone(&bytes));
    Ok(json_bytes(StatusCode::OK, bytes.to_vec()))
}

async fn compare(
    Shared(st): Shared<Arc<State>>,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let b = body(b, st.limits.max_body_bytes)?;
    let req = request::compare(&b, &st.limits)?;
    let key = req.key();
    if let Some(hit) = st.cached(&key) {
        return Ok(json_bytes(StatusCode::OK, hit.to_vec()));
    }
    let permit = permit(&st).await?;
    let render = st.render;
    // Stopped within a chunk when the wall time runs out or the client goes away, like a run.
    let cancel = Arc::new(AtomicBool::new(false));
    let _gone = CancelOnDrop(Arc::clone(&cancel));
    let deadline = Deadline::start(&st, &cancel);
    let timed_out = Arc::clone(&deadline.timed_out);
    let shared = Arc::clone(&st);
    let bytes = blocking(move || {
        let _permit = permit;
        let mut scenarios = Vec::with_capacity(req.sources.len());
        for (i, source) in req.sources.iter().enumerate() {
            match source.load(&req.sets) {
                Ok(s) => scenarios.push(s),
                Err(e) => {
                    let mut e = ApiError::scenario(&e);
                    e.error = format!("scenarios[{i}]: {}", e.error);
                    return Err(e);
                }
            }
        }
        let refs: Vec<&Scenario> = scenarios.iter().collect();
        let r =
            subsoil_engine::compare_cancellable(&refs, &req.config, &cancel).map_err(
                |e| match e {
                    e @ (RunError::Threads(_) | RunError::Cancelled) => {
                        run_error(e, &shared, timed_out.load(Ordering::Relaxed))
                    }
                    e => ApiError::bad("scenarios", e.to_string()),
                },
            )?;
        Ok(serde_json::to_vec(&(render.compare)(&scenarios, &req.sets, &r)).unwrap_or_default())
    })
    .await??;
    let bytes = Arc::new(bytes);
    st.keep(key, Arc::clone(&bytes));
    Ok(json_bytes(StatusCode::OK, bytes.to_vec()))
}
