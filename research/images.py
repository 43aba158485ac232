"""The image library for projective sessions: photographs imported once, dealt into panels later.

An import takes image files (JPEG, PNG, WebP) one by one, from a folder or a .zip archive. Each file
is checked on its own: a corrupt or unsupported file, a pixel bomb or an identical copy of an image
already in the library is reported and skipped, the others are imported. The library keeps, per
image, a display copy (at most 1280 px) and a thumbnail inside the workspace database, a short code
printed on panel sheets ("017"), a title, tags, an optional valence hint, the author and licence,
and an "obvious for this brand" flag that keeps the image out of the panels.

Identical images are found by the SHA-256 of their pixels (refused on import) and near-identical
ones (re-encoded, resized) by a 64-bit difference hash (reported, for the researcher to decide).

Archives are read defensively: no path may leave the archive, sub-folders may go at most two levels
deep (a wrapping folder and one level of theme folders, whose names become tags), at most
`MAX_FILES` files and `MAX_TOTAL_BYTES` once uncompressed, and no member may expand more than
`MAX_RATIO` times (zip bombs).
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import sqlite_utils
from PIL import Image, ImageOps, UnidentifiedImageError

from research.errors import DomainError
from research.store import ConflictError, Migrations, dumps, loads, now_iso

migrations = Migrations("images")

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {".jpg", ".jpeg", ".jpe", ".png", ".webp"}
VALENCES = ("positive", "neutral", "negative")
MAX_FILES = 500                      # per import
MAX_FILE_BYTES = 25 * 1024 * 1024    # per image file
MAX_TOTAL_BYTES = 400 * 1024 * 1024  # per archive, uncompressed
MAX_RATIO = 60                       # uncompressed / compressed size of one archive member
MAX_DEPTH = 2                        # folders above an image inside an archive or a folder
MAX_PIXELS = 60_000_000              # a larger picture is refused (Pillow's bomb guard is 89 M)
DISPLAY_SIDE = 1280
THUMB_SIDE = 320
NEAR_DUPLICATE_BITS = 6              # difference hashes this close…
NEAR_DUPLICATE_COLOUR = 28           # …and mean colours this close: "looks identical"
_IGNORED = re.compile(r"(^|/)(__MACOSX|\.[^/]*|Thumbs\.db|desktop\.ini)(/|$)", re.IGNORECASE)


class ImageLibraryError(DomainError):
    pass


class ArchiveRefused(ImageLibraryError):
    """The whole archive or folder is refused before anything is imported."""


@migrations()
def m001_images(db: sqlite_utils.Database) -> None:
    db["images"].create({
        "id": int, "code": str, "title": str, "original_name": str, "sha256": str, "dhash": str,
        "width": int, "height": int, "mime": str, "data": bytes, "thumb": bytes, "tags": str,
        "valence": str, "obvious": int, "author": str, "licence": str, "source": str,
        "created_at": str, "updated_at": str, "version": int,
    }, pk="id", not_null={"code", "sha256"}, defaults={"obvious": 0, "version": 1})
    db["images"].create_index(["code"], unique=True)
    db["images"].create_index(["sha256"], unique=True)


@dataclass
class LibraryImage:
    id: int
    code: str
    title: str = ""
    original_name: str = ""
    width: int = 0
    height: int = 0
    tags: list[str] = field(default_factory=list)
    valence: str | None = None
    obvious: bool = False
    author: str = ""
    licence: str = ""
    source: str = ""
    dhash: str = ""
    version: int = 1

    @property
    def label(self) -> str:
        return f"{self.code} · {self.title}" if self.title else self.code


@dataclass
class Prepared:
    """A checked image, ready to store."""
    name: str
    sha256: str
    dhash: str
    width: int
    height: int
    mime: str
    data: bytes
    thumb: bytes


@dataclass
class Rejected:
    name: str
    reason: str          # translation key
    params: dict = field(default_factory=dict)


@dataclass
class ImportReport:
    imported: list[LibraryImage] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)       # (file name, code it duplicates)
    near_duplicates: list[tuple[str, str]] = field(default_factory=list)  # (new code, existing code)
    rejected: list[Rejected] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return len(self.imported) + len(self.duplicates) + len(self.rejected)


# ---------------------------------------------------------------- checking one image

def _dhash(im: Image.Image) -> str:
    """64-bit difference hash of the picture's luminance, as 16 hex digits."""
    small = im.convert("L").resize((9, 8), Image.LANCZOS)
    px = list(small.getdata())
    bits = 0
    for row in range(8):
        for col in range(8):
            bits = (bits << 1) | (px[row * 9 + col] > px[row * 9 + col + 1])
    return f"{bits:016x}"


