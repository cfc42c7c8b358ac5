"""Derive the dashboard's map of Ukraine from Natural Earth via the npm package world-atlas.

Run once by hand (the output is committed as package data; nothing downloads at run time):
    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/make_ukraine_geojson.py package/countries-50m.json \
        src/urif/api/static/ukraine.geojson
Natural Earth is public domain; world-atlas is ISC-licensed (Mike Bostock).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Un-delta and un-quantise every arc of a TopoJSON topology."""
    scale = topology["transform"]["scale"]
    translate = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append(
                (round(x * scale[0] + translate[0], 4), round(y * scale[1] + translate[1], 4))
            )
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    """Stitch arc indices (negative = reversed) into one closed ring."""
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return [list(p) for p in points]


def inside(point: tuple[float, float], points: list[list[float]]) -> bool:
    """Even-odd point-in-ring test."""
    x, y = point
    result = False
    for i in range(len(points)):
        x1, y1 = points[i]
        x2, y2 = points[i - 1]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            result = not result
    return result


def main(source: str, target: str) -> None:
    """Write Ukraine (ISO numeric 804) in its internationally recognised borders."""
    topology = json.loads(Path(source).read_text())
    arcs = decode_arcs(topology)
    geometries = topology["objects"]["countries"]["geometries"]
    ukraine = next(g for g in geometries if str(g.get("id")) == "804")
    polygons = ukraine["arcs"] if ukraine["type"] == "MultiPolygon" else [ukraine["arcs"]]
    coordinates = [[ring(r, arcs) for r in polygon] for polygon in polygons]
    # Natural Earth's default view draws Crimea inside Russia (id 643); the fund works in
    # Ukraine's internationally recognised borders (UN GA Res. 68/262), so move it back.
    russia = next(g for g in geometries if str(g.get("id")) == "643")
    sevastopol = (33.52, 44.6)
    for polygon in russia["arcs"]:
        rings = [ring(r, arcs) for r in polygon]
        if inside(sevastopol, rings[0]):
            coordinates.append(rings)
    feature = {
        "type": "Feature",
        "properties": {
            "name": "Ukraine",
            "source": "Natural Earth 1:50m admin 0 via world-atlas 2.0.2 (npm); Crimea "
            "added back from the same file (internationally recognised borders)",
            "licence": "public domain (Natural Earth); world-atlas ISC",
        },
        "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
    }
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    Path(target).write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
