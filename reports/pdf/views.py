"""The PDFs' pages: a download for each kind of report (each download audited), and the quarterly report's page,
where the service manager writes the commentary and marks the report final."""

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from nhsuk.forms import saved
from pairs.gates import team_permission_required
from pairs.models import Team
from pairs.periods import Period, service_quarter_of
from pairs.rules import Perm, has_team_perm
from reports.disclosure import disclosure_rule
from reports.pdf.audit import report_download_record
from reports.pdf.background import report_pdf_enqueue
from reports.pdf.documents.common import ReportKind
from reports.pdf.files import issued_report_file
from reports.pdf.forms import QuarterlyCommentaryForm, QuarterlyFinaliseForm
from reports.pdf.pages import last_ended_quarter, quarterly_page_href, quarterly_report_page
from reports.pdf.services import quarterly_commentary_save, quarterly_report_finalise
from reports.presenters.period import requested_period


@require_GET
@team_permission_required(Perm.VIEW_REPORTS)
def report_pdf(request, kind: str):
    """The report of `kind` for the team and the period of the query (`?start=...&end=...`), as the person may see
    it: the quarterly report and the annual statement always under the team's rule, the evaluation report exact for
    the service. A final quarterly report is the file as issued, served at once; any other is made by a worker, and
    the page goes to its job's page, which offers the file when it is ready."""
    try:
        report_kind = ReportKind(kind)
    except ValueError:
        raise Http404 from None
    team, today = request.team, timezone.localdate()
    choice = requested_period(request.GET, team=team, today=today)
    if choice.redirect_query:
        return redirect(f"{request.path}?{choice.redirect_query}")
    if choice.problem:
        raise Http404(choice.problem)
    issued = issued_report_file(kind=report_kind, teams=[team], period=choice.period)
    if issued is None:
        try:
            job = report_pdf_enqueue(actor=request.user, team=team, kind=report_kind, period=choice.period, today=today)
        except ValueError as problem:
            raise Http404(str(problem)) from None
        return redirect(job)
    report_download_record(
        actor=request.user,
        team=team,
        report=f"{report_kind.title} PDF",
        period=choice.period,
        figures=disclosure_rule([team]).name,
    )
    response = HttpResponse(issued.content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=issued.filename)
    return response


def _iso_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _requested_quarter(request, team: Team, today: datetime.date) -> Period:
    """The service quarter starting on the query's `start`; by default the last one that has ended."""
    if "start" not in request.GET:
        return last_ended_quarter(team, today)
    start = _iso_date(request.GET["start"])
    quarter = service_quarter_of(start, team.year_start_month) if start else None
    if quarter is None or quarter.start != start:
        raise Http404("Not one of the team's service quarters.")
    return quarter


def _quarterly_page(request, quarter: Period, *, commentary_form=None, finalise_form=None):
    page = quarterly_report_page(
        team=request.team,
        quarter=quarter,
        today=timezone.localdate(),
        can_manage=has_team_perm(request.user, Perm.MANAGE_TEAM, request.team),
    )
    initial = {"version": page.version}
    commentary_form = commentary_form or QuarterlyCommentaryForm(initial={**initial, "text": page.commentary})
    finalise_form = finalise_form or QuarterlyFinaliseForm(initial=initial)
    commentary_form.helper.form_action = f"{reverse('reports:quarterly_commentary')}?{page.query}"
    finalise_form.helper.form_action = f"{reverse('reports:quarterly_finalise')}?{page.query}"
    context = {"page": page, "commentary_form": commentary_form, "finalise_form": finalise_form}
    return render(request, "reports/quarterly_report.html", context)


@require_GET
@team_permission_required(Perm.VIEW_REPORTS)
def quarterly_report(request):
    """A quarter's report to the commissioner: its standing and download, its commentary (written here by the
    service manager until the report is final), and the last eight quarters."""
    team = request.team
    return _quarterly_page(request, _requested_quarter(request, team, timezone.localdate()))


@require_POST
@team_permission_required(Perm.MANAGE_TEAM)
def quarterly_commentary(request):
    team = request.team
    quarter = _requested_quarter(request, team, timezone.localdate())
    form = QuarterlyCommentaryForm(request.POST)
    if form.is_valid() and saved(
        form,
        lambda: quarterly_commentary_save(
            actor=request.user,
            team=team,
            quarter_start=quarter.start,
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["version"],
        ),
    ):
        messages.success(request, f"The commentary for {quarter.label} is saved.")
        return redirect(quarterly_page_href(quarter))
    return _quarterly_page(request, quarter, commentary_form=form)


@require_POST
@team_permission_required(Perm.MANAGE_TEAM)
def quarterly_finalise(request):
    team = request.team
    quarter = _requested_quarter(request, team, timezone.localdate())
    form = QuarterlyFinaliseForm(request.POST)
    if form.is_valid() and saved(
        form,
        lambda: quarterly_report_finalise(
            actor=request.user,
            team=team,
            quarter_start=quarter.start,
            expected_version=form.cleaned_data["version"],
        ),
    ):
        messages.success(request, f"The report for {quarter.label} is final: it is kept as issued.")
        return redirect(quarterly_page_href(quarter))
    return _quarterly_page(request, quarter, finalise_form=form)
