"""Recommendation and effort: the NPS and CES questions asked at the end of an interview, and what
the people behind each score said.

- **NPS** (Net Promoter Score): "How likely are you to recommend … to a friend or colleague?", 0 to 10.
  9-10 are promoters, 7-8 passives, 0-6 detractors; the score is the share of promoters minus the
  share of detractors, from -100 to +100.
- **CES** (Customer Effort Score, 2.0 wording): "The company made it easy for me to …", 1 (strongly
  disagree) to 7 (strongly agree): the higher, the less effort.

A score belongs to one participant in one interview (a focus group scores each of its members). On
interview samples (tens of people) an NPS moves a lot with each answer: `nps` gives the margin of
error at 95 % with the score, so the pages never show it bare. Employees asked the same questions
for the internal mirror are kept apart from customers.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlite_utils

from research.errors import DomainError
from research.store import Migrations, now_iso

migrations = Migrations("scores")

NPS_RANGE = range(0, 11)
CES_RANGE = range(1, 8)
PROMOTER, PASSIVE, DETRACTOR = "promoter", "passive", "detractor"
EMPLOYEE = "employee"


class ScoreError(DomainError):
    pass


@migrations()
def m001_interview_scores(db: sqlite_utils.Database) -> None:
    db["interview_scores"].create({"interview_id": int, "participant_id": int, "nps": int, "ces": int,
                                   "updated_at": str}, pk=("interview_id", "participant_id"),
                                  foreign_keys=[("interview_id", "interviews", "id"),
                                                ("participant_id", "participants", "id")])


@dataclass(frozen=True)
class Score:
    interview_id: int
    participant_id: int
    participant_code: str
    participant_kind: str
    persona_id: int | None
    persona_name: str
    day: str | None
    nps: int | None
    ces: int | None

    @property
    def group(self) -> str | None:
        return nps_group(self.nps)


def nps_group(value: int | None) -> str | None:
    if value is None:
        return None
    return PROMOTER if value >= 9 else PASSIVE if value >= 7 else DETRACTOR


def _checked(value, allowed: range, what: str, key: str) -> int | None:
    """A whole number within `allowed` (an int, a whole float, or its digits as text); None for none."""
    if value is None or isinstance(value, str) and not value.strip():
        return None
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    if number is None or number not in allowed:
        raise ScoreError(f"{what} is a whole number from {allowed.start} to {allowed.stop - 1}, not {value!r}.",
                         key=key, value=str(value), low=allowed.start, high=allowed.stop - 1)
    return number


def set_scores(db: sqlite_utils.Database, interview_id: int, scores: dict[int, tuple]) -> int:
    """`scores`: participant id → (nps, ces), either None when not asked. All or nothing; returns the
    number of participants whose scores changed."""
    members = {r[0] for r in db.execute("SELECT participant_id FROM interview_participants WHERE interview_id = ?",
                                        [interview_id])}
    if not members:
        raise ScoreError(f"No interview {interview_id}.", key="interviews.err.not_found", id=interview_id)
    rows = []
    for pid, (nps, ces) in scores.items():
        if pid not in members:
            raise ScoreError("This participant was not in this interview.", key="scores.err.participant")
        rows.append({"interview_id": interview_id, "participant_id": pid,
                     "nps": _checked(nps, NPS_RANGE, "A recommendation score", "scores.err.nps"),
                     "ces": _checked(ces, CES_RANGE, "An effort score", "scores.err.ces")})
    changed = 0
    with db.atomic():
        for row in rows:
            before = db.execute("SELECT nps, ces FROM interview_scores WHERE interview_id = ? AND participant_id = ?",
                                [interview_id, row["participant_id"]]).fetchone()
            if (tuple(before) if before else (None, None)) == (row["nps"], row["ces"]):
                continue
            changed += 1
            if row["nps"] is None and row["ces"] is None:
                db.execute("DELETE FROM interview_scores WHERE interview_id = ? AND participant_id = ?",
                           [interview_id, row["participant_id"]])
            else:
                db["interview_scores"].upsert({**row, "updated_at": now_iso()}, pk=("interview_id", "participant_id"))
    return changed


def interview_scores(db: sqlite_utils.Database, interview_id: int) -> dict[int, tuple[int | None, int | None]]:
    """Participant id → (nps, ces) noted for this interview."""
    return {r[0]: (r[1], r[2]) for r in db.execute(
        "SELECT participant_id, nps, ces FROM interview_scores WHERE interview_id = ?", [interview_id])}


def list_scores(db: sqlite_utils.Database) -> list[Score]:
    """Every score noted, latest interview first."""
    if "interview_scores" not in db.table_names():
        return []
    rows = db.execute("""SELECT s.interview_id, s.participant_id, p.code, p.kind, p.persona_id, pe.name, i.date,
                                s.nps, s.ces
                         FROM interview_scores s JOIN participants p ON p.id = s.participant_id
                         JOIN interviews i ON i.id = s.interview_id LEFT JOIN personas pe ON pe.id = p.persona_id
                         ORDER BY coalesce(i.date, '') DESC, s.interview_id DESC, p.code""").fetchall()
    return [Score(r[0], r[1], r[2], r[3] or "customer", r[4], r[5] or "", r[6], r[7], r[8]) for r in rows]


def latest_per_participant(scores: Iterable[Score]) -> list[Score]:
    """One score per participant: from their latest interview that has one (a participant met twice
    counts once)."""
    seen: dict[int, Score] = {}
    for s in scores:  # list_scores gives the latest first
        seen.setdefault(s.participant_id, s)
    return list(seen.values())


@dataclass(frozen=True)
class Nps:
    answers: int
    promoters: int
    passives: int
    detractors: int
    score: float | None  # -100..100, None without answers
    margin: float | None  # half the 95 % confidence interval, in points


def nps(values: Iterable[int | None]) -> Nps:
    """The NPS of these answers (None ignored), with its margin of error at 95 %: 1.96 standard errors,
    the variance of a promoter (+1) / passive (0) / detractor (-1) answer over the count."""
    given = [v for v in values if v is not None]
    n = len(given)
    if not n:
        return Nps(0, 0, 0, 0, None, None)
    groups = [nps_group(v) for v in given]
    pro, det = groups.count(PROMOTER), groups.count(DETRACTOR)
    p, d = pro / n, det / n
    variance = p + d - (p - d) ** 2
    return Nps(n, pro, n - pro - det, det, round(100 * (p - d), 1), round(100 * 1.96 * math.sqrt(variance / n), 1))


@dataclass(frozen=True)
class Effort:
    answers: int
    mean: float | None
    easy_share: float | None  # 5 to 7: agreed it was easy


def effort(values: Iterable[int | None]) -> Effort:
    given = [v for v in values if v is not None]
    if not given:
        return Effort(0, None, None)
    return Effort(len(given), round(sum(given) / len(given), 2), round(sum(v >= 5 for v in given) / len(given), 3))


@dataclass(frozen=True)
class SegmentScores:
    name: str  # a persona's name, "" for participants without one
    persona_id: int | None
    nps: Nps
    effort: Effort


def by_persona(scores: Sequence[Score]) -> list[SegmentScores]:
    """Customers' scores per persona (the largest first), employees left out: see `employees`."""
    groups: dict[int | None, list[Score]] = {}
    for s in scores:
        if s.participant_kind != EMPLOYEE:
            groups.setdefault(s.persona_id, []).append(s)
    out = [SegmentScores(items[0].persona_name, pid, nps(s.nps for s in items), effort(s.ces for s in items))
           for pid, items in groups.items()]
    return sorted(out, key=lambda seg: (seg.persona_id is None, -seg.nps.answers, seg.name))


