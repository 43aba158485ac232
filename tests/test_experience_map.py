"""The experience map: a column per step of the journey as defined, a lane per kind of evidence."""
import io
from functools import partial

from research.experience_map import MapStep, experience_map, macro_spans, map_html, steps_in
from research.nlp.themes import MISCELLANEOUS_ID
from research.synthesis import Filters
from research.synthesis_export import Report, report_docx, report_html
from tests.test_synthesis import u
from ui.i18n import t

FR = partial(t, lang="fr")
STEPS = [MapStep(1, 1, "Je compare les offres", "Avant"), MapStep(2, 2, "J'adhère", "Avant", moment_of_truth=True),
         MapStep(3, 3, "Je suis remboursé", "Après", moment_of_truth=True), MapStep(4, 4, "Je recommande", "Après")]


def study():
    return [
        u(1, "irritant", "t1", 3, participant=1, interview=1, intensity=0.9, text="Trois semaines pour être remboursée."),
        u(2, "irritant", "t1", 3, participant=2, interview=2, intensity=0.8, text="=SOMME(A1) toujours rien"),
        u(3, "irritant", "t2", 3, participant=3, interview=3, intensity=0.5, channel="Courrier"),
        u(4, "irritant", MISCELLANEOUS_ID, 3, participant=4, interview=4),
        u(5, "enchantment", "t3", 3, participant=3, interview=3, intensity=0.4),
        u(6, "enchantment", "t3", 2, participant=1, interview=1, intensity=0.9, text="Signature en ligne, très fluide."),
        u(7, "neutral", "t4", 1, participant=2, interview=2, expectation=True, channel="Application"),
    ]


def test_every_defined_step_has_its_column_and_silence_shows():
    columns = experience_map(study(), STEPS)
    assert [c.step.label for c in columns] == [s.label for s in STEPS]
    paid = columns[2]
    assert paid.utterances == 5 and paid.score < 0
    assert paid.irritants == [("thème t1", 2), ("thème t2", 1)], "the catch-all theme is not a finding"
    assert paid.enchantments == [("thème t3", 1)]
    assert paid.channels == [("Téléphone", 4), ("Courrier", 1)]
    assert paid.quote.text == "Trois semaines pour être remboursée."  # an irritant where the feeling is low
    assert columns[1].score > 0 and columns[1].quote.text == "Signature en ligne, très fluide."
    assert columns[0].expectations == [("thème t4", 1)] and columns[0].score == 0
    assert columns[3].silent and columns[3].score is None and columns[3].quote is None
    assert macro_spans(columns) == [("Avant", 2), ("Après", 2)]
    aside = experience_map([u(9, "irritant", MISCELLANEOUS_ID, 1, text="Bof.")], STEPS)[0]
    assert aside.utterances == 1 and aside.irritants == [], "what has no subject of its own is no finding"


def test_quotes_come_only_from_consenting_participants_and_filters_apply():
    columns = experience_map(study(), STEPS, quotable=lambda participant_id: participant_id != 1)
    assert columns[2].quote.text != "Trois semaines pour être remboursée."
    assert columns[2].quote.participant_id != 1
    assert columns[1].quote is None, "nobody else spoke at that step"
    only_app = experience_map(study(), STEPS, Filters(channels=("Application",)))
    assert [c.utterances for c in only_app] == [1, 0, 0, 0]


def test_the_map_as_html_escapes_what_people_typed_and_draws_the_curve():
    steps = [MapStep(3, 3, "<b>Je suis</b> remboursé", "Après & après", moment_of_truth=True)]
    records = [u(1, "irritant", "t1", 3, text="<script>alert(1)</script> c'est long")]
    page = map_html(experience_map(records, steps), FR)
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;Je suis&lt;/b&gt;" in page
    assert "Après &amp; après" in page and "Moment de vérité" in page
    assert 'src="data:image/svg+xml;base64,' in page, "the feeling lane has its curve"
    assert map_html([], FR) == ""


