"""Adding an instrument needs only its definition: no code, no migration.

A fifth definition (an EPDS-like ten-item scale with a self-harm item) is dropped into a folder named by
OUTCOMES_INSTRUMENT_DIRS, and every part of the app takes it up: registry, scoring, the entry form, the service,
its alert, pairing, the cohort statistics, the chart and the panel.
"""

import json

import pytest
from django.urls import reverse

from outcomes.forms import QuestionnaireForm
from outcomes.registry import Verdict, get_instrument, registry
from outcomes.scoring import score_items
from outcomes.selectors import cohort_statistics, paired_changes
from referrals.models import Referral
from tests.factories import QuestionnaireFactory
from tests.outcomes.conftest import days_ago

FIFTH = {
    "code": "epds",
    "name": "EPDS",
    "title": "Edinburgh Postnatal Depression Scale (EPDS)",
    "order": 50,
    "stem": "In the past 7 days:",
    "answers": [
        {"value": 0, "label": "No, not at all"},
        {"value": 1, "label": "Hardly ever"},
        {"value": 2, "label": "Sometimes"},
        {"value": 3, "label": "Yes, quite often"},
    ],
    "items": [{"number": n, "text": f"Item {n}"} for n in range(1, 11)],
    "scales": [
        {
            "code": "total",
            "name": "Total",
            "min": 0,
            "max": 30,
            "improvement": "lower",
            "bands": [
                {"from": 0, "to": 9, "label": "Below threshold"},
                {"from": 10, "to": 30, "label": "Above threshold"},
            ],
            "reliable_change": {"threshold": 4, "source": "Test definition"},
        }
    ],
    "alerts": [{"item": 10, "above": 0, "title": "Thoughts of self-harm (EPDS item 10)", "guidance": "Act today."}],
    "validated_for_pre_post": True,
    "licence": "Test definition.",
}


@pytest.fixture
def fifth_instrument(settings, tmp_path):
    (tmp_path / "epds.json").write_text(json.dumps(FIFTH))
    settings.OUTCOMES_INSTRUMENT_DIRS = [tmp_path]
    return get_instrument("epds")


def test_the_registry_takes_it_up(fifth_instrument):
    assert registry().codes == ["phq9", "gad7", "mors_sf", "gbo", "epds"]
    assert not fifth_instrument.core
    assert score_items(fifth_instrument, dict.fromkeys(range(1, 11), 1)).scores == {"total": 10}


def test_it_is_entered_scored_alerted_paired_and_counted(fifth_instrument, referral, practitioner):
    form = QuestionnaireForm(instrument=fifth_instrument, referral=referral, is_new=True)
    assert [row["field"].label for row in form.item_rows][9] == "10. Item 10"
    QuestionnaireFactory(
        referral=referral,
        instrument="epds",
        completed_on=days_ago(90),
        answers={**dict.fromkeys(range(1, 10), 2), 10: 1},
    )
    QuestionnaireFactory(
        referral=referral,
        instrument="epds",
        timepoint="T2",
        completed_on=days_ago(5),
        answers=dict.fromkeys(range(1, 11), 1),
    )
    t1 = referral.questionnaires.get(timepoint="T1")
    assert (t1.scores.get().value, t1.scores.get().band) == (19, "Above threshold")
    assert t1.alerts.get().title == "Thoughts of self-harm (EPDS item 10)"
    [pair] = paired_changes(Referral.objects.all())
    assert (pair.instrument.code, pair.change, pair.verdict) == ("epds", -9, Verdict.IMPROVED)
    figures = cohort_statistics(Referral.objects.all())["epds"]
    assert (figures["n"], figures["mean_t1"], figures["mean_t2"], figures["reliably_improved"]) == (1, 19, 10, 1)


def test_its_pages_work(fifth_instrument, referral, practitioner_client):
    page = practitioner_client.get(reverse("outcomes:record", args=[referral.pk, "epds"])).content.decode()
    assert "<h1>Record the EPDS</h1>" in page
    assert "Yes, quite often" in page
    QuestionnaireFactory(referral=referral, instrument="epds", completed_on=days_ago(90))
    panel = practitioner_client.get(reverse("outcomes:referral", args=[referral.pk])).content.decode()
    assert "Edinburgh Postnatal Depression Scale (EPDS)" in panel
    chart = practitioner_client.get(reverse("outcomes:chart", args=[referral.pk, "epds"]))
    assert chart["Content-Type"] == "image/svg+xml"
