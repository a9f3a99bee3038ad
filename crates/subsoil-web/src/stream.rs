//! `POST /api/run/stream`: one run answered block by block, as newline-delimited JSON.
//!
//! Each line is the run after one more block of paths (`subsoil_engine::run_progressive`: the result
//! at a boundary equals a run of that many paths): `{"paths", "of", "final", "result", "html"}`, where
//! `result` is the JSON of `subsoil run --format json` for that many paths and `html` the report's
//! sections drawn from it (headline answers, the chance of each event by year, fan charts, projects,
//! map). A run that stops early ends with a line `{"error", "field"}`.
//!
//! A newer request with the same `session` (the same page) cancels the older one, whose workers stop
//! within one chunk of paths; so does a client that goes away (its body is dropped).

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::State as Shared;
use axum::extract::rejection::BytesRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use subsoil_engine::RunResult;
use subsoil_scenario::Scenario;
use tokio::sync::mpsc;

use crate::State;
use crate::api::{Deadline, blocking, body, load, permit, run_error};
use crate::error::ApiError;
use crate::request::{self, RunRequest, Source};

/// The report's sections a streamed line carries.
pub const SECTIONS: [&str; 5] = ["headline", "when", "fans", "projects", "map"];

/// Lines as they are produced; the stream ends when the run's sender is dropped.
struct Lines(mpsc::Receiver<Bytes>);

impl futures_core::Stream for Lines {
    type Item = Result<Bytes, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|line| line.map(Ok))
    }
}

fn ndjson(body: Body) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/x-ndjson"), (header::CACHE_CONTROL, "no-store")],
        body,
    )
        .into_response()
}

/// A command that reproduces the run of `req` with the overrides `sets` (levers expanded).
pub fn command(req: &RunRequest, sets: &[String]) -> String {
    let word = |s: &str| {
        if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c))
        {
            s.to_string()
        } else {
            format!("'{}'", s.replace('\'', "'\\''"))
        }
    };
    let scenario = match &req.source {
        Source::Builtin(name) => word(name),
        Source::Text(_) => request::UPLOAD_NAME.to_string(),
    };
    let sampler = match req.config.sampler {
        subsoil_engine::SamplerKind::Random => "random",
        subsoil_engine::SamplerKind::LatinHypercube => "lhs",
        subsoil_engine::SamplerKind::Sobol => "sobol",
    };
    let mut words = vec![
        "subsoil".to_string(),
        "run".into(),
        scenario,
        "--paths".into(),
        req.config.paths.to_string(),
        "--seed".into(),
        req.config.seed.to_string(),
        "--sampler".into(),
        sampler.into(),
    ];
    for s in sets {
        words.push("--set".into());
        words.push(word(s));
    }
    words.join(" ")
}

/// One line of the stream for the run so far.
fn line(st: &State, s: &Scenario, sets: &[String], r: &RunResult, of: u64, command: &str) -> Bytes {
    let result = (st.render.run)(s, sets, r);
    let summary = (st.render.summary)(s, sets, r, command.to_string());
    let html: serde_json::Map<String, Value> = subsoil_report::sections(&summary, &SECTIONS)
        .map(|v| v.into_iter().map(|(id, h)| (id.to_string(), Value::String(h))).collect())
        .unwrap_or_default();
    let done = r.header.paths >= of;
    let mut bytes = serde_json::to_vec(&json!({
        "paths": r.header.paths, "of": of, "final": done, "command": command,
        "result": result, "html": html,
    }))
    .unwrap_or_default();
    bytes.push(b'\n');
    Bytes::from(bytes)
}

pub(crate) async fn run(
    Shared(st): Shared<Arc<State>>,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let b = body(b, st.limits.max_body_bytes)?;
    let req = request::run(&b, &st.limits)?;
    let cancel = Arc::new(AtomicBool::new(false));
    if let Some(session) = &req.session {
        st.supersede(session, &cancel);
    }
    let forget = Forget(Arc::clone(&st), req.session.clone(), Arc::clone(&cancel));
    let key = req.key("stream");
    if let Some(hit) = st.cached(&key) {
        return Ok(ndjson(Body::from(hit.to_vec())));
    }
    let loading = req.clone();
    let (s, sets) = blocking(move || load(&loading)).await??;
    if cancel.load(Ordering::Relaxed) {
        return Err(superseded());
    }
    let permit = permit(&st).await?;
    let (tx, rx) = mpsc::channel::<Bytes>(8);
    // A client that goes away drops the receiver: cancel the run at once, not at the next block.
    let watcher = {
        let (tx, flag) = (tx.clone(), Arc::clone(&cancel));
        tokio::spawn(async move {
            tx.closed().await;
            flag.store(true, Ordering::Relaxed);
        })
    };
    let deadline = Deadline::start(&st, &cancel);
    let shared = Arc::clone(&st);
    tokio::task::spawn_blocking(move || {
        let (_permit, _forget) = (permit, forget);
        let st = shared;
        let of = req.config.paths;
        let command = command(&req, &sets);
        let last = std::sync::Mutex::new(None::<Bytes>);
        let outcome = crate::engine::run(&s, &req.config, &cancel, &|r| {
            let l = line(&st, &s, &sets, r, of, &command);
            if r.header.paths >= of {
                *last.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(l.clone());
            }
            tx.blocking_send(l).is_ok()
        });
        match outcome {
            Ok(_) => {
                if let Some(l) =
                    last.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner)
                {
                    st.keep(key, Arc::new(l.to_vec()));
                }
            }
            Err(e) => {
                let e = run_error(e, &st, deadline.timed_out.load(Ordering::Relaxed));
                let mut b = e.body();
                b.push(b'\n');
                let _ = tx.blocking_send(Bytes::from(b));
            }
        }
        watcher.abort();
    });
    Ok(ndjson(Body::from_stream(Lines(rx))))
}

/// Forgets a page's run when dropped (the run ended, or the request was refused before it began).
struct Forget(Arc<State>, Option<String>, Arc<AtomicBool>);

impl Drop for Forget {
    fn drop(&mut self) {
        self.0.forget(self.1.as_deref(), &self.2);
    }
}

fn superseded() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        Some("session"),
        "a newer request from the same page replaced this one",
    )
}
