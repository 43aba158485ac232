"""Transcripts: imported, split into what each speaker said, linked to the journey, searchable.

Formats: pasted text and .txt with speaker turns (`Name: ...` or `[00:12:03] Name: ...`, or the
name and time on a line of their own with the words below, as Otter and Teams' Word export write
them), .docx (the same turns, one paragraph each, or a table with a row per turn), .vtt (voice
tags `<v Name>` or `Name:` in cues) and .srt (`Name:` in cues), cues of the same speaker merged
into one turn. Encodings are detected
(Word exports are often cp1252 or latin-1). Every import runs in one transaction: a bad file
stores nothing, and the same file twice is refused unless the researcher chooses to replace the
earlier import or keep both.

Turns are segmented into utterances with spaCy (the French model's sentence recogniser; rules for
English), each keeping its character offsets in the stored transcript text, so a search result or
a finding opens the transcript at the right place. When the transcript follows the guide (section
headings such as `## Je compare les garanties` or `[Section: ...]`), utterances are linked to that
section's journey step; otherwise the analysis places them by similarity.

Tables: transcripts, utterances (with a full-text index, accents folded).
"""
from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import sqlite_utils

from research.errors import DomainError
from research.folding import fold, printable
from research.store import Migrations, dumps, loads, now_iso

migrations = Migrations("transcripts")

FORMATS = ("txt", "docx", "vtt", "srt", "paste")
ROLES = ("interviewer", "participant", "ignore")
MAX_BYTES = 20 * 1024 * 1024
INTERVIEWER_NAMES = {"intervieweur", "intervieweuse", "interviewer", "enquêteur", "enquêtrice", "animateur",
                     "animatrice", "modérateur", "modératrice", "moderator", "facilitator", "q", "question",
                     "chercheur", "chercheuse", "researcher"}


class TranscriptError(DomainError):
    pass


class DuplicateTranscriptError(TranscriptError):
    pass


@migrations()
def m001_transcripts(db: sqlite_utils.Database) -> None:
    db["transcripts"].create({"id": int, "interview_id": int, "filename": str, "format": str, "sha256": str,
                              "encoding": str, "lang": str, "text": str, "speakers": str, "imported_at": str},
                             pk="id", foreign_keys=[("interview_id", "interviews", "id")])
    db["transcripts"].create_index(["sha256"])
    db["utterances"].create({"id": int, "interview_id": int, "transcript_id": int, "participant_id": int,
                             "speaker": str, "role": str, "turn": int, "position": int, "start_char": int,
                             "end_char": int, "text": str, "timestamp_s": float, "lang": str, "step_id": int,
                             "step_source": str}, pk="id",
                            foreign_keys=[("interview_id", "interviews", "id"), ("transcript_id", "transcripts", "id"),
                                          ("participant_id", "participants", "id"), ("step_id", "journey_steps", "id")])
    db["utterances"].create_index(["interview_id", "position"])
    db["utterances"].create_index(["transcript_id"])
    db["utterances"].enable_fts(["text"], create_triggers=True, tokenize="unicode61 remove_diacritics 2")


# ---------------------------------------------------------------- parsing

@dataclass
class Turn:
    speaker: str
    text: str
    timestamp_s: float | None = None
    section: str | None = None  # the guide section heading this turn falls under


@dataclass
class Parsed:
    turns: list[Turn]
    encoding: str = "utf-8"
    format: str = "txt"

    @property
    def speakers(self) -> list[str]:
        return list(dict.fromkeys(t.speaker for t in self.turns))


_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?"
_TS = rf"(?:\[?\(?(?P<ts>{_CLOCK})\)?\]?\s*[-–]?\s*)?"
_TURN = re.compile(rf"^\s*{_TS}(?P<name>[^\W\d_][\w .'’()-]{{0,39}}?)\s*(?:\(\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s*\))?\s*:\s*(?P<text>.*)$")
# a speaker's name and the time alone on a line, their words on the next lines: Otter ("Speaker 1  0:04"),
# Teams' Word export ("Dupont, Marie   1:02:03"), Zoom-like "[Marie Dupont] 14:02:11"
_HEADER = re.compile(rf"^\s*\[?(?P<name>[^\W\d_](?:[^\W\d]|[ .,'’()-])*?(?:\s\d{{1,2}})?)\]?"
                     rf"\s+[\[(]?(?P<ts>{_CLOCK})(?:\s*(?P<meridiem>[AP]M))?[\])]?\s*$", re.IGNORECASE)
