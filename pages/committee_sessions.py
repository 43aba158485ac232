"""Committee sessions: the series from the cadence, then per session its agenda, attendance and
incentives, outputs (minutes, files, decisions and actions) and calendar files."""
from datetime import datetime, time, timedelta
from functools import partial

import pandas as pd
import streamlit as st

from research import committee_calendar as K
from research import committee_report as R
from research import committee_sessions as S
from research.erasure import files_root
from research.errors import DomainError
from research.folding import file_slug
from research.store import row_version
from research.participants import list_participants
from ui import keys
from ui.committees import committee_or_stop, euros, fmt_day, fmt_when
from ui.db import db_path, get_db
from ui.i18n import current_language, day_input_format, error_text, t
from ui.synthesis import coded_records
from ui.widgets import file_uploader, literal, page_header, remembered_select, show_error, shown_version, tabs

db = get_db()
page_header("committees.sessions.title", "committees.sessions.intro")
committee = committee_or_stop(db)

sessions = S.list_sessions(db, committee.id)
trend = {s["session_id"]: s for s in S.attendance_trend(db, committee.id)}
now = datetime.now(committee.tz)

# ---------------------------------------------------------------- the series
rows = [{"#": s.number or "—", t("committees.col.when"): fmt_when(s.starts_at),
         t("committees.col.title"): s.title, t("committees.col.status"): t(f"committees.session_status.{s.status}"),
         t("committees.col.invited"): trend.get(s.id, {}).get("invited", 0),
         t("committees.col.attended"): trend.get(s.id, {}).get("attended", 0)} for s in sessions]
if rows:
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", placeholder="—")
else:
    st.info(t("committees.no_sessions_yet"), icon=":material/event:")

with st.expander(t("committees.sessions.generate"), icon=":material/event_repeat:", expanded=not sessions):
    last = max((s.starts_at.date() for s in sessions), default=now.date())
    a, b = st.columns([2, 1])
    start = a.date_input(t("committees.sessions.first_date"), last + timedelta(days=30), min_value=now.date(),
                         key="series.start", format=day_input_format())
    count = b.number_input(t("committees.sessions.count"), 1, 12, 4, key="series.count")
    try:
        preview = S.series_dates(committee, start, int(count))
        st.caption(t("committees.sessions.preview", cadence=t(f"committees.cadence.{committee.cadence}"))
                   + " " + " · ".join(f"{fmt_day(d)} {committee.start_time}" for d in preview))
        if st.button(t("committees.sessions.generate_button"), type="primary", key="series.go"):
            S.generate_series(db, committee.id, start, int(count))
            st.rerun()
    except DomainError as e:
        show_error(e)

with st.expander(t("committees.sessions.add_one"), icon=":material/add:"):
    with st.form("session_add"):
        a, b, c = st.columns(3)
        day = a.date_input(t("committees.col.date"), now.date() + timedelta(days=14), key="session_add.day",
                           format=day_input_format())
        at = b.time_input(t("committees.f.start_time"), time.fromisoformat(committee.start_time), step=900,
                          key="session_add.time")
        status = c.selectbox(t("committees.col.status"), ["planned", "held"],
                             format_func=lambda s: t(f"committees.session_status.{s}"), key="session_add.status",
                             help=t("committees.sessions.held_help"))
        title = st.text_input(t("committees.col.title"), key="session_add.title")
        if st.form_submit_button(t("committees.sessions.add"), type="primary"):
            try:
                st.session_state[keys.COMMITTEE_SESSION_ID] = S.add_session(
                    db, committee.id, datetime.combine(day, at), title=title, status=status)
                st.rerun()
            except DomainError as e:
                show_error(e)

if not sessions:
    st.stop()

# ---------------------------------------------------------------- one session
st.divider()
labels = {s.id: f"#{s.number} · {fmt_when(s.starts_at)}" + (f" — {s.title}" if s.title else "")
          if s.number else f"{fmt_when(s.starts_at)} ({t('committees.session_status.cancelled')})" for s in sessions}
