"""Projective sessions: image library, photolanguage dealing and picks, Chinese portrait and its analysis."""
from __future__ import annotations

import io
import itertools
import math
import zipfile

import pytest
from PIL import Image, ImageDraw

from research import images as I
from research import photolanguage as PL
from research import portrait as PT
from research.errors import DomainError
from research.participants import create_participant


def photo(seed: int, size=(200, 150), fmt="JPEG") -> bytes:
    """A distinct picture per seed (shapes at seed-dependent places), so hashes differ."""
    im = Image.new("RGB", size, ((seed * 37) % 255, (seed * 91) % 255, (seed * 53) % 255))
    d = ImageDraw.Draw(im)
    for k in range(6):
        x, y = (seed * (k + 3) * 17) % size[0], (seed * (k + 5) * 29) % size[1]
        d.ellipse([x, y, x + 40, y + 30], fill=((seed * k * 13) % 255, (k * 71) % 255, (seed * 7 + k * 50) % 255))
    d.rectangle([0, 0, (seed * 11) % size[0], 10], fill="white")
    out = io.BytesIO()
    im.save(out, fmt)
    return out.getvalue()


def library(db, n: int) -> list[I.LibraryImage]:
    report = I.import_files(db, [(f"photo-{k:03d}.jpg", photo(k + 1)) for k in range(n)])
    assert not report.rejected and not report.duplicates
    return report.imported


def people(db, n: int, kind="customer") -> list[int]:
    return [create_participant(db, kind) for _ in range(n)]


