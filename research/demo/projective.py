"""Demo projective sessions of Alizé Mutuelle (all fictional): the image library (65 real photographs,
see data/demo/images/SOURCES.md), an in-person photolanguage round table of six, a remote session on
a shared board, and a Chinese portrait of Alizé, Santéo and Prévia Direct by customers and employees."""
from __future__ import annotations

import csv
from pathlib import Path

import sqlite_utils

from research import images as I
from research import photolanguage as PL
from research import portrait as PT
from research.demo.brand import BRAND, COMPETITORS

IMAGES = Path(__file__).resolve().parents[2] / "data" / "demo" / "images"
# too obviously on-brand for a mutual insurer named after the trade wind, on the Atlantic coast
OBVIOUS = {"cerf-volant", "phare", "vague"}
QUESTION = ("Choisissez deux ou trois photos qui, pour vous, représentent Alizé Mutuelle, "
            "et dites en quelques mots pourquoi.")

# participant code -> photos they would pick (slug, words), best first; the first three in their panel are kept
ROUND_TABLE = {
    "P-001": [
        ("machine-filature", "Des rouages partout : quand j'envoie une facture, je ne sais jamais dans quel engrenage elle tombe."),
        ("horloge", "Trois semaines pour le remboursement des lunettes du petit. On regarde l'heure."),
        ("chiens-fenetre", "Mes enfants qui attendent à la fenêtre… et moi qui attends le virement."),
        ("sequoias", "C'est solide, ça existe depuis longtemps, on se sent protégés."),
        ("salon-vin", "Quand tout est réglé, on peut enfin souffler le soir à la maison."),
        ("pinceaux", "Plein de garanties différentes, et c'est à moi de tout trier."),
    ],
    "P-004": [
        ("ponton-lac", "C'est calme. Mon conseiller d'agence, je le connais depuis vingt ans."),
        ("orage-route", "Depuis qu'on me renvoie vers l'application, j'ai l'impression que le temps se gâte."),
        ("soleil-feuilles", "La gentillesse des dames au téléphone, quand on finit par les avoir."),
        ("barques-soir", "Le port de La Rochelle, c'est de chez nous, comme la mutuelle."),
        ("tronc-mousse", "Une vieille maison, comme moi : ça ne bouge pas beaucoup mais c'est là."),
        ("toile-araignee", "Le site internet : je m'y perds, on s'y fait prendre."),
    ],
    "P-007": [
        ("champ-mais", "Un labyrinthe de formulaires pour adhérer, alors que j'ai un chantier qui m'attend."),
        ("falaise", "Un mur : j'ai demandé un devis, personne n'a rappelé."),
        ("tigre-neige", "Il faudrait qu'ils foncent comme lui ; là, ils marchent dans la neige."),
        ("abeille-aster", "Les gestionnaires bossent, on le voit quand on les a au bout du fil."),
        ("pont-haubans", "Quand ça marche, c'est solide, ça tient."),
        ("bois-clair", "Simple, sans chichis. C'est ce que j'attends d'une mutuelle."),
    ],
    "P-010": [
        ("gobelets", "Toutes pareilles, les mutuelles : on ne voit pas la différence."),
        ("argile-sechee", "L'appli, c'est sec : rien ne bouge, pas une notification."),
        ("fleur-orange", "Le jour où la conseillère m'a rappelée d'elle-même : une vraie bonne surprise."),
        ("horloge", "Trois jours pour avoir une réponse sur le chat."),
        ("cimes-ciel", "Une bouffée d'air quand on a enfin compris ce qui est couvert."),
        ("facade-vagues", "Moderne de l'extérieur, mais derrière c'est le même vieux bâtiment."),
    ],
    "P-015": [
        ("chemin-foret", "On avance ensemble : ils m'ont accompagné pour mon opération de la hanche."),
        ("chateau-maintenon", "Une vieille maison respectable, qui a de l'histoire."),
        ("moutons-pre", "On est un troupeau : on suit, on ne pose pas de question."),
        ("soleil-nuage", "Il y a eu des nuages, mais ça finit toujours par s'arranger."),
        ("ecorce-lichen", "Ça dure, ça ne change pas, c'est rassurant."),
        ("galets", "Tous les adhérents pareils, bien rangés."),
    ],
    "P-021": [
        ("meduses", "Pretty, but you can't see what's inside: the fine print."),
        ("agrumes", "Fresh and friendly: the lady who sorted out my prescription on the phone."),
        ("pagode-chine", "Feels foreign to me, all the letters are in French legalese."),
        ("chat-yeux-bleus", "It looks at you kindly but keeps its distance."),
        ("ruisseau-rochers", "It flows slowly between the rocks, but it gets there."),
        ("pissenlits", "Fragile: one missing form and the reimbursement blows away."),
    ],
}

