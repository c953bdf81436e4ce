"""The floor of who was referred and how complex their needs were: the cohort by referrer service, the antenatal
referrals, the infants' mean age at referral by pathway and the profile at referral (first caregiver's role, every
caregiver's ethnicity, IMD decile, infant age band); the accepted referrals' safeguarding level, risk count and
complexities at acceptance; and the referrals disengaged as at the end, by status and reason."""

from collections.abc import Mapping, Sequence

from bench.floor.block import Block, Rows, close
from referrals.models import Caregiver, Pathway
from reports.kpis.cohort import DISENGAGED_STATUSES, NOT_RECORDED
from reports.kpis.profile import (
    AGE_BANDS,
    ANTENATAL,
    IMD_DECILES,
    OLDEST_BAND,
    RISK_BANDS,
    SAFEGUARDING_LEVELS,
)

# Rows of (figure, code, n, value): the value orders the referrer services as the engine does (most referrals first) and
# is the mean age in months of the born infants of a pathway. The first caregiver is the one of the lowest position; a
# referral without any joins one row of nulls, whose role is not recorded and which has no ethnicity (`first` is null
# only there). An infant is born by the referral when it has a birth date on or before it and the referral is not
# antenatal; its months complete on the birthday's day of the month, or the month's last day when that is shorter. A
# referral without an infant is one infant of no age, not recorded, unless it is antenatal.
PROFILE_SQL = """
WITH cohort AS MATERIALIZED (
    SELECT id, pathway, received_on, is_antenatal, imd_decile, referrer_service_id
    FROM referrals_referral
    WHERE team_id = ANY(%(teams)s) AND received_on BETWEEN %(start)s AND %(end)s
), carers AS (
    SELECT c.role, c.ethnicity, c.first
    FROM cohort r
    LEFT JOIN LATERAL (
        SELECT role, ethnicity, row_number() OVER (ORDER BY position) = 1 AS first
        FROM referrals_caregiver WHERE referral_id = r.id
    ) c ON true
), infants AS (
    SELECT r.pathway, r.is_antenatal, i.id AS infant, r.received_on - b.born_on AS days,
           (date_part('year', r.received_on) - date_part('year', b.born_on)) * 12
           + date_part('month', r.received_on) - date_part('month', b.born_on)
           - (date_part('day', r.received_on) < date_part('day', b.born_on)
              AND date_part('day', r.received_on + 1) <> 1)::int AS months
    FROM cohort r
    LEFT JOIN referrals_infant i ON i.referral_id = r.id
    CROSS JOIN LATERAL (
        SELECT CASE WHEN NOT r.is_antenatal AND i.date_of_birth <= r.received_on THEN i.date_of_birth END AS born_on
    ) b
)
SELECT 'referrer_service', s.code, count(*),
       (row_number() OVER (ORDER BY count(*) DESC, s.sort_order, s.code))::numeric
FROM cohort r JOIN pairs_service s ON s.id = r.referrer_service_id
GROUP BY s.id
UNION ALL
SELECT 'antenatal', NULL, count(*) FILTER (WHERE is_antenatal), NULL FROM cohort
UNION ALL
SELECT 'imd_decile', imd_decile::text, count(*), NULL FROM cohort GROUP BY imd_decile
UNION ALL
SELECT 'caregiver_role', role, count(*), NULL FROM carers WHERE first IS NOT false GROUP BY role
UNION ALL
SELECT 'ethnicity', ethnicity, count(*), NULL FROM carers WHERE first IS NOT NULL GROUP BY ethnicity
UNION ALL
SELECT 'infant_age_at_referral', band, count(*), NULL
FROM (
    SELECT CASE WHEN infant IS NULL AND NOT is_antenatal THEN NULL
                WHEN days IS NULL THEN 'antenatal'
                WHEN months < 3 THEN 'under_3_months'
                WHEN months < 6 THEN '3_to_5_months'
                WHEN months < 12 THEN '6_to_11_months'
                WHEN months < 24 THEN '12_to_23_months'
                ELSE '24_months_and_over' END AS band
    FROM infants
) banded
GROUP BY band
UNION ALL
SELECT 'mean_infant_age_months', pathway, count(days), avg(days) / (365.25 / 12) FROM infants GROUP BY pathway
"""