def test_a_printed_map_comes_in_blocks_of_at_most_four_steps_that_fit_the_page():
    import re

    steps = [MapStep(i, i, f"Étape {i}", "Avant" if i < 4 else "Après") for i in range(1, 11)]
    page = map_html(experience_map([u(1, "irritant", "t1", 3)], steps), FR, printable=True)
    screen, printed = page.split('<div class="em-print">')
    assert screen.count("<table") == 1 and "width:1812px" in screen  # 132 + 10 × 168, scrolls sideways
    blocks = printed.split('<div class="em-block">')[1:]
    assert len(blocks) == 3
    assert [b.count('class="step') for b in blocks] == [4, 3, 3]
    assert [b.count("<img") for b in blocks] == [1, 1, 1], "each block draws its stretch of the curve"
    assert "Avant" in blocks[0] and "Après" in blocks[1] and "Étape 8" in blocks[2] and "Étape 10" in blocks[2]
    widths = [float(w) for w in re.findall(r'table class="em em-fluid" style="width:([0-9.]+)%"', printed)]
    assert widths == [100, 79, 79]  # a step is as wide in every block
    for block in blocks:
        cols = [float(w) for w in re.findall(r'<col style="width:([0-9.]+)%"', block)]
        assert abs(sum(cols) - 100) < 0.1
    assert "@media print{.em-screen{display:none}.em-print{display:block}" in page


def test_the_reports_carry_one_map_per_journey_in_html_and_slides_but_not_in_word():
    from docx import Document
    from pptx import Presentation

    from research.synthesis_deck import report_pptx

    records = study()
    report = Report(title="Étude", records=records, journey_steps={1: STEPS})
    page = report_html(report, FR, "fr")
    assert page.count('<table class="em"') == 1 and "Je recommande" in page  # the silent step too
    assert page.count('<table class="em em-fluid"') == 1, "and its printed blocks"
    assert page.count('<h2 class="wide">') == 1, "printed from the top of a page"
    word = "\n".join(p.text for p in Document(io.BytesIO(report_docx(report, FR, images={}))).paragraphs)
    assert "Carte d'expérience" not in word
    deck = Presentation(io.BytesIO(report_pptx(report, FR, "fr", images={})))
    maps = [s for s in list(deck.slides)[2:] if any(  # after the cover and the contents
        x.has_text_frame and x.text_frame.text == "Carte d'expérience" for x in s.shapes)]
    assert len(maps) == 1
    shown = {x.text_frame.text for x in maps[0].shapes if x.has_text_frame}
    paid = experience_map(records, STEPS)[2].score
    assert {"Avant", "Après", "04. Je recommande", "Personne n'en a parlé", FR("synthesis.map.score", score=paid)} <= shown
    assert paid == -0.48  # (-0.9 - 0.8 - 0.5 - 0.6 + 0.4) / 5
    assert [s.label for s in steps_in(records, 1)] == ["Je compare les offres", "J'adhère", "Je suis remboursé"]


def test_a_long_journey_s_map_alone_takes_two_slides_with_every_step():
    from pptx import Presentation

    from research.synthesis_deck import experience_map_pptx

    steps = [MapStep(100 + i, i, f"Étape numéro {i}", "Avant" if i < 8 else "Après") for i in range(1, 15)]
    prs = Presentation(io.BytesIO(experience_map_pptx(experience_map(study(), steps), "Carte · Adhérer", FR)))
    assert len(prs.slides) == 2
    shown = [x.text_frame.text for s in prs.slides for x in s.shapes if x.has_text_frame]
    assert [f"{i:02d}. Étape numéro {i}" for i in range(1, 15)] == [x for x in shown if "Étape numéro" in x]
    assert "Carte · Adhérer (suite)" in shown and shown.count("Personne n'en a parlé") == 14 * 5
