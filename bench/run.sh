#!/usr/bin/env bash
# Speed of this build against a baseline commit, measured side by side in one invocation.
#
#   bench/run.sh [BASELINE]       BASELINE: a commit (default: main)
#
# Environment: PATHS (paths per timed run, default 10000), REPS (runs per configuration, default 3; the
# median counts), SCENARIO (default ukraine-final-2025), MEM_PATHS (the large run whose peak memory is
# measured, default 1000000; 0 skips it), BENCH_TMP (where the baseline's work tree, target folder and
# binaries go, default $TMPDIR/subsoil-bench; all are named by the baseline's commit and kept, so a second
# invocation against the same baseline reuses its build instead of rebuilding),
# NP_PATHS (paths of the NumPy comparison, default 100000; 0 skips it), PYTHON (a Python with NumPy for the NumPy reference; default bench/numpy_reference/.venv/bin/python,
# skipped when absent).
#
# The baseline is checked out with `git worktree add` into a temporary folder and built into its own
# target folder; the timing harness (crates/subsoil-engine/examples/bench_run.rs, which uses only the
# engine's public interface) is copied into it, so both builds are timed by the same code. Runs of the two
# builds alternate, so a change in the machine's load hits both. CPU time is the process's (all threads)
# during the run alone, scenario loading excluded; paths/s is paths over wall time. The harness prints a
# digest of the whole result: equal digests mean the two builds give identical outputs.
set -euo pipefail
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cd "$root"
base_rev=${1:-main}
base_sha=$(git rev-parse --verify "$base_rev^{commit}")
paths=${PATHS:-10000}
reps=${REPS:-3}
scenario=${SCENARIO:-ukraine-final-2025}
mem_paths=${MEM_PATHS:-1000000}
threads_all=$(nproc)
tmp=${BENCH_TMP:-${TMPDIR:-/tmp}/subsoil-bench}
mkdir -p "$tmp"
# Everything of the baseline is keyed by its commit: cargo fingerprints the absolute source paths, so a
# work tree named per process forced a full rebuild every time. The tree stays registered with git
# (`git worktree list`; remove it with `git worktree remove --force` when done).
base_tree="$tmp/tree-$base_sha"
base_target="$tmp/target-$base_sha"

echo "building this build ($(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ', with uncommitted changes'))..." >&2
cargo build --quiet --release -p subsoil-cli -p subsoil-engine --bin subsoil --example bench_run
new_cli="$root/target/release/subsoil"
new_h="$root/target/release/examples/bench_run"

echo "building the baseline ($base_rev = ${base_sha:0:9}) in $base_tree..." >&2
if [ ! -e "$base_tree/.git" ]; then
  git worktree prune
  git worktree add --quiet --detach "$base_tree" "$base_sha"
fi
mkdir -p "$base_tree/crates/subsoil-engine/examples"
# Copied only when it differs, so an unchanged harness leaves the cached build fresh.
cmp -s crates/subsoil-engine/examples/bench_run.rs "$base_tree/crates/subsoil-engine/examples/bench_run.rs" ||
  cp crates/subsoil-engine/examples/bench_run.rs "$base_tree/crates/subsoil-engine/examples/"
(cd "$base_tree" && CARGO_TARGET_DIR="$base_target" cargo build --quiet --release -p subsoil-cli -p subsoil-engine --bin subsoil --example bench_run)
base_cli="$tmp/subsoil-$base_sha"
base_h="$tmp/bench_run-$base_sha"
cp "$base_target/release/subsoil" "$base_cli"
cp "$base_target/release/examples/bench_run" "$base_h"

field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

