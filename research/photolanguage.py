"""Photolanguage sessions: panels dealt from the image library, picks and the words said about them.

In person, each participant gets their own panel of N images (default 50) from the library, without
the images flagged "obvious for this brand". The dealing is reproducible from its seed, every image
is used as evenly as possible, and the images two panels share (their overlap) are as few as the
library allows: `overlap_lower_bound` gives the smallest possible largest overlap between two
panels, and `deal_panels` reaches it (balanced use counts, then swaps between panels until no pair
shares more than it must). Remotely, one shared board of about twenty offbeat images is used.

Capture follows a round table: a participant's picks are entered one by one or as lines like
"17 : la mer, le calme" and each pick is saved at once; a wrong code, an image picked twice or a pick
without words is refused with a message and the earlier picks stay.
"""
from __future__ import annotations

import functools
import io
import math
import os
import random
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

import sqlite_utils

from research import images as I
from research.errors import DomainError
from research.store import Migrations, now_iso

migrations = Migrations("photolanguage")

MODES = ("in_person", "remote")
DEFAULT_PANEL = 50
DEFAULT_BOARD = 20
DEFAULT_MAX_PICKS = 3


class PhotolanguageError(DomainError):
    pass


@migrations()
def m001_photolanguage(db: sqlite_utils.Database) -> None:
    db["photolanguage_sessions"].create({
        "id": int, "name": str, "mode": str, "held_on": str, "question": str, "target": str,
        "panel_size": int, "seed": int, "max_picks": int, "notes": str, "created_at": str, "version": int,
    }, pk="id", not_null={"name", "mode"}, defaults={"version": 1})
    db["photolanguage_members"].create({
        "session_id": int, "participant_id": int, "seat": int,
    }, pk=("session_id", "participant_id"),
        foreign_keys=[("session_id", "photolanguage_sessions", "id"), ("participant_id", "participants", "id")])
    # participant_id is NULL for the shared board of a remote session
    db["photolanguage_panel_images"].create({
        "id": int, "session_id": int, "participant_id": int, "image_id": int, "position": int,
    }, pk="id", foreign_keys=[("session_id", "photolanguage_sessions", "id"),
                              ("participant_id", "participants", "id"), ("image_id", "images", "id")])
    db["photolanguage_panel_images"].create_index(["session_id", "participant_id"])
    db["photolanguage_picks"].create({
        "id": int, "session_id": int, "participant_id": int, "image_id": int, "rank": int, "words": str,
        "created_at": str,
    }, pk="id", not_null={"session_id", "participant_id", "image_id"},
        foreign_keys=[("session_id", "photolanguage_sessions", "id"), ("participant_id", "participants", "id"),
                      ("image_id", "images", "id")])
    db["photolanguage_picks"].create_index(["session_id", "participant_id", "image_id"], unique=True)


# ---------------------------------------------------------------- dealing (pure)

@dataclass
class Dealing:
    panels: list[list[int]]
    seed: int
    overlaps: dict[tuple[int, int], int]   # (panel i, panel j) -> images shared
    lower_bound: int                        # the smallest possible largest overlap
    uses: dict[int, int]                    # image -> number of panels it is in

    @property
    def max_overlap(self) -> int:
        return max(self.overlaps.values(), default=0)

    @property
    def min_overlap(self) -> int:
        return min(self.overlaps.values(), default=0)

    @property
    def mean_overlap(self) -> float:
        return sum(self.overlaps.values()) / len(self.overlaps) if self.overlaps else 0.0

    @property
    def is_minimal(self) -> bool:
        return self.max_overlap <= self.lower_bound


def balanced_uses(library: int, panels: int, size: int) -> tuple[int, int]:
    """(q, r): r images are used q + 1 times and the others q times."""
    return divmod(panels * size, library)


def overlap_lower_bound(library: int, panels: int, size: int) -> int:
    """The smallest value the largest pairwise overlap can take.

    Two panels share at least 2·size − library images; and the pairwise overlaps sum to
    Σ C(uses, 2) over images, smallest when uses are balanced, so some pair shares at least the mean.
    """
    if panels < 2:
        return 0
    q, r = balanced_uses(library, panels, size)
    total = r * math.comb(q + 1, 2) + (library - r) * math.comb(q, 2)
    return max(0, 2 * size - library, math.ceil(total / math.comb(panels, 2)))


