"""Photolanguage sessions: deal the panels (or the shared board), print them, capture picks and words live."""
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from research import images as I
from research import participants as P
from research import photolanguage as PL
from research.errors import DomainError
from research.workspace import get_workspace
from ui.db import get_db
from ui.i18n import day, day_input_format, error_text, t
from ui.widgets import chart_with_height, figure, literal, page_header, remembered_select, show_error, tabs

db = get_db()
page_header("photolanguage.title", "photolanguage.intro")

people = P.list_participants(db)
code_of = {p.id: p.code for p in people}
kind_of = {p.id: p.kind for p in people}
sessions = PL.list_sessions(db)
library = I.list_images(db)
dealable = [im for im in library if not im.obvious]
ws = get_workspace(db)


def who(pid: int) -> str:
    kind = kind_of.get(pid, "customer")
    return f"{code_of.get(pid, '?')} · {t('participants.kind.' + kind)}"


with st.expander(t("photolanguage.new"), icon=":material/add_circle:", expanded=not sessions):
    st.caption(t("photolanguage.library_size", n=len(dealable), obvious=len(library) - len(dealable)))
    mode = st.radio(t("photolanguage.mode"), list(PL.MODES), horizontal=True, key="pl_new_mode",
                    format_func=lambda m: t(f"photolanguage.mode.{m}"))
    with st.form("pl_new"):
        c1, c2 = st.columns([2, 1])
        name = c1.text_input(t("photolanguage.name"), placeholder=t("photolanguage.name_hint"))
        held_on = c2.date_input(t("photolanguage.held_on"), value=date.today(), format=day_input_format())
        members = st.multiselect(t("photolanguage.members"), [p.id for p in people], format_func=who,
                                 placeholder=t("photolanguage.members_hint"))
        c1, c2, c3 = st.columns(3)
        size = c1.number_input(t("photolanguage.panel_size" if mode == "in_person" else "photolanguage.board_size"),
                               min_value=1, max_value=500, value=PL.DEFAULT_PANEL if mode == "in_person" else PL.DEFAULT_BOARD)
        seed = c2.number_input(t("photolanguage.seed"), min_value=0, max_value=10**6, value=2026,
                               help=t("photolanguage.seed_help"))
        max_picks = c3.number_input(t("photolanguage.max_picks"), min_value=1, max_value=10, value=3)
        question = st.text_area(t("photolanguage.question"), t("photolanguage.question_default",
                                                                 brand=ws.brand_name or "—"), height=70)
        if st.form_submit_button(t("photolanguage.create"), type="primary"):
            try:
                created = PL.create_session(db, name, mode, members, panel_size=int(size), seed=int(seed),
                                            question=question, target=ws.brand_name, held_on=held_on.isoformat(),
                                            max_picks=int(max_picks))
                st.session_state["pl_session"] = created.id
                st.rerun()
            except DomainError as e:
                show_error(e)

if not sessions:
    st.info(t("photolanguage.none"), icon=":material/photo_library:")
    st.stop()

sid = remembered_select(t("photolanguage.session"),
                        {s.id: f"{s.name} ({t(f'photolanguage.mode.{s.mode}')})" for s in sessions}, "pl_session")
session = PL.get_session(db, sid)
stored = PL.panels(db, sid)
picks = PL.list_picks(db, sid)
report = PL.session_dealing(db, sid)
st.caption(" · ".join(x for x in (session.held_on and day(session.held_on, "long"), session.question, session.notes)
                       if x))

cards = st.columns(4)
figure(cards[0], t("photolanguage.fig.members"), len(session.participant_ids))
figure(cards[1], t("photolanguage.fig.panel" if session.mode == "in_person" else "photolanguage.fig.board"),
                 session.panel_size)
figure(cards[2], t("photolanguage.fig.picks"), len(picks))
if session.mode == "in_person":
    figure(cards[3], t("photolanguage.fig.overlap"), report.max_overlap,
                     help=t("photolanguage.fig.overlap_help"))
else:
    figure(cards[3], t("photolanguage.fig.participants_done"), len({p.participant_id for p in picks}))

tab_capture, tab_panels = tabs([t("photolanguage.tab.capture"), t("photolanguage.tab.panels")],
                               key="photolanguage_tabs")

