"""Where apps above casework join in without casework importing them (house.md: imports point down).

- Completion guards: what a referral needs before it can be completed. The completing services ask every guard,
  whoever calls them, and refuse while one has a requirement; the record page sends the person to the guard's page.
  A caller recording what already happened elsewhere (an import of history) waives them, explicitly, with `Waived`.
- Record panels: sections the referral's record page shows below its own, each a template and its context.

An app registers its guards and panels in its `AppConfig.ready()`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import HttpRequest

if TYPE_CHECKING:
    from referrals.models import Referral


@dataclass(frozen=True)
class Requirement:
    """Something a referral needs before it can be completed, and the page where the person provides it."""

    message: str
    url: str


@dataclass(frozen=True)
class Waived:
    """The completion guards set aside, and why: for records of completions that already happened, such as an
    import of a team's history, whose questionnaires may arrive after (or never come with) the completion."""

    reason: str


CompletionGuard = Callable[["Referral"], Requirement | None]


@dataclass(frozen=True)
class RecordPanel:
    """A section of the record page: `context(referral, request)` gives `template_name` what it shows."""

    template_name: str
    context: Callable[["Referral", HttpRequest], dict]


_completion_guards: list[CompletionGuard] = []
_record_panels: list[RecordPanel] = []


def completion_guard_register(guard: CompletionGuard) -> None:
    if guard not in _completion_guards:
        _completion_guards.append(guard)


def record_panel_register(panel: RecordPanel) -> None:
    if panel not in _record_panels:
        _record_panels.append(panel)


def completion_requirements(referral: "Referral") -> list[Requirement]:
    """What the referral still needs before it can be completed, by every registered guard."""
    return [requirement for guard in _completion_guards if (requirement := guard(referral)) is not None]


def completion_check(referral: "Referral", *, waived: Waived | None) -> None:
    """Refuse to complete the referral while a guard has a requirement, unless the guards are `waived`."""
    if waived is not None:
        return
    if requirements := completion_requirements(referral):
        raise ValidationError(
            [ValidationError(requirement.message, code="completion_requirement") for requirement in requirements]
        )


def record_panels() -> list[RecordPanel]:
    return list(_record_panels)
