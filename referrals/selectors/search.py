"""Finding a family: one search box that takes a case reference, a name, an NHS number, a date of birth or a
postcode, as a person types them.

Names are matched against `Referral.family_names`, a column the family's services keep current in the transaction
that changes a name: every caregiver's and infant's name, folded by `fold()` (accents taken off, lower case, one
space between words), one a line. Folding in Python, once, on write means that the database compares plain text
with plain text: no `unaccent()` (an extension, and not immutable, so no index could use it) and the same answer
on PostgreSQL and SQLite.

- PostgreSQL (the `referrals` migration `family_search`): pg_trgm's GIN indexes on `family_names` and `reference`
  serve both `LIKE '%part%'` (any part of a name) and the word-similarity operator `<%` (a name mistyped by a
  letter or two), and `strict_word_similarity()` ranks the name matches: a whole name (Ashbrook) before a longer
  one that contains it (Ashbrookes).
- SQLite: a plain `LIKE` on the same folded column; name matches in order of receipt, the newest first.

Exact identifiers (NHS number, date of birth, postcode) use the B-tree indexes of the caregiver's and infant's
columns. Whatever the data size, a search is one count, one page of referrals and two prefetches (caregivers,
infants): `SEARCH_QUERIES`.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramStrictWordSimilarity
from django.db import connection
from django.db.models import Case, Exists, F, FloatField, IntegerField, OuterRef, Q, Value, When

from pairs.models import Team
from referrals.models import Caregiver, Infant, Referral, ReferralQuerySet
from referrals.validators import POSTCODE_PATTERN, normalise_nhs_number, normalise_postcode

# The shortest text searched for: one letter would find nearly every family.
MIN_QUERY_LENGTH = 2
# A name a letter or two out is looked for (PostgreSQL) from this many letters.
MIN_FUZZY_LENGTH = 4
# A longer text is nobody's name or number: cut, so that the search stays cheap.
MAX_QUERY_LENGTH = 100
# One count, one page, the page's caregivers and its infants.
SEARCH_QUERIES = 4

MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        datetime.date(2000, number, 1).strftime("%B").lower(),
        datetime.date(2000, number, 1).strftime("%b").lower(),
    )
}
MONTHS["sept"] = 9
NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
WORDED_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)? ([a-z]+),? (\d{4})$")


class Rank:
    """How well a referral answers the search, best first: the order of the results."""

    REFERENCE = 0
    IDENTIFIER = 1
    PART_OF_REFERENCE = 2
    NAME = 3


def fold(text: str) -> str:
    """Text as search compares it: without accents (Zoë is zoe, Siân is sian), in lower case, one space between
    words."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(character for character in decomposed if not unicodedata.combining(character))
    return " ".join(bare.casefold().split())


def family_names_text(names) -> str:
    """The `Referral.family_names` of a family with these names."""
    return "\n".join(folded for folded in (fold(name) for name in names) if folded)


def parse_date(text: str) -> datetime.date | None:
    """A date as a person types it: 3/4/1990, 03-04-1990, 3.4.1990, 1990-04-03, 3 April 1990, 3rd Apr 1990."""
    text = fold(text).replace(",", " ")
    text = " ".join(text.split())
    try:
        if match := NUMERIC_DATE.match(text):
            day, month, year = (int(group) for group in match.groups())
        elif match := ISO_DATE.match(text):
            year, month, day = (int(group) for group in match.groups())
        elif (match := WORDED_DATE.match(text)) and match.group(2) in MONTHS:
            day, month, year = int(match.group(1)), MONTHS[match.group(2)], int(match.group(3))
        else:
            return None
        return datetime.date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class SearchTerms:
    """What a search text can be read as: each reading is tried, and a referral matching any of them is found."""

    text: str
    folded: str
    words: list[str] = field(default_factory=list)
    nhs_number: str = ""
    date_of_birth: datetime.date | None = None
    postcode: str = ""

    @classmethod
    def read(cls, text: str) -> "SearchTerms":
        text = " ".join((text or "").split())[:MAX_QUERY_LENGTH]
        folded = fold(text)
        digits = normalise_nhs_number(text)
        postcode = normalise_postcode(text)
        return cls(
            text=text,
            folded=folded,
            words=folded.split(),
            nhs_number=digits if re.fullmatch(r"\d{10}", digits) else "",
            date_of_birth=parse_date(text),
            postcode=postcode if POSTCODE_PATTERN.match(postcode) else "",
        )

    @property
    def is_searchable(self) -> bool:
        return len(self.folded.replace(" ", "")) >= MIN_QUERY_LENGTH

    @property
    def may_be_mistyped_name(self) -> bool:
        """Letters only, and enough of them for a near miss to mean something: "ab-1" is like every Abigail."""
        return not any(character.isdigit() for character in self.folded) and len(self.folded) >= MIN_FUZZY_LENGTH


def _identifier_match(terms: SearchTerms) -> Q | None:
    """Referrals with a caregiver of that NHS number, date of birth or postcode, or an infant born that day."""
    caregiver = Q()
    if terms.nhs_number:
        caregiver |= Q(nhs_number=terms.nhs_number)
    if terms.date_of_birth:
        caregiver |= Q(date_of_birth=terms.date_of_birth)
    if terms.postcode:
        caregiver |= Q(postcode=terms.postcode)
    if not caregiver:
        return None
    match = Q(Exists(Caregiver.objects.filter(caregiver, referral=OuterRef("pk"))))
    if terms.date_of_birth:
        match |= Q(Exists(Infant.objects.filter(referral=OuterRef("pk"), date_of_birth=terms.date_of_birth)))
    return match


def _name_match(terms: SearchTerms) -> Q:
    """Every word of the text in the family's names (any part of a name), or, on PostgreSQL, the text like one of
    their names (a letter or two out)."""
    match = Q()
    for word in terms.words:
        match &= Q(family_names__contains=word)
    if connection.vendor == "postgresql" and terms.may_be_mistyped_name:
        match |= Q(TrigramWordSimilar(F("family_names"), Value(terms.folded)))
    return match


def referral_search(*, user, team: Team, text: str) -> ReferralQuerySet:
    """The team's referrals that `text` finds, best first (`Rank`; names by similarity on PostgreSQL, then the
    newest first), with their
    current status, or none for a text too short to search. Outside the person's clinical teams: none.

    Lazy: the caller pages it (one count, one page); the page's caregivers and infants come in one query each.
    """
    terms = SearchTerms.read(text)
    scoped = Referral.objects.visible_to(user, team)
    if not terms.is_searchable:
        return scoped.none()
    identifiers = _identifier_match(terms)
    part_of_reference = Q(reference__icontains=terms.text)
    found = part_of_reference | _name_match(terms)
    rank_when = [When(reference__iexact=terms.text, then=Value(Rank.REFERENCE))]
    if identifiers is not None:
        found |= identifiers
        rank_when.append(When(identifiers, then=Value(Rank.IDENTIFIER)))
    rank_when.append(When(part_of_reference, then=Value(Rank.PART_OF_REFERENCE)))
    similarity = (
        TrigramStrictWordSimilarity(terms.folded, "family_names")
        if connection.vendor == "postgresql"
        else Value(0.0, output_field=FloatField())
    )
    return (
        scoped.filter(found)
        .with_current_status()
        .annotate(
            rank=Case(*rank_when, default=Value(Rank.NAME), output_field=IntegerField()),
            similarity=similarity,
        )
        .select_related("assigned_practitioner")
        .prefetch_related("caregivers", "infants")
        .order_by("rank", "-similarity", "-received_on", "-pk")
    )
