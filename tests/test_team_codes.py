"""The team's own codes: a codebook with unique names, put on and taken off participants' utterances,
read with the analysis, exported, erased with their participant."""
import csv
import io
import sys
import zipfile
from functools import partial
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from research import synthesis_store as S
from research import team_codes as C
from research.errors import DomainError
from research.folding import fold
from research.store import open_database
from ui.i18n import t

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from synthesis_study import build_study  # noqa: E402

fr = partial(t, lang="fr")


@pytest.fixture
def study(fresh_db):
    build_study(fresh_db, interviews=4, per_interview=5)
    fresh_db["utterances"].insert({"id": 9000, "interview_id": 1, "participant_id": None, "role": "interviewer",
                                   "speaker": "Claire", "position": -1, "text": "Et le prix ?"})
    return fresh_db


def refused(key: str, call) -> DomainError:
    with pytest.raises(DomainError) as e:
        call()
    assert e.value.key == key, e.value.key
    return e.value


def test_names_are_cleaned_unique_whatever_their_case_and_accents_and_bad_ones_write_nothing(study):
    first = C.create_code(study, "  Prix   et cotisations ", "Ce que coûte la mutuelle.", "Claire")
    assert C.get_code(study, first).name == "Prix et cotisations"
    assert refused("codes.err.duplicate", lambda: C.create_code(study, "prix ET cotisations")).params["name"] \
        == "Prix et cotisations"
    refused("codes.err.empty", lambda: C.create_code(study, "   "))
    refused("codes.err.long", lambda: C.create_code(study, "x" * (C.NAME_MAX + 1)))
    second = C.create_code(study, "Écoute du conseiller")
    C.edit_code(study, second, "écoute du Conseiller ", "")  # its own name, written otherwise
    assert C.get_code(study, second).name == "écoute du Conseiller"
    refused("codes.err.duplicate", lambda: C.edit_code(study, second, "Prix et cotisations"))
    C.edit_code(study, second, "Écoute du conseiller (agence)", "Ce que le conseiller a entendu.")
    assert [c.name for c in C.list_codes(study)] == ["Écoute du conseiller (agence)", "Prix et cotisations"]
    refused("codes.err.unknown", lambda: C.edit_code(study, 999, "Autre"))


def test_codes_go_on_participants_utterances_once_and_come_off(study):
    price = C.create_code(study, "Prix")
    digital = C.create_code(study, "Parcours digital")
    records = S.load_coded(study)
    ids = [u.utterance_id for u in records[:3]]
    assert C.apply_code(study, ids, price, "Claire") == 3
    assert C.apply_code(study, ids[:2] + [records[5].utterance_id], price, "Claire") == 1  # two had it already
    C.apply_code(study, ids[:1], digital)
    after = {u.utterance_id: u.team_codes for u in S.load_coded(study)}
    assert after[ids[0]] == ("Parcours digital", "Prix") and after[ids[1]] == ("Prix",)
    assert after[records[4].utterance_id] == ()
    refused("codes.err.utterance", lambda: C.apply_code(study, [ids[0], 9000], price))  # the interviewer's
    refused("codes.err.utterance", lambda: C.apply_code(study, [123456], price))
    refused("codes.err.nothing_picked", lambda: C.apply_code(study, [], price))
    refused("codes.err.unknown", lambda: C.apply_code(study, ids, 999))
    assert C.get_code(study, price).uses == 4, "a refused call writes nothing"
    assert C.remove_code(study, [ids[0], records[4].utterance_id], price) == 1
    assert C.delete_code(study, digital) == 1
    assert {u.utterance_id: u.team_codes for u in S.load_coded(study)}[ids[0]] == ()
    assert [(c.name, c.uses) for c in C.list_codes(study)] == [("Prix", 3)]


