"""Interview guides: generated from a journey, edited, frozen, exported."""
import io

import pytest
from docx import Document

from research import guides as G
from research import journeys as J
from research.cli import main


@pytest.fixture
def guide(fresh_db):
    jid = J.create_from_template(fresh_db, "claim", "Déclarer un sinistre", "fr")
    J.update_step(fresh_db, J.list_steps(fresh_db, jid)[2].id, is_moment_of_truth=True)
    return fresh_db, jid, G.generate_guide(fresh_db, jid, "fr", "external", total_minutes=60)


def test_a_guide_has_an_opening_a_section_per_step_and_a_closing_within_budget(guide):
    db, jid, gid = guide
    g = G.get_guide(db, gid)
    steps = J.list_steps(db, jid)
    assert [s.kind for s in g.sections] == ["opening"] + ["step"] * len(steps) + ["closing"]
    assert [s.step_id for s in g.sections[1:-1]] == [s.id for s in steps]
    assert all(len(s.questions) == 6 for s in g.sections[1:-1])
    assert abs(g.minutes - 60) <= len(steps)
    mot = g.sections[3]
    assert mot.minutes > g.sections[2].minutes, "a moment of truth gets more time"


def test_internal_and_english_variants_ask_other_questions(guide):
    db, jid, gid = guide
    internal = G.get_guide(db, G.generate_guide(db, jid, "fr", "internal"))
    english = G.get_guide(db, G.generate_guide(db, jid, "en", "external"))
    assert "clients" in internal.sections[1].questions[0]
    assert english.sections[1].questions[0].startswith("Tell me")


def test_freezing_keeps_a_version_that_later_edits_do_not_change(guide):
    db, jid, gid = guide
    v1 = G.freeze_guide(db, gid)
    assert G.freeze_guide(db, gid) == v1, "nothing changed: same version"
    section = G.get_guide(db, gid).sections[1]
    G.update_section(db, section.id, title="Le sinistre", questions=["Que s'est-il passé ?"], minutes=7)
    v2 = G.freeze_guide(db, gid)
    assert v2 != v1
    assert G.get_guide_version(db, v1).sections[1].title != "Le sinistre"
    assert G.get_guide_version(db, v2).sections[1].questions == ["Que s'est-il passé ?"]
    assert [v["number"] for v in G.list_versions(db, gid)] == [1, 2]


def test_bad_section_edits_are_refused(guide):
    db, jid, gid = guide
    section = G.get_guide(db, gid).sections[1]
    for kwargs, key in (({"title": " ", "questions": ["q"], "minutes": 5}, "guides.err.title"),
                        ({"title": "t", "questions": ["  "], "minutes": 5}, "guides.err.questions"),
                        ({"title": "t", "questions": ["q"], "minutes": 0}, "guides.err.minutes")):
        with pytest.raises(G.GuideError) as e:
            G.update_section(db, section.id, **kwargs)
        assert e.value.key == key
    assert G.get_guide(db, gid).sections[1].title == section.title


def test_docx_export_reads_back_with_every_section(guide):
    db, jid, gid = guide
    g = G.get_guide(db, gid)
    doc = Document(io.BytesIO(G.guide_to_docx(db, g)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading 1")]
    assert len(headings) == len(g.sections)
    assert all(s.title in h for s, h in zip(g.sections, headings))
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert len(bullets) == sum(len(s.questions) for s in g.sections)


def test_markdown_and_html_exports_hold_the_questions(guide):
    db, jid, gid = guide
    g = G.get_guide(db, gid)
    md = G.guide_to_markdown(db, g)
    html = G.guide_to_html(db, g)
    assert md.count("\n## ") == len(g.sections)
    assert html.count("<section") == len(g.sections) and "@page" in html
    assert g.sections[1].questions[2].replace("'", "&#x27;") in html


def test_cli_exports_a_guide(guide, tmp_path, monkeypatch, capsys):
    db, jid, gid = guide
    path = tmp_path / "w.db"
    from research.store import open_database

    target = open_database(path)
    J.create_from_template(target, "purchase", "Acheter", "fr")
    target_gid = G.generate_guide(target, 1, "en", "external")
    target.close()
    out = tmp_path / "guide.docx"
    with pytest.raises(SystemExit) as e:
        main(["guide", "export", str(target_gid), "--format", "docx", "--out", str(out), "--db", str(path)])
    assert e.value.code == 0
    assert len(Document(str(out)).paragraphs) > 20
    with pytest.raises(SystemExit) as e:
        main(["guide", "export", "99", "--out", str(out), "--db", str(path)])
    assert e.value.code == 1 and "No guide 99" in capsys.readouterr().err
