"""Customer journeys as the customer lives them, and the step × channel touchpoint matrix.

A journey is a list of ordered macro-steps (before / during / after...), each holding ordered
steps written in the customer's own voice ("Je compare les garanties", "I send my bill"). A step
may be an alternative branch of another ("I am not interested", "I am unhappy"), and may be
flagged as a moment of truth. The study's channels (phone, branch, app...) cross the steps in
the touchpoint matrix, each cell qualified: present / missing / redundant, who initiates it,
volume, satisfaction from 1 to 5, and whether the journey breaks there.

Tables: journeys, journey_macro_steps, journey_steps, channels, touchpoints.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import sqlite_utils

from research.errors import DomainError
from research.store import ConflictError, Migrations, check_version, now_iso

migrations = Migrations("journeys")

PRESENCE = ("present", "missing", "redundant")
INITIATED_BY = ("customer", "company")
BRANCH_KINDS = ("not_interested", "unhappy", "other")


class JourneyError(DomainError):
    pass


@migrations()
def m001_journeys(db: sqlite_utils.Database) -> None:
    db["journeys"].create({"id": int, "name": str, "description": str, "lang": str,
                           "created_at": str, "updated_at": str}, pk="id", not_null={"name"})
    db["journey_macro_steps"].create({"id": int, "journey_id": int, "position": int, "name": str},
                                     pk="id", foreign_keys=[("journey_id", "journeys", "id")],
                                     not_null={"name", "journey_id"})
    db["journey_steps"].create(
        {"id": int, "journey_id": int, "macro_step_id": int, "position": int, "label": str,
         "description": str, "is_moment_of_truth": int, "branch_of": int, "branch_kind": str},
        pk="id", not_null={"label", "journey_id", "macro_step_id"},
        foreign_keys=[("journey_id", "journeys", "id"), ("macro_step_id", "journey_macro_steps", "id"),
                      ("branch_of", "journey_steps", "id")])
    db["channels"].create({"id": int, "name": str, "kind": str, "position": int}, pk="id", not_null={"name"})
    db["channels"].create_index(["name"], unique=True)
    db["touchpoints"].create(
        {"step_id": int, "channel_id": int, "presence": str, "initiated_by": str, "volume": int,
         "satisfaction": int, "is_break": int, "note": str},
        pk=("step_id", "channel_id"),
        foreign_keys=[("step_id", "journey_steps", "id"), ("channel_id", "channels", "id")])
    db["journey_macro_steps"].create_index(["journey_id", "position"])
    db["journey_steps"].create_index(["macro_step_id", "position"])


# ---------------------------------------------------------------- records

@dataclass
class Step:
    id: int
    journey_id: int
    macro_step_id: int
    position: int
    label: str
    description: str = ""
    is_moment_of_truth: bool = False
    branch_of: int | None = None
    branch_kind: str | None = None
    macro_step_name: str = ""
    order: int = 0  # rank along the whole journey, 1-based


@dataclass
class MacroStep:
    id: int
    name: str
    position: int
    steps: list[Step] = field(default_factory=list)


@dataclass
class Journey:
    id: int
    name: str
    description: str = ""
    lang: str = "fr"
    macro_steps: list[MacroStep] = field(default_factory=list)

    @property
    def steps(self) -> list[Step]:
        return [s for m in self.macro_steps for s in m.steps]


@dataclass
class Channel:
    id: int
    name: str
    kind: str = ""
    position: int = 0


@dataclass
class Touchpoint:
    step_id: int
    channel_id: int
    presence: str | None = None
    initiated_by: str | None = None
    volume: int | None = None
    satisfaction: int | None = None
    is_break: bool = False
    note: str = ""


# ---------------------------------------------------------------- the customer's voice

_FR_FIRST_PERSON = re.compile(r"(^|[\s(])[jm]['’]|(^|[\s'’(])(je|me|moi|mon|ma|mes|on|nous|notre|nos)"
                              r"(?=[\s'’,.!?)]|$)", re.I)
_EN_FIRST_PERSON = re.compile(r"\b(i|i'm|i've|i'd|me|my|mine|we|our|us)\b", re.I)
_FR_COMPANY = re.compile(r"^(envoi|réception|traitement|validation|gestion|émission|édition|instruction|"
                         r"contrôle|vérification|relance|souscription|paiement|remboursement|clôture|"
                         r"enregistrement|saisie|mise en place|prise en charge)\b|\b(le client|l['’]adhérent|"
                         r"l['’]assuré|le prospect|nous envoyons|nous traitons)\b", re.I)
_EN_COMPANY = re.compile(r"^(processing|validation|handling|issuing|sending|dispatch|onboarding|"
                         r"registration|verification|settlement|payment|closure)\b|\b(the customer|the client|"
                         r"the member|we send|we process)\b", re.I)


def voice_warning(label: str, lang: str = "fr") -> str | None:
    """A translation key when a step reads like the company's process instead of the customer's voice.

    A warning, never a block: the researcher may have reasons.
    """
    text = (label or "").strip()
    if not text:
        return None
    first, company = (_EN_FIRST_PERSON, _EN_COMPANY) if lang == "en" else (_FR_FIRST_PERSON, _FR_COMPANY)
    if company.search(text):
        return "journeys.voice.company"
    if not first.search(text):
        return "journeys.voice.not_first_person"
    return None


# ---------------------------------------------------------------- reading

def list_journeys(db: sqlite_utils.Database) -> list[Journey]:
    if "journeys" not in db.table_names():
        return []
    return [Journey(r["id"], r["name"], r["description"] or "", r["lang"] or "fr")
            for r in db["journeys"].rows_where(order_by="id")]


def get_journey(db: sqlite_utils.Database, journey_id: int) -> Journey:
    try:
        r = db["journeys"].get(journey_id)
    except sqlite_utils.db.NotFoundError:
        raise JourneyError(f"No journey {journey_id}.", key="journeys.err.not_found", id=journey_id) from None
    journey = Journey(r["id"], r["name"], r["description"] or "", r["lang"] or "fr")
    macros = {m["id"]: MacroStep(m["id"], m["name"], m["position"])
              for m in db["journey_macro_steps"].rows_where("journey_id = ?", [journey_id], order_by="position, id")}
    order = 0
    steps = list(db["journey_steps"].rows_where("journey_id = ?", [journey_id], order_by="position, id"))
    for macro in macros.values():
        for s in steps:
            if s["macro_step_id"] == macro.id:
                order += 1
                macro.steps.append(_step(s, macro.name, order))
    journey.macro_steps = list(macros.values())
    return journey


def _step(r: dict, macro_name: str = "", order: int = 0) -> Step:
    return Step(id=r["id"], journey_id=r["journey_id"], macro_step_id=r["macro_step_id"], position=r["position"],
                label=r["label"], description=r["description"] or "", is_moment_of_truth=bool(r["is_moment_of_truth"]),
                branch_of=r["branch_of"], branch_kind=r["branch_kind"], macro_step_name=macro_name, order=order)


def list_steps(db: sqlite_utils.Database, journey_id: int | None = None) -> list[Step]:
    """Every step, flat and in journey order, with its macro-step's name."""
    if "journey_steps" not in db.table_names():
        return []
    ids = [journey_id] if journey_id is not None else [j.id for j in list_journeys(db)]
    return [s for jid in ids for s in get_journey(db, jid).steps]


