"""Inline SVG for `ledger report`: the dependency graph and the dwell and cadence charts.

Plain strings built from the records of `report.data` and `report.charts`; every piece of text
that comes from the ledger or the history goes through `esc` (element text and attribute values
alike). No `xmlns` or other URL is written: inline SVG in HTML needs none, and the page names no
address at all.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from ..graph import CYCLE_COLOUR, STATUS_COLOURS
from ..wording import plural
from .charts import DayCount, DwellSeries
from .data import BOX_PADDING, GraphPart
from .layout import Point

_SURROGATES = re.compile("[\ud800-\udfff]")
_NOT_IN_ANCHORS = re.compile(r"[^A-Za-z0-9_.-]")

TIER_COLOURS = ("#9e9e9e", "#f9a825", "#ef6c00", "#c62828")
TURN_COLOUR = "#1565c0"
EVIDENCE_COLOUR = "#2e7d32"


def esc(text: object) -> str:
    """Text safe in element content and in quoted attribute values (undecodable bytes of the
    ledger, kept as lone surrogates, become U+FFFD)."""
    return html.escape(_SURROGATES.sub("\ufffd", str(text)), quote=True)


def anchor(prefix: str, name: str) -> str:
    """An HTML id for `name` (a focus ID, a rule code): ASCII letters, digits, `_.-` kept, any
    other character spelt as `_hex_`, so distinct names never share an id."""
    return prefix + "-" + _NOT_IN_ANCHORS.sub(lambda m: f"_{ord(m.group()):x}_", name)


def _n(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros (stable across runs)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


# --- the graph ---------------------------------------------------------------------------------


def _curve(points: Sequence[Point]) -> str:
    """An SVG path through `points`, each step a cubic with horizontal tangents."""
    (x0, y0), rest = points[0], points[1:]
    out = [f"M{_n(x0)},{_n(y0)}"]
    for x1, y1 in rest:
        dx = (x1 - x0) / 2
        out.append(f"C{_n(x0 + dx)},{_n(y0)} {_n(x1 - dx)},{_n(y1)} {_n(x1)},{_n(y1)}")
        x0, y0 = x1, y1
    return " ".join(out)


def graph_svg(part: GraphPart) -> str:
    """The graph as inline SVG: nodes coloured by status (closed ones greyed, external ones
    dashed), edges as curves (waits-on dashed), cycle steps and members in red."""
    lay = part.layout
    out = [
        f'<svg class="depgraph" role="img" aria-label="dependency graph" '
        f'width="{_n(lay.width)}" height="{_n(lay.height)}" '
        f'viewBox="0 0 {_n(lay.width)} {_n(lay.height)}">',
        "<defs>",
        _marker("arrow", "#607d8b"),
        _marker("arrow-cycle", CYCLE_COLOUR),
        "</defs>",
    ]
    for edge, route in zip(part.edges, lay.routes):
        classes = ["edge", edge.kind.value]
        if edge.in_cycle:
            classes.append("cycle")
        if route.backwards:
            classes.append("backwards")
        marker = "arrow-cycle" if edge.in_cycle else "arrow"
        out.append(
            f'<path class="{" ".join(classes)}" d="{_curve(route.points)}" '
            f'marker-end="url(#{marker})" data-source="{esc(edge.source)}" '
            f'data-target="{esc(edge.target)}"><title>{esc(edge.source)} '
            f"{'depends on' if edge.kind.value == 'depends_on' else 'waits on'} "
            f"{esc(edge.target)}</title></path>"
        )
    for node in part.nodes.values():
        box = lay.boxes[node.id]
        fill, ink = STATUS_COLOURS.get(node.status, STATUS_COLOURS["unknown"])
        classes = ["node", f"st-{node.status}"]
        for flag, name in (
            (node.closed, "closed"),
            (node.external, "external"),
            (node.in_cycle, "in-cycle"),
            (node.active, "active"),
        ):
            if flag:
                classes.append(name)
        stroke = CYCLE_COLOUR if node.in_cycle else ink
        tip = f"{node.id} ({node.status})" + (f": {node.title}" if node.title else "")
        shape = (
            f'<g class="{" ".join(classes)}" data-id="{esc(node.id)}">'
            f"<title>{esc(tip)}</title>"
            f'<rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.width)}" '
            f'height="{_n(box.height)}" rx="6" fill="{fill}" stroke="{stroke}"/>'
            f'<text x="{_n(box.x + BOX_PADDING)}" y="{_n(box.y + 15)}" fill="{ink}">'
            f"{esc(node.id)}</text>"
            f'<text class="sub" x="{_n(box.x + BOX_PADDING)}" y="{_n(box.y + 28)}" '
            f'fill="{ink}">{esc(node.status)}</text></g>'
        )
        if node.external:
            out.append(shape)
        else:
            out.append(f'<a href="#{anchor("card", node.id)}">{shape}</a>')
    out.append("</svg>")
    return "".join(out)


def _marker(name: str, colour: str) -> str:
    return (
        f'<marker id="{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" '
        f'fill="{colour}"/></marker>'
    )


# --- the charts --------------------------------------------------------------------------------

_CHART_HEIGHT = 120.0
_LEFT, _RIGHT, _TOP, _BOTTOM = 28.0, 30.0, 8.0, 22.0


def dwell_chart(series: DwellSeries, tiers: tuple[int, int, int]) -> str:
    """One focus's dwell after each of its turns, the tier thresholds drawn across."""
    points = series.points
    top = max(max(p.dwell for p in points), tiers[-1]) + 1
    plot_w = min(max(len(points) * 16.0, 160.0), 640.0)
    plot_h = _CHART_HEIGHT - _TOP - _BOTTOM
    width = _LEFT + plot_w + _RIGHT

    def x(i: int) -> float:
        return _LEFT + (plot_w * (i + 0.5) / len(points))

    def y(value: float) -> float:
        return _TOP + plot_h - plot_h * value / top

    out = [
        f'<svg class="dwell-chart" role="img" data-focus="{esc(series.id)}" '
        f'data-points="{len(points)}" width="{_n(width)}" height="{_n(_CHART_HEIGHT)}" '
        f'viewBox="0 0 {_n(width)} {_n(_CHART_HEIGHT)}" '
        f'aria-label="dwell of {esc(series.id)} turn by turn">'
    ]
    for k, threshold in enumerate(tiers, 1):
        band_top = y(tiers[k] if k < len(tiers) else top)
        out.append(
            f'<rect class="band tier-{k}" x="{_n(_LEFT)}" y="{_n(band_top)}" '
            f'width="{_n(plot_w)}" height="{_n(y(threshold) - band_top)}" '
            f'fill="{TIER_COLOURS[k]}" fill-opacity="0.08"/>'
            f'<line class="threshold" x1="{_n(_LEFT)}" x2="{_n(_LEFT + plot_w)}" '
            f'y1="{_n(y(threshold))}" y2="{_n(y(threshold))}" stroke="{TIER_COLOURS[k]}" '
            f'stroke-dasharray="4 3"/>'
            f'<text class="axis" x="{_n(_LEFT + plot_w + 4)}" y="{_n(y(threshold) + 4)}">'
            f"T{k}</text>"
        )
    out.append(
        f'<line class="axis-line" x1="{_n(_LEFT)}" x2="{_n(_LEFT + plot_w)}" '
        f'y1="{_n(y(0))}" y2="{_n(y(0))}"/>'
        f'<text class="axis" x="{_n(_LEFT - 4)}" y="{_n(y(0) + 4)}" text-anchor="end">0</text>'
        f'<text class="axis" x="{_n(_LEFT - 4)}" y="{_n(y(tiers[-1]) + 4)}" '
        f'text-anchor="end">{tiers[-1]}</text>'
    )
    highest = max(p.dwell for p in points)
    if highest > tiers[-1] + 1:
        out.append(
            f'<text class="axis" x="{_n(_LEFT - 4)}" y="{_n(y(highest) + 4)}" '
            f'text-anchor="end">{highest}</text>'
        )
    line = " ".join(f"{_n(x(i))},{_n(y(p.dwell))}" for i, p in enumerate(points))
    out.append(f'<polyline class="dwell-line" points="{line}"/>')
    for i, p in enumerate(points):
        tier = f" (T{p.tier})" if p.tier else ""
        tip = (
            f"turn {p.turn}, {p.date:%Y-%m-%d %H:%M} {p.sha[:8]}: dwell {p.dwell}{tier}"
            + (f", after {plural(p.evidence, 'evidence commit')}" if p.evidence else "")
            + f" — {p.subject}"
        )
        out.append(
            f'<circle class="turn tier-{p.tier}" cx="{_n(x(i))}" cy="{_n(y(p.dwell))}" r="3.5" '
            f'fill="{TIER_COLOURS[p.tier]}" data-turn="{p.turn}" data-dwell="{p.dwell}" '
            f'data-tier="{p.tier}"><title>{esc(tip)}</title></circle>'
        )
    first, last = points[0].date, points[-1].date
    out.append(
        f'<text class="axis" x="{_n(_LEFT)}" y="{_n(_CHART_HEIGHT - 6)}">{first:%Y-%m-%d}</text>'
    )
    if len(points) > 1:
        out.append(
            f'<text class="axis" x="{_n(_LEFT + plot_w)}" y="{_n(_CHART_HEIGHT - 6)}" '
            f'text-anchor="end">{last:%Y-%m-%d}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def cadence_chart(days: Sequence[DayCount]) -> str:
    """Supervisor turns and implementation evidence commits per day, side by side."""
    # a year of days fits in about 1100 units; a few days still get a readable width
    step = max(min(720.0 / len(days), 60.0), 3.0, 240.0 / len(days))
    plot_w = step * len(days)
    plot_h = _CHART_HEIGHT + 20 - _TOP - _BOTTOM
    height = plot_h + _TOP + _BOTTOM
    width = _LEFT + plot_w + _RIGHT
    top = max(max(d.turns for d in days), max(d.evidence for d in days), 1)
    bar = step * 0.4

    def y(value: int) -> float:
        return _TOP + plot_h - plot_h * value / top

    out = [
        f'<svg class="cadence-chart" role="img" data-days="{len(days)}" width="{_n(width)}" '
        f'height="{_n(height)}" viewBox="0 0 {_n(width)} {_n(height)}" '
        'aria-label="supervisor turns and implementation evidence per day">',
        f'<line class="axis-line" x1="{_n(_LEFT)}" x2="{_n(_LEFT + plot_w)}" '
        f'y1="{_n(y(0))}" y2="{_n(y(0))}"/>',
        f'<text class="axis" x="{_n(_LEFT - 4)}" y="{_n(y(0) + 4)}" text-anchor="end">0</text>',
        f'<text class="axis" x="{_n(_LEFT - 4)}" y="{_n(y(top) + 4)}" '
        f'text-anchor="end">{top}</text>',
    ]
    for i, d in enumerate(days):
        left = _LEFT + i * step + step * 0.1
        tip = (
            f"{d.day.isoformat()}: {plural(d.turns, 'supervisor turn')}, "
            f"{plural(d.evidence, 'evidence commit')}"
        )
        out.append(f'<g class="day" data-day="{d.day.isoformat()}"><title>{esc(tip)}</title>')
        for k, (value, colour, name) in enumerate(
            ((d.turns, TURN_COLOUR, "turns"), (d.evidence, EVIDENCE_COLOUR, "evidence"))
        ):
            if value:
                out.append(
                    f'<rect class="{name}" x="{_n(left + k * bar)}" y="{_n(y(value))}" '
                    f'width="{_n(bar)}" height="{_n(y(0) - y(value))}" fill="{colour}"/>'
                )
        out.append("</g>")
    out.append(
        f'<text class="axis" x="{_n(_LEFT)}" y="{_n(height - 6)}">{days[0].day.isoformat()}</text>'
    )
    if len(days) > 1:
        out.append(
            f'<text class="axis" x="{_n(_LEFT + plot_w)}" y="{_n(height - 6)}" '
            f'text-anchor="end">{days[-1].day.isoformat()}</text>'
        )
    out.append("</svg>")
    return "".join(out)