upcoming = S.next_session(db, committee.id)
sid = remembered_select(t("committees.sessions.pick"), labels, keys.COMMITTEE_SESSION_ID,
                        default=upcoming.id if upcoming else sessions[-1].id)
session = next(s for s in sessions if s.id == sid)
st.subheader(labels[sid])
st.caption(" · ".join(x for x in (session.location, session.format,
                                   t(f"committees.session_status.{session.status}")) if x))

tab_agenda, tab_attendance, tab_outputs, tab_calendar, tab_edit = tabs(
    [t("committees.sessions.tab_agenda"), t("committees.sessions.tab_attendance"), t("committees.sessions.tab_outputs"),
     t("committees.sessions.tab_calendar"), t("committees.sessions.tab_edit")], key="committee_sessions_tabs")

with tab_agenda:
    agenda = S.list_agenda(db, sid)
    total = sum(i.duration_minutes or 0 for i in agenda)
    if agenda:
        st.caption(t("committees.agenda.total", minutes=total, session=session.duration_minutes))
    for item in agenda:
        with st.container(border=True):
            head = f"**{item.position}. {item.title}** :blue-badge[{t(f'committees.agenda_kind.{item.kind}')}]"
            if item.duration_minutes:
                head += f" :gray[{item.duration_minutes} min]"
            title_col, up, down, remove = st.columns([20, 1, 1, 1], vertical_alignment="center")
            title_col.markdown(head)
            at_end = item.position == len(agenda)
            for column, offset, icon, disabled in ((up, -1, ":material/arrow_upward:", item.position == 1),
                                                   (down, 1, ":material/arrow_downward:", at_end)):
                if column.button("", icon=icon, key=f"agenda_move_{item.id}_{offset}", disabled=disabled,
                                 help=t("committees.agenda.up" if offset < 0 else "committees.agenda.down"),
                                 type="tertiary"):
                    try:
                        S.move_agenda_item(db, item.id, offset)
                    except DomainError as e:  # removed meanwhile, from another session
                        show_error(e)
                    else:
                        st.rerun()
            with remove.popover("", icon=":material/delete:", help=t("committees.agenda.delete"), type="tertiary"):
                st.caption(t("committees.agenda.delete_confirm", title=item.title))
                if st.button(t("committees.agenda.delete"), key=f"agenda_delete_{item.id}", type="primary"):
                    try:
                        S.delete_agenda_item(db, item.id)
                    except DomainError as e:
                        show_error(e)
                    else:
                        st.rerun()
            if item.description:
                st.caption(item.description)
            if item.kind == "ab_test":
                a, b = st.columns(2)
                for col, side, text, votes in ((a, "a", item.option_a, item.votes_a), (b, "b", item.option_b, item.votes_b)):
                    mark = " :green-badge[" + t("committees.agenda.preferred") + "]" if item.preferred == side else ""
                    col.markdown(f"**{side.upper()}** — {literal(text)}{mark}")
                    if votes is not None:
                        share = votes / max((item.votes_a or 0) + (item.votes_b or 0), 1)
                        col.progress(share, text=t("committees.agenda.votes", n=votes))
                if item.preference_notes:
                    st.markdown(f"> {literal(item.preference_notes)}")
            if item.outcome:
                st.markdown(f":material/flag: {literal(item.outcome)}")
            with st.expander(t("committees.agenda.record_outcome")):
                with st.form(f"outcome_{item.id}"):
                    votes_a = votes_b = None
                    if item.kind == "ab_test":
                        a, b = st.columns(2)
                        votes_a = a.number_input(t("committees.agenda.votes_for", side="A"), 0, 100,
                                                 item.votes_a or 0, key=f"outcome_{item.id}.a")
                        votes_b = b.number_input(t("committees.agenda.votes_for", side="B"), 0, 100,
                                                 item.votes_b or 0, key=f"outcome_{item.id}.b")
                    notes = st.text_input(t("committees.agenda.preference_notes"), item.preference_notes,
                                          key=f"outcome_{item.id}.notes")
                    outcome = st.text_input(t("committees.agenda.outcome"), item.outcome, key=f"outcome_{item.id}.out")
                    if st.form_submit_button(t("committees.save")):
                        try:
                            S.record_item_outcome(db, item.id, outcome=outcome, votes_a=votes_a, votes_b=votes_b,
                                                  preference_notes=notes)
                            st.rerun()
                        except DomainError as e:
                            show_error(e)
    with st.expander(t("committees.agenda.add"), icon=":material/playlist_add:", expanded=not agenda):
        kind = st.selectbox(t("committees.agenda.kind"), S.AGENDA_KINDS,
                            format_func=lambda k: t(f"committees.agenda_kind.{k}"), key="agenda_add.kind")
        with st.form("agenda_add"):
            title = st.text_input(t("committees.col.title"), key="agenda_add.title")
            description = st.text_area(t("committees.f.description"), height=70, key="agenda_add.desc")
            minutes = st.number_input(t("committees.agenda.minutes"), 0, 300, 30, step=5, key="agenda_add.minutes")
            option_a = option_b = ""
            if kind == "ab_test":
                a, b = st.columns(2)
                option_a = a.text_input(t("committees.agenda.option", side="A"), key="agenda_add.a")
                option_b = b.text_input(t("committees.agenda.option", side="B"), key="agenda_add.b")
            if st.form_submit_button(t("committees.agenda.add_button"), type="primary"):
                try:
                    S.add_agenda_item(db, sid, kind, title, description=description,
                                      duration_minutes=int(minutes) or None, option_a=option_a, option_b=option_b)
                    st.rerun()
                except DomainError as e:
                    show_error(e)

