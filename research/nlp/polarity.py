"""Lexicon polarity of an utterance, with negation, intensifiers and contrast, in French and English.

Lexicons come from registry packages (textblob-fr's French adjectives; VADER's English lexicon), the
French translation of VADER's lexicon (vaderSentiment-fr, MIT, vendored in `resources/`) for the French
words textblob-fr lacks ("gâché", "incompétent", "déçoit"), and a small customer-experience
lexicon of our own in `resources/` that overrides them for words that carry a verdict in service talk
("attente", "rappelé", "delayed"); its entry for a lemma speaks for all the lemma's forms ("assureur" at 0
silences the translated lexicon's "assureurs"). The scorer walks the tokens:

- a negator within the three preceding tokens flips and damps a word's polarity
  ("n'est pas clair", "not helpful"), and so does a French "ne ... pas" frame around it or just
  before it ("je ne le recommande pas"), or a word saying that the quality is missing ("manque de
  chaleur", "lacking warmth");
- a set expression of our lexicon ("laisse à désirer", "worth every penny", "be back") speaks as one
  word at its last place; a negation before it or among its gaps turns it round ("ne vaut vraiment
  pas le détour", "won't be back"), unless the negator is its own ("rien à redire");
- negators, contrast words, an intensifier before a verdict, and topic words the translated
  lexicon got wrong ("prix", "sinistre") carry no polarity of their own;
- an intensifier just before a word strengthens it ("très lent", "really slow", "bien dommage");
- an excess blames: "trop" or "too" turns the praise that follows into blame ("trop rapide", "too
  sweet"), except in colloquial praise ("trop bon"), and blames by itself before a word with no
  verdict ("trop de monde", "too small"); "pas assez" and "not enough" say something is short
  ("pas assez cuit", "not enough staff");
- "moins" and "less" reverse the word they qualify: "moins cher" and "less expensive" praise, "moins
  bien" and "less reliable" blame ("au moins", "less than" reverse nothing); so do "peu" and "barely"
  ("peu aimable", "barely edible"; not "un peu cher");
- a time says speed or a wait with no verdict word: a short one after "en", "dans l'", "within"
  ("remboursé en quarante-huit heures", "within an hour") is praise, any after "au bout de" and
  weeks or months taken ("took three weeks", "il a fallu un mois") blame;
- an effort the customer was made to make ("j'ai dû", "il a fallu", "I had to") is blame, and so is a task
  the customer could not do ("je n'ai pas pu payer", "j'arrive pas à me connecter", "I was unable to log
  in") when nothing in its clause is a verdict, unless it is memory, opinion or praise phrased as a denial
  ("je ne peux pas vous dire", "I can't wait", "je ne peux pas m'en passer");
- a comparison after "jamais", "never" or "could not" is not negated: "jamais été aussi bien reçue" and
  "I couldn't be happier" are praise, "never seen service this slow" blame;
- after a contrast ("mais", "par contre", "but", "that said") the clause weighs more than before it, because that is
  where the speaker's verdict usually lies; a concession ("même si", "bien que", "malgré", "although",
  "despite") weighs less than the clause it concedes to, whether it opens the sentence ("même si
  c'était long, elle a été parfaite") or follows it ("elle a été parfaite, même si c'était long");
- expectation markers ("j'aurais aimé", "il faudrait", "I wish", "should") raise a flag: an
  expectation voiced is an unmet need, usually an irritant;
- what a wish or a regret describes did not happen ("j'aurais aimé un simple message", "ils auraient
  pu être plus aimables", "I would have liked a call"): from the counterfactual to the end of its
  clause, polar words are flipped and damped as under a negation, the wish verb included;
- an utterance made of nothing but courtesies to the interviewer ("Bonjour, pas de souci, avec
  plaisir", "Hello, no problem at all") is marked as such: the classifier codes it neutral;
- an absence ("aucun suivi", "pas de réponse", "il manque une fourchette", "no update", "nobody
  called") is counted when what is missing carries no polarity: the lack of a service the
  customer expected, usually an irritant. When what is missing is itself a verdict ("aucun souci", "no waiting") the negation
  rule has already turned it into praise, and it is not an absence.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from research.nlp.spoken import CLAUSE_STARTS

RESOURCES = Path(__file__).resolve().parent / "resources"

NEGATORS = {
    "fr": {"pas", "jamais", "aucun", "aucune", "rien", "sans", "ni", "guère", "nullement", "personne"},
    "en": {"not", "n't", "no", "never", "nothing", "without", "hardly", "nobody", "none", "neither", "nor",
           "cannot", "didn't", "don't", "doesn't", "isn't", "wasn't", "won't", "can't", "couldn't"},
}
INTENSIFIERS = {
    "fr": {"très", "trop", "vraiment", "super", "hyper", "extrêmement", "tellement", "vachement",
           "complètement", "totalement", "particulièrement", "absolument", "si", "franchement", "bien",
           # adjectives of size before a verdict noun: "une énorme déception", "un vrai bonheur"
           "énorme", "immense", "véritable", "vrai", "vraie", "gros", "grosse", "total", "totale"},
    "en": {"very", "really", "so", "extremely", "too", "totally", "absolutely", "incredibly", "super",
           "completely", "particularly", "truly", "utterly", "pretty",
           "huge", "enormous", "massive", "total", "utter", "absolute", "complete", "real"},
}
CONTRASTS = {
    "fr": {"mais", "cependant", "pourtant", "toutefois", "néanmoins", "sauf", "hélas"},
    "en": {"but", "however", "yet", "except", "unfortunately"},
}
# contrasts of two words, found at their second ("par contre", "en revanche", "that said", "on the other hand")
CONTRAST_PAIRS = {
    "fr": {("par", "contre"), ("en", "revanche"), ("cela", "dit"), ("ceci", "dit"), ("n'", "empêche")},
    "en": {("that", "said"), ("even", "so"), ("other", "hand")},
}
# concessions: the clause they open concedes a point, and the verdict lies in the clause it concedes
# to ("même si c'était long, elle a été parfaite"); found at their last word
CONCESSIONS = {
    "fr": {"quoique", "quoiqu'", "malgré"},
    "en": {"although", "though", "whereas", "despite", "notwithstanding"},
}
CONCESSION_PAIRS = {
    "fr": {("même", "si"), ("même", "s'"), ("bien", "que"), ("bien", "qu'"), ("en", "dépit")},
    "en": {("even", "if"), ("even", "though")},
}
CONCESSION_OPENERS = {"fr": set(), "en": {"while"}}  # concessions only when they open the sentence
# not a concession after these: "aussi bien que" compares, "ça fait du bien que" pleases
NOT_CONCEDING_BEFORE = {"aussi", "autant", "si", "tout", "du", "le", "de"}
EXPECTATION = {
    "fr": re.compile(r"\b(j'aurais (aimé|voulu|préféré|apprécié)|il faudrait|faudrait|ce serait (bien|mieux|bien)"
                     r"|ça serait|j'aimerais|on aimerait|je m'attendais|j'attendais|devrai(en)?t|pourquoi ne pas"
                     r"|si seulement|il manque|manque de|ils pourraient|on pourrait|il faut qu"
                     r"|gagnerai(en)?t à|mériterai(en)?t d)", re.I),
    "en": re.compile(r"\b(i wish|should|would be (nice|good|great|better)|i'd like|i would like|i expected"
                     r"|it would help|why not|they need to|if only|lack of|there is no way to|could they"
                     r"|would benefit from|could do with)", re.I),
}

# what an interviewee says to open or close the talk ("Bonjour, avec plaisir", "No problem, go ahead"): an
# utterance made of nothing else judges no service, though "plaisir" and "no problem" read as praise
_FR_COURTESY = (r"bonjour|bonsoir|salut|oui|bien sûr|avec plaisir|c'est avec plaisir|volontiers|pas de soucis?"
                r"|pas de problème|aucun (?:souci|problème)|je vous en prie|allez-y|je vous écoute|d'accord"
                r"|merci à vous|merci à toi|bonne (?:fin de )?(?:journée|soirée)|de rien|pas de quoi|entrez(?: donc)?"
                r"|c'est (?:bien )?normal|c'est tout naturel|(?:ça|cela) me fait plaisir"
                r"|j'aime (?:bien )?rendre service")
_EN_COURTESY = (r"hello|hi|good (?:morning|afternoon|evening)|yes|sure|of course|with pleasure|my pleasure"
                r"|no problem(?: at all)?|not at all|(?:i'm |i am )?(?:happy|glad) to help|go ahead"
                r"|you're welcome|thanks to you(?: too)?|thank you too|(?:do )?come in|have a (?:good|nice) day"
                r"|(?:it's|it is) the least i can do|glad to be of help")
COURTESY = {lang: re.compile(rf"^(?:[\W_]*(?:{alternatives})(?![\w'’]))+[\W_]*$", re.I)
            for lang, alternatives in (("fr", _FR_COURTESY), ("en", _EN_COURTESY))}
# lukewarm verdicts: an evaluative word that says "neither good nor bad" ("correct, sans plus", "it was fine")
LUKEWARM = {
    "fr": re.compile(r"\b(correcte?s?|sans plus|rien d'(extraordinaire|exceptionnel|incroyable|original|inoubliable)"
                     r"|rien de (spécial|particulier|fou|transcendant|mémorable|plus)|ni plus ni moins|ni bon ni mauvais"
                     r"|moyen(ne)?s?(?! d)|passables?|convenables?|acceptables?|quelconques?|classiques?|basiques?"
                     r"|standards?|honnêtes?|ordinaires?|dans la moyenne|ça passe|ça dépanne"
                     r"|mouais|ni chaud ni froid|sans (surprise|plus)|comme ailleurs)\b", re.I),
    "en": re.compile(r"\b(fine|ok(ay)?|decent|average|alright|all right|acceptable|adequate|so-so|reasonable"
                     r"|nothing (special|to write home about|fancy|more|remarkable|much)|not bad|standard|basic"
                     r"|ordinary|unremarkable|passable|middling|fair enough|mixed|as expected|no more, no less"
                     r"|neither good nor bad|does the job|serviceable|run of the mill|so so|meh)\b", re.I),
}


# excess: "trop rapide", "too sweet" blame what would be praise in the right measure, and "trop de monde",
# "too small" complain with no verdict word at all; except in the colloquial praise of "trop bon", "too cute"
EXCESS = {"fr": {"trop"}, "en": {"too"}}
EXCESS_PRAISE = {
    "fr": {"bon", "bonne", "bons", "bonnes", "bien", "beau", "belle", "beaux", "belles", "mignon", "mignonne", "sympa",
           "cool", "génial", "géniale", "top", "fort", "chou", "drôle", "mimi", "aimer", "aimé", "adorer", "adoré",
           "kiffer", "kiffé", "hâte",
           "envie", "content", "contente", "contents", "heureux", "heureuse", "gentil", "gentille", "gentils",
           "agréable", "classe", "stylé", "magnifique"},
    "en": {"good", "cute", "adorable", "funny", "kind", "happy", "glad"},
}
# after "too", what makes it "also" rather than "excessively" ("the staff were lovely too, and ...")
NOT_EXCESS_NEXT = {"and", "but", "or", "as", "i", "we", "they", "he", "she", "it", "you", "the", "a", "an", "so",
                   "which", "who", "that", "when", "if", "because", "though", "lol"}
EXCESS_VALUE = -0.4  # "trop" or "too" before a word with no polarity: "trop de monde", "too small"
# insufficiency: "pas assez cuit", "not enough staff"; the negation is the phrase's own
PLAIN_NEGATORS = {"fr": {"pas", "plus", "jamais"}, "en": {"not", "n't", "never"}}  # "pas assez", "not able to"
INSUFFICIENT = {"fr": (PLAIN_NEGATORS["fr"], "assez"), "en": (PLAIN_NEGATORS["en"], "enough")}
INSUFFICIENT_VALUE = -0.5
# a negated comparison is praise or blame as it stands: "jamais mangé aussi bien", "never had such good
# service", "jamais vu un service aussi lent"; the negator stops acting on the words it compares
NEVER = {"fr": {"jamais", "rarement"}, "en": {"never", "rarely", "seldom"}}
COMPARATIVES = {"fr": {"aussi", "si", "autant", "tellement", "mieux", "meilleur", "meilleure", "meilleurs",
                       "meilleures", "pire", "pires"},
                "en": {"so", "as", "such", "this", "better", "best", "worse", "worst"}}
COMPARISON_REACH = 5  # words after "jamais" where the comparative may stand ("jamais été reçus aussi bien")
# after "could not": "on ne pouvait pas être mieux reçus", "couldn't have been more helpful" (and "happier",
# "easier": any comparative in -ier)
ABILITY_COMPARATIVES = {"fr": {"mieux", "meilleur", "meilleure", "meilleurs", "meilleures"},
                        "en": {"better", "more", "nicer", "simpler", "quicker", "faster", "kinder", "smoother"}}


@dataclass
class Polarity:
    positive: float = 0.0
    negative: float = 0.0
    polar_words: int = 0
    negations: int = 0
    contrast: bool = False
    expectation: bool = False
    question: bool = False
    compound: float = 0.0  # VADER's compound score (English), else the net score squashed
    lukewarm: int = 0  # lukewarm verdicts ("correct", "sans plus", "fine", "nothing special")
    absences: int = 0  # something expected that did not happen or is missing ("aucun suivi", "no reply")
    courtesy: bool = False  # nothing but courtesies to the interviewer ("Bonjour, avec plaisir"); not a feature
    # each polar word's value where it was said, by position, once negations, measures and wishes are read
    # ("pas un humain": "humain" counts against); not a feature
    word_values: dict[int, float] = field(default_factory=dict, compare=False, repr=False)

    @property
    def net(self) -> float:
        return self.positive - self.negative

    def features(self) -> list[float]:
        return [self.positive, self.negative, self.net, min(self.polar_words, 5) / 5,
                min(self.negations, 3) / 3, float(self.contrast), float(self.expectation),
                float(self.question), self.compound, min(self.lukewarm, 2) / 2, min(self.absences, 2) / 2]


FEATURE_COUNT = len(Polarity().features())


def _read_tsv(path: Path) -> dict[str, float]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        form, _, value = line.partition("\t")
        out[form.strip().lower()] = float(value)
    return out


def _read_vader_fr() -> dict[str, float]:
    """vaderSentiment-fr's French lexicon ("forme->valeur", -4 to 4), single words only, scaled to [-1, 1]."""
    out = {}
    for line in (RESOURCES / "vader_fr_lexicon.txt").read_text(encoding="utf-8").splitlines():
        form, _, value = line.rpartition("->")
        form = form.strip().lower()
        if form and " " not in form and form.replace("-", "").replace("'", "").isalpha():
            try:
                out[form] = max(-1.0, min(1.0, float(value) / 3.0))
            except ValueError:
                continue
    return out


