import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from csphub.accounts.roles import ANALYST, CSP_ADMIN, DPO, EXECUTIVE, PRACTITIONER
from csphub.audit import record
from csphub.audit.models import AuditEvent


@pytest.mark.parametrize("role", [CSP_ADMIN, ANALYST, PRACTITIONER, EXECUTIVE])
def test_only_the_dpo_reads_the_audit_trail(client_for, make_user, role):
    client = client_for(make_user(role))
    assert client.get(reverse("audit:event_list")).status_code == 403
    assert client.get(reverse("audit:event_export")).status_code == 403


def test_dpo_filters_events_by_user_record_and_date(client_for, make_user):
    dpo, someone = make_user(DPO), make_user(ANALYST)
    record(verb="case.viewed", actor=someone, target=("panels.case", "rec-kestrel"))
    record(verb="case.viewed", actor=dpo, target=("panels.case", "rec-osprey"))
    client = client_for(dpo)
    page = client.get(reverse("audit:event_list"), {"actor": str(someone.pk)}).content.decode()
    assert "rec-kestrel" in page and "rec-osprey" not in page
    page = client.get(reverse("audit:event_list"), {"target_id": "rec-osprey"}).content.decode()
    assert "rec-osprey" in page and "rec-kestrel" not in page
    page = client.get(
        reverse("audit:event_list"), {"date_from": "2001-01-01", "date_to": "2001-01-02"}
    )
    assert "No events match" in page.content.decode()


def test_csv_export_neutralises_formula_cells_and_is_itself_audited(client_for, make_user, client):
    # An attacker controls their User-Agent; a failed sign-in writes it to the trail.
    client.post(
        reverse("accounts:login"),
        {"username": "x@example.test", "password": "nope"},
        HTTP_USER_AGENT="=cmd|' /C calc'!A0",
    )
    dpo = make_user(DPO)
    response = client_for(dpo).get(reverse("audit:event_export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    agents = [r["user_agent"] for r in rows if r["verb"] == "auth.sign_in_failed"]
    assert agents == ["'=cmd|' /C calc'!A0"]
    assert AuditEvent.objects.filter(verb="audit.exported", actor=dpo).exists()


def test_a_formula_in_a_payload_is_neutralised_in_the_export(client_for, make_user):
    # The filters of a trail page go in its view event's payload: a link can carry a formula.
    dpo = make_user(DPO)
    client = client_for(dpo)
    client.get(reverse("audit:event_list"), {"verb": 'x;=HYPERLINK("http://evil.example")'})
    text = client.get(reverse("audit:event_export")).content.decode()
    assert "HYPERLINK" in text
    for line in text.splitlines():
        for row in csv.reader(io.StringIO(line), delimiter=";"):
            for cell in row:
                assert not cell.lstrip(' "').startswith(("=", "+", "-", "@")), cell


def test_filtering_by_user_puts_an_id_in_the_url_never_an_email(client_for, make_user):
    dpo, someone = make_user(DPO), make_user(ANALYST)
    page = client_for(dpo).get(reverse("audit:event_list")).content.decode()
    assert f'value="{someone.pk}"' in page
    assert 'name="actor"' in page and "<select" in page


def test_an_export_filtered_by_dates_downloads_and_records_its_filters(client_for, make_user):
    dpo = make_user(DPO)
    record(verb="case.viewed", actor=dpo, target=("panels.case", "rec-heron"))
    today = timezone.localdate(AuditEvent.objects.latest("seq").occurred_at)
    response = client_for(dpo).get(
        reverse("audit:event_export"),
        {"date_from": today.isoformat(), "date_to": today.isoformat(), "verb": "case.viewed"},
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [r[5] for r in rows[1:]] == ["rec-heron"]
    exported = AuditEvent.objects.get(verb="audit.exported", actor=dpo)
    assert exported.payload["filters"] == {
        "verb": "case.viewed",
        "date_from": today.isoformat(),
        "date_to": today.isoformat(),
    }


def test_reading_the_trail_is_audited_with_the_events_shown(client_for, make_user):
    dpo = make_user(DPO)
    older = record(verb="case.viewed", actor=dpo, target=("panels.case", "rec-wren"))
    newer = record(verb="case.updated", actor=dpo, target=("panels.case", "rec-wren"))
    client = client_for(dpo)
    assert client.get(reverse("audit:event_list"), {"verb": "case."}).status_code == 200
    event = AuditEvent.objects.get(verb="audit.viewed")
    assert event.actor == dpo
    assert event.payload == {
        "page": "audit:event_list",
        "filters": {"verb": "case."},
        "events": [newer.seq, older.seq],  # the page's events, newest first; no sign-in
    }


def test_an_export_records_which_events_the_file_held(client_for, make_user):
    dpo = make_user(DPO)
    for name in ("rec-finch", "rec-lark", "rec-rook"):
        record(verb="case.viewed", actor=dpo, target=("panels.case", name))
    client = client_for(dpo)
    response = client.get(reverse("audit:event_export"))
    held = [int(r["seq"]) for r in csv.DictReader(io.StringIO(response.content.decode()))]
    exported = AuditEvent.objects.get(verb="audit.exported")
    # The trail only grows: the filters and the newest event held name exactly the rows.
    assert exported.payload == {
        "page": "audit:event_export",
        "filters": {},
        "first": min(held),
        "through": max(held),
        "rows": len(held),
    }
    assert held == list(range(max(held), 0, -1))  # every event up to then, newest first
    assert exported.seq > max(held)  # the file does not hold its own export event


def test_the_trail_names_page_views_in_plain_english(client_for, make_user):
    dpo = make_user(DPO)
    record(verb="transition.viewed", actor=dpo, target=("panels.transition", "rec-tern"))
    page = client_for(dpo).get(reverse("audit:event_list")).content.decode()
    assert "Viewed a referral, escalation or transfer" in page


def test_a_record_with_a_reference_links_to_every_event_about_it(client_for, make_user):
    from tests.factories import CaseFactory

    dpo = make_user(DPO)
    case = CaseFactory()
    record(verb="case.viewed", actor=dpo, target=case)
    page = client_for(dpo).get(reverse("audit:event_list")).content.decode()
    assert f'href="?reference={case.reference}"' in page
    assert f"Case {case.reference}" in page
    about = client_for(dpo).get(reverse("audit:event_list"), {"reference": case.reference})
    assert about.status_code == 200
    assert "Viewed a case (or a form on it)" in about.content.decode()
