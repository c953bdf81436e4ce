"""Adding and ending a referral's intervention episodes."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from nhsuk.forms import saved
from pairs.gates import team_permission_required
from pairs.rules import Perm
from referrals import forms, services
from referrals.models import InterventionEpisode
from referrals.views.common import form_page, scoped_referral


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def episode_create(request, pk: int):
    referral = scoped_referral(request, pk)
    form = forms.InterventionEpisodeForm(
        request.POST if request.method == "POST" else None,
        referral=referral,
        initial={"started_on": timezone.localdate()},
    )
    if form.is_valid() and saved(
        form,
        lambda: services.intervention_episode_create(referral=referral, actor=request.user, **form.cleaned_data),
    ):
        messages.success(request, f"Intervention added to {referral.reference}.")
        return redirect(referral)
    return form_page(
        request, form, title="Add an intervention", referral=referral, back_url=referral.get_absolute_url()
    )


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def episode_edit(request, pk: int, episode_pk: int):
    referral = scoped_referral(request, pk)
    episode = get_object_or_404(
        InterventionEpisode.objects.select_related("intervention"), referral=referral, pk=episode_pk
    )
    form = forms.InterventionEpisodeEndForm(
        request.POST if request.method == "POST" else None,
        initial={
            "version": episode.version,
            "ended_on": episode.ended_on,
            "sessions_attended": episode.sessions_attended,
        },
    )
    if form.is_valid():
        arguments = dict(form.cleaned_data, expected_version=form.cleaned_data["version"])
        del arguments["version"]
        if saved(form, lambda: services.intervention_episode_update(episode=episode, actor=request.user, **arguments)):
            messages.success(request, f"{episode.intervention} saved.")
            return redirect(referral)
    return form_page(
        request,
        form,
        title=str(episode.intervention),
        referral=referral,
        back_url=referral.get_absolute_url(),
        intro=f"Started on {episode.started_on:%-d %B %Y}.",
    )
