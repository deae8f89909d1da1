"""The CREST screen's "under 13" rule gives the same answer on the referral form and in the
service, either side of a 13th birthday (29 February included), because both ask one function."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from csphub.panels import services
from csphub.panels.choices import RISK_INDICATORS
from csphub.panels.models import Case
from csphub.panels.referral_forms import ReferralForm
from tests.factories import PersonFactory

LOW_SCORES = {code: 0 for code, _ in RISK_INDICATORS}

# (date of birth, today, old enough for "low"): the 13th birthday of someone born on
# 29 February 2012 is 1 March 2025; of someone born on 15 June 2012, 15 June 2025.
CASES = [
    (date(2012, 2, 29), date(2025, 2, 28), False),
    (date(2012, 2, 29), date(2025, 3, 1), True),
    (date(2012, 6, 15), date(2025, 6, 14), False),
    (date(2012, 6, 15), date(2025, 6, 15), True),
]


def _refer(world, person):
    return services.do_refer(
        actor=world.owner,
        panel=world.crest,
        owning_agency=world.childrens,
        person=person,
        role="at_risk",
        reason_category="county_lines",
        reason="Found in Kent with cash.",
        consent_given=True,
        risk_level="low",
        indicators=LOW_SCORES,
    )


@pytest.mark.parametrize(("born", "today", "allowed"), CASES)
def test_service_applies_the_under_13_rule_on_the_birthday(
    world, monkeypatch, born, today, allowed
):
    monkeypatch.setattr(timezone, "localdate", lambda: today)
    child = PersonFactory(date_of_birth=born)
    if allowed:
        assert _refer(world, child).risk_level == "low"
    else:
        with pytest.raises(ValidationError, match="under 13"):
            _refer(world, child)
        assert not Case.objects.filter(subjects__person=child).exists()


@pytest.mark.parametrize(("born", "today", "allowed"), CASES)
def test_referral_form_applies_the_under_13_rule_on_the_birthday(
    world, monkeypatch, born, today, allowed
):
    # The form on its own: on the page a form that let the child through would be caught by
    # the service, hiding the disagreement.
    monkeypatch.setattr(timezone, "localdate", lambda: today)
    form = ReferralForm(
        {
            "panel": world.crest.pk,
            "given_name": "Tyler",
            "family_name": "Mensah",
            "date_of_birth": born.strftime("%d/%m/%Y"),
            "gender": "male",
            "ethnicity": "black",
            "role": "at_risk",
            "reason_category": "county_lines",
            "reason": "Found in Kent with cash.",
            "consent_given": "yes",
            "risk_level": "low",
            **{f"indicator_{code}": "0" for code in LOW_SCORES},
        }
    )
    assert form.is_valid() is allowed, form.errors
    if not allowed:
        assert form.errors["risk_level"] == ["The risk level cannot be low for a child under 13"]


@pytest.mark.parametrize(("born", "today", "allowed"), CASES)
def test_referral_page_applies_the_under_13_rule_on_the_birthday(
    client_for, world, monkeypatch, born, today, allowed
):
    monkeypatch.setattr(timezone, "localdate", lambda: today)
    data = {
        "panel": world.crest.pk,
        "given_name": "Tyler",
        "family_name": "Mensah",
        "date_of_birth": born.strftime("%d/%m/%Y"),
        "gender": "male",
        "ethnicity": "black",
        "address": "",
        "role": "at_risk",
        "reason_category": "county_lines",
        "reason": "Found in Kent with cash.",
        "consent_given": "yes",
        "lawful_basis": "",
        "override_reason": "",
        "risk_level": "low",
        "confirm_new": "on",
        **{f"indicator_{code}": "0" for code in LOW_SCORES},
    }
    response = client_for(world.owner).post(reverse("panels:refer"), data)
    refused = "cannot be low for a child under 13" in response.content.decode()
    assert refused is not allowed
    assert response.status_code == (302 if allowed else 200)
    assert Case.objects.filter(panel=world.crest).exists() is allowed
