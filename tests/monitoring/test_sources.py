import datetime

import pytest
from openpyxl import Workbook

from monitoring import cells
from monitoring.sources import Problem, UnreadableFile, open_tables

FILES = ["referrals.csv", "training.csv"]
TODAY = datetime.date(2024, 6, 1)


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))


def test_a_folder_gives_each_present_file_streamed_with_row_numbers(tmp_path):
    write(tmp_path / "training.csv", "Date,Session_Type , title\n2024-01-05, bitesize ,Intro\n\n2024-01-06,,x\n")
    tables, problems = open_tables(tmp_path, FILES)
    assert problems == []
    assert list(tables) == ["training.csv"]
    table = tables["training.csv"]
    assert table.header == ["date", "session_type", "title"]
    assert list(table.rows()) == [
        (2, {"date": "2024-01-05", "session_type": "bitesize", "title": "Intro"}),
        (4, {"date": "2024-01-06", "session_type": None, "title": "x"}),
    ]


def test_a_file_that_is_not_utf8_is_reported_at_its_row(tmp_path):
    write(tmp_path / "training.csv", "date,title\n2024-01-05,Caf\u00e9\n", encoding="latin-1")
    table = open_tables(tmp_path, FILES)[0]["training.csv"]
    with pytest.raises(UnreadableFile) as raised:
        list(table.rows())
    assert str(raised.value.problem).startswith("training.csv:")
    assert "(file): the file is not UTF-8 text" in str(raised.value.problem)


def test_an_empty_file_is_a_problem(tmp_path):
    write(tmp_path / "training.csv", "")
    tables, problems = open_tables(tmp_path, FILES)
    assert tables == {}
    assert [str(p) for p in problems] == ["training.csv:1: (file): the file is empty"]


def test_a_file_that_is_not_csv_is_a_problem(tmp_path):
    write(tmp_path / "training.csv", "date,title\n2024-01-05,a,b,c\n")
    table = open_tables(tmp_path, FILES)[0]["training.csv"]
    with pytest.raises(UnreadableFile, match=r"training.csv:2: \(file\): the row has 4 fields but the header has 2"):
        list(table.rows())


def test_a_binary_file_is_not_csv(tmp_path):
    (tmp_path / "training.csv").write_bytes(b"date,title\n\x00\x01\x02,\x00\n")
    table = open_tables(tmp_path, FILES)[0]["training.csv"]
    with pytest.raises(UnreadableFile, match="binary data: it is not a CSV file"):
        list(table.rows())


def test_a_workbook_gives_the_same_rows_with_real_dates(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "training"
    sheet.append(["date", "title", "participants"])
    sheet.append([datetime.datetime(2024, 1, 5), " Intro ", 12])
    workbook.create_sheet("notes").append(["ignored"])
    workbook.save(tmp_path / "monitoring.xlsx")
    tables, problems = open_tables(tmp_path / "monitoring.xlsx", FILES)
    assert problems == []
    assert list(tables["training.csv"].rows()) == [
        (2, {"date": datetime.date(2024, 1, 5), "title": "Intro", "participants": "12"})
    ]


def test_anything_else_is_refused(tmp_path):
    write(tmp_path / "notes.txt", "hello")
    assert open_tables(tmp_path / "notes.txt", FILES)[1] == [
        Problem("notes.txt", 1, "(file)", "expected a folder of CSV files or an .xlsx workbook")
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-02-30", "'2024-02-30' is not a real date"),
        ("05/01/2024", "'05/01/2024' is not a date in the form YYYY-MM-DD"),
        ("2024-06-02", "2024-06-02 is in the future"),
    ],
)
def test_dates(value, message):
    with pytest.raises(cells.CellError, match=message):
        cells.date(value, today=TODAY)
    assert cells.date("2024-06-01", today=TODAY) == TODAY
    assert cells.date(datetime.date(2024, 1, 1), today=TODAY) == datetime.date(2024, 1, 1)


def test_codes_are_case_insensitive_and_unknown_codes_are_errors():
    assert cells.code(" Health_Visiting ", {"health_visiting"}) == "health_visiting"
    with pytest.raises(cells.CellError, match="unknown code 'hv'"):
        cells.code("hv", {"health_visiting"})
    assert cells.codes("b; a ;", {"a", "b"}) == ["a", "b"]


def test_integers_booleans_and_postcodes():
    assert cells.integer("7", minimum=1, maximum=10) == 7
    with pytest.raises(cells.CellError, match="11 is not between 1 and 10"):
        cells.integer("11", minimum=1, maximum=10)
    with pytest.raises(cells.CellError, match=r"'2\.5' is not a whole number"):
        cells.integer("2.5")
    assert cells.yes_no("YES") is True
    with pytest.raises(cells.CellError, match="'y' is not yes or no"):
        cells.yes_no("y")
    assert cells.postcode("fy11aa") == "FY1 1AA"
    with pytest.raises(cells.CellError, match="not a UK postcode"):
        cells.postcode("12345")
