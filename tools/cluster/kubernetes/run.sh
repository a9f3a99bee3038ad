#!/usr/bin/env bash
# Applies the volume and the Indexed Job of shards, waits for it, then applies the merge Job and waits for
# it (docs/cluster.md). kubectl must point at the cluster and namespace to use.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kubectl apply -f "$here/work-pvc.yaml"
kubectl apply -f "$here/shards-job.yaml"
kubectl wait --for=condition=complete job/subsoil-shards --timeout="${TIMEOUT:-24h}"
kubectl apply -f "$here/merge-job.yaml"
kubectl wait --for=condition=complete job/subsoil-merge --timeout=1h
echo "results in /work/results on the subsoil-work volume"