def package_file(package: str, name: str) -> Path:
    """A data file inside an installed package, found without importing it (textblob-fr pulls in NLTK,
    about three seconds, for a file we only read)."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(package)
    return Path(next(iter(spec.submodule_search_locations))) / name


@lru_cache(maxsize=1)
def french_adjectives() -> dict[str, list[float]]:
    """textblob-fr's French adjectives: form → the polarity of each of its senses (empty without the package)."""
    senses: dict[str, list[float]] = {}
    try:
        for w in ET.parse(package_file("textblob_fr", "fr-sentiment.xml")).getroot().iter("word"):
            form = (w.get("form") or "").lower()
            if form and " " not in form:
                senses.setdefault(form, []).append(float(w.get("polarity") or 0))
    except (ImportError, OSError, ET.ParseError):
        return {}
    return senses


@lru_cache(maxsize=2)
def lexicon(lang: str) -> dict[str, float]:
    """Word form → polarity in [-1, 1]."""
    words: dict[str, float] = {}
    if lang == "fr":
        words = {k: sum(v) / len(v) for k, v in french_adjectives().items() if any(v)}
        for form, value in _read_vader_fr().items():
            words.setdefault(form, value)
    else:
        try:
            path = package_file("vaderSentiment", "vader_lexicon.txt")
            for line in path.read_text(encoding="utf-8").splitlines():
                parts = line.split("\t")
                if len(parts) >= 2 and " " not in parts[0]:
                    words[parts[0].lower()] = max(-1.0, min(1.0, float(parts[1]) / 3.0))
        except (ImportError, OSError, ValueError):
            words = {}
    words.update({form: value for form, value in _read_tsv(RESOURCES / f"cx_lexicon_{lang}.tsv").items()
                  if " " not in form})
    words.update(signs())
    return words


@lru_cache(maxsize=1)
def signs() -> dict[str, float]:
    """Emoji and emoticons ("👎", "😡", ":(", "<3"), read alike in both languages."""
    return _read_tsv(RESOURCES / "cx_lexicon_signs.tsv")


