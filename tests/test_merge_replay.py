"""Replays of real ledger history: split one real commit into two branches and merge them back.

For consecutive versions V1 -> V2 of `docs/fix_plan.md` on the first-parent history of the
fixture repositories, where V2 changed two or more focus sections, and for each focus section X
that V2 modified:

* branch A = V1 plus V2's change to X (X's section text taken from V2),
* branch B = V1 plus V2's other changes (V2 with X's section put back as it was in V1),

and merging A and B over V1 (both ways round) must give V2 byte for byte, with no conflict.
The branches are built from `Ledger.blocks` here, independently of `ledger.merge`.

The reset layout (a single `## Attempts History` of `### timestamp — ID` headings) has no focus
sections; its focus changes are new attempt headings whose place in a split is ambiguous, so
those versions are not replayed here (the unit tests cover heading attempts).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import ledger
from ledger.merge import merge_ledgers

from conftest import DATA

LEDGER = "docs/fix_plan.md"
MIN_PASS_RATE = 0.95


def ledger_versions(bundle: Path, into: Path) -> list[str]:
    """Every first-parent version of the ledger, oldest first (one `git cat-file --batch`)."""
    repo = into / bundle.stem
    subprocess.run(["git", "clone", "-q", str(bundle), str(repo)], check=True, capture_output=True)
    revs = subprocess.run(
        ["git", "log", "--first-parent", "--format=%H", "--", LEDGER],
        cwd=repo, check=True, capture_output=True, text=True,
    ).stdout.split()[::-1]
    request = "".join(f"{rev}:{LEDGER}\n" for rev in revs).encode()
    out = subprocess.run(
        ["git", "cat-file", "--batch"], cwd=repo, input=request, check=True, capture_output=True
    ).stdout
    versions, pos = [], 0
    while pos < len(out):
        header_end = out.index(b"\n", pos)
        header = out[pos:header_end].split()
        pos = header_end + 1
        if header[-1] == b"missing":
            continue
        size = int(header[2])
        versions.append(out[pos : pos + size].decode("utf-8", "surrogateescape"))
        pos += size + 1
    return versions


def sections(text: str) -> dict[tuple[str, int], tuple[int, int]]:
    """(focus ID, occurrence) -> (first line, last line) of each focus section."""
    spans: dict[tuple[str, int], tuple[int, int]] = {}
    seen: dict[str, int] = {}
    for block in ledger.loads(text).blocks:
        if block.kind == "section":
            n = seen.get(block.focus_id, 0)
            seen[block.focus_id] = n + 1
            spans[(block.focus_id, n)] = (block.line, block.end_line)
    return spans


def span_text(text: str, span: tuple[int, int]) -> str:
    return "".join(text.splitlines(keepends=True)[span[0] - 1 : span[1]])


def splice(text: str, span: tuple[int, int], new: str) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(lines[: span[0] - 1]) + new + "".join(lines[span[1] :])


def splits(v1: str, v2: str):
    """(X, A, B) for each focus X modified by V2, when V2 changed two or more focus items."""
    s1, s2 = sections(v1), sections(v2)
    modified = [k for k in s1 if k in s2 and span_text(v1, s1[k]) != span_text(v2, s2[k])]
    if len(modified) + len(set(s1) ^ set(s2)) < 2:
        return
    for x in modified:
        a = splice(v1, s1[x], span_text(v2, s2[x]))
        b = splice(v2, s2[x], span_text(v1, s1[x]))
        yield x, a, b


@pytest.mark.slow
def test_splitting_real_commits_by_focus_and_merging_gives_the_commit_back(tmp_path):
    total, failures = 0, []
    pairs = 0
    for bundle in sorted((DATA / "fixtures").glob("*.bundle")):
        versions = ledger_versions(bundle, tmp_path)
        for v1, v2 in zip(versions, versions[1:]):
            counted = False
            for x, a, b in splits(v1, v2):
                if not counted:
                    pairs, counted = pairs + 1, True
                for ours, theirs in ((a, b), (b, a)):
                    total += 1
                    result = merge_ledgers(v1, ours, theirs)
                    if result.text != v2 or result.conflicts:
                        failures.append((bundle.stem, x, result.conflicts))
    passed = total - len(failures)
    print(f"\nmerge replay: {passed}/{total} merges gave V2 byte for byte ({pairs} version pairs)")
    assert total >= 40, "the fixtures should yield dozens of replays"
    assert passed / total >= MIN_PASS_RATE, failures[:10]
