"""Chinese portrait sessions: targets, categories (FR/EN, editable), players, and a fast entry grid per target."""
from datetime import date

import pandas as pd
import streamlit as st

from research import participants as P
from research import portrait as PT
from research.errors import DomainError
from research.workspace import get_workspace
from ui.db import get_db
from ui.i18n import current_language, day, day_input_format, error_text, t
from ui.widgets import badge, figure, page_header, remembered_select, show_error, tabs

db = get_db()
page_header("portrait.title", "portrait.intro")
lang = current_language()
people = P.list_participants(db)
code_of = {p.id: p.code for p in people}
kind_of = {p.id: p.kind for p in people}
ws = get_workspace(db)
sessions = PT.list_sessions(db)


def who(pid: int) -> str:
    return f"{code_of.get(pid, '?')} · {t('participants.kind.' + kind_of.get(pid, 'customer'))}"


with st.expander(t("portrait.new"), icon=":material/add_circle:", expanded=not sessions):
    with st.form("pt_new"):
        c1, c2 = st.columns([2, 1])
        name = c1.text_input(t("portrait.name"), placeholder=t("portrait.name_hint"))
        held_on = c2.date_input(t("portrait.held_on"), value=date.today(), format=day_input_format())
        c1, c2, c3 = st.columns(3)
        brand = c1.text_input(t("portrait.brand"), ws.brand_name)
        comp1 = c2.text_input(t("portrait.competitor", n=1), ws.competitors[0] if ws.competitors else "")
        comp2 = c3.text_input(t("portrait.competitor", n=2), ws.competitors[1] if len(ws.competitors) > 1 else "")
        players = st.multiselect(t("portrait.players"), [p.id for p in people], format_func=who,
                                 placeholder=t("portrait.players_hint"))
        st.caption(t("portrait.categories_default"))
        cats = st.data_editor(pd.DataFrame(PT.DEFAULT_CATEGORIES)[["fr", "en"]], num_rows="dynamic", hide_index=True,
                              key="pt_new_categories", width="stretch",
                              column_config={"fr": st.column_config.TextColumn(t("portrait.cat_fr")),
                                             "en": st.column_config.TextColumn(t("portrait.cat_en"))}, placeholder="—")
        if st.form_submit_button(t("portrait.create"), type="primary"):
            try:
                defaults = {c["fr"]: c["key"] for c in PT.DEFAULT_CATEGORIES}
                rows = [{"key": defaults.get(r["fr"] or "", ""), "fr": r["fr"] or "", "en": r["en"] or ""}
                        for r in cats.fillna("").to_dict("records")]
                created = PT.create_session(db, name, [brand, comp1, comp2], players, categories=rows,
                                            held_on=held_on.isoformat())
                st.session_state["pt_session"] = created.id
                st.rerun()
            except DomainError as e:
                show_error(e)

if not sessions:
    st.info(t("portrait.none"), icon=":material/theater_comedy:")
    st.stop()

sid = remembered_select(t("portrait.session"), {s.id: s.name for s in sessions}, "pt_session",
                        default=sessions[-1].id)
session = PT.get_session(db, sid)
answers = PT.list_answers(db, sid)
st.caption(" · ".join(x for x in (session.held_on and day(session.held_on, "long"), session.notes) if x))
groups = {PT.group_of(kind_of.get(p, "customer")) for p in session.participant_ids}

cards = st.columns(4)
figure(cards[0], t("portrait.fig.targets"), len(session.targets))
figure(cards[1], t("portrait.fig.customers"), sum(PT.group_of(kind_of.get(p, "")) == "customers"
                                                   for p in session.participant_ids))
figure(cards[2], t("portrait.fig.employees"), sum(PT.group_of(kind_of.get(p, "")) == "employees"
                                                   for p in session.participant_ids))
figure(cards[3], t("portrait.fig.answers"), len(answers))

tab_grid, tab_answers, tab_setup = tabs([t("portrait.tab.grid"), t("portrait.tab.answers"), t("portrait.tab.setup")],
                                        key="portrait_tabs")