def _overlap_matrix(sets: list[set[int]]) -> dict[tuple[int, int], int]:
    return {(i, j): len(sets[i] & sets[j]) for i, j in combinations(range(len(sets)), 2)}


def deal_panels(image_ids: Sequence[int], participants: int, size: int = DEFAULT_PANEL, seed: int = 0,
                max_rounds: int = 4000, attempts: int = 12) -> Dealing:
    """Deal `participants` panels of `size` distinct images, each image used as evenly as possible,
    the largest overlap between two panels as small as the library allows (a few seeded attempts, the
    best kept, stopping as soon as one reaches the bound). Same inputs, same seed, same panels."""
    ids = sorted(set(image_ids))
    if participants < 1:
        raise PhotolanguageError("No participant to deal panels to.", key="photolanguage.err.no_participants")
    if size < 1:
        raise PhotolanguageError("A panel holds at least one image.", key="photolanguage.err.panel_size",
                                 size=size)
    if size > len(ids):
        raise PhotolanguageError(f"A panel of {size} needs at least {size} images; the library offers {len(ids)}.",
                                 key="photolanguage.err.panel_too_big", size=size, available=len(ids))
    bound = overlap_lower_bound(len(ids), participants, size)
    rng = random.Random(seed)
    best = None
    for _ in range(attempts):
        sets = _deal_once(ids, participants, size, random.Random(rng.getrandbits(64)), bound, max_rounds)
        values = [len(sets[a] & sets[b]) for a, b in combinations(range(participants), 2)] or [0]
        score = (max(values), sum(v * v for v in values))
        if best is None or score < best[0]:
            best = (score, sets)
        if score[0] <= bound:
            break
    sets = best[1]
    panels = []
    for s in sets:
        panel = sorted(s)
        rng.shuffle(panel)
        panels.append(panel)
    uses = Counter(img for s in sets for img in s)
    return Dealing(panels=panels, seed=seed, overlaps=_overlap_matrix(sets), lower_bound=bound, uses=dict(uses))


def _deal_once(ids: list[int], participants: int, size: int, rng: random.Random, bound: int,
               max_rounds: int) -> list[set[int]]:
    order = ids[:]
    rng.shuffle(order)
    q, r = balanced_uses(len(ids), participants, size)
    target = {img: q + (1 if k < r else 0) for k, img in enumerate(order)}
    # 1. greedy: most-used images first, each into the panels with most room left, then least overlap
    sets: list[set[int]] = [set() for _ in range(participants)]
    room = [size] * participants
    pair = [[0] * participants for _ in range(participants)]
    for img in sorted(order, key=lambda i: -target[i]):
        chosen: list[int] = []
        for _ in range(target[img]):
            candidates = [p for p in range(participants) if p not in chosen and room[p] > 0]
            best = min(candidates, key=lambda p: (-room[p], sum(pair[p][c] for c in chosen), rng.random()))
            chosen.append(best)
        for p in chosen:
            sets[p].add(img)
            room[p] -= 1
        for a, b in combinations(chosen, 2):
            pair[a][b] += 1
            pair[b][a] += 1
    # 2. local search: give an image shared by the most-overlapping pair to a panel lacking it, taking one of
    #    that panel's images in return (use counts and panel sizes stay balanced); keep a swap when it lowers
    #    (largest overlap, sum of squared overlaps). Overlaps are updated incrementally: O(panels) per trial.
    n = participants
    pair = [[len(sets[a] & sets[b]) if a != b else 0 for b in range(n)] for a in range(n)]

    def stats() -> tuple[int, int, int, int]:
        values = [pair[a][b] for a in range(n) for b in range(a + 1, n)] or [0]
        top = max(values)
        return top, values.count(top), sum(v * v for v in values), min(values)

    mx, at_max, squares, mn = stats()
    for _ in range(max_rounds):
        if mx <= bound and mx - mn <= 1:
            break
        worst = [(a, b) for a in range(n) for b in range(a + 1, n) if pair[a][b] == mx]
        i, j = worst[rng.randrange(len(worst))]
        shared = sorted(sets[i] & sets[j])
        rng.shuffle(shared)
        move = None
        for img in shared:
            for other in (j, i):
                for k in rng.sample(range(n), n):
                    if k in (i, j) or img in sets[k]:
                        continue
                    for back in sorted(sets[k] - sets[other]):
                        new_squares, dec, inc, too_high = squares, 0, 0, False
                        for q in range(n):
                            if q in (other, k):
                                continue
                            d = (back in sets[q]) - (img in sets[q])
                            if not d:
                                continue
                            for a, delta in ((other, d), (k, -d)):
                                old = pair[a][q]
                                new = old + delta
                                if new > mx:
                                    too_high = True
                                    break
                                new_squares += new * new - old * old
                                dec += old == mx and new < mx
                                inc += new == mx and old < mx
                            if too_high:
                                break
                        if not too_high and (at_max - dec + inc == 0 or new_squares < squares):
                            move = (img, other, k, back)
                            break
                    if move:
                        break
                if move:
                    break
            if move:
                break
        if move is None:
            break
        img, other, k, back = move
        sets[other].remove(img); sets[other].add(back)
        sets[k].remove(back); sets[k].add(img)
        for q in range(n):
            if q in (other, k):
                continue
            d = (back in sets[q]) - (img in sets[q])
            pair[other][q] += d; pair[q][other] += d
            pair[k][q] -= d; pair[q][k] -= d
        mx, at_max, squares, mn = stats()
    return sets


