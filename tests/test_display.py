"""Text repaired for display: what `status`, `show`, `brief`, `graph` and `next` show never
carries mojibake, while the model, the file and `export` keep the bytes as written."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import SEED, read_corpus
from typer.testing import CliRunner

from ledger import loads
from ledger.cli._app import build_app
from ledger.views import displayed

runner = CliRunner()
MOJIBAKE = ("‚Ä", "√")  # how an em dash, a narrow space and `±` read in the seed


def invoke(*args: str) -> str:
    result = runner.invoke(build_app(), ["--no-color", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def seed(tmp_path) -> str:
    path = tmp_path / "fix_plan.md"
    shutil.copy(SEED, path)
    return str(path)


def test_the_seed_carries_mojibake_to_begin_with():
    text = read_corpus(SEED)
    assert all(marker in text for marker in MOJIBAKE)


def test_no_reading_command_shows_mojibake_and_the_file_is_unchanged(seed):
    before = SEED.read_bytes()
    ids = [row["id"] for row in json.loads(invoke("-f", seed, "status", "--json"))["focus"]]
    assert len(ids) == 15
    commands = [
        ["status", "--no-git"],
        ["status", "--json", "--no-git"],
        ["next", "--explain", "--no-git"],
        ["next", "--json", "--explain", "--no-git"],
        *(["graph", "--format", fmt] for fmt in ("mermaid", "dot", "tree", "json")),
        ["graph", "--active", "--format", "tree"],
    ]
    for focus_id in ids:
        commands += [
            ["show", focus_id],
            ["show", focus_id, "--json"],
            ["brief", focus_id, "--no-git"],
            ["brief", focus_id, "--json", "--no-git", "--attempts", "20"],
        ]
    for args in commands:
        out = invoke("-f", seed, *args)
        found = [m for m in MOJIBAKE if m in out]
        assert not found, (args, found)
    with open(seed, "rb") as copy:
        assert copy.read() == before


def test_the_repaired_text_is_the_text_that_was_meant(seed):
    out = invoke("-f", seed, "show", "FIX-TF-C1D-SCALED-RERUN-001")
    assert "[FIX-TF-C1D-SCALED-RERUN-001] Phase\u202fC1d TensorFlow scaled rerun execution" in out
    brief = invoke("-f", seed, "brief", "FIX-PYTORCH-FORWARD-PARITY-001", "--no-git")
    assert "BLOCKED — actionable work is tracked under FIX-TF-C1D-SCALED-RERUN-001" in brief


def test_export_keeps_the_text_as_written(seed):
    out = invoke("-f", seed, "export")
    data = json.loads(out)
    title = next(
        f["title"] for f in data["focus_items"] if f["id"] == "FIX-TF-C1D-SCALED-RERUN-001"
    )
    assert title == "Phase‚ÄØC1d TensorFlow scaled rerun execution"


def test_displayed_repairs_a_copy_and_leaves_the_model_alone():
    ledger = loads(read_corpus(SEED))
    item = ledger.get("FIX-PYTORCH-FORWARD-PARITY-001")
    shown = displayed(item)
    assert "‚Ä" in item.status_text and "‚Ä" not in shown.status_text
    assert all("‚Ä" not in f.text for f in shown.fields)
    assert all("‚Ä" not in a.text for a in shown.attempts)
    assert (shown.line, shown.end_line, len(shown.attempts)) == (
        item.line,
        item.end_line,
        len(item.attempts),
    )
    assert ledger.get("FIX-PYTORCH-FORWARD-PARITY-001") is item