def test_the_synthesis_cache_key_moves_with_every_coding(study):
    price = C.create_code(study, "Prix")
    records = S.load_coded(study)
    a, b = records[0].utterance_id, records[1].utterance_id
    C.apply_code(study, [a], price)
    before = S.stamp(study)
    C.remove_code(study, [a], price)
    C.apply_code(study, [b], price)  # as many codings as before, within the same second
    assert S.stamp(study) != before


def test_a_summary_spreads_each_code_over_feelings_participants_and_steps(study):
    price = C.create_code(study, "Prix")
    C.create_code(study, "Jamais utilisé")
    records = S.load_coded(study)
    mine = records[:6]
    C.apply_code(study, [u.utterance_id for u in mine], price)
    summaries = C.summaries(C.list_codes(study), S.load_coded(study))
    assert [s.code.name for s in summaries] == ["Prix", "Jamais utilisé"]
    top = summaries[0]
    assert top.utterances == 6 and top.participants == len({u.participant_id for u in mine})
    assert top.irritants == sum(u.label == "irritant" for u in mine)
    assert top.irritants + top.enchantments + top.neutral == 6
    assert sum(n for _, n in top.steps) == sum(1 for u in mine if u.step_label)
    assert summaries[1].utterances == 0


def test_codes_leave_with_the_coded_data_and_go_with_an_erased_participant(study):
    from research.auth import create_user
    from research.erasure import erase_participant
    from tests.test_qda_project import NS, read_project, selected

    price = C.create_code(study, "Prix", "Ce que coûte la mutuelle.")
    records = S.load_coded(study)
    C.apply_code(study, [records[0].utterance_id], price, "Claire")
    records = S.load_coded(study)
    rows = list(csv.DictReader(io.StringIO(S.export_csv(records).decode("utf-8-sig"))))
    assert rows[0]["team_codes"] == "Prix" and rows[1]["team_codes"] == ""
    root, texts = read_project(S.export_project(study, records, fr))
    codes, selection = selected(root, texts)[records[0].text]
    assert "Prix" in codes
    team = next(c for c in root.iter(f"{NS}Code") if c.get("name") == "Codes de l'équipe")
    assert [c.get("name") for c in team] [1:] == ["Prix"]  # after the group's own description
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{NS}User")}
    names = {c.get("guid"): c.get("name") for c in root.iter(f"{NS}Code")}
    by = {names[c.find(f"{NS}CodeRef").get("targetGUID")]: users[c.get("creatingUser")]
          for c in selection.iter(f"{NS}Coding")}
    assert by["Prix"] == "Équipe de recherche"
    book = ET.fromstring(S.export_codebook(study, records, fr))
    assert "Prix" in {c.get("name") for c in book.iter("{urn:QDA-XML:codebook:1.0}Code")}
    assert zipfile.ZipFile(io.BytesIO(S.export_project(study, records, fr))).testzip() is None

    admin = create_user(study, "admin", "un mot de passe assez long", "admin")
    erase_participant(study, admin, records[0].participant_id)
    assert C.get_code(study, price).uses == 0


def test_the_study_report_gives_each_used_code_its_figures_definition_and_consented_quotes(study):
    from research.synthesis_export import report_html, report_sections

    price = C.create_code(study, "Prix", "Ce que coûte la mutuelle.")
    C.create_code(study, "Jamais utilisé")
    records = S.load_coded(study)
    mine = records[:2] + records[5:7]  # two participants
    assert len({u.participant_id for u in mine}) == 2
    C.apply_code(study, [u.utterance_id for u in mine], price)
    report = S.build_report(study, S.load_coded(study), fr)
    report.quotable = lambda participant_id: participant_id != mine[0].participant_id
    section = next(s for s in report_sections(report, fr) if s["key"] == "team_codes")
    [item] = section["items"]
    assert item.title == "Prix" and item.lines == ["Ce que coûte la mutuelle."]
    assert item.meta.startswith("4 verbatims · ")
    assert item.quotes and all(q.participant_id != mine[0].participant_id for q in item.quotes)
    assert "Jamais utilisé" not in report_html(report, fr, "fr")


