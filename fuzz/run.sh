#!/bin/sh
# Runs each fuzz target in turn for SECONDS (default 600), one process each, and prints its executions.
#   fuzz/run.sh [SECONDS] [TARGET...]      targets: scenario deposits_csv set deal dist (default: all)
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain (`rustup toolchain install nightly`).
# Crashes land in fuzz/artifacts/<target>/; logs in fuzz/logs/<target>.log.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
secs=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-scenario deposits_csv set deal dist}
[ -d "$here/corpus" ] || "$here/seed-corpus.sh"
mkdir -p "$here/logs"
cd "$here"
failed=""
for t in $targets; do
    mkdir -p "corpus/$t"
    echo "== $t: ${secs}s"
    # --sanitizer none: the code is safe Rust; the fuzzer looks for panics, hangs and memory blow-ups.
    cargo +nightly fuzz run --sanitizer none --release "$t" "corpus/$t" -- \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 > "logs/$t.log" 2>&1 || {
        echo "$t FAILED: see fuzz/logs/$t.log"
        grep -a -A2 -E 'panicked|ERROR: libFuzzer' "logs/$t.log" | cut -c1-400
        grep -a -A2 'Reproduce with' "logs/$t.log"
        failed="$failed $t"
        continue
    }
    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "logs/$t.log" || true
done
[ -z "$failed" ] || { echo "crashed:$failed"; exit 1; }
