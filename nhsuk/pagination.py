"""NHS.UK's previous-and-next pagination (nhsuk-frontend 10), for pages that step through something other than a
django-tables2 table: the weeks of a diary, the pages of an audit history. Rendered by `{% nhsuk_pagination %}`."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PageLink:
    """Where a previous or next link leads, and the words under "Previous" or "Next" that say what is there."""

    href: str
    label: str
