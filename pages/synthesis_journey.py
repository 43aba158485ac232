"""The journey as the customers felt it: emotional curve, experience map, touchpoint heatmap, moments of truth."""
from functools import partial

import streamlit as st

from research import synthesis_store
from research.experience_map import experience_map, map_html
from research.folding import file_slug
from research.synthesis import (
    ENCHANTMENT, IRRITANT, Filters, emotional_curve, findings, journeys_by_talk, touchpoint_heat,
)
from research.synthesis_charts import emotional_curve_chart, heatmap_chart
from research.synthesis_deck import experience_map_pptx
from ui.db import get_db
from ui.i18n import current_language, t
from ui.synthesis import filter_bar, require_analysis, verbatim
from ui.widgets import page_header, show_chart

db = get_db()
page_header("synthesis.journey.title", "synthesis.journey.intro")
records = require_analysis(db)
filters = filter_bar(records, "journey", steps=False, one_journey=True)

st.subheader(t("synthesis.journey.curve"))
personas = sorted({u.persona_name for u in records if u.persona_name})
overlay = st.multiselect(t("synthesis.journey.overlay"), personas, default=personas[:3],
                         placeholder=t("synthesis.journey.overlay_none"), key="journey_overlay")
points = emotional_curve(records, filters, by_persona=bool(overlay), min_utterances=3)
points = [p for p in points if p.series == "all" or p.series in overlay]
chart = emotional_curve_chart(points, t)
if chart is None:
    st.info(t("synthesis.journey.no_steps"))
else:
    show_chart(chart, height=420)
    st.caption(t("synthesis.journey.curve_help"))

st.subheader(t("synthesis.map.title"))
journey_id = filters.journey_id or journeys_by_talk(records)[0][0]
columns = experience_map(records, synthesis_store.map_steps(db, journey_id), filters,
                         quotable=synthesis_store.quote_consent(db))
if columns:
    st.html(map_html(columns, t))
    st.caption(t("synthesis.map.help"))
    journey_name = next(u.journey_name for u in records if u.journey_id == journey_id)
    title = f"{t('synthesis.map.title')} · {journey_name}"
    lang = current_language()
    st.download_button(t("synthesis.map.download"), partial(experience_map_pptx, columns, title, partial(t, lang=lang),
                                                            lang),
                       f"{file_slug(title)}.pptx",
                       "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       key="journey_map_pptx", icon=":material/slideshow:", on_click="ignore")
else:
    st.info(t("synthesis.map.no_steps"))

st.subheader(t("synthesis.journey.heat"))
heat = heatmap_chart(touchpoint_heat(records, filters), t)
if heat is None:
    st.info(t("synthesis.journey.no_channels"))
else:
    show_chart(heat)
    st.caption(t("synthesis.journey.heat_help"))

st.subheader(t("synthesis.journey.moments"))
overall = [p for p in points if p.series == "all"]
moments = [p for p in overall if p.moment_of_truth]
if not moments:
    st.info(t("synthesis.journey.no_moments"))
for p in moments:
    with st.container(border=True):
        st.markdown(f"**{p.step_position}. {p.step_label}** · "
                    + t("synthesis.journey.moment_line", score=p.score, irritants=p.irritants,
                        enchantments=p.enchantments))
        at_step = Filters(step_ids=(p.step_id,), persona_ids=filters.persona_ids, channels=filters.channels,
                          kinds=filters.kinds, journey_id=filters.journey_id)
        cols = st.columns(2)
        for col, label in zip(cols, (IRRITANT, ENCHANTMENT)):
            top = findings(records, label, at_step, max_verbatims=1)[:1]
            with col:
                st.caption(t(f"synthesis.journey.top_{label}"))
                if top:
                    st.markdown(f"**{top[0].theme_label}** ({top[0].participants})")
                    verbatim(top[0].verbatims[0], key=f"journey_{p.step_id}_{label}")
                else:
                    st.caption("—")
