#!/usr/bin/env bash
# Submits a subsoil run as a Slurm job array of N shards and a merge that waits for all of them
# (docs/cluster.md). Prints the two job ids.
#
#   tools/cluster/slurm/submit.sh N WORK OUT [subsoil run arguments...]
#   tools/cluster/slurm/submit.sh 16 /scratch/run1 /scratch/run1/results ukraine-final-2025 --paths 10000000 --sampler sobol
#
# Extra sbatch options (a partition, an account, --cpus-per-task) go in SBATCH_OPTS. SUBSOIL names the
# binary on the nodes (default: subsoil on PATH); WORK and OUT must be on a file system every node sees.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=${1:?usage: submit.sh N WORK OUT [run arguments]}
work=${2:?usage: submit.sh N WORK OUT [run arguments]}
out=${3:?usage: submit.sh N WORK OUT [run arguments]}
shift 3
case "$n" in '' | *[!0-9]* | 0) echo "submit.sh: N must be a positive whole number, not '$n'" >&2; exit 2 ;; esac
mkdir -p "$work"
# shellcheck disable=SC2086
array=$(sbatch --parsable ${SBATCH_OPTS:-} --chdir="$PWD" --output="$work/shard-%a.log" \
  --array=0-$((n - 1)) "$here/shard.sbatch" "$work" "$n" "$@")
array=${array%%;*}
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_OPTS:-} --chdir="$PWD" --output="$work/merge.log" \
  --dependency=afterok:"$array" --kill-on-invalid-dep=yes "$here/merge.sbatch" "$work" "$n" "$out")
merge=${merge%%;*}
echo "array $array"
echo "merge $merge"
