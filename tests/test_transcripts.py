"""Transcript import: formats, encodings, speakers, segmentation with offsets, duplicates, search."""
import io

import pytest
from docx import Document

from research import guides as G
from research import journeys as J
from research import transcripts as T
from research.cli import main
from research.interviews import InterviewError, create_interview
from research.participants import Contact, create_participant

TXT = """[00:00:05] Claire: Bonjour Sophie, merci d'être là. Pouvez-vous vous présenter ?
[00:00:12] Sophie: Je suis infirmière et j'ai deux enfants. Je gère les papiers le soir.

## J'envoie ma facture
[00:03:40] Claire: Comment avez-vous envoyé la facture ?
[00:03:52] Sophie: Par l'application, c'est très pratique.
Mais le courrier de mars a été perdu, j'étais furieuse.
"""


@pytest.fixture
def interview(fresh_db):
    db = fresh_db
    jid = J.create_journey(db, "Remboursement")
    macro = J.add_macro_step(db, jid, "La demande")
    step = J.add_step(db, macro, "J'envoie ma facture")
    gid = G.generate_guide(db, jid)
    pid = create_participant(db, "customer", contact=Contact("Sophie Lemaire"))
    iid = create_interview(db, "Sophie", participant_ids=[pid], status="done", when="2026-10-01",
                           interviewer="Claire Dubreuil", guide_id=gid)
    return db, iid, pid, step


def test_txt_turns_speakers_timestamps_offsets_and_guide_steps(interview):
    db, iid, pid, step = interview
    result = T.import_transcript(db, iid, TXT.encode("utf-8"), filename="sophie.txt")
    assert result.speakers == {"Claire": "interviewer", "Sophie": pid}
    rows = T.list_utterances(db, iid)
    text = T.get_transcript_text(db, result.transcript_id)
    assert all(text[u.start_char:u.end_char] == u.text for u in rows)
    sophie = [u for u in rows if u.role == "participant"]
    assert sophie[0].text == "Je suis infirmière et j'ai deux enfants." and sophie[0].timestamp_s == 12
    assert sophie[0].participant_id == pid and sophie[0].step_id is None
    last = sophie[-1]
    assert "perdu" in last.text and last.step_id == step and last.step_source == "guide"
    assert result.linked_to_steps == 3


def test_control_codes_in_a_transcript_are_read_as_breaks_or_spaces(interview):
    db, iid, pid, _ = interview
    text = ("Claire: Comment s'est passé\x0ble remboursement ?\x0c"
            "Sophie: Trois semaines\x01 d'attente,\x1f c'est long.\n")
    result = T.import_transcript(db, iid, text.encode(), filename="export.txt")
    rows = T.list_utterances(db, iid)
    stored = T.get_transcript_text(db, result.transcript_id)
    assert [u.speaker for u in rows if u.role == "participant"] == ["P-001"], "the page break ends Claire's turn"
    assert not any(ch in stored for ch in "\x01\x0b\x0c\x1f")
    said = next(u for u in rows if u.role == "participant")
    assert said.text == "Trois semaines  d'attente,  c'est long." and stored[said.start_char:said.end_char] == said.text


def test_import_pseudonymises_names_and_contacts_and_keeps_the_mapping_apart(interview):
    db, iid, pid, _ = interview
    from research.workspace import Workspace, save_workspace

    save_workspace(db, Workspace(brand_name="Alizé Mutuelle", competitors=["Santéo"]))
    text = ("Claire: Bonjour Sophie, vous êtes bien Mme Lemaire ?\n"
            "Sophie: Oui. Écrivez-moi à sophie.lemaire@example.org ou au 06 12 34 56 78. "
            "J'ai quitté Santéo pour Alizé Mutuelle l'an dernier.\n")
    result = T.import_transcript(db, iid, text.encode(), filename="p.txt")
    stored = T.get_transcript_text(db, result.transcript_id)
    for secret in ("Sophie", "Lemaire", "sophie.lemaire@example.org", "06 12 34 56 78"):
        assert secret not in stored, secret
    assert "Santéo" in stored and "Alizé Mutuelle" in stored, "the brand and competitors are not names"
    assert "[EMAIL_1]" in stored and "[TÉLÉPHONE_1]" in stored and "[PERSONNE_1]" in stored
    mapping = {(r["placeholder"], r["original"]) for r in db["pseudonym_map"].rows_where(
        "transcript_id = ?", [result.transcript_id])}
    assert ("[EMAIL_1]", "sophie.lemaire@example.org") in mapping
    assert (db["participants"].get(pid)["code"], "Sophie") in mapping
    T.delete_transcript(db, result.transcript_id)
    assert db["pseudonym_map"].count_where("transcript_id = ?", [result.transcript_id]) == 0


