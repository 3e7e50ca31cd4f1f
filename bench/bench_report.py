"""Benchmark: `ledger report --html` against `ledger status` on the 847 KB nanoBragg ledger.

Run: .venv/bin/python bench/bench_report.py [--runs 15]

Clones tests/data/fixtures/nanobragg-2025-10-10.bundle under bench/.work/ and checks out the
first-parent commit whose docs/fix_plan.md is tests/data/nanobragg/1760069495_b401d45f.md
(847 098 bytes, 135 commits of loop history), then HEAD of the bundle (538 commits, a 124 KB
ledger) in a second clone. In each, both commands run once to warm the dwell caches (the summary
cache and checkpoint under .git/ledger/, and `status`'s table), then hyperfine times them
(wall time, interpreter start-up included) and the ratio is printed. Target: the report takes
at most 2x `ledger status` with a warm dwell cache.

Also prints the report's own parts in process (parse, check, history scan, graph layout and
page), best of a few runs, to show where the time goes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "tests" / "data" / "fixtures" / "nanobragg-2025-10-10.bundle"
BIG = ROOT / "tests" / "data" / "nanobragg" / "1760069495_b401d45f.md"
WORK = ROOT / "bench" / ".work"
LEDGER = "docs/fix_plan.md"


def git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, check=True, text=True
    ).stdout.strip()


def checkout(name: str, rev: str | None) -> Path:
    """A clone of the bundle at `rev` (None: its HEAD), made once."""
    dest = WORK / name
    if not dest.exists():
        git("clone", "-q", str(BUNDLE), str(dest))
        if rev is not None:
            git("checkout", "-q", rev, cwd=dest)
    return dest


def commit_with_big_ledger(repo: Path) -> str:
    """The first-parent commit whose ledger is the 847 KB corpus file."""
    blob = git("hash-object", str(BIG))
    for line in git("log", "--first-parent", "--format=%H", "--", LEDGER, cwd=repo).splitlines():
        if git("rev-parse", f"{line}:{LEDGER}", cwd=repo) == blob:
            return line
    raise SystemExit("the 847 KB ledger is not in the bundle's history")


def hyperfine(repo: Path, runs: int, commands: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Median and mean wall time of each command, run by hyperfine in `repo`."""
    out = WORK / "hyperfine.json"
    args = ["hyperfine", "-N", "--warmup", "2", "--runs", str(runs), "--export-json", str(out)]
    for name, command in commands.items():
        args += ["-n", name, command]
    subprocess.run(
        args, cwd=repo, check=True, capture_output=True, env={**os.environ, "NO_COLOR": "1"}
    )
    results = json.loads(out.read_text())["results"]
    return {r["command"]: (r["median"], r["mean"]) for r in results}


def parts(repo: Path, runs: int = 5) -> dict[str, float]:
    """Best in-process time of each part of the report, in seconds."""
    sys.path.insert(0, str(ROOT / "src"))
    from ledger.checks import Context, run_rules
    from ledger.config import load_settings
    from ledger.depgraph import DependencyGraph
    from ledger.fileio import read_ledger
    from ledger.parse import loads
    from ledger.report import build_report, render_html
    from ledger.report.charts import dwell_part, read_history
    from ledger.report.data import build_graph_part

    path = repo / LEDGER
    settings = load_settings(repo)
    best: dict[str, float] = {}

    def timed(name: str, func, *args, **kwargs):
        start = time.perf_counter()
        value = func(*args, **kwargs)
        best[name] = min(best.get(name, 1e9), time.perf_counter() - start)
        return value

    page = ""
    for _ in range(runs):
        text, _size = timed("read", read_ledger, path)
        ledger = timed("parse", loads, text)
        context = Context(ledger=ledger, config=settings.config.check)
        findings = timed("check", run_rules, context)
        scan = timed("history scan (warm)", read_history, path, settings.config)
        dwell = timed("dwell series", dwell_part, ledger, scan, settings.config)
        timed("graph + layout", build_graph_part, ledger, DependencyGraph.of(ledger))
        report = timed(
            "report data", build_report, ledger, source=LEDGER, findings=findings, dwell=dwell
        )
        page = timed("render html", render_html, report)
    best["page bytes"] = len(page.encode("utf-8"))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    if shutil.which("hyperfine") is None:
        raise SystemExit("hyperfine is needed (apt-get install hyperfine)")
    WORK.mkdir(parents=True, exist_ok=True)
    head = checkout("nanobragg-report-head", None)
    big = checkout("nanobragg-report-847k", commit_with_big_ledger(head))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    py = f"{sys.executable} -m ledger"
    out_file = WORK / "report.html"
    for repo in (big, head):
        size = (repo / LEDGER).stat().st_size
        commits = git("rev-list", "--first-parent", "--count", "HEAD", cwd=repo)
        for warm in (f"{py} status", f"{py} report -o {out_file}"):
            subprocess.run(warm.split(), cwd=repo, check=True, capture_output=True)
        times = hyperfine(
            repo,
            args.runs,
            {"status": f"{py} status", "report": f"{py} report --html -o {out_file}"},
        )
        (status, _), (report, _) = times["status"], times["report"]
        print(f"{repo.name}: {size:,} byte ledger, {commits} first-parent commits")
        print(
            f"  ledger status {status * 1000:.0f} ms, ledger report --html {report * 1000:.0f} ms "
            f"(medians) = {report / status:.2f}x (target <= 2x)"
        )
        for name, value in parts(repo).items():
            shown = f"{value:,.0f}" if name == "page bytes" else f"{value * 1000:.1f} ms"
            print(f"    {name:<22} {shown}")


if __name__ == "__main__":
    main()
