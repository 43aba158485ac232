"""Shared furniture of the synthesis pages: the cached coded records, the filter bar, verbatims."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from research import synthesis_store
from research.folding import fold
from research.synthesis import CUSTOMER_KINDS, EMPLOYEE, CodedUtterance, Filters, catch_all_named_in, journeys_by_talk
from ui.auth import may_open_page
from ui.db import db_path
from ui.i18n import current_language, local_moment, moment_column, number, t, table_numbers
from ui.widgets import literal

INTERVIEWS_PAGE = "pages/interviews.py"
ANALYSIS_PAGE = "pages/analysis.py"


@st.cache_resource(show_spinner=False, max_entries=4, ttl=3600)
def _records(path: str, stamp: str, lang: str) -> tuple[CodedUtterance, ...]:
    from research.store import open_database

    db = open_database(path, migrate_schema=False)
    try:
        return catch_all_named_in(synthesis_store.load_coded(db), lang)
    finally:
        db.close()


def coded_records(db) -> tuple[CodedUtterance, ...]:
    """The study's coded utterances, read once per analysis run, correction and page language (frozen, shared)."""
    return _records(db_path(), synthesis_store.stamp(db), current_language())


def require_analysis(db) -> tuple[CodedUtterance, ...]:
    """The records, or a message that points to the analysis page and stops the page."""
    records = coded_records(db)
    if not records:
        st.info(t("synthesis.no_analysis"), icon=":material/insights:")
        if Path(ANALYSIS_PAGE).exists() and may_open_page(Path(ANALYSIS_PAGE).stem):
            st.page_link(ANALYSIS_PAGE, label=t("synthesis.open_analysis"), icon=":material/play_arrow:")
        st.stop()
    return records


def filter_bar(records: tuple[CodedUtterance, ...], prefix: str, *, steps: bool = True,
               channels: bool = True, one_journey: bool = False) -> Filters:
    """Filters by journey, step, persona, channel, respondent group and, once the team has coded
    utterances, team code, laid out in one row.

    `one_journey`: no "all journeys" choice (a curve or a grid of steps means one journey's steps in
    their order); the journey most talked about comes first."""
    journeys = {u.journey_id: u.journey_name for u in records if u.journey_id is not None}
    codes = sorted({c for u in records for c in u.team_codes}, key=fold)
    cols = st.columns(2 + (len(journeys) > 1) + steps + channels + bool(codes))
    i = 0
    journey_id = None
    if len(journeys) > 1:
        options = sorted(journeys, key=lambda j: journeys[j])
        index = 0
        if one_journey:
            index = options.index(journeys_by_talk(records)[0][0])
        else:
            options = [None, *options]
        journey_id = cols[0].selectbox(
            t("synthesis.filter.journey"), options, index=index,
            format_func=lambda j: t("synthesis.filter.all_journeys") if j is None else journeys[j],
            key=f"{prefix}_journey")
        i = 1
    step_names = {}
    for u in records:
        if u.step_id is not None and (journey_id is None or u.journey_id == journey_id):
            step_names.setdefault(u.step_id, (u.journey_name, u.step_position, u.step_label))
    chosen_steps = ()
    if steps:
        chosen_steps = tuple(cols[i].multiselect(
            t("synthesis.filter.steps"), sorted(step_names, key=lambda s: step_names[s]),
            format_func=lambda s: f"{step_names[s][1]}. {step_names[s][2]}",
            placeholder=t("synthesis.filter.any"), key=f"{prefix}_steps"))
        i += 1
    personas = {u.persona_id: u.persona_name for u in records if u.persona_id is not None}
    chosen_personas = tuple(cols[i].multiselect(
        t("synthesis.filter.personas"), sorted(personas, key=lambda p: personas[p]),
        format_func=lambda p: personas[p], placeholder=t("synthesis.filter.any"),
        key=f"{prefix}_personas"))
    chosen_channels = ()
    if channels:
        names = sorted({u.channel for u in records if u.channel})
        i += 1
        chosen_channels = tuple(cols[i].multiselect(
            t("synthesis.filter.channels"), names, placeholder=t("synthesis.filter.any"),
            key=f"{prefix}_channels"))
    kinds = [k for k in (*CUSTOMER_KINDS, EMPLOYEE) if any(u.participant_kind == k for u in records)]
    chosen_kinds = tuple(cols[i + 1].multiselect(
        t("synthesis.filter.respondents"), kinds, format_func=lambda k: t(f"synthesis.kind.{k}"),
        placeholder=t("synthesis.filter.any"), key=f"{prefix}_kinds"))
    chosen_codes = ()
    if codes:
        chosen_codes = tuple(cols[i + 2].multiselect(
            t("codes.filter.having"), codes, placeholder=t("synthesis.filter.any"), key=f"{prefix}_team_codes"))
    return Filters(step_ids=chosen_steps, persona_ids=chosen_personas, channels=chosen_channels,
                   kinds=chosen_kinds, journey_id=journey_id, team_codes=chosen_codes)


