#!/usr/bin/env bash
# Latency of `subsoil serve` after a control move (bench/serve_latency.py): time to the first block and to
# the whole answer, median and p95 over MOVES moves (default 50) of PATHS paths (default 20,480, the page's
# default) on the default scenario. Builds this work tree, starts a server on a free port, stops it after.
#
#   bench/serve.sh            MOVES=10 bench/serve.sh
set -euo pipefail
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
cargo build --quiet --release -p subsoil-cli
out=$(mktemp -d)
target/release/subsoil serve --port 0 >"$out/serve.out" 2>"$out/serve.err" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$out"' EXIT
for _ in $(seq 100); do
  grep -qs 'listening on' "$out/serve.out" && break
  sleep 0.1
done
url=$(grep -o 'http://[^ ]*' "$out/serve.out" | sed 's|/$||')
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 bench/serve_latency.py "$url" "${MOVES:-50}" "${PATHS:-20480}"
