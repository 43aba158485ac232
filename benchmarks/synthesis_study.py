"""A generated study with a stored analysis, for the synthesis tests and the page benchmark.

`build_study(db, interviews=200, per_interview=100)` writes journeys, steps, channels, personas,
participants, interviews, utterances and one finished analysis run with a code per utterance,
themes, persona traits, archetypes and brand-gap rows, through the tables the synthesis reads.
"""
from __future__ import annotations

import json
import random

import sqlite_utils

from research import synthesis_store as S

STEPS = [("Je découvre la mutuelle", False), ("Je compare les offres", False), ("J'adhère", True),
         ("Je reçois ma carte", False), ("Je consulte un spécialiste", False),
         ("Je suis remboursé", True), ("J'appelle le service client", True), ("Je change de situation", False)]
CHANNELS = ["Téléphone", "Agence", "Application", "Site web", "Courrier"]
PERSONAS = ["Prudente", "Autonome connecté", "Senior accompagné", "Famille pressée"]
THEMES = {
    "irritant": ["délai de remboursement", "attente au téléphone", "jargon des garanties",
                 "relances sans réponse", "application qui plante", "devis incompréhensible"],
    "enchantment": ["conseillère qui rappelle", "remboursement en 48 h", "agence chaleureuse",
                    "carte reçue tout de suite", "appli simple"],
    "neutral": ["description du contrat", "parcours de soins"],
}
PHRASES = {
    "irritant": ["J'ai attendu trois semaines pour être remboursée, c'est beaucoup trop long.",
                 "Quarante minutes au téléphone avant d'avoir quelqu'un, j'ai raccroché.",
                 "Personne ne m'a expliqué ce que voulait dire ce tableau de garanties."],
    "enchantment": ["La conseillère m'a rappelée le lendemain comme promis, j'étais ravie.",
                    "Remboursé en deux jours, franchement bluffant.",
                    "En agence on m'a reçue sans rendez-vous, avec le sourire."],
    "neutral": ["J'ai un contrat famille depuis quatre ans.", "Je vais chez le dentiste deux fois par an."],
}


def build_study(db: sqlite_utils.Database, interviews: int = 200, per_interview: int = 100,
                seed: int = 7) -> dict:
    rng = random.Random(seed)
    with db.atomic():
        db[S.T_JOURNEYS].insert({"id": 1, "name": "Adhérer et se faire rembourser", "lang": "fr"})
        db["journey_macro_steps"].insert({"id": 1, "journey_id": 1, "position": 1, "name": "Le parcours"})
        db[S.T_STEPS].insert_all([{"id": i + 1, "journey_id": 1, "macro_step_id": 1, "label": n, "position": i + 1,
                                   "is_moment_of_truth": int(m)} for i, (n, m) in enumerate(STEPS)])
        db[S.T_CHANNELS].insert_all([{"id": i + 1, "name": n, "position": i + 1} for i, n in enumerate(CHANNELS)])
        db[S.T_PERSONAS].insert_all([{"id": i + 1, "name": n, "profile": f"Profil {n}", "goals": "[]",
                                      "frustrations": "[]"} for i, n in enumerate(PERSONAS)])
        db[S.T_PARTICIPANTS].insert_all([{
            "id": i + 1, "code": f"P-{i + 1:03d}", "kind": "employee" if i % 10 == 9 else "customer",
            "persona_id": (i % len(PERSONAS)) + 1} for i in range(interviews)])
        db[S.T_INTERVIEWS].insert_all([{"id": i + 1, "title": f"Entretien {i + 1}", "status": "done",
                                        "journey_id": 1, "lang": "fr"} for i in range(interviews)])
        db["interview_participants"].insert_all([{"interview_id": i + 1, "participant_id": i + 1}
                                                 for i in range(interviews)])
        db[S.T_RUNS].insert({"id": 1, "status": "done", "started_at": "2026-11-20T10:00:00+00:00",
                             "finished_at": "2026-11-20T10:05:00+00:00"})
        theme_ids = {label: [f"m{label[0]}{j}" for j in range(len(names))] for label, names in THEMES.items()}
        db[S.T_THEMES].insert_all([{"id": theme_ids[label][j], "run_id": 1, "label": name}
                                   for label, names in THEMES.items() for j, name in enumerate(names)])
        utterances, codes = [], []
        uid = 0
        for i in range(interviews):
            for k in range(per_interview):
                uid += 1
                label = rng.choices(["irritant", "enchantment", "neutral"], [0.3, 0.2, 0.5])[0]
                step = rng.randint(1, len(STEPS))
                if label == "irritant" and STEPS[step - 1][0] == "Je suis remboursé":
                    label = "irritant"
                utterances.append({"id": uid, "interview_id": i + 1, "participant_id": i + 1, "role": "participant",
                                   "position": k, "start_char": k * 80, "end_char": k * 80 + 70,
                                   "text": rng.choice(PHRASES[label]) + f" ({uid})", "step_id": None})
                codes.append({"run_id": 1, "utterance_id": uid, "label": label,
                              "confidence": round(rng.uniform(0.5, 0.99), 2),
                              "intensity": round(rng.uniform(0.3, 1.0), 2) if label != "neutral" else 0.0,
                              "expectation": int(label == "irritant" and rng.random() < 0.3),
                              "dimension": rng.choice(["relational", "service", "experiential", "emotional"]),
                              "theme_id": rng.choice(theme_ids[label]), "step_id": step,
                              "channel_id": rng.randint(1, len(CHANNELS))})
        db[S.T_UTTERANCES].insert_all(utterances, batch_size=2000)
        db[S.T_CODES].insert_all(codes, batch_size=2000)
        db[S.T_TRAITS].insert_all([{"id": i + 1, "run_id": 1, "participant_id": i + 1,
                                    "text": rng.choice(["je compare tout", "je préfère le téléphone",
                                                        "je n'ai pas le temps", "je fais tout sur l'appli"]),
                                    "kind": "habit"} for i in range(interviews)])
        db[S.T_ARCHETYPES].insert_all([
            {"id": 1, "run_id": 1, "label": "Les pressés du numérique", "members": json.dumps(list(range(1, 40))),
             "traits": json.dumps(["je fais tout sur l'appli", "je n'ai pas le temps"]), "matched_persona_id": 2,
             "match_score": 0.72, "quotes": json.dumps([1, per_interview + 1])},  # utterance ids, as the engine stores
            {"id": 2, "run_id": 1, "label": "Les inquiets du remboursement", "members": json.dumps(list(range(40, 60))),
             "traits": json.dumps(["je vérifie chaque décompte"]), "matched_persona_id": None,
             "match_score": 0.31, "quotes": json.dumps([2])},
        ])
        gap = []
        for j, (value, valence) in enumerate([("Proximité", 0.5), ("Transparence", -0.4), ("Solidarité", 0.2),
                                              ("Simplicité", -0.2), ("Lenteur", -0.7)]):
            for group, share in (("customer", 0.35), ("employee", 0.7)):
                gap.append({"id": len(gap) + 1, "run_id": 1, "value": value, "group": group,
                            "mentions": int(share * 100), "share": share, "valence": valence,
                            "claimed": int(value != "Lenteur"),
                            "evidence": json.dumps(rng.sample(range(1, uid + 1), 5))})
        db[S.T_BRAND_GAP].insert_all(gap)
    return {"interviews": interviews, "utterances": uid}
