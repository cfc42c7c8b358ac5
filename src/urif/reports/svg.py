"""Charts as inline SVG for the dashboard: fan charts, tornado bars and grouped bars.

Owns small, dependency-free SVG renderers over the JSON-safe summaries of ``urif.sim``
(the same data ``urif.reports.charts`` draws as PNG) and over capital figures.  Output is
a self-contained ``<svg>`` string: every text is escaped, colours come from CSS classes
(``fan-band-outer``, ``bar-0`` ...) so a strict Content-Security-Policy (no inline
styles) holds, and the numbers are also in ``<title>`` elements for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

WIDTH = 720
HEIGHT = 300
MARGIN = (50, 20, 36, 72)  # top, right, bottom, left


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering ``[low, high]``.

    >>> nice_ticks(0, 97)
    [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
    >>> nice_ticks(-3, 3)
    [-4.0, -2.0, 0.0, 2.0, 4.0]
    """
    if not math.isfinite(low) or not math.isfinite(high):
        return [0.0, 1.0]
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    count = max(1, math.ceil((high - start) / step - 1e-9))
    return [float(round(start + i * step, 10)) for i in range(count + 1)]


def number_text(value: float) -> str:
    """A tick label: integers with separators, else one decimal.

    >>> number_text(1500.0), number_text(2.5), number_text(-0.0)
    ('1,500', '2.5', '0')
    """
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.1f}"


class _Frame:
    """The plotting area and its linear scales."""

    def __init__(self, x0: float, x1: float, y0: float, y1: float) -> None:
        top, right, bottom, left = MARGIN
        self.left, self.top = left, top
        self.w, self.h = WIDTH - left - right, HEIGHT - top - bottom
        self.x0, self.x1 = x0, (x1 if x1 != x0 else x0 + 1)
        self.y0, self.y1 = y0, (y1 if y1 != y0 else y0 + 1)

    def x(self, value: float) -> float:
        return self.left + (value - self.x0) / (self.x1 - self.x0) * self.w

    def y(self, value: float) -> float:
        return self.top + self.h - (value - self.y0) / (self.y1 - self.y0) * self.h


def _open(title: str, label: str) -> list[str]:
    return [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(label)}</title>",
        f'<text class="chart-title" x="{MARGIN[3]}" y="22">{escape(title)}</text>',
    ]


def _y_axis(frame: _Frame, ticks: Sequence[float], unit: str) -> list[str]:
    out = []
    for t in ticks:
        y = frame.y(t)
        out.append(
            f'<line class="grid" x1="{frame.left}" x2="{frame.left + frame.w}" '
            f'y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        out.append(
            f'<text class="tick" x="{frame.left - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(number_text(t))}</text>"
        )
    out.append(
        f'<text class="axis-label" x="12" y="{frame.top + frame.h / 2:.0f}" '
        f'transform="rotate(-90 12 {frame.top + frame.h / 2:.0f})" text-anchor="middle">'
        f"{escape(unit)}</text>"
    )
    return out


def _finite(values: Sequence[float | None], scale: float) -> list[float | None]:
    return [None if v is None or not math.isfinite(v) else v / scale for v in values]


def _polyline(frame: _Frame, xs: Sequence[float], ys: Sequence[float | None]) -> str:
    points = [
        f"{frame.x(x):.1f},{frame.y(y):.1f}" for x, y in zip(xs, ys, strict=True) if y is not None
    ]
    return " ".join(points)


def _band(
    frame: _Frame, xs: Sequence[float], low: Sequence[float | None], high: Sequence[float | None]
) -> str:
    pairs = [
        (x, lo, hi)
        for x, lo, hi in zip(xs, low, high, strict=True)
        if lo is not None and hi is not None
    ]
    upper = [f"{frame.x(x):.1f},{frame.y(hi):.1f}" for x, _, hi in pairs]
    lower = [f"{frame.x(x):.1f},{frame.y(lo):.1f}" for x, lo, _ in reversed(pairs)]
    return " ".join(upper + lower)


