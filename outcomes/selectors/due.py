"""What is due: the T1s a family in intervention owes, the questionnaires left incomplete, the T2s asked for at
completion, and the T2 due list of a caseload."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Exists,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.utils.formats import date_format

from outcomes.models import Questionnaire, QuestionnaireStatus, Timepoint
from outcomes.registry import Instrument, registry
from pairs.models import Team
from referrals.models import Caregiver, InterventionEpisode, Referral
from referrals.pipeline import Stage, Status
from referrals.selectors.clocks import is_long_hold, with_current_stage

# Statuses in which a family is in intervention and a T1 is owed.
ACTIVE_STATUSES = (Status.IN_PROGRESS, Status.ON_HOLD)


@dataclass(frozen=True)
class Due:
    """A questionnaire owed by one caregiver; `incomplete` is one already started that needs finishing."""

    referral_id: int
    caregiver: Caregiver
    instrument: Instrument
    timepoint: str
    incomplete: Questionnaire | None = None


def _due(caregivers, questionnaires, instruments, timepoint: str) -> list[Due]:
    """The (caregiver, instrument) pairs with no complete or not-completed questionnaire at `timepoint`."""
    settled, started = set(), {}
    for questionnaire in questionnaires:
        key = (questionnaire.caregiver_id, questionnaire.instrument)
        if questionnaire.status == QuestionnaireStatus.INCOMPLETE:
            started.setdefault(key, questionnaire)
        else:
            settled.add(key)
    return [
        Due(caregiver.referral_id, caregiver, instrument, timepoint, started.get((caregiver.pk, instrument.code)))
        for caregiver in caregivers
        for instrument in instruments(caregiver)
        if (caregiver.pk, instrument.code) not in settled
    ]


def t1_due_by_referral(referrals: QuerySet) -> dict[int, list[Due]]:
    """For referrals in intervention now, each core instrument's T1 not yet recorded for each caregiver.

    Three queries whatever the number of referrals: those in intervention, their caregivers, their T1s.
    """
    # A fresh queryset: the one given may carry its own annotations (a list's status, names, ordering).
    in_intervention = list(
        Referral.objects.filter(pk__in=referrals.values("pk"))
        .with_current_status()
        .filter(stage_as_at=Stage.INTERVENTION, status_as_at__in=ACTIVE_STATUSES)
        .values_list("pk", flat=True)
    )
    caregivers = Caregiver.objects.filter(referral__in=in_intervention).select_related("referral")
    t1s = Questionnaire.objects.filter(referral__in=in_intervention, timepoint=Timepoint.T1).order_by("pk")
    core = registry().core
    due = {}
    for item in _due(caregivers, t1s, lambda caregiver: core, Timepoint.T1):
        due.setdefault(item.referral_id, []).append(item)
    return due


def t1_due_for(referral: Referral, questionnaires: list[Questionnaire]) -> list[Due]:
    """The T1s one referral owes, from its questionnaires already read (`referral_questionnaires`).

    No query when the referral carries its current status (`with_current_status`) and prefetched caregivers, as
    on its record page; otherwise two.
    """
    if not hasattr(referral, "stage_as_at"):
        referral = Referral.objects.with_current_status().get(pk=referral.pk)
    if referral.stage_as_at != Stage.INTERVENTION or referral.status_as_at not in ACTIVE_STATUSES:
        return []
    t1s = [questionnaire for questionnaire in questionnaires if questionnaire.timepoint == Timepoint.T1]
    core = registry().core
    return _due(referral.caregivers.all(), t1s, lambda caregiver: core, Timepoint.T1)


def outstanding_by_referral(referrals: QuerySet) -> dict[int, list[Due]]:
    """What each referral owes: its T1s due (`t1_due_by_referral`) and any questionnaire left incomplete at MID or
    T2. Four queries whatever the number of referrals, for the caseload's column."""
    outstanding = t1_due_by_referral(referrals)
    incomplete = (
        Questionnaire.objects.filter(referral__in=referrals.values("pk"), status=QuestionnaireStatus.INCOMPLETE)
        .exclude(timepoint=Timepoint.T1)
        .select_related("caregiver")
        .order_by("completed_on", "pk")
    )
    for questionnaire in incomplete:
        if questionnaire.instrument in registry():
            outstanding.setdefault(questionnaire.referral_id, []).append(
                Due(
                    questionnaire.referral_id,
                    questionnaire.caregiver,
                    registry().get(questionnaire.instrument),
                    questionnaire.timepoint,
                    questionnaire,
                )
            )
    return outstanding


def t2_due(referral: Referral) -> list[Due]:
    """T2s to ask for when the referral is being completed: each instrument scored at T1, for the same caregiver."""
    questionnaires = list(Questionnaire.objects.filter(referral=referral).order_by("pk"))
    scored_t1 = {(q.caregiver_id, q.instrument) for q in questionnaires if q.timepoint == Timepoint.T1 and q.is_scored}
    caregivers = referral.caregivers.all()

    def instruments(caregiver):
        return [instrument for instrument in registry() if (caregiver.pk, instrument.code) in scored_t1]

    t2s = [q for q in questionnaires if q.timepoint == Timepoint.T2]
    return _due(caregivers, t2s, instruments, Timepoint.T2)


