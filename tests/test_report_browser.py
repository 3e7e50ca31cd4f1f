"""`ledger report`'s page in a real headless Chromium: what a person opening it sees.

One browser per module (`tests/browser.py` drives it over the DevTools pipe). The page is made
by the real command, for the seed ledger in a real git loop history; the test asserts on the
rendered DOM, on every request the page made (only the file itself) and on what the page said
(no console errors, no CSP violations), and saves a screenshot under `tests/artifacts/`.
Skipped, with the reason, only where no Chromium can be had (.ci/run installs one).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser import Browser, find_chromium
from conftest import SEED, read_corpus
from gitrepo import GitRepo
from test_report_data import XSS
from typer.testing import CliRunner

from ledger import loads
from ledger.cli._app import build_app
from ledger.graph import build_graph

# one browser for the module, also under pytest -n: every test of it runs on one worker
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ARTIFACTS = Path(__file__).parent / "artifacts"
LEDGER = "docs/fix_plan.md"
SEED_TEXT = read_corpus(SEED)


@pytest.fixture(scope="module")
def browser():
    executable = find_chromium()
    if executable is None:
        pytest.skip("no Chromium on PATH (apt-get install chromium; .ci/run does it as root)")
    with Browser(executable) as b:
        yield b


def run(*args: str) -> str:
    result = CliRunner().invoke(build_app(), ["--no-color", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def seed_page(module_git, tmp_path_factory):
    """The seed ledger in a loop history: turns on three open items and one done item, code
    for one of them; the page made by `ledger report` in that repository."""
    repo = GitRepo(tmp_path_factory.mktemp("browser") / "loop")
    repo.commit("seed", {LEDGER: SEED_TEXT, "src/app.py": "x = 0\n"})
    turns = [
        "FIX-TF-C1D-SCALED-RERUN-001",
        "FIX-PYTORCH-FORWARD-PARITY-001",
        "FIX-TF-C1D-SCALED-RERUN-001",
        "INTEGRATE-PYTORCH-PARITY-001",  # done: a turn, but no chart
        "PARALLEL-API-INFERENCE",
        "FIX-TF-C1D-SCALED-RERUN-001",
    ]
    for i, focus in enumerate(turns):
        repo.commit(f"SUPERVISOR: {focus} turn {i}", {"input.md": f"{i}\n"})
        if i == 1:
            repo.commit(f"{focus} code", {"src/app.py": f"x = {i}\n"})
        else:
            repo.commit(f"RALPH: notes {i}", {f"reports/{i}.md": "ok\n"})
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(repo.path)
        run("report", "-o", "report.html")
        dwell = json.loads(run("dwell", "--json"))
        timelines = {}
        for f in dwell["focus"]:
            timeline = json.loads(run("dwell", "--timeline", f["id"], "--json"))["timeline"]
            timelines[f["id"]] = [t["dwell"] for t in timeline]
    return repo.path / "report.html", dwell, timelines


@pytest.fixture(scope="module")
def seed_view(browser, seed_page):
    page = browser.open(seed_page[0])
    ARTIFACTS.mkdir(exist_ok=True)
    shot = page.screenshot(ARTIFACTS / "report-seed.png")
    return page, shot


def test_every_focus_has_a_card_and_the_active_one_is_marked(seed_view):
    page, _ = seed_view
    ledger = loads(SEED_TEXT)
    cards = page.evaluate("[...document.querySelectorAll('article.card')].map(c => c.dataset.id)")
    assert sorted(cards) == sorted(ledger.ids)
    active = page.evaluate(
        "[...document.querySelectorAll('article.card.active')].map(c => c.dataset.id)"
    )
    assert active == [ledger.header.active_focus_id]
    # archived items are there, folded away
    folded = page.evaluate(
        "[...document.querySelectorAll('#col-archived article.card')].map(c => c.dataset.id)"
    )
    assert sorted(folded) == sorted(
        i for i in ledger.ids if ledger.get(i).status.value in ("archived", "superseded")
    )
    assert page.evaluate("document.getElementById('col-archived').open") is False


def test_the_graph_has_one_node_per_item_and_names_the_cycles(seed_view):
    page, _ = seed_view
    graph = build_graph(loads(SEED_TEXT))
    nodes = page.evaluate(
        "[...document.querySelectorAll('svg.depgraph g.node')].map(g => g.dataset.id)"
    )
    assert nodes == list(graph.nodes)
    names = page.evaluate(
        "[...document.querySelectorAll('ol.cycles li')].map(li => li.textContent)"
    )
    assert len(names) == len(graph.cycles) == 2
    for shown, cycle in zip(names, graph.cycles):
        assert shown.startswith(cycle.name)
    edges = page.evaluate("document.querySelectorAll('svg.depgraph path.edge').length")
    assert edges == len(graph.edges)
    red = page.evaluate("document.querySelectorAll('svg.depgraph path.edge.cycle').length")
    assert red == sum(e.in_cycle for e in graph.edges) > 0
    # as rendered, no two node boxes overlap
    boxes = page.evaluate(
        "[...document.querySelectorAll('svg.depgraph g.node rect')].map(r => {"
        " const b = r.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; })"
    )
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_a_dwell_chart_for_each_open_focus_with_turns(seed_view, seed_page):
    page, _ = seed_view
    _, dwell, timelines = seed_page
    open_with_turns = [
        f["id"]
        for f in dwell["focus"]
        if f["turns"] and f["status"] not in ("done", "archived", "superseded")
    ]
    charts = page.evaluate(
        "[...document.querySelectorAll('svg.dwell-chart')].map(s => [s.dataset.focus,"
        " [...s.querySelectorAll('circle.turn')].map(c => Number(c.dataset.dwell))])"
    )
    assert [c[0] for c in charts] == open_with_turns
    assert len(open_with_turns) == 3
    for focus, values in charts:
        assert values == timelines[focus]
    assert page.evaluate("document.querySelectorAll('svg.cadence-chart g.day').length") >= 1


def test_nothing_is_fetched_and_nothing_goes_wrong(seed_view, seed_page):
    page, _ = seed_view
    assert page.requests == [seed_page[0].resolve().as_uri()]
    assert page.errors() == []
    assert page.evaluate("document.documentElement.dataset.ready") == "1"


def test_the_board_filter_works(seed_view):
    page, _ = seed_view
    ledger = loads(SEED_TEXT)
    expected = [f for f in ledger.ids if "fix-tf" in f"{f} {ledger.get(f).title}".lower()]
    shown = page.evaluate(
        "(() => { const i = document.getElementById('board-filter'); i.value = 'FIX-TF';"
        " i.dispatchEvent(new Event('input'));"
        " const r = [...document.querySelectorAll('article.card')].filter(c => !c.hidden)"
        ".map(c => c.dataset.id); const n = document.getElementById('board-count').textContent;"
        " i.value = ''; i.dispatchEvent(new Event('input')); return [r, n]; })()"
    )
    assert sorted(shown[0]) == sorted(expected)
    assert shown[1] == f"{len(expected)} of {len(ledger.ids)} focus items"


def test_a_screenshot_is_kept(seed_view):
    _, shot = seed_view
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_markup_in_the_ledger_stays_text_and_runs_nothing(browser, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fix_plan.md").write_text(XSS)
    run("-f", "fix_plan.md", "report", "--no-git", "-o", "xss.html")
    page = browser.open(tmp_path / "xss.html")
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.errors() == []  # a script or handler that slipped through would break the CSP
    assert page.requests == [(tmp_path / "xss.html").as_uri()]
    titles = page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('article.card')]"
        ".map(c => [c.dataset.id, c.querySelector('.title').textContent]))"
    )
    ledger = loads(XSS)
    assert titles == {f.id: f.title for f in ledger.focus_items}
    assert page.evaluate("document.title").startswith('Plan <script>alert("title")</script>')
    assert (
        page.evaluate("document.querySelectorAll('img, iframe, b, script:not([id])').length") == 1
    )
