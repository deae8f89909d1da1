"""Shared fixtures: the partnership (tests/partnership.py), users in each role, clients signed in
as them (second factor passed), and the real-data marker's skip (tests/realdata.py)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from csphub.accounts.models import Agency, User
from csphub.accounts.roles import requires_two_factor
from csphub.audit.verbs import Verb
from tests import clamd as _clamd
from tests import partnership as _partnership
from tests import realdata
from tests.factories import AgencyFactory, UserFactory

#: The verb the audit trail's own tests record: registered like any app's (csphub.audit.verbs).
TEST_EVENT = Verb("test.event", "An event written by a test")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests using the real-data fixtures are ``realdata``; without the folder they are skipped."""
    skip = pytest.mark.skip(reason=realdata.SKIP_REASON)
    have_data = realdata.available()
    for item in items:
        if realdata.FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.realdata)
        if not have_data and item.get_closest_marker("realdata"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_hashing(settings: pytest.FixtureRequest) -> None:
    # Argon2 is the configured hasher (tested in tests/core/test_settings.py); tests use MD5 for speed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fresh_throttle(settings: pytest.FixtureRequest) -> None:
    # Limits (the signpost search's) are counted in the "throttle" cache: in memory for tests,
    # and each test starts with none spent.
    settings.CACHES = {  # type: ignore[attr-defined]
        **settings.CACHES,  # type: ignore[attr-defined]
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    }
    caches["throttle"].clear()


@pytest.fixture(autouse=True)
def _no_virus_scanner(settings: pytest.FixtureRequest) -> None:
    # A test reaches clamd only through the `scanner` fixture, never a clamd the machine runs.
    settings.DOCUMENTS_CLAMD = "unix:///nonexistent/csphub-tests/clamd.sock"  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def clamd_server() -> Iterator[_clamd.Clamd]:
    """A real clamd on the EICAR signature (tests/clamd.py), one per test process. Where clamd
    is not installed the tests using it are skipped, saying so, except under CI=true."""
    folder = Path(tempfile.mkdtemp(prefix="csphub-clamd-"))
    try:
        server = _clamd.start(folder)
    except _clamd.ClamdUnavailable as error:
        shutil.rmtree(folder, ignore_errors=True)
        if os.environ.get("CI") == "true":
            pytest.fail(str(error))
        pytest.skip(str(error))
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def scanner(
    clamd_server: _clamd.Clamd, settings: pytest.FixtureRequest, tmp_path: Path
) -> _clamd.Clamd:
    """Documents scanned by the real clamd and stored under this test's own folder."""
    settings.DOCUMENTS_CLAMD = clamd_server.address  # type: ignore[attr-defined]
    settings.DOCUMENTS_DIR = tmp_path / "documents"  # type: ignore[attr-defined]
    return clamd_server


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(*roles: str, agency: Agency | None = None, **kwargs: object) -> User:
        extra = {"agency": agency} if agency is not None else {}
        return UserFactory(roles=list(roles), **extra, **kwargs)

    return make


@pytest.fixture
def partnership(make_user: Callable[..., User]) -> _partnership.Partnership:
    """The shared partnership: an owner, a colleague, a member, an outsider, each role, anonymous."""
    return _partnership.build(make_user)


@pytest.fixture
def police(db: None) -> Agency:
    return AgencyFactory(name="Metropolitan Police", kind="police")


@pytest.fixture
def school(db: None) -> Agency:
    return AgencyFactory(name="Bexley Academy", kind="education")


def sign_in(client: Client, user: User) -> Client:
    """Sign CLIENT in as USER; privileged users and those with a device pass the second factor."""
    client.force_login(user)
    if requires_two_factor(user) or TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, defaults={"name": "test", "confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(db: None) -> Callable[[User], Client]:
    """A fresh client signed in as the given user."""

    def make(user: User) -> Client:
        return sign_in(Client(), user)

    return make
