"""The page of `ledger report --html`: one self-contained HTML file from a `Report`.

Everything is inline (styles, SVG, one small script, the data as JSON), nothing is fetched: the
Content-Security-Policy says `default-src 'none'`, allows inline styles and only the page's own
script, by its hash. Every string from the ledger is escaped where it lands (`svg.esc` for
element text and attribute values; the JSON block has `<`, `>` and `&` written as `\\u` escapes,
so a `</script>` in a title cannot end it). The page has no timestamp and nothing of the machine
it was made on: the same ledger and history give the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable

from ..graph import STATUS_COLOURS
from ..vocab import Severity
from ..wording import plural
from .charts import DwellAbsent, DwellPart
from .data import Board, Card, Column, GraphPart, Health, Report
from .svg import (
    EVIDENCE_COLOUR,
    TURN_COLOUR,
    anchor,
    cadence_chart,
    dwell_chart,
    esc,
    graph_svg,
)

SCHEMA_VERSION = 1

# The page's one script: the board filter, which also reads the data block (a data block a
# title broke would throw here, which a browser test sees).
SCRIPT = """(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var input = document.getElementById("board-filter");
  var count = document.getElementById("board-count");
  var cards = Array.prototype.slice.call(document.querySelectorAll("article.card"));
  function apply() {
    var wanted = input.value.trim().toLowerCase();
    var shown = 0;
    cards.forEach(function (card) {
      var hit = !wanted || card.getAttribute("data-search").indexOf(wanted) >= 0;
      card.hidden = !hit;
      if (hit) { shown += 1; }
    });
    count.textContent = shown + " of " + data.focus.length + " focus items";
  }
  input.addEventListener("input", apply);
  apply();
  document.documentElement.setAttribute("data-ready", "1");
})();"""

_SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; "
    f"script-src 'sha256-{_SCRIPT_HASH}'; base-uri 'none'; form-action 'none'"
)

_STYLE = """
:root { --ink:#1f2933; --muted:#616e7c; --line:#d9e2ec; --bg:#f5f7fa; --card:#fff;
  --error:#c62828; --warning:#ef6c00; --info:#1565c0; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: var(--ink); background: var(--bg); }
header.page, section { padding: 12px 20px; }
header.page { background: #243b53; color: #fff; }
header.page a { color: #bcccdc; }
h1 { margin: 0 0 4px; font-size: 20px; }
h2 { margin: 8px 0; font-size: 17px; border-bottom: 1px solid var(--line); }
h3 { margin: 0 0 8px; font-size: 14px; }
nav a { margin-right: 14px; }
.meta { margin: 0 0 6px; color: #d9e2ec; }
code, .id, pre, svg text { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.columns { display: grid; grid-template-columns: repeat(5, minmax(210px, 1fr)); gap: 10px;
  overflow-x: auto; }
.column { background: #e4e7eb; border-radius: 6px; padding: 8px; min-height: 60px; }
.count { color: var(--muted); font-weight: normal; }
.cards { display: flex; flex-direction: column; gap: 8px; }
details.archived .cards { flex-flow: row wrap; }
details.archived .card { width: 260px; }
.card { background: var(--card); border-radius: 5px; padding: 7px 9px;
  border-left: 4px solid #9aa5b1; box-shadow: 0 1px 2px rgba(0,0,0,.12); }
.card.active { outline: 2px solid #f0b429; }
.card.in-cycle { border-left-color: #d50000; }
.card p { margin: 3px 0; }
.card .id { font-weight: bold; font-size: 12px; word-break: break-all; }
.title { overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 0 6px; border-radius: 9px; font-size: 11px;
  background: #e4e7eb; margin-right: 3px; }
.badge.active-focus { background: #f0b429; color: #000; }
.prio-Critical { background: #c62828; color: #fff; }
.prio-High { background: #ef6c00; color: #fff; }
.prio-Medium { background: #fff3c4; } .prio-Low { background: #e3f8ff; }
.tier-1 { background: #fff3c4; } .tier-2 { background: #ffd8a8; }
.tier-3 { background: #c62828; color: #fff; }
.small, .absent, .empty { color: var(--muted); font-size: 12px; }
.said { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical;
  overflow: hidden; }
.scroll { overflow: auto; background: #fff; border: 1px solid var(--line); border-radius: 6px;
  max-height: 80vh; }
svg text { font-size: 12px; }
svg text.sub { font-size: 10px; opacity: .85; }
svg text.axis { font-size: 10px; fill: var(--muted); }
svg .edge { fill: none; stroke: #607d8b; stroke-width: 1.3; }
svg .edge.waits_on { stroke-dasharray: 5 4; }
svg .edge.cycle { stroke: #d50000; stroke-width: 2.2; }
svg .node.closed { opacity: .5; }
svg .node.external rect { stroke-dasharray: 4 3; }
svg .node.in-cycle rect { stroke-width: 2.5; }
svg .node.active rect { stroke-width: 3; }
svg .dwell-line { fill: none; stroke: #52606d; stroke-width: 1.5; }
svg .axis-line { stroke: #9aa5b1; }
.cycles li { color: #b71c1c; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px;
  padding: 6px 8px; }
figcaption { font-size: 12px; margin-bottom: 4px; }
.key { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 10px; }
table { border-collapse: collapse; background: #fff; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; }
.sev-error { color: var(--error); } .sev-warning { color: var(--warning); }
.sev-info { color: var(--info); }
ul.findings { padding-left: 18px; max-height: 40vh; overflow: auto; }
pre.ledger { background: #fff; border: 1px solid var(--line); padding: 6px 0; margin: 0;
  font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
pre.ledger .line { display: block; padding: 0 8px 0 64px; text-indent: -56px; }
pre.ledger .ln { display: inline-block; width: 48px; margin-right: 8px; text-align: right;
  color: #9aa5b1; text-decoration: none; text-indent: 0; }
pre.ledger .ln::before { content: attr(data-n); }
pre.ledger .line.sev-error { background: #ffebee; }
pre.ledger .line.sev-warning { background: #fff8e1; }
pre.ledger .line.sev-info { background: #e3f2fd; }
pre.ledger .line:target { background: #fff3c4; outline: 1px solid #f0b429; }
.card:target, figure:target { outline: 3px solid #f0b429; }
"""
# A card's edge in its status's colour, the colours `ledger graph` uses.
STYLE = _STYLE + "".join(
    f".card.st-{status} {{ border-left-color: {fill if ink == '#ffffff' else ink}; }}\n"
    for status, (fill, ink) in STATUS_COLOURS.items()
)


def render_html(report: Report) -> str:
    """The whole page for `report`."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(report.title)} — ledger report</title>",
        f"<style>{STYLE}</style></head><body>",
        _header(report),
        _board(report.board),
        _graph(report.graph),
        _dwell(report.dwell),
        _health(report.health),
        _ledger_text(report),
        f'<script type="application/json" id="report-data">{_data_json(report)}</script>',
        f"<script>{SCRIPT}</script>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _header(report: Report) -> str:
    facts = [f"<code>{esc(report.source)}</code>"]
    if report.last_updated:
        facts.append(f"last updated {esc(report.last_updated)}")
    active = report.board.active_focus_id
    if active:
        facts.append(f'active focus <a href="#{anchor("card", active)}">{esc(active)}</a>')
    if isinstance(report.dwell, DwellPart) and report.dwell.rev:
        facts.append(f"history up to <code>{esc(report.dwell.rev[:12])}</code>")
    links = (
        ("board", "Board"),
        ("graph", "Dependency graph"),
        ("dwell", "Dwell"),
        ("health", "Health"),
        ("ledger", "Ledger text"),
    )
    nav = "".join(f'<a href="#{name}">{label}</a>' for name, label in links)
    return (
        f'<header class="page"><h1>{esc(report.title)}</h1>'
        f'<p class="meta">{" · ".join(facts)}</p><nav>{nav}</nav></header>'
    )


# --- board -------------------------------------------------------------------------------------


def _board(board: Board) -> str:
    out = [
        '<section id="board"><h2>Board</h2>',
        '<p><label>Filter <input id="board-filter" type="search" '
        'placeholder="ID or title"></label> <span id="board-count" class="small"></span></p>',
        '<div class="columns">',
    ]
    for col in board.columns:
        if col.column is Column.archived:
            continue
        cards = "".join(_card(c) for c in col.cards) or '<p class="empty">none</p>'
        out.append(
            f'<div class="column" id="col-{col.column.value}">'
            f'<h3>{esc(col.column.heading)} <span class="count">{len(col.cards)}</span></h3>'
            f'<div class="cards">{cards}</div></div>'
        )
    out.append("</div>")
    archived = board.cards_in(Column.archived)
    out.append(
        f'<details class="archived" id="col-archived"><summary>'
        f"{esc(Column.archived.heading)} ({len(archived)})</summary>"
        f'<div class="cards">{"".join(_card(c) for c in archived)}</div></details></section>'
    )
    return "".join(out)


def _card(card: Card) -> str:
    classes = ["card", f"st-{card.status.value}"]
    if card.active:
        classes.append("active")
    if card.in_cycle:
        classes.append("in-cycle")
    badges = []
    if card.active:
        badges.append('<span class="badge active-focus">active focus</span>')
    if card.priority is not None:
        badges.append(
            f'<span class="badge prio-{card.priority.value}">{card.priority.value}</span>'
        )
    badges.append(f'<span class="badge status">{card.status.value}</span>')
    if card.dwell is not None:
        tier = f" · T{card.tier}" if card.tier else ""
        badges.append(
            f'<span class="badge dwell tier-{card.tier or 0}" title="supervisor turns since '
            f'implementation evidence">dwell {card.dwell}{tier}</span>'
        )
    if card.last_attempt_date is not None or card.last_attempt_kind is not None:
        when = card.last_attempt_date.isoformat() if card.last_attempt_date else "undated"
        kind = f" ({esc(card.last_attempt_kind)})" if card.last_attempt_kind else ""
        last = f"last attempt {when}{kind} · {card.attempts} in all"
    else:
        last = "no attempts"
    unmet = ""
    if card.unmet:
        links = ", ".join(f'<a href="#{anchor("card", d)}">{esc(d)}</a>' for d in card.unmet)
        unmet = f'<p class="small unmet">waits on {links}</p>'
    # the status as written, when it says more than the word (`blocked (waiting on X)`)
    said = " ".join(card.status_text.split())
    detail = ""
    if said and said.lower().replace(" ", "_") != card.status.value:
        detail = f'<p class="small said">{esc(said)}</p>'
    search = esc(f"{card.id} {card.title}".lower())
    return (
        f'<article class="{" ".join(classes)}" id="{anchor("card", card.id)}" '
        f'data-id="{esc(card.id)}" data-search="{search}">'
        f'<p><a class="id" href="#L{card.line}">{esc(card.id)}</a></p>'
        f'<p class="title">{esc(card.title) or "<i>untitled</i>"}</p>'
        f'<p>{"".join(badges)}</p>{detail}<p class="small last">{last}</p>{unmet}</article>'
    )


# --- graph -------------------------------------------------------------------------------------


def _graph(part: GraphPart) -> str:
    out = ['<section id="graph"><h2>Dependency graph</h2>']
    if not part.nodes:
        out.append('<p class="empty">no focus items</p></section>')
        return "".join(out)
    out.append(
        '<p class="small">An arrow from A to B: A depends on B (dashed: an open return condition '
        "of A waits on B). Closed items are greyed, IDs that are not focus items dashed; cycle "
        "steps and members are red. Items without any edge are in the grid below. "
        "The same graph as <code>ledger graph</code>.</p>"
    )
    if part.cycles:
        items = "".join(
            f'<li id="cycle-{i}" data-members="{esc(" ".join(c.ids))}">{esc(c.name)}'
            f"{'' if c.blocking else ' (through a closed item)'}</li>"
            for i, c in enumerate(part.cycles, 1)
        )
        out.append(f'<h3>Cycles ({len(part.cycles)})</h3><ol class="cycles">{items}</ol>')
    else:
        out.append('<p class="small">No cycles.</p>')
    out.append(f'<div class="scroll">{graph_svg(part)}</div></section>')
    return "".join(out)


# --- dwell -------------------------------------------------------------------------------------


def _dwell(dwell: DwellPart | DwellAbsent) -> str:
    out = ['<section id="dwell"><h2>Dwell over time</h2>']
    if isinstance(dwell, DwellAbsent):
        out.append(
            f'<p class="absent" id="dwell-absent">No dwell charts: {esc(dwell.reason)}.</p>'
            "</section>"
        )
        return "".join(out)
    out.append(
        f'<p class="small">{plural(dwell.turns, "supervisor turn")} and '
        f"{plural(dwell.evidence, 'implementation evidence commit')} in the first-parent history "
        "(as <code>ledger dwell</code> counts "
        f"them); tiers at dwell {', '.join(map(str, dwell.tiers))}.</p>"
    )
    if dwell.cadence:
        out.append(
            '<figure id="cadence"><figcaption>The loop per day (UTC):'
            f'<span class="key" style="background:{TURN_COLOUR}"></span>supervisor turns'
            f'<span class="key" style="background:{EVIDENCE_COLOUR}"></span>implementation '
            f'evidence</figcaption><div class="scroll">{cadence_chart(dwell.cadence)}</div>'
            "</figure>"
        )
    if not dwell.series:
        out.append('<p class="empty">No open focus item has had a supervisor turn.</p>')
    else:
        out.append('<h3>Open focus items, turn by turn</h3><div class="charts">')
        for s in dwell.series:
            last = s.points[-1]
            tier = f" (T{last.tier})" if last.tier else ""
            out.append(
                f'<figure class="dwell" id="{anchor("dwell", s.id)}"><figcaption>'
                f'<a href="#{anchor("card", s.id)}">{esc(s.id)}</a> {esc(s.status.value)} · '
                f"{plural(len(s.points), 'turn')} · dwell now {last.dwell}{tier}</figcaption>"
                f"{dwell_chart(s, dwell.tiers)}</figure>"
            )
        out.append("</div>")
    out.append("</section>")
    return "".join(out)


# --- health ------------------------------------------------------------------------------------


def _health(health: Health) -> str:
    counts = ", ".join(
        f'<span class="sev-{s.value}">{health.count(s)} {s.value}</span>' for s in Severity
    )
    out = [
        '<section id="health"><h2>Health</h2>',
        f"<p><code>ledger check</code>: {plural(len(health.findings), 'finding')} ({counts}).</p>",
    ]
    if health.rules:
        first_line: dict[str, int] = {}
        for f in health.findings:
            first_line.setdefault(f.code, f.line)
        rows = "".join(
            f'<tr class="sev-{r.severity.value}" id="{anchor("rule", r.code)}">'
            f"<td><code>{esc(r.code)}</code></td><td>{esc(r.name)}</td>"
            f"<td>{r.severity.value}</td><td>{r.count}</td>"
            f'<td><a href="#L{first_line[r.code]}">line {first_line[r.code]}</a></td></tr>'
            for r in health.rules
        )
        out.append(
            "<table><thead><tr><th>rule</th><th>name</th><th>severity</th><th>findings</th>"
            f"<th>first at</th></tr></thead><tbody>{rows}</tbody></table>"
        )
        items = "".join(
            f'<li class="sev-{f.severity.value}"><a href="#L{f.line}">line {f.line}:{f.col}</a> '
            f"<code>{esc(f.code)}</code> {esc(f.message)}</li>"
            for f in health.findings
        )
        out.append(f'<ul class="findings">{items}</ul>')
    out.append("</section>")
    return "".join(out)


# --- the ledger text ---------------------------------------------------------------------------


def _ledger_text(report: Report) -> str:
    worst = report.health.worst_by_line()
    lines = _numbered(report.lines, worst)
    return (
        f'<section id="ledger"><h2>Ledger text</h2><p class="small">{len(report.lines)} lines '
        f'of <code>{esc(report.source)}</code>, as written.</p><pre class="ledger">{lines}</pre>'
        "</section>"
    )


def _numbered(lines: Iterable[str], worst: dict[int, Severity]) -> str:
    out = []
    for n, text in enumerate(lines, 1):
        severity = worst.get(n)
        cls = f"line sev-{severity.value}" if severity is not None else "line"
        out.append(
            f'<span class="{cls}" id="L{n}"><a class="ln" href="#L{n}" data-n="{n}"></a>'
            f"{esc(text)}</span>"
        )
    return "\n".join(out)


# --- the data block ----------------------------------------------------------------------------


def _data_json(report: Report) -> str:
    """The report's facts as JSON for scripts, safe inside a `<script>` element."""
    data: dict = {
        "schema_version": SCHEMA_VERSION,
        "source": report.source,
        "active_focus": report.board.active_focus_id,
        "focus": [
            {"id": c.id, "title": c.title, "status": c.status.value, "column": col.column.value}
            for col in report.board.columns
            for c in col.cards
        ],
        "cycles": [list(c.ids) for c in report.graph.cycles],
        "findings": {s.value: report.health.count(s) for s in Severity},
    }
    if isinstance(report.dwell, DwellPart):
        data["dwell"] = {
            "rev": report.dwell.rev,
            "series": {s.id: [p.dwell for p in s.points] for s in report.dwell.series},
        }
    else:
        data["dwell"] = {"absent": report.dwell.reason}
    # ASCII only: undecodable bytes (lone surrogates) and U+2028/2029 travel as escapes too
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(raw, escaped)
    return text
