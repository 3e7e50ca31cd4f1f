"""Replays of real ledger history: split one real commit into two branches and merge them back.

For consecutive versions V1 -> V2 of `docs/fix_plan.md` on the first-parent history of the
fixture repositories, where V2 changed two or more focus sections, and for each focus section X
that V2 modified:

* branch A = V1 plus V2's change to X (X's section text taken from V2),
* branch B = V1 plus V2's other changes (V2 with X's section put back as it was in V1),

and merging A and B over V1 (both ways round) must give V2 byte for byte, with no conflict.
The branches are built from `Ledger.blocks` here, independently of `ledger.merge`.

A second replay treats two consecutive loops as if they had run in parallel: for versions
V1 -> V2 -> V3, branch A is V2 and branch B is V1 plus V3's own change (`git merge-file`
replays V2 -> V3 onto V1); merging A and B over V1 must give the real V3. When git cannot replay
V3's change onto V1 (the typical loop: V3 appends an attempt right after V2's), B is built with
the ledger merge itself; there the test shows that git's line merge of A and B conflicts while
the ledger merge does not, and that the result holds the same lines as V3 (concurrent attempts
are put in timestamp order, which real ledgers do not always follow).

The reset layout (a single `## Attempts History` of `### timestamp — ID` headings) has no focus
sections; its focus changes are new attempt headings whose place in a split is ambiguous, so
those versions are not replayed here (the unit tests cover heading attempts).
"""

from __future__ import annotations

import functools
import itertools
import os
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from conftest import DATA

import ledger
from ledger.merge import MergeResult, merge_ledgers

LEDGER = "docs/fix_plan.md"
MIN_PASS_RATE = 0.95
# The module-scoped clone runs before the per-test git isolation: keep the machine's config out.
GIT_ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def ledger_versions(bundle: Path, into: Path) -> list[str]:
    """Every first-parent version of the ledger, oldest first (one `git cat-file --batch`)."""
    repo = into / bundle.stem
    subprocess.run(
        ["git", "clone", "-q", str(bundle), str(repo)], check=True, capture_output=True, env=GIT_ENV
    )
    revs = subprocess.run(
        ["git", "log", "--first-parent", "--format=%H", "--", LEDGER],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
        env=GIT_ENV,
    ).stdout.split()[::-1]
    request = "".join(f"{rev}:{LEDGER}\n" for rev in revs).encode()
    out = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=repo,
        input=request,
        check=True,
        capture_output=True,
        env=GIT_ENV,
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


# A version is the V2 of one pair and the V1 of the next, and each of its sections is cut out
# several times: it is parsed and split into lines once.
@functools.cache
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


@functools.cache
def lines_of(text: str) -> tuple[str, ...]:
    return tuple(text.splitlines(keepends=True))


def span_text(text: str, span: tuple[int, int]) -> str:
    return "".join(lines_of(text)[span[0] - 1 : span[1]])


def splice(text: str, span: tuple[int, int], new: str) -> str:
    lines = lines_of(text)
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


@pytest.fixture(scope="module")
def histories(tmp_path_factory) -> list[list[str]]:
    into = tmp_path_factory.mktemp("replay")
    return [ledger_versions(b, into) for b in sorted((DATA / "fixtures").glob("*.bundle"))]


@pytest.mark.slow
def test_splitting_real_commits_by_focus_and_merging_gives_the_commit_back(histories):
    total, failures = 0, []
    pairs = 0
    for versions in histories:
        for v1, v2 in itertools.pairwise(versions):
            counted = False
            for x, a, b in splits(v1, v2):
                if not counted:
                    pairs, counted = pairs + 1, True
                for ours, theirs in ((a, b), (b, a)):
                    total += 1
                    result = merge_ledgers(v1, ours, theirs)
                    if result.text != v2 or result.conflicts:
                        failures.append((x, result.conflicts))
    passed = total - len(failures)
    print(f"\nmerge replay: {passed}/{total} merges gave V2 byte for byte ({pairs} version pairs)")
    assert total >= 40, "the fixtures should yield dozens of replays"
    assert passed / total >= MIN_PASS_RATE, failures[:10]


def replay_onto(new: str, old: str, target: str, folder: Path) -> str | None:
    """`target` plus the change old -> new, by `git merge-file`; None when it does not apply."""
    paths = []
    for name, text in (("new", new), ("old", old), ("target", target)):
        path = folder / name
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
        paths.append(str(path))
    done = subprocess.run(["git", "merge-file", "-p", *paths], capture_output=True, env=GIT_ENV)
    return done.stdout.decode("utf-8", "surrogateescape") if done.returncode == 0 else None


def same_lines(a: str, b: str) -> bool:
    """The same non-blank lines, in any order."""
    return Counter(x for x in a.splitlines() if x.strip()) == Counter(
        x for x in b.splitlines() if x.strip()
    )


def as_numbered_by_the_loops(result: MergeResult) -> str:
    """The merged text with the attempts the merge renumbered given back their old number (the
    real next version keeps the duplicate `Attempt #N` the two loops wrote)."""
    if not result.renumbered:
        return result.text
    lines = result.text.splitlines(keepends=True)
    for r in result.renumbered:
        lines[r.line - 1] = lines[r.line - 1].replace(f"Attempt #{r.new}", f"Attempt #{r.old}", 1)
    return "".join(lines)


@pytest.mark.slow
def test_two_consecutive_loops_run_in_parallel_merge_into_the_real_next_version(
    histories, tmp_path
):
    easy = hard = git_conflicts = renumbered = 0
    failures, hard_exact, hard_failures = [], 0, []
    for versions in histories:
        for v1, v2, v3 in zip(versions, versions[1:], versions[2:]):
            if len({v1, v2, v3}) < 3:
                continue
            b = replay_onto(v3, v2, v1, tmp_path)
            if b is not None:
                if b == v1:
                    continue
                easy += 1
                result = merge_ledgers(v1, v2, b)
                if result.text != v3 or result.conflicts:
                    failures.append(result.conflicts)
                continue
            # git cannot replay V3's change onto V1 (it touches lines V2 added, e.g. an attempt
            # appended after V2's attempt). Replay it by focus and attempt instead, when that is
            # clean, and compare git's own merge with the ledger merge on the result.
            rebased = merge_ledgers(v2, v3, v1)
            if rebased.conflicts or rebased.text == v1:
                continue
            hard += 1
            git_conflicts += replay_onto(v2, v1, rebased.text, tmp_path) is None
            result = merge_ledgers(v1, v2, rebased.text)
            renumbered += bool(result.renumbered)
            text = as_numbered_by_the_loops(result)
            hard_exact += text == v3 and not result.conflicts
            if result.conflicts or not same_lines(text, v3):
                hard_failures.append(result.conflicts)
    passed = easy - len(failures)
    print(f"\nparallel loops replay: {passed}/{easy} merges gave the real next version")
    print(
        f"loops that git cannot replay line-wise: {hard}; git's merge conflicts on {git_conflicts}, "
        f"the ledger merge on {sum(1 for c in hard_failures if c)}; {hard_exact} give the real next "
        f"version byte for byte, {hard - len(hard_failures)} the same lines; in {renumbered} both "
        "loops had numbered their attempt alike and the merge renumbered the later one"
    )
    assert easy >= 40 and hard >= 10
    assert passed / easy >= MIN_PASS_RATE, failures[:10]
    assert not hard_failures, hard_failures[:10]
