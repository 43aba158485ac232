"""Read the stored analysis as synthesis records, and keep the researcher's corrections.

The analysis engine (`research.nlp`) stores one code per utterance and per run; this module joins
the latest run with the interviews, participants, personas, journey steps and channels into
`CodedUtterance` records for `research.synthesis`, in one query.

The researcher's corrections live in this module's own tables and are applied on top of whatever
the machine says, so they survive every re-run:

- a **label review** pins an utterance's label (irritant / enchantment / neutral) and remembers what
  the machine had said at that moment (the agreement and Cohen's kappa are computed on those
  pairs), and the reviews are handed to the pipeline as training examples (`coded_examples`);
- a **researcher theme** is a theme the researcher named, merged or split; utterances are pinned to
  it one by one, and machine themes can be folded into it whole (`theme_folds`), so that the
  utterances a re-run puts in a folded machine theme follow.
"""
from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import sqlite_utils

from research import team_codes
from research.errors import DomainError
from research.folding import printable
from research.store import Migrations, now_iso
from research.quoting import each_in_turn
from research.synthesis import LABELS, Archetype, CodedUtterance, Trait, ranked

migrations = Migrations("synthesis")


class SynthesisError(DomainError):
    pass


@migrations()
def m001_corrections(db: sqlite_utils.Database) -> None:
    db["synthesis_label_reviews"].create(
        {"utterance_id": int, "label": str, "machine_label": str, "reviewed_at": str, "author": str},
        pk="utterance_id",
    )
    db["synthesis_themes"].create(
        {"key": str, "label": str, "created_at": str, "updated_at": str}, pk="key",
    )
    db["synthesis_theme_pins"].create(
        {"utterance_id": int, "theme_key": str, "pinned_at": str}, pk="utterance_id",
        foreign_keys=[("theme_key", "synthesis_themes", "key")],
    )
    db["synthesis_theme_folds"].create(
        {"machine_theme": str, "theme_key": str, "folded_at": str}, pk="machine_theme",
        foreign_keys=[("theme_key", "synthesis_themes", "key")],
    )
    db["synthesis_theme_pins"].create_index(["theme_key"])


@migrations()
def m002_pins_say_whether_the_researcher_moved_the_utterance(db: sqlite_utils.Database) -> None:
    """A pin made by renaming or merging a whole theme is not a correction of that utterance."""
    db["synthesis_theme_pins"].add_column("manual", int, not_null_default=1)


# ---------------------------------------------------------------- where the other modules store things
# The tables of the researcher workflow (journeys, participants, interviews, utterances) and of
# the analysis engine, named once. Optional columns are looked up, so a missing one reads as NULL.
T_UTTERANCES, T_PARTICIPANTS, T_PERSONAS = "utterances", "participants", "personas"
T_INTERVIEWS, T_STEPS, T_JOURNEYS, T_CHANNELS = "interviews", "journey_steps", "journeys", "channels"
T_RUNS, T_CODES, T_THEMES = "analysis_runs", "analysis_codes", "analysis_themes"
REQUIRED = (T_UTTERANCES, T_PARTICIPANTS, T_RUNS, T_CODES)


def _columns(db: sqlite_utils.Database, table: str) -> set[str]:
    return set(db[table].columns_dict) if table in db.table_names() else set()


def _pick(cols: set[str], alias: str, *names: str, default: str = "NULL") -> str:
    for name in names:
        if name in cols:
            return f"{alias}.{name}"
    return default


def latest_run(db: sqlite_utils.Database) -> dict | None:
    """The most recent finished analysis run, or None."""
    if T_RUNS not in db.table_names():
        return None
    cols = _columns(db, T_RUNS)
    where = "finished_at IS NOT NULL" if "finished_at" in cols else None
    if "status" in cols:
        where = "status IN ('done', 'finished', 'complete', 'completed', 'ok')"
    rows = list(db[T_RUNS].rows_where(where, order_by="id desc", limit=1))
    return rows[0] if rows else None


def analysis_ready(db: sqlite_utils.Database) -> bool:
    """True once an analysis has stored coded utterances in this workspace."""
    tables = set(db.table_names())
    return all(t in tables for t in REQUIRED) and latest_run(db) is not None


def stamp(db: sqlite_utils.Database) -> str:
    """A short text that changes whenever the stored analysis or a correction changes (cache key)."""
    if not analysis_ready(db):
        return "none"
    run = latest_run(db)
    parts = [str(run["id"]), str(run.get("finished_at") or "")]
    for table, col in (("synthesis_label_reviews", "reviewed_at"), ("synthesis_themes", "updated_at"),
                       ("synthesis_theme_pins", "pinned_at"), ("synthesis_theme_folds", "folded_at")):
        row = db.execute(f"SELECT count(*), max({col}) FROM {table}").fetchone()
        parts.append(f"{row[0]}:{row[1]}")
    parts.extend(team_codes.stamp_parts(db))
    if "updated_at" in _columns(db, T_JOURNEYS):  # steps moved or renamed in the journey editor
        parts.append(str(db.execute(f"SELECT max(updated_at) FROM {T_JOURNEYS}").fetchone()[0]))
    parts.append(_live_rows_stamp(db))
    return "|".join(parts)


