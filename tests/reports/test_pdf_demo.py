"""The PDFs of the demo service, read back as text: the quarterly report figure by figure as the commissioner's
dashboard shows the quarter, the evaluation report with every published figure and the true percentages, and the
annual statement beside the year before."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from pairs.periods import Period, service_quarter_of, service_year
from reports.kpis import kpi_export
from reports.pdf.documents.common import ReportKind
from reports.pdf.files import report_file
from reports.presenters.dashboard import dashboard_for
from reports.presenters.period import requested_period
from reports.presenters.tables import FigureBlock, Summary, Table
from tests.reports.pdftext import flowing, has_row, page_count, pdf_text, unshown_rows, unshown_tiles

D = datetime.date
PUBLISHED = Period(D(2023, 3, 1), D(2024, 5, 31))
# The demo's service year starts in March: December 2023 to February 2024 is the last quarter of its first year.
QUARTER = service_quarter_of(D(2023, 12, 1), 3)
# The direct-work parts of the dashboard that the quarterly report prints (it leaves the profile, the complexity
# and the reach to the evaluation report).
QUARTERLY_DIRECT_WORK = {
    "Table 2: Referral and engagement across individual and group support",
    "Accepted referrals by engagement and pathway",
    "Interventions",
    "Days from referral, for the referrals received in the period",
    "Waiting at the period's end",
    "Appointments in the period",
    "Group places offered in the period",
}


def _caption(part) -> str:
    table = part.table if isinstance(part, FigureBlock) else part
    return table.caption if isinstance(table, Table) else ""


@pytest.mark.django_db
def test_the_quarterly_report_matches_the_commissioner_s_dashboard_figure_by_figure(demo_team):
    today = timezone.localdate()
    file = report_file(kind=ReportKind.QUARTERLY, teams=[demo_team], period=QUARTER, commissioner=True, today=today)
    layout, text = pdf_text(file.content, layout=True), flowing(file.content)
    assert f"Quarterly performance report Blackpool PaIRS {QUARTER.label}: 1 December 2023 to 29 February 2024" in text
    assert f"Generated on {today.day}" in text
    assert "Figures follow the team's disclosure-control rule, HES" in text
    assert f"Page 1 of {page_count(file.content)}" in text

    commissioner = get_user_model().objects.get(username="demo.commissioner")
    choice = requested_period({"start": "2023-12-01", "end": "2024-02-29"}, team=demo_team, today=today)
    dashboard = dashboard_for(user=commissioner, team=demo_team, choice=choice)
    assert unshown_tiles(layout, dashboard.tiles) == []
    sections = {section.id: section for section in dashboard.sections}
    for section_id in ("workforce", "consultation", "outcomes"):
        assert unshown_rows(layout, sections[section_id].parts) == [], section_id
    direct_work = [part for part in sections["direct-work"].parts if _caption(part) in QUARTERLY_DIRECT_WORK]
    assert {_caption(part) for part in direct_work} == QUARTERLY_DIRECT_WORK
    summaries = [part for part in sections["direct-work"].parts if isinstance(part, Summary)][:3]
    assert unshown_rows(layout, [*direct_work, *summaries]) == []
    # Some figures are shown, not all suppressed: the comparison means something.
    assert any(tile.status.code in ("green", "amber", "red") for tile in dashboard.tiles)
    assert "Compliments 0" in " ".join(layout.split())
    assert "The service manager has written no commentary for this quarter." in text


@pytest.mark.django_db
def test_the_evaluation_report_holds_every_published_figure_and_the_true_percentages(demo_team):
    today = timezone.localdate()
    file = report_file(kind=ReportKind.EVALUATION, teams=[demo_team], period=PUBLISHED, commissioner=False, today=today)
    layout, text = pdf_text(file.content, layout=True), flowing(file.content)
    assert "Exact figures: the service's own report." in text
    for heading in (
        "Table 1: Delivery of sessions by the team",
        "Figure 1: Pathway following consultation",
        "Figure 2: Safeguarding level at acceptance",
        "Figure 3: Family postcode IMD decile at referral",
        "Figure 4: Number of risks to the caregiving relationship",
        "Table 2: Referral and engagement across individual and group support",
        "Figure 5: Engagement across individual and group work",
        "Figure 6: Reasons for disengagement from the service",
        "Figure 7: Interventions",
        "Figure 8: Mean scores before and after intervention",
    ):
        assert heading in text

    # Table 1 and Table 2 as published, with the true percentages of the accepted referrals.
    for header, cells in [
        ("Bitesize", ["1", "40"]),
        ("Introduction", ["70", "589"]),
        ("IMH and PIR", ["9", "62"]),
        ("Total", ["80", "691"]),
        ("Referral not accepted", ["9", "5", "14"]),
        ("Disengaged at referral", ["3 (5.5%)", "16 (53.3%)", "19 (22.4%)"]),
        ("Disengaged at assessment", ["14 (25.5%)", "0 (0%)", "14 (16.5%)"]),
        ("Disengaged during intervention", ["2 (3.6%)", "2 (6.7%)", "4 (4.7%)"]),
        ("On hold", ["0 (0%)", "4 (13.3%)", "4 (4.7%)"]),
        ("Completed", ["17 (30.9%)", "4 (13.3%)", "21 (24.7%)"]),
        ("In progress", ["19 (34.5%)", "4 (13.3%)", "23 (27.1%)"]),
        ("Accepted", ["55 (64.7%)", "30 (35.3%)", "85"]),
        ("Received", ["64", "35", "99"]),
        ("Referred to the service", ["45", "47.9%"]),
        ("Action plan agreed", ["25", "26.6%"]),
        ("Signposted to another", ["24", "25.5%"]),
        ("Health visiting", ["49 (52.1%)"]),
        ("Children's social care", ["20 (21.3%)"]),
        ("Completed referrals", ["21"]),
        ("With paired outcome measures", ["16"]),
        ("Pairing rate", ["76.2%"]),
    ]:
        assert has_row(layout, header, cells), header
    assert "Individual (n=64) Group (n=35) Total (n=99)" in " ".join(layout.split())

    # The published sentences, with the true values where the report rounded or worded loosely.
    for published in (
        "Actual delivery was 691 participants in 15 months with 80 sessions",
        "engagement with 666 practitioners and families",
        "Actual delivery was 94 consultations in 15 months",
        "from 16 services, most often from Health visiting, 49 (52.1%) and Children's social care, 20 (21.3%)",
        "45 (47.9%) families were referred to the service; in 25 (26.6%) the practitioner was supported to develop "
        "an action plan; 24 (25.5%) were signposted",
        "In the 55 (58.5%) consultations where it was recorded, they supported a total of 64 children",
        "48 families were identified and received targeted or specialist support",
        "60 parent-infant dyads engaged with a universal offer",
        "96 (97%) self-identified as White",
        "10 were antenatal",
        "9.4 months for individual work (antenatal referrals left out) and 40 months for group work",
        "99 referrals were made in the period, with 85 (85.9%) accepted",
        "55 (64.7%) were for individual work and 30 (35.3%) for group work",
        "36 (65.5%) have completed or are in progress",
        "16 (53.3%) disengaged before beginning assessment or intervention, compared with 3 (5.5%)",
        "14 (25.5%) of those accepted for individual work disengaged during assessment, and 4 in all during",
        "a total of 55 interventions to the 25 dyads",
        "Compassion-focused therapy for the parent-infant relationship (n=17), Psychoeducation on infant "
        "development (n=11), Video Interaction Guidance (VIG) (n=9)",
        "Of the 21 families who completed the intervention, 16 (76.2%) completed both the before and the after "
        "measures, against the 75% feasibility target: on target",
        "The mean T1 score for the Goal Based Outcomes was 3.00 and the mean T2 9.70; of the 15 parents who "
        "completed T1 and T2 Goal Based Outcomes, 15 (100%) reliably improved",
    ):
        assert published in text, published

    # The outcome statistics, each measure's row as the engine gives it.
    instruments = kpi_export(teams=[demo_team], period=PUBLISHED)["outcomes"]["instruments"]
    for name, figures in [
        ("PHQ-9", instruments["phq9"]),
        ("GAD-7", instruments["gad7"]),
        ("MORS-SF warmth", instruments["mors_sf"]["warmth"]),
        ("MORS-SF invasion", instruments["mors_sf"]["invasion"]),
    ]:
        assert figures["p_value"] < 0.05
        cells = [str(figures["n"]), f"{figures['mean_t1']:.2f}", f"{figures['mean_t2']:.2f}"]
        assert has_row(layout, name, cells), name

    # The methods note states the cohort rules for the window.
    assert "Referrals in the period are those received from 1 March 2023 to 31 May 2024, both days included." in text
    assert "Each referral's status is its status as at 31 May 2024" in text
    assert "Percentages are the true shares of their counts, to one decimal place." in text


@pytest.mark.django_db
def test_the_annual_statement_sets_the_year_beside_the_year_before(demo_team):
    today = timezone.localdate()
    year = service_year(2024, 3)
    file = report_file(kind=ReportKind.ANNUAL, teams=[demo_team], period=year, commissioner=False, today=today)
    layout, text = pdf_text(file.content, layout=True), flowing(file.content)
    assert "This year is 1 March 2024 to 28 February 2025; the year before, 1 March 2023 to 29 February 2024." in text
    assert "Figures follow the team's disclosure-control rule, HES" in text
    now = kpi_export(teams=[demo_team], period=year, commissioner=True)
    before = kpi_export(teams=[demo_team], period=service_year(2023, 3), commissioner=True)
    participants = (now["training"]["participants"], before["training"]["participants"])
    difference = participants[0] - participants[1]
    change = f"{'+' if difference > 0 else '\u2212'}{abs(difference)}" if difference else "No change"
    assert has_row(layout, "Training participants", [str(participants[0]), str(participants[1])])
    assert change in " ".join(layout.split())
    for heading in ("The year beside the year before", "Outcomes of direct work", "Consultation, training and"):
        assert heading in text
