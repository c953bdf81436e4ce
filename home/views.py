"""The pages that compose the apps below them: each role's landing page in the team being worked in, the caseload,
the waiting list and the search for a family."""

from dataclasses import dataclass

from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from home.filters import CaseloadFilter
from home.tables import MY_LIST_LEAVES_OUT, CaseloadTable, SearchResultsTable, WaitingListTable
from pairs.audit import page_access_record, search_record
from pairs.forms import PeriodForm
from pairs.gates import team_permission_required
from pairs.models import Role
from pairs.rules import Perm
from referrals import selectors
from referrals.selectors.clocks import with_current_stage
from referrals.selectors.search import MIN_QUERY_LENGTH, SearchTerms
from reports.selectors import kpi_figures, kpi_table

PER_PAGE = 25
# The header's menu marks these pages as the Referrals section, with the casework pages they sit beside.
CASEWORK_SECTION = "referrals"


@dataclass(frozen=True)
class CaseCount:
    """A row of the service manager's "cases today": how many, and the list that shows them."""

    label: str
    count: int
    url: str
    # What "View" opens, for screen readers.
    shows: str


@require_GET
def index(request):
    """Each role's own landing page in the team being worked in: the practitioner's caseload, the service
    manager's dashboard (today's cases and this quarter's KPIs), the commissioner's quarterly figures."""
    membership = request.membership
    if membership is None:
        return render(request, "home/no_team.html")
    context = {}
    if membership.role in (Role.MANAGER, Role.COMMISSIONER):
        period = PeriodForm.for_team(None, team=request.team).chosen
        figures = kpi_figures(user=request.user, team=request.team, period=period, headline=True)
        context.update(period=period, figures=figures, kpis=kpi_table(figures))
    if membership.role == Role.MANAGER:
        context["cases"] = _case_counts(request)
    if membership.role == Role.PRACTITIONER:
        context["table"] = _my_open_cases(request)
    return render(request, f"home/{membership.role}.html", context)


def _case_counts(request) -> list[CaseCount]:
    counts = selectors.team_caseload_counts(user=request.user, team=request.team)
    caseload, waiting_list = reverse("home:caseload"), reverse("home:waiting_list")
    return [
        CaseCount(
            "Awaiting a decision",
            counts["awaiting_decision"],
            f"{caseload}?cases=team&status=awaiting_decision",
            "the referrals awaiting a decision",
        ),
        CaseCount(
            "Accepted, waiting for assessment", counts["waiting_for_assessment"], waiting_list, "the waiting list"
        ),
        CaseCount(
            "In assessment", counts["in_assessment"], waiting_list, "the families in assessment on the waiting list"
        ),
        CaseCount(
            "In intervention",
            counts["in_intervention"],
            f"{caseload}?cases=team&status=in_progress",
            "the referrals in progress",
        ),
        CaseCount("On hold", counts["on_hold"], f"{caseload}?cases=team&status=on_hold", "the referrals on hold"),
    ]


def _caseload(request):
    """The team's referrals as every list shows them, with the stage each open one is in and since when, so that
    a long hold stands out."""
    return with_current_stage(selectors.referral_list(user=request.user, team=request.team), timezone.localdate())


def _my_open_cases(request) -> CaseloadTable:
    """The signed-in practitioner's open cases: the caseload's default filters."""
    filters = CaseloadFilter(
        QueryDict(),
        queryset=_caseload(request),
        clinicians=selectors.clinicians(request.team),
        request=request,
    )
    table = CaseloadTable(filters.qs, prefix="my-", exclude=MY_LIST_LEAVES_OUT)
    table.caption = "My open cases"
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    page_access_record(request, subject=request.team, shown=(row.record for row in table.paginated_rows))
    return table


@team_permission_required(Perm.WORK_WITH_CASES)
@require_GET
def caseload(request):
    filters = CaseloadFilter(
        request.GET,
        queryset=_caseload(request),
        clinicians=selectors.clinicians(request.team),
        request=request,
    )
    table = CaseloadTable(filters.qs, exclude=MY_LIST_LEAVES_OUT if filters.mine else ())
    table.caption = "My cases" if filters.mine else "The team's cases"
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    page_access_record(request, subject=request.team, shown=(row.record for row in table.paginated_rows))
    context = {"filter": filters, "table": table, "nav_section": CASEWORK_SECTION}
    return render(request, "home/caseload.html", context)


@team_permission_required(Perm.WORK_WITH_CASES)
@require_GET
def waiting_list(request):
    table = WaitingListTable(selectors.waiting_list(user=request.user, team=request.team))
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    page_access_record(request, subject=request.team, shown=(row.record for row in table.paginated_rows))
    return render(request, "home/waiting_list.html", {"table": table, "nav_section": CASEWORK_SECTION})


@team_permission_required(Perm.WORK_WITH_CASES)
@require_GET
def search(request):
    """The families of the team that the header's search box finds, a page at a time. Every search is an audited
    access: what was searched for and which referrals the page showed."""
    text = SearchTerms.read(request.GET.get("q", "")).text
    context = {"search_text": text, "min_length": MIN_QUERY_LENGTH, "nav_section": CASEWORK_SECTION}
    if text:
        table = SearchResultsTable(selectors.referral_search(user=request.user, team=request.team, text=text))
        RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
        shown = [row.record for row in table.page.object_list]
        search_record(actor=request.user, team=request.team, text=text, shown=shown)
        context["table"] = table
    return render(request, "home/search.html", context)
