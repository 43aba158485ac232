"""`analyze_workspace`: the pipeline over the workspace's interviews, stored for the synthesis pages.

Only participants' utterances are coded (the interviewer's questions are not findings); each carries
the turn before it, which places an answer that names no subject of its own (see themes.py). Embeddings
are cached in the workspace, so after new interviews only their utterances go through the model;
the researcher's reviewed labels (kept by the synthesis pages) are handed to the classifier.
"""
from __future__ import annotations

import re
import time
from collections import defaultdict

import numpy as np
import sqlite_utils

from research.errors import DomainError
from research.nlp import attributes, brand_gap, classify, personas, steps
from research.nlp.embed import EmbeddingCache, SentenceEmbedder
from research.nlp.pipeline import Utterance, analyze
from research.store import dumps, now_iso

KEEP_RUNS = 3


class AnalysisError(DomainError):
    pass


def _utterances(db: sqlite_utils.Database) -> list[dict]:
    if "utterances" not in db.table_names():
        return []
    # `before`: the turn just before in the same interview, whoever said it (see corpus.Utterance)
    sql = """SELECT u.id, u.text, u.lang, u.interview_id, u.participant_id, u.step_id, u.position,
                    coalesce(p.kind, 'customer') AS kind, i.journey_id, u.before
             FROM (SELECT *, lag(text) OVER (PARTITION BY interview_id ORDER BY position) AS before
                   FROM utterances WHERE length(trim(text)) > 0) u
             LEFT JOIN participants p ON p.id = u.participant_id
             JOIN interviews i ON i.id = u.interview_id
             WHERE u.role != 'interviewer'
             ORDER BY u.interview_id, u.position"""
    cols = ["id", "text", "lang", "interview_id", "participant_id", "step_id", "position", "kind", "journey_id",
            "before"]
    return [dict(zip(cols, r)) for r in db.execute(sql).fetchall()]


def _channels_named(db, texts: list[str]) -> list[int | None]:
    from research.journeys import list_channels

    pats = []
    for c in list_channels(db):
        words = [w for w in re.split(r"[\s/]+", c.name.lower()) if len(w) >= 3]
        if words:
            pats.append((c.id, re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.I)))
    out = []
    for t in texts:
        hit = next((cid for cid, p in pats if p.search(t)), None)
        out.append(hit)
    return out


