"""Customer journeys: steps in the customer's voice, moments of truth, branches, and the touchpoint matrix."""
import pandas as pd
import streamlit as st

from research import journeys as J
from research.errors import DomainError
from research.store import row_version
from ui import keys
from ui.db import get_db
from ui.i18n import current_language, t
from ui.journey_charts import journey_map, touchpoint_heatmap
from ui.widgets import figure, literal, page_header, show_chart, show_error, shown_version, tabs

db = get_db()
page_header("journeys.title", "journeys.intro")
lang = current_language()


def run(action, *args, **kwargs) -> bool:
    """Do a domain action; a clear message instead of a traceback, and a rerun on success."""
    try:
        action(*args, **kwargs)
    except DomainError as e:
        show_error(e)
        return False
    st.rerun()


all_journeys = J.list_journeys(db)
top_left, top_right = st.columns([3, 2], vertical_alignment="bottom")
with top_right:
    with st.popover(t("journeys.new"), icon=":material/add:", width="stretch"):
        with st.form("new_journey"):
            name = st.text_input(t("journeys.name"))
            template = st.selectbox(t("journeys.template"), ["", *J.TEMPLATES],
                                    format_func=lambda k: t(f"journeys.template.{k or 'none'}"))
            description = st.text_area(t("journeys.description"), height=80)
            if st.form_submit_button(t("journeys.create"), type="primary"):
                if template:
                    run(J.create_from_template, db, template, name, lang)
                else:
                    run(J.create_journey, db, name, description, lang)
if not all_journeys:
    st.info(t("journeys.none"), icon=":material/route:")
    st.stop()
with top_left:
    journey_id = st.selectbox(t("journeys.pick"), [j.id for j in all_journeys],
                              format_func=lambda i: next(j.name for j in all_journeys if j.id == i), key="journey_pick")
journey = J.get_journey(db, journey_id)
steps = journey.steps
channels = J.list_channels(db)
matrix = J.touchpoint_matrix(db, journey.id)

if journey.description:
    st.caption(journey.description)
cards = st.columns(4)
figure(cards[0], t("journeys.fig.macro"), len(journey.macro_steps))
figure(cards[1], t("journeys.fig.steps"), len([s for s in steps if not s.branch_of]))
figure(cards[2], t("journeys.fig.mot"), sum(s.is_moment_of_truth for s in steps))
figure(cards[3], t("journeys.fig.breaks"), sum(1 for c in matrix if c["is_break"]))

tab_map, tab_steps, tab_matrix, tab_manage = tabs(
    [t("journeys.tab.map"), t("journeys.tab.steps"), t("journeys.tab.matrix"), t("journeys.tab.manage")],
    key="journeys_tabs")

with tab_map:
    show_chart(journey_map(steps))
    for macro in journey.macro_steps:
        st.markdown(f"**{macro.name}**")
        line = []
        for s in macro.steps:
            badge = " :orange-badge[★ " + t("journeys.mot_short") + "]" if s.is_moment_of_truth else ""
            branch = f" :gray-badge[↳ {t('journeys.branch.' + (s.branch_kind or 'other'))}]" if s.branch_of else ""
            line.append(f"{s.order}. {s.label}{badge}{branch}")
        st.markdown("  \n".join(line) or "—")

