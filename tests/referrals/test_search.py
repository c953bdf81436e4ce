"""Finding a family (`referrals.selectors.search`): what a search text is read as, what it finds, in what order,
within whose teams, in how many queries, and the folded names the family's services keep current."""

import datetime

import pytest
from django.db import connection

from pairs.models import Service
from referrals import services
from referrals.audit import audit_history
from referrals.models import Referral
from referrals.selectors import referral_search
from referrals.selectors.search import SEARCH_QUERIES, SearchTerms, fold, parse_date
from tests.referrals.builders import TODAY

pytestmark = pytest.mark.django_db

NHS_NUMBER = "9434765919"
OTHER_NHS_NUMBER = "4010232137"
BORN = datetime.date(1990, 4, 3)


def family(team, actor, *, names=("Amy Ashbrook",), infant="Alfie", reference="", **caregiver) -> Referral:
    """A referral made through the services, as the browser and imports make them."""
    caregivers = [
        {"name": name, "role": "mother" if position == 0 else "father"} for position, name in enumerate(names)
    ]
    caregivers[0].update(caregiver)
    return services.referral_create(
        team=team,
        actor=actor,
        received_on=TODAY - datetime.timedelta(days=10),
        pathway="individual",
        referrer_service=Service.objects.get(code="midwifery"),
        caregivers=caregivers,
        infants=[{"name": infant, "date_of_birth": TODAY - datetime.timedelta(days=100)}] if infant else [],
        reference=reference,
    )


def found(user, team, text: str) -> list[str]:
    return [referral.reference for referral in referral_search(user=user, team=team, text=text)]


# Reading the text -----------------------------------------------------------------------------------------------


def test_folding_takes_off_accents_case_and_extra_spaces():
    assert fold("  Zoë   Ó'Brien-SIÂN ") == "zoe o'brien-sian"
    assert fold("") == ""


@pytest.mark.parametrize(
    "text",
    ["3/4/1990", "03/04/1990", "03-04-1990", "3.4.1990", "1990-04-03", "3 April 1990", "3rd Apr 1990", "3 apr, 1990"],
)
def test_a_date_of_birth_is_read_as_a_person_types_it(text):
    assert parse_date(text) == BORN


@pytest.mark.parametrize("text", ["31/2/1990", "3 Smarch 1990", "1990", "Amy", "13/13/1990", "3/4/90"])
def test_what_is_not_a_whole_date_is_not_read_as_one(text):
    assert parse_date(text) is None


def test_the_text_is_read_as_each_identifier_it_could_be():
    assert SearchTerms.read("943 476 5919").nhs_number == NHS_NUMBER
    assert SearchTerms.read("943 476 591").nhs_number == ""
    assert SearchTerms.read("fy11ad").postcode == "FY1 1AD"
    assert SearchTerms.read("Amy").postcode == ""
    assert SearchTerms.read("  Zoë  Ash ").words == ["zoe", "ash"]
    assert not SearchTerms.read(" a ").is_searchable
    assert len(SearchTerms.read("x" * 500).text) == 100


# What it finds --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["ZOE", "zoë", "ashb", "BROOK", "zoe ash", "ashbrook zoe", "Noé"])
def test_a_family_is_found_by_any_part_of_a_name_whatever_the_accents_and_case(team_a, practitioner, text):
    zoe = family(team_a, practitioner, names=("Zoë Ashbrook", "Dan Birchley"), infant="Noé")
    family(team_a, practitioner, names=("Kirsty Maplewell",), infant="Leo")
    assert found(practitioner, team_a, text) == [zoe.reference]


def test_a_name_that_is_no_one_s_finds_nothing(team_a, practitioner):
    family(team_a, practitioner)
    assert found(practitioner, team_a, "Quillstead") == []
    assert found(practitioner, team_a, "amy zed") == []


@pytest.mark.parametrize("text", ["9434765919", "943 476 5919", "943-476-5919"])
def test_a_family_is_found_by_an_nhs_number_with_or_without_spaces(team_a, practitioner, text):
    amy = family(team_a, practitioner, nhs_number=NHS_NUMBER)
    family(team_a, practitioner, names=("Kirsty Maplewell",), nhs_number=OTHER_NHS_NUMBER)
    assert found(practitioner, team_a, text) == [amy.reference]


@pytest.mark.parametrize("text", ["3/4/1990", "1990-04-03", "3 April 1990"])
def test_a_family_is_found_by_a_caregiver_s_date_of_birth(team_a, practitioner, text):
    amy = family(team_a, practitioner, date_of_birth=BORN)
    family(team_a, practitioner, names=("Kirsty Maplewell",), date_of_birth=datetime.date(1990, 3, 4))
    assert found(practitioner, team_a, text) == [amy.reference]


def test_a_family_is_found_by_the_infant_s_date_of_birth(team_a, practitioner):
    amy = family(team_a, practitioner)
    born = amy.infants.get().date_of_birth
    assert found(practitioner, team_a, born.strftime("%d/%m/%Y")) == [amy.reference]


@pytest.mark.parametrize("text", ["FY1 1AD", "fy11ad", " fy1  1ad "])
def test_a_family_is_found_by_a_postcode_whatever_its_spaces_and_case(team_a, practitioner, text):
    amy = family(team_a, practitioner, postcode="FY1 1AD")
    family(team_a, practitioner, names=("Kirsty Maplewell",), postcode="FY1 1AE")
    assert found(practitioner, team_a, text) == [amy.reference]


