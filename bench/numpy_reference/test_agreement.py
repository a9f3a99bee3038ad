"""subsoil and the NumPy reference agree on every headline mean of the one-project and the reduced
multi-project scenarios.

Usage: python test_agreement.py [PATH-TO-subsoil]   (default: target/release/subsoil of this repository)

Both run the same scenario files (one-project.toml, multi-project.toml) on their own random numbers; each
headline mean of subsoil must lie within z standard errors of the reference's, where the standard error is
that of the difference and z is the two-sided bound for a family error rate of 0.001 over all the means
compared, both scenarios together (Bonferroni). Exit status 0 when all agree, 1 otherwise.
"""

import json
import math
import pathlib
import statistics
import subprocess
import sys
import tomllib

import reference

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SCENARIOS = [HERE / "one-project.toml", HERE / "multi-project.toml"]
# subsoil's metric for each output of the reference (receipts: existing plus new licences).
METRICS = {
    "revenue": ["revenue"],
    "capex": ["capex"],
    "receipts": ["receipts-existing", "receipts-new"],
    "npv-total": ["npv-total"],
}
FAMILY_ALPHA = 0.001


def main():
    subsoil = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target" / "release" / "subsoil")
    z_bound = statistics.NormalDist().inv_cdf(1 - FAMILY_ALPHA / (2 * len(METRICS) * len(SCENARIOS)))
    failed = 0
    for scenario in SCENARIOS:
        run = subprocess.run(
            [subsoil, "run", str(scenario), "--paths", "40000", "--seed", "11", "--format", "json"],
            check=True, capture_output=True, text=True,
        )
        metrics = json.loads(run.stdout)["metrics"]
        with open(scenario, "rb") as f:
            out = reference.simulate(tomllib.load(f), 200_000, 11)
        print(f"{scenario.name}")
        print(f"{'output':<12} {'subsoil':>16} {'NumPy':>16} {'z':>7}   (|z| <= {z_bound:.2f})")
        for name, keys in METRICS.items():
            # The receipts' two parts come from one path each, so their standard errors add at most linearly.
            mean_s = sum(metrics[k]["mean"] for k in keys)
            se_s = sum(metrics[k]["se"] for k in keys)
            v = out[name]
            mean_n, se_n = float(v.mean()), float(v.std(ddof=1) / math.sqrt(len(v)))
            se = math.hypot(se_s, se_n)
            z = (mean_s - mean_n) / se if se > 0 else (0.0 if mean_s == mean_n else math.inf)
            ok = abs(z) <= z_bound
            failed += not ok
            print(f"{name:<12} {mean_s:16.6g} {mean_n:16.6g} {z:7.2f}   {'ok' if ok else 'DISAGREE'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
