"""Pipeline moves from the record page: a form per move, the generic move service or the move's own."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from nhsuk.forms import saved
from pairs.gates import team_permission_required
from pairs.rules import Perm, has_team_perm
from referrals import forms, hooks, pipeline, services
from referrals.models import Referral
from referrals.pipeline import EventKind, ReasonVocabulary
from referrals.views.common import form_page, scoped_referral


@dataclass(frozen=True)
class Move:
    slug: str
    kind: EventKind
    title: str
    date_label: str
    form_class: type[forms.MoveForm] = forms.MoveForm
    # The move's own service, for the moves with more to them; the others are `referral_move` of `kind`.
    service: Callable | None = None
    # The vocabulary of the move's reason, for the moves that take one.
    reason: ReasonVocabulary | None = None

    def form(self, referral: Referral, data=None) -> forms.MoveForm:
        form_class, extra = (
            (forms.ReasonMoveForm, {"vocabulary": self.reason}) if self.reason else (self.form_class, {})
        )
        form = form_class(
            data,
            referral=referral,
            prefix=self.slug,
            date_label=self.date_label,
            submit_label=self.title,
            initial={"version": referral.version},
            **extra,
        )
        form.helper.form_action = reverse("referrals:move", args=[referral.pk, self.slug])
        form.helper.inputs[0].id = f"{self.slug}-submit"
        return form

    def record(self, *, actor, referral: Referral, arguments: dict) -> None:
        if self.service is None:
            services.referral_move(actor=actor, referral=referral, kind=self.kind, **arguments)
        else:
            self.service(actor=actor, referral=referral, **arguments)


MOVES = {
    move.slug: move
    for move in (
        Move("accept", EventKind.ACCEPTED, "Accept", "Date accepted", forms.AcceptForm, services.referral_accept),
        Move("decline", EventKind.NOT_ACCEPTED, "Do not accept", "Date", reason=ReasonVocabulary.DECLINE),
        Move("start-assessment", EventKind.ASSESSMENT_STARTED, "Start assessment", "Date assessment started"),
        Move(
            "start-intervention",
            EventKind.INTERVENTION_STARTED,
            "Start intervention",
            "Date intervention started",
            forms.InterventionStartForm,
            services.intervention_start,
        ),
        Move(
            "complete",
            EventKind.COMPLETED,
            "Complete and discharge",
            "Date of discharge",
            service=services.referral_complete,
        ),
        Move(
            "disengage",
            EventKind.DISENGAGED,
            "Record disengagement",
            "Date the family disengaged",
            reason=ReasonVocabulary.DISENGAGEMENT,
        ),
        Move("hold", EventKind.ON_HOLD, "Put on hold", "Date put on hold", reason=ReasonVocabulary.HOLD),
        Move("resume", EventKind.RESUMED, "Resume", "Date resumed"),
        Move("reopen", EventKind.REOPENED, "Reopen", "Date reopened", forms.ReopenForm),
    )
}
MOVE_FOR_KIND = {move.kind: move for move in MOVES.values()}


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def referral_move(request, pk: int, move: str):
    if move not in MOVES:
        raise Http404("No such change.")
    chosen = MOVES[move]
    referral = scoped_referral(request, pk)
    if not has_team_perm(request.user, pipeline.TRANSITIONS[chosen.kind].permission, request.team):
        raise PermissionDenied
    here = reverse("referrals:move", args=[referral.pk, chosen.slug])
    if chosen.kind == EventKind.COMPLETED and (requirements := hooks.completion_requirements(referral)):
        # What completion needs first (the T2 questionnaires, for outcomes) is asked for on its own page.
        return redirect(f"{requirements[0].url}?next={here}")
    form = chosen.form(referral, request.POST if request.method == "POST" else None)
    if form.is_valid() and saved(
        form, lambda: chosen.record(actor=request.user, referral=referral, arguments=form.service_arguments())
    ):
        done = f"{referral.reference}: {chosen.kind.label.lower()}."
        if chosen.kind == EventKind.INTERVENTION_STARTED:
            done += " The T1 questionnaires are now due: record them under Outcome measures."
        messages.success(request, done)
        return redirect(referral)
    return form_page(request, form, title=chosen.title, referral=referral, back_url=referral.get_absolute_url())
