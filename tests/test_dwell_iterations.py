"""The single-agent rule on real loop histories (built in tmp_path): a history without any
supervisor commit is read as iterations, and the next open item is stuck when it does not move.

The fix plan has the form of the ralph template (tests/data/expected/samples/ralph_fix_plan.md):
checkbox queues under priority headings, a Completed log and Notes. Its items have no written
ID, so their IDs are slugs of their titles.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from gitrepo import GitRepo

from ledger import history
from ledger.config import DwellConfig
from ledger.dwell import (
    DwellMode,
    DwellState,
    IterationState,
    LedgerSummary,
    Rules,
    Summarizer,
    SummaryStore,
    TurnBasis,
    WalkState,
    fails,
    scan_repository,
    status_table,
    summarize_text,
    walk_from_checkpoint,
)
from ledger.dwell import checkpoint as checkpoints
from ledger.dwell.iterations import Unproven
from ledger.dwell.records import CommitRef, FocusState
from ledger.parse import loads
from ledger.planning import plan
from ledger.vocab import Status

PLAN = "fix_plan.md"
T0 = datetime(2025, 11, 1, tzinfo=timezone.utc)
CONFIG = "implement-config-loader-for-yaml-and-toml-files"
RETRY = "add-retry-with-backoff-to-the-http-client"
HELP = "write-help-text-for-all-cli-subcommands"
JSON = "add-json-output-flag-to-the-status-command"
TITLES = {
    CONFIG: "Implement config loader for YAML and TOML files",
    RETRY: "Add retry with backoff to the HTTP client",
    HELP: "Write help text for all CLI subcommands",
    JSON: "Add `--json` output flag to the `status` command",
}


def fix_plan(
    done: tuple[str, ...] = (),
    blocked: tuple[str, ...] = (),
    deferred: tuple[str, ...] = (),
    notes: int = 0,
) -> str:
    """The ralph template's form: CONFIG and RETRY under High Priority, HELP and JSON under
    Medium; `notes` extra lines under Notes (a docs-only change that moves nothing)."""

    def line(item: str) -> str:
        if item in blocked:
            return f"- [BLOCKED:P1:waiting on vendor keys] {TITLES[item]}\n"
        tick = "x" if item in done else " "
        return f"- [{tick}] {TITLES[item]}{' (deferred)' if item in deferred else ''}\n"

    return (
        "# Ralph Fix Plan\n\n## High Priority\n"
        + line(CONFIG)
        + line(RETRY)
        + "\n## Medium Priority\n"
        + line(HELP)
        + line(JSON)
        + "\n## Completed\n- [x] Project initialization\n\n## Notes\n"
        + "- Focus on MVP functionality first\n"
        + "".join(f"- Learned {n}\n" for n in range(notes))
    )


def seeded(path, **plan_kw) -> GitRepo:
    """A loop repository: the fix plan, the prompt, a spec and some code."""
    repo = GitRepo(path)
    repo.commit(
        "Initial loop setup",
        {
            PLAN: fix_plan(**plan_kw),
            "PROMPT.md": "Study specs/*, pick the most important item in fix_plan.md.\n",
            "specs/cli.md": "# CLI\n",
            "src/app.py": "VERSION = 0\n",
        },
    )
    return repo


def docs_only(repo: GitRepo, n: int, start: int = 0, **plan_kw) -> list[str]:
    """`n` iterations that touch only the fix plan, specs and the prompt (nothing moves)."""
    shas = []
    for i in range(start, start + n):
        files = {
            PLAN: fix_plan(notes=i + 1, **plan_kw),
            f"specs/note_{i}.md": f"learned {i}\n",
            "PROMPT.md": f"Study specs/*, iteration {i}.\n",
        }
        shas.append(repo.commit(f"Update plan and specs ({i})", files))
    return shas


def scan(repo: GitRepo, rev: str = "HEAD", **config):
    return scan_repository(history.open_repo(repo.path), rev, PLAN, DwellConfig(**config)).report


# --- (a) one item per iteration, each with code: nothing is stuck --------------------------------


def test_ticking_one_item_per_iteration_with_code_leaves_nothing_stuck(tmp_path):
    repo = seeded(tmp_path / "loop")
    done: tuple[str, ...] = ()
    for n, item in enumerate([CONFIG, RETRY, HELP, JSON]):
        done = (*done, item)
        repo.commit(f"Implement part {n}", {PLAN: fix_plan(done), f"src/part_{n}.py": "X = 1\n"})
    report = scan(repo)
    assert report.mode is DwellMode.single_agent and report.iterations == 5
    assert report.turns == []  # no supervisor turn
    rows = {f.id: f for f in report.listed()}
    assert set(rows) == {CONFIG, RETRY, HELP, JSON}  # each was the next open item once
    for row in rows.values():
        assert (row.dwell, row.tier, row.turns, row.status) == (0, 0, 1, Status.done)
        assert row.state is DwellState.closed and row.last_evidence == row.last_turn
    assert fails(report, 1) == [] and report.done_without_evidence == []


# --- (b) the same next item for four docs-only iterations: stuck ---------------------------------


@pytest.mark.parametrize(
    "iterations, dwell, tier",
    [(1, 1, 0), (2, 2, 0), (3, 3, 1), (4, 4, 2), (6, 6, 3)],
)
def test_the_next_item_is_stuck_from_three_iterations_on_at_the_tier_of_its_count(
    tmp_path, iterations, dwell, tier
):
    repo = seeded(tmp_path / "loop")
    docs_only(repo, iterations)
    row = scan(repo).get(CONFIG)
    assert (row.dwell, row.tier, row.turns) == (dwell, tier, iterations)
    assert row.state is (DwellState.flagged if tier else DwellState.clear)


def test_four_docs_only_iterations_fail_the_gate_at_tier_2_naming_the_item(tmp_path):
    repo = seeded(tmp_path / "loop")
    shas = docs_only(repo, 4)
    report = scan(repo)
    assert [(f.id, f.dwell, f.tier) for f in fails(report, 2)] == [(CONFIG, 4, 2)]
    assert fails(report, 3) == []
    row = report.get(CONFIG)
    assert row.last_turn.sha == shas[-1] and row.last_evidence is None
    timeline = report.timelines[CONFIG]
    assert [(e.turn_number, e.dwell, e.tier) for e in timeline] == [
        (2, 1, 0),
        (3, 2, 0),
        (4, 3, 1),
        (5, 4, 2),
    ]  # iteration 1 (the setup) had no plan to work from
    assert {e.basis for e in timeline} == {TurnBasis.next_item}
    # RETRY, HELP and JSON never were the next item: no row is listed for them
    assert [f.id for f in report.listed()] == [CONFIG]


def test_stuck_after_is_the_count_that_makes_an_item_stuck(tmp_path):
    repo = seeded(tmp_path / "loop")
    docs_only(repo, 4)
    assert scan(repo, stuck_after=5).get(CONFIG).tier == 0
    assert scan(repo, stuck_after=2).get(CONFIG).tier == 2  # the count's tier, 4 -> T2
    assert scan(repo, stuck_after=4, tiers=(6, 7, 8)).get(CONFIG).tier == 1  # stuck: at least T1
    assert scan(repo, stuck_after=1, tiers=(3, 5, 7)).get(CONFIG).tier == 1  # 4 -> T1 here


# --- (c) a box ticked by a docs-only commit: done without evidence -------------------------------


def test_an_item_ticked_in_a_docs_only_commit_is_done_without_evidence(tmp_path):
    repo = seeded(tmp_path / "loop")
    code = repo.commit("Implement config loader", {PLAN: fix_plan((CONFIG,)), "src/c.py": "1\n"})
    tick = repo.commit("Mark retry done", {PLAN: fix_plan((CONFIG, RETRY))})
    report = scan(repo)
    [entry] = report.done_without_evidence
    assert (entry.id, entry.commit.sha, entry.commit.subject) == (RETRY, tick, "Mark retry done")
    assert entry.status is Status.done and entry.last_evidence is None
    assert entry.to_json() == {
        "id": RETRY,
        "sha": tick,
        "date": entry.commit.date.isoformat(),
        "subject": "Mark retry done",
        "status": "done",
        "last_evidence": None,
    }
    # ticking is progress: RETRY's count did not grow, and CONFIG's code commit proves it
    assert (report.get(RETRY).dwell, report.get(RETRY).tier) == (0, 0)
    assert report.get(CONFIG).last_evidence.sha == code
    data = report.to_json()
    assert list(data) == [
        "schema_version",
        "rev",
        "mode",
        "iterations",
        "focus",
        "done_without_evidence",
    ]
    assert data["mode"] == "single_agent" and data["iterations"] == 3
    assert [d["id"] for d in data["done_without_evidence"]] == [RETRY]


def test_done_without_evidence_names_the_evidence_an_item_had_before(tmp_path):
    repo = seeded(tmp_path / "loop")
    code = repo.commit("Config loader: parse YAML", {"src/c.py": "1\n"})  # CONFIG's iteration
    repo.commit("Tick config loader", {PLAN: fix_plan((CONFIG,))})
    [entry] = scan(repo).done_without_evidence
    assert entry.id == CONFIG and entry.last_evidence.sha == code


def test_reopening_an_item_withdraws_its_done_without_evidence_and_code_proves_a_new_tick(
    tmp_path,
):
    repo = seeded(tmp_path / "loop")
    repo.commit("Tick config loader", {PLAN: fix_plan((CONFIG,))})
    assert [d.id for d in scan(repo).done_without_evidence] == [CONFIG]
    repo.commit("Reopen config loader: YAML anchors fail", {PLAN: fix_plan()})
    assert scan(repo).done_without_evidence == []
    repo.commit("Config loader for real", {PLAN: fix_plan((CONFIG,)), "src/c.py": "1\n"})
    assert scan(repo).done_without_evidence == []


# --- (d) code in between resets the count ---------------------------------------------------------


def test_a_code_commit_in_between_resets_the_count(tmp_path):
    repo = seeded(tmp_path / "loop")
    docs_only(repo, 2)
    code = repo.commit("Config loader: first cut", {"src/config.py": "LOADERS = {}\n"})
    docs_only(repo, 2, start=2)
    report = scan(repo)
    row = report.get(CONFIG)
    assert (row.dwell, row.tier, row.turns) == (2, 0, 5) and row.last_evidence.sha == code
    timeline = report.timelines[CONFIG]
    assert [e.dwell for e in timeline] == [1, 2, 0, 1, 2]
    assert [[c.sha for c in e.evidence] for e in timeline] == [[], [], [code], [], []]
    assert report.pending_evidence(CONFIG) == []  # evidence counts at once, in its iteration
    docs_only(repo, 1, start=4)
    assert scan(repo).get(CONFIG).tier == 1  # three docs-only iterations since the code


def test_evidence_naming_another_item_resets_that_item_not_the_next_one(tmp_path):
    """IDs written in the ledger can be named in subjects; evidence then belongs to them."""
    repo = GitRepo(tmp_path / "loop")
    ledger = "# Plan\n\n- [ ] [A-001] First thing\n- [ ] [B-002] Second thing\n"
    repo.commit("Initial loop setup", {PLAN: ledger, "src/app.py": "0\n"})
    for i in range(3):
        repo.commit(f"Plan notes {i}", {f"docs/notes_{i}.md": "n\n"})
    fix = repo.commit("B-002: fix the parser", {"src/parser.py": "1\n"})
    report = scan(repo)
    a, b = report.get("A-001"), report.get("B-002")
    assert (a.dwell, a.tier, a.turns) == (4, 2, 4)  # A-001 was next; B-002's code is not its
    assert (b.dwell, b.turns, b.last_evidence.sha) == (0, 0, fix)
    assert [(e.basis, e.dwell) for e in report.timelines["B-002"]] == [(TurnBasis.subject, 0)]


# --- (e) a history with supervisor commits keeps the supervisor rule -----------------------------


def test_one_supervisor_commit_makes_the_whole_history_supervisor_turns(tmp_path):
    repo = seeded(tmp_path / "loop")
    docs_only(repo, 4)
    repo.commit("Tick retry", {PLAN: fix_plan(done=(RETRY,), notes=4)})
    before = scan(repo)
    assert before.mode is DwellMode.single_agent and before.get(CONFIG).tier == 2
    repo.commit("SUPERVISOR: review the loop - tests: not run", {"input.md": "go\n"})
    after = scan(repo)
    assert after.mode is DwellMode.supervisor and len(after.turns) == 1
    assert after.listed() == [] and after.done_without_evidence == []
    assert list(after.to_json()) == ["schema_version", "rev", "focus"]
    # reading an older revision, before the supervisor came, is a single agent's loop again
    assert scan(repo, "HEAD~1") == before


# --- (f) a parked next item is reported, not flagged ---------------------------------------------


def test_a_next_item_marked_blocked_is_parked_and_the_next_one_counts(tmp_path):
    repo = seeded(tmp_path / "loop")
    docs_only(repo, 3)
    assert fails(scan(repo), 1)[0].id == CONFIG
    docs_only(repo, 2, start=3, blocked=(CONFIG,))
    report = scan(repo)
    config, retry = report.get(CONFIG), report.get(RETRY)
    # the blocking commit was one more iteration on CONFIG; then RETRY was next
    assert (config.dwell, config.tier, config.state) == (4, 2, DwellState.parked)
    assert (retry.dwell, retry.tier, retry.state) == (1, 0, DwellState.clear)
    assert fails(report, 1) == []


def test_a_deferred_next_item_is_parked(tmp_path):
    """The planner still lists a deferred item as ready (`ledger next` shows it first)."""
    repo = seeded(tmp_path / "loop", deferred=(CONFIG,))
    docs_only(repo, 4, deferred=(CONFIG,))
    report = scan(repo)
    row = report.get(CONFIG)
    assert (row.dwell, row.tier, row.status) == (4, 2, Status.deferred)
    assert row.state is DwellState.parked and fails(report, 1) == []
    assert scan(repo, parked=(Status.blocked,)).get(CONFIG).state is DwellState.flagged


# --- the next open item is the planner's, on each version ----------------------------------------


def test_the_next_open_item_is_the_first_item_ledger_next_lists():
    for text in (fix_plan(), fix_plan((CONFIG,)), fix_plan(blocked=(CONFIG, RETRY))):
        summary = summarize_text(text, plan_next=True)
        ready = plan(loads(text)).ready
        assert summary.planned and summary.next_item == ready[0].id
    done = fix_plan((CONFIG, RETRY, HELP, JSON))
    assert summarize_text(done, plan_next=True).next_item is None  # nothing ready
    assert not summarize_text(done).planned


def test_a_sectioned_ledger_without_supervisor_commits_is_read_the_same_way(tmp_path):
    repo = GitRepo(tmp_path / "loop")
    ledger = (
        "# Fix Plan Ledger\n\n## [A-001] Low first\n- Priority: Low\n- Status: pending\n\n"
        "## [B-002] High second\n- Priority: High\n- Status: pending\n"
    )
    repo.commit("seed", {PLAN: ledger, "src/app.py": "0\n"})
    for i in range(3):
        repo.commit(f"notes {i}", {PLAN: ledger + f"\nNote {i}.\n"})
    report = scan(repo)
    assert [(f.id, f.dwell, f.tier) for f in report.listed()] == [("B-002", 3, 1)]


# --- the cache, checkpoints and `ledger status` agree --------------------------------------------


@pytest.fixture
def loop(tmp_path) -> GitRepo:
    repo = seeded(tmp_path / "loop")
    repo.commit("Implement config loader", {PLAN: fix_plan((CONFIG,)), "src/c.py": "1\n"})
    docs_only(repo, 3, done=(CONFIG,))
    repo.commit("Tick retry", {PLAN: fix_plan((CONFIG, RETRY), notes=3)})
    docs_only(repo, 2, start=3, done=(CONFIG, RETRY))
    return repo


def test_cold_and_warm_scans_give_the_same_report(loop):
    r = history.open_repo(loop.path)
    cold = scan_repository(r, "HEAD", PLAN, DwellConfig())
    assert cold.summaries.parsed == 8  # each version of the plan once
    warm = scan_repository(r, "HEAD", PLAN, DwellConfig())
    assert warm.summaries.parsed == 0 and warm.report == cold.report
    uncached = scan_repository(r, "HEAD", PLAN, DwellConfig(cache=False))
    assert uncached.report == cold.report
    report = cold.report
    assert [(f.id, f.dwell, f.tier) for f in report.listed()] == [
        (CONFIG, 0, 0),
        (RETRY, 3, 1),
        (HELP, 2, 0),
    ]
    assert [d.id for d in report.done_without_evidence] == [RETRY]


def test_summaries_cached_without_the_next_item_are_made_again_when_it_is_needed(loop):
    r = history.open_repo(loop.path)
    expected = scan_repository(r, "HEAD", PLAN, DwellConfig(cache=False)).report
    loop.commit("SUPERVISOR: take over - tests: not run", {"input.md": "x\n"})
    supervised = scan_repository(r, "HEAD", PLAN, DwellConfig())  # caches plain summaries
    assert supervised.report.mode is DwellMode.supervisor
    again = scan_repository(r, "HEAD~1", PLAN, DwellConfig())
    assert again.summaries.parsed == 8 and again.report == expected
    assert scan_repository(r, "HEAD~1", PLAN, DwellConfig()).summaries.parsed == 0


def test_status_table_and_a_walk_resumed_from_a_checkpoint_agree_with_the_scan(loop):
    r = history.open_repo(loop.path)
    table = status_table(r, PLAN, DwellConfig())
    assert table.counts == {CONFIG: (0, 0), RETRY: (3, 1), HELP: (2, 0)}
    assert table.mark(HELP, Status.pending).state is DwellState.clear
    docs_only(loop, 1, start=5, done=(CONFIG, RETRY))  # one more: HELP is stuck now
    head = loop.git("rev-parse", "HEAD")
    resumed, state = walk_from_checkpoint(r, head, PLAN, DwellConfig())
    full = scan_repository(r, "HEAD", PLAN, DwellConfig(cache=False)).report
    assert state.iterations is not None and state.iterations.count == 9
    assert [(f.id, f.dwell, f.tier) for f in resumed.focus if f.turns] == [
        (f.id, f.dwell, f.tier) for f in full.focus if f.turns
    ]
    assert resumed.done_without_evidence == full.done_without_evidence
    assert status_table(r, PLAN, DwellConfig()).counts[HELP] == (3, 1)


def test_a_checkpoint_keeps_the_iterations():
    ref = CommitRef("a" * 40, T0, "Tick retry")
    state = WalkState(
        commit="a" * 40,
        known={CONFIG},
        iterations=IterationState(
            4, {CONFIG: FocusState(3, 3, ref, None)}, {RETRY: Unproven(ref, None)}
        ),
    )
    back = checkpoints.loads(checkpoints.dumps(state, "k"), "k")
    assert back == state
    supervised = WalkState(commit="b" * 40, iterations=None, turn_count=2)
    assert checkpoints.loads(checkpoints.dumps(supervised, "k"), "k") == supervised


def test_a_summary_store_that_needs_next_items_does_not_use_plain_cached_summaries(tmp_path):
    text = fix_plan()
    plain = SummaryStore(lambda ids: ((i, text.encode()) for i in ids), tmp_path)
    assert not plain("b1").planned
    planned = SummaryStore(
        lambda ids: ((i, text.encode()) for i in ids), tmp_path, Summarizer(plan_next=True)
    )
    assert planned.missing(["b1"]) == ["b1"]
    assert planned("b1").next_item == CONFIG and planned.parsed == 1
    again = SummaryStore(lambda ids: iter(()), tmp_path)  # the rewritten file serves both
    assert again("b1").next_item == CONFIG
    assert LedgerSummary.from_json(again("b1").to_json()) == again("b1")


def test_the_rules_read_stuck_after_from_the_configuration():
    rules = Rules.from_config(DwellConfig(stuck_after=4), PLAN)
    assert [rules.stuck_tier(n) for n in range(8)] == [0, 0, 0, 0, 2, 2, 3, 3]
