"""Interview guides: generated from a journey, edited, frozen as versions, exported."""
import altair as alt
import pandas as pd
import streamlit as st

from research import guides as G
from research.errors import DomainError
from research.journeys import list_journeys
from research.store import row_version
from ui.db import get_db
from ui.i18n import current_language, day, t
from ui.widgets import (confirmed_button, figure, page_header, remembered_select, show_chart, show_error, shown_version,
                        tabs)

db = get_db()
page_header("guides.title", "guides.intro")
journeys = list_journeys(db)
if not journeys:
    st.info(t("guides.no_journey"), icon=":material/route:")
    st.stop()

all_guides = G.list_guides(db)
top_left, top_right = st.columns([3, 2], vertical_alignment="bottom")
with top_right:
    with st.popover(t("guides.generate"), icon=":material/auto_awesome:", width="stretch"):
        with st.form("generate_guide"):
            journey_id = st.selectbox(t("guides.journey"), [j.id for j in journeys],
                                      format_func=lambda i: next(j.name for j in journeys if j.id == i))
            lang = st.radio(t("guides.lang"), ["fr", "en"], horizontal=True,
                            index=0 if current_language() == "fr" else 1, format_func=lambda x: t(f"guides.language.{x}"))
            audience = st.radio(t("guides.audience"), list(G.AUDIENCES), horizontal=True,
                                format_func=lambda a: t(f"guides.audience.{a}"))
            minutes = st.slider(t("guides.total_minutes"), 30, 120, 60, step=5)
            name = st.text_input(t("guides.name_optional"))
            if st.form_submit_button(t("guides.generate"), type="primary"):
                try:
                    new_id = G.generate_guide(db, journey_id, lang, audience, name=name or None, total_minutes=minutes)
                except DomainError as e:
                    show_error(e)
                else:
                    st.session_state["guide_pick"] = new_id
                    st.rerun()
if not all_guides:
    st.info(t("guides.none"), icon=":material/checklist:")
    st.stop()
with top_left:
    guide_id = remembered_select(t("guides.pick"), {g.id: g.name for g in all_guides}, "guide_pick")
guide = G.get_guide(db, guide_id)
versions = G.list_versions(db, guide.id)
used = G.interviews_using(db, guide.id)

cards = st.columns(4)
figure(cards[0], t("guides.fig.sections"), len(guide.sections))
figure(cards[1], t("guides.fig.minutes"), f"{guide.minutes} min")
figure(cards[2], t("guides.fig.versions"), len(versions))
figure(cards[3], t("guides.fig.interviews"), used)
st.caption(t("guides.meta", audience=t(f"guides.audience.{guide.audience}"), language=t(f"guides.language.{guide.lang}")))

tab_view, tab_edit, tab_versions = tabs([t("guides.tab.view"), t("guides.tab.edit"), t("guides.tab.versions")],
                                        key="guides_tabs")


def downloads(g, key: str) -> None:
    slug = "guide-" + str(g.id) + (f"-v{g.version}" if g.version else "")
    c1, c2, c3 = st.columns(3)
    c1.download_button(t("guides.download.md"), G.export_guide(db, g, "md"), f"{slug}.md", "text/markdown",
                       key=f"md_{key}", icon=":material/description:", width="stretch")
    c2.download_button(t("guides.download.docx"), G.export_guide(db, g, "docx"), f"{slug}.docx",
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document", key=f"docx_{key}",
                       icon=":material/article:", width="stretch")
    c3.download_button(t("guides.download.html"), G.export_guide(db, g, "html"), f"{slug}.html", "text/html",
                       key=f"html_{key}", icon=":material/print:", width="stretch")


with tab_view:
    budget = pd.DataFrame([{"section": f"{i}. {s.title}", "minutes": s.minutes,
                            "kind": t(f"guides.kind.{s.kind}")} for i, s in enumerate(guide.sections, 1)])
    chart = alt.Chart(budget).mark_bar(cornerRadius=3).encode(
        x=alt.X("minutes:Q", title=t("guides.minutes"), axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("section:N", sort=None, title=None, axis=alt.Axis(labelLimit=380, labelOverlap=False)),
        color=alt.Color("kind:N", title=None,
                        scale=alt.Scale(domain=[t(f"guides.kind.{k}") for k in G.KINDS],
                                        range=["#9aa9b3", "#1f6f78", "#5b8c85"]),
                        legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("section:N", title=t("guides.section_title")),
                 alt.Tooltip("minutes:Q", title=t("guides.minutes"))],
    ).properties(height=max(180, 30 * len(guide.sections)))
    show_chart(chart)
    downloads(guide, "draft")
    for i, s in enumerate(guide.sections, 1):
        with st.expander(f"{i}. {s.title} — {s.minutes} min", expanded=i <= 2):
            st.markdown("\n".join(f"- {q}" for q in s.questions))

with tab_edit:
    st.caption(t("guides.edit_help"))
    guide_base = shown_version(f"guide.{guide.id}", row_version(db, "guides", guide.id))
    name = st.text_input(t("guides.name"), guide.name, key=f"guide_name_{guide.id}")
    if name != guide.name and st.button(t("guides.rename")):
        try:
            G.rename_guide(db, guide.id, name, based_on=guide_base)
            st.rerun()
        except DomainError as e:
            show_error(e)
    for i, s in enumerate(guide.sections, 1):
        section_base = shown_version(f"section.{s.id}", row_version(db, "guide_sections", s.id))
        with st.expander(f"{i}. {s.title}"):
            with st.form(f"section_{s.id}"):
                title = st.text_input(t("guides.section_title"), s.title)
                questions = st.text_area(t("guides.questions_help"), "\n".join(s.questions), height=170)
                minutes = st.number_input(t("guides.minutes"), 1, 180, s.minutes)
                if st.form_submit_button(t("guides.save_section"), type="primary"):
                    try:
                        G.update_section(db, s.id, title=title, questions=questions.splitlines(), minutes=minutes,
                                         based_on=section_base)
                    except DomainError as e:
                        show_error(e)
                    else:
                        st.toast(t("guides.saved"), icon=":material/check:")
                        st.rerun()
    with st.expander(t("guides.delete"), icon=":material/delete:"):
        if used:  # its versions are the record of what those interviews asked
            st.caption(t("guides.err.in_use", count=used))
        else:
            if confirmed_button(t("guides.delete.confirm", name=guide.name, versions=len(versions)),
                                t("guides.delete"), key=f"guide_delete_{guide.id}"):
                try:
                    G.delete_guide(db, guide.id)
                except DomainError as e:
                    show_error(e)
                else:
                    st.toast(t("guides.deleted", name=guide.name), icon=":material/check:")
                    st.rerun()

with tab_versions:
    st.caption(t("guides.versions_help"))
    if st.button(t("guides.freeze"), icon=":material/lock:"):
        number = next((v["number"] for v in G.list_versions(db, guide.id)
                       if v["id"] == G.freeze_guide(db, guide.id)), None)
        st.toast(t("guides.frozen", number=number), icon=":material/lock:")
        st.rerun()
    if not versions:
        st.info(t("guides.no_versions"), icon=":material/info:")
    for v in reversed(versions):
        frozen = G.get_guide_version(db, v["id"])
        with st.container(border=True):
            st.markdown(t("guides.version_line", number=v["number"], date=day(v["created_at"], "long"),
                          sections=len(frozen.sections), minutes=frozen.minutes))
            downloads(frozen, f"v{v['id']}")