def customers(scores: Iterable[Score]) -> list[Score]:
    return [s for s in scores if s.participant_kind != EMPLOYEE]


def employees(scores: Iterable[Score]) -> list[Score]:
    return [s for s in scores if s.participant_kind == EMPLOYEE]


def participants_in(scores: Iterable[Score], group: str) -> set[int]:
    """The participants whose (latest) recommendation score falls in `group`."""
    return {s.participant_id for s in latest_per_participant(scores) if s.group == group}


@dataclass(frozen=True)
class Summary:
    """What the study's scores say, each participant once with their latest score."""

    customers: list[Score]  # customers, former customers and prospects
    nps: Nps
    effort: Effort
    personas: list[SegmentScores]
    employees: Nps  # the internal mirror, never mixed with customers


def summary(scores: Iterable[Score]) -> Summary:
    latest = latest_per_participant(scores)
    people = customers(latest)
    return Summary(people, nps(s.nps for s in people), effort(s.ces for s in people), by_persona(people),
                   nps(s.nps for s in employees(latest)))


def findings_of(records, scores: Iterable[Score], group: str, label: str):
    """What the customers of one recommendation group said, as findings (`research.synthesis.findings`):
    the irritants of detractors, the enchantments of promoters."""
    from research.synthesis import findings

    people = participants_in(customers(scores), group)
    return findings([u for u in records if u.participant_id in people], label)
