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