# adverbs that may sit inside a set expression without breaking it ("laisse vraiment à désirer", "ne vaut
# pas le détour": the negation still turns it round, through the "ne ... pas" frame)
EXPRESSION_GAPS = {
    "fr": {"pas", "plus", "jamais", "guère", "point", "vraiment", "très", "trop", "même", "toujours", "encore",
           "franchement", "absolument", "carrément", "complètement", "beaucoup", "un", "peu"},
    "en": {"really", "truly", "definitely", "certainly", "just", "even", "not", "n't", "never", "always"},
}
EXPRESSION_GAP_MAX = 2  # such words, in one expression


@lru_cache(maxsize=2)
def expressions(lang: str) -> dict[str, list[tuple[tuple[str, ...], float]]]:
    """Set expressions of our customer-experience lexicon (its entries of several words), by first
    word, longest first: "laisser à désirer", "passer * chemin", "worth every penny". A part matches
    a token's form or its lemma; "*" matches any one token."""
    out: dict[str, list[tuple[tuple[str, ...], float]]] = {}
    for form, value in _read_tsv(RESOURCES / f"cx_lexicon_{lang}.tsv").items():
        parts = tuple(form.split())
        if len(parts) > 1 and parts[0] != "*":
            out.setdefault(parts[0], []).append((parts, value))
    for entries in out.values():
        entries.sort(key=lambda e: -len(e[0]))
    return out


def _expression_spans(words: list[str], lemmas: list[str] | None, lang: str) -> list[tuple[int, int, float, bool]]:
    """(start, end, polarity, whether the expression holds its own negator: "rien à redire") of each
    set expression found, left to right, without overlaps."""
    table, gaps = expressions(lang), EXPRESSION_GAPS.get(lang, set())
    if not table:
        return []

    def accentless_a(j: int) -> bool:  # "A éviter": a capital "À" typed without its accent, opening a sentence
        return lang == "fr" and words[j] == "a" and (j == 0 or words[j - 1] in CLAUSE_ENDS)

    def matches(part: str, j: int) -> bool:
        return (part == "*" or part == words[j] or (lemmas is not None and j < len(lemmas) and part == lemmas[j])
                or (part == "à" and accentless_a(j)))

    def end_of(parts: tuple[str, ...], i: int) -> int | None:
        j, skipped = i, 0
        for k, part in enumerate(parts):
            while (k and j < len(words) and skipped < EXPRESSION_GAP_MAX and words[j] in gaps
                   and not matches(part, j)):
                j, skipped = j + 1, skipped + 1
            if j >= len(words) or not matches(part, j):
                return None
            j += 1
        return j

    spans, i = [], 0
    while i < len(words):
        candidates = table.get(words[i], []) + (table.get("à", []) if accentless_a(i) else [])
        if lemmas is not None and i < len(lemmas) and lemmas[i] != words[i]:
            candidates = sorted(candidates + table.get(lemmas[i], []), key=lambda e: -len(e[0]))
        found = next(((parts, value, end) for parts, value in candidates
                      if (end := end_of(parts, i)) is not None), None)
        if found is None:
            i += 1
            continue
        parts, value, end = found
        spans.append((i, end, value, any(part in NEGATORS[lang] for part in parts)))
        i = end
    return spans


@lru_cache(maxsize=2)
def own_words(lang: str) -> frozenset[str]:
    """The single words of our customer-experience lexicon, and its signs."""
    words = (form for form in _read_tsv(RESOURCES / f"cx_lexicon_{lang}.tsv") if " " not in form)
    return frozenset(words) | frozenset(signs())


def _lookup(lex: dict[str, float], word: str, lemma: str | None, own: frozenset[str] = frozenset()) -> float | None:
    """The word's polarity: our lexicon's entry for its lemma speaks for all its forms, unless the form
    has its own ("assureurs", which the translated lexicon scores, takes "assureur"'s 0); then the form's,
    a plural's singular, the lemma's."""
    if lemma is not None and lemma != word and lemma in own and word not in own:
        return lex[lemma]
    value = lex.get(word)
    if value is None and word.endswith("s") and len(word) > 4:
        value = lex.get(word[:-1])
    if value is None and lemma is not None:
        value = lex.get(lemma)
    return value


NE = {"ne", "n'"}
# what completes "ne" into a negation; "ne ... que" is a restriction ("je n'ai que des éloges"), not one
NEGATION_COMPLETERS = {"pas", "plus", "jamais", "rien", "guère", "point", "aucun", "aucune", "personne"}


# words a negation reaches across without their counting in its reach: the quantifiers of the noun phrase
# it denies and the verb of having before them ("je n'ai jamais eu le moindre problème",
# "I've never had a single problem", "jamais eu un seul souci"); a punctuation mark stops the reach
NEGATION_TRANSPARENT = {
    "fr": {"moindre", "seul", "seule", "eu"},
    "en": {"any", "single", "slightest", "ever", "once", "had", "have", "has", "'ve"},
}
NEGATION_REACH = 3  # words a negation reaches, the transparent ones not counted


def _reached(words: list[str], positions: Iterable[int], lang: str) -> list[int]:
    """The positions among `positions` (walked in order, away from the negation) that a negation reaches."""
    out, counted = [], 0
    transparent = NEGATION_TRANSPARENT[lang]
    for j in positions:
        if counted == NEGATION_REACH:
            break
        if words[j] in transparent:
            out.append(j)
            continue
        if not any(c.isalnum() for c in words[j]):
            break
        out.append(j)
        counted += 1
    return out


# before "personne", words that make it "a person", not "nobody": "la personne m'a rappelée", "une personne
# très aimable", "venir en personne" (not "de personne": "aucune nouvelle de personne")
A_PERSON_BEFORE = {"la", "une", "cette", "chaque", "quelle", "toute", "seule", "même", "bonne", "autre", "première",
                   "dernière", "jeune", "vieille", "grande", "petite", "vraie", "ma", "ta", "sa", "votre", "notre",
                   "leur", "en", "l'"}


def _negates_at(words: list[str], j: int, negators: set[str]) -> bool:
    if words[j] == "personne" and j > 0 and words[j - 1] in A_PERSON_BEFORE:
        return False
    return _negates(words[j], negators)


def _negates(word: str, negators: set[str]) -> bool:
    return word in negators or word.endswith("n't")


def _french_negation_frames(words: list[str]) -> set[int]:
    """Positions negated by a French "ne ... pas" frame: the verb inside it ("je ne le recommande pas")
    and the three words after its second half ("je ne suis plus du tout satisfait"). The word-window
    rule alone sees only negators before a word, and "ne" is not one by itself. "Personne ne" and
    "rien ne" negate the verb that follows ("personne n'a été aimable", "rien ne m'a déçu")."""
    out: set[int] = set()
    for j, w in enumerate(words):
        if w not in NE:
            continue
        if j > 0 and words[j - 1] in ("personne", "rien"):  # "personne ne m'a aidé", "rien ne m'a déçu"
            out.update(range(j + 1, min(len(words), j + 4)))
            continue
        close = next((c for c in range(j + 1, min(len(words), j + 5)) if words[c] in NEGATION_COMPLETERS), None)
        if close is not None:
            out.update(range(j + 1, close))
            out.update(_reached(words, range(close + 1, len(words)), "fr"))
    return out


# words that say "none of": what follows is missing ("aucun suivi", "pas de réponse", "no update")
ABSENCE_MARKERS = {
    "fr": {"aucun", "aucune", "sans", "jamais"},  # "le colis n'est jamais arrivé", as "never arrived"
    "en": {"no", "nobody", "never", "without", "none", "noone"},
}
ABSENCE_PAIRS = {"fr": {("pas", "de"), ("pas", "d'"), ("plus", "de"), ("plus", "d'"), ("toujours", "pas"),
                        ("pas", "encore")},  # "je n'ai toujours pas reçu ma carte", "pas encore été payé"
                 "en": {("not", "a"), ("not", "any"), ("not", "one")}}