BOARD = ["horloge", "chiens-fenetre", "figue-coupelle", "pinceaux", "oiseau-lampes", "pissenlits", "goutte-eau",
         "orage-route", "coccinelle", "chateau-maintenon", "pont-suspendu-nuit", "cameleon", "jetee-brume",
         "gobelets", "feuille-morte", "chat-yeux-bleus", "champ-mais", "toile-araignee", "machine-filature",
         "soleil-nuage"]
REMOTE = {
    "P-002": [("coccinelle", "Petite mais elle porte bonheur : l'orthodontie de ma fille remboursée sans discuter."),
              ("horloge", "Mais pour tout le reste, il faut être patient.")],
    "P-005": [("pont-suspendu-nuit", "Le lien avec mon conseiller : quand il est là, c'est lumineux."),
              ("jetee-brume", "Quand il n'est pas là, c'est le brouillard, personne au bout du fil."),
              ("chateau-maintenon", "Une institution, un peu vieille France.")],
    "P-008": [("cameleon", "Ils s'adaptent à mon statut d'indépendante… presque."),
              ("champ-mais", "Les garanties : on entre et on ne voit plus la sortie."),
              ("oiseau-lampes", "L'envie d'être libre de changer de formule sans paperasse.")],
    "P-011": [("gobelets", "Une mutuelle comme les autres, rien qui dépasse."),
              ("machine-filature", "Derrière l'appli, une vieille machine qui grince.")],
    "P-022": [("toile-araignee", "Once you're in, it's hard to leave: cancelling took three letters."),
              ("soleil-nuage", "But when my son broke his arm, they were really there for us."),
              ("figue-coupelle", "Good inside, if you take the time to open it.")],
}

PLAYERS = ["P-001", "P-004", "P-008", "P-010", "P-016", "P-021", "E-001", "E-002", "E-003", "E-005"]

