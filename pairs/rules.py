"""Who may do what, as `rules` predicates on (user, team).

Views check these with `has_perm` (or `PermissionRequiredMixin`) against `request.team`; templates use
`{% has_perm "pairs.work_with_cases" user request.team as can_work %}`. Apps add their own permissions from the
same predicates in their own `rules.py`.
"""

import rules
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

# Identifiable casework: referrals, families, appointments, questionnaires, consultations.
rules.add_perm("pairs.work_with_cases", is_clinical)
# Team administration: targets, reporting years, imports, disclosure-control rule, audit history.
rules.add_perm("pairs.manage_team", is_manager)
# Aggregate reports: the dashboard and the downloadable reports.
rules.add_perm("pairs.view_reports", is_manager | is_commissioner)


def require(user, permission: str, team, refusal: str) -> None:
    """Refuse a service call the person may not make, with `refusal` in words they understand."""
    if not user.has_perm(permission, team):
        raise ValidationError(refusal, code="permission")