def test_pseudonymisation_can_be_turned_off(interview):
    db, iid, _, _ = interview
    from research.privacy import set_pseudonymise_on_import

    set_pseudonymise_on_import(db, False)
    result = T.import_transcript(db, iid, TXT.encode("utf-8"), filename="sophie.txt")
    assert "Bonjour Sophie" in T.get_transcript_text(db, result.transcript_id)
    assert db["pseudonym_map"].count == 0


def test_vtt_voices_and_srt_names_are_merged_into_turns(interview):
    db, iid, pid, step = interview
    vtt = ("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Claire>Bonjour, on commence ?\n\n"
           "00:00:04.000 --> 00:00:06.000\n<v Sophie>Oui. Je suis prête pour l'entretien.\n\n"
           "00:00:06.500 --> 00:00:09.000\n<v Sophie>J'ai attendu quarante minutes au téléphone la semaine dernière.\n")
    r = T.import_transcript(db, iid, vtt.encode(), filename="a.vtt")
    turns = {u.speaker for u in T.list_utterances(db, iid)}
    code = db["participants"].get(pid)["code"]
    assert turns == {"Claire", code} and r.utterances == 3, "a participant's label becomes their code"
    srt = ("1\n00:00:01,000 --> 00:00:02,000\nClaire: Et ensuite ?\n\n"
           "2\n00:00:02,500 --> 00:00:05,000\nSophie: Le remboursement est arrivé en deux jours.\n\n"
           "3\n00:00:05,500 --> 00:00:07,000\nJ'étais vraiment soulagée, franchement.\n")
    r2 = T.import_transcript(db, iid, srt.encode(), filename="b.srt")
    sophie = [u for u in T.list_utterances(db, iid) if u.transcript_id == r2.transcript_id and u.role == "participant"]
    assert [u.timestamp_s for u in sophie] == [2.5, 2.5], "the speakerless cue continues Sophie's turn"


def test_docx_and_cp1252_and_pasted_text(interview):
    db, iid, pid, step = interview
    doc = Document()
    doc.add_paragraph("Claire : Qu'avez-vous ressenti au guichet ?")
    doc.add_paragraph("Sophie : Une grande déception, personne ne savait où était mon dossier.")
    buf = io.BytesIO()
    doc.save(buf)
    r = T.import_transcript(db, iid, buf.getvalue(), filename="notes.docx")
    assert r.utterances == 2
    word_export = "Claire: Et le délai ?\nSophie: Trop long, j'ai dû relancer trois fois à l'agence.\n".encode("cp1252")
    r = T.import_transcript(db, iid, word_export, filename="export.txt")
    assert "délai" in T.get_transcript_text(db, r.transcript_id)
    r = T.import_transcript(db, iid, "Claire: Merci.\nSophie: Avec plaisir, c'était intéressant.".encode(), fmt="paste")
    assert r.utterances == 2


OTTER = """Speaker 1  0:00
Bonjour Sophie, merci d'être venue.

Speaker 2  0:04
Avec plaisir. Ma carte a été bloquée deux fois.
Note: c'était en plein voyage.

Speaker 1  1:02:03
Racontez-moi.
"""
MEET = """Entretien Sophie - Transcription
00:00:00

Claire: Bonjour, comment allez-vous ?
Sophie: Bien. Le rendez-vous était prévu à
14:30 mais personne n'est venu.
00:05:00

Claire: Et ensuite ?
Sophie: J'ai rappelé l'agence.
"""


