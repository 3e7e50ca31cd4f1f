"""`ledger mcp` through the real MCP SDK client: `ClientSession` over `stdio_client` starts the
server as a subprocess in a git repository holding a corpus ledger."""

from __future__ import annotations

import asyncio
import difflib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEED
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from typer.testing import CliRunner

from ledger.cli._app import build_app
from ledger.parse import loads

TOOLS = {"status", "next", "brief", "attempt_add", "set_status", "focus_new", "check"}
READY = "FIX-IMPORT-SIDE-EFFECTS-001"  # the seed's first ready item
ACTIVE = "FIX-TF-C1D-SCALED-RERUN-001"  # the seed's Active Focus


@pytest.fixture
def repo(tmp_path):
    """A git repository whose docs/fix_plan.md is the seed ledger, committed."""
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    shutil.copy(SEED, root / "docs" / "fix_plan.md")
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "seed"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return root


def session(cwd: Path, scenario, *server_args: str):
    """Start `ledger mcp` in `cwd`, initialize a client session and run `scenario(session)`."""

    async def main():
        params = StdioServerParameters(
            command=sys.executable,
            args=["-m", "ledger", "mcp", *server_args],
            cwd=str(cwd),
            env=dict(os.environ),
        )
        with (cwd.parent / "server-stderr.log").open("a") as errlog:
            async with (
                stdio_client(params, errlog=errlog) as (read, write),
                ClientSession(read, write) as client,
            ):
                await client.initialize()
                return await scenario(client)

    return asyncio.run(main())


def text_of(result) -> str:
    assert len(result.content) == 1
    return result.content[0].text


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ledger", *args], cwd=cwd, capture_output=True, text=True
    )


def ledger_text(repo: Path) -> str:
    return (repo / "docs" / "fix_plan.md").read_text(encoding="utf-8", errors="surrogateescape")


