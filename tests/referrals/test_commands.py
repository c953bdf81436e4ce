import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pairs.models import Service
from referrals import services
from referrals.models import ImdPostcode

FIXTURE = Path(__file__).parent / "fixtures" / "imd_lookup.csv"

pytestmark = pytest.mark.django_db


def load(path) -> str:
    out = StringIO()
    call_command("load_imd_lookup", str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_lookup_loads_and_reloading_it_changes_nothing():
    assert "Loaded 5 postcodes: 5 new, 0 updated, 0 unchanged." in load(FIXTURE)
    assert ImdPostcode.objects.get(postcode="FY2 0AA").imd_decile == 3
    assert "Loaded 5 postcodes: 0 new, 0 updated, 5 unchanged." in load(FIXTURE)
    assert ImdPostcode.objects.count() == 5


def test_a_corrected_file_updates_the_postcodes_it_lists(tmp_path):
    load(FIXTURE)
    corrected = tmp_path / "corrected.csv"
    corrected.write_text("pcds,lsoa11,imd_decile\nFY1 1AD,E01012681,2\nFY3 9AA,E01012750,4\n", encoding="utf-8")
    assert "Loaded 2 postcodes: 1 new, 1 updated, 0 unchanged." in load(corrected)
    assert ImdPostcode.objects.get(postcode="FY1 1AD").imd_decile == 2
    assert ImdPostcode.objects.count() == 6


def test_a_file_with_any_bad_row_loads_nothing_and_lists_every_problem(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "postcode,lsoa_code,imd_decile\nFY1 1AD,E01012681,1\nNOPE,E01012690,1\nFY4 2DB,X123,11\nFY1 1AD,E01012681,1\n",
        encoding="utf-8",
    )
    errors = StringIO()
    with pytest.raises(CommandError, match="4 problem"):
        call_command("load_imd_lookup", str(bad), stdout=StringIO(), stderr=errors)
    assert errors.getvalue().splitlines() == [
        "bad.csv:3: postcode: NOPE is not a UK postcode",
        "bad.csv:4: lsoa_code: X123 is not an LSOA code like E01012345",
        "bad.csv:4: imd_decile: 11 is not a decile from 1 to 10",
        "bad.csv:5: postcode: FY1 1AD appears more than once",
    ]
    assert not ImdPostcode.objects.exists()


def test_a_missing_column_is_named(tmp_path):
    bad = tmp_path / "columns.csv"
    bad.write_text("postcode,decile\nFY1 1AD,1\n", encoding="utf-8")
    errors = StringIO()
    with pytest.raises(CommandError):
        call_command("load_imd_lookup", str(bad), stdout=StringIO(), stderr=errors)
    assert "columns.csv:1: lsoa_code: the column is missing" in errors.getvalue()


def test_a_new_referral_takes_its_decile_from_the_loaded_lookup(practitioner, team_a):
    load(FIXTURE)
    referral = services.referral_create(
        team=team_a,
        actor=practitioner,
        received_on=datetime.date(2025, 1, 6),
        pathway="individual",
        referrer_service=Service.objects.get(code="gp"),
        caregivers=[{"name": "Amy Bell", "role": "mother", "postcode": "fy4 2db"}],
    )
    assert (referral.imd_decile, referral.imd_from_postcode) == (5, True)
    assert referral.levels_history.get().imd_decile == 5
    unknown = services.referral_create(
        team=team_a,
        actor=practitioner,
        received_on=referral.received_on,
        pathway="individual",
        referrer_service=referral.referrer_service,
        caregivers=[{"name": "Bea Cole", "role": "mother", "postcode": "M1 1AE"}],
    )
    assert (unknown.imd_decile, unknown.imd_from_postcode) == (None, False)


def test_a_decile_from_the_postcode_follows_a_move_but_one_entered_by_hand_stays(practitioner, team_a):
    load(FIXTURE)
    referral = services.referral_create(
        team=team_a,
        actor=practitioner,
        received_on=datetime.date(2025, 1, 6),
        pathway="individual",
        referrer_service=Service.objects.get(code="gp"),
        caregivers=[{"name": "Amy Bell", "role": "mother", "postcode": "FY4 2DB"}],
    )
    caregiver = referral.caregivers.get()

    def move_to(postcode):
        caregiver.refresh_from_db()
        services.caregiver_update(
            caregiver=caregiver,
            actor=practitioner,
            expected_version=caregiver.version,
            name=caregiver.name,
            role=caregiver.role,
            date_of_birth=None,
            ethnicity="",
            postcode=postcode,
            nhs_number="",
        )
        referral.refresh_from_db()
        return referral.imd_decile, referral.imd_from_postcode

    assert move_to("FY8 1AA") == (7, True)
    assert list(referral.levels_history.values_list("imd_decile", flat=True)) == [7, 5]
    services.referral_levels_record(
        referral=referral,
        actor=practitioner,
        recorded_on=datetime.date(2025, 2, 1),
        safeguarding_level=None,
        risk_count=None,
        thrive_level=None,
        imd_decile=2,
    )
    assert move_to("FY1 1AD") == (2, False)