def test_the_synthesis_filters_keep_the_utterances_of_the_codes_chosen(study):
    from research.synthesis import Filters, findings

    price = C.create_code(study, "Prix")
    digital = C.create_code(study, "Parcours digital")
    records = S.load_coded(study)
    C.apply_code(study, [u.utterance_id for u in records[:3]], price)
    C.apply_code(study, [u.utterance_id for u in records[2:5]], digital)
    records = S.load_coded(study)
    kept = [u.utterance_id for u in records if Filters(team_codes=("Prix",)).keep(u)]
    assert kept == [u.utterance_id for u in records[:3]]
    either = [u for u in records if Filters(team_codes=("Prix", "Parcours digital")).keep(u)]
    assert len(either) == 5
    shown = findings(records, "irritant", Filters(team_codes=("Parcours digital",)))
    assert sum(f.mentions for f in shown) == sum(u.label == "irritant" for u in records[2:5])


NVIVO_LIKE = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="NVivo 14">
  <Codes>
    <Code guid="11111111-1111-4111-8111-111111111111" name="Relation client" isCodable="false">
      <Code guid="22222222-2222-4222-8222-222222222222" name="Écoute du  conseiller" isCodable="true">
        <Description>Le conseiller a pris le temps d'entendre.</Description>
      </Code>
      <Code guid="33333333-3333-4333-8333-333333333333" name="prix" isCodable="true">
        <Description>Une autre définition du prix.</Description>
      </Code>
    </Code>
    <Code guid="44444444-4444-4444-8444-444444444444" name="Délais" isCodable="true"/>
    <Code guid="55555555-5555-4555-8555-555555555555" name="" isCodable="true"/>
  </Codes>