def assert_insert_only(before: str, after: str) -> list[str]:
    """Every old line is still there, in order: the change only inserted lines (returned)."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    inserted = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        assert op in ("equal", "insert"), (op, old[i1:i2], new[j1:j2])
        if op == "insert":
            inserted += new[j1:j2]
    return inserted


# --- the tool list ------------------------------------------------------------------------------


def test_the_tool_list_is_the_seven_tools_within_8000_bytes(repo):
    async def scenario(client):
        return await client.list_tools(), await client.list_resource_templates()

    tools, templates = session(repo, scenario)
    assert {t.name for t in tools.tools} == TOOLS
    listed = [t.model_dump(by_alias=True, exclude_none=True, mode="json") for t in tools.tools]
    assert len(json.dumps(listed).encode("utf-8")) <= 8000
    assert all(t.description and "\n" not in t.description for t in tools.tools)
    assert [t.uri_template for t in templates.resource_templates] == ["ledger://focus/{focus_id}"]


# --- reading tools ------------------------------------------------------------------------------


def test_reading_tools_answer_as_the_cli_does(repo):
    async def scenario(client):
        names = ("status", "next", "brief", "check")
        args = ({}, {}, {"focus_id": ACTIVE, "max_bytes": 700}, {"limit": 3})
        results = [await client.call_tool(n, a) for n, a in zip(names, args)]
        done = await client.call_tool("status", {"filter": "done"})
        resource = await client.read_resource(f"ledger://focus/{ACTIVE}")
        return results, done, resource

    (status, nxt, brief, check), done, resource = session(repo, scenario)
    for result in (status, nxt, brief, check, done):
        assert not result.is_error, text_of(result)
    ledger = loads(ledger_text(repo))
    open_ids = [f.id for f in ledger.focus_items if not f.status.is_closed]  # every section
    listed = [line.split(" ", 1)[0] for line in text_of(status).splitlines()[2:]]
    assert listed == open_ids
    assert [line.split(" ", 1)[0] for line in text_of(done).splitlines()[2:]] == [
        f.id for f in ledger.focus_items if f.status.value == "done"
    ]

    next_json = json.loads(cli(repo, "next", "--json").stdout)
    assert text_of(nxt).splitlines()[0] == f"next: {next_json['next']}"
    assert f"cycle: {next_json['cycles'][0]['name']}" in text_of(nxt)

    # the brief is the CLI's brief, byte for byte, within the budget
    cli_brief = cli(repo, "brief", ACTIVE, "--max-bytes", "700").stdout
    assert text_of(brief) == cli_brief
    assert len(text_of(brief).encode("utf-8")) <= 700
    assert resource.contents[0].text == cli(repo, "brief", ACTIVE).stdout

    summary = json.loads(cli(repo, "check", "--format", "json").stdout)["summary"]
    head, *findings = text_of(check).splitlines()
    assert head == (
        f"{summary['findings']} findings: {summary['errors']} errors, "
        f"{summary['warnings']} warnings, {summary['info']} info"
    )
    assert len(findings) == 4 and findings[-1].startswith(f"… {summary['findings'] - 3} more")


# --- writing tools ------------------------------------------------------------------------------


def test_attempt_add_inserts_only_inside_its_focus(repo):
    before = ledger_text(repo)

    async def scenario(client):
        return await client.call_tool(
            "attempt_add",
            {
                "focus_id": READY,
                "kind": "implementation",
                "summary": "Factories replace module-scope params reads",
                "result": "success",
                "commits": ["abc1234"],
                "artifacts": ["reports/import.log"],
            },
        )

    result = session(repo, scenario)
    assert not result.is_error, text_of(result)
    after = ledger_text(repo)
    inserted = assert_insert_only(before, after)
    assert len(inserted) == 1 and "Factories replace module-scope params reads" in inserted[0]
    focus = loads(after).get(READY)
    line = after.splitlines().index(inserted[0].rstrip("\n")) + 1
    assert focus.line < line <= focus.end_line
    attempt = focus.attempts[-1]
    assert attempt.kind.value == "implementation" and "abc1234" in attempt.text
    assert text_of(result).splitlines()[1] == inserted[0].rstrip("\n")


def test_set_status_and_focus_new_write_through_the_core_edits(repo):
    async def scenario(client):
        status = await client.call_tool(
            "set_status", {"focus_id": READY, "status": "wip", "note": "tests written"}
        )
        again = await client.call_tool(
            "set_status", {"focus_id": READY, "status": "in_progress", "note": "tests written"}
        )
        new = await client.call_tool(
            "focus_new",
            {
                "focus_id": "FIX-NEW-001",
                "title": "New blocker",
                "priority": "high",
                "depends_on": [READY],
            },
        )
        return status, again, new

    status, again, new = session(repo, scenario)
    assert not status.is_error and not new.is_error, (text_of(status), text_of(new))
    assert "nothing changed" in text_of(again)
    ledger = loads(ledger_text(repo))
    assert ledger.get(READY).status.value == "in_progress"
    assert "tests written" in ledger.get(READY).status_text
    item = ledger.get("FIX-NEW-001")
    assert item.title == "New blocker" and item.priority.value == "High"
    assert item.depends_on == [READY]
    assert (repo / "plans" / "active" / "FIX-NEW-001" / "implementation.md").is_file()


def test_concurrent_attempt_adds_and_cli_writers_lose_nothing(repo):
    before = ledger_text(repo)
    calls, writers = 8, 4

    async def scenario(client):
        async def cli_writer(i):
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "ledger",
                "attempt",
                "add",
                READY,
                "-k",
                "planning",
                "-m",
                f"cli writer {i}",
                cwd=repo,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
            )
            _out, err = await proc.communicate()
            return proc.returncode, err

        tool_calls = [
            client.call_tool(
                "attempt_add",
                {"focus_id": READY, "kind": "implementation", "summary": f"mcp call {i}"},
            )
            for i in range(calls)
        ]
        return await asyncio.gather(
            asyncio.gather(*tool_calls), asyncio.gather(*(cli_writer(i) for i in range(writers)))
        )

    results, processes = session(repo, scenario)
    assert not any(r.is_error for r in results), [text_of(r) for r in results]
    assert all(code == 0 for code, _err in processes), processes
    after = ledger_text(repo)
    inserted = assert_insert_only(before, after)
    assert len(inserted) == calls + writers
    summaries = [a.text for a in loads(after).get(READY).attempts]
    for i in range(calls):
        assert sum(f"mcp call {i}" in s for s in summaries) == 1
    for i in range(writers):
        assert sum(f"cli writer {i}" in s for s in summaries) == 1


# --- errors ---------------------------------------------------------------------------------------


BAD_CALLS = [
    ("attempt_add", {"focus_id": READY}, "kind"),  # required arguments missing
    ("attempt_add", {"focus_id": "NO-SUCH-001", "kind": "planning", "summary": "x"}, "NO-SUCH"),
    ("attempt_add", {"focus_id": READY, "kind": "nap", "summary": "x"}, "unknown kind"),
    ("attempt_add", {"focus_id": READY, "kind": "planning", "summary": "  "}, "empty"),
    ("set_status", {"focus_id": READY, "status": "sleeping"}, "unknown status"),
    ("brief", {"focus_id": ACTIVE, "max_bytes": "lots"}, "max_bytes"),
    ("brief", {"focus_id": ACTIVE, "max_bytes": 10}, "max_bytes"),
    ("focus_new", {"focus_id": "bad id", "title": "x"}, "bad id"),
    ("focus_new", {"focus_id": READY, "title": "x"}, READY),
    ("check", {"limit": 0}, "limit"),
]


def test_bad_arguments_are_one_line_tool_errors_and_change_nothing(repo):
    before = ledger_text(repo)

    async def scenario(client):
        return [await client.call_tool(name, args) for name, args, _ in BAD_CALLS]

    results = session(repo, scenario)
    for (name, args, needle), result in zip(BAD_CALLS, results):
        message = text_of(result)
        assert result.is_error, (name, args, message)
        assert "\n" not in message.strip() and "Traceback" not in message, message
        assert needle in message, (needle, message)
    assert ledger_text(repo) == before
    assert not (repo / "plans").exists()


def test_a_missing_ledger_is_a_tool_error_and_file_names_another(repo):
    elsewhere = repo / "elsewhere"
    elsewhere.mkdir()
    other = repo / "other.md"
    shutil.copy(SEED, other)

    async def scenario(client):
        return await client.call_tool("status", {})

    result = session(elsewhere, scenario, "--file", str(other))
    assert not result.is_error and ACTIVE in text_of(result)
    (repo / "docs" / "fix_plan.md").unlink()
    missing = session(repo, scenario)
    assert missing.is_error and "fix_plan.md" in text_of(missing)


# --- packaging --------------------------------------------------------------------------------


def test_importing_ledger_or_running_a_command_never_imports_mcp(repo):
    code = (
        "import sys, ledger, ledger.cli, ledger.workspace, ledger.prime, ledger.setup\n"
        "from ledger.cli._app import run\n"
        "run(['status', '--no-git'])\n"
        "assert 'mcp' not in sys.modules, sorted(m for m in sys.modules if 'mcp' in m)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr


def test_mcp_is_an_optional_extra_only():
    from importlib.metadata import requires

    naming_mcp = [r for r in requires("ledger") or [] if r.split(";")[0].startswith("mcp")]
    assert naming_mcp and all("extra ==" in r for r in naming_mcp)
    assert any("extra == 'mcp'" in r or 'extra == "mcp"' in r for r in naming_mcp)


def test_without_the_sdk_ledger_mcp_says_how_to_install_it(monkeypatch, repo):
    monkeypatch.setitem(sys.modules, "mcp", None)  # `import mcp` raises ImportError
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(build_app(), ["mcp"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "ledger: error: `ledger mcp` needs the MCP SDK, an optional extra: "
        "pip install 'ledger[mcp]'"
    ]