def analyze_workspace(db: sqlite_utils.Database, progress=None, labels=None, embedder=None) -> dict:
    """Run the analysis over every interview; returns the stored run (id, coded, themes...)."""
    from research.brand import current_platform
    from research.journeys import list_steps
    from research.personas import list_personas

    def tell(done, total, message):
        if progress:
            progress(done, total, message)

    started, t0 = now_iso(), time.perf_counter()
    rows = _utterances(db)
    if not rows:
        raise AnalysisError("There are no transcribed interviews to analyse yet.", key="analysis.err.no_utterances")
    if labels is None:
        try:
            from research.synthesis_store import coded_examples

            labels = coded_examples(db)
        except Exception:  # the synthesis tables may not exist in a bare workspace
            labels = []
    examples = [classify.Example(e["text"], e["label"]) for e in labels or [] if e.get("label") in classify.LABELS]
    embedder = embedder or SentenceEmbedder(cache=EmbeddingCache(db))
    texts = [r["text"] for r in rows]
    from research.workspace import get_workspace

    ws = get_workspace(db)
    names = [ws.brand_name, *ws.competitors]  # the brand's own name says nothing about a theme
    label_stop = {w.lower() for n in names if n for w in re.findall(r"\w+", n)}
    label_stop |= {w[:-n] for w in label_stop if len(w) > 5 and w.endswith("le") for n in (1, 2)}  # "mutuelle" → "mutuel"
    tell(0, 10, "analysis.progress.start")
    utterances = [Utterance(str(r["id"]), r["text"], r["lang"] or "", r["before"] or "") for r in rows]
    analysis = analyze(utterances, labels=examples,
                       embedder=embedder, label_stop_words=sorted(label_stop),
                       progress=lambda d, t, s: tell(6 * d / max(t, 1), 10, f"analysis.progress.{s}"))
    vectors = analysis.embeddings

    # journey steps
    tell(6, 10, "analysis.progress.steps")
    all_steps = list_steps(db)
    step_ids = [s.id for s in all_steps]
    step_vecs = embedder.embed([f"{s.label}. {s.description}".strip() for s in all_steps]) if all_steps else np.zeros((0, vectors.shape[1]))
    by_journey = defaultdict(set)
    for s in all_steps:
        by_journey[s.journey_id].add(s.id)
    placed = steps.place(vectors, [r["step_id"] for r in rows], [r["interview_id"] for r in rows], step_ids, step_vecs,
                         allowed=[by_journey.get(r["journey_id"]) for r in rows])
    channels = _channels_named(db, texts)

    # persona traits and archetypes
    tell(7, 10, "analysis.progress.personas")
    traits = []
    per_participant = defaultdict(list)
    for i, r in enumerate(rows):
        if r["participant_id"] is None:
            continue
        per_participant[r["participant_id"]].append(i)
        traits += [(r["participant_id"], r["id"], sentence, kind)
                   for kind, sentence in personas.traits_in(r["text"], analysis.results[i].lang)]
    pids = sorted(per_participant)
    defined = list_personas(db)
    archetypes = []
    customers = [p for p in pids if rows[per_participant[p][0]]["kind"] != "employee"]
    if customers:
        from research.nlp.themes import center_by_language

        centred = center_by_language(vectors, [r.lang for r in analysis.results], minimum=5)
        pvecs = np.vstack([centred[per_participant[p]].mean(axis=0) for p in customers])
        persona_vecs = embedder.embed([f"{p.name}. {p.profile} {' '.join(p.goals)} {' '.join(p.frustrations)}"
                                       for p in defined]) if defined else np.zeros((0, vectors.shape[1]))
        if len(defined) > 1:  # compare what sets personas apart with what sets participants apart
            persona_vecs = persona_vecs - persona_vecs.mean(axis=0)
        trait_texts = defaultdict(list)
        for pid, _, text, _ in traits:
            trait_texts[pid].append(text)
        keywords = {p: [w for i in per_participant[p] for w in analysis.tokens[i].naming
                        if w not in label_stop] for p in customers}
        quotes = {p: [rows[i]["id"] for i in sorted(per_participant[p], key=lambda i: -analysis.results[i].intensity)]
                  for p in customers}
        archetypes = personas.archetypes(customers, pvecs, trait_texts, keywords, [p.id for p in defined],
                                         persona_vecs, quotes, texts=[texts[i] for p in customers
                                                                      for i in per_participant[p]])

    # brand gap
    tell(8, 10, "analysis.progress.brand")
    platform = current_platform(db)
    values = [(v.name, v.definition) for v in platform.values]
    gap_rows = []
    groups = ["employee" if r["kind"] == "employee" else "customer" for r in rows]
    speakers, utterance_ids = [r["participant_id"] for r in rows], [r["id"] for r in rows]
    if values:
        value_vecs = embedder.embed([f"{n}. {d}" for n, d in values])
        gap_rows = brand_gap.gap(values, value_vecs, texts, vectors, [r.label for r in analysis.results],
                                 [r.confidence for r in analysis.results], speakers, groups, utterance_ids)
    if not platform.is_empty:
        claims = attributes.platform_words([platform.mission, platform.vision, platform.promise,
                                            platform.tone_of_voice, *platform.personality,
                                            *(f"{n} {d}" for n, d in values)])
        said = [attributes.said(tok, pol, res.lang)
                for tok, pol, res in zip(analysis.tokens, analysis.polarities, analysis.results)]
        gap_rows += brand_gap.unclaimed_attributes(said, speakers, groups, utterance_ids, claims)

    tell(9, 10, "analysis.progress.store")
    with db.atomic():
        run_id = db["analysis_runs"].insert({
            "status": "done", "started_at": started, "finished_at": now_iso(), "model": embedder.model_name,
            "utterances": len(rows), "coded": len(analysis.results), "themes": len(analysis.themes),
            "computed_embeddings": analysis.computed_embeddings, "kappa": analysis.agreement,
            "learned_from": analysis.learned_from, "seconds": round(time.perf_counter() - t0, 2), "message": ""}).last_pk
        db["analysis_codes"].insert_all(({
            "run_id": run_id, "utterance_id": r["id"], "label": res.label, "confidence": res.confidence,
            "intensity": res.intensity, "expectation": int(res.expectation), "theme_id": res.theme,
            "theme_label": res.theme_label, "dimension": res.dimension, "step_id": placed[i][0],
            "step_source": placed[i][1], "channel_id": channels[i], "language": res.lang}
            for i, (r, res) in enumerate(zip(rows, analysis.results))), batch_size=500)
        db["analysis_themes"].insert_all({"run_id": run_id, "id": t.id, "label": t.label, "size": len(t.members),
                                          "keywords": dumps(t.keywords), "quotes": dumps([rows[i]["id"] for i in t.quotes])}
                                         for t in analysis.themes)
        db["analysis_persona_traits"].insert_all({"run_id": run_id, "participant_id": p, "utterance_id": u, "text": t,
                                                  "kind": k} for p, u, t, k in traits)
        db["analysis_archetypes"].insert_all({"run_id": run_id, "label": a.label, "members": dumps(a.members),
                                              "traits": dumps(a.traits), "matched_persona_id": a.matched_persona_id,
                                              "match_score": a.match_score, "quotes": dumps(a.quotes)}
                                             for a in archetypes)
        db["analysis_brand_gap"].insert_all({"run_id": run_id, "value": g.value, "group": g.group,
                                             "mentions": g.mentions, "share": g.share, "valence": g.valence,
                                             "claimed": int(g.claimed), "evidence": dumps(g.evidence)}
                                            for g in gap_rows)
        old = [r[0] for r in db.execute("SELECT id FROM analysis_runs WHERE id <= ? ORDER BY id", [run_id - KEEP_RUNS])]
        for rid in old:
            for table in ("analysis_codes", "analysis_themes", "analysis_persona_traits", "analysis_archetypes",
                          "analysis_brand_gap"):
                db[table].delete_where("run_id = ?", [rid])
    tell(10, 10, "analysis.progress.done")
    return {"id": run_id, "coded": len(analysis.results), "themes": len(analysis.themes),
            "computed_embeddings": analysis.computed_embeddings, "kappa": analysis.agreement}
