"""The permission matrix: every URL of the project, for every kind of person, for GET and for POST.

The routes are found by walking the URL configuration, so that a new URL without a line in MATRIX fails the suite
(and a line whose URL went away, too). The admin site is one line, its index: its other pages are Django's, behind
the same gate. Each line gives the expected status for a GET and for a POST with an empty body, for:

    anon    not signed in                      prac_b  a practitioner of team B
    prac_a  a practitioner of team A           man_b   a service manager of team B
    man_a   a service manager of team A        super   a superuser with no membership
    comm_a  a commissioner of team A

The people signed in have passed the second step of sign-in where they need one (tests/conftest.py), so that the
matrix is about roles; tests/pairs/test_two_factor.py covers the step itself.

A route's parameters name records of team A (WORLD below), so team B's people must get 404 for every record: they
are not told that it exists. Commissioners reach nothing identifiable (see COMMISSIONER_PAGES). A redirect of `anon`
goes to the sign-in page. No answer ever shows the family's name or reference unless it is a 200 of team A.
"""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from jobs.models import BackgroundJob, JobFile, JobStatus
from outcomes.models import SafetyAlert
from pairs.models import Role
from pairs.rules import Perm
from referrals.models import GroupSession
from referrals.pipeline import Stage, State, Status
from reports.services import kpi_target_set
from tests.factories import (
    AppointmentFactory,
    AwarenessEventFactory,
    ConsultationFactory,
    FeedbackFactory,
    GroupPlaceFactory,
    GroupProgrammeFactory,
    InterventionEpisodeFactory,
    MembershipFactory,
    QuestionnaireFactory,
    TeamFactory,
    TrainingSessionFactory,
    UniversalOfferContactFactory,
    UserFactory,
)
from tests.referrals.builders import make_referral

