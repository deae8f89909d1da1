"""The subject access export: every record about one person in every app, and every access to
them, with third parties redacted; as a PDF and JSON in one ZIP, made only by the DPO."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from csphub.audit import verbs as audit_verbs
from csphub.audit.models import AuditEvent
from csphub.audit.services import record
from csphub.casereview import services as casereview_services
from csphub.governance import verbs
from csphub.governance.subject_access import Redactor
from csphub.meetings.models import Action, AgendaItem, Meeting
from csphub.panels.choices import CaseFlagKind, SubjectRole
from csphub.panels.models import CaseFlag, CaseSubject, TimelineEntry
from tests.factories import CaseFactory, OffenceFactory, PersonFactory, TransitionFactory
from tests.governance.conftest import attach

EXPORT = "/data-protection/subject-access/export"


@pytest.fixture
def held(partnership, nrm_world):
    """The NRM referral's child (Kai Test) with records in every app that holds person data,
    and Marcus Bell, a third party on one of the child's cases."""
    p = partnership
    child = nrm_world.referral.child
    third = PersonFactory(given_name="Marcus", family_name="Bell")
    case = CaseFactory(
        panel=p.vip,
        owning_agency=p.childrens,
        subject=child,
        summary=f"Seen with Marcus Bell ({third.reference}) near the station",
    )
    CaseSubject.objects.create(case=case, person=third, role=SubjectRole.ASSOCIATE)
    TransitionFactory(case=case, reason="Marcus pressured him to carry")
    TimelineEntry.objects.create(
        case=case, kind="case.note_added", summary="Kai spoke to marcus", detail="At school"
    )
    CaseFlag.objects.create(
        case=case, kind=CaseFlagKind.WEAPONS, reason="Bell carries a knife", raised_by=p.owner
    )
    OffenceFactory(person=child, offence_date=date(2024, 2, 1), category="ROBBERY")
    when = timezone.make_aware(datetime(2024, 3, 5, 10))
    meeting = Meeting.objects.create(panel=p.vip, scheduled_for=when)
    item = AgendaItem.objects.create(
        meeting=meeting,
        case=case,
        reason="review_due",
        discussion="Kai and Marcus seen together",
        decision="Refer to the youth team",
    )
    Action.objects.create(
        meeting=meeting,
        item=item,
        case=case,
        description="Visit Kai at home",
        owning_agency=p.police,
        owner=p.member,
        due_on=date(2024, 3, 19),
    )
    attach({"person": child}, p.owner, "passport.txt", b"passport")
    attach({"case": case}, p.owner, "chronology.txt", b"chronology")
    attach({"agenda_item": item}, p.owner, "minutes note.txt", b"minutes")
    casereview_services.do_create_case_review(
        actor=p.coordinator,
        received_on=date(2024, 6, 1),
        applicant_name="kai  TEST",
        problem_summary="Music from the flat above",
    )
    casereview_services.do_create_case_review(
        actor=p.coordinator,
        received_on=date(2024, 6, 2),
        applicant_name="Jean Test",
        problem_summary="Not theirs",
    )
    record(verb=audit_verbs.CASE_VIEWED, actor=p.member, target=case)
    record(verb=audit_verbs.PERSON_VIEWED, actor=p.owner, target=child)
    # An event about the third party alone is no access to the child's records.
    record(verb=audit_verbs.PERSON_VIEWED, actor=p.owner, target=third)
    return child, third, case


def export_of(client, reference: str) -> tuple[dict, zipfile.ZipFile]:
    response = client.post(EXPORT, {"reference": reference})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return json.loads(archive.read("subject-access.json")), archive


