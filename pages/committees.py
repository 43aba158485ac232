"""Customer committees: the dashboard of a committee, its settings, and a new committee."""
from datetime import datetime, time

import streamlit as st

from research import committee_followups as F
from research import committee_sessions as S
from research import committees as C
from research.errors import DomainError
from research.store import row_version
from research.personas import list_personas
from ui import keys
from ui.committees import (actions_chart, attendance_chart, chart_panel, committee_picker, fmt_when, quota_panel,
                           severity_icon)
from ui.db import get_db
from ui.i18n import number, t
from ui.widgets import figure, page_header, show_error, shown_version, tabs

db = get_db()
page_header("committees.title", "committees.intro")
personas = list_personas(db)
committee = committee_picker(db)


def settings_form(current: C.Committee | None, form_key: str) -> dict | None:
    """The committee's settings; returns the values when submitted."""
    c = current or C.Committee(id=0, name="", target_size=12, purposes=["knowledge", "decisions"])
    with st.form(form_key):
        name = st.text_input(t("committees.f.name"), c.name, key=f"{form_key}.name")
        purposes = st.multiselect(t("committees.f.purposes"), C.PURPOSES, default=c.purposes,
                                  format_func=lambda p: t(f"committees.purpose.{p}"), key=f"{form_key}.purposes")
        description = st.text_area(t("committees.f.description"), c.description, height=80, key=f"{form_key}.desc")
        a, b, d = st.columns(3)
        sponsor = a.text_input(t("committees.f.sponsor"), c.sponsor, key=f"{form_key}.sponsor")
        owner = b.text_input(t("committees.f.owner"), c.owner, key=f"{form_key}.owner")
        facilitator = d.text_input(t("committees.f.facilitator"), c.facilitator, key=f"{form_key}.facilitator",
                                   help=t("committees.f.facilitator_help"))
        a, b, d, e = st.columns(4)
        cadence = a.selectbox(t("committees.f.cadence"), list(C.CADENCES), index=list(C.CADENCES).index(c.cadence),
                              format_func=lambda k: t(f"committees.cadence.{k}"), key=f"{form_key}.cadence")
        weekday = b.selectbox(t("committees.f.weekday"), list(range(5)), index=c.weekday if c.weekday is not None else 3,
                              format_func=lambda d_: t(f"committees.weekday.{d_}"), key=f"{form_key}.weekday")
        start_time = d.time_input(t("committees.f.start_time"), time.fromisoformat(c.start_time), step=900,
                                  key=f"{form_key}.time")
        duration = e.number_input(t("committees.f.duration"), 15, 720, c.duration_minutes, step=15,
                                  key=f"{form_key}.duration")
        rrule = st.text_input(t("committees.f.rrule"), c.rrule, placeholder="FREQ=MONTHLY;INTERVAL=4;BYDAY=TU;BYSETPOS=2",
                              help=t("committees.f.rrule_help"), key=f"{form_key}.rrule")
        a, b = st.columns([2, 1])
        location = a.text_input(t("committees.f.location"), c.location, key=f"{form_key}.location")
        timezone = b.text_input(t("committees.f.timezone"), c.timezone, key=f"{form_key}.tz")
        session_format = st.text_input(t("committees.f.format"), c.session_format,
                                       placeholder=t("committees.f.format_placeholder"), key=f"{form_key}.format")
        a, b, d, e = st.columns(4)
        target = a.number_input(t("committees.f.target"), 1, 60, c.target_size, key=f"{form_key}.target")
        term = b.number_input(t("committees.f.term"), 1, 120, c.term_months, key=f"{form_key}.term")
        cap = d.number_input(t("committees.f.cap"), 0.0, 10_000.0, float(c.incentive_cap), step=10.0,
                             key=f"{form_key}.cap", help=t("committees.f.cap_help"))
        bias = e.number_input(t("committees.f.bias"), 0.0, 10_000.0, float(c.incentive_bias_threshold), step=10.0,
                              key=f"{form_key}.bias", help=t("committees.f.bias_help"))
        st.markdown(f"**{t('committees.f.quotas')}**")
        cols = st.columns(max(len(personas), 1))
        quotas = {p.id: cols[i].number_input(p.name, 0, 60, c.quotas.get(p.id, 0), key=f"{form_key}.q{p.id}")
                  for i, p in enumerate(personas)}
        if not st.form_submit_button(t("committees.save"), type="primary"):
            return None
    return dict(name=name, purposes=purposes, description=description, sponsor=sponsor, owner=owner,
                facilitator=facilitator, cadence=cadence, weekday=weekday, start_time=start_time.strftime("%H:%M"),
                duration_minutes=int(duration), rrule=rrule, location=location, timezone=timezone,
                session_format=session_format, target_size=int(target), term_months=int(term),
                incentive_cap=float(cap), incentive_bias_threshold=float(bias), quotas=quotas)


