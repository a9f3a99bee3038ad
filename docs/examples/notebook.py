# %% [markdown]
# # The final US–Ukraine agreement in a notebook
#
# Each `# %%` cell runs in Jupyter (or VS Code) as written; the whole file also runs as a script
# (`python docs/examples/notebook.py`), which is how CI checks it. It needs the package:
# `pip install crates/subsoil-py` (docs/python.md).

# %%
import os

import subsoil

PATHS = int(os.environ.get("SUBSOIL_EXAMPLE_PATHS", "20000"))
print("subsoil", subsoil.__version__, "- built-in scenarios:", ", ".join(subsoil.scenarios()))

# %% [markdown]
# Load the final agreement, and a variant with a higher valuation rate (any field can be set, as with
# `--set` on the command line).

# %%
final = subsoil.load("ukraine-final-2025")
strict = subsoil.load("ukraine-final-2025", set={"rates.valuation": 0.12})
print(final, final.title)
print(final.inputs[["distribution", "p5", "median", "p95", "unit"]].head(8).to_string())

# %% [markdown]
# The base case: every uncertain input at its median.

# %%
base = final.base_case()
totals = base["totals"]
print(f"base case: state receipts from new licences {totals['receipts_new'] / 1e9:.2f} bn USD (real)")

# %% [markdown]
# A Monte Carlo run with Latin hypercube sampling: the metrics and probabilities are pandas tables.

# %%
r = final.run(paths=PATHS, seed=1, sampler="lhs")
m = r.metrics
print(m.loc[["receipts-new", "partner-receipts"], ["mean", "se", "p10", "p50", "p90"]].to_string())
print(r.probabilities[["p", "ci95_low", "ci95_high"]].head(6).to_string())

# %% [markdown]
# One yearly series as a fan chart's numbers, and every path as a pyarrow table (to pandas, polars or
# DuckDB).

# %%
fan = r.series("receipts-new")
print(fan[["p10", "p50", "p90"]].loc[2030:2035].to_string())
paths = r.per_path()
frame = paths.to_pandas()
print(f"{paths.num_rows} paths x {paths.num_columns} columns;",
      "mean receipts-new from the rows:", f"{frame['receipts-new'].mean():.6g}",
      "(the run says", f"{m.loc['receipts-new', 'mean']:.6g})")

# %% [markdown]
# The two versions on common random numbers: the paired difference has a much smaller error than two
# independent runs would give.

# %%
c = subsoil.compare([final, strict], paths=PATHS // 2, seed=1)
d = c.differences.loc[(strict.name, "receipts-new")]
print(f"receipts-new, strict minus final: {d['mean']:.4g} (paired se {d['se_paired']:.3g}, "
      f"unpaired {d['se_unpaired']:.3g})")

# %% [markdown]
# The same run in four shards (each could run on another machine), merged: identical to the whole run.

# %%
states = [final.run_shard((i, 4), paths=PATHS, seed=1, sampler="lhs") for i in range(4)]
merged = subsoil.merge(final, states)
assert merged.raw == r.raw
print("four shards merged: identical to the whole run")
