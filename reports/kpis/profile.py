"""Who is referred and how complex their needs are (kpis.md, Further figures: profile at referral, complexity at
acceptance, disengagement reasons). Each distribution comes from a grouped query (some share one), a fixed number of
queries whatever the number of referrals.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear

from pairs.periods import Period
from referrals.models import Caregiver, Complexity, DisengagementReason, LevelsRecord, Pathway, PipelineEvent, Referral
from reports.figures import Count as CountFigure
from reports.figures import Statistic
from reports.kpis.cohort import (
    DISENGAGED_STATUSES,
    NOT_RECORDED,
    accepted_in,
    distribution,
    grouped,
)

DAYS_PER_MONTH = 365.25 / 12
ANTENATAL = "antenatal"
BORN = "born"  # an infant born by the referral, of an age band
# Age bands in completed months at referral: (band, first month of the next band).
AGE_BANDS = (
    ("under_3_months", 3),
    ("3_to_5_months", 6),
    ("6_to_11_months", 12),
    ("12_to_23_months", 24),
)
OLDEST_BAND = "24_months_and_over"
IMD_DECILES = [str(decile) for decile in range(1, 11)]
SAFEGUARDING_LEVELS = [str(level) for level in Referral.SafeguardingLevel.values]
# Risk counts of this many or more are one band.
RISKS_BANDED_FROM = 5
RISK_BANDS = [*(str(count) for count in range(RISKS_BANDED_FROM)), f"{RISKS_BANDED_FROM}_or_more"]


@dataclass(frozen=True)
class Profile:
    """Who was referred in the period: the `profile` block, and the figures of the `referrals` block beside it."""

    figures: dict
    mean_infant_ages: dict[str, Statistic]
    # By the referrer's service, the most referrals first, then the vocabulary's order.
    by_referrer_service: dict[str, CountFigure]
    antenatal: CountFigure


def profile_figures(cohort: QuerySet) -> Profile:
    """The referrals in the period: the first caregiver's role, every caregiver's ethnicity, the IMD decile and each
    infant's age at referral; by pathway, the mean age in months at referral of the infants born by then (antenatal
    referrals excluded); by the referrer's service; and how many were antenatal. Three queries."""
    deciles, by_referrer_service, antenatal = _referral_counts(cohort)
    roles, ethnicities = _caregiver_counts(cohort, sum(deciles.values()))
    # The infants by their completed months at referral, banded here: a band's CASE in the query worked the months
    # out again for each band tried. The mean's infants are those born by the referral: both from one query.
    age_bands: dict[str | None, int] = {}
    born: dict[str, list] = {pathway: [datetime.timedelta(0), 0] for pathway in Pathway.values}
    for row in _infant_ages(cohort):
        band, n = _age_band(row["kind"], row["age_months"]), row["n"]
        age_bands[band] = age_bands.get(band, 0) + n
        if row["kind"] == BORN:
            born[row["pathway"]][0] += row["age"]
            born[row["pathway"]][1] += n
    mean_ages = {
        pathway: Statistic(total / datetime.timedelta(days=1) / DAYS_PER_MONTH / n if n else None, n, 1)
        for pathway, (total, n) in born.items()
    }
    figures = {
        "caregiver_role": distribution(Caregiver.Role.values, roles),
        "ethnicity": distribution(Caregiver.Ethnicity.values, ethnicities),
        "imd_decile": distribution(IMD_DECILES, {_code(decile): n for decile, n in deciles.items()}),
        "infant_age_at_referral": distribution([ANTENATAL, *(band for band, _ in AGE_BANDS), OLDEST_BAND], age_bands),
    }
    return Profile(figures, mean_ages, by_referrer_service, CountFigure(antenatal))