with tab_attendance:
    attendance = S.list_attendance(db, sid)
    a, b = st.columns([1, 2])
    if a.button(t("committees.attendance.invite_members"), icon=":material/mail:", key="attendance.invite"):
        try:
            n = S.invite(db, sid)
            st.toast(t("committees.attendance.invited_n", n=n))
            st.rerun()
        except DomainError as e:
            show_error(e)
    employees = {p.id: p.code + (f" — {p.segment}" if p.segment else "") for p in list_participants(db, kind="employee")}
    with b.form("listeners"):
        chosen = st.multiselect(t("committees.attendance.listeners"), list(employees), format_func=employees.get,
                                key="attendance.listeners")
        if st.form_submit_button(t("committees.attendance.invite_listeners")):
            try:
                S.invite(db, sid, chosen, role="listener")
                st.rerun()
            except DomainError as e:
                show_error(e)
    if attendance:
        status_names = {s: t(f"committees.attendance.{s}") for s in S.ATTENDANCE_STATUSES}
        table = pd.DataFrame([{"pid": x.participant_id, "code": x.code, "persona": x.persona_name,
                               "role": t(f"committees.role.{x.role}"), "status": status_names[x.status],
                               "incentive": x.incentive, "kind": x.incentive_kind} for x in attendance])
        edited = st.data_editor(
            table, hide_index=True, width="stretch", key=f"attendance.editor.{sid}",
            disabled=["pid", "code", "persona", "role"], column_order=["code", "persona", "role", "status", "incentive",
                                                                       "kind"],
            column_config={
                "code": st.column_config.TextColumn(t("committees.col.code")),
                "persona": st.column_config.TextColumn(t("committees.col.persona")),
                "role": st.column_config.TextColumn(t("committees.col.role")),
                "status": st.column_config.SelectboxColumn(t("committees.col.status"),
                                                           options=list(status_names.values()), required=True),
                "incentive": st.column_config.NumberColumn(t("committees.col.incentive"), min_value=0, step=5,
                                                           format="%d €" if current_language() == "fr" else "€%d"),
                "kind": st.column_config.TextColumn(t("committees.col.incentive_kind")),
            }, placeholder="—")
        given = sum(x.incentive for x in attendance)
        st.caption(t("committees.attendance.summary", attended=sum(x.status == "attended" for x in attendance),
                     invited=len(attendance), total=euros(given), cap=euros(committee.incentive_cap)))
        if st.button(t("committees.attendance.save"), type="primary", key="attendance.save"):
            back = {v: k for k, v in status_names.items()}
            problems, warnings = [], []
            for before, row in zip(attendance, edited.to_dict("records")):
                try:
                    if back[row["status"]] != before.status:
                        S.set_attendance(db, sid, before.participant_id, back[row["status"]])
                    amount = float(row["incentive"] or 0)
                    if before.role == "member" and (amount != before.incentive or (row["kind"] or "") != before.incentive_kind):
                        warnings += [(before.code, w) for w in
                                     S.give_incentive(db, sid, before.participant_id, amount, row["kind"] or "")]
                except DomainError as e:
                    problems.append((before.code, e))
            for code, e in problems:
                st.error(f"{code} — {error_text(e)}", icon=":material/error:")
            for code, w in warnings:
                st.warning(f"{code} — " + t(w, threshold=euros(committee.incentive_bias_threshold)),
                           icon=":material/warning:")
            if not problems and not warnings:
                st.rerun()

