"""LDG7xx links: Working Plan / Summary / Reports Hub paths that do not exist (inside the
repository only; a path that leaves it is never looked at)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import PathOutsideRoot
from ..fileio import inside
from .registry import WARNING, Context, Finding, rule

# Fields whose values are paths into the repository (LDG701), and where a lost heading's
# `plans/active/<ID>/` folder names the focus it belonged to (LDG102).
LINK_FIELDS = ("working plan", "summary", "reports hub", "plan reference", "plan references")

_BACKTICKED = re.compile(r"`([^`\n]+)`")
_NOT_A_PATH = re.compile(r"[<>{}$*?…]|\.\.\.|^[a-z]+://|^TBD", re.IGNORECASE)
_LINE_SUFFIX = re.compile(r":\d+(?:-\d+)?$")


def _paths_in(value: str) -> list[str]:
    candidates = _BACKTICKED.findall(value)
    if not candidates:
        first = value.strip().split()
        candidates = first[:1]
    out = []
    for c in candidates:
        c = c.strip().rstrip(".,;:)")
        c = c.split("#", 1)[0]
        c = _LINE_SUFFIX.sub("", c)
        if not c or _NOT_A_PATH.search(c) or " " in c:
            continue
        if "/" in c or c.endswith(".md"):
            out.append(c)
    return out


def path_inside(root: Path, rel: str) -> Path | None:
    """`root/rel` if it stays inside the repository root (symlinks resolved), else None."""
    try:
        return inside(root, rel)
    except (PathOutsideRoot, OSError, ValueError):
        return None


def read_inside(root: Path, rel: str) -> str:
    """The text of `root/rel` when it is a file inside the repository, else ``."""
    target = path_inside(root, rel)
    if target is None or not target.is_file():
        return ""
    try:
        return target.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


@rule(
    "LDG701",
    "missing-path",
    WARNING,
    "A Working Plan / Summary / Reports Hub path that does not exist.",
)
def missing_path(ctx: Context) -> Iterator[Finding]:
    if ctx.root is None:
        return
    cache: dict[str, bool] = {}
    for item in ctx.sections:
        for f in item.fields:
            if f.key not in LINK_FIELDS:
                continue
            for p in _paths_in(f.value):
                if p not in cache:
                    target = path_inside(
                        ctx.root, p.lstrip("/") if not Path(p).is_absolute() else p
                    )
                    # Paths outside the repository are never looked at (and not reported).
                    cache[p] = target is None or target.exists()
                if not cache[p]:
                    yield ctx.finding(
                        "LDG701",
                        f.line,
                        f"{f.name} of {item.id} points to {p}, "
                        "which does not exist in the repository",
                        ctx.col_of(f.line, p),
                    )
