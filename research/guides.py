"""Interview guides derived from a journey, edited as drafts and frozen as versions once used.

A guide has an opening, one section per journey step (what the customer did, through which
channel, what they felt, what irritated, what delighted, what they expected), and a closing, each
with a time budget. The external variant speaks to customers, prospects and former customers; the
internal one asks employees how they see the customer live the same step (the mirror).

The guide itself is the editable draft. Freezing it stores an immutable snapshot (a version);
an interview refers to the version it used, so a later edit never rewrites what was asked.

Tables: guides, guide_sections, guide_versions.
"""
from __future__ import annotations

import hashlib
import html
import io
import json
from dataclasses import asdict, dataclass, field

import sqlite_utils

from research.errors import DomainError
from research.journeys import get_journey
from research.store import Migrations, check_version, dumps, loads, now_iso

migrations = Migrations("guides")

AUDIENCES = ("external", "internal")
KINDS = ("opening", "step", "closing")


class GuideError(DomainError):
    pass


@migrations()
def m001_guides(db: sqlite_utils.Database) -> None:
    db["guides"].create({"id": int, "journey_id": int, "name": str, "lang": str, "audience": str,
                         "created_at": str, "updated_at": str}, pk="id",
                        foreign_keys=[("journey_id", "journeys", "id")], not_null={"name"})
    db["guide_sections"].create({"id": int, "guide_id": int, "position": int, "kind": str, "step_id": int,
                                 "title": str, "questions": str, "minutes": int}, pk="id",
                                foreign_keys=[("guide_id", "guides", "id")])
    db["guide_versions"].create({"id": int, "guide_id": int, "number": int, "created_at": str,
                                 "digest": str, "snapshot": str}, pk="id",
                                foreign_keys=[("guide_id", "guides", "id")])
    db["guide_sections"].create_index(["guide_id", "position"])
    db["guide_versions"].create_index(["guide_id", "number"], unique=True)


@dataclass
class Section:
    kind: str
    title: str
    questions: list[str] = field(default_factory=list)
    minutes: int = 5
    step_id: int | None = None
    id: int | None = None
    position: int = 0


@dataclass
class Guide:
    id: int
    journey_id: int | None
    name: str
    lang: str
    audience: str
    sections: list[Section] = field(default_factory=list)
    version: int | None = None  # the version number when read from a frozen snapshot
    frozen_at: str = ""

    @property
    def minutes(self) -> int:
        return sum(s.minutes for s in self.sections)


# ---------------------------------------------------------------- wording

TEXT = {
    "fr": {
        "opening": "Ouverture", "closing": "Clôture", "minutes": "min", "total": "Durée prévue",
        "external": "clients, prospects, anciens clients", "internal": "collaborateurs (miroir)",
        "audience": "Public", "journey": "Parcours", "version": "Version",
        "opening_q": {
            "external": ["Présenter l'étude, sa durée, l'usage des réponses ; recueillir l'accord pour "
                         "l'enregistrement.", "Pouvez-vous vous présenter en quelques mots ?",
                         "Depuis quand êtes-vous en relation avec nous, et comment cela a-t-il commencé ?"],
            "internal": ["Présenter l'exercice : regarder le parcours avec les yeux du client ; rappeler "
                         "l'anonymat des réponses.", "Quel est votre métier, et à quels moments êtes-vous "
                         "en contact avec les clients ?"]},
        "step_q": {
            "external": ["Racontez-moi la dernière fois que vous avez vécu ce moment : qu'avez-vous fait ?",
                         "Par quel canal êtes-vous passé (téléphone, agence, site, application…) ? Pourquoi celui-là ?",
                         "Qu'avez-vous ressenti à ce moment-là ?",
                         "Qu'est-ce qui vous a agacé ou compliqué la vie ?",
                         "Qu'est-ce qui vous a fait plaisir ou surpris en bien ?",
                         "Qu'auriez-vous attendu de nous à ce moment-là ?"],
            "internal": ["Comment les clients vivent-ils ce moment, selon vous ?",
                         "Par quels canaux arrivent-ils, et lesquels leur conviendraient mieux ?",
                         "Que ressentent-ils, d'après ce qu'ils vous disent ?",
                         "Qu'est-ce qui les agace le plus ici ? Et vous, qu'est-ce qui vous empêche de les aider ?",
                         "Qu'est-ce qui les enchante, quand ça se passe bien ?",
                         "Qu'attendent-ils de nous que nous ne faisons pas encore ?"]},
        "closing_q": {
            "external": ["Si vous aviez une baguette magique, que changeriez-vous en premier ?",
                         "Recommanderiez-vous l'entreprise à un proche ? Pourquoi ?",
                         "Y a-t-il quelque chose que nous n'avons pas abordé ? Remercier, expliquer la suite."],
            "internal": ["Quelle serait la première amélioration à faire pour les clients ?",
                         "Qu'aimeriez-vous que la direction entende de cet entretien ? Remercier."]},
    },
    "en": {
        "opening": "Opening", "closing": "Closing", "minutes": "min", "total": "Planned length",
        "external": "customers, prospects, former customers", "internal": "employees (mirror)",
        "audience": "Audience", "journey": "Journey", "version": "Version",
        "opening_q": {
            "external": ["Introduce the study, its length and how answers will be used; ask consent to record.",
                         "Could you tell me a little about yourself?",
                         "How long have you been with us, and how did it start?"],
            "internal": ["Introduce the exercise: looking at the journey through the customer's eyes; "
                         "answers stay anonymous.", "What is your job, and when are you in touch with customers?"]},
        "step_q": {
            "external": ["Tell me about the last time you went through this: what did you do?",
                         "Which channel did you use (phone, branch, website, app…)? Why that one?",
                         "How did you feel at that moment?",
                         "What annoyed you or made things harder?",
                         "What pleased you or surprised you for the better?",
                         "What would you have expected from us at that point?"],
            "internal": ["How do customers experience this moment, in your view?",
                         "Through which channels do they come, and which would suit them better?",
                         "How do they feel, from what they tell you?",
                         "What annoys them most here? And what stops you from helping them?",
                         "What delights them when it goes well?",
                         "What do they expect from us that we do not do yet?"]},
        "closing_q": {
            "external": ["If you had a magic wand, what would you change first?",
                         "Would you recommend the company to someone close? Why?",
                         "Is there anything we have not covered? Thank them and explain what happens next."],
            "internal": ["What would be the first improvement to make for customers?",
                         "What would you like management to hear from this interview? Thank them."]},
    },
}


