"""The workspace: the study's brand, its sector, its competitors and working languages."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils

from research.errors import DomainError
from research.store import Migrations, dumps, loads, now_iso

migrations = Migrations("workspace")
LANGUAGES = ("fr", "en")


class WorkspaceError(DomainError):
    pass


@dataclass
class Workspace:
    brand_name: str = ""
    sector: str = ""
    competitors: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=lambda: ["fr"])
    updated_at: str = ""

    @property
    def is_set_up(self) -> bool:
        return bool(self.brand_name.strip())


@migrations()
def m001_workspace(db: sqlite_utils.Database) -> None:
    db["workspace"].create(
        {"id": int, "brand_name": str, "sector": str, "competitors": str, "languages": str,
         "updated_at": str},
        pk="id",
    )


def get_workspace(db: sqlite_utils.Database) -> Workspace:
    rows = list(db["workspace"].rows_where("id = 1"))
    if not rows:
        return Workspace()
    r = rows[0]
    return Workspace(
        brand_name=r["brand_name"] or "",
        sector=r["sector"] or "",
        competitors=loads(r["competitors"], []),
        languages=loads(r["languages"], ["fr"]),
        updated_at=r["updated_at"] or "",
    )


def save_workspace(db: sqlite_utils.Database, ws: Workspace) -> Workspace:
    name = ws.brand_name.strip()
    if not name:
        raise WorkspaceError("The brand name is required.", key="workspace.err.brand_required")
    competitors = [c.strip() for c in ws.competitors if c and c.strip()]
    seen = set()
    for c in competitors:
        if c.casefold() in seen or c.casefold() == name.casefold():
            raise WorkspaceError(f"Competitor listed twice or same as the brand: {c}", key="workspace.err.competitor", name=c)
        seen.add(c.casefold())
    langs = [lang for lang in ws.languages if lang in LANGUAGES] or ["fr"]
    row = {
        "id": 1, "brand_name": name, "sector": ws.sector.strip(), "competitors": dumps(competitors),
        "languages": dumps(langs), "updated_at": now_iso(),
    }
    with db.atomic():
        db["workspace"].upsert(row, pk="id")
    return get_workspace(db)
