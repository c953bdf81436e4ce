"""Who may do what, as `rules` predicates on (user, team), asked only through `has_team_perm`.

Views are gated with `pairs.gates.team_permission_required(Perm.X)` against `request.team`; services check with
`require()`; other code asks `has_team_perm()`; templates use `{% has_perm "pairs.work_with_cases" user request.team
as can_work %}` (`pairs/templatetags/rules.py`, which asks `has_team_perm`). Apps grant their own permissions (named
in `Perm`) from the same predicates in their own `rules.py`.

Never `user.has_perm(...)` for these: Django grants an active superuser every permission before any backend is
asked, so a superuser would reach every team's casework and exact figures. The app's roles come from memberships
alone; `user.has_perm` stays for the admin's own model permissions, which is what superusers are for.
"""

from enum import StrEnum

import rules
from django.conf import settings
from django.core.exceptions import ValidationError

from pairs.models import Membership, Role


def roles_by_team(user) -> dict[int, str]:
    """The person's role in each team, read once per request and kept on the user object."""
    if not user.is_authenticated:
        return {}
    if not hasattr(user, "_pairs_roles_by_team"):
        user._pairs_roles_by_team = dict(
            Membership.objects.filter(user=user, is_active=True).values_list("team_id", "role")
        )
    return user._pairs_roles_by_team


def _has_role(*roles):
    def predicate(user, team) -> bool:
        return team is not None and roles_by_team(user).get(team.pk) in roles

    return predicate


is_practitioner = rules.predicate(_has_role(Role.PRACTITIONER), name="is_practitioner")
is_manager = rules.predicate(_has_role(Role.MANAGER), name="is_manager")
is_commissioner = rules.predicate(_has_role(Role.COMMISSIONER), name="is_commissioner")
is_clinical = rules.predicate(_has_role(Role.PRACTITIONER, Role.MANAGER), name="is_clinical")
is_member = rules.predicate(_has_role(*Role.values), name="is_member")


class Perm(StrEnum):
    """Every permission name of the app, in one place: code says `Perm.WORK_WITH_CASES`, never the bare string.

    Each is granted by a predicate on (user, team) with `rules.add_perm` here or in its app's `rules.py`.
    """

    # Identifiable casework: referrals, families, appointments, questionnaires, consultations.
    WORK_WITH_CASES = "pairs.work_with_cases"
    # Team administration: targets, reporting years, imports, disclosure-control rule, audit history.
    MANAGE_TEAM = "pairs.manage_team"
    # Aggregate reports: the dashboard and the downloadable reports.
    VIEW_REPORTS = "pairs.view_reports"
    # Record training, consultations, awareness events, universal offer contacts and feedback, and list them.
    RECORD_ACTIVITY = "training.record_activity"
    # Enter a term's worth of training sessions at once in the quick-entry table.
    RECORD_SESSIONS_IN_BULK = "training.record_sessions_in_bulk"
    # Delete a workforce record entered in error.
    DELETE_ACTIVITY = "training.delete_activity"
    # Load a team's monitoring history: many records at once, for the service manager.
    IMPORT_MONITORING = "reports.import_monitoring"
    # The exact figures: the service's own return. Commissioners get the disclosure-controlled version.
    VIEW_EXACT_FIGURES = "reports.view_exact_figures"


rules.add_perm(Perm.WORK_WITH_CASES, is_clinical)
rules.add_perm(Perm.MANAGE_TEAM, is_manager)
rules.add_perm(Perm.VIEW_REPORTS, is_manager | is_commissioner)


def has_team_perm(user, permission: Perm | str, team) -> bool:
    """Whether the person holds `permission` in `team` through an active membership. False with no team."""
    return team is not None and user.is_active and rules.has_perm(permission, user, team)


def require(user, permission: Perm, team, refusal: str) -> None:
    """Refuse a service call the person may not make, with `refusal` in words they understand."""
    if not has_team_perm(user, permission, team):
        raise ValidationError(refusal, code="permission")


def two_factor_required(user) -> bool:
    """Service managers (in any of their teams) and superusers confirm each sign-in with a second factor: they can
    change what a whole team reports, or anything at all. Nobody is asked when OTP_REQUIRED is off (a laptop's demo).
    """
    if not (settings.OTP_REQUIRED and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or Role.MANAGER in roles_by_team(user).values()
