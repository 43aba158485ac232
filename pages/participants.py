"""Personas and participants: who the study listens to, their consents, their contact details kept apart."""
from datetime import date, timedelta

import altair as alt
import pandas as pd
import streamlit as st

from research import consents as C
from research import participants as P
from research.errors import DomainError
from research.personas import Persona, list_personas, save_persona
from research.store import row_version
from ui.db import get_db
from ui.i18n import day_column, day_input_format, t
from ui.widgets import chart_with_height, figure, page_header, show_error, shown_version, tabs

db = get_db()
page_header("participants.title", "participants.intro")
personas = list_personas(db)
people = P.list_participants(db)
persona_name = {p.id: p.name for p in personas}
today = date.today()


def status_of(pid: int) -> dict:
    return C.consent_status(db, pid, today)


cards = st.columns(4)
figure(cards[0], t("participants.fig.personas"), len(personas))
figure(cards[1], t("participants.fig.customers"), sum(p.kind != "employee" for p in people))
figure(cards[2], t("participants.fig.employees"), sum(p.kind == "employee" for p in people))
missing = [p for p in people if not status_of(p.id)["interview"]]
figure(cards[3], t("participants.fig.no_consent"), len(missing))

tab_personas, tab_people, tab_consents = tabs(
    [t("participants.tab.personas"), t("participants.tab.people"), t("participants.tab.consents")],
    key="participants_tabs")