def _profile(rows: Rows, report: dict) -> None:
    by_figure: dict[str, dict] = {}
    for figure, code, n, value in rows:
        by_figure.setdefault(figure, {})[code] = (n, value)
    figures = report["referrals"]

    referrers = sorted(by_figure.get("referrer_service", {}).items(), key=lambda item: item[1][1])
    engine_referrers = [(code, figure.value) for code, figure in figures["by_referrer_service"].items()]
    assert engine_referrers == [(code, n) for code, (n, _) in referrers], ("by_referrer_service", engine_referrers)
    antenatal = [n for n, _ in by_figure.get("antenatal", {}).values()]
    assert [figures["antenatal"].value] == antenatal, ("antenatal", figures["antenatal"], antenatal)

    means = figures["mean_infant_age_months"]
    assert list(means) == list(Pathway.values), means
    assert set(by_figure.get("mean_infant_age_months", {})) <= set(means), by_figure["mean_infant_age_months"]
    for pathway, mean in means.items():
        n, value = by_figure.get("mean_infant_age_months", {}).get(pathway, (0, None))
        assert mean.base == n, ("mean_infant_age_months", pathway, mean, n)
        close(mean.value, value, f"mean_infant_age_months {pathway}")

    profile = figures["profile"]
    vocabularies = {
        "caregiver_role": Caregiver.Role.values,
        "ethnicity": Caregiver.Ethnicity.values,
        "imd_decile": IMD_DECILES,
        "infant_age_at_referral": [ANTENATAL, *(band for band, _ in AGE_BANDS), OLDEST_BAND],
    }
    assert list(profile) == list(vocabularies), list(profile)
    for name, codes in vocabularies.items():
        counts = {code: n for code, (n, _) in by_figure.get(name, {}).items()}
        _distribution(profile[name], codes, counts, name)


def _distribution(figures: Mapping, codes: Sequence[str], counts: Mapping, what: str) -> None:
    """A distribution of the engine's against the floor's counts by code: every code of the vocabulary in its order,
    then `not_recorded`, the blank, missing and retired `not_recorded` codes together; no code of the floor's outside
    the vocabulary."""
    recorded = [code for code in codes if code != NOT_RECORDED]
    assert list(figures) == [*recorded, NOT_RECORDED], (what, list(figures))
    unrecorded = (None, "", NOT_RECORDED)
    assert set(counts) <= {*recorded, *unrecorded}, (what, set(counts) - {*recorded, *unrecorded})
    for code in recorded:
        assert figures[code].value == counts.get(code, 0), (what, code, figures[code], counts.get(code, 0))
    not_recorded = sum(counts.get(code, 0) for code in unrecorded)
    assert figures[NOT_RECORDED].value == not_recorded, (what, NOT_RECORDED, figures[NOT_RECORDED], not_recorded)


# Each level is the last recorded on or before the day of acceptance, else the first after it and by the end; a
# record that leaves a level blank does not record it. Rows of (figure, code, n, order): the complexities come with
# every code of the vocabulary in its order, and a null code for the referrals with none (the one join of the
# accepted referrals to their links counts both).
AT_ACCEPTANCE_SQL = """
WITH accepted AS MATERIALIZED (
    SELECT id, accepted_on FROM referrals_referral
    WHERE team_id = ANY(%(teams)s) AND received_on BETWEEN %(start)s AND %(end)s AND accepted_on <= %(end)s
), levels AS (
    SELECT coalesce(
               (SELECT l.safeguarding_level FROM referrals_levelsrecord l
                WHERE l.referral_id = a.id AND l.safeguarding_level IS NOT NULL AND l.recorded_on <= a.accepted_on
                ORDER BY l.recorded_on DESC, l.recorded_at DESC, l.id DESC LIMIT 1),
               (SELECT l.safeguarding_level FROM referrals_levelsrecord l
                WHERE l.referral_id = a.id AND l.safeguarding_level IS NOT NULL
                  AND l.recorded_on > a.accepted_on AND l.recorded_on <= %(end)s
                ORDER BY l.recorded_on, l.recorded_at, l.id LIMIT 1)) AS level,
           coalesce(
               (SELECT l.risk_count FROM referrals_levelsrecord l
                WHERE l.referral_id = a.id AND l.risk_count IS NOT NULL AND l.recorded_on <= a.accepted_on
                ORDER BY l.recorded_on DESC, l.recorded_at DESC, l.id DESC LIMIT 1),
               (SELECT l.risk_count FROM referrals_levelsrecord l
                WHERE l.referral_id = a.id AND l.risk_count IS NOT NULL
                  AND l.recorded_on > a.accepted_on AND l.recorded_on <= %(end)s
                ORDER BY l.recorded_on, l.recorded_at, l.id LIMIT 1)) AS risks
    FROM accepted a
), linked AS (
    SELECT link.complexity_id, count(*) AS n
    FROM accepted a LEFT JOIN referrals_referral_complexities link ON link.referral_id = a.id
    GROUP BY link.complexity_id
)
SELECT 'safeguarding_level', level::text, count(*), NULL::bigint FROM levels GROUP BY level
UNION ALL
SELECT 'risk_count', CASE WHEN risks >= 5 THEN '5_or_more' ELSE risks::text END, count(*), NULL
FROM levels GROUP BY 2
UNION ALL
SELECT 'complexities', x.code, coalesce(linked.n, 0), row_number() OVER (ORDER BY x.sort_order, x.code)
FROM referrals_complexity x FULL JOIN linked ON linked.complexity_id = x.id
"""


