"""Dates as people type them: empty, a date, a datetime or ISO text, or a clear error."""
from __future__ import annotations

from datetime import date, datetime

from research.errors import DomainError


def parse_date(value, error: type[DomainError], key: str) -> date | None:
    """None for an empty value; the day of a date, a datetime or an ISO 8601 text; otherwise
    `error` with the translation `key` (which receives the value as `{value}`)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise error(f"{value!r} is not a date.", key=key, value=str(value)) from None
