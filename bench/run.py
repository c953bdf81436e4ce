"""The benchmark at regional scale: the KPI engine, the pages and the PDF against the database's own floor.

    DATABASE_URL=postgres://... .venv/bin/python bench/run.py --runs 15 --label 10x5

on a data set of `bench/generate.py`. Each measurement is repeated warm (one run first, not counted) and reported as
its median and 95th percentile, in milliseconds, beside the issue's budget. The floor is every figure of the KPI
dictionary from hand-written SQL run straight through psycopg (`bench.floor`, checked against the engine's report
before it is timed); the ratio is the whole dictionary's time over the floor's. Beneath it, the engine's own
statements replayed through psycopg without the ORM, over the same floor, and four blocks from the engine alone
over their own floor queries. The table is printed and written as JSON to
bench/results/<date>-<label>.json.
"""

import argparse
import json
import os
import statistics
import sys
import time
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Measured as production runs, whatever a development .env says: DEBUG off (no query log, the manifest's static
# files). The development .env's secret key still signs the sessions.
os.environ["DJANGO_DEBUG"] = "false"

import logging

import django

django.setup()
logging.disable(logging.INFO)  # the sign-ins' log lines

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from bench.floor import BLOCKS, check_floor, floor_rows  # noqa: E402
from demo.accounts import DEMO_ACCOUNTS  # noqa: E402
from pairs.models import Membership, Team  # noqa: E402
from pairs.periods import Period, service_year_of  # noqa: E402
from pairs.rules import two_factor_required  # noqa: E402
from referrals.models import Caregiver, Infant, Pathway, Referral  # noqa: E402
from referrals.pipeline import Status  # noqa: E402
from reports.charts.bars import bar_chart  # noqa: E402
from reports.charts.trend import trend_chart  # noqa: E402
from reports.kpis import kpi_headline, kpi_report  # noqa: E402
from reports.kpis.clocks import clock_figures, waiting_at_end  # noqa: E402
from reports.kpis.cohort import cohort_of  # noqa: E402
from reports.kpis.outcome_figures import outcome_figures  # noqa: E402
from reports.kpis.referral_figures import StatusCounts  # noqa: E402
from reports.pdf.documents.common import ReportKind  # noqa: E402
from reports.pdf.files import report_file  # noqa: E402
from reports.pdf.pages import last_ended_quarter  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
# The budgets (p95, milliseconds; ratio to the floor), where it sets one.
BUDGETS = {
    "kpi team-quarter": (100, 1.5),
    "kpi team-year": (None, 1.5),
    "kpi all teams, year": (1000, 1.5),
    "dashboard, manager (home)": (300, None),
    "dashboard, manager (reports)": (300, None),
    "caseload, busiest practitioner": (150, None),
    "record, longest history": (150, None),
}
TEMPLATE_TEAM = "blackpool"


def engine_blocks(teams: list[Team], period: Period) -> dict:
    """Four of the floor's blocks from the KPI engine, each alone, by the functions the dictionary calls for them:
    the ratio like for like. The outcomes block is given the completed referrals, which the dictionary takes from
    the engagement counts (the floor's pairs count them)."""
    cohort = cohort_of(teams, period)
    completed = StatusCounts.of(cohort, teams, period)(list(Pathway.values), [Status.COMPLETED])
    return {
        "engagement": lambda: StatusCounts.of(cohort, teams, period),
        "clocks": lambda: clock_figures(teams, period, cohort),
        "waiting": lambda: waiting_at_end(teams, period),
        "pairs": lambda: outcome_figures(period, cohort, completed),
    }


def engine_statements(report) -> list[tuple[str, tuple]]:
    """The SQL and parameters of every query one run of `report` sends, in order: the engine's own statements,
    which `replayed` runs again without the ORM."""
    statements: list[tuple[str, tuple]] = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        report()
    return statements


def replayed(conn: psycopg.Connection, statements: list[tuple[str, tuple]]):
    """Run the statements straight through psycopg, as the floor runs its own, binding on the client as Django
    does: what the engine's queries cost the database and the wire alone, with no queryset built or compiled and
    no figure made of the rows."""
    cursor = psycopg.ClientCursor(conn)

    def run() -> None:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()

    return run


def timed(action, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and this process's CPU milliseconds of each warm run (the CPU leaves out the database's work and
    the waits for a core, which a busy machine lengthens)."""
    action()  # warm: caches, connections, imports
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return times, cpu


def summary(name: str, measured: tuple[list[float], list[float]], floor: list[float] | None = None) -> dict:
    times, cpu = measured
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    median = statistics.median(times)
    row: dict = {"what": name, "runs": len(times), "median_ms": median, "p95_ms": p95}
    row["python_cpu_median_ms"] = statistics.median(cpu)
    ratio = None
    if floor:
        row["floor_median_ms"] = statistics.median(floor)
        row["ratio"] = ratio = median / row["floor_median_ms"]
    budget_ms, budget_ratio = BUDGETS.get(name, (None, None))
    row["budget_p95_ms"], row["budget_ratio"] = budget_ms, budget_ratio
    met = [p95 < budget_ms] if budget_ms else []
    met += [ratio <= budget_ratio] if budget_ratio and ratio is not None else []
    row["within_budget"] = all(met) if met else None
    return row


def page(client: Client, url: str):
    def get():
        response = client.get(url, secure=True)
        assert response.status_code == 200, (url, response.status_code)

    return get


def signed_in(user) -> Client:
    """A client signed in as `user`, past the second step for those who need one (as tests/conftest.py's
    SignedInClient): the pages are measured as the person meets them once signed in."""
    client = Client()
    client.force_login(user)
    if two_factor_required(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="Benchmark", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def search_terms(team: Team) -> list[str]:
    """What a practitioner types in the header's search box: a surname, a case reference and a date of birth (the
    infant's: the demo's caregivers have a year of birth), each of a family of the team (the first by reference)."""
    infant = (
        Infant.objects.filter(referral__team=team)
        .exclude(date_of_birth=None)
        .select_related("referral")
        .order_by("referral__reference", "pk")
        .first()
    )
    caregiver = Caregiver.objects.filter(referral__team=team).exclude(name="").order_by("referral__reference").first()
    if infant is None or infant.date_of_birth is None or caregiver is None:
        raise SystemExit("No named family with an infant's date of birth in the template team: run bench/generate.py.")
    return [caregiver.name.split()[-1], infant.referral.reference, infant.date_of_birth.strftime("%d/%m/%Y")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--pdf-runs", type=int, default=3)
    parser.add_argument("--label", default="", help="the data set's size, for the file name (10x5)")
    parser.add_argument("--skip", nargs="*", default=[], help="measurements to leave out, by the start of the name")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Run the benchmark on a data set of bench/generate.py (DATABASE_URL, PostgreSQL).")
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        raise SystemExit("With DEBUG off the pages need the static files' manifest: manage.py collectstatic first.")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    today = timezone.localdate()
    team = Team.objects.get(slug=TEMPLATE_TEAM)
    teams = list(Team.objects.order_by("pk"))
    quarter = last_ended_quarter(team, today)
    year = service_year_of(quarter.start, team.year_start_month)
    users = {str(account.role): get_user_model().objects.get(username=account.username) for account in DEMO_ACCOUNTS}
    # The commissioner comes back to the demo team, whatever team was chosen last.
    Membership.objects.filter(team=team, user=users["commissioner"]).update(last_selected_at=timezone.now())
    busiest = (
        get_user_model()
        .objects.annotate(cases=Count("assigned_referrals", filter=Q(assigned_referrals__team=team)))
        .order_by("-cases")
        .first()
    )
    longest = (
        Referral.objects.filter(team=team)
        .annotate(n=Count("events", distinct=True) + Count("appointments", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    if busiest is None or longest is None:
        raise SystemExit("No data set here: run bench/generate.py first.")
    print(
        f"{Referral.objects.count():,} referrals in {len(teams)} teams; quarter {quarter.label}, year {year.label}; "
        f"busiest caseload {busiest.username}; longest record {longest.reference}"
    )
    dsn = connection.get_connection_params()
    # As Django's connections: no JIT, and no prepared statements (Django binds on the client). psycopg prepares a
    # query it has run five times, and PostgreSQL may then plan it once for any parameters: repeated, the waiting
    # list's floor for all teams' year went from about 117 ms to 240 to 270 ms.
    floor_conn = psycopg.connect(
        **{k: v for k, v in dsn.items() if k in ("dbname", "user", "host", "port", "password")},
        options="-c jit=off",
        autocommit=True,
        prepare_threshold=None,
    )
    rows: list[dict] = []
    RESULTS.mkdir(exist_ok=True)
    label = args.label or f"{len(teams)}teams"
    path = RESULTS / f"{today.isoformat()}-{label}.json"
    referrals = Referral.objects.count()

    def write() -> None:
        data = {
            "measured_at": timezone.now().isoformat(),
            "data_set": {"teams": len(teams), "referrals": referrals, "label": label},
            "quarter": quarter.label,
            "year": year.label,
            "load_average_1min": os.getloadavg()[0],
            "rows": rows,
        }
        path.write_text(json.dumps(data, indent=2) + "\n")

    def measure(
        name: str, action, runs: int, floor_of: tuple[list[Team], Period] | None = None, blocks=tuple(BLOCKS)
    ) -> None:
        if any(name.startswith(skipped) for skipped in args.skip):
            return
        floor_times = None
        if floor_of:
            floor_times = timed(lambda: floor_rows(floor_conn, *floor_of, today, blocks), runs)[0]
        rows.append(summary(name, timed(action, runs), floor_times))
        print(_line(rows[-1]), flush=True)
        write()  # after each measurement: a run cut short keeps what it measured

    print(_header())
    for name, chosen, period in (
        ("kpi team-quarter", [team], quarter),
        ("kpi team-year", [team], year),
        ("kpi all teams, year", teams, year),
    ):
        runs = args.runs if len(chosen) == 1 else max(3, args.runs // 3)
        if any(name.startswith(skipped) for skipped in args.skip):
            continue
        check_floor(floor_rows(floor_conn, chosen, period, today), kpi_report(teams=chosen, period=period, today=today))
        report = partial(kpi_report, teams=chosen, period=period, today=today)
        measure(name, report, runs, (chosen, period))
        # What the dictionary takes beyond its own statements is the ORM's and the figures' (bench/README.md).
        measure(f"{name}: its SQL alone", replayed(floor_conn, engine_statements(report)), runs, (chosen, period))
        for block, action in engine_blocks(chosen, period).items():
            measure(f"{name}: {block} alone", action, runs, (chosen, period), blocks=(block,))
    # The KPIs alone, as the home pages, the teams compared and the trend's quarters read them.
    measure("kpi headline team-quarter", lambda: kpi_headline(teams=[team], period=quarter, today=today), args.runs)
    manager, commissioner = signed_in(users["manager"]), signed_in(users["commissioner"])
    measure("dashboard, manager (home)", page(manager, reverse("home:index")), args.runs)
    few = max(3, args.runs // 3)  # the pages of an engine report and eight headlines (the period and the trend)
    measure("dashboard, manager (reports)", page(manager, reverse("reports:index")), few)
    manager_reports = page(manager, reverse("reports:index"))

    def charts_drawn_afresh() -> None:
        bar_chart.cache_clear()  # type: ignore[attr-defined]
        trend_chart.cache_clear()  # type: ignore[attr-defined]
        manager_reports()

    # As the first request after the figures changed: every chart drawn again (the page above redraws none).
    measure("dashboard, manager (reports), charts afresh", charts_drawn_afresh, few)
    measure("dashboard, commissioner (home)", page(commissioner, reverse("home:index")), args.runs)
    measure("dashboard, commissioner (reports)", page(commissioner, reverse("reports:index")), few)
    measure("teams compared (commissioner)", page(commissioner, reverse("reports:compare")), few)
    measure(
        "quarterly PDF",
        lambda: report_file(kind=ReportKind.QUARTERLY, teams=[team], period=quarter, commissioner=True, today=today),
        args.pdf_runs,
    )
    measure("caseload, busiest practitioner", page(signed_in(busiest), reverse("home:caseload")), args.runs)
    measure("record, longest history", page(manager, reverse("referrals:detail", args=[longest.pk])), args.runs)
    practitioner = signed_in(busiest)
    for kind, text in zip(("surname", "reference", "date of birth"), search_terms(team), strict=True):
        url = f"{reverse('home:search')}?{urlencode({'q': text})}"
        measure(f"search by {kind}", page(practitioner, url), args.runs)
    floor_conn.close()
    print(f"written to {path}")


def _header() -> str:
    return f"{'what (ms)':46} {'median':>9} {'p95':>9} {'cpu':>8} {'floor':>8} {'ratio':>6}  budget"


def _line(row: dict) -> str:
    floor = f"{row['floor_median_ms']:8.1f}" if "floor_median_ms" in row else " " * 8
    ratio = f"{row['ratio']:6.1f}" if "ratio" in row else " " * 6
    budget = []
    if row["budget_p95_ms"]:
        budget.append(f"p95 < {row['budget_p95_ms']}")
    if row["budget_ratio"]:
        budget.append(f"<= {row['budget_ratio']}x")
    verdict = {True: "met", False: "MISSED", None: ""}[row["within_budget"]]
    times = f"{row['median_ms']:9.1f} {row['p95_ms']:9.1f} {row['python_cpu_median_ms']:8.1f}"
    return f"{row['what']:46} {times} {floor} {ratio}  {', '.join(budget)} {verdict}"


if __name__ == "__main__":
    main()