# The T2 due list --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class T2Due:
    """A referral in intervention, the T2s it owes and when they fall due, and what puts its pairs at risk.

    `referral` carries `family_name`, `waiting_stage`, `stage_began_on` (`referrals.selectors.clocks`) and
    `interventions_ended` (it has interventions and every one has ended: discharge is near).
    """

    referral: Referral
    owed: list[Due]
    # The earliest day one of them falls due; None when the team asks for T2s at discharge.
    due_on: datetime.date | None
    # Whether any core instrument has a scored T1: without one, no T2 can make a pair.
    has_t1: bool
    today: datetime.date

    @property
    def is_overdue(self) -> bool:
        return self.due_on is not None and self.due_on < self.today

    @property
    def is_long_hold(self) -> bool:
        return is_long_hold(self.referral, self.today)

    @property
    def hold_days(self) -> int | None:
        if self.referral.waiting_stage != "on_hold":
            return None
        return (self.today - self.referral.stage_began_on).days

    @property
    def risks(self) -> list[str]:
        """Why the family may leave without paired measures, in words; empty when it is not at risk."""
        if not self.has_t1:
            return ["No T1 recorded: no T2 can be paired until one is."]
        if not self.owed:
            return []
        risks = []
        if self.due_on is not None and self.due_on < self.today:
            risks.append(f"T2 overdue since {date_format(self.due_on, 'j F Y')}.")
        if self.is_long_hold:
            risks.append(f"On hold for {self.hold_days:,} days: families on long holds often do not come back.")
        if self.referral.interventions_ended:
            risks.append("Every intervention has ended: the family is about to be discharged.")
        return risks


def t2_due_list(*, user, team: Team, today: datetime.date, practitioner=None) -> list[T2Due]:
    """Every referral of the team in intervention (in progress or on hold), or only those allocated to
    `practitioner`, with the T2s it owes (each instrument scored at T1, for the same caregiver, with no T2 recorded
    or recorded as not completed) due the team's `t2_due_weeks_after_t1` after the first scored T1, or at
    discharge. Referrals that owe nothing and have a T1 are left out; the soonest due come first.

    Three queries whatever the number of referrals: the referrals, their caregivers, their T1s and T2s.
    """
    ended = InterventionEpisode.objects.filter(referral=OuterRef("pk"))
    first_caregiver = Caregiver.objects.filter(referral=OuterRef("pk")).order_by("position")
    referrals = (
        Referral.objects.visible_to(user, team)
        .with_status_as_at(today)
        .filter(stage_as_at=Stage.INTERVENTION, status_as_at__in=ACTIVE_STATUSES)
    )
    if practitioner is not None:
        referrals = referrals.filter(assigned_practitioner=practitioner)
    rows = list(
        with_current_stage(referrals, today)
        .annotate(
            family_name=Subquery(first_caregiver.values("name")[:1]),
            interventions_ended=Exists(ended) & ~Exists(ended.filter(ended_on=None)),
        )
        .select_related("assigned_practitioner")
        .order_by("received_on", "pk")
    )
    ids = [referral.pk for referral in rows]
    caregivers: dict[int, list[Caregiver]] = {}
    for caregiver in Caregiver.objects.filter(referral__in=ids).order_by("referral", "position"):
        caregivers.setdefault(caregiver.referral_id, []).append(caregiver)
    questionnaires: dict[int, list[Questionnaire]] = {}
    for questionnaire in Questionnaire.objects.filter(
        referral__in=ids, timepoint__in=[Timepoint.T1, Timepoint.T2]
    ).order_by("completed_on", "pk"):
        questionnaires.setdefault(questionnaire.referral_id, []).append(questionnaire)
    interval = team.t2_due_weeks_after_t1
    core = {instrument.code for instrument in registry().core}
    due = []
    for referral in rows:
        mine = questionnaires.get(referral.pk, [])
        first_t1: dict[tuple[int, str], datetime.date] = {}
        for q in mine:
            if q.timepoint == Timepoint.T1 and q.is_scored:
                first_t1.setdefault((q.caregiver_id, q.instrument), q.completed_on)
        owed = _due(
            caregivers.get(referral.pk, []),
            [q for q in mine if q.timepoint == Timepoint.T2],
            lambda caregiver, first_t1=first_t1: [i for i in registry() if (caregiver.pk, i.code) in first_t1],
            Timepoint.T2,
        )
        has_t1 = any(instrument in core for _, instrument in first_t1)
        if not owed and has_t1:
            continue
        due_on = None
        if interval is not None and owed:
            weeks = datetime.timedelta(weeks=interval)
            due_on = min(first_t1[(item.caregiver.pk, item.instrument.code)] + weeks for item in owed)
        due.append(T2Due(referral, owed, due_on, has_t1, today))
    return sorted(due, key=lambda row: (row.due_on is None, row.due_on or today, row.referral.received_on))