def _signature(im: Image.Image) -> str:
    """Difference hash (structure) and a 2×2 grid of mean colours (so two smooth, differently coloured
    pictures are not taken for copies): "<16 hex>-<24 hex>"."""
    grid = im.convert("RGB").resize((2, 2), Image.BOX)
    colours = "".join(f"{c:02x}" for px in grid.getdata() for c in px)
    return f"{_dhash(im)}-{colours}"


def hamming(a: str, b: str) -> int:
    return bin(int(a.split("-")[0], 16) ^ int(b.split("-")[0], 16)).count("1")


def colour_gap(a: str, b: str) -> int:
    """Largest difference of one colour channel between two signatures' 2×2 grids (0 when unknown)."""
    ca, cb = a.partition("-")[2], b.partition("-")[2]
    if len(ca) != 24 or len(cb) != 24:
        return 0
    return max(abs(int(ca[i:i + 2], 16) - int(cb[i:i + 2], 16)) for i in range(0, 24, 2))


def looks_identical(a: str, b: str) -> bool:
    return hamming(a, b) <= NEAR_DUPLICATE_BITS and colour_gap(a, b) <= NEAR_DUPLICATE_COLOUR


def _encode(im: Image.Image, side: int, quality: int) -> bytes:
    copy = im.copy()
    copy.thumbnail((side, side), Image.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def _thumb(im: Image.Image) -> bytes:
    """A 4:3 thumbnail, centre-cropped, so galleries and panel sheets line up."""
    out = io.BytesIO()
    ImageOps.fit(im, (THUMB_SIDE, THUMB_SIDE * 3 // 4), Image.LANCZOS).save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()


def prepare_image(name: str, data: bytes) -> Prepared:
    """Check one file and make its display copy and thumbnail, or raise ImageLibraryError saying why."""
    if not data:
        raise ImageLibraryError(f"{name} is empty.", key="images.err.empty_file", name=name)
    if len(data) > MAX_FILE_BYTES:
        raise ImageLibraryError(f"{name} is larger than {MAX_FILE_BYTES // 2**20} MB.",
                                key="images.err.too_large", name=name, mb=MAX_FILE_BYTES // 2**20)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                if fmt not in FORMATS:
                    raise ImageLibraryError(f"{name} is a {fmt} file; JPEG, PNG or WebP only.",
                                            key="images.err.unsupported", name=name, format=fmt or "?")
                if probe.width * probe.height > MAX_PIXELS:
                    raise ImageLibraryError(f"{name} has too many pixels.", key="images.err.too_many_pixels",
                                            name=name, mp=round(probe.width * probe.height / 1e6))
                probe.verify()
            with Image.open(io.BytesIO(data)) as im:
                im.load()
                im = ImageOps.exif_transpose(im)
                if im.mode in ("RGBA", "LA", "P", "PA"):
                    im = im.convert("RGBA")
                    flat = Image.new("RGB", im.size, "white")
                    flat.paste(im, mask=im.getchannel("A"))
                    im = flat
                else:
                    im = im.convert("RGB")
    except ImageLibraryError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        if isinstance(e, UnidentifiedImageError):
            raise ImageLibraryError(f"{name} is not an image Écoute can read.", key="images.err.unsupported",
                                    name=name, format="?") from None
        raise ImageLibraryError(f"{name} has too many pixels.", key="images.err.too_many_pixels", name=name,
                                mp="> 60") from None
    except (OSError, SyntaxError, ValueError, EOFError) as e:  # truncated or corrupt data
        raise ImageLibraryError(f"{name} is damaged ({e}).", key="images.err.corrupt", name=name) from None
    if min(im.size) < 32:
        raise ImageLibraryError(f"{name} is too small to show.", key="images.err.too_small", name=name)
    sha = hashlib.sha256(im.tobytes() + f"{im.size}".encode()).hexdigest()
    display = _encode(im, DISPLAY_SIDE, 85)
    return Prepared(name=name, sha256=sha, dhash=_signature(im), width=im.width, height=im.height,
                    mime="image/jpeg", data=display, thumb=_thumb(im))


# ---------------------------------------------------------------- folders and archives

def _is_image_name(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in EXTENSIONS


def _folder_tag(parts: tuple[str, ...], top_is_wrapper: bool) -> str | None:
    folders = list(parts[:-1])
    if top_is_wrapper and folders:
        folders = folders[1:]
    return folders[-1] if folders else None


def _check_depths(paths: list[tuple[str, ...]], where: str) -> bool:
    """Refuse deep nesting; True when every file sits under one wrapping top folder."""
    if not paths:
        return False
    deepest = max(len(p) - 1 for p in paths)
    if deepest > MAX_DEPTH:
        raise ArchiveRefused(f"{where} nests folders {deepest} levels deep; at most {MAX_DEPTH}.",
                             key="images.err.nested", where=where, depth=deepest, max=MAX_DEPTH)
    tops = {p[0] for p in paths}
    return len(tops) == 1 and all(len(p) > 1 for p in paths)


def read_zip(data: bytes | str | os.PathLike, name: str = "archive.zip") -> list[tuple[str, bytes, str | None]]:
    """(file name, bytes, folder tag) of every image in a .zip, after the safety checks."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ArchiveRefused(f"{name} is not a readable .zip archive.", key="images.err.bad_zip", name=name) from None
    with zf:
        members = [m for m in zf.infolist() if not m.is_dir()]
        if len(members) > MAX_FILES:
            raise ArchiveRefused(f"{name} holds {len(members)} files; at most {MAX_FILES} per import.",
                                 key="images.err.too_many_files", where=name, count=len(members), max=MAX_FILES)
        total = 0
        kept = []
        for m in members:
            raw = m.filename.replace("\\", "/")
            parts = PurePosixPath(raw).parts
            if raw.startswith("/") or re.match(r"^[A-Za-z]:", raw) or ".." in parts:
                raise ArchiveRefused(f"{name} holds a path leaving the archive ({raw}).",
                                     key="images.err.path_traversal", where=name, path=raw)
            if (m.external_attr >> 16) & 0o170000 == 0o120000:  # a symbolic link
                raise ArchiveRefused(f"{name} holds a symbolic link ({raw}).", key="images.err.path_traversal",
                                     where=name, path=raw)
            if _IGNORED.search(raw):
                continue
            total += m.file_size
            if m.file_size > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES or (
                    m.compress_size and m.file_size > 1_000_000 and m.file_size / m.compress_size > MAX_RATIO):
                raise ArchiveRefused(f"{name} expands too much once uncompressed (zip bomb?).",
                                     key="images.err.zip_bomb", where=name)
            kept.append((m, parts))
        wrapper = _check_depths([p for _, p in kept], name)
        out = []
        for m, parts in kept:
            if not _is_image_name(parts[-1]):
                out.append((parts[-1], b"", "__unsupported__"))
                continue
            with zf.open(m) as f:
                content = f.read(MAX_FILE_BYTES + 1)
            if len(content) > m.file_size:  # the header lied about the size
                raise ArchiveRefused(f"{name} expands too much once uncompressed (zip bomb?).",
                                     key="images.err.zip_bomb", where=name)
            out.append((parts[-1], content, _folder_tag(parts, wrapper)))
        return out


def read_folder(folder: str | os.PathLike) -> list[tuple[str, bytes, str | None]]:
    """(file name, bytes, folder tag) of every image in a folder (sub-folders at most two deep)."""
    root = Path(folder)
    if not root.is_dir():
        raise ArchiveRefused(f"{root} is not a folder.", key="images.err.not_a_folder", where=str(root))
    files = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink() or _IGNORED.search(rel) or not path.is_file():
            continue
        files.append((path, PurePosixPath(rel).parts))
        if len(files) > MAX_FILES:
            raise ArchiveRefused(f"{root} holds more than {MAX_FILES} files.", key="images.err.too_many_files",
                                 where=str(root), count=f"> {MAX_FILES}", max=MAX_FILES)
    _check_depths([p for _, p in files], str(root))
    out = []
    for path, parts in files:
        if not _is_image_name(path.name):
            out.append((path.name, b"", "__unsupported__"))
            continue
        if path.stat().st_size > MAX_FILE_BYTES:
            out.append((path.name, b"\0" * 0, "__too_large__"))
            continue
        out.append((path.name, path.read_bytes(), _folder_tag(parts, False)))
    return out


def read_uploads(items: Iterable[tuple[str, bytes]], where: str = "") -> list[tuple[str, bytes, str | None]]:
    """Files uploaded from a folder in the browser, named by their relative path ("photos/mer/a.jpg"):
    the same checks and folder tags as a folder on disk."""
    kept = []
    for name, data in items:
        raw = (name or "").replace("\\", "/")
        parts = PurePosixPath(raw).parts
        if raw.startswith("/") or ".." in parts:
            raise ArchiveRefused(f"{raw} leaves the folder.", key="images.err.path_traversal", where=where, path=raw)
        if _IGNORED.search(raw) or not parts:
            continue
        kept.append((parts, data))
    if len(kept) > MAX_FILES:
        raise ArchiveRefused(f"{len(kept)} files; at most {MAX_FILES} per import.", key="images.err.too_many_files",
                             where=where, count=len(kept), max=MAX_FILES)
    wrapper = _check_depths([p for p, _ in kept], where)
    return [(parts[-1], data if _is_image_name(parts[-1]) else b"",
             _folder_tag(parts, wrapper) if _is_image_name(parts[-1]) else "__unsupported__") for parts, data in kept]


# ---------------------------------------------------------------- the library

def _from_row(r: dict) -> LibraryImage:
    return LibraryImage(id=r["id"], code=r["code"], title=r["title"] or "", original_name=r["original_name"] or "",
                        width=r["width"] or 0, height=r["height"] or 0, tags=loads(r["tags"], []),
                        valence=r["valence"] or None, obvious=bool(r["obvious"]), author=r["author"] or "",
                        licence=r["licence"] or "", source=r["source"] or "", dhash=r["dhash"] or "",
                        version=r["version"] or 1)


_COLUMNS = ("id, code, title, original_name, width, height, tags, valence, obvious, author, licence, source, "
            "dhash, version")


def list_images(db: sqlite_utils.Database, *, include_obvious: bool = True) -> list[LibraryImage]:
    if "images" not in db.table_names():
        return []
    where = "" if include_obvious else "WHERE obvious = 0"
    return [_from_row(dict(zip([c.strip() for c in _COLUMNS.split(",")], r)))
            for r in db.execute(f"SELECT {_COLUMNS} FROM images {where} ORDER BY code").fetchall()]


def get_image(db: sqlite_utils.Database, image_id: int) -> LibraryImage:
    rows = db.execute(f"SELECT {_COLUMNS} FROM images WHERE id = ?", [image_id]).fetchall()
    if not rows:
        raise ImageLibraryError(f"No image {image_id}.", key="images.err.not_found", ref=str(image_id))
    return _from_row(dict(zip([c.strip() for c in _COLUMNS.split(",")], rows[0])))


def find_image(db: sqlite_utils.Database, ref: str | int) -> LibraryImage:
    """An image by its code ("17", "017") or id."""
    text = str(ref).strip()
    if text.isdigit():
        rows = db.execute("SELECT id FROM images WHERE code = ?", [f"{int(text):03d}"]).fetchall()
        if rows:
            return get_image(db, rows[0][0])
    rows = db.execute("SELECT id FROM images WHERE code = ?", [text.upper()]).fetchall()
    if rows:
        return get_image(db, rows[0][0])
    raise ImageLibraryError(f"No image with the code {text}.", key="images.err.not_found", ref=text)


def image_bytes(db: sqlite_utils.Database, image_id: int, *, thumb: bool = True) -> bytes:
    col = "thumb" if thumb else "data"
    row = db.execute(f"SELECT {col} FROM images WHERE id = ?", [image_id]).fetchone()
    if row is None:
        raise ImageLibraryError(f"No image {image_id}.", key="images.err.not_found", ref=str(image_id))
    return row[0]


def thumbnails(db: sqlite_utils.Database, ids: Iterable[int]) -> dict[int, bytes]:
    ids = list(ids)
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {r[0]: r[1] for r in db.execute(f"SELECT id, thumb FROM images WHERE id IN ({marks})", ids).fetchall()}


def _next_code(db: sqlite_utils.Database) -> str:
    row = db.execute("SELECT max(CAST(code AS INTEGER)) FROM images WHERE code GLOB '[0-9]*'").fetchone()
    return f"{(row[0] or 0) + 1:03d}"


def _title_from(name: str) -> str:
    stem = PurePosixPath(name).stem
    stem = re.sub(r"^\d+[-_ ]+", "", stem)
    return re.sub(r"[-_]+", " ", stem).strip().capitalize()


def clean_tags(tags: Iterable[str]) -> list[str]:
    out: list[str] = []
    for tag in tags:
        tag = unicodedata.normalize("NFC", (tag or "").strip().lower())
        if tag and tag not in out:
            out.append(tag[:40])
    return out


def import_files(db: sqlite_utils.Database, files: Iterable[tuple[str, bytes] | tuple[str, bytes, str | None]], *,
                 tags: Iterable[str] = (), author: str = "", licence: str = "", source: str = "",
                 metadata: dict[str, dict] | None = None,
                 progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import image files one by one; each good file is saved at once, so a bad one loses nothing.

    `metadata` maps a file name to optional `title`, `tags`, `valence`, `obvious`, `author`, `licence`,
    `source` for that file (the demo uses it for its sources list).
    """
    files = list(files)
    if len(files) > MAX_FILES:
        raise ArchiveRefused(f"{len(files)} files; at most {MAX_FILES} per import.", key="images.err.too_many_files",
                             where="", count=len(files), max=MAX_FILES)
    report = ImportReport()
    metadata = metadata or {}
    known = {r[0]: r[1] for r in db.execute("SELECT sha256, code FROM images").fetchall()}
    hashes = [(r[0], r[1]) for r in db.execute("SELECT code, dhash FROM images").fetchall() if r[1]]
    base_tags = clean_tags(tags)
    for i, item in enumerate(files):
        name, data = item[0], item[1]
        folder = item[2] if len(item) > 2 else None
        if progress:
            progress(i, len(files))
        if folder == "__unsupported__":
            report.rejected.append(Rejected(name, "images.err.unsupported", {"name": name, "format": PurePosixPath(name).suffix or "?"}))
            continue
        if folder == "__too_large__":
            report.rejected.append(Rejected(name, "images.err.too_large", {"name": name, "mb": MAX_FILE_BYTES // 2**20}))
            continue
        try:
            prepared = prepare_image(name, data)
        except ImageLibraryError as e:
            report.rejected.append(Rejected(name, e.key or "images.err.corrupt", e.params))
            continue
        if prepared.sha256 in known:
            report.duplicates.append((name, known[prepared.sha256]))
            continue
        meta = metadata.get(name, {})
        code = _next_code(db)
        row_tags = clean_tags(list(meta.get("tags", [])) + base_tags + ([folder] if folder else []))
        valence = meta.get("valence")
        with db.atomic():
            new_id = db["images"].insert({
                "code": code, "title": (meta.get("title") or _title_from(name))[:120], "original_name": name,
                "sha256": prepared.sha256, "dhash": prepared.dhash, "width": prepared.width,
                "height": prepared.height, "mime": prepared.mime, "data": prepared.data, "thumb": prepared.thumb,
                "tags": dumps(row_tags), "valence": valence if valence in VALENCES else None,
                "obvious": int(bool(meta.get("obvious"))), "author": meta.get("author", author),
                "licence": meta.get("licence", licence), "source": meta.get("source", source),
                "created_at": now_iso(), "updated_at": now_iso(), "version": 1,
            }).last_pk
        known[prepared.sha256] = code
        for other_code, other_hash in hashes:
            if looks_identical(other_hash, prepared.dhash):
                report.near_duplicates.append((code, other_code))
                break
        hashes.append((code, prepared.dhash))
        report.imported.append(get_image(db, new_id))
    if progress:
        progress(len(files), len(files))
    return report


def import_zip(db: sqlite_utils.Database, data: bytes | str | os.PathLike, name: str = "archive.zip", **kw) -> ImportReport:
    return import_files(db, read_zip(data, name), **kw)


def import_folder(db: sqlite_utils.Database, folder: str | os.PathLike, **kw) -> ImportReport:
    return import_files(db, read_folder(folder), **kw)


def import_path(db: sqlite_utils.Database, path: str | os.PathLike, **kw) -> ImportReport:
    """A folder, a .zip, or one image file."""
    p = Path(path)
    if p.is_dir():
        return import_folder(db, p, **kw)
    if not p.exists():
        raise ArchiveRefused(f"{p} does not exist.", key="images.err.not_a_folder", where=str(p))
    if p.suffix.lower() == ".zip":
        return import_zip(db, p, p.name, **kw)
    return import_files(db, [(p.name, p.read_bytes())], **kw)


def update_image(db: sqlite_utils.Database, image_id: int, *, version: int, title: str | None = None,
                 tags: Iterable[str] | None = None, valence: str | None | bool = False,
                 obvious: bool | None = None) -> LibraryImage:
    """Edit an image's description; `version` is the one the editor started from."""
    current = get_image(db, image_id)
    if current.version != version:
        raise ConflictError("Someone else changed this image meanwhile.", key="images.err.conflict", code=current.code)
    changes: dict = {"updated_at": now_iso(), "version": current.version + 1}
    if title is not None:
        changes["title"] = title.strip()[:120]
    if tags is not None:
        changes["tags"] = dumps(clean_tags(tags))
    if valence is not False:
        if valence not in (None, "", *VALENCES):
            raise ImageLibraryError("Unknown valence.", key="images.err.valence", valence=str(valence))
        changes["valence"] = valence or None
    if obvious is not None:
        changes["obvious"] = int(bool(obvious))
    with db.atomic():
        db["images"].update(image_id, changes)
    return get_image(db, image_id)


def delete_image(db: sqlite_utils.Database, image_id: int) -> None:
    image = get_image(db, image_id)
    for table in ("photolanguage_panel_images", "photolanguage_picks"):
        if table in db.table_names() and db[table].count_where("image_id = ?", [image_id]):
            raise ImageLibraryError(f"Image {image.code} is used in a session.", key="images.err.in_use",
                                    code=image.code)
    with db.atomic():
        db["images"].delete(image_id)


def near_duplicates(db: sqlite_utils.Database) -> list[tuple[LibraryImage, LibraryImage, int]]:
    """Pairs of images that look identical (difference hashes within NEAR_DUPLICATE_BITS)."""
    images = list_images(db)
    pairs = []
    for i, a in enumerate(images):
        for b in images[i + 1:]:
            if a.dhash and b.dhash and looks_identical(a.dhash, b.dhash):
                pairs.append((a, b, hamming(a.dhash, b.dhash)))
    return pairs


def all_tags(db: sqlite_utils.Database) -> list[str]:
    return sorted({t for img in list_images(db) for t in img.tags})