def get_step(db: sqlite_utils.Database, step_id: int) -> Step:
    try:
        return _step(db["journey_steps"].get(step_id))
    except sqlite_utils.db.NotFoundError:
        raise JourneyError(f"No step {step_id}.", key="journeys.err.step_not_found", id=step_id) from None


def list_channels(db: sqlite_utils.Database) -> list[Channel]:
    if "channels" not in db.table_names():
        return []
    return [Channel(r["id"], r["name"], r["kind"] or "", r["position"] or 0)
            for r in db["channels"].rows_where(order_by="position, id")]


# ---------------------------------------------------------------- writing

def _clean(label: str, what: str) -> str:
    text = " ".join((label or "").split())
    if not text:
        raise JourneyError(f"The {what} needs a name.", key="journeys.err.empty", what=what)
    if len(text) > 200:
        raise JourneyError(f"The {what} is too long (200 characters at most).", key="journeys.err.too_long", what=what)
    return text


def create_journey(db: sqlite_utils.Database, name: str, description: str = "", lang: str = "fr") -> int:
    name = _clean(name, "journey")
    if db["journeys"].count_where("lower(name) = lower(?)", [name]):
        raise JourneyError(f"A journey named {name!r} exists already.", key="journeys.err.duplicate_journey", name=name)
    now = now_iso()
    return db["journeys"].insert({"name": name, "description": description.strip(), "lang": lang,
                                  "created_at": now, "updated_at": now}).last_pk