with tab_grid:
    target = st.radio(t("portrait.target"), session.targets, horizontal=True, key=f"pt_target_{sid}",
                      format_func=lambda x: f"{x} ({sum(1 for a in answers if a.target == x)})")
    st.caption(t("portrait.grid_help", brand=target))
    current = {(a.participant_id, a.category): a.cell() for a in answers if a.target == target}
    cat_keys = [c["key"] for c in session.categories]
    labels = {c["key"]: session.category_label(c["key"], lang) for c in session.categories}
    rows = []
    for pid in session.participant_ids:
        row = {"_pid": pid, "who": who(pid)}
        row.update({k: current.get((pid, k), "") for k in cat_keys})
        rows.append(row)
    frame = pd.DataFrame(rows)
    config = {"_pid": None, "who": st.column_config.TextColumn(t("portrait.player"), disabled=True, pinned=True)}
    config.update({k: st.column_config.TextColumn(labels[k], width="medium") for k in cat_keys})
    edited = st.data_editor(frame, hide_index=True, key=f"pt_grid_{sid}_{target}", column_config=config,
                            width="stretch", height=min(38 * (len(rows) + 1) + 4, 600), placeholder="—")
    if st.button(t("portrait.save_grid"), type="primary", key=f"pt_save_{sid}_{target}", icon=":material/save:"):
        cells = {(int(r["_pid"]), k): str(r[k] or "") for r in edited.fillna("").to_dict("records") for k in cat_keys}
        result = PT.save_grid(db, sid, target, cells)
        if result.saved or result.deleted:
            st.success(t("portrait.grid_saved", saved=result.saved, deleted=result.deleted), icon=":material/check:")
        for pid, cat, err in result.errors:
            st.error(t("portrait.cell_error", who=code_of.get(pid, "?"), category=labels.get(cat, cat),
                       reason=error_text(err)), icon=":material/error:")
        if not result.errors:
            st.rerun()

with tab_answers:
    view = [{t("portrait.target"): a.target, t("portrait.category"): session.category_label(a.category, lang),
             t("portrait.player"): a.participant_code, t("portrait.group"): t(f"portrait.group.{a.group}"),
             t("portrait.answer"): a.answer, t("portrait.justification"): a.justification} for a in answers]
    st.dataframe(pd.DataFrame(view), hide_index=True, width="stretch", placeholder="—")
    if answers:
        export = pd.DataFrame([{"target": a.target, "category": a.category, "participant": a.participant_code,
                                "group": a.group, "answer": a.answer, "justification": a.justification,
                                "grouped_as": PT.normalise(a.answer, a.category).label} for a in answers])
        st.download_button(t("portrait.export"), export.to_csv(index=False).encode("utf-8-sig"),
                           f"portrait-chinois-{sid}.csv", "text/csv", icon=":material/download:",
                           key=f"pt_export_{sid}")

with tab_setup:
    st.markdown(f"**{t('portrait.targets_line')}** " + " · ".join(
        badge(x, "blue" if i == 0 else "gray") for i, x in enumerate(session.targets)))
    with st.form(f"pt_setup_{sid}_{session.version}"):
        cats = st.data_editor(pd.DataFrame(session.categories)[["key", "fr", "en"]], num_rows="dynamic",
                              hide_index=True, width="stretch", key=f"pt_categories_{sid}",
                              column_config={"key": st.column_config.TextColumn(t("portrait.cat_key"), disabled=True,
                                                                                 help=t("portrait.cat_key_help")),
                                             "fr": st.column_config.TextColumn(t("portrait.cat_fr")),
                                             "en": st.column_config.TextColumn(t("portrait.cat_en"))}, placeholder="—")
        cols = st.columns(3)
        targets = [cols[0].text_input(t("portrait.brand"), session.targets[0] if session.targets else "")]
        for n in (1, 2):
            targets.append(cols[n].text_input(t("portrait.competitor", n=n),
                                              session.targets[n] if len(session.targets) > n else ""))
        players = st.multiselect(t("portrait.players"), [p.id for p in people], default=session.participant_ids,
                                 format_func=who)
        if st.form_submit_button(t("portrait.save_setup")):
            try:
                PT.update_session(db, sid, version=session.version, categories=cats.fillna("").to_dict("records"),
                                  participant_ids=players, targets=targets)
                st.rerun()
            except DomainError as e:
                show_error(e)
    if len(groups) < 2:
        st.caption(t("portrait.one_group_hint"))
