"""The coded study as a REFI-QDA project (.qdpx): sources, selections where the words are, codes that
exist, participants as cases."""
import io
import re
import sys
import zipfile
from dataclasses import replace
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from research import synthesis_store as S
from research.qda_project import QDE_NAMESPACE, InterviewSource, SourceLine, project_qdpx, source_text
from research.synthesis_export import QDC_NAMESPACE, CodebookTheme, codebook_qdc
from tests.test_synthesis import u
from ui.i18n import t

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from synthesis_study import build_study  # noqa: E402

NS = f"{{{QDE_NAMESPACE}}}"
SCHEMA = Path(__file__).resolve().parent / "fixtures" / "refi_qda" / "Project.xsd"
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ORDER = ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets", "Graphs", "Description"]
NOW = datetime(2026, 11, 25, 18, 30, tzinfo=timezone.utc)
fr = partial(t, lang="fr")


def valid_against_the_schema(xml: bytes) -> None:
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    if not schema.validate(etree.fromstring(xml)):
        raise AssertionError("\n".join(f"line {e.line}: {e.message}" for e in list(schema.error_log)[:5]))


def read_project(data: bytes) -> tuple[ET.Element, dict[str, str]]:
    """The project XML, valid against the REFI-QDA Project 1.0 schema, with every reference resolved,
    and its sources' texts by GUID."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert names[0] == "project.qde"
        valid_against_the_schema(zf.read("project.qde"))
        root = ET.fromstring(zf.read("project.qde"))
        texts = {}
        for source in root.iter(f"{NS}TextSource"):
            path = source.get("plainTextPath")
            assert path.startswith("internal://")
            texts[source.get("guid")] = zf.read("Sources/" + path.removeprefix("internal://")).decode("utf-8")
    assert root.tag == f"{NS}Project" and root.get("name")
    children = [c.tag.removeprefix(NS) for c in root]
    assert children == sorted(children, key=ORDER.index), children
    guids = [el.get("guid") for el in root.iter() if el.get("guid")]
    assert all(GUID.match(g) for g in guids) and len(guids) == len(set(guids)), "GUIDs malformed or repeated"
    codes = {c.get("guid"): c for c in root.iter(f"{NS}Code")}
    users = {x.get("guid") for x in root.iter(f"{NS}User")}
    selections = {s.get("guid"): s for s in root.iter(f"{NS}PlainTextSelection")}
    variables = {v.get("guid") for v in root.iter(f"{NS}Variable")}
    for ref in root.iter(f"{NS}CodeRef"):
        assert codes[ref.get("targetGUID")].get("isCodable") == "true"
    for ref in root.iter(f"{NS}SelectionRef"):
        assert ref.get("targetGUID") in selections
    for ref in root.iter(f"{NS}VariableRef"):
        assert ref.get("targetGUID") in variables
    for el in root.iter():
        for attr in ("creatingUser", "creatingUserGUID"):
            if el.get(attr):
                assert el.get(attr) in users
    for source in root.iter(f"{NS}TextSource"):
        length = len(texts[source.get("guid")])
        for s in source.iter(f"{NS}PlainTextSelection"):
            assert 0 <= int(s.get("startPosition")) < int(s.get("endPosition")) <= length
    return root, texts


def selected(root: ET.Element, texts: dict[str, str]) -> dict[str, tuple[str, set[str], ET.Element]]:
    """Each selection's words, and the names of the codes it carries."""
    names = {c.get("guid"): c.get("name") for c in root.iter(f"{NS}Code")}
    out = {}
    for source in root.iter(f"{NS}TextSource"):
        text = texts[source.get("guid")]
        for s in source.iter(f"{NS}PlainTextSelection"):
            words = text[int(s.get("startPosition")):int(s.get("endPosition"))]
            out[words] = ({names[r.get("targetGUID")] for r in s.iter(f"{NS}CodeRef")}, s)
    return out


