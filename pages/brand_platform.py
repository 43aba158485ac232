"""Brand platform: the brand as intended, versioned, and the workspace it belongs to."""
import pandas as pd
import streamlit as st

from research.brand import BrandPlatform, BrandValue, current_platform, diff_versions, platform_history, save_platform
from research.errors import DomainError
from research.workspace import LANGUAGES, Workspace, get_workspace, save_workspace
from ui import keys
from ui.db import get_db
from ui.i18n import day, t
from ui.widgets import badge, literal, page_header, show_error, tabs

db = get_db()
page_header("brand.title", "brand.intro")
platform = current_platform(db)
workspace = get_workspace(db)

tab_view, tab_edit, tab_versions, tab_workspace = tabs(
    [t("brand.tab.view"), t("brand.tab.edit"), t("brand.tab.versions"), t("brand.tab.workspace")],
    key="brand_platform_tabs")

with tab_view:
    if not platform.version:
        st.info(t("brand.empty"), icon=":material/info:")
    else:
        st.caption(t("brand.version_line", version=platform.version, date=day(platform.created_at, "long"),
                     author=platform.author or "—"))
        with st.container(border=True):
            st.markdown(f"#### {t('brand.promise')}")
            st.markdown(f"> {platform.promise}")
        left, right = st.columns(2)
        with left:
            st.markdown(f"#### {t('brand.mission')}")
            st.write(platform.mission or "—")
            st.markdown(f"#### {t('brand.vision')}")
            st.write(platform.vision or "—")
            st.markdown(f"#### {t('brand.history')}")
            st.write(platform.history or "—")
        with right:
            st.markdown(f"#### {t('brand.values')}")
            for value in platform.values:
                with st.container(border=True):
                    st.markdown(f"**{literal(value.name)}**")
                    st.caption(value.definition or "—")
            st.markdown(f"#### {t('brand.personality')}")
            st.markdown(" ".join(badge(trait) for trait in platform.personality) or "—")
            st.markdown(f"#### {t('brand.tone')}")
            st.write(platform.tone_of_voice or "—")

with tab_edit:
    if st.session_state.get(keys.BRAND_EDIT_BASE_VERSION) is None:
        st.session_state[keys.BRAND_EDIT_BASE_VERSION] = platform.version
    base_version = st.session_state[keys.BRAND_EDIT_BASE_VERSION]
    with st.form("brand_platform_form"):
        promise = st.text_area(t("brand.promise"), platform.promise, key="brand_promise")
        mission = st.text_area(t("brand.mission"), platform.mission, key="brand_mission")
        vision = st.text_area(t("brand.vision"), platform.vision, key="brand_vision")
        history = st.text_area(t("brand.history"), platform.history, key="brand_history")
        st.markdown(f"**{t('brand.values')}**")
        values_table = st.data_editor(
            pd.DataFrame([{"name": v.name, "definition": v.definition} for v in platform.values],
                         columns=["name", "definition"]),
            num_rows="dynamic", width="stretch", key="brand_values_editor",
            column_config={
                "name": st.column_config.TextColumn(t("brand.value_name"), required=True),
                "definition": st.column_config.TextColumn(t("brand.value_definition"), width="large"),
            },
            placeholder="—",
        )
        personality = st.text_area(t("brand.personality_help"), "\n".join(platform.personality),
                                   key="brand_personality")
        tone = st.text_area(t("brand.tone"), platform.tone_of_voice, key="brand_tone")
        author = st.text_input(t("brand.author"), key="brand_author")
        note = st.text_input(t("brand.note"), key="brand_note")
        submitted = st.form_submit_button(t("brand.save"), type="primary")
    if submitted:
        edited = BrandPlatform(
            promise=promise, mission=mission, vision=vision, history=history,
            values=[BrandValue(str(r.get("name") or ""), str(r.get("definition") or ""))
                    for r in values_table.to_dict("records")],
            personality=personality.splitlines(), tone_of_voice=tone, author=author, note=note,
        )
        try:
            saved = save_platform(db, edited, based_on_version=base_version)
        except DomainError as e:
            show_error(e)
        else:
            st.session_state[keys.BRAND_EDIT_BASE_VERSION] = saved.version
            st.success(t("brand.saved", version=saved.version), icon=":material/check:")

with tab_versions:
    history = platform_history(db)
    if not history:
        st.info(t("brand.no_versions"))
    for newer, older in zip(history, history[1:] + [None]):
        title = t("brand.version_line", version=newer.version, date=day(newer.created_at, "long"),
                  author=newer.author or "—")
        with st.expander(title, expanded=newer.version == platform.version):
            if newer.note:
                st.caption(newer.note)
            if older is None:
                st.write(t("brand.first_version"))
                continue
            changes = diff_versions(older, newer)
            if not changes:
                st.write(t("brand.no_changes"))
            for field, (before, after) in changes.items():
                st.markdown(f"**{t('brand.field.' + field)}**")
                cols = st.columns(2)
                cols[0].caption(t("brand.before"))
                cols[0].write(before)
                cols[1].caption(t("brand.after"))
                cols[1].write(after)

with tab_workspace:
    with st.form("workspace_form"):
        brand_name = st.text_input(t("workspace.brand_name"), workspace.brand_name, key="ws_brand")
        sector = st.text_input(t("workspace.sector"), workspace.sector, key="ws_sector")
        competitors = st.text_area(t("workspace.competitors"), "\n".join(workspace.competitors),
                                   key="ws_competitors")
        languages = st.multiselect(t("workspace.languages"), list(LANGUAGES), workspace.languages,
                                   format_func=lambda code: code.upper(), key="ws_languages")
        saved_ws = st.form_submit_button(t("workspace.save"), type="primary")
    if saved_ws:
        try:
            save_workspace(db, Workspace(brand_name=brand_name, sector=sector,
                                         competitors=competitors.splitlines(), languages=languages))
        except DomainError as e:
            show_error(e)
        else:
            st.success(t("workspace.saved"), icon=":material/check:")