_CLOCK_ONLY = re.compile(rf"^\s*[\[(]?(?P<ts>{_CLOCK})[\])]?\s*$")  # Google Meet's five-minute marks
_TIMING = re.compile(rf"^\s*(?P<ts>{_CLOCK}|\d+:\d+:\d+[.,]\d+)\s*-->\s*[\d:.,]+\s*$")  # a cue's timing in a text file
_TRANSCRIPTION_NOTICE = re.compile(r"\b(?:started|stopped) transcription\b|\ba (?:démarré|arrêté) la transcription\b",
                                   re.IGNORECASE)
_EMPHASIS = re.compile(r"^(\*\*|__)(.{1,45}?)\1")  # "**Marie :** ..." pasted from Markdown or Notion
_HEADING = re.compile(r"^\s*(?:#{1,4}\s+(?P<h1>.+?)\s*#*|\[(?:section|partie|étape|etape)\s*:\s*(?P<h2>[^\]]+)\]"
                      r"|[-=]{3,}\s*(?P<h3>.+?)\s*[-=]{3,})\s*$", re.IGNORECASE)
_URLISH = re.compile(r"^(https?|www|mailto)$", re.I)
MAX_NAME_WORDS = 4


def _seconds(ts: str | None) -> float | None:
    if not ts:
        return None
    parts = [float(p.replace(",", ".")) for p in ts.split(":")]
    value = 0.0
    for p in parts:
        value = value * 60 + p
    return value


CLOCK_TIME_FROM_S = 3 * 3600  # a first time this late is a time of day (Zoom's "[Marie] 14:02:11"), not elapsed time


def _header_seconds(header: re.Match) -> float | None:
    """The header's time in seconds; "2:02:11 PM" read on the 24-hour clock ("2:02 PM" is hours and minutes)."""
    value = _seconds(header.group("ts"))
    meridiem = (header.group("meridiem") or "").upper()
    if value is not None and meridiem:
        value = value * 60 if header.group("ts").count(":") == 1 else value
        value = value % (12 * 3600) + (12 * 3600 if meridiem == "PM" else 0)
    return value


def _from_the_start(turns: list[Turn]) -> list[Turn]:
    """Times of day made into time since the first turn, so that turns read 0:00, 0:12, 1:03:20;
    elapsed times are kept as they are (a second part may start at 1:02:03)."""
    times = [t.timestamp_s for t in turns if t.timestamp_s is not None]
    if not times or times[0] < CLOCK_TIME_FROM_S:
        return turns
    for t in turns:
        if t.timestamp_s is not None:
            t.timestamp_s = (t.timestamp_s - times[0]) % (24 * 3600)  # past midnight stays after the start
    return turns


def elapsed(seconds: float | None) -> str:
    """Time in a recording as people write it: "4:05", "1:02:03"; "" when unknown."""
    if seconds is None:
        return ""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _name_like(line: str) -> bool:
    """A line that can only be a speaker's name: a few words, no colon, no sentence ending."""
    line = line.strip()
    return (0 < len(line.split()) <= MAX_NAME_WORDS and len(line) <= 40 and line[0].isalpha()
            and not re.search(r"[:.?!…;]$|:", line))


def _header_name(line: str) -> re.Match | None:
    m = _HEADER.match(line)
    return m if m and len(m.group("name").split()) <= MAX_NAME_WORDS else None


def _colon_turn(line: str) -> re.Match | None:
    m = _TURN.match(line)
    if m and len(m.group("name").split()) <= MAX_NAME_WORDS and not _URLISH.match(m.group("name").strip()):
        return m
    return None


def _speaker_layout(lines: list[str]) -> str:
    """How this transcript marks its speakers: 'colon' ("Marie: ..." on the line), 'header' (the name
    and the time on a line of their own, the words below) or 'timed' (Teams' older Word export:
    a cue timing line, the name, then the words). Decided for the whole file, because each layout
    alone would misread the others: "Speaker 1  0:04" is no "Speaker 1  0" saying "04", and
    "Note: ..." inside a header-layout turn is no speaker."""
    headers = sum(1 for line in lines if _header_name(line))
    colons = sum(1 for line in lines if not _header_name(line) and _colon_turn(line))
    timings = [k for k, line in enumerate(lines) if _TIMING.match(line)]
    named_cues = sum(1 for k in timings if k + 2 < len(lines) and _name_like(lines[k + 1])
                     and not _TIMING.match(lines[k + 2]))
    if len(timings) >= 2 and named_cues >= 0.8 * len(timings) and colons < named_cues:
        return "timed"
    if headers >= 2 and headers > colons:
        return "header"
    return "colon"


