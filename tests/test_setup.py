"""`ledger setup claude|agents-md`: entries added next to everything that is there, idempotent,
shown with --dry-run, and taken out again by --remove, byte for byte."""

from __future__ import annotations

import json
import subprocess

import pytest
from typer.testing import CliRunner

from ledger import setup
from ledger.cli._app import build_app
from ledger.errors import EditRefused

SETTINGS = """{
    "permissions": {
        "allow": ["Bash(npm run test:*)", "Read(~/.zshrc)"],
        "deny": []
    },
    "env": {"CLAUDE_CODE_ENABLE_TELEMETRY": "0"},
    "hooks": {
        "PostToolUse": [
            {"matcher": "Write", "hooks": [{"type": "command", "command": "make fmt"}]}
        ],
        "SessionStart": [
            {"hooks": [{"type": "command", "command": "echo welcome"}]}
        ]
    },
    "model": "opus"
}
"""
MCP = '{\n  "mcpServers": {\n    "docs": {"command": "docs-server", "args": []}\n  }\n}\n'


@pytest.fixture
def repo(tmp_path, monkeypatch):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "fix_plan.md").write_text(
        "# Plan\n\n## [A-001] First\n- Status: pending\n"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args):
    return CliRunner().invoke(build_app(), ["setup", *args], catch_exceptions=False)


def prime_hooks(settings: dict, event: str) -> list[dict]:
    return [
        h
        for entry in settings["hooks"][event]
        for h in entry["hooks"]
        if h["command"] == setup.PRIME_COMMAND
    ]


# --- setup claude -------------------------------------------------------------------------------


def test_setup_claude_keeps_every_key_is_idempotent_and_removes_to_the_same_bytes(repo):
    settings_path = repo / ".claude" / "settings.json"
    settings_path.parent.mkdir()
    settings_path.write_text(SETTINGS)
    (repo / ".mcp.json").write_text(MCP)

    first = invoke("claude")
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == ["wrote .claude/settings.json", "wrote .mcp.json"]
    data = json.loads(settings_path.read_text())
    original = json.loads(SETTINGS)
    for key in ("permissions", "env", "model"):
        assert data[key] == original[key]
    assert data["hooks"]["PostToolUse"] == original["hooks"]["PostToolUse"]
    assert data["hooks"]["SessionStart"][0] == original["hooks"]["SessionStart"][0]
    assert len(prime_hooks(data, "SessionStart")) == 1 == len(prime_hooks(data, "PreCompact"))
    session_entry = data["hooks"]["SessionStart"][-1]
    assert set(session_entry["matcher"].split("|")) == {"startup", "resume", "clear", "compact"}
    servers = json.loads((repo / ".mcp.json").read_text())["mcpServers"]
    assert servers == {
        "docs": {"command": "docs-server", "args": []},
        "ledger": {"command": "ledger", "args": ["mcp"]},
    }

    after_first = settings_path.read_bytes(), (repo / ".mcp.json").read_bytes()
    second = invoke("claude")
    assert second.stdout.splitlines() == [
        "unchanged: .claude/settings.json",
        "unchanged: .mcp.json",
    ]
    assert (settings_path.read_bytes(), (repo / ".mcp.json").read_bytes()) == after_first

    removed = invoke("claude", "--remove")
    assert removed.exit_code == 0, removed.output
    assert settings_path.read_text() == SETTINGS
    assert (repo / ".mcp.json").read_text() == MCP
    assert invoke("claude", "--remove").stdout.splitlines() == [
        "unchanged: .claude/settings.json",
        "unchanged: .mcp.json",
    ]


def test_setup_claude_creates_the_files_it_needs(repo):
    result = invoke("claude")
    assert result.exit_code == 0, result.output
    data = json.loads((repo / ".claude" / "settings.json").read_text())
    assert set(data["hooks"]) == {"SessionStart", "PreCompact"}
    assert json.loads((repo / ".mcp.json").read_text()) == {
        "mcpServers": {"ledger": {"command": "ledger", "args": ["mcp"]}}
    }
    invoke("claude", "--remove")
    # what was created is left as an empty object, never deleted
    assert json.loads((repo / ".claude" / "settings.json").read_text()) == {}
    assert json.loads((repo / ".mcp.json").read_text()) == {}