with tab_panels:
    if session.mode == "in_person":
        minimal = report.max_overlap <= report.lower_bound
        (st.success if minimal else st.warning)(t(
            "photolanguage.overlap_line" if minimal else "photolanguage.overlap_line_near", max=report.max_overlap, min=report.min_overlap,
            mean=report.mean_overlap, bound=report.lower_bound, library=len(dealable),
            size=session.panel_size, n=len(session.participant_ids), seed=session.seed),
            icon=":material/check_circle:" if minimal else ":material/warning:")
        rows = []
        order = [pid for pid in session.participant_ids if pid in stored]
        for (i, j), shared in report.overlaps.items():
            a, b = code_of.get(order[i], "?"), code_of.get(order[j], "?")
            rows += [{"a": a, "b": b, "n": shared}, {"a": b, "b": a, "n": shared}]
        frame = pd.DataFrame(rows)
        base = alt.Chart(frame).encode(x=alt.X("a:N", title=None), y=alt.Y("b:N", title=None))
        chart_with_height((base.mark_rect(cornerRadius=3).encode(
            color=alt.Color("n:Q", title=t("photolanguage.shared"), scale=alt.Scale(scheme="blues", zero=True)),
            tooltip=[alt.Tooltip("a:N", title=t("photolanguage.tip.one")),
                     alt.Tooltip("b:N", title=t("photolanguage.tip.other")),
                     alt.Tooltip("n:Q", title=t("photolanguage.shared"))])
            + base.mark_text(fontSize=13, color="black").encode(text="n:Q"))
            .properties(height=46 * len(order) + 30, title=t("photolanguage.overlap_chart")))
        uses = pd.Series(list(report.uses.values())).value_counts().sort_index()
        st.caption(t("photolanguage.uses_line", detail=" · ".join(
            t("photolanguage.uses_item", images=int(n), panels=int(u)) for u, n in uses.items())))
        if not picks:
            with st.form("pl_redeal"):
                c1, c2 = st.columns(2)
                new_seed = c1.number_input(t("photolanguage.seed"), min_value=0, max_value=10**6, value=session.seed + 1)
                new_size = c2.number_input(t("photolanguage.panel_size"), min_value=1, max_value=500,
                                           value=session.panel_size)
                if st.form_submit_button(t("photolanguage.redeal"), icon=":material/shuffle:"):
                    try:
                        PL.redeal(db, sid, int(new_seed), panel_size=int(new_size))
                        st.rerun()
                    except DomainError as e:
                        show_error(e)
    else:
        st.info(t("photolanguage.board_line", n=session.panel_size), icon=":material/dashboard:")
    try:
        sheets = PL.panel_sheets_pdf(db, sid, {"board": t("photolanguage.board"),
                                               "subtitle": t("photolanguage.sheet_subtitle", n=session.panel_size)})
        st.download_button(t("photolanguage.sheets"), sheets, f"photolangage-{sid}.pdf", "application/pdf",
                           icon=":material/print:", key="pl_sheets")
    except DomainError as e:
        show_error(e)
    owners = [pid for pid in session.participant_ids if pid in stored] or [None]
    codes = {im.id: im.code for im in library}
    owner = st.selectbox(t("photolanguage.show_panel"), owners, key=f"pl_show_panel_{sid}",
                         format_func=lambda o: t("photolanguage.board") if o is None else who(o))
    panel = stored.get(owner, [])
    st.caption(t("photolanguage.panel_of", who=t("photolanguage.board") if owner is None else who(owner), n=len(panel)))
    thumbs = I.thumbnails(db, panel)
    st.image([thumbs[i] for i in panel], caption=[codes[i] for i in panel], width=104)

with tab_capture:
    members = session.participant_ids
    if not members:
        st.info(t("photolanguage.no_members"))
        st.stop()
    current = st.radio(t("photolanguage.participant"), members, horizontal=True, key=f"pl_capture_who_{sid}",
                       format_func=lambda p: f"{code_of.get(p, '?')} ({sum(1 for k in picks if k.participant_id == p)})")
    panel = PL.panel_of(db, sid, current)
    mine = [p for p in picks if p.participant_id == current]
    left, right = st.columns([3, 2])
    with left:
        with st.form(f"pl_pick_{sid}_{current}", clear_on_submit=True):
            c1, c2 = st.columns([1, 4])
            code = c1.text_input(t("photolanguage.image_code"), placeholder="017")
            words = c2.text_input(t("photolanguage.words"), placeholder=t("photolanguage.words_hint"))
            if st.form_submit_button(t("photolanguage.add_pick"), type="primary", icon=":material/add:"):
                try:
                    added = PL.add_pick(db, sid, current, code, words)
                    st.toast(t("photolanguage.pick_saved", code=added.image_code, who=added.participant_code),
                             icon=":material/check:")
                    st.rerun()
                except DomainError as e:
                    show_error(e)
        with st.expander(t("photolanguage.bulk"), icon=":material/keyboard:"):
            with st.form(f"pl_bulk_{sid}_{current}"):
                text = st.text_area(t("photolanguage.bulk_help"), height=110, placeholder="17 : la mer, le calme\n42 - des rouages")
                if st.form_submit_button(t("photolanguage.bulk_save")):
                    result = PL.add_picks_text(db, sid, current, text)
                    if result.saved:
                        st.success(t("photolanguage.bulk_saved", n=len(result.saved)), icon=":material/check:")
                    for n, line, err in result.errors:
                        st.error(t("photolanguage.bulk_error", line=n, text=line.strip(), reason=error_text(err)),
                                 icon=":material/error:")
        st.caption(t("photolanguage.panel_reference", n=len(panel)))
        thumbs = I.thumbnails(db, panel)
        codes = {im.id: im.code for im in library}
        picked = {p.image_id for p in mine}
        st.image([thumbs[i] for i in panel], caption=[("✓ " if i in picked else "") + codes[i] for i in panel],
                 width=96)
    with right:
        if picks:
            export = pd.DataFrame([{"session": session.name, "participant": p.participant_code,
                                    "kind": p.participant_kind, "rank": p.rank, "image": p.image_code,
                                    "title": p.image_title, "words": p.words} for p in picks])
            st.download_button(t("photolanguage.export"), export.to_csv(index=False).encode("utf-8-sig"),
                               f"photolangage-{sid}.csv", "text/csv", icon=":material/download:",
                               key=f"pl_export_{sid}")
        st.markdown(f"**{t('photolanguage.picks_of', who=who(current), n=len(mine), max=session.max_picks)}**")
        if not mine:
            st.caption(t("photolanguage.no_picks"))
        pick_thumbs = I.thumbnails(db, [p.image_id for p in mine])
        for p in mine:
            with st.container(border=True):
                c1, c2 = st.columns([1, 2])
                c1.image(pick_thumbs[p.image_id], width="stretch")
                c2.markdown(f"**{p.rank}. {p.image_code}** · {literal(p.image_title)}")
                c2.markdown(f"« {literal(p.words)} »")
                if c2.button(t("photolanguage.delete_pick"), key=f"pl_del_{p.id}", icon=":material/delete:"):
                    PL.delete_pick(db, p.id)
                    st.rerun()
