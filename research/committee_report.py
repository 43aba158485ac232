"""A committee session's report ("compte rendu"): what the organiser circulates inside the company
after a session, and files beside the minutes.

It gathers in one document what the session pages keep apart: when and where it was held and by
whom, who came (members by persona, employees who listened), the agenda with each item's outcome
and the votes of a two-version test, the minutes, the decisions and actions taken, where the
actions promised at earlier sessions stand, what the analysis drew from the session when it was
sent there, and the files kept with it. Members appear by their pseudonymous code and persona only,
never by name, and no incentive is shown: the report travels further than the committee's owner.
It is written as Word or HTML by the study report's writers (`synthesis_export.document_docx`,
`document_html`).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlite_utils

from research import committee_sessions as sessions
from research.committees import Committee, get_committee
from research.synthesis import ENCHANTMENT, IRRITANT, CodedUtterance, findings
from research.synthesis_export import ReportItem, Translate, document_docx, document_html

FINDINGS_PER_LABEL = 3


@dataclass
class SessionReport:
    """Everything a session's report says, gathered before it is written in a format."""

    committee: Committee
    session: sessions.Session
    agenda: list[sessions.AgendaItem]
    attendance: list[sessions.Attendance]
    actions: list[sessions.Action]              # decided at this session
    earlier_actions: list[sessions.Action]      # promised at earlier sessions, as they stand today
    files: list[dict]
    records: list[CodedUtterance] = field(default_factory=list)  # the session's utterances, when analysed
    quotable: Callable[[int | None], bool] = lambda participant_id: True
    today: date = field(default_factory=date.today)


def gather(db: sqlite_utils.Database, session_id: int, *, records: Sequence[CodedUtterance] = (),
           quotable=None, today: date | None = None) -> SessionReport:
    """The session's report; `records` are the study's coded utterances (those of this session are kept)."""
    session = sessions.get_session(db, session_id)
    committee = get_committee(db, session.committee_id)
    today = today or date.today()
    before = {s.id for s in sessions.list_sessions(db, committee.id) if s.starts_at < session.starts_at}
    every = sessions.list_actions(db, committee.id, today=today)
    return SessionReport(
        committee=committee, session=session, agenda=sessions.list_agenda(db, session_id),
        attendance=sessions.list_attendance(db, session_id),
        actions=[a for a in every if a.session_id == session_id],
        earlier_actions=[a for a in every if a.session_id in before and a.kind == "action"],
        files=sessions.list_files(db, session_id),
        records=[u for u in records if session.interview_id is not None and u.interview_id == session.interview_id],
        quotable=quotable or (lambda participant_id: True), today=today)


def _action_state(a: sessions.Action, t: Translate) -> str:
    if a.kind == "decision":
        return t("committees.action_kind.decision")
    if a.status == "done":
        return t("committees.report.done_on", day=date.fromisoformat(a.done_on)) if a.done_on else \
            t("committees.action_status.done")
    return t("committees.action_status.overdue" if a.overdue else "committees.action_status.open")


def _action_rows(actions: Sequence[sessions.Action], t: Translate) -> list[list[str]]:
    return [[t("committees.outputs.what"), t("committees.outputs.owner"), t("committees.report.due"),
             t("committees.col.status")]] + [
        [a.text, a.owner or "—", t("committees.report.day", day=date.fromisoformat(a.due_on)) if a.due_on else "—",
         _action_state(a, t)] for a in actions]


def _agenda_item(item: sessions.AgendaItem, t: Translate) -> ReportItem:
    lines = [item.description] if item.description else []
    if item.kind == "ab_test" and (item.option_a or item.option_b):
        for side, option, votes in (("a", item.option_a, item.votes_a), ("b", item.option_b, item.votes_b)):
            vote = "" if votes is None else " — " + t("committees.report.votes", n=votes)
            preferred = " ✓" if item.preferred == side else ""
            lines.append(t(f"committees.report.option_{side}", option=option or "—") + vote + preferred)
        if item.preference_notes:
            lines.append(item.preference_notes)
    if item.outcome:
        lines.append(t("committees.report.outcome", outcome=item.outcome))
    meta = t("committees.report.item_minutes", minutes=item.duration_minutes) if item.duration_minutes else ""
    return ReportItem(f"{item.position}. {item.title}", tag=t(f"committees.agenda_kind.{item.kind}"), meta=meta,
                      lines=lines)


def _attendance_section(report: SessionReport, t: Translate) -> dict:
    members = [a for a in report.attendance if a.role == "member"]
    held = report.session.status == "held"
    # employees who listened (at a session held), or who are invited to (at one to come)
    listeners = [a for a in report.attendance if a.role == "listener" and (a.status == "attended" or not held)]
    status = Counter(a.status for a in members)
    came = [a for a in members if a.status == "attended"]
    text = t("committees.report.attendance_held" if held else "committees.report.attendance_planned",
             attended=status["attended"], invited=len(members), confirmed=status["confirmed"],
             excused=status["excused"], no_show=status["no_show"], listeners=len(listeners))
    by_persona: dict[str, list[int]] = {}
    for a in members:
        counts = by_persona.setdefault(a.persona_name or "—", [0, 0])
        counts[0] += 1
        counts[1] += a.status == ("attended" if held else "confirmed")
    head = [t("committees.col.persona"), t("committees.col.invited"),
            t("committees.col.attended" if held else "committees.report.confirmed")]
    paragraphs = [text]
    if came or not held:
        shown = came if held else members
        paragraphs.append(t("committees.report.codes", codes=", ".join(
            f"{a.code} ({a.persona_name})" if a.persona_name else a.code for a in shown)))
    if listeners:
        paragraphs.append(t("committees.report.listener_codes", codes=", ".join(a.code for a in listeners)))
    return {"key": "attendance", "title": t("committees.report.attendance"), "paragraphs": paragraphs,
            "table": [head] + [[name, n, k] for name, (n, k) in sorted(by_persona.items())] if members else None}


