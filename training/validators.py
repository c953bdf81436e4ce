from django.core.exceptions import ValidationError
from django.utils import timezone


def validate_not_in_future(value) -> None:
    """Workforce activity is recorded after it happened."""
    if value is not None and value > timezone.localdate():
        raise ValidationError("The date must be today or in the past", code="future_date")
