"""The synthesis: what the coded utterances say, aggregated for a consultant to show and check.

Pure functions over a list of `CodedUtterance` records (built from the stored analysis by
`research.synthesis_store.load_coded`): the irritants and enchantments ranked by how many people
raised them and how strongly, the emotional curve along the journey steps (per persona too), the
touchpoint heatmap (step x channel), theme and persona summaries, and the agreement between the
machine and the researcher. No I/O here: every figure can be checked on a handful of records.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from research.nlp.themes import MISCELLANEOUS_ID, MISCELLANEOUS_LABELS  # what has no subject of its own: ranked last

IRRITANT, ENCHANTMENT, NEUTRAL = "irritant", "enchantment", "neutral"
EXPECTATION = "expectation"  # not a label: a flag an irritant (or a remark) may carry
LABELS = (IRRITANT, ENCHANTMENT, NEUTRAL)
CUSTOMER_KINDS = ("customer", "prospect", "ex_customer")
EMPLOYEE = "employee"
SORTS = ("score", "frequency", "intensity")


@dataclass(frozen=True)
class CodedUtterance:
    """One utterance of a participant with what the analysis (or the researcher) said of it."""

    utterance_id: int
    text: str
    label: str = NEUTRAL
    confidence: float = 0.0
    intensity: float = 0.0            # 0..1, how strongly it is felt
    expectation: bool = False         # the customer wanted something they did not get
    theme_id: str | None = None
    theme_label: str = ""
    dimension: str | None = None      # relational | service | experiential | emotional
    step_id: int | None = None
    step_label: str = ""
    step_position: int = 0            # order of the step along the journey
    macro_step: str = ""
    moment_of_truth: bool = False
    journey_id: int | None = None
    journey_name: str = ""
    persona_id: int | None = None
    persona_name: str = ""
    channel: str | None = None
    participant_kind: str = "customer"  # customer | prospect | ex_customer | employee
    interview_id: int | None = None
    participant_id: int | None = None
    participant_code: str = ""
    position: int = 0                 # order of the utterance in its transcript
    start_char: int | None = None
    corrected: bool = False           # the researcher set the label or theme by hand
    machine_label: str | None = None  # what the machine said, when the researcher changed it
    language: str = ""
    team_codes: tuple[str, ...] = ()  # the research team's own codes on it (`research.team_codes`)

    @property
    def group(self) -> str:
        """The respondent group: customers (with prospects and ex-customers) or employees."""
        return EMPLOYEE if self.participant_kind == EMPLOYEE else "customer"

    @property
    def valence(self) -> float:
        """Signed feeling: +intensity for an enchantment, -intensity for an irritant, 0 otherwise."""
        weight = self.intensity if self.intensity else 0.5
        if self.label == ENCHANTMENT:
            return weight
        if self.label == IRRITANT:
            return -weight
        return 0.0


@dataclass(frozen=True)
class Filters:
    """Restrict the synthesis; None (or empty) means everything."""

    step_ids: tuple[int, ...] = ()
    persona_ids: tuple[int, ...] = ()
    channels: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()          # "customer" / "employee"
    kinds: tuple[str, ...] = ()           # participant kinds, finer than groups
    journey_id: int | None = None
    min_confidence: float = 0.0
    team_codes: tuple[str, ...] = ()      # utterances carrying any of these team codes

    def keep(self, u: CodedUtterance) -> bool:
        if self.journey_id is not None and u.journey_id != self.journey_id:
            return False
        if self.step_ids and u.step_id not in self.step_ids:
            return False
        if self.persona_ids and u.persona_id not in self.persona_ids:
            return False
        if self.channels and u.channel not in self.channels:
            return False
        if self.groups and u.group not in self.groups:
            return False
        if self.kinds and u.participant_kind not in self.kinds:
            return False
        if self.min_confidence and not u.corrected and u.confidence < self.min_confidence:
            return False
        if self.team_codes and not any(code in u.team_codes for code in self.team_codes):
            return False
        return True


def catch_all_named_in(records: Iterable[CodedUtterance], lang: str) -> tuple[CodedUtterance, ...]:
    """The records with the machine's catch-all theme named in the reader's language: the analysis names it
    in the corpus's ("divers" for a French study), but it is a word of the tool, not of the customers.
    A catch-all the researcher renamed is a theme of theirs, under another id, and keeps its name."""
    name = MISCELLANEOUS_LABELS.get(lang)
    return tuple(replace(u, theme_label=name) if name and u.theme_id == MISCELLANEOUS_ID else u for u in records)


def apply_filters(records: Iterable[CodedUtterance], filters: Filters | None) -> list[CodedUtterance]:
    if filters is None:
        return list(records)
    return [u for u in records if filters.keep(u)]


@dataclass
class Finding:
    """An irritant or an enchantment: the utterances of one label about one theme."""

    label: str
    theme_id: str | None
    theme_label: str
    mentions: int
    participants: int
    interviews: int
    mean_intensity: float
    expectation_share: float
    score: float
    main_step: str
    steps: list[tuple[str, int]]
    personas: list[tuple[str, int]]
    channels: list[tuple[str, int]]
    groups: dict[str, int]
    moment_of_truth: bool
    verbatims: list[CodedUtterance] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.label}:{self.theme_id}"


def _quote_order(u: CodedUtterance) -> tuple:
    """Best quotes first: corrected by a person, strongly felt, confidently coded, then long enough."""
    return (not u.corrected, -round(u.intensity, 3), -round(u.confidence, 3),
            -min(len(u.text), 240), u.utterance_id)


def ranked(counter: Counter) -> list[tuple[str, int]]:
    """(item, count) pairs, most frequent first, ties in the item's order."""
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def findings(
    records: Iterable[CodedUtterance],
    label: str,
    filters: Filters | None = None,
    *,
    sort: str = "score",
    max_verbatims: int | None = None,
) -> list[Finding]:
    """The irritants (or enchantments) of the study, ranked.

    `score` weighs breadth and strength: the number of distinct participants who raised it times
    its mean intensity (a point raised by many, felt strongly, comes first); `frequency` ranks by
    participants then mentions; `intensity` by mean intensity then participants.
    """
    if label not in (IRRITANT, ENCHANTMENT, EXPECTATION):
        raise ValueError(f"unknown label {label!r}")
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    groups: dict[str | None, list[CodedUtterance]] = defaultdict(list)
    for u in apply_filters(records, filters):
        if u.label == label or (label == EXPECTATION and u.expectation):
            groups[u.theme_id].append(u)
    out = []
    for theme_id, items in groups.items():
        people = {(u.interview_id, u.participant_id or u.participant_code) for u in items}
        interviews = {u.interview_id for u in items}
        intensity = sum(u.intensity for u in items) / len(items)
        steps = ranked(Counter(u.step_label for u in items if u.step_label))
        main_step = steps[0][0] if steps else ""
        labels = Counter(u.theme_label for u in items if u.theme_label)
        verbatims = sorted(items, key=_quote_order)
        out.append(Finding(
            label=label, theme_id=theme_id,
            theme_label=labels.most_common(1)[0][0] if labels else "",
            mentions=len(items), participants=len(people), interviews=len(interviews),
            mean_intensity=round(intensity, 3),
            expectation_share=round(sum(u.expectation for u in items) / len(items), 3),
            score=round(len(people) * (0.5 + intensity), 3),
            main_step=main_step,
            steps=steps,
            personas=ranked(Counter(u.persona_name for u in items if u.persona_name)),
            channels=ranked(Counter(u.channel for u in items if u.channel)),
            groups=dict(Counter(u.group for u in items)),
            moment_of_truth=any(u.moment_of_truth for u in items if main_step and u.step_label == main_step),
            verbatims=verbatims[:max_verbatims] if max_verbatims else verbatims,
        ))
    keys = {
        "score": lambda f: (-f.score, -f.mentions, f.theme_label),
        "frequency": lambda f: (-f.participants, -f.mentions, -f.mean_intensity, f.theme_label),
        "intensity": lambda f: (-f.mean_intensity, -f.participants, f.theme_label),
    }
    return sorted(out, key=lambda f: (f.theme_id == MISCELLANEOUS_ID, keys[sort](f)))


