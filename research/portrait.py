"""The Chinese portrait: "if the brand were an animal, a plant, a food…", for the brand and up to two
competitors, played by customers and by employees (the internal mirror).

Answers are entered fast, one grid per target (participant × category), a cell holding
"answer : justification". The analysis groups answers per target and category (normalised,
singular, accents and articles aside, synonyms merged through a small lexicon of frequent answers in
`data/portrait/connotations.csv`, French and English), gives each group the traits it connotes (from
that lexicon and from the justifications, via the cue words of `data/portrait/traits.csv`), and from
there how the brand differs from each competitor, where employees and customers diverge, and which
values of the brand platform the portrait supports or contradicts. Every statement carries the
answers behind it.
"""
from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import sqlite_utils

from research.errors import DomainError
from research.folding import fold
from research.store import ConflictError, Migrations, dumps, loads, now_iso

migrations = Migrations("portrait")

DATA = Path(__file__).resolve().parent.parent / "data" / "portrait"
MAX_TARGETS = 3   # the brand and up to two competitors
GROUPS = ("customers", "employees")

# the classic categories; a session may rename, drop or add some
DEFAULT_CATEGORIES = [
    {"key": "animal", "fr": "Animal", "en": "Animal"},
    {"key": "plant", "fr": "Végétal", "en": "Plant"},
    {"key": "food", "fr": "Plat", "en": "Food"},
    {"key": "celebrity", "fr": "Personnalité", "en": "Celebrity"},
    {"key": "place", "fr": "Lieu", "en": "Place"},
    {"key": "object", "fr": "Objet", "en": "Object"},
    {"key": "verb", "fr": "Verbe", "en": "Verb"},
    {"key": "music", "fr": "Musique", "en": "Piece of music"},
    {"key": "film", "fr": "Film", "en": "Film"},
    {"key": "historical", "fr": "Personnage historique", "en": "Historical figure"},
    {"key": "profession", "fr": "Métier (pas le sien)", "en": "Profession (not its own)"},
    {"key": "colour", "fr": "Couleur", "en": "Colour"},
]


class PortraitError(DomainError):
    pass


@migrations()
def m001_portrait(db: sqlite_utils.Database) -> None:
    db["portrait_sessions"].create({
        "id": int, "name": str, "held_on": str, "targets": str, "categories": str, "notes": str,
        "created_at": str, "version": int,
    }, pk="id", not_null={"name"}, defaults={"version": 1})
    db["portrait_members"].create({"session_id": int, "participant_id": int, "seat": int},
                                  pk=("session_id", "participant_id"),
                                  foreign_keys=[("session_id", "portrait_sessions", "id"),
                                                ("participant_id", "participants", "id")])
    db["portrait_answers"].create({
        "id": int, "session_id": int, "participant_id": int, "target": str, "category": str, "answer": str,
        "justification": str, "created_at": str, "updated_at": str,
    }, pk="id", not_null={"session_id", "participant_id", "target", "category", "answer"},
        foreign_keys=[("session_id", "portrait_sessions", "id"), ("participant_id", "participants", "id")])
    db["portrait_answers"].create_index(["session_id", "participant_id", "target", "category"], unique=True)


# ---------------------------------------------------------------- the lexicon

@dataclass(frozen=True)
class Trait:
    key: str
    fr: str
    en: str
    valence: int
    cues: tuple[str, ...]
    supports: tuple[str, ...]
    contradicts: tuple[str, ...]

    def label(self, lang: str = "fr") -> str:
        return self.en if lang == "en" else self.fr


@dataclass(frozen=True)
class Entry:
    answer: str
    category: str
    forms: tuple[str, ...]
    traits: tuple[str, ...]


