#!/usr/bin/env bash
# Checks `subsoil serve` against its own OpenAPI document with schemathesis: requests generated from the
# document (valid and invalid), every answer checked for server errors (5xx), its status, content type and
# body against the document. Paths are capped at 2,000 a request so that generated runs stay quick; the
# example count and the seed are fixed, so a run is repeatable.
#
# Usage: tests/api/run.sh [SUBSOIL_BINARY] [SCHEMATHESIS]
#   defaults: target/release/subsoil and target/schemathesis-venv/bin/schemathesis
#   (python3 -m venv target/schemathesis-venv && target/schemathesis-venv/bin/pip install -r tests/api/requirements.txt)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-target/release/subsoil}
st=${2:-target/schemathesis-venv/bin/schemathesis}
out=target/tmp/schemathesis
mkdir -p "$out"
"$bin" serve --port 0 --max-paths 2000 --max-seconds 60 >"$out/serve.out" 2>"$out/serve.err" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -qs 'listening on' "$out/serve.out" && break
  sleep 0.1
done
url=$(grep -o 'http://[^ ]*' "$out/serve.out" | sed 's|/$||')
[ -n "$url" ] || { echo "subsoil serve did not start" >&2; cat "$out/serve.err" >&2; exit 1; }
"$st" run "$url/api/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples 25 --seed 1 --workers 1 --generation-database none \
  --report junit --report-dir "$out"
