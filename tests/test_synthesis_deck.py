"""The study report as PowerPoint slides: the sections of the report, laid out so that nothing overflows."""
import io
from datetime import date
from functools import partial

import pytest
from pptx import Presentation
from pptx.util import Emu

from research.synthesis import agreement
from research.synthesis_deck import BOTTOM, report_pptx, shortened, text_height, text_lines
from research.synthesis_export import BrandEvidence, Report, report_sections
from tests.test_synthesis import u
from ui.i18n import t

LONG = ("Alors là, je vous raconte : " + "j'ai appelé, rappelé, envoyé trois courriers recommandés, "
        "attendu des semaines sans la moindre réponse, " * 14 + "et à la fin on m'a dit que le dossier était perdu.")


@pytest.fixture
def records():
    return [
        u(1, "irritant", "t1", 3, participant=1, intensity=0.9, text=LONG),
        u(2, "irritant", "t1", 3, participant=2, interview=2, persona=20, text="=SOMME(A1) on m'a dit d'attendre"),
        u(3, "irritant", "t1", 3, participant=3, interview=3, text="Trois semaines pour être remboursée."),
        u(4, "enchantment", "t3", 2, participant=3, interview=3, text="La conseillère m'a rappelée le jour même !"),
        u(5, "neutral", "t3", 1, participant=3, interview=3, text="J'ai comparé trois mutuelles."),
    ]


def report_of(records, **more) -> Report:
    return Report(title="Étude Alizé Mutuelle : ce que disent les clients", records=records,
                  generated_at=date(2026, 11, 25), run_label="analyse n° 3",
                  quotable=lambda participant_id: participant_id != 2, **more)


def deck(report: Report, lang: str = "fr", images=None):
    return Presentation(io.BytesIO(report_pptx(report, partial(t, lang=lang), lang, images=images)))


def texts(slide) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame and s.text_frame.text]


def notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def inches(emu) -> float:
    return Emu(emu).inches


def test_the_slides_are_widescreen_and_the_contents_point_at_each_section(records):
    prs = deck(report_of(records, agreement=agreement([("irritant", "irritant"), ("neutral", "irritant")])), images={})
    assert round(prs.slide_width / prs.slide_height, 2) == round(16 / 9, 2)
    slides = list(prs.slides)
    assert "Étude Alizé Mutuelle : ce que disent les clients" in texts(slides[0])
    assert "Rapport généré le 25 novembre 2026 · analyse n° 3" in texts(slides[0])
    contents = texts(slides[1])
    assert contents[0] == "Sommaire"
    entries = dict(zip(contents[1::2], map(int, contents[2::2])))  # title, then the slide it starts on
    assert {"L'essentiel", "Les irritants prioritaires", "Méthode"} <= set(entries)
    for title, number in entries.items():  # as the slide's title, or above it (a main irritant's slide)
        assert title in texts(slides[number - 1]) or any(
            x.startswith(title.upper() + " · 1 SUR") for x in texts(slides[number - 1])), (title, number)
    figures = texts(slides[entries["L'essentiel"] - 1])
    assert "kappa de Cohen" in " ".join(figures)
    assert figures[figures.index("Irritants") - 1] == "3"  # the big number above its label


def test_each_main_irritant_has_its_slide_with_only_consented_quotes_whole_in_the_notes(records):
    prs = deck(report_of(records), images={})
    everything = " ".join(" ".join(texts(s)) + notes(s) for s in prs.slides)
    assert "SOMME" not in everything, "a participant who did not consent to quotation was quoted"
    focus = [s for s in prs.slides if any(x.startswith("LES IRRITANTS PRIORITAIRES · 1 SUR") for x in texts(s))]
    assert len(focus) == 1
    shown = " ".join(texts(focus[0]))
    assert "Trois semaines pour être remboursée." in shown
    assert "le dossier était perdu" not in shown and "…" in shown, "the long quote was not cut to its card"
    assert LONG in notes(focus[0]) and "P01 · Prudente · Je suis remboursé" in notes(focus[0])


def test_no_text_or_picture_runs_past_the_footer_nor_out_of_its_box(records):
    many = records + [u(100 + i, "irritant", f"t{10 + i}", 3, participant=4 + i, interview=4 + i, text=LONG[: 80 + 40 * i])
                      for i in range(12)]
    report = report_of(many, brand=[BrandEvidence("Proximité", "customer", 3, 0.4, 0.5, quotes=[records[3]]),
                                    BrandEvidence("Lenteur", "customer", 2, 0.2, -0.7, claimed=False,
                                                  quotes=[records[0]])],
                       competitors=[("Alizé", "Animal", "tortue (3)"), ("Santéo", "Animal", "guépard (4)"),
                                    ("Alizé", "Plat", "pot-au-feu (2)")])
    prs = deck(report)
    assert sum(1 for s in prs.slides for shape in s.shapes if shape.shape_type == 13) >= 4  # the charts
    for number, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            top, height, width = inches(shape.top), inches(shape.height), inches(shape.width)
            if top >= 7.0:
                continue  # the footer
            if number > 1:  # the cover is painted edge to edge
                assert top + height <= BOTTOM + 0.01, (number, shape.shape_type, shape.has_text_frame and
                                                       shape.text_frame.text[:60])
            if shape.has_text_frame and shape.text_frame.text and shape.shape_type == 17:  # a text box
                need = sum(text_height(p.text, width - 0.08, p.runs[0].font.size.pt, bold=bool(p.runs[0].font.bold))
                           for p in shape.text_frame.paragraphs if p.runs)
                assert need <= height + 0.3, (number, shape.text_frame.text[:60], need, height)


