"""Benchmark of the quarterly PDF of the demo service: how long one takes to render, figures to file.

Not a test: it prints figures. Run it from the repository root:

    .venv/bin/python bench/pdf_bench.py                      # loads the demo into a temporary database first
    .venv/bin/python bench/pdf_bench.py --use-database-url   # the demo already loaded in DATABASE_URL
    .venv/bin/python bench/pdf_bench.py --start 2023-12-01 --runs 9

It renders the report of the demo's quarter from March to May 2024 (or the quarter starting on --start) as a
commissioner downloads it, several times over, and prints each run's wall-clock and CPU time (the engine's figures,
the charts, the layout and the PDF), then their median and worst. The target is a median under 5 seconds on the
development machine. The first run also pays for loading WeasyPrint and matplotlib, as a worker's first report
does. On a machine busy with other work the wall clock includes the wait for a core, so the CPU time is printed
beside it.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET_SECONDS = 5
DEMO_QUARTER_START = datetime.date(2024, 3, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--use-database-url", action="store_true", help="the demo already loaded in DATABASE_URL")
    parser.add_argument(
        "--start",
        type=datetime.date.fromisoformat,
        default=DEMO_QUARTER_START,
        help="the first day of the quarter (default: the last quarter of the demo's published window, which has "
        "figures in every section)",
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    workdir = Path(tempfile.mkdtemp(prefix="pairs-pdf-bench-"))
    if not args.use_database_url:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from pairs.models import Team
    from pairs.periods import service_quarter_of
    from reports.pdf.documents.common import ReportKind
    from reports.pdf.files import report_file

    if not args.use_database_url:
        print("loading the demo service into a temporary database...", flush=True)
        call_command("migrate", verbosity=0)
        call_command("load_demo", stdout=StringIO())
    team = Team.objects.get(slug="blackpool")
    today = timezone.localdate()
    quarter = service_quarter_of(args.start, team.year_start_month)
    print(f"database: {django.db.connection.vendor}; quarter: {quarter.label}")

    walls, cpus = [], []
    for run in range(1, args.runs + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        file = report_file(kind=ReportKind.QUARTERLY, teams=[team], period=quarter, commissioner=True, today=today)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        print(f"run {run}: {walls[-1]:.2f} s wall clock, {cpus[-1]:.2f} s CPU, {len(file.content):,} bytes")
    (workdir / file.filename).write_bytes(file.content)
    print(f"median of {args.runs}: {statistics.median(walls):.2f} s wall clock, {statistics.median(cpus):.2f} s CPU")
    print(f"worst of {args.runs}:  {max(walls):.2f} s wall clock, {max(cpus):.2f} s CPU")
    wall_verdict, cpu_verdict = (
        "under" if statistics.median(times) < TARGET_SECONDS else "OVER" for times in (walls, cpus)
    )
    print(
        f"the median is {wall_verdict} the {TARGET_SECONDS} s target on the wall clock and {cpu_verdict} it in CPU "
        f"time; the PDF is in {workdir / file.filename}"
    )
    load, cores = os.getloadavg()[0], os.cpu_count() or 1
    if load > cores:
        print(
            f"the load average is {load:.1f} on {cores} cores: the wall clock includes the wait for a core, the CPU "
            "time is what the render itself takes"
        )


if __name__ == "__main__":
    main()
