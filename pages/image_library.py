"""The image library for photolanguage: import, look, tag, flag the too-obvious, find identical images."""
import streamlit as st

from research import images as I
from research.errors import DomainError
from ui.db import get_db
from ui.i18n import error_text, t
from ui.widgets import figure, file_uploader, page_header, show_error, tabs

VALENCE_COLOURS = {"positive": "green", "negative": "red", "neutral": "gray"}

db = get_db()
page_header("images.title", "images.intro")

imgs = I.list_images(db)
obvious = [im for im in imgs if im.obvious]
pairs = I.near_duplicates(db)
cards = st.columns(4)
figure(cards[0], t("images.fig.total"), len(imgs))
figure(cards[1], t("images.fig.dealable"), len(imgs) - len(obvious))
figure(cards[2], t("images.fig.obvious"), len(obvious))
figure(cards[3], t("images.fig.look_alike"), len(pairs))

tab_gallery, tab_import, tab_edit, tab_sources = tabs(
    [t("images.tab.gallery"), t("images.tab.import"), t("images.tab.edit"), t("images.tab.sources")],
    key="image_library_tabs")


def show_report(report: I.ImportReport) -> None:
    st.success(t("images.import.done", imported=len(report.imported), duplicates=len(report.duplicates),
                 rejected=len(report.rejected)), icon=":material/check:")
    for name, code in report.duplicates:
        st.warning(t("images.import.duplicate", name=name, code=code), icon=":material/content_copy:")
    for new, old in report.near_duplicates:
        st.warning(t("images.import.near_duplicate", new=new, old=old), icon=":material/compare:")
    for r in report.rejected:
        st.error(t(r.reason, **r.params) if r.reason else r.name, icon=":material/block:")


with tab_gallery:
    f1, f2, f3 = st.columns([2, 1, 1])
    tags = f1.multiselect(t("images.filter.tags"), I.all_tags(db), key="images_filter_tags",
                          placeholder=t("images.filter.any"))
    valence = f2.selectbox(t("images.valence"), [None, *I.VALENCES, "unknown"], key="images_filter_valence",
                           format_func=lambda v: t("images.filter.any") if v is None else t(f"images.valence.{v}"))
    show_obvious = f3.toggle(t("images.filter.obvious"), value=True, key="images_filter_obvious")
    shown = [im for im in imgs if (not tags or set(tags) & set(im.tags))
             and (valence is None or (im.valence or "unknown") == valence) and (show_obvious or not im.obvious)]
    st.caption(t("images.shown", n=len(shown), total=len(imgs)))
    if not imgs:
        st.info(t("images.empty"), icon=":material/photo_library:")
    thumbs = I.thumbnails(db, [im.id for im in shown])
    cols_per_row = 6
    for start in range(0, len(shown), cols_per_row):
        cols = st.columns(cols_per_row)
        for col, im in zip(cols, shown[start:start + cols_per_row]):
            with col:
                st.image(thumbs[im.id], width="stretch")
                badge = " :orange-badge[" + t("images.obvious_badge") + "]" if im.obvious else ""
                val = f" :{VALENCE_COLOURS[im.valence]}-badge[{t(f'images.valence.{im.valence}')}]" if im.valence else ""
                st.markdown(f"**{im.code}**{badge}{val}  \n{im.title}")
                st.caption(" · ".join(im.tags))
    if pairs:
        with st.expander(t("images.look_alike", n=len(pairs)), icon=":material/compare:"):
            for a, b, bits in pairs:
                c1, c2, c3 = st.columns([1, 1, 2])
                c1.image(I.image_bytes(db, a.id), caption=a.label)
                c2.image(I.image_bytes(db, b.id), caption=b.label)
                c3.caption(t("images.look_alike_help", a=a.code, b=b.code, bits=bits))

