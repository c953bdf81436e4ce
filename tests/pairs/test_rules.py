"""Roles come from memberships alone: a superuser is an administrator, not a member of every team."""

import ast
import json
from pathlib import Path

import pytest
from django.template import engines
from django.urls import reverse

from pairs.models import Role
from pairs.rules import Perm, has_team_perm
from tests.factories import MembershipFactory, ReferralFactory, TrainingSessionFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# The project's own packages, whose code must never ask `has_perm` of a user.
APPS = [
    "pairs",
    "config",
    "home",
    "demo",
    "nhsuk",
    "referrals",
    "outcomes",
    "training",
    "reports",
    "monitoring",
    "jobs",
]

CASEWORK_AND_REPORT_PAGES = [
    ("home:caseload", []),
    ("home:waiting_list", []),
    ("referrals:appointments", []),
    ("referrals:groups", []),
    ("outcomes:index", []),
    ("training:index", []),
    ("training:session_list", []),
    ("reports:index", []),
    ("reports:kpi_download", ["json"]),
    ("reports:targets", []),
    ("monitoring:import", []),
    ("monitoring:export", []),
    ("reports:quarterly_report", []),
]
MANAGER_ONLY_PAGES: list[tuple[str, list]] = [
    ("reports:targets", []),
    ("monitoring:import", []),
    ("monitoring:export", []),
    ("training:session_quick_entry", []),
]


@pytest.fixture
def superuser(db):
    return UserFactory(username="administrator", is_superuser=True, is_staff=True)


@pytest.mark.parametrize(("name", "args"), CASEWORK_AND_REPORT_PAGES)
def test_a_superuser_without_a_membership_is_refused_casework_and_reports(client, superuser, name, args):
    client.force_login(superuser)
    assert client.get(reverse(name, args=args)).status_code == 403


def test_a_superuser_without_a_membership_is_refused_a_record_of_any_team(client, superuser, team_a):
    referral = ReferralFactory(team=team_a)
    client.force_login(superuser)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 403
    assert client.get(reverse("outcomes:referral", args=[referral.pk])).status_code == 403


def test_a_superuser_commissioner_sees_the_figures_a_commissioner_sees(client, superuser, team_a, commissioner):
    TrainingSessionFactory(team=team_a, participants=3)
    MembershipFactory(user=superuser, team=team_a, role=Role.COMMISSIONER)
    download = reverse("reports:kpi_download", args=["json"])
    client.force_login(commissioner)
    as_commissioner = json.loads(client.get(download).content)
    client.force_login(superuser)
    as_superuser = json.loads(client.get(download).content)
    assert as_superuser["training"]["participants"] == "*"
    assert as_superuser == as_commissioner
    assert "small counts are shown as *" in client.get(reverse("reports:index")).content.decode()


@pytest.mark.parametrize(("name", "args"), MANAGER_ONLY_PAGES)
def test_a_superuser_commissioner_reaches_no_manager_page(client, superuser, team_a, name, args):
    MembershipFactory(user=superuser, team=team_a, role=Role.COMMISSIONER)
    client.force_login(superuser)
    assert client.get(reverse(name, args=args)).status_code == 403


def test_a_superuser_commissioner_sees_no_casework_in_the_menu(client, superuser, team_a):
    MembershipFactory(user=superuser, team=team_a, role=Role.COMMISSIONER)
    client.force_login(superuser)
    html = client.get(reverse("home:index")).content.decode()
    assert reverse("reports:index") in html
    assert reverse("home:caseload") not in html
    assert reverse("admin:index") in html


def test_the_admin_stays_open_to_superusers(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:pairs_team_changelist")).status_code == 200


def test_has_team_perm_answers_from_memberships(team_a, team_b, manager, practitioner_b, superuser):
    assert has_team_perm(manager, Perm.MANAGE_TEAM, team_a)
    assert not has_team_perm(manager, Perm.MANAGE_TEAM, team_b)
    assert not has_team_perm(manager, Perm.MANAGE_TEAM, None)
    assert not has_team_perm(practitioner_b, Perm.WORK_WITH_CASES, team_a)
    assert not has_team_perm(superuser, Perm.WORK_WITH_CASES, team_a)
    manager.is_active = False
    assert not has_team_perm(manager, Perm.MANAGE_TEAM, team_a)


def _has_perm_calls(path: Path) -> list[str]:
    """`something.has_perm(...)` calls, except `rules.has_perm(...)` (the predicates, asked directly)."""
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "has_perm"
        and not (isinstance(node.func.value, ast.Name) and node.func.value.id == "rules")
    ]


def test_no_code_asks_django_has_perm_for_a_role():
    """`user.has_perm` grants a superuser everything; roles are asked through `pairs.rules.has_team_perm`."""
    calls = [call for app in APPS for path in sorted((ROOT / app).rglob("*.py")) for call in _has_perm_calls(path)]
    assert calls == []


def test_the_templates_rules_library_is_the_one_that_asks_the_memberships():
    """`{% load rules %}` is pairs/templatetags/rules.py; django-rules' own library is not installed."""
    assert engines["django"].engine.libraries["rules"] == "pairs.templatetags.rules"
