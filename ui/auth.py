"""Who is using the app: the sign-in page, the first admin's form, and the session's user.

`signed_in_user(db)` returns the session's account, or None after rendering nothing; `app.py`
shows `sign_in_navigation()` instead of the study until someone signs in, then registers only the
pages the user's role may open. Pages call `require_page("url_path")` as a second check.
With `[auth]` configured in `.streamlit/secrets.toml`, Streamlit's OpenID Connect sign-in is offered
and an identity is mapped to a local account by its e-mail.
"""
from __future__ import annotations

import time

import sqlite_utils
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from research import auth
from research.errors import DomainError
from ui import keys
from ui.i18n import error_text, t
from ui.widgets import show_error


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (StreamlitSecretNotFoundError, FileNotFoundError, KeyError):
        return False


def signed_in_user(db: sqlite_utils.Database) -> auth.User | None:
    """The session's account (reloaded each rerun, so a deactivated account is signed out, as is a session
    whose password was changed elsewhere or that sat idle longer than `auth.idle_limit_minutes`)."""
    uid = st.session_state.get(keys.USER_ID)
    if uid is not None:
        try:
            user = auth.get_user(db, int(uid))
        except DomainError:
            user = None
        ended = _session_ended(db, user) if user and user.active else "gone"
        if ended is None:
            st.session_state[keys.LAST_ACTIVITY] = time.monotonic()
            return user
        sign_out()
        if ended != "gone":
            st.session_state[keys.AUTH_ERROR] = DomainError(ENDED[ended], key=f"auth.ended.{ended}",
                                                            minutes=auth.idle_limit_minutes())
            if oidc_configured() and getattr(st.user, "is_logged_in", False):
                st.logout()  # else the organisation's sign-in, still valid, would let the session straight back in
            return None
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        try:
            user = auth.user_for_identity(db, st.user.get("email"))
        except DomainError as e:
            st.session_state[keys.AUTH_ERROR] = e
            return None
        start_session(db, user)
        return user
    return None


ENDED = {"password": "The password was changed since this session signed in: sign in again.",
         "idle": "Signed out after a while without activity: sign in again."}


def _session_ended(db: sqlite_utils.Database, user: auth.User) -> str | None:
    """Why the session must sign in again ("password", "idle"), or None."""
    stamp = auth.password_stamp(db, user.id)
    if st.session_state.setdefault(keys.PASSWORD_STAMP, stamp) != stamp:
        return "password"
    limit, last = auth.idle_limit_minutes(), st.session_state.get(keys.LAST_ACTIVITY)
    if limit and last is not None and time.monotonic() - last > limit * 60:
        return "idle"
    return None


def start_session(db: sqlite_utils.Database, user: auth.User) -> None:
    st.session_state[keys.USER_ID] = user.id
    st.session_state[keys.PASSWORD_STAMP] = auth.password_stamp(db, user.id)
    st.session_state[keys.LAST_ACTIVITY] = time.monotonic()


def sign_out() -> None:
    for key in (keys.USER_ID, keys.PASSWORD_STAMP, keys.LAST_ACTIVITY):
        st.session_state.pop(key, None)


def current_user() -> auth.User | None:
    from ui.db import get_db

    return signed_in_user(get_db())


def require_page(url_path: str) -> auth.User:
    """Stop the page unless the signed-in user's role may open it."""
    user = current_user()
    if user is None or not auth.may_open(user.role, url_path):
        st.error(t("app.forbidden"), icon=":material/lock:")
        st.stop()
    return user


def require(permission: str) -> auth.User:
    user = current_user()
    if user is None or not user.can(permission):
        st.error(t("app.forbidden"), icon=":material/lock:")
        st.stop()
    return user


def sign_in_page() -> None:
    from ui.db import get_db

    db = get_db()
    if not auth.has_users(db):
        st.title(t("auth.first.title"))
        st.caption(t("auth.first.intro"))
        with st.form("auth_first_admin"):
            name = st.text_input(t("auth.display_name"), key="auth_first_name")
            username = st.text_input(t("auth.username"), key="auth_first_username")
            pw, pw2 = _new_password_twice("auth.password", "auth_first_password", "auth_first_password2")
            if st.form_submit_button(t("auth.first.create"), type="primary"):
                if pw != pw2:
                    st.error(t("auth.err.mismatch"))
                else:
                    try:
                        user = auth.create_first_admin(db, username, pw, name)
                    except DomainError as e:
                        show_error(e)
                    else:
                        start_session(db, user)
                        st.rerun()
        return
    st.title(t("auth.title"))
    st.caption(t("auth.intro"))
    if keys.AUTH_ERROR in st.session_state:
        error = st.session_state.pop(keys.AUTH_ERROR)
        if (error.key or "").startswith("auth.ended."):  # a session that ended, not a mistake
            st.info(error_text(error), icon=":material/logout:")
        else:
            show_error(error)
    if oidc_configured():
        if st.button(t("auth.oidc"), key="auth_oidc", icon=":material/badge:"):
            st.login()
        st.divider()
    with st.form("auth_sign_in"):
        username = st.text_input(t("auth.username"), key="auth_username")
        pw = st.text_input(t("auth.password"), type="password", key="auth_password")
        if st.form_submit_button(t("auth.sign_in"), type="primary"):
            try:
                user = auth.authenticate(db, username, pw)
            except DomainError as e:
                show_error(e)
            else:
                start_session(db, user)
                from research import audit

                audit.record(db, user, "sign_in", "user", user.id, "")
                st.rerun()


