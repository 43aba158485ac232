"""Écoute: the router. Pages live in pages/, one script per screen."""
import streamlit as st

from ui.i18n import init_language, language_switch, t
from ui.routing import mark_routed

st.set_page_config(page_title="Écoute", page_icon=":material/hearing:", layout="wide")
mark_routed()
init_language()

# Every script in pages/ is registered here (tests/test_app.py fails otherwise).
PAGES = {
    "nav.study": [
        st.Page("pages/home.py", title=t("home.title"), icon=":material/home:", url_path="home",
                default=True),
        st.Page("pages/brand_platform.py", title=t("brand.title"), icon=":material/flag:",
                url_path="brand_platform"),
    ],
}

navigation = st.navigation({t(section): pages for section, pages in PAGES.items()})
with st.sidebar:
    language_switch()
    st.caption(t("app.tagline"))
navigation.run()