def _docx(*paragraphs: str) -> bytes:
    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _docx_table(rows: list[tuple[str, ...]], after: str) -> bytes:
    doc = Document()
    table = doc.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        for cell, value in zip(table.add_row().cells, row):
            cell.text = value
    doc.add_paragraph(after)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("data,fmt,expected", [
    (OTTER.encode(), "txt", [("Speaker 1", "Bonjour Sophie, merci d'être venue.", 0),
                             ("Speaker 2", "Avec plaisir. Ma carte a été bloquée deux fois. Note: c'était en plein voyage.", 4),
                             ("Speaker 1", "Racontez-moi.", 3723)]),
    # Teams' Word export: a title block, then each turn's name (a directory's "Last, First") and time
    (_docx("Transcript", "October 3, 2026, 2:00PM", "43m 15s", "Dubreuil, Claire   0:03",
           "Qu'avez-vous pensé du guichet ?", "Claire Dubreuil started transcription",
           "Lemaire, Sophie   0:10\nPersonne ne savait où était mon dossier."), "docx",
     [("Dubreuil, Claire", "Qu'avez-vous pensé du guichet ?", 3),
      ("Lemaire, Sophie", "Personne ne savait où était mon dossier.", 10)]),
    # Teams' older Word export: cue timing, name, words; one speaker's cues make one turn
    (_docx("0:0:0.0 --> 0:0:3.600", "Claire Dubreuil", "Bonjour.", "0:0:3.600 --> 0:0:9.100", "Sophie Lemaire",
           "J'ai attendu longtemps.", "0:0:9.100 --> 0:0:12.0", "Sophie Lemaire", "Trop longtemps."), "docx",
     [("Claire Dubreuil", "Bonjour.", 0), ("Sophie Lemaire", "J'ai attendu longtemps. Trop longtemps.", 3.6)]),
    # Google Meet: a mark every five minutes dates the next turn and is no word of anyone's
    (MEET.encode(), "txt", [("Claire", "Entretien Sophie - Transcription Bonjour, comment allez-vous ?", 0),
                            ("Sophie", "Bien. Le rendez-vous était prévu à 14:30 mais personne n'est venu.", None),
                            ("Claire", "Et ensuite ?", 300), ("Sophie", "J'ai rappelé l'agence.", None)]),
    # a transcription service's Word table: a heading row, then the speaker, the time and the words
    (_docx_table([("Locuteur", "Horodatage", "Texte"), ("Claire", "00:00:05", "Bonjour Sophie."),
                  ("Sophie", "00:00:09", "Ma carte a été\nbloquée.")], after="Claire : Merci."), "docx",
     [("Claire", "Bonjour Sophie.", 5), ("Sophie", "Ma carte a été bloquée.", 9), ("Claire", "Merci.", None)]),
    # times of day ("[Name] 14:02:11", "2:59:50 PM") become time since the first turn, past the hour too
    ("[Claire Dubreuil] 14:02:11\nBonjour.\n[Sophie Lemaire] 14:02:15\nBonjour.\n"
     "[Claire Dubreuil] 15:04:20\nMerci.\n".encode(), "txt",
     [("Claire Dubreuil", "Bonjour.", 0), ("Sophie Lemaire", "Bonjour.", 4), ("Claire Dubreuil", "Merci.", 3729)]),
    ("Claire  11:59:50 AM\nBonjour.\nSophie  12:00:05 PM\nBonjour.\nClaire  1:00:00 PM\nMerci.\n".encode(),
     "txt", [("Claire", "Bonjour.", 0), ("Sophie", "Bonjour.", 15), ("Claire", "Merci.", 3610)]),
    ("Claire  2:02 PM\nBonjour.\nSophie  2:05 PM\nBonjour.\n".encode(), "txt",
     [("Claire", "Bonjour.", 0), ("Sophie", "Bonjour.", 180)]),
    ("**Claire :** Bonjour.\n**Sophie** : Bonjour, j'ai un souci.".encode(), "paste",
     [("Claire", "Bonjour.", None), ("Sophie", "Bonjour, j'ai un souci.", None)]),
])
def test_transcripts_exported_by_meeting_tools_keep_their_speakers_words_and_times(data, fmt, expected):
    turns = T.parse(data, fmt).turns
    assert [(t.speaker, t.text, t.timestamp_s) for t in turns] == expected


