"""`ledger dwell`, `ledger log`, and the Dwell column of `ledger status`, through CliRunner."""

from __future__ import annotations

import json
import subprocess

import pytest
from gitrepo import GitRepo
from typer.testing import CliRunner

from ledger.cli._app import build_app

runner = CliRunner()
LEDGER = "docs/fix_plan.md"


def invoke(*args: str):
    return runner.invoke(build_app(), ["--no-color", *args], catch_exceptions=False)


def plan(a_status: str = "in_progress", b_status: str = "pending") -> str:
    return (
        "# Fix Plan Ledger\n**Active Focus:** A-001 — first\n\n"
        f"## [A-001] First\n- Status: {a_status}\n\n## [B-002] Second\n- Status: {b_status}\n"
    )


@pytest.fixture(scope="module")
def loop_history(module_git, tmp_path_factory) -> GitRepo:
    """A-001: five supervisor turns without evidence (dwell 4, tier 2); B-002: one turn, then code.

    Built once per module (18 commits); tests work on copies."""
    repo = GitRepo(tmp_path_factory.mktemp("history") / "loop")
    repo.commit("seed", {LEDGER: plan(), "src/app.py": "x = 0\n"})
    repo.commit("SUPERVISOR: B-002 plan - tests: not run", {"input.md": "b\n"})
    repo.commit("B-002 app: implement", {"src/app.py": "x = 1\n"})
    for i in range(5):
        repo.commit(f"[SYNC i={i}] actor=galph status=running", {"sync/state.json": f"{i}\n"})
        repo.commit(f"SUPERVISOR: A-001 planning {i} - tests: not run", {"input.md": f"a{i}\n"})
        repo.commit(f"RALPH AUTO: reports evidence {i}", {f"reports/{i}.log": "ok\n"})
    return repo


@pytest.fixture
def loop_repo(loop_history, tmp_path, monkeypatch) -> GitRepo:
    """This test's own copy of the loop history, as the current directory."""
    repo = loop_history.copy_to(tmp_path / "loop")
    monkeypatch.chdir(repo.path)
    return repo


def test_dwell_json_shape(loop_repo):
    result = invoke("dwell", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["schema_version", "rev", "focus"]
    assert data["schema_version"] == 1 and data["rev"] == loop_repo.git("rev-parse", "HEAD")
    rows = {f["id"]: f for f in data["focus"]}
    assert set(rows) == {"A-001", "B-002"}
    a = rows["A-001"]
    assert list(a) == [
        "id",
        "dwell",
        "tier",
        "turns",
        "status",
        "state",
        "last_turn",
        "last_evidence",
    ]
    assert (a["dwell"], a["tier"], a["turns"], a["status"]) == (4, 2, 5, "in_progress")
    assert a["state"] == "flagged"
    assert a["last_turn"]["subject"] == "SUPERVISOR: A-001 planning 4 - tests: not run"
    assert a["last_turn"]["date"] == "2025-11-01T00:17:00+00:00"  # the 17th commit, pinned date
    assert a["last_evidence"] is None
    b = rows["B-002"]
    assert (b["dwell"], b["tier"], b["turns"]) == (0, 0, 1)
    assert b["last_evidence"]["subject"] == "B-002 app: implement"


def test_dwell_table_names_tiers(loop_repo):
    result = invoke("dwell")
    assert result.exit_code == 0
    line = next(line for line in result.stdout.splitlines() if line.startswith("A-001"))
    assert "in_progress" in line and " 4 " in line and "T2" in line
    assert "6 supervisor turns" in result.stdout  # B-002 once, A-001 five times


def test_fail_on_tier(loop_repo):
    assert invoke("dwell", "--fail-on-tier", "3").exit_code == 0
    result = invoke("dwell", "--fail-on-tier", "2")
    assert result.exit_code == 1
    assert "A-001 (dwell 4, tier 2)" in result.stderr
    assert invoke("dwell", "--fail-on-tier", "7").exit_code == 2


def test_closed_focus_is_not_flagged(loop_repo):
    loop_repo.commit("close A-001 in the ledger", {LEDGER: plan(a_status="done")})
    assert invoke("dwell", "--fail-on-tier", "1").exit_code == 0
    data = json.loads(invoke("dwell", "--json").stdout)
    assert next(f for f in data["focus"] if f["id"] == "A-001")["status"] == "done"


def test_rev_option_reads_an_older_revision(loop_repo):
    data = json.loads(invoke("dwell", "--json", "--rev", "HEAD~6").stdout)
    a = next(f for f in data["focus"] if f["id"] == "A-001")
    assert (a["dwell"], a["turns"]) == (2, 3)
    assert invoke("dwell", "--rev", "no-such-ref").exit_code == 1


def test_all_adds_focus_items_without_turns(loop_repo):
    loop_repo.commit(
        "C-003 new focus", {LEDGER: plan() + "\n## [C-003] Third\n- Status: pending\n"}
    )
    ids = [f["id"] for f in json.loads(invoke("dwell", "--json").stdout)["focus"]]
    assert "C-003" not in ids
    rows = json.loads(invoke("dwell", "--json", "--all").stdout)["focus"]
    c = next(f for f in rows if f["id"] == "C-003")
    assert (c["turns"], c["last_turn"], c["dwell"]) == (0, None, 0)


def test_timeline(loop_repo):
    result = invoke("dwell", "--timeline", "A-001")
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if line.startswith("turn")]
    assert len(lines) == 5 and "dwell 4 (T2)" in lines[-1]
    data = json.loads(invoke("dwell", "--timeline", "A-001", "--json").stdout)
    assert [t["dwell"] for t in data["timeline"]] == [0, 1, 2, 3, 4]
    assert data["pending_evidence"] == []
    loop_repo.commit("A-001 app: code at last", {"src/app.py": "x = 2\n"})
    data = json.loads(invoke("dwell", "--timeline", "A-001", "--json").stdout)
    assert [c["subject"] for c in data["pending_evidence"]] == ["A-001 app: code at last"]


