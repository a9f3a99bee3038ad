"""The Python package against the command line: the same numbers for the same inputs, located errors,
the GIL released during runs, shards merged through Dask equal to the whole run, and the example in
docs/ run as a script."""

import json
import os
import pathlib
import signal
import subprocess
import sys
import threading
import time
from functools import partial

import pyarrow.parquet as pq
import pytest

import subsoil

ROOT = pathlib.Path(__file__).resolve().parents[3]
SECTIONS = ["metrics", "probabilities", "series", "events", "projects"]


def test_scenarios_are_the_builtin_ones(cli):
    listed = cli("scenarios")
    names = subsoil.scenarios()
    assert len(names) == 6 and "ukraine-final-2025" in names and "drc-sicomines-2024" in names
    assert all(n in listed for n in names)


def test_a_run_equals_the_cli_json_for_the_same_inputs(cli, tmp_path):
    sets = {"rates.valuation": 0.09, "deal.unexploited-count-as-new": False}
    s = subsoil.load("ukraine-final-2025", set=sets)
    r = s.run(paths=5000, seed=3, sampler="lhs", threads=1)
    args = ["run", "ukraine-final-2025", "--paths", "5000", "--seed", "3", "--sampler", "lhs",
            "--set", "rates.valuation=0.09", "--set", "deal.unexploited-count-as-new=false"]
    want = json.loads(cli(*args, "--format", "json", "--out", "out", "--per-path", cwd=tmp_path))
    for section in SECTIONS:
        assert r.raw[section] == want[section], section
    # In the command line's order (report order), not sorted by name.
    for section in ("metrics", "probabilities", "series", "events"):
        assert list(r.raw[section]) == list(want[section]), section
    assert list(r.metrics.index) == list(want["metrics"])
    assert list(r.metrics.index) != sorted(r.metrics.index)
    assert want["manifest"]["scenario_hash"] == s.hash
    for key in ("paths", "seed", "sampler", "block_size", "blocks", "se_method"):
        assert r.raw["header"][key] == want["manifest"][key], key
    # The tables are views of the same numbers.
    m = r.metrics
    assert m.loc["receipts-new", "mean"] == want["metrics"]["receipts-new"]["mean"]
    assert m.loc["receipts-new", "p90"] == want["metrics"]["receipts-new"]["p90"]
    p = r.probabilities
    name = next(iter(want["probabilities"]))
    assert p.loc[name, "hits"] == want["probabilities"][name]["hits"]
    fan = r.series("receipts-new")
    first = want["series"]["receipts-new"]["years"][0]
    assert fan.loc[first["year"], "p50"] == first["p50"]
    # per_path() is paths.parquet of the same run.
    table = r.per_path()
    parquet = pq.read_table(tmp_path / "out" / "paths.parquet")
    assert table.column_names == parquet.column_names
    assert table.equals(parquet)
    assert table.num_rows == 5000


def test_the_inputs_table_is_the_clis_with_provenance_and_sources(cli):
    s = subsoil.load("ukraine-final-2025")
    want = json.loads(cli("inputs", "ukraine-final-2025", "--format", "json"))["inputs"]
    got = s.inputs
    assert list(got.index) == [w["name"] for w in want]
    for w in want:
        row = got.loc[w["name"]]
        for key in ("distribution", "p5", "median", "mean", "p95", "unit", "provenance", "source"):
            assert row[key] == w[key], (w["name"], key)
    assert set(got["provenance"]) <= {"source", "derived", "assumption", "unsourced", "default"}


def test_the_base_case_and_a_comparison_equal_the_cli(cli):
    s = subsoil.load("ukraine-mar-2025-draft")
    want = json.loads(cli("run", "ukraine-mar-2025-draft", "--deterministic", "--format", "json"))
    got = s.base_case()
    for key in got:
        assert got[key] == want[key], key
    c = subsoil.compare(["ukraine-mar-2025-draft", "ukraine-final-2025"], paths=3000, seed=2)
    want = json.loads(cli("compare", "ukraine-mar-2025-draft", "ukraine-final-2025", "--paths",
                          "3000", "--seed", "2", "--format", "json"))
    text = json.dumps(want)
    mean = c.raw["runs"][1]["metrics"]["receipts-new"]["mean"]
    assert json.dumps(mean) in text
    d = c.differences.loc[("ukraine-final-2025", "receipts-new")]
    assert json.dumps(d["mean"]) in text and json.dumps(d["se_paired"]) in text
    assert c.metrics[("ukraine-final-2025", "mean")]["receipts-new"] == mean
    assert list(c.raw["runs"][0]["metrics"]) == list(want["scenarios"][0]["metrics"])


