"""Reading monitoring files: a folder of CSV files or one .xlsx workbook, streamed row by row.

Both kinds give the same thing: for each file of the contract that is present, its header and a way to iterate
its rows as `(row_number, {column: text or date or None})`, where the header is row 1. Rows are read again for
each pass, never all held in memory at once.
"""

import csv
import datetime
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from openpyxl import load_workbook

from pairs.spreadsheets import restore_neutralised

# A cell in a file: text with surrounding spaces removed, a real date (or date and time) from a workbook, or None
# when empty.
Cell = str | datetime.date | datetime.datetime | None
FILE_LEVEL = "(file)"

# What one import takes, so that no file can hold the server for minutes; each can be changed in the settings. A
# team's whole history is a few thousand rows and well under a megabyte: these leave room for a region's. A
# workbook is a zip of XML: its size unpacked and its sheets' declared dimensions are checked before a cell is
# read, so that a zip bomb, or a sheet claiming a million rows, is refused at once.
LIMITS = {
    "MONITORING_MAX_FILE_BYTES": 20 * 1024 * 1024,
    "MONITORING_MAX_ROWS": 100_000,
    "MONITORING_MAX_WORKBOOK_UNPACKED_BYTES": 200 * 1024 * 1024,
    "MONITORING_MAX_COLUMNS": 100,
}


def limit(name: str) -> int:
    return getattr(settings, name, LIMITS[name])


def megabytes(size: int) -> str:
    """A size as a person reads it: 21 MB, 16 KB, 200 bytes."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{size // 1024} KB" if size >= 1024 else f"{size} bytes"


def too_large_message(size: int) -> str:
    maximum = limit("MONITORING_MAX_FILE_BYTES")
    return f"the file is {megabytes(size)}, more than the {megabytes(maximum)} an import takes: split it"


def too_many_rows_message() -> str:
    return f"the file has more than {limit('MONITORING_MAX_ROWS'):,} rows, more than an import takes: split it"


def unknown_files_message(names: list[str], accepted: list[str]) -> str:
    """What the upload page and the command say of files that are not the contract's."""
    return f"{', '.join(names)} is not a monitoring file: use {', '.join(accepted)}"