def rename_journey(db: sqlite_utils.Database, journey_id: int, name: str, description: str | None = None, *,
                   based_on: str | None = None) -> None:
    """Rename a journey; `based_on` is the `row_version` the editor loaded (ConflictError if it changed)."""
    name = _clean(name, "journey")
    get_journey(db, journey_id)
    check_version(db, "journeys", journey_id, based_on)
    if db["journeys"].count_where("lower(name) = lower(?) AND id != ?", [name, journey_id]):
        raise JourneyError(f"A journey named {name!r} exists already.", key="journeys.err.duplicate_journey", name=name)
    changes = {"name": name, "updated_at": now_iso()}
    if description is not None:
        changes["description"] = description.strip()
    db["journeys"].update(journey_id, changes)


def _touch(db, journey_id: int) -> None:
    db["journeys"].update(journey_id, {"updated_at": now_iso()})


def add_macro_step(db: sqlite_utils.Database, journey_id: int, name: str) -> int:
    name = _clean(name, "macro-step")
    get_journey(db, journey_id)
    pos = db.execute("SELECT coalesce(max(position), 0) + 1 FROM journey_macro_steps WHERE journey_id = ?",
                     [journey_id]).fetchone()[0]
    _touch(db, journey_id)
    return db["journey_macro_steps"].insert({"journey_id": journey_id, "position": pos, "name": name}).last_pk


def _macro_row(db: sqlite_utils.Database, macro_step_id: int) -> dict:
    try:
        return db["journey_macro_steps"].get(macro_step_id)
    except sqlite_utils.db.NotFoundError:
        raise JourneyError(f"No macro-step {macro_step_id}.", key="journeys.err.macro_not_found") from None


def rename_macro_step(db: sqlite_utils.Database, macro_step_id: int, name: str, *, based_on: str | None = None) -> None:
    """The journey is touched too, as by every other edit of its steps: its update time says when it last changed."""
    name = _clean(name, "macro-step")
    macro = _macro_row(db, macro_step_id)
    check_version(db, "journey_macro_steps", macro_step_id, based_on)
    with db.atomic():
        db["journey_macro_steps"].update(macro_step_id, {"name": name})
        _touch(db, macro["journey_id"])


def add_step(db: sqlite_utils.Database, macro_step_id: int, label: str, *, description: str = "",
             is_moment_of_truth: bool = False, branch_of: int | None = None, branch_kind: str | None = None,
             position: int | None = None) -> int:
    label = _clean(label, "step")
    macro = _macro_row(db, macro_step_id)
    _check_unique_label(db, macro_step_id, label)
    if branch_kind is not None and branch_kind not in BRANCH_KINDS:
        raise JourneyError(f"Unknown branch kind {branch_kind!r}.", key="journeys.err.branch_kind")
    if branch_of is not None:
        base = get_step(db, branch_of)
        if base.journey_id != macro["journey_id"]:
            raise JourneyError("A branch belongs to a step of the same journey.", key="journeys.err.branch_journey")
        branch_kind = branch_kind or "other"
    with db.atomic():
        if position is None:
            position = db.execute("SELECT coalesce(max(position), 0) + 1 FROM journey_steps WHERE macro_step_id = ?",
                                  [macro_step_id]).fetchone()[0]
        else:
            db.execute("UPDATE journey_steps SET position = position + 1 WHERE macro_step_id = ? AND position >= ?",
                       [macro_step_id, position])
        step_id = db["journey_steps"].insert({
            "journey_id": macro["journey_id"], "macro_step_id": macro_step_id, "position": position,
            "label": label, "description": description.strip(), "is_moment_of_truth": int(is_moment_of_truth),
            "branch_of": branch_of, "branch_kind": branch_kind if branch_of is not None else None}).last_pk
        _touch(db, macro["journey_id"])
    return step_id


