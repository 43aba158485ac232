"""Exports: coded utterances (CSV, XLSX), the REFI-QDA codebook, the study report (HTML, DOCX)."""
import csv
import io
import re
import zipfile
from datetime import date
from functools import partial
from xml.etree import ElementTree as ET

import pytest

from research.synthesis import agreement
from research.synthesis_export import (
    QDC_NAMESPACE, BrandEvidence, CodebookTheme, Report, codebook_qdc, coded_csv, coded_xlsx,
    report_docx, report_html,
)
from tests.test_synthesis import u
from ui.i18n import t

GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


@pytest.fixture
def records():
    return [
        u(1, "irritant", "t1", 3, participant=1, intensity=0.9, text="Trois semaines pour être remboursée, c'est long."),
        u(2, "irritant", "t1", 3, participant=2, interview=2, persona=20, text="=SOMME(A1) on m'a dit d'attendre"),
        u(3, "enchantment", "t3", 2, participant=3, interview=3, text="La conseillère m'a rappelée le jour même !"),
        u(4, "neutral", "t3", 1, participant=3, interview=3, text="J'ai comparé trois mutuelles."),
    ]


def test_csv_has_every_utterance_with_its_codes(records):
    data = coded_csv(records)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["utterance_id"] for r in rows] == ["1", "2", "3", "4"]
    assert rows[0]["label"] == "irritant" and rows[0]["step"] == "Je suis remboursé"
    assert rows[2]["text"] == "La conseillère m'a rappelée le jour même !"


def test_xlsx_reads_back_and_never_carries_formulas(records):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(coded_xlsx(records, [{"theme": "t1", "size": 2}])))
    ws = wb["utterances"]
    header = [c.value for c in ws[1]]
    values = [dict(zip(header, [c.value for c in row])) for row in ws.iter_rows(min_row=2)]
    assert len(values) == 4 and values[0]["theme"] == "thème t1"
    assert values[1]["text"].startswith("'=SOMME")
    assert wb["themes"]["A2"].value == "t1"


def validate_qdc(data: bytes) -> ET.Element:
    """The structure the REFI-QDA Codebook 1.0 schema requires."""
    root = ET.fromstring(data)
    ns = f"{{{QDC_NAMESPACE}}}"
    assert root.tag == f"{ns}CodeBook"
    children = [c.tag for c in root]
    assert children[0] == f"{ns}Codes" and set(children) <= {f"{ns}Codes", f"{ns}Sets"}
    guids = []
    for code in root.iter(f"{ns}Code"):
        assert GUID.match(code.get("guid")), code.attrib
        assert code.get("name")
        assert code.get("isCodable") in ("true", "false")
        if code.get("color"):
            assert COLOR.match(code.get("color"))
        order = [c.tag.replace(ns, "") for c in code]
        assert order == sorted(order, key=["Description", "NoteRef", "Code"].index), order
        guids.append(code.get("guid"))
    assert len(guids) == len(set(guids)), "duplicate GUIDs"
    for member in root.iter(f"{ns}MemberCode"):
        assert member.get("targetGUID") in guids
    return root


def test_codebook_is_a_valid_refi_qda_file_with_stable_guids():
    tr = partial(t, lang="fr")
    themes = [CodebookTheme("t1", "délai remboursement", 12), CodebookTheme("t3", "conseillère rappel", 5)]
    data = codebook_qdc("Alizé", themes, tr, steps=[(1, "Je compare", False), (3, "Je suis remboursé", True)])
    root = validate_qdc(data)
    ns = f"{{{QDC_NAMESPACE}}}"
    names = [c.get("name") for c in root.iter(f"{ns}Code")]
    assert {"Irritant", "Enchantement", "Neutre", "délai remboursement", "Je suis remboursé"} <= set(names)
    theme_parent = next(c for c in root.iter(f"{ns}Code") if c.get("name") == "Thèmes")
    assert theme_parent.get("isCodable") == "false" and len(theme_parent.findall(f"{ns}Code")) == 2
    assert [m.get("targetGUID") for m in root.iter(f"{ns}MemberCode")] == [
        c.get("guid") for c in root.iter(f"{ns}Code") if c.get("name") == "Je suis remboursé"]
    assert re.findall(rb'guid="([^"]+)"', codebook_qdc("Alizé", themes, tr)) == \
        re.findall(rb'guid="([^"]+)"', codebook_qdc("Alizé", themes, tr))


