"""Each panel's rules are data: consent required or not, the risk screen, the decisions it makes."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from csphub.accounts.roles import CSP_ADMIN
from csphub.audit.models import AuditEvent
from csphub.panels import services
from csphub.panels.choices import CaseStatus, PanelDecision, TransitionStatus, all_decisions
from csphub.panels.models import Panel, Transition
from csphub.panels.referral_forms import ReferralForm
from csphub.panels.selectors import case_page_for, next_statuses
from tests.panels.factories import CaseFactory, PanelFactory


def _refer(world, panel, **overrides):
    fields = {
        "actor": world.owner,
        "panel": panel,
        "given_name": "Amara",
        "family_name": "Osei",
        "date_of_birth": date(2015, 5, 1),
        "role": "at_risk",
        "reason_category": "other",
        "reason": "Went missing twice this month.",
        "consent_given": None,
        "risk_level": "low",
    }
    fields.update(overrides)
    return services.do_refer_person(**fields)


@pytest.fixture
def nrm(world):
    """A panel whose referrals need no consent (as children's NRM referrals will)."""
    return PanelFactory(slug="nrm", name="NRM decisions", consent_required=False)


def test_panels_so_far_require_consent_and_make_every_decision(world):
    for panel in (world.vip, world.crest):
        assert panel.rules.consent_required is True
        assert panel.rules.decisions == frozenset(all_decisions())
    assert world.crest.rules.risk_screen and not world.vip.rules.risk_screen


# Consent.


@pytest.mark.parametrize("answer", [None, False])
def test_panel_without_consent_rule_takes_a_referral_and_writes_no_override(world, nrm, answer):
    case = _refer(world, nrm, consent_given=answer)
    referral = case.transitions.get()
    assert referral.consent_given is None
    assert (referral.lawful_basis, referral.override_reason) == ("", "")
    assert not referral.is_consent_override
    assert not AuditEvent.objects.filter(verb="consent.overridden").exists()
    assert AuditEvent.objects.filter(verb="case.referral_made").count() == 1


def test_consent_given_is_still_recorded_where_not_required(world, nrm):
    assert _refer(world, nrm, consent_given=True).transitions.get().consent_given is True


def test_panel_requiring_consent_refuses_a_referral_with_no_answer(world):
    with pytest.raises(ValidationError) as refused:
        _refer(world, world.vip, risk_level="medium")
    assert "consent_given" in refused.value.message_dict
    assert not Transition.objects.filter(to_panel=world.vip).exists()


def test_panel_requiring_consent_still_writes_the_override(world):
    _refer(
        world,
        world.vip,
        consent_given=False,
        lawful_basis="safeguarding",
        override_reason="Telling the family would put the child at risk.",
        risk_level="medium",
    )
    assert AuditEvent.objects.filter(verb="consent.overridden").count() == 1


def test_the_database_refuses_an_unasked_consent_with_an_override_basis(world):
    case = CaseFactory(panel=world.vip)
    with pytest.raises(IntegrityError), transaction.atomic():
        Transition.objects.create(
            case=case,
            kind="referral",
            to_panel=world.vip,
            reason="r",
            consent_given=None,
            lawful_basis="safeguarding",
            override_reason="A reason",
            risk_level="medium",
        )


def test_referral_form_asks_no_consent_for_a_panel_that_needs_none(world, nrm):
    data = {
        "panel": nrm.pk,
        "given_name": "Amara",
        "family_name": "Osei",
        "gender": "not_known",
        "ethnicity": "not_stated",
        "role": "at_risk",
        "reason_category": "other",
        "reason": "Missing",
        "risk_level": "medium",
    }
    assert ReferralForm(data).is_valid()
    refused = ReferralForm({**data, "panel": world.vip.pk})
    assert not refused.is_valid()
    assert "consent_given" in refused.errors


# The risk screen.


def test_panel_without_a_risk_screen_never_asks_for_it(world):
    # Low risk for a child under 13 with no scores: the screen's rules do not apply on VIP.
    case = _refer(world, world.vip, consent_given=True, indicators=None)
    assert case.risk_level == "low"
    # Scores sent anyway are not recorded: the panel does not use them.
    other = _refer(world, world.vip, consent_given=True, indicators={"missing": 3})
    assert other.transitions.get().indicators == {}


def test_panel_with_a_risk_screen_asks_for_it(world):
    with pytest.raises(ValidationError) as refused:
        _refer(world, world.crest, consent_given=True, risk_level="medium")
    assert "indicators" in str(refused.value)


# Decisions.


def _withhold(panel: Panel, *decisions: str) -> None:
    panel.decisions = [d for d in all_decisions() if d not in decisions]
    panel.save()


def test_panel_that_does_not_escalate_refuses_it_in_the_service(world):
    _withhold(world.vip, PanelDecision.ESCALATE)
    with pytest.raises(ValidationError, match="does not escalate"):
        services.do_escalate_case(
            actor=world.coordinator,
            case=world.case,
            to_panel=world.crest,
            reason_category="other",
            reason="r",
            consent_given=True,
            risk_level="high",
            indicators=dict.fromkeys(["missing"], 1),
        )
    assert not world.case.transitions.exists()
    assert case_page_for(world.coordinator, world.case)["can_escalate"] is False


def test_panel_that_does_not_transfer_refuses_it_in_the_service(world):
    _withhold(world.vip, PanelDecision.TRANSFER)
    with pytest.raises(ValidationError, match="does not transfer"):
        services.do_transfer_case(
            actor=world.coordinator,
            case=world.case,
            to_agency=world.police,
            reason="Moving to the police",
            consent_given=True,
        )
    assert not world.case.transitions.exists()
    assert case_page_for(world.coordinator, world.case)["can_transfer"] is False


def test_panel_that_does_not_close_refuses_it_in_the_service(world):
    _withhold(world.vip, PanelDecision.CLOSE)
    assert CaseStatus.CLOSED not in next_statuses(world.case)
    with pytest.raises(ValidationError):
        services.do_change_status(
            actor=world.coordinator,
            case=world.case,
            status=CaseStatus.CLOSED,
            closure_outcome="risk_reduced",
        )
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.ACTIVE


def test_panel_that_takes_no_referrals_refuses_one(world):
    _withhold(world.vip, PanelDecision.ACCEPT, PanelDecision.REJECT)
    with pytest.raises(ValidationError, match="does not accept"):
        _refer(world, world.vip, consent_given=True)
    assert not Transition.objects.filter(to_panel=world.vip).exists()


def test_pending_referral_is_not_accepted_once_the_panel_stops_accepting(world):
    case = _refer(world, world.vip, consent_given=True, risk_level="medium")
    referral = case.transitions.get()
    _withhold(world.vip, PanelDecision.ACCEPT, PanelDecision.REJECT)
    with pytest.raises(ValidationError, match="does not accept"):
        services.do_decide_transition(
            actor=world.coordinator, transition=referral, decision=TransitionStatus.ACCEPTED
        )
    referral.refresh_from_db()
    assert referral.status == TransitionStatus.PENDING
    # The referrer may still withdraw it.
    services.do_decide_transition(
        actor=world.owner, transition=referral, decision=TransitionStatus.WITHDRAWN
    )


# Configuring the rules.


@pytest.fixture
def admin(make_user, world):
    return make_user(CSP_ADMIN, agency=world.childrens)


def _post(world, **overrides):
    data = {
        "name": "NRM decisions",
        "purpose": "Children's National Referral Mechanism decisions.",
        "kind": "other",
        "member_agencies": [world.childrens.pk],
        "meeting_cadence": "Monthly",
        "referral_criteria": "A child who may be a victim of modern slavery.",
        "review_interval_days": "42",
        "consent_not_required": "on",
        "decisions_not_made": [PanelDecision.TRANSFER],
    }
    data.update(overrides)
    return data


def test_administrator_sets_a_panels_rules_and_the_panel_page_shows_them(client_for, admin, world):
    response = client_for(admin).post(reverse("panels:panel_create"), _post(world))
    assert response.status_code == 302
    panel = Panel.objects.get(name="NRM decisions")
    assert panel.rules.consent_required is False
    assert panel.rules.decisions == frozenset(all_decisions()) - {PanelDecision.TRANSFER}
    page = client_for(admin).get(reverse("panels:panel_detail", args=[panel.slug]))
    text = page.content.decode()
    assert "Not required: referrals are taken without it" in text
    assert "Escalate a case to another panel" in text
    assert "Transfer a case to another agency" not in text


def test_panel_rules_are_validated_with_clear_messages(client_for, admin, world):
    response = client_for(admin).post(
        reverse("panels:panel_create"), _post(world, decisions_not_made=[PanelDecision.REJECT])
    )
    assert response.status_code == 200
    assert "must also be able to reject them" in response.content.decode()
    assert not Panel.objects.filter(name="NRM decisions").exists()


def test_panel_with_referrals_waiting_cannot_stop_accepting(world, admin):
    _refer(world, world.vip, consent_given=True, risk_level="medium")
    with pytest.raises(ValidationError, match="waiting for this panel's decision: 1"):
        services.do_update_panel(
            actor=admin,
            panel=world.vip,
            name=world.vip.name,
            purpose=world.vip.purpose,
            kind=world.vip.kind,
            chair=None,
            member_agencies=[],
            meeting_cadence="Monthly",
            referral_criteria="Anyone",
            review_interval_days=42,
            uses_risk_screen=False,
            decisions=[PanelDecision.CLOSE],
        )
    world.vip.refresh_from_db()
    assert world.vip.rules.makes(PanelDecision.ACCEPT)


def test_editing_a_panel_without_its_rules_keeps_them(world, admin):
    services.do_update_panel(
        actor=admin,
        panel=world.vip,
        name=world.vip.name,
        purpose="New purpose",
        kind=world.vip.kind,
        chair=None,
        member_agencies=[],
        meeting_cadence="Monthly",
        referral_criteria="Anyone",
        review_interval_days=42,
        uses_risk_screen=False,
    )
    world.vip.refresh_from_db()
    assert world.vip.consent_required is True
    assert world.vip.decisions == all_decisions()


def test_referral_asks_the_panel_first_with_none_chosen(world, nrm, client_for):
    page = client_for(world.owner).get(reverse("panels:refer")).content.decode()
    assert "Which panel are you referring to?" in page
    for panel in (world.crest, world.vip, nrm):
        assert f'value="{panel.slug}"' in page
    assert "checked" not in page  # no default that sends a referral to the wrong panel
    assert 'name="given_name"' not in page


def test_choosing_no_panel_names_the_question(world, client_for):
    page = client_for(world.owner).get(reverse("panels:refer"), {"panel": ""}).content.decode()
    assert "Select the panel you are referring to" in page


def test_the_risk_screen_is_asked_only_for_a_panel_whose_rules_use_it(world, nrm, client_for):
    client = client_for(world.owner)
    crest = client.get(reverse("panels:refer"), {"panel": "crest"}).content.decode()
    vip = client.get(reverse("panels:refer"), {"panel": "vip"}).content.decode()
    assert 'name="indicator_' in crest and "uses the risk screen" in crest
    assert 'name="indicator_' not in vip and "risk screen" not in vip.lower()
    page = client.get(reverse("panels:refer"), {"panel": "nrm"}).content.decode()
    assert "Referrals to NRM decisions need no consent" in page


def test_an_empty_referral_names_each_field_it_needs(world, client_for):
    response = client_for(world.owner).post(
        reverse("panels:refer") + "?panel=vip", {"panel": str(world.vip.pk)}
    )
    page = response.content.decode()
    for message in (
        "Enter the person&#x27;s given name",
        "Enter the person&#x27;s family name",
        "Select who the person is",
        "Enter why you are referring the person",
        "Select the risk level",
    ):
        assert message in page, message
    assert "This field is required." not in page