def sign_in_navigation(pages: dict[str, list] | None = None):
    """Before sign-in, every address shows the sign-in form (so a shared link to a page asks to sign in,
    then opens that page), never the page itself."""
    entries = [st.Page(sign_in_page, title=t("auth.title"), icon=":material/login:", url_path="sign_in",
                       default=True)]
    for items in (pages or {}).values():
        for page in items:
            # the default page answers at "/" and at its own address ("/home"), which its url_path hides
            path = getattr(page, "_url_path", None) or page.url_path
            if path and path != "sign_in":
                entries.append(st.Page(sign_in_page, title=t("auth.title"), icon=":material/login:",
                                       url_path=path))
    return st.navigation(entries, position="hidden")


def visible_pages(pages: dict[str, list], user: auth.User) -> dict[str, list]:
    """The sections and pages the user's role may open (empty sections dropped)."""
    out = {}
    for section, items in pages.items():
        allowed = [p for p in items if auth.may_open(user.role, p.url_path or "home")]
        if allowed:
            out[section] = allowed
    return out


def user_box(user: auth.User) -> None:
    """Sidebar: who is signed in, with which role, their own password, and a sign-out button."""
    st.caption(t("auth.signed_in_as", name=user.label, role=t(f"auth.role.{user.role}")))
    if user.has_password:
        with st.popover(t("auth.account"), icon=":material/key:", width="stretch"):
            from ui.db import get_db

            own_password_form(get_db(), user)
    if st.button(t("auth.sign_out"), key="auth_sign_out", icon=":material/logout:", width="stretch"):
        sign_out()
        if oidc_configured() and getattr(st.user, "is_logged_in", False):
            st.logout()
        st.rerun()


def _new_password_twice(label_key: str, key: str, again_key: str) -> tuple[str, str]:
    """A new password and the same typed again, hidden, with the minimum length as help."""
    new = st.text_input(t(label_key), type="password", key=key, help=t("auth.password_help", n=auth.MIN_PASSWORD))
    return new, st.text_input(t("auth.password_again"), type="password", key=again_key)


def own_password_form(db: sqlite_utils.Database, user: auth.User) -> None:
    """The signed-in person's own password: the current one, then the new one twice."""
    with st.form("auth_own_password", clear_on_submit=True, border=False):
        st.markdown(f"**{t('auth.own_password.title')}**")
        current = st.text_input(t("auth.own_password.current"), type="password", key="auth_own_current")
        new, again = _new_password_twice("auth.own_password.new", "auth_own_new", "auth_own_again")
        if st.form_submit_button(t("auth.own_password.save"), type="primary"):
            if new != again:
                st.error(t("auth.err.mismatch"))
                return
            try:
                auth.change_own_password(db, user, current, new)
            except DomainError as e:
                show_error(e)
            else:
                st.session_state[keys.PASSWORD_STAMP] = auth.password_stamp(db, user.id)  # this session goes on
                st.success(t("auth.own_password.saved"), icon=":material/check:")


def may_open_page(url_path: str) -> bool:
    """Whether a link to this page may be shown to the signed-in user (it is registered for their role)."""
    user = current_user()
    return user is not None and auth.may_open(user.role, url_path)


def remember_requested_page() -> None:
    """Before sign-in: note the page the URL asked for, to open it once signed in."""
    if keys.REQUESTED_PAGE in st.session_state:
        return
    try:
        url = st.context.url or ""
    except (AttributeError, RuntimeError):
        url = ""
    from urllib.parse import urlparse

    path = urlparse(url).path.rstrip("/").rsplit("/", 1)[-1] if url else ""
    st.session_state[keys.REQUESTED_PAGE] = path


def resume_requested_page(pages: dict[str, list], navigation) -> None:
    """After sign-in: open the page the URL asked for, if the user's role may open it."""
    path = st.session_state.pop(keys.REQUESTED_PAGE, "")
    if not path or path in ("sign_in", getattr(navigation, "url_path", None)):
        return
    for items in pages.values():
        for page in items:
            if page.url_path == path:
                st.switch_page(page)


def can(permission: str) -> bool:
    """Whether the signed-in user's role grants `permission` (to hide what they may not have)."""
    user = current_user()
    return user is not None and user.can(permission)
