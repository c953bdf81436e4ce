import datetime
import logging
from typing import TypedDict, Unpack

from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pairs.audit import acting
from pairs.concurrency import locked, model_update
from pairs.models import Membership, Team
from pairs.rules import Perm, require


@transaction.atomic
def team_select(*, user, team_id: int) -> Membership:
    """Make `team_id` the team the person works in, remembered for their next sign-in.

    Raises Membership.DoesNotExist when the person has no active role in that team.
    """
    membership = Membership.objects.for_user(user).select_for_update().get(team_id=team_id)
    membership.last_selected_at = timezone.now()
    membership.save(update_fields=["last_selected_at"])
    return membership


@transaction.atomic
def team_create(
    *, slug: str, name: str, service_started_on: datetime.date | None = None, year_start_month: int = 4
) -> tuple[Team, bool]:
    """Create a team, or return the existing one with that slug unchanged (data-contract.md, `create_team`)."""
    existing = Team.objects.filter(slug=slug).first()
    if existing is not None:
        return existing, False
    team = Team(slug=slug, name=name, service_started_on=service_started_on, year_start_month=year_start_month)
    team.full_clean()
    team.save()
    return team, True


REFERENCE_SCHEME_FIELDS = ("reference_prefix", "reference_pattern")


class TeamReporting(TypedDict, total=False):
    """What `team_reporting_update` may change: how the team's figures are reported and what the needs model uses."""

    service_started_on: datetime.date | None
    year_start_month: int
    first_contact_target_days: int
    disclosure_control: str
    births_per_year: int | None
    adversity_adjustment: int


def _team_settings_update(*, team: Team, actor, refusal: str, data: dict, fields) -> tuple[Team, list[str]]:
    """The one way a team's settings change: by its service manager, on the locked row, partially (nothing written
    or audited when nothing changes). Returns the team and the names of the fields that changed."""
    require(actor, Perm.MANAGE_TEAM, team, refusal)
    current = locked(team)
    changed = model_update(current, data=data, fields=fields)
    if changed:
        with acting(actor):
            current.full_clean()
            current.save(update_fields=changed)
    return current, changed


@transaction.atomic
def team_reporting_update(*, team: Team, actor, **changes: Unpack[TeamReporting]) -> Team:
    """Change how the team's figures are reported: its service years, the first-contact target, the small-number
    suppression rule of what commissioners see, and the births a year and local adversity of the needs model.
    Partial: a field not given stays as it is, and nothing is written (or audited) when nothing changes."""
    current, _ = _team_settings_update(
        team=team,
        actor=actor,
        refusal="Only the team's service manager can change how it reports.",
        data=dict(changes),
        fields=TeamReporting.__annotations__,
    )
    return current


@transaction.atomic
def team_t2_interval_update(*, team: Team, actor, t2_due_weeks_after_t1: int | None) -> tuple[Team, bool]:
    """Set when the team's T2 questionnaires fall due: weeks after T1, or None for at discharge. Returns the team and
    whether anything changed (nothing is written or audited when it did not)."""
    current, changed = _team_settings_update(
        team=team,
        actor=actor,
        refusal="Only the team's service manager can change when T2 questionnaires are due.",
        data={"t2_due_weeks_after_t1": t2_due_weeks_after_t1},
        fields=["t2_due_weeks_after_t1"],
    )
    return current, bool(changed)


@transaction.atomic
def team_reference_scheme_update(*, team: Team, actor, prefix: str, pattern: str) -> Team:
    """Change the case references the team's new referrals get: `prefix` (such as REF- or BPL-) and `pattern`
    (`ReferencePattern`). Referrals already made keep theirs; numbering carries on past every reference of the new
    series already in the team."""
    current, _ = _team_settings_update(
        team=team,
        actor=actor,
        refusal="Only the team's service manager can change its case references.",
        data={"reference_prefix": prefix, "reference_pattern": pattern},
        fields=REFERENCE_SCHEME_FIELDS,
    )
    return current


RECOVERY_CODE_COUNT = 10
security_log = logging.getLogger("pairs.security")


@transaction.atomic
def two_factor_enrol(*, user, key: str, last_step: int = -1) -> tuple[TOTPDevice, list[str]]:
    """Make the authenticator app of the hex `key` the person's second factor, in place of any before it, with ten
    new recovery codes (returned once, to be shown once: only the person keeps them).

    `last_step` is the time step of the code that proved the app works, so that the same code cannot sign in.
    """
    with acting(user):
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        device = TOTPDevice(user=user, name="Authenticator app", key=key, confirmed=True, last_t=last_step)
        device.full_clean()
        device.save()
        recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    security_log.info("two-factor-enrolled user=%s", user.get_username())
    return device, codes


def two_factor_check(*, user, code: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts `code`, used up if it is a recovery code: six digits are asked of the authenticator
    app, anything else of the recovery codes, so that a mistyped code counts against one device only. django-otp
    slows each device down after wrong codes."""
    code = "".join(code.split()).lower()
    devices = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    for device in devices.objects.devices_for_user(user, confirmed=True):
        if (verified := verify_token(user, device.persistent_id, code)) is not None:
            security_log.info("two-factor-verified user=%s device=%s", user.get_username(), type(verified).__name__)
            return verified
    security_log.warning("two-factor-failed user=%s", user.get_username())
    return None
