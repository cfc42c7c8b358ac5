"""SVG charts and the map: well-formed, escaped, one marker per placed deposit."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib import resources

from hypothesis import given
from hypothesis import strategies as st

from urif.reports.svg import bars_svg, fan_svg, nice_ticks, tornado_svg
from urif.reports.ukraine_map import MapPoint, Projection, bounds, map_svg, status_class
from urif.sim.catalogue import load_catalogue

SVG = "{http://www.w3.org/2000/svg}"


def _geojson() -> dict[str, object]:
    text = resources.files("urif.api").joinpath("static/ukraine.geojson").read_text("utf-8")
    data = json.loads(text)
    assert isinstance(data, dict)
    return data


def test_map_has_one_marker_per_deposit_with_coordinates_inside_the_outline_box() -> None:
    deposits = [d for d in load_catalogue() if d.lat is not None and d.lon is not None]
    points = [
        MapPoint(d.id, d.name, d.lat, d.lon, status_class(d.status), d.territory, d.status)
        for d in deposits
        if d.lat is not None and d.lon is not None
    ]
    svg = ET.fromstring(map_svg(_geojson(), points))
    markers = [e for e in svg.iter() if e.get("data-deposit")]
    assert len(markers) == len(deposits)
    west, south, east, north = bounds(_geojson())
    assert all(west <= d.lon <= east and south <= d.lat <= north for d in deposits)  # type: ignore[operator]
    shapes = {e.get("data-deposit"): e.tag.removeprefix(SVG) for e in markers}
    by_id = {d.id: d.territory for d in deposits}
    expected = {"controlled": "circle", "frontline": "path", "occupied": "rect"}
    assert all(shapes[i] == expected[by_id[i]] for i in shapes)


def test_projection_keeps_north_up_and_west_left() -> None:
    p = Projection((22.0, 44.0, 40.0, 52.5), 900, 10)
    (x1, y1), (x2, y2) = p(24.0, 50.0), p(38.0, 46.0)
    assert x1 < x2
    assert y1 < y2


def test_names_are_escaped_in_svg() -> None:
    point = MapPoint("x", "<script>alert(1)</script>", 48.0, 31.0, "operating", "controlled", "&")
    text = map_svg(_geojson(), [point])
    assert "<script>" not in text
    ET.fromstring(text)


def test_fan_tornado_and_bars_are_well_formed_xml() -> None:
    years = [2025, 2026, 2027]
    bands = {k: [1e6, 2e6, None] for k in ("p5", "p25", "p50", "p75", "p95")}
    ET.fromstring(fan_svg(years, bands, "Fund <net> assets", "USD m"))
    tornado = {
        "base": {"m": 5e6},
        "metrics": {"m": [{"parameter": "p", "meaning": "a & b", "low": 1e6, "high": 9e6}]},
    }
    ET.fromstring(tornado_svg(tornado, "m"))
    ET.fromstring(
        bars_svg([("dfc", [("cash", 5e6), ("in kind", -1e6)])], "t", "USD m", stacked=True)
    )


@given(
    st.floats(-1e12, 1e12, allow_nan=False),
    st.floats(-1e12, 1e12, allow_nan=False),
)
def test_ticks_cover_the_range(a: float, b: float) -> None:
    low, high = min(a, b), max(a, b)
    ticks = nice_ticks(low, high)
    slack = 1e-6 * (high - low + 1.0)  # to a millionth of the span
    assert ticks[0] <= low + slack
    assert ticks[-1] >= high - slack
    assert ticks == sorted(ticks)
