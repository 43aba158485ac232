"""Écoute: the voice-of-customer research domain. Never imports streamlit."""

__version__ = "0.1.0"

from research.nlp.spacy_french import keep_torch_from_thinc

keep_torch_from_thinc()  # before anything imports spaCy: its French model needs no torch
