#!/usr/bin/env python3
"""Latency of `subsoil serve` after a control move: time to the first block and to the whole answer.

Each move is what the page sends when a control changes: POST /api/run/stream for the default scenario with
the page's default 20,480 paths and one override that differs from every earlier move (leakage.receipts,
so the cache never answers), the same session. A move waits for the whole answer before the next one, so it
measures one reader's view on an otherwise idle server. Prints every move's times and the median and p95.

Usage: serve_latency.py URL [MOVES] [PATHS]
"""

import http.client
import json
import statistics
import sys
import time
import urllib.parse


def move(url, i, paths):
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
    body = json.dumps({
        "scenario": "ukraine-final-2025",
        "paths": paths,
        "seed": 1,
        "sets": [f"leakage.receipts={0.01 + 0.002 * i:.3f}"],
        "session": "bench",
    })
    start = time.perf_counter()
    conn.request("POST", "/api/run/stream", body, {"Content-Type": "application/json"})
    resp = conn.getresponse()
    if resp.status != 200:
        raise SystemExit(f"move {i}: status {resp.status}: {resp.read()[:300]!r}")
    first = None
    buf = b""
    lines = 0
    while True:
        chunk = resp.read1(1 << 16)
        if not chunk:
            break
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            lines += 1
            d = json.loads(line)
            if "error" in d:
                raise SystemExit(f"move {i}: {d['error']}")
            if first is None:
                first = time.perf_counter() - start
            if d["final"]:
                done = time.perf_counter() - start
                conn.close()
                return first, done, lines
    raise SystemExit(f"move {i}: the answer ended before its final block")


def p95(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def main():
    url = sys.argv[1]
    moves = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    paths = int(sys.argv[3]) if len(sys.argv) > 3 else 20480
    firsts, dones = [], []
    for i in range(moves):
        first, done, lines = move(url, i, paths)
        firsts.append(first)
        dones.append(done)
        print(f"move {i + 1:2}: first block {first * 1000:7.0f} ms, whole answer {done * 1000:7.0f} ms ({lines} blocks)")
    print(f"\n{moves} moves, {paths} paths, default scenario ukraine-final-2025")
    print(f"time to the first block:  median {statistics.median(firsts) * 1000:.0f} ms, p95 {p95(firsts) * 1000:.0f} ms")
    print(f"time to the whole answer: median {statistics.median(dones) * 1000:.0f} ms, p95 {p95(dones) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
