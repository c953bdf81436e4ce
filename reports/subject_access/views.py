"""The subject access export's pages: for the team's service manager only. Gated for casework and loaded in scope
first, so that another team's caregiver is a 404 to everyone; then a practitioner of the team is refused (403)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_POST

from pairs.gates import team_permission_required
from pairs.rules import Perm, has_team_perm
from referrals.models import Caregiver
from reports.subject_access.services import ExportFormat, subject_access_export, subject_access_pdf_request


def _caregiver_in_scope(request, caregiver_pk: int) -> Caregiver:
    caregiver = get_object_or_404(
        Caregiver.objects.visible_to(request.user, request.team).select_related("referral__team"), pk=caregiver_pk
    )
    if not has_team_perm(request.user, Perm.MANAGE_TEAM, request.team):
        raise PermissionDenied
    return caregiver


@require_GET
@team_permission_required(Perm.WORK_WITH_CASES)
def subject_access_json(request, caregiver_pk: int):
    caregiver = _caregiver_in_scope(request, caregiver_pk)
    exported = subject_access_export(actor=request.user, caregiver=caregiver, file_format=ExportFormat.JSON)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.name}"'
    return response


@require_POST
@team_permission_required(Perm.WORK_WITH_CASES)
def subject_access_pdf(request, caregiver_pk: int):
    caregiver = _caregiver_in_scope(request, caregiver_pk)
    job = subject_access_pdf_request(actor=request.user, caregiver=caregiver)
    messages.success(request, "The subject access export is being made as a PDF: this page offers it when it is ready.")
    return redirect(job)
