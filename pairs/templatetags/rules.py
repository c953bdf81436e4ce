"""`{% load rules %}{% has_perm "pairs.work_with_cases" user request.team as can_work %}` in the templates.

This library takes the place of django-rules' own (the `rules` app is not installed, `PairsConfig.ready()`
discovers the apps' `rules.py` instead): its tag asks `user.has_perm`, which grants a superuser everything; this one
asks the memberships, through `pairs.rules.has_team_perm`.
"""

from django import template

from pairs.rules import has_team_perm

register = template.Library()


@register.simple_tag
def has_perm(permission: str, user, team=None) -> bool:
    return has_team_perm(user, permission, team)
