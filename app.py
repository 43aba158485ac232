"""Écoute: the router. Pages live in pages/, one script per screen."""
import streamlit as st

from ui.auth import (remember_requested_page, resume_requested_page, sign_in_navigation, signed_in_user, user_box,
                     visible_pages)
from ui.db import get_db, start_run, warm_up_language_models
from ui.i18n import init_language, language_switch, t
from ui.routing import mark_routed

st.set_page_config(page_title="Écoute", page_icon=":material/hearing:", layout="wide")
mark_routed()
start_run()
init_language()
warm_up_language_models()

# Every script in pages/ is registered here (tests/test_app.py fails otherwise).
PAGES = {
    "nav.study": [
        st.Page("pages/home.py", title=t("home.title"), icon=":material/home:", url_path="home",
                default=True),
        st.Page("pages/brand_platform.py", title=t("brand.title"), icon=":material/flag:",
                url_path="brand_platform"),
    ],
    "nav.fieldwork": [
        st.Page("pages/journeys.py", title=t("journeys.title"), icon=":material/route:", url_path="journeys"),
        st.Page("pages/guides.py", title=t("guides.title"), icon=":material/checklist:", url_path="guides"),
        st.Page("pages/participants.py", title=t("participants.title"), icon=":material/groups:",
                url_path="participants"),
        st.Page("pages/interviews.py", title=t("interviews.title"), icon=":material/mic:", url_path="interviews"),
        st.Page("pages/search.py", title=t("search.title"), icon=":material/search:", url_path="search"),
    ],
    "nav.committees": [
        st.Page("pages/committees.py", title=t("committees.title"), icon=":material/diversity_3:",
                url_path="committees"),
        st.Page("pages/committee_members.py", title=t("committees.members.title"), icon=":material/group_add:",
                url_path="committee_members"),
        st.Page("pages/committee_sessions.py", title=t("committees.sessions.title"), icon=":material/event:",
                url_path="committee_sessions"),
        st.Page("pages/committee_followups.py", title=t("committees.followups.title"), icon=":material/forum:",
                url_path="committee_followups"),
    ],
    "nav.projective": [
        st.Page("pages/image_library.py", title=t("images.title"), icon=":material/photo_library:",
                url_path="image_library"),
        st.Page("pages/photolanguage.py", title=t("photolanguage.title"), icon=":material/imagesmode:",
                url_path="photolanguage"),
        st.Page("pages/portrait.py", title=t("portrait.title"), icon=":material/theater_comedy:", url_path="portrait"),
        st.Page("pages/projective_analysis.py", title=t("projective.title"), icon=":material/insights:",
                url_path="projective_analysis"),
    ],
    "nav.synthesis": [
        st.Page("pages/analysis.py", title=t("synthesis.analysis.title"), icon=":material/model_training:",
                url_path="analysis"),
        st.Page("pages/synthesis_board.py", title=t("synthesis.board.title"), icon=":material/thumbs_up_down:",
                url_path="synthesis_board"),
        st.Page("pages/synthesis_journey.py", title=t("synthesis.journey.title"), icon=":material/timeline:",
                url_path="synthesis_journey"),
        st.Page("pages/synthesis_themes.py", title=t("synthesis.themes.title"), icon=":material/category:",
                url_path="synthesis_themes"),
        st.Page("pages/synthesis_codes.py", title=t("codes.title"), icon=":material/sell:",
                url_path="synthesis_codes"),
        st.Page("pages/synthesis_personas.py", title=t("synthesis.personas.title"), icon=":material/groups:",
                url_path="synthesis_personas"),
        st.Page("pages/synthesis_scores.py", title=t("scores.title"), icon=":material/speed:",
                url_path="synthesis_scores"),
        st.Page("pages/brand_perception.py", title=t("synthesis.brand.title"), icon=":material/compare:",
                url_path="brand_perception"),
        st.Page("pages/synthesis_report.py", title=t("synthesis.report.title"), icon=":material/description:",
                url_path="synthesis_report"),
    ],
    "nav.admin": [
        st.Page("pages/admin.py", title=t("admin.title"), icon=":material/admin_panel_settings:", url_path="admin"),
    ],
}

# Nobody sees the study before signing in; then only the pages their role may open (research/auth.py).
user = signed_in_user(get_db())
if user is None:
    remember_requested_page()
    navigation = sign_in_navigation(PAGES)
    with st.sidebar:
        language_switch()
    navigation.run()
    st.stop()
allowed = visible_pages(PAGES, user)
navigation = st.navigation({t(section): pages for section, pages in allowed.items()}, expanded=True)
resume_requested_page(allowed, navigation)
with st.sidebar:
    language_switch()
    user_box(user)
    st.caption(t("app.tagline"))
navigation.run()