def test_turns_are_lines_and_each_utterance_knows_where_it_sits():
    body = source_text([
        SourceLine(1, "Claire", 1, "Comment s'est passé le remboursement ?"),
        SourceLine(2, "P-004", 2, "Trois semaines."),
        SourceLine(3, "P-004", 2, "Trois semaines, c'est long 😡 !"),
        SourceLine(4, "P-004", 2, ""),
        SourceLine(5, "Claire", 3, "Et ensuite ?"),
    ])
    assert body.text == ("Claire: Comment s'est passé le remboursement ?\n"
                         "P-004: Trois semaines. Trois semaines, c'est long 😡 !\n"
                         "Claire: Et ensuite ?\n")
    assert body.text[slice(*body.spans[3])] == "Trois semaines, c'est long 😡 !"
    assert body.text[slice(*body.spans[5])] == "Et ensuite ?"
    assert 4 not in body.spans


@pytest.fixture
def coded():
    records = [
        u(1, "irritant", "t1", 3, participant=1, expectation=True, text="Trois semaines pour être remboursée."),
        replace(u(2, "enchantment", "t3", 2, participant=1, text="La conseillère m'a rappelée le jour même !"),
                machine_label="neutral", corrected=True),
        u(3, "neutral", "t3", 1, participant=2, interview=2, persona=20, kind="employee",
          text="Je traite les dossiers de la région."),
    ]
    sources = [
        InterviewSource(1, "Entretien 1 · P01", [
            SourceLine(10, "Claire", 1, "Comment ça s'est passé ?"),
            SourceLine(1, "P01", 2, records[0].text), SourceLine(2, "P01", 2, records[1].text)]),
        InterviewSource(2, "Entretien 2 · P02", [SourceLine(3, "P02", 1, records[2].text)], "miroir interne"),
    ]
    themes = [CodebookTheme("t1", "délai · remboursement", 1), CodebookTheme("t3", "conseillère · rappel", 2)]
    steps = [(1, "Je compare", False), (2, "J'appelle", False), (3, "Je suis remboursé", True)]
    return records, sources, themes, steps


def test_every_participant_utterance_is_a_selection_of_its_words_with_its_codes(coded):
    records, sources, themes, steps = coded
    root, texts = read_project(project_qdpx("Alizé", sources, records, themes, fr, steps=steps, now=NOW))
    assert len(texts) == 2 and texts[root.find(f"{NS}Sources")[0].get("guid")].startswith("Claire: Comment")
    sel = selected(root, texts)
    assert set(sel) == {r.text for r in records}, "the interviewer's question is not coded"
    codes, first = sel["Trois semaines pour être remboursée."]
    assert codes == {"Irritant", "Attente", "Je suis remboursé", "délai · remboursement"}
    assert sel["Je traite les dossiers de la région."][0] == {"Neutre", "Je compare", "conseillère · rappel"}
    assert "0,80" in first.find(f"{NS}Description").text
    # the team's correction is credited to the team, the rest to the analysis
    users = {x.get("name"): x.get("guid") for x in root.iter(f"{NS}User")}
    assert set(users) == {"Équipe de recherche", "Écoute (analyse automatique)"}
    _, corrected = sel["La conseillère m'a rappelée le jour même !"]
    by = {c.find(f"{NS}CodeRef").get("targetGUID"): c.get("creatingUser") for c in corrected.iter(f"{NS}Coding")}
    names = {c.get("guid"): c.get("name") for c in root.iter(f"{NS}Code")}
    assert {names[g]: who for g, who in by.items()} == {
        "Enchantement": users["Équipe de recherche"], "J'appelle": users["Écoute (analyse automatique)"],
        "conseillère · rappel": users["Écoute (analyse automatique)"]}
    assert "Neutre" in corrected.find(f"{NS}Description").text
    # participants are cases with their persona and type, pointing at their own selections
    cases = {c.get("name"): c for c in root.iter(f"{NS}Case")}
    assert set(cases) == {"P01", "P02"}
    assert [v.text for v in cases["P02"].iter(f"{NS}TextValue")] == ["Autonome", "Collaborateur"]
    mine = {s.get("targetGUID") for s in cases["P01"].iter(f"{NS}SelectionRef")}
    assert mine == {sel[r.text][1].get("guid") for r in records[:2]}
    assert [s.get("name") for s in root.iter(f"{NS}TextSource")] == ["Entretien 1 · P01", "Entretien 2 · P02"]
    assert [m.get("targetGUID") for m in root.iter(f"{NS}MemberCode")] == [
        g for g, name in names.items() if name == "Je suis remboursé"]