def zip_of(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


# ---------------------------------------------------------------- dealing

@pytest.mark.parametrize("library_size", [60, 61, 62, 65, 80])
def test_six_panels_of_50_reach_the_smallest_possible_overlap(library_size):
    d = PL.deal_panels(range(library_size), 6, 50, seed=11)
    assert [len(set(p)) for p in d.panels] == [50] * 6
    assert all(len(p) == 50 for p in d.panels)
    # the reported overlaps are the real ones
    for (i, j), shared in d.overlaps.items():
        assert shared == len(set(d.panels[i]) & set(d.panels[j]))
    # balanced use: every image in q or q+1 panels
    q, r = divmod(300, library_size)
    assert sorted(d.uses.values()) == sorted([q] * (library_size - r) + [q + 1] * r)
    # the bound: the pairwise overlaps sum to Σ C(uses, 2), so some pair shares at least the mean
    total = sum(math.comb(u, 2) for u in d.uses.values())
    assert sum(d.overlaps.values()) == total
    assert d.lower_bound == max(100 - library_size, math.ceil(total / 15))
    assert d.max_overlap == d.lower_bound and d.is_minimal


def test_the_overlap_bound_for_61_images_is_40_and_is_reached():
    assert PL.overlap_lower_bound(61, 6, 50) == 40
    d = PL.deal_panels(range(61), 6, 50, seed=1)
    assert d.max_overlap == 40 and d.min_overlap == 39


def test_dealing_is_reproducible_from_its_seed_and_differs_with_another():
    a = PL.deal_panels(range(100, 170), 6, 50, seed=42)
    b = PL.deal_panels(range(100, 170), 6, 50, seed=42)
    c = PL.deal_panels(range(100, 170), 6, 50, seed=43)
    assert a.panels == b.panels
    assert a.panels != c.panels


def test_a_large_library_gives_disjoint_panels():
    d = PL.deal_panels(range(400), 6, 50, seed=3)
    assert d.max_overlap == 0
    assert len(set(itertools.chain(*d.panels))) == 300


def test_a_panel_larger_than_the_library_is_refused_with_a_clear_message():
    with pytest.raises(PL.PhotolanguageError) as e:
        PL.deal_panels(range(40), 6, 50)
    assert e.value.key == "photolanguage.err.panel_too_big"
    assert e.value.params == {"size": 50, "available": 40}


def test_the_remote_board_spreads_over_tags_and_skips_obvious_images():
    imgs = [I.LibraryImage(id=k, code=f"{k:03d}", tags=[f"t{k % 10}"], valence=("positive", "negative")[k % 2],
                           obvious=(k < 5)) for k in range(60)]
    board = PL.choose_board(imgs, 20, seed=2)
    assert len(board) == len(set(board)) == 20
    assert not set(board) & set(range(5))
    assert {imgs[b].tags[0] for b in board} == {f"t{k}" for k in range(10)}
    assert PL.choose_board(imgs, 20, seed=2) == board


# ---------------------------------------------------------------- image library

def test_import_files_gives_codes_thumbnails_and_refuses_identical_images(fresh_db):
    report = I.import_files(fresh_db, [("a.jpg", photo(1)), ("b.png", photo(2, fmt="PNG")),
                                       ("c.webp", photo(3, fmt="WEBP")), ("copy-of-a.jpg", photo(1))])
    assert [im.code for im in report.imported] == ["001", "002", "003"]
    assert report.duplicates == [("copy-of-a.jpg", "001")]
    thumb = Image.open(io.BytesIO(I.image_bytes(fresh_db, report.imported[0].id)))
    assert max(thumb.size) <= I.THUMB_SIDE and thumb.format == "JPEG"
    again = I.import_files(fresh_db, [("a-again.jpg", photo(1))])
    assert again.duplicates == [("a-again.jpg", "001")] and not again.imported


def test_a_resized_copy_is_reported_as_looking_identical(fresh_db):
    I.import_files(fresh_db, [("a.jpg", photo(5, size=(400, 300)))])
    big = Image.open(io.BytesIO(photo(5, size=(400, 300)))).resize((800, 600))
    out = io.BytesIO()
    big.save(out, "JPEG", quality=70)
    report = I.import_files(fresh_db, [("a-large.jpg", out.getvalue())])
    assert report.near_duplicates == [("002", "001")]
    assert [(a.code, b.code) for a, b, _ in I.near_duplicates(fresh_db)] == [("001", "002")]


def test_corrupt_and_unsupported_files_are_reported_and_the_good_ones_kept(fresh_db):
    good = photo(7)
    gif = io.BytesIO()
    Image.new("RGB", (50, 50)).save(gif, "GIF")
    report = I.import_files(fresh_db, [("ok.jpg", good), ("broken.jpg", good[: len(good) // 3]),
                                       ("anim.gif", gif.getvalue()), ("notes.jpg", b"not an image at all"),
                                       ("empty.png", b"")])
    assert [im.original_name for im in report.imported] == ["ok.jpg"]
    reasons = {r.name: r.reason for r in report.rejected}
    assert reasons == {"broken.jpg": "images.err.corrupt", "anim.gif": "images.err.unsupported",
                       "notes.jpg": "images.err.unsupported", "empty.png": "images.err.empty_file"}
    assert len(I.list_images(fresh_db)) == 1


def test_a_pixel_bomb_is_refused(fresh_db):
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")   # 81 M pixels, a few kB
    report = I.import_files(fresh_db, [("bomb.png", out.getvalue())])
    assert report.rejected[0].reason == "images.err.too_many_pixels"


def test_import_a_folder_with_theme_subfolders_as_tags(fresh_db, tmp_path):
    (tmp_path / "mer").mkdir()
    (tmp_path / "ville").mkdir()
    (tmp_path / "mer" / "vague.jpg").write_bytes(photo(1))
    (tmp_path / "ville" / "rue.png").write_bytes(photo(2, fmt="PNG"))
    (tmp_path / "top.jpg").write_bytes(photo(3))
    (tmp_path / "readme.txt").write_text("hello")
    (tmp_path / ".DS_Store").write_bytes(b"junk")
    report = I.import_folder(fresh_db, tmp_path)
    tags = {im.original_name: im.tags for im in report.imported}
    assert tags == {"vague.jpg": ["mer"], "rue.png": ["ville"], "top.jpg": []}
    assert [r.name for r in report.rejected] == ["readme.txt"]


def test_a_zip_with_a_wrapping_folder_is_read(fresh_db):
    data = zip_of({"photos/nature/a.jpg": photo(1), "photos/b.jpg": photo(2), "__MACOSX/photos/._a.jpg": b"x"})
    report = I.import_zip(fresh_db, data, "photos.zip")
    assert sorted((im.original_name, tuple(im.tags)) for im in report.imported) == [("a.jpg", ("nature",)),
                                                                                  ("b.jpg", ())]


@pytest.mark.parametrize("entries, key", [
    ({"a/b/c/d.jpg": b"x"}, "images.err.nested"),
    ({"../evil.jpg": b"x"}, "images.err.path_traversal"),
    ({"/etc/evil.jpg": b"x"}, "images.err.path_traversal"),
    ({f"p{k}.jpg": b"x" for k in range(I.MAX_FILES + 1)}, "images.err.too_many_files"),
])
def test_dangerous_archives_are_refused_before_anything_is_imported(fresh_db, entries, key):
    I.import_files(fresh_db, [("before.jpg", photo(9))])
    with pytest.raises(I.ArchiveRefused) as e:
        I.import_zip(fresh_db, zip_of(entries), "x.zip")
    assert e.value.key == key
    assert [im.original_name for im in I.list_images(fresh_db)] == ["before.jpg"]


def test_a_zip_bomb_is_refused(fresh_db):
    data = zip_of({"bomb.jpg": b"\0" * (20 * 1024 * 1024)})
    assert len(data) < 100_000
    with pytest.raises(I.ArchiveRefused) as e:
        I.import_zip(fresh_db, data, "bomb.zip")
    assert e.value.key == "images.err.zip_bomb"


def test_a_file_that_is_not_a_zip_is_refused(fresh_db):
    with pytest.raises(I.ArchiveRefused) as e:
        I.import_zip(fresh_db, b"PK but not really", "fake.zip")
    assert e.value.key == "images.err.bad_zip"


def test_obvious_images_stay_out_of_panels_and_edits_are_versioned(fresh_db):
    imgs = library(fresh_db, 52)
    first = I.update_image(fresh_db, imgs[0].id, version=imgs[0].version, obvious=True, tags=["Mer", "mer", " vent "],
                           valence="positive")
    assert first.obvious and first.tags == ["mer", "vent"] and first.valence == "positive"
    with pytest.raises(DomainError) as e:
        I.update_image(fresh_db, imgs[0].id, version=imgs[0].version, title="stale")
    assert e.value.key == "images.err.conflict"
    pids = people(fresh_db, 3)
    with pytest.raises(PL.PhotolanguageError) as e:
        PL.create_session(fresh_db, "Table", "in_person", pids, panel_size=52, seed=1)
    assert e.value.params == {"size": 52, "available": 51}
    s = PL.create_session(fresh_db, "Table", "in_person", pids, panel_size=51, seed=1)
    assert all(imgs[0].id not in panel for panel in PL.panels(fresh_db, s.id).values())


# ---------------------------------------------------------------- photolanguage sessions

def test_six_participants_get_their_own_panels_and_the_overlap_is_reported(fresh_db):
    library(fresh_db, 64)
    pids = people(fresh_db, 6)
    s = PL.create_session(fresh_db, "Table ronde", "in_person", pids, seed=7)
    stored = PL.panels(fresh_db, s.id)
    assert set(stored) == set(pids) and all(len(p) == 50 for p in stored.values())
    report = PL.session_dealing(fresh_db, s.id)
    assert report.max_overlap == report.lower_bound == PL.overlap_lower_bound(64, 6, 50)
    # same seed, same panels
    again = PL.deal_panels([im.id for im in I.list_images(fresh_db)], 6, 50, seed=7)
    assert [set(p) for p in again.panels] == [set(stored[p]) for p in pids]


def test_picks_are_saved_one_by_one_and_bad_ones_refused_without_losing_the_others(fresh_db):
    library(fresh_db, 60)
    pids = people(fresh_db, 2)
    s = PL.create_session(fresh_db, "Table", "in_person", pids, panel_size=40, seed=3)
    mine = PL.panel_of(fresh_db, s.id, pids[0])
    outside = next(im for im in I.list_images(fresh_db) if im.id not in mine)
    code = I.get_image(fresh_db, mine[0]).code
    PL.add_pick(fresh_db, s.id, pids[0], code, "La mer, le calme")
    cases = [(code, "encore", "photolanguage.err.already_picked"),
             (I.get_image(fresh_db, mine[1]).code, "   ", "photolanguage.err.empty_words"),
             (outside.code, "ailleurs", "photolanguage.err.not_in_panel"),
             ("999", "inconnue", "images.err.not_found")]
    for ref, words, key in cases:
        with pytest.raises(DomainError) as e:
            PL.add_pick(fresh_db, s.id, pids[0], ref, words)
        assert e.value.key == key
    picks = PL.list_picks(fresh_db, s.id)
    assert [(p.image_code, p.words, p.rank) for p in picks] == [(code, "La mer, le calme", 1)]


def test_fast_entry_lines_save_the_good_lines_and_report_the_bad(fresh_db):
    library(fresh_db, 30)
    pids = people(fresh_db, 1)
    s = PL.create_session(fresh_db, "Visio", "remote", pids, panel_size=20, seed=5)
    board = [I.get_image(fresh_db, i).code for i in PL.panel_of(fresh_db, s.id, pids[0])]
    text = f"{int(board[0])} : la mer, le calme\n\n{board[1]} - des rouages\n{board[0]}: encore elle\n{board[2]}\nblabla"
    result = PL.add_picks_text(fresh_db, s.id, pids[0], text)
    assert [p.image_code for p in result.saved] == [board[0], board[1]]
    assert [(n, e.key) for n, _, e in result.errors] == [(4, "photolanguage.err.already_picked"),
                                                          (5, "photolanguage.err.empty_words"),
                                                          (6, "photolanguage.err.line")]
    assert PL.list_picks(fresh_db, s.id)[1].words == "des rouages"
    # the fourth pick would exceed the session's maximum of three
    PL.add_pick(fresh_db, s.id, pids[0], board[3], "un oiseau")
    with pytest.raises(DomainError) as e:
        PL.add_pick(fresh_db, s.id, pids[0], board[4], "de trop")
    assert e.value.key == "photolanguage.err.too_many_picks"


def test_redealing_is_refused_once_picks_exist_and_sheets_print_every_panel(fresh_db):
    library(fresh_db, 60)
    pids = people(fresh_db, 3)
    s = PL.create_session(fresh_db, "Table", "in_person", pids, panel_size=30, seed=1)
    before = PL.panels(fresh_db, s.id)
    PL.redeal(fresh_db, s.id, seed=2)
    assert PL.panels(fresh_db, s.id) != before
    pdf = PL.panel_sheets_pdf(fresh_db, s.id)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + \
        pdf.count(b"/Type/Page") >= 3
    code = I.get_image(fresh_db, PL.panel_of(fresh_db, s.id, pids[0])[0]).code
    PL.add_pick(fresh_db, s.id, pids[0], code, "le calme")
    with pytest.raises(DomainError) as e:
        PL.redeal(fresh_db, s.id, seed=3)
    assert e.value.key == "photolanguage.err.redeal_with_picks"


def test_most_picked_counts_picks_against_the_panels_that_offered_the_image(fresh_db):
    library(fresh_db, 40)
    pids = people(fresh_db, 3)
    s = PL.create_session(fresh_db, "Visio", "remote", pids, panel_size=20, seed=5)
    board = [I.get_image(fresh_db, i).code for i in PL.panel_of(fresh_db, s.id, pids[0])]
    PL.add_pick(fresh_db, s.id, pids[0], board[0], "Des rouages qui grincent, c'est lent")
    PL.add_pick(fresh_db, s.id, pids[1], board[0], "Une machine lente et compliquée")
    PL.add_pick(fresh_db, s.id, pids[2], board[1], "Le calme")
    top = PL.most_picked(fresh_db, s.id)
    assert [(e.image.code, e.count, e.offered) for e in top] == [(board[0], 2, 3), (board[1], 1, 3)]
    assert top[0].traits["slow"] == 2 and top[0].traits["bureaucratic"] == 1
    assert top[0].words["machine"] == 1


# ---------------------------------------------------------------- portrait

def test_answers_are_normalised_and_synonyms_merged():
    same = ["une tortue", "Des tortues", "a tortoise", "Tortue !", "la TORTUE"]
    assert {PT.normalise(a, "animal").key for a in same} == {"animal:tortue"}
    assert PT.normalise("La Poste", "place").label == "bureau de poste"
    assert PT.normalise("des chevaux", "animal").label == "cheval"
    assert PT.normalise("un vieux chien fidèle", "animal").label == "chien"
    assert PT.normalise("rose", "colour").entry.category == "colour"
    assert PT.normalise("rose", "plant").entry.category == "plant"
    unknown = PT.normalise("Des Hamsters", "animal")
    assert unknown.entry is None and unknown.key == "hamster"


def test_traits_come_from_cue_words_with_simple_negation():
    assert PT.cue_traits("lente mais toujours là") == ["reliable", "slow"] or \
        set(PT.cue_traits("lente mais toujours là")) == {"slow", "reliable"}
    assert PT.cue_traits("pas lente du tout, rassurante") == ["reassuring"]
    assert set(PT.cue_traits("too much paperwork, slow")) == {"bureaucratic", "slow"}
    assert "clear" not in PT.cue_traits("un peu vieille France")


def portrait_fixture(db):
    cust = people(db, 3)
    emp = people(db, 2, "employee")
    s = PT.create_session(db, "Portrait", ["Alizé", "Santéo"], cust + emp)
    grid = {
        "Alizé": {"animal": ["une tortue : lente mais solide", "tortue", "un saint-bernard : il vient vous chercher",
                             "un saint-bernard : on protège", "un chien : fidèle"],
                  "place": ["la poste : des formulaires", "un bureau de poste", "la salle d'attente", "",
                            "la pharmacie : on connaît les gens"]},
        "Santéo": {"animal": ["un guépard : rapide", "un guépard", "un requin", "un guépard", "un requin : ils vendent"]},
    }
    for target, cats in grid.items():
        cells = {(pid, cat): text for cat, texts in cats.items() for pid, text in zip(cust + emp, texts)}
        assert not PT.save_grid(db, s.id, target, cells).errors
    return s, cust, emp


def test_a_grid_saves_good_cells_reports_empty_answers_and_keeps_earlier_ones(fresh_db):
    s, cust, emp = portrait_fixture(fresh_db)
    before = len(PT.list_answers(fresh_db, s.id))
    result = PT.save_grid(fresh_db, s.id, "Alizé", {(cust[0], "verb"): "attendre", (cust[1], "verb"): " : rien",
                                                    (cust[2], "verb"): "protéger : toujours"})
    assert result.saved == 2 and [(pid, cat, e.key) for pid, cat, e in result.errors] == \
        [(cust[1], "verb", "portrait.err.empty_answer")]
    assert len(PT.list_answers(fresh_db, s.id)) == before + 2
    with pytest.raises(DomainError) as e:
        PT.save_answer(fresh_db, s.id, cust[0], "Alizé", "animal", "   ")
    assert e.value.key == "portrait.err.empty_answer"
    assert next(a for a in PT.list_answers(fresh_db, s.id) if a.participant_id == cust[0]
                and a.category == "animal").answer == "une tortue"
    # a cleared cell deletes that answer only
    result = PT.save_grid(fresh_db, s.id, "Alizé", {(cust[0], "verb"): ""})
    assert result.deleted == 1 and len(PT.list_answers(fresh_db, s.id)) == before + 1


def test_targets_are_the_brand_and_at_most_two_competitors(fresh_db):
    pids = people(fresh_db, 1)
    with pytest.raises(DomainError) as e:
        PT.create_session(fresh_db, "x", ["A", "B", "C", "D"], pids)
    assert e.value.key == "portrait.err.too_many_targets"
    with pytest.raises(DomainError) as e:
        PT.create_session(fresh_db, "x", ["A"], pids, categories=[{"key": "a", "fr": "Animal", "en": "Animal"},
                                                                 {"key": "a", "fr": "Bête", "en": "Beast"}])
    assert e.value.key == "portrait.err.duplicate_category"
    s = PT.create_session(fresh_db, "x", ["A", "a ", "B"], pids, categories=[{"fr": "Saison", "en": "Season"}])
    assert s.targets == ["A", "B"] and s.categories == [{"key": "season", "fr": "Saison", "en": "Season"}]


def test_grouped_answers_traits_and_comparisons_carry_their_answers(fresh_db):
    s, cust, emp = portrait_fixture(fresh_db)
    groups = PT.grouped_answers(fresh_db, s.id)
    animal = groups["Alizé"]["animal"]
    assert [(g.label, g.count) for g in animal] == [("saint-bernard", 2), ("tortue", 2), ("chien", 1)]
    assert [(g.label, g.count) for g in groups["Alizé"]["place"]][0] == ("bureau de poste", 2)
    assert animal[1].traits["slow"] == 2
    profile = {t.trait.key: t for t in PT.trait_profile(fresh_db, "Alizé", session_id=s.id)}
    assert profile["slow"].count == 5   # two tortoises, two post offices, the waiting room
    assert {a.answer for a in profile["slow"].answers} == {"une tortue", "tortue", "la salle d'attente", "la poste",
                                                           "un bureau de poste"}
    assert profile["bureaucratic"].from_lexicon == 2 and profile["bureaucratic"].count == 2
    contrast = {c.trait.key: c for c in PT.compare_targets(fresh_db, "Alizé", "Santéo", session_id=s.id)}
    assert contrast["fast"].right_share == 3 / 5 and contrast["fast"].left_share == 0
    assert contrast["protective"].gap > 0
    divergence = {c.trait.key: c for c in PT.group_divergence(fresh_db, "Alizé", session_id=s.id)}
    assert divergence["slow"].left_share == 0 and divergence["slow"].right_share == 5 / 6
    rows = PT.brand_comparison(fresh_db)
    assert rows[0] == {"category": "Animal", "Alizé": "saint-bernard (2) · tortue (2) · chien (1)",
                       "Santéo": "guépard (3) · requin (2)"}
    assert [r["category"] for r in PT.brand_comparison(fresh_db, "en")] == ["Animal", "Place"]


def test_platform_values_are_linked_to_the_traits_that_support_or_contradict_them(fresh_db):
    from research.brand import BrandPlatform, BrandValue, save_platform

    save_platform(fresh_db, BrandPlatform(promise="Remboursé vite", values=[BrandValue("Proximité"),
                                                                              BrandValue("Simplicité")]))
    s, _, _ = portrait_fixture(fresh_db)
    links = {l.element: l for l in PT.platform_links(fresh_db, "Alizé", session_id=s.id)}
    assert "close" in {t.trait.key for t in links["Proximité"].supporting}
    assert {t.trait.key for t in links["Simplicité"].contradicting} >= {"slow", "bureaucratic"}
    assert links["Remboursé vite"].verdict == "contradicted"


def test_the_demo_holds_the_sessions_the_issue_asks_for(demo_db_path):
    from research.store import open_database

    db = open_database(demo_db_path)
    assert len(I.list_images(db)) >= 60
    sessions = PL.list_sessions(db)
    table = next(s for s in sessions if s.mode == "in_person")
    assert len(table.participant_ids) == 6 and table.panel_size == 50
    report = PL.session_dealing(db, table.id)
    assert report.max_overlap == report.lower_bound
    assert any(s.mode == "remote" and len(PL.panels(db, s.id)[None]) == 20 for s in sessions)
    from collections import Counter

    assert Counter(p.participant_code for p in PL.list_picks(db, table.id)) == \
        {code: 3 for code in ("P-001", "P-004", "P-007", "P-010", "P-015", "P-021")}
    portrait = PT.list_sessions(db)[0]
    assert portrait.targets == ["Alizé Mutuelle", "Santéo", "Prévia Direct"]
    groups = {a.group for a in PT.list_answers(db)}
    assert groups == {"customers", "employees"}
    rows = PT.brand_comparison(db)
    assert rows[0]["category"] == "Animal" and rows[0]["Alizé Mutuelle"].startswith("tortue (3)")


def test_erasing_a_participant_removes_their_picks_panels_and_answers(demo_db_path):
    from research.store import open_database

    db = open_database(demo_db_path)
    pid = db.execute("SELECT id FROM participants WHERE code = 'P-001'").fetchone()[0]
    assert db["photolanguage_picks"].count_where("participant_id = ?", [pid])
    assert db["portrait_answers"].count_where("participant_id = ?", [pid])
    from research import erasure

    from research.auth import list_users

    admin = next(u for u in list_users(db) if u.role == "admin")
    erasure.erase_participant(db, admin, pid)
    for table in ("photolanguage_picks", "photolanguage_panel_images", "photolanguage_members", "portrait_answers",
                  "portrait_members"):
        assert not db[table].count_where("participant_id = ?", [pid]), table
    assert len(I.list_images(db)) == 65


def test_the_command_line_imports_a_folder_and_prints_panel_sheets(tmp_path):
    from click.testing import CliRunner

    from research.cli import cli
    from research.store import open_database

    folder = tmp_path / "photos"
    (folder / "mer").mkdir(parents=True)
    for k in range(12):
        (folder / ("mer" if k % 2 else "") / f"p{k}.jpg").write_bytes(photo(k + 1))
    (folder / "broken.jpg").write_bytes(b"\xff\xd8 not really")
    db_file = tmp_path / "w.db"
    result = CliRunner().invoke(cli, ["images", "import", str(folder), "--db", str(db_file), "--tag", "essai"])
    assert result.exit_code == 0, result.output
    assert "12 imported, 0 duplicates skipped, 1 refused" in result.output
    db = open_database(db_file)
    assert sum("mer" in im.tags for im in I.list_images(db)) == 6
    pids = people(db, 2)
    s = PL.create_session(db, "Table", "in_person", pids, panel_size=8, seed=4)
    db.close()
    out = tmp_path / "sheets.pdf"
    result = CliRunner().invoke(cli, ["photolanguage", "sheets", str(s.id), "--out", str(out), "--db", str(db_file)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF") and "largest overlap 4 (minimum possible 4)" in result.output
    result = CliRunner().invoke(cli, ["photolanguage", "sheets", "99", "--out", str(out), "--db", str(db_file)])
    assert result.exit_code == 1 and "No photolanguage session 99" in result.output


def test_portrait_setup_renames_targets_with_their_answers_and_refuses_removing_used_ones(fresh_db):
    s, cust, emp = portrait_fixture(fresh_db)
    s = PT.update_session(fresh_db, s.id, version=s.version, targets=["Alizé Mutuelle", "Santéo", "Prévia"],
                          categories=s.categories + [{"fr": "Saison", "en": "Season"}])
    assert s.targets == ["Alizé Mutuelle", "Santéo", "Prévia"]
    assert {a.target for a in PT.list_answers(fresh_db, s.id)} == {"Alizé Mutuelle", "Santéo"}
    assert s.categories[-1]["key"] == "season"
    with pytest.raises(DomainError) as e:
        PT.update_session(fresh_db, s.id, version=s.version, targets=["Alizé Mutuelle"])
    assert e.value.key == "portrait.err.target_in_use"
    with pytest.raises(DomainError) as e:
        PT.update_session(fresh_db, s.id, version=s.version, categories=[{"key": "animal", "fr": "Animal", "en": "Animal"}])
    assert e.value.key == "portrait.err.category_in_use"
    with pytest.raises(DomainError) as e:
        PT.update_session(fresh_db, s.id, version=s.version, participant_ids=cust)
    assert e.value.key == "portrait.err.player_in_use"
    assert PT.get_session(fresh_db, s.id).participant_ids == cust + emp
    with pytest.raises(DomainError) as e:
        PT.update_session(fresh_db, s.id, version=s.version - 1, targets=["X"])
    assert e.value.key == "portrait.err.conflict"


def test_photolanguage_words_echo_the_brand_platform(fresh_db):
    from research.brand import BrandPlatform, BrandValue, save_platform

    save_platform(fresh_db, BrandPlatform(values=[BrandValue("Simplicité"), BrandValue("Proximité")]))
    library(fresh_db, 30)
    pids = people(fresh_db, 2)
    s = PL.create_session(fresh_db, "Visio", "remote", pids, panel_size=20, seed=5)
    board = [I.get_image(fresh_db, i).code for i in PL.panel_of(fresh_db, s.id, pids[0])]
    PL.add_pick(fresh_db, s.id, pids[0], board[0], "Des rouages, c'est lent et compliqué")
    PL.add_pick(fresh_db, s.id, pids[1], board[1], "Une conseillère proche, qui connaît ma famille")
    links = {link.element: link for link in PL.platform_links(fresh_db, s.id)}
    assert [k for k, _ in links["Simplicité"].contradicting] == ["bureaucratic", "slow"]
    assert [(k, [p.words for p in ps]) for k, ps in links["Proximité"].supporting] == \
        [("close", ["Une conseillère proche, qui connaît ma famille"])]


# ---------------------------------------------------------------- garbage in, a message out

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as hs  # noqa: E402


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hs.binary(max_size=4000), hs.sampled_from([b"", b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"RIFF\0\0\0\0WEBP"]))
def test_any_bytes_make_an_image_or_a_clear_refusal(data, header):
    try:
        I.prepare_image("x.jpg", header + data)
    except I.ImageLibraryError as e:
        assert e.key and e.key.startswith("images.err.")


@settings(max_examples=120, deadline=None)
@given(hs.binary(max_size=3000))
def test_any_bytes_as_an_archive_are_read_or_refused(data):
    try:
        out = I.read_zip(b"PK\x03\x04" + data, "x.zip")
    except I.ArchiveRefused as e:
        assert e.key.startswith("images.err.")
    else:
        assert isinstance(out, list)


@settings(max_examples=200, deadline=None)
@given(hs.text(max_size=80))
def test_any_cell_text_parses_and_any_answer_normalises(text):
    answer, why = PT.parse_cell(text)
    assert ":" not in answer
    n = PT.normalise(answer, "animal")
    assert isinstance(n.key, str)
    PT.cue_traits(text)


def test_a_folder_uploaded_from_the_browser_tags_sub_folders_and_refuses_deep_nesting(fresh_db):
    items = I.read_uploads([("photos/a.jpg", photo(1)), ("photos/mer/b.jpg", photo(2)), ("photos/notes.txt", b"x"),
                            ("photos/.DS_Store", b"x")], "photos")
    assert [(n, tag) for n, _, tag in items] == [("a.jpg", None), ("b.jpg", "mer"), ("notes.txt", "__unsupported__")]
    report = I.import_files(fresh_db, items)
    assert [(im.original_name, im.tags) for im in report.imported] == [("a.jpg", []), ("b.jpg", ["mer"])]
    assert [r.reason for r in report.rejected] == ["images.err.unsupported"]
    with pytest.raises(I.ArchiveRefused) as e:
        I.read_uploads([("photos/a/b/c/d.jpg", photo(3))], "photos")
    assert e.value.key == "images.err.nested"


def test_every_demo_photograph_is_small_and_credited():
    import csv
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "data" / "demo" / "images"
    with open(folder / "SOURCES.csv", encoding="utf-8") as f:
        rows = {r["file"]: r for r in csv.DictReader(f)}
    files = sorted(p.name for p in folder.glob("*.jpg"))
    assert len(files) >= 60 and sorted(rows) == files
    for name in files:
        row = rows[name]
        assert row["author"].strip() and row["licence"].strip() and row["package"].strip(), name
        with Image.open(folder / name) as im:
            assert im.format == "JPEG" and max(im.size) <= 640, name
    assert sum((folder / n).stat().st_size for n in files) < 6 * 2**20


@pytest.mark.parametrize("library_size, panels, size", [(100, 30, 50), (60, 20, 50), (150, 12, 50)])
def test_large_groups_are_dealt_at_the_smallest_possible_overlap(library_size, panels, size):
    d = PL.deal_panels(range(library_size), panels, size, seed=9)
    assert all(len(set(p)) == size for p in d.panels)
    assert d.max_overlap == d.lower_bound