declare -A cpu wall digest
echo "timing: $paths paths of $scenario, $reps runs per configuration, alternating (load: $(cut -d' ' -f1-3 /proc/loadavg))..." >&2
for rep in $(seq "$reps"); do
  for threads in 1 "$threads_all"; do
    order="base new"; [ $((rep % 2)) -eq 0 ] && order="new base"
    for b in $order; do
      h=$new_h; [ "$b" = base ] && h=$base_h
      line=$("$h" run "$scenario" "$paths" "$threads")
      cpu[$b,$threads]+="$(echo "$line" | field cpu_us) "
      wall[$b,$threads]+="$(echo "$line" | field wall_us) "
      digest[$b,$threads]=$(echo "$line" | field digest)
    done
  done
done
med() { tr ' ' '\n' <<<"$1" | grep . | median; }
# The floor too is the median of REPS alternating runs: one run of it moves by 20% and more.
floors=""; floors_base=""
for _ in $(seq "$reps"); do
  floor_line=$("$new_h" floor "$scenario" "$paths")
  floor_base_line=$("$base_h" floor "$scenario" "$paths")
  floors="$floors $(echo "$floor_line" | field cpu_us)"; floors_base="$floors_base $(echo "$floor_base_line" | field cpu_us)"
done
echo
echo "subsoil bench: $scenario, $paths paths, seed 1, median of $reps alternating runs; $threads_all cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "this build: $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo '+uncommitted')   baseline: $base_rev (${base_sha:0:9})"
printf '%-10s %8s %14s %12s\n' build threads "CPU µs/path" "paths/s (wall)"
for b in base new; do
  for threads in 1 "$threads_all"; do
    c=$(med "${cpu[$b,$threads]}"); w=$(med "${wall[$b,$threads]}")
    printf '%-10s %8s %14.1f %12.0f\n' "$b" "$threads" "$(awk "BEGIN{print $c/$paths}")" "$(awk "BEGIN{print $paths/($w/1e6)}")"
  done
done
c1b=$(med "${cpu[base,1]}"); c1n=$(med "${cpu[new,1]}")
cab=$(med "${cpu[base,$threads_all]}"); can=$(med "${cpu[new,$threads_all]}")
w1b=$(med "${wall[base,1]}"); w1n=$(med "${wall[new,1]}")
wab=$(med "${wall[base,$threads_all]}"); wan=$(med "${wall[new,$threads_all]}")
echo
awk "BEGIN{printf \"faster than the baseline, CPU per path, 1 thread:        %.2fx\n\", $c1b/$c1n}"
awk "BEGIN{printf \"faster than the baseline, CPU per path, %s threads:       %.2fx\n\", $threads_all, $cab/$can}"
awk "BEGIN{printf \"faster than the baseline, paths/s (wall), %s threads:     %.2fx\n\", $threads_all, $wab/$wan}"
awk "BEGIN{printf \"speed-up on %s threads (wall): this build %.2fx, baseline %.2fx\n\", $threads_all, $w1n/$wan, $w1b/$wab}"
if [ "${digest[base,1]}" = "${digest[new,1]}" ] && [ "${digest[new,1]}" = "${digest[new,$threads_all]}" ] && [ "${digest[base,1]}" = "${digest[base,$threads_all]}" ]; then
  echo "outputs: identical (digest ${digest[new,1]}) for both builds on 1 and $threads_all threads"
else
  echo "outputs: DIFFER (base ${digest[base,1]}/${digest[base,$threads_all]}, new ${digest[new,1]}/${digest[new,$threads_all]})"
fi
fl=$(med "$floors"); flb=$(med "$floors_base")
echo "random-number floor: $(awk "BEGIN{printf \"%.1f\", $fl/$paths}") µs/path ($(echo "$floor_line" | cut -d' ' -f3-)); baseline's $(awk "BEGIN{printf \"%.1f\", $flb/$paths}") µs/path"
awk "BEGIN{printf \"ratio to the random-number floor, 1 thread: this build %.1fx, baseline %.1fx\n\", $c1n/$fl, $c1b/$flb}"

