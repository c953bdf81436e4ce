"""The floor of the outcomes block: the cohort's T1/T2 pairs (the first complete T1 and the last complete T2 of a
caregiver's instrument, by the end) added up by instrument and scale."""

from bench.floor.block import Block, Rows, close

PAIRS_SQL = """
WITH scored AS (
    SELECT q.id, q.referral_id, q.caregiver_id, q.instrument, q.timepoint, q.completed_on
    FROM outcomes_questionnaire q JOIN referrals_referral r ON r.id = q.referral_id
    WHERE r.team_id = ANY(%(teams)s) AND r.received_on BETWEEN %(start)s AND %(end)s
      AND q.status = %(complete)s AND q.completed_on <= %(end)s AND q.timepoint IN (%(t1)s, %(t2)s)
), first_t1 AS (
    SELECT DISTINCT ON (referral_id, caregiver_id, instrument) id, referral_id, caregiver_id, instrument
    FROM scored WHERE timepoint = %(t1)s ORDER BY referral_id, caregiver_id, instrument, completed_on, id
), last_t2 AS (
    SELECT DISTINCT ON (q.referral_id, q.caregiver_id, q.instrument, s.scale)
           q.referral_id, q.caregiver_id, q.instrument, s.scale, s.value
    FROM scored q JOIN outcomes_score s ON s.questionnaire_id = q.id WHERE q.timepoint = %(t2)s
    ORDER BY q.referral_id, q.caregiver_id, q.instrument, s.scale, q.completed_on DESC, q.id DESC
)
SELECT f.instrument, s.scale, count(*), sum(s.value), sum(l.value), sum(l.value - s.value),
       sum((l.value - s.value) ^ 2)
FROM first_t1 f JOIN outcomes_score s ON s.questionnaire_id = f.id
JOIN last_t2 l ON (l.referral_id, l.caregiver_id, l.instrument, l.scale) = (f.referral_id, f.caregiver_id,
                                                                           f.instrument, s.scale)
GROUP BY 1, 2
"""


def _pairs(rows: Rows, report: dict) -> None:
    instruments = report["outcomes"]["instruments"]
    for instrument, scale, n, t1, t2, change, _ in rows:
        figures = instruments[instrument]
        if "n" not in figures:
            figures = figures[scale]
        assert figures["n"].value == n, (instrument, scale, figures, n)
        close(figures["mean_t1"].value, round(t1 / n, 2), f"{instrument} {scale} mean T1", 2)
        close(figures["mean_t2"].value, round(t2 / n, 2), f"{instrument} {scale} mean T2", 2)
        close(figures["mean_change"].value, round(change / n, 2), f"{instrument} {scale} mean change", 2)


BLOCKS = {"pairs": Block(PAIRS_SQL, _pairs)}
