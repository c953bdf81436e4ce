import re

import pytest
from playwright.sync_api import expect

from tests.monitoring.test_importer import REFERRALS, columns_of

pytestmark = pytest.mark.django_db(transaction=True)


def write_csv(path, rows):
    columns = columns_of(rows)
    lines = [",".join(columns)] + [",".join(row.get(column, "") for column in columns) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_manager_imports_monitoring_data_and_reads_the_kpis(page, page_check, sign_in, manager, tmp_path):
    sign_in(page, manager)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Key performance indicators")
    page_check(page, "kpis-empty")

    page.get_by_role("link", name="Import monitoring data").click()
    page_check(page, "import")
    bad = write_csv(tmp_path / "referrals.csv", [dict(REFERRALS[0], pathway="one-to-one"), *REFERRALS[1:]])
    page.get_by_label("Monitoring files").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Nothing was imported: 1 problem")).to_be_visible()
    expect(page.get_by_text("referrals.csv:2: pathway: unknown code 'one-to-one'", exact=False)).to_be_visible()
    page_check(page, "import-problems")

    good = write_csv(tmp_path / "referrals.csv", REFERRALS)
    page.get_by_label("Monitoring files").set_input_files(str(good))
    page.get_by_label("Check only", exact=False).uncheck()
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="Imported")).to_be_visible()
    expect(page.get_by_role("row", name="referrals.csv 3 0 0")).to_be_visible()
    page_check(page, "import-done")


def test_a_manager_sets_a_target_and_the_reporting_year(page, page_check, sign_in, manager):
    sign_in(page, manager)
    page.goto("/reports/")
    page.get_by_role("link", name="Change the targets, the service year or the suppression rule").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Targets and reporting")
    page_check(page, "targets")

    page.get_by_role("link", name="Change the target for completed families with paired outcome measures").click()
    page.get_by_label("Target (per cent)").fill("175")
    page.get_by_role("button", name="Save target").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("link", name="A percentage cannot be more than 100")).to_be_visible()
    page_check(page, "target-error")
    page.get_by_label("Target (per cent)").fill("80")
    page.get_by_role("button", name="Save target").click()
    row = page.get_by_role("row", name=re.compile("^Completed families with paired outcome measures"))
    expect(row).to_contain_text("80%")
    expect(row).to_contain_text("The team")

    page.get_by_label("The service year starts in").select_option("January")
    page.get_by_label("MHSDS", exact=False).check()
    page.get_by_role("button", name="Save how the team reports").click()
    expect(page.get_by_text("How the team reports is saved.")).to_be_visible()
    expect(page.get_by_label("MHSDS", exact=False)).to_be_checked()
    page_check(page, "targets-saved")
