"""Benchmark of the monitoring import: N referrals with their events, interventions and questionnaires.

Not a test: it prints figures. Run it from the repository root:

    .venv/bin/python bench/import_bench.py                 # 50,000 referrals (long: see the README)
    .venv/bin/python bench/import_bench.py --referrals 2000

It writes the monitoring files to a temporary folder, imports them into a fresh database (a temporary SQLite
file, or the database of DATABASE_URL when --use-database-url is given: it must be a throwaway one), and prints
the rows imported per second and the peak memory of the process. Each referral is accepted and assessed, half go
on to intervention (with one intervention episode) and a quarter complete with a PHQ-9 at T1 and T2.
"""

import argparse
import csv
import datetime
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

REFERRAL_COLUMNS = [
    "reference", "received_on", "pathway", "referrer_service", "caregiver_role", "antenatal", "decision",
    "decision_on", "assessment_started_on", "intervention_started_on", "status", "status_on",
]  # fmt: skip


def write_files(folder: Path, referrals: int, seed: int = 7) -> int:
    """Stream the monitoring files to `folder`; returns the number of data rows written."""
    rng = random.Random(seed)
    first = datetime.date(2019, 1, 1)
    rows = 0
    with (
        (folder / "referrals.csv").open("w", newline="") as referral_file,
        (folder / "interventions.csv").open("w", newline="") as intervention_file,
        (folder / "outcomes.csv").open("w", newline="") as outcome_file,
    ):
        referral_writer = csv.writer(referral_file)
        intervention_writer = csv.writer(intervention_file)
        outcome_writer = csv.writer(outcome_file)
        referral_writer.writerow(REFERRAL_COLUMNS)
        intervention_writer.writerow(["reference", "intervention", "started_on", "ended_on", "sessions_attended"])
        outcome_writer.writerow(
            ["reference", "instrument", "timepoint", "completed_on", *[f"item_{n}" for n in range(1, 10)]]
        )
        for number in range(1, referrals + 1):
            reference = f"BENCH-{number:07d}"
            received = first + datetime.timedelta(days=rng.randrange(0, 5 * 365))
            decided = received + datetime.timedelta(days=rng.randrange(1, 10))
            assessed = decided + datetime.timedelta(days=rng.randrange(1, 20))
            fate = rng.random()
            intervened = assessed + datetime.timedelta(days=rng.randrange(5, 30)) if fate < 0.5 else None
            completed = (
                intervened + datetime.timedelta(days=rng.randrange(40, 120))
                if intervened is not None and fate < 0.25
                else None
            )
            status, status_on = ("completed", completed) if completed else ("in_progress", None)
            referral_writer.writerow(
                [
                    reference, received, rng.choice(["individual", "group"]),
                    rng.choice(["health_visiting", "midwifery", "gp", "social_care"]), "mother", "no", "accepted",
                    decided, assessed, intervened or "", status, status_on or "",
                ]
            )  # fmt: skip
            rows += 1
            if intervened:
                intervention_writer.writerow([reference, "vig", intervened, completed or "", rng.randrange(1, 12)])
                rows += 1
            if completed:
                for timepoint, day, high in (("T1", intervened, 3), ("T2", completed, 2)):
                    items = [rng.randrange(0, high + 1) for _ in range(9)]
                    outcome_writer.writerow([reference, "phq9", timepoint, day, *items])
                    rows += 1
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--referrals", type=int, default=50_000)
    parser.add_argument("--use-database-url", action="store_true", help="import into DATABASE_URL (throwaway!)")
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="pairs-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    if not options.use_database_url:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from monitoring.importer import monitoring_import
    from pairs.services import team_create

    call_command("migrate", verbosity=0)
    team, _ = team_create(slug="bench", name="Benchmark team")
    actor = get_user_model().objects.create_superuser("bench", "bench@example.nhs.uk", None)

    started = time.perf_counter()
    rows = write_files(workdir, options.referrals)
    written = time.perf_counter()
    result = monitoring_import(path=workdir, team=team, actor=actor)
    imported = time.perf_counter()

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {django.db.connection.vendor}")
    print(f"referrals: {options.referrals}, data rows: {rows}")
    print(f"files written in {written - started:.1f} s")
    for line in result.lines():
        print(f"  {line}")
    seconds = imported - written
    rates = f"{rows / seconds:.0f} rows per second, {options.referrals / seconds:.0f} referrals per second"
    print(f"import: {seconds:.1f} s, {rates}")
    print(f"peak memory (max RSS of the process): {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
