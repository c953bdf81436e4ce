"""Production smoke test: a few requests to PaIRS served by gunicorn on a loopback port, as a person would make them.

Run by `.ci/run` after `collectstatic` and `load_demo`, against the demo service on PostgreSQL with DEBUG off. Every
request carries `X-Forwarded-Proto: https`, as the reverse proxy in front of a real deployment adds it, so that the
HTTPS-only settings (redirect, secure cookies, HSTS) stay on as in production. A background worker runs beside
gunicorn, which makes the quarterly PDF the smoke test asks for. Standard library only, so that it
tests the deployment and not a client library. Prints one line per check and `smoke: N passed, N failed` last.

    python .ci/smoke.py http://127.0.0.1:8765 --username demo.manager --password ...
"""

import argparse
import hashlib
import hmac
import html
import http.client
import json
import re
import struct
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@dataclass
class Browser:
    """Just enough of a browser: one loopback server, cookies kept by name, redirects not followed."""

    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"https://{self.host}:{self.port}"

    def request(self, method: str, path: str, form: dict[str, str] | None = None, timeout: float = 30) -> Response:
        headers = {"X-Forwarded-Proto": "https", "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # Django's CSRF check on a secure request wants the page's own origin.
            headers["Origin"] = self.origin
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read().decode("utf-8", errors="replace"))
        finally:
            connection.close()
        for set_cookie in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(set_cookie).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]) -> Response:
        return self.request("POST", path, form)


class Smoke:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        if ok:
            self.passed += 1
            print(f"  ok    {name}")
        else:
            self.failed += 1
            print(f"  FAIL  {name}{': ' + detail if detail else ''}")
        return ok


