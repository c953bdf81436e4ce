"""Fictional names for the demo's families: enough that a search for a surname finds one family, not ten.

Each family (referral) gets its own surname, the same on every run: the surnames are dealt out in a fixed shuffled
order to the team's referrals in order of reference. The surnames are made up from two halves (Amber and brook,
Amberbrook), so none is a real family's; the first names are common ones, some with accents, as search has to
take them.
"""

import random
from collections.abc import Iterable

SURNAME_STARTS = (
    "Amber", "Birch", "Clover", "Dapple", "Elder", "Fennel", "Gorse", "Heather", "Ivy", "Juniper", "Kestrel",
    "Larch", "Maple", "Nettle", "Oriel", "Pebble", "Quill", "Rowan", "Sorrel", "Thistle", "Umber", "Vetch",
    "Willow", "Yarrow", "Zinnia",
)  # fmt: skip
SURNAME_ENDS = (
    "brook", "combe", "dale", "field", "ford", "gate", "hurst", "ley", "mere", "stead", "thorpe", "well", "wick",
    "worth",
)  # fmt: skip
SURNAMES = tuple(start + end for start in SURNAME_STARTS for end in SURNAME_ENDS)

WOMEN_NAMES = (
    "Aaliyah", "Abigail", "Adele", "Aimée", "Aisha", "Alana", "Amy", "Anya", "Aoife", "Bethan", "Bronwen", "Caitlin",
    "Carys", "Chantelle", "Chloé", "Ciara", "Courtney", "Dani", "Demi", "Ebony", "Eleni", "Ellie", "Emma", "Esmé",
    "Farah", "Fern", "Gemma", "Georgia", "Grace", "Hana", "Hollie", "Imani", "Inés", "Jade", "Jasmine", "Jodie",
    "Kayleigh", "Keeley", "Kirsty", "Lacey", "Laila", "Leanne", "Lucy", "Maja", "Maria", "Maryam", "Megan", "Mia",
    "Naomi", "Natalia", "Niamh", "Nicole", "Olivia", "Paige", "Priya", "Rachel", "Rebecca", "Renée", "Rhiannon",
    "Róisín", "Sadia", "Samira", "Shannon", "Siân", "Sophie", "Stacey", "Tanya", "Tegan", "Toni", "Zara", "Zoë",
)  # fmt: skip
MEN_NAMES = (
    "Aaron", "Adam", "Ahmed", "Ben", "Callum", "Connor", "Craig", "Daniel", "Dean", "Declan", "Elliot", "Gareth",
    "Jamal", "Jamie", "José", "Kieran", "Liam", "Luke", "Marek", "Mohammed", "Nathan", "Owen", "Ryan", "Seán",
    "Tomasz", "Tyler", "Wayne",
)  # fmt: skip
ADULT_NAMES = WOMEN_NAMES + MEN_NAMES
CHILD_NAMES = (
    "Alfie", "Amara", "Archie", "Arlo", "Aurora", "Ava", "Bella", "Bodhi", "Charlie", "Chloé", "Daisy", "Eden", "Eli",
    "Elsie", "Emil", "Ezra", "Evie", "Finn", "Florence", "Freya", "George", "Harper", "Harry", "Hugo", "Ibrahim",
    "Isla", "Ivy", "Jack", "Jude", "Kai", "Leo", "Lily", "Lola", "Luca", "Luna", "Maeve", "Margot", "Mila", "Milo",
    "Nala", "Noah", "Nova", "Olly", "Oscar", "Penny", "Phoebe", "Poppy", "Reuben", "Rosie", "Rory", "Ruby", "Sienna",
    "Sofia", "Teddy", "Theo", "Thea", "Tommy", "Willow", "Yusuf", "Zoë",
)  # fmt: skip


def caregiver_names(role: str) -> tuple[str, ...]:
    """The first names a caregiver of `role` (`Caregiver.Role`) is given: a mother's are women's, a father's men's."""
    return {"mother": WOMEN_NAMES, "father": MEN_NAMES}.get(role, ADULT_NAMES)


def family_surnames(seed: str, references: Iterable[str]) -> dict[str, str]:
    """A surname for each referral, a different one for each while the surnames last."""
    order = list(SURNAMES)
    random.Random(f"{seed}-surnames").shuffle(order)
    return {reference: order[index % len(order)] for index, reference in enumerate(sorted(references))}
