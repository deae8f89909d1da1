"""Every main page of the demo partnership, as the person who would use it, passes axe-core.

The pages are found by following the service's own links from each person's home page, so a
new page reached from the navigation is checked without adding it here.
"""

from io import StringIO
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from csphub.accounts.models import User
from tests.browser.conftest import axe_violations

# Casework and meetings; the crime pages (and their real-data import) have their own tests.
LOADERS = [d for d in settings.DEMO_LOADERS if not d.startswith("csphub.crime.")]
# Each person, and the fewest pages their links must lead to (so a broken walk cannot pass).
PEOPLE = [
    ("crest@bexley.demo", 20),
    ("officer@met.demo", 20),
    ("admin@bexley.demo", 20),
    ("dpo@bexley.demo", 4),
    ("nrm@bexley.demo", 12),
]
# Links that change something or download a file are not pages to check.
SKIP = ("/sign-out/", ".csv", ".pdf", ".docx", ".xlsx", ".json", "/django-admin/", "/download/")


@pytest.fixture
def demo_partnership(transactional_db: None) -> None:
    for dotted in LOADERS:
        import_string(dotted)(StringIO())
    for user in User.objects.all():  # the shared test password (see tests/factories.py)
        from tests.factories import PASSWORD

        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def _same_site_links(page, base: str) -> list[str]:
    hrefs = page.locator("main a[href], nav a[href]").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    paths = []
    for href in hrefs:
        parsed = urlparse(href)
        if parsed.netloc or not parsed.path.startswith("/") or href.startswith("/static/"):
            continue
        if any(s in href for s in SKIP):
            continue
        paths.append(parsed.path)
    return paths


@pytest.mark.parametrize(("email", "at_least"), PEOPLE)
def test_pages_a_person_reaches_from_home_have_no_violations(
    demo_partnership, browser_page, live_server, browser_sign_in, email, at_least
):
    browser_sign_in(browser_page, User.objects.get(email=email))
    seen: set[str] = set()
    queue = ["/"]
    failures = {}
    # Home, every page it and the navigation link to, then the pages those link to.
    for _depth in range(3):
        next_queue = []
        for path in queue:
            if path in seen or len(seen) >= 25:
                continue
            seen.add(path)
            response = browser_page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, f"{email}: {path}"
            violations = axe_violations(browser_page)
            if violations:
                failures[path] = violations
            next_queue.extend(_same_site_links(browser_page, live_server.url))
        queue = next_queue
    assert len(seen) >= at_least, f"{email} reached only {sorted(seen)}"
    assert failures == {}