def choose_board(images: Sequence[I.LibraryImage], size: int = DEFAULT_BOARD, seed: int = 0) -> list[int]:
    """About twenty offbeat images for a remote board: as many different tags and valences as possible."""
    pool = [im for im in images if not im.obvious]
    if size > len(pool):
        raise PhotolanguageError(f"A board of {size} needs at least {size} images; the library offers {len(pool)}.",
                                 key="photolanguage.err.panel_too_big", size=size, available=len(pool))
    rng = random.Random(seed)
    pool = sorted(pool, key=lambda im: im.id)
    rng.shuffle(pool)
    chosen: list[I.LibraryImage] = []
    tags: Counter = Counter()
    valences: Counter = Counter()
    while len(chosen) < size:
        best = max((im for im in pool if im not in chosen), key=lambda im: (
            sum(1 for t in im.tags if not tags[t]) - 0.5 * sum(tags[t] for t in im.tags)
            - 0.7 * valences[im.valence or "neutral"]))
        chosen.append(best)
        tags.update(best.tags)
        valences[best.valence or "neutral"] += 1
    return [im.id for im in chosen]


# ---------------------------------------------------------------- sessions

@dataclass
class Session:
    id: int
    name: str
    mode: str
    held_on: str = ""
    question: str = ""
    target: str = ""
    panel_size: int = DEFAULT_PANEL
    seed: int = 0
    max_picks: int = DEFAULT_MAX_PICKS
    notes: str = ""
    version: int = 1
    participant_ids: list[int] = field(default_factory=list)


@dataclass
class Pick:
    id: int
    session_id: int
    participant_id: int
    participant_code: str
    participant_kind: str
    image_id: int
    image_code: str
    image_title: str
    rank: int
    words: str


def _session(db: sqlite_utils.Database, r: dict) -> Session:
    members = [m[0] for m in db.execute(
        "SELECT participant_id FROM photolanguage_members WHERE session_id = ? ORDER BY seat", [r["id"]]).fetchall()]
    return Session(id=r["id"], name=r["name"], mode=r["mode"], held_on=r["held_on"] or "",
                   question=r["question"] or "", target=r["target"] or "", panel_size=r["panel_size"] or 0,
                   seed=r["seed"] or 0, max_picks=r["max_picks"] or DEFAULT_MAX_PICKS, notes=r["notes"] or "",
                   version=r["version"] or 1, participant_ids=members)


