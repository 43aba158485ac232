"""Interviews: plan and log them, import their transcripts, read them utterance by utterance."""
import hashlib
from datetime import date

import pandas as pd
import streamlit as st

from research import interviews as I
from research import scores as S
from research import team_codes
from research import transcripts as T
from research.errors import DomainError
from research.guides import list_guides
from research.journeys import list_journeys, list_steps
from research.participants import list_participants
from research.store import row_version
from research.workspace import get_workspace
from ui.auth import can, current_user
from ui.db import get_db
from ui.i18n import day, day_column, day_input_format, t, table_numbers
from ui.widgets import (badge, confirmed_button, figure, file_uploader, literal, page_header, remembered_select,
                        show_error, shown_version, tabs)

db = get_db()
page_header("interviews.title", "interviews.intro")
people = list_participants(db)
code_of = {p.id: p.code for p in people}
journeys = {j.id: j.name for j in list_journeys(db)}
guides = list_guides(db)
all_interviews = I.list_interviews(db)

# a link from a finding or a search result: ?interview=ID&utterance=ID
params = st.query_params
target_utterance = int(params["utterance"]) if params.get("utterance", "").isdigit() else None
if params.get("interview", "").isdigit() and int(params["interview"]) in {i.id for i in all_interviews}:
    st.session_state.setdefault("interview_pick", int(params["interview"]))

done = [i for i in all_interviews if i.status == "done"]
cards = st.columns(4)
figure(cards[0], t("interviews.fig.done"), len(done))
figure(cards[1], t("interviews.fig.planned"), sum(i.status == "planned" for i in all_interviews))
figure(cards[2], t("interviews.fig.transcribed"), sum(1 for i in done if i.utterances))
figure(cards[3], t("interviews.fig.utterances"), sum(i.utterances for i in all_interviews))

opened_from_link = params.get("interview", "").isdigit()
tab_list, tab_open, tab_plan = tabs([t("interviews.tab.list"), t("interviews.tab.open"), t("interviews.tab.plan")],
                                    default=t("interviews.tab.open") if opened_from_link else None,
                                    key="interviews_tabs")

with tab_list:
    scored = {(sc.interview_id, sc.participant_code): t("interviews.score", nps="—" if sc.nps is None else sc.nps,
                                                         ces="—" if sc.ces is None else sc.ces)
              for sc in S.list_scores(db)}

    def who(i: I.Interview) -> str:
        """Its participants' codes, each with the scores noted for them ("P-004 (8 / 5)")."""
        return ", ".join(f"{code} {scored[i.id, code]}" if (i.id, code) in scored else code
                         for code in i.participant_codes)

    table = pd.DataFrame([{
        t("interviews.date"): date.fromisoformat(i.date) if i.date else None, t("interviews.title_col"): i.title,
        t("interviews.status"): t(f"interviews.status.{i.status}"), t("interviews.mode"): t(f"interviews.mode.{i.mode}"),
        t("interviews.participants_scored"): who(i), t("interviews.journey"): journeys.get(i.journey_id, "—"),
        t("interviews.utterances"): i.utterances, t("interviews.lang"): i.lang.upper()} for i in all_interviews])
    st.dataframe(table_numbers(table), hide_index=True, width="stretch", placeholder="—", column_config={
        t("interviews.date"): day_column(t("interviews.date")),
        # long titles and journeys end in "…" (whole on hover), so that the language fits on the page
        t("interviews.title_col"): st.column_config.TextColumn(width=240),
        t("interviews.journey"): st.column_config.TextColumn(width=190),
        t("interviews.lang"): st.column_config.TextColumn(width=60)})