# Latency of a 20,480-path run, end to end (process start to exit), every thread.
lat() { /usr/bin/time -f '%e' "$1" run "$scenario" --paths 20480 --format json 2>&1 >/dev/null | tail -1; }
lb=""; ln=""
for rep in $(seq "$reps"); do lb+="$(lat "$base_cli") "; ln+="$(lat "$new_cli") "; done
echo "latency of 20,480 paths, end to end, $threads_all threads: this build $(med "$ln") s, baseline $(med "$lb") s"

# subsoil claims at 2,000 paths, end to end (its budget in CI is 60 s on two cores); this build only.
if "$new_cli" claims --help >/dev/null 2>&1; then
  cl=""
  for rep in $(seq "$reps"); do cl+="$(/usr/bin/time -f '%e' "$new_cli" claims --paths 2000 2>&1 >/dev/null | tail -1) "; done
  echo "subsoil claims, 2,000 paths, end to end, $threads_all threads: this build $(med "$cl") s"
fi

# Peak memory (maximum resident set size).
rss() { /usr/bin/time -f '%M' "$1" run "$scenario" --paths "$2" --format json 2>&1 >/dev/null | tail -1; }
m10n=$(rss "$new_cli" 10000); m10b=$(rss "$base_cli" 10000)
echo "peak memory at 10,000 paths: this build $((m10n / 1024)) MiB, baseline $((m10b / 1024)) MiB"
if [ "$mem_paths" -gt 0 ]; then
  mbn=$(rss "$new_cli" "$mem_paths")
  echo "peak memory at $mem_paths paths: this build $((mbn / 1024)) MiB ($(awk "BEGIN{printf \"%+.0f%%\", 100*($mbn/$m10n-1)}") against 10,000 paths)"
fi

# The NumPy reference on the one-project and the reduced multi-project scenarios, one thread each.
py=${PYTHON:-$root/bench/numpy_reference/.venv/bin/python}
ref="$root/bench/numpy_reference"
np_paths=${NP_PATHS:-100000}
if [ "$np_paths" = 0 ]; then
  echo "NumPy reference: skipped (NP_PATHS=0)"
elif [ -x "$py" ] && [ -f "$ref/reference.py" ]; then
  per() { awk "BEGIN{printf \"%.2f\", $1/$np_paths}"; }
  # NumPy's CPU time moves much more than subsoil's from run to run (its kernel time for fresh memory, a few
  # hundred MB of arrays, ranges over 3x on a shared machine): REPS runs of each, alternating, and their
  # medians; NumPy's fastest and slowest runs are shown too.
  for case in one-project multi-project; do
    file="$ref/$case.toml"
    [ -f "$file" ] || continue
    nps=""; rss=""; rbs=""
    for _ in $(seq "$reps"); do
      np_line=$(OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$py" "$ref/reference.py" "$file" --paths "$np_paths" --time)
      rs_line=$("$new_h" run "$file" "$np_paths" 1)
      # An older baseline may not load a newer bench scenario: it is then left out.
      rb_line=$("$base_h" run "$file" "$np_paths" 1 2>/dev/null || echo "cpu_us=nan")
      nps="$nps $(echo "$np_line" | field cpu_us)"; rss="$rss $(echo "$rs_line" | field cpu_us)"
      rbs="$rbs $(echo "$rb_line" | field cpu_us)"
    done
    np=$(med "$nps"); rs=$(med "$rss"); rb=$(med "$rbs")
    np_lo=$(tr ' ' '\n' <<<"$nps" | grep . | sort -g | head -1); np_hi=$(tr ' ' '\n' <<<"$nps" | grep . | sort -g | tail -1)
    echo "$case scenario, $np_paths paths, 1 thread, medians of $reps alternating runs: NumPy $(per "$np") µs/path (runs $(per "$np_lo")-$(per "$np_hi")), this build $(per "$rs"), baseline $(per "$rb"): this build is $(awk "BEGIN{r=$np/$rs; if (r>=1) printf \"%.2fx faster than\", r; else printf \"%.2fx slower than\", 1/r}") NumPy"
  done
else
  echo "NumPy reference: skipped (no Python with NumPy at $py; see bench/numpy_reference/README.md)"
fi
