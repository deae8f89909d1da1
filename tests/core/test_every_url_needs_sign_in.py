"""No page is public by accident: every URL the project mounts sends anonymous visitors to sign in."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:invitation",
    "accounts:invitation_set_password",
    "core:privacy",
    "core:accessibility",
    "core:health",
}
SAMPLE = {"uuid": str(uuid.uuid4()), "slug": "vip", "int": "1", "str": "x", "path": "x"}


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns == "admin":
                continue  # the Django admin has its own sign-in, tested separately
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
            yield name, prefix + str(entry.pattern)


def _fill(route: str) -> str:
    import re

    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], route)
    return "/" + path.lstrip("^").rstrip("$")


ROUTES = sorted(set(_walk(get_resolver())))


def test_the_walk_finds_the_apps_pages():
    names = {name for name, _ in ROUTES}
    assert {"core:home", "accounts:user_list", "audit:event_list", "panels:case_list"} <= names


@pytest.mark.parametrize(("name", "route"), [r for r in ROUTES if r[0] not in PUBLIC])
def test_anonymous_visitor_is_sent_to_sign_in(client, db, name, route):
    for method in (client.get, client.post):
        response = method(_fill(route))
        assert response.status_code in (302, 405), f"{name} answered {response.status_code}"
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/sign-in/"), name
