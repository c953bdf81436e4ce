"""`{% nhsuk_pagination %}`: NHS.UK's previous-and-next links, either left out when there is nowhere to go."""

from django.template import engines

from nhsuk.pagination import PageLink

TEMPLATE = engines["django"].from_string(
    '{% load nhsuk %}{% nhsuk_pagination label="Weeks" unit="week" previous=previous following=following %}'
)


def test_both_links_say_where_they_lead_and_escape_their_address():
    html = TEMPLATE.render(
        {"previous": PageLink("?p=1&week=2026-11-23", "Week of 23 November"), "following": PageLink("?p=1", "Later")}
    )
    assert '<nav class="nhsuk-pagination" role="navigation" aria-label="Weeks">' in html
    assert 'href="?p=1&amp;week=2026-11-23" rel="prev"' in html
    assert 'Previous<span class="nhsuk-u-visually-hidden"> week</span>' in html
    assert '<span class="nhsuk-pagination__page">Week of 23 November</span>' in html
    assert 'class="nhsuk-pagination__link nhsuk-pagination__link--next" href="?p=1" rel="next"' in html
    assert html.index("nhsuk-icon--arrow-left") < html.index("nhsuk-icon--arrow-right")


def test_a_first_page_has_no_previous_link_and_a_last_page_no_next():
    first = TEMPLATE.render({"previous": None, "following": PageLink("?page=2", "Older entries")})
    last = TEMPLATE.render({"previous": PageLink("?page=1", "Newer entries"), "following": None})
    assert 'rel="prev"' not in first
    assert 'rel="next"' in first
    assert 'rel="next"' not in last
    assert "nhsuk-icon--arrow-right" not in last


def test_with_nowhere_to_go_there_is_no_navigation():
    assert TEMPLATE.render({"previous": None, "following": None}).strip() == ""
