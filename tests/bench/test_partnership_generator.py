"""bench/partnership.py: a generated partnership is deterministic, its audit chain verifies, and
its users sign in through the real sign-in and second-factor pages."""

from __future__ import annotations

import io
from contextlib import redirect_stderr

import pytest
from django.db import transaction
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench import partnership as generator
from csphub.accounts.models import User
from csphub.audit import record
from csphub.audit.models import AuditEvent
from csphub.audit.selectors import verify_chain
from csphub.meetings.models import Action, Meeting
from csphub.panels.models import Case, CaseSubject
from csphub.people.models import Person

# A ten-thousandth of issue 15's volumes: 5 people, 5 cases, 1 meeting, 20 actions, 100 events.
SCALE = 0.0001


def _generate(seed: int) -> tuple[dict[str, int], str]:
    err = io.StringIO()
    with redirect_stderr(err):
        made = generator.main(["--seed", str(seed), "--scale", str(SCALE), "--until", "2026-06-30"])
    return made, err.getvalue()


class _Rollback(Exception):
    pass


def _generated_references(seed: int) -> tuple[list[str], list[tuple[object, ...]]]:
    """The references one run makes, with the run rolled back so the next starts the same."""
    try:
        with transaction.atomic():
            _generate(seed)
            cases = sorted(Case.objects.values_list("reference", flat=True))
            heads = list(
                AuditEvent.objects.filter(actor_label__endswith="@partnership.bench")
                .order_by("-seq")
                .values_list("occurred_at", "actor_label", "verb", "target_id")[:5]
            )
            raise _Rollback
    except _Rollback:
        return cases, heads


def test_the_generator_adds_the_volumes_asked_for_and_reports_progress(partnership):
    before = {m: m.objects.count() for m in (Person, Case, Meeting, Action, AuditEvent)}
    made, progress = _generate(15)
    # Each volume is issue 15's times the scale (50,000 * 0.0001 = 5, and so on).
    assert made["people"] == Person.objects.count() - before[Person] == 5
    assert made["cases"] == Case.objects.count() - before[Case] == 5
    assert made["meetings"] == Meeting.objects.count() - before[Meeting] == 1
    assert made["actions"] == Action.objects.count() - before[Action] == 20
    assert AuditEvent.objects.count() - before[AuditEvent] >= 100  # and the users' creation
    assert User.objects.count() == 200
    # Every generated case is about at least one person.
    assert not Case.objects.exclude(subjects__isnull=False).exclude(pk=partnership.case.pk)
    assert CaseSubject.objects.filter(person__isnull=False).count() >= 5
    assert "people: 5 in" in progress and "audit events (hash-chained): 100 in" in progress


def test_the_generated_trail_continues_the_chain_and_verifies(partnership):
    head_before = record(verb="test.event")  # the trail the generator must continue
    _generate(15)
    first_generated = AuditEvent.objects.filter(
        actor_label__endswith="@partnership.bench"
    ).order_by("seq")
    report = verify_chain()
    assert report.ok, report.reason
    assert report.checked == AuditEvent.objects.count()
    assert first_generated.first().seq > head_before.seq


def test_the_same_seed_makes_the_same_partnership(partnership):
    cases_a, heads_a = _generated_references(15)
    cases_b, heads_b = _generated_references(15)
    cases_c, _ = _generated_references(16)
    assert cases_a == cases_b and len(cases_a) == 6  # the fixture's case and five generated
    assert cases_a != cases_c
    # The generated trail is the same: who, when, what and about which record. (Its hashes
    # differ, as they cover the users' ids, which the accounts service draws at random.)
    assert len(heads_a) == 5 and heads_a == heads_b


def test_a_generated_user_signs_in_with_the_derived_second_factor(client, partnership):
    _generate(15)
    user = User.objects.get(email="coordinator150@partnership.bench")
    device = TOTPDevice.objects.get(user=user)
    assert device.key == generator.totp_key(15, user.email)
    signed = client.post(
        reverse("accounts:login"), {"username": user.email, "password": generator.PASSWORD}
    )
    assert signed.status_code == 302
    code = f"{totp(bytes.fromhex(generator.totp_key(15, user.email))):06d}"
    verified = client.post(reverse("accounts:two_factor_verify"), {"token": code, "next": "/"})
    assert verified.status_code == 302 and verified["Location"] == "/"
    assert client.get(reverse("panels:case_list")).status_code == 200


def test_the_generator_refuses_production_settings(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(SystemExit, match="production"):
        _generate(15)
