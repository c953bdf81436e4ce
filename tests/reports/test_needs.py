from decimal import Decimal

from reports.needs import BabyRange, Share, needs_model


def shares(lines) -> dict:
    return {line.code: (line.share.low, line.share.high) for line in lines}


def babies(lines) -> dict:
    return {line.code: (line.babies.low, line.babies.high) for line in lines}


def test_at_uk_average_adversity_the_toolkit_s_percentages_apply_to_the_births():
    model = needs_model(births_per_year=1000)
    assert shares(model.attachment) == {
        "secure": (Decimal(55), Decimal(60)),
        "insecure": (Decimal(25), Decimal(30)),
        "disorganised": (Decimal(15), Decimal(15)),
    }
    # Toolkit Table 2, Example 1: 150 disorganised, 250-300 insecure, 550-600 secure per 1,000 births.
    assert babies(model.attachment) == {"secure": (550, 600), "insecure": (250, 300), "disorganised": (150, 150)}
    assert babies(model.tiers) == {
        "universal_only": (550, 600),
        "moderate_short_term": (15, 20),
        "mild_moderate_targeted": (65, 80),
        "severe_longer_term": (50, 50),
        "mild_moderate_unlikely_to_reach": (160, 200),
        "severe_little_engagement": (100, 100),
    }
    assert model.resourced_for.babies == BabyRange(10, 50)


def test_five_per_cent_more_adversity_raises_each_pattern_and_tier_and_secure_is_the_remainder():
    model = needs_model(births_per_year=1000, adversity_adjustment=5)
    found = shares(model.attachment)
    assert found["disorganised"] == (Decimal("15.75"), Decimal("15.75"))
    assert found["insecure"] == (Decimal("26.25"), Decimal("31.5"))
    # 100 - 15.75 - 31.5 and 100 - 15.75 - 26.25: not the 58-63% the Toolkit's Example 3 prints.
    assert found["secure"] == (Decimal("52.75"), Decimal("58"))
    tiers = shares(model.tiers)
    assert tiers["moderate_short_term"] == (Decimal("1.575"), Decimal("2.1"))
    assert tiers["severe_longer_term"] == (Decimal("5.25"), Decimal("5.25"))
    # The resourcing band is what teams are funded for, whatever the local adversity.
    assert (model.resourced_for.share.low, model.resourced_for.share.high) == (Decimal(1), Decimal(5))


def test_less_adversity_lowers_them_and_babies_round_to_whole_babies_halves_up():
    model = needs_model(births_per_year=1480, adversity_adjustment=-5)
    assert babies(model.attachment)["disorganised"] == (211, 211)  # 1,480 x 14.25% = 210.9
    assert babies(model.tiers)["moderate_short_term"] == (21, 28)  # 21.09 and 28.12
    assert Share(Decimal("2.5"), Decimal("2.5")).babies(100) == BabyRange(3, 3)


def test_the_demo_team_s_births():
    model = needs_model(births_per_year=1480)
    assert babies(model.tiers)["severe_longer_term"] == (74, 74)
    assert model.resourced_for.babies == BabyRange(15, 74)  # 14.8 to 74 referrals a year
