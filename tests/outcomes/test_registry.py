import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from outcomes.registry import (
    BUILT_IN_DIR,
    Improvement,
    Kind,
    Method,
    Verdict,
    get_instrument,
    load_definition,
    registry,
)


def test_ships_the_four_core_instruments_in_order():
    assert registry().codes == ["phq9", "gad7", "mors_sf", "gbo"]
    assert [instrument.code for instrument in registry().core] == ["phq9", "gad7", "mors_sf", "gbo"]


@pytest.mark.parametrize(
    ("code", "items", "lowest", "highest", "scales"),
    [
        ("phq9", 9, 0, 3, {"total": (0, 27, Improvement.LOWER, 6)}),
        ("gad7", 7, 0, 3, {"total": (0, 21, Improvement.LOWER, 4)}),
        (
            "mors_sf",
            14,
            0,
            5,
            {"warmth": (0, 35, Improvement.HIGHER, None), "invasion": (0, 35, Improvement.LOWER, None)},
        ),
        ("gbo", 3, 0, 10, {"mean": (0, 10, Improvement.HIGHER, 3)}),
    ],
)
def test_definitions_follow_the_spec(code, items, lowest, highest, scales):
    instrument = get_instrument(code)
    assert len(instrument.items) == items
    for item in instrument.items:
        assert item.allowed_values == frozenset(range(lowest, highest + 1))
        assert all(answer.label for answer in item.answers)
    assert {
        scale.code: (scale.minimum, scale.maximum, scale.improvement, scale.threshold) for scale in instrument.scales
    } == scales
    for scale in instrument.scales:
        assert scale.threshold_source
    assert instrument.licence


def test_answer_labels_are_the_ones_practitioners_see():
    phq9 = get_instrument("phq9")
    assert [answer.label for answer in phq9.item(1).answers] == [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    ]
    assert phq9.item(9).text.startswith("Thoughts that you would be better off dead")


def test_phq9_and_gad7_bands():
    assert [(b.low, b.high, b.label) for b in get_instrument("phq9").scale("total").bands] == [
        (0, 4, "Minimal"),
        (5, 9, "Mild"),
        (10, 14, "Moderate"),
        (15, 19, "Moderately severe"),
        (20, 27, "Severe"),
    ]
    assert [(b.low, b.high, b.label) for b in get_instrument("gad7").scale("total").bands] == [
        (0, 4, "Minimal"),
        (5, 9, "Mild"),
        (10, 14, "Moderate"),
        (15, 21, "Severe"),
    ]


def test_mors_sf_subscales_place_the_items_as_the_spec_says():
    mors = get_instrument("mors_sf")
    assert mors.scale("warmth").items == (1, 3, 4, 6, 8, 11, 13)
    assert mors.scale("invasion").items == (2, 5, 7, 9, 10, 12, 14)
    assert not mors.validated_for_pre_post
    assert mors.has_subscales


def test_gbo_is_a_goals_instrument_scored_by_the_mean_of_rated_goals():
    gbo = get_instrument("gbo")
    assert gbo.kind == Kind.GOALS
    assert all(item.optional for item in gbo.items)
    assert gbo.scale("mean").method == Method.MEAN
    assert gbo.scale("mean").min_items == 1


def test_only_phq9_item_9_raises_an_alert():
    alerts = {instrument.code: [(rule.item, rule.above) for rule in instrument.alerts] for instrument in registry()}
    assert alerts == {"phq9": [(9, 0)], "gad7": [], "mors_sf": [], "gbo": []}


def test_a_local_reliable_change_threshold_can_be_configured(settings):
    assert get_instrument("mors_sf").scale("warmth").verdict(20, 30) is None
    settings.OUTCOMES_RELIABLE_CHANGE = {"mors_sf.warmth": {"threshold": 5, "source": "Agreed with the ICB, 2025"}}
    warmth = get_instrument("mors_sf").scale("warmth")
    assert warmth.threshold == 5
    assert warmth.threshold_source == "Agreed with the ICB, 2025"
    assert warmth.verdict(20, 25) == Verdict.IMPROVED
    assert get_instrument("mors_sf").scale("invasion").threshold is None


def _definition(**changes):
    with (BUILT_IN_DIR / "phq9.json").open() as handle:
        raw = json.load(handle)
    raw.update(changes)
    return raw


def _scale(**changes):
    scale = dict(_definition()["scales"][0])
    scale.update(changes)
    return scale


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "PHQ 9"}, "lower_snake_case"),
        ({"items": []}, "has no items"),
        ({"scales": [_scale(max=30)]}, "range"),
        ({"scales": [_scale(items=[1, 2, 10])]}, "does not exist"),
        ({"scales": [_scale(improvement="up")]}, "improvement"),
        ({"scales": [_scale(method="median")]}, "unknown method"),
        (
            {"scales": [_scale(bands=[{"from": 0, "to": 4, "label": "Low"}, {"from": 6, "to": 27, "label": "High"}])]},
            "gap",
        ),
        ({"scales": [_scale(bands=[{"from": 0, "to": 10, "label": "Low"}])]}, "miss its range"),
        ({"scales": [_scale(reliable_change={"threshold": 0, "source": "x"})]}, "above 0"),
        ({"alerts": [{"item": 12, "above": 0, "title": "x"}]}, "does not exist"),
    ],
)
def test_a_definition_that_would_score_wrongly_is_refused(changes, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        load_definition(_definition(**changes))


def test_two_definitions_cannot_share_a_code(settings, tmp_path):
    (tmp_path / "copy.json").write_text(json.dumps(_definition()))
    settings.OUTCOMES_INSTRUMENT_DIRS = [tmp_path]
    with pytest.raises(ImproperlyConfigured, match="share a code"):
        registry()