def list_sessions(db: sqlite_utils.Database) -> list[Session]:
    if "photolanguage_sessions" not in db.table_names():
        return []
    return [_session(db, r) for r in db["photolanguage_sessions"].rows_where(order_by="id")]


def get_session(db: sqlite_utils.Database, session_id: int) -> Session:
    rows = list(db["photolanguage_sessions"].rows_where("id = ?", [session_id]))
    if not rows:
        raise PhotolanguageError(f"No photolanguage session {session_id}.", key="photolanguage.err.not_found")
    return _session(db, rows[0])


def eligible_images(db: sqlite_utils.Database) -> list[I.LibraryImage]:
    return I.list_images(db, include_obvious=False)


def create_session(db: sqlite_utils.Database, name: str, mode: str, participant_ids: Sequence[int], *,
                   panel_size: int | None = None, seed: int | None = None, question: str = "", target: str = "",
                   held_on: str = "", max_picks: int = DEFAULT_MAX_PICKS, board: Sequence[int] | None = None,
                   notes: str = "") -> Session:
    """Create a session and deal its panels (in person) or its shared board (remote)."""
    name = (name or "").strip()
    if not name:
        raise PhotolanguageError("A session needs a name.", key="photolanguage.err.name")
    if mode not in MODES:
        raise PhotolanguageError(f"Mode is one of {MODES}.", key="photolanguage.err.mode")
    members = list(dict.fromkeys(int(p) for p in participant_ids))
    if not members:
        raise PhotolanguageError("No participant to deal panels to.", key="photolanguage.err.no_participants")
    for pid in members:
        if not db["participants"].count_where("id = ?", [pid]):
            raise PhotolanguageError(f"No participant {pid}.", key="photolanguage.err.no_participant", ref=str(pid))
    if max_picks < 1 or max_picks > 10:
        raise PhotolanguageError("Between 1 and 10 picks.", key="photolanguage.err.max_picks")
    seed = random.SystemRandom().randrange(1, 10**6) if seed is None else int(seed)
    pool = eligible_images(db)
    if mode == "in_person":
        size = panel_size or DEFAULT_PANEL
        dealing = deal_panels([im.id for im in pool], len(members), size, seed)
        layout = {pid: panel for pid, panel in zip(members, dealing.panels)}
    else:
        size = panel_size or DEFAULT_BOARD
        if board:
            chosen = list(dict.fromkeys(int(b) for b in board))
            known = {im.id for im in I.list_images(db)}
            missing = [b for b in chosen if b not in known]
            if missing:
                raise PhotolanguageError("Unknown image on the board.", key="images.err.not_found", ref=str(missing[0]))
            size = len(chosen)
        else:
            chosen = choose_board(pool, size, seed)
        layout = {None: chosen}
    with db.atomic():
        sid = db["photolanguage_sessions"].insert({
            "name": name, "mode": mode, "held_on": held_on, "question": question.strip(), "target": target.strip(),
            "panel_size": size, "seed": seed, "max_picks": max_picks, "notes": notes.strip(),
            "created_at": now_iso(), "version": 1}).last_pk
        db["photolanguage_members"].insert_all(
            [{"session_id": sid, "participant_id": pid, "seat": n} for n, pid in enumerate(members)])
        db["photolanguage_panel_images"].insert_all(
            [{"session_id": sid, "participant_id": pid, "image_id": img, "position": pos}
             for pid, panel in layout.items() for pos, img in enumerate(panel)])
    return get_session(db, sid)