def test_dry_run_prints_the_diff_and_writes_nothing(repo):
    (repo / ".mcp.json").write_text(MCP)
    result = invoke("claude", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "+++ b/.claude/settings.json" in result.stdout
    assert '+        "ledger": {' in result.stdout or '+    "ledger": {' in result.stdout
    assert f'"command": "{setup.PRIME_COMMAND}"' in result.stdout
    assert not (repo / ".claude").exists()
    assert (repo / ".mcp.json").read_text() == MCP


def test_an_existing_prime_hook_or_ledger_server_is_left_as_it_is():
    settings = (
        '{"hooks": {"SessionStart": [{"hooks": [{"type": "command", '
        '"command": "ledger -f plan.md prime"}]}], "PreCompact": []}}'
    )
    once = setup.claude_settings(settings)
    data = json.loads(once)
    assert len(prime_hooks(data, "PreCompact")) == 1
    assert data["hooks"]["SessionStart"] == json.loads(settings)["hooks"]["SessionStart"]
    custom = (
        '{"mcpServers": {"ledger": {"command": "/opt/ledger", "args": ["--file", "x", "mcp"]}}}'
    )
    assert setup.mcp_config(custom) == custom


def test_a_shared_hook_entry_loses_only_the_prime_hook():
    settings = (
        '{"hooks": {"SessionStart": [{"hooks": [{"type": "command", "command": "echo hi"}, '
        '{"type": "command", "command": "ledger prime"}]}]}}'
    )
    removed = json.loads(setup.claude_settings(settings, remove=True))
    assert removed == {
        "hooks": {"SessionStart": [{"hooks": [{"type": "command", "command": "echo hi"}]}]}
    }


@pytest.mark.parametrize("text", ["{", "[]", '{"hooks": []}', '{"hooks": {"SessionStart": {}}}'])
def test_settings_that_cannot_take_the_hooks_are_refused(text):
    with pytest.raises(EditRefused):
        setup.claude_settings(text)


def test_a_broken_settings_file_is_one_error_line_and_left_alone(repo):
    path = repo / ".claude" / "settings.json"
    path.parent.mkdir()
    path.write_text('{"permissions": ')
    result = CliRunner().invoke(build_app(), ["setup", "claude"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "settings.json: not valid JSON" in lines[0]
    assert path.read_text() == '{"permissions": '
    assert not (repo / ".mcp.json").exists()


# --- setup agents-md ----------------------------------------------------------------------------


def test_agents_md_block_goes_in_agents_and_claude_md_and_comes_out_again(repo):
    agents = "# Agents\n\nRun `make test` before committing.\n"
    claude = "# Claude\r\n\r\nBe brief.\r\n"
    (repo / "AGENTS.md").write_text(agents)
    (repo / "CLAUDE.md").write_bytes(claude.encode())
    result = invoke("agents-md")
    assert result.stdout.splitlines() == ["wrote AGENTS.md", "wrote CLAUDE.md"]
    text = (repo / "AGENTS.md").read_text()
    assert text.startswith(agents + "\n" + setup.BEGIN + "\n")
    assert text.endswith(setup.END + "\n")
    for command in ("ledger prime", "ledger attempt add", "ledger set", "ledger dwell --push"):
        assert command in text
    assert "`docs/fix_plan.md`" in text
    claude_after = (repo / "CLAUDE.md").read_bytes().decode()
    assert claude_after.count("\r\n") == claude_after.count("\n")  # CRLF kept throughout
    assert invoke("agents-md").stdout.splitlines() == [
        "unchanged: AGENTS.md",
        "unchanged: CLAUDE.md",
    ]
    invoke("agents-md", "--remove")
    assert (repo / "AGENTS.md").read_text() == agents
    assert (repo / "CLAUDE.md").read_bytes().decode() == claude


def test_agents_md_is_created_and_claude_md_only_changed_when_present(repo):
    result = invoke("agents-md")
    assert result.stdout.splitlines() == ["wrote AGENTS.md"]
    assert (repo / "AGENTS.md").read_text().startswith(setup.BEGIN)
    assert not (repo / "CLAUDE.md").exists()


def test_a_changed_block_is_rewritten_in_place(repo):
    invoke("agents-md")
    path = repo / "AGENTS.md"
    path.write_text(
        "# Intro\n\n" + path.read_text().replace("ledger prime", "old text") + "\nTail\n"
    )
    invoke("agents-md")
    text = path.read_text()
    assert text.startswith("# Intro\n\n" + setup.BEGIN) and text.endswith(setup.END + "\n\nTail\n")
    assert "old text" not in text and "ledger prime" in text


def test_the_block_names_the_configured_ledger(repo):
    (repo / ".ledger.yaml").write_text("file: plans/ledger.md\n")
    (repo / "plans").mkdir()
    (repo / "plans" / "ledger.md").write_text("# Plan\n\n## [A-001] First\n- Status: pending\n")
    invoke("agents-md")
    assert "The plan is `plans/ledger.md`." in (repo / "AGENTS.md").read_text()


def test_an_unclosed_block_is_refused():
    with pytest.raises(EditRefused, match="no `<!-- END ledger -->`"):
        setup.agents_md(f"intro\n{setup.BEGIN}\nhalf\n", "docs/fix_plan.md")
