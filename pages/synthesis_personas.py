"""Personas: the defined personas as the interviews show them, and the archetypes the analysis found."""
import streamlit as st

from research import synthesis_store
from research.synthesis import persona_summaries, signed
from research.synthesis_charts import label_mix_chart
from ui.db import get_db
from ui.i18n import t
from ui.synthesis import filter_bar, require_analysis, verbatim
from ui.widgets import page_header

db = get_db()
page_header("synthesis.personas.title", "synthesis.personas.intro")
records = require_analysis(db)
filters = filter_bar(records, "personas", channels=True)

summaries = [p for p in persona_summaries(records, filters, quotes=3) if p.persona_id is not None]
defined = {p.persona_id: p for p in synthesis_store.defined_personas(db)}

tab_defined, tab_found = st.tabs([t("synthesis.personas.defined"), t("synthesis.personas.found")])
with tab_defined:
    if not summaries:
        st.info(t("synthesis.personas.none"))
    else:
        st.altair_chart(label_mix_chart([{"name": p.name, "irritant": p.irritants, "enchantment": p.enchantments,
                                          "neutral": p.utterances - p.irritants - p.enchantments}
                                         for p in summaries], t), width="stretch")
    for p in summaries:
        info = defined.get(p.persona_id)
        with st.container(border=True):
            st.markdown(f"### {p.name}")
            if info and info.profile:
                st.caption(info.profile)
            st.markdown(t("synthesis.personas.line", participants=p.participants, utterances=p.utterances,
                          mood=signed(p.mood)))
            left, right = st.columns(2)
            with left:
                st.markdown(f"**{t('synthesis.personas.irritated_by')}**")
                for name, n in p.top_irritants:
                    st.markdown(f"- :red[{name}] ({n})")
                st.markdown(f"**{t('synthesis.personas.delighted_by')}**")
                for name, n in p.top_enchantments:
                    st.markdown(f"- :green[{name}] ({n})")
                if p.channels:
                    st.caption(t("synthesis.board.channels", channels=", ".join(f"{c} ({n})" for c, n in p.channels[:5])))
            with right:
                traits = synthesis_store.traits_for_persona(db, p.persona_id)
                st.markdown(f"**{t('synthesis.personas.traits')}**")
                if traits:
                    st.markdown(" ".join(f":blue-badge[{tr.text}]" for tr in traits[:12]))
                else:
                    st.caption("—")
                if info and (info.frustrations or info.goals):
                    st.caption(t("synthesis.personas.declared", goals=info.goals or "—",
                                 frustrations=info.frustrations or "—"))
            for u in p.quotes:
                verbatim(u, key=f"persona_{p.persona_id}_{u.utterance_id}")

with tab_found:
    archetypes = synthesis_store.archetypes(db)
    if not archetypes:
        st.info(t("synthesis.personas.no_archetypes"))
    for a in archetypes:
        with st.container(border=True):
            match = (t("synthesis.personas.matches", persona=a.matched_persona, score=f"{a.match_score:.0%}")
                     if a.matched_persona else t("synthesis.personas.no_match"))
            st.markdown(f"### {a.label}")
            st.caption(t("synthesis.personas.archetype_line", members=len(a.members)) + " · " + match)
            if a.traits:
                st.markdown(" ".join(f":blue-badge[{x}]" for x in a.traits[:12]))
            if a.members:
                st.caption(t("synthesis.personas.members", members=", ".join(a.members)))
            for i, text in enumerate(a.quotes[:3]):
                st.markdown(f"> « {text} »")
