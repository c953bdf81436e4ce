"""Every URL of the project needs a signed-in person, except the few public ones named here."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC_URL_NAMES = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "accessibility",
}

SAMPLE_ARGUMENTS = {"int": "1", "slug": "sample", "str": "sample", "uuid": "00000000-0000-0000-0000-000000000000"}


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin has its own sign-in, tested by Django
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern), pattern


def _sample_path(route: str) -> str:
    import re

    def replace(match):
        converter = match.group(1) or "str"
        return SAMPLE_ARGUMENTS.get(converter, "1")

    path = re.sub(r"<(?:(\w+):)?\w+>", replace, route)
    path = path.lstrip("^").rstrip("$")
    return "/" + path


ALL_URLS = sorted(_walk(get_resolver()), key=lambda item: item[1])


def test_the_walk_finds_every_app():
    names = {name for name, _, _ in ALL_URLS}
    for app in ("referrals", "outcomes", "training", "reports"):
        assert any(name.startswith(f"{app}:") for name in names), app


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), [(n, r) for n, r, _ in ALL_URLS if n not in PUBLIC_URL_NAMES])
def test_anonymous_visitors_are_sent_to_sign_in(client, name, route):
    path = _sample_path(route)
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 302, f"{name} {path} answered {response.status_code}"
        assert response.url.startswith("/account/login/"), f"{name} {path} redirected to {response.url}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PUBLIC_URL_NAMES))
def test_public_pages_are_reachable_without_signing_in(client, name):
    route = next(r for n, r, _ in ALL_URLS if n == name)
    response = client.get(_sample_path(route))
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert not response.url.startswith("/account/login/")
