"""Exports: the study report (HTML, DOCX) and its slides (PPTX), the coded utterances (CSV, XLSX), the
REFI-QDA codebook (.qdc) and the coded project (.qdpx)."""
from functools import partial

import streamlit as st

from research import synthesis_store
from research.errors import DomainError
from research.store import read_at
from research.synthesis import overview
from ui.auth import can
from ui.db import db_path, get_db
from ui.i18n import current_language, t
from ui.synthesis import require_analysis
from ui.widgets import figure_cards, page_header, show_error

db = get_db()
page_header("synthesis.report.title", "synthesis.report.intro")
records = require_analysis(db)
lang = current_language()
tr = partial(t, lang=lang)
figures = overview(records)
figure_cards([(t("synthesis.fig.interviews"), figures["interviews"]),
              (t("synthesis.fig.utterances"), figures["utterances"]),
              (t("synthesis.irritants"), figures["irritants"]),
              (t("synthesis.enchantments"), figures["enchantments"]),
              (t("synthesis.themes.title"), figures["themes"])])
stamp = synthesis_store.stamp(db)
slug = synthesis_store.export_slug(db)

st.subheader(t("synthesis.report.study_report"))
st.caption(t("synthesis.report.study_report_help"))
made = st.session_state.get("synthesis_report_files")
if made and made.get("stamp") != (stamp, lang):
    made = None
if st.button(t("synthesis.report.build"), type="primary", key="report_build", icon=":material/description:"):
    try:
        with st.spinner(t("synthesis.report.building")):
            made = {"stamp": (stamp, lang), **synthesis_store.build_report_files(db, records, tr, lang)}
    except DomainError as e:
        show_error(e)
    else:
        st.session_state["synthesis_report_files"] = made
if made:
    c1, c2, c3 = st.columns(3)
    c1.download_button(t("synthesis.report.html"), made["html"], f"{slug}-report-{lang}.html", "text/html",
                       key="report_dl_html", icon=":material/download:", width="stretch")
    c2.download_button(t("synthesis.report.docx"), made["docx"], f"{slug}-report-{lang}.docx",
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       key="report_dl_docx", icon=":material/download:", width="stretch")
    c3.download_button(t("synthesis.report.pptx"), made["pptx"], f"{slug}-slides-{lang}.pptx",
                       "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       key="report_dl_pptx", icon=":material/slideshow:", width="stretch")
    if made.get("withheld"):
        st.caption(t("synthesis.report.withheld", n=made["withheld"]))

st.subheader(t("synthesis.report.data"))
if not can("export.raw"):  # every coded utterance: not for marketers
    st.caption(t("auth.raw_exports_hidden"))
    st.stop()
st.caption(t("synthesis.report.data_help"))
c1, c2, c3 = st.columns(3)
# the files below are written when their button is clicked, not on every run of the page
c1.download_button(t("synthesis.report.csv"), partial(synthesis_store.export_csv, records), f"{slug}-coded.csv",
                   "text/csv", key="report_dl_csv", icon=":material/table:", width="stretch", on_click="ignore")
if c2.button(t("synthesis.report.xlsx_build"), key="report_xlsx_build", icon=":material/grid_on:",
             width="stretch"):
    st.session_state["synthesis_report_xlsx"] = (stamp, synthesis_store.export_xlsx(records))
xlsx = st.session_state.get("synthesis_report_xlsx")
if xlsx and xlsx[0] == stamp:
    c2.download_button(t("synthesis.report.xlsx"), xlsx[1], f"{slug}-coded.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="report_dl_xlsx", icon=":material/download:", width="stretch")
c3.download_button(t("synthesis.report.qdc"), partial(read_at, db_path(), synthesis_store.export_codebook, records, tr),
                   f"{slug}-codebook.qdc", "application/xml", key="report_dl_qdc", icon=":material/account_tree:",
                   width="stretch", on_click="ignore")
st.caption(t("synthesis.report.qdc_help"))
c1, _ = st.columns([1, 2])
c1.download_button(t("synthesis.report.qdpx"), partial(read_at, db_path(), synthesis_store.export_project, records, tr),
                   f"{slug}-project.qdpx", "application/zip", key="report_dl_qdpx", icon=":material/folder_zip:",
                   width="stretch", on_click="ignore")
st.caption(t("synthesis.report.qdpx_help"))
