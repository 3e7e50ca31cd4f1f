"""Command family `dwell` (registered by `ledger.cli._app`)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this family's commands to the app."""
