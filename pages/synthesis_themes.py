"""Themes explorer: labels, sizes, quotes; the researcher renames, merges, splits, moves, corrects."""
import pandas as pd
import streamlit as st

from research import synthesis_store
from research.errors import DomainError
from research.synthesis import LABELS, agreement, theme_summaries
from research.synthesis_charts import label_mix_chart
from ui.db import get_db
from ui.i18n import count, number, t, table_numbers
from ui.synthesis import require_analysis, verbatim
from ui.widgets import figure_cards, flash_and_done, page_header, show_chart, show_error, tabs

db = get_db()
page_header("synthesis.themes.title", "synthesis.themes.intro")
records = require_analysis(db)
done = flash_and_done("synthesis_themes")
agree = agreement(synthesis_store.label_pairs(db))
with st.container(border=True):
    st.markdown(f"**{t('synthesis.themes.agreement')}**")
    figure_cards([
        (t("synthesis.themes.reviewed"), agree.reviewed),
        (t("synthesis.themes.agreed"), "—" if agree.share is None else number(agree.share, ".0%")),
        (t("synthesis.themes.kappa"), "—" if agree.kappa is None else number(agree.kappa, ".2f")),
    ])
    st.caption(t("synthesis.themes.agreement_help"))

summaries = theme_summaries(records, quotes=3)
by_id = {s.theme_id: s for s in summaries}
show_chart(label_mix_chart([{"name": f"{s.label or t('synthesis.untitled')} ({count(s.size)})",
                             "irritant": s.irritants, "enchantment": s.enchantments,
                             "neutral": s.neutral} for s in summaries[:25]], t))

ids = [s.theme_id for s in summaries]
theme_id = st.selectbox(t("synthesis.theme"), ids, key="themes_selected",
                        format_func=lambda i: f"{by_id[i].label or t('synthesis.untitled')} · {count(by_id[i].size)}")
theme = by_id[theme_id]
others = [i for i in ids if i != theme_id]
name = lambda i: by_id[i].label or t("synthesis.untitled")  # noqa: E731

st.markdown(t("synthesis.themes.line", size=theme.size, participants=theme.participants,
              irritants=theme.irritants, enchantments=theme.enchantments, corrected=theme.corrected))
if theme.steps:
    st.caption(t("synthesis.themes.steps", steps=", ".join(f"{s} ({count(n)})" for s, n in theme.steps[:5])))
quote_cols = st.columns(len(theme.quotes) or 1)
for col, u in zip(quote_cols, theme.quotes):
    with col:
        verbatim(u, key=f"themes_quote_{u.utterance_id}")

tab_rename, tab_merge, tab_utterances = tabs(
    [t("synthesis.themes.rename"), t("synthesis.themes.merge"), t("synthesis.themes.utterances")],
    key="synthesis_themes_tabs")
with tab_rename:
    with st.form("themes_rename_form"):
        new_label = st.text_input(t("synthesis.themes.new_label"), theme.label, key=f"themes_new_label_{theme_id}")
        if st.form_submit_button(t("synthesis.themes.rename"), type="primary"):
            try:
                synthesis_store.rename_theme(db, theme_id, new_label)
            except DomainError as e:
                show_error(e)
            else:
                done(t("synthesis.themes.renamed", label=new_label.strip()))
with tab_merge:
    with st.form("themes_merge_form"):
        merged = st.multiselect(t("synthesis.themes.merge_with"), others, format_func=name, key="themes_merge_with")
        merged_label = st.text_input(t("synthesis.themes.new_label"), theme.label, key=f"themes_merged_label_{theme_id}")
        if st.form_submit_button(t("synthesis.themes.merge"), type="primary"):
            try:
                synthesis_store.merge_themes(db, [theme_id, *merged], merged_label)
            except DomainError as e:
                show_error(e)
            else:
                done(t("synthesis.themes.merged", n=len(merged) + 1, label=merged_label.strip()))
with tab_utterances:
    members = sorted((u for u in records if u.theme_id == theme_id),
                     key=lambda u: (u.label == "neutral", -u.intensity, u.utterance_id))
    table = pd.DataFrame([{
        "pick": False, "id": u.utterance_id, "text": u.text, "label": u.label, "who": u.participant_code,
        "step": u.step_label, "confidence": round(u.confidence, 2), "corrected": u.corrected,
    } for u in members])
    edited = st.data_editor(
        table_numbers(table, {"confidence": "{:.2f}"}), hide_index=True, width="stretch",
        key=f"themes_editor_{theme_id}",
        disabled=["id", "text", "who", "step", "confidence", "corrected"],
        column_config={
            "pick": st.column_config.CheckboxColumn(t("synthesis.themes.pick"), width="small"),
            "id": None,
            # widths that keep every column on the page; a long text ends in "…", whole on hover
            "text": st.column_config.TextColumn(t("synthesis.themes.text"), width=380),
            "label": st.column_config.SelectboxColumn(t("synthesis.themes.label"), options=list(LABELS),
                                                      format_func=lambda label: t(f"synthesis.label.{label}"),
                                                      required=True),
            "who": st.column_config.TextColumn(t("synthesis.themes.who"), width="small"),
            "step": st.column_config.TextColumn(t("synthesis.curve.step"), width=160),
            "confidence": st.column_config.NumberColumn(t("synthesis.themes.confidence"), width=90),
            "corrected": st.column_config.CheckboxColumn(t("synthesis.corrected"), width="small"),
        }, placeholder="—")
    st.caption(t("synthesis.themes.labels_help"))
    picked = [int(r["id"]) for r in edited.to_dict("records") if r["pick"]]
    changed = {int(r["id"]): r["label"] for r, before in zip(edited.to_dict("records"), table.to_dict("records"))
               if r["label"] != before["label"]}
    c1, c2, c3 = st.columns(3)
    with c1:
        if st.button(t("synthesis.themes.save_labels", n=len(changed)), disabled=not changed,
                     type="primary", key="themes_save_labels"):
            try:
                synthesis_store.set_labels(db, changed)
            except DomainError as e:
                show_error(e)
            else:
                done(t("synthesis.themes.labels_saved", n=len(changed)))
        if st.button(t("synthesis.themes.confirm", n=len(picked)), disabled=not picked, key="themes_confirm"):
            labels = {u.utterance_id: u.label for u in members if u.utterance_id in set(picked)}
            try:
                synthesis_store.set_labels(db, labels)
            except DomainError as e:
                show_error(e)
            else:
                done(t("synthesis.themes.labels_saved", n=len(labels)))
    with c2:
        target = st.selectbox(t("synthesis.themes.move_to"), others, format_func=name, key="themes_move_to",
                              index=None, placeholder=t("synthesis.themes.choose"))
        if st.button(t("synthesis.themes.move", n=len(picked)), disabled=not (picked and target is not None),
                     key="themes_move"):
            try:
                synthesis_store.move_utterances(db, picked, target)
            except DomainError as e:
                show_error(e)
            else:
                done(t("synthesis.themes.moved", n=len(picked), label=name(target)))
    with c3:
        split_label = st.text_input(t("synthesis.themes.split_label"), key="themes_split_label")
        if st.button(t("synthesis.themes.split", n=len(picked)), disabled=not picked, key="themes_split"):
            try:
                synthesis_store.split_theme(db, theme_id, picked, split_label)
            except DomainError as e:
                show_error(e)
            else:
                done(t("synthesis.themes.split_done", n=len(picked), label=split_label.strip()))
