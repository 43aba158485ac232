"""What the study holds and what to do next: the figures behind the Home page."""
from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from research.brand import current_platform
from research.workspace import get_workspace

# (figure key, table, optional WHERE clause); a table that does not exist yet counts as 0.
COUNTED = [
    ("journeys", "journeys", None),
    ("participants", "participants", None),
    ("personas", "personas", None),
    ("interviews", "interviews", None),
    ("utterances", "utterances", None),
    ("committees", "committees", None),
    ("photolanguage_sessions", "photolanguage_sessions", None),
    ("portrait_sessions", "portrait_sessions", None),
    ("images", "images", None),
]


@dataclass
class NextStep:
    key: str        # translation key suffix, e.g. "brand_platform"
    page: str       # the page to open, by its url path


def count(db: sqlite_utils.Database, table: str, where: str | None = None) -> int:
    if table not in db.table_names():
        return 0
    return db[table].count_where(where) if where else db[table].count


def study_figures(db: sqlite_utils.Database) -> dict[str, int]:
    figures = {key: count(db, table, where) for key, table, where in COUNTED}
    platform = current_platform(db)
    figures["brand_platform_version"] = platform.version
    figures["brand_values"] = len(platform.values)
    return figures


def next_steps(db: sqlite_utils.Database) -> list[NextStep]:
    """The few things worth doing next, most foundational first."""
    figures = study_figures(db)
    steps = []
    if not get_workspace(db).is_set_up or not figures["brand_platform_version"]:
        steps.append(NextStep("brand_platform", "brand_platform"))
    if not figures["journeys"]:
        steps.append(NextStep("journeys", "journeys"))
    if not figures["personas"]:
        steps.append(NextStep("personas", "participants"))
    if not figures["interviews"]:
        steps.append(NextStep("interviews", "interviews"))
    if figures["utterances"] and "analysis_runs" in db.table_names() and not count(db, "analysis_runs"):
        steps.append(NextStep("analysis", "analysis"))
    if count(db, "interviews", "status = 'done'") and not count(db, "interview_scores"):
        steps.append(NextStep("scores", "interviews"))
    return steps
