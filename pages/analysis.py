"""Run the analysis from the app, with a progress bar; see what earlier runs did."""
import streamlit as st

from research import synthesis_store
from research.errors import DomainError
from research.synthesis import overview
from ui.db import get_db
from ui.i18n import has, t
from ui.synthesis import coded_records, run_history_table
from ui.widgets import figure_cards, page_header, show_error

db = get_db()
page_header("synthesis.analysis.title", "synthesis.analysis.intro")

examples = len(synthesis_store.coded_examples(db))
if examples:
    st.caption(t("synthesis.analysis.examples", n=examples))
if st.button(t("synthesis.analysis.run"), type="primary", icon=":material/play_arrow:", key="analysis_run",
             disabled=synthesis_store.analysis_engine() is None):
    bar = st.progress(0.0, text=t("synthesis.analysis.running"))

    def progress(done, total=None, message=""):
        share = done if total is None else (done / total if total else 1.0)
        bar.progress(min(max(float(share), 0.0), 1.0), text=t(message) if has(message) else t("synthesis.analysis.running"))

    try:
        synthesis_store.run_analysis(db, progress=progress)
    except DomainError as e:
        bar.empty()
        show_error(e)
    else:
        bar.progress(1.0, text=t("synthesis.analysis.done"))
        st.success(t("synthesis.analysis.done"), icon=":material/check:")
if synthesis_store.analysis_engine() is None:
    st.warning(t("synthesis.err.no_engine"), icon=":material/warning:")

records = coded_records(db)
if records:
    figures = overview(records)
    figure_cards([(t("synthesis.fig.interviews"), figures["interviews"]),
                  (t("synthesis.fig.utterances"), figures["utterances"]),
                  (t("synthesis.irritants"), figures["irritants"]),
                  (t("synthesis.enchantments"), figures["enchantments"]),
                  (t("synthesis.themes.title"), figures["themes"])])
    st.page_link("pages/synthesis_board.py", label=t("synthesis.analysis.next"), icon=":material/arrow_forward:")

st.subheader(t("synthesis.analysis.history"))
history = synthesis_store.run_history(db)
if not history:
    st.info(t("synthesis.analysis.never"))
else:
    run_history_table(history)
