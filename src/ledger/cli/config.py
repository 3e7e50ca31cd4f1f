"""`ledger init`, `ledger config show`, `ledger config set`: setting a project up.

`init` writes `.ledger.yaml` (every option, commented) and a starter ledger; `config show` prints
the configuration in effect and where each value came from; `config set` changes one option in
place, keeping the file's comments, after validating the whole resulting file.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from ._common import JsonOpt, print_json, print_table, settings, write


def register(app: typer.Typer) -> None:
    """Add `init` and the `config` group to the app."""
    app.command("init")(init)
    config_app = typer.Typer(
        help="Show or change the configuration (.ledger.yaml).",
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    config_app.command("show")(config_show)
    config_app.command("set")(config_set)
    app.add_typer(config_app, name="config")


def init(
    ctx: typer.Context,
    force: Annotated[
        bool,
        typer.Option("--force", help="Rewrite .ledger.yaml from the template even if it exists."),
    ] = False,
) -> None:
    """Write .ledger.yaml (every option, commented) and a starter docs/fix_plan.md if missing.

    A new starter ledger comes with its example's Working Plan file
    (plans/active/EXAMPLE-001/implementation.md), so `ledger check` passes at once. Files that
    exist are left alone (the ledger always; .ledger.yaml unless --force). Nothing else is
    installed.
    """
    from datetime import datetime, timezone

    from ..init import init_project

    st = settings(ctx)
    today = datetime.now(timezone.utc).date().isoformat()
    result = init_project(
        st.root, st.config.file, today, force=force, plans_dir=st.config.plans_dir
    )
    for path, written in (
        (result.config_path, result.config_written),
        (result.ledger_path, result.ledger_written),
        (result.plan_path, result.plan_written),
    ):
        if path is not None:
            typer.echo(f"{'wrote' if written else 'exists, left alone:'} {path}")


def config_show(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """The effective configuration and where each value came from (.ledger.yaml or default)."""
    from ..init import effective_values

    st = settings(ctx)
    rows = effective_values(st)
    if as_json:
        print_json(
            {
                "config_path": str(st.config_path) if st.config_path else None,
                "root": str(st.root),
                "options": rows,
            }
        )
        return

    from .tables import Column, Overflow, Table

    table = Table(
        [
            Column("Key", style="bold"),
            Column("Value", overflow=Overflow.wrap, max_width=90, shrink=1, shrink_to=20),
            Column("Source", drop=1),
        ]
    )
    for row in rows:
        source = row["source"] + (
            "" if row["default"] or row["source"] == "default" else " (changed)"
        )
        table.add_row(row["key"], _show_value(row["value"]), source)
    print_table(ctx, table)
    write(f"configuration file: {st.config_path or 'none (all defaults)'}\n")


def _show_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def config_set(
    ctx: typer.Context,
    key: Annotated[
        str,
        typer.Argument(
            metavar="KEY", help="Dotted option key, e.g. dwell.tiers or check.max_bytes."
        ),
    ],
    value: Annotated[
        str, typer.Argument(metavar="VALUE", help="New value; lists as a,b,c or [a, b].")
    ],
) -> None:
    """Change one option in .ledger.yaml, keeping its comments.

    The whole resulting file is validated first: an unknown key or a bad value exits 2 and
    leaves the file as it was.
    """
    from ..config import CONFIG_NAME
    from ..init import set_option

    st = settings(ctx)
    path = st.config_path or (st.root / CONFIG_NAME)
    old, new = set_option(path, key, value)
    typer.echo(f"{key}: {_show_value(old)} -> {_show_value(new)} ({path})")
