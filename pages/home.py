"""Home: what the study holds and what to do next."""
from pathlib import Path

import streamlit as st

from research.brand import current_platform
from research.overview import next_steps, study_figures
from research.workspace import get_workspace
from ui.auth import may_open_page
from ui.db import get_db
from ui.i18n import t
from ui.widgets import figure_cards, literal

db = get_db()
workspace = get_workspace(db)
figures = study_figures(db)

st.title(t("home.title_with_brand", brand=workspace.brand_name) if workspace.is_set_up else t("home.title"))
st.caption(t("home.intro"))
if workspace.is_set_up:
    st.markdown(
        t("home.workspace_line", sector=workspace.sector or "—",
          competitors=", ".join(workspace.competitors) or "—")
    )

st.subheader(t("home.holds"))
figure_cards([
    (t("home.fig.journeys"), figures["journeys"]),
    (t("home.fig.personas"), figures["personas"]),
    (t("home.fig.participants"), figures["participants"]),
    (t("home.fig.interviews"), figures["interviews"]),
    (t("home.fig.utterances"), figures["utterances"]),
    (t("home.fig.committees"), figures["committees"]),
    (t("home.fig.projective"), figures["photolanguage_sessions"] + figures["portrait_sessions"]),
    (t("home.fig.brand_values"), figures["brand_values"]),
], columns=4)

platform = current_platform(db)
if platform.version:
    with st.container(border=True):
        st.markdown(f"**{t('brand.promise')}** — {literal(platform.promise)}")
        st.markdown(f"**{t('brand.values')}** — " + " · ".join(literal(v) for v in platform.value_names()))

st.subheader(t("home.next"))
steps = next_steps(db)
if not steps:
    st.success(t("home.next.none"), icon=":material/check_circle:")
for step in steps:
    with st.container(border=True):
        st.markdown(f"**{t('home.next.' + step.key)}**")
        st.caption(t("home.next." + step.key + ".why"))
        if Path(f"pages/{step.page}.py").exists() and may_open_page(step.page):
            st.page_link(f"pages/{step.page}.py", label=t("home.next.open"), icon=":material/arrow_forward:")
