"""Checks the Kubernetes manifests of tools/cluster/kubernetes (docs/cluster.md).

No cluster runs here, so the manifests are validated against the OpenAPI schemas of Kubernetes that the
pinned kubernetes-validate package ships, strictly (a field the schema does not know is an error), for
the oldest and newest versions this launcher supports. Then what the schema cannot see: the shard Job is
an Indexed Job whose pods take JOB_COMPLETION_INDEX as their shard of SHARDS = completions, the merge Job
reads the same SHARDS folders, and both mount the same claim. Finally a broken copy must fail, so that a
validator that accepts everything cannot pass this check.

    python tests/cluster/check_kubernetes.py
"""

import copy
import pathlib
import sys

import kubernetes_validate
import yaml

HERE = pathlib.Path(__file__).resolve().parent
MANIFESTS = HERE.parent.parent / "tools" / "cluster" / "kubernetes"
# backoffLimitPerIndex (a shard retried on its own) is stable from Kubernetes 1.33.
VERSIONS = ["1.33.0", kubernetes_validate.latest_version()]


def load(name):
    with open(MANIFESTS / name) as f:
        return yaml.safe_load(f)


def env(container, name):
    for e in container.get("env", []):
        if e["name"] == name:
            return e.get("value")
    raise AssertionError(f"{container['name']}: no {name} in env")


def main():
    names = sorted(p.name for p in MANIFESTS.glob("*.yaml"))
    assert names == ["merge-job.yaml", "shards-job.yaml", "work-pvc.yaml"], names
    for version in VERSIONS:
        for name in names:
            kubernetes_validate.validate(load(name), version, strict=True)
            print(f"{name}: valid against Kubernetes {version} (strict)")

    shards = load("shards-job.yaml")
    spec = shards["spec"]
    assert spec["completionMode"] == "Indexed", "the shard Job must be an Indexed Job"
    pod = spec["template"]["spec"]
    (shard,) = pod["containers"]
    n = int(env(shard, "SHARDS"))
    assert spec["completions"] == n, f"completions {spec['completions']} but SHARDS {n}"
    script = " ".join(shard["args"])
    assert '--shard "$JOB_COMPLETION_INDEX/$SHARDS"' in script, script
    assert '--out "/work/shard-$JOB_COMPLETION_INDEX"' in script, script
    merge = load("merge-job.yaml")
    (m,) = merge["spec"]["template"]["spec"]["containers"]
    assert int(env(m, "SHARDS")) == n, "the merge must read as many shards as the Job runs"
    assert "/work/shard-$i" in " ".join(m["args"]) and "subsoil merge" in " ".join(m["args"])
    claim = load("work-pvc.yaml")["metadata"]["name"]
    for job in (shards, merge):
        vols = job["spec"]["template"]["spec"]["volumes"]
        assert [v["persistentVolumeClaim"]["claimName"] for v in vols] == [claim]
    print(f"the shard Job runs {n} indexed shards and the merge reads {n} folders on claim {claim}")

    broken = copy.deepcopy(shards)
    broken["spec"]["completionMode"] = 7
    broken["spec"]["template"]["spec"]["containers"][0]["argz"] = []
    try:
        kubernetes_validate.validate(broken, VERSIONS[-1], strict=True)
    except kubernetes_validate.ValidationError as e:
        print(f"a broken copy is refused: {str(e).splitlines()[0][:100]}")
    else:
        sys.exit("a broken manifest passed validation: the check proves nothing")


if __name__ == "__main__":
    main()
