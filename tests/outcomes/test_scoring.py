import pytest
from django.core.exceptions import ValidationError

from outcomes.registry import Verdict, get_instrument
from outcomes.scoring import ScoreSource, clean_answers, score_items, score_questionnaire


def answers_totalling(code: str, total: int) -> dict[int, int]:
    """Answers to every item of a sum-scored instrument that add up to `total`, highest items first."""
    answers = {}
    for item in get_instrument(code).items:
        value = min(max(item.allowed_values), total)
        answers[item.number] = value
        total -= value
    assert total == 0
    return answers


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "Minimal"),
        (4, "Minimal"),
        (5, "Mild"),
        (9, "Mild"),
        (10, "Moderate"),
        (14, "Moderate"),
        (15, "Moderately severe"),
        (19, "Moderately severe"),
        (20, "Severe"),
        (27, "Severe"),
    ],
)
def test_phq9_band_boundaries(total, band):
    phq9 = get_instrument("phq9")
    result = score_items(phq9, answers_totalling("phq9", total))
    assert result.scores == {"total": total}
    assert phq9.scale("total").band_for(result.scores["total"]) == band


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "Minimal"),
        (4, "Minimal"),
        (5, "Mild"),
        (9, "Mild"),
        (10, "Moderate"),
        (14, "Moderate"),
        (15, "Severe"),
        (21, "Severe"),
    ],
)
def test_gad7_band_boundaries(total, band):
    gad7 = get_instrument("gad7")
    result = score_items(gad7, answers_totalling("gad7", total))
    assert result.scores == {"total": total}
    assert gad7.scale("total").band_for(result.scores["total"]) == band


def test_phq9_hand_worked_total():
    result = score_items(get_instrument("phq9"), {1: 2, 2: 3, 3: 1, 4: 0, 5: 2, 6: 1, 7: 3, 8: 0, 9: 0})
    assert result.scores == {"total": 12}
    assert result.complete
    assert result.source == ScoreSource.ITEMS
    assert result.alerts == ()


def test_mors_sf_subscale_sums():
    answers = {1: 5, 2: 0, 3: 4, 4: 1, 5: 3, 6: 2, 7: 5, 8: 0, 9: 1, 10: 2, 11: 4, 12: 0, 13: 3, 14: 1}
    # Warmth, items 1, 3, 4, 6, 8, 11, 13: 5 + 4 + 1 + 2 + 0 + 4 + 3 = 19.
    # Invasion, items 2, 5, 7, 9, 10, 12, 14: 0 + 3 + 5 + 1 + 2 + 0 + 1 = 12.
    assert score_items(get_instrument("mors_sf"), answers).scores == {"warmth": 19, "invasion": 12}


def test_mors_sf_extremes():
    mors = get_instrument("mors_sf")
    assert score_items(mors, dict.fromkeys(range(1, 15), 0)).scores == {"warmth": 0, "invasion": 0}
    assert score_items(mors, dict.fromkeys(range(1, 15), 5)).scores == {"warmth": 35, "invasion": 35}


@pytest.mark.parametrize(
    ("ratings", "mean"),
    [
        ({1: 4}, 4.0),
        ({1: 3, 3: 6}, 4.5),
        ({1: 2, 2: 3, 3: 5}, 10 / 3),
        ({1: 0, 2: 10, 3: None}, 5.0),
    ],
)
def test_gbo_mean_of_one_two_and_three_goals(ratings, mean):
    result = score_items(get_instrument("gbo"), ratings)
    assert result.scores["mean"] == pytest.approx(mean)
    assert result.complete
    assert result.missing == ()


def test_gbo_with_no_rated_goal_scores_nothing():
    result = score_items(get_instrument("gbo"), {1: None, 2: ""})
    assert not result.complete
    assert result.scores == {}


