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

    referral = factory.SubFactory(ReferralFactory)
    practitioner = factory.LazyAttribute(lambda a: a.referral.created_by)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    kind = Appointment.Kind.ASSESSMENT
    mode = Appointment.Mode.HOME
    outcome = ""
    booked_by = factory.LazyAttribute(lambda a: a.practitioner)


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
