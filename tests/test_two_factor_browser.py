"""Set up two-step sign-in and use it, in real Chromium under the real Content-Security-Policy.

Screenshots land in var/screenshots/. Fixtures stay in this file so they never clash with others.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import UserFactory
from tests.test_two_factor import PASSWORD, totp_code

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def policy_violations(page):
    """Every message in which Chromium reports something the Content-Security-Policy blocked."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def serious_accessibility_problems(page):
    # Evaluated through the DevTools protocol: an injected <script> tag would break our strict CSP.
    page.evaluate((Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js").read_text())
    violations = page.evaluate("async () => (await axe.run()).violations")
    return [(v["id"], v["nodes"][0]["html"]) for v in violations if v["impact"] in ("serious", "critical")]


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def sign_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()


def test_it_sets_up_two_step_sign_in_and_signs_in_with_it(
    page, live_server, transactional_db, policy_violations
):
    UserFactory(email="careful@example.com")
    page.set_viewport_size({"width": 375, "height": 900})
    sign_in(page, live_server.url, "careful@example.com")

    page.goto(f"{live_server.url}/accounts/settings/")
    page.get_by_role("link", name="Set up two-step sign-in").click()
    assert serious_accessibility_problems(page) == []
    page.get_by_role("link", name="Set up an authenticator app").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Confirm").click()

    assert page.get_by_role("img", name="QR code for SupportNet in your authenticator app").is_visible()
    secret = page.get_by_label("Key to type in instead").input_value()
    assert serious_accessibility_problems(page) == []
    screenshot(page, "two-step-set-up")
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Turn on two-step sign-in").click()

    assert page.get_by_role("heading", name="Recovery codes").is_visible()
    assert len(page.get_by_label("Unused codes").input_value().split()) == 10
    assert serious_accessibility_problems(page) == []

    page.goto(f"{live_server.url}/accounts/sessions/")
    assert page.get_by_text("This browser").is_visible()
    assert serious_accessibility_problems(page) == []
    screenshot(page, "two-step-sessions")

    page.locator("nav").get_by_role("button", name="Sign out").click()
    sign_in(page, live_server.url, "careful@example.com")
    assert page.get_by_role("heading", name="Enter your code").is_visible()
    assert serious_accessibility_problems(page) == []
    page.get_by_label("Code").fill(totp_code(secret))
    page.locator("main").get_by_role("button", name="Sign in").click()
    assert page.url == f"{live_server.url}/"

    assert policy_violations == []
