"""The synthesis aggregations on a small hand-written study."""
import json
from dataclasses import replace

import pytest

from research.quoting import short_quote
from research.synthesis import (
    CodedUtterance, Filters, agreement, catch_all_named_in, cohen_kappa, emotional_curve, findings, overview,
    persona_summaries, theme_summaries, touchpoint_heat,
)

STEPS = {1: ("Je compare les offres", 1, False), 2: ("J'adhère", 2, True), 3: ("Je suis remboursé", 3, True)}
PERSONAS = {10: "Prudente", 20: "Autonome"}


def u(uid, label, theme, step, *, persona=10, participant=1, interview=1, intensity=0.6,
      channel="Téléphone", kind="customer", expectation=False, corrected=False, text=None):
    label_text, position, mot = STEPS[step]
    return CodedUtterance(
        utterance_id=uid, text=text or f"verbatim {uid}", label=label, confidence=0.8,
        intensity=intensity, expectation=expectation, theme_id=theme, theme_label=f"thème {theme}",
        step_id=step, step_label=label_text, step_position=position, moment_of_truth=mot,
        journey_id=1, persona_id=persona, persona_name=PERSONAS[persona], channel=channel,
        participant_kind=kind, interview_id=interview, participant_id=participant,
        participant_code=f"P{participant:02d}", corrected=corrected,
    )


@pytest.fixture
def study():
    return [
        # "délais" irritant raised by three people, strongly
        u(1, "irritant", "t1", 3, participant=1, interview=1, intensity=0.9, expectation=True),
        u(2, "irritant", "t1", 3, participant=2, interview=2, intensity=0.8, persona=20),
        u(3, "irritant", "t1", 3, participant=3, interview=3, intensity=0.7, channel="Application"),
        u(4, "irritant", "t1", 3, participant=1, interview=1, intensity=0.2),
        # "attente téléphonique" irritant raised by one person, very strongly, twice
        u(5, "irritant", "t2", 1, participant=4, interview=4, intensity=1.0),
        u(6, "irritant", "t2", 1, participant=4, interview=4, intensity=1.0),
        # "conseillère" enchantment, two people, one of them employee
        u(7, "enchantment", "t3", 2, participant=2, interview=2, intensity=0.7, persona=20),
        u(8, "enchantment", "t3", 2, participant=5, interview=5, intensity=0.5, kind="employee"),
        u(9, "neutral", "t3", 2, participant=5, interview=5, intensity=0.0, kind="employee"),
        u(10, "neutral", "t1", 1, participant=1, interview=1, intensity=0.0),
    ]


def test_irritants_rank_by_breadth_and_strength(study):
    ranked = findings(study, "irritant")
    assert [f.theme_id for f in ranked] == ["t1", "t2"]
    delays = ranked[0]
    assert (delays.mentions, delays.participants, delays.interviews) == (4, 3, 3)
    assert delays.mean_intensity == pytest.approx(0.65)
    assert delays.expectation_share == 0.25
    assert delays.main_step == "Je suis remboursé" and delays.moment_of_truth
    assert delays.personas == [("Prudente", 3), ("Autonome", 1)]
    assert delays.verbatims[0].utterance_id == 1  # the strongest quote first
    by_intensity = findings(study, "irritant", sort="intensity")
    assert [f.theme_id for f in by_intensity] == ["t2", "t1"]


def test_filters_narrow_every_view(study):
    assert [f.theme_id for f in findings(study, "irritant", Filters(persona_ids=(20,)))] == ["t1"]
    assert findings(study, "irritant", Filters(channels=("Application",)))[0].mentions == 1
    employees = findings(study, "enchantment", Filters(groups=("employee",)))
    assert [(f.theme_id, f.mentions) for f in employees] == [("t3", 1)]
    assert findings(study, "irritant", Filters(step_ids=(2,))) == []
    assert overview(study, Filters(groups=("customer",)))["utterances"] == 8


