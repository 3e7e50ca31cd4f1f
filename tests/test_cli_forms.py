"""The commands on plans of the other forms (checkbox queues, spec-kit and Kiro tasks, numbered
queues with a dated log, heading items, bold-ID paragraphs, task tables), through the real typer
app on copies of the public plans and the samples."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledger.cli import attempt as attempt_cli
from ledger.cli._app import build_app
from ledger.parse import loads

DATA = Path(__file__).parent / "data"
PLANS = sorted((DATA / "public").glob("*.md")) + sorted(
    (DATA / "expected" / "samples").glob("*.md")
)
NOW = datetime(2026, 2, 3, 4, 5, tzinfo=timezone.utc)
runner = CliRunner()

CONFIG_LOADER = "implement-config-loader-for-yaml-and-toml-files"


def invoke(*args: str):
    return runner.invoke(build_app(), list(args), color=False)


def plan(name: str) -> Path:
    return next(p for p in PLANS if p.name == name)


@pytest.fixture
def copy(tmp_path, monkeypatch):
    """A copy of one plan as tmp/docs/fix_plan.md (cwd: tmp), with the clock fixed."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(attempt_cli, "_clock", lambda: NOW)

    def make(name: str) -> Path:
        (tmp_path / "docs").mkdir(exist_ok=True)
        path = tmp_path / "docs" / "fix_plan.md"
        shutil.copy(plan(name), path)
        return path

    return make


# --- reading --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_status_json_gives_every_item_its_form_and_group(path):
    result = invoke("status", "-f", str(path), "--json", "--no-git")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["focus"]
    items = loads(path.read_text(encoding="utf-8")).focus_items
    assert [(r["id"], r["form"], r["group"]) for r in rows] == [
        (f.id, f.form.value, f.group) for f in items
    ]


def test_status_table_lists_the_queue():
    path = plan("ralph_fix_plan.md")
    result = invoke("status", "-f", str(path), "--no-git")
    assert result.exit_code == 0
    assert CONFIG_LOADER in result.stdout
    assert "13 focus items" in result.stdout


def test_show_names_the_form_group_and_steps():
    path = plan("ralph_fix_plan.md")
    result = invoke("show", "add-retry-with-backoff-to-the-http-client", "-f", str(path))
    assert result.exit_code == 0
    assert "checkbox item under High Priority" in result.stdout
    assert "Cap retries at 5" in result.stdout


def test_export_carries_form_group_and_steps():
    result = invoke("export", "-f", str(plan("ralph_fix_plan.md")))
    assert result.exit_code == 0
    items = {f["id"]: f for f in json.loads(result.stdout)["focus_items"]}
    retry = items["add-retry-with-backoff-to-the-http-client"]
    assert (retry["form"], retry["group"], retry["derived_id"]) == (
        "checkbox",
        "High Priority",
        True,
    )
    assert [(s["done"], s["text"]) for s in retry["steps"]] == [
        (False, "Cap retries at 5"),
        (True, "Log each retry at debug level"),
    ]
    assert items["add-shell-completions-for-bash-and-zsh"]["optional"] is True


def test_export_of_kiro_tasks_keeps_their_numbers():
    result = invoke("export", "-f", str(plan("kiro_tasks.md")))
    assert result.exit_code == 0
    items = {f["id"]: f for f in json.loads(result.stdout)["focus_items"]}
    assert {"1", "2", "2.1", "2.2", "2.3", "3", "3.1", "3.2", "4"} <= set(items)
    assert items["2.3"]["optional"] is True


def test_next_keeps_the_queue_order_and_skips_closed_items():
    path = plan("speckit_tasks.md")
    result = invoke("next", "-f", str(path), "--no-git")
    assert result.exit_code == 0
    ids = [line.split()[1] for line in result.stdout.splitlines()[1:] if line.strip()]
    assert "T001" not in ids and "T002" not in ids  # ticked
    assert ids.index("T003") < ids.index("T004")


def test_brief_has_a_steps_section():
    path = plan("ralph_fix_plan.md")
    result = invoke(
        "brief", "add-retry-with-backoff-to-the-http-client", "-f", str(path), "--no-git"
    )
    assert result.exit_code == 0
    text = result.stdout
    steps = text[text.index("## Steps") :].splitlines()[1:3]
    assert steps == ["- [ ] Cap retries at 5", "- [x] Log each retry at debug level"]


def test_brief_json_lists_the_steps_as_a_field():
    path = plan("ralph_fix_plan.md")
    result = invoke(
        "brief", "add-retry-with-backoff-to-the-http-client", "-f", str(path), "--no-git", "--json"
    )
    assert result.exit_code == 0
    fields = json.loads(result.stdout)["fields"]
    assert [f["name"] for f in fields] == ["Steps"]


def test_graph_draws_the_written_dependencies():
    path = plan("speckit_tasks.md")
    result = invoke("graph", "-f", str(path))
    assert result.exit_code == 0
    assert "n_T010 --> n_T009" in result.stdout


# --- editing --------------------------------------------------------------------------------