def transcript_link(u: CodedUtterance, key: str) -> None:
    """A link that opens the interview's transcript at this utterance (when the page exists)."""
    if u.interview_id is None or not Path(INTERVIEWS_PAGE).exists() or not may_open_page(Path(INTERVIEWS_PAGE).stem):
        return
    st.page_link(INTERVIEWS_PAGE, label=t("synthesis.open_transcript"), icon=":material/subject:",
                 query_params={"interview": str(u.interview_id), "utterance": str(u.utterance_id)})


def verbatim(u: CodedUtterance, key: str, *, link: bool = True) -> None:
    """A quote with who said it, where on the journey, and the way back to the transcript."""
    colour = {"irritant": "red", "enchantment": "green"}.get(u.label, "gray")
    with st.container(border=True):
        st.markdown(f"« {literal(u.text)} »")
        meta = [f":{colour}-badge[{t('synthesis.label.' + u.label)}]"]
        if u.expectation:
            meta.append(f":orange-badge[{t('synthesis.label.expectation')}]")
        if u.corrected:
            meta.append(f":violet-badge[{t('synthesis.corrected')}]")
        who = " · ".join(x for x in (u.participant_code, literal(u.persona_name),
                                     t(f"synthesis.kind.{u.participant_kind}")) if x)
        where = " · ".join(literal(x) for x in (u.step_label, u.channel or "") if x)
        meta.append(f"{who}" + (f" — {where}" if where else ""))
        st.caption(" ".join(meta))
        if link:  # on its own line: beside the caption, half-width cards cut it to "Transc"
            transcript_link(u, key)


RUN_COLUMNS = ("started", "status", "seconds", "utterances", "computed", "themes", "learned_from", "kappa", "model",
               "message")


def run_history_table(history: list[dict]) -> None:
    """Earlier analysis runs, newest first, with headings, statuses and local times in the reader's language."""
    rows = [{"started": local_moment(r.get("started_at")),
             "status": t(f"synthesis.analysis.status.{r.get('status')}"),
             "seconds": r.get("seconds"), "utterances": r.get("utterances"),
             "computed": r.get("computed_embeddings"), "themes": r.get("themes"),
             "learned_from": r.get("learned_from") or 0,
             "kappa": "—" if r.get("kappa") is None else number(r["kappa"], ".2f"),
             "model": r.get("model") or "", "message": r.get("message") or ""} for r in history]
    heading = {c: t(f"synthesis.analysis.col.{c}") for c in RUN_COLUMNS}
    table = table_numbers(pd.DataFrame(rows, columns=RUN_COLUMNS), {"seconds": "{:.1f} s"})
    # the message column only when a run left one: its width would push the others past the page's edge
    shown = [c for c in RUN_COLUMNS if c != "message" or any(r["message"] for r in rows)]
    st.dataframe(table, hide_index=True, width="stretch", column_order=shown, column_config={
        "started": moment_column(heading["started"]),
        "status": st.column_config.TextColumn(heading["status"]),
        "seconds": st.column_config.NumberColumn(heading["seconds"]),
        "utterances": st.column_config.NumberColumn(heading["utterances"]),
        "computed": st.column_config.NumberColumn(heading["computed"], help=t("synthesis.analysis.col.computed_help")),
        "themes": st.column_config.NumberColumn(heading["themes"]),
        "learned_from": st.column_config.NumberColumn(heading["learned_from"]),
        "kappa": st.column_config.TextColumn(heading["kappa"], help=t("synthesis.analysis.col.kappa_help")),
        "model": st.column_config.TextColumn(heading["model"]),
        "message": st.column_config.TextColumn(heading["message"], width="large"),
    }, placeholder="—")