@dataclass
class CurvePoint:
    step_id: int | None
    step_label: str
    step_position: int
    macro_step: str
    moment_of_truth: bool
    series: str            # "all" or a persona name
    score: float           # -1 (all irritants, strongly felt) .. +1 (all enchantments)
    irritants: int
    enchantments: int
    neutral: int

    @property
    def coded(self) -> int:
        return self.irritants + self.enchantments + self.neutral


def _curve_for(items: Sequence[CodedUtterance], series: str) -> list[CurvePoint]:
    by_step: dict[int | None, list[CodedUtterance]] = defaultdict(list)
    for u in items:
        if u.step_id is not None:
            by_step[u.step_id].append(u)
    points = []
    for step_id, us in by_step.items():
        first = us[0]
        c = Counter(u.label for u in us)
        points.append(CurvePoint(
            step_id=step_id, step_label=first.step_label, step_position=first.step_position,
            macro_step=first.macro_step, moment_of_truth=any(u.moment_of_truth for u in us),
            series=series, score=round(sum(u.valence for u in us) / len(us), 3),
            irritants=c[IRRITANT], enchantments=c[ENCHANTMENT], neutral=c[NEUTRAL],
        ))
    return sorted(points, key=lambda p: (p.step_position, p.step_label))


def journeys_by_talk(records: Iterable[CodedUtterance]) -> list[tuple[int, str]]:
    """(id, name) of the journeys the utterances are placed in, the most talked about first."""
    counts = Counter((u.journey_id, u.journey_name) for u in records if u.journey_id is not None)
    return [journey for journey, _ in counts.most_common()]