session_base = shown_version(f"session.{sid}", row_version(db, "committee_sessions", sid))
with tab_outputs:
    st.markdown(f"**{t('committees.report.heading')}**")
    st.caption(t("committees.report.help"))
    # written on the click, not on every run of the page
    lang = current_language()
    report = partial(R.report_file, db_path(), sid, t=partial(t, lang=lang), lang=lang,
                     records=coded_records(db) if session.interview_id else ())
    a, b, _ = st.columns([2, 2, 3])
    name = f"{file_slug(committee.name)}-{session.starts_at.date().isoformat()}"
    a.download_button(t("committees.report.docx"), partial(report, kind="docx"), f"{name}.docx",
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                      key="session_report.docx", icon=":material/description:", width="stretch", on_click="ignore")
    b.download_button(t("committees.report.html"), partial(report, kind="html"), f"{name}.html", "text/html",
                      key="session_report.html", icon=":material/download:", width="stretch", on_click="ignore")
    with st.form("minutes"):
        minutes = st.text_area(t("committees.outputs.minutes"), session.minutes, height=200, key=f"minutes.{sid}")
        if st.form_submit_button(t("committees.save")):
            try:
                S.set_minutes(db, sid, minutes, based_on=session_base)
                st.rerun()
            except DomainError as e:
                show_error(e)
    a, b = st.columns([2, 3])
    if session.interview_id:
        a.page_link("pages/interviews.py", label=t("committees.outputs.in_analysis"), icon=":material/mic:",
                    query_params={"interview": str(session.interview_id)})
    if a.button(t("committees.outputs.send"), icon=":material/model_training:", key="outputs.send",
                help=t("committees.outputs.send_help")):
        try:
            iid = S.send_to_analysis(db, sid)
            st.success(t("committees.outputs.sent", id=iid), icon=":material/check:")
        except DomainError as e:
            show_error(e)
    with b.form("transcript", clear_on_submit=True):
        upload = file_uploader(t("committees.outputs.transcript"), type=["txt", "docx", "vtt", "srt"],
                               key="outputs.transcript")
        if st.form_submit_button(t("committees.outputs.send_transcript")) and upload is not None:
            try:
                iid = S.send_to_analysis(db, sid, data=upload.getvalue(), filename=upload.name)
                st.success(t("committees.outputs.sent", id=iid), icon=":material/check:")
            except DomainError as e:
                show_error(e)

    st.markdown(f"**{t('committees.outputs.files')}**")
    files = S.list_files(db, sid)
    for f in files:
        a, b = st.columns([4, 1])
        kind_label = t("committees.file_kind." + f["kind"])
        a.markdown(f":material/attach_file: {f['filename']} :gray[{kind_label} · {f['bytes'] / 1024:,.0f} KiB]")
        try:
            with open(f["path"], "rb") as handle:
                b.download_button(t("committees.download"), handle.read(), file_name=f["filename"],
                                  key=f"file.{f['id']}")
        except OSError:
            b.caption(t("committees.outputs.file_missing"))
    with st.form("files", clear_on_submit=True):
        uploads = file_uploader(t("committees.outputs.add_files"), accept_multiple_files=True, key="outputs.files")
        if st.form_submit_button(t("committees.outputs.attach")) and uploads:
            for up in uploads:
                try:
                    S.add_file(db, sid, up.name, up.getvalue(), files_root(db_path()))
                except DomainError as e:
                    show_error(e)
            st.rerun()

    st.markdown(f"**{t('committees.outputs.decisions')}**")
    actions = S.list_actions(db, committee.id, session_id=sid)
    for act in actions:
        a, b = st.columns([5, 1])
        if act.kind == "decision":
            a.markdown(f":material/gavel: {literal(act.text)}")
            continue
        state = (":red-badge[" + t("committees.action_status.overdue") + "]" if act.overdue else
                 ":green-badge[" + t("committees.action_status.done") + "]" if act.status == "done" else
                 ":orange-badge[" + t("committees.action_status.open") + "]")
        a.markdown(f":material/task_alt: {literal(act.text)} — {literal(act.owner)} · {t('committees.outputs.due')} "
                   f"{fmt_day(act.due_on)} {state}")
        if act.status == "open" and b.button(t("committees.outputs.done"), key=f"action.done.{act.id}"):
            S.complete_action(db, act.id)
            st.rerun()
    with st.form("action_add", clear_on_submit=True):
        a, b, c, d = st.columns([1, 3, 2, 1])
        kind = a.selectbox(t("committees.agenda.kind"), S.ACTION_KINDS, format_func=lambda k: t(f"committees.action_kind.{k}"),
                           key="action_add.kind")
        text = b.text_input(t("committees.outputs.what"), key="action_add.text")
        owner = c.text_input(t("committees.outputs.owner"), key="action_add.owner")
        due = d.date_input(t("committees.outputs.due"), None, key="action_add.due", format=day_input_format())
        if st.form_submit_button(t("committees.outputs.add_action")):
            try:
                S.add_action(db, sid, text, kind=kind, owner=owner, due_on=due)
                st.rerun()
            except DomainError as e:
                show_error(e)

