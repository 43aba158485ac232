"""The analysis results kept in the workspace, one set per run; the synthesis pages read the latest.

    analysis_runs            id, status (running/done/failed), started_at, finished_at, model, counts, kappa
    analysis_codes           per run and utterance: label, confidence, intensity, expectation, theme_id,
                             theme_label, dimension, step_id (+ step_source), channel_id, language
    analysis_themes          per run: id, label, size, keywords and quote utterance ids (JSON)
    analysis_persona_traits  per run: participant_id, utterance_id, text, kind (self/preference/habit)
    analysis_archetypes      per run: label, members (participant ids), traits, matched_persona_id,
                             match_score, quotes
    analysis_brand_gap       per run: value (or unclaimed attribute), group (customer/employee), mentions,
                             share of the group's participants, valence -1..1, claimed, evidence (utterance ids)
    analysis_embeddings      the embedding cache, by model and text hash (see embed.py)

The researcher's corrections are not here: they live in the synthesis tables and survive re-runs.
"""
from __future__ import annotations

import sqlite_utils

from research.store import Migrations

migrations = Migrations("analysis")


@migrations()
def m001_analysis(db: sqlite_utils.Database) -> None:
    db["analysis_runs"].create({"id": int, "status": str, "started_at": str, "finished_at": str, "model": str,
                                "utterances": int, "coded": int, "themes": int, "computed_embeddings": int,
                                "kappa": float, "learned_from": int, "seconds": float, "message": str}, pk="id")
    db["analysis_codes"].create({"run_id": int, "utterance_id": int, "label": str, "confidence": float,
                                 "intensity": float, "expectation": int, "theme_id": str, "theme_label": str,
                                 "dimension": str, "step_id": int, "step_source": str, "channel_id": int,
                                 "language": str}, pk=("run_id", "utterance_id"))
    db["analysis_codes"].create_index(["utterance_id"])
    db["analysis_themes"].create({"run_id": int, "id": str, "label": str, "size": int, "keywords": str,
                                  "quotes": str}, pk=("run_id", "id"))
    db["analysis_persona_traits"].create({"id": int, "run_id": int, "participant_id": int, "utterance_id": int,
                                          "text": str, "kind": str}, pk="id")
    db["analysis_persona_traits"].create_index(["run_id", "participant_id"])
    db["analysis_archetypes"].create({"id": int, "run_id": int, "label": str, "members": str, "traits": str,
                                      "matched_persona_id": int, "match_score": float, "quotes": str}, pk="id")
    db["analysis_brand_gap"].create({"id": int, "run_id": int, "value": str, "group": str, "mentions": int,
                                     "share": float, "valence": float, "claimed": int, "evidence": str}, pk="id")
    db["analysis_embeddings"].create({"model": str, "text_hash": str, "dim": int, "vector": bytes},
                                     pk=("model", "text_hash"))
