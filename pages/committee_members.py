"""Committee members: the recruitment pipeline, the quota board by persona, terms and each member's timeline."""
from datetime import date

import pandas as pd
import streamlit as st

from research import committee_followups as F
from research import committees as C
from research.errors import DomainError
from research.participants import list_participants
from ui import keys
from ui.committees import committee_or_stop, euros, fmt_day, quota_panel
from ui.db import get_db
from ui.i18n import day_input_format, t
from ui.widgets import figure, literal, page_header, remembered_select, show_error, tabs

db = get_db()
page_header("committees.members.title", "committees.members.intro")
committee = committee_or_stop(db)

members = C.list_members(db, committee.id)
board = C.quota_board(db, committee.id)
today = date.today()

left, right = st.columns([3, 2])
with left.container(border=True):
    quota_panel(board)
with right.container(border=True):
    st.markdown(f"**{t('committees.members.balance')}**")
    for q in board:
        if q["target"] and q["missing"]:
            st.markdown(":orange-badge[" + t("committees.members.seats_open", n=q["missing"]) + f"] {q['persona']}"
                        + (" · " + t("committees.members.waiting", n=q["candidates"]) if q["candidates"] else ""))
        elif q["target"]:
            st.markdown(":green-badge[" + t("committees.members.quota_full") + f"] {q['persona']}")
        else:
            st.markdown(":gray-badge[" + t("committees.members.no_quota") + f"] {q['persona'] or t('committees.no_persona')}")
    st.caption(t("committees.quota.caption"))

st.markdown(f"#### {t('committees.members.pipeline')}")
columns = st.columns(len(C.MEMBER_STATUSES))
for col, status in zip(columns, C.MEMBER_STATUSES):
    group = [m for m in members if m.status == status]
    with col.container(border=True):
        st.markdown(f"**{t(f'committees.member_status.{status}')}** · {len(group)}")
        by_persona: dict[str, list] = {}
        for m in group:
            by_persona.setdefault(m.persona_name or t("committees.no_persona"), []).append(m)
        for persona, people in sorted(by_persona.items()):
            badges = " ".join(f":red-badge[{m.code} ⚠]" if not m.has_consent and status in ("invited", "accepted", "active")
                              else f":blue-badge[{m.code}]" for m in people)
            st.markdown(f":gray[{literal(persona)}]  \n{badges}")

tab_add, tab_move, tab_member = tabs([t("committees.members.tab_add"), t("committees.members.tab_move"),
                                      t("committees.members.tab_member")], key="committee_members_tabs")

with tab_add:
    in_pipeline = {m.participant_id for m in members}
    pool = [p for p in list_participants(db) if p.kind != "employee" and p.id not in in_pipeline]
    if not pool:
        st.caption(t("committees.members.nobody_left"))
    else:
        with st.form("member_add"):
            labels = {p.id: f"{p.code} — {p.persona_name or t('committees.no_persona')} · "
                            f"{t(f'participants.kind.{p.kind}')}" for p in pool}
            who = st.selectbox(t("committees.members.who"), list(labels), format_func=labels.get, key="member_add.who")
            a, b = st.columns(2)
            status = a.selectbox(t("committees.members.status"), ["candidate", "invited"],
                                 format_func=lambda s: t(f"committees.member_status.{s}"), key="member_add.status")
            on = b.date_input(t("committees.members.on"), today, max_value=today, key="member_add.on",
                              format=day_input_format())
            script = st.text_area(t("committees.members.script"), height=80, key="member_add.script",
                                  placeholder=t("committees.members.script_placeholder"))
            if st.form_submit_button(t("committees.members.add"), type="primary"):
                try:
                    C.add_member(db, committee.id, who, status=status, script=script, on=on)
                    st.rerun()
                except DomainError as e:
                    show_error(e)

with tab_move:
    movable = [m for m in members if C.TRANSITIONS[m.status]]
    if movable:
        labels = {m.id: f"{m.code} — {t(f'committees.member_status.{m.status}')}" for m in movable}
        mid = st.selectbox(t("committees.members.member"), list(labels), format_func=labels.get, key="member_move.who")
        member = next(m for m in movable if m.id == mid)
        with st.form("member_move"):
            a, b = st.columns(2)
            status = a.selectbox(t("committees.members.new_status"), C.TRANSITIONS[member.status],
                                 format_func=lambda s: t(f"committees.member_status.{s}"), key="member_move.status")
            on = b.date_input(t("committees.members.on"), today, max_value=today, key="member_move.on",
                              format=day_input_format())
            note = st.text_input(t("committees.members.note"), key="member_move.note")
            if st.form_submit_button(t("committees.members.move"), type="primary"):
                try:
                    C.move_member(db, member.id, status, on=on, note=note)
                    st.rerun()
                except DomainError as e:
                    show_error(e)

with tab_member:
    if members:
        labels = {m.id: f"{m.code} — {m.persona_name or t('committees.no_persona')}" for m in members}
        mid = remembered_select(t("committees.members.member"), labels, keys.COMMITTEE_MEMBER_ID)
        member = next(m for m in members if m.id == mid)
        cards = st.columns(4)
        figure(cards[0], t("committees.members.status"), t(f"committees.member_status.{member.status}"))
        figure(cards[1], t("committees.members.attended"), member.sessions_attended)
        figure(cards[2], t("committees.members.term"), f"{fmt_day(member.since)} → {fmt_day(member.planned_end)}"
                         if member.since else "—")
        figure(cards[3], t("committees.members.consent"),
               t("committees.yes") if member.has_consent else t("committees.no"))
        if member.script:
            st.caption(f"{t('committees.members.script')} : {member.script}")
        events = F.member_timeline(db, committee.id, member.participant_id)
        rows = []
        for e in events:
            if e["kind"] == "status":
                what = t(f"committees.member_status.{e['what']}")
            elif e["kind"] == "session":
                what = t(f"committees.attendance.{e['what']}")
                if e.get("incentive"):
                    what += f" · {euros(e['incentive'])} {e['incentive_kind']}"
            else:
                what = t(f"committees.followup_event.{e['what']}")
            rows.append({t("committees.col.date"): fmt_day(e["date"]),
                         t("committees.col.event"): t(f"committees.event.{e['kind']}"),
                         t("committees.col.what"): what, t("committees.col.detail"): e["detail"]})
        st.markdown(f"**{t('committees.members.timeline')}**")
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", placeholder="—")
        if member.status in ("accepted", "active"):
            with st.form("member_term"):
                a, b = st.columns(2)
                since = a.date_input(t("committees.members.since"), date.fromisoformat(member.since) if member.since
                                     else today, key="member_term.since", format=day_input_format())
                end = b.date_input(t("committees.members.planned_end"), date.fromisoformat(member.planned_end)
                                   if member.planned_end else None, key="member_term.end", format=day_input_format())
                if st.form_submit_button(t("committees.members.save_term")):
                    try:
                        C.set_term(db, member.id, since, end)
                        st.rerun()
                    except DomainError as e:
                        show_error(e)
