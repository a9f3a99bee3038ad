"""subsoil from Python: load scenarios, run them, compare them, split runs into shards and merge them.

    >>> import subsoil
    >>> s = subsoil.load("ukraine-final-2025", set={"rates.valuation": 0.1})
    >>> r = s.run(paths=10_000, seed=1, sampler="lhs")
    >>> r.metrics.loc["receipts-new", ["mean", "se"]]

Every number is the one `subsoil run --format json` prints for the same scenario, overrides, paths, seed
and sampler (the package calls the same engine); results do not depend on `threads`. Runs release the
GIL, so other Python threads go on while one runs. docs/python.md is the guide.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd
import pyarrow as pa

from . import _native
from ._native import Problem, RunError, ScenarioError

__all__ = [
    "Comparison",
    "Problem",
    "Result",
    "RunError",
    "Scenario",
    "ScenarioError",
    "__version__",
    "compare",
    "compare_shard",
    "load",
    "merge",
    "merge_compare",
    "run_shard",
    "scenarios",
]

__version__: str = _native.version()

_STATISTICS = ["n", "non_finite", "mean", "sd", "se", "p5", "p10", "p25", "p50", "p75", "p90", "p95",
               "min", "max", "quantile_relative_error", "se_iid", "se_between_blocks"]


def scenarios() -> List[str]:
    """The names of the built-in scenarios (`subsoil scenarios`)."""
    return [name for name, _ in _native.scenarios()]


def load(name_or_path: str, set: Optional[Mapping[str, Any]] = None) -> "Scenario":
    """Loads a built-in scenario by name or a scenario file by path, with `set` overrides.

    `set` maps a field path to a value, as `--set path=value` does: numbers and bools as they are,
    strings as TOML text (a quoted string, an inline table such as `{ value = 2, unit = "yr" }`) or,
    failing that, as the string itself. A scenario with problems raises `ScenarioError`, whose `errors`
    lists each with its `file`, `line`, `column`, `field` and `message`.
    """
    return Scenario(_native.load(name_or_path, dict(set) if set else None))


def _metrics_frame(metrics: Mapping[str, Any]) -> pd.DataFrame:
    rows = []
    for name, m in metrics.items():
        row = {"name": name, "unit": m["unit"]}
        row.update({k: m[k] for k in _STATISTICS if k in m})
        rows.append(row)
    return pd.DataFrame(rows).set_index("name")


def _probabilities_frame(probabilities: Mapping[str, Any]) -> pd.DataFrame:
    rows = []
    for name, p in probabilities.items():
        rows.append({"name": name, "p": p["p"], "se": p["se"], "ci95_low": p["ci95"][0],
                     "ci95_high": p["ci95"][1], "hits": p["hits"], "n": p["n"]})
    return pd.DataFrame(rows).set_index("name")


class Result:
    """A Monte Carlo run's statistics: what `subsoil run --format json` reports, as tables.

    `raw` is the JSON as a dict (`docs/output-schema.md`), `metrics` and `probabilities` are pandas
    DataFrames indexed by name, `series(name)` is one yearly series, `per_path()` every path's inputs and
    outputs as a pyarrow Table.
    """

    def __init__(self, scenario: "Scenario", raw: Dict[str, Any], run: Optional[Dict[str, Any]] = None):
        self.scenario = scenario
        self.raw = raw
        self._run = run

    @property
    def header(self) -> Dict[str, Any]:
        """Paths, seed, sampler, block size, blocks, the standard-error method, the years."""
        return self.raw.get("header", {})

    @property
    def metrics(self) -> pd.DataFrame:
        """One row per scalar output (index: its name): unit, n, mean, sd, se, percentiles, min, max."""
        return _metrics_frame(self.raw["metrics"])

    @property
    def probabilities(self) -> pd.DataFrame:
        """One row per probability (index: its name): p, se, the Wilson 95% interval, hits and n."""
        return _probabilities_frame(self.raw["probabilities"])

    @property
    def series_names(self) -> List[str]:
        """The yearly series this run reports."""
        return list(self.raw["series"])

    def series(self, name: str) -> pd.DataFrame:
        """One yearly series as a fan: one row per year (index) with mean, se and percentiles."""
        try:
            fan = self.raw["series"][name]
        except KeyError:
            raise KeyError(f"no series {name!r}; this run has {', '.join(self.series_names)}") from None
        return pd.DataFrame(fan["years"]).set_index("year")

    @property
    def projects(self) -> pd.DataFrame:
        """One row per project: its NPV's mean and percentiles, the chance it is occupied or abandoned,
        the median year of first production."""
        rows = []
        for p in self.raw["projects"]:
            rows.append({"id": p["id"], "name": p["name"], "deposit": p["deposit"],
                         "start_stage": p["start_stage"], "npv_mean": p["npv"]["mean"],
                         "npv_p10": p["npv"]["p10"], "npv_p90": p["npv"]["p90"],
                         "p_occupied": p["occupied"]["p"], "p_abandoned": p["abandoned"]["p"],
                         "median_first_production": p["first_production"]["median_year"]})
        return pd.DataFrame(rows).set_index("id")

    def per_path(self) -> pa.Table:
        """Every path of this run again (the same draws): `path`, each uncertain input, each scalar
        output; the same table as `subsoil run --out DIR --per-path` writes to paths.parquet."""
        if self._run is None:
            raise RunError("per_path() needs the run's configuration: call it on the result of run()")
        inputs, outputs, values = self.scenario._native.per_path(**self._run)
        width = len(inputs) + len(outputs)
        matrix = np.frombuffer(values, dtype="<f8").reshape(-1, width)
        names = list(inputs) + list(outputs)
        schema = pa.schema([pa.field("path", pa.int64(), nullable=False)]
                           + [pa.field(n, pa.float64(), nullable=False) for n in names])
        arrays = [pa.array(np.arange(matrix.shape[0], dtype=np.int64))]
        arrays += [pa.array(np.ascontiguousarray(matrix[:, i])) for i in range(width)]
        return pa.Table.from_arrays(arrays, schema=schema)

    def __repr__(self) -> str:
        h = self.header
        return (f"<subsoil.Result {self.scenario.name}: {h.get('paths')} paths, seed {h.get('seed')}, "
                f"{h.get('sampler')}>")


class Scenario:
    """A loaded, validated scenario (from `subsoil.load`)."""

    def __init__(self, native: "_native.Scenario"):
        self._native = native

    @property
    def name(self) -> str:
        return self._native.name

    @property
    def title(self) -> str:
        return self._native.title

    @property
    def hash(self) -> str:
        """The hash of the merged scenario and its data files (as in every manifest)."""
        return self._native.hash

    @property
    def inputs(self) -> pd.DataFrame:
        """Every uncertain input (`subsoil inputs`): distribution, p5, median, mean, p95, unit, field,
        provenance (source, derived, assumption, unsourced or default) and the source or reason."""
        return pd.DataFrame(json.loads(self._native.inputs_json())).set_index("name")

    def base_case(self) -> Dict[str, Any]:
        """The base case, every input at its median: `subsoil run --deterministic --format json`
        without the manifest, as a dict (`totals`, `projects`, the deal when there is one)."""
        return json.loads(self._native.base_case_json())

    def run(self, paths: int = 10_000, seed: int = 1, sampler: str = "random",
            threads: int = 0) -> Result:
        """A Monte Carlo run (`subsoil run --paths --seed --sampler`); `sampler` is "random", "lhs" or
        "sobol"; `threads` 0 uses every core and changes nothing in the result."""
        run = dict(paths=paths, seed=seed, sampler=sampler, threads=threads)
        return Result(self, json.loads(self._native.run_json(**run)), run)

    def run_shard(self, shard: Tuple[int, int], paths: int = 10_000, seed: int = 1,
                  sampler: str = "random", threads: int = 0) -> str:
        """Shard `(index, count)` of a run: its mergeable state as JSON text, for `subsoil.merge`."""
        index, count = shard
        return self._native.run_shard_json(paths, seed, sampler, threads, index, count)

    def __repr__(self) -> str:
        return f"<subsoil.Scenario {self.name} ({self.hash})>"


def run_shard(name_or_path: str, shard: Tuple[int, int], paths: int = 10_000, seed: int = 1,
              sampler: str = "random", set: Optional[Mapping[str, Any]] = None,
              threads: int = 0) -> str:
    """Loads a scenario and runs shard `(index, count)` of a run of it: the task to hand to Dask, Ray
    or multiprocessing workers (a module-level function that any worker can import). Returns the
    shard's state as JSON text, for `subsoil.merge`."""
    return load(name_or_path, set=set).run_shard(shard, paths=paths, seed=seed, sampler=sampler,
                                                 threads=threads)


