//! The cap on concurrent runs: a request beyond it waits its turn for `queue_wait`, then is refused with
//! 429 and a JSON error; a client that goes away cancels its run, which frees its place.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use subsoil_web::{Limits, Render, State};

fn render() -> Render {
    Render {
        run: |s, _, r| serde_json::json!({ "scenario": s.name, "paths": r.header.paths }),
        summary: |_, _, _, _| Value::Null,
        compare: |_, _, _| Value::Null,
        inputs: |_| Value::Null,
    }
}

/// Starts a server with `limits` on a free port of its own runtime; returns its address.
fn start(limits: Limits) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let state: Arc<State> = State::new(limits, render());
        let _ = subsoil_web::run("127.0.0.1", 0, state, |addr| {
            let _ = tx.send(addr.to_string());
        });
    });
    rx.recv_timeout(Duration::from_secs(30)).expect("the server starts")
}

fn send(addr: &str, path: &str, body: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).expect("connects");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(head.as_bytes()).expect("sends");
    s
}

fn answer(s: TcpStream) -> (u16, Value) {
    let mut raw = String::new();
    BufReader::new(s).read_to_string(&mut raw).expect("reads");
    let (head, body) = raw.split_once("\r\n\r\n").expect("a header");
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

#[test]
fn a_run_beyond_the_cap_is_refused_and_a_client_that_goes_away_frees_its_place() {
    let limits = Limits {
        concurrent_runs: 1,
        queue_wait: Duration::from_millis(300),
        max_paths: 1_000_000,
        ..Limits::default()
    };
    let addr = start(limits);
    // A long streamed run holds the only place once its first block has arrived.
    let long = send(&addr, "/api/run/stream", r#"{"paths": 1000000, "session": "a"}"#);
    let mut reader = BufReader::new(long);
    let mut line = String::new();
    while !line.contains("\"paths\"") {
        line.clear();
        assert!(reader.read_line(&mut line).expect("reads") > 0, "the stream ended early");
    }
    let (status, e) = answer(send(&addr, "/api/run", r#"{"paths": 100}"#));
    assert_eq!(status, 429, "{e}");
    assert!(e["error"].as_str().is_some_and(|m| m.contains("at once")), "{e}");
    // The long run's client goes away: its run is cancelled within a chunk and the place is free.
    drop(reader);
    let started = Instant::now();
    loop {
        let (status, v) = answer(send(&addr, "/api/run", r#"{"paths": 100}"#));
        if status == 200 {
            assert_eq!(v["paths"], 100);
            break;
        }
        assert_eq!(status, 429, "{v}");
        assert!(started.elapsed() < Duration::from_secs(60), "the place was never freed");
    }
}