# determiners between the marker and what is missing ("pas de mon dossier", "no update on my claim")
ABSENCE_DETERMINERS = {
    "fr": {"de", "d'", "du", "des", "la", "le", "les", "l'", "mon", "ma", "mes", "son", "sa", "ses", "leur",
           "votre", "notre", "un", "une", "autre", "autres"},
    "en": {"a", "an", "the", "my", "their", "your", "our", "one", "single", "other", "such", "of"},
}
# after "personne", what makes it "nobody" ("personne ne répond", "personne à qui parler", and as said aloud,
# without "ne": "personne m'a rappelé") rather than "a person"
NOBODY_NEXT = {"ne", "n'", "à", "pour", "m'", "me", "nous", "vous", "lui", "leur", "s'", "se"}
# set phrases that only look like an absence ("sans doute", "sans cesse", "no longer", "no idea")
NOT_ABSENCES = {
    "fr": {"doute", "cesse", "plus", "moins", "façon", "manière", "compter", "oublier", "que", "qu'", "quoi",
           "ni", "en", "y", "idée", "surprise", "surprises", "rien", "peu",  # "aucune surprise": nothing missing
           # "pas d'autre remarque", "no further comments": the end of an interview
           "remarque", "remarques", "commentaire", "commentaires", "question", "questions"},
    "en": {"longer", "doubt", "matter", "wonder", "way", "sooner", "more", "less", "than", "idea", "surprise",
           "surprises", "comment", "comments", "remark", "remarks", "question", "questions"},
}


def _spoken_nobody(words: list[str], lemmas: list[str] | None, i: int) -> bool:
    """ "personne savait", "personne répond": "nobody" said without "ne", as people speak; a clause's
    subject (after one of spoken.CLAUSE_STARTS) followed by a conjugated verb (its lemma an infinitive
    other than the word itself)."""
    if lemmas is None or i + 1 >= len(lemmas) or (i > 0 and words[i - 1] not in CLAUSE_STARTS):
        return False
    after, lemma = words[i + 1], lemmas[i + 1]
    return lemma != after and lemma.endswith(("er", "ir", "re", "oir"))


def _absences(words: list[str], values: list[float | None], lang: str, inside: set[int] = frozenset(),
              compared: set[int] = frozenset(), lemmas: list[str] | None = None) -> int:
    """Absences of something with no polarity of its own: "aucun suivi", "pas de réponse", "no update",
    "manque de suivi", "lack of communication".

    What is missing is the first word after the marker and its determiners; when a word there is
    polar, the negation rule reads the phrase instead ("aucun problème" is praise)."""
    markers, pairs = ABSENCE_MARKERS[lang] | LACKS[lang], ABSENCE_PAIRS[lang]
    determiners, set_phrases = ABSENCE_DETERMINERS[lang], NOT_ABSENCES[lang]
    transparent = NEGATION_TRANSPARENT[lang]
    count = 0
    missing: set[int] = set()
    for i, w in enumerate(words):
        if i in inside:  # "sans faute", "in no time": a set expression, not an absence
            continue
        if w in markers:
            start = i + 1
        elif i + 1 < len(words) and (w, words[i + 1]) in pairs:
            start = i + 2
        elif (lang == "fr" and w == "personne" and i + 1 < len(words)
              and (words[i + 1] in NOBODY_NEXT or _spoken_nobody(words, lemmas, i))
              and (i == 0 or words[i - 1] not in determiners | A_PERSON_BEFORE)):
            count += 1  # "personne à qui parler", "personne ne répond": nobody, not a person
            continue
        else:
            continue
        span = _reached(words, range(start, len(words)), lang)  # "never had a single problem": "problem"
        if any(values[j] or j in compared for j in span):
            continue  # a polar word the negation reads, or a comparison ("jamais mangé aussi bien")
        target = next((j for j in span if words[j] not in determiners and words[j] not in transparent), None)
        if (target is not None and words[target] not in set_phrases and words[target].isalpha()
                and len(words[target]) > 2):
            missing.add(target)  # once, though "toujours pas" and "pas de" both reach "remboursement"
    return count + len(missing)


# counterfactual frames: what follows describes what the customer wanted, not what happened
CONDITIONAL_AVOIR = {"aurais", "aurait", "aurions", "auriez", "auraient"}
WISHED_PARTICIPLES = {"aimer", "vouloir", "préférer", "apprécier", "souhaiter", "adorer", "falloir", "devoir",
                      "pouvoir", "être", "aimé", "voulu", "préféré", "apprécié", "souhaité", "adoré", "fallu",
                      "dû", "pu", "été"}
CONDITIONAL_ETRE = {"serait", "seraient"}
# "j'aimerais qu'on me prévienne", "je voudrais bien qu'ils rappellent": wanting what someone else does or
# did not do, a wish about the service (the verb itself praises nothing)
WANTING_THAT = {"aimerais", "aimerait", "aimerions", "voudrais", "voudrait", "voudrions", "souhaiterais",
                "souhaiterait", "souhaiterions", "préférerais", "préférerait", "préférerions"}
# "le service gagnerait à être plus rapide", "le site mériterait d'être plus clair": what would do it good
CONDITIONAL_BENEFIT = {"gagnerait", "gagneraient", "mériterait", "mériteraient"}
ENGLISH_BENEFIT = {("would", "benefit", "from"), ("could", "do", "with"), ("'d", "benefit", "from")}
ENGLISH_MODALS = {"would", "'d", "could", "should", "might"}
CLAUSE_ENDS = {".", "!", "?", ";", "…"}
CLAUSE_JOINS = {",", "et", "car", "parce", "puisque", "and", "because", "since"}


_SCOPE_TOKENS = re.compile(r"\w+|[^\w\s]")
_APOSTROPHES = {"'", "’"}
# a negation's reach in raw text ends at punctuation or at a contrast ("pas cher, mais bon")
SCOPE_ENDS = ({".", ",", ";", ":", "!", "?", "…", "(", ")", "-", '"', "«", "»"} | (CLAUSE_JOINS - {","})
              | CONTRASTS["fr"] | CONTRASTS["en"])
ENGLISH_NOT_STEMS = {"don", "doesn", "didn", "isn", "wasn", "aren", "weren", "won", "can", "couldn", "wouldn",
                     "shouldn", "haven", "hasn", "hadn", "ain", "mustn", "needn"}
# the same typed without the apostrophe ("isnt", "cant"); not "dont", a French word ("le dossier dont je parle")
ENGLISH_FUSED_NOTS = {stem + "t" for stem in ENGLISH_NOT_STEMS} - {"dont"}
# negators read in raw text of either language: what follows them, to the scope's end, is negated
SCOPE_OPENERS = (NEGATORS["fr"] - {"personne"}) | {w for w in NEGATORS["en"] if "'" not in w} | ENGLISH_FUSED_NOTS


def negation_scopes(text: str) -> list[tuple[int, int]]:
    """Character spans of the words a negation governs, in raw text of either language, without a
    parse: after "pas", "jamais", "sans", "not", "never", "no", "-n't" up to the next punctuation or
    contrast ("n'est jamais DÉÇU, et", "not HELPFUL AT ALL"), and from a "ne" that a "pas" or "jamais"
    completes ("je ne RECOMMANDE pas"; "ne ... que" restricts, negates nothing). "Personne" opens
    one only before "ne" ("personne ne m'a rappelé", not "une personne aimable"). The negators
    themselves are left out: they carry their own weight."""
    tokens = [(m.group(), m.start(), m.end()) for m in _SCOPE_TOKENS.finditer(text)]
    low = [t.lower() for t, _, _ in tokens]
    opens: list[int] = []  # index of the first negated token of each scope
    for i, w in enumerate(low):
        after_apostrophe = i + 1 < len(low) and low[i + 1] in _APOSTROPHES
        if w in ("ne", "n") and (w == "ne" or after_apostrophe):
            start = i + (2 if after_apostrophe else 1)
            ahead = low[start:start + 5]
            ends = next((k for k, a in enumerate(ahead) if a in SCOPE_ENDS), len(ahead))
            if any(a in NEGATION_COMPLETERS for a in ahead[:ends]):
                opens.append(start)
        elif w == "t" and i >= 2 and low[i - 1] in _APOSTROPHES and low[i - 2] in ENGLISH_NOT_STEMS:
            opens.append(i + 1)
        elif w in SCOPE_OPENERS or (w == "personne" and i + 1 < len(low) and low[i + 1] in ("ne", "n")):
            opens.append(i + 1)
    negated: set[int] = set()
    for start in opens:
        for k in range(start, len(low)):
            if low[k] in SCOPE_ENDS:
                break
            negated.add(k)
    return [(tokens[k][1], tokens[k][2]) for k in sorted(negated)
            if low[k].isalpha() and low[k] not in SCOPE_OPENERS and low[k] not in NEGATION_COMPLETERS
            and low[k] not in ("ne", "n", "t")]


LACKS = {
    "fr": {"manque", "manquent", "manquait", "manquaient", "manquant", "manquer", "manqué", "manquera"},
    "en": {"lack", "lacks", "lacked", "lacking"},
}
LACK_REACH = 4  # words after "manque" / "lacks" that it can take ("manque un peu de chaleur")


