"""Administration: accounts and roles, audit log, consent register, erasure and export of a
participant, retention of recordings, backups."""
from datetime import date

import pandas as pd
import streamlit as st

from research import access, auth, audit, erasure, privacy
from research.backup import backup
from research.consents import SCOPES
from research.errors import DomainError
from research.participants import list_participants
from ui.auth import require_page
from ui.db import db_path, get_db
from ui.i18n import day_column, has, local_moment, moment_column, t
from ui.widgets import figure, page_header, show_error, tabs


def audit_word(kind: str, stored: str) -> str:
    """An action ("update") or a record ("committee_sessions") of the audit log in the reader's words; what
    has no name in the catalogue (a table added later) as it was stored."""
    return t(f"admin.audit.{kind}.{stored}") if has(f"admin.audit.{kind}.{stored}") else stored


db = get_db()
user = require_page("admin")
page_header("admin.title", "admin.intro")

tab_users, tab_audit, tab_consents, tab_erase, tab_backup = tabs(
    [t("admin.tab.users"), t("admin.tab.audit"), t("admin.tab.consents"), t("admin.tab.erase"),
     t("admin.tab.backup")], key="admin_tabs")

with tab_users:
    users = auth.list_users(db)
    locked = {u.username: auth.locked_for(db, u.username) for u in users}
    accounts = pd.DataFrame([{"username": u.username, "name": u.display_name, "role": t(f"auth.role.{u.role}"),
                              "email": u.email, "active": u.active, "last": local_moment(u.last_sign_in),
                              "locked": t("admin.locked_for", n=locked[u.username]) if locked[u.username] else ""}
                             for u in users])
    st.dataframe(accounts, hide_index=True, width="stretch", placeholder="—",
                 column_config={"username": t("auth.username"), "name": t("auth.display_name"),
                                "role": t("admin.role"), "email": t("admin.email"), "active": t("admin.active"),
                                "last": moment_column(t("admin.last_sign_in")), "locked": t("admin.locked")})
    for u in users:
        if locked[u.username]:
            warn, button = st.columns([4, 1], vertical_alignment="center")
            warn.warning(t("admin.locked_note", username=u.username, n=locked[u.username]), icon=":material/lock:")
            if button.button(t("admin.unlock"), key=f"admin_unlock_{u.id}", icon=":material/lock_open:"):
                try:
                    auth.unlock(db, u.username, user)
                except DomainError as e:
                    show_error(e)
                else:
                    st.rerun()
    left, right = st.columns(2)
    with left, st.form("admin_new_user", clear_on_submit=True):
        st.markdown(f"**{t('admin.new_user')}**")
        username = st.text_input(t("auth.username"), key="admin_new_username")
        name = st.text_input(t("auth.display_name"), key="admin_new_name")
        email = st.text_input(t("admin.email"), key="admin_new_email", help=t("admin.email_help"))
        role = st.selectbox(t("admin.role"), auth.ROLES, format_func=lambda r: t(f"auth.role.{r}"),
                            key="admin_new_role")
        password = st.text_input(t("auth.password"), type="password", key="admin_new_password",
                                 help=t("admin.password_help", n=auth.MIN_PASSWORD))
        if st.form_submit_button(t("admin.create_user"), type="primary"):
            try:
                auth.require(user, "users.manage")
                with db.atomic():
                    created = auth.create_user(db, username, password or None, role, display_name=name, email=email)
                    audit.record(db, user, "create", "user", created.id, f"{created.username} ({created.role})")
                st.success(t("admin.user_created", username=created.username))
            except DomainError as e:
                show_error(e)
    with right, st.form("admin_edit_user"):
        st.markdown(f"**{t('admin.edit_user')}**")
        target = st.selectbox(t("auth.username"), users, format_func=lambda u: u.username, key="admin_edit_target")
        new_role = st.selectbox(t("admin.role"), auth.ROLES, format_func=lambda r: t(f"auth.role.{r}"),
                                index=auth.ROLES.index(target.role) if target else 0, key="admin_edit_role")
        active = st.checkbox(t("admin.active"), value=bool(target and target.active), key="admin_edit_active")
        new_password = st.text_input(t("admin.new_password"), type="password", key="admin_edit_password")
        if st.form_submit_button(t("admin.save_user")) and target:
            try:
                auth.update_user(db, user, target.id, expected_version=target.version, role=new_role, active=active,
                                 password=new_password or None)
                st.success(t("admin.user_saved", username=target.username))
            except DomainError as e:
                show_error(e)

