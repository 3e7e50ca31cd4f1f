"""20 real processes record attempts on one ledger at the same time: nothing is lost."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys

import pytest
from conftest import SEED, read_corpus

from ledger.parse import loads

WRITERS = 20


@pytest.mark.slow
def test_twenty_concurrent_attempt_adds_all_land_in_their_sections(tmp_path):
    path = tmp_path / "fix_plan.md"
    original = read_corpus(SEED)
    path.write_bytes(SEED.read_bytes())
    before = loads(original)
    # every focus that an attempt can be added to without picking a copy or forcing
    refused = {"STUDY-SYNTH-FLY64-DOSE-OVERLAP-001", "FEAT-LAZY-LOADING-001"}
    targets = [f.id for f in before.focus_items if f.id not in refused]
    jobs = [(targets[i % len(targets)], f"concurrent writer {i:02d}") for i in range(WRITERS)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ledger",
                "-f",
                str(path),
                "attempt",
                "add",
                focus_id,
                "--kind",
                "planning",
                "--summary",
                summary,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        for focus_id, summary in jobs
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err

    after_text = path.read_bytes().decode("utf-8", "surrogateescape")
    after = loads(after_text)
    for focus_id, summary in jobs:
        hits = [a for a in after.get(focus_id).attempts if summary in a.text]
        assert len(hits) == 1, (focus_id, summary)
    for item in before.focus_items:
        if item.id in {t for t, _ in jobs}:
            added = sum(1 for t, _ in jobs if t == item.id)
            assert len(after.get(item.id).attempts) == len(before.get(item.id).attempts) + added

    # Apart from the 20 new lines, the file is byte-for-byte what it was.
    ops = difflib.SequenceMatcher(
        None, original.splitlines(), after_text.splitlines(), autojunk=False
    ).get_opcodes()
    assert all(tag in ("equal", "insert") for tag, *_ in ops)
    inserted = [
        line
        for tag, _i1, _i2, j1, j2 in ops
        if tag == "insert"
        for line in after_text.splitlines()[j1:j2]
    ]
    assert len(inserted) == WRITERS
    assert sorted(s for _f, s in jobs) == sorted(line.rsplit("— ", 1)[-1] for line in inserted)
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
