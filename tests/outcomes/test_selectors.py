import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from scipy import stats

from outcomes.models import NotCompletedReason, Timepoint
from outcomes.registry import BUILT_IN_DIR, Verdict
from outcomes.selectors import (
    cohort_outcomes,
    cohort_statistics,
    open_alerts,
    outstanding_by_referral,
    paired_changes,
    referral_rollup,
    rollup_counts,
    t1_due_by_referral,
    t2_due,
    with_paired_outcomes,
)
from outcomes.services import questionnaire_record_not_completed
from referrals.models import Referral
from tests.factories import CaregiverFactory, QuestionnaireFactory
from tests.outcomes.conftest import days_ago, make_referral

FIGURE_KEYS = [
    "n",
    "mean_t1",
    "mean_t2",
    "mean_change",
    "p_value",
    "effect_size",
    "reliably_improved",
    "no_reliable_change",
    "reliably_deteriorated",
]


def q(referral, instrument, timepoint, on, *, caregiver=1, **scores):
    """A questionnaire of `referral` scored from totals (`total=12`, `warmth=20, invasion=9`) or GBO ratings."""
    caregiver = referral.caregivers.get(position=caregiver)
    common = {"referral": referral, "caregiver": caregiver, "instrument": instrument, "timepoint": timepoint}
    if "ratings" in scores:
        return QuestionnaireFactory(**common, completed_on=days_ago(on), answers=scores["ratings"])
    return QuestionnaireFactory(**common, completed_on=days_ago(on), totals=scores)


@pytest.fixture
def referral_b(team_a, practitioner):
    return make_referral(team=team_a, actor=practitioner, caregivers=2)


def test_pairs_take_the_first_t1_and_the_last_t2_of_the_same_caregiver(referral):
    q(referral, "phq9", "T1", 100, total=20)
    q(referral, "phq9", "T1", 90, total=18)
    q(referral, "phq9", "MID", 50, total=2)
    q(referral, "phq9", "T2", 30, total=15)
    q(referral, "phq9", "T2", 10, total=9)
    [pair] = paired_changes(Referral.objects.all())
    assert (pair.t1, pair.t2, pair.t1_on, pair.t2_on) == (20, 9, days_ago(100), days_ago(10))
    assert pair.change == -11
    assert pair.verdict == Verdict.IMPROVED


def test_only_scored_questionnaires_are_paired(referral, practitioner):
    QuestionnaireFactory(
        referral=referral, instrument="phq9", completed_on=days_ago(100), answers={1: 3}
    )  # incomplete: no score
    q(referral, "phq9", "T1", 95, total=14)
    questionnaire_record_not_completed(
        referral=referral,
        caregiver=referral.caregivers.get(),
        instrument="phq9",
        timepoint=Timepoint.T2,
        recorded_on=days_ago(5),
        reason=NotCompletedReason.DECLINED,
        actor=practitioner,
    )
    q(referral, "phq9", "T2", 20, total=13)
    [pair] = paired_changes(Referral.objects.all())
    assert (pair.t1, pair.t2, pair.verdict) == (14, 13, Verdict.NO_CHANGE)


def test_both_dates_must_be_on_or_before_the_end(referral):
    q(referral, "gad7", "T1", 100, total=15)
    q(referral, "gad7", "T2", 40, total=10)
    q(referral, "gad7", "T2", 10, total=3)
    assert paired_changes(Referral.objects.all(), end=days_ago(101)) == []
    [pair] = paired_changes(Referral.objects.all(), end=days_ago(20))
    assert pair.t2 == 10
    [pair] = paired_changes(Referral.objects.all(), end=days_ago(10))
    assert pair.t2 == 3


def test_each_caregiver_is_paired_apart(referral_b):
    q(referral_b, "phq9", "T1", 100, total=10, caregiver=1)
    q(referral_b, "phq9", "T2", 10, total=4, caregiver=2)
    assert paired_changes(Referral.objects.all()) == []
    q(referral_b, "phq9", "T1", 100, total=20, caregiver=2)
    [pair] = paired_changes(Referral.objects.all())
    assert (pair.caregiver_position, pair.t1, pair.t2) == (2, 20, 4)


