"""Demo journeys of Alizé Mutuelle, their touchpoint matrix and interview guides.

"Adhérer à Alizé Mutuelle": J'ai besoin d'une mutuelle / Je compare les offres / Je demande un
devis / J'adhère / Je reçois ma carte et mon espace adhérent / Je me soigne pour la première fois.
"Me faire rembourser mes soins": Je me soigne / J'envoie ma facture / Je suis mon remboursement /
Je reçois mon remboursement / Je pose une question ou je réclame / Ma réclamation est résolue.
"""
from __future__ import annotations

import sqlite_utils

from research import guides, journeys

CHANNELS = [("Téléphone", "human"), ("Agence", "human"), ("Site web", "digital"), ("Application mobile", "digital"),
            ("E-mail", "digital"), ("Courrier", "paper"), ("Chat", "digital")]

# macro-step → [(label, description, moment of truth, branch of (label) and kind)]
ADHESION = [
    ("Avant l'adhésion", [
        ("J'ai besoin d'une mutuelle", "Changement de situation : nouvel emploi, installation à son compte, retraite, "
                                       "naissance.", False, None),
        ("Je compare les offres", "Sites comparateurs, bouche-à-oreille, conseils d'un proche.", False, None),
        ("Je ne donne pas suite", "Le prospect renonce : trop cher, trop compliqué, pas rappelé.", False,
         ("Je compare les offres", "not_interested")),
    ]),
    ("Le devis", [
        ("Je demande un devis", "En ligne, par téléphone ou en agence.", True, None),
        ("On m'explique les garanties", "Niveaux de remboursement, délais de carence, tiers payant.", False, None),
    ]),
    ("L'adhésion", [
        ("J'adhère", "Signature électronique ou papier, pièces justificatives, mandat de prélèvement.", True, None),
        ("Je résilie mon ancienne mutuelle", "Alizé s'en charge ou non selon les cas.", False, None),
    ]),
    ("Les premiers pas", [
        ("Je reçois ma carte et mon espace adhérent", "Carte de tiers payant, identifiants, appli.", False, None),
        ("Je me soigne pour la première fois", "Première consultation, premier remboursement.", True, None),
        ("Je suis déçu du démarrage", "Carte en retard, identifiants perdus, premier remboursement incompris.", False,
         ("Je me soigne pour la première fois", "unhappy")),
    ]),
]

REMBOURSEMENT = [
    ("Le soin", [
        ("Je me soigne", "Consultation, pharmacie, optique, dentaire, hospitalisation.", False, None),
        ("Je vérifie ce qui est pris en charge", "Avant un soin coûteux : devis optique ou dentaire.", True, None),
    ]),
    ("La demande", [
        ("J'envoie ma facture", "Photo dans l'appli, espace en ligne, courrier ; ou télétransmission automatique.",
         False, None),
    ]),
    ("L'attente", [
        ("Je suis mon remboursement", "Notifications, historique, appel au service adhérents.", False, None),
        ("Je relance parce que rien ne bouge", "Le remboursement tarde sans explication.", False,
         ("Je suis mon remboursement", "unhappy")),
    ]),
    ("Le remboursement", [
        ("Je reçois mon remboursement", "Virement, relevé de prestations.", True, None),
        ("Je comprends le montant remboursé", "Décompte, part Sécurité sociale, reste à charge.", False, None),
    ]),
    ("Les questions et réclamations", [
        ("Je pose une question ou je réclame", "Téléphone, e-mail, agence, chat.", True, None),
        ("Ma réclamation est résolue", "Réponse, geste, explication.", False, None),
    ]),
]