def test_unknown_focus_suggests_close_ids(loop_repo):
    result = invoke("dwell", "--timeline", "A-01")
    assert result.exit_code == 1 and "A-001" in result.stderr


def test_log(loop_repo):
    result = invoke("log", "B-002")
    assert result.exit_code == 0
    out = result.stdout
    assert (
        "appeared (pending)" in out
        and "turn 1: dwell 0" in out
        and "implementation evidence" in out
    )
    loop_repo.commit("SUPERVISOR: B-002 blocked", {LEDGER: plan(b_status="blocked")})
    data = json.loads(invoke("log", "B-002", "--json").stdout)
    assert data["id"] == "B-002" and data["schema_version"] == 1
    kinds = [e["kind"] for e in data["events"]]
    assert kinds == ["appeared", "turn", "evidence", "status", "turn"]
    status = data["events"][3]
    assert (status["from"], status["to"], status["subject"]) == (
        "pending",
        "blocked",
        "SUPERVISOR: B-002 blocked",
    )


def test_file_option_names_another_ledger_path(loop_repo):
    loop_repo.commit("other ledger", {"plans/ledger.md": plan()})
    loop_repo.commit("SUPERVISOR: B-002 on the other ledger")
    data = json.loads(invoke("dwell", "--json", "--file", "plans/ledger.md").stdout)
    assert [f["id"] for f in data["focus"] if f["turns"]] == ["B-002"]


def test_bare_repository_through_repo_option(loop_repo, tmp_path, monkeypatch):
    bare = tmp_path / "mirror.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(loop_repo.path), str(bare)], check=True)
    monkeypatch.chdir(tmp_path)
    data = json.loads(invoke("dwell", "--json", "--repo", str(bare), "--rev", "main").stdout)
    assert next(f for f in data["focus"] if f["id"] == "A-001")["dwell"] == 4


def test_outside_a_repository_dwell_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("dwell")
    assert result.exit_code == 1 and "not inside a git repository" in result.stderr