with tab_calendar:
    st.caption(t("committees.calendar.intro", tz=committee.timezone))
    a, b, c = st.columns(3)
    a.download_button(t("committees.calendar.session"), K.session_ics(db, sid), file_name=f"session-{sid}.ics",
                      mime="text/calendar", icon=":material/event:", key="ics.session")
    b.download_button(t("committees.calendar.series"), K.series_ics(db, committee.id),
                      file_name="committee-series.ics", mime="text/calendar", icon=":material/date_range:",
                      key="ics.series")
    invited = {x.participant_id: x.code for x in S.list_attendance(db, sid)}
    if invited:
        who = c.selectbox(t("committees.calendar.member"), list(invited), format_func=invited.get, key="ics.who")
        c.download_button(t("committees.calendar.member_button", code=invited[who]),
                          K.member_ics(db, committee.id, who), file_name=f"invitations-{invited[who]}.ics",
                          mime="text/calendar", icon=":material/person:", key="ics.member")

with tab_edit:
    with st.form("session_edit"):
        a, b, c, d = st.columns(4)
        day = a.date_input(t("committees.col.date"), session.starts_at.date(), key=f"session_edit.day.{sid}",
                           format=day_input_format())
        at = b.time_input(t("committees.f.start_time"), session.starts_at.time(), step=900, key=f"session_edit.time.{sid}")
        duration = c.number_input(t("committees.f.duration"), 15, 720, session.duration_minutes, step=15,
                                  key=f"session_edit.duration.{sid}")
        status = d.selectbox(t("committees.col.status"), S.SESSION_STATUSES, index=S.SESSION_STATUSES.index(session.status),
                             format_func=lambda s: t(f"committees.session_status.{s}"), key=f"session_edit.status.{sid}")
        title = st.text_input(t("committees.col.title"), session.title, key=f"session_edit.title.{sid}")
        location = st.text_input(t("committees.f.location"), session.location, key=f"session_edit.location.{sid}")
        if st.form_submit_button(t("committees.save"), type="primary"):
            try:
                S.update_session(db, sid, starts_at=datetime.combine(day, at.replace(tzinfo=None)),
                                 duration_minutes=int(duration), title=title, location=location, status=status,
                                 based_on=session_base)
                st.rerun()
            except DomainError as e:
                show_error(e)
