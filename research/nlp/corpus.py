"""What the engine is given: utterances to analyse and the researcher's coded examples.

Kept apart from the stages and free of numpy, so that the file contract (`files.py`) can read and
check a corpus, and answer an unchanged one from the result cache, without loading the engine.
"""
from __future__ import annotations

from dataclasses import dataclass

LABELS = ("irritant", "enchantment", "neutral")


@dataclass
class Utterance:
    id: str
    text: str
    lang: str = ""
    # what was said just before, in the same conversation (the question it answers, or the speaker's
    # previous sentence): the subject of a short answer that names none ("Pas mal au début")
    before: str = ""


@dataclass
class Example:
    """A coded utterance: a seed written by the team, or one of the researcher's codes."""

    text: str
    label: str
    lang: str = ""