def merge(scenario: Scenario, shards: Iterable[str]) -> Result:
    """Merges the shard states of one run of `scenario` (from `Scenario.run_shard`, in any order) into
    the result of the whole run, bit for bit. A shard missing, given twice or of another run raises
    `RunError`."""
    return Result(scenario, json.loads(scenario._native.merge_json(list(shards))))


class Comparison:
    """Scenarios run on common random numbers (`subsoil compare --format json`)."""

    def __init__(self, scenarios: Sequence[Scenario], raw: Dict[str, Any]):
        self.scenarios = list(scenarios)
        self.raw = raw
        self.runs = [Result(s, r) for s, r in zip(self.scenarios, raw["runs"])]

    @property
    def metrics(self) -> pd.DataFrame:
        """Every scalar output's mean and se under each scenario: columns (scenario, statistic)."""
        frames = {s.name: r.metrics[["mean", "se"]] for s, r in zip(self.scenarios, self.runs)}
        return pd.concat(frames, axis=1)

    @property
    def differences(self) -> pd.DataFrame:
        """Each scenario after the first against the first, path by path: one row per (scenario,
        output) with the mean difference and its paired and unpaired standard errors."""
        rows = []
        for s, d in zip(self.scenarios[1:], self.raw["differences"]):
            for section in ("metrics", "probabilities", "events"):
                for name, x in d.get(section, {}).items():
                    rows.append({"scenario": s.name, "output": name, "section": section, **x})
        return pd.DataFrame(rows).set_index(["scenario", "output"])


