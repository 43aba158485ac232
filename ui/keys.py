"""Every session-state key the app uses, named in one place."""

LANGUAGE = "ecoute.lang"
LANGUAGE_FROM_URL = "ecoute.lang_from_url"
DB_PATH = "ecoute.db_path"
BRAND_EDIT_BASE_VERSION = "ecoute.brand.base_version"
ROUTED = "ecoute.routed"
