"""Load a postcode to LSOA to IMD 2019 decile lookup, so that referrals get their decile from the postcode.

The file is a CSV with a header row and three columns: the postcode, the LSOA code and the IMD decile (1 is the
most deprived tenth of England). A team builds it from the ONS Postcode Directory (postcode to LSOA 2011) joined
with the English Indices of Deprivation 2019 (LSOA to decile), usually for its own area only. The ONS column
names are accepted as well: `pcds` or `pcd` for the postcode, `lsoa11` or `lsoa11cd` for the LSOA.

The whole file is checked first; if any row is wrong nothing is loaded and every problem is listed as
`FILE:ROW: COLUMN: message`. Loading the same file again changes nothing; a corrected file updates the postcodes
it lists.
"""

import csv
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from referrals.models import ImdPostcode
from referrals.validators import POSTCODE_PATTERN, normalise_postcode

COLUMNS = {
    "postcode": ("postcode", "pcds", "pcd"),
    "lsoa_code": ("lsoa_code", "lsoa11", "lsoa11cd", "lsoa"),
    "imd_decile": ("imd_decile", "imd decile", "decile"),
}
LSOA_PATTERN = re.compile(r"^[EW]0[0-9]{7}$")
BATCH = 1000


class Command(BaseCommand):
    help = "Load a CSV of postcode, LSOA code and IMD 2019 decile, used to derive referrals' IMD decile."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV with columns postcode, lsoa_code, imd_decile")

    def handle(self, *args, file: Path, **options):
        try:
            with file.open(newline="", encoding="utf-8-sig") as handle:
                entries, problems = self.read(file.name, csv.DictReader(handle))
        except OSError as error:
            raise CommandError(f"{file}: cannot be read ({error.strerror}).") from error
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problem(s) found: nothing was loaded.")
        created, updated, unchanged = self.load(entries)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {len(entries)} postcodes: {created} new, {updated} updated, {unchanged} unchanged."
            )
        )

    def read(self, name: str, reader: csv.DictReader) -> tuple[dict[str, tuple[str, int]], list[str]]:
        header = {(column or "").strip().lower(): column for column in reader.fieldnames or []}
        columns, problems = {}, []
        for wanted, aliases in COLUMNS.items():
            found = next((header[alias] for alias in aliases if alias in header), None)
            if found is None:
                problems.append(f"{name}:1: {wanted}: the column is missing (accepted names: {', '.join(aliases)})")
            columns[wanted] = found
        if problems:
            return {}, problems
        entries: dict[str, tuple[str, int]] = {}
        for row_number, row in enumerate(reader, start=2):
            postcode = normalise_postcode(row[columns["postcode"]] or "")
            lsoa = (row[columns["lsoa_code"]] or "").strip().upper()
            decile = (row[columns["imd_decile"]] or "").strip()
            row_problems = [
                f"{name}:{row_number}: {column}: {message}"
                for column, message in self.row_problems(postcode, lsoa, decile, seen=entries)
            ]
            if row_problems:
                problems.extend(row_problems)
            else:
                entries[postcode] = (lsoa, int(decile))
        return entries, problems

    @staticmethod
    def row_problems(postcode: str, lsoa: str, decile: str, *, seen) -> list[tuple[str, str]]:
        problems = []
        if not POSTCODE_PATTERN.match(postcode):
            problems.append(("postcode", f"{postcode or '(blank)'} is not a UK postcode"))
        elif postcode in seen:
            problems.append(("postcode", f"{postcode} appears more than once"))
        if not LSOA_PATTERN.match(lsoa):
            problems.append(("lsoa_code", f"{lsoa or '(blank)'} is not an LSOA code like E01012345"))
        if not (decile.isdigit() and 1 <= int(decile) <= 10):
            problems.append(("imd_decile", f"{decile or '(blank)'} is not a decile from 1 to 10"))
        return problems

    @transaction.atomic
    def load(self, entries: dict[str, tuple[str, int]]) -> tuple[int, int, int]:
        postcodes = list(entries)
        existing: dict[str, tuple[str, int]] = {}
        for start in range(0, len(postcodes), BATCH):
            chunk = postcodes[start : start + BATCH]
            existing.update(
                (postcode, (lsoa, decile))
                for postcode, lsoa, decile in ImdPostcode.objects.filter(postcode__in=chunk).values_list(
                    "postcode", "lsoa_code", "imd_decile"
                )
            )
        changed = [postcode for postcode in postcodes if existing.get(postcode) != entries[postcode]]
        ImdPostcode.objects.bulk_create(
            [ImdPostcode(postcode=p, lsoa_code=entries[p][0], imd_decile=entries[p][1]) for p in changed],
            update_conflicts=True,
            unique_fields=["postcode"],
            update_fields=["lsoa_code", "imd_decile"],
            batch_size=BATCH,
        )
        created = sum(1 for postcode in changed if postcode not in existing)
        return created, len(changed) - created, len(postcodes) - len(changed)