# target -> category -> one cell per player (in PLAYERS order), "answer : justification"; "" = no answer
PORTRAIT = {
    BRAND: {
        "animal": [
            "une tortue : ça avance, mais pour les remboursements des enfants il faut être patiente",
            "un saint-bernard : quand j'ai été hospitalisée, ils sont venus me chercher, au sens propre",
            "une tortue : solide, mais lente dès qu'on sort des cases",
            "un escargot : l'appli met trois secondes à s'ouvrir et trois jours à répondre",
            "un labrador : gentil, fidèle, pas très rapide",
            "a tortoise : safe in its shell, but slow",
            "un saint-bernard : on va chercher les adhérents là où ils sont",
            "une fourmi : on travaille beaucoup, mais personne ne le voit",
            "un chien : fidèle, on connaît nos adhérents",
            "un éléphant : une mémoire énorme et du mal à tourner vite"],
        "plant": [
            "un chêne : ça tient, c'est là depuis toujours",
            "un olivier : vieux et rassurant",
            "une plante verte : on ne la remarque pas, elle est juste là",
            "un cactus : pas méchant, mais ça pique quand on lit les garanties",
            "un chêne",
            "an oak : solid and a bit old-fashioned",
            "un chêne : des racines dans la région",
            "du lierre : on s'accroche aux adhérents, dans le bon sens",
            "un olivier : ça vit longtemps et ça protège du soleil",
            "un bambou : on pousse vite depuis l'appli… enfin, on essaie"],
        "food": [
            "un pot-au-feu : c'est bon, mais il faut des heures",
            "une soupe : ça réchauffe, c'est comme à la maison",
            "un plat surgelé : les courriers types, on sent que c'est industriel",
            "une blanquette : le plat de mes grands-parents",
            "un pot-au-feu : rassurant, traditionnel",
            "soup : warm, comforting, nothing fancy",
            "un pot-au-feu : généreux, on partage",
            "un gratin dauphinois : simple et qui fait plaisir",
            "une soupe : chaude, pour tout le monde",
            "un plateau-repas : on a tout, mais chaque chose dans sa case"],
        "celebrity": [
            "Michel Drucker : toujours là, toujours pareil",
            "Jean-Pierre Pernaut : il parle des régions, des gens d'ici",
            "Michel Drucker : sympathique mais d'une autre époque",
            "Stéphane Bern",
            "Mimie Mathy : une petite ange gardienne",
            "Michel Drucker : everyone's favourite uncle",
            "Mimie Mathy : Joséphine, elle arrive quand on a besoin d'elle",
            "Omar Sy : populaire, généreux",
            "Jean-Pierre Pernaut : proche des gens",
            "Thomas Pesquet : on veut aller plus loin avec le digital"],
        "place": [
            "un bureau de poste : il y a toujours une file et un formulaire",
            "la pharmacie du quartier : on me connaît, on me conseille",
            "la salle d'attente du médecin : on attend sans savoir combien de temps",
            "la mairie : utile, mais aux horaires de bureau",
            "la maison de famille : on y revient toujours",
            "a post office : queues and forms",
            "la place du village : tout le monde se connaît",
            "une salle d'attente : on sait que les adhérents attendent, et ça nous pèse",
            "le port de La Rochelle : c'est là qu'on est né",
            "un chantier : on refait l'appli en roulant"],
        "object": [
            "un parapluie : on l'oublie, mais le jour où il pleut on est content de l'avoir",
            "un vieux téléphone : il faut tomber sur la bonne personne",
            "un classeur : plein de papiers à fournir",
            "un fax : sérieusement, on m'a demandé un courrier papier cette année",
            "un plaid : doux, rassurant",
            "an umbrella : you're glad it's there when it rains",
            "un parapluie : on protège",
            "un tampon : tout doit être validé trois fois",
            "une bouée : on est là quand ça coule",
            "un couteau suisse : on fait tout, parfois un peu moins bien"],
        "verb": ["attendre", "rassurer", "vérifier : ils vérifient tout, deux fois", "patienter", "protéger",
                 "to wait", "accompagner", "vérifier", "écouter", "rembourser"],
        "music": [
            "musique d'attente : je l'entends chaque fois que j'appelle",
            "Charles Aznavour : La Bohème, c'est de mon temps",
            "Les lacs du Connemara : tout le monde connaît, personne ne l'a choisi",
            "musique d'ascenseur",
            "Jean-Jacques Goldman : chaleureux et sincère",
            "hold music : the soundtrack of my calls",
            "Jean-Jacques Goldman : on se serre les coudes",
            "le Boléro de Ravel : la même chose qui monte, qui monte, comme les dossiers",
            "Douce France",
            "Daft Punk : ce qu'on voudrait devenir"],
        "film": [
            "Les Douze Travaux d'Astérix : le laissez-passer A38 pour un remboursement",
            "Les Choristes : des gens bienveillants, un peu à l'ancienne",
            "Un jour sans fin : je renvoie les mêmes justificatifs tous les mois",
            "La Grande Vadrouille",
            "Intouchables : ils m'ont vraiment aidée quand mon mari était malade",
            "Groundhog Day : same forms every year",
            "Intouchables : la solidarité, c'est notre métier",
            "Les Temps modernes : les cadences, les dossiers à la chaîne",
            "Bienvenue chez les Ch'tis : on est chaleureux quand on nous connaît",
            "Retour vers le futur : on a un pied dans chaque époque"],
        "historical": [
            "De Gaulle : respectable, mais rigide",
            "l'abbé Pierre : pour les plus fragiles",
            "Napoléon : le Code civil, et des règlements pour tout",
            "",
            "Louis Pasteur : soigner, protéger",
            "Charles de Gaulle : serious and old",
            "Jean Jaurès : les valeurs mutualistes",
            "l'abbé Pierre",
            "Henri IV : proche du peuple",
            "Marie Curie : sérieuse, qui cherche"],
        "profession": [
            "un fonctionnaire : gentil mais d'une lenteur administrative",
            "un médecin de famille : il vous connaît depuis toujours",
            "un notaire : sérieux, lent, et il faut tout signer",
            "un guichetier",
            "une infirmière : douce et présente",
            "a family doctor : knows you, but you need an appointment",
            "un médecin de famille",
            "un comptable : on vérifie chaque centime",
            "une assistante sociale : on écoute, on aide",
            "un pompier : on intervient quand ça brûle"],
        "colour": ["bleu marine : sérieux", "bleu : comme l'océan", "gris : ni chaud ni froid", "beige : vieillot",
                   "vert : apaisant", "grey", "bleu", "bleu marine", "vert : la santé, la mer",
                   "orange : la couleur de la nouvelle appli"],
    },
    COMPETITORS[0]: {  # Santéo
        "animal": [
            "un guépard : remboursé en 48 heures, ma sœur n'en revenait pas",
            "un chat : il vous regarde de loin",
            "un dauphin : malin, rapide, sympathique",
            "un guépard : tout se fait en deux clics",
            "un requin : derrière le sourire, les cotisations qui grimpent",
            "a cheetah : fast, but you can't talk to it",
            "un requin : ils démarchent nos adhérents",
            "un guépard : rapide, on le reconnaît",
            "un chat : indépendant, pas de conseiller",
            "un dauphin : c'est leur appli que les gens nous montrent"],
        "plant": [
            "un bambou : ça pousse vite", "une orchidée : joli, mais pas pour moi", "un bambou",
            "une plante verte : propre, moderne, en pot", "un cactus : froid", "bamboo : grows fast",
            "un cactus : pas de chaleur humaine", "du chiendent : ça s'installe partout",
            "une orchidée : chic et fragile", "un bambou"],
        "food": [
            "des sushis : moderne, rapide, un peu froid", "un plat surgelé : pratique mais sans âme",
            "un smoothie : tendance", "des sushis", "un hamburger : vite mangé, vite oublié",
            "sushi : neat and quick", "un plat surgelé : tout est industrialisé",
            "un smoothie : coloré, à la mode", "des sushis : chic et froid",
            "un smoothie : ils ont réussi leur marketing"],
        "celebrity": [
            "Kylian Mbappé : rapide", "Elon Musk : je ne comprends pas ce qu'il fait",
            "Xavier Niel : efficace et commercial", "Thomas Pesquet : moderne, connecté", "Elon Musk",
            "Steve Jobs : slick", "Elon Musk : beaucoup de com, et après ?", "Xavier Niel",
            "Kylian Mbappé : rapide, jeune, un peu star", "Steve Jobs : l'expérience avant tout"],
        "place": [
            "une start-up : open space et baby-foot", "un aéroport : grand, froid, on s'y perd", "une start-up",
            "un aéroport : efficace, tout est fléché", "un centre commercial",
            "an airport : efficient and impersonal", "un centre commercial : on vient, on achète, on repart",
            "une start-up", "un aéroport : personne ne vous connaît",
            "une start-up : ils ont dix ans d'avance sur nous"],
        "object": [
            "un smartphone : tout passe par l'appli", "un smartphone : et moi je n'en ai pas", "un smartphone",
            "un smartphone : tout est dedans", "une calculatrice : ils calculent tout", "a smartphone",
            "une calculatrice : pas d'écoute, des tarifs", "un smartphone", "un robot : on parle à un chatbot",
            "un smartphone : pensé mobile d'abord"],
        "verb": ["courir", "vendre", "simplifier", "simplifier : tout est simple", "vendre", "to run", "vendre",
                 "courir", "calculer", "innover"],
    },
    COMPETITORS[1]: {  # Prévia Direct
        "animal": [
            "un renard : les prix d'appel, et ensuite les exclusions", "un vautour : ils appellent à l'heure du repas",
            "un renard : malin, il faut lire les petites lignes", "une hyène : ils rient de nous avec leurs franchises",
            "un requin", "a fox : cheap, and sly about it", "un renard : rusé", "un requin : ils cassent les prix",
            "un loup : il n'y a personne quand on a besoin", "un renard"],
        "plant": [
            "du chiendent : ils sont partout à la télé", "une ortie : on s'y pique",
            "un pissenlit : pas cher, ça pousse partout", "du chiendent", "un cactus : ça pique quand on réclame",
            "a weed : everywhere on TV", "une ortie", "du chiendent : envahissant", "un cactus : froid et piquant",
            "un pissenlit : bon marché"],
        "food": [
            "un hamburger : pas cher, vite fait, on a faim après", "un plat surgelé",
            "un fast-food : prix bas, qualité aussi", "un hamburger : c'est du low cost", "du soda : plein de pub",
            "a burger : cheap and forgettable", "un hamburger : pas cher et rapide", "un soda : sucré, de la pub",
            "un plat surgelé : sans conseiller derrière", "un hamburger"],
        "celebrity": [
            "Bernard Tapie : un bon vendeur", "Cyril Hanouna : beaucoup de bruit", "Bernard Tapie",
            "Cyril Hanouna : racoleur", "Bernard Tapie : le bagou", "", "Bernard Tapie : commercial avant tout",
            "Cyril Hanouna", "Bernard Tapie", "Xavier Niel : casser les prix"],
        "place": [
            "un supermarché : des promos, des têtes de gondole", "un centre commercial : on ne sait pas à qui parler",
            "un supermarché : premier prix", "un hard discount", "un supermarché",
            "a supermarket : cheap, self-service", "un supermarché : libre-service", "un centre commercial",
            "un supermarché : sans conseiller", "un supermarché : le prix d'abord"],
        "object": [
            "une calculatrice : tout au centime", "un formulaire : il faut tout faire soi-même", "une calculatrice",
            "un formulaire : en ligne, mais sans aide", "une calculatrice", "a calculator",
            "une calculatrice : le tarif avant la personne", "un formulaire", "une calculatrice",
            "un cadenas : résilier chez eux, c'est un parcours du combattant"],
        "verb": ["vendre", "démarcher", "calculer", "vendre", "promettre", "to sell", "vendre", "promettre",
                 "calculer", "vendre"],
    },
}


