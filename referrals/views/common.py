"""What the casework views share: the form page, loading a referral in scope, refusing writes to a page that only
shows."""

from django.http import HttpResponseNotAllowed
from django.shortcuts import render

from referrals import selectors
from referrals.audit import access_record

PER_PAGE = 25


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
