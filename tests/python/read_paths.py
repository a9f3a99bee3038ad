"""Reads the paths.parquet of a folder written by `subsoil run --out DIR --per-path` with pyarrow and
checks it against the folder's summary.json: one row per path, the columns named as the scenario's inputs
and the run's metrics, their types, and means that agree with the run's statistics.

Usage: python read_paths.py DIR   (exit status 0 when every check passes)
"""

import json
import math
import sys

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


def main(folder: str) -> int:
    table = pq.read_table(f"{folder}/paths.parquet")
    with open(f"{folder}/summary.json", encoding="utf-8") as f:
        summary = json.load(f)
    manifest = summary["manifest"]
    failures = []

    paths = manifest["paths"]
    if table.num_rows != paths:
        failures.append(f"{table.num_rows} rows, the run had {paths} paths")
    if table.column("path").to_pylist() != list(range(table.num_rows)):
        failures.append("the path column is not 0, 1, 2, ...")

    inputs = [i["name"] for i in manifest["inputs"]]
    metrics = list(summary["metrics"])
    expected = ["path"] + inputs + metrics
    if table.schema.names != expected:
        failures.append(f"columns {table.schema.names[:8]}... differ from {expected[:8]}...")
    if table.schema.field("path").type != pa.int64():
        failures.append(f"path is {table.schema.field('path').type}, not int64")
    for name in expected[1:]:
        if table.schema.field(name).type != pa.float64():
            failures.append(f"{name} is {table.schema.field(name).type}, not double")

    # A metric's mean over the rows is the run's mean of that metric (the same numbers, summed in
    # another order).
    for name in ("partner-receipts", "receipts-new", "capex"):
        if name not in summary["metrics"]:
            continue
        mean = pc.mean(table.column(name)).as_py()
        want = summary["metrics"][name]["mean"]
        if not math.isclose(mean, want, rel_tol=1e-9, abs_tol=1e-6):
            failures.append(f"mean of {name}: {mean} in the file, {want} in summary.json")
        else:
            print(f"ok: mean of {name} = {mean} as in summary.json")

    # An input's mean over the rows is its distribution's mean (summary.json) within the Monte Carlo
    # error: four standard errors.
    name = "macro.inflation" if "macro.inflation" in inputs else inputs[0]
    column = table.column(name)
    mean = pc.mean(column).as_py()
    se = pc.stddev(column, ddof=1).as_py() / math.sqrt(table.num_rows)
    want = next(i["mean"] for i in manifest["inputs"] if i["name"] == name)
    if abs(mean - want) > 4 * se:
        failures.append(f"mean of {name}: {mean} in the file, {want} in summary.json (se {se})")
    else:
        print(f"ok: mean of {name} = {mean}, summary.json {want} (se {se:.2g})")

    for f in failures:
        print(f"FAIL: {f}", file=sys.stderr)
    if not failures:
        print(f"ok: {table.num_rows} rows, {table.num_columns} columns as summary.json says")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
