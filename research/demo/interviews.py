"""Demo interviews of Alizé Mutuelle, imported from data/demo/transcripts/ through the real importers.

Twelve in French (ten customers, prospects and former customers; an employees' focus group and an
adviser, for the internal mirror) and three in English, across the four personas and both journeys.
Most follow their guide's sections (headings), one does not (its steps are placed by the analysis).
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import sqlite_utils

from research.guides import list_guides
from research.interviews import create_interview
from research.journeys import list_journeys
from research.participants import find_by_code
from research.scores import set_scores
from research.transcripts import import_transcript

TRANSCRIPTS = Path(__file__).resolve().parents[2] / "data" / "demo" / "transcripts"
ADHESION, REMBOURSEMENT = "Adhérer à Alizé Mutuelle", "Me faire rembourser mes soins"

# file, title, participant codes, interviewer, mode, journey, guide name, days ago, language
INTERVIEWS = [
    ("01-sophie-remboursement.txt", "Sophie, famille, remboursements des enfants", ["P-001"], "Claire Dubreuil",
     "video", REMBOURSEMENT, "Guide adhérents — Remboursement", 58, "fr"),
    ("02-karim-remboursement.txt", "Karim, horaires décalés, bronchiolite du petit", ["P-002"], "Claire Dubreuil",
     "phone", REMBOURSEMENT, "Guide adhérents — Remboursement", 55, "fr"),
    ("03-jeanne-remboursement.txt", "Jeanne, adhérente depuis 25 ans", ["P-004"], "Marc Téhel", "in_person",
     REMBOURSEMENT, "Guide adhérents — Remboursement", 52, "fr"),
    ("04-michel-remboursement.txt", "Michel, opération du genou et kiné", ["P-005"], "Claire Dubreuil", "in_person",
     REMBOURSEMENT, None, 50, "fr"),
    ("05-yannick-adhesion.txt", "Yannick, plombier à son compte", ["P-007"], "Claire Dubreuil", "phone", ADHESION,
     "Guide adhérents et prospects — Adhésion", 47, "fr"),
    ("06-elodie-adhesion.txt", "Élodie, kinésithérapeute libérale", ["P-008"], "Claire Dubreuil", "video", ADHESION,
     "Guide adhérents et prospects — Adhésion", 45, "fr"),
    ("07-ines-adhesion.vtt", "Inès, premier CDI, tout sur mobile", ["P-010"], "Claire Dubreuil", "video", ADHESION,
     "Guide adhérents et prospects — Adhésion", 43, "fr"),
    ("08-lucas-remboursement.srt", "Lucas, devis dentaire", ["P-011"], "Claire Dubreuil", "video", REMBOURSEMENT,
     "Guide adhérents — Remboursement", 40, "fr"),
    ("09-hugo-ancien-adherent.txt", "Hugo, parti chez Prévia Direct", ["P-013"], "Claire Dubreuil", "phone", ADHESION,
     "Guide adhérents et prospects — Adhésion", 38, "fr"),
    ("10-nathalie-ancienne-adherente.txt", "Nathalie, partie chez Santéo", ["P-014"], "Claire Dubreuil", "phone",
     REMBOURSEMENT, "Guide adhérents — Remboursement", 36, "fr"),
    ("11-thomas-prospect.txt", "Thomas, prospect indépendant sans suite", ["P-009"], "Claire Dubreuil", "video",
     ADHESION, "Guide adhérents et prospects — Adhésion", 33, "fr"),
    ("12-collaborateurs-remboursement.txt", "Focus group collaborateurs — remboursement", ["E-002", "E-003", "E-004"],
     "Claire Dubreuil", "focus_group", REMBOURSEMENT, "Guide collaborateurs (miroir) — Remboursement", 30, "fr"),
    ("13-valerie-agence-adhesion.txt", "Valérie, conseillère en agence — adhésion", ["E-001"], "Claire Dubreuil",
     "in_person", ADHESION, None, 28, "fr"),
    ("14-emma-reimbursement.txt", "Emma, British member, physio and glasses", ["P-021"], "Claire Dubreuil", "video",
     REMBOURSEMENT, "Members' guide — Getting reimbursed", 26, "en"),
    ("15-david-joining.txt", "David, self-employed consultant, joining", ["P-022"], "Claire Dubreuil", "video",
     ADHESION, None, 24, "en"),
    ("16-margaret-reimbursement.txt", "Margaret, retired, hearing aids", ["P-023"], "Marc Téhel", "in_person",
     REMBOURSEMENT, "Members' guide — Getting reimbursed", 21, "en"),
]

# recommendation (NPS, 0-10) and effort (CES, 1-7) asked at the end of each interview, in keeping with
# what each participant says; employees answer the recommendation only, for the mirror
SCORES = {"P-001": (7, 4), "P-002": (4, 2), "P-004": (8, 5), "P-005": (6, 3), "P-007": (3, 2), "P-008": (10, 7),
          "P-009": (5, 3), "P-010": (7, 5), "P-011": (7, 4), "P-013": (2, 2), "P-014": (3, 3), "P-021": (8, 5),
          "P-022": (9, 6), "P-023": (9, 6), "E-001": (9, None), "E-002": (8, None), "E-003": (6, None),
          "E-004": (7, None)}

PLANNED = [("Patrick, boulanger, adhésion", ["P-017"], ADHESION, 6), ("Camille, prospecte via l'application", ["P-012"], ADHESION, 9),
           ("Gérard, adhérent senior, remboursement optique", ["P-015"], REMBOURSEMENT, 12)]


def build(db: sqlite_utils.Database) -> None:
    journeys = {j.name: j.id for j in list_journeys(db)}
    guides = {g.name: g.id for g in list_guides(db)}
    today = date.today()
    for file, title, codes, interviewer, mode, journey, guide, days_ago, lang in INTERVIEWS:
        ids = [find_by_code(db, c).id for c in codes]
        iid = create_interview(db, title, participant_ids=ids, status="done", when=today - timedelta(days=days_ago),
                               interviewer=interviewer, mode=mode, journey_id=journeys[journey],
                               guide_id=guides[guide] if guide else None, lang=lang,
                               notes="Entretien semi-directif, enregistré avec l'accord du participant.")
        path = TRANSCRIPTS / file
        import_transcript(db, iid, path.read_bytes(), filename=file, lang=lang)
        set_scores(db, iid, {pid: SCORES[code] for pid, code in zip(ids, codes) if code in SCORES})
    for title, codes, journey, days_ahead in PLANNED:
        create_interview(db, title, participant_ids=[find_by_code(db, c).id for c in codes], status="planned",
                         when=today + timedelta(days=days_ahead), interviewer="Claire Dubreuil", mode="video",
                         journey_id=journeys[journey])
