"""The one clock every stage stamps with: UTC, to the second, ISO 8601."""

from __future__ import annotations

from datetime import datetime, timezone


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
