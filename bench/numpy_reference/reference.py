"""An independent NumPy implementation of subsoil's project economics, vectorised across paths.

Written from DESIGN.md (section 2) and docs/scenario-reference.md, not from the Rust code, so that agreement
between the two within Monte Carlo error means something. It reads a scenario TOML with tomllib and covers
what a scenario of projects built at the start needs:

- prices: per product, the log price follows an exact Ornstein-Uhlenbeck step toward ln(long-run level)
  (the long-run level is the median of the stationary distribution), from the start price in the first
  year; start price, long-run level, volatility and half-life may each be uncertain (drawn once per path);
- projects with `decision = "always"` and nothing before construction (no [stages], no [conflict]):
  construction from the start year, capex spent evenly over the construction years, production for
  `life-years` (a partial last year produces its share), a ramp-plateau or decline profile, royalty on
  revenue, opex per unit, sustaining capex, closure the year after production ends;
- corporate income tax on revenue less royalty, opex, depreciation and closure, with losses carried
  forward without limit; straight-line depreciation over `depreciation-years` of the capex from the first
  production year and of each year's sustaining capex from its year;
- the headline outputs in real base-year dollars: total revenue, initial capex, the state's receipts
  (royalty and corporate tax) and the sum of the projects' NPVs of free cash flow at the valuation rate
  (flows of year t discounted by (1 + r)^-t; no inflation unless [macro] gives it).

Usage: python reference.py SCENARIO.toml [--paths N] [--seed S] [--time] [--json]
With --time it prints one line `cpu_us=... paths=...`: the process CPU time of the simulation alone (after
reading the file), as bench/run.sh reads it. With --json it prints each output's mean and standard error.
The random numbers are NumPy's (PCG64): they differ from subsoil's, the distributions must not.
"""

import argparse
import json
import math
import sys
import time
import tomllib

import numpy as np

Z90 = 1.2815515655446004  # standard normal 90th percentile


def draw(q, n, rng):
    """The quantity `q` (a number or a table with `value` or `dist`) on `n` paths."""
    if isinstance(q, (int, float)):
        return np.full(n, float(q))
    if "value" in q and "dist" not in q:
        return np.full(n, float(q["value"]))
    kind = q["dist"]
    if kind == "fixed":
        return np.full(n, float(q["value"]))
    if kind == "uniform":
        return rng.uniform(q["min"], q["max"], n)
    if kind == "triangular":
        return rng.triangular(q["min"], q["mode"], q["max"], n)
    if kind == "normal":
        x = rng.normal(q["mean"], q["sd"], n)
        return np.clip(x, q.get("min", -np.inf), q.get("max", np.inf))
    if kind in ("lognormal", "shifted-lognormal"):
        shift = q.get("shift", 0.0)
        if "sigma" in q:
            mu, sigma = math.log(q["median"] - shift), q["sigma"]
        elif "p90" in q:
            mu = math.log(q["median"] - shift)
            sigma = (math.log(q["p90"] - shift) - mu) / Z90
        else:
            m, s = q["mean"] - shift, q["sd"]
            sigma = math.sqrt(math.log(1 + (s / m) ** 2))
            mu = math.log(m) - sigma**2 / 2
        return shift + np.exp(mu + sigma * rng.standard_normal(n))
    raise SystemExit(f"reference.py: distribution {kind!r} is not supported")


def get(table, key, default, n, rng):
    return draw(table[key], n, rng) if key in table else np.full(n, float(default))


