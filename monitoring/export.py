"""`monitoring_export()`: a team's records written in the import's own format (data-contract.md section 1,
"Export in the same format"): the team's way out of the system, and a way to move a team between installations.

A folder of the nine CSV files (created when missing), or one .xlsx workbook whose sheets carry the same names
without `.csv`. Text that a spreadsheet would run as a formula is written as text (`pairs.spreadsheets`), in
both. Each export is audited against the team: who, when, which period, how many rows.
"""

import csv
import datetime
import tempfile
import uuid
import zipfile
from io import BytesIO
from pathlib import Path

from auditlog.models import LogEntry
from openpyxl import Workbook

from jobs.models import BackgroundJob
from jobs.runner import GeneratedFile
from jobs.services import file_job_enqueue
from monitoring.export_rows import ROWS
from monitoring.schema import FILES
from pairs.audit import acting
from pairs.models import Team
from pairs.periods import Period
from pairs.rules import Perm, require
from pairs.spreadsheets import XLSX_CONTENT_TYPE, neutralise_formula


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise_formula(str(value))


def _workbook_cell(value):
    """Dates as the workbook's own date cells, numbers as numbers, text as text a spreadsheet will not run."""
    if value is None or value == "":
        return None
    return neutralise_formula(value) if isinstance(value, str) else value


def _write_folder(folder: Path, team: Team, period: Period | None) -> dict[str, int]:
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for spec in FILES:
        with (folder / spec.name).open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(spec.columns)
            counts[spec.name] = 0
            for row in ROWS[spec.name](team, period):
                writer.writerow([_csv_cell(row.get(column)) for column in spec.columns])
                counts[spec.name] += 1
    return counts


def _write_workbook(path: Path, team: Team, period: Period | None) -> dict[str, int]:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    counts = {}
    for spec in FILES:
        sheet = workbook.create_sheet(spec.name.removesuffix(".csv"))
        sheet.append(list(spec.columns))
        counts[spec.name] = 0
        for row in ROWS[spec.name](team, period):
            sheet.append([_workbook_cell(row.get(column)) for column in spec.columns])
            counts[spec.name] += 1
    workbook.save(path)
    return counts


def monitoring_export(*, team: Team, actor, path: Path, period: Period | None = None) -> dict[str, int]:
    """Write the team's records (those of `period`, when given) at `path`; the rows written to each file."""
    require(actor, Perm.MANAGE_TEAM, team, "Only a service manager can export the team's monitoring data.")
    path = Path(path)
    workbook = path.suffix.lower() == ".xlsx"
    counts = (_write_workbook if workbook else _write_folder)(path, team, period)
    with acting(actor, correlation_id=f"export-{uuid.uuid4()}"):
        LogEntry.objects.log_create(
            team,
            force_log=True,
            action=LogEntry.Action.ACCESS,
            actor=actor,
            additional_data={
                "monitoring_export": {
                    "format": "xlsx" if workbook else "csv",
                    "start": period.start.isoformat() if period else None,
                    "end": period.end.isoformat() if period else None,
                    "rows": counts,
                }
            },
        )
    return counts


def monitoring_export_download(*, team: Team, actor, workbook: bool, period: Period | None = None) -> bytes:
    """The export as one file for a browser to save: the .xlsx workbook, or a zip of the CSV files (each audited
    as an export, `monitoring_export`)."""
    with tempfile.TemporaryDirectory(prefix="pairs-export-") as scratch:
        path = Path(scratch) / ("export.xlsx" if workbook else "export")
        monitoring_export(team=team, actor=actor, path=path, period=period)
        if workbook:
            return path.read_bytes()
        archive = BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for spec in FILES:
                zipped.write(path / spec.name, spec.name)
        return archive.getvalue()


def _format_name(workbook: bool) -> str:
    return "Excel workbook" if workbook else "zip of CSV files"


def monitoring_export_enqueue(*, team: Team, actor, workbook: bool, period: Period | None = None) -> BackgroundJob:
    """Queue the download of the team's records for a worker to write (thousands of rows take longer than a person
    should wait on a request); return its job, whose page offers the file to the person who asked. For the team's
    service manager only: checked here, again when the worker writes it, and when the file is downloaded."""
    return file_job_enqueue(
        actor=actor,
        team=team,
        permission=Perm.MANAGE_TEAM,
        kind="monitoring.export",
        title=f"Monitoring data, {period.description if period else 'every record'} ({_format_name(workbook)})",
        callable_path=f"{__name__}.{monitoring_export_file.__name__}",
        kwargs={
            "team_id": team.pk,
            "workbook": workbook,
            "start": period.start.isoformat() if period else None,
            "end": period.end.isoformat() if period else None,
        },
    )


def monitoring_export_file(*, actor, team_id: int, workbook: bool, start: str | None, end: str | None) -> GeneratedFile:
    """The file `monitoring_export_enqueue` asked for (ISO dates: the job's arguments are JSON), written by a worker."""
    team = Team.objects.get(pk=team_id)
    period = Period(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)) if start and end else None
    content = monitoring_export_download(team=team, actor=actor, workbook=workbook, period=period)
    which = f"-{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}" if period else ""
    return GeneratedFile(
        name=f"pairs-monitoring-{team.slug}{which}.{'xlsx' if workbook else 'zip'}",
        content_type=XLSX_CONTENT_TYPE if workbook else "application/zip",
        content=content,
        download_record={
            "download": f"Monitoring data, {_format_name(workbook)}",
            "start": period.start.isoformat() if period else None,
            "end": period.end.isoformat() if period else None,
        },
    )
