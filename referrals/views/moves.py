"""Pipeline moves from the record page: one form and one service per move."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from outcomes.selectors import t2_due
from pairs.forms import saved
from referrals import forms, pipeline, services
from referrals.pipeline import EventKind
from referrals.views.common import casework, form_page, scoped_referral


@dataclass(frozen=True)
class Move:
    slug: str
    kind: EventKind
    form_class: type
    service: object
    title: str
    date_label: str


MOVES = {
    move.slug: move
    for move in (
        Move("accept", EventKind.ACCEPTED, forms.AcceptForm, services.referral_accept, "Accept", "Date accepted"),
        Move("decline", EventKind.NOT_ACCEPTED, forms.DeclineForm, services.referral_decline, "Do not accept", "Date"),
        Move(
            "start-assessment",
            EventKind.ASSESSMENT_STARTED,
            forms.MoveForm,
            services.assessment_start,
            "Start assessment",
            "Date assessment started",
        ),
        Move(
            "start-intervention",
            EventKind.INTERVENTION_STARTED,
            forms.InterventionStartForm,
            services.intervention_start,
            "Start intervention",
            "Date intervention started",
        ),
        Move(
            "complete",
            EventKind.COMPLETED,
            forms.MoveForm,
            services.referral_complete,
            "Complete and discharge",
            "Date of discharge",
        ),
        Move(
            "disengage",
            EventKind.DISENGAGED,
            forms.DisengageForm,
            services.referral_disengage,
            "Record disengagement",
            "Date the family disengaged",
        ),
        Move("hold", EventKind.ON_HOLD, forms.HoldForm, services.referral_hold, "Put on hold", "Date put on hold"),
        Move("resume", EventKind.RESUMED, forms.MoveForm, services.referral_resume, "Resume", "Date resumed"),
        Move("reopen", EventKind.REOPENED, forms.ReopenForm, services.referral_reopen, "Reopen", "Date reopened"),
    )
}
MOVE_FOR_KIND = {move.kind: move for move in MOVES.values()}


def _move_form(move: Move, referral, data=None):
    form = move.form_class(
        data,
        prefix=move.slug,
        date_label=move.date_label,
        submit_label=move.title,
        initial={"version": referral.version},
    )
    form.helper.form_action = reverse("referrals:move", args=[referral.pk, move.slug])
    form.helper.inputs[0].id = f"{move.slug}-submit"
    return form


@casework
@require_http_methods(["GET", "POST"])
def referral_move(request, pk: int, move: str):
    if move not in MOVES:
        raise Http404("No such change.")
    move = MOVES[move]
    referral = scoped_referral(request, pk)
    if not request.user.has_perm(pipeline.TRANSITIONS[move.kind].permission, request.team):
        raise PermissionDenied
    if move.kind == EventKind.COMPLETED and t2_due(referral):
        # Completing without the T2 questionnaires asks for them, or for why they were not completed (outcomes).
        follow_up = reverse("outcomes:follow_up", args=[referral.pk])
        return redirect(f"{follow_up}?next={reverse('referrals:move', args=[referral.pk, move.slug])}")
    form = _move_form(move, referral, request.POST if request.method == "POST" else None)
    if form.is_valid() and saved(
        form, lambda: move.service(referral=referral, actor=request.user, **form.service_arguments())
    ):
        done = f"{referral.reference}: {move.kind.label.lower()}."
        if move.kind == EventKind.INTERVENTION_STARTED:
            done += " The T1 questionnaires are now due: record them under Outcome measures."
        messages.success(request, done)
        return redirect(referral)
    return form_page(
        request,
        form,
        title=move.title,
        referral=referral,
        back_url=referral.get_absolute_url(),
    )
