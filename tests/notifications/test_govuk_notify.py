"""The GOV.UK Notify adapter, against a fake Notify API on 127.0.0.1 (no internet)."""

import json
import threading
import uuid
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from django.core.exceptions import ImproperlyConfigured

from csphub.notifications import senders
from csphub.notifications.models import Notification
from csphub.panels import services

SERVICE_ID = str(uuid.UUID(int=1))
SECRET = str(uuid.UUID(int=2))
API_KEY = f"csphub_test-{SERVICE_ID}-{SECRET}"
TEMPLATE = str(uuid.UUID(int=3))


class _FakeNotify(BaseHTTPRequestHandler):
    received: list[dict]
    status = 201

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.received.append(  # type: ignore[attr-defined]
            {"path": self.path, "auth": self.headers["Authorization"], "body": body}
        )
        self.send_response(self.server.status)  # type: ignore[attr-defined]
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        reply = (
            {"id": str(uuid.UUID(int=4))}
            if self.server.status == 201
            else {  # type: ignore[attr-defined]
                "status_code": 500,
                "errors": [{"error": "Exception", "message": "Internal server error"}],
            }
        )
        self.wfile.write(json.dumps(reply).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def notify_server(settings):
    server = HTTPServer(("127.0.0.1", 0), _FakeNotify)
    server.received = []  # type: ignore[attr-defined]
    server.status = 201  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.NOTIFICATIONS_EMAIL = "govuk_notify"
    settings.GOVUK_NOTIFY_API_KEY = API_KEY
    settings.GOVUK_NOTIFY_TEMPLATE_ID = TEMPLATE
    settings.GOVUK_NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    server.server_close()


def _refer(world):
    return services.do_refer_person(
        actor=world.owner,
        panel=world.vip,
        given_name="Amara",
        family_name="Osei",
        date_of_birth=date(2011, 5, 1),
        role="at_risk",
        reason_category="other",
        reason="Went missing twice this month.",
        consent_given=True,
        risk_level="medium",
    )


def test_a_notification_goes_through_notify_signed_with_the_service_key(
    world, notify_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = _refer(world)
    [request] = notify_server.received
    assert request["path"] == "/v2/notifications/email"
    note = Notification.objects.get()
    body = request["body"]
    assert body["email_address"] == world.coordinator.email
    assert body["template_id"] == TEMPLATE
    assert body["reference"] == str(note.pk)
    assert body["personalisation"]["subject"] == note.message
    assert case.reference in body["personalisation"]["body"]
    assert "Osei" not in json.dumps(body) and "2011" not in json.dumps(body)
    # Notify's API authenticates a JWT signed with the key's secret, issued by the service.
    scheme, token = request["auth"].split(" ")
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert scheme == "Bearer" and claims["iss"] == SERVICE_ID
    assert note.email_sent_at is not None


def test_a_notify_failure_is_kept_for_a_retry(
    world, notify_server, django_capture_on_commit_callbacks
):
    notify_server.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        _refer(world)
    note = Notification.objects.get()
    assert len(notify_server.received) == 1
    assert (note.email_sent_at, note.email_attempts, note.email_error) == (None, 1, "HTTPError")


def test_notify_without_its_key_is_a_clear_configuration_error(settings):
    settings.NOTIFICATIONS_EMAIL = "govuk_notify"
    settings.GOVUK_NOTIFY_API_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="GOVUK_NOTIFY_API_KEY"):
        senders.sender()


def test_an_unknown_choice_is_a_clear_configuration_error(settings):
    settings.NOTIFICATIONS_EMAIL = "pigeon"
    with pytest.raises(ImproperlyConfigured, match="smtp, govuk_notify or off"):
        senders.sender()


def test_off_sends_no_email_but_keeps_the_notification(
    world, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    settings.NOTIFICATIONS_EMAIL = "off"
    with django_capture_on_commit_callbacks(execute=True):
        _refer(world)
    assert mail.outbox == [] and Notification.objects.get().email_sent_at is None