# what the synthesis reads afresh at each load besides the analysis and the corrections: who is under
# which persona and the personas' names, the journeys' macro-steps and steps (names, order, moments of
# truth). Their rows themselves go into the cache key: update times are kept to the second, and two
# edits within one second would leave the pages showing the first.
LIVE_ROWS = ((T_PARTICIPANTS, ("id", "kind", "persona_id")), (T_PERSONAS, ("id", "name")),
             ("journey_macro_steps", ("id", "journey_id", "position", "name")),
             (T_STEPS, ("id", "macro_step_id", "position", "label", "is_moment_of_truth")))


def _live_rows_stamp(db: sqlite_utils.Database) -> str:
    h = hashlib.sha1()
    for table, cols in LIVE_ROWS:
        have = [c for c in cols if c in _columns(db, table)]
        if have:
            h.update(table.encode())
            for row in db.execute(f"SELECT {', '.join(have)} FROM {table} ORDER BY id"):
                h.update(repr(row).encode("utf-8"))
    return h.hexdigest()[:12]


def step_order(db: sqlite_utils.Database) -> dict[int, int]:
    """Each step's rank along its journey, from 1, as the journey editor numbers them (macro-steps in
    their order, then steps in theirs). A step's own position counts within its macro-step ("Je me
    soigne" is first of "Le soin", "J'envoie ma facture" first of "La demande")."""
    from research import journeys

    return {step.id: step.order for step in journeys.list_steps(db)}


def _machine_query(db: sqlite_utils.Database, run_id) -> tuple[str, list]:
    u, p, c = _columns(db, T_UTTERANCES), _columns(db, T_PARTICIPANTS), _columns(db, T_CODES)
    s, j, per = _columns(db, T_STEPS), _columns(db, T_JOURNEYS), _columns(db, T_PERSONAS)
    th, ch = _columns(db, T_THEMES), _columns(db, T_CHANNELS)
    joins = [f"JOIN {T_CODES} c ON c.utterance_id = u.id"
             + (" AND c.run_id = ?" if "run_id" in c else ""),
             f"JOIN {T_PARTICIPANTS} p ON p.id = u.participant_id"]
    step_expr = _pick(c, "c", "step_id", default=_pick(u, "u", "step_id"))
    if u and "step_id" in c and "step_id" in u:
        step_expr = "coalesce(u.step_id, c.step_id)"  # a step set by the researcher wins
    if s:
        joins.append(f"LEFT JOIN {T_STEPS} s ON s.id = {step_expr}")
    if j and s:
        joins.append(f"LEFT JOIN {T_JOURNEYS} j ON j.id = s.journey_id")
    if per:
        joins.append(f"LEFT JOIN {T_PERSONAS} per ON per.id = p.persona_id")
    theme_label = _pick(c, "c", "theme_label")
    if th and "theme_id" in c:
        joins.append(f"LEFT JOIN {T_THEMES} th ON th.id = c.theme_id"
                     + (" AND th.run_id = c.run_id" if "run_id" in th and "run_id" in c else ""))
        theme_label = f"coalesce({_pick(th, 'th', 'label', 'name')}, {theme_label})"
    channel = _pick(c, "c", "channel", default=_pick(u, "u", "channel"))
    if ch and "channel_id" in c:
        joins.append(f"LEFT JOIN {T_CHANNELS} chn ON chn.id = c.channel_id")
        channel = _pick(ch, "chn", "name", "label")
    elif ch and "channel_id" in u:
        joins.append(f"LEFT JOIN {T_CHANNELS} chn ON chn.id = u.channel_id")
        channel = _pick(ch, "chn", "name", "label")
    sql = f"""
    SELECT u.id AS utterance_id, u.text AS text, c.label AS label,
      {_pick(c, 'c', 'confidence', default='0')} AS confidence,
      {_pick(c, 'c', 'intensity', default='NULL')} AS intensity,
      {_pick(c, 'c', 'expectation', default='0')} AS expectation,
      {_pick(c, 'c', 'theme_id', 'theme')} AS theme_id, {theme_label} AS theme_label,
      {_pick(c, 'c', 'dimension')} AS dimension,
      {step_expr if s else 'NULL'} AS step_id,
      {_pick(s, 's', 'name', 'label', 'title', default="''")} AS step_label,
      {_pick(s, 's', 'position', 'rank', default='0')} AS step_position,
      {_pick(s, 's', 'moment_of_truth', 'is_moment_of_truth', default='0')} AS moment_of_truth,
      {_pick(s, 's', 'journey_id')} AS journey_id,
      {_pick(j, 'j', 'name', 'title', default="''") if (j and s) else "''"} AS journey_name,
      p.persona_id AS persona_id, {_pick(per, 'per', 'name', default="''")} AS persona_name,
      {channel} AS channel, {_pick(p, 'p', 'kind', default="'customer'")} AS participant_kind,
      u.interview_id AS interview_id, u.participant_id AS participant_id,
      {_pick(p, 'p', 'code', 'pseudonym', default="''")} AS participant_code,
      {_pick(u, 'u', 'position', default='u.id')} AS position,
      {_pick(u, 'u', 'start_char')} AS start_char,
      {_pick(c, 'c', 'language', 'lang', default="''")} AS language
    FROM {T_UTTERANCES} u {' '.join(joins)}
    """
    where = []
    if "role" in u:
        where.append("(u.role IS NULL OR u.role != 'interviewer')")
    sql += (" WHERE " + " AND ".join(where)) if where else ""
    return sql, ([run_id] if "run_id" in c else [])


