"""Brand perception: the platform's values against what customers and employees evoke, with evidence."""
import pandas as pd
import streamlit as st

from research import synthesis_store
from research.brand import current_platform
from research.synthesis_charts import brand_gap_chart
from ui.db import get_db
from ui.i18n import current_language, t
from ui.synthesis import require_analysis, verbatim
from ui.widgets import page_header, show_chart, wrapped_table

db = get_db()
page_header("synthesis.brand.title", "synthesis.brand.intro")
platform = current_platform(db)
if not platform.version:
    st.info(t("synthesis.brand.no_platform"), icon=":material/flag:")
    st.page_link("pages/brand_platform.py", label=t("brand.title"), icon=":material/flag:")
    st.stop()
require_analysis(db)

evidence = synthesis_store.brand_perception(db)
claimed = [b for b in evidence if b.claimed]
unclaimed = [b for b in evidence if not b.claimed]

st.markdown(t("synthesis.brand.promise", promise=platform.promise))
chart = brand_gap_chart([{"value": b.value, "group": b.group, "mentions": b.mentions, "share": b.share,
                          "valence": b.valence} for b in claimed], t)
if chart is None:
    st.info(t("synthesis.brand.no_gap"))
else:
    show_chart(chart)
    st.caption(t("synthesis.brand.chart_help"))

st.subheader(t("synthesis.brand.by_value"))
for value in platform.values:
    rows = {b.group: b for b in claimed if b.value == value.name}
    with st.expander(f"**{value.name}** — " + " · ".join(
            t("synthesis.brand.group_line", group=t(f"synthesis.group.{g}"), share=rows[g].share,
              valence=rows[g].valence) for g in ("customer", "employee") if g in rows)
            + ("" if rows else t("synthesis.brand.not_evoked")), expanded=False):
        st.caption(value.definition)
        verdict = synthesis_store.gap_verdict(rows.get("customer"), rows.get("employee"))
        st.markdown(t(f"synthesis.brand.verdict.{verdict}"))
        cols = st.columns(2)
        for col, group in zip(cols, ("customer", "employee")):
            with col:
                st.markdown(f"**{t(f'synthesis.group.{group}')}**")
                b = rows.get(group)
                if not b or not b.quotes:
                    st.caption("—")
                    continue
                for u in b.quotes[:3]:
                    verbatim(u, key=f"brand_{value.name}_{group}_{u.utterance_id}")

st.subheader(t("synthesis.brand.unclaimed_title"))
st.caption(t("synthesis.brand.unclaimed_help"))
if not unclaimed:
    st.info(t("synthesis.brand.no_unclaimed"))
for attribute in dict.fromkeys(b.value for b in unclaimed):
    rows = {b.group: b for b in unclaimed if b.value == attribute}
    with st.expander(f"**{attribute}** — " + " · ".join(
            t("synthesis.brand.group_line", group=t(f"synthesis.group.{g}"), share=rows[g].share,
              valence=rows[g].valence) for g in ("customer", "employee") if g in rows)):
        cols = st.columns(2)
        for col, group in zip(cols, ("customer", "employee")):
            with col:
                st.markdown(f"**{t(f'synthesis.group.{group}')}**")
                b = rows.get(group)
                if not b or not b.quotes:
                    st.caption("—")
                    continue
                for u in b.quotes[:3]:
                    verbatim(u, key=f"brand_unclaimed_{attribute}_{group}_{u.utterance_id}")

st.subheader(t("synthesis.brand.competitors"))
portrait = synthesis_store.portrait_comparison(db, current_language())
if not portrait:
    st.info(t("synthesis.brand.no_portrait"))
else:
    wrapped_table(pd.DataFrame(portrait).rename(columns={"category": t("portrait.category")}), t("portrait.category"))
