//! `subsoil serve`: a local web page and a JSON API over the engine.
//!
//! A thin axum layer. Every simulation runs on the blocking pool (`spawn_blocking`), never on the async
//! threads; at most [`Limits::concurrent_runs`] run at once (a semaphore), each within
//! [`Limits::wall_time`] (a timer sets the run's cancel flag), [`Limits::max_paths`] paths and a body
//! of [`Limits::max_body_bytes`]. Going past a limit is a 4xx answer `{"error": ..., "field": ...}`.
//! Answers are kept in a bounded cache keyed by the canonical request, so a repeated request is
//! answered without running.
//!
//! The server knows no output format of its own: the JSON of a run and of a comparison is the CLI's
//! (`subsoil run --format json`, `subsoil compare --format json`), handed in as [`Render`], so the two
//! cannot drift apart.

mod api;
pub mod cache;
mod controls;
mod engine;
pub mod error;
mod geo;
mod levers;
pub mod openapi;
mod page;
pub mod request;
pub mod stream;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::Value;
use subsoil_engine::{CompareResult, RunResult};
use subsoil_scenario::Scenario;

pub use error::ApiError;

/// How the CLI writes results as JSON; the server answers with exactly these.
#[derive(Clone, Copy)]
pub struct Render {
    /// What `subsoil run --format json` prints for a Monte Carlo run of a scenario with these `--set`s.
    pub run: fn(&Scenario, &[String], &RunResult) -> Value,
    /// What `subsoil run --out DIR` writes as `summary.json` (the run's JSON with the record the report
    /// draws from: the deal's terms, the inputs, the map), with the command that reproduces the run.
    pub summary: fn(&Scenario, &[String], &RunResult, String) -> Value,
    /// What `subsoil compare --format json` prints.
    pub compare: fn(&[Scenario], &[String], &CompareResult) -> Value,
    /// What `subsoil inputs --format json` lists: every uncertain input of a scenario.
    pub inputs: fn(&Scenario) -> Value,
}

/// What the server accepts.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest request body.
    pub max_body_bytes: usize,
    /// Most paths one request runs (for a comparison: paths times scenarios).
    pub max_paths: u64,
    /// Most `--set` overrides (and levers) one request gives.
    pub max_sets: usize,
    /// Longest a run may take before it is cancelled.
    pub wall_time: Duration,
    /// Runs under way at once; more wait up to [`Limits::queue_wait`], then are refused.
    pub concurrent_runs: usize,
    /// How long a request waits for a free run before it is refused.
    pub queue_wait: Duration,
    /// Answers kept in the cache.
    pub cache_entries: usize,
    /// Bytes of answers kept in the cache.
    pub cache_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_body_bytes: 1 << 20,
            max_paths: 200_000,
            max_sets: 200,
            wall_time: Duration::from_secs(120),
            concurrent_runs: 2,
            queue_wait: Duration::from_secs(10),
            cache_entries: 64,
            cache_bytes: 64 << 20,
        }
    }
}

/// What every handler shares.
pub struct State {
    limits: Limits,
    render: Render,
    runs: Arc<tokio::sync::Semaphore>,
    cache: Mutex<cache::Lru>,
    /// The cancel flag of the run under way for each page.
    sessions: Mutex<std::collections::HashMap<String, Arc<AtomicBool>>>,
}

impl State {
    /// A server's shared state.
    pub fn new(limits: Limits, render: Render) -> Arc<State> {
        Arc::new(State {
            limits,
            render,
            runs: Arc::new(tokio::sync::Semaphore::new(limits.concurrent_runs.max(1))),
            cache: Mutex::new(cache::Lru::new(limits.cache_entries, limits.cache_bytes)),
            sessions: Mutex::new(std::collections::HashMap::new()),
        })
    }

    fn cached(&self, key: &str) -> Option<Arc<Vec<u8>>> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner).get(key)
    }

    fn keep(&self, key: String, value: Arc<Vec<u8>>) {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner).put(key, value);
    }

    /// Makes `cancel` the flag of `session`'s run under way, cancelling the run it had.
    fn supersede(&self, session: &str, cancel: &Arc<AtomicBool>) {
        let mut s = self.sessions.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(old) = s.insert(session.to_string(), Arc::clone(cancel)) {
            old.store(true, Ordering::Relaxed);
        }
    }

    /// Forgets `session`'s run once it is over, unless a newer one took its place.
    fn forget(&self, session: Option<&str>, cancel: &Arc<AtomicBool>) {
        let Some(session) = session else { return };
        let mut s = self.sessions.lock().unwrap_or_else(PoisonError::into_inner);
        if s.get(session).is_some_and(|f| Arc::ptr_eq(f, cancel)) {
            s.remove(session);
        }
    }
}

/// The application: the page, its assets and the API.
pub fn router(state: Arc<State>) -> axum::Router {
    api::routes(state)
}

/// Serves `router(state)` on `listener` until the process ends.
///
/// # Errors
///
/// When the listener fails.
pub async fn serve(listener: tokio::net::TcpListener, state: Arc<State>) -> std::io::Result<()> {
    axum::serve(listener, router(state)).await
}

/// Binds `host:port` (port 0: a free port), calls `ready` with the address bound, and serves until the
/// process ends, on a runtime of its own: two threads for the async work; simulations run on the
/// blocking pool, each with its own worker threads.
///
/// # Errors
///
/// When the address cannot be bound or the listener fails.
pub fn run(
    host: &str,
    port: u16,
    state: Arc<State>,
    ready: impl FnOnce(std::net::SocketAddr),
) -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(state.limits.concurrent_runs.max(1) * 2 + 4)
        .enable_all()
        .thread_name("subsoil-serve")
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind((host, port)).await?;
        ready(listener.local_addr()?);
        serve(listener, state).await
    })
}
