"""The workspace database for the current run.

A sqlite3 connection must not be shared across Streamlit's threads, so each run opens its own
(cheap) connection, shared by the router and the page; the schema check runs once per process and path.
"""
from __future__ import annotations

import sys
import threading

import sqlite_utils
import streamlit as st

from research import audit, auth, store
from research.errors import DomainError
from ui import keys
from ui.i18n import error_text, t
from ui.routing import ensure_routed


def _argv_db() -> str | None:
    """`streamlit run app.py -- --db PATH` passes the path after the script name."""
    args = sys.argv[1:]
    for i, arg in enumerate(args):
        if arg == "--db" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--db="):
            return arg.split("=", 1)[1]
    return None


def db_path() -> str:
    return str(store.resolve_db_path(_argv_db()))


@st.cache_resource(show_spinner=False)
def _migrated(path: str) -> bool:
    """Open once per process to create or upgrade the schema; errors are not cached."""
    store.open_database(path).close()
    return True


_this_run = threading.local()


def start_run() -> None:
    """Called by the router at the top of each run: the run opens one connection, shared by the
    router and the page it runs (a sqlite3 connection stays in the thread that made it)."""
    _this_run.db = None
    _this_run.watched = False


def get_db() -> sqlite_utils.Database:
    """This run's connection, or a clear message and a stopped page."""
    ensure_routed()
    db = getattr(_this_run, "db", None)
    if db is None:
        path = db_path()
        try:
            _migrated(path)
            db = store.open_database(path, migrate_schema=False)
        except store.StoreError as e:
            st.error(t("app.db_error_title"), icon=":material/database:")
            st.markdown(error_text(e))
            st.stop()
        _this_run.db, _this_run.watched = db, False
    if not _this_run.watched:
        _this_run.watched = _audit_changes(db)
    return db


def _audit_changes(db: sqlite_utils.Database) -> bool:
    """Every change the signed-in person makes through this connection goes to the audit log.
    False while nobody is signed in (the run that signs someone in watches from then on)."""
    uid = st.session_state.get(keys.USER_ID)
    if uid is None:
        return False
    try:
        audit.watch_changes(db, auth.get_user(db, int(uid)))
    except DomainError:
        return False  # an unknown account is signed out by the router
    return True


@st.cache_resource(show_spinner=False)
def warm_up_language_models() -> threading.Thread:
    """Load the French sentence segmenter and name finder in the background once per process, so that
    the first transcript a researcher imports does not wait for spaCy (about 5 s on a cold start)."""
    from research.transcripts import preload_segmenter

    thread = threading.Thread(target=preload_segmenter, args=("fr",), name="ecoute-warm-up", daemon=True)
    thread.start()
    return thread
