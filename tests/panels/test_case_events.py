"""A case event: its timeline entry and its audit event are written together, in one
vocabulary, and the case's timeline and the DPO's audit page show labels, never verbs. The DPO
finds a case's or person's events by the reference the pages show."""

from unittest import mock

import pytest
from django.urls import reverse

from csphub.accounts.roles import DPO
from csphub.audit.models import AuditEvent
from csphub.panels import services, verbs
from csphub.panels.choices import TransitionStatus
from csphub.panels.models import Case, TimelineEntry
from tests.panels.test_referral_matching import _decide_url, _referral_post


def _case_url(case):
    return reverse("panels:case_detail", kwargs={"case_id": case.pk})


@pytest.fixture
def accepted_referral(client_for, world):
    """The teacher refers someone new to CREST; the CREST co-ordinator accepts."""
    post = _referral_post(world.crest, given_name="Amara", family_name="Bello")
    client_for(world.outsider).post(reverse("panels:refer"), post)
    case = Case.objects.get(panel=world.crest)
    transition = case.transitions.get()
    response = client_for(world.crest_coordinator).post(
        _decide_url(transition), {"decision": TransitionStatus.ACCEPTED, "reason": ""}
    )
    assert response.status_code == 302
    return case


def test_a_note_writes_its_entry_and_its_audit_event_in_one_vocabulary(world):
    entry = services.do_add_note(actor=world.owner, case=world.case, text="Home visit made")
    event = AuditEvent.objects.get(verb=verbs.NOTE_ADDED)
    assert entry.kind == event.verb == "case.note_added"
    assert (event.target_id, event.payload) == (str(world.case.pk), {"entry": str(entry.pk)})


def test_a_case_event_is_written_whole_or_not_at_all(world):
    with (
        mock.patch("csphub.panels.services.timeline.record", side_effect=RuntimeError("down")),
        pytest.raises(RuntimeError),
    ):
        services.do_add_note(actor=world.owner, case=world.case, text="Lost with its audit")
    assert not TimelineEntry.objects.filter(case=world.case).exists()
    assert not AuditEvent.objects.filter(verb=verbs.NOTE_ADDED).exists()


def test_the_case_timeline_shows_labels_not_verbs(client_for, world, accepted_referral):
    case = accepted_referral
    services.do_add_note(actor=world.crest_coordinator, case=case, text="Met the family")
    kinds = set(case.timeline.values_list("kind", flat=True))
    assert {"case.referral_made", "case.referral_accepted", "case.note_added"} <= kinds
    page = client_for(world.crest_coordinator).get(_case_url(case)).content.decode()
    assert "Referral made to the CREST" in page
    assert "Referral accepted by the CREST co-ordinator" in page
    assert "Note added" in page
    for code in [*kinds, "transition.decided", "transition"]:
        assert f"· {code}" not in page and f"{code}<" not in page
    assert "case.referral_accepted" not in page and "case.note_added" not in page


def test_the_dpo_sees_labels_and_references_not_verbs(client_for, make_user, accepted_referral):
    page = client_for(make_user(DPO)).get(reverse("audit:event_list")).content.decode()
    assert "Referral accepted by the CREST co-ordinator" in page
    assert f"Case {accepted_referral.reference}" in page
    for code in ("case.referral_accepted", "case.referral_made", "transition.decided"):
        assert code not in page


def test_the_dpo_filters_by_a_case_reference(client_for, make_user, world, accepted_referral):
    other = world.case
    services.do_add_note(actor=world.owner, case=other, text="Another case's note")
    client = client_for(make_user(DPO))
    url = reverse("audit:event_list")
    # Typed as it is read, lower case and spaced, the reference still finds the case.
    page = client.get(url, {"reference": f" {accepted_referral.reference.lower()} "})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Referral accepted by the CREST co-ordinator" in text
    assert f"Case {accepted_referral.reference}" in text
    assert other.reference not in text and "Note added" not in text
    text = client.get(url, {"reference": other.reference}).content.decode()
    assert f"Case {other.reference}" in text and "Note added" in text
    assert accepted_referral.reference not in text.split("Filter", 1)[1]


def test_the_dpo_filters_by_a_person_reference(client_for, make_user, world, accepted_referral):
    person = accepted_referral.subjects.get().person
    client = client_for(make_user(DPO))
    text = client.get(reverse("audit:event_list"), {"reference": person.reference}).content
    page = text.decode()
    assert f"Person {person.reference}" in page
    assert "Person&#x27;s record created" in page or "Person's record created" in page
    assert world.person.reference not in page


def test_an_unknown_reference_says_so(client_for, make_user, world):
    response = client_for(make_user(DPO)).get(reverse("audit:event_list"), {"reference": "C-ZZZZZ"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "No record has the reference C-ZZZZZ" in page
    assert "Correct the filters to see events" in page


def test_entries_stored_before_take_their_verbs(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "csphub.panels.migrations.0006_timeline_kinds_are_audit_verbs"
    )
    old = {
        "note": {},
        "transition": {"kind": "escalation", "status": "pending"},
        "transition.decided": {"kind": "transfer", "status": "rejected"},
        "meeting.decision": {},
        "case.assigned": {},
    }
    for kind, payload in old.items():
        TimelineEntry.objects.create(case=world.case, kind=kind, summary=kind, payload=payload)
    migration.forwards(apps, None)
    kinds = dict(world.case.timeline.values_list("summary", "kind"))
    assert kinds == {
        "note": "case.note_added",
        "transition": "case.escalation_made",
        "transition.decided": "case.transfer_rejected",
        "meeting.decision": "meeting.decision_recorded",
        "case.assigned": "case.assigned",
    }
    migration.backwards(apps, None)
    assert set(world.case.timeline.values_list("kind", flat=True)) == set(old)
