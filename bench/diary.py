"""The diary of the regional data set: the appointments of the copied referrals' assessments and interventions.

The demo's monitoring files carry appointments for its open cases only (about 0.2 a referral); a regional network's
history has about 10. `diary_generate` adds them in one `INSERT ... SELECT`, by the rules the app's services keep:

- only while the referral was in progress in assessment or, for the individual pathway, in intervention (a group
  family's intervention sessions are its run's register, not appointments; a hold books nothing), from the day that
  stage began to the day before the next move, and only up to yesterday: every appointment is past and has an
  outcome. An assessment appointment never falls while the referral waits for assessment, where attending one
  would have started the assessment (`appointment_record_outcome`);
- only from the recorded first contact on, and only before the referral's first appointment of the demo's files:
  the first-contact clock (the earlier of the recorded date and the first attended appointment,
  `referrals.selectors.clocks.first_contact_on`) is the same with the diary as without, and the demo's own recent
  and next appointments stay as they were;
- held by the referral's practitioner, who is a practitioner or manager of its team (`check_clinical_member`), and
  booked by them; on working days, at the demo's appointment times (`demo.files.casework`), each case on its own
  weekday among its practitioner's cases, and nobody booked twice at once;
- the demo's share of missed visits (`MISSED_SHARE`), a few cancellations by the family and by the service (the
  demo's files have none, the KPIs count both), the rest attended; the demo's visit modes.

The sessions a fortnight are the same for every case, chosen so that the whole data set has `per_referral`
appointments a referral on average.
"""
# The SQL below is built from the generator's numbers and the app's own codes, never from input.
# ruff: noqa: S608

import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

from demo.files.casework import APPOINTMENT_TIMES, MISSED_SHARE, VISIT_MODES
from pairs.models import Role
from referrals.models import Appointment, Pathway, Referral
from referrals.pipeline import Stage, Status
from referrals.services.common import check_clinical_member, require_open

Outcome = Appointment.Outcome
# Shares of the outcomes of past appointments; the rest are attended (0.79: an attendance rate of 84%, the demo's).
OUTCOME_SHARES = {
    Outcome.DID_NOT_ATTEND: MISSED_SHARE,
    Outcome.CANCELLED_BY_FAMILY: 0.04,
    Outcome.CANCELLED_BY_SERVICE: 0.02,
}
WORKING_DAYS = 5
FORTNIGHT = 14


def _spans(first_copied: int, today: datetime.date) -> str:
    """The query of the stretches to fill: (referral, its team, practitioner, kind, first day, day after the last,
    rank of the stretch among its practitioner's)."""
    clinical = ", ".join(f"'{role}'" for role in (Role.PRACTITIONER, Role.MANAGER))
    zone = settings.TIME_ZONE
    return f"""
        WITH moves AS (
            SELECT e.referral_id, e.status, e.stage, e.occurred_on AS from_on,
                   lead(e.occurred_on) OVER (PARTITION BY e.referral_id ORDER BY e.occurred_on, e.sequence) AS to_on
            FROM referrals_pipelineevent e WHERE e.referral_id >= {first_copied}
        ), booked AS (
            SELECT referral_id, min((starts_at AT TIME ZONE '{zone}')::date) AS first_on
            FROM referrals_appointment WHERE referral_id >= {first_copied} GROUP BY referral_id
        ), stretches AS (
            SELECT r.id AS referral_id, r.team_id, r.assigned_practitioner_id AS practitioner_id,
                   CASE m.stage WHEN '{Stage.ASSESSMENT}' THEN '{Appointment.Kind.ASSESSMENT}'
                        ELSE '{Appointment.Kind.INTERVENTION}' END AS kind,
                   greatest(m.from_on, r.first_contact_on) AS start_on,
                   least(coalesce(m.to_on, DATE '{today}'), coalesce(b.first_on, DATE '{today}'), DATE '{today}')
                       AS end_on
            FROM moves m
            JOIN referrals_referral r ON r.id = m.referral_id
            JOIN pairs_membership p ON p.user_id = r.assigned_practitioner_id AND p.team_id = r.team_id
                 AND p.is_active AND p.role IN ({clinical})
            LEFT JOIN booked b ON b.referral_id = r.id
            WHERE m.status = '{Status.IN_PROGRESS}' AND r.first_contact_on IS NOT NULL
              AND (m.stage = '{Stage.ASSESSMENT}' OR (m.stage = '{Stage.INTERVENTION}'
                   AND r.pathway = '{Pathway.INDIVIDUAL}'))
        )
        SELECT *, row_number() OVER (PARTITION BY practitioner_id ORDER BY start_on, referral_id) AS rank
        FROM stretches WHERE end_on > start_on"""


