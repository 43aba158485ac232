"""Demo customer committee of Alizé Mutuelle: recruited across the four personas, met twice,
two sessions ahead, with follow-ups between sessions. Dates are relative to the day the demo is
built, so the committee always has a past and a future. All names and words are fictional."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlite_utils

from research import committee_followups as followups
from research import committee_sessions as sessions
from research import committees
from research.consents import record_consent
from research.participants import find_by_code

# code → (status, recruitment script); the committee charter is signed before the invitation
MEMBERS = {
    "P-020": "declined",  # invited first, declined before the senior seats were filled
    "P-002": "active", "P-003": "active", "P-016": "active",  # Famille organisée
    "P-004": "active", "P-005": "active", "P-023": "active",  # Senior qui veut parler à quelqu'un
    "P-007": "active", "P-008": "active", "P-017": "active",  # Travailleur non salarié
    "P-010": "active", "P-011": "active",  # Jeune actif: one seat still open
    "P-018": "candidate",
}
SCRIPTS = {
    "phone": "Appel du conseiller : « Nous créons un comité d'adhérents qui se réunit quatre fois par an ; "
             "votre avis nous a marqués, accepteriez-vous d'en faire partie ? »",
    "email": "E-mail d'invitation après l'enquête de satisfaction, avec la charte du comité en pièce jointe.",
}
LISTENERS = ["E-001", "E-005"]

MINUTES_1 = """Séance de lancement, animée par Sophie Delorme. Onze adhérents présents sur douze invités.
Tour de table : chacun a raconté son dernier remboursement. Les familles veulent savoir en un coup d'œil ce qui \
reste à leur charge ; les seniors ont redit qu'ils voulaient un interlocuteur qui connaît leur dossier.
Décompte simplifié : la maquette plaît, mais le reste à charge doit apparaître en premier et en gros.
Campagne de rentrée : la version B (cabinet de pédiatre) est préférée, jugée plus concrète ; la version A \
paraît « une publicité comme les autres ».
Plusieurs membres ont regretté de devoir renvoyer deux fois la même facture d'opticien."""

MINUTES_2 = """Deuxième séance, consacrée au parcours digital. Neuf adhérents présents, deux excusés au dernier moment.
Compte rendu des actions : le décompte a été refondu, le rappel sous 48 heures des réclamations des seniors est en place.
Écran d'accueil de l'application : la version A, qui montre les derniers remboursements, l'emporte nettement.
Atelier : le message idéal après l'envoi d'une facture tient en une phrase, avec la date prévue du virement.
Les travailleurs indépendants demandent une attestation annuelle téléchargeable pour leur comptabilité."""