def test_emotional_curve_follows_the_steps_with_a_persona_overlay(study):
    curve = emotional_curve(study, by_persona=True)
    overall = [p for p in curve if p.series == "all"]
    assert [p.step_label for p in overall] == ["Je compare les offres", "J'adhère", "Je suis remboursé"]
    compare, join, refund = overall
    assert compare.score == pytest.approx((-1.0 - 1.0 + 0) / 3, abs=1e-3)
    assert join.score == pytest.approx((0.7 + 0.5) / 3, abs=1e-3)
    assert refund.score == pytest.approx(-(0.9 + 0.8 + 0.7 + 0.2) / 4, abs=1e-3)
    assert join.moment_of_truth and not compare.moment_of_truth
    autonome = [p for p in curve if p.series == "Autonome"]
    assert [(p.step_label, p.score) for p in autonome] == [("J'adhère", 0.7), ("Je suis remboursé", -0.8)]


def test_touchpoint_heat_counts_irritants_and_enchantments_per_cell(study):
    cells = {(h.step_label, h.channel): h for h in touchpoint_heat(study)}
    refund_phone = cells[("Je suis remboursé", "Téléphone")]
    assert (refund_phone.irritants, refund_phone.enchantments, refund_phone.total) == (3, 0, 3)
    assert cells[("Je suis remboursé", "Application")].irritants == 1
    assert cells[("J'adhère", "Téléphone")].balance == 2


def test_theme_and_persona_summaries(study):
    themes = {s.theme_id: s for s in theme_summaries(study, quotes=2)}
    assert themes["t1"].size == 5 and themes["t1"].dominant == "irritant"
    assert themes["t3"].dominant == "enchantment"
    assert all(q.label != "neutral" for q in themes["t3"].quotes[:2])
    personas = {p.name: p for p in persona_summaries(study)}
    assert personas["Prudente"].top_irritants[0] == ("thème t1", 3)
    assert personas["Autonome"].top_enchantments == [("thème t3", 1)]
    assert personas["Autonome"].mood > personas["Prudente"].mood
    # each theme named comes with the quote that says it best, of that label, theme and persona
    for p in personas.values():
        assert set(p.examples) == {("irritant", n) for n, _ in p.top_irritants} | {
            ("enchantment", n) for n, _ in p.top_enchantments}
        for (label, theme), u in p.examples.items():
            assert (u.label, u.theme_label, u.persona_name) == (label, theme, p.name)
            rivals = [r for r in study if (r.label, r.theme_label, r.persona_name) == (label, theme, p.name)]
            assert u.intensity == max(r.intensity for r in rivals if not r.corrected or u.corrected)


def test_the_theme_of_what_has_no_subject_comes_after_every_topic(study):
    from research.nlp.themes import MISCELLANEOUS_ID

    # five people's short verdicts with no subject ("Je me suis senti trompé"): the largest group, strongly felt
    vague = [u(100 + i, "irritant", MISCELLANEOUS_ID, 3, participant=10 + i, interview=10 + i, intensity=1.0)
             for i in range(5)]
    records = study + vague
    assert findings(vague, "irritant")[0].theme_id == MISCELLANEOUS_ID
    for sort in ("score", "frequency", "intensity"):
        assert [f.theme_id for f in findings(records, "irritant", sort=sort)][-1] == MISCELLANEOUS_ID
    assert [s.theme_id for s in theme_summaries(records)][-1] == MISCELLANEOUS_ID
    prudente = {p.name: p for p in persona_summaries(records)}["Prudente"]
    assert prudente.top_irritants == [("thème t1", 3), ("thème t2", 2), (f"thème {MISCELLANEOUS_ID}", 5)]
    assert [n for n, _ in persona_summaries(records, top=2)[0].top_irritants] == ["thème t1", "thème t2"]
    # and on the board its bar is grey, where a finding's is coloured by how strongly it is felt
    from research.synthesis_charts import LIGHT_GREY, findings_chart

    spec = findings_chart(findings(records, "irritant"), lambda key, **kw: key).to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    assert [r["miscellaneous"] for r in rows] == [False, False, True]
    color = spec["encoding"]["color"]
    assert color["condition"] == {"test": "datum.miscellaneous", "value": LIGHT_GREY}
    assert color["field"] == "intensity"
    assert spec["encoding"]["x"]["axis"]["tickMinStep"] == 1  # people are counted whole: no "0,5" tick