@lru_cache(maxsize=1)
def traits() -> dict[str, Trait]:
    with open(DATA / "traits.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    split = lambda s: tuple(fold(x) for x in (s or "").split(";") if x.strip())  # noqa: E731
    return {r["key"]: Trait(r["key"], r["fr"], r["en"], int(r["valence"]), split(r["cues"]), split(r["supports"]),
                            split(r["contradicts"])) for r in rows}


@lru_cache(maxsize=1)
def lexicon() -> list[Entry]:
    with open(DATA / "connotations.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    known = traits()
    out = []
    for r in rows:
        forms = [r["answer"]] + [s for s in r["synonyms"].split(";") if s.strip()]
        tr = tuple(t for t in r["traits"].split(";") if t in known)
        out.append(Entry(r["answer"], r["category"], tuple(dict.fromkeys(_key(f) for f in forms)), tr))
    return out


@lru_cache(maxsize=1)
def _index() -> tuple[dict[tuple[str, str], Entry], dict[str, Entry]]:
    by_cat: dict[tuple[str, str], Entry] = {}
    anywhere: dict[str, Entry] = {}
    for e in lexicon():
        for form in e.forms:
            by_cat.setdefault((e.category, form), e)
            anywhere.setdefault(form, e)
    return by_cat, anywhere


_LEADING = re.compile(r"^(?:(?:(?:un|une|le|la|les|des|du|de la|mon|ma|mes|son|sa|ses|ce|cette|cet|"
                      r"a|an|the|my|its|it's|c'est|ce serait|ça serait|ca serait|il serait|elle serait|"
                      r"it would be|serait|gros|grosse|petit|petite|vieux|vieille|big|little|old|"
                      r"genre|plutot|plutôt|peut-etre|peut-être|il|elle|on|ils|elles|je|nous|vous|se|to|he|she|they)\s+)"
                      r"|(?:l'|d'|de l'|j'|s')\s*)+", re.IGNORECASE)


_TITLES = {"film", "music", "celebrity", "historical"}   # "Les Bronzés", "La Bohème": the article is the title's


def _surface(answer: str, category: str = "") -> str:
    """The answer as said, without its leading article ("une tortue" → "tortue"; titles and names kept)."""
    text = re.sub(r"\s+", " ", answer or "").strip().strip(".!…")
    if category in _TITLES:
        return text
    m = _LEADING.match(text)
    return (text[m.end():] if m and m.end() < len(text) else text).strip() or text


def _singular(word: str) -> str:
    if len(word) <= 3 or word in {"paresseux", "bras", "temps", "pays", "fois", "souris", "cactus", "bus", "ours",
                                  "bois", "gris", "lilas", "anis", "jus", "radis", "palais", "relais", "succes"}:
        return word
    if word.endswith("aux") and len(word) > 5:
        return word[:-3] + "al"
    if word.endswith(("s", "x")) and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _key(text: str) -> str:
    """The comparison key of an answer: folded, without leading articles, punctuation or plural marks."""
    t = fold(text)
    t = re.sub(r"[\"«»“”()\[\]!?.;,…]+", " ", t)
    t = re.sub(r"\s+", " ", t).strip()
    t = _LEADING.sub("", t).strip()
    return " ".join(_singular(w) for w in t.split())


@dataclass(frozen=True)
class Normalised:
    key: str                 # group key
    label: str               # what to show for the group
    entry: Entry | None      # the lexicon entry, when the answer is a known one


def normalise(answer: str, category: str = "") -> Normalised:
    """Group key of an answer: a lexicon entry (synonyms merged), else its folded singular form."""
    key = _key(answer)
    if not key:
        return Normalised("", "", None)
    by_cat, anywhere = _index()
    entry = by_cat.get((category, key)) or anywhere.get(key)
    if entry is None:
        # the longest known form inside the answer ("un vieux chien fidèle" → chien)
        words = key.split()
        for n in range(len(words), 0, -1):
            for i in range(len(words) - n + 1):
                part = " ".join(words[i:i + n])
                entry = by_cat.get((category, part)) or (anywhere.get(part) if n > 1 else None)
                if entry:
                    break
            if entry:
                break
    if entry is None:
        lemma = _lemmatised(key)
        if lemma != key:
            entry = by_cat.get((category, lemma)) or anywhere.get(lemma)
            key = lemma
    if entry:
        return Normalised(f"{entry.category}:{_key(entry.answer)}", entry.answer, entry)
    return Normalised(key, key, None)


@lru_cache(maxsize=4096)
def _lemmatised(key: str) -> str:
    """spaCy's French lemmas of an unknown answer ("il attendait" → "attendre"), accents folded."""
    try:
        from research.nlp.text import spacy_pipeline

        doc = spacy_pipeline("fr")(key)
    except (ImportError, OSError):
        return key
    words = [fold(t.lemma_ or t.text) for t in doc if not t.is_punct]
    return " ".join(w for w in words if w) or key


_NEGATION = re.compile(r"(?:\bpas|\bjamais|\bnot|\bnever|\bno|n't|\bsans)\s+(?:\w+\s+){0,1}$")


@lru_cache(maxsize=1)
def _cue_patterns() -> list[tuple[re.Pattern, str]]:
    cues = sorted(((fold(c), k) for k, t in traits().items() for c in t.cues), key=lambda x: -len(x[0]))
    return [(re.compile(r"(?<![\w])" + (re.escape(cue[:-1]) if cue.endswith("*")
                                         else re.escape(cue) + r"(?:e|s|es|x)?(?![\w])")), key) for cue, key in cues]


def cue_traits(text: str) -> list[str]:
    """Traits named in free text by their cue words (whole words, or prefixes for cues ending in "*"; longest
    first; a cue right after a negation is skipped)."""
    return list(_cue_traits(text or ""))


@lru_cache(maxsize=16384)
def _cue_traits(text: str) -> tuple[str, ...]:
    folded = " " + fold(text) + " "
    if not folded.strip():
        return ()
    found: list[str] = []
    for pattern, key in _cue_patterns():
        if not pattern.search(folded):
            continue
        while True:
            m = pattern.search(folded)
            if not m:
                break
            before = folded[:m.start()]
            if not _NEGATION.search(before) and key not in found:
                found.append(key)
            folded = folded[:m.start()] + " " * (m.end() - m.start()) + folded[m.end():]
    return tuple(found)


# ---------------------------------------------------------------- sessions and answers

@dataclass
class PortraitSession:
    id: int
    name: str
    targets: list[str]
    categories: list[dict]
    held_on: str = ""
    notes: str = ""
    version: int = 1
    participant_ids: list[int] = field(default_factory=list)

    @property
    def brand(self) -> str:
        return self.targets[0] if self.targets else ""

    @property
    def competitors(self) -> list[str]:
        return self.targets[1:]

    def category_label(self, key: str, lang: str = "fr") -> str:
        for c in self.categories:
            if c["key"] == key:
                return c.get(lang) or c.get("fr") or key
        return key


@dataclass
class Answer:
    id: int
    session_id: int
    participant_id: int
    participant_code: str
    group: str            # customers | employees
    target: str
    category: str
    answer: str
    justification: str

    def cell(self) -> str:
        return f"{self.answer} : {self.justification}" if self.justification else self.answer


def group_of(kind: str) -> str:
    return "employees" if kind == "employee" else "customers"


def _clean_categories(categories: Iterable[dict]) -> list[dict]:
    out, seen = [], set()
    for c in categories:
        fr, en = (c.get("fr") or "").strip(), (c.get("en") or "").strip()
        if not fr and not en:
            continue
        key = (c.get("key") or "").strip() or re.sub(r"[^a-z0-9]+", "_", fold(en or fr)).strip("_")
        if key in seen:
            raise PortraitError(f"The category {fr or en} is listed twice.", key="portrait.err.duplicate_category",
                                name=fr or en)
        seen.add(key)
        out.append({"key": key, "fr": fr or en, "en": en or fr})
    if not out:
        raise PortraitError("A portrait needs at least one category.", key="portrait.err.no_category")
    return out


def _clean_targets(targets: Sequence[str]) -> list[str]:
    out: list[str] = []
    for t in targets:
        t = (t or "").strip()
        if t and fold(t) not in {fold(x) for x in out}:
            out.append(t)
    if not out:
        raise PortraitError("Name the brand whose portrait is played.", key="portrait.err.no_target")
    if len(out) > MAX_TARGETS:
        raise PortraitError("The brand and at most two competitors.", key="portrait.err.too_many_targets",
                            max=MAX_TARGETS)
    return out


def _session(db, r: dict) -> PortraitSession:
    members = [m[0] for m in db.execute("SELECT participant_id FROM portrait_members WHERE session_id = ? "
                                        "ORDER BY seat", [r["id"]]).fetchall()]
    return PortraitSession(id=r["id"], name=r["name"], targets=loads(r["targets"], []),
                           categories=loads(r["categories"], []), held_on=r["held_on"] or "", notes=r["notes"] or "",
                           version=r["version"] or 1, participant_ids=members)


def list_sessions(db: sqlite_utils.Database) -> list[PortraitSession]:
    if "portrait_sessions" not in db.table_names():
        return []
    return [_session(db, r) for r in db["portrait_sessions"].rows_where(order_by="id")]


def get_session(db: sqlite_utils.Database, session_id: int) -> PortraitSession:
    rows = list(db["portrait_sessions"].rows_where("id = ?", [session_id]))
    if not rows:
        raise PortraitError(f"No portrait session {session_id}.", key="portrait.err.not_found")
    return _session(db, rows[0])


def create_session(db: sqlite_utils.Database, name: str, targets: Sequence[str], participant_ids: Sequence[int], *,
                   categories: Iterable[dict] | None = None, held_on: str = "", notes: str = "") -> PortraitSession:
    name = (name or "").strip()
    if not name:
        raise PortraitError("A session needs a name.", key="portrait.err.name")
    targets = _clean_targets(targets)
    cats = _clean_categories(categories if categories is not None else DEFAULT_CATEGORIES)
    members = list(dict.fromkeys(int(p) for p in participant_ids))
    if not members:
        raise PortraitError("Who plays the portrait?", key="portrait.err.no_participants")
    for pid in members:
        if not db["participants"].count_where("id = ?", [pid]):
            raise PortraitError(f"No participant {pid}.", key="portrait.err.no_participant", ref=str(pid))
    with db.atomic():
        sid = db["portrait_sessions"].insert({"name": name, "held_on": held_on, "targets": dumps(targets),
                                              "categories": dumps(cats), "notes": notes.strip(),
                                              "created_at": now_iso(), "version": 1}).last_pk
        db["portrait_members"].insert_all([{"session_id": sid, "participant_id": p, "seat": n}
                                           for n, p in enumerate(members)])
    return get_session(db, sid)


def update_session(db: sqlite_utils.Database, session_id: int, *, version: int, categories: Iterable[dict] | None = None,
                   targets: Sequence[str] | None = None, participant_ids: Sequence[int] | None = None) -> PortraitSession:
    """Edit categories, targets or players; what already has answers cannot be removed."""
    session = get_session(db, session_id)
    if session.version != version:
        raise ConflictError("Someone else changed this portrait meanwhile.", key="portrait.err.conflict")
    changes: dict = {"version": session.version + 1}
    used = db.execute("SELECT DISTINCT category, target, participant_id FROM portrait_answers WHERE session_id = ?",
                      [session_id]).fetchall()
    if categories is not None:
        cats = _clean_categories(categories)
        gone = {u[0] for u in used} - {c["key"] for c in cats}
        if gone:
            raise PortraitError("A category with answers cannot be removed.", key="portrait.err.category_in_use",
                                name=session.category_label(sorted(gone)[0]))
        changes["categories"] = dumps(cats)
    renames: dict[str, str] = {}
    if targets is not None:
        new_targets = _clean_targets(targets)
        # a name changed in place is a rename: its answers follow
        for i, old in enumerate(session.targets):
            if i < len(new_targets) and new_targets[i] != old and new_targets[i] not in session.targets:
                renames[old] = new_targets[i]
        gone = {renames.get(u[1], u[1]) for u in used} - set(new_targets)
        if gone:
            raise PortraitError("A target with answers cannot be removed.", key="portrait.err.target_in_use",
                                name=sorted(gone)[0])
        changes["targets"] = dumps(new_targets)
    with db.atomic():
        db["portrait_sessions"].update(session_id, changes)
        for old, new in renames.items():
            db.execute("UPDATE portrait_answers SET target = ? WHERE session_id = ? AND target = ?",
                       [new, session_id, old])
        if participant_ids is not None:
            members = list(dict.fromkeys(int(p) for p in participant_ids))
            gone = {u[2] for u in used} - set(members)
            if gone:
                raise PortraitError("A player with answers cannot be removed.", key="portrait.err.player_in_use")
            db.execute("DELETE FROM portrait_members WHERE session_id = ?", [session_id])
            db["portrait_members"].insert_all([{"session_id": session_id, "participant_id": p, "seat": n}
                                               for n, p in enumerate(members)])
    return get_session(db, session_id)


def parse_cell(text: str) -> tuple[str, str]:
    """"tortue : lente mais sûre" → ("tortue", "lente mais sûre"); the first colon separates."""
    text = re.sub(r"\s+", " ", (text or "")).strip()
    if ":" in text:
        answer, _, why = text.partition(":")
        return answer.strip(), why.strip()
    return text, ""


def list_answers(db: sqlite_utils.Database, session_id: int | None = None) -> list[Answer]:
    if "portrait_answers" not in db.table_names():
        return []
    where, args = ("WHERE a.session_id = ?", [session_id]) if session_id is not None else ("", [])
    rows = db.execute(
        "SELECT a.id, a.session_id, a.participant_id, p.code, p.kind, a.target, a.category, a.answer, "
        "a.justification FROM portrait_answers a JOIN participants p ON p.id = a.participant_id "
        f"{where} ORDER BY a.session_id, a.target, a.category, p.code", args).fetchall()
    return [Answer(r[0], r[1], r[2], r[3], group_of(r[4]), r[5], r[6], r[7], r[8] or "") for r in rows]


def save_answer(db: sqlite_utils.Database, session_id: int, participant_id: int, target: str, category: str,
                answer: str, justification: str = "") -> Answer:
    """Save (or replace) one answer; an empty answer is refused and nothing else changes."""
    session = get_session(db, session_id)
    if participant_id not in session.participant_ids:
        raise PortraitError("This participant does not play this portrait.", key="portrait.err.not_member")
    if target not in session.targets:
        raise PortraitError(f"{target} is not a target of this portrait.", key="portrait.err.unknown_target",
                            name=target)
    if category not in {c["key"] for c in session.categories}:
        raise PortraitError(f"{category} is not a category of this portrait.", key="portrait.err.unknown_category",
                            name=category)
    answer = re.sub(r"\s+", " ", answer or "").strip()
    justification = re.sub(r"\s+", " ", justification or "").strip()
    if not answer or not _key(answer):
        raise PortraitError("An answer cannot be empty.", key="portrait.err.empty_answer",
                            category=session.category_label(category))
    now = now_iso()
    with db.atomic():
        existing = db.execute("SELECT id FROM portrait_answers WHERE session_id = ? AND participant_id = ? AND "
                              "target = ? AND category = ?", [session_id, participant_id, target, category]).fetchone()
        if existing:
            db["portrait_answers"].update(existing[0], {"answer": answer[:200], "justification": justification[:600],
                                                        "updated_at": now})
            aid = existing[0]
        else:
            aid = db["portrait_answers"].insert({
                "session_id": session_id, "participant_id": participant_id, "target": target, "category": category,
                "answer": answer[:200], "justification": justification[:600], "created_at": now,
                "updated_at": now}).last_pk
    return next(a for a in list_answers(db, session_id) if a.id == aid)


def delete_answer(db: sqlite_utils.Database, session_id: int, participant_id: int, target: str, category: str) -> None:
    with db.atomic():
        db.execute("DELETE FROM portrait_answers WHERE session_id = ? AND participant_id = ? AND target = ? AND "
                   "category = ?", [session_id, participant_id, target, category])


@dataclass
class GridResult:
    saved: int = 0
    deleted: int = 0
    errors: list[tuple[int, str, DomainError]] = field(default_factory=list)   # (participant id, category, error)


def save_grid(db: sqlite_utils.Database, session_id: int, target: str, cells: dict[tuple[int, str], str]) -> GridResult:
    """Save a grid of cells "answer : justification" for one target. Unchanged cells are left alone, a
    cleared cell deletes its answer, a bad cell is reported and every other cell is saved."""
    current = {(a.participant_id, a.category): a.cell() for a in list_answers(db, session_id) if a.target == target}
    result = GridResult()
    for (pid, category), text in cells.items():
        text = re.sub(r"\s+", " ", text or "").strip()
        if text == current.get((pid, category), ""):
            continue
        try:
            if not text:
                delete_answer(db, session_id, pid, target, category)
                result.deleted += 1
                continue
            answer, why = parse_cell(text)
            save_answer(db, session_id, pid, target, category, answer, why)
            result.saved += 1
        except DomainError as e:
            result.errors.append((pid, category, e))
    return result


def delete_session(db: sqlite_utils.Database, session_id: int) -> None:
    get_session(db, session_id)
    with db.atomic():
        db.execute("DELETE FROM portrait_answers WHERE session_id = ?", [session_id])
        db.execute("DELETE FROM portrait_members WHERE session_id = ?", [session_id])
        db["portrait_sessions"].delete(session_id)


# ---------------------------------------------------------------- analysis

@dataclass
class AnswerGroup:
    key: str
    label: str
    answers: list[Answer]
    traits: Counter                      # trait key -> answers connoting it
    known: bool = False                  # found in the lexicon

    @property
    def count(self) -> int:
        return len(self.answers)

    def by_group(self) -> Counter:
        return Counter(a.group for a in self.answers)


@dataclass
class TraitScore:
    trait: Trait
    answers: list[Answer]                # the answers connoting it
    total: int                           # answers of the target (and group) considered
    from_lexicon: int = 0
    from_justification: int = 0

    @property
    def count(self) -> int:
        return len(self.answers)

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0


@dataclass
class Contrast:
    trait: Trait
    left: TraitScore | None
    right: TraitScore | None

    @property
    def left_share(self) -> float:
        return self.left.share if self.left else 0.0

    @property
    def right_share(self) -> float:
        return self.right.share if self.right else 0.0

    @property
    def gap(self) -> float:
        return self.left_share - self.right_share


def answer_traits(a: Answer) -> tuple[list[str], list[str]]:
    """(traits from the lexicon, traits from the justification and the answer's own words)."""
    n = normalise(a.answer, a.category)
    from_lexicon = list(n.entry.traits) if n.entry else []
    from_words = [t for t in cue_traits(a.justification) + (cue_traits(a.answer) if not n.entry else [])]
    return from_lexicon, [t for t in dict.fromkeys(from_words)]


def _answers(db, session_id: int | None, target: str | None = None, group: str | None = None) -> list[Answer]:
    return [a for a in list_answers(db, session_id)
            if (target is None or a.target == target) and (group is None or a.group == group)]


def grouped_answers(db: sqlite_utils.Database, session_id: int | None = None, *, target: str | None = None,
                    group: str | None = None) -> dict[str, dict[str, list[AnswerGroup]]]:
    """target -> category -> answer groups, most frequent first."""
    out: dict[str, dict[str, dict[str, AnswerGroup]]] = defaultdict(lambda: defaultdict(dict))
    for a in _answers(db, session_id, target, group):
        n = normalise(a.answer, a.category)
        if not n.key:
            continue
        g = out[a.target][a.category].get(n.key)
        if g is None:
            g = out[a.target][a.category][n.key] = AnswerGroup(n.key, n.label, [], Counter(), n.entry is not None)
        g.answers.append(a)
        lex, words = answer_traits(a)
        g.traits.update(set(lex) | set(words))
    result: dict[str, dict[str, list[AnswerGroup]]] = {}
    for tgt, cats in out.items():
        result[tgt] = {}
        for cat, groups in cats.items():
            for g in groups.values():  # the most frequent surface form (articles aside) names the group
                forms = Counter(_surface(a.answer, cat) for a in g.answers)
                top = max(forms.values())
                tied = [f for f, n in forms.items() if n == top]
                g.label = next((f for f in tied if _key(f) == _key(g.label)), sorted(tied)[0])
            result[tgt][cat] = sorted(groups.values(), key=lambda g: (-g.count, g.label))
    return result


def trait_profile(db: sqlite_utils.Database, target: str, group: str | None = None,
                  session_id: int | None = None) -> list[TraitScore]:
    """The traits a target's answers connote, most frequent first; each with the answers behind it."""
    answers = _answers(db, session_id, target, group)
    scores: dict[str, TraitScore] = {}
    all_traits = traits()
    for a in answers:
        lex, words = answer_traits(a)
        for key in dict.fromkeys(lex + words):
            s = scores.setdefault(key, TraitScore(all_traits[key], [], len(answers)))
            s.answers.append(a)
            if key in lex:
                s.from_lexicon += 1
            else:
                s.from_justification += 1
    return sorted(scores.values(), key=lambda s: (-s.count, s.trait.key))


def _contrast(left: list[TraitScore], right: list[TraitScore]) -> list[Contrast]:
    lk = {s.trait.key: s for s in left}
    rk = {s.trait.key: s for s in right}
    out = [Contrast(traits()[k], lk.get(k), rk.get(k)) for k in set(lk) | set(rk)]
    return sorted(out, key=lambda c: (-abs(c.gap), c.trait.key))


def compare_targets(db: sqlite_utils.Database, brand: str, competitor: str, *, group: str | None = None,
                    session_id: int | None = None, min_answers: int = 2) -> list[Contrast]:
    """Traits where the brand and a competitor differ most (share of each one's answers), with evidence."""
    out = _contrast(trait_profile(db, brand, group, session_id), trait_profile(db, competitor, group, session_id))
    return [c for c in out if max(c.left.count if c.left else 0, c.right.count if c.right else 0) >= min_answers]


def group_divergence(db: sqlite_utils.Database, target: str, *, session_id: int | None = None,
                     min_answers: int = 2) -> list[Contrast]:
    """Employees (left) against customers (right): the traits where they see the target differently."""
    out = _contrast(trait_profile(db, target, "employees", session_id),
                    trait_profile(db, target, "customers", session_id))
    return [c for c in out if max(c.left.count if c.left else 0, c.right.count if c.right else 0) >= min_answers]


def category_divergence(db: sqlite_utils.Database, target: str, session_id: int | None = None) -> list[dict]:
    """Per category, the top answer of employees and of customers, and whether they coincide."""
    emp = grouped_answers(db, session_id, target=target, group="employees").get(target, {})
    cus = grouped_answers(db, session_id, target=target, group="customers").get(target, {})
    out = []
    for cat in list(dict.fromkeys(list(cus) + list(emp))):
        e, c = emp.get(cat, []), cus.get(cat, [])
        out.append({"category": cat, "employees": e[:3], "customers": c[:3],
                    "shared": sorted({g.key for g in e} & {g.key for g in c})})
    return out


@dataclass
class PlatformLink:
    element: str          # the value, personality trait or promise as written in the platform
    kind: str             # value | personality | promise
    supporting: list[TraitScore]
    contradicting: list[TraitScore]

    @property
    def verdict(self) -> str:
        s = sum(t.count for t in self.supporting)
        c = sum(t.count for t in self.contradicting)
        if not s and not c:
            return "absent"
        if s + c < 3:
            return "thin"
        if s >= 2 * c:
            return "supported"
        if c >= 2 * s:
            return "contradicted"
        return "mixed"


def _matches(words: tuple[str, ...], text: str) -> bool:
    folded = " " + fold(text) + " "
    return any(re.search(r"(?<![\w])" + re.escape(w), folded) for w in words)


def platform_links(db: sqlite_utils.Database, target: str | None = None, *, group: str | None = None,
                   session_id: int | None = None) -> list[PlatformLink]:
    """For each value, personality trait and the promise of the current brand platform: the portrait's traits
    that support or contradict it, with their answers."""
    from research.brand import current_platform

    platform = current_platform(db)
    if target is None:
        sessions = list_sessions(db)
        target = sessions[-1].brand if sessions else ""
    profile = trait_profile(db, target, group, session_id)
    elements = [(v.name, "value") for v in platform.values] + [(p, "personality") for p in platform.personality]
    if platform.promise:
        elements.append((platform.promise, "promise"))
    out = []
    for text, kind in elements:
        sup = [s for s in profile if s.trait.supports and _matches(s.trait.supports, text)]
        con = [s for s in profile if s.trait.contradicts and _matches(s.trait.contradicts, text)]
        out.append(PlatformLink(text, kind, sup, con))
    return out


def brand_comparison(db: sqlite_utils.Database, lang: str = "fr", top: int = 3) -> list[dict]:
    """One row per category: the brand's and each competitor's most frequent grouped answers with their counts.

    Columns: "category", then one per target (brand first), e.g. "tortue (4) · saint-bernard (3)".
    """
    sessions = [s for s in list_sessions(db) if len(s.targets) > 1] or list_sessions(db)
    if not sessions:
        return []
    session = sessions[-1]
    groups = grouped_answers(db, session.id)
    if not groups:
        return []
    rows = []
    for cat in session.categories:
        row = {"category": cat.get(lang) or cat["fr"]}
        filled = False
        for target in session.targets:
            best = groups.get(target, {}).get(cat["key"], [])[:top]
            row[target] = " · ".join(f"{g.label} ({g.count})" for g in best) or "—"
            filled = filled or bool(best)
        if filled:
            rows.append(row)
    return rows