def build(db: sqlite_utils.Database) -> None:
    today = date.today()
    cid = committees.create_committee(
        db, "Comité Voix d'adhérents",
        purposes=["knowledge", "decisions", "cocreation", "ambassadors"],
        description="Douze adhérents qui nous aident à comprendre leurs parcours, à tester nos décisions avant de "
                    "les déployer et à imaginer les services de demain.",
        sponsor="Hélène Marchetti, directrice de la relation adhérents",
        owner="Laurent Vasseur, responsable expérience adhérent",
        facilitator="Sophie Delorme, animatrice indépendante",
        target_size=12, cadence="quarterly", weekday=3, start_time="18:30", duration_minutes=150,
        location="Siège d'Alizé Mutuelle, La Rochelle — salle Île de Ré",
        session_format="Soirée de 2 h 30 au siège, buffet dînatoire",
        incentive_cap=240.0, incentive_bias_threshold=150.0,
        quotas={p["id"]: 3 for p in db["personas"].rows})
    first = today - timedelta(days=150)
    recruited = first - timedelta(days=40)
    for n, (code, status) in enumerate(MEMBERS.items()):
        pid = find_by_code(db, code).id
        script = SCRIPTS["phone" if n % 3 else "email"]
        mid = committees.add_member(db, cid, pid, script=script, on=recruited)
        if status == "candidate":
            continue
        charter_end = today + timedelta(days=20) if code == "P-017" else today + timedelta(days=560)
        record_consent(db, pid, recruited - timedelta(days=5), ["committee", "quotes"], expires_on=charter_end,
                       note="Charte du comité d'adhérents signée.")
        if status == "declined":
            committees.move_member(db, mid, "invited", on=recruited + timedelta(days=2))
            committees.move_member(db, mid, "declined", on=recruited + timedelta(days=9),
                                   note="Ne se déplace plus en soirée ; préfère un échange téléphonique.")
            continue
        committees.move_member(db, mid, "invited", on=recruited + timedelta(days=2))
        committees.move_member(db, mid, "accepted", on=recruited + timedelta(days=6 + n % 5))
        committees.move_member(db, mid, "active", on=first)
    listeners = [find_by_code(db, c).id for c in LISTENERS]

    # the series: two sessions held, two ahead (quarterly, Thursdays 18:30, no holidays)
    committee = committees.get_committee(db, cid)
    days = sessions.series_dates(committee, first, 4)
    titles = ["Lancement : vos remboursements", "Le parcours digital", "Espace adhérent : la page d'accueil",
              "Bilan de la première année"]
    held, planned = [], []
    for day, title in zip(days, titles):
        start = datetime.combine(day, time(18, 30))
        if day < today:
            held.append(sessions.add_session(db, cid, start, title=title, status="held"))
        else:
            planned.append(sessions.add_session(db, cid, start, title=title))

    # session 1
    s1 = held[0]
    sessions.add_agenda_item(db, s1, "cocreation", "Tour de table : mon dernier remboursement", duration_minutes=40)
    sessions.add_agenda_item(db, s1, "decision_feedback", "Le décompte de remboursement simplifié",
                             description="Maquette du nouveau décompte avant son déploiement.", duration_minutes=45)
    ab1 = sessions.add_agenda_item(db, s1, "ab_test", "Campagne de rentrée : deux visuels",
                                   option_a="Famille à vélo — « On s'occupe du reste »",
                                   option_b="Cabinet de pédiatre — « Remboursée avant d'être rentrée »",
                                   duration_minutes=30)
    sessions.invite(db, s1)
    sessions.invite(db, s1, listeners, role="listener")
    members_1 = [a for a in sessions.list_attendance(db, s1) if a.role == "member"]
    for i, a in enumerate(members_1):
        status = "no_show" if a.code == "P-008" else "attended"
        sessions.set_attendance(db, s1, a.participant_id, status)
        if status == "attended":
            sessions.give_incentive(db, s1, a.participant_id, 60, "bon d'achat")
    for pid in listeners:
        sessions.set_attendance(db, s1, pid, "attended")
    sessions.record_item_outcome(db, ab1, votes_a=3, votes_b=7,
                                 preference_notes="B jugée plus concrète et plus proche de la vie des familles.",
                                 outcome="La campagne part avec le visuel B.")
    sessions.set_minutes(db, s1, MINUTES_1)
    sessions.add_action(db, s1, "Le visuel B est retenu pour la campagne de rentrée.", kind="decision")
    a1 = sessions.add_action(db, s1, "Afficher le reste à charge en premier sur le décompte", owner="Équipe produit",
                             due_on=days[0] + timedelta(days=45))
    sessions.complete_action(db, a1, on=days[0] + timedelta(days=40))
    a2 = sessions.add_action(db, s1, "Rappeler sous 48 heures toute réclamation d'un adhérent senior",
                             owner="Bruno Lefèvre, réclamations", due_on=days[0] + timedelta(days=30))
    sessions.complete_action(db, a2, on=days[0] + timedelta(days=28))
    sessions.add_action(db, s1, "Ne plus demander deux fois une facture d'opticien déjà reçue",
                        owner="Gestion des prestations", due_on=today - timedelta(days=12))

    # session 2
    s2 = held[1]
    sessions.add_agenda_item(db, s2, "actions_report", "Ce que nous avons fait depuis la première séance",
                             duration_minutes=20)
    ab2 = sessions.add_agenda_item(db, s2, "ab_test", "Écran d'accueil de l'application",
                                   option_a="Les derniers remboursements en premier",
                                   option_b="Les garanties et le tiers payant en premier", duration_minutes=35)
    sessions.add_agenda_item(db, s2, "cocreation", "Atelier : le message idéal après l'envoi d'une facture",
                             duration_minutes=60)
    sessions.invite(db, s2)
    sessions.invite(db, s2, listeners[1:], role="listener")
    for a in sessions.list_attendance(db, s2):
        if a.role == "listener":
            sessions.set_attendance(db, s2, a.participant_id, "attended")
            continue
        status = "no_show" if a.code in ("P-004", "P-011") else "attended"
        sessions.set_attendance(db, s2, a.participant_id, status)
        if status == "attended":
            sessions.give_incentive(db, s2, a.participant_id, 60, "bon d'achat")
    sessions.record_item_outcome(db, ab2, votes_a=6, votes_b=3,
                                 preference_notes="Voir d'abord « où en est mon argent » rassure.",
                                 outcome="La version A part en test auprès de 10 % des adhérents.")
    sessions.set_minutes(db, s2, MINUTES_2)
    sessions.add_action(db, s2, "Accuser réception de chaque facture envoyée depuis l'application",
                        owner="Chloé Garnier, produit digital", due_on=today + timedelta(days=40))
    sessions.add_action(db, s2, "Proposer une attestation annuelle téléchargeable aux indépendants",
                        owner="Équipe produit", due_on=today + timedelta(days=75))

    # the next session is prepared: agenda and invitations
    s3 = planned[0]
    sessions.add_agenda_item(db, s3, "actions_report", "Où en sont les actions de la deuxième séance",
                             duration_minutes=20)
    sessions.add_agenda_item(db, s3, "cocreation", "Atelier : la page d'accueil de l'espace adhérent",
                             duration_minutes=75)
    sessions.add_agenda_item(db, s3, "decision_feedback", "Nouvelle grille des garanties optique",
                             duration_minutes=40)
    sessions.invite(db, s3)
    sessions.invite(db, s3, [find_by_code(db, "E-003").id], role="listener")
    for a in sessions.list_attendance(db, s3)[:6]:
        sessions.set_attendance(db, s3, a.participant_id, "confirmed")

    # between sessions
    followups.add_followup(db, cid, "news", "En avant-première : le nouveau décompte arrive",
                           body="Grâce à vos remarques, le reste à charge apparaît désormais en premier.",
                           sent_on=days[1] - timedelta(days=20))
    survey = followups.add_followup(
        db, cid, "survey", "Vos premières impressions sur le nouveau décompte",
        questions=["Trouvez-vous tout de suite ce qui reste à votre charge ?",
                   "Que changeriez-vous encore ?"], sent_on=days[1] + timedelta(days=14))
    answers = {
        "P-002": ("Oui, enfin ! C'est la première chose que je regarde.", "Le détail par enfant."),
        "P-005": ("Oui, c'est bien plus lisible.", "Les caractères pourraient être encore plus gros."),
        "P-007": ("Oui.", "Pouvoir l'exporter pour ma comptable."),
        "P-010": ("Plutôt oui, mais sur téléphone il faut descendre.", ""),
        "P-016": ("Oui, très clair.", "Recevoir une notification quand c'est payé."),
        "P-023": ("Yes, much clearer than before.", "An English version of the statement."),
    }
    for code, (q1, q2) in answers.items():
        followups.record_answers(db, survey, find_by_code(db, code).id, {0: q1, 1: q2},
                                 on=days[1] + timedelta(days=16))
    followups.add_followup(db, cid, "report", "Ce que vous avez changé ce trimestre",
                           body="Décompte refondu, rappel sous 48 heures des réclamations des seniors, visuel de la "
                                "campagne de rentrée choisi par vous.", sent_on=today - timedelta(days=7))
