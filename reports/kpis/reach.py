"""Reach (kpis.md, Further figures): accepted referrals a year as a share of the teams' births a year."""

from collections.abc import Sequence
from fractions import Fraction

from pairs.models import Team
from pairs.periods import Period
from reports.figures import Scaled


def reach_figures(teams: Sequence[Team], period: Period, accepted: int) -> dict:
    """Accepted referrals a year (accepted x 12 / the period's unrounded months) and their share of the births a
    year, summed over the teams and unknown when any team has no births figure (teams are resourced for 1-5%)."""
    months = sum(share for _, share in period.month_shares())
    per_year = Fraction(12) / months
    births = [team.births_per_year for team in teams]
    births_per_year = sum(births) if births and None not in births else None
    share = per_year / births_per_year if births_per_year else None
    return {
        "births_per_year": births_per_year,
        "accepted_per_year": Scaled(accepted, per_year, 1),
        "share_of_births": Scaled(accepted, share, 4),
    }