def test_set_done_ticks_the_box(copy):
    path = copy("ralph_fix_plan.md")
    before = path.read_text(encoding="utf-8")
    result = invoke("set", CONFIG_LOADER, "--status", "done", "-f", str(path))
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    assert sum(a != b for a, b in zip(before, after, strict=True)) == 1
    assert loads(after).get(CONFIG_LOADER).status.value == "done"


def test_set_blocked_with_a_note_on_a_speckit_task(copy):
    path = copy("speckit_tasks.md")
    result = invoke("set", "T004", "--status", "blocked", "--note", "no database", "-f", str(path))
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert "- [BLOCKED:no database] T004 Set up database schema" in text
    assert loads(text).get("T004").status.value == "blocked"


def test_set_move_to_completed_writes_a_dated_log_entry(copy):
    path = copy("SecBear__neuron__fix_plan.md")
    item = "brain-job-groups-fan-out-merge-for-large"
    result = invoke("set", item, "--move-to-completed", "-f", str(path))
    assert result.exit_code == 0, result.output
    moved = loads(path.read_text(encoding="utf-8")).get(item)
    assert (moved.form.value, moved.group, moved.status.value) == ("log", "Completed", "done")
    entry = "- 2026-02-03: Brain: job groups (fan-out + merge) for large landscapes"
    assert entry in result.stdout.splitlines()


def test_set_depends_on_a_heading_item(copy):
    path = copy("zhangzongchu2019__pdf-sku__docs_fix_plan.md")
    result = invoke("set", "P3", "-d", "P1", "-d", "P2", "-f", str(path))
    assert result.exit_code == 0, result.output
    assert loads(path.read_text(encoding="utf-8")).get("P3").depends_on == ["P1", "P2"]


def test_set_status_of_a_table_row(copy):
    path = copy("mattcallaway__milestone-app__docs_fix_plan.md")
    result = invoke("set", "H-02", "--status", "in_progress", "-f", str(path))
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert (
        "| **[H-02] Fix Race Condition in task start** | High | `queue.py` | in_progress |" in text
    )


def test_attempt_add_nests_a_note(copy):
    path = copy("kiro_tasks.md")
    result = invoke(
        "attempt", "add", "3.1", "-k", "implementation", "-m", "pool sized at 4", "-f", str(path)
    )
    assert result.exit_code == 0, result.output
    item = loads(path.read_text(encoding="utf-8")).get("3.1")
    assert len(item.attempts) == 1
    assert "pool sized at 4" in item.attempts[0].text
    assert result.stdout.startswith("    - 2026-02-03")  # under `  - [ ] 3.1`


def test_attempt_add_on_a_bold_id_item(copy):
    path = copy("san042__dq-agent__docs_fix_plan.md")
    result = invoke(
        "attempt", "add", "FIX-02", "-k", "planning", "-m", "read the DDL", "-f", str(path)
    )
    assert result.exit_code == 0, result.output
    assert len(loads(path.read_text(encoding="utf-8")).get("FIX-02").attempts) == 1


def test_focus_new_in_a_queue_writes_no_plan_files(copy, tmp_path):
    path = copy("Quiterion__ralph__fix_plan.md")
    result = invoke(
        "focus", "new", "Q1", "-T", "Add a dry-run flag", "--priority", "high", "-f", str(path)
    )
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "plans").exists()
    item = next(
        f
        for f in loads(path.read_text(encoding="utf-8")).focus_items
        if f.title == "Add a dry-run flag"
    )
    assert (item.form.value, item.group, item.priority.value) == (
        "checkbox",
        "Priority 1: Core Framework",
        "High",
    )
    assert "named by its title" in result.stderr


def test_focus_new_json_reports_the_item(copy):
    path = copy("speckit_tasks.md")
    result = invoke("focus", "new", "T020", "-T", "Tag photos", "-f", str(path), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["focus"]["id"] == "T020"
    assert data["focus"]["form"] == "checkbox"
    assert data["plan_files"] == []


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("set", "NOPE-1", "--status", "done"),
        ("attempt", "add", "NOPE-1", "-k", "planning", "-m", "x"),
        ("show", "NOPE-1"),
        ("brief", "NOPE-1", "--no-git"),
    ],
    ids=lambda a: a[0],
)
def test_a_bad_id_is_one_clear_error_and_changes_nothing(copy, args):
    path = copy("speckit_tasks.md")
    before = path.read_bytes()
    result = invoke(*args, "-f", str(path))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("ledger: error")]
    assert errors == ["ledger: error: no focus item with ID 'NOPE-1'"]
    assert path.read_bytes() == before


def test_a_refused_edit_leaves_the_file_alone(copy):
    path = copy("mattcallaway__milestone-app__docs_fix_plan.md")
    before = path.read_bytes()
    result = invoke("attempt", "add", "C-01", "-k", "planning", "-m", "x", "-f", str(path))
    assert result.exit_code == 1
    assert "no room for notes" in result.stderr
    assert path.read_bytes() == before


def test_a_blocked_checkbox_without_a_reason_is_refused(copy):
    path = copy("ralph_fix_plan.md")
    before = path.read_bytes()
    result = invoke("set", CONFIG_LOADER, "--status", "blocked", "-f", str(path))
    assert result.exit_code != 0
    assert "says why" in result.stderr
    assert path.read_bytes() == before