</CodeBook>"""


def test_a_codebook_from_another_tool_joins_the_team_s_and_a_bad_file_adds_nothing(study):
    C.create_code(study, "Prix", "Ce que coûte la mutuelle.")
    done = C.import_codebook(study, NVIVO_LIKE.encode(), "Claire")
    assert done.created == ("Écoute du conseiller", "Délais") and done.present == ("prix",) and done.unnamed == 1
    codes = {c.name: c.description for c in C.list_codes(study)}
    assert codes == {"Délais": "", "Écoute du conseiller": "Le conseiller a pris le temps d'entendre.",
                     "Prix": "Ce que coûte la mutuelle."}
    # a project exported by Écoute itself gives back its team codes only, not the analysis' codes
    records = S.load_coded(study)
    C.create_code(study, "Parcours digital", "L'application et le site.")
    project = S.export_project(study, records, fr)
    other = open_database(":memory:")
    again = C.import_codebook(other, project)
    assert sorted(again.created) == ["Délais", "Parcours digital", "Prix", "Écoute du conseiller"]
    assert {c.name: c.description for c in C.list_codes(other)}["Parcours digital"] == "L'application et le site."
    assert C.import_codebook(other, S.export_codebook(study, records, fr)).present == tuple(
        sorted(again.created, key=fold)), "the same codes again, from the .qdc: all there already"
    refused("codes.err.no_codes", lambda: C.import_codebook(
        open_database(":memory:"), S.export_codebook(open_database(":memory:"), records, fr)))
    before = len(C.list_codes(study))
    for data, key in ((b"", "codes.err.empty_file"), (b"<CodeBook><Code name='x'>", "codes.err.malformed_codebook"),
                      (b"<html><body/></html>", "codes.err.not_codebook"),
                      (b'<!DOCTYPE a [<!ENTITY b "c">]><CodeBook>&b;</CodeBook>', "codes.err.unsafe_codebook"),
                      (b"PK\x03\x04 not a zip", "codes.err.not_codebook"),
                      (b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes/></CodeBook>", "codes.err.no_codes")):
        refused(key, lambda: C.import_codebook(study, data))
    assert len(C.list_codes(study)) == before


def test_reading_a_transcript_a_researcher_gives_an_utterance_exactly_its_codes(study):
    price = C.create_code(study, "Prix")
    digital = C.create_code(study, "Parcours digital")
    delay = C.create_code(study, "Délais")
    uid = S.load_coded(study)[0].utterance_id
    assert C.set_codes(study, uid, [price, digital], "Claire") == (2, 0)
    assert C.set_codes(study, uid, [digital, delay]) == (1, 1)
    assert [name for _, name in C.codes_by_utterance(study)[uid]] == ["Délais", "Parcours digital"]
    interview = study.execute("SELECT interview_id FROM utterances WHERE id = ?", [uid]).fetchone()[0]
    assert C.codes_by_utterance(study, interview) == C.codes_by_utterance(study)
    assert C.codes_by_utterance(study, interview + 1) == {}
    refused("codes.err.unknown", lambda: C.set_codes(study, uid, [price, 999]))
    refused("codes.err.utterance", lambda: C.set_codes(study, 9000, [price]))  # the interviewer's
    assert C.set_codes(study, uid, []) == (0, 2) and uid not in C.codes_by_utterance(study)


def test_a_transcript_replaced_or_deleted_takes_its_utterances_codes_along(fresh_db):
    from research import transcripts as T
    from research.interviews import create_interview
    from research.participants import create_participant

    pid = create_participant(fresh_db, "customer")
    iid = create_interview(fresh_db, "Entretien", participant_ids=[pid], status="done", when="2026-10-01")
    data = "Claire: Et le prix ?\nSophie: Trop cher pour ce que c'est, vraiment trop cher.\n".encode()
    T.import_transcript(fresh_db, iid, data, filename="a.txt", speakers={"Sophie": pid})
    price = C.create_code(fresh_db, "Prix")
    said = [u.id for u in T.list_utterances(fresh_db, iid) if u.role != "interviewer"]
    C.apply_code(fresh_db, said, price)
    T.import_transcript(fresh_db, iid, data, filename="a.txt", speakers={"Sophie": pid}, on_duplicate="replace")
    assert C.get_code(fresh_db, price).uses == 0 and len(T.list_transcripts(fresh_db, iid)) == 1
    said = [u.id for u in T.list_utterances(fresh_db, iid) if u.role != "interviewer"]
    C.apply_code(fresh_db, said, price)
    fresh_db["analysis_persona_traits"].insert({"participant_id": pid, "utterance_id": said[0], "text": "…"})
    T.delete_transcript(fresh_db, T.list_transcripts(fresh_db, iid)[0]["id"])
    assert C.get_code(fresh_db, price).uses == 0
    assert fresh_db["analysis_persona_traits"].count == 0, "nor a trait quoting a deleted utterance"


def test_codes_cross_personas_by_participants_and_feeling(study):
    from research.synthesis_charts import code_persona_chart

    price = C.create_code(study, "Prix")
    records = S.load_coded(study)
    mine = records[:2] + records[5:7] + records[10:11]
    C.apply_code(study, [u.utterance_id for u in mine], price)
    cells = C.persona_grid(C.list_codes(study), S.load_coded(study))
    by_persona = {c.persona: c for c in cells}
    for persona in {u.persona_name for u in mine}:
        theirs = [u for u in mine if u.persona_name == persona]
        cell = by_persona[persona]
        assert (cell.utterances, cell.participants) == (len(theirs), len({u.participant_id for u in theirs}))
        assert cell.irritants == sum(u.label == "irritant" for u in theirs)
    assert {c.code for c in cells} == {"Prix"} and len(cells) == len({u.persona_name for u in mine})
    spec = code_persona_chart(cells, fr).to_dict()
    assert {row["persona"] for row in spec["datasets"][next(iter(spec["datasets"]))]} == set(by_persona)
    assert code_persona_chart([], fr) is None
