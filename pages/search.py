"""Full-text search over every transcript; each result opens the transcript at that place."""
import streamlit as st

from research.transcripts import search
from ui.db import get_db
from ui.i18n import t
from ui.widgets import literal, page_header

db = get_db()
page_header("search.title", "search.intro")
query = st.text_input(t("search.query"), placeholder=t("search.placeholder"), key="search_query")
if query.strip():
    hits = search(db, query, limit=100)
    st.caption(t("search.count", n=len(hits)))
    for h in hits:
        with st.container(border=True):
            st.markdown("« " + "".join(f"**{literal(piece)}**" if found else literal(piece)
                                         for piece, found in h.snippet_parts()) + " »")
            left, right = st.columns([4, 1])
            left.caption(f"{h.interview_title} · {h.participant_code or h.speaker}")
            right.page_link("pages/interviews.py", label=t("search.open"), icon=":material/subject:",
                            query_params={"interview": str(h.interview_id), "utterance": str(h.utterance_id)})
else:
    st.info(t("search.help"), icon=":material/search:")