@pytest.mark.parametrize("code", ["phq9", "gad7", "mors_sf"])
def test_an_incomplete_questionnaire_scores_nothing(code):
    instrument = get_instrument(code)
    answers = {item.number: 1 for item in instrument.items}
    answers[3] = None
    result = score_items(instrument, answers)
    assert not result.complete
    assert result.scores == {}
    assert result.missing == (3,)


def test_an_item_left_out_entirely_is_missing():
    result = score_items(get_instrument("gad7"), {1: 1, 2: 1, 4: 1, 5: 1, 6: 1})
    assert result.missing == (3, 7)
    assert result.scores == {}


@pytest.mark.parametrize(
    ("code", "answers", "key"),
    [
        ("phq9", {1: 4}, "item_1"),
        ("phq9", {2: -1}, "item_2"),
        ("phq9", {3: "2.5"}, "item_3"),
        ("phq9", {4: "often"}, "item_4"),
        ("phq9", {5: True}, "item_5"),
        ("phq9", {10: 1}, "item_10"),
        ("gad7", {1: 3, 7: 9}, "item_7"),
        ("mors_sf", {14: 6}, "item_14"),
        ("gbo", {2: 11}, "item_2"),
        ("gbo", {4: 5}, "item_4"),
    ],
)
def test_answers_out_of_range_are_rejected(code, answers, key):
    with pytest.raises(ValidationError) as raised:
        clean_answers(get_instrument(code), answers)
    assert key in raised.value.message_dict


def test_answers_given_as_text_are_read():
    assert clean_answers(get_instrument("phq9"), {"1": "2", "2": " 3", "3": ""}) == {1: 2, 2: 3}


@pytest.mark.parametrize(("item_9", "alerted"), [(0, False), (1, True), (3, True)])
def test_phq9_item_9_above_0_raises_the_alert(item_9, alerted):
    answers = {**answers_totalling("phq9", 0), 9: item_9}
    result = score_items(get_instrument("phq9"), answers)
    assert bool(result.alerts) is alerted


def test_the_alert_is_raised_even_when_the_questionnaire_is_incomplete():
    result = score_items(get_instrument("phq9"), {1: None, 9: 2})
    assert not result.complete
    assert [rule.item for rule in result.alerts] == [9]


# Reliable change: exactly at, just under and just over each threshold, in both directions.
@pytest.mark.parametrize(
    ("code", "scale", "t1", "t2", "verdict"),
    [
        ("phq9", "total", 15, 9, Verdict.IMPROVED),
        ("phq9", "total", 15, 10, Verdict.NO_CHANGE),
        ("phq9", "total", 15, 8, Verdict.IMPROVED),
        ("phq9", "total", 9, 15, Verdict.DETERIORATED),
        ("phq9", "total", 9, 14, Verdict.NO_CHANGE),
        ("phq9", "total", 9, 16, Verdict.DETERIORATED),
        ("phq9", "total", 12, 12, Verdict.NO_CHANGE),
        ("gad7", "total", 14, 10, Verdict.IMPROVED),
        ("gad7", "total", 14, 11, Verdict.NO_CHANGE),
        ("gad7", "total", 14, 9, Verdict.IMPROVED),
        ("gad7", "total", 10, 14, Verdict.DETERIORATED),
        ("gad7", "total", 10, 13, Verdict.NO_CHANGE),
        ("gad7", "total", 10, 15, Verdict.DETERIORATED),
        # GBO means of three goals are thirds: 4/3 to 13/3 is a change of exactly 3.
        ("gbo", "mean", 4 / 3, 13 / 3, Verdict.IMPROVED),
        ("gbo", "mean", 4 / 3, 4.0, Verdict.NO_CHANGE),
        ("gbo", "mean", 4 / 3, 14 / 3, Verdict.IMPROVED),
        ("gbo", "mean", 13 / 3, 4 / 3, Verdict.DETERIORATED),
        ("gbo", "mean", 4.0, 4 / 3, Verdict.NO_CHANGE),
        ("gbo", "mean", 14 / 3, 4 / 3, Verdict.DETERIORATED),
        ("gbo", "mean", 3.0, 6.0, Verdict.IMPROVED),
        ("gbo", "mean", 3.0, 5.5, Verdict.NO_CHANGE),
        ("gbo", "mean", 6.0, 3.0, Verdict.DETERIORATED),
    ],
)
def test_reliable_change(code, scale, t1, t2, verdict):
    assert get_instrument(code).scale(scale).verdict(t1, t2) == verdict


