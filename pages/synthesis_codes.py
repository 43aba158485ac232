"""The team's own codes: a codebook the researchers write and put on participants' utterances, beside
what the analysis codes."""
import pandas as pd
import streamlit as st

from research import team_codes
from research.errors import DomainError
from research.folding import fold
from research.synthesis_charts import code_persona_chart, label_mix_chart
from ui.auth import can, current_user
from ui.db import get_db
from ui.i18n import count, t
from ui.synthesis import require_analysis
from ui.widgets import (confirmed_button, figure_cards, file_uploader, flash_and_done, page_header, show_chart,
                        show_error, tabs, wrapped_table)

SHOWN = 300  # rows of the coding table at once; filters narrow the rest

db = get_db()
page_header("codes.title", "codes.intro")
records = require_analysis(db)
done = flash_and_done("codes")


def code_form(form_key: str, submit: str, message_key: str, save, code=None, **button) -> None:
    """A code's name and definition (empty for a new code), saved by `save(name, description)`."""
    with st.form(form_key, clear_on_submit=code is None):
        a, b = st.columns([1, 2])
        name = a.text_input(t("codes.name"), code.name if code else "", max_chars=team_codes.NAME_MAX,
                            key=f"{form_key}_name")
        description = b.text_input(t("codes.description"), code.description if code else "",
                                   key=f"{form_key}_description", placeholder=t("codes.description_hint"))
        if st.form_submit_button(submit, **button):
            try:
                save(name, description)
            except DomainError as e:
                show_error(e)
            else:
                done(t(message_key, code=" ".join(name.split())))


codes = team_codes.list_codes(db)
coded = [u for u in records if u.team_codes]
figure_cards([(t("codes.fig.codes"), len(codes)), (t("codes.fig.coded"), len(coded)),
              (t("codes.fig.participants"), len({u.participant_id for u in coded}))])
editable = can("edit")
author = current_user().label if current_user() else ""
by_id = {c.id: c for c in codes}

tab_code, tab_book = tabs([t("codes.tab.code"), t("codes.tab.book")], key="synthesis_codes_tabs")
with tab_code:
    if not codes:
        st.info(t("codes.none_yet"), icon=":material/sell:")
    a, b, c = st.columns([2, 2, 2])
    words = a.text_input(t("codes.filter.words"), key="codes_filter_words", placeholder=t("codes.filter.words_hint"))
    themes = {u.theme_id: u.theme_label or t("synthesis.untitled") for u in records}
    theme = b.selectbox(t("synthesis.theme"), [None, *sorted(themes, key=lambda i: fold(themes[i]))],
                        format_func=lambda i: t("codes.filter.all") if i is None else themes[i],
                        key="codes_filter_theme")
    having = c.selectbox(t("codes.filter.having"), [None, 0, *by_id],
                         format_func=lambda i: (t("codes.filter.all") if i is None else t("codes.filter.uncoded")
                                                if i == 0 else by_id[i].name), key="codes_filter_having")
    wanted = fold(words)
    shown = [u for u in records
             if (not wanted or wanted in fold(u.text)) and (theme is None or u.theme_id == theme)
             and (having is None or (not u.team_codes if having == 0 else by_id[having].name in u.team_codes))]
    st.caption(t("codes.shown", n=len(shown), limit=SHOWN) if len(shown) > SHOWN else t("codes.count", n=len(shown)))
    shown = shown[:SHOWN]
    table = pd.DataFrame([{"pick": False, "id": u.utterance_id, "text": u.text, "codes": ", ".join(u.team_codes),
                           "label": t(f"synthesis.label.{u.label}"), "who": u.participant_code,
                           "step": u.step_label, "theme": u.theme_label} for u in shown],
                         columns=["pick", "id", "text", "codes", "label", "who", "step", "theme"])
    edited = st.data_editor(
        table, hide_index=True, width="stretch", key=f"codes_table_{words}_{theme}_{having}",
        height=min(38 + 35 * len(table), 460),
        disabled=["id", "text", "codes", "label", "who", "step", "theme"],
        column_config={
            "pick": st.column_config.CheckboxColumn(t("synthesis.themes.pick"), width="small"),
            "id": None,
            # widths that keep every column on the page; a long text ends in "…", whole on hover
            "text": st.column_config.TextColumn(t("synthesis.themes.text"), width=360),
            "codes": st.column_config.TextColumn(t("codes.col.codes"), width=130),
            "label": st.column_config.TextColumn(t("synthesis.qdc.labels"), width=95),
            "who": st.column_config.TextColumn(t("synthesis.themes.who"), width=55),
            "step": st.column_config.TextColumn(t("synthesis.curve.step"), width=140),
            "theme": st.column_config.TextColumn(t("synthesis.theme"), width=110),
        }, placeholder="—")
    picked = [int(r["id"]) for r in edited.to_dict("records") if r["pick"]]
    if editable and codes:
        a, b, c = st.columns([2, 1, 1], vertical_alignment="bottom")
        chosen = a.selectbox(t("codes.apply_which"), list(by_id), format_func=lambda i: by_id[i].name,
                             key="codes_apply_which", index=None, placeholder=t("codes.choose"))
        ready = bool(picked) and chosen is not None
        if b.button(t("codes.apply", n=len(picked)), type="primary", disabled=not ready, key="codes_apply",
                    width="stretch"):
            try:
                added = team_codes.apply_code(db, picked, chosen, author)
            except DomainError as e:
                show_error(e)
            else:
                done(t("codes.applied", n=added, code=by_id[chosen].name))
        if c.button(t("codes.remove", n=len(picked)), disabled=not ready, key="codes_remove", width="stretch"):
            try:
                removed = team_codes.remove_code(db, picked, chosen)
            except DomainError as e:
                show_error(e)
            else:
                done(t("codes.removed", n=removed, code=by_id[chosen].name))
        st.caption(t("codes.apply_help"))

