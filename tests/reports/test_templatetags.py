from decimal import Decimal

import pytest

from reports.templatetags.reports import percent


@pytest.mark.parametrize(
    ("rate", "shown"),
    [(0.9519, "95.2%"), (0.75, "75%"), (Decimal("0.9"), "90%"), (0, "0%"), (1, "100%"), (0.25, "25%")],
)
def test_percent_shows_a_rate_to_one_decimal_place(rate, shown):
    assert percent(rate) == shown
