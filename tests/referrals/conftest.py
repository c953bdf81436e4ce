import pytest

from referrals.pipeline import State
from tests.referrals.builders import make_referral


@pytest.fixture
def referral_in(team_a, practitioner):
    def build(state: State | None = None, **fields):
        return make_referral(team=team_a, actor=practitioner, state=state, **fields)

    return build
