#!/bin/sh
# Regenerates docs/findings.md: every claim of data/claims.toml judged at 2,000 paths with seed 1.
# Run from the repository root. The same command, seed and version give the same file byte for byte
# (crates/subsoil-cli/tests/claims_cmd.rs checks that the committed file is current).
set -eu
cargo run --release -q -- claims --paths 2000 --seed 1 --format markdown > docs/findings.md.partial
mv docs/findings.md.partial docs/findings.md