def test_a_long_table_takes_two_slides_at_most_and_says_how_many_rows_it_leaves_to_the_report():
    records = [u(i, "irritant", f"t{i}", 3, participant=i, interview=i, text=f"verbatim numéro {i}") for i in range(1, 41)]
    prs = deck(report_of(records), images={})
    table_slides = [s for s in prs.slides if any(x.has_table for x in s.shapes)]
    assert 1 <= len(table_slides) <= 2
    rows = sum(len(x.table.rows) - 1 for s in table_slides for x in s.shapes if x.has_table)
    left = 40 - rows
    assert left > 0 and any(f"… et {left} autres lignes dans le rapport." in x for x in texts(table_slides[-1]))
    assert texts(table_slides[-1])[0].endswith("(suite)")
    english = deck(report_of(records), "en", images={})
    assert any(f"… and {left} more rows in the report." in x for s in english.slides for x in texts(s))


def test_the_chinese_portrait_is_a_theme_by_brand_table_in_every_format():
    report = report_of([u(1, "irritant", "t1", 3)],
                       competitors=[("Alizé", "Animal", "tortue (3)"), ("Santéo", "Animal", "guépard (4)"),
                                    ("Alizé", "Plat", "pot-au-feu (2)")])
    table = next(s["table"] for s in report_sections(report, partial(t, lang="fr")) if s["key"] == "competitors")
    assert table == [["Si c'était…", "Alizé", "Santéo"], ["Animal", "tortue (3)", "guépard (4)"],
                     ["Plat", "pot-au-feu (2)", "—"]]


def test_text_is_cut_at_a_word_to_the_room_it_has():
    assert shortened("Trois semaines.", 5, 1, 14) == "Trois semaines."
    cut = shortened(LONG, 4, 1.0, 14)
    assert cut.endswith(" …") and LONG.startswith(cut[:-2]) and cut[-3] != " "
    assert text_height(cut, 4, 14) <= 1.0 < text_height(LONG, 4, 14)
    assert text_lines("mot " * 40, 3, 14) > text_lines("mot " * 40, 6, 14) >= 1
    assert text_lines("mot " * 40, 6, 14, bold=True) >= text_lines("mot " * 40, 6, 14)
    assert shortened(LONG, 4, 0.05, 14) == ""  # no room for one line: nothing rather than a cut letter


def test_each_persona_has_a_slide_with_its_sheet_beside_what_its_participants_said(records):
    from research.personas import Persona
    from research.scores import Score

    sheet = Persona("Prudente", profile="Retraitée, compare tout avant de signer.", goals=["Payer le juste prix"],
                    frustrations=["Le jargon"], preferred_channels=["Téléphone"], tone="Patient et rassurant")
    scores = [Score(interview_id=1, participant_id=1, participant_code="P01", participant_kind="customer",
                    persona_id=10, persona_name="Prudente", day="2026-11-01", nps=3, ces=2)]
    prs = deck(report_of(records, personas=[sheet], scores=scores), images={})
    cards = [" | ".join(texts(s)) for s in prs.slides if any(x.startswith("PERSONAS · ") for x in texts(s))]
    assert len(cards) == 2  # Prudente and Autonome, a slide each
    prudente = next(text for text in cards if "| Prudente |" in text)
    assert "TEL QUE DÉFINI" in prudente and "Retraitée, compare tout avant de signer." in prudente
    assert "• Payer le juste prix" in prudente and "Patient et rassurant" in prudente
    assert "TEL QU'ENTENDU EN ENTRETIEN" in prudente and "NPS −100 (1 réponse)" in prudente
    assert "Ce qui les irrite :" in prudente and "thème t1 (2)" in prudente
    autonome = next(text for text in cards if "| Autonome |" in text)
    assert "Pas de fiche pour ce persona" in autonome
    assert "SOMME" not in autonome  # its only participant did not consent to quotation


def test_no_shape_keeps_the_template_style_that_draws_shadows_in_libreoffice(records):
    data = report_pptx(report_of(records), partial(t, lang="fr"), "fr", images={})
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        slides = [z.read(n).decode() for n in z.namelist() if n.startswith("ppt/slides/slide")]
    assert slides and not any("<p:style>" in xml for xml in slides)