def test_codes_are_the_codebook_s_and_a_second_export_is_the_same_file(coded):
    records, sources, themes, steps = coded
    data = project_qdpx("Alizé", sources, records, themes, fr, steps=steps, now=NOW)
    assert data == project_qdpx("Alizé", sources, records, themes, fr, steps=steps, now=NOW)
    project = {c.get("name"): c.get("guid") for c in ET.fromstring(
        zipfile.ZipFile(io.BytesIO(data)).read("project.qde")).iter(f"{NS}Code")}
    book = {c.get("name"): c.get("guid") for c in ET.fromstring(
        codebook_qdc("Alizé", themes, fr, steps=steps)).iter(f"{{{QDC_NAMESPACE}}}Code")}
    assert project == book
    english, _ = read_project(project_qdpx("Alizé", sources, records, themes, partial(t, lang="en"),
                                           steps=steps, now=NOW))
    assert {"Irritant", "Enchantment", "Expectation"} <= {c.get("name") for c in english.iter(f"{NS}Code")}
    assert {v.text for v in english.iter(f"{NS}TextValue")} >= {"Customer", "Employee"}


def test_a_workspace_study_exports_every_interview_named_without_its_title(fresh_db):
    build_study(fresh_db, interviews=3, per_interview=4)
    fresh_db[S.T_INTERVIEWS].update(1, {"title": "Sophie, famille nombreuse", "date": "2026-09-28", "mode": "phone"})
    fresh_db[S.T_UTTERANCES].insert({"id": 9000, "interview_id": 1, "participant_id": None, "role": "interviewer",
                                     "speaker": "Claire", "position": -1, "text": "Bonjour, présentez-vous ?"})
    records = S.load_coded(fresh_db)
    root, texts = read_project(S.export_project(fresh_db, records, fr))
    names = [s.get("name") for s in root.iter(f"{NS}TextSource")]
    assert names[0] == "Entretien 1 · P-001 · 28/09/2026" and len(names) == 3
    assert not any("Sophie" in n for n in names)
    assert "rembourser · téléphone" in root.find(f"{NS}Sources")[0].find(f"{NS}Description").text
    first = texts[root.find(f"{NS}Sources")[0].get("guid")]
    assert first.startswith("Claire: Bonjour, présentez-vous ?\nP-001: ")
    assert set(selected(root, texts)) == {r.text for r in records}
    assert len(list(root.iter(f"{NS}PlainTextSelection"))) == len(records) == 12


def test_control_characters_pasted_from_word_leave_the_files_readable(coded):
    records, sources, themes, steps = coded
    odd = replace(records[0], text="Trois semaines\x0bpour être\x01 remboursée.", persona_name="Prudente\x0c")
    sources[0].lines[1] = SourceLine(1, "P01", 2, odd.text)
    themes = [CodebookTheme("t1", "délai", 1, "« Trois semaines\x0bpour » "), themes[1]]
    root, texts = read_project(project_qdpx("Alizé", sources, [odd, *records[1:]], themes, fr, steps=steps, now=NOW))
    sel = selected(root, texts)
    assert odd.text in sel, "the source text keeps what was said, and the selection still points at it"
    assert sel[odd.text][1].get("name") == "Trois semaines pour être  remboursée."
    ET.fromstring(codebook_qdc("Alizé", themes, fr, steps=steps))  # parses
