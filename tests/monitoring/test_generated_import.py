"""Generated input (Hypothesis) for the monitoring import: the contract's rows with their cells replaced by
generated values, valid and invalid. An import is either rejected with `FILE:ROW: COLUMN: message` lines a person
can act on, writing nothing, or it saves records that all pass their full validation, the bounds included."""

import csv
import re
import tempfile
from pathlib import Path

import pytest
from django.apps import apps
from hypothesis import given
from hypothesis import strategies as st

from monitoring.importer import ImportRejected, monitoring_import
from tests.monitoring.test_importer import FILES, IMPORTED_MODELS, TODAY, columns_of, snapshot
from tests.strategies import JUNK, assert_actionable, assert_all_valid, counts, iso_dates, texts

pytestmark = pytest.mark.django_db
PROBLEM_LINE = re.compile(r"^[\w.]+\.(csv|xlsx)?:\d+: [\w()]+: .+", re.DOTALL)


def cell_values(column: str) -> st.SearchStrategy[str]:
    """A value for a column, by what the column holds."""
    if column.endswith("_on") or column in ("date", "infant_date_of_birth", "starts_at"):
        return iso_dates
    if column in ("reference", "title", "audience", "note", "text", "status_reason", "complexities"):
        return st.one_of(texts, st.sampled_from(JUNK))
    return st.one_of(counts, st.sampled_from(JUNK))


@st.composite
def monitoring_files(draw) -> dict[str, list[dict]]:
    """Each of the contract's files, its rows as the tests' clean import has them, with some cells replaced."""
    chosen = draw(st.lists(st.sampled_from(sorted(FILES)), min_size=1, max_size=3, unique=True))
    files = {}
    for name in chosen:
        rows = []
        for row in FILES[name]:
            row = dict(row)
            for column in draw(st.lists(st.sampled_from(sorted(row)), max_size=3, unique=True)):
                row[column] = draw(cell_values(column))
            rows.append(row)
        files[name] = rows
    return files


def write(folder: Path, files: dict[str, list[dict]]) -> None:
    for name, rows in files.items():
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns_of(rows))
            writer.writeheader()
            writer.writerows(rows)


def test_generated_monitoring_files_are_imported_valid_or_rejected_in_words(team_a, manager):
    outcomes = {"imported": 0, "rejected": 0}

    @given(files=monitoring_files())
    def check(files):
        before = snapshot()
        with tempfile.TemporaryDirectory(prefix="pairs-generated-") as folder:
            write(Path(folder), files)
            try:
                monitoring_import(path=Path(folder), team=team_a, actor=manager, today=TODAY)
            except ImportRejected as rejected:
                outcomes["rejected"] += 1
                lines = [str(problem) for problem in rejected.problems]
                for line in lines:
                    assert PROBLEM_LINE.match(line), line
                assert_actionable(problem.message for problem in rejected.problems)
                assert snapshot() == before, "a rejected import must write nothing"
            else:
                outcomes["imported"] += 1

    check()
    assert outcomes["imported"], "some generated files must be valid"
    assert outcomes["rejected"], "some generated files must be invalid"
    for label in IMPORTED_MODELS:
        assert_all_valid(apps.get_model(label).objects.all())
