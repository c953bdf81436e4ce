"""The evaluation report for any window, laid out like the published Blackpool evaluation (its areas of work in its
order, Table 1, Figure 1, Figures 2 to 4, Table 2, Figures 5 to 8) with the true percentages where the published
report rounded or worded loosely, the outcome statistics, and a methods note stating the cohort rules.

Exact for the service; under the teams' disclosure-control rule for a commissioner. Every sentence is written from
the export's figures as shown, so a suppressed count reads "*" in a sentence as in a table.
"""

import datetime
from collections.abc import Sequence

from pairs.models import Team
from pairs.periods import Period
from reports.pdf.documents.common import (
    Figures,
    PdfDocument,
    ReportKind,
    about_section,
    targets_section,
)
from reports.pdf.parts import PrintedSection
from reports.presenters.activity import capacity_parts, intervention_parts, waiting_parts
from reports.presenters.labels import CAREGIVER_ROLES, ETHNICITIES, NOT_RECORDED, Labels, label_of
from reports.presenters.outcomes import outcomes_section
from reports.presenters.referrals import complexity_parts, engagement_parts, profile_parts, referral_summary
from reports.presenters.tables import FigureBlock, Paragraph, Subheading, Table
from reports.presenters.values import (
    count_cell,
    count_with_share_cell,
    is_shown_number,
    number_cell,
    rate_cell,
    total_of,
)
from reports.presenters.workforce import consultation_section, workforce_section


def n(value) -> str:
    return count_cell(value).text


def n_of(count, base) -> str:
    """A count with its share of `base`: "45 (47.9%)"."""
    return count_with_share_cell(count, base).text


def _judged(figures: Figures, kpi_id: str) -> str:
    tile = figures.tile(kpi_id)
    return f"the period's target was {tile.target}; {tile.status.words.lower()}"


def _months(period: Period) -> str:
    return number_cell(period.months, 2).text


def training_area(figures: Figures) -> PrintedSection:
    export = figures.export
    training, awareness = export["training"], export["awareness"]
    sentences = [
        f"Actual delivery was {n(training['participants'])} participants in {_months(figures.period)} months with "
        f"{n(training['sessions'])} sessions delivered in this period (see Table 1). For participants "
        f"{_judged(figures, 'training_participants')}; for sessions {_judged(figures, 'training_sessions')}.",
    ]
    if training["feedback_returned"] not in (0, None):
        sentences.append(
            f"Of the {n(training['feedback_returned'])} feedback forms returned, "
            f"{n_of(training['feedback_positive'], training['feedback_returned'])} rated the training positively."
        )
    sentences.append(
        f"Attendance at {n(awareness['events'])} events to raise awareness of the service led to engagement with "
        f"{n(awareness['people_engaged'])} practitioners and families."
    )
    section = workforce_section(export, feedback_rate=figures.feedback_rate)
    return PrintedSection.made_of(
        "area-training",
        "Area of work: raising awareness and providing training",
        (*(Paragraph(sentence) for sentence in sentences), *section.parts),
    )


def consultation_area(figures: Figures) -> PrintedSection:
    consultations = figures.export["consultations"]
    total, outcomes = consultations["total"], consultations["by_outcome"]
    services = list(consultations["by_service"].items())
    most = " and ".join(
        f"{label_of(code, figures.labels.services)}, {n_of(count, total)}" for code, count in services[:2]
    )
    sentences = [
        f"Actual delivery was {n(total)} consultations in {_months(figures.period)} months: "
        f"{_judged(figures, 'consultations')}.",
        f"The consultations were with practitioners from {len(services)} services"
        + (f", most often from {most}." if most else "."),
        f"Following consultation, {n_of(outcomes['referred'], total)} families were referred to the service; in "
        f"{n_of(outcomes['action_plan'], total)} the practitioner was supported to develop an action plan; "
        f"{n_of(outcomes['signposted'], total)} were signposted to other services (see Figure 1).",
        f"In the {n_of(consultations['children_recorded_in'], total)} consultations where it was recorded, they "
        f"supported a total of {n(consultations['children'])} children.",
    ]
    section = consultation_section(figures.export, services=figures.labels.services)
    return PrintedSection.made_of(
        "area-consultation",
        "Area of work: providing consultation and support for practitioners",
        (*(Paragraph(sentence) for sentence in sentences), *section.parts),
    )


