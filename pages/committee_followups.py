"""Between sessions: what is due, and the follow-ups that keep members engaged (news ahead of a
release, mini-surveys with their answers, reports of what was done thanks to the committee)."""
from datetime import date

import pandas as pd
import streamlit as st

from research import committee_followups as F
from research import committees as C
from research.errors import DomainError
from ui.committees import committee_or_stop, fmt_day, severity_icon
from ui.db import get_db
from ui.i18n import day_input_format, t
from ui.widgets import literal, page_header, show_error, tabs

db = get_db()
page_header("committees.followups.title", "committees.followups.intro")
committee = committee_or_stop(db)

today = date.today()
due = F.reminders(db, committee.id, today=today)
with st.container(border=True):
    st.markdown(f"**{t('committees.reminders')}**")
    if not due:
        st.success(t("committees.nothing_due"), icon=":material/check_circle:")
    for r in due:
        st.markdown(f"{severity_icon(r.severity)} {t(r.key, **r.params)}")

followups = F.list_followups(db, committee.id)
members = {m.participant_id: m.code for m in C.list_members(db, committee.id, statuses=("accepted", "active"))}
st.markdown(f"#### {t('committees.followups.sent')}")
if not followups:
    st.caption(t("committees.followups.none"))
for f in followups:
    with st.container(border=True):
        sent = t("committees.followups.sent_on", date=fmt_day(f.sent_on)) if f.sent_on else \
            ":orange-badge[" + t("committees.followups.draft") + "]"
        st.markdown(f"**{literal(f.title)}** :blue-badge[{t(f'committees.followup_kind.{f.kind}')}] · {sent}")
        if f.body:
            st.markdown(f.body)
        if f.kind == "survey":
            st.progress(min(len(f.answers) / max(f.recipients, 1), 1.0),
                        text=t("committees.followups.answered", n=len(f.answers), total=f.recipients))
            if f.answers:
                table = pd.DataFrame([{t("committees.col.code"): members.get(pid, str(pid)),
                                       **{f"Q{q + 1}. {question}": answers.get(q, "")
                                          for q, question in enumerate(f.questions)}}
                                      for pid, answers in f.answers.items()])
                st.dataframe(table, hide_index=True, width="stretch", placeholder="—")
            else:
                for q, question in enumerate(f.questions):
                    st.markdown(f"Q{q + 1}. {question}")
        if not f.sent_on and st.button(t("committees.followups.mark_sent"), key=f"followup.sent.{f.id}"):
            F.mark_sent(db, f.id)
            st.rerun()

tab_new, tab_answers = tabs([t("committees.followups.tab_new"), t("committees.followups.tab_answers")],
                            key="committee_followups_tabs")
with tab_new:
    kind = st.selectbox(t("committees.agenda.kind"), F.FOLLOWUP_KINDS,
                        format_func=lambda k: t(f"committees.followup_kind.{k}"), key="followup_add.kind")
    with st.form("followup_add", clear_on_submit=True):
        title = st.text_input(t("committees.col.title"), key="followup_add.title")
        body = st.text_area(t("committees.followups.body"), height=100, key="followup_add.body")
        questions = ""
        if kind == "survey":
            questions = st.text_area(t("committees.followups.questions"), height=100, key="followup_add.questions",
                                     help=t("committees.followups.questions_help"))
        sent_on = st.date_input(t("committees.followups.sent_date"), None, max_value=today, key="followup_add.sent",
                                format=day_input_format())
        if st.form_submit_button(t("committees.followups.add"), type="primary"):
            try:
                F.add_followup(db, committee.id, kind, title, body=body, questions=questions.splitlines(),
                               sent_on=sent_on)
                st.rerun()
            except DomainError as e:
                show_error(e)

with tab_answers:
    surveys = {f.id: f for f in followups if f.kind == "survey"}
    if not surveys or not members:
        st.caption(t("committees.followups.no_survey"))
    else:
        fid = st.selectbox(t("committees.followups.survey"), list(surveys), format_func=lambda i: surveys[i].title,
                           key="answers.survey")
        with st.form("answers", clear_on_submit=True):
            who = st.selectbox(t("committees.members.member"), list(members), format_func=members.get,
                               key="answers.who")
            answers = {q: st.text_input(f"Q{q + 1}. {question}", key=f"answers.q{q}")
                       for q, question in enumerate(surveys[fid].questions)}
            if st.form_submit_button(t("committees.followups.save_answers"), type="primary"):
                try:
                    F.record_answers(db, fid, who, answers)
                    st.rerun()
                except DomainError as e:
                    show_error(e)