def redeal(db: sqlite_utils.Database, session_id: int, seed: int, *, panel_size: int | None = None) -> Session:
    """Deal the panels again (another seed or size); refused once picks were entered."""
    session = get_session(db, session_id)
    if db["photolanguage_picks"].count_where("session_id = ?", [session_id]):
        raise PhotolanguageError("Picks were already entered.", key="photolanguage.err.redeal_with_picks")
    pool = eligible_images(db)
    if session.mode == "in_person":
        size = panel_size or session.panel_size
        dealing = deal_panels([im.id for im in pool], len(session.participant_ids), size, seed)
        layout = dict(zip(session.participant_ids, dealing.panels))
    else:
        size = panel_size or session.panel_size
        layout = {None: choose_board(pool, size, seed)}
    with db.atomic():
        db.execute("DELETE FROM photolanguage_panel_images WHERE session_id = ?", [session_id])
        db["photolanguage_panel_images"].insert_all(
            [{"session_id": session_id, "participant_id": pid, "image_id": img, "position": pos}
             for pid, panel in layout.items() for pos, img in enumerate(panel)])
        db["photolanguage_sessions"].update(session_id, {"seed": seed, "panel_size": size,
                                                         "version": session.version + 1})
    return get_session(db, session_id)


def panels(db: sqlite_utils.Database, session_id: int) -> dict[int | None, list[int]]:
    """participant id (None for the shared board) -> image ids in dealing order."""
    out: dict[int | None, list[int]] = defaultdict(list)
    for pid, img in db.execute("SELECT participant_id, image_id FROM photolanguage_panel_images "
                               "WHERE session_id = ? ORDER BY participant_id, position", [session_id]).fetchall():
        out[pid].append(img)
    return dict(out)


def panel_of(db: sqlite_utils.Database, session_id: int, participant_id: int) -> list[int]:
    all_panels = panels(db, session_id)
    return all_panels.get(participant_id) or all_panels.get(None) or []


def session_dealing(db: sqlite_utils.Database, session_id: int) -> Dealing:
    """The overlap report of a session's panels as stored."""
    session = get_session(db, session_id)
    stored = panels(db, session_id)
    order = [pid for pid in session.participant_ids if pid in stored]
    sets = [set(stored[pid]) for pid in order]
    library = len(eligible_images(db))
    uses = Counter(img for s in sets for img in s)
    return Dealing(panels=[stored[pid] for pid in order], seed=session.seed, overlaps=_overlap_matrix(sets),
                   lower_bound=overlap_lower_bound(max(library, session.panel_size), len(sets), session.panel_size)
                   if session.mode == "in_person" else 0, uses=dict(uses))


# ---------------------------------------------------------------- picks

def _member(db, session: Session, participant_id: int) -> None:
    if participant_id not in session.participant_ids:
        raise PhotolanguageError("This participant is not in the session.", key="photolanguage.err.not_member")


def list_picks(db: sqlite_utils.Database, session_id: int | None = None) -> list[Pick]:
    if "photolanguage_picks" not in db.table_names():
        return []
    where, args = ("WHERE k.session_id = ?", [session_id]) if session_id is not None else ("", [])
    rows = db.execute(
        "SELECT k.id, k.session_id, k.participant_id, p.code, p.kind, k.image_id, i.code, i.title, k.rank, k.words "
        "FROM photolanguage_picks k JOIN participants p ON p.id = k.participant_id JOIN images i ON i.id = k.image_id "
        f"{where} ORDER BY k.session_id, p.code, k.rank", args).fetchall()
    return [Pick(*r) for r in rows]


def add_pick(db: sqlite_utils.Database, session_id: int, participant_id: int, image: str | int, words: str) -> Pick:
    """Save one pick at once: the image (code or id) must be in the participant's panel, not picked yet,
    and said something about."""
    session = get_session(db, session_id)
    _member(db, session, participant_id)
    words = re.sub(r"\s+", " ", (words or "")).strip()
    ref = str(image).strip()
    if not ref:
        raise PhotolanguageError("Which image?", key="photolanguage.err.no_image")
    img = I.find_image(db, ref)
    if not words:
        raise PhotolanguageError(f"Image {img.code}: what did they say about it?", key="photolanguage.err.empty_words",
                                 code=img.code)
    if img.id not in panel_of(db, session_id, participant_id):
        raise PhotolanguageError(f"Image {img.code} is not in this participant's panel.",
                                 key="photolanguage.err.not_in_panel", code=img.code)
    if db["photolanguage_picks"].count_where("session_id = ? AND participant_id = ? AND image_id = ?",
                                            [session_id, participant_id, img.id]):
        raise PhotolanguageError(f"Image {img.code} was already picked by this participant.",
                                 key="photolanguage.err.already_picked", code=img.code)
    count = db["photolanguage_picks"].count_where("session_id = ? AND participant_id = ?", [session_id, participant_id])
    if count >= session.max_picks:
        raise PhotolanguageError(f"At most {session.max_picks} picks per participant.",
                                 key="photolanguage.err.too_many_picks", max=session.max_picks)
    with db.atomic():
        pick_id = db["photolanguage_picks"].insert({
            "session_id": session_id, "participant_id": participant_id, "image_id": img.id, "rank": count + 1,
            "words": words[:1000], "created_at": now_iso()}).last_pk
    return next(p for p in list_picks(db, session_id) if p.id == pick_id)