with tab_import:
    st.markdown(t("images.import.help", max=I.MAX_FILES, depth=I.MAX_DEPTH))
    mode = st.radio(t("images.import.mode"), ["files", "folder", "zip"], horizontal=True, key="images_import_mode",
                    format_func=lambda m: t(f"images.import.mode_{m}"))
    if mode == "folder":
        uploads = file_uploader(t("images.import.folder"), accept_multiple_files="directory",
                                key="images_upload_folder")
    elif mode == "zip":
        uploads = file_uploader(t("images.import.zip"), type=["zip"], key="images_upload_zip")
    else:
        uploads = file_uploader(t("images.import.files"), type=["jpg", "jpeg", "png", "webp"],
                                accept_multiple_files=True, key="images_upload_files")
    c1, c2, c3 = st.columns(3)
    base_tags = c1.text_input(t("images.import.tags"), key="images_import_tags")
    author = c2.text_input(t("images.author"), key="images_import_author")
    licence = c3.text_input(t("images.licence"), key="images_import_licence")
    if st.button(t("images.import.go"), type="primary", disabled=not uploads, key="images_import_go"):
        bar = st.progress(0.0, text=t("images.import.progress"))
        kw = dict(tags=[x for x in base_tags.split(",") if x.strip()], author=author.strip(), licence=licence.strip(),
                  progress=lambda done, total: bar.progress(done / max(total, 1), text=t("images.import.progress")))
        try:
            if mode == "zip":
                report = I.import_zip(db, uploads.getvalue(), uploads.name, **kw)
            elif mode == "folder":
                report = I.import_files(db, I.read_uploads([(f.name, f.getvalue()) for f in uploads],
                                                           t("images.import.the_folder")), **kw)
            else:
                files = uploads if isinstance(uploads, list) else [uploads]
                report = I.import_files(db, [(f.name, f.getvalue()) for f in files], **kw)
            bar.progress(1.0, text=t("images.import.progress"))
            show_report(report)
        except DomainError as e:
            show_error(e)

with tab_edit:
    if not imgs:
        st.info(t("images.empty"), icon=":material/photo_library:")
    else:
        chosen = st.selectbox(t("images.pick"), [im.id for im in imgs], key="images_edit_pick",
                              format_func=lambda i: next(im.label for im in imgs if im.id == i))
        im = I.get_image(db, chosen)
        c1, c2 = st.columns([1, 2])
        c1.image(I.image_bytes(db, im.id, thumb=False), width="stretch")
        c1.caption(t("images.credit", author=im.author or "—", licence=im.licence or "—", source=im.source or "—"))
        with c2.form(f"image_edit_{im.id}_{im.version}"):
            title = st.text_input(t("images.title_field"), im.title)
            tags_text = st.text_input(t("images.tags"), ", ".join(im.tags), help=t("images.tags_help"))
            valence = st.selectbox(t("images.valence"), ["", *I.VALENCES],
                                   index=(["", *I.VALENCES].index(im.valence or "")),
                                   format_func=lambda v: t("images.valence.none") if not v else t(f"images.valence.{v}"))
            flag = st.checkbox(t("images.obvious"), im.obvious, help=t("images.obvious_help"))
            if st.form_submit_button(t("images.save"), type="primary"):
                try:
                    I.update_image(db, im.id, version=im.version, title=title, tags=tags_text.split(","),
                                   valence=valence or None, obvious=flag)
                    st.toast(t("images.saved", code=im.code), icon=":material/check:")
                    st.rerun()
                except DomainError as e:
                    show_error(e)
        if c2.button(t("images.delete"), key=f"image_delete_{im.id}", icon=":material/delete:"):
            try:
                I.delete_image(db, im.id)
                st.rerun()
            except DomainError as e:
                st.error(error_text(e), icon=":material/error:")

with tab_sources:
    st.caption(t("images.sources_help"))
    st.dataframe([{t("images.code"): im.code, t("images.title_field"): im.title, t("images.author"): im.author,
                   t("images.licence"): im.licence, t("images.source"): im.source} for im in imgs],
                 hide_index=True, width="stretch", placeholder="—")
