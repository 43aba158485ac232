"""Accounts, roles and what each role may see.

Four roles: admin (everything, including users, the audit log and the pseudonym mapping),
researcher (the whole study, not the administration), committee organiser (committees, participants
to invite, the synthesis), marketer (synthesis and brand pages only: never a raw transcript, a
contact detail or a raw export).

Passwords are hashed with argon2 (argon2-cffi). The first admin is created through a form when the
workspace has no user. With Streamlit's OpenID Connect sign-in configured, an identity (its e-mail)
is mapped to a local account, which carries the role.

Guessing is slowed: after `MAX_FAILED_SIGN_INS` wrong passwords in a row for one username, that
username is refused for `LOCK_MINUTES`, right password or not. Usernames that have no account are
counted the same way, so the lock tells nobody which accounts exist. An admin who sets a new password
(page or `ecoute accounts set-password`) lifts the lock.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from research.errors import DomainError
from research.store import ConflictError, Migrations, now_iso

migrations = Migrations("auth")

ADMIN, RESEARCHER, ORGANISER, MARKETER = "admin", "researcher", "organiser", "marketer"
ROLES = (ADMIN, RESEARCHER, ORGANISER, MARKETER)
MIN_PASSWORD = 10
MAX_FAILED_SIGN_INS = 5  # wrong passwords in a row before a username is locked
LOCK_MINUTES = 15

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
    "synthesis_codes": _STUDY,
    "synthesis_personas": _ALL,
    "synthesis_scores": _ALL,
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


@migrations()
def m002_sign_in_failures(db: sqlite_utils.Database) -> None:
    """Wrong passwords in a row per typed username (with or without an account), and its lock."""
    db["sign_in_failures"].create({"username": str, "failures": int, "locked_until": str, "last_failure": str},
                                  pk="username", not_null={"failures"}, defaults={"failures": 0})


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    email: str
    role: str
    active: bool = True
    version: int = 1
    has_password: bool = True  # False: signs in only through the organisation (OpenID Connect)
    last_sign_in: str | None = None  # ISO moment, UTC

    @property
    def label(self) -> str:
        return self.display_name or self.username

    def can(self, permission: str) -> bool:
        return can(self.role, permission)


def _user(row: dict) -> User:
    return User(row["id"], row["username"], row["display_name"] or "", row["email"] or "", row["role"],
                bool(row["active"]), row["version"] or 1, bool(row["password_hash"]), row["last_sign_in"])


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


def _utc(now: datetime | None) -> datetime:
    return (now or datetime.now(timezone.utc)).replace(microsecond=0)


def _typed(username: str) -> str:
    return (username or "").strip().lower()[:64]


def has_users(db: sqlite_utils.Database) -> bool:
    return "users" in db.table_names() and db["users"].count > 0


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AuthError(f"The password is too short: at least {MIN_PASSWORD} characters.",
                        key="auth.err.password_short", n=MIN_PASSWORD)


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


def password_stamp(db: sqlite_utils.Database, user_id: int) -> str:
    """A fingerprint of the account's current password (empty without one): a session keeps the one it
    signed in with, and a password changed since (by its owner elsewhere, an admin, the command line)
    ends that session."""
    import hashlib

    row = db.execute("SELECT password_hash FROM users WHERE id = ?", [user_id]).fetchone()
    return hashlib.sha256(row[0].encode()).hexdigest()[:16] if row and row[0] else ""


def idle_limit_minutes() -> int:
    """Minutes without a click after which the app signs a person out, so that a study left open on an
    unattended computer does not stay open: `ECOUTE_IDLE_MINUTES`, off (0) unless set. Off by default
    because what was typed into a form and not yet sent is lost with the session (minutes typed
    through a two-hour committee meeting); a server shared by a team sets it."""
    import os

    try:
        return max(0, int(os.environ.get("ECOUTE_IDLE_MINUTES", "0")))
    except ValueError:
        return 0


def get_user_named(db: sqlite_utils.Database, username: str) -> User:
    rows = list(db["users"].rows_where("username = ?", [_typed(username)]))
    if not rows:
        raise AuthError(f"No account named {_typed(username)!r}.", key="auth.err.no_user")
    return _user(rows[0])


def list_users(db: sqlite_utils.Database) -> list[User]:
    return [_user(r) for r in db["users"].rows_where(order_by="role, username")]


def locked_for(db: sqlite_utils.Database, username: str, now: datetime | None = None) -> int:
    """Minutes (rounded up) before `username` may try again; 0 when it is not locked."""
    row = db.execute("SELECT locked_until FROM sign_in_failures WHERE username = ?", [_typed(username)]).fetchone()
    if not row or not row[0]:
        return 0
    left = (datetime.fromisoformat(row[0]) - _utc(now)).total_seconds()
    return max(0, -int(-left // 60))


def _locked_error(minutes: int) -> AuthError:
    return AuthError(f"Too many wrong passwords: try again in {minutes} minute(s), or ask an admin.",
                     key="auth.err.locked", minutes=minutes)


def _count_failure(db: sqlite_utils.Database, username: str, user_id: int | None, now: datetime) -> int:
    """One more wrong password for `username`; locks it at the limit. Returns the lock's minutes (0: none)."""
    from research import audit

    name = _typed(username)
    with db.atomic():
        row = db.execute("SELECT failures FROM sign_in_failures WHERE username = ?", [name]).fetchone()
        failures = (row[0] if row else 0) + 1
        locked = failures >= MAX_FAILED_SIGN_INS
        db["sign_in_failures"].upsert({"username": name, "failures": 0 if locked else failures,
                                       "locked_until": (now + timedelta(minutes=LOCK_MINUTES)).isoformat()
                                       if locked else None, "last_failure": now.isoformat()}, pk="username")
        if locked:
            audit.record(db, None, "lock", "user", user_id,
                         f"{name}: {MAX_FAILED_SIGN_INS} wrong passwords in a row, locked {LOCK_MINUTES} min")
        # forget usernames nobody has mistyped for a day, so guesses at names do not pile up
        db.execute("DELETE FROM sign_in_failures WHERE last_failure < ? AND (locked_until IS NULL OR locked_until < ?)",
                   [(now - timedelta(days=1)).isoformat(), now.isoformat()])
    return LOCK_MINUTES if locked else 0