def _figure_blocks(*groups: Sequence) -> dict[str, FigureBlock]:
    return {part.id: part for group in groups for part in group if isinstance(part, FigureBlock)}


def _table(parts: Sequence, caption_start: str) -> Table:
    return next(part for part in parts if isinstance(part, Table) and part.caption.startswith(caption_start))


def _demographics(figures: Figures) -> list[str]:
    referrals = figures.export["referrals"]
    profile = referrals["profile"]
    ethnicity = profile["ethnicity"]
    recorded = total_of([count for code, count in ethnicity.items() if code != NOT_RECORDED])
    roles = profile["caregiver_role"]
    ages = referrals["mean_infant_age_months"]
    return [
        f"Of the {n(recorded)} caregivers whose ethnicity is recorded, {n_of(ethnicity['white'], recorded)} "
        f"self-identified as {label_of('white', ETHNICITIES)}.",
        f"Of the {n(referrals['received'])} referrals, {n_of(roles['mother'], referrals['received'])} were for "
        f"{label_of('mother', CAREGIVER_ROLES).lower()}s, and {n(referrals['antenatal'])} were antenatal.",
        f"The average age of the infant at referral was {number_cell(ages['individual'], 1).text} months for "
        f"individual work (antenatal referrals left out) and {number_cell(ages['group'], 1).text} months for group "
        "work.",
    ]


def _engagement(referrals: dict) -> list[str]:
    engagement = referrals["engagement"]
    individual, group = engagement["individual"], engagement["group"]
    accepted = {pathway: referrals["by_pathway"][pathway]["accepted"] for pathway in ("individual", "group")}
    finishing = total_of([individual["completed"], individual["in_progress"]])
    return [
        f"In total, {n(referrals['received'])} referrals were made in the period, with {n(referrals['accepted'])} "
        f"({rate_cell(referrals['accepted_rate']).text}) accepted. Of the {n(referrals['accepted'])} accepted "
        f"referrals, {n_of(accepted['individual'], referrals['accepted'])} were for individual work and "
        f"{n_of(accepted['group'], referrals['accepted'])} for group work. Of those accepted for individual work, "
        f"{n_of(finishing, accepted['individual'])} have completed or are in progress (see Figure 5).",
        f"Following referral to group work, {n_of(group['disengaged_at_referral'], accepted['group'])} disengaged "
        "before beginning assessment or intervention, compared with "
        f"{n_of(individual['disengaged_at_referral'], accepted['individual'])} of those accepted for individual work "
        f"(see Figure 6). {n_of(individual['disengaged_at_assessment'], accepted['individual'])} of those accepted "
        "for individual work disengaged during assessment, and "
        f"{n(engagement['total']['disengaged_during_intervention'])} in all during intervention.",
    ]


def _interventions(interventions: dict, labels: Labels) -> str:
    most = ", ".join(
        f"{label_of(code, labels.interventions)} (n={n(count)})"
        for code, count in list(interventions["by_intervention"].items())[:3]
    )
    sentence = (
        f"The service delivered a total of {n(interventions['episodes'])} interventions to the "
        f"{n(interventions['families'])} dyads who began intervention and completed or disengaged during it"
    )
    return f"{sentence}; the most frequent were {most} (see Figure 7)." if most else f"{sentence}."


