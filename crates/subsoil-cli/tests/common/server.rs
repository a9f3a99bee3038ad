//! `subsoil serve` started on a free port for a test, and a minimal HTTP/1.1 client over std.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// A running server, stopped (by its process id) when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

impl Server {
    /// Starts `subsoil serve --port 0` with `args` and waits for the address it prints.
    pub fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_subsoil"))
            .args(["serve", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("subsoil serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("a line");
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Server { child, addr }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Sends `method path` with `body` and returns the status and the body.
    pub fn request(&self, method: &str, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
        let mut s = TcpStream::connect(&self.addr).expect("connects");
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.addr,
            body.len()
        );
        s.write_all(head.as_bytes()).and_then(|()| s.write_all(body)).expect("sends");
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("reads");
        parse(&raw)
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> (u16, Vec<u8>) {
        self.request("GET", path, b"")
    }

    /// `POST path` with a JSON body; the answer parsed as JSON.
    pub fn post_json(&self, path: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
        let (status, bytes) = self.request("POST", path, body.to_string().as_bytes());
        (
            status,
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes))),
        )
    }
}

/// Lines of a streamed (chunked) answer, read as they arrive.
pub struct Stream {
    reader: BufReader<TcpStream>,
    pending: Vec<u8>,
    done: bool,
    /// The answer's status.
    pub status: u16,
}

impl Server {
    /// `POST path` with `body`, its answer read line by line as it arrives.
    pub fn stream(&self, path: &str, body: &serde_json::Value) -> Stream {
        let mut s = TcpStream::connect(&self.addr).expect("connects");
        let body = body.to_string();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        s.write_all(head.as_bytes()).expect("sends");
        let mut reader = BufReader::new(s);
        let mut status = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("a header line");
            if status == 0 {
                status =
                    line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status");
            }
            if line == "\r\n" || line.is_empty() {
                break;
            }
        }
        Stream { reader, pending: Vec::new(), done: false, status }
    }
}

impl Iterator for Stream {
    type Item = serde_json::Value;

    fn next(&mut self) -> Option<serde_json::Value> {
        loop {
            if let Some(i) = self.pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.pending.drain(..=i).collect();
                return Some(serde_json::from_slice(&line).expect("a JSON line"));
            }
            if self.done {
                return None;
            }
            let mut size = String::new();
            self.reader.read_line(&mut size).ok()?;
            let size = usize::from_str_radix(size.trim(), 16).ok()?;
            if size == 0 {
                self.done = true;
                continue;
            }
            let mut chunk = vec![0; size + 2];
            self.reader.read_exact(&mut chunk).ok()?;
            self.pending.extend_from_slice(&chunk[..size]);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The status and the body (de-chunked) of a whole HTTP/1.1 answer.
fn parse(raw: &[u8]) -> (u16, Vec<u8>) {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a header");
    let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("a status");
    let mut body = &raw[end + 4..];
    if !head.contains("transfer-encoding: chunked") {
        return (status, body.to_vec());
    }
    let mut out = Vec::new();
    loop {
        let eol = body.windows(2).position(|w| w == b"\r\n").expect("a chunk size");
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&body[..eol]).trim(), 16).expect("hex");
        if size == 0 {
            return (status, out);
        }
        out.extend_from_slice(&body[eol + 2..eol + 2 + size]);
        body = &body[eol + 2 + size + 2..];
    }
}
