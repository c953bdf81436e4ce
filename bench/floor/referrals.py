"""The floor of the referrals' counts and clocks: the cohort by pathway and status as at the end (the engagement
table, received, accepted, families supported), the four clocks with timeliness, and the waiting list at the end."""

from bench.floor.block import Block, Rows, close
from referrals.models import Pathway
from reports.kpis.cohort import ACCEPTED_STATUSES, ENGAGEMENT_STATUSES, SUPPORTED_STATUSES

ENGAGEMENT_SQL = """
SELECT r.pathway, e.status, count(*)
FROM referrals_referral r
CROSS JOIN LATERAL (
    SELECT status FROM referrals_pipelineevent
    WHERE referral_id = r.id AND occurred_on <= %(end)s ORDER BY occurred_on DESC, sequence DESC LIMIT 1
) e
WHERE r.team_id = ANY(%(teams)s) AND r.received_on BETWEEN %(start)s AND %(end)s
GROUP BY 1, 2
"""


def _engagement(rows: Rows, report: dict) -> None:
    counts = {(pathway, status): n for pathway, status, n in rows}

    def count(pathways, statuses) -> int:
        return sum(counts.get((p, s), 0) for p in pathways for s in statuses)

    figures = report["referrals"]
    pathways = list(Pathway.values)
    for status in ENGAGEMENT_STATUSES:
        for pathway in pathways:
            assert figures["engagement"][pathway][status].value == count([pathway], [status]), (pathway, status)
        assert figures["engagement"]["total"][status].value == count(pathways, [status]), status
    for pathway in pathways:
        by_pathway = figures["by_pathway"][pathway]
        assert by_pathway["received"].value == count([pathway], ENGAGEMENT_STATUSES), pathway
        assert by_pathway["accepted"].value == count([pathway], ACCEPTED_STATUSES), pathway
    assert figures["received"].value == count(pathways, ENGAGEMENT_STATUSES)
    assert figures["accepted"].value == count(pathways, ACCEPTED_STATUSES)
    assert figures["families_supported"].value == count(pathways, SUPPORTED_STATUSES)


# A referral keeps the day of its first move of each kind; the first contact is the recorded one or the first
# attended appointment, whichever came first. The target is the teams' when they share one.
CLOCKS_SQL = """
WITH reached AS (
    SELECT r.received_on,
        CASE WHEN r.first_decided_on <= %(end)s THEN r.first_decided_on END AS decided,
        CASE WHEN r.first_assessment_on <= %(end)s THEN r.first_assessment_on END AS assessed,
        CASE WHEN r.first_intervention_on <= %(end)s THEN r.first_intervention_on END AS intervened,
        least(CASE WHEN r.first_contact_on <= %(end)s THEN r.first_contact_on END,
              CASE WHEN r.first_attended_on <= %(end)s THEN r.first_attended_on END) AS contacted
    FROM referrals_referral r
    WHERE r.team_id = ANY(%(teams)s) AND r.received_on BETWEEN %(start)s AND %(end)s
), target AS (
    SELECT CASE WHEN count(DISTINCT first_contact_target_days) = 1 AND count(*) = count(first_contact_target_days)
                THEN min(first_contact_target_days) END AS days
    FROM pairs_team WHERE id = ANY(%(teams)s)
)
SELECT count(decided), percentile_cont(0.5) WITHIN GROUP (ORDER BY decided - received_on),
       percentile_disc(0.9) WITHIN GROUP (ORDER BY decided - received_on),
       count(contacted), percentile_cont(0.5) WITHIN GROUP (ORDER BY contacted - received_on),
       percentile_disc(0.9) WITHIN GROUP (ORDER BY contacted - received_on),
       count(assessed), percentile_cont(0.5) WITHIN GROUP (ORDER BY assessed - received_on),
       percentile_disc(0.9) WITHIN GROUP (ORDER BY assessed - received_on),
       count(intervened), percentile_cont(0.5) WITHIN GROUP (ORDER BY intervened - received_on),
       percentile_disc(0.9) WITHIN GROUP (ORDER BY intervened - received_on),
       (SELECT days FROM target), count(*) FILTER (WHERE contacted - received_on <= (SELECT days FROM target))
FROM reached
"""
CLOCKS = ("to_decision", "to_first_contact", "to_assessment", "to_intervention")


