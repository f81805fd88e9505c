"""OverwriteCellsKeepHidden: test cells come back with their hidden tests and no false tampering warning.

Its own behaviour (a test cell as released is restored silently; any other edit is reported and
overwritten) is graded end to end in tests/e2e/test_round_trip.py and tests/grader/test_pipeline.py.
Here: nbgrader's own tests of OverwriteCells (shipped in its wheel), run with the subclass in its place.
"""
import pytest
from nbgrader.preprocessors import SaveCells
from nbgrader.tests.preprocessors import test_overwritecells as stock
from nbgrader.tests.preprocessors.conftest import db  # noqa: F401 (the fixtures the stock tests use)
from nbgrader.tests.preprocessors.test_overwritecells import gradebook, resources  # noqa: F401

from grader import alembic_head
from grader.preprocessors import OverwriteCellsKeepHidden


@pytest.fixture(autouse=True)
def stamp_in_process(monkeypatch):
    """Each stock test makes a gradebook: stamp it in this process, as `make grade` does (grader/alembic_head.py)."""
    monkeypatch.setattr("nbgrader.api.get_alembic_version", alembic_head.alembic_head)


@pytest.fixture
def preprocessors():
    return (SaveCells(), OverwriteCellsKeepHidden())


class TestStockOverwriteCellsTests(stock.TestOverwriteCells):
    """Every stock test, with OverwriteCellsKeepHidden where nbgrader has OverwriteCells."""