with tab_plan:
    with st.form("plan_interview", clear_on_submit=True):
        title = st.text_input(t("interviews.title_col"))
        c1, c2, c3 = st.columns(3)
        status = c1.selectbox(t("interviews.status"), list(I.STATUSES), format_func=lambda s: t(f"interviews.status.{s}"))
        when = c2.date_input(t("interviews.date"), date.today(), format=day_input_format())
        mode = c3.selectbox(t("interviews.mode"), list(I.MODES), format_func=lambda m: t(f"interviews.mode.{m}"))
        who = st.multiselect(t("interviews.participants"), list(code_of), format_func=code_of.get)
        c4, c5, c6 = st.columns(3)
        interviewer = c4.text_input(t("interviews.interviewer"))
        guide = c5.selectbox(t("interviews.guide"), [None] + [g.id for g in guides],
                             format_func=lambda g: "—" if g is None else next(x.name for x in guides if x.id == g))
        lang = c6.radio(t("interviews.lang"), ["fr", "en"], horizontal=True)
        notes = st.text_area(t("interviews.notes"), height=70)
        if st.form_submit_button(t("interviews.save"), type="primary"):
            try:
                new_id = I.create_interview(db, title, participant_ids=who, status=status, when=when,
                                            interviewer=interviewer, mode=mode, guide_id=guide, lang=lang, notes=notes)
            except DomainError as e:
                show_error(e)
            else:
                st.session_state["interview_pick"] = new_id
                st.toast(t("interviews.created"), icon=":material/check:")
                st.rerun()