def _words(lang: str) -> dict:
    return TEXT["en" if lang == "en" else "fr"]


# ---------------------------------------------------------------- generating and editing

def generate_guide(db: sqlite_utils.Database, journey_id: int, lang: str = "fr", audience: str = "external",
                   *, name: str | None = None, total_minutes: int | None = 60) -> int:
    """A new draft guide with one section per step of the journey (branches included)."""
    if audience not in AUDIENCES:
        raise GuideError(f"Audience must be one of {', '.join(AUDIENCES)}.", key="guides.err.audience")
    if lang not in ("fr", "en"):
        raise GuideError("A guide is written in French or English.", key="guides.err.lang")
    journey = get_journey(db, journey_id)
    if not journey.steps:
        raise GuideError("This journey has no step yet.", key="guides.err.no_steps")
    w = _words(lang)
    sections = [Section("opening", w["opening"], list(w["opening_q"][audience]), 5)]
    for s in journey.steps:
        title = f"{s.macro_step_name} — {s.label}" if s.macro_step_name else s.label
        sections.append(Section("step", title, list(w["step_q"][audience]), 8 if s.is_moment_of_truth else 5,
                                step_id=s.id))
    sections.append(Section("closing", w["closing"], list(w["closing_q"][audience]), 5))
    if total_minutes:
        _fit_budget(sections, total_minutes)
    label = w["external"] if audience == "external" else w["internal"]
    now = now_iso()
    with db.atomic():
        gid = db["guides"].insert({"journey_id": journey_id, "name": name or f"{journey.name} ({label})",
                                   "lang": lang, "audience": audience, "created_at": now,
                                   "updated_at": now}).last_pk
        for i, sec in enumerate(sections, start=1):
            db["guide_sections"].insert({"guide_id": gid, "position": i, "kind": sec.kind, "step_id": sec.step_id,
                                         "title": sec.title, "questions": dumps(sec.questions),
                                         "minutes": sec.minutes})
    return gid


def _fit_budget(sections: list[Section], total: int) -> None:
    """Scale the step sections so the guide fits `total` minutes (opening and closing kept, 2 min floor)."""
    fixed = sum(s.minutes for s in sections if s.kind != "step")
    steps = [s for s in sections if s.kind == "step"]
    room = max(total - fixed, 2 * len(steps))
    weight = sum(s.minutes for s in steps) or 1
    for s in steps:
        s.minutes = max(2, round(s.minutes * room / weight))


def list_guides(db: sqlite_utils.Database, journey_id: int | None = None) -> list[Guide]:
    if "guides" not in db.table_names():
        return []
    where, params = ("journey_id = ?", [journey_id]) if journey_id is not None else (None, [])
    return [get_guide(db, r["id"]) for r in db["guides"].rows_where(where, params, order_by="id")]


