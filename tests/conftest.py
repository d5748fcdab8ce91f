"""Shared fixtures: the test pack (a fictional country, AQ) and helpers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from defa_check.packs.loader import Catalog, load_catalog

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
ROOT = HERE.parent


@pytest.fixture(scope="session")
def test_catalog() -> Catalog:
    catalog = load_catalog(FIXTURES / "project")
    assert catalog.problems == ()
    return catalog


@pytest.fixture(scope="session")
def bundled_catalog() -> Catalog:
    return load_catalog()


AS_OF = dt.date(2026, 11, 27)