def emotional_curve(
    records: Iterable[CodedUtterance], filters: Filters | None = None, *, by_persona: bool = False,
    min_utterances: int = 1,
) -> list[CurvePoint]:
    """The feeling at each step: the mean signed intensity of what was said there (-1..+1).

    With `by_persona`, one more series per persona; points resting on fewer than
    `min_utterances` utterances are left out of the persona series (too thin to draw).
    """
    items = apply_filters(records, filters)
    points = _curve_for(items, "all")
    if by_persona:
        per: dict[str, list[CodedUtterance]] = defaultdict(list)
        for u in items:
            if u.persona_name:
                per[u.persona_name].append(u)
        for name in sorted(per):
            points += [p for p in _curve_for(per[name], name) if p.coded >= min_utterances]
    return points


@dataclass
class HeatCell:
    step_id: int | None
    step_label: str
    step_position: int
    moment_of_truth: bool
    channel: str
    irritants: int
    enchantments: int
    total: int

    @property
    def balance(self) -> int:
        return self.enchantments - self.irritants


def touchpoint_heat(records: Iterable[CodedUtterance], filters: Filters | None = None) -> list[HeatCell]:
    """Irritants and enchantments counted at each crossing of a step and a channel."""
    cells: dict[tuple, list[CodedUtterance]] = defaultdict(list)
    for u in apply_filters(records, filters):
        if u.step_id is not None and u.channel:
            cells[(u.step_id, u.channel)].append(u)
    out = []
    for (step_id, channel), us in cells.items():
        c = Counter(u.label for u in us)
        out.append(HeatCell(step_id, us[0].step_label, us[0].step_position,
                            any(u.moment_of_truth for u in us), channel,
                            c[IRRITANT], c[ENCHANTMENT], len(us)))
    return sorted(out, key=lambda h: (h.step_position, h.step_label, h.channel))


@dataclass
class ThemeSummary:
    theme_id: str | None
    label: str
    size: int
    irritants: int
    enchantments: int
    neutral: int
    participants: int
    corrected: int
    steps: list[tuple[str, int]]
    quotes: list[CodedUtterance]

    @property
    def dominant(self) -> str:
        counts = {IRRITANT: self.irritants, ENCHANTMENT: self.enchantments, NEUTRAL: self.neutral}
        return max(LABELS, key=lambda k: (counts[k], k == NEUTRAL))