def simulate(scenario, n, seed):
    """Every path's headline outputs (real base-year USD), as a dict of arrays of length n."""
    for unsupported in ("conflict", "stages", "deal", "leakage"):
        if unsupported in scenario:
            raise SystemExit(f"reference.py: [{unsupported}] is not supported")
    rng = np.random.default_rng(seed)
    time_ = scenario.get("time", {})
    horizon = int(time_.get("horizon-years", 50))
    macro = scenario.get("macro", {})
    # `inflation` (formerly `us-inflation`, which subsoil still reads).
    key = "inflation" if "inflation" in macro else "us-inflation"
    inflation = get(macro, key, 0.0, n, rng)
    rates, fiscal = scenario["rates"], scenario["fiscal"]
    valuation = draw(rates["valuation"], n, rng)
    cit = draw(fiscal["cit-rate"], n, rng)
    dep_years = int(fiscal.get("depreciation-years", 10))
    unc = scenario.get("uncertainty", {})

    # Prices, real, by product and year: shape (years, paths).
    prices = {}
    for pid, p in scenario["products"].items():
        x = np.log(draw(p["price"], n, rng))
        mu = np.log(draw(p["long-run"], n, rng))
        sigma = get(p, "volatility", 0.0, n, rng)
        half_life = get(p, "half-life", 10000.0, n, rng)
        kappa = math.log(2.0) / half_life
        decay = np.exp(-kappa)
        shock_sd = sigma * np.sqrt(-np.expm1(-2.0 * kappa) / (2.0 * kappa))
        eps = rng.standard_normal((horizon - 1, n))
        path = np.empty((horizon, n))
        path[0] = x
        for t in range(1, horizon):
            x = mu + (x - mu) * decay + shock_sd * eps[t - 1]
            path[t] = x
        prices[pid] = np.exp(path)

    index = (1.0 + inflation)[None, :] ** np.arange(horizon)[:, None]  # price index by year
    nominal_rate = (1.0 + valuation) * (1.0 + inflation) - 1.0
    discount = (1.0 + nominal_rate)[None, :] ** -np.arange(horizon)[:, None]

    out = {k: np.zeros(n) for k in ("revenue", "capex", "receipts", "npv-total")}
    for pid, pr in scenario["projects"].items():
        if pr.get("decision", "npv") != "always":
            raise SystemExit(f"reference.py: project {pid} needs decision = \"always\"")
        build = int(round(float(pr["construction-years"])))
        life_f = float(pr["life-years"])
        life = math.ceil(life_f)
        last_share = life_f - (life - 1) if life > 0 else 1.0
        overrun = get(pr, "capex-overrun", 1.0, n, rng) if "capex-overrun" in pr else get(unc, "capex-overrun", 1.0, n, rng)
        opex_mult = get(pr, "opex-multiplier", 1.0, n, rng) if "opex-multiplier" in pr else get(unc, "opex-multiplier", 1.0, n, rng)
        prod_f = get(pr, "production-factor", 1.0, n, rng) if "production-factor" in pr else get(unc, "production-factor", 1.0, n, rng)
        capex = draw(pr["capex"], n, rng) * overrun
        sustaining = get(pr, "sustaining-capex", 0.0, n, rng)
        closure = get(pr, "closure-cost", 0.0, n, rng)
        prof = pr.get("profile", {})
        kind = prof.get("kind", "ramp-plateau")
        ramp_years = int(prof.get("ramp-years", 0))
        ramp_start = get(prof, "ramp-start", 1.0, n, rng)
        decline = get(prof, "decline-rate", 0.0, n, rng)
        products = []
        for k, pp in pr["products"].items():
            royalty = pp["royalty-rate"] if "royalty-rate" in pp else scenario["products"][k]["royalty-rate"]
            products.append((k, draw(pp["capacity"], n, rng) * prod_f, get(pp, "opex", 0.0, n, rng) * opex_mult, draw(royalty, n, rng)))

        first = build if build > 0 else 0  # first production year index
        capitalised = np.zeros(n)
        dep_ring = np.zeros((horizon + dep_years + 1, n))  # depreciation due by year
        carried = np.zeros(n)
        npv = np.zeros(n)
        for t in range(horizon):
            idx = index[t]
            capex_t = capex * idx / max(build, 1) if t < max(build, 1) else np.zeros(n)
            capitalised += capex_t
            revenue = np.zeros(n)
            royalty = np.zeros(n)
            opex = np.zeros(n)
            sust = np.zeros(n)
            clos = np.zeros(n)
            age = t - first
            if 0 <= age < life:
                part = last_share if age == life - 1 else 1.0
                if kind == "decline":
                    share = (1.0 - decline) ** age * part
                elif age < ramp_years:
                    share = (ramp_start + (1.0 - ramp_start) * age / ramp_years) * part
                else:
                    share = np.full(n, part)
                for k, capacity, unit_opex, rate in products:
                    q = capacity * share
                    sales = q * prices[k][t] * idx
                    revenue += sales
                    royalty += sales * rate
                    opex += q * unit_opex * idx
                sust = sustaining * idx * part
                if age == 0:
                    dep_ring[t : t + dep_years] += capitalised / dep_years
                dep_ring[t : t + dep_years] += sust / dep_years
            elif age == life:
                clos = closure * idx
            profit = revenue - royalty - opex - dep_ring[t] - clos
            taxable = profit - carried
            tax = cit * np.maximum(taxable, 0.0)
            carried = np.maximum(-taxable, 0.0)
            fcf = revenue - royalty - opex - tax - capex_t - sust - clos
            npv += fcf * discount[t]
            out["revenue"] += revenue / idx
            out["capex"] += capex_t / idx
            out["receipts"] += (royalty + tax) / idx
        out["npv-total"] += npv
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario")
    ap.add_argument("--paths", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    with open(a.scenario, "rb") as f:
        scenario = tomllib.load(f)
    start = time.process_time()
    out = simulate(scenario, a.paths, a.seed)
    cpu = time.process_time() - start
    if a.time:
        print(f"cpu_us={cpu * 1e6:.0f} paths={a.paths}")
    if a.json:
        stats = {k: {"mean": float(v.mean()), "se": float(v.std(ddof=1) / math.sqrt(len(v)))} for k, v in out.items()}
        json.dump(stats, sys.stdout, indent=1)
        print()


if __name__ == "__main__":
    main()
