"""The floor of direct work with families: the cohort's intervention episodes by the status of their referral as at
the end (finished families, episodes by intervention in the engine's order, active episodes), the teams' appointments
dated in the period by outcome (attendance rate, families seen), and the group places offered in the period as they
stood at the end."""

from collections.abc import Sequence

from bench.floor.block import Block, Rows
from pairs.models import Team
from pairs.periods import Period

# Each episode begun by the end, of a referral of the cohort whose state as at the end (the one event it had not yet
# superseded) is finished or still in progress; a row per intervention in the report's order (most finished
# episodes first), then the grand total, where the finished families are counted distinct. A code's families and
# active episodes are by-products of the grouping, not figures.
INTERVENTIONS_SQL = """
SELECT i.code,
       count(*) FILTER (WHERE e.status <> 'in_progress') AS finished,
       count(*) FILTER (WHERE e.status = 'in_progress') AS active,
       count(DISTINCT ep.referral_id) FILTER (WHERE e.status <> 'in_progress') AS families
FROM referrals_referral r
JOIN referrals_pipelineevent e ON e.referral_id = r.id AND e.occurred_on <= %(end)s
     AND (e.superseded_on IS NULL OR e.superseded_on > %(end)s)
JOIN referrals_interventionepisode ep ON ep.referral_id = r.id AND ep.started_on <= %(end)s
JOIN referrals_intervention i ON i.id = ep.intervention_id
WHERE r.team_id = ANY(%(teams)s) AND r.received_on BETWEEN %(start)s AND %(end)s
  AND e.status IN ('completed', 'disengaged_during_intervention', 'in_progress')
GROUP BY GROUPING SETS ((i.code, i.sort_order), ())
ORDER BY GROUPING(i.code), finished DESC, i.sort_order, i.code
"""


def _interventions(rows: Rows, report: dict) -> None:
    *by_code, (total, episodes, active, families) = rows
    assert total is None, rows
    figures = report["interventions"]
    assert set(figures) == {"episodes", "families", "by_intervention", "active_episodes"}, figures
    assert figures["episodes"].value == episodes, ("episodes", figures["episodes"], episodes)
    assert figures["families"].value == families, ("families", figures["families"], families)
    assert figures["active_episodes"].value == active, ("active_episodes", figures["active_episodes"], active)
    engine = [(code, count.value) for code, count in figures["by_intervention"].items()]
    floor = [(code, finished) for code, finished, _, _ in by_code if finished]
    assert engine == floor, ("by_intervention", engine, floor)


# The diary's moments from the period's first local midnight to the one after its last day: a range of the teams'
# diary index (appointment_team_diary), where the local date of each moment could not use it.
APPOINTMENTS_SQL = """
SELECT count(*),
       count(*) FILTER (WHERE outcome = 'attended'),
       count(*) FILTER (WHERE outcome = 'did_not_attend'),
       count(*) FILTER (WHERE outcome = 'cancelled_by_family'),
       count(*) FILTER (WHERE outcome = 'cancelled_by_service'),
       count(*) FILTER (WHERE outcome = ''),
       count(DISTINCT referral_id) FILTER (WHERE outcome = 'attended')
FROM referrals_appointment
WHERE team_id = ANY(%(teams)s) AND starts_at >= %(starts)s AND starts_at < %(after)s
"""


def _moments(teams: Sequence[Team], period: Period) -> dict:
    starts, after = period.moments()
    return {"starts": starts, "after": after}


def _appointments(rows: Rows, report: dict) -> None:
    ((offered, attended, did_not_attend, by_family, by_service, not_recorded, families_seen),) = rows
    figures = report["appointments"]
    counts = {
        "offered": offered,
        "attended": attended,
        "did_not_attend": did_not_attend,
        "cancelled_by_family": by_family,
        "cancelled_by_service": by_service,
        "not_recorded": not_recorded,
        "families_seen": families_seen,
    }
    assert set(figures) == {*counts, "attendance_rate"}, figures
    for name, n in counts.items():
        assert figures[name].value == n, (name, figures[name], n)
    rate = figures["attendance_rate"]
    assert (rate.numerator, rate.denominator) == (attended, attended + did_not_attend), ("attendance_rate", rate)


# A place counts as taken up or declined only where the reply is dated by the end; every other place is awaited.
GROUP_PLACES_SQL = """
SELECT count(*),
       count(*) FILTER (WHERE g.status = 'taken_up' AND g.responded_on <= %(end)s),
       count(*) FILTER (WHERE g.status = 'declined' AND g.responded_on <= %(end)s)
FROM referrals_groupplace g
JOIN referrals_groupprogramme p ON p.id = g.programme_id
WHERE p.team_id = ANY(%(teams)s) AND g.offered_on BETWEEN %(start)s AND %(end)s
"""


def _group_places(rows: Rows, report: dict) -> None:
    ((offered, taken_up, declined),) = rows
    figures = report["group_places"]
    awaiting_reply = offered - taken_up - declined
    counts = {"offered": offered, "taken_up": taken_up, "declined": declined, "awaiting_reply": awaiting_reply}
    assert set(figures) == {*counts, "take_up_rate"}, figures
    for name, n in counts.items():
        assert figures[name].value == n, (name, figures[name], n)
    rate = figures["take_up_rate"]
    assert (rate.numerator, rate.denominator) == (taken_up, offered), ("take_up_rate", rate)


BLOCKS = {
    "interventions": Block(INTERVENTIONS_SQL, _interventions),
    "appointments": Block(APPOINTMENTS_SQL, _appointments, _moments),
    "group_places": Block(GROUP_PLACES_SQL, _group_places),
}