with tab_open:
    if not all_interviews:
        st.info(t("interviews.none"), icon=":material/mic:")
        st.stop()
    interview_id = remembered_select(t("interviews.pick"), {x.id: f"{day(x.date)} · {x.title}" for x in all_interviews},
                                     "interview_pick")
    interview = I.get_interview(db, interview_id)
    st.caption(" · ".join([t(f"interviews.status.{interview.status}"), t(f"interviews.mode.{interview.mode}"),
                           interview.interviewer or "—", ", ".join(interview.participant_codes),
                           journeys.get(interview.journey_id, "")]))
    if interview.notes:
        st.caption(interview.notes)
    held_unsaid = interview.status == "planned" and interview.utterances > 0
    if held_unsaid:
        st.info(t("interviews.edit.planned_with_transcript"), icon=":material/event_available:")
    interview_base = shown_version(f"interview.{interview.id}", row_version(db, "interviews", interview.id))
    with st.expander(t("interviews.edit"), icon=":material/edit:", expanded=held_unsaid), \
            st.form(f"interview_edit_{interview.id}", border=False):
        title = st.text_input(t("interviews.title_col"), interview.title, key=f"edit_title_{interview.id}")
        c1, c2, c3 = st.columns(3)
        status = c1.selectbox(t("interviews.status"), list(I.STATUSES), index=list(I.STATUSES).index(interview.status),
                              format_func=lambda s: t(f"interviews.status.{s}"), key=f"edit_status_{interview.id}")
        when = c2.date_input(t("interviews.date"), date.fromisoformat(interview.date) if interview.date else None,
                             format=day_input_format(), key=f"edit_date_{interview.id}")
        mode = c3.selectbox(t("interviews.mode"), list(I.MODES), index=list(I.MODES).index(interview.mode),
                            format_func=lambda m: t(f"interviews.mode.{m}"), key=f"edit_mode_{interview.id}")
        c4, c5 = st.columns([2, 1])
        interviewer = c4.text_input(t("interviews.interviewer"), interview.interviewer,
                                    key=f"edit_interviewer_{interview.id}")
        lang = c5.radio(t("interviews.lang"), ["fr", "en"], index=["fr", "en"].index(interview.lang), horizontal=True,
                        key=f"edit_lang_{interview.id}")
        notes = st.text_area(t("interviews.notes"), interview.notes, height=70, key=f"edit_notes_{interview.id}")
        if st.form_submit_button(t("interviews.edit.save"), type="primary"):
            try:
                I.update_interview(db, interview.id, title=title, status=status, when=when, interviewer=interviewer,
                                   mode=mode, notes=notes, lang=lang, based_on=interview_base)
            except DomainError as e:
                show_error(e)
            else:
                st.toast(t("interviews.edit.saved"), icon=":material/check:")
                st.rerun()

    noted = S.interview_scores(db, interview.id)
    with st.expander(t("scores.form.title"), icon=":material/speed:"), \
            st.form(f"scores_{interview.id}", border=False):
        st.caption(t("scores.form.help", brand=get_workspace(db).brand_name or "…"))
        asked = {}
        for pid, code in zip(interview.participant_ids, interview.participant_codes):
            nps_col, ces_col = st.columns(2)
            was = noted.get(pid, (None, None))
            asked[pid] = tuple(
                column.selectbox(t(label, code=code), [None, *values], index=[None, *values].index(before),
                                 format_func=lambda v: "—" if v is None else str(v), key=f"{kind}_{interview.id}_{pid}")
                for column, label, values, before, kind in ((nps_col, "scores.form.nps", S.NPS_RANGE, was[0], "nps"),
                                                            (ces_col, "scores.form.ces", S.CES_RANGE, was[1], "ces")))
        if st.form_submit_button(t("scores.form.save"), type="primary"):
            try:
                changed = S.set_scores(db, interview.id, asked)
            except DomainError as e:
                show_error(e)
            else:
                st.success(t("scores.form.saved", n=changed), icon=":material/check:")

    with st.expander(t("interviews.import"), icon=":material/upload_file:", expanded=interview.utterances == 0):
        source = st.radio(t("interviews.import.source"), ["file", "paste"], horizontal=True,
                          format_func=lambda s: t(f"interviews.import.{s}"), key=f"src_{interview.id}")
        data, filename, fmt = None, "", None
        if source == "file":
            upload = file_uploader(t("interviews.import.file"), type=["txt", "docx", "vtt", "srt"],
                                   help=t("interviews.import.file_help"), key=f"upload_{interview.id}")
            if upload is not None:
                data, filename = upload.getvalue(), upload.name
        else:
            pasted = st.text_area(t("interviews.import.paste_help"), height=180, key=f"paste_{interview.id}")
            if pasted.strip():
                data, filename, fmt = pasted.encode("utf-8"), "", "paste"
        if data is not None:
            try:
                parsed = T.parse(data, fmt or T.format_of(filename))
            except DomainError as e:
                show_error(e)
            else:
                st.success(t("interviews.import.parsed", turns=len(parsed.turns), speakers=len(parsed.speakers),
                             encoding=parsed.encoding), icon=":material/check:")
                guess = T.guess_speaker_roles(db, interview.id, parsed.speakers)
                options = ["interviewer", "ignore", *interview.participant_ids]
                mapping = {}
                st.markdown(f"**{t('interviews.import.speakers')}**")
                for sp in parsed.speakers:
                    sample = next(tt.text for tt in parsed.turns if tt.speaker == sp)[:90]
                    mapping[sp] = st.selectbox(f"{sp} — « {sample}… »", options,
                                               index=options.index(guess.get(sp, "ignore")),
                                               format_func=lambda o: t(f"interviews.import.role.{o}") if isinstance(o, str)
                                               else code_of.get(o, str(o)), key=f"map_{interview.id}_{sp}")
                duplicate = T.find_duplicate(db, hashlib.sha256(data).hexdigest())
                choice = None
                if duplicate:
                    st.warning(t("transcripts.err.duplicate", filename=duplicate["filename"] or "—"),
                               icon=":material/content_copy:")
                    choice = st.radio(t("interviews.import.duplicate"), ["replace", "keep_both"],
                                      format_func=lambda c: t(f"interviews.import.dup.{c}"), key=f"dup_{interview.id}")
                if st.button(t("interviews.import.go"), type="primary", key=f"go_{interview.id}"):
                    with st.spinner(t("interviews.import.running")):
                        try:
                            result = T.import_transcript(db, interview.id, data, filename=filename, fmt=fmt,
                                                         speakers=mapping, on_duplicate=choice)
                        except DomainError as e:
                            show_error(e)
                        else:
                            st.toast(t("interviews.import.done", n=result.utterances, linked=result.linked_to_steps),
                                     icon=":material/check:")
                            st.rerun()

    transcripts = T.list_transcripts(db, interview.id)
    if transcripts:
        with st.expander(t("interviews.delete"), icon=":material/delete:"):
            gone = st.selectbox(t("interviews.delete.which"), [x["id"] for x in transcripts],
                                format_func=lambda i: next(t("interviews.delete.item", file=x["filename"] or "—",
                                                             day=day(x["imported_at"]), n=x["utterances"])
                                                           for x in transcripts if x["id"] == i),
                                key=f"delete_pick_{interview.id}")
            n = next(x["utterances"] for x in transcripts if x["id"] == gone)
            if confirmed_button(t("interviews.delete.confirm", n=n), t("interviews.delete.go"),
                                key=f"transcript_delete_{gone}"):
                T.delete_transcript(db, gone)
                st.toast(t("interviews.delete.done", n=n), icon=":material/check:")
                st.rerun()

    utterances = T.list_utterances(db, interview.id)
    if not utterances:
        st.info(t("interviews.no_transcript"), icon=":material/subject:")
    else:
        steps = {s.id: f"{s.order}. {s.label}" for s in list_steps(db, interview.journey_id)} if interview.journey_id else {}
        if target_utterance and any(u.id == target_utterance for u in utterances):
            at = next(u for u in utterances if u.id == target_utterance)
            around = [u for u in utterances if abs(u.position - at.position) <= 3]
            with st.container(border=True):
                st.markdown(f"**{t('interviews.passage')}**")
                for u in around:
                    who = code_of.get(u.participant_id, u.speaker) if u.role != "interviewer" else u.speaker
                    text = f"**{literal(u.text)}**" if u.id == at.id else literal(u.text)
                    st.markdown(f"{'➤ ' if u.id == at.id else ''}:gray[{who}] — {text}")
        st.markdown(f"##### {t('interviews.transcript')}")
        coded = team_codes.codes_by_utterance(db, interview.id)
        show_steps = st.toggle(t("interviews.show_steps"), value=bool(steps))
        last_turn = None
        for u in utterances:
            code = code_of.get(u.participant_id, "?")
            who = u.speaker if u.role == "interviewer" or u.speaker == code else f"{u.speaker} ({code})"
            if show_steps and u.step_id in steps and (last_turn is None or last_turn[1] != u.step_id):
                st.markdown(badge(steps[u.step_id]))
            if last_turn is None or last_turn[0] != (u.speaker, u.step_id):
                st.markdown(f"**{who}**" + (f" :gray[{T.elapsed(u.timestamp_s)}]" if u.timestamp_s is not None else ""))
            style = ":gray[{}]" if u.role == "interviewer" else "{}"
            mark = "➤ " if u.id == target_utterance else ""
            tags = "".join(" " + badge(name, "violet") for _, name in coded.get(u.id, ()))
            st.markdown(mark + style.format(literal(u.text)) + tags)
            last_turn = ((u.speaker, u.step_id), u.step_id)
        book = {c.id: c.name for c in team_codes.list_codes(db)}
        said = [u for u in utterances if u.role != "interviewer"]
        if book and said and can("edit"):
            with st.expander(t("interviews.code"), icon=":material/sell:"):
                pick = st.selectbox(
                    t("interviews.relink.utterance"), [u.id for u in said], key=f"code_utt_{interview.id}",
                    format_func=lambda i: next(f"{u.position}. {u.text[:80]}" for u in said if u.id == i))
                current = [c for c, _ in coded.get(pick, ())]
                chosen_codes = st.multiselect(t("codes.col.codes"), list(book), default=current,
                                              format_func=book.get, key=f"code_set_{interview.id}_{pick}",
                                              placeholder=t("codes.choose"))
                if st.button(t("interviews.code.save"), key=f"code_save_{interview.id}"):
                    try:
                        added, removed = team_codes.set_codes(db, pick, chosen_codes,
                                                              current_user().label if current_user() else "")
                    except DomainError as e:
                        show_error(e)
                    else:
                        st.toast(t("interviews.code.saved", added=added, removed=removed), icon=":material/check:")
                        st.rerun()
        if steps:
            with st.expander(t("interviews.relink"), icon=":material/link:"):
                chosen = st.selectbox(t("interviews.relink.utterance"), [u.id for u in utterances if u.role != "interviewer"],
                                      format_func=lambda i: next(f"{u.position}. {u.text[:80]}" for u in utterances if u.id == i))
                step = st.selectbox(t("interviews.relink.step"), [None, *steps], format_func=lambda s: "—" if s is None else steps[s])
                if st.button(t("interviews.relink.save")):
                    try:
                        T.set_utterance_step(db, chosen, step)
                        st.rerun()
                    except DomainError as e:
                        show_error(e)