def theme_summaries(
    records: Iterable[CodedUtterance], filters: Filters | None = None, *, quotes: int = 3,
) -> list[ThemeSummary]:
    """Every theme with its size, its mix of labels, where on the journey it lives, its best quotes."""
    groups: dict[str | None, list[CodedUtterance]] = defaultdict(list)
    for u in apply_filters(records, filters):
        groups[u.theme_id].append(u)
    out = []
    for theme_id, us in groups.items():
        c = Counter(u.label for u in us)
        labels = Counter(u.theme_label for u in us if u.theme_label)
        # quotes: prefer the felt ones (irritants, enchantments) over neutral remarks
        ordered = sorted(us, key=lambda u: (u.label == NEUTRAL,) + _quote_order(u))
        out.append(ThemeSummary(
            theme_id=theme_id, label=labels.most_common(1)[0][0] if labels else "",
            size=len(us), irritants=c[IRRITANT], enchantments=c[ENCHANTMENT], neutral=c[NEUTRAL],
            participants=len({(u.interview_id, u.participant_id or u.participant_code) for u in us}),
            corrected=sum(u.corrected for u in us),
            steps=ranked(Counter(u.step_label for u in us if u.step_label)),
            quotes=ordered[:quotes],
        ))
    return sorted(out, key=lambda s: (s.theme_id == MISCELLANEOUS_ID, -s.size, s.label))


@dataclass
class Trait:
    """What a participant said of themselves: who they are, what they prefer, their habits."""

    text: str
    kind: str = ""  # self | preference | habit
    participant_code: str = ""
    participant_id: int | None = None


@dataclass
class Archetype:
    """Participants the analysis grouped by how they describe themselves, whatever persona they were recruited as."""

    label: str
    members: list[str]  # participant codes
    traits: list[Trait]  # what its members said of themselves, each member heard in turn
    matched_persona: str | None  # the defined persona whose description its members' words resemble most
    match_score: float
    quotes: list[CodedUtterance]  # its members' most intense utterances
    # the defined personas its members were recruited as, most frequent first: (name, members)
    recruited_as: list[tuple[str, int]] = field(default_factory=list)

    @property
    def recruited_elsewhere(self) -> tuple[str, int] | None:
        """The persona most of its members were recruited as, when that is not the one it resembles."""
        if not self.recruited_as or not self.matched_persona:
            return None
        main, n = self.recruited_as[0]
        return (main, n) if main != self.matched_persona and n * 2 > len(self.members) else None


@dataclass
class PersonaSummary:
    persona_id: int | None
    name: str
    participants: int
    utterances: int
    irritants: int
    enchantments: int
    mood: float
    top_irritants: list[tuple[str, int]]
    top_enchantments: list[tuple[str, int]]
    channels: list[tuple[str, int]]
    quotes: list[CodedUtterance]
    # (label, theme label) → the quote that best says it, for each theme of top_irritants and top_enchantments
    examples: dict[tuple[str, str], CodedUtterance] = field(default_factory=dict)


def persona_summaries(
    records: Iterable[CodedUtterance], filters: Filters | None = None, *, quotes: int = 3, top: int = 3,
) -> list[PersonaSummary]:
    """For each defined persona: what irritates and delights its members, in their words."""
    groups: dict[int | None, list[CodedUtterance]] = defaultdict(list)
    for u in apply_filters(records, filters):
        groups[u.persona_id].append(u)
    out = []
    for persona_id, us in groups.items():
        c = Counter(u.label for u in us)
        felt = [u for u in us if u.label != NEUTRAL]
        miscellaneous = {u.theme_label for u in us if u.theme_id == MISCELLANEOUS_ID}
        top_themes = {label: sorted(ranked(Counter(u.theme_label for u in us if u.label == label)),
                                    key=lambda kv: kv[0] in miscellaneous)[:top]
                      for label in (IRRITANT, ENCHANTMENT)}
        out.append(PersonaSummary(
            persona_id=persona_id, name=us[0].persona_name,
            participants=len({(u.interview_id, u.participant_id or u.participant_code) for u in us}),
            utterances=len(us), irritants=c[IRRITANT], enchantments=c[ENCHANTMENT],
            mood=round(sum(u.valence for u in us) / len(us), 3),
            top_irritants=top_themes[IRRITANT], top_enchantments=top_themes[ENCHANTMENT],
            channels=ranked(Counter(u.channel for u in us if u.channel)),
            quotes=_alternate(sorted(felt, key=_quote_order))[:quotes],
            examples={(label, theme): min((u for u in felt if u.label == label and u.theme_label == theme),
                                          key=_quote_order)
                      for label, named in top_themes.items() for theme, _ in named},
        ))
    return sorted(out, key=lambda p: (p.persona_id is None, -p.utterances, p.name))


