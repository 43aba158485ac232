"""Demo accounts, one per role (passwords in the README; for the demo only)."""
from __future__ import annotations

import sqlite_utils

from research import auth

ACCOUNTS = [
    ("admin", "ecoute-admin-demo", auth.ADMIN, "Hélène Garnier"),
    ("chercheuse", "ecoute-etudes-demo", auth.RESEARCHER, "Claire Fontaine"),
    ("comites", "ecoute-comites-demo", auth.ORGANISER, "Yann Le Goff"),
    ("marketing", "ecoute-marketing-demo", auth.MARKETER, "Inès Benali"),
]


def build(db: sqlite_utils.Database) -> None:
    for username, password, role, name in ACCOUNTS:
        auth.create_user(db, username, password, role, display_name=name)