def _clocks(rows: Rows, report: dict) -> None:
    (row,) = rows
    figures = report["referrals"]
    for index, name in enumerate(CLOCKS):
        n, median, p90 = row[3 * index : 3 * index + 3]
        clock = figures["clocks"][name]
        assert clock["n"].value == n, (name, clock, n)
        close(clock["median_days"].value, median, f"{name} median")
        close(clock["p90_days"].value, p90, f"{name} p90")
    target_days, within = row[12:]
    timeliness = figures["timeliness"]
    assert timeliness["target_days"] == target_days, (timeliness, target_days)
    contacted = row[3]
    assert timeliness["with_first_contact"].value == contacted
    close(timeliness["median_days_to_first_contact"].value, row[4], "timeliness median")
    close(timeliness["p90_days_to_first_contact"].value, row[5], "timeliness p90")
    if target_days is None:
        assert timeliness["within_target"] is None, timeliness
    else:
        assert (timeliness["within_target"].numerator, timeliness["within_target"].denominator) == (within, contacted)


# Every referral open at the end, by the event that left it in its state then, and the day its stage began: received,
# or the day it keeps of its acceptance, first assessment or first intervention (each once at most), or its latest
# hold by the end.
WAITING_SQL = """
WITH open AS (
    SELECT e.referral_id,
           CASE WHEN e.status = 'awaiting_decision' THEN 'awaiting_decision'
                WHEN e.status = 'on_hold' THEN 'on_hold'
                WHEN e.stage = 'referral' THEN 'waiting_for_assessment'
                WHEN e.stage = 'assessment' THEN 'in_assessment'
                WHEN e.stage = 'intervention' THEN 'in_intervention' END AS waiting_stage
    FROM referrals_pipelineevent e
    WHERE e.team_id = ANY(%(teams)s) AND e.status = ANY(%(open)s)
      AND e.occurred_on <= %(end)s AND (e.superseded_on IS NULL OR e.superseded_on > %(end)s)
), began AS MATERIALIZED (
    SELECT o.waiting_stage,
           CASE o.waiting_stage
                WHEN 'awaiting_decision' THEN (SELECT received_on FROM referrals_referral WHERE id = o.referral_id)
                WHEN 'waiting_for_assessment' THEN (SELECT accepted_on FROM referrals_referral WHERE id = o.referral_id)
                WHEN 'in_assessment' THEN (SELECT first_assessment_on FROM referrals_referral WHERE id = o.referral_id)
                WHEN 'in_intervention' THEN
                    (SELECT first_intervention_on FROM referrals_referral WHERE id = o.referral_id)
                ELSE (SELECT max(b.occurred_on) FROM referrals_pipelineevent b
                      WHERE b.referral_id = o.referral_id AND b.occurred_on <= %(end)s AND b.kind = 'on_hold')
           END AS began_on
    FROM open o
)
SELECT waiting_stage, count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY %(end)s - began_on),
       max(%(end)s - began_on)
FROM began GROUP BY 1
"""


def _waiting(rows: Rows, report: dict) -> None:
    waiting = report["referrals"]["waiting_at_end"]
    by_stage = {stage: (n, median, longest) for stage, n, median, longest in rows}
    assert set(by_stage) <= set(waiting), by_stage
    for stage, figures in waiting.items():
        n, median, longest = by_stage.get(stage, (0, None, None))
        assert figures["n"].value == n, (stage, figures, n)
        close(figures["median_days"].value, median, f"{stage} median")
        close(figures["longest_days"].value, longest, f"{stage} longest")


BLOCKS = {
    "engagement": Block(ENGAGEMENT_SQL, _engagement),
    "clocks": Block(CLOCKS_SQL, _clocks),
    "waiting": Block(WAITING_SQL, _waiting),
}