def test_a_time_in_a_recording_reads_as_people_write_it():
    assert [T.elapsed(s) for s in (None, 0, 65.7, 3599, 3723, 50531)] == ["", "0:00", "1:05", "59:59", "1:02:03",
                                                                        "14:02:11"]


def test_a_directory_name_last_name_first_is_matched_to_the_interviewer_and_the_participant(interview):
    db, iid, pid, step = interview
    roles = T.guess_speaker_roles(db, iid, ["Lemaire, Sophie", "Dubreuil, Claire"])
    assert roles == {"Dubreuil, Claire": "interviewer", "Lemaire, Sophie": pid}


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "mac_roman"])
def test_a_french_transcript_in_a_western_code_page_reads_as_written(encoding):
    text = "Intervieweur : Bonjour.\nP-001 : J'étais très déçue, ça a traîné ; où est mon dossier ?\n"
    decoded, _ = T.decode(text.encode(encoding))
    assert decoded == text  # detection alone read Latin-1 as cp1250 ("trčs") or Big5


@pytest.mark.parametrize("data,filename,key", [
    (b"", "vide.txt", "transcripts.err.empty"),
    (b"   \n  ", "blanc.txt", "transcripts.err.empty"),
    ("Un long texte sans aucun nom de locuteur.\nEt une autre ligne.".encode(), "brut.txt", "transcripts.err.no_speakers"),
    (b"Claire: bonjour", "audio.mp3", "transcripts.err.format"),
    (b"WEBVTT\n\nceci n'est pas un cue\n00:00 --> xx", "bad.vtt", "transcripts.err.malformed_at"),
    (b"PK\x03\x04 not really a docx", "bad.docx", "transcripts.err.malformed"),
    (b"\xff\xfe\x00", "odd.txt", "transcripts.err.encoding"),
])
def test_bad_files_are_refused_and_store_nothing(interview, data, filename, key):
    db, iid, pid, step = interview
    with pytest.raises(T.TranscriptError) as e:
        T.import_transcript(db, iid, data, filename=filename)
    assert e.value.key == key
    assert db["transcripts"].count == 0 and db["utterances"].count == 0


@pytest.mark.parametrize("data, filename, line, excerpt", [
    # webvtt-py skips a cue whose timing it cannot read, and Marc's words with it
    (b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anne>Bonjour\n\n00:00:0x.000 --> 00:00:03.000\n<v Marc>Perdu\n",
     "lost.vtt", 6, "00:00:0x.000 --> 00:00:03.000"),
    (b"1\n00:00:01,000 --> 00:00:02,000\nAnne: Bonjour\n\n2\n00:00:03,000 --> oops\nMarc: Perdu\n\n"
     b"3\n00:00:05,000 --> 00:00:06,000\nAnne: Fin\n", "bad.srt", 6, "00:00:03,000 --> oops"),
    # a timing whose arrow was lost is still the line pointed at, not the cue's number above it
    (b"1\n00:00:01,000 --> 00:00:02,000\nAnne: Bonjour\n\n2\n00:00:03,000 - 00:00:04,000\nMarc: Perdu\n",
     "arrow.srt", 6, "00:00:03,000 - 00:00:04,000"),
])
def test_a_subtitle_file_with_an_unreadable_cue_is_refused_at_its_line(interview, data, filename, line, excerpt):
    db, iid, pid, step = interview
    with pytest.raises(T.TranscriptError) as e:
        T.import_transcript(db, iid, data, filename=filename)
    assert e.value.key == "transcripts.err.malformed_at"
    assert e.value.params["line"] == line and e.value.params["excerpt"] == excerpt
    assert f"line {line}" in str(e.value)
    assert db["transcripts"].count == 0 and db["utterances"].count == 0