def test_status_has_a_dwell_column_inside_git_and_not_with_no_git(loop_repo):
    result = invoke("status")
    assert result.exit_code == 0
    assert "Dwell" in result.stdout
    line = next(line for line in result.stdout.splitlines() if line.startswith("A-001"))
    assert "4 (T2)" in line
    data = json.loads(invoke("status", "--json").stdout)
    a = next(r for r in data["focus"] if r["id"] == "A-001")
    assert a["dwell"] == {"dwell": 4, "tier": 2, "state": "flagged"}
    plain = invoke("status", "--no-git")
    assert plain.exit_code == 0 and "Dwell" not in plain.stdout


def test_status_outside_git_has_no_dwell_column(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    (tmp_path / LEDGER).write_text(plan())
    monkeypatch.chdir(tmp_path)
    result = invoke("status", "--file", str(tmp_path / LEDGER))
    assert result.exit_code == 0 and "Dwell" not in result.stdout and "A-001" in result.stdout


def test_status_in_a_repository_without_commits_or_with_an_untracked_ledger(tmp_path, monkeypatch):
    repo = GitRepo(tmp_path / "fresh")
    (repo.path / "docs").mkdir()
    (repo.path / LEDGER).write_text(plan())
    monkeypatch.chdir(repo.path)
    assert "Dwell" not in invoke("status").stdout
    repo.commit("unrelated", {"x.txt": "1"})
    assert "Dwell" not in invoke("status").stdout


def test_status_dwell_of_a_closed_focus_is_its_real_dwell_and_tier_marked_closed(loop_repo):
    loop_repo.commit("close", {LEDGER: plan(a_status="done")})
    data = json.loads(invoke("status", "--json").stdout)
    row = next(r for r in data["focus"] if r["id"] == "A-001")
    assert row["dwell"] == {"dwell": 4, "tier": 2, "state": "closed"}
    line = next(line for line in invoke("status").stdout.splitlines() if line.startswith("A-001"))
    assert "4 (T2, closed)" in line
    dwell = json.loads(invoke("dwell", "--json").stdout)
    a = next(f for f in dwell["focus"] if f["id"] == "A-001")
    assert (a["dwell"], a["tier"], a["state"]) == (4, 2, "closed")


def test_status_dwell_is_cached_per_head_and_recomputed_when_head_moves(loop_repo):
    first = json.loads(invoke("status", "--json").stdout)
    assert (loop_repo.path / ".git" / "ledger" / "status.json").is_file()
    assert next(r for r in first["focus"] if r["id"] == "A-001")["dwell"]["dwell"] == 4
    loop_repo.commit("SUPERVISOR: A-001 one more", {"input.md": "again\n"})
    again = json.loads(invoke("status", "--json").stdout)
    a = next(r for r in again["focus"] if r["id"] == "A-001")
    assert a["dwell"] == {"dwell": 5, "tier": 2, "state": "flagged"}


def test_a_ledger_path_the_history_never_had_is_an_error(loop_repo):
    result = invoke("dwell", "--file", "plans/nowhere.md")
    assert result.exit_code == 1
    assert "plans/nowhere.md is not in the history of HEAD" in result.stderr


# --- the Tier-3 gate can be satisfied ------------------------------------------------------------


def three_items(a_status: str = "in_progress") -> str:
    return (
        "# Fix Plan Ledger\n\n"
        f"## [A-001] First\n- Status: {a_status}\n\n"
        "## [B-002] Second\n- Status: blocked — waiting on data\n\n"
        "## [C-003] Third\n- Status: pending\n"
    )


@pytest.fixture
def tier3_repo(tmp_path, monkeypatch) -> GitRepo:
    """A-001 (in progress) and B-002 (blocked) climb to dwell 6, tier 3: seven supervisor turns
    naming both, with only reports in between."""
    repo = GitRepo(tmp_path / "tier3")
    repo.commit("seed", {LEDGER: three_items(), "src/app.py": "x = 0\n"})
    for i in range(7):
        repo.commit(f"SUPERVISOR: A-001 B-002 planning {i}", {"input.md": f"{i}\n"})
        repo.commit(f"RALPH AUTO: reports {i}", {f"reports/{i}.log": "ok\n"})
    monkeypatch.chdir(repo.path)
    return repo


def marks_everywhere(focus_id: str) -> dict[str, tuple]:
    """(dwell, tier, state) of a focus as `dwell --json`, `status --json` and `brief --json`
    give them."""
    dwell = json.loads(invoke("dwell", "--json").stdout)
    row = next(f for f in dwell["focus"] if f["id"] == focus_id)
    status = json.loads(invoke("status", "--json").stdout)
    cell = next(r for r in status["focus"] if r["id"] == focus_id)["dwell"]
    brief = json.loads(invoke("brief", focus_id, "--json").stdout)
    return {
        "dwell": (row["dwell"], row["tier"], row["state"]),
        "status": (cell["dwell"], cell["tier"], cell["state"]),
        "brief": (brief["dwell"], brief["tier"], brief["dwell_state"]),
    }


def test_obeying_tier_3_satisfies_the_gate_and_every_command_agrees(tier3_repo):
    failing = invoke("dwell", "--fail-on-tier", "3")
    assert failing.exit_code == 1
    assert "A-001 (dwell 6, tier 3)" in failing.stderr and "B-002" not in failing.stderr
    brief = invoke("brief", "A-001").stdout
    assert "- Dwell: 6 (Tier 3): stop planning this focus: mark it blocked_escalation" in brief

    # the team obeys: the escalation is one more supervisor turn for A-001
    assert invoke("set", "A-001", "-s", "blocked_escalation").exit_code == 0
    tier3_repo.git("commit", "-q", "-am", "SUPERVISOR: A-001 escalated, switching focus")

    assert invoke("dwell", "--fail-on-tier", "3").exit_code == 0
    assert invoke("dwell", "--fail-on-tier", "1").exit_code == 0
    assert set(marks_everywhere("A-001").values()) == {(7, 3, "parked")}
    brief = invoke("brief", "A-001").stdout
    assert "- Dwell: 7 (Tier 3, parked): blocked_escalation records a decision to wait" in brief
    assert "mark it blocked_escalation" not in brief
    table = invoke("dwell").stdout
    assert "no active focus flagged" in table
    assert "T3 parked" in next(line for line in table.splitlines() if line.startswith("A-001"))


def test_an_item_already_blocked_is_reported_but_never_flagged(tier3_repo):
    assert set(marks_everywhere("B-002").values()) == {(6, 3, "parked")}
    status = invoke("status").stdout
    assert "6 (T3, parked)" in next(ln for ln in status.splitlines() if ln.startswith("B-002"))
    assert "mark it blocked_escalation" not in invoke("brief", "B-002").stdout
    failing = invoke("dwell", "--fail-on-tier", "1").stderr
    assert "A-001" in failing and "B-002" not in failing


# --- what goes wrong, said as it is ------------------------------------------------------------


def test_a_repository_without_commits_says_so_in_one_line(tmp_path, monkeypatch):
    repo = GitRepo(tmp_path / "fresh")
    (repo.path / "docs").mkdir()
    (repo.path / LEDGER).write_text(plan())
    monkeypatch.chdir(repo.path)
    expected = f"ledger: error: {repo.path.resolve()} has no commits yet\n"
    for args in (["dwell"], ["dwell", "--fail-on-tier", "3"], ["log", "A-001"]):
        result = invoke(*args)
        assert (result.exit_code, result.stderr) == (1, expected), args
    status = invoke("status")
    assert status.exit_code == 0 and status.stderr == "" and "Dwell" not in status.stdout


def bare_mirror(source: GitRepo, path) -> str:
    """A bare repository holding `source`'s main branch (HEAD on main too)."""
    subprocess.run(["git", "init", "-q", "--bare", str(path)], check=True)
    source.git("push", "-q", str(path), "main")
    return str(path)


def test_a_bare_mirror_whose_head_has_no_commits_names_its_branches_not_the_file_option(
    loop_repo, tmp_path
):
    bare = bare_mirror(loop_repo, tmp_path / "mirror.git")
    subprocess.run(["git", "-C", bare, "symbolic-ref", "HEAD", "refs/heads/master"], check=True)
    result = invoke("dwell", "--repo", bare)
    assert result.exit_code == 1
    assert "(refs/heads/master) has no commits yet" in result.stderr
    assert "hint: name one of its branches instead: main" in result.stderr
    assert "--file" not in result.stderr
    assert invoke("dwell", "--repo", bare, "--rev", "main").exit_code == 0


def test_a_bare_mirror_without_the_ledger_at_the_configured_path_names_it_and_the_file_option(
    tmp_path, monkeypatch
):
    repo = GitRepo(tmp_path / "elsewhere")
    repo.commit("seed", {"plans/ledger.md": plan()})
    repo.commit("SUPERVISOR: A-001 planning")
    bare = bare_mirror(repo, tmp_path / "mirror.git")
    monkeypatch.chdir(tmp_path)
    result = invoke("dwell", "--repo", bare)
    assert result.exit_code == 1
    assert f"{LEDGER} is not in the history of HEAD in" in result.stderr
    assert "name the ledger's path inside the repository with --file PATH" in result.stderr
    data = json.loads(invoke("dwell", "--repo", bare, "--file", "plans/ledger.md", "--json").stdout)
    assert [f["id"] for f in data["focus"]] == ["A-001"]


def test_a_ledger_that_another_branch_has_is_named_with_that_branch(loop_repo):
    loop_repo.git("checkout", "-q", "-b", "side")
    loop_repo.commit("a ledger on side", {"plans/ledger.md": plan()})
    loop_repo.git("checkout", "-q", "main")
    result = invoke("dwell", "--file", "plans/ledger.md")
    assert result.exit_code == 1
    assert "hint: side has it: pass --rev side" in result.stderr


def test_focus_items_no_longer_in_the_ledger_are_hidden_unless_all(loop_repo):
    without_b = "# Fix Plan Ledger\n**Active Focus:** A-001 — first\n\n## [A-001] First\n"
    loop_repo.commit("B-002 moved out", {LEDGER: without_b + "- Status: in_progress\n"})
    lines = invoke("dwell").stdout.splitlines()
    assert [line.split()[0] for line in lines[1:-1]] == ["A-001"]
    assert lines[-1].endswith(
        "; 1 active focus item flagged (tier 1 or above, not parked); "
        "1 hidden: 1 no longer in the ledger (--all lists them)"
    )
    every = invoke("dwell", "--all").stdout
    assert "B-002" in every and "(not in ledger)" in every and "hidden" not in every
    assert [f["id"] for f in json.loads(invoke("dwell", "--json").stdout)["focus"]] == ["A-001"]
    rows = json.loads(invoke("dwell", "--json", "--all").stdout)["focus"]
    assert [(f["id"], f["status"]) for f in rows] == [("A-001", "in_progress"), ("B-002", None)]


def test_status_keeps_status_and_dwell_when_the_screen_is_narrow(loop_repo):
    # ID 5, Title 6, Status 11, Dwell 6 and three gaps take 34 of the 40 columns; Priority (8
    # and a gap) would not fit, nor would anything dropped before it
    lines = invoke("--width", "40", "status").stdout.splitlines()
    assert lines[0].split() == ["ID", "Title", "Status", "Dwell"]
    assert lines[1].split() == ["A-001", "First", "in_progress", "4", "(T2)"]


# --- single-agent loops ----------------------------------------------------------------------------

RALPH_PLAN = "fix_plan.md"
CONFIG_ITEM = "implement-config-loader-for-yaml-and-toml-files"
RETRY_ITEM = "add-retry-with-backoff-to-the-http-client"


def ralph_plan(retry_done: bool = False, notes: int = 0) -> str:
    """The ralph template's form (tests/data/expected/samples/ralph_fix_plan.md)."""
    return (
        "# Ralph Fix Plan\n\n## High Priority\n"
        "- [ ] Implement config loader for YAML and TOML files\n"
        f"- [{'x' if retry_done else ' '}] Add retry with backoff to the HTTP client\n\n"
        "## Medium Priority\n- [ ] Write help text for all CLI subcommands\n\n"
        "## Notes\n- Focus on MVP functionality first\n"
        + "".join(f"- Learned {n}\n" for n in range(notes))
    )


@pytest.fixture
def ralph_repo(tmp_path, monkeypatch) -> GitRepo:
    """One agent in a loop, no supervisor: the config loader is the next item for five
    iterations that touch only the plan and the specs (dwell 5, tier 2); the last one ticks the
    retry item without code."""
    repo = GitRepo(tmp_path / "ralph")
    repo.commit(
        "Initial loop setup",
        {
            RALPH_PLAN: ralph_plan(),
            ".ledger.yaml": f"file: {RALPH_PLAN}\n",
            "PROMPT.md": "Pick the most important item in fix_plan.md.\n",
            "src/app.py": "VERSION = 0\n",
        },
    )
    for i in range(4):
        repo.commit(
            f"Update plan ({i})", {RALPH_PLAN: ralph_plan(notes=i + 1), f"specs/{i}.md": "s\n"}
        )
    repo.commit("Mark retry done", {RALPH_PLAN: ralph_plan(retry_done=True, notes=4)})
    monkeypatch.chdir(repo.path)
    return repo


def test_a_single_agent_history_is_read_as_iterations(ralph_repo):
    result = invoke("dwell")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:6] == ["ID", "Status", "Dwell", "Tier", "Iterations", "Last"]
    assert "Last iteration" in lines[0] and "Turns" not in lines[0]
    row = next(line for line in lines if line.startswith(CONFIG_ITEM))
    assert row.split()[1:5] == ["pending", "5", "T2", "5"]
    at = lines.index(
        "done without evidence (closed by a commit that touched only docs-only paths):"
    )
    assert lines[at + 1].split()[0] == RETRY_ITEM and lines[at + 1].endswith("Mark retry done")
    assert (
        lines[-1].startswith("6 single-agent iterations up to ")
        and "1 active focus item stuck (tier 1 or above, not parked)" in lines[-1]
    )


