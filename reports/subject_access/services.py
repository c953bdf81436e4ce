"""Producing a subject access export: the permission, the access entry, the file.

The JSON is served at once (a fifth of a second for the demo's largest family); the PDF runs as a background job
(`jobs.services.file_job_enqueue`), since WeasyPrint takes ten seconds or more to lay out that family's twelve pages.
"""

import datetime
import json
from enum import StrEnum

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone

from jobs.models import BackgroundJob
from jobs.runner import GeneratedFile
from jobs.services import file_job_enqueue
from pairs.audit import acting
from pairs.periods import format_date
from pairs.rules import Perm, require
from referrals.models import Caregiver
from reports.pdf.render import html_pdf_bytes
from reports.subject_access.data import subject_access_data

REFUSAL = "Only the service manager of the caregiver's team can produce a subject access export."


class ExportFormat(StrEnum):
    JSON = "json"
    PDF = "pdf"


CONTENT_TYPES = {ExportFormat.JSON: "application/json", ExportFormat.PDF: "application/pdf"}


def subject_access_export(*, actor, caregiver: Caregiver, file_format: str) -> GeneratedFile:
    """The export of everything held about the caregiver, as `file_format` (json or pdf), with an access entry
    naming who produced it and in which format. Refused to anyone but the team's service manager."""
    require(actor, Perm.MANAGE_TEAM, caregiver.referral.team, REFUSAL)
    if file_format not in ExportFormat.__members__.values():
        raise ValidationError("Choose JSON or PDF.", code="invalid")
    now = timezone.now()
    data = subject_access_data(caregiver=caregiver, generated_by=actor, now=now)
    with acting(actor):
        LogEntry.objects.log_create(
            caregiver,
            force_log=True,
            action=LogEntry.Action.ACCESS,
            actor=actor,
            actor_email=getattr(actor, "email", None),
            additional_data={
                "referral_id": caregiver.referral_id,
                "download": f"subject access export ({file_format})",
                "referrals": [referral["reference"] for referral in data["referrals"]],
            },
        )
    stem = f"pairs-subject-access-{caregiver.referral.team.slug}-{caregiver.referral.reference}-{caregiver.position}"
    stem = f"{stem}-{timezone.localdate(now):%Y-%m-%d}"
    if file_format == ExportFormat.JSON:
        content = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()
    else:
        content = html_pdf_bytes(subject_access_html(data, generated_on=timezone.localdate(now)))
    return GeneratedFile(f"{stem}.{file_format}", CONTENT_TYPES[ExportFormat(file_format)], content)


def subject_access_html(data: dict, *, generated_on: datetime.date) -> str:
    """The export as the PDF prints it: the same dictionary as the JSON, laid out."""
    subject = data["subject"]
    return render_to_string(
        "reports/subject_access/document.html",
        {
            "data": data,
            "person": subject["name"] or f"Caregiver {data['referrals'][0]['caregiver']['position']}",
            "generated_words": f"Generated on {format_date(generated_on)} by {data['generated_by']}",
        },
    )


def subject_access_pdf_request(*, actor, caregiver: Caregiver) -> BackgroundJob:
    """Queue the PDF export for a worker; its job's page offers the file when it is made."""
    require(actor, Perm.MANAGE_TEAM, caregiver.referral.team, REFUSAL)
    return file_job_enqueue(
        actor=actor,
        team=caregiver.referral.team,
        permission=Perm.MANAGE_TEAM,
        kind="subject_access_pdf",
        title=f"Subject access export of {caregiver} (PDF)",
        callable_path="reports.subject_access.services.subject_access_pdf_make",
        kwargs={"caregiver_id": caregiver.pk},
    )


def subject_access_pdf_make(*, actor, caregiver_id: int) -> GeneratedFile:
    """The job's work: the PDF export, checked again for the person as they are when the worker runs it."""
    caregiver = Caregiver.objects.visible_to(actor).select_related("referral__team").filter(pk=caregiver_id).first()
    if caregiver is None:
        raise ValidationError(REFUSAL, code="permission")
    return subject_access_export(actor=actor, caregiver=caregiver, file_format=ExportFormat.PDF)
