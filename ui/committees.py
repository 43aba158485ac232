"""Shared widgets and charts of the committee pages."""
from __future__ import annotations

from datetime import date, datetime

import altair as alt
import pandas as pd
import streamlit as st

from research.committees import Committee, list_committees
from ui import keys
from ui.i18n import current_language, local_moment, number, t
from ui.i18n import day as written_day
from ui.widgets import chart_with_height, remembered_select, show_chart

STATUS_COLOURS = {"attended": "#2a9d8f", "no_show": "#e76f51", "confirmed": "#8ab17d", "invited": "#c9d6df",
                  "excused": "#f4a261"}


def committee_picker(db) -> Committee | None:
    """The committee the organiser works on, remembered across the committee pages."""
    committees = list_committees(db)
    if not committees:
        return None
    if len(committees) > 1:
        cid = remembered_select(t("committees.pick"), {c.id: c.name for c in committees}, keys.COMMITTEE_ID)
    else:
        cid = st.session_state[keys.COMMITTEE_ID] = committees[0].id
    return next(c for c in committees if c.id == cid)


def committee_or_stop(db) -> Committee:
    """The committee to work on; on a workspace without one, the way to create it, and the page stops."""
    committee = committee_picker(db)
    if committee is None:
        st.info(t("committees.none_yet"), icon=":material/groups:")
        st.page_link("pages/committees.py", label=t("committees.create_first"), icon=":material/add:")
        st.stop()
    return committee


def fmt_day(value) -> str:
    """A day after its weekday ("jeu. 07/01/2027", "Thu 7 Jan 2027"), read as `ui.i18n.day` reads it."""
    moment = value if isinstance(value, date) else local_moment(value)
    if not moment:
        return written_day(value)  # "—" for none, a text that is no date as it is
    return f"{t(f'committees.weekday_short.{moment.weekday()}')} {written_day(moment)}"


def fmt_when(moment: datetime) -> str:
    return f"{fmt_day(moment.date())} · {moment.strftime('%H:%M')}"


def euros(amount: float) -> str:
    text = number(amount, ",.0f")
    return f"{text} €" if current_language() == "fr" else f"€{text}"


def attendance_chart(trend: list[dict]) -> alt.Chart | None:
    """Members per session by attendance, stacked: attended, no-show, confirmed, no answer yet."""
    statuses = ("attended", "no_show", "confirmed", "invited")
    rows = []
    for s in trend:
        label = f"#{s['number']} · {written_day(s['date'], 'compact')}"
        pending = s["invited"] - s["attended"] - s["no_show"] - s["confirmed"]
        for rank, status in enumerate(statuses):
            n = pending if status == "invited" else s[status]
            if n > 0:
                rows.append({"session": label, "status": t(f"committees.attendance.{status}"), "rank": rank, "n": n})
    if not rows:
        return None
    names = [t(f"committees.attendance.{k}") for k in statuses]
    return alt.Chart(pd.DataFrame(rows)).mark_bar(cornerRadiusEnd=3, size=46).encode(
        x=alt.X("session:N", title=None, sort=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("n:Q", title=t("committees.members_count"), axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("status:N", title=None, sort=names,
                        scale=alt.Scale(domain=names, range=[STATUS_COLOURS[k] for k in statuses]),
                        legend=alt.Legend(orient="top")),
        order=alt.Order("rank:Q"),
        tooltip=[alt.Tooltip("session:N", title=t("committees.tip.session")),
                 alt.Tooltip("status:N", title=t("committees.tip.status")),
                 alt.Tooltip("n:Q", title=t("committees.members_count"))],
    ).properties(height=260)


def quota_chart(board: list[dict]) -> alt.Chart | None:
    """Per persona, seats taken, invitations out and candidates, stacked, with the target as a tick."""
    if not board:
        return None
    parts = ("seated", "invited", "candidates")
    domain = [t(f"committees.quota.{k}") for k in parts]
    personas = [q["persona"] for q in board]
    data = pd.DataFrame([{"persona": q["persona"], "what": t(f"committees.quota.{k}"), "rank": i, "n": q[k]}
                         for q in board for i, k in enumerate(parts) if q[k]],
                        columns=["persona", "what", "rank", "n"])  # a new committee has quotas and nobody yet
    targets = pd.DataFrame([{"persona": q["persona"], "target": q["target"]} for q in board])
    y = alt.Y("persona:N", title=None, scale=alt.Scale(domain=personas), axis=alt.Axis(labelLimit=260))
    bars = alt.Chart(data).mark_bar(cornerRadiusEnd=3).encode(
        y=y,
        x=alt.X("n:Q", stack="zero", title=t("committees.members_count"), axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("what:N", title=None, scale=alt.Scale(domain=domain, range=["#2a9d8f", "#8ab17d", "#c9d6df"]),
                        legend=alt.Legend(orient="top")),
        order=alt.Order("rank:Q"),
        tooltip=[alt.Tooltip("persona:N", title=t("committees.col.persona")),
                 alt.Tooltip("what:N", title=t("committees.tip.status")),
                 alt.Tooltip("n:Q", title=t("committees.members_count"))],
    )
    ticks = alt.Chart(targets).mark_tick(color="#264653", thickness=3).encode(
        y=y, x=alt.X("target:Q"),
        tooltip=[alt.Tooltip("persona:N", title=t("committees.col.persona")),
                 alt.Tooltip("target:Q", title=t("committees.quota.target"))])
    return (bars + ticks).properties(height=46 * len(board))


def chart_panel(title_key: str, chart: alt.Chart | None, empty_key: str) -> None:
    """A chart under its title, or a line saying there is nothing to draw yet."""
    st.markdown(f"**{t(title_key)}**")
    if chart is None:
        st.caption(t(empty_key))
    else:
        show_chart(chart)


def quota_panel(board: list[dict]) -> None:
    """The quota balance chart under its title (or a hint when no quota is set)."""
    st.markdown(f"**{t('committees.chart.quotas')}**")
    chart = quota_chart(board)
    if chart is None:
        st.caption(t("committees.no_quotas"))
    else:
        chart_with_height(chart)


def actions_chart(status: dict[str, int]) -> alt.Chart | None:
    if not sum(status.values()):
        return None
    order = ["done", "open", "overdue"]
    data = pd.DataFrame([{"status": t(f"committees.action_status.{k}"), "n": status[k], "i": i}
                         for i, k in enumerate(order) if status[k]])
    names = [t(f"committees.action_status.{k}") for k in order]
    return alt.Chart(data).mark_arc(innerRadius=55, outerRadius=95).encode(
        theta=alt.Theta("n:Q", stack=True),
        color=alt.Color("status:N", title=None, scale=alt.Scale(domain=names, range=["#2a9d8f", "#e9c46a", "#e76f51"]),
                        legend=alt.Legend(orient="right")),
        order=alt.Order("i:Q"),
        tooltip=[alt.Tooltip("status:N", title=t("committees.tip.status")),
                 alt.Tooltip("n:Q", title=t("committees.tip.actions"))],
    ).properties(height=220)


def severity_icon(severity: str) -> str:
    return {"error": ":material/error:", "warning": ":material/warning:"}.get(severity, ":material/info:")