def get_guide(db: sqlite_utils.Database, guide_id: int) -> Guide:
    try:
        r = db["guides"].get(guide_id)
    except sqlite_utils.db.NotFoundError:
        raise GuideError(f"No guide {guide_id}.", key="guides.err.not_found", id=guide_id) from None
    sections = [Section(kind=s["kind"], title=s["title"], questions=loads(s["questions"], []), minutes=s["minutes"],
                        step_id=s["step_id"], id=s["id"], position=s["position"])
                for s in db["guide_sections"].rows_where("guide_id = ?", [guide_id], order_by="position, id")]
    return Guide(r["id"], r["journey_id"], r["name"], r["lang"], r["audience"], sections)


def update_section(db: sqlite_utils.Database, section_id: int, *, title: str, questions: list[str],
                   minutes: int, based_on: str | None = None) -> None:
    title = " ".join((title or "").split())
    questions = [q.strip() for q in questions if q and q.strip()]
    if not title:
        raise GuideError("A section needs a title.", key="guides.err.title")
    if not questions:
        raise GuideError("A section needs at least one question.", key="guides.err.questions")
    if not (1 <= int(minutes) <= 180):
        raise GuideError("A section lasts between 1 and 180 minutes.", key="guides.err.minutes")
    try:
        sec = db["guide_sections"].get(section_id)
    except sqlite_utils.db.NotFoundError:
        raise GuideError("This section no longer exists.", key="guides.err.section") from None
    check_version(db, "guide_sections", section_id, based_on)
    db["guide_sections"].update(section_id, {"title": title, "questions": dumps(questions), "minutes": int(minutes)})
    db["guides"].update(sec["guide_id"], {"updated_at": now_iso()})


def rename_guide(db: sqlite_utils.Database, guide_id: int, name: str, *, based_on: str | None = None) -> None:
    name = " ".join((name or "").split())
    if not name:
        raise GuideError("A guide needs a name.", key="guides.err.name")
    get_guide(db, guide_id)
    check_version(db, "guides", guide_id, based_on)
    db["guides"].update(guide_id, {"name": name, "updated_at": now_iso()})


def delete_guide(db: sqlite_utils.Database, guide_id: int) -> None:
    used = interviews_using(db, guide_id)
    if used:
        raise GuideError("This guide was used in interviews; it is kept.", key="guides.err.in_use", count=used)
    with db.atomic():
        db["guide_versions"].delete_where("guide_id = ?", [guide_id])
        db["guide_sections"].delete_where("guide_id = ?", [guide_id])
        db["guides"].delete(guide_id)


# ---------------------------------------------------------------- versions

def _snapshot(guide: Guide) -> dict:
    return {"name": guide.name, "lang": guide.lang, "audience": guide.audience, "journey_id": guide.journey_id,
            "sections": [{"kind": s.kind, "title": s.title, "questions": s.questions, "minutes": s.minutes,
                          "step_id": s.step_id} for s in guide.sections]}