def test_mors_sf_pairs_per_subscale_without_a_verdict(referral):
    q(referral, "mors_sf", "T1", 100, warmth=20, invasion=15)
    q(referral, "mors_sf", "T2", 10, warmth=28, invasion=9)
    pairs = {pair.scale_code: pair for pair in paired_changes(Referral.objects.all())}
    assert (pairs["warmth"].change, pairs["invasion"].change) == (8, -6)
    assert pairs["warmth"].verdict is None


def test_pairs_are_limited_to_the_referrals_asked_about(referral, team_a, practitioner):
    other = make_referral(team=team_a, actor=practitioner)
    for case in (referral, other):
        q(case, "phq9", "T1", 100, total=20)
        q(case, "phq9", "T2", 10, total=9)
    assert [pair.referral_id for pair in paired_changes(Referral.objects.filter(pk=other.pk))] == [other.pk]


def _referrals(team, actor, count):
    return [make_referral(team=team, actor=actor) for _ in range(count)]


@pytest.fixture
def pairing_cases(team_a, practitioner, settings, tmp_path):
    """Four referrals: a core instrument paired, one with a T1 only, one paired 2 days ago, one paired on an instrument
    that is not core."""
    paired, t1_only, late, not_core = _referrals(team_a, practitioner, 4)
    q(paired, "gbo", "T1", 100, ratings={1: 3})
    q(paired, "gbo", "T2", 10, ratings={1: 9})
    q(t1_only, "phq9", "T1", 100, total=12)
    q(late, "gad7", "T1", 100, total=12)
    q(late, "gad7", "T2", 2, total=4)
    definition = json.loads((BUILT_IN_DIR / "gad7.json").read_text()) | {"code": "local7", "core": False}
    (tmp_path / "local7.json").write_text(json.dumps(definition))
    settings.OUTCOMES_INSTRUMENT_DIRS = [tmp_path]
    q(not_core, "local7", "T1", 100, total=12)
    q(not_core, "local7", "T2", 10, total=4)
    return paired, t1_only, late, not_core


def test_paired_outcomes_need_a_core_instrument_paired_by_the_end(pairing_cases):
    paired, t1_only, late, not_core = pairing_cases
    flagged = dict(
        with_paired_outcomes(Referral.objects.all(), end=days_ago(5)).values_list("pk", "has_paired_outcomes")
    )
    assert flagged == {paired.pk: True, t1_only.pk: False, late.pk: False, not_core.pk: False}
    assert with_paired_outcomes(Referral.objects.filter(pk=late.pk)).get().has_paired_outcomes


def test_cohort_outcomes_count_the_referrals_paired_as_with_paired_outcomes_flags_them(pairing_cases):
    _paired, t1_only, late, not_core = pairing_cases
    everyone = Referral.objects.all()
    assert cohort_outcomes(everyone, end=days_ago(5)).referrals_paired == 1
    assert cohort_outcomes(everyone).referrals_paired == 2
    among = Referral.objects.filter(pk__in=[t1_only.pk, late.pk, not_core.pk])  # late's pair alone counts
    assert cohort_outcomes(everyone, paired_among=among).referrals_paired == 1
    assert cohort_outcomes(everyone, end=days_ago(5), paired_among=among).referrals_paired == 0
    # Counted in the one query of the sums.
    assert _queries(cohort_outcomes, everyone, paired_among=among) == 1


def test_cohort_outcomes_without_a_pair_count_none_paired(referral):
    q(referral, "phq9", "T1", 100, total=12)
    assert cohort_outcomes(Referral.objects.all(), paired_among=Referral.objects.all()).referrals_paired == 0


