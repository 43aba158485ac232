"""The only non-page code that imports streamlit: translations, session keys, cached resources, widgets."""
