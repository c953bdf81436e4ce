"""The demo service: Blackpool PaIRS with one account per role, its history loaded through the monitoring import.

`demo_load()` writes the demo monitoring files (`reports.demo_data`), imports them as the demo service manager
through `monitoring_import`, the same path as a real team's history, and gives the families fictional names
(the monitoring files carry none). Running it again changes nothing that is already there.
"""

import datetime
import random
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from outcomes import services as outcome_services
from outcomes.models import SafetyAlert
from pairs.demo import DEMO_TEAM, demo_accounts_create
from referrals import services as referral_services
from referrals.models import Caregiver, Infant
from reports.demo_data import write_demo_files
from reports.monitoring.importer import ImportResult, monitoring_import

# Obviously fictional: every family of the demo is called Example, Sample or Specimen.
SURNAMES = ("Example", "Sample", "Specimen", "Testcase", "Placeholder")
ADULT_NAMES = ("Amy", "Beth", "Chloe", "Dani", "Ellie", "Fern", "Gemma", "Holly", "Izzy", "Jade", "Kayleigh", "Lucy")
ALERTS_LEFT_OPEN_DAYS = 14
PAST_ALERT_ACTION = "Discussed with the parent at the same visit; safety plan agreed and the GP informed that day."
CHILD_NAMES = ("Alfie", "Bella", "Charlie", "Daisy", "Ezra", "Freya", "George", "Harper", "Isla", "Jack", "Luna")


def demo_load(*, today: datetime.date | None = None) -> tuple[ImportResult, list]:
    today = today or timezone.localdate()
    team, accounts = demo_accounts_create()
    manager = next(account for account in accounts if account.role == "manager")
    actor = get_user_model().objects.get(username=manager.username)
    with tempfile.TemporaryDirectory(prefix="pairs-demo-") as folder:
        write_demo_files(Path(folder), today=today)
        result = monitoring_import(path=Path(folder), team=team, actor=actor, today=today)
    _name_families(team, actor)
    _act_on_past_alerts(team, actor, today)
    return result, accounts


@transaction.atomic
def _act_on_past_alerts(team, actor, today: datetime.date) -> None:
    """The history's safety alerts were acted on at the time; those of the last fortnight are left open, so that
    the demo shows what a new one looks like without burying the dashboard under years of them."""
    cutoff = today - datetime.timedelta(days=ALERTS_LEFT_OPEN_DAYS)
    for alert in SafetyAlert.objects.in_team(team).open().filter(questionnaire__completed_on__lt=cutoff):
        outcome_services.safety_alert_record_action(alert=alert, action_taken=PAST_ALERT_ACTION, acted_on_by=actor)


@transaction.atomic
def _name_families(team, actor) -> None:
    """Fictional names for the caregivers and infants that have none, the same ones on every run."""
    for caregiver in Caregiver.objects.in_team(team).filter(name="").select_related("referral"):
        rng = random.Random(f"{DEMO_TEAM['slug']}-{caregiver.referral.reference}-{caregiver.position}")
        referral_services.caregiver_update(
            caregiver=caregiver,
            actor=actor,
            expected_version=caregiver.version,
            name=f"{rng.choice(ADULT_NAMES)} {rng.choice(SURNAMES)}",
            role=caregiver.role,
            date_of_birth=caregiver.date_of_birth,
            birth_year=caregiver.birth_year,
            ethnicity=caregiver.ethnicity,
            postcode=caregiver.postcode,
            nhs_number=caregiver.nhs_number,
        )
    for infant in Infant.objects.in_team(team).filter(name="").select_related("referral"):
        rng = random.Random(f"{DEMO_TEAM['slug']}-{infant.referral.reference}-infant")
        referral_services.infant_update(
            infant=infant,
            actor=actor,
            expected_version=infant.version,
            name=rng.choice(CHILD_NAMES),
            date_of_birth=infant.date_of_birth,
            due_date=infant.due_date,
        )
