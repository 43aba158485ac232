"""Shared fixtures: `fresh_db` (in memory, migrated), `db_path` (a file path), `demo_db_path`."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture
def fresh_db():
    from research.store import open_database

    db = open_database(":memory:")
    yield db
    db.close()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "workspace.db"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo workspace, built once per test session."""
    from research.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path).close()
    return path


@pytest.fixture
def demo_db_path(demo_template, tmp_path) -> Path:
    """A private copy of the demo workspace for a test that may write to it."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    return path