def _working_days_before(position: str) -> str:
    """SQL: the working days among the first `position` days of a week counted from a Monday (0 is Monday)."""
    return f"(({position}) / 7 * {WORKING_DAYS} + least(({position}) % 7, {WORKING_DAYS}))"


def _sessions_a_fortnight(first_copied: int, today: datetime.date, per_referral: float) -> float:
    """The sessions a fortnight that give the data set `per_referral` appointments a referral on average: a case with
    k sessions a fortnight has one on k of each fortnight's 10 working days."""
    monday = "(extract(isodow FROM start_on)::int - 1)"
    working_days = f"{_working_days_before(f'{monday} + end_on - start_on')} - {_working_days_before(monday)}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM referrals_referral")
        (referrals,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM referrals_appointment")
        (booked,) = cursor.fetchone()
        cursor.execute(f"SELECT coalesce(sum({working_days}), 0) FROM ({_spans(first_copied, today)}) s")
        (days,) = cursor.fetchone()
    wanted = max(0, per_referral * referrals - booked)
    return min(2 * WORKING_DAYS, 2 * WORKING_DAYS * wanted / days) if days else 0.0


# Each referral's first attended appointment's day on the service's clock, for the referrals from an id on.
FIRST_ATTENDED_SQL = f"""
    SELECT referral_id, min((starts_at AT TIME ZONE '{settings.TIME_ZONE}')::date) AS first_on
    FROM referrals_appointment WHERE outcome = '{Outcome.ATTENDED}' AND referral_id >= %s GROUP BY referral_id"""


def diary_generate(*, first_copied: int, per_referral: float) -> int:
    """Add the copied referrals' diaries (referrals from id `first_copied` on); returns the appointments added."""
    today = timezone.localdate()
    per_fortnight = _sessions_a_fortnight(first_copied, today, per_referral)
    times = ", ".join(f"TIME '{at.isoformat()}'" for at in APPOINTMENT_TIMES)
    modes = ", ".join(f"'{mode}'" for mode in VISIT_MODES)
    outcome, bound = [], 0.0
    for code, share in OUTCOME_SHARES.items():
        bound += share
        outcome.append(f"WHEN u < {bound} THEN '{code}'")
    # A case of k sessions a fortnight has session j on working day (its weekday + 10j/k) of each fortnight, counted
    # from the Monday of the week its stretch begins; its weekday is its rank among its practitioner's stretches, so
    # that their cases spread over the week. A practitioner's sessions of a day take the demo's times in turn; one
    # with more than those in a day, or at the time of a booking of the demo's files, is left out. The rows are
    # written in the order of their dates, as a diary kept day by day would have written them.
    sql = f"""
        INSERT INTO referrals_appointment
            (referral_id, team_id, practitioner_id, starts_at, kind, mode, outcome, booked_by_id, version)
        SELECT referral_id, team_id, practitioner_id, starts_at, kind, mode,
               CASE {" ".join(outcome)} ELSE '{Outcome.ATTENDED}' END, practitioner_id, 1
        FROM (
            SELECT referral_id, team_id, practitioner_id, kind, mode, u,
                   (day + (ARRAY[{times}])[place]) AT TIME ZONE '{settings.TIME_ZONE}' AS starts_at
            FROM (
                SELECT s.referral_id, s.team_id, s.practitioner_id, s.kind, d.day,
                       row_number() OVER (PARTITION BY s.practitioner_id, d.day ORDER BY s.referral_id) AS place,
                       (ARRAY[{modes}])[1 + floor(random() * {len(VISIT_MODES)})::int] AS mode,
                       random() AS u
                FROM (
                    -- Drawn in the select list, once a stretch: a lateral subquery of random() alone would be
                    -- planned as a constant, the same draw for every stretch.
                    SELECT *, floor({per_fortnight} + random())::int AS k FROM ({_spans(first_copied, today)}) spans
                ) s
                CROSS JOIN LATERAL generate_series(0, s.k - 1) j
                CROSS JOIN LATERAL (
                    SELECT ((s.rank % {WORKING_DAYS} + (j * 2 * {WORKING_DAYS}) / s.k) % (2 * {WORKING_DAYS}))::int AS w
                ) o
                CROSS JOIN LATERAL (
                    SELECT s.start_on - (extract(isodow FROM s.start_on)::int - 1)
                           + (o.w / {WORKING_DAYS}) * 7 + o.w % {WORKING_DAYS} AS first_on
                ) f
                CROSS JOIN LATERAL generate_series(0, (s.end_on - 1 - f.first_on) / {FORTNIGHT}) t
                CROSS JOIN LATERAL (SELECT f.first_on + t * {FORTNIGHT} AS day) d
                WHERE d.day >= s.start_on AND d.day < s.end_on
            ) sessions
            WHERE place <= {len(APPOINTMENT_TIMES)}
        ) placed
        WHERE NOT EXISTS (
            SELECT 1 FROM referrals_appointment a
            WHERE a.practitioner_id = placed.practitioner_id AND a.starts_at = placed.starts_at
        )
        ORDER BY starts_at"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.15)")
        cursor.execute(sql)
        added = cursor.rowcount
        # What `appointment_record_outcome` keeps on each referral: its first attended appointment's day.
        cursor.execute(
            f"""UPDATE referrals_referral r SET first_attended_on = a.first_on
            FROM ({FIRST_ATTENDED_SQL}) a
            WHERE r.id = a.referral_id AND r.first_attended_on IS DISTINCT FROM a.first_on""",
            [first_copied],
        )
    print(f"  diary: {per_fortnight:.2f} sessions a fortnight a case, {added:,} appointments", flush=True)
    return added


def diary_check(first_generated: int) -> None:
    """Over every generated appointment, what the sample cannot prove for all: none attended before its referral's
    recorded first contact (so the first-contact clock is unchanged), none without an outcome, none ahead; every
    referral's first attended day is its appointments'; and every appointment and pipeline event, copied or
    generated, is of its referral's team."""
    zone = settings.TIME_ZONE
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT count(*) FROM referrals_referral r LEFT JOIN ({FIRST_ATTENDED_SQL}) a ON a.referral_id = r.id
            WHERE r.first_attended_on IS DISTINCT FROM a.first_on""",
            [0],
        )
        [wrong] = cursor.fetchone()
        if wrong:
            raise AssertionError(f"{wrong} referrals whose first attended day is not their appointments'")
        for table in ("referrals_appointment", "referrals_pipelineevent"):
            cursor.execute(
                f"""SELECT count(*) FROM {table} a JOIN referrals_referral r ON r.id = a.referral_id
                WHERE a.team_id <> r.team_id"""
            )
            [elsewhere] = cursor.fetchone()
            if elsewhere:
                raise AssertionError(f"{elsewhere} rows of {table} not of their referral's team")
        cursor.execute(
            f"""SELECT count(*) FILTER (WHERE a.outcome = '{Outcome.ATTENDED}' AND (r.first_contact_on IS NULL
                    OR (a.starts_at AT TIME ZONE '{zone}')::date < r.first_contact_on)),
                   count(*) FILTER (WHERE a.outcome = ''),
                   count(*) FILTER (WHERE a.starts_at > now())
            FROM referrals_appointment a JOIN referrals_referral r ON r.id = a.referral_id
            WHERE a.id >= %s""",
            [first_generated],
        )
        early, unrecorded, ahead = cursor.fetchone()
    if early or unrecorded or ahead:
        raise AssertionError(
            f"generated appointments: {early} attended before the first contact, {unrecorded} without an outcome, "
            f"{ahead} ahead"
        )


def appointment_check(referral: Referral, appointment: Appointment) -> None:
    """The services' rules on an appointment beyond `full_clean()`: booked for a day the referral was open and
    received by, held by a practitioner or manager of its team. (A past appointment of the demo's files may have no
    outcome yet, as the app allows: the copies move the demo's next booking into the past.)"""
    day = timezone.localtime(appointment.starts_at).date()
    require_open(referral, "book an appointment", on=day)
    if day < referral.received_on:
        raise AssertionError(f"{appointment}: before the referral was received")
    check_clinical_member(appointment.practitioner, referral.team, "practitioner")


def first_generated_id() -> int:
    """The id the diary's first appointment will have: the appointments' next."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM referrals_appointment")
        return cursor.fetchone()[0]