def _clause_from(words: list[str], start: int, contrasts: set[int], stops: set[str],
                 reach: int | None = None) -> list[int]:
    """Positions from `start` to the clause's next break (a stop word or a contrast), at most `reach`."""
    end = len(words) if reach is None else min(len(words), start + reach)
    out = []
    for j in range(start, end):
        if words[j] in stops or j in contrasts:
            break
        out.append(j)
    return out


def _compared(words: list[str], lang: str, contrasts: set[int], abilities: dict[int, int]) -> set[int]:
    """Positions a "never" or a "could not" compares rather than negates: from the comparative after
    "jamais", "never", a negated "pouvoir" or "could" to the end of its clause or the next negator ("je
    n'ai jamais été aussi bien reçu", "never had better", "on ne pouvait pas être mieux reçus", "I couldn't
    be happier"; but not "aimable" in "jamais aussi rapide mais pas aimable")."""
    after_never = COMPARATIVES[lang].__contains__
    after_could_not = lambda w: w in ABILITY_COMPARATIVES[lang] or (lang == "en" and w.endswith("ier"))  # noqa: E731
    starts = [(i + 1, after_never) for i, w in enumerate(words) if w in NEVER[lang]]
    starts += [(start, after_could_not) for start in abilities.values()]
    out: set[int] = set()
    stops = CLAUSE_ENDS | CLAUSE_JOINS
    for start, is_comparative in starts:
        c = next((j for j in _clause_from(words, start, contrasts, stops, COMPARISON_REACH)
                  if is_comparative(words[j])), None)
        if c is not None:
            out.update(_clause_from(words, c, contrasts, stops | NEGATORS[lang]))
    return out


def _measures(words: list[str], lemmas: list[str] | None, values: list[float | None],
              lang: str) -> tuple[set[int], dict[int, float], set[int]]:
    """Excess and insufficiency: the positions whose praise an excess turns to blame ("trop rapide",
    "too sweet"), the values of "trop", "too", "pas assez", "not enough" when no verdict word
    follows them ("trop de monde", "pas assez cuit", "not enough staff"), and which of those are
    insufficiencies, whose negator is their own."""
    turned: set[int] = set()
    own: dict[int, float] = {}
    insufficient: set[int] = set()
    praise = EXCESS_PRAISE[lang]
    negators, word = INSUFFICIENT[lang]
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        polar_next = i + 1 < len(values) and bool(values[i + 1])
        if w in EXCESS[lang]:
            if not nxt.replace("'", "").isalpha() or (lang == "en" and nxt in NOT_EXCESS_NEXT):
                continue
            if polar_next:
                lemma = lemmas[i + 1] if lemmas is not None and i + 1 < len(lemmas) else nxt
                if (values[i + 1] or 0) > 0 and nxt not in praise and lemma not in praise:
                    turned.add(i + 1)
            elif nxt not in praise:
                own[i] = EXCESS_VALUE
        elif w == word and i > 0 and words[i - 1] in negators and not polar_next:
            own[i] = INSUFFICIENT_VALUE
            insufficient.add(i)
    return turned, own, insufficient


# "moins" and "less" reverse the word they qualify: "moins cher", "moins d'attente" and "less expensive"
# praise, "moins bien" and "less reliable" blame; not "au moins", "plus ou moins", "less than". So do
# "peu" and "barely": "peu aimable", "peu de choix" and "barely edible" blame, "peu d'attente" and
# "barely any wait" praise; not "un peu cher" (a little), "à peu près", "peu à peu", "depuis peu"
LESS = {"fr": {"moins", "peu"}, "en": {"less", "barely", "scarcely"}}
NOT_LESS_BEFORE = {"fr": {"au", "ou", "ni", "à", "un", "quelque", "sous", "depuis"}, "en": {"or", "no", "more"}}
NOT_LESS_AFTER = {"fr": {"que", "qu'", "à"}, "en": {"than"}}
LESS_GAPS = {"fr": {"de", "d'", "en", "un", "peu"}, "en": {"of", "a", "bit", "any"}}
LESS_REACH = 3  # words after "moins" where the qualified word may stand ("moins de temps d'attente")

# how long it took: a service done "en quarante-huit heures", "dans l'heure", "within a day" is praised
# for its speed, and a thing that came "au bout de trois semaines" or "took three weeks" is a wait
SHORT_UNITS = {"fr": {"seconde", "secondes", "minute", "minutes", "min", "heure", "heures", "journée", "jour", "jours"},
               "en": {"second", "seconds", "minute", "minutes", "min", "mins", "hour", "hours", "day", "days"}}
LONG_UNITS = {"fr": {"semaine", "semaines", "mois", "an", "ans", "année", "années"},
              "en": {"week", "weeks", "month", "months", "year", "years"}}
GLUED_UNIT = re.compile(r"^\d+(h|min|mn|s|sec)$")  # "48h", "10min"
DAYS = {"jour", "jours", "journée", "day", "days"}
NUMBER_WORDS = {
    "fr": {"un", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze",
           "quinze", "vingt", "trente", "quarante", "cinquante", "soixante", "cent"},
    "en": {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "fifteen",
           "twenty", "thirty", "forty", "fifty"},
}
# numbers of days that are quick ("en trois jours"); "en quinze jours" and "within ten days" are not
FEW = {"un", "une", "deux", "trois", "one", "two", "three", "1", "2", "3"}
# what may stand between "en", "within", "took"... and the unit: numbers and the words around them
QUANTITIES = {
    "fr": NUMBER_WORDS["fr"] | {"-", "et", "quelques", "moins", "de", "d'", "à", "peine", "seulement", "petite",
                                "petites", "demi", "l'", "la", "les", "même"},
    "en": NUMBER_WORDS["en"] | {"a", "an", "few", "couple", "of", "under", "less", "than", "just", "only", "about",
                                "around", "nearly", "almost", "over", "more", "half", "-", "the", "same", "me", "us",
                                "them", "him", "her"},
}
FAST_FRAMES = {"fr": {"en", "sous", "dans"}, "en": {"within", "in"}}
TAKES = {"fr": {"prend", "prennent", "prenait", "pris"}, "en": {"take", "takes", "took", "taking", "taken"}}
DURATION_VALUE = 0.5


def _fast_frame(frame: str, first: str, counted: bool, unit: str) -> bool:
    """Whether a short time after `frame` says how fast: "en deux jours", "in ten minutes" and
    "within the hour" do; "dans deux jours" and "in the days that followed" say when."""
    if frame == "dans":
        return (first in ("l'", "la") and not unit.endswith("s")) or (first == "les" and counted)
    return frame == "within" or counted


def _durations(words: list[str], lang: str) -> dict[int, float]:
    """Speed and waits, at the unit's place: +0.5 for a short time after "en", "sous", "dans l'",
    "within", "in" ("remboursé en quarante-huit heures", "dans l'heure", "within an hour") or for
    seconds taken ("ça prend trente secondes", "it takes seconds"); -0.5 for any time after "au bout
    de", or for weeks or months taken ("took almost three weeks", "il a fallu un mois")."""
    out: dict[int, float] = {}
    short, long_, quantities = SHORT_UNITS[lang], LONG_UNITS[lang], QUANTITIES[lang]
    for i, w in enumerate(words):
        if w in FAST_FRAMES[lang]:
            kind = "fast"
        elif w in TAKES[lang] or (w == "fallu" and lang == "fr"):
            kind = "takes"
        elif lang == "fr" and w == "bout" and i > 0 and words[i - 1] == "au":
            kind = "wait"
        else:
            continue
        j, counted = i + 1, False
        while j < len(words) and j - i <= 5 and (words[j] in quantities or words[j].isdigit()):
            counted = counted or words[j] not in ("l'", "la", "les", "the", "de", "d'", "of")
            j += 1
        if j >= len(words) or j == i + 1 and kind != "takes":
            continue
        unit = words[j]
        is_short, is_long = unit in short or bool(GLUED_UNIT.match(unit)), unit in long_
        if (kind == "fast" and unit in DAYS
                and any((q in NUMBER_WORDS[lang] or q.isdigit()) and q not in FEW for q in words[i + 1:j])):
            is_short = False  # "en quinze jours" is not quick ("au bout de quinze jours" is a wait)
        if kind == "wait" and (is_short or is_long):
            out[j] = -DURATION_VALUE
        elif kind == "fast" and is_short and _fast_frame(w, words[i + 1], counted, unit):
            out[j] = DURATION_VALUE
        elif kind == "takes" and unit in ("secondes", "seconds", "second", "seconde"):
            out[j] = DURATION_VALUE
        elif kind == "takes" and is_long:
            out[j] = -DURATION_VALUE
    return out


