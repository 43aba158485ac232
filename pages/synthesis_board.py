"""Irritants and enchantments: ranked, filtered, each opening its verbatims and their transcripts."""
import streamlit as st

from research.synthesis import ENCHANTMENT, EXPECTATION, IRRITANT, SORTS, findings, overview
from research.synthesis_charts import findings_chart
from ui.db import get_db
from ui.i18n import count, t
from ui.synthesis import filter_bar, require_analysis, verbatim
from ui.widgets import figure_cards, literal, page_header, show_chart, tabs

db = get_db()
page_header("synthesis.board.title", "synthesis.board.intro")
records = require_analysis(db)
filters = filter_bar(records, "board")
figures = overview(records, filters)
figure_cards([(t("synthesis.fig.utterances"), figures["utterances"]),
              (t("synthesis.irritants"), figures["irritants"]),
              (t("synthesis.enchantments"), figures["enchantments"]),
              (t("synthesis.fig.expectations"), figures["expectations"]),
              (t("synthesis.fig.participants"), figures["participants"])])

left, middle, right = st.columns([2, 1, 1])
sort = left.segmented_control(t("synthesis.board.sort"), SORTS, default="score",
                              format_func=lambda s: t(f"synthesis.board.sort.{s}"), key="board_sort") or "score"
limit = middle.number_input(t("synthesis.board.findings_shown"), 1, 200, 15, key="board_limit")
shown = right.number_input(t("synthesis.board.quotes_shown"), 1, 50, 4, key="board_quotes")

kinds = tabs([f":red[{t('synthesis.irritants')}]", f":green[{t('synthesis.enchantments')}]",
              f":orange[{t('synthesis.fig.expectations')}]"], key="synthesis_board_tabs")
for tab, label in zip(kinds, (IRRITANT, ENCHANTMENT, EXPECTATION)):
    with tab:
        items = findings(records, label, filters, sort=sort)
        if not items:
            st.info(t("synthesis.board.none"))
            continue
        chart = findings_chart(items, t, top=12)
        show_chart(chart)
        for rank, f in enumerate(items[:limit], start=1):
            badge = f" :orange-badge[{t('synthesis.curve.moment_of_truth')}]" if f.moment_of_truth else ""
            title = t("synthesis.board.finding", rank=rank, theme=literal(f.theme_label) or t("synthesis.untitled"),
                      participants=f.participants, mentions=f.mentions, intensity=f.mean_intensity)
            with st.expander(title + badge, expanded=rank == 1):
                facts = [t("synthesis.board.main_step", step=literal(f.main_step) or "—")]
                if f.personas:
                    facts.append(t("synthesis.board.personas",
                                   personas=", ".join(f"{literal(n)} ({count(c)})" for n, c in f.personas[:4])))
                if f.channels:
                    facts.append(t("synthesis.board.channels",
                                   channels=", ".join(f"{literal(n)} ({count(c)})" for n, c in f.channels[:4])))
                if f.expectation_share:
                    facts.append(t("synthesis.board.expectations", share=f.expectation_share))
                st.caption(" · ".join(facts))
                for i, u in enumerate(f.verbatims[:shown]):
                    verbatim(u, key=f"board_{label}_{rank}_{i}")
                if len(f.verbatims) > shown:
                    st.caption(t("synthesis.board.more", n=len(f.verbatims) - shown))
        if len(items) > limit:
            st.caption(t("synthesis.board.more_findings", n=len(items) - limit))
