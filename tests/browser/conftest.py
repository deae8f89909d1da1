"""Real Chromium (Debian's) driven by Playwright, with axe-core for accessibility checks."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def _allow_orm_beside_playwright() -> Iterator[None]:
    # Playwright's sync API keeps an event loop running in this thread while the browser is
    # open; the ORM calls made meanwhile are ordinary synchronous code, so Django's async-safety
    # guard is off from the first browser test until the browser closes.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _collected_static() -> None:
    # pytest-django's live server serves /static/ from STATIC_ROOT, as production does.
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture(scope="session")
def chromium(_allow_orm_beside_playwright: None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium: Any, transactional_db: None) -> Iterator[Any]:
    """A fresh browser context (no cookies) and page."""
    context = chromium.new_context(accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.x A/AA rules) on the page; return its violations."""
    # Evaluated over the DevTools protocol, so the page's own CSP (no inline scripts) stays on.
    page.evaluate("source => { (0, eval)(source); }", AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        # The skip link is a 1px clip until focused, when it is full size: axe's target-size
        # rule measures the clipped box, so it is excluded from the context.
        "async () => await axe.run({exclude: [['.govuk-skip-link']]}, {runOnly: {type: 'tag', "
        "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_no_sideways_scroll(page: Any) -> None:
    """The page is no wider than the window (at 375 px a phone must not scroll sideways)."""
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, f"{page.url} scrolls sideways at {client} px"


def fill_date(scope: Any, label: str, typed: str, *, exact: bool = False) -> None:
    """Type TYPED ("03/09/2011") into the day, month and year boxes of the date LABEL names
    (the fieldset its legend names), as a person would."""
    day, month, year = typed.split("/")
    group = scope.get_by_role("group", name=label, exact=exact)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def current_code(user: Any) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def browser_sign_in(live_server: Any) -> Callable[[Any, Any], None]:
    """Sign a page in through the real form (and the second factor, for privileged users)."""

    def sign_in(page: Any, user: Any) -> None:
        page.goto(f"{live_server.url}/accounts/sign-in/")
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        if "/two-factor/verify/" in page.url:
            page.get_by_label("Security code").fill(current_code(user))
            page.get_by_role("button", name="Continue").click()

    return sign_in