# an effort the customer was made to make: "j'ai dû rappeler", "il a fallu tout renvoyer", "I had to call"
EFFORT_VALUE = -0.4
AVOIR = {"ai", "as", "a", "avons", "avez", "ont", "avais", "avait", "avions", "aviez", "avaient"}
EFFORT_SUBJECTS = {"i", "we", "you", "they", "he", "she", "'ve", "have", "has"}


def _efforts(words: list[str], lang: str) -> set[int]:
    """Positions of "dû" and "fallu" after "avoir", and of "had" in "I had to"."""
    out = set()
    for i, w in enumerate(words):
        before = words[i - 1] if i > 0 else ""
        # "du" is often "dû" misspelt ("j'ai du rappeler"), but not in "il y a du monde"
        if lang == "fr" and w in ("dû", "du", "fallu") and before in AVOIR and not (w == "du" and "y" in words[i - 2:i]):
            out.add(i)
        elif lang == "en" and w == "had" and i + 1 < len(words) and words[i + 1] == "to" and before in EFFORT_SUBJECTS:
            out.add(i)
    return out


# what the customer could not do: "je n'ai pas pu modifier mon adresse", "je n'arrive pas à me connecter",
# "pas moyen de payer", "I can't change my address online", "I was unable to log in", "there is no way
# to export". Interview talk voices a blocked task as plainly as this, with no verdict word for the
# lexicon to read ("impossible de joindre" has one).
INABILITY_VALUE = -0.5
VERDICT_FLOOR = 0.25  # weaker words do not make a verdict of the clause (VADER's "pay", -0.13 here)
FRENCH_ABILITY_LEMMAS = {"pouvoir": False, "arriver": True, "réussir": True, "parvenir": True}  # lemma: needs "à"
ABILITY_FORMS = {"peux", "peut", "peuvent", "pouvons", "pouvez", "pouvais", "pouvait", "pouvions", "pouviez",
                 "pouvaient", "pu", "pourrai", "pourra", "pourrons", "pourrez", "pourront", "puisse", "puissent"}
FRENCH_COMPLETERS = NEGATION_COMPLETERS - {"aucun", "aucune", "personne"}  # "je ne peux pas", "on ne peut rien"
# words between the ability verb and what could not be done: clitics, adverbs, the negation's end
ABILITY_GAPS = {
    "fr": FRENCH_COMPLETERS | {"ne", "n'", "me", "m'", "te", "t'", "se", "s'", "nous", "vous", "le", "la", "l'",
                               "les", "lui", "leur", "y", "en", "vraiment", "même", "toujours", "encore", "à"},
    "en": {"really", "even", "just", "actually", "ever", "always", "simply", "still"},
}
# what one "cannot" do that blames nothing: opinions and memory ("je ne peux pas vous dire", "I can't
# remember"), praise phrased as a denial ("on ne peut pas se plaindre", "can't beat the price", "couldn't
# be happier", "je ne peux pas m'en passer"), and "can't wait"
NOT_BLOCKED = {
    "fr": {"dire", "savoir", "imaginer", "croire", "penser", "rêver", "plaindre", "demander", "nier", "comparer",
           "être", "empêcher", "oublier", "reprocher", "juger", "garantir", "espérer", "souhaiter", "affirmer",
           "confirmer", "répondre"},
    "en": {"say", "tell", "remember", "recall", "think", "imagine", "believe", "wait", "complain", "fault", "beat",
           "be", "live", "ask", "thank", "praise", "stop", "argue", "miss", "go", "see", "speak", "comment",
           "blame", "knock", "expect", "deny", "guarantee", "decide", "compare", "judge", "answer", "put"},
}
ENOUGH = {"fr": {"assez", "trop"}, "en": {"enough", "more"}}  # "can't thank them enough", "couldn't agree more"


def _ability_starts(words: list[str], lemmas: list[str] | None, lang: str) -> dict[int, int]:
    """The negated ability verbs: position of the verb → position after it where the blocked task may start."""
    out = {}
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if lang == "en":
            if w in ("ca", "can", "could") and nxt in ("n't", "not"):
                out[i] = i + 2
            elif w in ("can", "could") and words[i + 1:i + 3] == ["no", "longer"]:
                out[i] = i + 3
            elif w in ("cannot", "can't", "couldn't"):
                out[i] = i + 1
            elif w == "unable" and nxt == "to":
                out[i] = i + 2
            elif w == "able" and nxt == "to" and PLAIN_NEGATORS["en"].intersection(words[max(0, i - 3):i]):
                out[i] = i + 2
            elif w == "way" and nxt == "to" and i > 0 and words[i - 1] == "no":
                out[i] = i + 2
            continue
        if w == "moyen" and i > 0 and words[i - 1] == "pas" and nxt in ("de", "d'"):
            out[i] = i + 2  # "pas moyen de payer"
            continue
        lemma = lemmas[i] if lemmas is not None and i < len(lemmas) else ""
        if lemma not in FRENCH_ABILITY_LEMMAS and not (w in ABILITY_FORMS and not lemma):
            continue
        if not FRENCH_COMPLETERS.intersection(words[max(0, i - 2):i] + words[i + 1:i + 3]):
            continue
        needs_a = FRENCH_ABILITY_LEMMAS.get(lemma or "pouvoir", False)
        if needs_a and "à" not in words[i + 1:i + 4]:
            continue
        out[i] = i + 1
    return out


def _inabilities(words: list[str], lemmas: list[str] | None, values: list[float | None], lang: str,
                 contrasts: set[int], abilities: dict[int, int]) -> set[int]:
    """Positions of the negated ability verbs (`_ability_starts`) that say a task could not be done, when
    nothing in its clause is a verdict (a verdict there is read by the negation rule: "on ne peut pas se
    plaindre")."""
    out = set()
    gaps, stops = ABILITY_GAPS[lang], CLAUSE_ENDS | CLAUSE_JOINS
    for i, start in abilities.items():
        j = start
        skipped = []
        while j < len(words) and words[j] in gaps and j not in contrasts:
            skipped.append(words[j])
            j += 1
        if j >= len(words) or not words[j].isalpha() or words[j] in stops:
            continue  # "I can't.", "je ne peux pas."
        task = lemmas[j] if lemmas is not None and j < len(lemmas) and lemmas[j] else words[j]
        if task in NOT_BLOCKED[lang] or words[j] in NOT_BLOCKED[lang] or (task == "passer" and "en" in skipped):
            continue
        clause = _clause_from(words, j, contrasts, stops, 6)
        if (any(abs(values[k] or 0.0) >= VERDICT_FLOOR for k in clause)
                or ENOUGH[lang].intersection(words[k] for k in clause)):
            continue
        out.add(i)
    return out


def _lessened(words: list[str], values: list[float | None], lang: str, contrasts: set[int]) -> set[int]:
    """Positions whose polarity a "moins", "peu" or "less" before them reverses."""
    out = set()
    stops = CLAUSE_ENDS | CLAUSE_JOINS | NEGATORS[lang]
    for i, w in enumerate(words):
        if (w not in LESS[lang] or (i > 0 and words[i - 1] in NOT_LESS_BEFORE[lang])
                or (i + 1 < len(words) and words[i + 1] in NOT_LESS_AFTER[lang])):
            continue
        for j in _clause_from(words, i + 1, contrasts, stops, LESS_REACH):
            if values[j]:
                out.add(j)
                break
            if words[j] not in LESS_GAPS[lang] and words[j] not in INTENSIFIERS[lang]:
                break
    return out


def contrast_positions(words: list[str], lang: str) -> set[int]:
    """Where a contrast stands: a contrast word ("mais", "but"), or the second word of a contrast of
    two ("par contre", "that said"). What follows weighs more, and a wish or a lack stops there."""
    single, pairs = CONTRASTS[lang], CONTRAST_PAIRS[lang]
    return {i for i, w in enumerate(words) if w in single or (i > 0 and (words[i - 1], w) in pairs)}


def concession_positions(words: list[str], lang: str) -> set[int]:
    """Where a concession stands (its last word): "même si", "bien que", "malgré", "although",
    "despite", "even if"; "while" only when it opens the sentence ("while" also says when)."""
    single, pairs, openers = CONCESSIONS[lang], CONCESSION_PAIRS[lang], CONCESSION_OPENERS[lang]
    out = set()
    for i, w in enumerate(words):
        pair = i > 0 and (words[i - 1], w) in pairs
        if pair and w in ("que", "qu'") and i > 1 and words[i - 2] in NOT_CONCEDING_BEFORE:
            continue
        if w in single or pair or (w in openers and (i == 0 or words[i - 1] in CLAUSE_ENDS)):
            out.add(i)
    return out


