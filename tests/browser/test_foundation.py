import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_errors_show_a_focused_error_summary(page, page_check, practitioner):
    page.goto("/account/login/")
    page_check(page, "login")
    page.get_by_label("Username").fill(practitioner.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert page.title().startswith("Error: ")
    page_check(page, "login-error")


@pytest.mark.parametrize(
    ("role_user", "heading", "visible", "hidden"),
    [
        ("practitioner", "My caseload", ["Referrals", "Outcomes", "Workforce"], ["Reports"]),
        ("manager", "Service dashboard", ["Referrals", "Outcomes", "Workforce", "Reports"], []),
        ("commissioner", "Reports for commissioners", ["Reports"], ["Referrals", "Outcomes", "Workforce"]),
    ],
)
def test_each_role_sees_its_own_home_and_navigation(
    page, page_check, sign_in, request, role_user, heading, visible, hidden
):
    user = request.getfixturevalue(role_user)
    sign_in(page, user)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    menu = page.get_by_role("navigation", name="Menu")
    for label in visible:
        expect(menu.get_by_role("link", name=label, exact=True)).to_be_visible()
    for label in hidden:
        expect(menu.get_by_role("link", name=label, exact=True)).to_have_count(0)
    page_check(page, f"home-{role_user}")
    page.get_by_role("link", name="Accessibility statement").click()
    page_check(page, "accessibility")


PROBE_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def _page_with_image(page, source: str) -> None:
    page.goto("/account/login/")
    page.evaluate(
        "source => { const image = document.createElement('img'); image.alt = 'probe'; image.src = source;"
        " document.querySelector('main').append(image); }",
        source,
    )


def test_the_page_check_refuses_an_image_that_stays_broken(page, page_check):
    _page_with_image(page, "/no-such-image.svg")
    with pytest.raises(
        AssertionError, match=r"broken images on broken .*, twice; the server answered .*no-such-image.svg': '\d{3}"
    ):
        page_check(page, "broken")


def test_the_page_check_loads_an_image_broken_once_again(page, page_check):
    requests = []

    def broken_once(route):
        requests.append(route.request.url)
        if len(requests) == 1:
            route.abort()
        else:
            route.fulfill(status=200, content_type="image/svg+xml", body=PROBE_SVG)

    page.route("**/probe.svg*", broken_once)
    _page_with_image(page, "/probe.svg")
    with pytest.warns(UserWarning, match="images broken at first on probe"):
        page_check(page, "probe")
    assert len(requests) == 2
