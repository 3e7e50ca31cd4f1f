"""Commit records and ledger summaries written by hand, for tests of the dwell rule (no git)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ledger.config import DwellConfig
from ledger.dwell import DwellReport, LedgerSummary, Rules, compute, summarize_text
from ledger.history import Commit

T0 = datetime(2025, 11, 1, tzinfo=timezone.utc)
RULES = Rules.from_config(DwellConfig(), "docs/fix_plan.md", "docs/fix_plan_archive.md")


def ledger(*sections: tuple[str, str], active: str | None = None, extra: str = "") -> str:
    """A small ledger text: `(ID, status)` sections, an optional Active Focus header line."""
    head = "# Fix Plan Ledger\n"
    if active:
        head += f"**Active Focus:** {active} — current work\n"
    body = "".join(
        f"\n## [{fid}] Title of {fid}\n- Status: {status}\n{extra}" for fid, status in sections
    )
    return head + body


class History:
    """Builds commit records and the blob -> summary function that goes with them."""

    def __init__(self) -> None:
        self.commits: list[Commit] = []
        self.blobs: dict[str, LedgerSummary] = {}
        self.blob: str | None = None

    def add(self, subject: str, paths: tuple[str, ...] = (), text: str | None = None) -> Commit:
        if text is not None:
            self.blob = f"blob{len(self.blobs)}"
            self.blobs[self.blob] = summarize_text(text)
            paths = (*paths, "docs/fix_plan.md")
        commit = Commit(
            sha=f"{len(self.commits) + 1:040x}",
            date=T0 + timedelta(minutes=10 * len(self.commits)),
            subject=subject,
            paths=paths,
            ledger_blob=self.blob,
        )
        self.commits.append(commit)
        return commit

    def summary(self, blob: str | None) -> LedgerSummary:
        return self.blobs[blob] if blob else LedgerSummary()

    def report(self, rules: Rules = RULES) -> DwellReport:
        return compute(self.commits, self.summary, rules)


TWO = ledger(("A-001", "in_progress"), ("B-002", "pending"))