def _concession_start(words: list[str], c: int, lang: str) -> int:
    """The first word of the concession whose last word stands at `c` ("même" of "même si")."""
    return c - 1 if c > 0 and (words[c - 1], words[c]) in CONCESSION_PAIRS[lang] else c


def _emphasis(words: list[str], lang: str, contrasts: set[int], conceding: set[int]) -> list[float]:
    """How much each word's polarity counts. After a contrast, more than before it ("c'était long,
    mais elle a été parfaite"). In a concession, less than in the clause it concedes to, which
    follows when the concession opens its sentence ("même si c'était long, elle a été parfaite") and
    precedes otherwise ("elle a été parfaite, même si c'était long"); beside a contrast, the
    contrast says where the verdict is."""
    n = len(words)
    cut = min((i for i in contrasts if i > 0), default=None)
    weights = [1.0] * n if cut is None else [0.5 if i < cut else 1.5 for i in range(n)]
    breaks = contrasts | conceding
    for c in sorted(conceding):
        conceded = _clause_from(words, c + 1, breaks, CLAUSE_ENDS | {","})
        first = _concession_start(words, c, lang)
        if cut is None:
            if first == 0 or words[first - 1] in CLAUSE_ENDS:
                end = conceded[-1] + 1 if conceded else c + 1
                main = _clause_from(words, end + 1 if end < n and words[end] == "," else end, breaks, CLAUSE_ENDS)
            else:
                start = max((j + 1 for j in range(first) if words[j] in CLAUSE_ENDS), default=0)
                main = range(start, first)
            for j in main:
                weights[j] = 1.5
        for j in conceded:
            weights[j] = 0.5
    return weights


def _lack_frames(words: list[str], lang: str, contrasts: set[int]) -> set[int]:
    """Positions whose quality is said to be missing: "l'accueil manque un peu de chaleur", "a
    service lacking warmth"; up to the clause's next break."""
    lacks, stops = LACKS[lang], CLAUSE_ENDS | CLAUSE_JOINS
    out: set[int] = set()
    for i, w in enumerate(words):
        if w in lacks:
            out.update(_clause_from(words, i + 1, contrasts, stops, LACK_REACH))
    return out


def _lemma_reader(words: list[str], lemmas: list[str] | None):
    """The lemma at a position, or the word where lemmas are not known."""
    return lambda j: lemmas[j] if lemmas is not None and j < len(lemmas) else words[j]


# English verbs of expecting, in the forms that follow "didn't" or "never": the past forms too, because
# the score may be asked without lemmas, and the lemma table reads "thought" and "felt" as nouns first
EXPECTING_VERBS = {"think", "thought", "expect", "expected", "imagine", "imagined", "believe", "believed",
                   "know", "knew", "guess", "guessed"}
# verbs of opinion whose negation speaks for the clause they introduce ("on ne peut pas dire que le cadre
# soit agréable", "I don't think it was worth it", "I can't say I was impressed"): the negation is raised
# to the verb that opines, but it is the clause's verdict that is denied
OPINION_VERBS = {
    "fr": {"dire", "penser", "croire", "trouver", "estimer", "considérer", "sembler", "paraître", "affirmer",
           "prétendre", "qualifier"},
    "en": {"think", "thought", "say", "said", "feel", "felt", "believe", "find", "found", "call", "consider",
           "reckon", "suppose"},
}
OPINION_REACH = 3  # words from the negation to the verb of opinion ("ne peut pas vraiment dire")
# after the verb, what makes the phrase praise of its own rather than a denial ("I can't say enough good things")
NOT_OPINION_NEXT = {"en": {"enough", "more"}, "fr": {"assez", "trop"}}


def _denied_clauses(words: list[str], lemmas: list[str] | None, lang: str, contrasts: set[int]) -> set[int]:
    """Positions of a clause denied through the verb of opinion that introduces it: "je ne dirais pas
    que c'est compliqué" (praise), "I wouldn't call it a great service" (blame); French wants "que"
    after the verb, English takes the clause as it comes ("that" or none). A clause told in the
    conditional reports an expectation that was beaten, not a denial ("je ne pensais pas que ce serait
    si rapide", "I never thought it would be so easy"): it keeps its verdict."""
    lemma = _lemma_reader(words, lemmas)

    out: set[int] = set()
    for i, w in enumerate(words):
        if lang == "fr":  # from "ne", with what completes it: the verb may stand inside ("ne pense pas")
            close = (next((c for c in range(i + 1, min(len(words), i + 5)) if words[c] in NEGATION_COMPLETERS),
                          None) if w in NE else None)
            if close is None:  # "je n'en dis que du bien" restricts, it does not deny
                continue
            reach = close + 1 + OPINION_REACH
        elif w in NEGATORS["en"]:
            reach = i + 1 + OPINION_REACH
        else:
            continue
        verb = next((j for j in range(i + 1, min(len(words), reach)) if lemma(j) in OPINION_VERBS[lang]), None)
        if verb is None or any(words[j] in CLAUSE_ENDS or j in contrasts for j in range(i + 1, verb + 1)):
            continue
        start = verb + 1
        if start < len(words) and words[start] in NOT_OPINION_NEXT[lang]:
            continue
        if lang == "fr":  # "dirais pas que", "peux pas vous dire que"
            start = next((j + 1 for j in range(start, min(len(words), start + 3)) if words[j] in ("que", "qu'")),
                         None)
            if start is None:
                continue
        elif start < len(words) and words[start] == "that":
            start += 1
        clause = _clause_from(words, start, contrasts, CLAUSE_ENDS | CLAUSE_JOINS)
        if any(words[j] in ("would", "could", "'d") or (lang == "fr" and words[j].endswith(("rait", "raient")))
               for j in clause):
            continue
        out.update(clause)
    return out


def _wanted_clause(words: list[str], i: int) -> int | None:
    """Where the wished clause starts after "j'aimerais (bien) que" or "ce que j'aimerais, c'est que":
    the position after "que"."""
    for j in range(i + 1, min(len(words), i + 5)):
        if words[j] in ("que", "qu'"):
            return j + 1
        if words[j] not in ("bien", "tant", "vraiment", "beaucoup", ",", "c'", "ce", "est", "ça", "serait"):
            return None
    return None


def _wish_frames(words: list[str], lemmas: list[str] | None, values: list[float | None], lang: str,
                 contrasts: set[int]) -> set[int]:
    """Positions inside a wish or a regret, from its verb to the end of the clause.

    French: a past conditional of wanting or being able ("j'aurais aimé", "il aurait fallu", "ils
    auraient pu", "ça aurait été bien"), "il faudrait", "ce serait" before a verdict ("ce serait
    plus simple", but not "je ne pensais pas que ce serait si rapide"), "si seulement", what would do
    it good ("gagnerait à être plus rapide", "mériterait d'être plus clair"). English: a modal perfect
    ("would have liked", "could have been better", "should've called", but not "I'd have to"), "I
    wish", "if only", "it would be nice" (but not "I didn't think it would be so easy"), "would
    benefit from", "could do with". A present conditional that speaks of the speaker ("j'aimerais
    revenir", "I'd love to come back") is left alone: it is as often an intention as an unmet wish;
    wanting that someone else does something ("j'aimerais qu'on me prévienne") is a wish.
    When the counterfactual is passive or a copula ("de beaux verres auraient été appréciés", "a
    heads-up would have been nice"), the clause's subject is the wished thing, and the scope starts
    with the clause.
    """
    lemma = _lemma_reader(words, lemmas)

    def beaten(j: int) -> bool:  # a verb of expecting, negated: "didn't think", "never expected"
        return (j > 0 and (words[j] in EXPECTING_VERBS or lemma(j) in EXPECTING_VERBS)
                and any(words[k] in NEGATORS[lang] for k in range(max(0, j - 2), j)))

    out: set[int] = set()
    for i, w in enumerate(words):
        start = None
        nxt = words[i + 1: i + 3]
        if lang == "fr":
            if w in CONDITIONAL_AVOIR and any(x in WISHED_PARTICIPLES or lemma(i + 1 + k) in WISHED_PARTICIPLES
                                              for k, x in enumerate(nxt)):
                start = i + 1
            elif w == "faudrait" or (w == "seulement" and i > 0 and words[i - 1] == "si"):
                start = i + 1
            elif w in WANTING_THAT and (wanted := _wanted_clause(words, i)) is not None:
                start = wanted
            elif w in CONDITIONAL_BENEFIT and nxt[:1] and nxt[0] in ("à", "d'", "de"):
                start = i  # the verb's own praise ("gagner", "mériter") is wished too
            elif (w in CONDITIONAL_ETRE and i > 0 and words[i - 1] in ("ce", "ça", "cela")
                  and not (i > 1 and words[i - 2] in ("que", "qu'"))  # "je ne pensais pas que ce serait si rapide"
                  and any(values[j] for j in range(i + 1, min(len(words), i + 3)))):
                start = i + 1
        else:
            if w in ENGLISH_MODALS and nxt[:1] and nxt[0] in ("have", "'ve") and nxt[1:] != ["to"]:  # not "I'd have to"
                start = i + 2
            elif w in ("wish", "wished") and i > 0 and words[i - 1] in ("i", "we"):
                start = i
            elif w == "only" and i > 0 and words[i - 1] == "if":
                start = i + 1
            elif i > 0 and (words[i - 1], w, *nxt[:1]) in ENGLISH_BENEFIT:
                start = i
            elif (w in ("would", "'d") and i > 0 and words[i - 1] in ("it", "that", "this")
                  and nxt[:1] == ["be"] and not beaten(i - 2)):  # not "I didn't think it would be so easy"
                start = i + 1
        if start is None:
            continue
        out.update(_clause_from(words, start, contrasts, CLAUSE_ENDS))
        if start < len(words) and words[start] in ("été", "been"):
            # "de beaux verres auraient été appréciés", "a heads-up would have been nice": the wished
            # thing is the subject, before the verb (back to the clause's start)
            for j in range(i - 1, -1, -1):
                if words[j] in CLAUSE_ENDS or j in contrasts or words[j] in CLAUSE_JOINS:
                    break
                out.add(j)
    return out