def parse_turns(text: str) -> list[Turn]:
    """Speaker turns from lines like `Name: ...` or `[00:12:03] Name: ...`, or from a name and a time
    on a line of their own (Otter, Teams' Word export) with the words below; other lines continue a
    turn. Lines that only give the time (Google Meet's marks, cue timings) date the next turn."""
    lines = [_EMPHASIS.sub(r"\2", raw.strip()) for raw in text.splitlines()]
    lines = [line for line in lines if line]
    layout = _speaker_layout(lines)
    turns: list[Turn] = []
    section = None
    pending_ts: float | None = None
    expect_name = False
    for line in lines:
        h = _HEADING.match(line)
        if h:
            section = (h.group("h1") or h.group("h2") or h.group("h3") or "").strip()
            continue
        clock = _TIMING.match(line) or _CLOCK_ONLY.match(line)
        if clock:
            pending_ts = _seconds(clock.group("ts"))
            expect_name = layout == "timed" and bool(_TIMING.match(line))
            continue
        if layout != "colon" and _TRANSCRIPTION_NOTICE.search(line) and len(line.split()) <= 8:
            continue
        header = _header_name(line) if layout == "header" else None
        turn = _colon_turn(line) if layout == "colon" else None
        if header:
            turns.append(Turn(header.group("name").strip(), "", _header_seconds(header), section))
        elif expect_name and _name_like(line):
            turns.append(Turn(line, "", pending_ts, section))
        elif turn:
            turns.append(Turn(turn.group("name").strip(), turn.group("text").strip(),
                              _seconds(turn.group("ts")) if turn.group("ts") else pending_ts, section))
        elif turns:
            turns[-1].text = (turns[-1].text + " " + line).strip()
        else:
            turns.append(Turn("", line, None, section))
        expect_name = False
        if header or turn:
            pending_ts = None
    if layout == "timed":
        turns = _merge_same_speaker(turns)
    turns = [t for t in turns if t.text]
    if not turns:
        raise TranscriptError("The transcript holds no text.", key="transcripts.err.empty")
    if not any(t.speaker for t in turns) or sum(1 for t in turns if t.speaker) < max(1, len(turns) // 2):
        raise TranscriptError("No speaker marks found: each turn should start with a name and a colon "
                              "(\"Marie: ...\").", key="transcripts.err.no_speakers")
    if not turns[0].speaker and layout != "colon":  # an export's title block: its name, date and length
        turns = turns[1:]
    elif not turns[0].speaker:  # a preamble before the first turn is kept as a note of the first speaker
        turns[1].text = turns[0].text + " " + turns[1].text if len(turns) > 1 else turns[0].text
        turns = turns[1:]
    return _from_the_start(turns)


def _merge_same_speaker(turns: list[Turn]) -> list[Turn]:
    """Consecutive cues of one speaker read as one turn, as in subtitle files."""
    merged: list[Turn] = []
    for t in turns:
        if merged and t.speaker and t.speaker == merged[-1].speaker and t.section == merged[-1].section:
            merged[-1].text = (merged[-1].text + " " + t.text).strip()
        else:
            merged.append(t)
    return merged


def _cue_turns(cues: list[tuple[float, str, str | None]]) -> list[Turn]:
    """Cues (start seconds, text, voice) merged into turns of one speaker."""
    turns: list[Turn] = []
    for start, text, voice in cues:
        text = re.sub(r"</?[^>]+>", "", text).replace("\n", " ").strip()
        if not text:
            continue
        speaker = voice
        if speaker is None:
            m = _TURN.match(text)
            if m and len(m.group("name").split()) <= 4:
                speaker, text = m.group("name").strip(), m.group("text").strip()
        if speaker is None and turns:
            speaker = turns[-1].speaker
        if turns and speaker == turns[-1].speaker:
            turns[-1].text += " " + text
        else:
            turns.append(Turn(speaker or "", text, start))
    if not turns:
        raise TranscriptError("The subtitles hold no text.", key="transcripts.err.empty")
    if not any(t.speaker for t in turns):
        raise TranscriptError("No speaker marks found in the subtitles (use <v Name> or \"Name:\").",
                              key="transcripts.err.no_speakers")
    for t in turns:
        t.speaker = t.speaker or "?"
    return turns


WESTERN_ENCODINGS = ("cp1252", "iso8859_15", "mac_roman", "cp850")
WESTERN_MAX_CHAOS = 0.1  # charset_normalizer's measure of odd characters in the decoded text


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was in; a clear error when it is not text."""
    if not data or not data.strip():
        raise TranscriptError("The file is empty.", key="transcripts.err.empty")
    if len(data) > MAX_BYTES:
        raise TranscriptError("The file is larger than 20 MB.", key="transcripts.err.too_big")
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                raise TranscriptError("The file's encoding could not be recognised.",
                                      key="transcripts.err.encoding") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise TranscriptError("This file is not text.", key="transcripts.err.encoding")
    from charset_normalizer import from_bytes

    # French and English transcripts not in UTF-8 come from Word, Notepad or an old Mac: Western
    # code pages first. Unrestricted, detection read a short French Latin-1 file as Central European
    # (cp1250: "è" became "č") or even as Big5, without a word of warning.
    best = from_bytes(data, cp_isolation=list(WESTERN_ENCODINGS)).best()
    if best is None or best.chaos > WESTERN_MAX_CHAOS:
        best = from_bytes(data).best()
    if best is None:
        raise TranscriptError("The file's encoding could not be recognised.", key="transcripts.err.encoding")
    enc = best.encoding
    if enc in ("ascii", "iso8859_1", "latin_1"):
        enc = "cp1252"  # Word's Western default: a superset of latin-1's printable range
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        text, enc = str(best), best.encoding
    if sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\r\n\t") > len(text) * 0.01:
        raise TranscriptError("This file is not text.", key="transcripts.err.encoding")
    return text, enc


def parse(data: bytes, fmt: str) -> Parsed:
    fmt = (fmt or "").lower().lstrip(".")
    if fmt not in FORMATS:
        raise TranscriptError(f"Unknown transcript format {fmt!r}: use .txt, .docx, .vtt or .srt.",
                              key="transcripts.err.format", format=fmt)
    if fmt == "docx":
        return Parsed(parse_turns(printable(_docx_text(data))), "docx", "docx")
    text, enc = decode(data)
    text = printable(text)
    if fmt in ("txt", "paste"):
        return Parsed(parse_turns(text), enc, fmt)
    if fmt == "vtt":
        import webvtt

        try:
            vtt = webvtt.from_string(text)
        except Exception as e:  # webvtt raises its own MalformedFileError and others
            raise TranscriptError(f"This .vtt file is malformed ({e}).", key="transcripts.err.malformed",
                                  format="vtt") from None
        cues = [(c.start_in_seconds, c.text, getattr(c, "voice", None)) for c in vtt]
        _check_every_cue_was_read(text, len(cues))
        if not cues:
            raise TranscriptError("This .vtt file holds no readable cue.", key="transcripts.err.malformed", format="vtt")
        return Parsed(_cue_turns(cues), enc, "vtt")
    import srt

    try:
        subs = list(srt.parse(text))
    except srt.SRTParseError as e:
        # the block the parser could not match: point at its timing line, where the fault usually is
        first = text.count("\n", 0, e.expected_start) + 1
        block = text[e.expected_start:e.actual_start].splitlines()
        line = first + next((k for k, l in enumerate(block) if "-->" in l),
                            next((k for k, l in enumerate(block) if re.search(r"\d:\d", l)), 0))
        raise _malformed_at("srt", text, line) from None
    except ValueError as e:
        raise TranscriptError(f"This .srt file is malformed ({e}).", key="transcripts.err.malformed",
                              format="srt") from None
    return Parsed(_cue_turns([(s.start.total_seconds(), s.content, None) for s in subs]), enc, "srt")


_VTT_TIMING = re.compile(r"^\s*(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}\s+-->\s+(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}(?:\s.*)?$")


def _malformed_at(fmt: str, text: str, line: int) -> TranscriptError:
    """A subtitle file refused at a line, quoting it so that it can be found and fixed."""
    lines = text.splitlines()
    excerpt = lines[line - 1].strip()[:60] if 0 < line <= len(lines) else ""
    return TranscriptError(f"This .{fmt} file is malformed at line {line} ({excerpt!r}); nothing was imported.",
                           key="transcripts.err.malformed_at", format=fmt, line=line, excerpt=excerpt)


def _check_every_cue_was_read(text: str, cues_read: int) -> None:
    """webvtt-py skips a cue whose timing it cannot read, and its words with it: refuse the file
    instead, naming the first timing line that is not valid WebVTT."""
    timings = [(n, l) for n, l in enumerate(text.splitlines(), start=1) if "-->" in l]
    if cues_read >= len(timings):
        return
    bad = next((n for n, l in timings if not _VTT_TIMING.match(l)), timings[-1][0])
    raise _malformed_at("vtt", text, bad)


def _docx_text(data: bytes) -> str:
    if not data:
        raise TranscriptError("The file is empty.", key="transcripts.err.empty")
    try:
        from docx import Document
        from docx.table import Table

        doc = Document(io.BytesIO(data))
        lines = []
        for block in doc.iter_inner_content():  # paragraphs and tables, in the document's order
            if isinstance(block, Table):
                lines.extend(_table_turns(block))
                continue
            text = block.text.strip()
            if text and block.style is not None and block.style.name.lower().startswith("heading"):
                text = "## " + text
            lines.append(text)
    except Exception:  # python-docx raises zipfile, KeyError, lxml errors on a bad file
        raise TranscriptError("This .docx file cannot be read.", key="transcripts.err.malformed",
                              format="docx") from None
    return "\n".join(lines)


# the words of a table's heading row: "Speaker | Time | Text", "Intervenant | Horodatage | Verbatim"
_TABLE_HEADINGS = {"speaker", "locuteur", "locutrice", "intervenant", "intervenante", "nom", "name", "qui", "who",
                   "time", "timestamp", "heure", "horodatage", "temps", "debut", "start", "minutage", "timecode",
                   "text", "texte", "transcript", "transcription", "verbatim", "propos", "dialogue", "contenu",
                   "content", "words", "paroles"}


def _table_turns(table) -> list[str]:
    """A transcript laid out as a Word table (a row per turn: the speaker, maybe the time, the
    words) read as `[time] Name: words` lines; a heading row is skipped."""
    lines = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:  # a merged cell is listed once per grid column it spans
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(" ".join(cell.text.split()))
        cells = [c for c in cells if c]
        if not cells or all(fold(c) in _TABLE_HEADINGS for c in cells):
            continue
        clock = next((c for c in cells if _CLOCK_ONLY.match(c)), None)
        rest = [c for c in cells if c is not clock]
        if len(rest) >= 2 and _name_like(rest[0]):
            lines.append((f"[{clock}] " if clock else "") + f"{rest[0]}: " + " ".join(rest[1:]))
        else:
            lines.append(" ".join(cells))
    return lines


def format_of(filename: str) -> str:
    ext = Path(filename or "").suffix.lower().lstrip(".")
    return {"text": "txt", "md": "txt"}.get(ext, ext)


# ---------------------------------------------------------------- segmentation

@lru_cache(maxsize=2)
def _segmenter(lang: str):
    import spacy

    from research.nlp import spacy_french

    if lang == "fr":
        try:
            nlp = spacy_french.load(exclude=["parser", "ner", "lemmatizer", "morphologizer", "attribute_ruler",
                                             "tok2vec"])
            nlp.enable_pipe("senter")
            return nlp
        except (OSError, ValueError):
            pass
    nlp = spacy.blank("en" if lang == "en" else "fr")
    nlp.add_pipe("sentencizer")
    return nlp


def preload_segmenter(lang: str = "fr") -> None:
    """Load the sentence segmenter and the name finder of the pseudonymiser ahead of the first
    import (the app does it at start-up)."""
    from research.privacy import load_pipeline

    _segmenter(lang)
    load_pipeline(lang)


def segment(texts: list[str], lang: str, min_words: int = 4) -> list[list[tuple[int, int]]]:
    """Per text, (start, end) character spans of its utterances; very short sentences join a neighbour."""
    nlp = _segmenter(lang)
    out = []
    for doc in nlp.pipe(texts, batch_size=64):
        spans = [[s.start_char, s.end_char] for s in doc.sents if s.text.strip()]
        merged: list[list[int]] = []
        for sp in spans:
            short = len(doc.text[sp[0]:sp[1]].split()) < min_words
            if merged and (short or len(doc.text[merged[-1][0]:merged[-1][1]].split()) < min_words):
                merged[-1][1] = sp[1]
            else:
                merged.append(sp)
        out.append([(a, b) for a, b in merged])
    return out


# ---------------------------------------------------------------- speakers

def _plain_name(name: str) -> str:
    """A name folded for matching, a corporate directory's "Dupont, Marie" read as "marie dupont"."""
    last, comma, first = fold(name).partition(",")
    return " ".join((first.split() + last.split()) if comma and first.strip() else last.split())


def guess_speaker_roles(db: sqlite_utils.Database, interview_id: int, speakers: list[str]) -> dict[str, object]:
    """A first mapping the researcher confirms: 'interviewer', a participant id, or 'ignore'."""
    from research.interviews import get_interview
    from research.participants import get_contact

    interview = get_interview(db, interview_id)
    interviewer = _plain_name(interview.interviewer)
    names = {}
    for pid, code in zip(interview.participant_ids, interview.participant_codes):
        contact = get_contact(db, pid)
        full = _plain_name(contact.full_name)
        names[pid] = {fold(code)} | ({full, full.split()[0]} if full else set())
    mapping: dict[str, object] = {}
    for sp in speakers:
        f = _plain_name(sp)
        if f in INTERVIEWER_NAMES or (interviewer and (f == interviewer or f == interviewer.split()[0])):
            mapping[sp] = "interviewer"
            continue
        match = [pid for pid, ns in names.items() if f in ns or any(n and f.split()[0] == n for n in ns)]
        if match:
            mapping[sp] = match[0]
    unassigned = [sp for sp in speakers if sp not in mapping]
    free = [pid for pid in interview.participant_ids if pid not in mapping.values()]
    if "interviewer" not in mapping.values() and unassigned and len(unassigned) > len(free):
        mapping[unassigned.pop(0)] = "interviewer"  # the first to speak usually runs the interview
    for sp in unassigned:
        mapping[sp] = free.pop(0) if free else (interview.participant_ids[0] if len(interview.participant_ids) == 1
                                                 else "ignore")
    return mapping


# ---------------------------------------------------------------- import

@dataclass
class ImportResult:
    transcript_id: int
    utterances: int
    speakers: dict
    linked_to_steps: int
    replaced: int | None = None
    warnings: list[str] = field(default_factory=list)


def find_duplicate(db: sqlite_utils.Database, sha256: str) -> dict | None:
    rows = list(db["transcripts"].rows_where("sha256 = ?", [sha256], limit=1))
    return rows[0] if rows else None


def _section_steps(db: sqlite_utils.Database, interview) -> dict[str, int]:
    """Folded section titles and step labels of the interview's guide/journey → step id."""
    out: dict[str, int] = {}
    if interview.guide_version_id:
        from research.guides import get_guide_version

        for s in get_guide_version(db, interview.guide_version_id).sections:
            if s.step_id:
                out[fold(s.title)] = s.step_id
                out[fold(s.title.split("—")[-1])] = s.step_id
    if interview.journey_id:
        from research.journeys import list_steps

        for st in list_steps(db, interview.journey_id):
            out.setdefault(fold(st.label), st.id)
    return out


def _step_for(section: str | None, table: dict[str, int]) -> int | None:
    if not section:
        return None
    f = fold(section)
    f_short = re.sub(r"^\s*\d+[.)]\s*", "", f)
    for key in (f, f_short, f_short.split("—")[-1].strip()):
        if key in table:
            return table[key]
    for key, sid in table.items():  # heading shortened or extended by the transcriber
        if len(key) > 8 and (key in f_short or f_short in key):
            return sid
    return None


def import_transcript(db: sqlite_utils.Database, interview_id: int, data: bytes, *, filename: str = "",
                      fmt: str | None = None, speakers: dict[str, object] | None = None,
                      on_duplicate: str | None = None, lang: str | None = None,
                      pseudonymise: bool | None = None) -> ImportResult:
    """Parse, map speakers, segment and store a transcript, all in one transaction.

    `speakers` maps each speaker name to 'interviewer', a participant id, 'group' (the participants
    together, as in committee minutes: no one person) or 'ignore' (guessed when missing).
    `on_duplicate`: None (refuse), 'replace' or 'keep_both'. `pseudonymise` (default: the workspace
    setting, on) replaces names, e-mails, phone numbers and addresses with placeholders and
    participants' speaker labels with their codes; the mapping goes to `pseudonym_map`, apart.
    """
    from research.interviews import get_interview
    from research.nlp.language import detect_language

    interview = get_interview(db, interview_id)
    fmt = fmt or format_of(filename)
    parsed = parse(data, fmt)
    digest = hashlib.sha256(data).hexdigest()
    existing = find_duplicate(db, digest)
    if existing and on_duplicate not in ("replace", "keep_both"):
        raise DuplicateTranscriptError("This file was imported already; replace it or keep both.",
                                       key="transcripts.err.duplicate", interview_id=existing["interview_id"],
                                       filename=existing["filename"] or "")
    guessed = guess_speaker_roles(db, interview_id, parsed.speakers)
    mapping = {**guessed, **(speakers or {})}
    for sp, role in mapping.items():
        if role not in ("interviewer", "ignore", "group") and role not in interview.participant_ids:
            raise TranscriptError(f"{sp!r} is mapped to someone who is not in this interview.",
                                  key="transcripts.err.mapping", speaker=sp)
    lang = lang or interview.lang or detect_language(" ".join(t.text for t in parsed.turns[:20]))
    sections = _section_steps(db, interview)

    kept = [t for t in parsed.turns if mapping.get(t.speaker) != "ignore"]
    labels = {sp: sp for sp in mapping}
    pseudonymiser = None
    if pseudonymise if pseudonymise is not None else _pseudonymise_default(db):
        pseudonymiser, labels = _pseudonymise_turns(db, interview, kept, mapping, lang)

    # the stored text: one "Speaker: words" line per turn; utterance offsets point into it
    lines, starts, pos = [], [], 0
    for t in kept:
        prefix = f"{labels.get(t.speaker, t.speaker)}: "
        starts.append(pos + len(prefix))
        lines.append(prefix + t.text)
        pos += len(prefix) + len(t.text) + 1
    full_text = "\n".join(lines)
    spans = segment([t.text for t in kept], lang)

    rows, linked, position = [], 0, 0
    for turn_no, (t, base, turn_spans) in enumerate(zip(kept, starts, spans), start=1):
        role = mapping.get(t.speaker)
        step_id = _step_for(t.section, sections)
        for a, b in turn_spans:
            position += 1
            text = t.text[a:b]
            rows.append({"interview_id": interview_id, "participant_id": role if isinstance(role, int) else None,
                         "speaker": labels.get(t.speaker, t.speaker),
                         "role": "interviewer" if role == "interviewer" else "participant",
                         "turn": turn_no, "position": position, "start_char": base + a, "end_char": base + b,
                         "text": text, "timestamp_s": t.timestamp_s, "lang": lang, "step_id": step_id,
                         "step_source": "guide" if step_id else None})
            linked += bool(step_id)
    if not rows:
        raise TranscriptError("Nothing is left once ignored speakers are removed.", key="transcripts.err.empty")

    replaced = None
    with db.atomic():
        if existing and on_duplicate == "replace":
            replaced = existing["id"]
            delete_transcript(db, existing["id"])
        tid = db["transcripts"].insert({"interview_id": interview_id, "filename": filename or "", "format": parsed.format,
                                        "sha256": digest, "encoding": parsed.encoding, "lang": lang, "text": full_text,
                                        "speakers": dumps({labels.get(k, k): v for k, v in mapping.items()}),
                                        "imported_at": now_iso()}).last_pk
        # an interview recorded in parts: the new transcript's utterances come after those already there,
        # so that everything ordered by position (the transcript view, the turn before an answer, exports)
        # reads one part after the other instead of interleaving them
        after = db.execute("SELECT coalesce(max(position), 0) FROM utterances WHERE interview_id = ?",
                           [interview_id]).fetchone()[0]
        for r in rows:
            r["transcript_id"] = tid
            r["position"] += after
        db["utterances"].insert_all(rows, batch_size=500)
        if pseudonymiser is not None:
            from research.privacy import record_mapping

            only = interview.participant_ids[0] if len(interview.participant_ids) == 1 else None
            record_mapping(db, pseudonymiser, interview_id=interview_id, transcript_id=tid, participant_id=only,
                           lang=lang)
        if interview.status == "planned":
            db["interviews"].update(interview_id, {"updated_at": now_iso()})
    return ImportResult(tid, len(rows), mapping, linked, replaced)


def _pseudonymise_default(db: sqlite_utils.Database) -> bool:
    from research.privacy import pseudonymise_on_import

    return pseudonymise_on_import(db)


def _pseudonymise_turns(db, interview, turns: list[Turn], mapping: dict, lang: str):
    """Replace personal data in the turns (in place) and give participants' speaker labels their codes.

    Names the study knows (the participants' contact names, their speaker labels) are looked for
    besides spaCy's and the patterns'; the brand and its competitors are never taken for names."""
    from research.participants import get_contact
    from research.privacy import Pseudonymiser, Replacement
    from research.workspace import get_workspace

    codes = dict(zip(interview.participant_ids, interview.participant_codes))
    known = [get_contact(db, pid).full_name for pid in interview.participant_ids]
    known += [sp for sp, role in mapping.items() if isinstance(role, int) and sp]
    ws = get_workspace(db)
    brands = [ws.brand_name, *ws.competitors] if ws else []
    keep = brands + [w for b in brands for w in (b or "").split() if len(w) >= 3]  # "Alizé" of "Alizé Mutuelle"
    pseudonymiser = Pseudonymiser(lang, known_names=[k for k in known if k], keep=[k for k in keep if k])
    for turn, done in zip(turns, pseudonymiser.apply_all([t.text for t in turns])):
        turn.text = done.text
    labels = {}
    for sp, role in mapping.items():
        if isinstance(role, int) and sp and sp != codes.get(role):
            labels[sp] = codes[role]
            pseudonymiser.replacements.append(Replacement(sp, codes[role], "person", 0, len(sp)))
    return pseudonymiser, labels


def delete_transcript(db: sqlite_utils.Database, transcript_id: int) -> None:
    with db.atomic():
        ids = [r[0] for r in db.execute("SELECT id FROM utterances WHERE transcript_id = ?", [transcript_id])]
        # every table that points at utterances (codes, corrections, pins, traits, the team's codings):
        # found by its column, so that a table added later is not forgotten
        pointing = [t for t in db.table_names() if "_fts" not in t and "utterance_id" in db[t].columns_dict]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for table in pointing:
                db.execute(f"DELETE FROM {table} WHERE utterance_id IN ({','.join('?' * len(chunk))})", chunk)
        db["utterances"].delete_where("transcript_id = ?", [transcript_id])
        if "pseudonym_map" in db.table_names():
            db["pseudonym_map"].delete_where("transcript_id = ?", [transcript_id])
        db["transcripts"].delete(transcript_id)


# ---------------------------------------------------------------- reading and linking

@dataclass
class Utterance:
    id: int
    position: int
    speaker: str
    role: str
    participant_id: int | None
    text: str
    start_char: int
    end_char: int
    timestamp_s: float | None
    step_id: int | None
    step_source: str | None
    transcript_id: int


def list_transcripts(db: sqlite_utils.Database, interview_id: int) -> list[dict]:
    """The interview's transcripts, first imported first, each with the number of its utterances."""
    if "transcripts" not in db.table_names():
        return []
    return [{**r, "speakers": loads(r["speakers"], {})} for r in db.query(
        """SELECT t.id, t.interview_id, t.filename, t.format, t.encoding, t.lang, t.speakers, t.imported_at,
                  (SELECT count(*) FROM utterances u WHERE u.transcript_id = t.id) AS utterances
           FROM transcripts t WHERE t.interview_id = ? ORDER BY t.id""", [interview_id])]


def get_transcript_text(db: sqlite_utils.Database, transcript_id: int) -> str:
    return db["transcripts"].get(transcript_id)["text"]


def list_utterances(db: sqlite_utils.Database, interview_id: int) -> list[Utterance]:
    if "utterances" not in db.table_names():
        return []
    return [Utterance(r["id"], r["position"], r["speaker"], r["role"], r["participant_id"], r["text"], r["start_char"],
                      r["end_char"], r["timestamp_s"], r["step_id"], r["step_source"], r["transcript_id"])
            for r in db["utterances"].rows_where("interview_id = ?", [interview_id], order_by="position")]


def set_utterance_step(db: sqlite_utils.Database, utterance_id: int, step_id: int | None) -> None:
    """The researcher links (or unlinks) an utterance to a journey step by hand."""
    if step_id is not None and not db["journey_steps"].count_where("id = ?", [step_id]):
        raise TranscriptError("This step does not exist.", key="transcripts.err.step")
    db["utterances"].update(utterance_id, {"step_id": step_id, "step_source": "manual" if step_id else None})


# ---------------------------------------------------------------- search

MATCH_OPEN, MATCH_CLOSE = "\x02", "\x03"  # around the words found, in Hit.snippet


@dataclass
class Hit:
    utterance_id: int
    interview_id: int
    interview_title: str
    participant_code: str
    speaker: str
    position: int
    snippet: str  # the passage around the words found, marked with MATCH_OPEN … MATCH_CLOSE
    text: str

    def snippet_parts(self) -> list[tuple[str, bool]]:
        """The snippet as (text, whether it is a word found) pieces, for a page to mark up."""
        parts = []
        for k, piece in enumerate(re.split(f"[{MATCH_OPEN}{MATCH_CLOSE}]", self.snippet)):
            if piece:
                parts.append((piece, k % 2 == 1))
        return parts


def _fts_query(query: str) -> str:
    words = re.findall(r"[\w'’-]+", query or "", flags=re.UNICODE)
    return " ".join(f'"{w}"*' for w in words)


def search(db: sqlite_utils.Database, query: str, limit: int = 50) -> list[Hit]:
    """Full-text search over every transcript; accents and case ignored; each word may be a prefix."""
    q = _fts_query(query)
    if not q or "utterances_fts" not in db.table_names():
        return []
    sql = """SELECT u.id, u.interview_id, i.title, coalesce(p.code, ''), u.speaker, u.position,
                    snippet(utterances_fts, 0, ?, ?, '…', 16), u.text
             FROM utterances_fts JOIN utterances u ON u.id = utterances_fts.rowid
             JOIN interviews i ON i.id = u.interview_id LEFT JOIN participants p ON p.id = u.participant_id
             WHERE utterances_fts MATCH ? ORDER BY rank LIMIT ?"""
    return [Hit(*r) for r in db.execute(sql, [MATCH_OPEN, MATCH_CLOSE, q, limit]).fetchall()]
