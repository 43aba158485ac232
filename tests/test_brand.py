import pytest

from research.brand import (BrandPlatform, BrandPlatformError, BrandValue, current_platform,
                            diff_versions, platform_history, platform_version, save_platform)
from research.store import ConflictError
from research.workspace import Workspace, WorkspaceError, get_workspace, save_workspace


def platform(**kw):
    base = dict(promise="Remboursé vite", values=[BrandValue("Proximité", "Joignable")],
                personality=["Claire"])
    base.update(kw)
    return BrandPlatform(**base)


def test_empty_store_has_version_zero(fresh_db):
    assert current_platform(fresh_db).version == 0
    assert current_platform(fresh_db).is_empty


def test_editing_keeps_earlier_versions_with_dates(fresh_db):
    v1 = save_platform(fresh_db, platform(author="Claire"))
    v2 = save_platform(fresh_db, platform(promise="Remboursé vite, compris toujours"), based_on_version=1)
    assert (v1.version, v2.version) == (1, 2)
    assert current_platform(fresh_db).promise == "Remboursé vite, compris toujours"
    assert platform_version(fresh_db, 1).promise == "Remboursé vite"
    assert platform_version(fresh_db, 1).author == "Claire"
    assert [p.version for p in platform_history(fresh_db)] == [2, 1]
    assert all(p.created_at.startswith("20") for p in platform_history(fresh_db))
    assert diff_versions(v1, v2) == {"promise": ("Remboursé vite", "Remboursé vite, compris toujours")}


def test_saving_identical_content_adds_no_version(fresh_db):
    save_platform(fresh_db, platform())
    assert save_platform(fresh_db, platform(), based_on_version=1).version == 1


def test_concurrent_edit_is_a_conflict_and_writes_nothing(fresh_db):
    save_platform(fresh_db, platform())
    save_platform(fresh_db, platform(promise="A"), based_on_version=1)  # colleague saves v2
    with pytest.raises(ConflictError, match="version 2") as err:
        save_platform(fresh_db, platform(promise="B"), based_on_version=1)
    assert err.value.key == "brand.err.conflict"
    assert current_platform(fresh_db).promise == "A"
    assert len(platform_history(fresh_db)) == 2


def test_values_are_cleaned_and_duplicates_refused(fresh_db):
    saved = save_platform(fresh_db, platform(values=[BrandValue(" Proximité ", " x "), BrandValue("", "")],
                                             personality=["Claire", "claire", " "]))
    assert [(v.name, v.definition) for v in saved.values] == [("Proximité", "x")]
    assert saved.personality == ["Claire"]
    with pytest.raises(BrandPlatformError, match="twice"):
        save_platform(fresh_db, platform(values=[BrandValue("Écoute"), BrandValue("écoute")]))
    with pytest.raises(BrandPlatformError):
        save_platform(fresh_db, BrandPlatform())
    assert len(platform_history(fresh_db)) == 1


def test_unknown_version_is_a_clear_error(fresh_db):
    with pytest.raises(BrandPlatformError, match="No brand platform version 3"):
        platform_version(fresh_db, 3)


def test_workspace_round_trip_and_validation(fresh_db):
    assert not get_workspace(fresh_db).is_set_up
    ws = save_workspace(fresh_db, Workspace("Alizé", "Mutuelle", ["Santéo", " ", "Prévia"], ["fr", "en", "de"]))
    assert ws.competitors == ["Santéo", "Prévia"]
    assert ws.languages == ["fr", "en"]
    with pytest.raises(WorkspaceError):
        save_workspace(fresh_db, Workspace("  "))
    with pytest.raises(WorkspaceError, match="twice"):
        save_workspace(fresh_db, Workspace("Alizé", competitors=["Santéo", "santéo"]))
    assert get_workspace(fresh_db).competitors == ["Santéo", "Prévia"]


def test_demo_has_two_platform_versions(demo_db_path):
    from research.store import open_database

    db = open_database(demo_db_path)
    history = platform_history(db)
    assert len(history) == 2
    assert "Simplicité" in current_platform(db).value_names()
    assert "Simplicité" not in history[1].value_names()
    assert get_workspace(db).brand_name == "Alizé Mutuelle"