def test_single_agent_fail_on_tier_names_the_stuck_item(ralph_repo):
    failing = invoke("dwell", "--fail-on-tier", "2")
    assert failing.exit_code == 1
    assert f"{CONFIG_ITEM} (dwell 5, tier 2)" in failing.stderr
    assert invoke("dwell", "--fail-on-tier", "3").exit_code == 0


def test_single_agent_json_adds_the_mode_the_iterations_and_done_without_evidence(ralph_repo):
    data = json.loads(invoke("dwell", "--json").stdout)
    assert list(data) == [
        "schema_version",
        "rev",
        "mode",
        "iterations",
        "focus",
        "done_without_evidence",
    ]
    assert (data["mode"], data["iterations"]) == ("single_agent", 6)
    row = next(f for f in data["focus"] if f["id"] == CONFIG_ITEM)
    assert (row["dwell"], row["tier"], row["turns"], row["state"]) == (5, 2, 5, "flagged")
    [done] = data["done_without_evidence"]
    assert (done["id"], done["subject"], done["status"]) == (RETRY_ITEM, "Mark retry done", "done")
    assert done["sha"] == ralph_repo.git("rev-parse", "HEAD")


def test_single_agent_timeline_and_log_count_iterations(ralph_repo):
    lines = invoke("dwell", "--timeline", CONFIG_ITEM).stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [["iteration", str(n)] for n in range(2, 7)]
    assert "dwell 5 (T2)  [next_item]  Mark retry done" in lines[-1]
    timeline = json.loads(invoke("dwell", "--timeline", CONFIG_ITEM, "--json").stdout)
    assert [e["dwell"] for e in timeline["timeline"]] == [1, 2, 3, 4, 5]
    assert timeline["pending_evidence"] == []
    retry = invoke("dwell", "--timeline", RETRY_ITEM).stdout
    assert retry.startswith(f"{RETRY_ITEM}: never the next open item in this history")
    log = invoke("log", CONFIG_ITEM).stdout
    assert "iteration 6: dwell 5, tier 2" in log and "turn" not in log


def test_status_brief_and_next_show_the_single_agent_dwell(ralph_repo):
    assert set(marks_everywhere(CONFIG_ITEM).values()) == {(5, 2, "flagged")}
    status = invoke("status").stdout
    assert "5 (T2)" in next(ln for ln in status.splitlines() if ln.startswith(CONFIG_ITEM))
    # the item the rule counts is the one `ledger next` puts first, read from the ledger alone
    plain = json.loads(invoke("next", "--no-git", "--json").stdout)
    assert plain["next"] == CONFIG_ITEM
