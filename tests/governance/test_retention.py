"""`csphub retention`: a dry run lists what is due and why; --apply deletes and anonymises it,
audited with counts; the IICSA moratorium holds child-abuse-related records."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from csphub.audit.models import AuditEvent
from csphub.casereview.models import CaseReview
from csphub.documents import storage
from csphub.documents.models import Document
from csphub.governance import verbs
from csphub.governance.schedules import SCHEDULES
from csphub.meetings.models import Action, AgendaItem, Meeting
from csphub.nrm.models import Decision, Referral
from csphub.panels.models import Case, TimelineEntry
from csphub.people.models import Person
from tests.factories import CaseFactory, OffenceFactory, PersonFactory
from tests.governance.conftest import closed_case


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


@pytest.fixture
def adult_case(partnership):
    """A VIP case about an adult, closed on 10 January 2019, with a document on it."""
    adult = PersonFactory(given_name="Dean", family_name="Adult", date_of_birth=date(1980, 1, 1))
    return closed_case(partnership, adult, closed=at(date(2019, 1, 10)))


def test_the_dry_run_lists_what_is_due_and_why_and_changes_nothing(partnership, adult_case):
    # Closed 10 January 2019 + 6 years = 10 January 2025: due on 11 January 2025, not before.
    before = run("--today", "2025-01-09")
    assert adult_case.reference not in before
    out = run("--today", "2025-01-11")
    assert (
        f"case {adult_case.reference}: closed on 2019-01-10, more than 6 years ago, "
        "would be deleted" in out
    )
    person = adult_case.subjects.get().person
    assert f"person {person.reference}: no case or referral left about them" in out
    assert Case.objects.filter(pk=adult_case.pk).exists()
    assert Document.objects.filter(case=adult_case).exists()
    event = AuditEvent.objects.filter(verb=verbs.RETENTION_REVIEWED).first()
    assert event.payload["applied"] is False
    assert event.payload["today"] == "2025-01-11"


def test_apply_deletes_the_case_with_its_documents_and_anonymises_the_person(
    partnership, adult_case, django_capture_on_commit_callbacks
):
    person = adult_case.subjects.get().person
    document = Document.objects.get(case=adult_case)
    file = storage.path_of(document.storage_name)
    assert file.exists()
    OffenceFactory(person=person)
    # The file goes once the deletion is committed.
    with django_capture_on_commit_callbacks(execute=True):
        out = run("--apply", "--today", "2025-01-11")
    line = f"case {adult_case.reference}: closed on 2019-01-10, more than 6 years ago, deleted"
    assert line in out
    assert not Case.objects.filter(pk=adult_case.pk).exists()
    assert not AgendaItem.objects.filter(case_id=adult_case.pk).exists()
    assert not Action.objects.filter(case_id=adult_case.pk).exists()
    assert not TimelineEntry.objects.filter(case_id=adult_case.pk).exists()
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not Path(file).exists()
    person.refresh_from_db()
    assert (person.given_name, person.family_name, person.address) == ("", "", "")
    assert person.date_of_birth is None
    assert not person.offences.exists()
    event = AuditEvent.objects.filter(verb=verbs.RETENTION_APPLIED).get()
    # One case, its one document, its one person.
    assert event.payload["deleted"] == {"case": 1}
    assert event.payload["documents_deleted"] == 1
    assert event.payload["anonymised"] == 1


def test_a_person_with_another_case_is_not_anonymised(partnership, adult_case):
    person = adult_case.subjects.get().person
    CaseFactory(panel=partnership.vip, owning_agency=partnership.childrens, subject=person)
    run("--apply", "--today", "2025-01-11")
    person.refresh_from_db()
    assert person.given_name == "Dean"


def test_the_moratorium_holds_a_child_case_and_the_dry_run_says_so(partnership, settings):
    settings.RETENTION_YEARS = {**settings.RETENTION_YEARS, "child_case": 2}
    child = PersonFactory(date_of_birth=date(2010, 6, 1))  # 8 when referred in 2018
    case = closed_case(partnership, child, closed=at(date(2019, 1, 10)), referred=date(2018, 9, 1))
    out = run("--apply", "--today", "2025-01-11")
    assert "The IICSA moratorium is on" in out
    assert f"child_case {case.reference}: closed on 2019-01-10, more than 2 years ago, kept" in out
    assert "held: the IICSA moratorium" in out
    assert Case.objects.filter(pk=case.pk).exists()
    event = AuditEvent.objects.filter(verb=verbs.RETENTION_APPLIED).get()
    assert event.payload["held"] == {"child_case": 1}
    assert event.payload["deleted"] == {}


def test_without_the_moratorium_a_child_case_goes_after_the_child_period(partnership, settings):
    settings.RETENTION_IICSA_MORATORIUM = False
    settings.RETENTION_YEARS = {**settings.RETENTION_YEARS, "child_case": 10}
    child = PersonFactory(date_of_birth=date(2010, 6, 1))
    case = closed_case(partnership, child, closed=at(date(2019, 1, 10)), referred=date(2018, 9, 1))
    # The adult period (6 years) has passed, the child period (10) has not.
    assert case.reference not in run("--apply", "--today", "2025-01-11")
    assert Case.objects.filter(pk=case.pk).exists()
    run("--apply", "--today", "2029-01-11")
    assert not Case.objects.filter(pk=case.pk).exists()


def test_a_case_review_goes_six_years_after_it_was_received(partnership):
    from csphub.casereview import services as casereview_services

    review = casereview_services.do_create_case_review(
        actor=partnership.coordinator,
        received_on=date(2018, 3, 3),
        applicant_name="Jean Applicant",
        problem_summary="Loud music every night",
    )
    out = run("--apply", "--today", "2024-03-04")
    assert f"case_review {review.reference}: received on 2018-03-03" in out
    assert not CaseReview.objects.filter(pk=review.pk).exists()


def test_audit_events_past_their_period_are_counted_and_kept(partnership, adult_case):
    total = AuditEvent.objects.count()
    # Every event so far was written today; ten years on, all are past the 7-year period.
    out = run(
        "--today", (timezone.localdate().replace(year=timezone.localdate().year + 10)).isoformat()
    )
    assert f"audit_event: {total} past their period, kept" in out
    assert AuditEvent.objects.filter(seq__lte=total).count() == total


def test_every_schedule_names_its_legal_basis_and_what_happens():
    for s in SCHEDULES:
        assert s.basis and s.then and s.record, s.key


def test_nrm_referral_is_held_by_the_moratorium_and_goes_without_it(nrm_world, settings):
    referral = nrm_world.referral
    out = run("--today", "2049-01-01")
    assert f"nrm_referral {referral.reference}: received on 2023-03-01" in out
    assert "would be kept" in out
    settings.RETENTION_IICSA_MORATORIUM = False
    run("--apply", "--today", "2049-01-01")
    assert not Referral.objects.filter(pk=referral.pk).exists()
    assert not Decision.objects.filter(pk=nrm_world.decision.pk).exists()
    assert not Case.objects.filter(pk=referral.case_id).exists()
    assert Meeting.objects.filter(pk=nrm_world.meeting.pk).exists()
    child = Person.objects.get(pk=referral.child_id)
    assert child.given_name == ""


def test_a_record_merged_into_an_anonymised_person_is_anonymised_too(partnership, adult_case):
    person = adult_case.subjects.get().person
    merged = PersonFactory(given_name="Deen", family_name="Adult", merged_into=person)
    run("--apply", "--today", "2025-01-11")
    merged.refresh_from_db()
    assert (merged.given_name, merged.family_name, merged.date_of_birth) == ("", "", None)
