import pytest
from django.core.exceptions import ValidationError

from referrals.validators import (
    format_nhs_number,
    nhs_number_is_valid,
    normalise_nhs_number,
    normalise_postcode,
    validate_nhs_number,
    validate_postcode,
)


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "943-476-5919", "4010232137", "4010232250"])
def test_valid_nhs_numbers_pass_the_modulus_11_check(number):
    validate_nhs_number(number)
    assert nhs_number_is_valid(normalise_nhs_number(number))


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("9434765918", "nhs_number_check_digit"),  # last digit wrong
        ("9434765031", "nhs_number_check_digit"),  # the first nine digits give a check of 10: never issued
        ("4010232251", "nhs_number_check_digit"),  # a remainder of 0 gives a check digit of 0, not 1
        ("943476591", "nhs_number_length"),
        ("94347659199", "nhs_number_length"),
        ("94347659AB", "nhs_number_length"),
    ],
)
def test_invalid_nhs_numbers_are_refused_with_a_reason(number, code):
    with pytest.raises(ValidationError) as refused:
        validate_nhs_number(number)
    assert refused.value.code == code


def test_nhs_numbers_are_shown_3_3_4():
    assert format_nhs_number("9434765919") == "943 476 5919"


@pytest.mark.parametrize(
    ("typed", "stored"), [("fy11aa", "FY1 1AA"), (" SW1A  1AA ", "SW1A 1AA"), ("m1 1ae", "M1 1AE")]
)
def test_postcodes_are_normalised(typed, stored):
    assert normalise_postcode(typed) == stored
    validate_postcode(typed)


@pytest.mark.parametrize("postcode", ["FY1", "12345", "FY1 1A", "not a postcode"])
def test_impossible_postcodes_are_refused(postcode):
    with pytest.raises(ValidationError):
        validate_postcode(postcode)