with tab_steps:
    for macro in journey.macro_steps:
        with st.container(border=True):
            head, up, down, edit = st.columns([7, 1, 1, 1], vertical_alignment="center")
            head.markdown(f"#### {literal(macro.name)}")
            if up.button("↑", key=f"mu{macro.id}", help=t("journeys.move_up")):
                run(J.move_macro_step, db, macro.id, -1)
            if down.button("↓", key=f"md{macro.id}", help=t("journeys.move_down")):
                run(J.move_macro_step, db, macro.id, 1)
            macro_base = shown_version(f"macro.{macro.id}", row_version(db, "journey_macro_steps", macro.id))
            with edit.popover("", icon=":material/edit:", help=t("journeys.rename_macro")):
                with st.form(f"rename_macro_{macro.id}"):
                    name = st.text_input(t("journeys.macro_name"), macro.name, key=f"macro_name_{macro.id}")
                    if st.form_submit_button(t("journeys.save"), type="primary"):
                        run(J.rename_macro_step, db, macro.id, name, based_on=macro_base)
            for s in macro.steps:
                row = st.columns([7, 1, 1, 1], vertical_alignment="center")
                prefix = "↳ " if s.branch_of else ""
                star = " ★" if s.is_moment_of_truth else ""
                row[0].markdown(f"{prefix}**{s.order}. {literal(s.label)}**{star}"
                                 + (f"  \n:gray[{literal(s.description)}]" if s.description else ""))
                warning = J.voice_warning(s.label, journey.lang)
                if warning:
                    row[0].caption(f":orange[:material/record_voice_over: {t(warning)}]")
                if row[1].button("↑", key=f"su{s.id}", help=t("journeys.move_up")):
                    run(J.move_step, db, s.id, -1)
                if row[2].button("↓", key=f"sd{s.id}", help=t("journeys.move_down")):
                    run(J.move_step, db, s.id, 1)
                step_base = shown_version(f"step.{s.id}", row_version(db, "journey_steps", s.id))
                with row[3].popover("", icon=":material/edit:", help=t("journeys.edit_step")):
                    with st.form(f"edit_step_{s.id}"):
                        label = st.text_input(t("journeys.step_label"), s.label)
                        desc = st.text_area(t("journeys.description"), s.description, height=70)
                        mot = st.checkbox(t("journeys.is_mot"), s.is_moment_of_truth)
                        save, delete = st.columns(2)
                        if save.form_submit_button(t("journeys.save"), type="primary"):
                            run(J.update_step, db, s.id, label=label, description=desc, is_moment_of_truth=mot,
                                based_on=step_base)
                        if delete.form_submit_button(t("journeys.delete_step")):
                            run(J.delete_step, db, s.id)
            with st.expander(t("journeys.add_step"), icon=":material/add:"):
                with st.form(f"add_step_{macro.id}", clear_on_submit=True):
                    label = st.text_input(t("journeys.step_label"), placeholder=t("journeys.step_placeholder"))
                    desc = st.text_input(t("journeys.description"))
                    c1, c2, c3 = st.columns(3)
                    mot = c1.checkbox(t("journeys.is_mot"))
                    base = c2.selectbox(t("journeys.branch_of"), [None] + [x.id for x in steps if not x.branch_of],
                                        format_func=lambda i: "—" if i is None else next(x.label for x in steps if x.id == i))
                    kind = c3.selectbox(t("journeys.branch_kind"), list(J.BRANCH_KINDS),
                                        format_func=lambda k: t(f"journeys.branch.{k}"))
                    if st.form_submit_button(t("journeys.add"), type="primary"):
                        warning = J.voice_warning(label, journey.lang)
                        if warning:
                            st.warning(t(warning), icon=":material/record_voice_over:")
                        run(J.add_step, db, macro.id, label, description=desc, is_moment_of_truth=mot,
                            branch_of=base, branch_kind=kind if base else None)
    with st.form("add_macro", clear_on_submit=True):
        c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
        name = c1.text_input(t("journeys.add_macro"), placeholder=t("journeys.macro_placeholder"))
        if c2.form_submit_button(t("journeys.add"), width="stretch"):
            run(J.add_macro_step, db, journey.id, name)

