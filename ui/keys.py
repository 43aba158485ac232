"""Every session-state key the app uses, named in one place."""

LANGUAGE = "ecoute.lang"
LANGUAGE_FROM_URL = "ecoute.lang_from_url"
LANGUAGE_SHOWN = "ecoute.lang_shown"  # the language of the last run, kept if the switch is cleared
DB_PATH = "ecoute.db_path"
BRAND_EDIT_BASE_VERSION = "ecoute.brand.base_version"
ROUTED = "ecoute.routed"
USER_ID = "ecoute.user_id"
PASSWORD_STAMP = "ecoute.password_stamp"  # research.auth.password_stamp when the session signed in
LAST_ACTIVITY = "ecoute.last_activity"  # time.monotonic() of the session's last run, for the idle sign-out
AUTH_ERROR = "ecoute.auth_error"
REQUESTED_PAGE = "ecoute.requested_page"
COMMITTEE_ID = "ecoute.committee_id"
COMMITTEE_SESSION_ID = "ecoute.committee_session_id"
COMMITTEE_MEMBER_ID = "ecoute.committee_member_id"
EDIT_BASE_PREFIX = "ecoute.shown_version."