def test_referral_rollup_follows_the_nhs_england_rule(team_a, practitioner):
    improved, mixed, worse, flat, mors_only, unpaired = _referrals(team_a, practitioner, 6)
    # Improved: PHQ-9 reliably better, GAD-7 no reliable change.
    q(improved, "phq9", "T1", 100, total=18)
    q(improved, "phq9", "T2", 10, total=10)
    q(improved, "gad7", "T1", 100, total=10)
    q(improved, "gad7", "T2", 10, total=8)
    # One instrument improved, another deteriorated: deteriorated.
    q(mixed, "phq9", "T1", 100, total=18)
    q(mixed, "phq9", "T2", 10, total=10)
    q(mixed, "gbo", "T1", 100, ratings={1: 7})
    q(mixed, "gbo", "T2", 10, ratings={1: 3})
    q(worse, "gad7", "T1", 100, total=5)
    q(worse, "gad7", "T2", 10, total=9)
    q(flat, "gbo", "T1", 100, ratings={1: 5, 2: 5})
    q(flat, "gbo", "T2", 10, ratings={1: 7, 2: 7})
    q(mors_only, "mors_sf", "T1", 100, warmth=10, invasion=30)
    q(mors_only, "mors_sf", "T2", 10, warmth=35, invasion=0)
    q(unpaired, "phq9", "T1", 100, total=18)
    assert referral_rollup(Referral.objects.all()) == {
        improved.pk: Verdict.IMPROVED,
        mixed.pk: Verdict.DETERIORATED,
        worse.pk: Verdict.DETERIORATED,
        flat.pk: Verdict.NO_CHANGE,
        mors_only.pk: Verdict.NO_CHANGE,
    }
    assert rollup_counts(Referral.objects.all()) == {
        "paired": 5,
        "reliably_improved": 1,
        "no_reliable_change": 2,
        "reliably_deteriorated": 2,
    }


# A fixed data set of PHQ-9, GAD-7, MORS-SF and GBO pairs.
PHQ9 = [(18, 9), (14, 10), (21, 12), (9, 8), (16, 7), (12, 11), (19, 13), (11, 12), (15, 6), (22, 14)]
GAD7 = [(15, 8), (12, 9), (17, 10), (8, 9), (13, 6), (10, 10), (16, 12), (9, 4), (14, 7), (18, 11)]
WARMTH = [(20, 27), (18, 25), (22, 24), (25, 26), (15, 24), (21, 28), (19, 22), (24, 30), (17, 23), (23, 27)]
INVASION = [(16, 10), (14, 12), (18, 9), (12, 12), (20, 11), (15, 13), (17, 8), (11, 10), (19, 12), (13, 9)]
GBO = [({1: 2, 2: 3, 3: 4}, {1: 9, 2: 10, 3: 10}), ({1: 3}, {1: 9}), ({1: 4, 2: 2}, {1: 10, 2: 9})]


@pytest.fixture
def cohort(team_a, practitioner):
    referrals = _referrals(team_a, practitioner, len(PHQ9))
    for index, case in enumerate(referrals):
        q(case, "phq9", "T1", 100, total=PHQ9[index][0])
        q(case, "phq9", "T2", 10, total=PHQ9[index][1])
        q(case, "gad7", "T1", 100, total=GAD7[index][0])
        q(case, "gad7", "T2", 10, total=GAD7[index][1])
        q(case, "mors_sf", "T1", 100, warmth=WARMTH[index][0], invasion=INVASION[index][0])
        q(case, "mors_sf", "T2", 10, warmth=WARMTH[index][1], invasion=INVASION[index][1])
        if index < len(GBO):
            q(case, "gbo", "T1", 100, ratings=GBO[index][0])
            q(case, "gbo", "T2", 10, ratings=GBO[index][1])
    return referrals


def _expected(pairs, *, threshold=None, lower_is_better=True):
    t1 = [a for a, _ in pairs]
    t2 = [b for _, b in pairs]
    changes = [b - a for a, b in pairs]
    expected = {
        "n": len(pairs),
        "mean_t1": round(sum(t1) / len(t1), 2),
        "mean_t2": round(sum(t2) / len(t2), 2),
        "mean_change": round(sum(changes) / len(changes), 2),
        "p_value": round(stats.ttest_rel(t2, t1).pvalue, 4),
        "effect_size": round((sum(changes) / len(changes)) / stats.tstd(changes), 2),
        "reliably_improved": None,
        "no_reliable_change": None,
        "reliably_deteriorated": None,
    }
    if threshold is not None:
        better = [-c if lower_is_better else c for c in changes]
        expected["reliably_improved"] = sum(1 for b in better if b >= threshold)
        expected["reliably_deteriorated"] = sum(1 for b in better if b <= -threshold)
        expected["no_reliable_change"] = len(pairs) - expected["reliably_improved"] - expected["reliably_deteriorated"]
    return expected


