"""Keep every page behind the router in app.py.

Streamlit still runs a script of `pages/` directly (its legacy multipage mode) when the very first
session after a server start opens a page's URL, because it only learns that the app uses
`st.navigation` once app.py has run. That page would lack the sidebar and the language switch.
`ensure_routed` notices it and reruns through app.py, which keeps the requested URL.
"""
from __future__ import annotations

import streamlit as st

from ui import keys


def mark_routed() -> None:
    st.session_state[keys.ROUTED] = True


def ensure_routed() -> None:
    if st.session_state.get(keys.ROUTED):
        return
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the legacy mode: nothing to do
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
