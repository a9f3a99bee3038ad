#!/bin/sh
# Seeds fuzz/corpus/<target>/ from the built-in files (scenarios/, data/) and the test scenarios.
# Run from anywhere; `run.sh` calls it when a corpus folder is missing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
c="$here/corpus"
mkdir -p "$c/scenario" "$c/deposits_csv" "$c/set" "$c/deal" "$c/dist"

# Whole scenario files: every built-in layer and every test scenario.
for f in "$root"/scenarios/*.toml "$root"/data/*.toml "$root"/crates/*/tests/data/*/*.toml; do
    n=$(echo "$f" | sed "s|$root/||; s|/|_|g")
    cp "$f" "$c/scenario/$n"
done
[ -d "$root/crates/subsoil-cli/tests/catalogue" ] &&
    for f in "$root"/crates/subsoil-cli/tests/catalogue/*.toml; do cp "$f" "$c/scenario/catalogue_$(basename "$f")"; done

# Deposits files, each followed by a NUL and its licence events when it has some.
pair() { { cat "$1"; if [ -n "${2:-}" ]; then printf '\0'; cat "$2"; fi; } > "$c/deposits_csv/$3"; }
pair "$root/data/deposits.csv" "$root/data/licence_events.csv" builtin
pair "$root/crates/subsoil-engine/tests/data/faults/deposits.csv" "" faults
pair "$root/crates/subsoil-engine/tests/data/conflict/deposits.csv" "$root/crates/subsoil-engine/tests/data/conflict/events.csv" conflict
pair "$root/crates/subsoil-engine/tests/data/conflict/deposits-unknown.csv" "" conflict-unknown
pair "$root/crates/subsoil-engine/tests/data/worked-example/deposits.csv" "$root/crates/subsoil-engine/tests/data/worked-example/events.csv" worked-example

# The deal language: each built-in deal after its header (the target writes the header).
for f in "$root"/scenarios/ukraine-*-20*.toml; do
    sed -n '/^\[/,$p' "$f" > "$c/deal/$(basename "$f")"
done

# --set arguments, NUL-separated.
i=0
while IFS= read -r line; do
    i=$((i + 1))
    printf '%s' "$line" | tr '|' '\0' > "$c/set/set-$i"
done <<'SETS'
rates.valuation=0.1
fiscal.cit-rate=0.25|deal.unexploited-count-as-new=false
deal.renewals-count-as-new=true
time.horizon-years=30
macro.gdp={ value = 1.9e11, unit = "USD", source = "x" }
projects.dobra-lithium.capex=5e8|projects.dobra-lithium.life-years=12
products.lithium-spodumene.price={ dist = "lognormal", median = 1000, p90 = 1500, unit = "USD/t" }
conflict.ceasefire-hazard=0.2
deal.lock-up-until=2030
deal.contributions.0.share=0.6
time.start-year=2026|rates.us-discount=0.03
metadata.name="other"
SETS

# Distribution parameters: a few byte patterns (the target reads a kind and four numbers).
printf '\001\000\000\000\000\000\000\360\077\000\000\000\000\000\000\000\100' > "$c/dist/uniform"
printf '\011\000\000\000\000\000\000\360\077\000\000\000\000\000\000\370\077' > "$c/dist/lognormal"
echo "corpus in $c"