def freeze_guide(db: sqlite_utils.Database, guide_id: int) -> int:
    """Store the draft as a version (or return the latest one if nothing changed since)."""
    guide = get_guide(db, guide_id)
    snap = _snapshot(guide)
    digest = hashlib.sha256(json.dumps(snap, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    latest = list(db["guide_versions"].rows_where("guide_id = ?", [guide_id], order_by="number desc", limit=1))
    if latest and latest[0]["digest"] == digest:
        return latest[0]["id"]
    number = (latest[0]["number"] + 1) if latest else 1
    return db["guide_versions"].insert({"guide_id": guide_id, "number": number, "created_at": now_iso(),
                                        "digest": digest, "snapshot": dumps(snap)}).last_pk


def interviews_using(db: sqlite_utils.Database, guide_id: int) -> int:
    """How many interviews used one of this guide's versions."""
    if "interviews" not in db.table_names():
        return 0
    return db.execute("""SELECT count(*) FROM interviews WHERE guide_version_id IN
                         (SELECT id FROM guide_versions WHERE guide_id = ?)""", [guide_id]).fetchone()[0]


def list_versions(db: sqlite_utils.Database, guide_id: int) -> list[dict]:
    if "guide_versions" not in db.table_names():
        return []
    return [{"id": r["id"], "number": r["number"], "created_at": r["created_at"]}
            for r in db["guide_versions"].rows_where("guide_id = ?", [guide_id], order_by="number")]


def get_guide_version(db: sqlite_utils.Database, version_id: int) -> Guide:
    try:
        r = db["guide_versions"].get(version_id)
    except sqlite_utils.db.NotFoundError:
        raise GuideError(f"No guide version {version_id}.", key="guides.err.version", id=version_id) from None
    snap = loads(r["snapshot"], {})
    sections = [Section(kind=s["kind"], title=s["title"], questions=s["questions"], minutes=s["minutes"],
                        step_id=s.get("step_id"), position=i) for i, s in enumerate(snap.get("sections", []), 1)]
    return Guide(r["guide_id"], snap.get("journey_id"), snap.get("name", ""), snap.get("lang", "fr"),
                 snap.get("audience", "external"), sections, version=r["number"], frozen_at=r["created_at"])


# ---------------------------------------------------------------- exports

def _header_lines(guide: Guide, journey_name: str) -> list[tuple[str, str]]:
    w = _words(guide.lang)
    lines = [(w["journey"], journey_name), (w["audience"], w[guide.audience]), (w["total"], f"{guide.minutes} {w['minutes']}")]
    if guide.version:
        lines.append((w["version"], f"{guide.version} ({guide.frozen_at[:10]})"))
    return lines


def _journey_name(db, guide: Guide) -> str:
    if guide.journey_id is None:
        return ""
    try:
        return get_journey(db, guide.journey_id).name
    except DomainError:
        return ""


def guide_to_markdown(db: sqlite_utils.Database, guide: Guide) -> str:
    w = _words(guide.lang)
    out = [f"# {guide.name}", ""]
    out += [f"- **{k}** : {v}" if guide.lang == "fr" else f"- **{k}**: {v}" for k, v in _header_lines(guide, _journey_name(db, guide))]
    for i, s in enumerate(guide.sections, start=1):
        out += ["", f"## {i}. {s.title} ({s.minutes} {w['minutes']})", ""]
        out += [f"- {q}" for q in s.questions]
    return "\n".join(out) + "\n"


def guide_to_docx(db: sqlite_utils.Database, guide: Guide) -> bytes:
    from docx import Document
    from docx.shared import Pt

    w = _words(guide.lang)
    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(guide.name, level=0)
    for k, v in _header_lines(guide, _journey_name(db, guide)):
        p = doc.add_paragraph()
        p.add_run(f"{k} : " if guide.lang == "fr" else f"{k}: ").bold = True
        p.add_run(v)
    for i, s in enumerate(guide.sections, start=1):
        doc.add_heading(f"{i}. {s.title} ({s.minutes} {w['minutes']})", level=1)
        for q in s.questions:
            doc.add_paragraph(q, style="List Bullet")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def guide_to_html(db: sqlite_utils.Database, guide: Guide) -> str:
    """A print-ready page: A4, one section never split across pages, room for notes."""
    w = _words(guide.lang)
    e = html.escape
    head = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in _header_lines(guide, _journey_name(db, guide)))
    body = []
    for i, s in enumerate(guide.sections, start=1):
        qs = "".join(f"<li>{e(q)}</li>" for q in s.questions)
        body.append(f'<section class="{e(s.kind)}"><h2><span>{i}.</span> {e(s.title)}'
                    f'<small>{s.minutes} {w["minutes"]}</small></h2><ul>{qs}</ul><div class="notes"></div></section>')
    return f"""<!doctype html>
<html lang="{guide.lang}"><head><meta charset="utf-8"><title>{e(guide.name)}</title>
<style>
@page {{ size: A4; margin: 18mm 16mm; }}
body {{ font-family: "Source Sans Pro", Helvetica, Arial, sans-serif; color: #1d2b36; line-height: 1.45; max-width: 48rem; margin: 2rem auto; }}
h1 {{ color: #1f6f78; font-size: 1.7rem; margin-bottom: .4rem; }}
dl {{ display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; color: #4a5a66; margin: 0 0 1.5rem; }}
dt {{ font-weight: 600; }} dd {{ margin: 0; }}
section {{ break-inside: avoid; border-top: 2px solid #1f6f78; padding-top: .4rem; margin-bottom: 1.2rem; }}
section.opening, section.closing {{ border-top-color: #9aa9b3; }}
h2 {{ font-size: 1.1rem; display: flex; gap: .4rem; align-items: baseline; margin: .2rem 0 .4rem; }}
h2 span {{ color: #1f6f78; }} h2 small {{ margin-left: auto; font-weight: 400; color: #6b7b86; }}
.notes {{ height: 3.2rem; border-bottom: 1px dotted #b8c4cc; }}
@media print {{ body {{ margin: 0; }} }}
</style></head><body><h1>{e(guide.name)}</h1><dl>{head}</dl>{''.join(body)}</body></html>
"""


def export_guide(db: sqlite_utils.Database, guide: Guide, fmt: str) -> bytes:
    if fmt in ("md", "markdown"):
        return guide_to_markdown(db, guide).encode("utf-8")
    if fmt == "docx":
        return guide_to_docx(db, guide)
    if fmt == "html":
        return guide_to_html(db, guide).encode("utf-8")
    raise GuideError(f"Unknown export format {fmt!r} (md, docx, html).", key="guides.err.format", format=fmt)


def guide_as_dict(guide: Guide) -> dict:
    return asdict(guide)
