"""How a re-check's evidence becomes an article's status, and when it is checked next.

Evidence of one check: "same" (304, or the same extracted content), "changed" (new content),
"gone" (404/410, a redirect to the home or a section page, a deletion notice, no article or
another article) or "unreachable" (timeouts, connection errors, 5xx, 429, anti-bot pages).
A deletion is confirmed only after `confirm_checks` sightings spanning `confirm_hours`; an
unreachable check neither confirms nor clears a suspicion.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from scraper.store.versions import Watch

DEFAULT_CONFIRM_CHECKS = 2
DEFAULT_CONFIRM_HOURS = 24.0
# The decaying schedule: (age of the article under, interval between checks).
SCHEDULE = (
    (timedelta(days=1), timedelta(hours=1)),
    (timedelta(days=30), timedelta(days=1)),
)
OLD_ARTICLE_INTERVAL = timedelta(days=7)
UNREACHABLE_RETRY = timedelta(hours=6)  # at most: a flapping server is tried again soon
FIRST_CHECK_AFTER = timedelta(hours=1)  # a never-checked article is due an hour after archiving


@dataclass(frozen=True)
class Confirmation:
    checks: int = DEFAULT_CONFIRM_CHECKS
    hours: float = DEFAULT_CONFIRM_HOURS


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def parse_stamp(stamp: str | None, default: datetime) -> datetime:
    """A stored ISO stamp as an aware datetime (UTC when it names no offset); `default` for
    a missing or unreadable one (an imported record may carry anything)."""
    try:
        moment = datetime.fromisoformat(stamp or "")
    except ValueError:
        return default
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def check_interval(age: timedelta) -> timedelta:
    """New articles often, old ones rarely: hourly in the first day, daily in the first
    month, weekly after."""
    return next((every for under, every in SCHEDULE if age < under), OLD_ARTICLE_INTERVAL)


def apply_evidence(
    state: Watch, evidence: str, now: datetime, archived_at: str, rule: Confirmation
) -> tuple[Watch, str]:
    """The article's new watch state and the check's outcome."""
    stamp = iso(now)
    checked = replace(state, last_checked_at=stamp)
    if evidence == "unreachable":
        outcome, new = "unreachable", checked
    elif evidence == "gone":
        new, outcome = _gone(checked, now, rule)
    else:
        outcome = (
            "restored" if state.status != "live" else {"same": "unchanged"}.get(evidence, "edited")
        )
        new = replace(checked, status="live", deleted_at=None, suspected_since=None,
                      suspect_checks=0, last_seen=stamp)  # fmt: skip
    new.next_check_at = iso(now + _next_interval(new, outcome, now, archived_at, rule))
    return new, outcome


def _gone(state: Watch, now: datetime, rule: Confirmation) -> tuple[Watch, str]:
    since = state.suspected_since or iso(now)
    sightings = state.suspect_checks + 1
    state = replace(state, suspected_since=since, suspect_checks=sightings)
    if state.status == "deleted":
        return state, "deleted"
    span = now - parse_stamp(since, now)
    if sightings >= rule.checks and span >= timedelta(hours=rule.hours):
        return replace(state, status="deleted", deleted_at=since), "deleted"
    return replace(state, status="suspected"), "suspected"


def _next_interval(
    state: Watch, outcome: str, now: datetime, archived_at: str, rule: Confirmation
) -> timedelta:
    regular = check_interval(now - parse_stamp(archived_at, now))
    if outcome == "suspected":  # come back when the next sighting can confirm it
        return max(FIRST_CHECK_AFTER, timedelta(hours=rule.hours / max(1, rule.checks - 1)))
    if outcome == "unreachable":
        return min(regular, UNREACHABLE_RETRY)
    return regular