def test_a_duplicate_is_refused_unless_replaced_or_kept(interview):
    db, iid, pid, step = interview
    first = T.import_transcript(db, iid, TXT.encode(), filename="sophie.txt")
    with pytest.raises(T.DuplicateTranscriptError) as e:
        T.import_transcript(db, iid, TXT.encode(), filename="sophie (1).txt")
    assert e.value.key == "transcripts.err.duplicate" and db["transcripts"].count == 1
    T.import_transcript(db, iid, TXT.encode(), filename="sophie.txt", on_duplicate="keep_both")
    assert db["transcripts"].count == 2
    replaced = T.import_transcript(db, iid, TXT.encode(), filename="sophie.txt", on_duplicate="replace")
    assert replaced.replaced == first.transcript_id and db["transcripts"].count == 2
    assert db["utterances"].count == 2 * first.utterances


def test_an_interview_in_two_parts_reads_one_part_after_the_other(interview):
    db, iid, pid, step = interview
    first = T.import_transcript(db, iid, TXT.encode(), filename="partie-1.txt")
    second = T.import_transcript(db, iid, "Claire: Reprenons.\nSophie: La suite, donc.\n".encode(),
                                 filename="partie-2.txt")
    read = T.list_utterances(db, iid)
    assert [u.transcript_id for u in read] == [first.transcript_id] * first.utterances + [second.transcript_id] * 2
    assert [u.text for u in read[-2:]] == ["Reprenons.", "La suite, donc."]
    assert [u.position for u in read] == list(range(1, first.utterances + 3))


def test_search_ignores_accents_and_case_and_points_at_the_utterance(interview):
    db, iid, pid, step = interview
    T.import_transcript(db, iid, TXT.encode(), filename="sophie.txt")
    hits = T.search(db, "infirmiere")
    assert len(hits) == 1 and ("infirmière", True) in hits[0].snippet_parts() and hits[0].interview_id == iid
    assert T.search(db, "FURIEUSE")[0].text.endswith("j'étais furieuse.")
    assert [h.text for h in T.search(db, "rembours")] == []
    assert T.search(db, '"; DROP TABLE') == []


def test_a_done_interview_cannot_be_in_the_future(fresh_db):
    pid = create_participant(fresh_db, "customer")
    with pytest.raises(InterviewError) as e:
        create_interview(fresh_db, "Demain", participant_ids=[pid], status="done", when="2999-01-01")
    assert e.value.key == "interviews.err.done_future" and fresh_db["interviews"].count == 0


def test_cli_imports_a_transcript(tmp_path, capsys):
    from research.store import open_database

    path = tmp_path / "w.db"
    db = open_database(path)
    pid = create_participant(db, "customer", code="P-014")
    create_interview(db, "Test", participant_ids=[pid])
    db.close()
    f = tmp_path / "t.txt"
    f.write_text("Marc: Bonjour, comment allez-vous ?\nJeanne: Très bien, merci de votre appel.\n", encoding="utf-8")
    with pytest.raises(SystemExit) as e:
        main(["transcript", "import", str(f), "--interview", "1", "--speaker", "Marc=interviewer",
              "--speaker", "Jeanne=P-014", "--db", str(path)])
    assert e.value.code == 0
    assert "2 utterances" in capsys.readouterr().out
    with pytest.raises(SystemExit) as e:
        main(["transcript", "import", str(f), "--interview", "1", "--db", str(path)])
    assert e.value.code == 1 and "imported already" in capsys.readouterr().err


def test_search_snippet_parts_separate_the_words_found_from_what_surrounds_them():
    hit = T.Hit(1, 1, "Entretien", "P-001", "Sophie", 3,
                f"…le {T.MATCH_OPEN}remboursement{T.MATCH_CLOSE} *enfin* arrivé, {T.MATCH_OPEN}rembours{T.MATCH_CLOSE}é…",
                "text")
    assert hit.snippet_parts() == [("…le ", False), ("remboursement", True), (" *enfin* arrivé, ", False),
                                   ("rembours", True), ("é…", False)]