MATRIX = """
route                                                     anon    prac_a  man_a   comm_a  prac_b  man_b   super
(home)                                                    302/302 200/405 200/405 200/405 200/405 200/405 200/405
accessibility/                                            200/405 200/405 200/405 200/405 200/405 200/405 200/405
account/login/                                            200/200 302/302 302/302 302/302 302/302 302/302 302/302
account/logout/                                           302/302 405/302 405/302 405/302 405/302 405/302 405/302
account/password/change/                                  302/302 200/200 200/200 200/200 200/200 200/200 200/200
account/password/change/done/                             302/302 200/405 200/405 200/405 200/405 200/405 200/405
account/password/reset/                                   200/200 200/200 200/200 200/200 200/200 200/200 200/200
account/password/reset/<uidb64>/<token>/                  200/200 200/200 200/200 200/200 200/200 200/200 200/200
account/password/reset/complete/                          200/405 200/405 200/405 200/405 200/405 200/405 200/405
account/password/reset/sent/                              200/405 200/405 200/405 200/405 200/405 200/405 200/405
account/two-factor/                                       302/302 302/302 200/200 302/302 302/302 200/200 200/200
account/two-factor/recovery-codes/                        302/302 200/405 200/405 200/405 200/405 200/405 200/405
account/two-factor/verify/                                302/302 302/302 302/302 302/302 302/302 302/302 302/302
admin/                                                    302/302 302/302 302/302 302/302 302/302 302/302 200/200
healthz                                                   200/405 200/405 200/405 200/405 200/405 200/405 200/405
jobs/<job_id>/                                            302/302 404/405 200/405 404/405 404/405 404/405 404/405
jobs/<job_id>/file/                                       302/302 404/405 200/405 404/405 404/405 404/405 404/405
jobs/<job_id>/retry/                                      302/302 405/404 405/302 405/404 405/404 405/404 405/404
jobs/<job_id>/status/                                     302/302 404/405 200/405 404/405 404/405 404/405 404/405
outcomes/                                                 302/302 200/405 200/405 403/405 200/405 200/405 403/405
outcomes/alerts/<pk>/                                     302/302 200/200 200/200 403/403 404/404 404/404 403/403
outcomes/questionnaires/<pk>/                             302/302 200/405 200/405 403/405 404/405 404/405 403/405
outcomes/questionnaires/<pk>/edit/                        302/302 200/200 200/200 403/403 404/404 404/404 403/403
outcomes/referrals/<referral_id>/                         302/302 200/405 200/405 403/405 404/405 404/405 403/405
outcomes/referrals/<referral_id>/charts/<instrument>.svg  302/302 200/405 200/405 403/405 404/405 404/405 403/405
outcomes/referrals/<referral_id>/follow-up/               302/302 200/200 200/200 403/403 404/404 404/404 403/403
outcomes/referrals/<referral_id>/not-completed/           302/302 200/200 200/200 403/403 404/404 404/404 403/403
outcomes/referrals/<referral_id>/record/<instrument>/     302/302 200/200 200/200 403/403 404/404 404/404 403/403
outcomes/t2-due/                                          302/302 200/405 200/405 403/405 200/405 200/405 403/405
outcomes/t2-due/when/                                     302/302 403/403 200/200 403/403 403/403 200/200 403/403
referrals/                                                302/302 200/405 200/405 403/403 200/405 200/405 403/403
referrals/<pk>/                                           302/302 200/405 200/405 403/403 404/404 404/404 403/403
referrals/<pk>/appointments/<appointment_pk>/             302/302 200/405 200/405 403/403 404/404 404/404 403/403
referrals/<pk>/appointments/<appointment_pk>/cancel/      302/302 200/200 200/200 403/403 404/404 404/404 403/403
referrals/<pk>/appointments/<appointment_pk>/change/      302/302 200/200 200/200 403/403 404/404 404/404 403/403
referrals/<pk>/appointments/<appointment_pk>/move/        302/302 200/200 200/200 403/403 404/404 404/404 403/403
referrals/<pk>/appointments/<appointment_pk>/outcome/     302/302 200/200 200/200 403/403 404/404 404/404 403/403
referrals/<pk>/appointments/new/                          302/302 200/200 200/200 403/403 404/404 404/404 403/403
referrals/<pk>/audit/                                     302/302 403/403 200/405 403/403 404/404 404/404 403/403
referrals/<pk>/caregivers/<caregiver_pk>/                 302/302 200/200 200/200 403/403 404/404 404/404 403/403
referrals/<pk>/caregivers/new/                            302/302 200/200 200/200 403/403 404/404 404/404 403/403
referrals/<pk>/details/                                   302/302 200/200 200/200 403/403 404/404 404/404 403/403
referrals/<pk>/infants/<infant_pk>/                       302/302 200/200 200/200 403/403 404/404 404/404 403/403
referrals/<pk>/infants/new/                               302/302 200/200 200/200 403/403 404/404 404/404 403/403
referrals/<pk>/interventions/<episode_pk>/                302/302 200/200 200/200 403/403 404/404 404/404 403/403
referrals/<pk>/interventions/new/                         302/302 200/200 200/200 403/403 404/404 404/404 403/403
referrals/<pk>/levels/                                    302/302 200/200 200/200 403/403 404/404 404/404 403/403
referrals/<pk>/move/<move>/                               302/302 200/200 200/200 403/403 404/404 404/404 403/403
referrals/<pk>/restrict/                                  302/302 403/403 200/200 403/403 404/404 404/404 403/403
referrals/<pk>/restrict/lift/                             302/302 403/403 200/200 403/403 404/404 404/404 403/403
referrals/<pk>/retention/                                 302/302 403/403 200/200 403/403 404/404 404/404 403/403
referrals/appointments/                                   302/302 200/405 200/405 403/403 200/405 200/405 403/403
referrals/groups/                                         302/302 200/405 200/405 403/403 200/405 200/405 403/403
referrals/groups/<pk>/                                    302/302 200/405 200/405 403/403 404/404 404/404 403/403
referrals/groups/<pk>/offer/                              302/302 200/200 200/200 403/403 404/404 404/404 403/403
referrals/groups/<pk>/places/<place_pk>/                  302/302 200/200 200/200 403/403 404/404 404/404 403/403
referrals/groups/<pk>/sessions/<session_pk>/              302/302 200/200 200/200 403/403 404/404 404/404 403/403
referrals/groups/<pk>/sessions/new/                       302/302 200/200 200/200 403/403 404/404 404/404 403/403
referrals/groups/new/                                     302/302 200/200 200/200 403/403 200/200 200/200 403/403
referrals/new/                                            302/302 200/200 200/200 403/403 200/200 200/200 403/403
referrals/references/                                     302/302 403/403 200/200 403/403 403/403 200/200 403/403
referrals/retention/                                      302/302 403/403 200/200 403/403 403/403 200/200 403/403
referrals/retention/periods/                              302/302 403/403 200/200 403/403 403/403 200/200 403/403
referrals/waiting-list/                                   302/302 200/405 200/405 403/403 200/405 200/405 403/403
reports/                                                  302/302 403/405 200/405 200/405 403/405 200/405 403/405
reports/compare/                                          302/302 403/405 200/405 200/405 403/405 200/405 403/405
reports/export/                                           302/302 403/403 200/200 403/403 403/403 200/200 403/403
reports/import/                                           302/302 403/403 200/200 403/403 403/403 200/200 403/403
reports/kpis.<file_format>                                302/302 403/405 200/405 200/405 403/405 200/405 403/405
reports/needs/                                            302/302 403/405 200/405 200/405 403/405 200/405 403/405
reports/pdf/<kind>.pdf                                    302/302 403/405 302/405 302/405 403/405 302/405 403/405
reports/quarterly/                                        302/302 403/405 200/405 200/405 403/405 200/405 403/405
reports/quarterly/commentary/                             302/302 405/403 405/200 405/403 405/403 405/200 405/403
reports/quarterly/final/                                  302/302 405/403 405/200 405/403 405/403 405/200 405/403
reports/subject-access/<caregiver_pk>.json                302/302 403/405 200/405 403/405 404/405 404/405 403/405
reports/subject-access/<caregiver_pk>/pdf/                302/302 405/403 405/302 405/403 405/404 405/404 405/403
reports/targets/                                          302/302 403/403 200/200 403/403 403/403 200/200 403/403
reports/targets/<kpi>/                                    302/302 403/403 200/200 403/403 403/403 200/200 403/403
reports/targets/<kpi>/<pk>/remove/                        302/302 405/403 405/302 405/403 405/404 405/404 405/403
search/                                                   302/302 200/405 200/405 403/403 200/405 200/405 403/403
session/keep-alive/                                       302/302 405/204 405/204 405/204 405/204 405/204 405/204
team/                                                     302/302 405/404 405/404 405/404 405/404 405/404 405/404
training/                                                 302/302 200/405 200/405 403/403 200/405 200/405 403/403
training/awareness-events/                                302/302 200/405 200/405 403/403 200/405 200/405 403/403
training/awareness-events/<pk>/                           302/302 200/200 200/200 403/403 404/404 404/404 403/403
training/awareness-events/<pk>/delete/                    302/302 403/403 200/302 403/403 404/404 404/404 403/403
training/awareness-events/new/                            302/302 200/200 200/200 403/403 200/200 200/200 403/403
training/consultations/                                   302/302 200/405 200/405 403/403 200/405 200/405 403/403
training/consultations/<pk>/                              302/302 200/200 200/200 403/403 404/404 404/404 403/403
training/consultations/<pk>/delete/                       302/302 403/403 200/302 403/403 404/404 404/404 403/403
training/consultations/new/                               302/302 200/200 200/200 403/403 200/200 200/200 403/403
training/feedback/                                        302/302 200/405 200/405 403/403 200/405 200/405 403/403
training/feedback/<pk>/                                   302/302 200/200 200/200 403/403 404/404 404/404 403/403
training/feedback/<pk>/delete/                            302/302 403/403 200/302 403/403 404/404 404/404 403/403
training/feedback/new/                                    302/302 200/200 200/200 403/403 200/200 200/200 403/403
training/sessions/                                        302/302 200/405 200/405 403/403 200/405 200/405 403/403
training/sessions/<pk>/                                   302/302 200/200 200/200 403/403 404/404 404/404 403/403
training/sessions/<pk>/delete/                            302/302 403/403 200/302 403/403 404/404 404/404 403/403
training/sessions/new/                                    302/302 200/200 200/200 403/403 200/200 200/200 403/403
training/sessions/quick-entry/                            302/302 403/403 200/200 403/403 403/403 200/200 403/403
training/universal-offers/                                302/302 200/405 200/405 403/403 200/405 200/405 403/403
training/universal-offers/<pk>/                           302/302 200/200 200/200 403/403 404/404 404/404 403/403
training/universal-offers/<pk>/delete/                    302/302 403/403 200/302 403/403 404/404 404/404 403/403
training/universal-offers/new/                            302/302 200/200 200/200 403/403 200/200 200/200 403/403
"""

