"""Pages of a family's records over their life, for the service manager: restricting processing and lifting it,
the records past the team's retention date and the review of each, and the team's retention periods.

A page of one referral is gated for casework and loads the referral in scope first, so that another team's record
is a 404 to everyone; only then is a practitioner of the team refused (403) what only the manager may do.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from nhsuk.forms import saved
from nhsuk.pagination import PageLink
from pairs.gates import team_permission_required
from pairs.periods import format_date
from pairs.rules import Perm, has_team_perm
from referrals.audit import access_record, audit_history, audit_rows
from referrals.forms.lifecycle import (
    RestrictionForm,
    RestrictionLiftForm,
    RetentionReviewForm,
    RetentionSettingsForm,
)
from referrals.selectors.lifecycle import records_past_retention, retention_of_referral
from referrals.services import lifecycle as services
from referrals.views.common import form_page, refuse_writes, scoped_referral


def managed_referral(request, pk: int):
    referral = scoped_referral(request, pk)
    if not has_team_perm(request.user, Perm.MANAGE_TEAM, request.team):
        raise PermissionDenied
    return referral


# Entries a page of the full audit history shows: a year of a case's views and changes is a few pages.
AUDIT_PAGE_ENTRIES = 100


@team_permission_required(Perm.WORK_WITH_CASES)
def audit_history_page(request, pk: int):
    """Every entry of the referral's audit history, newest first, a page at a time (the record page shows the
    latest). Reading it is itself an access of the record."""
    referral = managed_referral(request, pk)
    if refused := refuse_writes(request):
        return refused
    access_record(instance=referral, actor=request.user)
    page = Paginator(audit_history(referral), AUDIT_PAGE_ENTRIES).get_page(request.GET.get("page"))
    context = {
        "referral": referral,
        "page": page,
        "audit_rows": audit_rows(page.object_list),
        "newer": PageLink(f"?page={page.previous_page_number()}", "Newer entries") if page.has_previous() else None,
        "older": PageLink(f"?page={page.next_page_number()}", "Older entries") if page.has_next() else None,
    }
    return render(request, "referrals/audit_history.html", context)


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def restriction_place(request, pk: int):
    referral = managed_referral(request, pk)
    form = RestrictionForm(request.POST if request.method == "POST" else None)
    if form.is_valid() and saved(
        form, lambda: services.restriction_place(actor=request.user, referral=referral, **form.cleaned_data)
    ):
        messages.success(request, f"Processing of referral {referral.reference} is restricted.")
        return redirect(referral)
    return form_page(
        request,
        form,
        title="Restrict processing of these records",
        referral=referral,
        back_url=referral.get_absolute_url(),
        intro="The records stay stored and the team can still read them, with a notice that they are restricted. "
        "Nothing can be changed, moved, booked or entered until you lift the restriction, and the records are "
        "left out of every export except the family's subject access export. The team's figures still count them.",
    )


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def restriction_lift(request, pk: int):
    referral = managed_referral(request, pk)
    form = RestrictionLiftForm(request.POST if request.method == "POST" else None)
    if form.is_valid() and saved(
        form,
        lambda: services.restriction_lift(
            actor=request.user, referral=referral, reason=form.cleaned_data["lift_reason"]
        ),
    ):
        messages.success(request, f"The restriction of referral {referral.reference} is lifted.")
        return redirect(referral)
    return form_page(
        request, form, title="Lift the restriction", referral=referral, back_url=referral.get_absolute_url()
    )


@team_permission_required(Perm.MANAGE_TEAM)
def retention(request):
    rows = records_past_retention(user=request.user, team=request.team, today=timezone.localdate())
    return render(
        request,
        "referrals/retention.html",
        {
            "due": [row for row in rows if row.is_due],
            "reviewed": [row for row in rows if not row.is_due],
            "team": request.team,
        },
    )


@team_permission_required(Perm.WORK_WITH_CASES)
@require_http_methods(["GET", "POST"])
def retention_review(request, pk: int):
    referral = managed_referral(request, pk)
    form = RetentionReviewForm(request.POST if request.method == "POST" else None)
    if form.is_valid() and saved(
        form, lambda: services.retention_review_record(actor=request.user, referral=referral, **form.cleaned_data)
    ):
        messages.success(request, f"The decision on the records of referral {referral.reference} is recorded.")
        return redirect("referrals:retention")
    kept = retention_of_referral(referral)
    intro = (
        f"Its records were due to be kept until {format_date(kept.retained_until)}: {kept.why}. Nothing is "
        "deleted here: marking them for deletion asks an administrator to delete them."
        if kept
        else "This referral is open: its records are kept while it is."
    )
    return form_page(
        request,
        form,
        title="Review the records for retention",
        referral=referral,
        back_url=referral.get_absolute_url(),
        intro=intro,
    )


@team_permission_required(Perm.MANAGE_TEAM)
@require_http_methods(["GET", "POST"])
def retention_settings(request):
    team = request.team
    form = RetentionSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "years_after_birth": team.retention_years_after_birth,
            "years_after_closure": team.retention_years_after_closure,
        },
    )
    if form.is_valid() and saved(
        form, lambda: services.team_retention_update(actor=request.user, team=team, **form.cleaned_data)
    ):
        messages.success(request, "Retention periods saved.")
        return redirect("referrals:retention")
    return form_page(
        request,
        form,
        title="How long the team keeps records",
        back_url=reverse("referrals:retention"),
        intro="A family's records are kept until the later of the two dates, then listed for your review. They are "
        "never deleted automatically.",
    )
