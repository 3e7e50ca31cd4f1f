"""`ledger setup`: wire agents to the ledger, as text transforms of their configuration files.

* `claude`: a `SessionStart` hook (on startup, resume, clear and after a compaction) and a
  `PreCompact` hook running `ledger prime` in `.claude/settings.json`, and the MCP server
  (`ledger mcp`) in `.mcp.json`;
* `agents-md`: a marked block in `AGENTS.md` (and in `CLAUDE.md` when it exists) telling any
  agent which commands record its loop.

Each transform is a pure function from the file's text (None: no file) to the new text. It keeps
every other key and line (JSON is spliced, not re-dumped: `ledger.jsontext`), changes nothing
when its entries are there already, and with `remove` takes out exactly what it added, so
adding then removing gives back the same bytes. (Containers it leaves empty go too: a `hooks`
object that held only these hooks is removed with them.) Files are written through
`fileio.locked_update` only.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import jsontext
from .errors import EditRefused
from .vocab import _Word

PRIME_COMMAND = "ledger prime"
MCP_SERVER = {"command": "ledger", "args": ["mcp"]}
SERVER_NAME = "ledger"
HOOK = {"type": "command", "command": PRIME_COMMAND, "timeout": 10}
# `SessionStart` fires on these sources; `compact` is after a compaction, so the primer comes
# back into the context that the compaction shortened.
HOOK_ENTRIES = {
    "SessionStart": {"matcher": "startup|resume|clear|compact", "hooks": [HOOK]},
    "PreCompact": {"hooks": [HOOK]},
}

CLAUDE_SETTINGS = ".claude/settings.json"
MCP_CONFIG = ".mcp.json"
AGENTS_MD = "AGENTS.md"
CLAUDE_MD = "CLAUDE.md"

BEGIN_MARK = "<!-- BEGIN ledger"
BEGIN = f"{BEGIN_MARK}: written by `ledger setup agents-md`; `--remove` takes it out -->"
END = "<!-- END ledger -->"


class Target(_Word):
    """What `ledger setup` wires."""

    claude = "claude"
    agents_md = "agents-md"


# --- .claude/settings.json ---------------------------------------------------------------------


def claude_settings(text: str | None, *, remove: bool = False) -> str | None:
    """`.claude/settings.json` with (or without) the `ledger prime` hooks."""
    if remove:
        return None if text is None else _remove_hooks(text)
    text = "{}\n" if text is None else text
    root = _object(text)
    hooks = root.member("hooks")
    if hooks is None:
        return jsontext.add_member(text, root, "hooks", {e: [v] for e, v in HOOK_ENTRIES.items()})
    if not hooks.is_object:
        raise EditRefused('"hooks" is not an object; nothing was written')
    for event, entry in HOOK_ENTRIES.items():
        hooks = _object(text).member("hooks")
        assert hooks is not None
        entries = hooks.member(event)
        if entries is None:
            text = jsontext.add_member(text, hooks, event, [entry])
        elif not entries.is_array:
            raise EditRefused(f'"hooks.{event}" is not a list; nothing was written')
        elif not any(_is_prime(h) for e in entries.value for h in _hooks_of(e)):
            text = jsontext.append_item(text, entries, entry)
    return text


def _remove_hooks(text: str) -> str:
    """Take out every `ledger prime` hook, one at a time."""
    while True:
        root = _object(text)
        hooks = root.member("hooks")
        changed = None if hooks is None or not hooks.is_object else _remove_one(text, root, hooks)
        if changed is None:
            return text
        text = changed


def _remove_one(text: str, root: jsontext.Node, hooks: jsontext.Node) -> str | None:
    """`text` without one `ledger prime` hook and the containers it alone filled (its entry,
    the event's list, the `hooks` object); None when there is none."""
    for event, entries in zip(hooks.keys, hooks.children):
        if event not in HOOK_ENTRIES or not entries.is_array:
            continue
        for index, entry in enumerate(entries.children):
            inner = entry.member("hooks") if entry.is_object else None
            if inner is None or not inner.is_array:
                continue
            for k, hook in enumerate(inner.value):
                if not _is_prime(hook):
                    continue
                if len(inner.children) > 1:
                    return jsontext.remove_item(text, inner, k)
                if len(entries.children) > 1:
                    return jsontext.remove_item(text, entries, index)
                if len(hooks.children) > 1:
                    return jsontext.remove_member(text, hooks, event)
                return jsontext.remove_member(text, root, "hooks")
    return None


def _hooks_of(entry: Any) -> list[Any]:
    hooks = entry.get("hooks") if isinstance(entry, dict) else None
    return hooks if isinstance(hooks, list) else []


def _is_prime(hook: Any) -> bool:
    """A hook that runs `ledger … prime` (whatever global options it gives)."""
    if not isinstance(hook, dict) or not isinstance(hook.get("command"), str):
        return False
    try:
        words = shlex.split(hook["command"])
    except ValueError:
        return False
    return bool(words) and Path(words[0]).name == "ledger" and "prime" in words[1:]


# --- .mcp.json ---------------------------------------------------------------------------------


def mcp_config(text: str | None, *, remove: bool = False) -> str | None:
    """`.mcp.json` with (or without) the `ledger` MCP server. A server already named `ledger`
    is left as it is."""
    if remove:
        return None if text is None else _remove_server(text)
    text = "{}\n" if text is None else text
    root = _object(text)
    servers = root.member("mcpServers")
    if servers is None:
        return jsontext.add_member(text, root, "mcpServers", {SERVER_NAME: MCP_SERVER})
    if not servers.is_object:
        raise EditRefused('"mcpServers" is not an object; nothing was written')
    if servers.member(SERVER_NAME) is not None:
        return text
    return jsontext.add_member(text, servers, SERVER_NAME, MCP_SERVER)


def _remove_server(text: str) -> str:
    root = _object(text)
    servers = root.member("mcpServers")
    if servers is None or not servers.is_object:
        return text
    server = servers.member(SERVER_NAME)
    if server is None or not _is_ledger_server(server.value):
        return text
    if len(servers.children) == 1:
        return jsontext.remove_member(text, root, "mcpServers")
    return jsontext.remove_member(text, servers, SERVER_NAME)


def _is_ledger_server(server: Any) -> bool:
    if not isinstance(server, dict) or not isinstance(server.get("command"), str):
        return False
    args = server.get("args")
    return Path(server["command"]).name == "ledger" and isinstance(args, list) and "mcp" in args


def _object(text: str) -> jsontext.Node:
    root = jsontext.parse(text)
    if not root.is_object:
        raise EditRefused("the top level is not an object; nothing was written")
    return root


# --- AGENTS.md and CLAUDE.md -------------------------------------------------------------------


def agents_block(ledger_file: str) -> list[str]:
    """The lines of the marked block (`ledger_file`: the ledger's path in the repository)."""
    return [
        BEGIN,
        "## Plan ledger",
        "",
        f"The plan is `{ledger_file}`. Change it only with `ledger` commands, never by hand.",
        "",
        "- Start of a session: `ledger prime` (the active focus, what its dwell tier demands, "
        "what is ready).",
        "- Before working on a focus: `ledger brief ID`; what else is ready: "
        "`ledger next --explain`.",
        "- After each loop:",
        '  1. `ledger attempt add ID --kind KIND --summary "what changed; the selector run; '
        'the result"` (add `--result R`, `--commit SHA`, `--artifact PATH` as they apply)',
        '  2. `ledger set ID --status STATUS --note "why"` when the status changed',
        "  3. `ledger check` (`ledger fix` repairs what it can), then commit",
        "  4. `ledger dwell --push`: publishes the dwell checkpoint, so fresh clones start from it",
        END,
    ]


def agents_md(text: str | None, ledger_file: str, *, remove: bool = False) -> str | None:
    """`AGENTS.md` (or `CLAUDE.md`) with (or without) the marked block: replaced in place when
    it is there, else appended after one blank line; removed with that blank line. A file that
    did not end with a newline gets one back, not its missing end."""
    if text is None and remove:
        return None
    text = text or ""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    span = _block_span(lines)
    if remove:
        if span is None:
            return text
        start, stop = span
        if start > 0 and not lines[start - 1].strip():
            start -= 1  # the blank line the block was appended after
        return "".join(lines[:start] + lines[stop:])
    block = [line + newline for line in agents_block(ledger_file)]
    if span is not None:
        start, stop = span
        return "".join(lines[:start] + block + lines[stop:])
    if not text:
        return "".join(block)
    if not text.endswith(("\n", "\r")):
        text += newline
    return text + newline + "".join(block)


def _block_span(lines: list[str]) -> tuple[int, int] | None:
    """The lines [start, stop) of the marked block, or None."""
    start = next((i for i, line in enumerate(lines) if line.startswith(BEGIN_MARK)), None)
    if start is None:
        return None
    for stop in range(start + 1, len(lines)):
        if lines[stop].startswith(END):
            return start, stop + 1
    raise EditRefused(f"the block opened at line {start + 1} has no `{END}`; nothing was written")


# --- applying them ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FileChange:
    """One file `ledger setup` looked at: its text before (None: absent) and after, and whether
    it was written."""

    path: Path
    before: str | None
    after: str | None
    written: bool

    @property
    def changed(self) -> bool:
        return self.after is not None and self.after != self.before

    def diff(self, shown_path: str) -> str:
        """The unified diff of the change (empty when there is none)."""
        from .edit import unified_diff

        if not self.changed:
            return ""
        return unified_diff(self.before or "", self.after or "", shown_path)


Transform = Callable[[str | None], str | None]


def transforms(
    target: Target, root: Path, ledger_file: str, *, remove: bool = False
) -> list[tuple[Path, Transform]]:
    """The files `target` changes under the repository `root`, each with its transform.
    `CLAUDE.md` is changed only when it exists."""
    if target is Target.claude:
        return [
            (root / CLAUDE_SETTINGS, lambda t: claude_settings(t, remove=remove)),
            (root / MCP_CONFIG, lambda t: mcp_config(t, remove=remove)),
        ]
    files = [root / AGENTS_MD]
    if (root / CLAUDE_MD).exists():
        files.append(root / CLAUDE_MD)
    return [(path, lambda t: agents_md(t, ledger_file, remove=remove)) for path in files]


def apply(path: Path, transform: Transform, *, dry_run: bool = False) -> FileChange:
    """Run `transform` on the file under the repository lock and write the result (nothing
    when it is unchanged, when the file is absent and stays so, or with `dry_run`)."""
    from .fileio import decode, locked_update, read_bytes

    # nothing to remove from a file that is not there: no lock, no folder created
    if not path.exists() and transform(None) is None:
        return FileChange(path, None, None, False)
    try:
        if dry_run:
            before = decode(read_bytes(path)) if path.exists() else None
            return FileChange(path, before, transform(before), False)
        update = locked_update(
            path, lambda text: _text(path, transform, text), missing_ok=True, create_folders=True
        )
    except EditRefused as exc:
        raise EditRefused(f"{path}: {exc.message}", hint=exc.hint) from None
    return FileChange(path, update.before, update.after, update.written)


def _text(path: Path, transform: Transform, before: str | None) -> str:
    """What `locked_update` writes: the new text, or the old one when there is nothing to do."""
    after = transform(before)
    if after is not None:
        return after
    if before is None:  # removed by someone else since we looked: nothing to write
        raise EditRefused("the file went away while it was being changed; nothing was written")
    return before


__all__ = [
    "AGENTS_MD",
    "BEGIN",
    "CLAUDE_MD",
    "CLAUDE_SETTINGS",
    "END",
    "HOOK_ENTRIES",
    "MCP_CONFIG",
    "PRIME_COMMAND",
    "FileChange",
    "Target",
    "agents_block",
    "agents_md",
    "apply",
    "claude_settings",
    "mcp_config",
    "transforms",
]