def fan_svg(
    years: Sequence[int],
    bands: Mapping[str, Sequence[float | None]],
    title: str,
    unit: str,
    *,
    scale: float = 1e6,
) -> str:
    """A fan chart: the median and the 25–75 and 5–95 percentile bands per year."""
    series = {key: _finite(bands[key], scale) for key in ("p5", "p25", "p50", "p75", "p95")}
    values = [v for s in series.values() for v in s if v is not None] or [0.0]
    ticks = nice_ticks(min(values), max(values))
    frame = _Frame(years[0], years[-1], ticks[0], ticks[-1])
    xs = [float(y) for y in years]
    median = series["p50"]
    last = next((v for v in reversed(median) if v is not None), None)
    label = (
        f"{title}: median in {years[-1]} {number_text(last) if last is not None else 'n/a'} {unit}"
    )
    out = _open(title, label)
    out += _y_axis(frame, ticks, unit)
    step = max(1, len(years) // 8)
    for year in years[::step]:
        out.append(
            f'<text class="tick" x="{frame.x(year):.1f}" y="{frame.top + frame.h + 18}" '
            f'text-anchor="middle">{year}</text>'
        )
    out.append(
        f'<polygon class="fan-band-outer" points="{_band(frame, xs, series["p5"], series["p95"])}"/>'
    )
    out.append(
        f'<polygon class="fan-band-inner" points="{_band(frame, xs, series["p25"], series["p75"])}"/>'
    )
    out.append(f'<polyline class="fan-median" points="{_polyline(frame, xs, median)}"/>')
    for i, (cls, text) in enumerate(
        (("fan-band-outer", "5–95%"), ("fan-band-inner", "25–75%"), ("fan-median-key", "median"))
    ):
        x = frame.left + i * 85
        out.append(f'<rect class="{cls}" x="{x}" y="29" width="14" height="10"/>')
        out.append(f'<text class="legend" x="{x + 18}" y="38">{escape(text)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def tornado_svg(
    tornado: Mapping[str, Any], metric: str, *, scale: float = 1e6, bars: int = 8
) -> str:
    """Tornado bars from the base mean to each parameter's low and high setting."""
    rows = list(tornado["metrics"][metric])[:bars]
    base = float(tornado["base"][metric]) / scale
    values = (
        [base] + [float(r["low"]) / scale for r in rows] + [float(r["high"]) / scale for r in rows]
    )
    ticks = nice_ticks(min(values), max(values))
    top, right, bottom, _ = MARGIN
    left = 210
    height = top + bottom + 26 * max(len(rows), 1)
    w = WIDTH - left - right
    x0, x1 = ticks[0], ticks[-1]

    def x(value: float) -> float:
        return left + (value - x0) / ((x1 - x0) or 1.0) * w

    title = f"Tornado: mean {metric} (USD m), low setting red, high setting green"
    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<text class="chart-title" x="{left}" y="22">{escape(title)}</text>',
    ]
    for t in ticks:
        out.append(
            f'<line class="grid" x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{top}" y2="{height - bottom}"/>'
        )
        out.append(
            f'<text class="tick" x="{x(t):.1f}" y="{height - bottom + 16}" text-anchor="middle">'
            f"{escape(number_text(t))}</text>"
        )
    for i, row in enumerate(rows):
        y = top + 26 * i + 4
        low, high = float(row["low"]) / scale, float(row["high"]) / scale
        for cls, value in (("bar-low", low), ("bar-high", high)):
            a, b = sorted((x(base), x(value)))
            out.append(
                f'<rect class="{cls}" x="{a:.1f}" y="{y}" width="{max(b - a, 0.5):.1f}" height="18">'
                f"<title>{escape(str(row['parameter']))}: {escape(number_text(value))}</title></rect>"
            )
        out.append(
            f'<text class="tick" x="{left - 8}" y="{y + 13}" text-anchor="end">'
            f"{escape(str(row.get('meaning') or row['parameter']))}</text>"
        )
    out.append(
        f'<line class="axis" x1="{x(base):.1f}" x2="{x(base):.1f}" y1="{top}" y2="{height - bottom}"/>'
    )
    out.append("</svg>")
    return "\n".join(out)


def bars_svg(
    groups: Sequence[tuple[str, Sequence[tuple[str, float]]]],
    title: str,
    unit: str,
    *,
    scale: float = 1e6,
    stacked: bool = False,
) -> str:
    """Grouped (or stacked) vertical bars: one group per label, one bar per series."""
    names = list(dict.fromkeys(name for _, series in groups for name, _ in series))
    if stacked:
        totals = [sum(v / scale for _, v in s) for _, s in groups]
        values = [*totals, 0.0, *(v / scale for _, s in groups for _, v in s if v < 0)]
    else:
        values = [0.0, *(v / scale for _, s in groups for _, v in s)]
    ticks = nice_ticks(min(values), max(values))
    frame = _Frame(0, max(len(groups), 1), ticks[0], ticks[-1])
    out = _open(title, title)
    out += _y_axis(frame, ticks, unit)
    group_w = frame.w / max(len(groups), 1)
    bar_w = group_w * 0.6 / (1 if stacked else max(len(names), 1))
    for g, (label, series) in enumerate(groups):
        gx = frame.left + g * group_w + group_w * 0.2
        base = 0.0
        for name, value in series:
            k = names.index(name)
            v = value / scale
            if stacked:
                y_from, y_to, bx = base, base + v, gx
                base += v
            else:
                y_from, y_to, bx = 0.0, v, gx + k * bar_w
            a, b = sorted((frame.y(y_from), frame.y(y_to)))
            out.append(
                f'<rect class="bar-{k % 6}" x="{bx:.1f}" y="{a:.1f}" width="{bar_w:.1f}" '
                f'height="{max(b - a, 0.5):.1f}"><title>{escape(label)}, {escape(name)}: '
                f"{escape(number_text(v))} {escape(unit)}</title></rect>"
            )
        out.append(
            f'<text class="tick" x="{gx + group_w * 0.3:.1f}" y="{frame.top + frame.h + 18}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    out.append(
        f'<line class="axis" x1="{frame.left}" x2="{frame.left + frame.w}" '
        f'y1="{frame.y(0):.1f}" y2="{frame.y(0):.1f}"/>'
    )
    for k, name in enumerate(names):
        x = frame.left + 10 + k * 150
        out.append(f'<rect class="bar-{k % 6}" x="{x}" y="28" width="12" height="10"/>')
        out.append(f'<text class="legend" x="{x + 16}" y="37">{escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out)