def _findings_section(report: SessionReport, t: Translate) -> dict | None:
    if not report.records:
        return None
    items = []
    for label in (IRRITANT, ENCHANTMENT):
        for f in findings(report.records, label)[:FINDINGS_PER_LABEL]:
            quotes = [u for u in f.verbatims if report.quotable(u.participant_id)][:1]
            items.append(ReportItem(f.theme_label or t("synthesis.untitled"), tag=t(f"synthesis.label.{label}"),
                                    tag_tone=label,
                                    meta=t("committees.report.mentions", n=f.mentions), quotes=quotes,
                                    no_quote=t("synthesis.report.no_quotable")))
    if not items:
        return None
    return {"key": "findings", "title": t("committees.report.findings"),
            "paragraphs": [t("committees.report.findings_text")], "items": items}


def report_sections(report: SessionReport, t: Translate) -> list[dict]:
    """The report as sections (title, paragraphs, table, items), as the study report's writers take them."""
    c, s = report.committee, report.session
    when = t("committees.report.when", day=s.starts_at.date(), start=s.starts_at.strftime("%H:%M"),
             end=s.ends_at.strftime("%H:%M"))
    where = " · ".join(x for x in (s.location or c.location, s.format or c.session_format) if x)
    roles = [t(f"committees.report.{role}", name=name) for role, name in
             (("facilitator", c.facilitator), ("owner", c.owner), ("sponsor", c.sponsor)) if name]
    summary = [when + (f" — {where}" if where else ""), " · ".join(roles),
               t(f"committees.report.status.{s.status}")]
    sections = [{"key": "summary", "title": t("committees.report.summary"), "paragraphs": [p for p in summary if p]},
                _attendance_section(report, t)]
    if report.agenda:
        minutes = sum(i.duration_minutes or 0 for i in report.agenda)
        sections.append({"key": "agenda", "title": t("committees.report.agenda"),
                         "paragraphs": [t("committees.agenda.total", minutes=minutes, session=s.duration_minutes)],
                         "items": [_agenda_item(i, t) for i in report.agenda]})
    if s.minutes.strip():
        sections.append({"key": "minutes", "title": t("committees.outputs.minutes"),
                         "paragraphs": [line.strip() for line in s.minutes.splitlines() if line.strip()]})
    sections.append({"key": "actions", "title": t("committees.outputs.decisions"),
                     "paragraphs": [] if report.actions else [t("committees.report.no_actions")],
                     "table": _action_rows(report.actions, t) if report.actions else None})
    if report.earlier_actions:
        done = sum(a.status == "done" for a in report.earlier_actions)
        late = sum(a.overdue for a in report.earlier_actions)
        sections.append({"key": "earlier", "title": t("committees.report.earlier"),
                         "paragraphs": [t("committees.report.earlier_text", n=len(report.earlier_actions), done=done,
                                          late=late, day=report.today)],
                         "table": _action_rows(report.earlier_actions, t)})
    found = _findings_section(report, t)
    if found:
        sections.append(found)
    if report.files:
        sections.append({"key": "files", "title": t("committees.outputs.files"),
                         "paragraphs": [t("committees.report.files_text")],
                         "table": [[t("committees.report.file"), t("committees.report.file_kind")]] + [
                             [f["filename"], t(f"committees.file_kind.{f['kind']}")] for f in report.files]})
    return [section for section in sections if section]


def title_of(report: SessionReport, t: Translate) -> str:
    s = report.session
    return t("committees.report.title", committee=report.committee.name, number=s.number or "—",
             day=s.starts_at.date())


def subtitle_of(report: SessionReport, t: Translate) -> str:
    return t("committees.report.generated", day=report.today) + (f" · {report.session.title}" if report.session.title
                                                                  else "")


def session_report_docx(report: SessionReport, t: Translate) -> bytes:
    return document_docx(title_of(report, t), subtitle_of(report, t), report_sections(report, t), {})


def session_report_html(report: SessionReport, t: Translate, lang: str) -> str:
    return document_html(title_of(report, t), subtitle_of(report, t), report_sections(report, t), {}, lang)


def report_files(db: sqlite_utils.Database, session_id: int, t: Translate, lang: str,
                 records: Sequence[CodedUtterance] = ()) -> dict[str, bytes]:
    """The session's report as Word and HTML, quoting only members who consented to being quoted."""
    from research.synthesis_store import quote_consent

    report = gather(db, session_id, records=records, quotable=quote_consent(db))
    return {"docx": session_report_docx(report, t), "html": session_report_html(report, t, lang).encode("utf-8")}


def report_file(path, session_id: int, kind: str, t: Translate, lang: str,
                records: Sequence[CodedUtterance] = ()) -> bytes:
    """One format ("docx" or "html") of the session's report, read from the workspace at `path` when a
    download button asks for it (`research.store.read_at`)."""
    from research.store import read_at

    return read_at(path, report_files, session_id, t, lang, records)[kind]