def load_coded(db: sqlite_utils.Database) -> list[CodedUtterance]:
    """Every coded utterance of a participant in the latest run, with the researcher's corrections."""
    if not analysis_ready(db):
        return []
    run = latest_run(db)
    sql, params = _machine_query(db, run["id"])
    reviews = {r["utterance_id"]: r["label"] for r in db["synthesis_label_reviews"].rows}
    themes = {r["key"]: r["label"] for r in db["synthesis_themes"].rows}
    pins, moved = {}, set()
    for r in db["synthesis_theme_pins"].rows:
        pins[r["utterance_id"]] = r["theme_key"]
        if r["manual"]:
            moved.add(r["utterance_id"])
    folds = {r["machine_theme"]: r["theme_key"] for r in db["synthesis_theme_folds"].rows}
    along = step_order(db)
    tagged = team_codes.codes_by_utterance(db)
    out = []
    for r in db.execute(sql, params).fetchall():
        (uid, text, label, conf, intensity, expectation, theme_id, theme_label, dimension, step_id,
         step_label, step_pos, mot, journey_id, journey_name, persona_id, persona_name, channel, kind,
         interview_id, participant_id, code, position, start_char, language) = r
        machine = label if label in LABELS else "neutral"
        final = reviews.get(uid, machine)
        machine_theme = None if theme_id is None else str(theme_id)
        key = pins.get(uid) or folds.get(machine_theme)
        corrected_theme = uid in moved
        if key in themes:
            theme_id, theme_label = key, themes[key]
        else:
            theme_id = machine_theme
        conf = float(conf or 0.0)
        out.append(CodedUtterance(
            utterance_id=uid, text=printable(text or ""), label=final, confidence=conf,
            intensity=float(intensity) if intensity is not None else (conf if final != "neutral" else 0.0),
            expectation=bool(expectation), theme_id=theme_id, theme_label=theme_label or "",
            dimension=dimension, step_id=step_id, step_label=step_label or "",
            step_position=along.get(step_id, int(step_pos or 0)), moment_of_truth=bool(mot), journey_id=journey_id,
            journey_name=journey_name or "", persona_id=persona_id, persona_name=persona_name or "",
            channel=channel or None, participant_kind=kind or "customer", interview_id=interview_id,
            participant_id=participant_id, participant_code=code or "", position=int(position or 0),
            start_char=start_char, corrected=uid in reviews or corrected_theme,
            machine_label=machine if uid in reviews and machine != final else None,
            language=language or "", team_codes=tuple(name for _, name in tagged.get(uid, ())),
        ))
    return _fill_channels(db, out)


def _fill_channels(db: sqlite_utils.Database, records: list[CodedUtterance]) -> list[CodedUtterance]:
    """Utterances the analysis left without a channel get the study channel they name; one that names
    none keeps the channel its speaker was last talking about at the same step of the same interview."""
    from dataclasses import replace

    from research.synthesis import channel_kinds, detect_channel

    if T_CHANNELS not in db.table_names() or all(u.channel for u in records):
        return records
    cols = _columns(db, T_CHANNELS)
    name_col = "name" if "name" in cols else ("label" if "label" in cols else None)
    if name_col is None:
        return records
    kinds = channel_kinds(r[0] for r in db.execute(f"SELECT {name_col} FROM {T_CHANNELS}") if r[0])
    if not kinds:
        return records
    out, context = [], {}
    for u in sorted(records, key=lambda u: (u.interview_id or 0, u.position, u.utterance_id)):
        where = (u.interview_id, u.participant_id, u.step_id)
        channel = u.channel or detect_channel(u.text, kinds)
        if channel:
            context[where] = channel
        elif u.step_id is not None:
            channel = context.get(where)
        out.append(u if channel == u.channel else replace(u, channel=channel))
    return out


# ---------------------------------------------------------------- corrections

def _known_utterances(db: sqlite_utils.Database, ids: Iterable[int]) -> list[int]:
    ids = sorted({int(i) for i in ids})
    if not ids:
        raise SynthesisError("No utterance was chosen.", key="synthesis.err.no_utterance")
    marks = ",".join("?" * len(ids))
    found = {r[0] for r in db.execute(f"SELECT id FROM {T_UTTERANCES} WHERE id IN ({marks})", ids).fetchall()}
    missing = [i for i in ids if i not in found]
    if missing:
        raise SynthesisError(f"Unknown utterances: {missing[:5]}.", key="synthesis.err.unknown_utterance",
                             ids=", ".join(map(str, missing[:5])))
    return ids


def _machine_labels(db: sqlite_utils.Database, ids: Sequence[int]) -> dict[int, str]:
    run = latest_run(db)
    if run is None:
        return {}
    cols = _columns(db, T_CODES)
    marks = ",".join("?" * len(ids))
    sql = f"SELECT utterance_id, label FROM {T_CODES} WHERE utterance_id IN ({marks})"
    params = list(ids)
    if "run_id" in cols:
        sql += " AND run_id = ?"
        params.append(run["id"])
    return {r[0]: r[1] for r in db.execute(sql, params).fetchall()}