def _is_operator(word: str, i: int, values: list[float | None], neg, inten, contr) -> bool:
    """Negators and contrast words act on their neighbours and carry no polarity of their own (the
    translated VADER lexicon gives "vraiment" +0.6, VADER "no" -0.4); nor does an intensifier that
    strengthens the next word ("super lent"), though one that stands alone keeps its own ("c'était super")."""
    if word in neg or word in contr:
        return True
    return word in inten and i + 1 < len(values) and bool(values[i + 1])


@lru_cache(maxsize=1)
def _vader():
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    return SentimentIntensityAnalyzer()


def score(words: list[str], text: str, lang: str, lemmas: list[str] | None = None) -> Polarity:
    """Polarity of one utterance from its lower-cased tokens (and their lemmas, aligned, when known:
    "caoutchouteuses" is found under "caoutchouteux")."""
    lang = lang if lang in NEGATORS else "fr"
    lex, neg, inten = lexicon(lang), NEGATORS[lang], INTENSIFIERS[lang]
    contr = CONTRASTS[lang] | CONCESSIONS[lang] | CONCESSION_OPENERS[lang]
    contrasting, conceding = contrast_positions(words, lang), concession_positions(words, lang)
    emphasis = _emphasis(words, lang, contrasting, conceding)
    contrasts = contrasting | conceding  # where clauses break, for the frames below
    pos = negv = 0.0
    polar = negations = 0
    word_values: dict[int, float] = {}
    own = own_words(lang)
    values = [_lookup(lex, w, lemmas[i] if lemmas is not None and i < len(lemmas) else None, own)
              for i, w in enumerate(words)]
    for i, w in enumerate(words):  # "j'aimerais qu'on me prévienne": a wish, no praise of anything
        if lang == "fr" and w in WANTING_THAT and _wanted_clause(words, i) is not None:
            values[i] = 0.0
    for c in conceding:  # "bien que" concedes, it does not praise
        values[_concession_start(words, c, lang)] = values[c] = 0.0
    # a set expression speaks as one word, at its last: "laisse à désirer" is a complaint though "désirer"
    # is positive, and the "rien" of "rien à redire" negates nothing outside the expression
    heads: set[int] = set()  # the last position of each expression
    inside: set[int] = set()  # its other positions
    self_negated: set[int] = set()  # negated by nothing outside: "rien à redire", "sans faute", "pas assez"
    negated_inside: set[int] = set()  # heads of expressions with a negator among their gaps ("won't be back")
    spans = _expression_spans(words, lemmas, lang)
    for start, end, value, own_negation in spans:
        values[start:end] = [0.0] * (end - start - 1) + [value]
        heads.add(end - 1)
        inside.update(range(start, end - 1))
        if own_negation:
            self_negated.add(end - 1)
        elif any(w in neg or w.endswith("n't") for w in words[start:end - 1]):
            negated_inside.add(end - 1)
    framed = _french_negation_frames(words) if lang == "fr" else set()
    framed |= _denied_clauses(words, lemmas, lang, contrasts)
    # a frame that reaches into an expression negates all of it ("personne n'a réglé mon problème")
    framed |= {end - 1 for start, end, _, own in spans if not own and framed.intersection(range(start, end))}
    wished = _wish_frames(words, lemmas, values, lang, contrasts)
    lacking = _lack_frames(words, lang, contrasts)
    abilities = _ability_starts(words, lemmas, lang)  # "je n'ai pas pu", "I couldn't"
    compared = _compared(words, lang, contrasts, abilities)
    excessive, measured, insufficient = _measures(words, lemmas, values, lang)
    for i, value in measured.items():  # "trop de monde" ("pas trop de monde" is praise), "pas assez cuit"
        values[i] = value
    self_negated |= insufficient
    lessened = _lessened(words, values, lang, contrasts)
    for i in _efforts(words, lang):  # "j'ai dû rappeler"
        if not values[i]:
            values[i] = EFFORT_VALUE
    for i in _inabilities(words, lemmas, values, lang, contrasts, abilities):  # "je n'ai pas pu payer", "I can't log in"
        values[i] = INABILITY_VALUE
        self_negated.add(i)  # the negation is what says the blame
    for i, value in _durations(words, lang).items():  # "remboursé en deux jours", "au bout de trois semaines"
        values[i] = value
        lessened.discard(i)  # "en moins de 10 min" is fast, not slow
    bridged: set[int] = set()  # words a negation reached across (see NEGATION_TRANSPARENT)
    for i, w in enumerate(words):
        value = values[i]
        if not value or (i not in heads and _is_operator(w, i, values, neg, inten, contr)):
            continue
        polar += 1
        reached = [j for j in _reached(words, range(i - 1, -1, -1), lang) if j not in inside]
        by_window = any(_negates_at(words, j, neg) for j in reached)
        if i in excessive or i in lessened:
            value *= -0.7  # "trop rapide", "too sweet"; "moins cher", "less reliable"
        if i in self_negated or i in compared:
            pass  # "rien à redire", "sans faute", "pas assez": the negation is the phrase's own
        elif i in framed or i in lacking or i in negated_inside or by_window:
            value *= -0.7
            negations += 1
            if lang == "en" and by_window and not any(_negates(words[j], neg) for j in reached if j >= i - 3):
                # reached across "had a single": VADER, which looks three words back, reads it without them
                bridged.update(j for j in reached if words[j] in NEGATION_TRANSPARENT[lang])
        if i > 0 and words[i - 1] in inten:
            value *= 1.5
        if i in wished:
            value *= -0.7
        word_values[i] = value
        value *= emphasis[i]
        if value > 0:
            pos += value
        else:
            negv -= value
    compound = 0.0
    if lang == "en" and _vader() is not None and not wished:  # VADER reads a wish as praise
        # nor does it read the expressions our lexicon says judge nothing ("worried me a great deal")
        silent = {j for start, end, value, _ in spans if not value for j in range(start, end)} | bridged
        said = " ".join(w for j, w in enumerate(words) if j not in silent) if silent else text
        compound = _vader().polarity_scores(said)["compound"]
    else:
        net = pos - negv
        compound = net / (abs(net) + 1.0)
    return Polarity(positive=pos, negative=negv, polar_words=polar, negations=negations,
                    contrast=any(w != 1.0 for w in emphasis), expectation=bool(EXPECTATION[lang].search(text or "")),
                    question=(text or "").rstrip().endswith("?"), compound=compound,
                    lukewarm=len(LUKEWARM[lang].findall(text or "")),
                    absences=_absences(words, values, lang, inside | heads, compared, lemmas),
                    courtesy=bool(COURTESY[lang].match((text or "").strip())), word_values=word_values)