with tab_personas:
    counts = pd.DataFrame([{"persona": persona_name.get(p.persona_id, t("participants.no_persona")),
                            "kind": t(f"participants.kind.{p.kind}")} for p in people if p.kind != "employee"])
    if not counts.empty:
        counts = counts.groupby(["persona", "kind"]).size().reset_index(name="n")
        order = counts.groupby("persona")["n"].sum().sort_values(ascending=False).index.tolist()
        chart_with_height(alt.Chart(counts).mark_bar(cornerRadius=3).encode(
            y=alt.Y("persona:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
            x=alt.X("n:Q", title=t("participants.count"), axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("kind:N", title=None, scale=alt.Scale(scheme="tealblues"), legend=alt.Legend(orient="top")),
            tooltip=[alt.Tooltip("persona:N", title=t("participants.persona")),
                     alt.Tooltip("kind:N", title=t("participants.kind")),
                     alt.Tooltip("n:Q", title=t("participants.count"))],
        ).properties(height=44 * len(order)))
    cols = st.columns(2)
    for i, persona in enumerate(personas):
        with cols[i % 2].container(border=True):
            st.markdown(f"#### {persona.name}")
            st.caption(persona.profile)
            st.markdown(f"**{t('participants.goals')}** — " + " · ".join(persona.goals))
            st.markdown(f"**{t('participants.frustrations')}** — " + " · ".join(persona.frustrations))
            st.markdown(f"**{t('participants.channels')}** — " + " ".join(f":blue-badge[{c}]" for c in persona.preferred_channels))
            st.markdown(f"**{t('participants.tone')}** — {persona.tone}")
    with st.expander(t("participants.persona_form"), icon=":material/person_add:"):
        target = st.selectbox(t("participants.persona_pick"), [None] + [p.id for p in personas],
                              format_func=lambda i: t("participants.persona_new") if i is None else persona_name[i])
        current = next((p for p in personas if p.id == target), Persona(""))
        persona_base = shown_version(f"persona.{target}", row_version(db, "personas", target)) if target else None
        with st.form(f"persona_{target}"):
            name = st.text_input(t("participants.persona_name"), current.name)
            profile = st.text_area(t("participants.profile"), current.profile, height=70)
            goals = st.text_area(t("participants.goals_help"), "\n".join(current.goals), height=80)
            frustrations = st.text_area(t("participants.frustrations_help"), "\n".join(current.frustrations), height=80)
            channels = st.text_input(t("participants.channels_help"), ", ".join(current.preferred_channels))
            tone = st.text_input(t("participants.tone"), current.tone)
            if st.form_submit_button(t("participants.save"), type="primary"):
                try:
                    save_persona(db, Persona(name, profile, goals.splitlines(), frustrations.splitlines(),
                                             [c.strip() for c in channels.split(",")], tone, current.segment, target),
                                 based_on=persona_base)
                    st.rerun()
                except DomainError as e:
                    show_error(e)

with tab_people:
    f1, f2 = st.columns(2)
    kinds = f1.multiselect(t("participants.filter_kind"), list(P.KINDS), format_func=lambda k: t(f"participants.kind.{k}"),
                           placeholder=t("participants.any"))
    chosen = f2.multiselect(t("participants.filter_persona"), list(persona_name), format_func=persona_name.get,
                            placeholder=t("participants.any"))
    shown = [p for p in people if (not kinds or p.kind in kinds) and (not chosen or p.persona_id in chosen)]
    rows = []
    for p in shown:
        s = status_of(p.id)
        rows.append({t("participants.code"): p.code, t("participants.kind"): t(f"participants.kind.{p.kind}"),
                     t("participants.persona"): p.persona_name or "—", t("participants.segment"): p.segment,
                     t("participants.attributes"): ", ".join(f"{k} : {v}" for k, v in p.attributes.items()),
                     t("participants.consent.interview"): "✓" if s["interview"] else "✗",
                     t("participants.consent.quotes"): "✓" if s["quotes"] else "✗",
                     t("participants.consent.committee"): "✓" if s["committee"] else "✗"})
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", placeholder="—")
    st.caption(t("participants.pseudonymous_note"))
    with st.expander(t("participants.edit"), icon=":material/edit:"):
        st.caption(t("participants.edit_help"))
        which = st.selectbox(t("participants.code"), [p.id for p in shown], key="participant_edit_pick",
                             format_func=lambda i: next(p.code for p in people if p.id == i)) if shown else None
        if which is not None:
            person = P.get_participant(db, which)
            person_base = shown_version(f"participant.{which}", row_version(db, "participants", which))
            with st.form(f"participant_edit_{which}"):
                c1, c2, c3 = st.columns(3)
                kind = c1.selectbox(t("participants.kind"), list(P.KINDS), index=list(P.KINDS).index(person.kind),
                                    format_func=lambda k: t(f"participants.kind.{k}"), key=f"pe_kind_{which}")
                options = [None, *persona_name]
                persona = c2.selectbox(t("participants.persona"), options,
                                       index=options.index(person.persona_id) if person.persona_id in options else 0,
                                       format_func=lambda i: "—" if i is None else persona_name[i],
                                       key=f"pe_persona_{which}")
                segment = c3.text_input(t("participants.segment"), person.segment, key=f"pe_segment_{which}")
                if st.form_submit_button(t("participants.save"), type="primary"):
                    try:
                        P.update_participant(db, which, kind=kind, persona_id=persona, segment=segment,
                                             attributes=person.attributes, based_on=person_base)
                    except DomainError as e:
                        show_error(e)
                    else:
                        st.toast(t("participants.edited", code=person.code), icon=":material/check:")
                        st.rerun()
    with st.expander(t("participants.contacts"), icon=":material/lock:"):
        st.caption(t("participants.contacts_help"))
        who = st.selectbox(t("participants.code"), [p.id for p in shown], format_func=lambda i: next(p.code for p in people if p.id == i),
                           key="contact_pick") if shown else None
        if who is not None:
            contact = P.get_contact(db, who)
            contact_base = shown_version(f"contact.{who}", P.contact_version(db, who))
            with st.form(f"contact_{who}"):
                full_name = st.text_input(t("participants.full_name"), contact.full_name)
                email = st.text_input(t("participants.email"), contact.email)
                phone = st.text_input(t("participants.phone"), contact.phone)
                address = st.text_input(t("participants.address"), contact.address)
                if st.form_submit_button(t("participants.save")):
                    try:
                        P.set_contact(db, who, P.Contact(full_name, email, phone, address, contact.notes),
                                      based_on=contact_base)
                        st.toast(t("participants.saved"), icon=":material/check:")
                    except DomainError as e:
                        show_error(e)
    with st.expander(t("participants.add"), icon=":material/person_add:"):
        with st.form("add_participant", clear_on_submit=True):
            c1, c2, c3 = st.columns(3)
            kind = c1.selectbox(t("participants.kind"), list(P.KINDS), format_func=lambda k: t(f"participants.kind.{k}"))
            persona = c2.selectbox(t("participants.persona"), [None] + list(persona_name),
                                   format_func=lambda i: "—" if i is None else persona_name[i])
            segment = c3.text_input(t("participants.segment"))
            full_name = st.text_input(t("participants.full_name"))
            email = st.text_input(t("participants.email"))
            if st.form_submit_button(t("participants.add"), type="primary"):
                try:
                    pid = P.create_participant(db, kind, persona_id=persona, segment=segment,
                                               contact=P.Contact(full_name, email))
                    st.toast(t("participants.created", code=P.get_participant(db, pid).code), icon=":material/check:")
                    st.rerun()
                except DomainError as e:
                    show_error(e)

with tab_consents:
    soon = today + timedelta(days=30)
    register = []
    for c in C.list_consents(db):
        p = next((x for x in people if x.id == c.participant_id), None)
        state = ("withdrawn" if c.withdrawn_on else "expired" if c.expires_on and c.expires_on < today
                 else "expiring" if c.expires_on and c.expires_on <= soon else "valid")
        register.append({t("participants.code"): p.code if p else "?",
                         t("participants.consent.given_on"): c.given_on,
                         t("participants.consent.scopes"): ", ".join(t(f"participants.consent.{s}") for s in c.scopes),
                         t("participants.consent.expires_on"): c.expires_on,
                         t("participants.consent.state"): t(f"participants.consent.state.{state}")})
    if missing:
        st.warning(t("participants.consent.missing", codes=", ".join(p.code for p in missing)), icon=":material/gpp_maybe:")
    st.dataframe(pd.DataFrame(register), hide_index=True, width="stretch",
                 column_config={t(k): day_column(t(k)) for k in ("participants.consent.given_on",
                                                                 "participants.consent.expires_on")}, placeholder="—")
    with st.form("record_consent", clear_on_submit=True):
        st.markdown(f"##### {t('participants.consent.record')}")
        c1, c2, c3 = st.columns(3)
        who = c1.selectbox(t("participants.code"), [p.id for p in people], format_func=lambda i: next(p.code for p in people if p.id == i))
        given = c2.date_input(t("participants.consent.given_on"), today, format=day_input_format())
        expires = c3.date_input(t("participants.consent.expires_on"), today + timedelta(days=730),
                               format=day_input_format())
        scopes = st.multiselect(t("participants.consent.scopes"), list(C.SCOPES), default=["interview", "recording"],
                                format_func=lambda s: t(f"participants.consent.{s}"))
        if st.form_submit_button(t("participants.consent.record"), type="primary"):
            try:
                C.record_consent(db, who, given, scopes, expires_on=expires)
                st.rerun()
            except DomainError as e:
                show_error(e)