@dataclass(frozen=True, order=True)
class Problem:
    """One reason the import cannot go ahead, printed as `FILE:ROW: COLUMN: message`."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}: {self.column}: {self.message}"


class UnreadableFile(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def _normalise(value) -> Cell:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        # A workbook's date cells come as date and time at midnight; a time of day is kept (appointments).
        return value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = restore_neutralised(str(value).strip())
    return text or None


class CsvTable:
    def __init__(self, path: Path):
        self.path = path
        self.file_name = path.name
        self.header = self._read_header()

    def _problem(self, row: int, message: str) -> UnreadableFile:
        return UnreadableFile(Problem(self.file_name, row, FILE_LEVEL, message))

    def _reader(self, handle):
        return csv.reader(handle, strict=True)

    def _read_header(self) -> list[str]:
        raw_rows = self._raw_rows()
        try:
            for _, cells in raw_rows:
                if any(cell.strip() for cell in cells):
                    return [cell.strip().lower() for cell in cells]
                break
        finally:
            raw_rows.close()
        raise self._problem(1, "the file is empty")

    def _raw_rows(self) -> Iterator[tuple[int, list[str]]]:
        """Rows as lists of text, decoded line by line so that a bad byte is reported at its own row."""
        row_number = 0

        def decoded_lines(handle):
            for line_number, line in enumerate(handle, start=1):
                try:
                    text = line.decode("utf-8-sig" if line_number == 1 else "utf-8")
                except UnicodeDecodeError:
                    raise self._problem(row_number + 1, "the file is not UTF-8 text") from None
                if "\x00" in text:
                    raise self._problem(row_number + 1, "the file holds binary data: it is not a CSV file")
                yield text

        with self.path.open("rb") as handle:
            try:
                for cells in self._reader(decoded_lines(handle)):
                    row_number += 1
                    yield row_number, cells
            except csv.Error as error:
                raise self._problem(row_number + 1, f"the file is not valid CSV ({error})") from None

    def rows(self) -> Iterator[tuple[int, dict[str, Cell]]]:
        width, max_rows = len(self.header), limit("MONITORING_MAX_ROWS")
        for row_number, cells in self._raw_rows():
            if row_number == 1:
                continue
            if row_number > max_rows + 1:
                raise self._problem(row_number, too_many_rows_message())
            if not any(cell.strip() for cell in cells):
                continue  # a blank line is not a record
            if len(cells) != width:
                raise self._problem(
                    row_number, f"the row has {len(cells)} fields but the header has {width}: the file is not valid CSV"
                )
            yield row_number, {column: _normalise(cell) for column, cell in zip(self.header, cells, strict=True)}


class WorkbookTable:
    def __init__(self, worksheet, file_name: str):
        self.worksheet = worksheet
        self.file_name = file_name
        # Declared in the sheet's <dimension> element (None when it has none: the row limit still applies).
        rows, columns = worksheet.max_row or 0, worksheet.max_column or 0
        max_rows, max_columns = limit("MONITORING_MAX_ROWS"), limit("MONITORING_MAX_COLUMNS")
        if rows > max_rows + 1 or columns > max_columns:
            raise UnreadableFile(
                Problem(
                    file_name,
                    1,
                    FILE_LEVEL,
                    f"the sheet declares {rows:,} rows and {columns:,} columns, more than an import takes "
                    f"({max_rows:,} rows, {max_columns} columns): delete the empty rows and columns, or split it",
                )
            )
        first = next(worksheet.iter_rows(min_row=1, max_row=1, values_only=True), None)
        if first is None or not any(cell is not None for cell in first):
            raise UnreadableFile(Problem(file_name, 1, FILE_LEVEL, "the sheet is empty"))
        self.header = [str(cell).strip().lower() if cell is not None else "" for cell in first]
        while self.header and not self.header[-1]:
            self.header.pop()

    def rows(self) -> Iterator[tuple[int, dict[str, Cell]]]:
        width, max_rows = len(self.header), limit("MONITORING_MAX_ROWS")
        for row_number, values in enumerate(self.worksheet.iter_rows(min_row=2, values_only=True), start=2):
            if row_number > max_rows + 1:
                raise UnreadableFile(Problem(self.file_name, row_number, FILE_LEVEL, too_many_rows_message()))
            cells = [_normalise(value) for value in values[:width]]
            if not any(cell is not None for cell in cells):
                continue
            cells += [None] * (width - len(cells))
            yield row_number, dict(zip(self.header, cells, strict=True))


def open_tables(path: Path, file_names: list[str]) -> tuple[dict[str, CsvTable | WorkbookTable], list[Problem]]:
    """The contract's files found at `path` (a folder of CSV files or a workbook), and any that cannot be read."""
    tables: dict[str, CsvTable | WorkbookTable] = {}
    problems: list[Problem] = []
    if path.is_dir():
        present = sorted(entry.name for entry in path.iterdir())
        if unknown := [name for name in present if name.lower() not in file_names]:
            return {}, [Problem(path.name, 1, FILE_LEVEL, unknown_files_message(unknown, file_names))]
        for name in present:
            candidate = path / name
            if candidate.stat().st_size > limit("MONITORING_MAX_FILE_BYTES"):
                problems.append(Problem(name, 1, FILE_LEVEL, too_large_message(candidate.stat().st_size)))
                continue
            try:
                tables[name.lower()] = CsvTable(candidate)
            except UnreadableFile as unreadable:
                problems.append(unreadable.problem)
    elif path.is_file() and path.suffix.lower() == ".xlsx":
        if problem := _workbook_size_problem(path):
            return {}, [problem]
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged workbook
            return {}, [Problem(path.name, 1, FILE_LEVEL, f"the workbook cannot be read ({type(error).__name__})")]
        sheets = {name.strip().lower(): name for name in workbook.sheetnames}
        for file_name in file_names:
            sheet_name = sheets.get(file_name.removesuffix(".csv"))
            if sheet_name is not None:
                try:
                    tables[file_name] = WorkbookTable(workbook[sheet_name], file_name)
                except UnreadableFile as unreadable:
                    problems.append(unreadable.problem)
    else:
        problems.append(Problem(path.name, 1, FILE_LEVEL, "expected a folder of CSV files or an .xlsx workbook"))
    return tables, problems


def _workbook_size_problem(path: Path) -> Problem | None:
    """Why a workbook is too big to open, judged from its file size and its zip directory alone."""
    size = path.stat().st_size
    if size > limit("MONITORING_MAX_FILE_BYTES"):
        return Problem(path.name, 1, FILE_LEVEL, too_large_message(size))
    with path.open("rb") as handle:
        message = workbook_unpacked_message(handle)
    return Problem(path.name, 1, FILE_LEVEL, message) if message else None


def workbook_unpacked_message(source) -> str:
    """What is wrong with a workbook (a path or an open binary file) that unpacks past the limit, or "": read from
    its zip directory, before a cell is read."""
    try:
        with zipfile.ZipFile(source) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        return ""  # openpyxl reports a damaged workbook in its own words
    maximum = limit("MONITORING_MAX_WORKBOOK_UNPACKED_BYTES")
    if unpacked <= maximum:
        return ""
    return (
        f"the workbook unpacks to {megabytes(unpacked)}, more than the {megabytes(maximum)} an import takes: save "
        "it again without empty rows and columns, or split it"
    )