def test_cohort_statistics_agree_with_scipy(cohort):
    figures = cohort_statistics(Referral.objects.all())
    assert list(figures) == ["phq9", "gad7", "mors_sf", "gbo"]
    assert list(figures["mors_sf"]) == ["warmth", "invasion"]
    for block in (figures["phq9"], figures["gad7"], figures["gbo"], *figures["mors_sf"].values()):
        assert list(block) == FIGURE_KEYS
    assert figures["phq9"] == _expected(PHQ9, threshold=6)
    assert figures["gad7"] == _expected(GAD7, threshold=4)
    assert figures["mors_sf"]["warmth"] == _expected(WARMTH)
    assert figures["mors_sf"]["invasion"] == _expected(INVASION)
    gbo_means = [(sum(a.values()) / len(a), sum(b.values()) / len(b)) for a, b in GBO]
    assert figures["gbo"] == _expected(gbo_means, threshold=3, lower_is_better=False)


def test_cohort_statistics_hand_checked_figures(cohort):
    phq9 = cohort_statistics(Referral.objects.all())["phq9"]
    # T1 sum 157, T2 sum 102; changes -9 -4 -9 -1 -9 -1 -6 +1 -9 -8.
    assert (phq9["n"], phq9["mean_t1"], phq9["mean_t2"], phq9["mean_change"]) == (10, 15.7, 10.2, -5.5)
    assert (phq9["reliably_improved"], phq9["no_reliable_change"], phq9["reliably_deteriorated"]) == (6, 4, 0)
    assert phq9["p_value"] < 0.05


def test_cohort_statistics_without_pairs_are_null(referral):
    figures = cohort_statistics(Referral.objects.all())
    assert figures["phq9"] == {
        "n": 0,
        **dict.fromkeys(FIGURE_KEYS[1:6]),
        "reliably_improved": 0,
        "no_reliable_change": 0,
        "reliably_deteriorated": 0,
    }
    assert figures["mors_sf"]["warmth"] == {"n": 0, **dict.fromkeys(FIGURE_KEYS[1:])}


def test_one_pair_has_means_and_counts_but_no_test(referral):
    q(referral, "phq9", "T1", 100, total=20)
    q(referral, "phq9", "T2", 10, total=14)
    phq9 = cohort_statistics(Referral.objects.all())["phq9"]
    assert (phq9["n"], phq9["mean_t1"], phq9["mean_t2"], phq9["mean_change"]) == (1, 20, 14, -6)
    assert (phq9["p_value"], phq9["effect_size"]) == (None, None)
    assert phq9["reliably_improved"] == 1


def test_a_local_threshold_counts_mors_sf_reliable_change(cohort, settings):
    settings.OUTCOMES_RELIABLE_CHANGE = {"mors_sf.warmth": {"threshold": 6, "source": "local"}}
    warmth = cohort_statistics(Referral.objects.all())["mors_sf"]["warmth"]
    assert warmth == _expected(WARMTH, threshold=6, lower_is_better=False)
    assert warmth["reliably_improved"] == 6  # changes 7, 7, 9, 7, 6, 6 reach 6


def _queries(function, *args, **kwargs) -> int:
    with CaptureQueriesContext(connection) as context:
        function(*args, **kwargs)
    return len(context.captured_queries)


def test_cohort_statistics_take_one_query_whatever_the_number_of_referrals(cohort, team_a, practitioner):
    few = _queries(cohort_statistics, Referral.objects.filter(pk__in=[r.pk for r in cohort[:2]]))
    many = _queries(cohort_statistics, Referral.objects.all())
    assert few == many == 1
    assert _queries(rollup_counts, Referral.objects.all()) == 1
    assert _queries(paired_changes, Referral.objects.all()) == 1