def test_mors_sf_has_no_reliable_change_verdict():
    mors = get_instrument("mors_sf")
    assert mors.scale("warmth").verdict(10, 30) is None
    assert mors.scale("invasion").verdict(30, 10) is None


@pytest.mark.parametrize(
    ("t1", "t2", "verdict"),
    [(20, 25, Verdict.IMPROVED), (20, 24, Verdict.NO_CHANGE), (20, 15, Verdict.DETERIORATED)],
)
def test_mors_sf_local_threshold_follows_each_subscale_direction(settings, t1, t2, verdict):
    settings.OUTCOMES_RELIABLE_CHANGE = {
        "mors_sf.warmth": {"threshold": 5, "source": "local"},
        "mors_sf.invasion": {"threshold": 5, "source": "local"},
    }
    mors = get_instrument("mors_sf")
    assert mors.scale("warmth").verdict(t1, t2) == verdict
    # Invasion improves downwards: the same numbers read the other way round.
    assert mors.scale("invasion").verdict(t2, t1) == verdict


def test_totals_alone_are_stored_as_historical_scores():
    result = score_questionnaire(get_instrument("mors_sf"), totals={"warmth": 28, "invasion": 9})
    assert result.source == ScoreSource.TOTALS
    assert result.scores == {"warmth": 28, "invasion": 9}
    assert result.alerts == ()


@pytest.mark.parametrize(
    ("code", "totals", "key"),
    [
        ("phq9", {"total": 28}, "total"),
        ("phq9", {"total": -1}, "total"),
        ("phq9", {"total": 12.5}, "total"),
        ("phq9", {"total": "twelve"}, "total"),
        ("gad7", {"total": 22}, "total"),
        ("mors_sf", {"warmth": 20}, "invasion"),
        ("mors_sf", {"warmth": 36, "invasion": 1}, "warmth"),
        ("gbo", {"mean": 10.5}, "mean"),
        ("phq9", {"total": 5, "warmth": 3}, "warmth"),
    ],
)
def test_totals_out_of_range_are_rejected(code, totals, key):
    with pytest.raises(ValidationError) as raised:
        score_questionnaire(get_instrument(code), totals=totals)
    assert key in raised.value.message_dict


def test_items_and_totals_that_agree_are_accepted():
    result = score_questionnaire(get_instrument("gad7"), answers=answers_totalling("gad7", 11), totals={"total": 11})
    assert result.scores == {"total": 11}
    assert result.source == ScoreSource.ITEMS


def test_a_gbo_mean_rounded_to_two_places_agrees_with_its_ratings():
    result = score_questionnaire(get_instrument("gbo"), answers={1: 2, 2: 3, 3: 5}, totals={"mean": 3.33})
    assert result.scores["mean"] == pytest.approx(10 / 3)


def test_items_and_totals_that_disagree_are_rejected():
    with pytest.raises(ValidationError) as raised:
        score_questionnaire(get_instrument("gad7"), answers=answers_totalling("gad7", 11), totals={"total": 12})
    assert "total" in raised.value.message_dict


def test_totals_cannot_be_checked_against_incomplete_items():
    with pytest.raises(ValidationError) as raised:
        score_questionnaire(get_instrument("phq9"), answers={1: 1, 2: 1}, totals={"total": 2})
    assert "item_3" in raised.value.message_dict


def test_nothing_to_score_is_refused():
    with pytest.raises(ValidationError):
        score_questionnaire(get_instrument("phq9"))
