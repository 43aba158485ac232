"""Demo personas and participants of Alizé Mutuelle (all fictional), with their consents."""
from __future__ import annotations

from datetime import date, timedelta

import sqlite_utils

from research.consents import record_consent
from research.participants import Contact, create_participant
from research.personas import Persona, save_persona

PERSONAS = [
    Persona("Famille organisée", "Parent de 35-45 ans, deux enfants, gère les papiers du foyer le soir.",
            ["Être remboursée vite des soins des enfants", "Tout suivre au même endroit"],
            ["Les factures perdues", "Les décomptes illisibles", "Devoir relancer"],
            ["Application mobile", "E-mail"], "Efficace et concret : aller droit au but, confirmer par écrit.",
            "Familles"),
    Persona("Senior qui veut parler à quelqu'un", "Retraité de 68-80 ans, soins fréquents, peu à l'aise avec les écrans.",
            ["Parler à un conseiller qui connaît son dossier", "Comprendre son reste à charge"],
            ["L'attente au téléphone", "Être renvoyé vers l'application", "Le jargon"],
            ["Téléphone", "Agence", "Courrier"], "Patient et chaleureux ; reformuler, rappeler quand promis.",
            "Seniors"),
    Persona("Indépendant pressé", "Artisan ou profession libérale, 30-55 ans, peu de temps, fort besoin de prévoyance.",
            ["Adhérer vite, sans paperasse", "Un interlocuteur qui rappelle"],
            ["Les formulaires interminables", "Les horaires d'agence", "Les devis sans rappel"],
            ["Téléphone", "Site web"], "Bref et factuel ; respecter son temps, proposer un créneau.",
            "Travailleurs non salariés"),
    Persona("Jeune actif connecté", "25-34 ans, premier emploi ou changement de poste, tout sur smartphone.",
            ["Tout faire depuis l'appli", "Payer le juste prix"],
            ["Les courriers papier", "Les applis lentes", "Ne pas savoir ce qui est couvert"],
            ["Application mobile", "Chat"], "Simple et direct, sans formules d'assureur.", "Jeunes actifs"),
]

