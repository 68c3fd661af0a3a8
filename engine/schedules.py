"""Schedules, dates and the latest-only window, as Airflow 3 computes them.

Schedules use data intervals (``create_cron_data_intervals = True``): the run for logical date L
covers [L, next(L)) and the run after it covers [next(L), next(next(L))).
"""

from __future__ import annotations

from datetime import UTC, datetime

from croniter import croniter

PRESETS = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
}
ONCE = "@once"


def schedule_error(schedule: object) -> str | None:
    """Why ``schedule`` is not a valid schedule, or None when it is."""
    if schedule is None or schedule == ONCE or schedule in PRESETS:
        return None
    if not isinstance(schedule, str):
        return f"schedule must be null, a preset or a cron expression, not {schedule!r}"
    if schedule.startswith("@"):
        names = ", ".join([ONCE, *PRESETS])
        return f"unknown schedule preset `{schedule}` (presets: {names})"
    if not croniter.is_valid(schedule):
        return f"`{schedule}` is not a valid cron expression"
    return None


def parse_datetime(value: object) -> datetime:
    """An aware UTC datetime from an ISO 8601 string (naive means UTC). Raises ValueError."""
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO 8601 date-time string, got {value!r}")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"`{value}` is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_datetime(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _cron(schedule: str) -> str:
    return PRESETS.get(schedule, schedule)


def latest_only_window(
    schedule: str | None, logical_date: datetime
) -> tuple[datetime, datetime] | None:
    """The (left, right] window in which the run at ``logical_date`` counts as the latest.

    None means latest-only always proceeds (``@once`` and manual-only DAGs have no next run).
    Airflow 3.3: left is the run's logical date, right is the end of the next run's interval.
    """
    if schedule is None or schedule == ONCE:
        return None
    it = croniter(_cron(schedule), logical_date)
    it.get_next(datetime)  # end of this run's interval = start of the next one
    right = it.get_next(datetime)
    return logical_date, right


def is_latest_run(schedule: str | None, logical_date: datetime, now: datetime | None) -> bool:
    if now is None:
        return True
    window = latest_only_window(schedule, logical_date)
    if window is None:
        return True
    left, right = window
    return left < now <= right
