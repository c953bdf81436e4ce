"""The caseload and the waiting list."""

from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from pairs.gates import team_permission_required
from pairs.rules import Perm
from referrals import selectors
from referrals.filters import CaseloadFilter
from referrals.tables import MY_LIST_LEAVES_OUT, CaseloadTable, WaitingListTable
from referrals.views.common import PER_PAGE


@team_permission_required(Perm.WORK_WITH_CASES)
@require_GET
def caseload(request):
    filters = CaseloadFilter(
        request.GET,
        queryset=selectors.referral_list(user=request.user, team=request.team),
        clinicians=selectors.clinicians(request.team),
        request=request,
    )
    table = CaseloadTable(filters.qs, exclude=MY_LIST_LEAVES_OUT if filters.mine else ())
    table.caption = "My cases" if filters.mine else "The team's cases"
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "referrals/caseload.html", {"filter": filters, "table": table})


@team_permission_required(Perm.WORK_WITH_CASES)
@require_GET
def waiting_list(request):
    table = WaitingListTable(selectors.waiting_list(user=request.user, team=request.team))
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "referrals/waiting_list.html", {"table": table})