with tab_matrix:
    if not channels:
        st.info(t("journeys.no_channels"), icon=":material/info:")
    else:
        st.caption(t("journeys.matrix.legend"))
        show_chart(touchpoint_heatmap(matrix))
        st.markdown(f"##### {t('journeys.matrix.edit')}")
        only_filled = st.toggle(t("journeys.matrix.only_filled"), value=True)
        frame = pd.DataFrame(matrix)
        if only_filled:
            frame = frame[frame["presence"].notna() | frame["satisfaction"].notna() | frame["is_break"]]
        presence_labels = {p: t(f"journeys.presence.{p}") for p in J.PRESENCE}
        by_labels = {b: t(f"journeys.by.{b}") for b in J.INITIATED_BY}
        shown = frame.assign(presence=frame["presence"].map(presence_labels),
                             initiated_by=frame["initiated_by"].map(by_labels))
        # the matrix as it was when this person started editing the grid (kept while edits are pending)
        editor_key, base_key = f"matrix_{journey.id}_{only_filled}", keys.EDIT_BASE_PREFIX + f"matrix.{journey.id}"
        pending = st.session_state.get(editor_key) or {}
        if base_key not in st.session_state or not any(pending.get(k) for k in ("edited_rows", "added_rows",
                                                                                 "deleted_rows")):
            st.session_state[base_key] = J.touchpoints_version(db, journey.id)
        matrix_base = st.session_state[base_key]
        edited = st.data_editor(
            shown[["step_id", "channel_id", "step", "channel", "presence", "initiated_by", "volume", "satisfaction",
                   "is_break", "note"]],
            hide_index=True, width="stretch", key=editor_key,
            disabled=["step", "channel"],
            column_config={
                "step_id": None, "channel_id": None,
                # widths that keep every column on the page; a long note ends in "…", whole when edited
                "step": st.column_config.TextColumn(t("journeys.step"), width=190),
                "channel": st.column_config.TextColumn(t("journeys.channel"), width=125),
                "presence": st.column_config.SelectboxColumn(
                    t("journeys.tp.presence"), options=list(presence_labels.values()), width=100),
                "initiated_by": st.column_config.SelectboxColumn(
                    t("journeys.tp.initiated_by"), options=list(by_labels.values()), width=130),
                "volume": st.column_config.NumberColumn(t("journeys.tp.volume"), min_value=0, step=1, width=80),
                "satisfaction": st.column_config.NumberColumn(
                    t("journeys.tp.satisfaction"), min_value=1, max_value=5, step=1, width=110),
                "is_break": st.column_config.CheckboxColumn(t("journeys.tp.break"), width=85),
                "note": st.column_config.TextColumn(t("journeys.tp.note"), width=150),
            }, placeholder="—")
        if st.button(t("journeys.matrix.save"), type="primary"):
            back_p = {v: k for k, v in presence_labels.items()}
            back_b = {v: k for k, v in by_labels.items()}

            def clean(v):
                return None if v is None or (isinstance(v, float) and pd.isna(v)) else v

            cells = [{"step_id": r["step_id"], "channel_id": r["channel_id"],
                      "presence": back_p.get(clean(r["presence"])), "initiated_by": back_b.get(clean(r["initiated_by"])),
                      "volume": clean(r["volume"]), "satisfaction": clean(r["satisfaction"]),
                      "is_break": bool(r["is_break"]), "note": clean(r["note"])} for r in edited.to_dict("records")]
            try:
                J.set_touchpoints(db, cells, journey_id=journey.id, based_on=matrix_base)
            except DomainError as e:
                show_error(e)
            else:
                st.session_state.pop(base_key, None)
                st.toast(t("journeys.matrix.saved"), icon=":material/check:")
                st.rerun()

with tab_manage:
    left, right = st.columns(2)
    with left:
        st.markdown(f"##### {t('journeys.rename')}")
        journey_base = shown_version(f"journey.{journey.id}", row_version(db, "journeys", journey.id))
        with st.form("rename_journey"):
            name = st.text_input(t("journeys.name"), journey.name)
            description = st.text_area(t("journeys.description"), journey.description, height=80)
            if st.form_submit_button(t("journeys.save")):
                run(J.rename_journey, db, journey.id, name, description, based_on=journey_base)
        st.markdown(f"##### {t('journeys.duplicate')}")
        with st.form("duplicate_journey"):
            name = st.text_input(t("journeys.name"), t("journeys.copy_of", name=journey.name))
            if st.form_submit_button(t("journeys.duplicate")):
                run(J.duplicate_journey, db, journey.id, name)
        with st.expander(t("journeys.delete"), icon=":material/delete:"):
            st.caption(t("journeys.delete_help"))
            if st.checkbox(t("journeys.delete_confirm"), key="confirm_delete_journey"):
                if st.button(t("journeys.delete"), type="primary"):
                    run(J.delete_journey, db, journey.id)
    with right:
        st.markdown(f"##### {t('journeys.channels')}")
        st.dataframe(pd.DataFrame([{t("journeys.channel"): c.name, t("journeys.channel_kind"): t(f"journeys.channel_kind.{c.kind}") if c.kind else "—"}
                                   for c in channels]),
                     hide_index=True, width="stretch", placeholder="—")
        with st.form("add_channel", clear_on_submit=True):
            c1, c2 = st.columns(2)
            name = c1.text_input(t("journeys.channel"))
            kind = c2.selectbox(t("journeys.channel_kind"), ["human", "digital", "paper", "physical"],
                                format_func=lambda k: t(f"journeys.channel_kind.{k}"))
            if st.form_submit_button(t("journeys.add_channel")):
                run(J.add_channel, db, name, kind)
