"""Benchmark: `loads` of reset-layout ledgers against the regex line scan.

Run: .venv/bin/python bench/bench_reset.py [--runs 9] [--quick] [--write DIR]
Each ledger is `## Attempts History` followed by attempt headings: `### Attempt #N — title` with
a `**Focus:** [ID]` line (`numbered`), or `### 2026-01-DDTHH:MMZ — ID.F1 (shipped)` with one
body line each; the `todos` variant files its second half after a `## TODOs` heading, where the
PtychoPINN loop went on appending. Target (docs/performance.md): `loads` of the ledger of 16 000
`### Attempt #N` headings (1 MB) ≤ 4× `line_scan` of the same text (bench/common.py),
interleaved in one process, medians; peak memory of a process that generates and loads it
≤ 200 MB. 8 000 and 32 000 headings, and the timestamped variants, show the time grows
linearly (not with `--quick`).
For the numbered ledgers it also times two floors of any parser written in Python (not
targets): `floor`, one regex pass finding every attempt heading and its focus and one tuple per
attempt; `floor records`, that plus the split into lines and the `Attempt` and `Block` records
with their exact text. `--write DIR` also writes the generated files there. Exits 1 when a target is missed.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

from common import (
    ROOT,
    Verdict,
    arguments,
    interleave,
    line_scan,
    machine,
    python_peak_rss_mb,
    ratio,
    runs_of,
)

sys.path.insert(0, str(ROOT / "src"))

IDS = ("seed", "FIX-A-001", "FIX-B-002", "DEBUG-SIM-LINES-DOSE-001")


def reset_ledger(headings: int, todos: bool = False, numbered: bool = False) -> str:
    """A reset-layout ledger with `headings` attempt headings (seeded: the same every run):
    `### ts — ID.Fn (shipped)` ones, or with `numbered` `### Attempt #N — title` ones with their
    `**Focus:**` line."""
    rng = random.Random(1)
    out = [
        "# Fix Plan",
        "",
        "## Status",
        "`in_progress`",
        "",
        "## Current Focus",
        "**DEBUG-SIM-LINES-DOSE-001 — Legacy bundle**",
        "",
        "## Attempts History",
        "",
    ]
    for k in range(headings):
        if todos and k == headings // 2:
            out += ["## TODOs", "- [ ] DEBUG-SIM-LINES-DOSE-001.F1: wait", ""]
        day, minute = 1 + k // 1440, k % 1440
        if numbered:
            out += [
                f"### Attempt #{k + 1} — step {k}",
                f"**Focus:** [{rng.choice(IDS)}] 2026-01-{day:02d}",
                "",
            ]
            continue
        stamp = f"2026-01-{day:02d}T{minute // 60:02d}:{minute % 60:02d}Z"
        out += [f"### {stamp} — {rng.choice(IDS)}.F{k % 5} (shipped)", f"**Action:** did {k}", ""]
    return "\n".join(out) + "\n"


# The least a Python parser of the numbered reset layout does, for scale (not a target).
# `floor`: one regex pass over the whole text that finds every attempt heading, its number and
# the focus its next line names, the line number of each (newlines counted between matches),
# and one tuple per attempt. `floor_records`: that, the text split into lines (which a lossless
# document keeps), and per heading the two records the model holds, an `Attempt` and its
# `Block`, each with its exact text, built at the speed of a tuple. No timestamps read, no line
# classified, no other line looked at.
_ATTEMPT = re.compile(r"^### Attempt #(\d+)[^\n]*\n\*\*Focus:\*\* \[([^\]\n]+)\]", re.MULTILINE)


def floor(text: str) -> list[tuple[int, int, str]]:
    out, line, pos = [], 0, 0
    for m in _ATTEMPT.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        out.append((line, int(m.group(1)), m.group(2)))
    return out


def floor_records(text: str) -> list:
    from ledger.model import Attempt, Block, BlockKind
    from ledger.vocab import AttemptDialect

    new, heading, block = tuple.__new__, AttemptDialect.attempt_heading, BlockKind.attempt
    text.split("\n")
    attempts, blocks, line, pos = [], [], 0, 0
    for m in _ATTEMPT.finditer(text):
        start = m.start()
        line += text.count("\n", pos, start)
        pos = start
        end = text.find("\n\n", start) + 2
        exact, number, focus = text[start:end], int(m.group(1)), m.group(2)
        attempts.append(
            new(
                Attempt,
                (
                    line + 1,
                    line + 2,
                    "Attempt",
                    heading,
                    None,
                    None,
                    None,
                    None,
                    number,
                    None,
                    None,
                    "",
                    exact,
                    focus,
                    "",
                ),
            )
        )
        blocks.append(new(Block, (block, line + 1, line + 3, focus, exact)))
    return attempts


def main() -> None:
    parser = arguments(__doc__, runs=9, quick_runs=3)
    parser.add_argument("--write", type=Path, default=None)
    args = parser.parse_args()
    runs = runs_of(args)
    from ledger import loads

    print(machine())
    verdict = Verdict.new()
    # (headings, todos, numbered); the target is on 16 000 `### Attempt #N` headings
    cases = [(16000, False, True)]
    if not args.quick:
        cases += [(8000, False, True), (32000, False, True)]
        cases += [(n, todos, False) for todos in (False, True) for n in (8000, 16000, 32000)]
    for headings, todos, numbered in cases:
        text = reset_ledger(headings, todos, numbered)
        name = f"reset{headings}{'todos' if todos else ''}{'numbered' if numbered else ''}.md"
        if args.write is not None:
            args.write.mkdir(parents=True, exist_ok=True)
            (args.write / name).write_text(text, encoding="utf-8")
        cases_run = {"line scan": lambda t=text: line_scan(t), "loads": lambda t=text: loads(t)}
        if numbered:
            cases_run["floor"] = lambda t=text: floor(t)
            cases_run["floor records"] = lambda t=text: floor_records(t)
        found = interleave(cases_run, runs)
        scan, load = found["line scan"], found["loads"]
        per = load.median / headings * 1e6
        print(f"{name:29} {len(text) / 1e6:4.2f} MB  line scan {scan.ms()}")
        print(f"{'':29} {'':7}  loads     {load.ms()}  {per:5.2f} µs/heading = {ratio(load, scan)}")
        if numbered:
            for case in ("floor", "floor records"):
                print(f"{'':29} {'':7}  {case:13} {found[case].ms()}  = {ratio(found[case], scan)}")
        if (headings, todos, numbered) == (16000, False, True):
            verdict.ratio("loads / line scan, 16 000 Attempt #N headings", load, scan, 4)
    code = "import ledger, bench_reset; ledger.loads(bench_reset.reset_ledger(16000, False, True))"
    verdict.memory("peak RSS, loads of 16 000 headings", python_peak_rss_mb(code))
    verdict.finish()


if __name__ == "__main__":
    main()
