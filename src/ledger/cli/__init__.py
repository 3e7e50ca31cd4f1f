"""Command-line interface: `ledger ...` (typer and rich live only in this package)."""

from __future__ import annotations


def main() -> None:
    """Console-script entry point."""
    from ._app import build_app

    build_app(every_family=False)(prog_name="ledger")
