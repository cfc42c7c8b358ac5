"""A map of Ukraine with the deposit catalogue, as inline SVG projected server-side.

Owns the projection (equirectangular, scaled by the cosine of the map's middle latitude,
which keeps Ukraine's shape within a few per cent), the outline path from GeoJSON, the
classification of a deposit's free-text status into a few classes, and ``map_svg``: the
country outline with one marker per deposit, filled by status class and outlined (and
shaped) by territory: controlled (circle), front line (diamond), occupied (square).  No
tiles and no network: the GeoJSON comes from the caller.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

#: Status classes in legend order, with their legend text.
STATUS_CLASSES = (
    ("operating", "operating"),
    ("development", "licensed or in development"),
    ("undeveloped", "undeveloped or dormant"),
)
#: Territory in 2025 (the catalogue's ``territory_status_2025``), with legend text.
TERRITORIES = (
    ("controlled", "government-controlled"),
    ("frontline", "front line"),
    ("occupied", "occupied"),
)


def status_class(status: str) -> str:
    """A deposit's free-text status reduced to a class of ``STATUS_CLASSES``.

    >>> status_class("operating but disrupted; Marhanets GOK stopped in Oct 2023")
    'operating'
    >>> status_class("pilot production by VostGOK since June 2011")
    'operating'
    >>> status_class("PSA tender launched Aug 2025; winner Dobra Lithium Holdings")
    'development'
    >>> status_class("dormant licence taken over by Naftogaz (2020-2021); no production")
    'undeveloped'
    """
    text = status.strip().lower()
    if text.startswith(("undeveloped", "dormant")):
        return "undeveloped"
    if text.startswith(("operating", "pilot production", "production")):
        return "operating"
    return "development"


@dataclass(frozen=True, slots=True)
class MapPoint:
    """One deposit to draw: where it is, its classes, and the text of its tooltip."""

    id: str
    name: str
    lat: float
    lon: float
    status: str  # a class of STATUS_CLASSES
    territory: str  # a class of TERRITORIES
    detail: str


class Projection:
    """Longitude/latitude to SVG x/y for a bounding box fitted into ``width``."""

    def __init__(self, bounds: tuple[float, float, float, float], width: float, pad: float) -> None:
        west, south, east, north = bounds
        self.k = math.cos(math.radians((south + north) / 2))
        self.west, self.north, self.pad = west, north, pad
        self.scale = (width - 2 * pad) / ((east - west) * self.k)
        self.width = width
        self.height = (north - south) * self.scale + 2 * pad

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        """SVG coordinates of a point.

        >>> p = Projection((22.0, 44.0, 40.0, 52.5), 900, 10)
        >>> [round(v) for v in p(22.0, 52.5)]
        [10, 10]
        """
        x = self.pad + (lon - self.west) * self.k * self.scale
        y = self.pad + (self.north - lat) * self.scale
        return x, y


def _rings(geometry: Mapping[str, Any]) -> Iterable[Sequence[Sequence[float]]]:
    kind = geometry["type"]
    if kind == "Polygon":
        yield from geometry["coordinates"]
    elif kind == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon
    elif kind == "GeometryCollection":
        for part in geometry["geometries"]:
            yield from _rings(part)


def _geometries(geojson: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    if geojson.get("type") == "FeatureCollection":
        return [f["geometry"] for f in geojson["features"] if f.get("geometry")]
    if geojson.get("type") == "Feature":
        return [geojson["geometry"]]
    return [geojson]


def bounds(geojson: Mapping[str, Any]) -> tuple[float, float, float, float]:
    """West, south, east, north of every ring in ``geojson``."""
    xs: list[float] = []
    ys: list[float] = []
    for geometry in _geometries(geojson):
        for ring in _rings(geometry):
            xs.extend(p[0] for p in ring)
            ys.extend(p[1] for p in ring)
    return min(xs), min(ys), max(xs), max(ys)


def outline_path(geojson: Mapping[str, Any], projection: Projection) -> str:
    """The SVG path data of every ring (one ``M ... Z`` per ring)."""
    parts = []
    for geometry in _geometries(geojson):
        for ring in _rings(geometry):
            points = [projection(p[0], p[1]) for p in ring]
            head, *rest = points
            parts.append(
                f"M{head[0]:.1f},{head[1]:.1f}"
                + "".join(f"L{x:.1f},{y:.1f}" for x, y in rest)
                + "Z"
            )
    return "".join(parts)


def _marker(point: MapPoint, x: float, y: float) -> str:
    cls = f"deposit status-{point.status} territory-{point.territory}"
    tip = f"<title>{escape(point.name)}: {escape(point.detail)}</title>"
    data = f'data-deposit="{escape(point.id)}"' if point.id else 'aria-hidden="true"'
    if point.territory == "occupied":
        return f'<rect class="{cls}" {data} x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12">{tip}</rect>'
    if point.territory == "frontline":
        d = f"M{x:.1f},{y - 8:.1f}L{x + 8:.1f},{y:.1f}L{x:.1f},{y + 8:.1f}L{x - 8:.1f},{y:.1f}Z"
        return f'<path class="{cls}" {data} d="{d}">{tip}</path>'
    return f'<circle class="{cls}" {data} cx="{x:.1f}" cy="{y:.1f}" r="7">{tip}</circle>'


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _label_box(
    name: str, x: float, y: float, placed: list[tuple[float, float, float, float]]
) -> tuple[float, float, str] | None:
    """Where a marker's label fits without covering another (right, left, above, below).

    >>> taken: list[tuple[float, float, float, float]] = []
    >>> _label_box("Dobra", 100, 100, taken)
    (109, 104, 'start')
    >>> _label_box("Dobra", 100, 100, taken)[2]
    'end'
    """
    width = 5.6 * len(name)
    options = (
        (x + 9, y + 4, "start", (x + 9, y - 7, x + 9 + width, y + 6)),
        (x - 9, y + 4, "end", (x - 9 - width, y - 7, x - 9, y + 6)),
        (x, y - 11, "middle", (x - width / 2, y - 22, x + width / 2, y - 9)),
        (x, y + 19, "middle", (x - width / 2, y + 8, x + width / 2, y + 21)),
    )
    for lx, ly, anchor, box in options:
        if not any(_overlaps(box, other) for other in placed):
            placed.append(box)
            return lx, ly, anchor
    return None


def map_svg(geojson: Mapping[str, Any], points: Sequence[MapPoint], *, width: int = 900) -> str:
    """Ukraine's outline with a marker per deposit and a legend, as one ``<svg>``."""
    projection = Projection(bounds(geojson), width, 16)
    legend_h = 64
    height = projection.height + legend_h
    out = [
        f'<svg class="map" viewBox="0 0 {width} {height:.0f}" role="img" '
        'aria-label="Map of Ukraine with the deposits of the catalogue" '
        'xmlns="http://www.w3.org/2000/svg">',
        "<title>Deposits by status and territory (2025)</title>",
        f'<path class="country" d="{outline_path(geojson, projection)}"/>',
    ]
    projected = [(point, *projection(point.lon, point.lat)) for point in points]
    placed = [(x - 8, y - 8, x + 8, y + 8) for _, x, y in projected]  # labels avoid markers
    for point, x, y in projected:
        out.append(_marker(point, x, y))
    for point, x, y in projected:
        label = _label_box(point.name, x, y, placed)
        if label is not None:
            lx, ly, anchor = label
            out.append(
                f'<text class="deposit-label" x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">'
                f"{escape(point.name)}</text>"
            )
    y0 = projection.height + 14
    for i, (key, text) in enumerate(STATUS_CLASSES):
        x = 20 + i * 230
        out.append(
            f'<circle class="deposit status-{key} territory-controlled" cx="{x}" cy="{y0}" r="7"/>'
        )
        out.append(f'<text class="legend" x="{x + 12}" y="{y0 + 4}">{escape(text)}</text>')
    y1 = y0 + 26
    for i, (key, text) in enumerate(TERRITORIES):
        x = 20 + i * 230
        marker = _marker(MapPoint("", "", 0, 0, "legend", key, text), x, y1)
        out.append(marker.replace("<title></title>", ""))
        out.append(f'<text class="legend" x="{x + 12}" y="{y1 + 4}">{escape(text)}</text>')
    out.append("</svg>")
    return "\n".join(out)