def new_committee_form() -> None:
    values = settings_form(None, "committee_new")
    if values:
        try:
            st.session_state[keys.COMMITTEE_ID] = C.create_committee(db, values.pop("name"), **values)
            st.rerun()
        except DomainError as e:
            show_error(e)


if committee is None:
    st.info(t("committees.none_yet"), icon=":material/groups:")
    new_committee_form()
    st.stop()

now = datetime.now(committee.tz)
trend = S.attendance_trend(db, committee.id)
board = C.quota_board(db, committee.id)
status = S.actions_status(db, committee.id)
nxt = S.next_session(db, committee.id)
active = C.list_members(db, committee.id, statuses=("active",))
held = [s for s in trend if s["status"] == "held" and s["rate"] is not None]  # held and attendance taken

st.subheader(committee.name)
st.caption(" · ".join(t(f"committees.purpose.{p}") for p in committee.purposes) + (
    f" — {committee.description}" if committee.description else ""))
tab_board, tab_settings, tab_new = tabs([t("committees.tab.dashboard"), t("committees.tab.settings"),
                                         t("committees.tab.new")], key="committees_tabs")

with tab_board:
    cards = st.columns(4)
    if nxt:
        days = (nxt.starts_at.date() - now.date()).days
        figure(cards[0], t("committees.fig.next"), t("committees.in_days", days=days), fmt_when(nxt.starts_at),
                         delta_color="off", delta_arrow="off")
    else:
        figure(cards[0], t("committees.fig.next"), "—")
    figure(cards[1], t("committees.fig.active"), f"{len(active)} / {committee.target_size}")
    if held:
        last = held[-1]
        previous = held[-2]["rate"] if len(held) > 1 else None
        delta = f"{(last['rate'] - previous) * 100:+.0f} pts" if previous is not None else None
        figure(cards[2], t("committees.fig.attendance"), number(last["rate"], ".0%"), delta,
                         help=t("committees.fig.vs_previous"))
    else:
        figure(cards[2], t("committees.fig.attendance"), "—")
    figure(cards[3], t("committees.fig.actions"), status["open"] + status["overdue"],
                     t("committees.overdue_n", n=status["overdue"]) if status["overdue"] else None,
                     delta_color="inverse", delta_arrow="off")

    left, right = st.columns([3, 2])
    with left.container(border=True):
        chart_panel("committees.chart.attendance", attendance_chart(trend), "committees.no_sessions_yet")
    with right.container(border=True):
        chart_panel("committees.chart.actions", actions_chart(status), "committees.no_actions_yet")
    left, right = st.columns([3, 2])
    with left.container(border=True):
        quota_panel(board)
        st.caption(t("committees.quota.caption"))
    with right.container(border=True):
        st.markdown(f"**{t('committees.reminders')}**")
        due = F.reminders(db, committee.id, today=now.date())
        if not due:
            st.success(t("committees.nothing_due"), icon=":material/check_circle:")
        for r in due:
            st.markdown(f"{severity_icon(r.severity)} {t(r.key, **r.params)}")
    with st.container(border=True):
        st.markdown(f"**{t('committees.who')}**")
        cols = st.columns(4)
        cols[0].markdown(f"{t('committees.f.sponsor')}  \n{committee.sponsor or '—'}")
        cols[1].markdown(f"{t('committees.f.owner')}  \n{committee.owner or '—'}")
        cols[2].markdown(f"{t('committees.f.facilitator')}  \n{committee.facilitator or '—'}")
        cadence = t(f"committees.cadence.{committee.cadence}")
        cols[3].markdown(f"{t('committees.f.cadence')}  \n{cadence} · {t(f'committees.weekday.{committee.weekday}')} "
                         f"{committee.start_time} · {committee.timezone}")
    st.page_link("pages/committee_sessions.py", label=t("committees.go_sessions"), icon=":material/event:")

with tab_settings:
    committee_base = shown_version(f"committee.{committee.id}", row_version(db, "committees", committee.id))
    values = settings_form(committee, "committee_edit")
    if values:
        try:
            C.update_committee(db, committee.id, based_on=committee_base, **values)
            st.success(t("committees.saved"), icon=":material/check:")
            st.rerun()
        except DomainError as e:
            show_error(e)

with tab_new:
    new_committee_form()