# (step label, channel) → presence, initiated_by, volume, satisfaction, break, note
MATRIX = {
    "Adhérer à Alizé Mutuelle": {
        ("J'ai besoin d'une mutuelle", "Site web"): ("present", "customer", 1800, 3, False, ""),
        ("Je compare les offres", "Site web"): ("present", "customer", 2600, 3, False, "Tableau des garanties jugé illisible."),
        ("Je compare les offres", "Agence"): ("present", "customer", 420, 4, False, ""),
        ("Je compare les offres", "Application mobile"): ("missing", None, None, None, False, "Aucun simulateur dans l'appli."),
        ("Je demande un devis", "Site web"): ("present", "customer", 1500, 2, True, "Le devis en ligne ne propose pas de rappel."),
        ("Je demande un devis", "Téléphone"): ("present", "customer", 900, 4, False, ""),
        ("Je demande un devis", "Agence"): ("present", "customer", 350, 5, False, ""),
        ("Je demande un devis", "E-mail"): ("redundant", "company", 1500, 2, False, "Trois e-mails de relance identiques."),
        ("On m'explique les garanties", "Téléphone"): ("present", "company", 700, 4, False, ""),
        ("On m'explique les garanties", "Agence"): ("present", "company", 300, 5, False, ""),
        ("J'adhère", "Site web"): ("present", "customer", 600, 3, False, ""),
        ("J'adhère", "Courrier"): ("redundant", "company", 400, 2, False, "Contrat papier envoyé en plus du PDF signé."),
        ("J'adhère", "Agence"): ("present", "customer", 250, 5, False, ""),
        ("Je résilie mon ancienne mutuelle", "Courrier"): ("present", "company", 500, 3, False, ""),
        ("Je reçois ma carte et mon espace adhérent", "Courrier"): ("present", "company", 850, 2, True, "Carte reçue après trois semaines."),
        ("Je reçois ma carte et mon espace adhérent", "Application mobile"): ("present", "customer", 700, 3, False, ""),
        ("Je reçois ma carte et mon espace adhérent", "E-mail"): ("present", "company", 850, 3, False, ""),
        ("Je me soigne pour la première fois", "Téléphone"): ("present", "customer", 300, 3, False, ""),
        ("Je me soigne pour la première fois", "Chat"): ("missing", None, None, None, False, ""),
    },
    "Me faire rembourser mes soins": {
        ("Je vérifie ce qui est pris en charge", "Téléphone"): ("present", "customer", 2100, 3, False, "Attente longue le lundi."),
        ("Je vérifie ce qui est pris en charge", "Application mobile"): ("missing", None, None, None, True, "Pas de simulateur de remboursement."),
        ("Je vérifie ce qui est pris en charge", "Agence"): ("present", "customer", 600, 5, False, ""),
        ("J'envoie ma facture", "Application mobile"): ("present", "customer", 5200, 4, False, "Photo de facture appréciée."),
        ("J'envoie ma facture", "Site web"): ("present", "customer", 1900, 3, False, ""),
        ("J'envoie ma facture", "Courrier"): ("present", "customer", 800, 2, True, "Factures perdues."),
        ("J'envoie ma facture", "E-mail"): ("redundant", "customer", 700, 2, False, "Adresse e-mail non traitée : renvoi vers l'appli."),
        ("Je suis mon remboursement", "Application mobile"): ("present", "customer", 4100, 3, False, ""),
        ("Je suis mon remboursement", "Téléphone"): ("present", "customer", 1700, 2, False, ""),
        ("Je suis mon remboursement", "E-mail"): ("missing", None, None, None, False, "Aucune notification de réception."),
        ("Je reçois mon remboursement", "Application mobile"): ("present", "company", 5600, 4, False, ""),
        ("Je reçois mon remboursement", "Courrier"): ("redundant", "company", 3000, 2, False, "Relevé papier en double de l'appli."),
        ("Je comprends le montant remboursé", "Application mobile"): ("present", "customer", 2300, 2, True, "Décompte incompréhensible."),
        ("Je comprends le montant remboursé", "Téléphone"): ("present", "customer", 1200, 3, False, ""),
        ("Je pose une question ou je réclame", "Téléphone"): ("present", "customer", 2500, 2, True, "Temps d'attente jusqu'à 40 min."),
        ("Je pose une question ou je réclame", "E-mail"): ("present", "customer", 1100, 2, False, ""),
        ("Je pose une question ou je réclame", "Agence"): ("present", "customer", 500, 4, False, ""),
        ("Je pose une question ou je réclame", "Chat"): ("missing", None, None, None, False, "Chat annoncé, jamais ouvert."),
        ("Ma réclamation est résolue", "Téléphone"): ("present", "company", 900, 4, False, "Rappel par un conseiller apprécié."),
        ("Ma réclamation est résolue", "Courrier"): ("present", "company", 600, 2, False, ""),
    },
}


def _build_journey(db, name: str, description: str, macros) -> dict[str, int]:
    jid = journeys.create_journey(db, name, description, "fr")
    ids: dict[str, int] = {}
    for macro_name, steps in macros:
        mid = journeys.add_macro_step(db, jid, macro_name)
        for label, desc, mot, branch in steps:
            base, kind = (ids[branch[0]], branch[1]) if branch else (None, None)
            ids[label] = journeys.add_step(db, mid, label, description=desc, is_moment_of_truth=mot,
                                           branch_of=base, branch_kind=kind)
    return ids | {"__journey__": jid}


def build(db: sqlite_utils.Database) -> None:
    channel_ids = {name: journeys.add_channel(db, name, kind) for name, kind in CHANNELS}
    built = {
        "Adhérer à Alizé Mutuelle": _build_journey(
            db, "Adhérer à Alizé Mutuelle", "Du besoin d'une complémentaire santé au premier remboursement.", ADHESION),
        "Me faire rembourser mes soins": _build_journey(
            db, "Me faire rembourser mes soins", "Du soin au remboursement, questions et réclamations comprises.",
            REMBOURSEMENT),
    }
    for journey_name, cells in MATRIX.items():
        ids = built[journey_name]
        for (label, channel), (presence, by, volume, sat, brk, note) in cells.items():
            journeys.set_touchpoint(db, ids[label], channel_ids[channel], presence=presence, initiated_by=by,
                                    volume=volume, satisfaction=sat, is_break=brk, note=note)
    adhesion, rembt = built["Adhérer à Alizé Mutuelle"]["__journey__"], built["Me faire rembourser mes soins"]["__journey__"]
    guides.generate_guide(db, adhesion, "fr", "external", name="Guide adhérents et prospects — Adhésion")
    guides.generate_guide(db, rembt, "fr", "external", name="Guide adhérents — Remboursement")
    guides.generate_guide(db, rembt, "en", "external", name="Members' guide — Getting reimbursed")
    guides.generate_guide(db, rembt, "fr", "internal", name="Guide collaborateurs (miroir) — Remboursement")