def set_labels(db: sqlite_utils.Database, labels: Mapping[int, str], author: str = "") -> int:
    """Pin the researcher's label on utterances (a label equal to the machine's confirms it)."""
    bad = sorted({v for v in labels.values() if v not in LABELS})
    if bad:
        raise SynthesisError(f"Unknown label {bad[0]!r}.", key="synthesis.err.bad_label", label=bad[0])
    ids = _known_utterances(db, labels)
    machine = _machine_labels(db, ids)
    now = now_iso()
    with db.atomic():
        previous = {r["utterance_id"]: r for r in db["synthesis_label_reviews"].rows_where(
            f"utterance_id IN ({','.join('?' * len(ids))})", ids)}
        rows = []
        for uid in ids:
            # keep what the machine said before the researcher first reviewed it
            first = previous.get(uid, {}).get("machine_label") or machine.get(uid) or labels[uid]
            rows.append({"utterance_id": uid, "label": labels[uid], "machine_label": first,
                         "reviewed_at": now, "author": author})
        db["synthesis_label_reviews"].upsert_all(rows, pk="utterance_id")
    return len(rows)


def clear_label(db: sqlite_utils.Database, utterance_id: int) -> None:
    """Give an utterance back to the machine."""
    with db.atomic():
        db.execute("DELETE FROM synthesis_label_reviews WHERE utterance_id = ?", [utterance_id])