def _check_unique_label(db, macro_step_id: int, label: str, except_id: int | None = None) -> None:
    where = "macro_step_id = ? AND lower(label) = lower(?)" + (" AND id != ?" if except_id else "")
    params = [macro_step_id, label] + ([except_id] if except_id else [])
    if db["journey_steps"].count_where(where, params):
        raise JourneyError(f"The step {label!r} is already in this macro-step.", key="journeys.err.duplicate_step",
                           label=label)


def update_step(db: sqlite_utils.Database, step_id: int, *, label: str | None = None, description: str | None = None,
                is_moment_of_truth: bool | None = None, branch_kind: str | None = None,
                based_on: str | None = None) -> None:
    step = get_step(db, step_id)
    check_version(db, "journey_steps", step_id, based_on)
    changes: dict = {}
    if label is not None:
        label = _clean(label, "step")
        _check_unique_label(db, step.macro_step_id, label, except_id=step_id)
        changes["label"] = label
    if description is not None:
        changes["description"] = description.strip()
    if is_moment_of_truth is not None:
        changes["is_moment_of_truth"] = int(is_moment_of_truth)
    if branch_kind is not None and step.branch_of is not None:
        if branch_kind not in BRANCH_KINDS:
            raise JourneyError(f"Unknown branch kind {branch_kind!r}.", key="journeys.err.branch_kind")
        changes["branch_kind"] = branch_kind
    if changes:
        db["journey_steps"].update(step_id, changes)
        _touch(db, step.journey_id)


def delete_step(db: sqlite_utils.Database, step_id: int) -> None:
    """Remove a step, its branches and its touchpoints; utterances linked to it lose the link."""
    step = get_step(db, step_id)
    with db.atomic():
        ids = [step_id] + [r["id"] for r in db["journey_steps"].rows_where("branch_of = ?", [step_id])]
        for sid in ids:
            db["touchpoints"].delete_where("step_id = ?", [sid])
            for table in ("utterances", "guide_sections"):
                if table in db.table_names() and "step_id" in db[table].columns_dict:
                    db.execute(f"UPDATE {table} SET step_id = NULL WHERE step_id = ?", [sid])
        for sid in reversed(ids):
            db["journey_steps"].delete(sid)
        _renumber(db, "journey_steps", "macro_step_id", step.macro_step_id)
        _touch(db, step.journey_id)


def _renumber(db, table: str, parent_col: str, parent_id: int) -> None:
    rows = list(db[table].rows_where(f"{parent_col} = ?", [parent_id], order_by="position, id"))
    for i, r in enumerate(rows, start=1):
        if r["position"] != i:
            db[table].update(r["id"], {"position": i})


def move_step(db: sqlite_utils.Database, step_id: int, delta: int) -> None:
    """Move a step up (delta < 0) or down within its macro-step."""
    step = get_step(db, step_id)
    _move(db, "journey_steps", "macro_step_id", step.macro_step_id, step_id, delta)
    _touch(db, step.journey_id)


def move_macro_step(db: sqlite_utils.Database, macro_step_id: int, delta: int) -> None:
    """The journey is touched too, as by every other edit of its steps: its update time says when it last changed."""
    macro = _macro_row(db, macro_step_id)
    with db.atomic():
        _move(db, "journey_macro_steps", "journey_id", macro["journey_id"], macro_step_id, delta)
        _touch(db, macro["journey_id"])


def _move(db, table: str, parent_col: str, parent_id: int, item_id: int, delta: int) -> None:
    with db.atomic():
        _renumber(db, table, parent_col, parent_id)
        ids = [r["id"] for r in db[table].rows_where(f"{parent_col} = ?", [parent_id], order_by="position, id")]
        i = ids.index(item_id)
        j = max(0, min(len(ids) - 1, i + delta))
        ids.insert(j, ids.pop(i))
        for pos, rid in enumerate(ids, start=1):
            db[table].update(rid, {"position": pos})


