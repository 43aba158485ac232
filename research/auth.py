"""Accounts, roles and what each role may see.

Four roles: admin (everything, including users, the audit log and the pseudonym mapping),
researcher (the whole study, not the administration), committee organiser (committees, participants
to invite, the synthesis), marketer (synthesis and brand pages only: never a raw transcript, a
contact detail or a raw export).

Passwords are hashed with argon2 (argon2-cffi). The first admin is created through a form when the
workspace has no user. With Streamlit's OpenID Connect sign-in configured, an identity (its e-mail)
is mapped to a local account, which carries the role.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from research.errors import DomainError
from research.store import ConflictError, Migrations, now_iso

migrations = Migrations("auth")

ADMIN, RESEARCHER, ORGANISER, MARKETER = "admin", "researcher", "organiser", "marketer"
ROLES = (ADMIN, RESEARCHER, ORGANISER, MARKETER)
MIN_PASSWORD = 10

# what each role may do, beyond opening pages
PERMISSIONS: dict[str, set[str]] = {
    ADMIN: {"transcripts.read", "contacts.read", "export.raw", "edit", "users.manage", "audit.read",
            "privacy.manage", "pseudonyms.read", "committees.manage", "backup"},
    RESEARCHER: {"transcripts.read", "contacts.read", "export.raw", "edit", "committees.manage"},
    ORGANISER: {"contacts.read", "committees.manage", "edit"},
    MARKETER: set(),
}

_ALL = (ADMIN, RESEARCHER, ORGANISER, MARKETER)
_STUDY = (ADMIN, RESEARCHER)
# page url_path → roles that may open it. A page not listed is open to admins and researchers only.
PAGE_ROLES: dict[str, tuple[str, ...]] = {
    "home": _ALL,
    "brand_platform": _ALL,
    "journeys": (ADMIN, RESEARCHER, ORGANISER),
    "guides": _STUDY,
    "participants": (ADMIN, RESEARCHER, ORGANISER),
    "interviews": _STUDY,
    "search": _STUDY,
    "analysis": _STUDY,
    "synthesis_board": _ALL,
    "synthesis_journey": _ALL,
    "synthesis_themes": _ALL,
    "synthesis_personas": _ALL,
    "brand_perception": _ALL,
    "synthesis_report": _ALL,
    "admin": (ADMIN,),
    "image_library": _STUDY,
    "photolanguage": _STUDY,
    "portrait": _STUDY,
    "projective_analysis": _ALL,
}
# committee pages (url_path starting with one of these) are the organisers' too
ORGANISER_PREFIXES = ("committee",)

_hasher = PasswordHasher()


class AuthError(DomainError):
    pass


class AccessDenied(AuthError):
    pass


@migrations()
def m001_users(db: sqlite_utils.Database) -> None:
    db["users"].create({"id": int, "username": str, "display_name": str, "email": str, "role": str,
                        "password_hash": str, "active": int, "version": int, "created_at": str,
                        "updated_at": str, "last_sign_in": str}, pk="id", not_null={"username", "role"})
    db["users"].create_index(["username"], unique=True)


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    email: str
    role: str
    active: bool = True
    version: int = 1

    @property
    def label(self) -> str:
        return self.display_name or self.username

    def can(self, permission: str) -> bool:
        return can(self.role, permission)


def _user(row: dict) -> User:
    return User(row["id"], row["username"], row["display_name"] or "", row["email"] or "", row["role"],
                bool(row["active"]), row["version"] or 1)


def can(role: str | None, permission: str) -> bool:
    return permission in PERMISSIONS.get(role or "", set())


def page_roles(url_path: str) -> tuple[str, ...]:
    if url_path in PAGE_ROLES:
        return PAGE_ROLES[url_path]
    if url_path.startswith(ORGANISER_PREFIXES):
        return (ADMIN, RESEARCHER, ORGANISER)
    return _STUDY


def may_open(role: str | None, url_path: str) -> bool:
    return role in page_roles(url_path)


def require(actor: User | None, permission: str) -> User:
    """The actor, if their role grants `permission`; AccessDenied otherwise."""
    if actor is None or not actor.active or not actor.can(permission):
        raise AccessDenied(f"Your role may not do this ({permission}).", key="auth.err.denied")
    return actor


# ---------------------------------------------------------------- accounts

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")


def has_users(db: sqlite_utils.Database) -> bool:
    return "users" in db.table_names() and db["users"].count > 0


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AuthError("The password is too short.", key="auth.err.password_short", n=MIN_PASSWORD)


def create_user(db: sqlite_utils.Database, username: str, password: str | None, role: str, *,
                display_name: str = "", email: str = "") -> User:
    """A new account. `password` may be None for an account that only signs in through OpenID Connect."""
    username = (username or "").strip().lower()
    if not _USERNAME.match(username):
        raise AuthError("A username is 2 to 64 lowercase letters, digits, dots, dashes or @.",
                        key="auth.err.username")
    if role not in ROLES:
        raise AuthError(f"Unknown role {role!r}.", key="auth.err.role", role=role)
    if password is not None:
        _check_password(password)
    with db.atomic():
        if db.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
            raise AuthError("That username is taken.", key="auth.err.taken", username=username)
        now = now_iso()
        uid = db["users"].insert({"username": username, "display_name": display_name.strip(),
                                  "email": email.strip().lower(), "role": role,
                                  "password_hash": _hasher.hash(password) if password else None, "active": 1,
                                  "version": 1, "created_at": now, "updated_at": now}).last_pk
    return get_user(db, uid)


def create_first_admin(db: sqlite_utils.Database, username: str, password: str, display_name: str = "") -> User:
    """The first account of a workspace, an admin; refused once any account exists."""
    with db.atomic():
        if has_users(db):
            raise AuthError("The workspace already has accounts.", key="auth.err.not_first")
        return create_user(db, username, password, ADMIN, display_name=display_name)


def get_user(db: sqlite_utils.Database, user_id: int) -> User:
    rows = list(db["users"].rows_where("id = ?", [user_id]))
    if not rows:
        raise AuthError("No such account.", key="auth.err.no_user")
    return _user(rows[0])


def list_users(db: sqlite_utils.Database) -> list[User]:
    return [_user(r) for r in db["users"].rows_where(order_by="role, username")]


def authenticate(db: sqlite_utils.Database, username: str, password: str) -> User:
    """The account, if the password is right; one message for any failure (no hint which part was wrong)."""
    rows = list(db["users"].rows_where("username = ?", [(username or "").strip().lower()]))
    wrong = AuthError("Wrong username or password.", key="auth.err.wrong")
    if not rows or not rows[0]["password_hash"] or not rows[0]["active"]:
        _hasher.hash("spend-the-same-time")
        raise wrong
    row = rows[0]
    try:
        _hasher.verify(row["password_hash"], password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        raise wrong from None
    updates = {"last_sign_in": now_iso()}
    if _hasher.check_needs_rehash(row["password_hash"]):
        updates["password_hash"] = _hasher.hash(password)
    db["users"].update(row["id"], updates)
    return _user(row)


def user_for_identity(db: sqlite_utils.Database, email: str | None) -> User:
    """The local account an OpenID Connect identity maps to (by e-mail or username)."""
    email = (email or "").strip().lower()
    if email:
        rows = list(db["users"].rows_where("(email = ? OR username = ?) AND active = 1", [email, email]))
        if rows:
            db["users"].update(rows[0]["id"], {"last_sign_in": now_iso()})
            return _user(rows[0])
    raise AuthError("This identity has no account in this workspace; ask an admin.", key="auth.err.no_identity",
                    email=email)


def update_user(db: sqlite_utils.Database, actor: User, user_id: int, *, expected_version: int,
                role: str | None = None, active: bool | None = None, password: str | None = None,
                display_name: str | None = None, email: str | None = None) -> User:
    require(actor, "users.manage")
    changes: dict = {}
    if role is not None:
        if role not in ROLES:
            raise AuthError(f"Unknown role {role!r}.", key="auth.err.role", role=role)
        changes["role"] = role
    if active is not None:
        changes["active"] = int(bool(active))
    if password:
        _check_password(password)
        changes["password_hash"] = _hasher.hash(password)
    if display_name is not None:
        changes["display_name"] = display_name.strip()
    if email is not None:
        changes["email"] = email.strip().lower()
    with db.atomic():
        current = get_user(db, user_id)
        if current.version != expected_version:
            raise ConflictError("Someone else changed this account meanwhile.", key="store.err.conflict")
        demoted = (changes.get("role", current.role) != ADMIN or changes.get("active", 1) == 0)
        if current.role == ADMIN and demoted:
            admins = db.execute("SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1").fetchone()[0]
            if admins <= 1:
                raise AuthError("The last admin cannot lose that role.", key="auth.err.last_admin")
        changes.update(version=current.version + 1, updated_at=now_iso())
        db["users"].update(user_id, changes)
        from research import audit

        audit.record(db, actor, "update", "user", user_id,
                     ", ".join(f"{k}={v}" for k, v in changes.items()
                               if k in ("role", "active", "display_name", "email")) + (" password" if password else ""))
    return get_user(db, user_id)