_LINE = re.compile(r"^\s*#?\s*([A-Za-z]*-?\d+)\s*(?:[:=—–\-.)]\s*|\s+|$)(.*)$")


@dataclass
class BulkResult:
    saved: list[Pick] = field(default_factory=list)
    errors: list[tuple[int, str, DomainError]] = field(default_factory=list)   # (line number, line, error)


def add_picks_text(db: sqlite_utils.Database, session_id: int, participant_id: int, text: str) -> BulkResult:
    """Lines like "17 : la mer, le calme"; each good line is saved, each bad one reported with its reason."""
    result = BulkResult()
    for n, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        m = _LINE.match(line)
        try:
            if not m:
                raise PhotolanguageError(f"Line {n}: start with the image code.", key="photolanguage.err.line",
                                         line=n)
            result.saved.append(add_pick(db, session_id, participant_id, m.group(1), m.group(2)))
        except DomainError as e:
            result.errors.append((n, line, e))
    return result


def update_pick(db: sqlite_utils.Database, pick_id: int, words: str) -> None:
    words = re.sub(r"\s+", " ", (words or "")).strip()
    if not words:
        raise PhotolanguageError("What did they say about it?", key="photolanguage.err.empty_words", code="")
    with db.atomic():
        db["photolanguage_picks"].update(pick_id, {"words": words[:1000]})


def delete_pick(db: sqlite_utils.Database, pick_id: int) -> None:
    rows = list(db["photolanguage_picks"].rows_where("id = ?", [pick_id]))
    if not rows:
        return
    r = rows[0]
    with db.atomic():
        db["photolanguage_picks"].delete(pick_id)
        # keep ranks 1..n
        for rank, (pid,) in enumerate(db.execute(
                "SELECT id FROM photolanguage_picks WHERE session_id = ? AND participant_id = ? ORDER BY rank",
                [r["session_id"], r["participant_id"]]).fetchall(), 1):
            db["photolanguage_picks"].update(pid, {"rank": rank})


def delete_session(db: sqlite_utils.Database, session_id: int) -> None:
    get_session(db, session_id)
    with db.atomic():
        for table in ("photolanguage_picks", "photolanguage_panel_images", "photolanguage_members"):
            db.execute(f"DELETE FROM {table} WHERE session_id = ?", [session_id])
        db["photolanguage_sessions"].delete(session_id)


# ---------------------------------------------------------------- printable panel sheets

def panel_sheets_pdf(db: sqlite_utils.Database, session_id: int, labels: dict[str, str] | None = None) -> bytes:
    """A4 sheets, one per participant (or the shared board): every image with its code, large."""
    pages = panel_sheet_pages(db, session_id, labels)
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=150, save_all=True, append_images=pages[1:])
    return out.getvalue()


_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation",
              "/usr/share/fonts/dejavu", "/Library/Fonts", "C:/Windows/Fonts")
_FONT_FILES = {False: ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf", "arial.ttf"),
               True: ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf")}


@functools.lru_cache(maxsize=2)
def _font_path(bold: bool = False) -> str | None:
    for folder in _FONT_DIRS:
        for name in _FONT_FILES[bold]:
            path = os.path.join(folder, name)
            if os.path.exists(path):
                return path
    return None


@functools.lru_cache(maxsize=8)
def _font(size: int, bold: bool = False):
    """A system TrueType font with full Unicode punctuation when there is one, else Pillow's own."""
    from PIL import ImageFont

    path = _font_path(bold)
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size=size)