def label_pairs(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """(machine, researcher) labels of every reviewed utterance, for the agreement."""
    return [(r["machine_label"], r["label"]) for r in db["synthesis_label_reviews"].rows]


def coded_examples(db: sqlite_utils.Database) -> list[dict]:
    """The researcher's labels as training examples for the pipeline: {"id", "text", "label"}."""
    if T_UTTERANCES not in db.table_names():
        return []
    rows = db.execute(f"""SELECT r.utterance_id, u.text, r.label FROM synthesis_label_reviews r
                         JOIN {T_UTTERANCES} u ON u.id = r.utterance_id ORDER BY r.utterance_id""").fetchall()
    return [{"id": str(i), "text": text, "label": label} for i, text, label in rows]


def _clean_label(label: str) -> str:
    label = " ".join((label or "").split())
    if not label:
        raise SynthesisError("A theme needs a label.", key="synthesis.err.empty_label")
    if len(label) > 120:
        raise SynthesisError("A theme label is at most 120 characters.", key="synthesis.err.long_label")
    return label


def _new_theme(db: sqlite_utils.Database, label: str) -> str:
    key = "r-" + uuid.uuid4().hex[:12]
    now = now_iso()
    db["synthesis_themes"].insert({"key": key, "label": label, "created_at": now, "updated_at": now})
    return key


def _members(db: sqlite_utils.Database, theme_id: str) -> list[int]:
    return [u.utterance_id for u in load_coded(db) if u.theme_id == theme_id]


def _pin(db: sqlite_utils.Database, ids: Iterable[int], key: str, *, manual: bool = True) -> None:
    now = now_iso()
    ids = [int(i) for i in ids]
    if not manual and ids:  # keep the mark of utterances the researcher moved by hand
        marks = ",".join("?" * len(ids))
        hand = {r[0] for r in db.execute(
            f"SELECT utterance_id FROM synthesis_theme_pins WHERE manual = 1 AND utterance_id IN ({marks})", ids)}
    else:
        hand = set()
    db["synthesis_theme_pins"].upsert_all(
        [{"utterance_id": i, "theme_key": key, "pinned_at": now, "manual": int(manual or i in hand)} for i in ids],
        pk="utterance_id")


def _fold(db: sqlite_utils.Database, theme_id: str, key: str) -> None:
    """Machine theme `theme_id` (and researcher themes folded into it) now lead to `key`."""
    now = now_iso()
    if theme_id in {r["key"] for r in db["synthesis_themes"].rows}:
        db.execute("UPDATE synthesis_theme_pins SET theme_key = ?, pinned_at = ? WHERE theme_key = ?",
                   [key, now, theme_id])
        db.execute("UPDATE synthesis_theme_folds SET theme_key = ?, folded_at = ? WHERE theme_key = ?",
                   [key, now, theme_id])
    else:
        db["synthesis_theme_folds"].upsert({"machine_theme": theme_id, "theme_key": key, "folded_at": now},
                                           pk="machine_theme")


def rename_theme(db: sqlite_utils.Database, theme_id: str, label: str) -> str:
    """Name a theme; a machine theme becomes a researcher theme that later runs keep."""
    label = _clean_label(label)
    with db.atomic():
        if theme_id in {r["key"] for r in db["synthesis_themes"].rows}:
            db["synthesis_themes"].update(theme_id, {"label": label, "updated_at": now_iso()})
            return theme_id
        members = _members(db, theme_id)
        if not members:
            raise SynthesisError(f"No theme {theme_id}.", key="synthesis.err.unknown_theme")
        key = _new_theme(db, label)
        _fold(db, theme_id, key)
        _pin(db, members, key, manual=False)
    return key


def merge_themes(db: sqlite_utils.Database, theme_ids: Sequence[str], label: str) -> str:
    """Fold several themes into one researcher theme named `label`."""
    label = _clean_label(label)
    theme_ids = list(dict.fromkeys(str(t) for t in theme_ids if t is not None))
    if len(theme_ids) < 2:
        raise SynthesisError("Choose at least two themes to merge.", key="synthesis.err.merge_two")
    records = load_coded(db)
    with db.atomic():
        key = _new_theme(db, label)
        for theme_id in theme_ids:
            members = [u.utterance_id for u in records if u.theme_id == theme_id]
            _fold(db, theme_id, key)
            _pin(db, members, key, manual=False)
        db.execute("DELETE FROM synthesis_themes WHERE key IN (%s) AND key NOT IN "
                   "(SELECT theme_key FROM synthesis_theme_pins) AND key NOT IN "
                   "(SELECT theme_key FROM synthesis_theme_folds)" % ",".join("?" * len(theme_ids)), theme_ids)
    return key


def split_theme(db: sqlite_utils.Database, theme_id: str, utterance_ids: Sequence[int], label: str) -> str:
    """Take some utterances out of a theme into a new researcher theme."""
    label = _clean_label(label)
    ids = _known_utterances(db, utterance_ids)
    with db.atomic():
        key = _new_theme(db, label)
        _pin(db, ids, key)
    return key


def move_utterances(db: sqlite_utils.Database, utterance_ids: Sequence[int], theme_id: str) -> str:
    """Put utterances in another theme (a machine theme becomes a researcher theme to hold them)."""
    ids = _known_utterances(db, utterance_ids)
    themes = {r["key"]: r["label"] for r in db["synthesis_themes"].rows}
    with db.atomic():
        if theme_id in themes:
            key = theme_id
        else:
            records = [u for u in load_coded(db) if u.theme_id == theme_id]
            if not records:
                raise SynthesisError(f"No theme {theme_id}.", key="synthesis.err.unknown_theme")
            key = _new_theme(db, records[0].theme_label or str(theme_id))
            _fold(db, theme_id, key)
            _pin(db, [u.utterance_id for u in records], key, manual=False)
        _pin(db, ids, key)
    return key


# ---------------------------------------------------------------- personas, archetypes, brand

T_TRAITS, T_ARCHETYPES, T_BRAND_GAP = "analysis_persona_traits", "analysis_archetypes", "analysis_brand_gap"
TRAIT_KINDS = ("self", "preference", "habit")  # in the order a persona card tells them


@dataclass
class DefinedPersona:
    persona_id: int
    name: str
    profile: str = ""
    goals: str = ""
    frustrations: str = ""


def _text(value) -> str:
    from research.store import loads

    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            value = loads(value)
        except ValueError:
            return value
    if isinstance(value, list):
        return " ; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return " ; ".join(f"{k} : {v}" for k, v in value.items())
    return str(value or "")


def defined_personas(db: sqlite_utils.Database) -> list[DefinedPersona]:
    if T_PERSONAS not in db.table_names():
        return []
    cols = _columns(db, T_PERSONAS)
    out = []
    for r in db[T_PERSONAS].rows:
        out.append(DefinedPersona(
            persona_id=r["id"], name=r.get("name") or "",
            profile=_text(r.get("profile") or r.get("description")) if cols & {"profile", "description"} else "",
            goals=_text(r.get("goals")), frustrations=_text(r.get("frustrations"))))
    return out


def _loads_list(value) -> list:
    from research.store import loads

    if isinstance(value, list):
        return value
    try:
        out = loads(value, [])
    except ValueError:
        return [value] if value else []
    return out if isinstance(out, list) else [out]


def _trait_columns(cols: set[str]) -> tuple[str, str]:
    """The SQL of a trait's text and kind, whatever the traits table (alias t) names them."""
    return _pick(cols, "t", "text", "trait", "label", default="''"), _pick(cols, "t", "kind", "category", default="''")


def traits_for_persona(db: sqlite_utils.Database, persona_id: int) -> list[Trait]:
    """What the participants of a persona said of themselves (latest run), each with who said it:
    self-descriptions, then preferences, then habits, each participant heard before anyone twice."""
    if T_TRAITS not in db.table_names() or T_PARTICIPANTS not in db.table_names():
        return []
    cols = _columns(db, T_TRAITS)
    text, kind = _trait_columns(cols)
    code = _pick(_columns(db, T_PARTICIPANTS), "p", "code", default="''")
    run = latest_run(db)
    where, params = ["p.persona_id = ?"], [persona_id]
    if "run_id" in cols and run:
        where.append("t.run_id = ?")
        params.append(run["id"])
    rows = db.execute(f"""SELECT {text}, {kind}, {code}, p.id, min(t.rowid) FROM {T_TRAITS} t
                          JOIN {T_PARTICIPANTS} p ON p.id = t.participant_id
                          WHERE {' AND '.join(where)} GROUP BY 1, 2, 3, 4 ORDER BY 5""", params).fetchall()
    said: dict[str, dict[str, list[Trait]]] = {}  # kind → participant → traits, in the order said
    for text_, kind_, code_, pid, _ in rows:
        if text_:
            said.setdefault(kind_ or "", {}).setdefault(code_ or "", []).append(
                Trait(text=text_, kind=kind_ or "", participant_code=code_ or "", participant_id=pid))
    kinds = sorted(said, key=lambda k: TRAIT_KINDS.index(k) if k in TRAIT_KINDS else len(TRAIT_KINDS))
    return [trait for k in kinds for trait in each_in_turn(list(said[k].values()))]


def _trait_speakers(db: sqlite_utils.Database, run: dict | None) -> dict[str, list[tuple[int, str]]]:
    """Each trait's text → who said it and of what kind, (participant id, kind), in the run given."""
    if T_TRAITS not in db.table_names():
        return {}
    cols = _columns(db, T_TRAITS)
    text, kind = _trait_columns(cols)
    where, params = ("WHERE t.run_id = ?", [run["id"]]) if "run_id" in cols and run else ("", [])
    out: dict[str, list[tuple[int, str]]] = {}
    for text_, kind_, pid in db.execute(f"SELECT {text}, {kind}, t.participant_id FROM {T_TRAITS} t {where}", params):
        out.setdefault(text_, []).append((pid, kind_ or ""))
    return out


def archetypes(db: sqlite_utils.Database, records: Sequence[CodedUtterance] | None = None) -> list[Archetype]:
    """The archetypes the analysis grouped participants into, each with the persona it resembles, the
    personas its members were recruited as, and its quotes (stored as utterance ids, read as coded utterances)."""
    if T_ARCHETYPES not in db.table_names():
        return []
    cols = _columns(db, T_ARCHETYPES)
    run = latest_run(db)
    where = "run_id = ?" if "run_id" in cols and run else None
    personas = {p.persona_id: p.name for p in defined_personas(db)}
    codes, persona_of = {}, {}
    if T_PARTICIPANTS in db.table_names():
        pcols = _columns(db, T_PARTICIPANTS)
        for pid, code, persona in db.execute(f"SELECT p.id, {_pick(pcols, 'p', 'code', default='p.id')}, "
                                             f"{_pick(pcols, 'p', 'persona_id')} FROM {T_PARTICIPANTS} p"):
            codes[pid], persona_of[pid] = code, persona
    by_id = {u.utterance_id: u for u in (records if records is not None else load_coded(db))}
    speakers = _trait_speakers(db, run)
    out = []
    for r in db[T_ARCHETYPES].rows_where(where, [run["id"]] if where else []):
        member_ids = _loads_list(r.get("members") or r.get("participant_ids"))
        matched = r.get("matched_persona_id", r.get("persona_id"))
        recruited = Counter(personas[persona_of[m]] for m in member_ids if persona_of.get(m) in personas)
        traits = []
        for text in map(str, _loads_list(r.get("traits"))):
            pid, kind = next(((p, k) for p, k in speakers.get(text, ()) if p in member_ids), (None, ""))
            traits.append(Trait(text=text, kind=kind, participant_code=str(codes.get(pid, "")) if pid else "",
                                participant_id=pid))
        out.append(Archetype(
            label=r.get("label") or r.get("name") or "",
            members=[str(codes.get(m, m)) for m in member_ids], traits=traits,
            matched_persona=personas.get(matched) if matched is not None else None,
            match_score=float(r.get("match_score") or r.get("similarity") or 0.0),
            quotes=[by_id[int(i)] for i in _loads_list(r.get("quotes")) if str(i).isdigit() and int(i) in by_id],
            recruited_as=ranked(recruited)))
    return sorted(out, key=lambda a: -len(a.members))


def gap_verdict(customer, employee) -> str:
    """How a value fares: aligned, discord, mirror (employees believe it far more), faint or absent."""
    if customer is None or not customer.mentions:
        return "absent"
    if employee is not None and employee.share - customer.share >= 0.25 and employee.valence - customer.valence >= 0.3:
        return "mirror"
    if customer.valence <= -0.15:
        return "discord"
    if customer.share < 0.15:
        return "faint"
    return "aligned"


def brand_perception(db: sqlite_utils.Database, records: Sequence[CodedUtterance] | None = None):
    """Per value (and unclaimed attribute) and group: mentions, share, valence and the verbatims."""
    from research.synthesis_export import BrandEvidence

    if T_BRAND_GAP not in db.table_names():
        return []
    cols = _columns(db, T_BRAND_GAP)
    run = latest_run(db)
    where = "run_id = ?" if "run_id" in cols and run else None
    by_id = {u.utterance_id: u for u in (records if records is not None else load_coded(db))}
    out = []
    for r in db[T_BRAND_GAP].rows_where(where, [run["id"]] if where else []):
        group = r.get("group") or r.get("respondent_group") or "customer"
        group = "employee" if group in ("employee", "employees") else "customer"
        evidence = [by_id[int(i)] for i in _loads_list(r.get("evidence") or r.get("utterance_ids"))
                    if str(i).isdigit() and int(i) in by_id]
        claimed = r.get("claimed")
        if claimed is None:
            claimed = (r.get("kind") or "value") == "value"
        out.append(BrandEvidence(
            value=r.get("value") or r.get("attribute") or "", group=group,
            mentions=int(r.get("mentions") or len(evidence)), share=float(r.get("share") or 0.0),
            valence=float(r.get("valence") or 0.0), claimed=bool(claimed),
            quotes=evidence))  # as the analysis ranked them: those that evoke the value most directly first
    return out


def portrait_comparison(db: sqlite_utils.Database, lang: str = "fr") -> list[dict]:
    """The Chinese portrait answers of the brand and its competitors, category by category."""
    from research import portrait

    try:
        return list(portrait.brand_comparison(db, lang=lang))
    except DomainError:
        return []


# ---------------------------------------------------------------- exports

def export_slug(db: sqlite_utils.Database) -> str:
    from research.folding import file_slug
    from research.workspace import get_workspace

    return file_slug(get_workspace(db).brand_name)


def quotable_participants(db: sqlite_utils.Database) -> set[int] | None:
    """Participants who consented to being quoted; None when consent is not recorded in this workspace."""
    try:
        from research import consents
    except ImportError:
        return None
    check = getattr(consents, "has_valid_consent", None)
    if check is None or T_PARTICIPANTS not in db.table_names():
        return None
    return {r[0] for r in db.execute(f"SELECT id FROM {T_PARTICIPANTS}").fetchall() if check(db, r[0], "quotes")}


def quote_consent(db: sqlite_utils.Database):
    """Whether a participant (by id) may be quoted: consent recorded for quotes, or consent not kept here."""
    allowed = quotable_participants(db)
    return (lambda participant_id: True) if allowed is None else (lambda participant_id: participant_id in allowed)


def map_steps(db: sqlite_utils.Database, journey_id: int):
    """The journey's steps as defined, in order, for its experience map (`research.experience_map`)."""
    from research.experience_map import MapStep
    from research.journeys import list_steps

    return [MapStep(s.id, s.order, s.label, s.macro_step_name, s.is_moment_of_truth)
            for s in list_steps(db, journey_id)]


def build_report(db: sqlite_utils.Database, records: Sequence[CodedUtterance], t):
    from research.personas import list_personas
    from research.scores import list_scores
    from research.synthesis import agreement
    from research.synthesis_export import Report
    from research.workspace import get_workspace

    ws = get_workspace(db)
    run = latest_run(db) or {}
    return Report(
        title=t("synthesis.report.document_title", brand=ws.brand_name or "Écoute"),
        records=list(records), generated_at=date.today(),
        run_label=t("synthesis.report.run_label", run=run.get("id", "—")),
        agreement=agreement(label_pairs(db)), brand=brand_perception(db, records),
        competitors=[(name, r.get("category", ""), answers) for r in portrait_comparison(db)
                     for name, answers in r.items() if name != "category" and answers != "—"],
        quotable=quote_consent(db),
        archetypes=archetypes(db, records),
        scores=list_scores(db),
        journey_steps={journey_id: map_steps(db, journey_id) for journey_id in {u.journey_id for u in records}
                       if journey_id is not None},
        personas=list_personas(db),
        team_codes=team_codes.list_codes(db),
    )


def build_report_files(db: sqlite_utils.Database, records: Sequence[CodedUtterance], t, lang: str) -> dict:
    """The study report as HTML, Word and PowerPoint (the charts drawn once for the last two), and how
    many coded utterances it leaves unquoted for lack of consent."""
    from research.synthesis_deck import report_pptx
    from research.synthesis_export import report_docx, report_html, report_pngs

    report = build_report(db, records, t)
    withheld = sum(1 for u in records if u.label != "neutral" and not report.quotable(u.participant_id))
    images = report_pngs(report, t, lang)
    return {"html": report_html(report, t, lang).encode("utf-8"), "docx": report_docx(report, t, lang, images),
            "pptx": report_pptx(report, t, lang, images), "withheld": withheld}


def export_csv(records: Sequence[CodedUtterance]) -> bytes:
    from research.synthesis_export import coded_csv

    return coded_csv(records)


def export_xlsx(records: Sequence[CodedUtterance]) -> bytes:
    from research.synthesis import theme_summaries
    from research.synthesis_export import coded_xlsx

    themes = [{"theme_id": s.theme_id, "theme": s.label, "size": s.size, "irritants": s.irritants,
               "enchantments": s.enchantments, "neutral": s.neutral, "participants": s.participants,
               "reviewed": s.corrected} for s in theme_summaries(records)]
    return coded_xlsx(records, themes)


def _codebook_parts(records: Sequence[CodedUtterance], t):
    """The themes (with a first quote) and the steps, in journey order, that the study's codes name."""
    from research.synthesis import theme_summaries
    from research.synthesis_export import CodebookTheme

    themes = [CodebookTheme(str(s.theme_id), s.label, s.size,
                            t("synthesis.qdc.theme_size", size=s.size)
                            + (f" « {s.quotes[0].text[:200]} »" if s.quotes else ""))
              for s in theme_summaries(records, quotes=1) if s.theme_id is not None]
    steps = sorted({(u.step_id, u.step_label, u.moment_of_truth, u.step_position) for u in records
                    if u.step_id is not None}, key=lambda s: (s[3], s[1]))
    return themes, [(i, name, mot) for i, name, mot, _ in steps]


def export_codebook(db: sqlite_utils.Database, records: Sequence[CodedUtterance], t) -> bytes:
    from research.synthesis_export import codebook_qdc
    from research.workspace import get_workspace

    themes, steps = _codebook_parts(records, t)
    return codebook_qdc(get_workspace(db).brand_name or "ecoute", themes, t, steps=steps, team=_team_codebook(db))


def _team_codebook(db: sqlite_utils.Database) -> list[tuple[int, str, str]]:
    return [(c.id, c.name, c.description) for c in team_codes.list_codes(db)]


def interview_sources(db: sqlite_utils.Database, records: Sequence[CodedUtterance], t) -> list:
    """The analysed interviews as REFI-QDA text sources: every turn in transcript order, participants
    by their codes, named by number, participants and day (never by their title, which may hold a name)."""
    from research.qda_project import InterviewSource, SourceLine

    ids = sorted({u.interview_id for u in records if u.interview_id is not None})
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    meta = {r["id"]: r for r in db.query(
        f"SELECT i.id, i.date, i.mode, j.name AS journey FROM {T_INTERVIEWS} i "
        f"LEFT JOIN {T_JOURNEYS} j ON j.id = i.journey_id WHERE i.id IN ({marks})", ids)}
    lines: dict[int, list] = {i: [] for i in ids}
    codes: dict[int, list[str]] = {i: [] for i in ids}
    for r in db.query(
            f"SELECT u.id, u.interview_id, u.transcript_id, u.turn, u.speaker, u.text, p.code FROM {T_UTTERANCES} u "
            f"LEFT JOIN {T_PARTICIPANTS} p ON p.id = u.participant_id WHERE u.interview_id IN ({marks}) "
            f"ORDER BY u.interview_id, u.position, u.id", ids):
        speaker = r["code"] or (r["speaker"] or "").strip()
        if r["code"] and r["code"] not in codes[r["interview_id"]]:
            codes[r["interview_id"]].append(r["code"])
        lines[r["interview_id"]].append(SourceLine(r["id"], speaker, (r["transcript_id"] or 0, r["turn"] or 0),
                                                   r["text"] or ""))
    sources = []
    for i in ids:
        m = meta.get(i) or {}
        who = ", ".join(codes[i]) or "—"
        try:
            day = date.fromisoformat(m.get("date") or "")
        except ValueError:
            name = t("synthesis.qdpx.source_undated", id=i, codes=who)
        else:
            name = t("synthesis.qdpx.source", id=i, codes=who, day=day)
        mode = t(f"interviews.mode.{m['mode']}") if m.get("mode") else ""
        description = " · ".join(x for x in (m.get("journey"), mode) if x)
        sources.append(InterviewSource(i, name, lines[i], description))
    return sources


def export_project(db: sqlite_utils.Database, records: Sequence[CodedUtterance], t) -> bytes:
    """The coded study as a REFI-QDA project (`.qdpx`): the codebook's codes, the interviews as text
    sources with every participant utterance coded, the participants as cases."""
    from research.qda_project import project_qdpx
    from research.workspace import get_workspace

    themes, steps = _codebook_parts(records, t)
    return project_qdpx(get_workspace(db).brand_name or "ecoute", interview_sources(db, records, t), records,
                        themes, t, steps=steps, team_codes=_team_codebook(db))



# ---------------------------------------------------------------- running the analysis

def analysis_engine():
    """D's workspace pipeline entry point, or None when the analysis engine is not installed."""
    try:
        from research.nlp import pipeline
    except ImportError:
        return None
    for name in ("analyze_workspace", "run_workspace", "analyse_workspace"):
        fn = getattr(pipeline, name, None)
        if fn is not None:
            return fn
    return None


def run_history(db: sqlite_utils.Database, limit: int = 10) -> list[dict]:
    if T_RUNS not in db.table_names():
        return []
    return list(db[T_RUNS].rows_where(order_by="id desc", limit=limit))


def run_analysis(db: sqlite_utils.Database, progress=None):
    """Run the analysis over the workspace's interviews (incremental: only what changed is recomputed).

    The researcher's reviewed labels are handed to the pipeline to learn from.
    """
    engine = analysis_engine()
    if engine is None:
        raise SynthesisError("The analysis engine is not installed.", key="synthesis.err.no_engine")
    import inspect

    params = inspect.signature(engine).parameters
    kwargs = {}
    if "progress" in params:
        kwargs["progress"] = progress
    for name in ("labels", "extra_labels", "coded"):
        if name in params:
            kwargs[name] = coded_examples(db)
            break
    return engine(db, **kwargs)


def analyze_demo(db: sqlite_utils.Database, echo=print) -> bool:
    """Run the analysis on a freshly built demo workspace, reporting progress through `echo`.

    Returns False (and says so) when the analysis engine or the interviews are not there.
    """
    if analysis_engine() is None:
        echo("the analysis engine is not installed: the demo is left without analysis")
        return False
    if T_UTTERANCES not in db.table_names() or not db[T_UTTERANCES].count:
        echo("the demo has no transcripts to analyse")
        return False
    last = {"pct": -10}

    def progress(done, total=None, message=""):
        share = done if total is None else (done / total if total else 1.0)
        pct = int(float(share) * 100)
        if pct >= last["pct"] + 10 or pct == 100:
            last["pct"] = pct
            echo(f"analysis: {pct:3d} % {str(message).rsplit('.', 1)[-1]}".rstrip())

    echo("analysing the demo interviews…")
    run_analysis(db, progress=progress)
    return True
