"""What git's merge-driver protocol gives and takes: the driver command line and the branch names.

git 2.44 and later substitute the conflict labels of the two heads into the driver command
(`%X` ours, `%Y` theirs); older git leaves such placeholders as they are, but during `git merge`
sets `GITHEAD_<sha>=<branch>` for the heads it merges in. The merge names the sides in its
conflict markers and notes with whichever it is given, else `ours` / `theirs`.
"""

from __future__ import annotations

from collections.abc import Mapping

# git learned `%S`/`%X`/`%Y` (the ancestor's and the heads' conflict labels) in 2.44.
LABELS_SINCE = (2, 44)


def driver_command(program: str, git_version: tuple[int, ...]) -> str:
    """The `merge.ledger.driver` value for this git: with the heads' labels when it has them."""
    command = f"{program} merge-driver %O %A %B --path %P"
    if git_version >= LABELS_SINCE:
        command += " --ours-name %X --theirs-name %Y"
    return command


def side_names(
    ours: str | None,
    theirs: str | None,
    environ: Mapping[str, str],
    head: str | None,
) -> tuple[str, str]:
    """The names of our and their side: the labels git passed (`%X`/`%Y`), else the
    `GITHEAD_<sha>` variables (ours is `head`'s commit, theirs the one other head), else
    `ours` / `theirs`."""
    heads = {
        key[len("GITHEAD_") :]: value
        for key, value in environ.items()
        if key.startswith("GITHEAD_") and value
    }
    from_env_ours = heads.pop(head, None) if head else None
    from_env_theirs = next(iter(heads.values())) if len(heads) == 1 else None
    return (
        _given(ours) or from_env_ours or "ours",
        _given(theirs) or from_env_theirs or "theirs",
    )


def _given(label: str | None) -> str | None:
    """A label git substituted (not empty, not a placeholder an older git left as written)."""
    if not label or not label.strip() or label in ("%X", "%Y", "%S"):
        return None
    return label.strip()