def compare(scenarios: Sequence[Union[Scenario, str]], paths: int = 10_000, seed: int = 1,
            sampler: str = "random", threads: int = 0) -> Comparison:
    """Runs `scenarios` (Scenario objects or names) on common random numbers, as `subsoil compare`."""
    loaded = [s if isinstance(s, Scenario) else load(s) for s in scenarios]
    raw = _native.compare_json([s._native for s in loaded], paths, seed, sampler, threads)
    return Comparison(loaded, json.loads(raw))


def compare_shard(scenarios: Sequence[Union[Scenario, str]], shard: Tuple[int, int],
                  paths: int = 10_000, seed: int = 1, sampler: str = "random",
                  threads: int = 0) -> str:
    """Shard `(index, count)` of a comparison of `scenarios` (Scenario objects or names): its mergeable
    state as JSON text, for `subsoil.merge_compare`. A module-level function, for Dask or Ray workers."""
    loaded = [s if isinstance(s, Scenario) else load(s) for s in scenarios]
    index, count = shard
    return _native.compare_shard_json([s._native for s in loaded], paths, seed, sampler, threads,
                                      index, count)


def merge_compare(scenarios: Sequence[Union[Scenario, str]], shards: Iterable[str]) -> Comparison:
    """Merges the shard states of one comparison of `scenarios` (in the order compared) into the whole
    comparison, bit for bit (`subsoil.compare` with the same arguments)."""
    loaded = [s if isinstance(s, Scenario) else load(s) for s in scenarios]
    raw = _native.merge_compare_json([s._native for s in loaded], list(shards))
    return Comparison(loaded, json.loads(raw))
