#!/usr/bin/env python3
"""Check data/deposits.csv, data/licence_events.csv and the oblast map against each other.

Run from anywhere (Python 3.11, standard library only):

    python3 tools/geo/check.py

Hard errors (exit status 1): wrong header, duplicate or unknown ids, values outside
the allowed sets, malformed dates, oblast names missing from data/oblasts.csv,
geojson units that differ from data/oblasts.csv.
Reported but not fatal: coordinates that fall outside every oblast they are listed
under (the coordinates are approximate town locations), or outside Ukraine's
bounding box.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

DEPOSIT_HEADER = [
    "id", "name", "name_uk", "commodities", "oblast", "location_kind", "lat", "lon",
    "coords_approximate", "stage", "resource_tonnes", "grade", "contained", "control",
    "control_as_of", "licence_holder", "notes", "sources", "low_reliability",
]
EVENT_HEADER = ["deposit_id", "event", "date", "holder", "note", "source", "low_reliability"]
LOCATION_KINDS = {"site", "basin-wide", "offshore"}
STAGES = {"identified", "explored", "licensed", "tender", "construction", "producing", "closed"}
CONTROLS = {"ukraine", "frontline", "occupied", "unknown"}
EVENTS = {"issued", "re-awarded", "renewed", "psa-signed", "revoked", "production-start", "production-halt"}
DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")

Point = tuple[float, float]


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def point_in_ring(p: Point, ring: list[list[float]]) -> bool:
    x, y = p
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y):
            xc = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < xc:
                inside = not inside
    return inside


def point_in_feature(p: Point, feature: dict) -> bool:
    geom = feature["geometry"]
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    for poly in polys:
        if point_in_ring(p, poly[0]) and not any(point_in_ring(p, hole) for hole in poly[1:]):
            return True
    return False


def main() -> int:
    root = Path(__file__).resolve().parents[2]
    data = root / "data"
    errors: list[str] = []
    notes: list[str] = []

    _, oblasts = read_csv(data / "oblasts.csv")
    by_name = {o["name"]: o["iso"] for o in oblasts}
    if len(oblasts) != 27 or len(by_name) != 27:
        errors.append("oblasts.csv must hold 27 units with distinct names")

    geo = json.loads((data / "ukraine-oblasts.geojson").read_text(encoding="utf-8"))
    features = {f["properties"]["iso"]: f for f in geo["features"]}
    for o in oblasts:
        f = features.get(o["iso"])
        if f is None:
            errors.append(f"geojson lacks {o['iso']}")
        elif (f["properties"]["name"], f["properties"]["name_uk"]) != (o["name"], o["name_uk"]):
            errors.append(f"geojson names of {o['iso']} differ from oblasts.csv")
    if set(features) != {o["iso"] for o in oblasts}:
        errors.append("geojson units differ from oblasts.csv")
    xs = [c[0] for f in geo["features"] for c in iter_coords(f)]
    ys = [c[1] for f in geo["features"] for c in iter_coords(f)]
    bbox = (min(xs), min(ys), max(xs), max(ys))

    header, deposits = read_csv(data / "deposits.csv")
    if header != DEPOSIT_HEADER:
        errors.append(f"deposits.csv header {header} != {DEPOSIT_HEADER}")
    ids = [d["id"] for d in deposits]
    if len(ids) != len(set(ids)):
        errors.append("deposits.csv has duplicate ids")
    for d in deposits:
        rid = d["id"]
        for field, allowed in (("location_kind", LOCATION_KINDS), ("stage", STAGES), ("control", CONTROLS)):
            if d[field] not in allowed:
                errors.append(f"{rid}: {field} {d[field]!r} not in {sorted(allowed)}")
        if d["low_reliability"] not in ("true", "false"):
            errors.append(f"{rid}: low_reliability must be true or false")
        if d["control_as_of"] and not DATE.match(d["control_as_of"]):
            errors.append(f"{rid}: bad control_as_of {d['control_as_of']!r}")
        listed = [o for o in d["oblast"].split(";") if o]
        for o in listed:
            if o not in by_name:
                errors.append(f"{rid}: oblast {o!r} is not in oblasts.csv")
        has_lat, has_lon = bool(d["lat"]), bool(d["lon"])
        if has_lat != has_lon:
            errors.append(f"{rid}: lat and lon must both be given or both be empty")
            continue
        if not has_lat:
            if d["coords_approximate"]:
                errors.append(f"{rid}: coords_approximate set without coordinates")
            continue
        if d["coords_approximate"] not in ("true", "false"):
            errors.append(f"{rid}: coords_approximate must be true or false when coordinates are given")
        p = (float(d["lon"]), float(d["lat"]))
        if not (bbox[0] <= p[0] <= bbox[2] and bbox[1] <= p[1] <= bbox[3]):
            notes.append(f"{rid}: ({d['lat']}, {d['lon']}) lies outside Ukraine's bounding box")
            continue
        inside = [iso for iso, f in features.items() if point_in_feature(p, f)]
        wanted = {by_name[o] for o in listed if o in by_name}
        if not wanted & set(inside):
            names = {o["iso"]: o["name"] for o in oblasts}
            found = ", ".join(names[i] for i in inside) or "no oblast"
            notes.append(f"{rid}: ({d['lat']}, {d['lon']}) lies in {found}, listed under {d['oblast']}")

    header, events = read_csv(data / "licence_events.csv")
    if header != EVENT_HEADER:
        errors.append(f"licence_events.csv header {header} != {EVENT_HEADER}")
    known = set(ids)
    for n, e in enumerate(events, start=2):
        where = f"licence_events.csv line {n}"
        if e["deposit_id"] not in known:
            errors.append(f"{where}: unknown deposit_id {e['deposit_id']!r}")
        if e["event"] not in EVENTS:
            errors.append(f"{where}: event {e['event']!r} not in {sorted(EVENTS)}")
        if e["date"] and not DATE.match(e["date"]):
            errors.append(f"{where}: bad date {e['date']!r}")
        if not e["source"]:
            errors.append(f"{where}: no source")
        if e["low_reliability"] not in ("true", "false"):
            errors.append(f"{where}: low_reliability must be true or false")

    with_xy = sum(1 for d in deposits if d["lat"])
    print(f"{len(deposits)} deposits ({with_xy} with coordinates), {len(events)} licence events, {len(oblasts)} units")
    for line in notes:
        print("note:", line)
    for line in errors:
        print("error:", line)
    return 1 if errors else 0


def iter_coords(feature: dict):
    geom = feature["geometry"]
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    for poly in polys:
        for ring in poly:
            yield from ring


if __name__ == "__main__":
    sys.exit(main())
