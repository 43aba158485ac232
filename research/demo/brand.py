"""Demo brand platform for Alizé Mutuelle (two versions, to show the history)."""
import sqlite_utils

from research.brand import BrandPlatform, BrandValue, save_platform
from research.workspace import Workspace, save_workspace

BRAND = "Alizé Mutuelle"
COMPETITORS = ["Santéo", "Prévia Direct"]

VALUES_V1 = [
    BrandValue("Proximité", "Des conseillers joignables, qui connaissent la région et rappellent quand ils l'ont promis."),
    BrandValue("Transparence", "Des garanties lisibles, des remboursements expliqués, pas de petites lignes."),
    BrandValue("Solidarité", "Une mutuelle sans actionnaires : les cotisations servent les adhérents, y compris les plus fragiles."),
]


def build(db: sqlite_utils.Database) -> None:
    save_workspace(db, Workspace(
        brand_name=BRAND, sector="Assurance santé complémentaire (mutuelle)",
        competitors=COMPETITORS, languages=["fr", "en"],
    ))
    first = save_platform(db, BrandPlatform(
        history="Née en 1952 à La Rochelle d'une caisse de secours entre ouvriers des chantiers navals, "
                "Alizé Mutuelle protège aujourd'hui 310 000 adhérents sur la façade atlantique.",
        mission="Permettre à chacun de se soigner sans y penser à deux fois.",
        vision="Être la mutuelle que l'on recommande à ses proches.",
        promise="Remboursé vite, compris toujours.",
        values=VALUES_V1,
        personality=["Bienveillante", "Claire", "Engagée"],
        tone_of_voice="Chaleureux et direct, sans jargon d'assureur ; on ne tutoie jamais, on explique toujours.",
        author="Claire Morvan (directrice marketing)",
        note="Plateforme issue du séminaire de direction de 2024.",
    ))
    save_platform(db, BrandPlatform(
        history=first.history,
        mission=first.mission,
        vision="Être la mutuelle que l'on recommande à ses proches, en agence comme dans l'application.",
        promise="Remboursé vite, compris toujours, accompagné quand ça compte.",
        values=VALUES_V1 + [
            BrandValue("Simplicité", "Adhérer, déclarer, être remboursé : en quelques gestes, sur le canal de son choix."),
        ],
        personality=["Bienveillante", "Claire", "Engagée", "Rassurante"],
        tone_of_voice="Chaleureux et direct, sans jargon d'assureur ; on vouvoie, on explique toujours, "
                      "on rassure avant de détailler.",
        author="Claire Morvan (directrice marketing)",
        note="Ajout de la simplicité après le lancement de l'application mobile.",
    ), based_on_version=first.version)
