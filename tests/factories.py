"""factory-boy factories for every model. One file, so that each app's tests share the same ways of building data."""

import factory
from django.contrib.auth import get_user_model

from pairs.models import Membership, Role, Team

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    commissioning_body = "NHS Lancashire and South Cumbria ICB"
    births_per_year = 1480
    year_start_month = 4


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.nhs.uk")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    role = Role.PRACTITIONER


# Referrals ------------------------------------------------------------------------------------------------------
# A ReferralFactory referral has its `received` pipeline event (status awaiting_decision); move it on with the
# services of `referrals.services`, which are the only way to write later events.

import datetime  # noqa: E402
from typing import Any, cast  # noqa: E402

from django.utils import timezone  # noqa: E402

from pairs.models import Service  # noqa: E402
from referrals.models import (  # noqa: E402
    Appointment,
    Caregiver,
    GroupPlace,
    GroupProgramme,
    Infant,
    Intervention,
    InterventionEpisode,
    PipelineEvent,
    Referral,
)
from referrals.pipeline import EventKind, Stage, Status  # noqa: E402
from referrals.services.appointments import first_attended_refresh  # noqa: E402


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    reference = factory.Sequence(lambda n: f"FAC-{n:05d}")
    received_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    pathway = "individual"
    referrer_service = factory.LazyFunction(lambda: Service.objects.get(code="health_visiting"))
    reason = "Low mood since the birth; finding it hard to feel close to the baby."
    consent_to_share = True
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def received_event(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            PipelineEvent.objects.create(
                referral=obj,
                team=obj.team,
                kind=EventKind.RECEIVED,
                occurred_on=obj.received_on,
                sequence=1,
                status=Status.AWAITING_DECISION,
                stage=Stage.REFERRAL,
                recorded_by=obj.created_by,
            )


class CaregiverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Caregiver

    referral = factory.SubFactory(ReferralFactory)
    position = 1
    name = factory.Faker("name_female")
    date_of_birth = datetime.date(1995, 6, 14)
    birth_year = 1995
    role = Caregiver.Role.MOTHER
    ethnicity = Caregiver.Ethnicity.WHITE
    postcode = "FY1 1AA"
    nhs_number = ""


class InfantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Infant

    referral = factory.SubFactory(ReferralFactory)
    name = factory.Faker("first_name")
    date_of_birth = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=120))
    due_date = None


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment
        skip_postgeneration_save = True

    referral = factory.SubFactory(ReferralFactory)
    team = factory.LazyAttribute(lambda a: a.referral.team)
    practitioner = factory.LazyAttribute(lambda a: a.referral.created_by)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    kind = Appointment.Kind.ASSESSMENT
    mode = Appointment.Mode.HOME
    outcome = ""
    booked_by = factory.LazyAttribute(lambda a: a.practitioner)

    @factory.post_generation
    def attendance_kept(obj, create, extracted, **kwargs):
        # What `appointment_record_outcome` keeps on the referral when an appointment is attended.
        if create and obj.outcome == Appointment.Outcome.ATTENDED:
            first_attended_refresh(obj.referral)


class InterventionEpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterventionEpisode

    referral = factory.SubFactory(ReferralFactory)
    intervention = factory.LazyFunction(lambda: Intervention.objects.get(code="vig"))
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))


class GroupProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupProgramme

    team = factory.SubFactory(TeamFactory)
    intervention = factory.LazyFunction(lambda: Intervention.objects.get(code="circle_of_security"))
    title = factory.Sequence(lambda n: f"Run {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=14))
    places_offered = 8
    sessions_planned = 8
    created_by = factory.SubFactory(UserFactory)


class GroupPlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupPlace

    programme = factory.SubFactory(GroupProgrammeFactory)
    referral = factory.SubFactory(ReferralFactory, team=factory.SelfAttribute("..programme.team"))
    waiting_since = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    offered_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=20))


# Training (workforce activity) ------------------------------------------------------------------------------------
# Plain records with valid defaults dated a week ago; the services of `training.services` validate and audit.

from training.models import (  # noqa: E402
    AwarenessEvent,
    Consultation,
    ConsultationOutcome,
    Feedback,
    FeedbackKind,
    FeedbackTheme,
    SessionType,
    TrainingSession,
    UniversalOfferContact,
)


