"""Écoute: the voice-of-customer research domain. Never imports streamlit."""

__version__ = "0.1.0"