with tab_audit:
    entries = audit.entries(db, limit=1000)
    if not entries:
        st.info(t("admin.audit_empty"), icon=":material/info:")
    else:
        log = pd.DataFrame([{"at": local_moment(e["at"]), "actor": e["actor"],
                             "action": audit_word("action", e["action"]),
                             "entity": f"{audit_word('entity', e['entity'])} {e['entity_id'] or ''}".strip(),
                             "summary": e["summary"]} for e in entries])
        st.dataframe(log, hide_index=True, width="stretch", height=420,
                     column_config={"at": moment_column(t("admin.audit.at")), "actor": t("admin.audit.actor"),
                                    "action": t("admin.audit.action"), "entity": t("admin.audit.entity"),
                                    "summary": t("admin.audit.summary")}, placeholder="—")

with tab_consents:
    try:
        register = access.consent_register(db, user)
    except DomainError as e:
        show_error(e)
        register = []
    if register:
        missing = sum(1 for r in register if not all(r[s] for s in SCOPES))
        soon = sum(1 for r in register if r["expiring_soon"])
        c1, c2, c3 = st.columns(3)
        figure(c1, t("admin.consents.participants"), len(register))
        figure(c2, t("admin.consents.incomplete"), missing)
        figure(c3, t("admin.consents.expiring"), soon)
        st.dataframe(pd.DataFrame([{t("admin.consents.code"): r["code"],
                                    **{t(f"admin.scope.{s}"): "✓" if r[s] else "✗" for s in SCOPES},
                                    t("admin.consents.expires"): r["expires_on"],
                                    t("admin.consents.withdrawn"): "✓" if r["withdrawn"] else ""}
                                   for r in register]), hide_index=True, width="stretch",
                     column_config={t("admin.consents.expires"): day_column(t("admin.consents.expires"))},
                     placeholder="—")
        st.caption(t("admin.consents.note"))

with tab_erase:
    people = list_participants(db)
    chosen = st.selectbox(t("admin.erase.who"), people, format_func=lambda p: p.code, index=None,
                          key="admin_erase_who", placeholder=t("admin.erase.pick"))
    if chosen:
        held = erasure.gather(db, chosen.id)
        st.markdown(t("admin.erase.held", code=chosen.code,
                      rows=", ".join(f"{k}: {len(v)}" for k, v in held.items())))
        try:
            st.download_button(t("admin.erase.export"), erasure.export_participant(db, user, chosen.id),
                               file_name=f"{chosen.code}-donnees.zip", mime="application/zip",
                               key="admin_export_participant", icon=":material/download:")
        except DomainError as e:
            show_error(e)
        st.warning(t("admin.erase.warning"), icon=":material/warning:")
        typed = st.text_input(t("admin.erase.confirm", code=chosen.code), key="admin_erase_confirm")
        if st.button(t("admin.erase.button"), type="primary", disabled=typed.strip() != chosen.code,
                     key="admin_erase_button"):
            try:
                report = erasure.erase_participant(db, user, chosen.id, files_root=erasure.files_root(db_path()))
                st.success(t("admin.erase.done", rows=sum(report["rows"].values()), files=report["files"],
                             cells=report["redacted_cells"]))
            except DomainError as e:
                show_error(e)
    st.divider()
    st.markdown(f"**{t('admin.pseudonymise.title')}**")
    on = st.toggle(t("admin.pseudonymise.toggle"), value=privacy.pseudonymise_on_import(db),
                   help=t("admin.pseudonymise.help"), key="admin_pseudonymise")
    if on != privacy.pseudonymise_on_import(db):
        with db.atomic():
            privacy.set_pseudonymise_on_import(db, on)
            audit.record(db, user, "update", "pseudonymise_on_import", None, "on" if on else "off")
        st.success(t("admin.pseudonymise.saved_on" if on else "admin.pseudonymise.saved_off"))
    st.divider()
    st.markdown(f"**{t('admin.retention.title')}**")
    days = st.number_input(t("admin.retention.days"), min_value=1, max_value=3650,
                           value=privacy.retention_days(db), step=1, key="admin_retention_days")
    col_a, col_b = st.columns(2)
    if col_a.button(t("admin.retention.save"), key="admin_retention_save"):
        try:
            with db.atomic():
                privacy.set_retention_days(db, int(days))
                audit.record(db, user, "update", "retention", None, f"{int(days)} days")
            st.success(t("admin.retention.saved", days=int(days)))
        except DomainError as e:
            show_error(e)
    if col_b.button(t("admin.retention.purge"), key="admin_retention_purge"):
        try:
            removed = erasure.purge_recordings(db, user, erasure.files_root(db_path()))
            st.success(t("admin.retention.purged", n=len(removed)))
        except DomainError as e:
            show_error(e)

with tab_backup:
    st.caption(t("admin.backup.intro"))
    if st.button(t("admin.backup.button"), key="admin_backup", icon=":material/backup:"):
        try:
            from pathlib import Path

            written = backup(db_path(), Path(db_path()).resolve().parent / "backups")
            with db.atomic():
                audit.record(db, user, "backup", "workspace", None, written.name)
            st.success(t("admin.backup.done", path=str(written)))
        except DomainError as e:
            show_error(e)
    st.caption(t("admin.backup.cli", today=date.today().isoformat()))