def test_t1_is_due_once_an_intervention_starts(team_a, practitioner):
    waiting = make_referral(team=team_a, actor=practitioner, stage="referral")
    active = make_referral(team=team_a, actor=practitioner, caregivers=2)
    done = make_referral(team=team_a, actor=practitioner, stage="completed")
    first = active.caregivers.get(position=1)
    q(active, "phq9", "T1", 100, total=10)
    incomplete = QuestionnaireFactory(referral=active, caregiver=first, instrument="gad7", answers={1: 1})
    questionnaire_record_not_completed(
        referral=active,
        caregiver=first,
        instrument="mors_sf",
        timepoint=Timepoint.T1,
        recorded_on=days_ago(100),
        reason=NotCompletedReason.NOT_APPROPRIATE,
        actor=practitioner,
    )
    due = t1_due_by_referral(Referral.objects.all())
    assert set(due) == {active.pk}
    assert waiting.pk not in due
    assert done.pk not in due
    listed = sorted((d.caregiver.position, d.instrument.code, d.incomplete) for d in due[active.pk])
    assert listed == [
        (1, "gad7", incomplete),
        (1, "gbo", None),
        (2, "gad7", None),
        (2, "gbo", None),
        (2, "mors_sf", None),
        (2, "phq9", None),
    ]


def test_outstanding_adds_questionnaires_left_incomplete_after_t1(team_a, practitioner):
    active = make_referral(team=team_a, actor=practitioner)
    waiting = make_referral(team=team_a, actor=practitioner, stage="referral")
    for instrument in ("phq9", "gad7", "mors_sf", "gbo"):
        QuestionnaireFactory(referral=active, instrument=instrument)
    mid = QuestionnaireFactory(referral=active, instrument="gad7", timepoint=Timepoint.MID, answers={1: 2})
    started = QuestionnaireFactory(referral=waiting, instrument="phq9", timepoint=Timepoint.T2, answers={9: 0})
    outstanding = outstanding_by_referral(Referral.objects.all())
    assert [(d.instrument.code, d.timepoint, d.incomplete) for d in outstanding[active.pk]] == [("gad7", "MID", mid)]
    assert [(d.instrument.code, d.timepoint, d.incomplete) for d in outstanding[waiting.pk]] == [
        ("phq9", "T2", started)
    ]
    assert _queries(outstanding_by_referral, Referral.objects.all()) == 4


def test_t1_due_takes_a_fixed_number_of_queries(team_a, practitioner):
    make_referral(team=team_a, actor=practitioner)
    few = _queries(t1_due_by_referral, Referral.objects.all())
    for _ in range(4):
        make_referral(team=team_a, actor=practitioner, caregivers=2)
    assert _queries(t1_due_by_referral, Referral.objects.all()) == few == 3


def test_t2_is_due_for_each_instrument_scored_at_t1(referral_b):
    q(referral_b, "phq9", "T1", 100, total=10, caregiver=1)
    q(referral_b, "gbo", "T1", 100, ratings={1: 3}, caregiver=2)
    q(referral_b, "gad7", "T1", 100, total=10, caregiver=1)
    q(referral_b, "gad7", "T2", 10, total=5, caregiver=1)
    assert sorted((d.caregiver.position, d.instrument.code) for d in t2_due(referral_b)) == [(1, "phq9"), (2, "gbo")]


def test_open_alerts_are_scoped_to_the_team(referral, practitioner, practitioner_b, commissioner, team_a, team_b):
    QuestionnaireFactory(referral=referral, answers={n: 0 for n in range(1, 9)} | {9: 2})
    assert open_alerts(user=practitioner, team=team_a).count() == 1
    assert open_alerts(user=practitioner_b, team=team_b).count() == 0
    assert open_alerts(user=commissioner, team=team_a).count() == 0


def test_second_caregiver_factory_helper(referral):
    CaregiverFactory(referral=referral, position=2)
    q(referral, "phq9", "T1", 100, total=10, caregiver=2)
    assert not paired_changes(Referral.objects.all())