def _printable(text: str) -> str:
    """Typographic punctuation Pillow's built-in font lacks, made plain when no system font was found."""
    if _font_path(False):
        return text
    return text.translate(str.maketrans({"—": "-", "–": "-", "’": "'", "«": '"', "»": '"', "…": "...", "·": "-"}))


def panel_sheet_pages(db: sqlite_utils.Database, session_id: int, labels: dict[str, str] | None = None) -> list:
    """The sheets as A4 pictures at 150 dpi (PIL images)."""
    from PIL import Image, ImageDraw, ImageFont

    labels = labels or {}
    session = get_session(db, session_id)
    stored = panels(db, session_id)
    codes = dict(db.execute("SELECT id, code FROM participants").fetchall())
    W, H, margin = 1240, 1754, 60   # A4 at 150 dpi
    small, code_font = _font(22), _font(30, bold=True)
    pages = []
    order = [pid for pid in session.participant_ids if pid in stored] or ([None] if None in stored else [])
    for pid in order:
        ids = stored[pid]
        cols = 5 if len(ids) > 20 else 4
        rows = math.ceil(len(ids) / cols)
        per_page = cols * min(rows, 10)
        thumbs = I.thumbnails(db, ids)
        img_codes = dict(db.execute(f"SELECT id, code FROM images WHERE id IN ({','.join('?' * len(ids))})",
                                    ids).fetchall())
        for start in range(0, len(ids), per_page):
            chunk = ids[start:start + per_page]
            page = Image.new("RGB", (W, H), "white")
            d = ImageDraw.Draw(page)
            who = codes.get(pid, labels.get("board", "Board")) if pid is not None else labels.get("board", "Board")
            heading, size = _printable(f"{session.name} — {who}"), 34
            while size > 18 and d.textlength(heading, font=_font(size)) > W - 2 * margin:
                size -= 2
            d.text((margin, margin - 20), heading, fill="black", font=_font(size))
            d.text((margin, margin + 24), _printable(labels.get("subtitle", f"{len(ids)} images")), fill="#555",
                   font=small)
            top = margin + 70
            n_rows = math.ceil(len(chunk) / cols)
            cell_w = (W - 2 * margin) // cols
            cell_h = min((H - top - margin) // max(n_rows, 1), int(cell_w * 0.95))
            for k, img in enumerate(chunk):
                x, y = margin + (k % cols) * cell_w, top + (k // cols) * cell_h
                with Image.open(io.BytesIO(thumbs[img])) as t:
                    t = t.convert("RGB")
                    t.thumbnail((cell_w - 16, cell_h - 48))
                    page.paste(t, (x + (cell_w - t.width) // 2, y + 4))
                d.rectangle([x + 4, y + cell_h - 42, x + cell_w - 4, y + cell_h - 6], outline="#999")
                d.text((x + cell_w // 2, y + cell_h - 24), img_codes[img], fill="black", font=code_font, anchor="mm")
            pages.append(page)
    if not pages:
        raise PhotolanguageError("No panel to print.", key="photolanguage.err.no_panels")
    return pages


# ---------------------------------------------------------------- analysis

@dataclass
class ImagePicks:
    image: I.LibraryImage
    picks: list[Pick]
    offered: int                 # panels or boards the image was in
    words: Counter               # lemma -> picks using it
    traits: Counter              # trait key (portrait lexicon) -> picks connoting it

    @property
    def count(self) -> int:
        return len(self.picks)

    @property
    def rate(self) -> float:
        """Picks per panel that offered the image: a fair comparison when panels differ."""
        return self.count / self.offered if self.offered else 0.0


def _lemmas(texts: list[str]) -> list[list[str]]:
    from research.nlp.language import detect_language
    from research.nlp.text import analyse_texts

    langs = [detect_language(t) for t in texts]
    return [tok.lemmas for tok in analyse_texts(texts, langs)]


def most_picked(db: sqlite_utils.Database, session_id: int | None = None) -> list[ImagePicks]:
    """Images by number of picks (then pick rate), each with the picks, their words and the traits they connote."""
    from research.portrait import cue_traits

    picks = list_picks(db, session_id)
    if not picks:
        return []
    where, args = ("WHERE session_id = ?", [session_id]) if session_id is not None else ("", [])
    offered = Counter(dict(db.execute(f"SELECT image_id, count(*) FROM photolanguage_panel_images {where} "
                                      "GROUP BY image_id", args).fetchall()))
    # a remote board is offered once per member of its session
    boards = db.execute("SELECT b.image_id, count(m.participant_id) FROM photolanguage_panel_images b JOIN "
                        "photolanguage_members m ON m.session_id = b.session_id WHERE b.participant_id IS NULL"
                        + (" AND b.session_id = ?" if session_id is not None else "") + " GROUP BY b.image_id",
                        args).fetchall()
    for img, members in boards:
        offered[img] += members - 1
    lemmas = _lemmas([p.words for p in picks])
    by_image: dict[int, ImagePicks] = {}
    for p, lem in zip(picks, lemmas):
        entry = by_image.get(p.image_id)
        if entry is None:
            entry = by_image[p.image_id] = ImagePicks(I.get_image(db, p.image_id), [], offered.get(p.image_id, 0),
                                                      Counter(), Counter())
        entry.picks.append(p)
        entry.words.update(set(lem))
        entry.traits.update(set(cue_traits(p.words)))
    return sorted(by_image.values(), key=lambda e: (-e.count, -e.rate, e.image.code))


@dataclass
class WordUse:
    lemma: str
    picks: list[Pick]

    @property
    def count(self) -> int:
        return len(self.picks)


def words_used(db: sqlite_utils.Database, session_id: int | None = None, top: int = 25) -> list[WordUse]:
    """The words participants used most about their picks (lemmas, stop words aside), with the picks."""
    picks = list_picks(db, session_id)
    if not picks:
        return []
    uses: dict[str, list[Pick]] = defaultdict(list)
    for p, lem in zip(picks, _lemmas([p.words for p in picks])):
        for w in dict.fromkeys(lem):
            uses[w].append(p)
    ranked = sorted(uses.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [WordUse(w, ps) for w, ps in ranked[:top]]


def pick_traits(db: sqlite_utils.Database, session_id: int | None = None) -> list[tuple[str, list[Pick]]]:
    """Traits the picks' words connote (same cue lexicon as the portrait), most frequent first."""
    from research.portrait import cue_traits

    out: dict[str, list[Pick]] = defaultdict(list)
    for p in list_picks(db, session_id):
        for key in cue_traits(p.words):
            out[key].append(p)
    return sorted(out.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def valence_balance(db: sqlite_utils.Database, session_id: int | None = None) -> Counter:
    """Picks by the valence hint of the images picked (positive, neutral, negative, unknown)."""
    out: Counter = Counter()
    for p in list_picks(db, session_id):
        out[I.get_image(db, p.image_id).valence or "unknown"] += 1
    return out


@dataclass
class PickLink:
    element: str                              # value, personality trait or promise, as written
    kind: str                                 # value | personality | promise
    supporting: list[tuple[str, list[Pick]]]  # (trait key, picks whose words connote it)
    contradicting: list[tuple[str, list[Pick]]]


def platform_links(db: sqlite_utils.Database, session_id: int | None = None) -> list[PickLink]:
    """What the words said about the pictures support or contradict in the brand platform."""
    from research.brand import current_platform
    from research.portrait import _matches, traits

    platform = current_platform(db)
    found = pick_traits(db, session_id)
    known = traits()
    elements = [(v.name, "value") for v in platform.values] + [(p, "personality") for p in platform.personality]
    if platform.promise:
        elements.append((platform.promise, "promise"))
    out = []
    for text, kind in elements:
        sup = [(k, ps) for k, ps in found if known[k].supports and _matches(known[k].supports, text)]
        con = [(k, ps) for k, ps in found if known[k].contradicts and _matches(known[k].contradicts, text)]
        out.append(PickLink(text, kind, sup, con))
    return out
