"""Downscale the chosen photographs into data/demo/images and write SOURCES.csv."""
import csv, sys
from pathlib import Path
from PIL import Image, ImageOps
Image.MAX_IMAGE_PIXELS = None
import os
X = Path(os.environ.get("DEBS_EXTRACTED", "/tmp/debs/x"))  # each .deb extracted with dpkg-deb -x into X/<package>
import sklearn
SK = Path(sklearn.__file__).parent / "datasets" / "images"
OUT = Path(__file__).parent
L16 = "lomiri-wallpapers-16.04/usr/share/backgrounds/"
L20 = "lomiri-wallpapers-20.04/usr/share/backgrounds/"
MN = "mate-backgrounds/usr/share/backgrounds/mate/nature/"
PW = "plasma-workspace-wallpapers/usr/share/wallpapers/"
PA = "palapeli-data/usr/share/palapeli/collection/"
PJ = "puzzle-jigsaw/usr/share/puzzle-jigsaw/samples/"
TX = "tuxpaint-data/usr/share/tuxpaint/templates/"
LOM16 = ("lomiri-wallpapers-16.04", "20.04.0-2")
LOM20 = ("lomiri-wallpapers-20.04", "20.04.0-2")
MATE = ("mate-backgrounds", "1.26.0-1")
PLASMA = ("plasma-workspace-wallpapers", "4:5.27.5-2")
PAL = ("palapeli-data", "4:22.12.3-1")
PJG = ("puzzle-jigsaw", "1.0.2+git20201007.527c529+dfsg-4+b1")
TUX = ("tuxpaint-data", "1:0.9.28-sdl2-1")
SKL = ("scikit-learn (PyPI)", "1.9.1")
# name, source path, package, author, licence, title (fr), tags, valence
P = [
 ("pont-haubans", L16+"Bridge_by_Sander_Klootwijk.jpg", LOM16, "Sander Klootwijk", "CC-BY-SA-4.0", "Haubans d'un pont sur un ciel clair", "architecture;ciel;lignes", "neutral"),
 ("libellule-feuillage", L16+"Dragonfly_by_Bolly.jpg", LOM16, "Bolly", "CC-BY-SA-4.0", "Feuillage au soleil", "nature;végétal;lumière", "positive"),
 ("figue-coupelle", L16+"Picture_0B_by_freespace.jpg", LOM16, "Trevor \"Freespace\"", "CC-BY-4.0", "Une figue dans une coupelle rouge", "nourriture;fruit;couleur", "positive"),
 ("pinceaux", L16+"Picture_1A_by_freespace.jpg", LOM16, "Trevor \"Freespace\"", "CC-BY-4.0", "Pinceaux de toutes les couleurs", "objet;création;couleur", "positive"),
 ("salon-vin", L16+"Wine_by_Jakkub_Mede.jpg", LOM16, "Jakub Mede", "CC-BY-4.0", "Un intérieur, une bouteille de vin sur la table", "intérieur;convivialité;maison", "positive"),
 ("montagne-automne", L16+"aitzgorri_by_Aitzol_Berasategi.jpg", LOM16, "Aitzol Berasategi", "CC-BY-4.0", "Montagne et forêt d'automne", "paysage;montagne;automne", "positive"),
 ("oiseau-lampes", L16+"free_by_Peter_Nerlich.jpg", LOM16, "Peter Nerlich", "CC-BY-SA-4.0", "Un oiseau en vol sous des lampes", "animal;liberté;intérieur", "positive"),
 ("chiens-fenetre", L16+"friends_by_Aitzol_Berasategi.jpg", LOM16, "Aitzol Berasategi", "CC-BY-4.0", "Deux chiens à la fenêtre", "animal;attente;amitié", "positive"),
 ("horloge", L16+"greentock_by_Peter_Nerlich.jpg", LOM16, "Peter Nerlich", "CC-BY-SA-4.0", "Une horloge murale", "objet;temps;attente", "neutral"),
 ("ruisseau-rochers", L16+"life_by_Aitzol_Berasategi.jpg", LOM16, "Aitzol Berasategi", "CC-BY-4.0", "Un ruisseau entre les rochers", "nature;eau;forêt", "positive"),
 ("sentier-montagne", L16+"picosdeeuropa_by_Aitzol_Berasategi.jpg", LOM16, "Aitzol Berasategi", "CC-BY-4.0", "Un sentier vers les sommets", "paysage;chemin;montagne", "positive"),
 ("pissenlits", L16+"seeding_by_Clements_Engelhardt.jpg", LOM16, "Clemens Engelhardt", "CC0-1.0", "Pissenlits en graines au couchant", "nature;fragilité;lumière", "positive"),
 ("coucher-soleil-plateau", L16+"sunset_by_Aitzol_Berasategi.jpg", LOM16, "Aitzol Berasategi", "CC-BY-4.0", "Soleil couchant sur un plateau", "paysage;soleil;horizon", "positive"),
 ("sittelle-tronc", L20+"Kleiber_by_Lukas_Baubkus.jpg", LOM20, "Lukas Baubkus", "CC-BY-SA-3.0", "Une sittelle sur un tronc", "animal;oiseau;nature", "neutral"),
 ("goutte-eau", MN+"Aqua.jpg", MATE, "Charles Barbin", "GPL-2.0-or-later", "Une goutte qui tombe dans l'eau", "eau;instant;pureté", "neutral"),
 ("feuille-nervures", MN+"Blinds.jpg", MATE, "Lennart Poettering, Andrea Cimitan", "GPL-2.0-or-later", "Nervures d'une feuille verte", "nature;végétal;structure", "positive"),
 ("dune-oyats", MN+"Dune.jpg", MATE, "Marco Cogoni, Hylke Bons", "GPL-2.0-or-later", "Oyats sur une dune face à la mer", "mer;vent;paysage", "positive"),
 ("fleur-orange", MN+"FreshFlower.jpg", MATE, "Jens Ansorg", "GPL-2.0-or-later", "Une fleur orange en gros plan", "fleur;couleur;vitalité", "positive"),
 ("oeillet-jardin", MN+"Garden.jpg", MATE, "Charles Barbin", "GPL-2.0-or-later", "Un œillet d'Inde au jardin", "fleur;jardin;couleur", "positive"),
 ("herbe-jeune", MN+"GreenMeadow.jpg", MATE, "Timothy Schellhase, Lapo Calamandrei", "GPL-2.0-or-later", "De l'herbe jeune", "nature;croissance;fraîcheur", "positive"),
 ("coccinelle", MN+"LadyBird.jpg", MATE, "Charles Barbin", "GPL-2.0-or-later", "Une coccinelle sur une tige", "animal;petit;chance", "positive"),
 ("gouttes-feuille", MN+"RainDrops.jpg", MATE, "blackcombwhistler07", "GPL-2.0-or-later", "Gouttes de pluie sur une feuille", "eau;pluie;végétal", "neutral"),
 ("orage-route", MN+"Storm.jpg", MATE, "Sergey Nazarov", "GPL-2.0-or-later", "Un orage qui approche sur la route", "météo;menace;route", "negative"),
 ("akene-fleur", MN+"TwoWings.jpg", MATE, "Charles Barbin, Hylke Bons", "GPL-2.0-or-later", "Une graine ailée sur une fleur", "nature;légèreté;fragilité", "positive"),
 ("bois-clair", MN+"Wood.jpg", MATE, "Jean-François Fortin Tam", "GPL-2.0-or-later", "Du bois clair, veiné", "matière;simplicité;texture", "neutral"),
 ("fleur-jaune", MN+"YellowFlower.jpg", MATE, "Charles Barbin", "GPL-2.0-or-later", "Une fleur jaune éclatante", "fleur;soleil;couleur", "positive"),
 ("chateau-maintenon", PA+"castle-maintenon.jpg", PAL, "Eric Pouhier", "GFDL-1.2-or-later", "Le château de Maintenon", "architecture;patrimoine;prestige", "neutral"),
 ("pont-suspendu-nuit", PA+"cincinnati-bridge.jpg", PAL, "Derek Jensen", "Public domain", "Un pont suspendu illuminé la nuit", "architecture;lien;ville", "positive"),
 ("agrumes", PA+"citrus-fruits.jpg", PAL, "US Department of Agriculture", "Public domain", "Tranches d'agrumes", "nourriture;fruit;vitalité", "positive"),
 ("abeille-aster", PA+"european-honey-bee.jpg", PAL, "John Severns", "Public domain", "Une abeille butine un aster", "animal;travail;nature", "positive"),
 ("cameleon", PA+"panther-chameleon-female.jpg", PAL, "B. Navez and others", "GFDL-1.2-or-later", "Un caméléon sur une branche", "animal;adaptation;étrange", "neutral"),
 ("ponton-lac", PW+"BytheWater/contents/images/2560x1600.jpg", PLASMA, "Maciej Wiklo", "LGPL-3.0", "Un ponton au bord de l'eau", "eau;calme;bois", "positive"),
 ("jetee-brume", PW+"ColdRipple/contents/images/2560x1600.jpg", PLASMA, "Risto Saukonpää", "LGPL-3.0", "Une jetée dans la brume", "eau;solitude;gris", "negative"),
 ("gobelets", PW+"ColorfulCups/contents/images/2560x1600.jpg", PLASMA, "Dmitri Popov", "LGPL-3.0", "Des gobelets de couleur empilés", "objet;série;couleur", "neutral"),
 ("lac-crepuscule", PW+"DarkestHour/contents/images/2560x1600.jpg", PLASMA, "Risto Saukonpää", "LGPL-3.0", "Un lac à l'heure bleue", "eau;nuit;calme", "neutral"),
 ("barques-soir", PW+"EveningGlow/contents/images/2560x1600.jpg", PLASMA, "Ian Hex", "LGPL-3.0", "Des barques amarrées au soleil couchant", "mer;repos;soir", "positive"),
 ("feuille-morte", PW+"FallenLeaf/contents/images/2560x1600.jpg", PLASMA, "Martin Klapetek", "LGPL-3.0", "Une feuille morte au sol", "automne;fin;nature", "negative"),
 ("facade-vagues", PW+"Grey/contents/images/2560x1600.jpg", PLASMA, "Sigi Sagi", "LGPL-3.0", "Une façade en vagues de métal", "architecture;modernité;froid", "neutral"),
 ("cerf-volant", PW+"Kite/contents/images/2560x1600.jpg", PLASMA, "Risto Saukonpää", "LGPL-3.0", "Un cerf-volant dans le ciel bleu", "vent;ciel;liberté", "positive"),
 ("mousse-etoilee", PW+"OneStandsOut/contents/images/2560x1600.jpg", PLASMA, "Risto Saukonpää", "LGPL-3.0", "Une pousse rousse parmi la mousse verte", "nature;différence;détail", "neutral"),
 ("chemin-foret", PW+"Path/contents/images/2560x1600.jpg", PLASMA, "Risto Saukonpää", "LGPL-3.0", "Un chemin dans la forêt", "chemin;forêt;parcours", "positive"),
 ("nuit-ete-lac", PW+"summer_1am/contents/images/2560x1600.jpg", PLASMA, "Risto Saukonpää", "LGPL-3.0", "Un lac sous le ciel d'une nuit d'été", "eau;calme;nuit", "positive"),
 ("chat-yeux-bleus", PJ+"cat-animal-cat-portrait-mackerel.jpg", PJG, "Pexels (photo 33537)", "CC0-1.0", "Un chat aux yeux bleus", "animal;regard;douceur", "neutral"),
 ("tigre-neige", PJ+"pexels-photo-302304.jpeg", PJG, "Pexels (photo 302304)", "CC0-1.0", "Un tigre qui avance dans la neige", "animal;force;danger", "negative"),
 ("ecorce-brulee", TX+"burnt_bark.jpg", TUX, "Bill Kendrick", "GPL-2.0-or-later", "Une écorce brûlée", "matière;épreuve;nature", "negative"),
 ("falaise", TX+"cliff.jpg", TUX, "Bill Kendrick", "GPL-2.0-or-later", "Une falaise vue d'en bas", "roche;obstacle;solidité", "neutral"),
 ("champ-mais", TX+"corn_maze.jpg", TUX, "Bill Kendrick", "GPL-2.0-or-later", "Une allée dans un champ de maïs", "labyrinthe;chemin;nature", "neutral"),
 ("meduses", TX+"jellyfish.jpg", TUX, "Bill Kendrick", "GPL-2.0-or-later", "Des méduses dans le bleu", "mer;étrange;flottement", "neutral"),
 ("phare", TX+"lighthouse.jpg", TUX, "Bill Kendrick", "GPL-2.0-or-later", "Un phare de brique", "mer;repère;protection", "positive"),
 ("ecorce-lichen", TX+"mossy_bark.jpg", TUX, "Bill Kendrick", "GPL-2.0-or-later", "Une écorce couverte de lichen", "matière;temps;nature", "neutral"),
 ("tronc-mousse", TX+"mossy_log.jpg", TUX, "Bill Kendrick", "GPL-2.0-or-later", "Un tronc couché couvert de mousse", "nature;temps;douceur", "neutral"),
 ("argile-sechee", TX+"mudstone.jpg", TUX, "Bill Kendrick", "GPL-2.0-or-later", "De l'argile durcie", "matière;sécheresse;sol", "negative"),
 ("eclaboussure", TX+"ocean_splash.jpg", TUX, "Bill Kendrick", "GPL-2.0-or-later", "Une gerbe d'écume", "mer;énergie;instant", "neutral"),
 ("vague", TX+"ocean_waves.jpg", TUX, "Bill Kendrick", "GPL-2.0-or-later", "Une vague qui déferle", "mer;force;mouvement", "positive"),
 ("sequoias", TX+"redwoods_above.jpg", TUX, "Bill Kendrick", "GPL-2.0-or-later", "Des séquoias vus d'en bas", "forêt;grandeur;protection", "positive"),
 ("galets", TX+"rocks.jpg", TUX, "Bill Kendrick", "GPL-2.0-or-later", "Une plage de galets", "mer;multitude;solidité", "neutral"),
 ("moutons-pre", TX+"sheep.jpg", TUX, "Bill Kendrick", "GPL-2.0-or-later", "Des moutons dans un pré", "animal;troupeau;campagne", "neutral"),
 ("toile-araignee", TX+"spiders_web.jpg", TUX, "Bill Kendrick", "GPL-2.0-or-later", "Une toile d'araignée", "piège;réseau;fragilité", "negative"),
 ("soleil-nuage", TX+"sun_behind_clouds.jpg", TUX, "Bill Kendrick", "GPL-2.0-or-later", "Le soleil derrière un nuage", "ciel;éclaircie;espoir", "positive"),
 ("soleil-feuilles", TX+"sun_behind_leaves.jpg", TUX, "Bill Kendrick", "GPL-2.0-or-later", "Le soleil à travers les feuilles", "lumière;nature;douceur", "positive"),
 ("cimes-ciel", TX+"trees_above.jpg", TUX, "Bill Kendrick", "GPL-2.0-or-later", "Les cimes des arbres et le ciel", "forêt;hauteur;respiration", "positive"),
 ("arbres-crepuscule", TX+"trees_at_dusk.jpg", TUX, "Bill Kendrick", "GPL-2.0-or-later", "Des branches nues au crépuscule", "hiver;silhouette;mélancolie", "negative"),
 ("machine-filature", TX+"wool_mill_machine.jpg", TUX, "Bill Kendrick", "GPL-2.0-or-later", "Les engrenages d'une machine de filature", "machine;complexité;rouages", "negative"),
 ("pagode-chine", str(SK/"china.jpg"), SKL, "Daniel Buechele (danielbuechele, Flickr)", "CC-BY-2.0", "Une pagode parmi les arbres", "architecture;voyage;tradition", "neutral"),
 ("fleur-rose", str(SK/"flower.jpg"), SKL, "vultilion (Flickr)", "CC-BY-2.0", "Une fleur rose et une abeille", "fleur;nature;douceur", "positive"),
]
rows = []
for i, (name, src, (pkg, ver), author, lic, title, tags, val) in enumerate(P, 1):
    s = Path(src) if src.startswith("/") else X / src
    im = Image.open(s); im = ImageOps.exif_transpose(im).convert("RGB"); im.thumbnail((640, 640), Image.LANCZOS)
    fname = f"{i:03d}-{name}.jpg"
    im.save(OUT / fname, "JPEG", quality=80, optimize=True, progressive=True)
    orig = ("sklearn/datasets/images/" + s.name) if pkg.startswith("scikit") else "/" + src.split("/", 1)[1]
    source = ("https://pypi.org/project/scikit-learn/ (sklearn/datasets/images/README.txt)" if pkg.startswith("scikit")
              else f"Debian bookworm package {pkg} {ver} (see /usr/share/doc/{pkg}/copyright)")
    rows.append({"file": fname, "title": title, "tags": tags, "valence": val, "author": author, "licence": lic,
                 "package": pkg, "version": ver, "original_path": orig, "source": source})
with open(OUT / "SOURCES.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0])); w.writeheader(); w.writerows(rows)
print(len(rows))