def test_a_family_is_found_by_its_reference_or_part_of_it(team_a, practitioner):
    first = family(team_a, practitioner, reference="BPL-2024-0012")
    family(team_a, practitioner, names=("Kirsty Maplewell",), reference="BPL-2025-0001")
    assert found(practitioner, team_a, "bpl-2024-0012") == [first.reference]
    assert found(practitioner, team_a, "2024-00") == [first.reference]


def test_the_exact_reference_comes_first_then_exact_identifiers_then_parts_of_references_then_names(
    team_a, practitioner
):
    part_of_reference = family(team_a, practitioner, names=("Kirsty Maplewell",), reference="AB-12")
    name = family(team_a, practitioner, names=("Ab Larchford",), reference="X-1")
    exact = family(team_a, practitioner, names=("Ellie Umberdale",), reference="AB-1")
    assert found(practitioner, team_a, "ab-1") == [exact.reference, part_of_reference.reference]
    # Within a rank, the newest referral first.
    assert found(practitioner, team_a, "ab") == [exact.reference, part_of_reference.reference, name.reference]

    by_nhs_number = family(team_a, practitioner, names=("Jade Rowanmere",), nhs_number=NHS_NUMBER)
    by_reference = family(team_a, practitioner, names=("Toni Gorseley",), reference=f"REF-{NHS_NUMBER}")
    assert found(practitioner, team_a, NHS_NUMBER) == [by_nhs_number.reference, by_reference.reference]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm's word similarity")
def test_on_postgresql_a_mistyped_name_is_found_and_the_closest_names_come_first(team_a, practitioner):
    ashbrook = family(team_a, practitioner, names=("Amy Ashbrook",))
    ashbrookes = family(team_a, practitioner, names=("Amy Ashbrookes-Whitcombe",))
    family(team_a, practitioner, names=("Kirsty Maplewell",))
    assert found(practitioner, team_a, "ashbrook") == [ashbrook.reference, ashbrookes.reference]
    assert set(found(practitioner, team_a, "ashbrok")) == {ashbrook.reference, ashbrookes.reference}


def test_too_short_a_text_finds_nothing(team_a, practitioner):
    family(team_a, practitioner, names=("A Ashbrook",))
    assert found(practitioner, team_a, "a") == []
    assert found(practitioner, team_a, "   ") == []


# Whose families -------------------------------------------------------------------------------------------------


def test_a_search_finds_the_families_of_the_team_worked_in_only(team_a, team_b, practitioner, practitioner_b, manager):
    amy = family(team_a, practitioner)
    assert found(manager, team_a, "amy") == [amy.reference]
    assert found(practitioner_b, team_b, "amy") == []
    assert found(practitioner_b, team_a, "amy") == []


def test_a_commissioner_finds_no_family(team_a, practitioner, commissioner):
    family(team_a, practitioner)
    assert found(commissioner, team_a, "amy") == []


# In a fixed number of queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("families", [2, 12])
def test_a_page_of_results_is_read_in_a_fixed_number_of_queries(
    team_a, practitioner, django_assert_num_queries, families
):
    for number in range(families):
        family(team_a, practitioner, names=(f"Amy Ashbrook{number}", "Dan Ashbrook"), infant=f"Alfie{number}")
    results = referral_search(user=practitioner, team=team_a, text="ashbrook")
    with django_assert_num_queries(SEARCH_QUERIES):
        assert results.count() == families
        page = list(results[:10])
        names = [[caregiver.name for caregiver in referral.caregivers.all()] for referral in page]
        infants = [[infant.name for infant in referral.infants.all()] for referral in page]
        statuses = {referral.status_as_at for referral in page}
        practitioners = [referral.assigned_practitioner for referral in page]
    assert len(names) == len(infants) == len(practitioners) == min(families, 10)
    assert statuses == {"awaiting_decision"}


# The folded names, kept current by the services -----------------------------------------------------------------


def test_the_services_keep_the_folded_names_current(team_a, practitioner):
    referral = family(team_a, practitioner, names=("Zoë Ashbrook",), infant="")
    assert Referral.objects.get(pk=referral.pk).family_names == "zoe ashbrook"

    caregiver = referral.caregivers.get()
    services.caregiver_update(actor=practitioner, caregiver=caregiver, name="Zoë Birchley")
    services.caregiver_add(actor=practitioner, referral=referral, role="father", name="Seán Birchley")
    infant = services.infant_add(actor=practitioner, referral=referral, name="Noé", due_date=TODAY)
    assert Referral.objects.get(pk=referral.pk).family_names == "zoe birchley\nsean birchley\nnoe"
    assert found(practitioner, team_a, "ashbrook") == []
    assert found(practitioner, team_a, "birchley") == [referral.reference]

    services.infant_update(actor=practitioner, infant=infant, name="Noah")
    assert found(practitioner, team_a, "noah") == [referral.reference]
    assert found(practitioner, team_a, "noe") == []


def test_the_folded_names_are_not_in_the_audit_trail(team_a, practitioner):
    referral = family(team_a, practitioner, names=("Zoë Ashbrook",))
    assert not [entry for entry in audit_history(referral) if "family_names" in (entry.changes or {})]
