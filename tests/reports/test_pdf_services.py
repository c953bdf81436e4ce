"""The quarterly report's commentary and its issue: for the team's service manager only, audited, editable until the
report is final, and then kept as issued."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from reports.pdf.models import QuarterlyReport
from reports.pdf.services import quarterly_commentary_save, quarterly_report_finalise
from tests.reports.pdftext import flowing

pytestmark = pytest.mark.django_db

# Team A's service year starts in April: its first quarter of 2024 to 2025 is April to June 2024.
QUARTER_START = datetime.date(2024, 4, 1)
AFTER_THE_QUARTER = datetime.date(2024, 7, 1)


def test_the_commentary_is_saved_versioned_and_audited(team_a, manager):
    report = quarterly_commentary_save(actor=manager, team=team_a, quarter_start=QUARTER_START, text="  First.  ")
    assert (report.commentary, report.version, report.is_final) == ("First.", 1, False)
    again = quarterly_commentary_save(
        actor=manager, team=team_a, quarter_start=QUARTER_START, text="First.", expected_version=1
    )
    assert again.version == 1  # the same text changes nothing
    changed = quarterly_commentary_save(
        actor=manager, team=team_a, quarter_start=QUARTER_START, text="Second.", expected_version=1
    )
    assert (changed.pk, changed.commentary, changed.version) == (report.pk, "Second.", 2)
    entries = LogEntry.objects.get_for_object(changed).order_by("pk")
    assert [entry.changes_dict["commentary"][1] for entry in entries] == ["First.", "Second."]
    assert {entry.actor for entry in entries} == {manager}
    assert all("issued_pdf" not in entry.changes_dict and "version" not in entry.changes_dict for entry in entries)


def test_a_commentary_from_a_stale_page_is_refused(team_a, manager):
    quarterly_commentary_save(actor=manager, team=team_a, quarter_start=QUARTER_START, text="Mine.")
    with pytest.raises(ValidationError) as refusal:
        quarterly_commentary_save(
            actor=manager, team=team_a, quarter_start=QUARTER_START, text="Theirs.", expected_version=0
        )
    assert refusal.value.code == "stale"
    assert QuarterlyReport.objects.get().commentary == "Mine."


@pytest.mark.parametrize("who", ["practitioner", "commissioner", "practitioner_b"])
def test_only_the_team_s_manager_writes_or_issues_the_report(request, team_a, who):
    someone = request.getfixturevalue(who)
    with pytest.raises(ValidationError) as refusal:
        quarterly_commentary_save(actor=someone, team=team_a, quarter_start=QUARTER_START, text="Not mine to write.")
    assert refusal.value.code == "permission"
    with pytest.raises(ValidationError) as refusal:
        quarterly_report_finalise(actor=someone, team=team_a, quarter_start=QUARTER_START, today=AFTER_THE_QUARTER)
    assert refusal.value.code == "permission"
    assert not QuarterlyReport.objects.exists()


def test_a_report_starts_on_the_first_day_of_a_service_quarter(team_a, manager):
    with pytest.raises(ValidationError) as refusal:
        quarterly_commentary_save(actor=manager, team=team_a, quarter_start=datetime.date(2024, 3, 1), text="Hi.")
    assert "does not start one of the team's service quarters" in str(refusal.value)


def test_a_running_quarter_cannot_be_made_final(team_a, manager):
    with pytest.raises(ValidationError) as refusal:
        quarterly_report_finalise(
            actor=manager, team=team_a, quarter_start=QUARTER_START, today=datetime.date(2024, 6, 30)
        )
    assert refusal.value.code == "running"
    assert "from 1 July 2024" in str(refusal.value)


def test_a_final_report_keeps_its_pdf_and_refuses_any_change(team_a, manager):
    quarterly_commentary_save(
        actor=manager, team=team_a, quarter_start=QUARTER_START, text="A strong quarter for training."
    )
    report = quarterly_report_finalise(actor=manager, team=team_a, quarter_start=QUARTER_START, today=AFTER_THE_QUARTER)
    assert report.is_final
    assert report.finalised_by == manager
    issued = bytes(QuarterlyReport.objects.get().issued_pdf)
    text = flowing(issued)
    assert "A strong quarter for training." in text
    assert "Final: issued on" in text
    assert manager.get_full_name() in text

    with pytest.raises(ValidationError) as refusal:
        quarterly_commentary_save(actor=manager, team=team_a, quarter_start=QUARTER_START, text="Second thoughts.")
    assert refusal.value.code == "final"
    with pytest.raises(ValidationError) as refusal:
        quarterly_report_finalise(actor=manager, team=team_a, quarter_start=QUARTER_START, today=AFTER_THE_QUARTER)
    assert refusal.value.code == "final"
    kept = QuarterlyReport.objects.get()
    assert (kept.commentary, bytes(kept.issued_pdf)) == ("A strong quarter for training.", issued)
    finalised = LogEntry.objects.get_for_object(kept).order_by("pk").last()
    assert finalised.actor == manager
    assert "finalised_at" in finalised.changes_dict