def _a_week_ago() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=7)


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    team = factory.SubFactory(TeamFactory)
    date = factory.LazyFunction(_a_week_ago)
    session_type = SessionType.INTRODUCTION
    title = factory.Sequence(lambda n: f"Introduction to parent-infant relationships {n}")
    trainers = "A. Trainer"
    places_offered = 12
    participants = 10
    feedback_returned = 8
    feedback_positive = 7


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    team = factory.SubFactory(TeamFactory)
    date = factory.LazyFunction(_a_week_ago)
    consultee_service = factory.LazyFunction(lambda: Service.objects.get(code="health_visiting"))
    sequence = factory.Sequence(lambda n: n + 1)
    outcome = ConsultationOutcome.ADVICE_ONLY
    children = None
    note = "Talked through a mother's worries about bonding; advice on baby cues."


class AwarenessEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwarenessEvent

    team = factory.SubFactory(TeamFactory)
    date = factory.LazyFunction(_a_week_ago)
    title = factory.Sequence(lambda n: f"Infant Mental Health Awareness Week stall {n}")
    audience = "Parents at a family hub"
    people_engaged = 25


class UniversalOfferContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UniversalOfferContact

    team = factory.SubFactory(TeamFactory)
    date = factory.Sequence(lambda n: _a_week_ago() - datetime.timedelta(days=n))
    offer = factory.LazyFunction(lambda: Intervention.objects.get(code="infant_massage"))
    dyads = 6


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    team = factory.SubFactory(TeamFactory)
    date = factory.LazyFunction(_a_week_ago)
    kind = FeedbackKind.COMPLIMENT
    theme = FeedbackTheme.STAFF
    text = "The practitioner helped me understand my baby's cues."


# Outcomes -------------------------------------------------------------------------------------------------------
# Questionnaires are created through `outcomes.services.questionnaire_record`, so that they are scored (and raise
# their alerts) exactly as in the browser. Without `answers` or `totals`, every item takes its lowest answer.

from outcomes.models import Questionnaire, Timepoint  # noqa: E402
from outcomes.registry import get_instrument  # noqa: E402
from outcomes.services import questionnaire_record  # noqa: E402


def _lowest_answers(instrument: str) -> dict[int, int]:
    return {item.number: min(item.allowed_values) for item in get_instrument(instrument).items}


def _a_practitioner_of(team):
    membership = Membership.objects.filter(team=team, role=Role.PRACTITIONER, is_active=True).first()
    return (membership or MembershipFactory(team=team, role=Role.PRACTITIONER)).user


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    referral = factory.SubFactory(ReferralFactory)
    caregiver = factory.LazyAttribute(
        lambda q: q.referral.caregivers.filter(position=1).first() or CaregiverFactory(referral=q.referral)
    )
    instrument = "phq9"
    timepoint = Timepoint.T1
    completed_on = factory.LazyAttribute(lambda q: q.referral.received_on)
    recorded_by = factory.LazyAttribute(lambda q: _a_practitioner_of(q.referral.team))
    answers = factory.LazyAttribute(lambda q: None if q.totals else _lowest_answers(q.instrument))
    totals = None
    goal_wording = None

    @classmethod
    def _create(cls, model_class, *args, recorded_by, **kwargs):
        return questionnaire_record(actor=recorded_by, **kwargs)


# Referral histories for the KPI engine's tests --------------------------------------------------------------------
# A referral moved through the pipeline as the importer moves it: every step is checked against the state machine
# by `referrals.services.pipeline_history_extend`, so the history is one the browser could have made. Like the
# importer's, these histories record completions that already happened, so the completion guards are waived.

from referrals.hooks import Waived  # noqa: E402
from referrals.models import DeclineReason, DisengagementReason, HoldReason  # noqa: E402
from referrals.services import pipeline_history_extend  # noqa: E402

REASON_VOCABULARY: dict[str, Any] = {
    EventKind.NOT_ACCEPTED: DeclineReason,
    EventKind.DISENGAGED: DisengagementReason,
    EventKind.ON_HOLD: HoldReason,
}


def referral_with_history(*, actor, steps=(), **fields) -> Referral:
    """A ReferralFactory referral (`fields` as for the factory), then moved by `steps`: each (kind, date) or
    (kind, date, reason code) for the moves that need a reason. `actor` must work in the referral's team."""
    referral = cast(Referral, ReferralFactory(**fields))
    if steps:
        pipeline_history_extend(
            referral=referral,
            actor=actor,
            steps=[
                (kind, on, REASON_VOCABULARY[kind].objects.get(code=reason[0]) if reason else None)
                for kind, on, *reason in steps
            ],
            completion_guards=Waived("a test's referral history"),
        )
    return referral
