"""What a newcomer sees while `scripts/run` builds the database: the import's progress, the demo loader's steps,
the demo accounts printed on their own (after the server's banner), and distinct names for the demo's families."""

from io import StringIO

import pytest
from django.core.management import call_command

from demo.accounts import DEMO_ACCOUNTS, demo_account_lines, demo_two_factor_lines
from demo.names import ADULT_NAMES, CHILD_NAMES, SURNAMES, family_surnames
from monitoring import importer
from monitoring.importer import ImportResult
from tests.monitoring.test_importer import FILES, run, write_files


@pytest.mark.django_db
def test_an_import_says_as_each_file_is_checked_and_every_hundred_rows_written(tmp_path, team_a, manager, monkeypatch):
    monkeypatch.setattr(importer, "PROGRESS_ROWS", 2)
    said = []
    run(write_files(tmp_path), team_a, manager, progress=lambda *step: said.append(step))
    referrals = len(FILES["referrals.csv"])
    assert ("checked", "referrals.csv", referrals) in said
    written = [done for step, name, done in said if (step, name) == ("imported", "referrals.csv")]
    assert written == [*range(2, referrals, 2), referrals]
    checked = [name for step, name, _ in said if step == "checked"]
    assert checked.index("referrals.csv") < said.index(("imported", "referrals.csv", 2))


def fake_demo_load(*, say=None, today=None):
    if say is not None:
        say("Loading the demo: referrals imported, 100/306…")
    return ImportResult(dry_run=False), DEMO_ACCOUNTS


@pytest.fixture
def fake_load(monkeypatch):
    monkeypatch.setattr("demo.management.commands.load_demo.demo_load", fake_demo_load)


def test_load_demo_says_what_it_is_doing_and_prints_the_accounts(fake_load):
    out = StringIO()
    call_command("load_demo", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Loading the demo: referrals imported, 100/306…"
    assert "Demo accounts (user name / password / role):" in lines
    assert any(line.split() == ["demo.practitioner", "demo-practitioner-pass", "Practitioner"] for line in lines)


def test_load_demo_leaves_the_accounts_to_be_printed_after_the_server_s_banner(fake_load):
    out = StringIO()
    call_command("load_demo", "--no-accounts", stdout=out)
    assert "Demo accounts" not in out.getvalue()
    assert "Loading the demo:" in out.getvalue()

    accounts = StringIO()
    call_command("demo_accounts", stdout=accounts)
    assert accounts.getvalue().splitlines()[0] == "Demo accounts (user name / password / role):"
    assert accounts.getvalue().splitlines() == demo_account_lines()
    assert len(demo_account_lines()) == 1 + len(DEMO_ACCOUNTS) + len(demo_two_factor_lines())


def test_load_demo_is_silent_at_verbosity_0(fake_load):
    out = StringIO()
    call_command("load_demo", "-v", "0", "--no-accounts", stdout=out)
    assert "Loading the demo:" not in out.getvalue()


def test_the_demo_has_a_surname_for_each_family_and_the_same_ones_on_every_run():
    references = [f"BPL-{year}-{number:04d}" for year in (2023, 2024, 2025) for number in range(1, 111)]
    surnames = family_surnames("blackpool", references)
    assert len(set(surnames.values())) == len(references) <= len(SURNAMES)
    assert family_surnames("blackpool", reversed(references)) == surnames
    assert len(set(SURNAMES)) == len(SURNAMES) >= 300
    assert {"Zoë", "Siân", "Róisín"} <= set(ADULT_NAMES)
    assert len(set(CHILD_NAMES)) == len(CHILD_NAMES)
