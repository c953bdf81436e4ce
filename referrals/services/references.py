"""Case references of the referrals created in PaIRS: the team's scheme (`Team.reference_prefix` and
`reference_pattern`), numbered by the team's counter. Imported referrals keep the references they come with."""

import datetime

from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr

from pairs.models import ReferenceCounter, ReferencePattern, Team
from referrals.models import Referral

NUMBER_DIGITS = {ReferencePattern.NUMBER: 6, ReferencePattern.YEAR_NUMBER: 4}


def reference_allocate(team: Team, received_on: datetime.date) -> str:
    """The next reference of the team's scheme for a referral received on `received_on`.

    Call it inside the transaction that saves the referral: the series' counter stays locked until it ends, so a
    second referral created at the same time waits and takes the next number. A new prefix starts a new series.
    The number also passes every reference of the series already in the team (an import's, or one typed by hand),
    so it is never taken.
    """
    if team.reference_pattern == ReferencePattern.YEAR_NUMBER:
        series = f"{team.reference_prefix}{received_on.year}-"
    else:
        series = team.reference_prefix
    # INSERT ... ON CONFLICT DO NOTHING, then lock: the first two referrals of a series cannot both create its
    # counter, and the second waits for the first's transaction to end.
    ReferenceCounter.objects.bulk_create([ReferenceCounter(team=team, series=series)], ignore_conflicts=True)
    counter = ReferenceCounter.objects.select_for_update().get(team=team, series=series)
    highest = (
        Referral.objects.in_team(team)
        .filter(reference__startswith=series, reference__regex=rf"^.{{{len(series)}}}[0-9]+$")
        .aggregate(n=Max(Cast(Substr("reference", len(series) + 1), IntegerField())))["n"]
    )
    counter.last_number = max(counter.last_number, highest or 0) + 1
    counter.save(update_fields=["last_number"])
    return f"{series}{counter.last_number:0{NUMBER_DIGITS[ReferencePattern(team.reference_pattern)]}d}"