def wait_until_up(browser: Browser, seconds: float) -> bool:
    """Gunicorn answers once its workers have loaded Django; poll the health check for a bounded time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            browser.request("GET", "/healthz", timeout=5)
            return True
        except OSError:
            time.sleep(0.5)
    return False


def csrf_token_of(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


# A service quarter of the demo service (its year starts in March) that holds figures, and how long to wait for a
# worker to make its PDF: a few seconds' render, after the worker's start on a machine busy with the web server.
DEMO_QUARTER = "start=2023-12-01&end=2024-02-29"
JOB_SECONDS = 180


def quarterly_pdf_checks(browser: Browser, smoke: Smoke) -> None:
    """The quarterly PDF as a manager takes it: the dashboard's link queues a job, the job's page follows it (as its
    script does, through the status address) until a worker has made the file, and the file is a PDF."""
    dashboard = browser.get(f"/reports/?{DEMO_QUARTER}")
    link = re.search(r'href="(/reports/pdf/quarterly\.pdf\?[^"]+)"', dashboard.body)
    linked = link is not None
    if not (
        smoke.check("the dashboard of a demo quarter links its quarterly PDF", linked, str(dashboard.status)) and link
    ):
        return
    started = browser.get(html.unescape(link.group(1)))
    job_page = started.header("Location")
    job = re.fullmatch(r"/jobs/([0-9a-f-]{36})/", job_page)
    queued = started.status == 302 and job is not None
    if not (smoke.check("asking for it queues a job and goes to the job's page", queued, job_page) and job):
        return
    deadline, status = time.monotonic() + JOB_SECONDS, {}
    while time.monotonic() < deadline:
        try:
            status = json.loads(browser.get(f"/jobs/{job.group(1)}/status/").body)
        except ValueError:
            status = {}
        if status.get("finished"):
            break
        time.sleep(1)
    if not smoke.check(
        f"a worker makes it within {JOB_SECONDS} s", status.get("status") == "done", f"the job is {status or 'unknown'}"
    ):
        return
    page = browser.get(job_page)
    offered = re.search(r'href="(/jobs/[0-9a-f-]{36}/file/)" download>Download ([^<]+\.pdf)<', page.body)
    shown = page.status == 200 and offered is not None
    if not (smoke.check("the job's page offers the PDF", shown, page.body[:300]) and offered):
        return
    pdf = browser.get(offered.group(1))
    smoke.check(
        f"{offered.group(2)} downloads as a PDF",
        pdf.status == 200 and pdf.header("Content-Type") == "application/pdf" and pdf.body.startswith("%PDF-"),
        f"{pdf.status} {pdf.header('Content-Type')!r} {pdf.body[:20]!r}",
    )


# The demo's published authenticator key (demo/accounts.py, docs/adr/0007-two-factor.md): demo.manager and demo.admin
# confirm each sign-in with its code when two-factor sign-in is on, as it is under production settings.
DEMO_TWO_FACTOR_KEY = "50614952532064656d6f206f6e6c79206b657921"
TWO_FACTOR_VERIFY_PATH = "/account/two-factor/verify/"


def totp_code(hex_key: str, at: float | None = None) -> str:
    """The code an authenticator app set up with `hex_key` shows now: RFC 6238 as django-otp's TOTP devices have it
    by default (HMAC-SHA1, 30-second steps from 0, 6 digits)."""
    step = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def password_and_second_step(
    browser: Browser, smoke: Smoke, sign_in_page: Response, username: str, password: str
) -> str:
    """The password, then the second step when the service asks for one (the code of the demo key); where the
    person lands."""
    signed_in = browser.post(
        "/account/login/",
        {"csrfmiddlewaretoken": csrf_token_of(sign_in_page.body), "username": username, "password": password},
    )
    smoke.check(
        f"{username} signs in",
        signed_in.status == 302 and "sessionid" in browser.cookies,
        f"{signed_in.status} {signed_in.header('Location')!r} {signed_in.body[:300]}",
    )
    landing_path = signed_in.header("Location") or "/"
    asked = browser.get(landing_path)
    if not (asked.status == 302 and asked.header("Location").startswith(TWO_FACTOR_VERIFY_PATH)):
        return landing_path
    verify_path = asked.header("Location")
    verify_page = browser.get(verify_path)
    verified = browser.post(
        verify_path, {"csrfmiddlewaretoken": csrf_token_of(verify_page.body), "code": totp_code(DEMO_TWO_FACTOR_KEY)}
    )
    smoke.check(
        f"{username} passes the second step with the code of the demo's authenticator key",
        verify_page.status == 200 and verified.status == 302,
        f"{verify_page.status} then {verified.status} {verified.header('Location')!r} {verified.body[:300]}",
    )
    return verified.header("Location") or "/"


def run(base_url: str, username: str, password: str, wait_seconds: float) -> Smoke:
    url = urllib.parse.urlsplit(base_url)
    browser = Browser(url.hostname or "127.0.0.1", url.port or 80)
    smoke = Smoke()
    if not smoke.check(f"the server answers within {wait_seconds:.0f} s", wait_until_up(browser, wait_seconds)):
        return smoke

    health = browser.get("/healthz")
    try:
        health_json = json.loads(health.body)
    except ValueError:
        health_json = {}
    smoke.check(
        "/healthz is ok, database included",
        health.status == 200 and health_json == {"status": "ok", "database": "ok"},
        f"{health.status} {health.body[:200]}",
    )

    sign_in = browser.get("/account/login/")
    smoke.check("the sign-in page answers 200", sign_in.status == 200, f"{sign_in.status} {sign_in.body[:200]}")
    smoke.check(
        "it is served with the production security headers",
        "max-age=" in sign_in.header("Strict-Transport-Security")
        and "default-src" in sign_in.header("Content-Security-Policy"),
        f"HSTS {sign_in.header('Strict-Transport-Security')!r}, CSP {sign_in.header('Content-Security-Policy')!r}",
    )
    # Without collectstatic's manifest every page would answer 500; with it the stylesheet has a hashed name.
    stylesheet = re.search(r'href="(/static/vendor/nhsuk/nhsuk-frontend\.min\.[0-9a-f]{12}\.css)"', sign_in.body)
    css = browser.get(stylesheet.group(1)) if stylesheet else None
    smoke.check(
        "the NHS.UK stylesheet is served under its hashed name",
        css is not None and css.status == 200 and css.header("Content-Type").startswith("text/css") and bool(css.body),
        "no hashed stylesheet link on the sign-in page" if css is None else f"{css.status}",
    )

    landing_path = password_and_second_step(browser, smoke, sign_in, username, password)
    landing = browser.get(landing_path)
    smoke.check(f"their landing page {landing_path} answers 200", landing.status == 200, f"{landing.status}")
    dashboard = browser.get("/reports/")
    smoke.check(
        "the dashboard /reports/ answers 200 with the demo team's figures",
        dashboard.status == 200 and "Blackpool PaIRS" in dashboard.body,
        f"{dashboard.status} {dashboard.header('Location')!r}",
    )
    quarterly_pdf_checks(browser, smoke)
    return smoke


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("base_url", help="for example http://127.0.0.1:8765")
    parser.add_argument("--username", default="demo.manager")
    parser.add_argument("--password", default="demo-manager-password")
    parser.add_argument("--wait", type=float, default=60, help="seconds to wait for the server to answer")
    arguments = parser.parse_args()
    smoke = run(arguments.base_url, arguments.username, arguments.password, arguments.wait)
    print(f"smoke: {smoke.passed} passed, {smoke.failed} failed")
    return 1 if smoke.failed else 0


if __name__ == "__main__":
    sys.exit(main())