with tab_book:
    summaries = team_codes.summaries(codes, records)
    if summaries:
        used = [{"name": f"{s.code.name} ({count(s.utterances)})", "irritant": s.irritants,
                 "enchantment": s.enchantments, "neutral": s.neutral} for s in summaries if s.utterances]
        if used:
            show_chart(label_mix_chart(used, t))
        # feelings are in the chart above and personas in the grid below
        wrapped_table(pd.DataFrame([{
            t("codes.name"): s.code.name, t("codes.description"): s.code.description or None,
            t("codes.col.utterances"): s.utterances, t("codes.col.participants"): s.participants,
            t("codes.col.step"): " · ".join(f"{name} ({n})" for name, n in s.steps[:2]) or None,
        } for s in summaries]), t("codes.name"))
        grid = code_persona_chart(team_codes.persona_grid(codes, records), t)
        if grid is not None:
            st.markdown(f"**{t('codes.by_persona')}**")
            show_chart(grid)
            st.caption(t("codes.by_persona_help"))
    if editable:
        st.markdown(f"**{t('codes.new')}**")
        code_form("codes_create", t("codes.create"), "codes.created",
                  lambda name, description: team_codes.create_code(db, name, description, author),
                  type="primary", icon=":material/add:")
        with st.expander(t("codes.import.title"), icon=":material/upload_file:"):
            st.caption(t("codes.import.help"))
            with st.form("codes_import", clear_on_submit=True):
                upload = file_uploader(t("codes.import.file"), type=["qdc", "qdpx", "xml"], key="codes_import_file")
                if st.form_submit_button(t("codes.import.go")) and upload is not None:
                    try:
                        imported = team_codes.import_codebook(db, upload.getvalue(), author)
                    except DomainError as e:
                        show_error(e)
                    else:
                        done(" ".join(t(f"codes.import.{part}", n=n) for part, n in (
                            ("done", len(imported.created)), ("present", len(imported.present)),
                            ("unnamed", imported.unnamed)) if n or part == "done"))
    if editable and codes:
        st.markdown(f"**{t('codes.edit')}**")
        which = st.selectbox(t("codes.edit_which"), list(by_id), format_func=lambda i: by_id[i].name,
                             key="codes_edit_which")
        code = by_id[which]
        code_form(f"codes_edit_{which}", t("codes.save"), "codes.saved",
                  lambda name, description: team_codes.edit_code(db, which, name, description), code=code)
        if confirmed_button(t("codes.delete_sure", code=code.name, n=code.uses), t("codes.delete"),
                            key=f"codes_delete_{which}"):
            try:
                team_codes.delete_code(db, which)
            except DomainError as e:
                show_error(e)
            else:
                done(t("codes.deleted", code=code.name))
