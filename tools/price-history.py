#!/usr/bin/env python3
"""Derives the long-run price figures of data/products.toml from real annual price series.

For each of the six products with a long series it prints the highest and lowest real annual average
(their ratio is `long-run-p95-p5-max`), and an AR(1) on the log real annual average,
x(t) = a + b x(t-1) (+ c after a break year) + e: the half-life ln 0.5 / ln b and the volatility of the
exact yearly Ornstein-Uhlenbeck step that has the same residual s.d., s / sqrt((1 - b^2) / (2 kappa)),
kappa = -ln b (crates/subsoil-core/src/prices.rs).

Inputs (clone each repository and give its directory):
  https://github.com/datasets/commodity-prices  data/commodity-prices.csv (IMF, monthly 1980-2017) and
      data/commodity-prices_v2.csv (monthly 1990-2025; its header row does not match its columns, so the
      columns are located by their values, which equal the 1980-2017 file's over 1990-2016)
  https://github.com/datasets/gold-prices       data/annual.csv
  https://github.com/datasets/cpi-us            data/cpiai.csv (CPI-U, monthly)

Usage: tools/price-history.py COMMODITY_PRICES_DIR GOLD_PRICES_DIR CPI_US_DIR
Standard library only.
"""

import csv
import math
import sys
from collections import defaultdict

# (product, column in the 1980-2017 file, column in the 1990-2025 file, first year, break year or None)
IMF = [
    ("iron-ore", 25, 34, 1980, 2005),
    ("nickel", 34, 43, 1980, None),
    ("uranium", 59, 67, 1980, None),
    ("natural-gas", 31, 40, 1985, None),
    ("crude-oil", 36, 45, 1980, None),
]
LAST = 2024


def rows(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))[1:]


def annual(table, col, first, last, months=12):
    by_year = defaultdict(list)
    for row in table:
        year = int(row[0][:4])
        if first <= year <= last and col < len(row) and row[col] not in ("", "0.0"):
            by_year[year].append(float(row[col]))
    return {y: sum(v) / len(v) for y, v in by_year.items() if len(v) >= months}


def solve(a, b):
    """Gaussian elimination with partial pivoting."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for i in range(n):
        p = max(range(i, n), key=lambda r: abs(m[r][i]))
        m[i], m[p] = m[p], m[i]
        for r in range(n):
            if r != i:
                f = m[r][i] / m[i][i]
                m[r] = [x - f * y for x, y in zip(m[r], m[i])]
    return [m[i][n] / m[i][i] for i in range(n)]


def ar1(logs, brk):
    """b and the residual s.d. of x(t) on x(t-1) (and a shift from year `brk`)."""
    years = sorted(logs)
    x, y = [], []
    for t in years[1:]:
        row = [1.0, logs[t - 1]] + ([1.0 if t >= brk else 0.0] if brk else [])
        x.append(row)
        y.append(logs[t])
    k = len(x[0])
    xtx = [[sum(r[i] * r[j] for r in x) for j in range(k)] for i in range(k)]
    xty = [sum(r[i] * v for r, v in zip(x, y)) for i in range(k)]
    beta = solve(xtx, xty)
    res = [v - sum(c * xi for c, xi in zip(beta, r)) for r, v in zip(x, y)]
    return beta[1], math.sqrt(sum(e * e for e in res) / (len(res) - k))


def report(name, nominal, cpi, base, brk):
    real = {y: p * cpi[base] / cpi[y] for y, p in nominal.items()}
    hi = max(real, key=real.get)
    lo = min(real, key=real.get)
    b, s = ar1({y: math.log(p) for y, p in real.items()}, brk)
    kappa = -math.log(b)
    sigma = s / math.sqrt((1 - b * b) / (2 * kappa))
    print(
        f"{name:12} {min(real)}-{max(real)} highest {real[hi]:,.4g} ({hi}) lowest {real[lo]:,.4g} ({lo}) "
        f"ratio {real[hi] / real[lo]:.2f} | AR(1){' shift ' + str(brk) if brk else ''}: b {b:.3f} "
        f"half-life {math.log(2) / kappa:.1f} yr, residual s.d. {s:.3f}, volatility {sigma:.2f}"
    )


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    prices, gold, cpi_dir = sys.argv[1:]
    monthly = defaultdict(list)
    for row in rows(f"{cpi_dir}/data/cpiai.csv"):
        monthly[int(row[0][:4])].append(float(row[1]))
    # 2025 has 11 months (October 2025 was not published).
    cpi = {y: sum(v) / len(v) for y, v in monthly.items() if len(v) >= 11}
    base = 2025
    old = rows(f"{prices}/data/commodity-prices.csv")
    new = rows(f"{prices}/data/commodity-prices_v2.csv")
    print(f"real annual averages in {base} dollars (CPI-U annual average)")
    for name, c_old, c_new, first, brk in IMF:
        series = {**annual(old, c_old, first, 1989), **annual(new, c_new, 1990, LAST)}
        report(name, series, cpi, base, None)
        if brk:
            report(name, series, cpi, base, brk)
    g = {int(r[0]): float(r[1]) for r in rows(f"{gold}/data/annual.csv")}
    report("gold", {y: p for y, p in g.items() if 1971 <= y <= LAST}, cpi, base, None)
    real = {y: g[y] * cpi[base] / cpi[y] for y in range(1971, LAST + 1)}
    since = [real[y] for y in range(2006, LAST + 1)]
    ordered = sorted(real.values())
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    print(f"gold: real median 1971-{LAST} {median:,.0f}, real mean 2006-{LAST} {sum(since) / len(since):,.0f}")


if __name__ == "__main__":
    main()
