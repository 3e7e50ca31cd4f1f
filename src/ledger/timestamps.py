"""Ledger timestamps: read the forms real ledgers write, and write new ones in the same form.

Forms seen: `2025-11-19`, `2025-11-19T190500Z`, `2025-11-14T0849Z`, `2026-01-22T02:40Z`,
`2026-01-07T06:00:00Z`, and ranges `2026-01-26T00:35:00Z – 2026-01-26T01:00:00Z` (the start
counts). All are UTC.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

TIMESTAMP_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:\.\d+)?)?Z?)?"
)
DEFAULT_FORMAT = "%Y-%m-%dT%H%M%SZ"


def parse_timestamp(text: str | None) -> datetime | None:
    """The first timestamp in `text` as an aware UTC datetime; None when there is no valid one."""
    if not text:
        return None
    if len(text) == 10 and text[4] == text[7] == "-" and text.replace("-", "").isdigit():
        try:  # a bare date (`2025-10-15`), the stamp of most numbered attempts: no regex
            return datetime(int(text[:4]), int(text[5:7]), int(text[8:]), tzinfo=timezone.utc)
        except ValueError:
            return None
    m = TIMESTAMP_RE.search(text)
    if not m:
        return None
    y, mo, d, hh, mm, ss = m.groups()
    try:
        return datetime(
            int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0), tzinfo=timezone.utc
        )
    except ValueError:
        return None


def timestamp_format(ts_text: str | None) -> str | None:
    """The strftime format a timestamp was written in
    (`2025-11-19T190500Z` -> `%Y-%m-%dT%H%M%SZ`)."""
    if not ts_text:
        return None
    m = TIMESTAMP_RE.search(ts_text)
    if not m:
        return None
    out: list[str] = []
    pos = m.start()
    for group, code in zip(range(1, 7), "YmdHMS"):
        if m.start(group) == -1:
            continue
        out.append(ts_text[pos : m.start(group)].replace("%", "%%"))
        out.append("%" + code)
        pos = m.end(group)
    tail = re.sub(r"\.\d+", "", ts_text[pos : m.end()])  # fractions of a second are not copied
    out.append(tail.replace("%", "%%"))
    return "".join(out)


def utc(now: datetime | None = None) -> datetime:
    """`now` (default: the current time) as an aware UTC datetime."""
    now = now or datetime.now(timezone.utc)
    return now if now.tzinfo else now.replace(tzinfo=timezone.utc)
