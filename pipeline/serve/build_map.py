"""Build the dashboard's map file from the boundary GeoJSON (run once; the result ships in the package).

    python -m pipeline.serve.build_map [--boundaries ../shared/data/regions/boundaries] [--out pipeline/serve/static/map.json]

The source (``regencies.geojson`` and ``provinces.geojson``, MIT, cahyadsn/wilayah_boundaries; see
``static/PROVENANCE.md``) is 4 MB of WGS 84 coordinates. The browser needs SVG paths, so this
projects them once (equirectangular: Indonesia straddles the equator, where its distortion is
small), quantizes to 0.01 degree (about 1 km, the source's own simplification tolerance),
simplifies with Douglas-Peucker, drops islets smaller than a few pixels (never a region's largest
polygon, so every region keeps a shape) and writes relative SVG path strings.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

SCALE = 100.0  # map units per degree: one unit = 0.01 degree
LNG0, LAT0 = 94.5, 6.5  # top-left corner of the map
DEFAULT_SOURCE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "regions" / "boundaries"
DEFAULT_OUT = Path(__file__).resolve().parent / "static" / "map.json"

Point = tuple[int, int]


def project(lng: float, lat: float) -> Point:
    return round((lng - LNG0) * SCALE), round((LAT0 - lat) * SCALE)


def _perpendicular(p: Point, a: Point, b: Point) -> float:
    if a == b:
        return math.dist(p, a)
    (x, y), (x1, y1), (x2, y2) = p, a, b
    return abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / math.dist(a, b)


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """Iterative Douglas-Peucker (rings of thousands of points would overflow recursion)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            d = _perpendicular(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if best > tolerance and index > 0:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _area(ring: list[Point]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def _ring(coords: list[list[float]], tolerance: float) -> list[Point]:
    points: list[Point] = []
    for lng, lat in coords:
        p = project(lng, lat)
        if not points or points[-1] != p:
            points.append(p)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    # Close for the simplification (so the ring's start is not a fixed corner), then reopen.
    simplified = douglas_peucker([*points, points[0]], tolerance)[:-1] if len(points) > 3 else points
    return simplified


def _path(rings: list[list[Point]]) -> str:
    parts = []
    for ring in rings:
        x0, y0 = ring[0]
        steps = []
        px, py = x0, y0
        for x, y in ring[1:]:
            steps.append(f"{x - px} {y - py}")
            px, py = x, y
        parts.append(f"M{x0} {y0}l" + " ".join(steps) + "z")
    return "".join(parts)


def feature_path(geometry: dict[str, Any], tolerance: float, min_area: float) -> str:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    shapes = []
    for polygon in polygons:
        rings = [r for r in (_ring(ring, tolerance) for ring in polygon) if len(r) >= 3]
        if rings:
            shapes.append((_area(rings[0]), rings))
    if not shapes:
        return ""
    largest = max(area for area, _ in shapes)
    rings_out: list[list[Point]] = []
    for area, rings in shapes:
        if area >= min_area or area == largest:
            rings_out.append(rings[0])
            rings_out.extend(r for r in rings[1:] if _area(r) >= min_area)  # holes
    return _path(rings_out)


def build(source: Path, tolerance: float = 1.0, min_area: float = 4.0) -> dict[str, Any]:
    regencies = json.loads((source / "regencies.geojson").read_text(encoding="utf-8"))
    provinces = json.loads((source / "provinces.geojson").read_text(encoding="utf-8"))
    out_regions = []
    xs: list[int] = []
    ys: list[int] = []
    for feature in sorted(regencies["features"], key=lambda f: f["properties"]["code"]):
        props = feature["properties"]
        d = feature_path(feature["geometry"], tolerance, min_area)
        if not d:
            raise ValueError(f"{props['code']}: no polygon left after simplification")
        cx, cy = project(props["lng"], props["lat"])
        xs.append(cx)
        ys.append(cy)
        out_regions.append({"code": props["code"], "name": props["name"], "d": d})
    out_provinces = [
        {
            "code": f["properties"]["code"],
            "name": f["properties"]["name"],
            "d": feature_path(f["geometry"], tolerance * 2, min_area * 4),
        }
        for f in sorted(provinces["features"], key=lambda f: f["properties"]["code"])
    ]
    width, height = project(141.5, -11.5)
    return {
        "projection": {"type": "equirectangular", "scale": SCALE, "lng0": LNG0, "lat0": LAT0},
        "viewBox": [0, 0, width, height],
        "regencies": out_regions,
        "provinces": out_provinces,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--boundaries", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--tolerance", type=float, default=1.0, help="Douglas-Peucker tolerance in map units")
    args = parser.parse_args(argv)
    data = build(args.boundaries, args.tolerance)
    args.out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"{args.out}: {len(data['regencies'])} regencies, {len(data['provinces'])} provinces, {args.out.stat().st_size:,} bytes"
    )


if __name__ == "__main__":
    main()
