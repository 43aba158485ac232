"""Recommendation and effort: NPS and CES noted at the interviews, per persona, and what detractors and
promoters said."""
import pandas as pd
import streamlit as st

from research import scores as S
from research.errors import DomainError
from research.synthesis import ENCHANTMENT, IRRITANT
from research.synthesis_charts import nps_chart
from research.synthesis_export import nps_text, persona_score_rows, score_segments, written
from ui.auth import can
from ui.db import get_db
from ui.i18n import t
from ui.synthesis import coded_records, verbatim
from ui.widgets import figure_cards, file_uploader, literal, page_header, show_chart, show_error

db = get_db()
page_header("scores.title", "scores.intro")
if can("edit"):
    with st.expander(t("scores.import.title"), icon=":material/upload_file:"), \
            st.form("scores_import", clear_on_submit=True, border=False):
        st.caption(t("scores.import.help"))
        upload = file_uploader(t("scores.import.file"), type=["csv", "txt"], key="scores_import_file")
        if st.form_submit_button(t("scores.import.go"), type="primary") and upload is not None:
            try:
                result = S.import_csv(db, upload.getvalue())
            except DomainError as e:
                show_error(e)
            else:
                st.success(t("scores.import.done", rows=result.rows, changed=result.changed), icon=":material/check:")
every = S.list_scores(db)
if not every:
    st.info(t("scores.none"), icon=":material/speed:")
    st.stop()
summary = S.summary(every)
people, overall, ease = summary.customers, summary.nps, summary.effort


figure_cards([(t("scores.fig.nps"), nps_text(overall, t)),
              (t("scores.fig.margin"), written(t, overall.margin, "scores.margin_value", margin=overall.margin)),
              (t("scores.fig.answers"), overall.answers),
              (t("scores.fig.ces"), written(t, ease.mean, "scores.ces_value", ces=ease.mean)),
              (t("scores.fig.easy"), written(t, ease.easy_share, "scores.share_value", share=ease.easy_share))])
st.caption(t("scores.how", n=overall.answers))

st.subheader(t("scores.by_persona"))
chart = nps_chart(score_segments(summary, t), t)
if chart is not None:
    show_chart(chart)
if summary.employees.answers:
    st.caption(t("scores.mirror"))
st.dataframe(pd.DataFrame(persona_score_rows(summary, t)), hide_index=True, width="stretch", placeholder="—",
             column_config={"segment": t("scores.chart.segment"), "answers": t("scores.fig.answers"), "nps": "NPS",
                            "margin": t("scores.fig.margin"), "ces": t("scores.fig.ces"),
                            "easy": t("scores.fig.easy")})
st.caption(t("scores.few", n=S.MARGIN_FROM))

st.subheader(t("scores.voices"))
records = coded_records(db)
if not records:
    st.info(t("scores.no_analysis"), icon=":material/insights:")
    st.stop()
left, right = st.columns(2)
for column, group, label in ((left, S.DETRACTOR, IRRITANT), (right, S.PROMOTER, ENCHANTMENT)):
    with column:
        members = len(S.participants_in(people, group))
        st.markdown(f"**{t(f'scores.voices.{group}', n=members)}**")
        items = S.findings_of(records, people, group, label)[:5]
        if not items:
            st.caption(t("scores.voices.none"))
        for rank, f in enumerate(items, start=1):
            with st.expander(t("scores.voices.finding", theme=literal(f.theme_label) or t("synthesis.untitled"),
                               participants=f.participants, of=members), expanded=rank == 1):
                for i, u in enumerate(f.verbatims[:2]):
                    verbatim(u, key=f"scores_{group}_{rank}_{i}")
