"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright's sync API against pytest-django's
live server.

Screenshots go to var/screenshots/ (named page-WIDTHxHEIGHT.png) so a person can look at them.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; the tests still use the ORM directly.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
SCREENS = {"phone": {"width": 375, "height": 812}, "laptop": {"width": 1280, "height": 800}}
PASSWORD = "quiet harbour lanterns"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def chromium():
    """Chromium for one test file, stopped after it.

    Not pytest-playwright's session-wide browser: its Playwright would stay running to the end of the
    session, and other test files that start their own `sync_playwright()` cannot run beside it.
    """
    if not Path(CHROMIUM).exists():
        pytest.exit(f"Chromium is not installed at {CHROMIUM}: apt-get install -y chromium", 3)
    if not AXE.exists():
        pytest.exit(f"axe-core is missing at {AXE}: run `npm ci`", 3)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def open_page(context):
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    return page


@pytest.fixture(params=list(SCREENS))
def screen(request):
    return request.param


@pytest.fixture
def site(chromium, live_server, screen):
    """A browser tab on the live server, at the size of a phone or a laptop."""
    context = chromium.new_context(viewport=SCREENS[screen], base_url=live_server.url)
    yield open_page(context)
    context.close()


@pytest.fixture
def laptop(chromium, live_server):
    context = chromium.new_context(viewport=SCREENS["laptop"], base_url=live_server.url)
    yield open_page(context)
    context.close()


def screenshot_path(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    return SCREENSHOTS / f"{name}-{size['width']}x{size['height']}.png"


def screenshot(page, name):
    """Save the whole page as var/screenshots/<name>-<width>x<height>.png."""
    path = screenshot_path(page, name)
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page):
    """Run axe-core in the page and fail on any serious or critical violation.

    axe is evaluated through the DevTools protocol: an injected <script> tag would break our strict CSP.
    The page must also have run without the browser blocking anything under that CSP.
    """
    blocked = [message for message in page.console_errors if "Content Security Policy" in message]
    assert not blocked, blocked
    page.evaluate(AXE.read_text())
    violations = page.evaluate("async () => (await axe.run()).violations")
    serious = [violation for violation in violations if violation["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(node["html"][:120] for node in violation["nodes"][:3])
        for violation in serious
    )


def tab_to(page, selector, presses=150):
    """Press Tab until the focused element matches `selector`, as a keyboard-only person would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def sign_in(page, email, password=PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))