def direct_work_area(figures: Figures) -> PrintedSection:
    export, labels = figures.export, figures.labels
    referrals = export["referrals"]
    profile, complexity = profile_parts(referrals), complexity_parts(referrals, labels)
    engagement, interventions = engagement_parts(referrals, labels), intervention_parts(export["interventions"], labels)
    blocks = _figure_blocks(profile, complexity, engagement, interventions)
    return PrintedSection.made_of(
        "area-direct-work",
        "Area of work: supporting parent-infant relationships through direct work (1:1 and group)",
        (
            Paragraph(
                f"In the period, {n(referrals['families_supported'])} families were identified and received "
                f"targeted or specialist support from the service: {_judged(figures, 'families_supported')}. In "
                f"addition, {n(export['universal']['dyads'])} parent-infant dyads engaged with a universal offer."
            ),
            Subheading("Demographics at referral", "demographics"),
            *(Paragraph(sentence) for sentence in _demographics(figures)),
            *referral_summary(referrals),
            blocks["caregiver-role"],
            blocks["ethnicity"],
            blocks["infant-age"],
            Subheading("Complexity of need", "complexity"),
            Paragraph(
                "The family's safeguarding level at acceptance (Figure 2), the deprivation of the family's postcode "
                "at referral (Figure 3) and the number of risks to the caregiving relationship (Figure 4), of the "
                "referrals accepted in the period, as recorded on or nearest after the decision."
            ),
            blocks["figure-2"],
            blocks["figure-3"],
            blocks["figure-4"],
            blocks["complexities"],
            Subheading("Referrals and engagement", "engagement"),
            *(Paragraph(sentence) for sentence in _engagement(referrals)),
            _table(engagement, "Table 2"),
            blocks["figure-5"],
            blocks["figure-6"],
            Subheading("Interventions", "interventions"),
            Paragraph(_interventions(export["interventions"], labels)),
            blocks["figure-7"],
            *waiting_parts(referrals),
            *capacity_parts(export["appointments"], export["group_places"]),
        ),
    )


def _gbo(instruments: dict) -> list[str]:
    gbo = instruments.get("gbo")
    if gbo is None or not is_shown_number(gbo["n"]) or gbo["n"] == 0:
        return []
    return [
        f"The mean T1 score for the Goal Based Outcomes was {number_cell(gbo['mean_t1'], 2, fixed=True).text} and "
        f"the mean T2 {number_cell(gbo['mean_t2'], 2, fixed=True).text}; of the {n(gbo['n'])} parents who completed "
        f"T1 and T2 Goal Based Outcomes, {n_of(gbo['reliably_improved'], gbo['n'])} reliably improved."
    ]


def outcomes_area(figures: Figures) -> PrintedSection:
    outcomes = figures.export["outcomes"]
    pairing = figures.tile("outcome_pairing_rate")
    section = outcomes_section(outcomes, pairing=pairing)
    sentences = [
        f"Of the {n(outcomes['completed'])} families who completed the intervention, "
        f"{n(outcomes['paired'])} ({rate_cell(outcomes['pairing_rate']).text}) completed both the before and the "
        f"after measures, against the {pairing.target} feasibility target: {pairing.status.words.lower()}.",
        *_gbo(outcomes["instruments"]),
        "The statistics of each measure, the mean scores before and after (Figure 8) and reliable change follow.",
    ]
    return PrintedSection.made_of("outcomes", "Outcomes", (*(Paragraph(s) for s in sentences), *section.parts))


def evaluation_document(
    *, teams: Sequence[Team], period: Period, commissioner: bool, today: datetime.date
) -> PdfDocument:
    teams = tuple(teams)
    figures = Figures.of(teams=teams, period=period, commissioner=commissioner, today=today)
    return PdfDocument(
        kind=ReportKind.EVALUATION,
        teams=teams,
        period=period,
        generated_on=today,
        disclosure=figures.disclosure,
        sections=(
            targets_section(figures, today=today),
            training_area(figures),
            consultation_area(figures),
            direct_work_area(figures),
            outcomes_area(figures),
            about_section(figures, heading="Methods"),
        ),
    )