def _referral_counts(cohort: QuerySet) -> tuple[dict, dict[str, CountFigure], int]:
    """The referrals counted by IMD decile and by the referrer's service, and the antenatal among them: one query of
    a row a decile, service and antenatal or not (a few hundred at most), added up here."""
    rows = (
        cohort.values(
            "imd_decile",
            "is_antenatal",
            code=F("referrer_service__code"),
            sort_order=F("referrer_service__sort_order"),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    deciles: dict[int | None, int] = {}
    services: dict[tuple, int] = {}
    antenatal = 0
    for row in rows:
        n = row["n"]
        deciles[row["imd_decile"]] = deciles.get(row["imd_decile"], 0) + n
        service = (row["sort_order"], row["code"])
        services[service] = services.get(service, 0) + n
        antenatal += n if row["is_antenatal"] else 0
    most_first = sorted(services.items(), key=lambda item: (-item[1], *item[0]))
    return deciles, {code: CountFigure(n) for (_, code), n in most_first}, antenatal


def _caregiver_counts(cohort: QuerySet, referrals: int) -> tuple[dict, dict]:
    """The referrals counted by their first caregiver's role, and their caregivers by ethnicity: one query of the
    cohort's caregivers. A referral's caregivers are at positions 1 and 2, so its first is the one at 1, or the one
    at 2 where there is none at 1. Each referral with a caregiver has one first, so the cohort's `referrals` less
    those are the referrals without any, whose role is not recorded (None).

    The caregivers are found among the cohort's referrals, not joined to them: PostgreSQL joined a region's year of
    referrals to every caregiver of every year by one hash (92 ms, median of 11), and finds them by the referrals
    here (75 ms; bench/README.md)."""
    none_first = ~Exists(Caregiver.objects.filter(referral=OuterRef("referral"), position=1))
    rows = (
        Caregiver.objects.filter(referral__in=cohort.values("pk"))
        .annotate(
            first=Case(When(position=1, then=Value(True)), When(none_first, then=Value(True)), default=Value(False))
        )
        .values("first", "role", "ethnicity")
        .annotate(n=Count("pk"))
        .order_by()
    )
    roles: dict[str | None, int] = {}
    ethnicities: dict[str | None, int] = {}
    for row in rows:
        if row["first"]:
            roles[row["role"]] = roles.get(row["role"], 0) + row["n"]
        ethnicities[row["ethnicity"]] = ethnicities.get(row["ethnicity"], 0) + row["n"]
    without_caregivers = referrals - sum(roles.values())
    if without_caregivers:
        roles[None] = without_caregivers
    return roles, ethnicities


def _code(value) -> str | None:
    return None if value is None else str(value)


def _infant_ages(cohort: QuerySet) -> QuerySet:
    """The referrals' infants (and a referral with no infant recorded, once) grouped by pathway, `kind` and
    `age_months`, with their number `n` and their ages at referral summed (`age`).

    `kind` is `BORN` for an infant born by the referral, whose `age_months` are the months completed by then; an
    antenatal referral's infants are antenatal even when born by now, as is an infant still unborn (only a due date)
    or born after the referral; a referral without an infant has neither kind nor age (null)."""
    months_apart = (ExtractYear("received_on") - ExtractYear("infants__date_of_birth")) * 12 + (
        ExtractMonth("received_on") - ExtractMonth("infants__date_of_birth")
    )
    day_after = ExpressionWrapper(F("received_on") + datetime.timedelta(days=1), output_field=DateField())
    born = Q(is_antenatal=False, infants__date_of_birth__lte=F("received_on"))
    rows = cohort.annotate(
        born_day=ExtractDay("infants__date_of_birth"),
        received_day=ExtractDay("received_on"),
        day_after_received=ExtractDay(day_after),
        kind=Case(
            When(is_antenatal=True, then=Value(ANTENATAL)),
            When(infants__pk=None, then=Value(None)),
            When(born, then=Value(BORN)),
            default=Value(ANTENATAL),
        ),
    )
    # A month completes on the same day of a later month, or on its last day when that month is shorter.
    short_of_a_month = Q(received_day__lt=F("born_day")) & ~Q(day_after_received=1)
    age_months = months_apart - Case(When(short_of_a_month, then=Value(1)), default=Value(0))
    return (
        rows.annotate(age_months=Case(When(born, then=age_months)))
        .values("pathway", "kind", "age_months")
        .annotate(
            n=Count("pk"),
            age=Sum(ExpressionWrapper(F("received_on") - F("infants__date_of_birth"), output_field=DurationField())),
        )
        .order_by()
    )


def _age_band(kind: str | None, months: int | None) -> str | None:
    """An `_infant_ages` row's band: antenatal or not recorded as its kind says, else its completed months' band
    (the born always have their months)."""
    if kind != BORN or months is None:
        return kind
    return next((band for band, below in AGE_BANDS if months < below), OLDEST_BAND)


def _as_at_acceptance(field: str, end: datetime.date) -> Coalesce:
    """The level recorded last on or before the day of acceptance (`Referral.accepted_on`) or, where there is none,
    the first recorded after it and on or before `end` (kpis.md)."""
    recorded = LevelsRecord.objects.filter(referral=OuterRef("pk"), **{f"{field}__isnull": False})
    before = recorded.filter(recorded_on__lte=OuterRef("accepted_on")).order_by("-recorded_on", "-recorded_at", "-pk")
    after = recorded.filter(recorded_on__gt=OuterRef("accepted_on"), recorded_on__lte=end)
    return Coalesce(
        Subquery(before.values(field)[:1]),
        Subquery(after.order_by("recorded_on", "recorded_at", "pk").values(field)[:1]),
    )


def at_acceptance_figures(period: Period, cohort: QuerySet) -> dict:
    """The accepted referrals of the period: safeguarding level and number of risks at acceptance, and how many
    have each complexity (Figures 2 and 4 of the evaluation). Three queries."""
    end = period.end
    accepted = accepted_in(cohort, period)
    # Both levels in one query, grouped by the pair, and each distribution added up here: the accepted referrals
    # have a few levels and a handful of distinct counts, so a few dozen groups. The count is banded here, not by
    # a CASE in the query, which would repeat its two subqueries in every branch.
    at_acceptance = accepted.annotate(
        level=_as_at_acceptance("safeguarding_level", end), risks=_as_at_acceptance("risk_count", end)
    )
    levels: dict[str | None, int] = {}
    risks: dict[str | None, int] = {}
    for row in at_acceptance.values("level", "risks").annotate(n=Count("pk")).order_by():
        level, count, n = _code(row["level"]), row["risks"], row["n"]
        band = None if count is None else RISK_BANDS[min(count, RISKS_BANDED_FROM)]
        levels[level] = levels.get(level, 0) + n
        risks[band] = risks.get(band, 0) + n
    # Counted from the accepted referrals' own links (one row a referral and code, a referral without any code in
    # the null group), then every code of the vocabulary given its count: counted from the vocabulary (a join
    # filtered in the count), the database read every referral's links in the region.
    counts = grouped(accepted.annotate(code=F("complexities__code")), "code")
    codes = Complexity.objects.order_by("sort_order", "code").values_list("code", flat=True)
    return {
        "safeguarding_level": distribution(SAFEGUARDING_LEVELS, levels),
        "risk_count": distribution(RISK_BANDS, risks),
        "complexities": {
            **{code: CountFigure(counts.get(code, 0)) for code in codes},
            NOT_RECORDED: CountFigure(counts.get(None, 0)),
        },
    }


def disengagement_figures(period: Period, cohort: QuerySet) -> dict:
    """The referrals of the period disengaged as at its end, by that status and the reason recorded with it
    (Figure 6 of the evaluation). Two queries: the counts, and the vocabulary of reasons."""
    rows = (
        PipelineEvent.objects.state_as_at(period.end)
        .filter(referral__in=cohort.values("pk"), status__in=DISENGAGED_STATUSES)
        .values_list("status", "disengagement_reason__code")
        .annotate(n=Count("pk"))
    )
    counts: dict[str, dict[str, int]] = {status: {} for status in DISENGAGED_STATUSES}
    for status, reason, n in rows:
        counts[status][reason] = n
    codes = list(DisengagementReason.objects.order_by("sort_order", "code").values_list("code", flat=True))
    return {status: distribution(codes, counts[status]) for status in DISENGAGED_STATUSES}
