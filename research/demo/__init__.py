"""The demo workspace: Alizé Mutuelle, a fictional French mutual health insurer.

Each area of the study writes its part in its own module (brand, journeys, interviews, committees,
projective sessions...) as a function `build(db)`; `build_demo` runs them in the order of STEPS,
inside one transaction, so a demo is either whole or absent.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from research import store
from research.demo import accounts as accounts_demo
from research.demo import brand as brand_demo
from research.demo import codes as codes_demo
from research.demo import committees as committees_demo
from research.demo import interviews as interviews_demo
from research.demo import journeys as journeys_demo
from research.demo import participants as participants_demo
from research.demo import projective as projective_demo

STEPS: list[Callable[[sqlite_utils.Database], None]] = [
    accounts_demo.build,
    brand_demo.build,
    journeys_demo.build,
    participants_demo.build,
    projective_demo.build,
    interviews_demo.build,
    committees_demo.build,
    codes_demo.build,  # after every transcript: the team's codes on their utterances
]


class DemoExistsError(store.StoreError):
    pass


def build_demo(path: str | Path, *, force: bool = False) -> sqlite_utils.Database:
    """Create the demo workspace at `path` (refusing to overwrite unless `force`)."""
    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        if not force:
            raise DemoExistsError(f"{path} already exists; pass --force to replace it with the demo.")
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    tmp = path.with_name(path.name + ".building")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    db = store.open_database(tmp)
    try:
        with db.atomic():
            for step in STEPS:
                step(db)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    tmp.replace(path)
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    return store.open_database(path)
