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
MARGIN_FROM = 10  # answers: below, the normal approximation of the margin means nothing (±107 points on 3)


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
    margin: float | None  # half the 95 % confidence interval, in points; None under MARGIN_FROM answers


def nps(values: Iterable[int | None]) -> Nps:
    """The NPS of these answers (None ignored), with its margin of error at 95 %: 1.96 standard errors,
    the variance of a promoter (+1) / passive (0) / detractor (-1) answer over the count; no margin
    under `MARGIN_FROM` answers."""
    given = [v for v in values if v is not None]
    n = len(given)
    if not n:
        return Nps(0, 0, 0, 0, None, None)
    groups = [nps_group(v) for v in given]
    pro, det = groups.count(PROMOTER), groups.count(DETRACTOR)
    p, d = pro / n, det / n
    variance = p + d - (p - d) ** 2
    margin = round(100 * 1.96 * math.sqrt(variance / n), 1) if n >= MARGIN_FROM else None
    return Nps(n, pro, n - pro - det, det, round(100 * (p - d), 1), margin)


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


# ---------------------------------------------------------------- a table of scores (a questionnaire's export)

COLUMNS = {"participant": ("participant", "code", "participant code", "code participant"),
           "interview": ("interview", "entretien", "interview id"),
           "nps": ("nps", "recommendation", "recommandation"),
           "ces": ("ces", "effort")}


@dataclass(frozen=True)
class Imported:
    rows: int  # scores read
    changed: int  # participants whose scores changed


def _latest_done_interview(db: sqlite_utils.Database, participant_id: int) -> int | None:
    row = db.execute("""SELECT i.id FROM interviews i JOIN interview_participants ip ON ip.interview_id = i.id
                        WHERE ip.participant_id = ? AND i.status = 'done'
                        ORDER BY coalesce(i.date, '') DESC, i.id DESC LIMIT 1""", [participant_id]).fetchone()
    return row[0] if row else None


def import_csv(db: sqlite_utils.Database, data: bytes) -> Imported:
    """Scores from a CSV table (a questionnaire sent after the interviews, exported from Excel or a form
    tool): a column for the participant's code, one for the recommendation and/or one for the effort,
    and optionally the interview's number (else the participant's latest interview done). Commas,
    semicolons or tabs; any encoding a transcript may have. An empty cell leaves what was noted. All or
    nothing: the first bad line stops the import and is named."""
    import csv
    import io

    from research.folding import fold
    from research.participants import find_by_code
    from research.transcripts import TranscriptError, decode

    try:
        text, _ = decode(data)
    except TranscriptError as e:
        raise ScoreError(str(e), key=e.key, **e.params) from None
    lines = text.splitlines()
    try:
        dialect = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [fold(h) for h in next(reader, [])]
    where = {name: next((i for i, h in enumerate(header) if h in aliases), None) for name, aliases in COLUMNS.items()}
    if where["participant"] is None or where["nps"] is None and where["ces"] is None:
        raise ScoreError("The first line must name a participant column (code) and an nps or ces column.",
                         key="scores.err.csv_header")

    def cell(row: list[str], name: str) -> str:
        i = where[name]
        return row[i].strip() if i is not None and i < len(row) else ""

    wanted: dict[int, dict[int, tuple]] = {}
    count = 0
    for line, row in enumerate(reader, start=2):
        if not any(c.strip() for c in row):
            continue
        code = cell(row, "participant")
        participant = find_by_code(db, code) if code else None
        if participant is None:
            raise ScoreError(f"Line {line}: no participant with the code {code!r}.", key="scores.err.csv_participant",
                             line=line, code=code or "—")
        given = cell(row, "interview")
        if given:
            interview = int(given) if given.isdigit() else None
            members = interview is not None and db.execute(
                "SELECT 1 FROM interview_participants WHERE interview_id = ? AND participant_id = ?",
                [interview, participant.id]).fetchone()
            if not members:
                raise ScoreError(f"Line {line}: {participant.code} was not in interview {given}.",
                                 key="scores.err.csv_interview", line=line, code=participant.code, interview=given)
        else:
            interview = _latest_done_interview(db, participant.id)
            if interview is None:
                raise ScoreError(f"Line {line}: {participant.code} has no interview done.",
                                 key="scores.err.csv_no_interview", line=line, code=participant.code)
        if participant.id in wanted.get(interview, {}):
            raise ScoreError(f"Line {line}: {participant.code} is scored twice for the same interview.",
                             key="scores.err.csv_twice", line=line, code=participant.code)
        try:
            values = (_checked(cell(row, "nps"), NPS_RANGE, "A recommendation score", "scores.err.nps"),
                      _checked(cell(row, "ces"), CES_RANGE, "An effort score", "scores.err.ces"))
        except ScoreError as e:
            said = str(e)
            raise ScoreError(f"Line {line}: {said[:1].lower()}{said[1:]}", key=f"{e.key}_line", line=line,
                             **e.params) from None
        if values == (None, None):
            continue  # not answered: what the interview noted stays
        noted = interview_scores(db, interview).get(participant.id, (None, None))
        wanted.setdefault(interview, {})[participant.id] = tuple(
            value if value is not None else before for value, before in zip(values, noted))
        count += 1
    if not count:
        raise ScoreError("The table has no score under its first line.", key="scores.err.csv_empty")
    changed = 0
    with db.atomic():
        for interview, scores in wanted.items():
            changed += set_scores(db, interview, scores)
    return Imported(count, changed)