def duplicate_journey(db: sqlite_utils.Database, journey_id: int, name: str) -> int:
    """A copy with its macro-steps, steps, branches and touchpoints, under a new name."""
    source = get_journey(db, journey_id)
    with db.atomic():
        new_id = create_journey(db, name, source.description, source.lang)
        step_map: dict[int, int] = {}
        pending_branches = []
        for macro in source.macro_steps:
            mid = add_macro_step(db, new_id, macro.name)
            for s in macro.steps:
                sid = db["journey_steps"].insert({
                    "journey_id": new_id, "macro_step_id": mid, "position": s.position, "label": s.label,
                    "description": s.description, "is_moment_of_truth": int(s.is_moment_of_truth),
                    "branch_of": None, "branch_kind": s.branch_kind}).last_pk
                step_map[s.id] = sid
                if s.branch_of is not None:
                    pending_branches.append((sid, s.branch_of))
        for sid, base in pending_branches:
            db["journey_steps"].update(sid, {"branch_of": step_map.get(base)})
        for tp in db["touchpoints"].rows_where(
                f"step_id IN ({','.join('?' * len(step_map))})", list(step_map)) if step_map else []:
            db["touchpoints"].insert({**tp, "step_id": step_map[tp["step_id"]]})
    return new_id


def delete_journey(db: sqlite_utils.Database, journey_id: int) -> None:
    journey = get_journey(db, journey_id)
    with db.atomic():
        for s in journey.steps:
            db["touchpoints"].delete_where("step_id = ?", [s.id])
            for table in ("utterances", "guide_sections"):
                if table in db.table_names() and "step_id" in db[table].columns_dict:
                    db.execute(f"UPDATE {table} SET step_id = NULL WHERE step_id = ?", [s.id])
        db.execute("UPDATE journey_steps SET branch_of = NULL WHERE journey_id = ?", [journey_id])
        db["journey_steps"].delete_where("journey_id = ?", [journey_id])
        db["journey_macro_steps"].delete_where("journey_id = ?", [journey_id])
        db["journeys"].delete(journey_id)


# ---------------------------------------------------------------- templates

TEMPLATES = {
    "purchase": {
        "fr": [("Avant l'achat", ["Je ressens un besoin", "Je m'informe et je compare", "Je demande conseil"]),
               ("L'achat", ["Je choisis mon offre", "Je souscris ou j'achète", "Je reçois la confirmation"]),
               ("Après l'achat", ["J'utilise le produit ou le service", "Je pose une question",
                                  "Je fais part d'un problème", "Je renouvelle ou je pars"])],
        "en": [("Before buying", ["I feel a need", "I look around and compare", "I ask for advice"]),
               ("Buying", ["I choose my offer", "I sign up or buy", "I get the confirmation"]),
               ("After buying", ["I use the product or service", "I ask a question", "I report a problem",
                                 "I renew or I leave"])],
    },
    "claim": {
        "fr": [("Le problème", ["Il m'arrive quelque chose", "Je cherche qui contacter"]),
               ("La demande", ["Je déclare ma demande", "J'envoie mes justificatifs"]),
               ("Le suivi", ["Je suis l'avancement", "Je relance"]),
               ("Le dénouement", ["Je reçois la réponse", "Je suis indemnisé ou je conteste"])],
        "en": [("The problem", ["Something happens to me", "I look for whom to contact"]),
               ("The request", ["I file my request", "I send my documents"]),
               ("Follow-up", ["I track progress", "I chase them"]),
               ("The outcome", ["I get the answer", "I am paid or I dispute it"])],
    },
}


def create_from_template(db: sqlite_utils.Database, template: str, name: str, lang: str = "fr") -> int:
    if template not in TEMPLATES:
        raise JourneyError(f"Unknown template {template!r}.", key="journeys.err.template")
    with db.atomic():
        jid = create_journey(db, name, lang=lang)
        for macro_name, labels in TEMPLATES[template][lang if lang in ("fr", "en") else "fr"]:
            mid = add_macro_step(db, jid, macro_name)
            for label in labels:
                add_step(db, mid, label)
    return jid


# ---------------------------------------------------------------- channels and touchpoints

def add_channel(db: sqlite_utils.Database, name: str, kind: str = "") -> int:
    name = _clean(name, "channel")
    existing = list(db["channels"].rows_where("lower(name) = lower(?)", [name]))
    if existing:
        raise JourneyError(f"The channel {name!r} exists already.", key="journeys.err.duplicate_channel", name=name)
    pos = db.execute("SELECT coalesce(max(position), 0) + 1 FROM channels").fetchone()[0]
    return db["channels"].insert({"name": name, "kind": kind, "position": pos}).last_pk