def _forget_failures(db: sqlite_utils.Database, username: str) -> None:
    db.execute("DELETE FROM sign_in_failures WHERE username = ?", [_typed(username)])


def authenticate(db: sqlite_utils.Database, username: str, password: str, now: datetime | None = None) -> User:
    """The account, if the password is right; one message for any failure (no hint which part was
    wrong), and `auth.err.locked` while the username is locked (see the module's docstring)."""
    now = _utc(now)
    rows = list(db["users"].rows_where("username = ?", [_typed(username)]))
    row = rows[0] if rows and rows[0]["password_hash"] and rows[0]["active"] else None
    minutes = locked_for(db, username, now)
    if minutes:
        _hasher.hash("spend-the-same-time")
        raise _locked_error(minutes)
    try:
        if row is None:
            _hasher.hash("spend-the-same-time")
            raise VerifyMismatchError
        _hasher.verify(row["password_hash"], password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        minutes = _count_failure(db, username, row["id"] if row else None, now)
        raise (_locked_error(minutes) if minutes else AuthError("Wrong username or password.",
                                                                 key="auth.err.wrong")) from None
    updates = {"last_sign_in": now.isoformat()}
    if _hasher.check_needs_rehash(row["password_hash"]):
        updates["password_hash"] = _hasher.hash(password)
    with db.atomic():
        db["users"].update(row["id"], updates)
        _forget_failures(db, username)
    return _user(row)


def change_own_password(db: sqlite_utils.Database, user: User, current: str, new: str,
                        now: datetime | None = None) -> User:
    """A signed-in person's new password, given their current one (a wrong one counts as a failed sign-in)."""
    now = _utc(now)
    row = db["users"].get(user.id)
    if not row["password_hash"]:
        raise AuthError("This account signs in through your organisation; it has no password here.",
                        key="auth.err.no_password")
    minutes = locked_for(db, user.username, now)
    if minutes:
        raise _locked_error(minutes)
    try:
        _hasher.verify(row["password_hash"], current or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        minutes = _count_failure(db, user.username, user.id, now)
        raise (_locked_error(minutes) if minutes else AuthError("The current password is wrong.",
                                                                 key="auth.err.current_wrong")) from None
    if new == current:
        raise AuthError("The new password is the one in use.", key="auth.err.same_password")
    _check_password(new)
    return _set_password(db, user, row, new, now)


def _set_password(db: sqlite_utils.Database, actor, row: dict, password: str, now: datetime) -> User:
    from research import audit

    with db.atomic():
        db["users"].update(row["id"], {"password_hash": _hasher.hash(password), "version": (row["version"] or 1) + 1,
                                       "updated_at": now.isoformat()})
        _forget_failures(db, row["username"])
        audit.record(db, actor, "password", "user", row["id"], row["username"])
    return get_user(db, row["id"])


def reset_password(db: sqlite_utils.Database, username: str, password: str) -> User:
    """A new password for an account, from the command line (whoever may write the workspace file may do
    anything with it): the way back in for an admin who lost theirs. Lifts the account's lock."""
    row = db["users"].get(get_user_named(db, username).id)
    _check_password(password)
    return _set_password(db, None, row, password, _utc(None))


def unlock(db: sqlite_utils.Database, username: str, actor: User | None = None) -> bool:
    """Lift a username's lock and forget its wrong passwords (`actor`: an admin on the page; None from the
    command line); whether it was locked."""
    from research import audit

    if actor is not None:
        require(actor, "users.manage")
    was = bool(locked_for(db, username))
    with db.atomic():
        _forget_failures(db, username)
        if was:
            row = db.execute("SELECT id FROM users WHERE username = ?", [_typed(username)]).fetchone()
            audit.record(db, actor, "unlock", "user", row[0] if row else None, _typed(username))
    return was


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
        if password:
            _forget_failures(db, current.username)
        from research import audit

        audit.record(db, actor, "update", "user", user_id,
                     ", ".join(f"{k}={v}" for k, v in changes.items()
                               if k in ("role", "active", "display_name", "email")) + (" password" if password else ""))
    return get_user(db, user_id)