def test_the_catch_all_is_named_in_the_readers_language_and_topics_keep_the_customers_words(study):
    from research.nlp.themes import MISCELLANEOUS_ID

    vague = replace(u(100, "irritant", MISCELLANEOUS_ID, 3), theme_label="divers")  # found in a French study
    english = catch_all_named_in([*study, vague], "en")
    assert english[-1].theme_label == "miscellaneous"
    assert [r.theme_label for r in english[:-1]] == [r.theme_label for r in study]
    assert catch_all_named_in([vague], "fr")[0].theme_label == "divers"
    assert [s.label for s in theme_summaries(english)][-1] == "miscellaneous"


def test_short_quotes_end_at_a_word():
    assert short_quote("Trop court.") == "Trop court."
    assert short_quote("Le conseiller   m'a rappelé\n le lendemain, comme promis, et tout était réglé.", 40) == \
        "Le conseiller m'a rappelé le lendemain…"


def test_cohen_kappa_matches_the_textbook_example():
    # 50 items: both yes 20, both no 15, a yes/b no 5, a no/b yes 10 -> kappa 0.4
    pairs = [("y", "y")] * 20 + [("n", "n")] * 15 + [("y", "n")] * 5 + [("n", "y")] * 10
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert cohen_kappa([]) is None
    a = agreement([("irritant", "irritant"), ("neutral", "irritant"), ("enchantment", "enchantment")])
    assert (a.reviewed, a.agreed) == (3, 2) and a.confusion[("neutral", "irritant")] == 1
    assert a.kappa == pytest.approx(cohen_kappa([("irritant", "irritant"), ("neutral", "irritant"),
                                                 ("enchantment", "enchantment")]))


def test_channels_named_in_an_utterance_are_recognised_in_french_and_english():
    from research.synthesis import channel_kinds, detect_channel

    kinds = channel_kinds(["Téléphone", "Agence", "Application mobile", "Site web", "Courrier"])
    assert kinds["Application mobile"] == "app" and kinds["Site web"] == "web"
    assert detect_channel("J'ai appelé trois fois, personne ne répond.", kinds) == "Téléphone"
    assert detect_channel("Sur l'appli, tout est simple.", kinds) == "Application mobile"
    assert detect_channel("I went to the branch in La Rochelle.", kinds) == "Agence"
    assert detect_channel("Le site plante et j'ai dû appeler.", kinds) is None  # two channels: undecided
    assert detect_channel("C'était long.", kinds) is None


def test_expectations_are_findings_of_their_own(study):
    found = findings(study, "expectation")
    assert [(f.theme_id, f.mentions) for f in found] == [("t1", 1)]
    assert found[0].verbatims[0].utterance_id == 1


def test_the_touchpoint_heatmap_names_every_channel_on_its_axis():
    from research.synthesis import HeatCell
    from research.synthesis_charts import heatmap_chart, wrapped_labels

    channels = ["Agence", "Application mobile", "Chat", "Courrier", "E-mail", "Site web", "Téléphone"]
    cells = [HeatCell(1, "Je pose une question", 1, False, c, i, 1, i + 1) for i, c in enumerate(channels)]
    spec = heatmap_chart(cells, lambda key, **kw: key).to_dict()
    axis = spec["layer"][0]["encoding"]["x"]["axis"]
    assert axis["labelOverlap"] is False  # Vega-Lite would otherwise drop every other name
    # long names on lines of a few words, not over each other
    lines = json.loads(axis["labelExpr"].removesuffix("[datum.label] || datum.label"))
    assert lines["Application mobile"] == ["Application", "mobile"] and lines["Site web"] == ["Site web"]
    assert wrapped_labels(["Senior qui veut parler à quelqu'un"]).startswith(
        json.dumps({"Senior qui veut parler à quelqu'un": ["Senior qui veut", "parler à", "quelqu'un"]}))
    assert {row["channel"] for row in spec["datasets"][spec["data"]["name"]]} == set(channels)
