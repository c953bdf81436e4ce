"""Validation and normalisation of the identifiers a referral carries: NHS numbers and UK postcodes."""

import re

from django.core.exceptions import ValidationError

NHS_NUMBER_WEIGHTS = range(10, 1, -1)
POSTCODE_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def normalise_nhs_number(value: str) -> str:
    """The ten digits of an NHS number typed with or without spaces or dashes."""
    return re.sub(r"[\s-]", "", value or "")


def nhs_number_is_valid(digits: str) -> bool:
    """Modulus 11: the weighted sum of the first nine digits gives the tenth; a remainder giving 10 is never issued.
    Ten of one digit (0000000000, 2222222222...) pass the check but are placeholders, never issued."""
    if not re.fullmatch(r"\d{10}", digits) or len(set(digits)) == 1:
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], NHS_NUMBER_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def validate_nhs_number(value: str) -> None:
    digits = normalise_nhs_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError("Enter an NHS number with 10 digits, like 943 476 5919", code="nhs_number_length")
    if len(set(digits)) == 1:
        raise ValidationError(
            f"Enter the family's real NHS number: {digits} is a placeholder, not a number the NHS issues",
            code="nhs_number_placeholder",
        )
    if not nhs_number_is_valid(digits):
        raise ValidationError(
            "Enter a valid NHS number: the last digit does not match the others. Check it against the letter or record",
            code="nhs_number_check_digit",
        )


def format_nhs_number(digits: str) -> str:
    """Shown 3-3-4, as on NHS letters: 943 476 5919."""
    if len(digits) != 10:
        return digits
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the inward code: 'fy11aa' becomes 'FY1 1AA'."""
    compact = re.sub(r"\s", "", value or "").upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def validate_postcode(value: str) -> None:
    if not POSTCODE_PATTERN.match(normalise_postcode(value)):
        raise ValidationError("Enter a real UK postcode, like FY1 1AA", code="postcode")