def set_touchpoint(db: sqlite_utils.Database, step_id: int, channel_id: int, *, presence: str | None = None,
                   initiated_by: str | None = None, volume: int | None = None, satisfaction: int | None = None,
                   is_break: bool = False, note: str = "") -> None:
    """Qualify one cell of the matrix (all fields at once); an all-empty cell is removed."""
    get_step(db, step_id)
    if presence not in (None, *PRESENCE):
        raise JourneyError(f"Presence must be one of {', '.join(PRESENCE)}.", key="journeys.err.presence")
    if initiated_by not in (None, *INITIATED_BY):
        raise JourneyError("Initiated by the customer or the company.", key="journeys.err.initiated_by")
    if satisfaction is not None and not (1 <= int(satisfaction) <= 5):
        raise JourneyError("Satisfaction goes from 1 to 5.", key="journeys.err.satisfaction", value=satisfaction)
    if volume is not None and int(volume) < 0:
        raise JourneyError("A volume cannot be negative.", key="journeys.err.volume")
    row = {"step_id": step_id, "channel_id": channel_id, "presence": presence, "initiated_by": initiated_by,
           "volume": None if volume is None else int(volume),
           "satisfaction": None if satisfaction is None else int(satisfaction),
           "is_break": int(bool(is_break)), "note": (note or "").strip()}
    if presence is None and initiated_by is None and volume is None and satisfaction is None \
            and not is_break and not row["note"]:
        db["touchpoints"].delete_where("step_id = ? AND channel_id = ?", [step_id, channel_id])
        return
    db["touchpoints"].upsert(row, pk=("step_id", "channel_id"))


def touchpoints_version(db: sqlite_utils.Database, journey_id: int) -> str:
    """A fingerprint of a journey's whole touchpoint matrix (the grid is saved as one edit)."""
    rows = db.execute("""SELECT t.* FROM touchpoints t JOIN journey_steps s ON s.id = t.step_id
                         WHERE s.journey_id = ? ORDER BY t.step_id, t.channel_id""", [journey_id]).fetchall()
    return hashlib.sha1(repr(rows).encode("utf-8")).hexdigest()[:16]


def set_touchpoints(db: sqlite_utils.Database, cells: list[dict], *, journey_id: int | None = None,
                    based_on: str | None = None) -> None:
    """Qualify several cells at once (the grid's save): all of them, or none if one is wrong; with
    `based_on` (the `touchpoints_version` the grid was loaded with), none if someone saved meanwhile."""
    if based_on is not None and journey_id is not None and based_on != touchpoints_version(db, journey_id):
        raise ConflictError("Someone else saved this matrix meanwhile; reload it.", key="store.err.conflict")
    with db.atomic():
        for c in cells:
            set_touchpoint(db, int(c["step_id"]), int(c["channel_id"]), presence=c.get("presence"),
                           initiated_by=c.get("initiated_by"), volume=c.get("volume"),
                           satisfaction=c.get("satisfaction"), is_break=bool(c.get("is_break")),
                           note=c.get("note") or "")


def touchpoints(db: sqlite_utils.Database, journey_id: int) -> dict[tuple[int, int], Touchpoint]:
    out = {}
    for r in db.execute("""SELECT t.* FROM touchpoints t JOIN journey_steps s ON s.id = t.step_id
                           WHERE s.journey_id = ?""", [journey_id]).fetchall():
        step_id, channel_id, presence, initiated_by, volume, satisfaction, is_break, note = r
        out[(step_id, channel_id)] = Touchpoint(step_id, channel_id, presence, initiated_by, volume, satisfaction,
                                                bool(is_break), note or "")
    return out


def touchpoint_matrix(db: sqlite_utils.Database, journey_id: int) -> list[dict]:
    """One row per step × channel (empty cells included), in journey then channel order."""
    journey = get_journey(db, journey_id)
    cells = touchpoints(db, journey_id)
    rows = []
    for s in journey.steps:
        for c in list_channels(db):
            tp = cells.get((s.id, c.id))
            rows.append({"step_id": s.id, "step": s.label, "step_order": s.order, "macro_step": s.macro_step_name,
                         "moment_of_truth": s.is_moment_of_truth, "channel_id": c.id, "channel": c.name,
                         "presence": tp.presence if tp else None, "initiated_by": tp.initiated_by if tp else None,
                         "volume": tp.volume if tp else None, "satisfaction": tp.satisfaction if tp else None,
                         "is_break": tp.is_break if tp else False, "note": tp.note if tp else ""})
    return rows
