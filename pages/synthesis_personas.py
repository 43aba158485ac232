"""Personas: the defined personas as the interviews show them, and the archetypes the analysis found."""
import streamlit as st

from research import synthesis_store
from research.quoting import short_quote
from research.synthesis import persona_summaries
from research.synthesis_charts import label_mix_chart
from ui.db import get_db
from ui.i18n import count, t
from ui.synthesis import filter_bar, require_analysis, verbatim
from ui.widgets import badge, literal, page_header, show_chart, tabs

db = get_db()
page_header("synthesis.personas.title", "synthesis.personas.intro")
records = require_analysis(db)
filters = filter_bar(records, "personas", channels=True)

summaries = [p for p in persona_summaries(records, filters, quotes=6) if p.persona_id is not None]
defined = {p.persona_id: p for p in synthesis_store.defined_personas(db)}
TRAITS_PER_KIND = 4


def who(code: str) -> str:
    """A dash and the speaker's code, kept on one line (a plain hyphen lets "P-009" break in two)."""
    return "\u00a0—\u00a0" + code.replace("-", "\u2011") if code else ""


def themes_with_examples(p, label: str, colour: str) -> None:
    """Each theme the persona names under this label, with the quote that says it best."""
    lines = []
    for name, n in p.top_irritants if label == "irritant" else p.top_enchantments:
        example = p.examples.get((label, name))
        lines.append(f"- :{colour}[{literal(name)}] ({n})" + ("  " if example else ""))  # two spaces: the quote below
        if example:
            lines.append(f"  :gray[«\u00a0{literal(short_quote(example.text))}\u00a0»{who(example.participant_code)}]")
    st.markdown("\n".join(lines) if lines else "—")


tab_defined, tab_found = tabs([t("synthesis.personas.defined"), t("synthesis.personas.found")],
                              key="synthesis_personas_tabs")
with tab_defined:
    if not summaries:
        st.info(t("synthesis.personas.none"))
    else:
        show_chart(label_mix_chart([{"name": p.name, "irritant": p.irritants, "enchantment": p.enchantments,
                                     "neutral": p.utterances - p.irritants - p.enchantments}
                                    for p in summaries], t))
    for p in summaries:
        info = defined.get(p.persona_id)
        with st.container(border=True):
            st.markdown(f"### {literal(p.name)}")
            if info and info.profile:
                st.caption(info.profile)
            st.markdown(t("synthesis.personas.line", participants=p.participants, utterances=p.utterances,
                          mood=p.mood))
            left, right = st.columns(2)
            with left:
                st.markdown(f"**{t('synthesis.personas.irritated_by')}**")
                themes_with_examples(p, "irritant", "red")
                st.markdown(f"**{t('synthesis.personas.delighted_by')}**")
                themes_with_examples(p, "enchantment", "green")
                if p.channels:
                    channels = ", ".join(f"{literal(c)} ({count(n)})" for c, n in p.channels[:5])
                    st.caption(t("synthesis.board.channels", channels=channels))
            with right:
                traits = synthesis_store.traits_for_persona(db, p.persona_id)
                st.markdown(f"**{t('synthesis.personas.traits')}**")
                for kind in synthesis_store.TRAIT_KINDS:
                    said = [tr for tr in traits if tr.kind == kind][:TRAITS_PER_KIND]
                    if said:
                        st.markdown(f"*{t('synthesis.personas.trait_kind.' + kind)}*\n\n"
                                    + "\n".join(f"- {literal(tr.text)}:gray[{who(tr.participant_code)}]" for tr in said))
                if not traits:
                    st.caption(t("synthesis.personas.no_traits"))
                if info and (info.frustrations or info.goals):
                    st.caption(t("synthesis.personas.declared", goals=info.goals or "—",
                                 frustrations=info.frustrations or "—"))
            shown = {u.utterance_id for u in p.examples.values()}
            for u in [u for u in p.quotes if u.utterance_id not in shown][:3]:
                verbatim(u, key=f"persona_{p.persona_id}_{u.utterance_id}")

with tab_found:
    archetypes = synthesis_store.archetypes(db, records)
    if not archetypes:
        st.info(t("synthesis.personas.no_archetypes"))
    for a in archetypes:
        with st.container(border=True):
            st.markdown(f"### {literal(a.label)}")
            line = [t("synthesis.personas.archetype_line", members=len(a.members)),
                    t("synthesis.personas.matches", persona=literal(a.matched_persona)) if a.matched_persona
                    else t("synthesis.personas.no_match")]
            st.caption(" · ".join(line))
            if a.recruited_as:
                st.caption(t("synthesis.personas.recruited",
                             personas=", ".join(f"{literal(name)} ({n})" for name, n in a.recruited_as)))
            if a.recruited_elsewhere:
                main, n = a.recruited_elsewhere
                st.warning(t("synthesis.personas.recruited_elsewhere", matched=literal(a.matched_persona), n=n,
                             members=len(a.members), recruited=literal(main)), icon=":material/call_split:")
            if a.traits:
                st.markdown(" ".join(badge(x.text) for x in a.traits[:12]))
            if a.members:
                st.caption(t("synthesis.personas.members", members=", ".join(a.members)))
            for u in a.quotes[:3]:
                st.markdown(f"> « {literal(u.text)} »")