def test_scenario_errors_carry_file_line_column_and_field(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('format-version = 1\nextends = "ukraine-final-2025"\n\n[rates]\nvaluation = "ten"\n')
    with pytest.raises(subsoil.ScenarioError) as e:
        subsoil.load(str(bad))
    (problem,) = e.value.errors
    assert problem.file == str(bad)
    assert (problem.line, problem.column) == (5, 13)
    assert problem.field == "rates.valuation"
    assert "expected a number" in problem.message
    assert f"{bad}:5:13" in str(e.value)
    with pytest.raises(subsoil.ScenarioError) as e:
        subsoil.load("ukraine-final-2025", set={"rates.valuation": "ten"})
    assert e.value.errors[0].field == "rates.valuation"
    with pytest.raises(TypeError):
        subsoil.load("ukraine-final-2025", set={"rates.valuation": [1, 2]})
    with pytest.raises(ValueError):
        subsoil.load("ukraine-final-2025").run(paths=10, sampler="grid")


def test_a_run_beyond_the_command_lines_limits_is_refused_before_it_starts():
    # The command line refuses more than 100,000,000 paths and more than 4 threads a core (256 in all);
    # so does the package, at once, instead of starting a run that cannot finish or exhausts the machine.
    s = subsoil.load("drc-sicomines-2024")
    with pytest.raises(ValueError, match="expected 1 to 100000000 paths"):
        s.run(paths=10**9)
    with pytest.raises(ValueError, match="expected 1 to 100000000 paths"):
        s.run(paths=0)
    with pytest.raises(ValueError, match="threads is too many"):
        s.run(paths=10, threads=10_000)
    assert s.run(paths=10, threads=1).header["paths"] == 10


def test_runs_release_the_gil():
    # While a run holds the GIL no other Python thread can take a single step; with the GIL released
    # the main thread counts freely. A run of 8,000 paths on one thread takes seconds; a thread that is
    # never let through counts nothing, one that runs alongside counts millions: 1,000 separates them.
    s = subsoil.load("ukraine-final-2025")
    done = threading.Event()
    steps = 0

    def work():
        s.run(paths=8_000, seed=1, threads=1)
        done.set()

    t = threading.Thread(target=work)
    t.start()
    time.sleep(0.2)  # let the run start
    while not done.is_set():
        steps += 1
    t.join()
    assert steps > 1000, f"the main thread took {steps} steps while the run went on"


@pytest.mark.parametrize("call", [
    "s.run(paths=50_000_000, threads=1)",
    "s._native.per_path(50_000_000, 1, 'random', 1)",
    "s.run_shard((0, 2), paths=50_000_000, threads=1)",
    "subsoil.compare([s, s], paths=50_000_000, threads=1)",
])
def test_ctrl_c_stops_a_run_and_raises_keyboard_interrupt(call):
    # 50 million paths take hours; a run that ignores Ctrl-C is still going when the 60 s below run out.
    # One that heeds it stops within a chunk of 128 paths (under a second) after the signal.
    code = ("import subsoil\n"
            "s = subsoil.load('ukraine-final-2025')\n"
            "print('started', flush=True)\n"
            f"{call}\n"
            "print('finished', flush=True)\n")
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    try:
        assert p.stdout.readline().strip() == "started"
        time.sleep(1.0)  # the run is under way
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
    finally:
        p.kill()
    assert "KeyboardInterrupt" in err, err
    assert "finished" not in out
    assert p.returncode != 0


def test_dask_map_over_shards_then_merge_equals_the_whole_run():
    from dask.distributed import Client, LocalCluster

    run = dict(paths=13_000, seed=5, sampler="sobol")
    whole = subsoil.load("ukraine-final-2025").run(**run)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        task = partial(subsoil.run_shard, "ukraine-final-2025", threads=1, **run)
        futures = client.map(task, [(i, 4) for i in range(4)])
        states = client.gather(futures)
    merged = subsoil.merge(subsoil.load("ukraine-final-2025"), reversed(states))
    assert merged.raw == whole.raw
    with pytest.raises(subsoil.RunError, match="shard 2/4 of 4 missing"):
        subsoil.merge(whole.scenario, states[:2] + states[3:])
    with pytest.raises(subsoil.RunError, match="is given twice"):
        subsoil.merge(whole.scenario, states + states[:1])


def test_comparison_shards_merge_into_the_whole_comparison():
    names = ["ukraine-mar-2025-draft", "ukraine-final-2025"]
    run = dict(paths=9_000, seed=4, sampler="lhs")
    whole = subsoil.compare(names, **run)
    states = [subsoil.compare_shard(names, (i, 3), threads=1, **run) for i in (2, 0, 1)]
    merged = subsoil.merge_compare(names, states)
    assert merged.raw == whole.raw
    with pytest.raises(subsoil.RunError, match="was run on other scenarios"):
        subsoil.merge_compare(list(reversed(names)), states)


def test_the_notebook_example_runs_as_a_script(tmp_path):
    example = ROOT / "docs" / "examples" / "notebook.py"
    out = subprocess.run([sys.executable, str(example)], capture_output=True, text=True,
                         cwd=tmp_path, env={**os.environ, "SUBSOIL_EXAMPLE_PATHS": "2000"})
    assert out.returncode == 0, out.stderr
    assert "four shards merged: identical to the whole run" in out.stdout, out.stdout
    assert "receipts-new, strict minus final:" in out.stdout, out.stdout