def _alternate(items: list[CodedUtterance]) -> list[CodedUtterance]:
    """Irritant, enchantment, irritant...: both sides of the experience among the first quotes."""
    sides = [[u for u in items if u.label == IRRITANT], [u for u in items if u.label == ENCHANTMENT]]
    out = []
    for pair in zip(*sides):
        out.extend(pair)
    shorter = min(len(sides[0]), len(sides[1]))
    return out + sides[0][shorter:] + sides[1][shorter:]


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa between two coders over (machine, researcher) label pairs; None if undefined."""
    n = len(pairs)
    if not n:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in set(first) | set(second)) / (n * n)
    if expected >= 1.0:
        return 1.0 if observed == 1.0 else None
    return round((observed - expected) / (1 - expected), 4)


@dataclass
class Agreement:
    reviewed: int
    agreed: int
    kappa: float | None
    confusion: dict[tuple[str, str], int]

    @property
    def share(self) -> float | None:
        return round(self.agreed / self.reviewed, 4) if self.reviewed else None


def agreement(pairs: Sequence[tuple[str, str]]) -> Agreement:
    """How far the machine and the researcher agree on the utterances the researcher reviewed."""
    return Agreement(
        reviewed=len(pairs), agreed=sum(a == b for a, b in pairs), kappa=cohen_kappa(pairs),
        confusion=dict(Counter(pairs)),
    )


def overview(records: Iterable[CodedUtterance], filters: Filters | None = None) -> dict[str, int]:
    items = apply_filters(records, filters)
    c = Counter(u.label for u in items)
    return {
        "utterances": len(items), "irritants": c[IRRITANT], "enchantments": c[ENCHANTMENT],
        "neutral": c[NEUTRAL], "expectations": sum(u.expectation for u in items),
        "participants": len({(u.interview_id, u.participant_id or u.participant_code) for u in items}),
        "interviews": len({u.interview_id for u in items}),
        "themes": len({u.theme_id for u in items}),
        "corrected": sum(u.corrected for u in items),
    }


def with_label(u: CodedUtterance, label: str) -> CodedUtterance:
    """The same utterance as the researcher relabelled it (for what-if views and tests)."""
    return replace(u, label=label, corrected=True, machine_label=u.machine_label or u.label)


# ---------------------------------------------------------------- channels named in what people say

CHANNEL_WORDS: dict[str, tuple[str, ...]] = {
    "phone": ("téléphone", "telephone", "appel", "appelé", "appelée", "appeler", "rappel", "rappelé", "rappelée",
              "hotline", "standard", "plateforme téléphonique", "phone", "call", "called", "calling", "helpline"),
    "branch": ("agence", "boutique", "guichet", "accueil physique", "point de vente", "branch", "shop", "store",
               "office", "counter"),
    "app": ("appli", "application", "l'app", "app mobile", "smartphone", "app"),
    "web": ("site", "internet", "en ligne", "espace adhérent", "espace client", "web", "website", "online"),
    "email": ("mail", "e-mail", "email", "courriel", "mails"),
    "letter": ("courrier", "lettre", "papier", "formulaire papier", "post", "letter"),
    "chat": ("chat", "tchat", "messagerie", "chatbot", "whatsapp"),
    "social": ("réseaux sociaux", "facebook", "twitter", "instagram", "linkedin", "social media"),
    "rep": ("conseiller", "conseillère", "commercial", "commerciale", "courtier", "adviser", "advisor",
            "sales rep", "agent"),
}


def channel_kinds(names: Iterable[str]) -> dict[str, str]:
    """Map the study's channel names ("Téléphone", "Agence", "Site web"…) to a kind of channel."""
    import re

    out = {}
    for name in names:
        low = name.casefold()
        for kind, words in CHANNEL_WORDS.items():
            if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", low) for w in words):
                out.setdefault(name, kind)
                break
    return out


def detect_channel(text: str, kinds: dict[str, str]) -> str | None:
    """The study channel a sentence names, if it names exactly one kind of channel (else None)."""
    import re

    low = text.casefold()
    found = {kind for kind in set(kinds.values())
             if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", low) for w in CHANNEL_WORDS[kind])}
    if len(found) != 1:
        return None
    kind = found.pop()
    return next(name for name, k in kinds.items() if k == kind)