def test_the_export_holds_every_record_about_the_person_in_every_app(partnership, held, client_for):
    child, _, case = held
    data, archive = export_of(client_for(partnership.dpo), child.reference)
    assert data["person"][0]["given_name"] == "Kai"
    assert data["person"][0]["date_of_birth"] == "2007-05-01"
    # The NRM referral's own case, and the VIP case.
    nrm_case = partnership.vip.cases.model.objects.get(nrm_referral__child=child)
    assert {c["reference"] for c in data["cases"]} == {nrm_case.reference, case.reference}
    assert any(t["case"] == case.reference for t in data["referrals"])
    assert any(n["summary"] == "Kai spoke to [third party]" for n in data["notes"])
    assert [f["reason"] for f in data["flags"]] == ["[third party] carries a knife"]
    assert [m["decision"] for m in data["minutes"]] == ["Refer to the youth team"]
    assert [a["description"] for a in data["actions"]] == ["Visit Kai at home"]
    assert data["offences"] == [{"date": "2024-02-01", "category": "ROBBERY"}]
    [nrm] = data["nrm"]
    assert nrm["reference"] == held[0].nrm_referrals.get().reference
    assert [d["kind"] for d in nrm["decisions"]] == ["Reasonable Grounds"]
    # Three documents: on the person, on the case, on the case's agenda item; each file in.
    assert len(data["documents"]) == 3
    files = sorted(n for n in archive.namelist() if n.startswith("documents/"))
    assert files == sorted(d["file"] for d in data["documents"])
    assert sorted(archive.read(f) for f in files) == [b"chronology", b"minutes", b"passport"]
    assert archive.read("subject-access.pdf").startswith(b"%PDF")
    # The application in the child's name (casereview keeps no person record), not another's.
    assert [r["applicant_name"] for r in data["case_reviews"]] == ["kai  TEST"]


def test_every_access_to_the_persons_records_is_listed_by_agency(partnership, held, client_for):
    child = held[0]
    data, _ = export_of(client_for(partnership.dpo), child.reference)
    seen = [(a["what"], a["by_agency"]) for a in data["accesses"]]
    assert ("Viewed a case (or a form on it)", partnership.police.name) in seen
    assert ("Viewed a person's record (or a form on it)", partnership.childrens.name) in seen
    # Only the child's own person record: the third party's view is not theirs to see.
    person_views = [a for a in seen if a[0].startswith("Viewed a person")]
    assert len(person_views) == 1
    # Staff appear by agency, never by e-mail.
    assert partnership.member.email not in json.dumps(data)


def test_third_parties_names_and_references_are_redacted(partnership, held, client_for):
    child, third, case = held
    data, _ = export_of(client_for(partnership.dpo), child.reference)
    text = json.dumps(data)
    assert "Marcus" not in text and "marcus" not in text and "Bell" not in text
    assert third.reference not in text
    summary = next(c["summary"] for c in data["cases"] if c["reference"] == case.reference)
    assert summary == "Seen with [third party] [third party] ([third party]) near the station"


def test_a_third_party_sharing_the_subjects_family_name_keeps_it():
    subject = PersonFactory.build(given_name="Kai", family_name="Test", reference="P-AAAAA")
    sibling = PersonFactory.build(given_name="Mia", family_name="Test", reference="P-BBBBB")
    redact = Redactor(subject, [sibling])
    assert redact("Kai Test and Mia Test (P-BBBBB), see P-AAAAA") == (
        "Kai Test and [third party] Test ([third party]), see P-AAAAA"
    )


def test_the_export_is_audited_with_what_it_held(partnership, held, client_for):
    child, _, _ = held
    export_of(client_for(partnership.dpo), child.reference)
    event = AuditEvent.objects.filter(verb=verbs.SUBJECT_ACCESS_EXPORTED).get()
    assert event.actor == partnership.dpo
    assert event.payload["person"] == child.reference
    assert event.payload["held"]["documents"] == "3"


@pytest.mark.parametrize("who", ["owner", "colleague", "outsider", "coordinator"])
def test_only_the_dpo_may_make_an_export(partnership, held, client_for, who):
    client = client_for(getattr(partnership, who))
    assert client.post(EXPORT, {"reference": held[0].reference}).status_code == 403
    assert client.get("/data-protection/subject-access/").status_code == 403
    assert not AuditEvent.objects.filter(verb=verbs.SUBJECT_ACCESS_EXPORTED).exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, held):
    response = client.post(EXPORT, {"reference": held[0].reference})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_reference_nobody_has_is_an_error_and_records_nothing(partnership, client_for):
    response = client_for(partnership.dpo).post(EXPORT, {"reference": "p-zzzzz"})
    assert response.status_code == 400
    assert "No person has the reference P-ZZZZZ" in response.content.decode()
    assert not AuditEvent.objects.filter(verb=verbs.SUBJECT_ACCESS_EXPORTED).exists()


def test_the_form_page_is_offered_to_the_dpo(partnership, client_for):
    response = client_for(partnership.dpo).get("/data-protection/subject-access/")
    assert response.status_code == 200
    assert f'action="{EXPORT}"' in response.content.decode()
