"""What the casework views share: the gate, the form page, loading a referral in scope."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import render

from referrals import pipeline, selectors
from referrals.audit import access_record

PER_PAGE = 25


def casework(view):
    """Only practitioners and service managers of the team being worked in reach casework pages."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.team is None or not request.user.has_perm(pipeline.WORK_WITH_CASES, request.team):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def form_page(request, form, *, title: str, referral=None, back_url: str, intro: str = "", status: int = 200):
    return render(
        request,
        "referrals/form_page.html",
        {"form": form, "title": title, "referral": referral, "back_url": back_url, "intro": intro},
        status=status,
    )


def scoped_referral(request, pk: int):
    referral = selectors.referral_in_scope(user=request.user, team=request.team, pk=pk)
    if request.method == "GET":
        access_record(instance=referral, actor=request.user)
    return referral


def refuse_writes(request) -> HttpResponseNotAllowed | None:
    """Pages that only show: checked after the scope, so that another team's record is a 404 whatever the method."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return None
