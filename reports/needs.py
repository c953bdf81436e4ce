"""The needs model of the Commissioning Toolkit, section B.1 (kpis.md, "Needs model"): from a team's births a year
and its local adversity, how many babies a year are likely to have each attachment pattern and each level of need,
and the referrals a year a team resourced for 1-5% of births would see.

Pure arithmetic on two numbers the service manager enters (no queries). Percentages are kept as `Decimal` so that
15% raised by 5% is exactly 15.75%; babies a year are rounded to whole babies, halves up, only when shown.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Share:
    """A share of births, in per cent, from `low` to `high` (equal when the Toolkit gives a single figure)."""

    low: Decimal
    high: Decimal

    def scaled(self, factor: Decimal) -> "Share":
        return Share(self.low * factor, self.high * factor)

    def babies(self, births_per_year: int) -> "BabyRange":
        return BabyRange(_whole(births_per_year * self.low / HUNDRED), _whole(births_per_year * self.high / HUNDRED))

    @property
    def is_single(self) -> bool:
        return self.low == self.high


@dataclass(frozen=True)
class BabyRange:
    low: int
    high: int

    @property
    def is_single(self) -> bool:
        return self.low == self.high


def _whole(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class NeedsLine:
    code: str
    label: str
    share: Share
    babies: BabyRange


# Attachment patterns at UK-average adversity (Toolkit B.1, Table 2); secure is the remainder.
DISORGANISED = Share(Decimal(15), Decimal(15))
INSECURE = Share(Decimal(25), Decimal(30))

# Levels of need at UK-average adversity, per cent of births (Toolkit B.1), in the Toolkit's order.
NEED_TIERS = (
    ("universal_only", "Will not need support beyond a universal offer", Share(Decimal(55), Decimal(60))),
    (
        "moderate_short_term",
        "Moderate difficulties needing short-term direct work from a specialist team",
        Share(Decimal("1.5"), Decimal(2)),
    ),
    (
        "mild_moderate_targeted",
        "Mild to moderate difficulties, seeking help through targeted services",
        Share(Decimal("6.5"), Decimal(8)),
    ),
    (
        "severe_longer_term",
        "Severe difficulties needing longer-term direct work from a specialist team",
        Share(Decimal(5), Decimal(5)),
    ),
    (
        "mild_moderate_unlikely_to_reach",
        "Mild to moderate difficulties, unlikely to reach services before age two",
        Share(Decimal(16), Decimal(20)),
    ),
    (
        "severe_little_engagement",
        "Severe difficulties with little or no engagement with services",
        Share(Decimal(10), Decimal(10)),
    ),
)

# Teams are resourced to see this share of their local births (Toolkit B.1).
RESOURCED_FOR = Share(Decimal(1), Decimal(5))
# Families with moderate to severe difficulties who do not reach services before the child is two (Toolkit B.1).
NOT_REACHING_SERVICES = Share(Decimal(66), Decimal(75))


@dataclass(frozen=True)
class NeedsModel:
    births_per_year: int
    adversity_adjustment: int
    attachment: tuple[NeedsLine, ...]
    tiers: tuple[NeedsLine, ...]
    resourced_for: NeedsLine


def needs_model(*, births_per_year: int, adversity_adjustment: int = 0) -> NeedsModel:
    """The model for `births_per_year` at a local adversity `adversity_adjustment` per cent above (or, negative,
    below) the UK average. Disorganised and insecure attachment and every tier scale by (1 + adjustment); secure
    attachment is the remainder (the Toolkit's worked Example 3 prints 58-63%, the remainder is 52.75-58%)."""
    factor = 1 + Decimal(adversity_adjustment) / HUNDRED
    disorganised, insecure = DISORGANISED.scaled(factor), INSECURE.scaled(factor)
    secure = Share(HUNDRED - disorganised.high - insecure.high, HUNDRED - disorganised.low - insecure.low)

    def line(code: str, label: str, share: Share) -> NeedsLine:
        return NeedsLine(code, label, share, share.babies(births_per_year))

    return NeedsModel(
        births_per_year=births_per_year,
        adversity_adjustment=adversity_adjustment,
        attachment=(
            line("secure", "Secure attachment", secure),
            line("insecure", "Insecure attachment", insecure),
            line("disorganised", "Disorganised attachment", disorganised),
        ),
        tiers=tuple(line(code, label, share.scaled(factor)) for code, label, share in NEED_TIERS),
        resourced_for=line("resourced_for", "Referrals a year a team resourced for 1-5% of births sees", RESOURCED_FOR),
    )
