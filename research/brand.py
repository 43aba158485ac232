"""The brand platform: the brand as intended, kept as dated versions.

Saving never overwrites: every save adds a version, and the earlier ones stay readable. A save
names the version it was based on, so two people editing at once get a ConflictError instead of
one silently erasing the other's work.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import sqlite_utils

from research.errors import DomainError
from research.store import ConflictError, Migrations, dumps, loads, now_iso

migrations = Migrations("brand")


class BrandPlatformError(DomainError):
    pass


@dataclass
class BrandValue:
    name: str
    definition: str = ""


@dataclass
class BrandPlatform:
    history: str = ""
    mission: str = ""
    vision: str = ""
    promise: str = ""
    values: list[BrandValue] = field(default_factory=list)
    personality: list[str] = field(default_factory=list)
    tone_of_voice: str = ""
    version: int = 0
    created_at: str = ""
    author: str = ""
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.promise or self.values or self.mission or self.personality)

    def value_names(self) -> list[str]:
        return [v.name for v in self.values]


@migrations()
def m001_brand_platform_versions(db: sqlite_utils.Database) -> None:
    db["brand_platform_versions"].create(
        {"version": int, "created_at": str, "author": str, "note": str, "history": str,
         "mission": str, "vision": str, "promise": str, "brand_values": str, "personality": str,
         "tone_of_voice": str},
        pk="version",
    )


def _from_row(r: dict) -> BrandPlatform:
    return BrandPlatform(
        history=r["history"] or "", mission=r["mission"] or "", vision=r["vision"] or "",
        promise=r["promise"] or "",
        values=[BrandValue(**v) for v in loads(r["brand_values"], [])],
        personality=loads(r["personality"], []), tone_of_voice=r["tone_of_voice"] or "",
        version=r["version"], created_at=r["created_at"], author=r["author"] or "",
        note=r["note"] or "",
    )


def current_platform(db: sqlite_utils.Database) -> BrandPlatform:
    """The latest version, or an empty platform (version 0) when none was written yet."""
    rows = list(db["brand_platform_versions"].rows_where(order_by="version desc", limit=1))
    return _from_row(rows[0]) if rows else BrandPlatform()


def platform_version(db: sqlite_utils.Database, version: int) -> BrandPlatform:
    rows = list(db["brand_platform_versions"].rows_where("version = ?", [version]))
    if not rows:
        raise BrandPlatformError(f"No brand platform version {version}.")
    return _from_row(rows[0])


def platform_history(db: sqlite_utils.Database) -> list[BrandPlatform]:
    """Every version, newest first."""
    return [_from_row(r) for r in db["brand_platform_versions"].rows_where(order_by="version desc")]


def _clean(platform: BrandPlatform) -> BrandPlatform:
    values, seen = [], set()
    for v in platform.values:
        name = (v.name or "").strip()
        if not name:
            if (v.definition or "").strip():
                raise BrandPlatformError("A value has a definition but no name.", key="brand.err.value_without_name")
            continue
        if name.casefold() in seen:
            raise BrandPlatformError(f"The value “{name}” is listed twice.", key="brand.err.duplicate_value", name=name)
        seen.add(name.casefold())
        values.append(BrandValue(name=name, definition=(v.definition or "").strip()))
    traits = []
    for t in platform.personality:
        t = (t or "").strip()
        if t and t.casefold() not in {x.casefold() for x in traits}:
            traits.append(t)
    return BrandPlatform(
        history=platform.history.strip(), mission=platform.mission.strip(),
        vision=platform.vision.strip(), promise=platform.promise.strip(), values=values,
        personality=traits, tone_of_voice=platform.tone_of_voice.strip(),
        author=(platform.author or "").strip(), note=(platform.note or "").strip(),
    )


def save_platform(
    db: sqlite_utils.Database, platform: BrandPlatform, *, based_on_version: int | None = None
) -> BrandPlatform:
    """Store `platform` as a new version.

    `based_on_version` is the version the editor started from; if someone saved a newer one in
    the meantime, ConflictError is raised and nothing is written.
    """
    clean = _clean(platform)
    if clean.is_empty:
        raise BrandPlatformError("A brand platform needs at least a promise, a mission or a value.", key="brand.err.empty")
    with db.atomic():
        latest = current_platform(db).version
        if based_on_version is not None and based_on_version != latest:
            raise ConflictError(
                f"The brand platform was changed by someone else (version {latest}) since you opened "
                f"version {based_on_version}. Reload to see their changes; yours were not saved.",
                key="brand.err.conflict", latest=latest, base=based_on_version,
            )
        previous = current_platform(db)
        if latest and _same_content(previous, clean):
            return previous
        row = {
            "version": latest + 1, "created_at": now_iso(), "author": clean.author,
            "note": clean.note, "history": clean.history, "mission": clean.mission,
            "vision": clean.vision, "promise": clean.promise,
            "brand_values": dumps([asdict(v) for v in clean.values]),
            "personality": dumps(clean.personality), "tone_of_voice": clean.tone_of_voice,
        }
        db["brand_platform_versions"].insert(row)
    return current_platform(db)


def _same_content(a: BrandPlatform, b: BrandPlatform) -> bool:
    keys = ("history", "mission", "vision", "promise", "values", "personality", "tone_of_voice")
    return all(getattr(a, k) == getattr(b, k) for k in keys)


def diff_versions(old: BrandPlatform, new: BrandPlatform) -> dict[str, tuple]:
    """The fields that changed between two versions, as (old, new) pairs."""
    changes = {}
    for key in ("history", "mission", "vision", "promise", "tone_of_voice"):
        if getattr(old, key) != getattr(new, key):
            changes[key] = (getattr(old, key), getattr(new, key))
    old_values = {v.name: v.definition for v in old.values}
    new_values = {v.name: v.definition for v in new.values}
    if old_values != new_values:
        changes["values"] = (old_values, new_values)
    if old.personality != new.personality:
        changes["personality"] = (old.personality, new.personality)
    return changes