def test_html_report_is_self_contained_with_charts_and_only_consented_quotes(records):
    report = Report(
        title="Étude Alizé", records=records, generated_at=date(2026, 11, 23), run_label="analyse n°1",
        agreement=agreement([("irritant", "irritant"), ("neutral", "irritant")]),
        brand=[BrandEvidence("Proximité", "customer", 3, 0.4, 0.5, quotes=[records[2]]),
               BrandEvidence("Lenteur", "customer", 2, 0.2, -0.7, claimed=False, quotes=[records[0]])],
        quotable=lambda participant_id: participant_id != 2,
    )
    page = report_html(report, partial(t, lang="fr"), "fr")
    assert page.count("<svg") >= 4
    assert not re.search(r"""(src|href)=["']https?://""", page), "the report fetches something"
    assert "Trois semaines pour être remboursée" in page
    assert "SOMME" not in page, "a participant without quote consent was quoted"
    assert "kappa de Cohen" in page and "non revendiqué" in page
    assert "Rapport généré le 23 novembre 2026" in page
    english = report_html(report, partial(t, lang="en"), "en")
    assert "The main irritants" in english and 'lang="en"' in english
    assert "Report generated on 23 November 2026" in english


def test_docx_report_has_headings_pictures_and_quotes(records):
    from docx import Document

    data = report_docx(Report(title="Étude Alizé", records=records), partial(t, lang="fr"))
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Les irritants prioritaires" in text and "Trois semaines" in text
    assert "Ce qui les irrite :" in text  # each persona's themes, as in the HTML report
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert len([n for n in z.namelist() if n.startswith("word/media/")]) >= 3


def test_a_report_quotes_each_theme_and_presents_the_archetypes_with_only_consented_words(records):
    from research.synthesis import Archetype, Trait
    from research.synthesis_export import report_sections

    found = Archetype(label="pressés · appli", members=["P01", "P02"], matched_persona="Famille pressée",
                      match_score=0.4, quotes=[records[1], records[0]], recruited_as=[("Senior", 2)],
                      traits=[Trait("Je suis infirmière.", "self", "P01", 1), Trait("J'ai trois enfants.", "self", "P02", 2),
                              Trait("Je préfère l'appli.", "preference")])  # whose, unknown: not printed
    report = Report(title="Étude", records=records, archetypes=[found],
                    quotable=lambda participant_id: participant_id in (1, 3))
    fr = partial(t, lang="fr")
    sections = {s["title"]: s for s in report_sections(report, fr)}
    themes = sections["Thèmes"]["items"]
    assert [i.title for i in themes] == ["thème t1", "thème t3"]
    assert [u.utterance_id for u in themes[0].quotes] == [1]  # utterance 2's participant did not consent
    assert themes[0].meta.startswith("2 verbatims · 2 participants · 2 irritants")
    assert "Je suis remboursé" in themes[0].meta
    archetype = sections["Archétypes issus des entretiens"]["items"][0]
    assert archetype.bullets == ["« Je suis infirmière. » (P01)"]
    assert [u.utterance_id for u in archetype.quotes] == [1]
    # recruited as another persona than the one it resembles: said, as on the page
    assert any("Senior" in line and "second regard" in line for line in archetype.lines)
    page = report_html(report, fr, "fr")
    assert "Je suis infirmière" in page and "trois enfants" not in page and "l'appli" not in page
    assert "=SOMME" not in page
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(report_docx(report, fr))).paragraphs)
    assert "Archétypes issus des entretiens" in text and "Je suis infirmière" in text and "trois enfants" not in text


def test_a_report_draws_each_journey_s_curve_and_grid_apart(records):
    from dataclasses import replace

    from research.synthesis_export import report_sections

    other = [replace(r, utterance_id=100 + r.utterance_id, journey_id=2, journey_name="Adhérer",
                     step_id=50 + r.step_id, step_label=f"J'adhère, étape {r.step_position}") for r in records[:3]]
    first = [replace(r, journey_name="Être remboursé") for r in records]
    report = Report(title="Étude", records=first + other, generated_at=date(2026, 11, 24), run_label="analyse n°2")
    titles = [s["title"] for s in report_sections(report, partial(t, lang="fr"))]
    assert titles.index("Courbe émotionnelle · Être remboursé") < titles.index("Courbe émotionnelle · Adhérer")
    assert "Points de contact : irritants / enchantements · Adhérer" in titles
    page = report_html(report, partial(t, lang="fr"), "fr")
    assert page.count("Courbe émotionnelle ·") == 2
    single = report_sections(Report(title="Étude", records=first, generated_at=date(2026, 11, 24), run_label="n°1"),
                             partial(t, lang="fr"))
    assert "Courbe émotionnelle" in [s["title"] for s in single]  # one journey: no name to add
