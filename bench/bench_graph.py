"""Benchmark: `next --explain`, `graph` and `check` on a generated ledger of many focus items.

Run: .venv/bin/python bench/bench_graph.py [--items 1000] [--runs 15] [--quick] [--write FILE]

The generated ledger is shaped like the nanoBragg one: a header naming the active focus, an
`## Index` table with a row per item, and `## [ID] Title` sections with Priority, Status,
Owner/Date, Depends on (one to four earlier items), a Return Condition naming a later item on
every blocked one, reproduction sub-bullets, an `Attempts History:` of numbered attempts with
their Metrics/Artifacts/Next Actions lines, exit criteria, and a `---` between sections.

Target (docs/performance.md): on 1 000 items, each of `ledger next --explain`, `ledger graph`
and `ledger check` ≤ 2× `ledger status --no-git` on the same file (the installed console
script, wall time with interpreter start, interleaved, medians), and the peak memory of each of
the four ≤ 200 MB. In process, the answers on 1 000, 2 000 and 4 000 items show the work grows
linearly (not with `--quick`). Exits 1 when a target is missed.
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

from common import (
    ROOT,
    Verdict,
    arguments,
    commands,
    interleave,
    ledger_command,
    machine,
    peak_rss_mb,
    ratio,
    runs_of,
)

sys.path.insert(0, str(ROOT / "src"))

STATUSES = ("pending", "in_progress", "planning", "blocked", "done", "paused")
PRIORITIES = ("Critical", "High", "Medium", "Low")
RESULTS = ("partial", "success", "failed", "blocked")
KINDS = ("planning", "implementation", "debug", "review")


def generate(items: int, seed: int = 7) -> str:
    """A ledger of `items` focus items (seeded: the same text every run)."""
    rng = random.Random(seed)
    ids = [f"GEN-{i:04d}-FOCUS" for i in range(items)]
    titles = [f"Generated focus number {i}" for i in range(items)]
    statuses = ["blocked" if i % 3 == 0 else rng.choice(STATUSES) for i in range(items)]
    priorities = [rng.choice(PRIORITIES) for _ in range(items)]
    out = [
        "# Fix Plan Ledger",
        "",
        "**Last Updated:** 2026-01-10 (galph loop #214)",
        "**Active Focus:**",
        f"- GEN: Drive `{ids[0]}` to completion before picking up `{ids[1]}`.",
        "",
        "## Index",
        "| ID | Title | Priority | Status |",
        "| --- | --- | --- | --- |",
    ]
    for i, focus_id in enumerate(ids):
        anchor = f"{focus_id.lower()}-{titles[i].lower().replace(' ', '-')}"
        out.append(f"| [{focus_id}](#{anchor}) | {titles[i]} | {priorities[i]} | {statuses[i]} |")
    out.append("")
    for i, focus_id in enumerate(ids):
        deps = rng.sample(ids[:i], min(i, rng.randint(1, 4))) if i else []
        day = 1 + i % 9
        out += [
            f"## [{focus_id}] {titles[i]}",
            f"- Spec/AT: specs/spec-{i % 40}.md §{i % 7} and `tests/test_gen_{i % 50}.py`",
            f"- Priority: {priorities[i]}",
            f"- Status: {statuses[i]}",
            f"- Owner/Date: ralph/2026-01-0{day}",
            f"- Depends on: {', '.join(deps) if deps else '—'}",
        ]
        if statuses[i] == "blocked":
            later = ids[(i + rng.randint(1, 50)) % items]
            out.append(f"- Return Condition: resume when {later} delivers its guard log")
        out += [
            "- Reproduction (C & PyTorch):",
            f"  * C: `./golden/nanoBragg -case {i} -roi 0 63 0 63`",
            f"  * PyTorch: `pytest -v tests/test_gen_{i % 50}.py -k case_{i}`",
            "- Attempts History:",
        ]
        for n in range(1, 2 + i % 4):
            out += [
                f"  * [2026-01-0{day}] Attempt #{n} — Result: {rng.choice(RESULTS)}"
                f" ({rng.choice(KINDS)}). Ran case {i} after fixing the guard; see the log.",
                f"    Metrics: corr={rng.random():.4f}; runtime {rng.randint(5, 90)} s.",
                f"    Artifacts: reports/2026-01-gen/{focus_id.lower()}/attempt-{n}/",
                f"    Next Actions: rerun with `--seed {n}` once {ids[(i + n) % items]} lands.",
            ]
        out += [
            "- Exit Criteria (quote thresholds from spec):",
            "  * corr ≥ 0.999 on the parity matrix.",
            f"- Latest Attempt (2026-01-0{day}T10{i % 60:02d}00Z): planning — step {i}",
            "",
            "---",
            "",
        ]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = arguments(__doc__, runs=15, quick_runs=5)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--write", type=Path, default=None)
    args = parser.parse_args()
    runs = runs_of(args)

    from ledger.checks import check_text
    from ledger.graph import build_graph, to_mermaid
    from ledger.parse import loads
    from ledger.planning import plan
    from ledger.views import status_row

    text = generate(args.items)
    graph = build_graph(loads(text))
    print(machine())
    print(
        f"{args.items} focus items, {len(text.encode()):,} bytes, {len(graph.edges):,} edges, "
        f"{len(graph.cycles)} cycles"
    )
    verdict = Verdict.new()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.write or Path(tmp) / "fix_plan.md"
        path.write_text(text, encoding="utf-8")
        ledger = ledger_command()
        argvs = {
            "status --no-git": [*ledger, "status", "--no-git", "-f", str(path)],
            "next --explain": [*ledger, "next", "--explain", "--no-git", "-f", str(path)],
            "graph": [*ledger, "graph", "-f", str(path)],
            "check": [*ledger, "check", str(path)],
        }
        found = commands(argvs, runs)
        memory = {name: peak_rss_mb(argv) for name, argv in argvs.items()}
    base = found.pop("status --no-git")
    print(f"{'status --no-git':16} {base.ms()}")
    for name, samples in found.items():
        print(f"{name:16} {samples.ms()}   = {ratio(samples, base)}")
        verdict.ratio(f"{name} / status --no-git, {args.items} items", samples, base, 2)
    for name, megabytes in memory.items():
        verdict.memory(f"peak RSS, {name}, {args.items} items", megabytes)

    if not args.quick:
        print("in process, parsing included (linear: x1, x2, x4):")
        for k in (1, 2, 4):
            big = generate(args.items * k)
            cases = {
                "status": lambda b=big: [
                    status_row(d, f) for d in [loads(b)] for f in d.focus_items
                ],
                "next --explain": lambda b=big: plan(loads(b)).as_dict(explain=True),
                "graph": lambda b=big: to_mermaid(build_graph(loads(b))),
                "check": lambda b=big: check_text(b),
                "(parse only)": lambda b=big: loads(b),
            }
            for name, samples in interleave(cases, max(3, runs // (2 * k))).items():
                print(f"  {args.items * k:>5} items  {name:16} {samples.ms()}")
    verdict.finish()


if __name__ == "__main__":
    main()
