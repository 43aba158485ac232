"""The research team's own codes: a codebook the team writes ("Prix", "Mention d'un concurrent",
"Parcours digital"…) and applies to participants' utterances, beside what the analysis codes (feeling,
dimension, step, theme). An utterance may carry several codes; a code says which utterances carry it,
who put it there and when. They travel with the coded data (CSV, Excel, REFI-QDA) and are summed up
by persona, step and feeling like the rest.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlite_utils

from research.errors import DomainError
from research.folding import fold
from research.store import Migrations, now_iso
from research.synthesis import CodedUtterance

migrations = Migrations("team_codes")

NAME_MAX = 80
T_CODES, T_CODINGS = "team_codes", "team_codings"
CODEBOOK_MAX_BYTES = 20 * 1024 * 1024
CODEBOOK_MAX_CODES = 1000


class TeamCodeError(DomainError):
    pass


@migrations()
def m001_team_codes(db: sqlite_utils.Database) -> None:
    db[T_CODES].create({"id": int, "name": str, "folded": str, "description": str, "created_at": str,
                        "updated_at": str, "author": str}, pk="id", not_null={"name", "folded"})
    db[T_CODES].create_index(["folded"], unique=True)
    db[T_CODINGS].create({"utterance_id": int, "code_id": int, "author": str, "coded_at": str},
                         pk=("utterance_id", "code_id"),
                         foreign_keys=[("utterance_id", "utterances", "id"), ("code_id", T_CODES, "id")])
    db[T_CODINGS].create_index(["code_id"])


@dataclass(frozen=True)
class TeamCode:
    id: int
    name: str
    description: str = ""
    uses: int = 0


def _clean_name(db: sqlite_utils.Database, name: str, *, but: int | None = None) -> tuple[str, str]:
    name = " ".join((name or "").split())
    if not name:
        raise TeamCodeError("A code needs a name.", key="codes.err.empty")
    if len(name) > NAME_MAX:
        raise TeamCodeError(f"A code's name holds at most {NAME_MAX} characters.", key="codes.err.long", n=NAME_MAX)
    folded = fold(name)
    for r in db.execute(f"SELECT id, name FROM {T_CODES} WHERE folded = ?", [folded]):
        if r[0] != but:
            raise TeamCodeError(f"There is already a code {r[1]!r}.", key="codes.err.duplicate", name=r[1])
    return name, folded


def create_code(db: sqlite_utils.Database, name: str, description: str = "", author: str = "") -> int:
    """A new code of the team's codebook; its name must differ from the others' (case and accents aside)."""
    name, folded = _clean_name(db, name)
    now = now_iso()
    with db.atomic():
        return db[T_CODES].insert({"name": name, "folded": folded, "description": (description or "").strip(),
                                   "created_at": now, "updated_at": now, "author": author}).last_pk


def get_code(db: sqlite_utils.Database, code_id: int) -> TeamCode:
    row = db.execute(f"SELECT id, name, description FROM {T_CODES} WHERE id = ?", [code_id]).fetchone()
    if row is None:
        raise TeamCodeError(f"No code {code_id}.", key="codes.err.unknown", id=code_id)
    uses = db.execute(f"SELECT count(*) FROM {T_CODINGS} WHERE code_id = ?", [code_id]).fetchone()[0]
    return TeamCode(row[0], row[1], row[2] or "", uses)


def edit_code(db: sqlite_utils.Database, code_id: int, name: str, description: str = "") -> None:
    get_code(db, code_id)
    name, folded = _clean_name(db, name, but=code_id)
    with db.atomic():
        db[T_CODES].update(code_id, {"name": name, "folded": folded, "description": (description or "").strip(),
                                     "updated_at": now_iso()})


def delete_code(db: sqlite_utils.Database, code_id: int) -> int:
    """Remove a code and every use of it; returns how many utterances carried it."""
    uses = get_code(db, code_id).uses
    with db.atomic():
        db.execute(f"DELETE FROM {T_CODINGS} WHERE code_id = ?", [code_id])
        db.execute(f"DELETE FROM {T_CODES} WHERE id = ?", [code_id])
    return uses


def list_codes(db: sqlite_utils.Database) -> list[TeamCode]:
    """The codebook in alphabetical order (accents aside), each with how many utterances carry it."""
    if T_CODES not in db.table_names():
        return []
    rows = db.execute(f"""SELECT c.id, c.name, c.description, count(k.utterance_id) FROM {T_CODES} c
                          LEFT JOIN {T_CODINGS} k ON k.code_id = c.id GROUP BY c.id ORDER BY c.folded""")
    return [TeamCode(i, name, description or "", uses) for i, name, description, uses in rows]


def _participant_utterances(db: sqlite_utils.Database, utterance_ids: Iterable[int]) -> list[int]:
    ids = sorted({int(i) for i in utterance_ids})
    if not ids:
        raise TeamCodeError("Pick at least one utterance.", key="codes.err.nothing_picked")
    known = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        known |= {r[0] for r in db.execute(
            f"SELECT id FROM utterances WHERE id IN ({','.join('?' * len(chunk))}) "
            "AND (role IS NULL OR role != 'interviewer')", chunk)}
    missing = [i for i in ids if i not in known]
    if missing:
        raise TeamCodeError(f"No participant utterance {missing[0]}.", key="codes.err.utterance", id=missing[0])
    return ids


def apply_code(db: sqlite_utils.Database, utterance_ids: Iterable[int], code_id: int, author: str = "") -> int:
    """Put a code on utterances of participants; returns how many did not carry it yet."""
    get_code(db, code_id)
    ids = _participant_utterances(db, utterance_ids)
    now = now_iso()
    with db.atomic():
        before = db[T_CODINGS].count
        db[T_CODINGS].insert_all([{"utterance_id": i, "code_id": code_id, "author": author, "coded_at": now}
                                  for i in ids], ignore=True)
        return db[T_CODINGS].count - before


def remove_code(db: sqlite_utils.Database, utterance_ids: Iterable[int], code_id: int) -> int:
    """Take a code off utterances; returns how many carried it."""
    get_code(db, code_id)
    ids = _participant_utterances(db, utterance_ids)
    with db.atomic():
        cur = db.execute(f"DELETE FROM {T_CODINGS} WHERE code_id = ? AND utterance_id IN ({','.join('?' * len(ids))})",
                         [code_id, *ids])
    return cur.rowcount


@dataclass(frozen=True)
class ImportedCodebook:
    created: tuple[str, ...]     # names of the codes added
    present: tuple[str, ...]     # already in the codebook (case and accents aside), left as they were
    unnamed: int = 0             # codes without a name, or with one too long, left out


def import_codebook(db: sqlite_utils.Database, data: bytes, author: str = "") -> ImportedCodebook:
    """The codable codes of a REFI-QDA codebook (`.qdc`) or project (`.qdpx`), as NVivo, ATLAS.ti,
    MAXQDA or QualCoder export them, added to the team's codebook with their definitions; code groups
    that cannot be coded themselves are left out, and a code already there keeps its own definition.
    From a file Écoute exported, only its team codes (not the analysis' feelings, steps and themes).
    All or nothing: a file that cannot be read adds nothing."""
    from research.synthesis_export import TEAM_GROUP_GUID

    root = _codebook_root(data)
    ours = next((el for el in root.iter() if _local(el.tag) == "Code" and el.get("guid") == TEAM_GROUP_GUID), None)
    if ours is None and any(_local(el.tag) == "Code" for el in root.iter()) and \
            (root.get("origin") or "").startswith("Écoute"):
        raise TeamCodeError("This codebook from Écoute holds no team code.", key="codes.err.no_codes")
    found: list[tuple[str, str]] = []
    unnamed = 0
    for el in (ours if ours is not None else root).iter():
        if _local(el.tag) != "Code" or (el.get("isCodable") or "true").lower() != "true":
            continue
        name = " ".join((el.get("name") or "").split())
        if not name or len(name) > NAME_MAX:
            unnamed += 1
            continue
        description = next((" ".join((d.text or "").split()) for d in el if _local(d.tag) == "Description"), "")
        found.append((name, description))
    if not found:
        raise TeamCodeError("This file holds no code that can be coded.", key="codes.err.no_codes")
    if len(found) > CODEBOOK_MAX_CODES:
        raise TeamCodeError(f"This codebook holds more than {CODEBOOK_MAX_CODES} codes.", key="codes.err.too_many",
                            n=CODEBOOK_MAX_CODES)
    known = {r[0] for r in db.execute(f"SELECT folded FROM {T_CODES}")}
    created, present = [], []
    now = now_iso()
    with db.atomic():
        for name, description in found:
            folded = fold(name)
            if folded in known:
                present.append(name)
                continue
            known.add(folded)
            db[T_CODES].insert({"name": name, "folded": folded, "description": description, "created_at": now,
                                "updated_at": now, "author": author})
            created.append(name)
    return ImportedCodebook(tuple(created), tuple(present), unnamed)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _codebook_root(data: bytes):
    """The XML of a `.qdc`, or the `project.qde` inside a `.qdpx`, read without entities or DTDs."""
    import io
    import zipfile

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    if not data or not data.strip():
        raise TeamCodeError("The file is empty.", key="codes.err.empty_file")
    if len(data) > CODEBOOK_MAX_BYTES:
        raise TeamCodeError("The file is larger than 20 MB.", key="codes.err.big_file")
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                inner = next((n for n in zf.namelist() if n.lower().endswith(".qde")), None)
                if inner is None or zf.getinfo(inner).file_size > CODEBOOK_MAX_BYTES:
                    raise TeamCodeError("This archive holds no REFI-QDA project.", key="codes.err.not_codebook")
                data = zf.read(inner)
        except zipfile.BadZipFile:
            raise TeamCodeError("This archive cannot be read.", key="codes.err.not_codebook") from None
    try:
        root = fromstring(data, forbid_dtd=True)
    except ParseError as e:
        raise TeamCodeError(f"This file is not well-formed XML (line {e.position[0]}).",
                            key="codes.err.malformed_codebook", line=e.position[0]) from None
    except DefusedXmlException:
        raise TeamCodeError("This file declares entities or a DTD; it was not read.",
                            key="codes.err.unsafe_codebook") from None
    if _local(root.tag) not in ("CodeBook", "Project"):
        raise TeamCodeError("This file is not a REFI-QDA codebook or project.", key="codes.err.not_codebook")
    return root


def set_codes(db: sqlite_utils.Database, utterance_id: int, code_ids: Iterable[int],
              author: str = "") -> tuple[int, int]:
    """Give one utterance exactly these codes, as a researcher does reading its transcript; returns how
    many codes it gained and lost."""
    wanted = {int(i) for i in code_ids}
    for code_id in wanted:
        get_code(db, code_id)
    [uid] = _participant_utterances(db, [utterance_id])
    had = {r[0] for r in db.execute(f"SELECT code_id FROM {T_CODINGS} WHERE utterance_id = ?", [uid])}
    now = now_iso()
    with db.atomic():
        db[T_CODINGS].insert_all([{"utterance_id": uid, "code_id": c, "author": author, "coded_at": now}
                                  for c in sorted(wanted - had)])
        for c in had - wanted:
            db.execute(f"DELETE FROM {T_CODINGS} WHERE utterance_id = ? AND code_id = ?", [uid, c])
    return len(wanted - had), len(had - wanted)


def codes_by_utterance(db: sqlite_utils.Database,
                       interview_id: int | None = None) -> dict[int, tuple[tuple[int, str], ...]]:
    """Each coded utterance's team codes, (id, name), in the codebook's order; of one interview's
    utterances only when `interview_id` is given."""
    if T_CODINGS not in db.table_names():
        return {}
    where, args = ("WHERE u.interview_id = ?", [interview_id]) if interview_id is not None else ("", [])
    out: dict[int, list[tuple[int, str]]] = {}
    for uid, cid, name in db.execute(f"""SELECT k.utterance_id, c.id, c.name FROM {T_CODINGS} k
                                         JOIN {T_CODES} c ON c.id = k.code_id
                                         JOIN utterances u ON u.id = k.utterance_id {where}
                                         ORDER BY c.folded""", args):
        out.setdefault(uid, []).append((cid, name))
    return {uid: tuple(codes) for uid, codes in out.items()}


def stamp_parts(db: sqlite_utils.Database) -> Sequence[str]:
    """What changes when the codebook or its uses change, for the synthesis pages' cache key."""
    if T_CODES not in db.table_names():
        return ()
    codes = db.execute(f"SELECT count(*), max(updated_at) FROM {T_CODES}").fetchone()
    uses = db.execute(f"SELECT count(*), max(coded_at), total(utterance_id * 1000003 + code_id) "
                      f"FROM {T_CODINGS}").fetchone()
    return (f"{codes[0]}:{codes[1]}", f"{uses[0]}:{uses[1]}:{uses[2]:.0f}")


@dataclass(frozen=True)
class CodeSummary:
    """How a team code is spread: over feelings, participants and journey steps (personas: `persona_grid`)."""

    code: TeamCode
    utterances: int
    participants: int
    irritants: int
    enchantments: int
    neutral: int
    steps: tuple[tuple[str, int], ...]


def summaries(codes: Sequence[TeamCode], records: Sequence[CodedUtterance]) -> list[CodeSummary]:
    """One summary per code of the codebook, most used first; steps by how often the code's
    utterances fall there."""
    out = []
    for code in codes:
        mine = [u for u in records if code.name in u.team_codes]
        labels = Counter(u.label for u in mine)
        steps = Counter(u.step_label for u in mine if u.step_label)
        out.append(CodeSummary(code, len(mine), len({u.participant_id for u in mine if u.participant_id}),
                               labels["irritant"], labels["enchantment"], labels["neutral"],
                               tuple(steps.most_common())))
    return sorted(out, key=lambda s: (-s.utterances, fold(s.code.name)))


@dataclass(frozen=True)
class CodePersonaCell:
    """What the utterances of one persona carrying one team code say: how many, how felt, by how many people."""

    code: str
    persona: str
    utterances: int
    participants: int
    irritants: int
    enchantments: int


def persona_grid(codes: Sequence[TeamCode], records: Sequence[CodedUtterance]) -> list[CodePersonaCell]:
    """Team codes × personas, for the cells where someone said something (participants without a persona
    left out)."""
    cells = []
    for code in codes:
        by_persona: dict[str, list[CodedUtterance]] = {}
        for u in records:
            if code.name in u.team_codes and u.persona_name:
                by_persona.setdefault(u.persona_name, []).append(u)
        for persona, mine in sorted(by_persona.items(), key=lambda kv: fold(kv[0])):
            cells.append(CodePersonaCell(code.name, persona, len(mine), len({u.participant_id for u in mine}),
                                         sum(u.label == "irritant" for u in mine),
                                         sum(u.label == "enchantment" for u in mine)))
    return cells
