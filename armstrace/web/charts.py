"""Geometry of the server-drawn SVG charts: the supplier → recipient network and the timeline.

The pages draw SVG on the server (no script, no build step: the CSP allows only static script
and none is needed to read a chart). This module only computes positions from the JSON data a
view returns; the templates (`_charts.html`) write the SVG, so every label and tooltip goes
through Jinja's autoescaping like any other text on the page. Layouts are deterministic: the same
data always gives the same picture, which keeps screenshots and tests stable.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

from armstrace import vocab

#: one colour per SPEC §3 category (in `vocab.CATEGORIES` order), distinguishable on white
CATEGORY_COLOURS: Final = dict(zip(vocab.CATEGORIES, (
    "#1f77b4", "#aec7e8", "#ff7f0e", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#2ca02c",
    "#bcbd22", "#7f7f7f", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173",
    "#e7ba52", "#000000", "#ad494a", "#3182bd", "#b5b5b5"), strict=True))
CERTAINTY_COLOURS: Final = {"certain": "#1a7f37", "probable": "#d4a72c", "possible": "#cf222e"}
NETWORK_SIZE: Final = 900
TIMELINE_W: Final = 960
TIMELINE_H: Final = 380
_MARGIN: Final = {"left": 56, "right": 16, "top": 16, "bottom": 40}


def colour(series: str) -> str:
    """The colour of a category or certainty value (grey for anything else)."""
    return CATEGORY_COLOURS.get(series) or CERTAINTY_COLOURS.get(series) or "#999999"


def network_layout(nodes: Sequence[Mapping[str, Any]],
                   edges: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Nodes on a circle (heaviest first, clockwise from the top), edges as curves that bow to
    their left, so A → B and B → A stay apart; widths on a log scale of records."""
    size = NETWORK_SIZE
    cx = cy = size / 2
    radius = size / 2 - 150 if len(nodes) > 1 else 0
    most = max((n["records"] for n in nodes), default=1) or 1
    placed: dict[str, dict[str, Any]] = {}
    for i, n in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(nodes), 1)
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        r = 4 + 10 * math.sqrt(n["records"] / most)
        lx, ly = cx + (radius + r + 6) * math.cos(angle), cy + (radius + r + 6) * math.sin(angle)
        placed[n["id"]] = {**n, "x": round(x, 1), "y": round(y, 1), "r": round(r, 1),
                           "lx": round(lx, 1), "ly": round(ly + 4, 1),
                           "anchor": "start" if math.cos(angle) > 0.01 else
                           ("end" if math.cos(angle) < -0.01 else "middle")}
    heaviest = max((e["records"] for e in edges), default=1) or 1
    curves = []
    for e in edges:
        a, b = placed.get(e["supplier"]), placed.get(e["recipient"])
        if a is None or b is None or a is b:
            continue
        dx, dy = b["x"] - a["x"], b["y"] - a["y"]
        length = math.hypot(dx, dy) or 1
        # control point: off the chord's middle, to the left of the direction of travel
        qx, qy = (a["x"] + b["x"]) / 2 + dy / length * length * 0.15, \
                 (a["y"] + b["y"]) / 2 - dx / length * length * 0.15
        # end on the target's rim, coming from the control point
        ex, ey = b["x"] - qx, b["y"] - qy
        el = math.hypot(ex, ey) or 1
        tx, ty = b["x"] - ex / el * (b["r"] + 3), b["y"] - ey / el * (b["r"] + 3)
        width = 1 + 5 * math.log1p(e["records"]) / math.log1p(heaviest)
        curves.append({**e, "d": f"M{a['x']:.1f},{a['y']:.1f} Q{qx:.1f},{qy:.1f} "
                                 f"{tx:.1f},{ty:.1f}",
                       "width": round(width, 2), "colour": colour(e["category"])})
    order = {c: i for i, c in enumerate(vocab.CATEGORIES)}
    legend = sorted({e["category"] for e in edges}, key=lambda c: (order.get(c, 99), c))
    return {"size": size, "nodes": list(placed.values()), "edges": curves,
            "legend": [(c, colour(c)) for c in legend]}


def _months(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _step(top: int) -> int:
    """A round tick step giving about five ticks up to `top`."""
    raw = max(top / 5, 1)
    mag = 10 ** math.floor(math.log10(raw))
    return int(next(s * mag for s in (1, 2, 5, 10) if s * mag >= raw))


def timeline_layout(months: Sequence[Mapping[str, Any]], series: Sequence[str]) -> dict[str, Any]:
    """Stacked bars, one per calendar month from the first to the last month with reports
    (empty months included, so gaps show as gaps); `series` in stacking order, bottom first."""
    w, h = TIMELINE_W, TIMELINE_H
    left, right, top_m, bottom = (_MARGIN[k] for k in ("left", "right", "top", "bottom"))
    by_month = {m["month"]: m["counts"] for m in months}
    axis = _months(months[0]["month"], months[-1]["month"]) if months else []
    top = max((sum(by_month.get(m, {}).values()) for m in axis), default=0)
    step = _step(top)
    ymax = max(step * math.ceil(top / step), step)
    plot_w, plot_h = w - left - right, h - top_m - bottom
    bar = plot_w / max(len(axis), 1)
    bars = []
    for i, m in enumerate(axis):
        y = float(top_m + plot_h)
        for s in series:
            n = by_month.get(m, {}).get(s, 0)
            if not n:
                continue
            height = plot_h * n / ymax
            y -= height
            bars.append({"month": m, "series": s, "n": n, "x": round(left + i * bar, 2),
                         "y": round(y, 2), "w": round(max(bar - 1, 1), 2),
                         "h": round(height, 2), "colour": colour(s)})
    ticks = [{"y": round(top_m + plot_h - plot_h * v / ymax, 1), "label": v}
             for v in range(0, ymax + 1, step)]
    if len(axis) <= 24:  # a short span: label months (at most twelve labels)
        every = math.ceil(len(axis) / 12)
        years = [{"x": round(left + i * bar, 1), "label": m} for i, m in enumerate(axis)
                 if i % every == 0]
    else:  # a long span: label years, every few years past twelve
        years = [{"x": round(left + i * bar, 1), "label": m[:4]} for i, m in enumerate(axis)
                 if m.endswith("-01") or i == 0]
        years = years[::math.ceil(len(years) / 12)]
    return {"width": w, "height": h, "bars": bars, "ticks": ticks, "years": years,
            "left": left, "bottom": top_m + plot_h, "right": w - right,
            "legend": [(s, colour(s)) for s in series]}