def _sources() -> tuple[list[tuple[str, bytes]], dict[str, dict]]:
    files, meta = [], {}
    with open(IMAGES / "SOURCES.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            slug = row["file"][4:-4]
            files.append((row["file"], (IMAGES / row["file"]).read_bytes()))
            meta[row["file"]] = {"title": row["title"], "tags": row["tags"].split(";"), "valence": row["valence"],
                                 "obvious": slug in OBVIOUS, "author": row["author"], "licence": row["licence"],
                                 "source": f"{row['package']} {row['version']}".strip()}
    return files, meta


def build(db: sqlite_utils.Database) -> None:
    files, meta = _sources()
    report = I.import_files(db, files, metadata=meta)
    by_slug = {im.original_name[4:-4]: im for im in report.imported}
    pid = {code: i for code, i in db.execute("SELECT code, id FROM participants").fetchall()}

    # in person: six panels of 50, then the picks each participant made in their own panel
    table = PL.create_session(db, "Table ronde photolangage — La Rochelle", "in_person",
                              [pid[c] for c in ROUND_TABLE], panel_size=50, seed=2026, question=QUESTION,
                              target=BRAND, held_on="2026-10-07", max_picks=3,
                              notes="Salle de l'agence du Vieux-Port, 18 h 30 ; animation Claire, prise de notes Hugo.")
    for code, wishes in ROUND_TABLE.items():
        panel = set(PL.panel_of(db, table.id, pid[code]))
        kept = [(slug, words) for slug, words in wishes if by_slug[slug].id in panel][:3]
        for slug, words in kept:
            PL.add_pick(db, table.id, pid[code], by_slug[slug].code, words)

    # remote: one shared board of twenty offbeat photos
    remote = PL.create_session(db, "Photolangage à distance — visio du 15 octobre", "remote",
                               [pid[c] for c in REMOTE], seed=15, question=QUESTION, target=BRAND,
                               held_on="2026-10-15", max_picks=3, board=[by_slug[s].id for s in BOARD])
    for code, picks in REMOTE.items():
        for slug, words in picks:
            PL.add_pick(db, remote.id, pid[code], by_slug[slug].code, words)

    # the Chinese portrait, played by customers and by employees
    session = PT.create_session(db, "Portrait chinois — Alizé, Santéo, Prévia Direct", [BRAND, *COMPETITORS],
                                [pid[c] for c in PLAYERS], held_on="2026-10-14",
                                notes="Clients en atelier (8 oct.), collaborateurs au séminaire d'agence (14 oct.).")
    for target, categories in PORTRAIT.items():
        cells = {(pid[code], category): text for category, texts in categories.items()
                 for code, text in zip(PLAYERS, texts) if text}
        result = PT.save_grid(db, session.id, target, cells)
        if result.errors:
            raise result.errors[0][2]