def _at_acceptance(rows: Rows, report: dict) -> None:
    by_figure: dict[str, dict] = {}
    for figure, code, n, order in rows:
        by_figure.setdefault(figure, {})[code] = (n, order)
    figures = report["referrals"]["at_acceptance"]
    assert list(figures) == ["safeguarding_level", "risk_count", "complexities"], list(figures)
    for name, codes in (("safeguarding_level", SAFEGUARDING_LEVELS), ("risk_count", RISK_BANDS)):
        counts = {code: n for code, (n, _) in by_figure.get(name, {}).items()}
        _distribution(figures[name], codes, counts, name)

    complexities = by_figure.get("complexities", {})
    no_code, _ = complexities.pop(None, (0, None))
    vocabulary = sorted(complexities.items(), key=lambda item: item[1][1])
    expected = [*((code, n) for code, (n, _) in vocabulary), (NOT_RECORDED, no_code)]
    engine = [(code, figure.value) for code, figure in figures["complexities"].items()]
    assert engine == expected, ("complexities", engine, expected)


# The latest event by the end of each referral, the one that left it in its state then, where that is a disengaged
# status, by status and reason; then every status beside every reason of the vocabulary in its order, with its count
# (rows of status, code, n, order; a null code is the events with no reason).
DISENGAGEMENT_SQL = """
WITH disengaged AS (
    SELECT e.status, e.disengagement_reason_id AS reason, count(*) AS n
    FROM referrals_referral r
    CROSS JOIN LATERAL (
        SELECT status, disengagement_reason_id FROM referrals_pipelineevent
        WHERE referral_id = r.id AND occurred_on <= %(end)s ORDER BY occurred_on DESC, sequence DESC LIMIT 1
    ) e
    WHERE r.team_id = ANY(%(teams)s) AND r.received_on BETWEEN %(start)s AND %(end)s
      AND e.status = ANY(%(disengaged)s)
    GROUP BY 1, 2
)
SELECT s.status, d.code, coalesce(x.n, 0), row_number() OVER (PARTITION BY s.status ORDER BY d.sort_order, d.code)
FROM unnest(%(disengaged)s::text[]) s (status)
CROSS JOIN referrals_disengagementreason d
LEFT JOIN disengaged x ON x.status = s.status AND x.reason = d.id
UNION ALL
SELECT status, NULL, n, NULL FROM disengaged WHERE reason IS NULL
"""


def _disengagement(rows: Rows, report: dict) -> None:
    by_status: dict[str, list] = {status: [] for status in DISENGAGED_STATUSES}
    counts: dict[str, dict] = {status: {} for status in DISENGAGED_STATUSES}
    for status, code, n, order in rows:
        counts[status][code] = n
        if code is not None:
            by_status[status].append((order, code))
    figures = report["referrals"]["disengagement_reasons"]
    assert list(figures) == DISENGAGED_STATUSES, list(figures)
    for status, distribution in figures.items():
        codes = [code for _, code in sorted(by_status[status])]
        _distribution(distribution, codes, counts[status], f"disengagement_reasons {status}")


BLOCKS = {
    "profile": Block(PROFILE_SQL, _profile),
    "at_acceptance": Block(AT_ACCEPTANCE_SQL, _at_acceptance),
    "disengagement": Block(
        DISENGAGEMENT_SQL, _disengagement, params=lambda teams, period: {"disengaged": DISENGAGED_STATUSES}
    ),
}
