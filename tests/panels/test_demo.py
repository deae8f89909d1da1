"""The demo casework: the sign-ins see different things, and loading twice changes nothing."""

import io

import pytest
from django.urls import reverse

from csphub.accounts import demo as accounts_demo
from csphub.accounts.models import User
from csphub.audit.models import AuditEvent
from csphub.panels import demo
from csphub.panels.models import Case, Panel
from csphub.panels.selectors import cases_visible_to

pytestmark = pytest.mark.slow  # loads the whole demo partnership, more than once


def _load():
    out = io.StringIO()
    accounts_demo.load(out)
    demo.load(out)
    return out.getvalue()


def test_demo_sign_ins_see_what_the_issue_promises(db, client_for):
    _load()
    officer = User.objects.get(email="officer@met.demo")
    teacher = User.objects.get(email="teacher@school.demo")
    vip_cases = list(Case.objects.filter(panel__slug="vip"))
    assert len(vip_cases) >= 4
    listed = client_for(officer).get(reverse("panels:case_list")).content.decode()
    assert all(case.reference in listed for case in vip_cases if case.is_open)
    teacher_client = client_for(teacher)
    for case in vip_cases:
        assert teacher_client.get(reverse("panels:case_detail", args=[case.pk])).status_code == 404
    assert AuditEvent.objects.filter(verb="case.view_refused", actor=teacher).count() == len(
        vip_cases
    )
    assert (
        client_for(officer).get(reverse("panels:case_detail", args=[vip_cases[0].pk])).status_code
        == 200
    )
    assert AuditEvent.objects.filter(verb="case.viewed", actor=officer).exists()

    crest = set(Case.objects.filter(panel__slug="crest"))
    assert crest <= set(cases_visible_to(User.objects.get(email="worker@childrens.demo")))
    assert crest <= set(cases_visible_to(User.objects.get(email="crest@bexley.demo")))
    outreach = set(cases_visible_to(User.objects.get(email="outreach@charity.demo")))
    assert outreach and not outreach >= crest
    assert not cases_visible_to(User.objects.get(email="executive@bexley.demo")).exists()


def test_demo_escalations_keep_their_asb_history(db):
    _load()
    escalated = Case.objects.filter(
        transitions__kind="escalation", transitions__from_panel__slug="asb-cmp"
    ).distinct()
    assert {c.panel.slug for c in escalated} == {"crest", "vip"}
    for case in escalated:
        assert case.transitions.filter(kind="referral", to_panel__slug="asb-cmp").exists()


def test_demo_is_idempotent(db):
    _load()
    counts = (Panel.objects.count(), Case.objects.count())
    assert "already loaded" in _load()
    assert (Panel.objects.count(), Case.objects.count()) == counts == (3, 13)