# code, kind, persona index, segment, attributes, full name, city
PEOPLE = [
    ("P-001", "customer", 0, "Familles", {"âge": 41, "enfants": 2, "ancienneté": "6 ans"}, "Sophie Lemaire", "La Rochelle"),
    ("P-002", "customer", 0, "Familles", {"âge": 38, "enfants": 3, "ancienneté": "2 ans"}, "Karim Benali", "Niort"),
    ("P-003", "customer", 0, "Familles", {"âge": 44, "enfants": 2, "ancienneté": "11 ans"}, "Aurélie Gautier", "Rochefort"),
    ("P-004", "customer", 1, "Seniors", {"âge": 74, "ancienneté": "25 ans"}, "Jeanne Morel", "Royan"),
    ("P-005", "customer", 1, "Seniors", {"âge": 69, "ancienneté": "8 ans"}, "Michel Fournier", "Saintes"),
    ("P-006", "customer", 1, "Seniors", {"âge": 78, "ancienneté": "30 ans"}, "Odette Bernard", "La Rochelle"),
    ("P-007", "customer", 2, "Travailleurs non salariés", {"âge": 47, "métier": "plombier"}, "Yannick Le Goff", "Lorient"),
    ("P-008", "customer", 2, "Travailleurs non salariés", {"âge": 39, "métier": "kinésithérapeute"}, "Élodie Marchand", "Nantes"),
    ("P-009", "prospect", 2, "Travailleurs non salariés", {"âge": 33, "métier": "graphiste"}, "Thomas Roux", "Bordeaux"),
    ("P-010", "customer", 3, "Jeunes actifs", {"âge": 27}, "Inès Haddad", "Poitiers"),
    ("P-011", "customer", 3, "Jeunes actifs", {"âge": 31}, "Lucas Perrin", "La Rochelle"),
    ("P-012", "prospect", 3, "Jeunes actifs", {"âge": 25}, "Camille Durand", "Niort"),
    ("P-013", "ex_customer", 3, "Jeunes actifs", {"âge": 29, "parti vers": "Prévia Direct"}, "Hugo Lambert", "Angoulême"),
    ("P-014", "ex_customer", 0, "Familles", {"âge": 42, "parti vers": "Santéo"}, "Nathalie Girard", "La Roche-sur-Yon"),
    ("P-015", "customer", 1, "Seniors", {"âge": 71, "ancienneté": "15 ans"}, "Gérard Chevalier", "Cognac"),
    ("P-016", "customer", 0, "Familles", {"âge": 36, "enfants": 1}, "Émilie Faure", "Rochefort"),
    ("P-017", "customer", 2, "Travailleurs non salariés", {"âge": 52, "métier": "boulanger"}, "Patrick Renaud", "Royan"),
    ("P-018", "customer", 3, "Jeunes actifs", {"âge": 28}, "Sarah Mercier", "Bordeaux"),
    ("P-019", "prospect", 0, "Familles", {"âge": 35, "enfants": 2}, "Julien Robin", "Niort"),
    ("P-020", "customer", 1, "Seniors", {"âge": 83}, "Marcel Blanc", "Saintes"),
    ("P-021", "customer", 3, "Jeunes actifs", {"âge": 30, "langue": "anglais", "origine": "Royaume-Uni"}, "Emma Clarke", "La Rochelle"),
    ("P-022", "customer", 2, "Travailleurs non salariés", {"âge": 45, "langue": "anglais", "métier": "consultant"}, "David Miller", "Bordeaux"),
    ("P-023", "customer", 1, "Seniors", {"âge": 72, "langue": "anglais", "origine": "Irlande"}, "Margaret O'Neill", "Cognac"),
    ("P-024", "ex_customer", 2, "Travailleurs non salariés", {"âge": 41, "parti vers": "Santéo"}, "Stéphane Colin", "Lorient"),
    ("E-001", "employee", None, "Conseillers", {"fonction": "conseillère en agence"}, "Valérie Dupuis", "La Rochelle"),
    ("E-002", "employee", None, "Gestion", {"fonction": "gestionnaire de prestations"}, "Farid Mansouri", "La Rochelle"),
    ("E-003", "employee", None, "Relation adhérents", {"fonction": "conseiller téléphonique"}, "Julie Moreau", "Niort"),
    ("E-004", "employee", None, "Relation adhérents", {"fonction": "responsable réclamations"}, "Bruno Lefèvre", "La Rochelle"),
    ("E-005", "employee", None, "Digital", {"fonction": "chef de produit application"}, "Chloé Garnier", "Nantes"),
    ("E-006", "employee", None, "Conseillers", {"fonction": "conseiller en agence"}, "Antoine Roussel", "Royan"),
]

ALL_SCOPES = ["interview", "recording", "committee", "quotes"]


def build(db: sqlite_utils.Database) -> None:
    persona_ids = [save_persona(db, p) for p in PERSONAS]
    today = date.today()
    for n, (code, kind, persona, segment, attrs, name, city) in enumerate(PEOPLE):
        first = name.split()[0].lower().replace("é", "e").replace("è", "e").replace("ô", "o")
        last = name.split()[-1].lower().replace("'", "").replace("é", "e")
        pid = create_participant(db, kind, code=code, persona_id=persona_ids[persona] if persona is not None else None,
                                 segment=segment, attributes=attrs,
                                 contact=Contact(full_name=name, email=f"{first}.{last}@exemple.fr",
                                                 phone=f"06 {10 + n:02d} {20 + n:02d} {30 + n:02d} {40 + n:02d}",
                                                 address=city))
        if code == "P-019":
            continue  # a prospect met at a fair: consent not collected yet
        scopes = ALL_SCOPES if n % 5 else ["interview", "recording"]
        expires = today + timedelta(days=20) if code in ("P-006", "P-017") else today + timedelta(days=700)
        record_consent(db, pid, today - timedelta(days=60 + n), scopes, expires_on=expires,
                       note="Formulaire signé lors du recrutement.")