# What a commissioner may open: aggregate figures under the team's suppression rule, and their own account.
COMMISSIONER_PAGES = {
    "(home)",
    "accessibility/",
    "account/password/change/",
    "account/password/change/done/",
    "account/password/reset/",
    "account/password/reset/<uidb64>/<token>/",
    "account/password/reset/complete/",
    "account/password/reset/sent/",
    "account/two-factor/recovery-codes/",
    "healthz",
    "reports/",
    "reports/compare/",
    "reports/kpis.<file_format>",
    "reports/needs/",
    "reports/quarterly/",
}
# Their PDFs are made by a worker: the page answers 302 to the job's page, which offers the file to them alone.

METHODS = ("GET", "POST")


def _table() -> dict[str, dict[tuple[str, str], int]]:
    header, *lines = MATRIX.strip().splitlines()
    identities = header.split()[1:]
    table = {}
    for line in lines:
        route, *cells = line.split()
        table[route] = {
            (identity, method): int(code)
            for identity, cell in zip(identities, cells, strict=True)
            for method, code in zip(METHODS, cell.split("/"), strict=True)
        }
    return table


TABLE = _table()
IDENTITIES = tuple(MATRIX.strip().splitlines()[0].split()[1:])


def _table_route(route: str) -> str:
    """`referrals/<int:pk>/` as the table writes it: `referrals/<pk>/`; the root is `(home)`."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", route) or "(home)"


def _walk(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                yield route
            else:
                yield from _walk(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route


ROUTES = {_table_route(route): route for route in _walk(get_resolver())}


def test_every_url_has_a_line_in_the_matrix():
    assert sorted(ROUTES) == sorted(TABLE)


def test_commissioners_reach_no_identifiable_page():
    assert {route for route, expected in TABLE.items() if expected["comm_a", "GET"] == 200} == COMMISSIONER_PAGES


def test_team_b_is_told_nothing_about_team_a_s_records():
    """Wherever a route names a record (every parameter but a fixed word), team B gets 404, or 405 for a method
    the page never takes, whatever its role."""
    for route, expected in TABLE.items():
        if set(re.findall(r"<(\w+)>", route)) - FIXED_WORDS:
            for identity in ("prac_b", "man_b"):
                assert {expected[identity, method] for method in METHODS} <= {404, 405}, (route, identity)


# The world: two teams, their people, and a record of team A of every kind that a route names. --------------------


@dataclass
class World:
    people: dict
    parameters: dict[str, dict]  # route of the table -> its keyword arguments
    secrets: tuple[str, ...]  # what no refusal may show: the family's name and reference


# Route parameters that are not records: the same word for everyone.
FIXED_WORDS = {"move", "instrument", "file_format", "kind", "kpi", "uidb64", "token"}


def _import_job(*, team, actor) -> BackgroundJob:
    """A finished import of the team's monitoring history, with its report: identifiable, so for its manager (and
    the person who asked) alone."""
    job = BackgroundJob.objects.create(
        team=team,
        requested_by=actor,
        permission=Perm.IMPORT_MONITORING,
        kind="monitoring.import",
        title="Import of the monitoring history",
        task_path="monitoring.tasks.monitoring_import_run",
        queued_at=timezone.now(),
        status=JobStatus.DONE,
    )
    JobFile.objects.create(
        job=job, purpose=JobFile.Purpose.OUTPUT, name="report.txt", content_type="text/plain", content=b"Imported"
    )
    return job


def _world_build():  # factory-boy's factories are not typed as their models: the body is left unchecked
    team_a = TeamFactory(name="Matrix team A", slug="matrix-a", service_started_on=datetime.date(2023, 4, 1))
    team_b = TeamFactory(name="Matrix team B", slug="matrix-b", service_started_on=datetime.date(2023, 4, 1))
    people = {"anon": None, "super": UserFactory(username="matrix_super", is_superuser=True, is_staff=True)}
    for identity, team, role in (
        ("prac_a", team_a, Role.PRACTITIONER),
        ("man_a", team_a, Role.MANAGER),
        ("comm_a", team_a, Role.COMMISSIONER),
        ("prac_b", team_b, Role.PRACTITIONER),
        ("man_b", team_b, Role.MANAGER),
    ):
        people[identity] = UserFactory(username=f"matrix_{identity}")
        MembershipFactory(user=people[identity], team=team, role=role)
    practitioner = people["prac_a"]
    referral = make_referral(team=team_a, actor=practitioner, state=State(Status.IN_PROGRESS, Stage.INTERVENTION))
    caregiver = referral.caregivers.get()
    item_9_answered = {number: 0 for number in range(1, 10)} | {9: 1}  # raises a safety alert
    questionnaire = QuestionnaireFactory(referral=referral, caregiver=caregiver, answers=item_9_answered)
    appointment = AppointmentFactory(
        referral=referral, practitioner=practitioner, starts_at=timezone.now() + datetime.timedelta(days=2)
    )
    episode = InterventionEpisodeFactory(referral=referral)
    programme = GroupProgrammeFactory(team=team_a, created_by=practitioner)
    place = GroupPlaceFactory(programme=programme)
    group_session = GroupSession.objects.create(
        programme=programme, number=1, held_on=programme.starts_on + datetime.timedelta(days=1)
    )
    target = kpi_target_set(
        team=team_a, actor=people["man_a"], kpi="consultations", from_service_year=1, annual_target=50
    )
    training = {
        "awareness-events": AwarenessEventFactory(team=team_a),
        "consultations": ConsultationFactory(team=team_a),
        "feedback": FeedbackFactory(team=team_a),
        "sessions": TrainingSessionFactory(team=team_a),
        "universal-offers": UniversalOfferContactFactory(team=team_a),
    }
    words = {
        "move": "hold",
        "instrument": "phq9",
        "file_format": "json",
        "kind": "quarterly",
        "job_id": _import_job(team=team_a, actor=people["man_a"]).pk,
        "kpi": "consultations",
        "uidb64": "MQ",
        "token": "set-password",
        "referral_id": referral.pk,
        "caregiver_pk": caregiver.pk,
        "infant_pk": referral.infants.get().pk,
        "appointment_pk": appointment.pk,
        "episode_pk": episode.pk,
        "place_pk": place.pk,
        "session_pk": group_session.pk,
    }
    # `pk` is the record of the route's section.
    pk_by_section = [
        ("referrals/groups/", programme),
        ("referrals/", referral),
        ("outcomes/questionnaires/", questionnaire),
        ("outcomes/alerts/", SafetyAlert.objects.get(questionnaire=questionnaire)),
        ("reports/targets/", target),
        *((f"training/{kind}/", record) for kind, record in training.items()),
    ]
    parameters = {}
    for table_route in TABLE:
        names = re.findall(r"<(\w+)>", table_route)
        section = next((record for prefix, record in pk_by_section if table_route.startswith(prefix)), None)
        parameters[table_route] = {name: section.pk if name == "pk" else words[name] for name in names}
    return World(people=people, parameters=parameters, secrets=(caregiver.name, referral.reference))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, inside a transaction rolled back at its end; each case runs in a savepoint of
    its own (pytest-django's `db`), so that a POST that deletes a record leaves it there for the next case."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _world_build()
        transaction.set_rollback(True)


def _path(route: str, arguments: dict) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(arguments[match.group(1)]), route)


def _cases():
    for table_route, expected in TABLE.items():
        for identity in IDENTITIES:
            for method in METHODS:
                yield pytest.param(
                    table_route, identity, method, expected[identity, method], id=f"{table_route}-{identity}-{method}"
                )


@pytest.mark.django_db
@pytest.mark.parametrize(("table_route", "identity", "method", "expected"), list(_cases()))
def test_the_answer_is_the_matrix_s(client, world, table_route, identity, method, expected):
    if world.people[identity] is not None:
        client.force_login(world.people[identity])
    path = _path(ROUTES[table_route], world.parameters[table_route])
    response = client.generic(method, path)
    assert response.status_code == expected, f"{method} {path} as {identity}"
    if identity == "anon" and expected == 302 and not table_route.startswith("admin/"):
        assert response["Location"].startswith("/account/login/")
    if response.status_code != 200 or not identity.endswith("_a"):
        body = response.content.decode(errors="replace")
        assert not any(secret in body for secret in world.secrets), f"{method} {path} as {identity} shows the family"
