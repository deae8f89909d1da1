"""The CREST risk screen holds for the whole life of a case, not only at referral."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from csphub.audit.models import AuditEvent
from csphub.panels import services
from csphub.panels.choices import RISK_INDICATORS, MembershipRole, PanelKind, TransitionStatus
from csphub.panels.models import Case
from tests.factories import MembershipFactory, PanelFactory, PersonFactory, PlaceFactory

LOW_SCORES = {code: 1 for code, _ in RISK_INDICATORS}
WEAPONS_3 = {**LOW_SCORES, "weapons": 3}


def _years_ago(years):
    today = timezone.localdate()
    return date(today.year - years, 1, 1) if today.month > 1 else date(today.year - years - 1, 1, 1)


def _crest_case(world, person, *, scores=LOW_SCORES, risk="high"):
    """A case referred to CREST and accepted there."""
    case = services.do_refer(
        actor=world.owner,
        panel=world.crest,
        owning_agency=world.childrens,
        person=person,
        role="at_risk",
        reason_category="county_lines",
        reason="Found out of area",
        consent_given=True,
        risk_level=risk,
        indicators=scores,
    )
    services.do_decide_transition(
        actor=world.crest_coordinator, transition=case.transitions.get(), decision="accepted"
    )
    case.refresh_from_db()
    return case


def _set_risk(world, case, risk_level):
    # The risk level is the case panel's co-ordinator's to change.
    coordinator = world.coordinator if case.panel == world.vip else world.crest_coordinator
    return services.do_update_case(
        actor=coordinator,
        case=case,
        expected_version=case.version,
        summary=case.summary,
        plan="Plan",
        risk_level=risk_level,
    )


def _asb_panel(make_user):
    asb = PanelFactory(slug="asb-cmp", kind=PanelKind.ASB_CMP, name="ASB CMP")
    coordinator = make_user("coordinator")
    MembershipFactory(panel=asb, user=coordinator, role=MembershipRole.COORDINATOR)
    return asb, coordinator


def test_case_edit_refuses_low_risk_for_a_crest_child_under_13(world):
    case = _crest_case(world, PersonFactory(date_of_birth=_years_ago(10)), scores=WEAPONS_3)
    version = case.version
    with pytest.raises(ValidationError) as error:
        _set_risk(world, case, "low")
    assert "under 13" in str(error.value)
    case.refresh_from_db()
    assert (case.risk_level, case.version) == ("high", version)
    assert not AuditEvent.objects.filter(verb="case.updated").exists()


def test_case_edit_refuses_low_risk_when_the_latest_scores_include_a_3(world):
    case = _crest_case(world, PersonFactory(date_of_birth=_years_ago(15)), scores=WEAPONS_3)
    # A transfer carries no scores, so the referral's scores are still the latest.
    transfer = services.do_transfer_case(
        actor=world.crest_coordinator,
        case=case,
        to_agency=world.police,
        reason="Enforcement lead",
        consent_given=True,
    )
    assert transfer.indicators == {}
    case.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        _set_risk(world, case, "low")
    assert "scores 3" in str(error.value)
    case.refresh_from_db()
    assert case.risk_level == "high"


def test_case_edit_refuses_low_risk_when_the_childs_age_is_not_known(world):
    case = _crest_case(world, PersonFactory(date_of_birth=None))
    with pytest.raises(ValidationError) as error:
        _set_risk(world, case, "low")
    assert "Risk cannot be low when the child's age is not known" in str(error.value)


def test_case_edit_allows_low_risk_where_the_screen_allows_it(world):
    case = _crest_case(world, PersonFactory(date_of_birth=_years_ago(15)))
    _set_risk(world, case, "low")
    case.refresh_from_db()
    assert case.risk_level == "low"


def test_case_edit_judges_by_the_scores_of_the_latest_transition(world, make_user):
    """Scores of 3 at referral, lower scores at a later escalation: the later ones count."""
    asb, asb_coordinator = _asb_panel(make_user)
    case = services.do_refer(
        actor=world.owner,
        panel=world.crest,
        owning_agency=world.childrens,
        person=PersonFactory(date_of_birth=_years_ago(15)),
        role="at_risk",
        reason_category="weapons",
        reason="r",
        consent_given=True,
        risk_level="high",
        indicators=WEAPONS_3,
    )
    services.do_decide_transition(
        actor=world.crest_coordinator, transition=case.transitions.get(), decision="accepted"
    )
    case.refresh_from_db()
    out = services.do_escalate_case(
        actor=world.crest_coordinator,
        case=case,
        to_panel=asb,
        reason_category="asb",
        reason="Now mainly ASB",
        consent_given=True,
        risk_level="medium",
        indicators=LOW_SCORES,
    )
    services.do_decide_transition(actor=asb_coordinator, transition=out, decision="accepted")
    case.refresh_from_db()
    back = services.do_escalate_case(
        actor=asb_coordinator,
        case=case,
        to_panel=world.crest,
        reason_category="criminal_exploitation",
        reason="Exploitation again",
        consent_given=True,
        risk_level="medium",
        indicators=LOW_SCORES,
    )
    services.do_decide_transition(
        actor=world.crest_coordinator, transition=back, decision="accepted"
    )
    case.refresh_from_db()
    assert case.panel == world.crest
    _set_risk(world, case, "low")
    case.refresh_from_db()
    assert case.risk_level == "low"


def test_panels_without_the_screen_let_a_case_edit_set_low_risk(world):
    child = PersonFactory(date_of_birth=_years_ago(10))
    world.case.subjects.update(person=child)
    _set_risk(world, world.case, "low")
    world.case.refresh_from_db()
    assert world.case.risk_level == "low"


def test_case_edit_page_shows_the_screen_error_on_the_form(client_for, world):
    case = _crest_case(world, PersonFactory(date_of_birth=_years_ago(10)))
    response = client_for(world.crest_coordinator).post(
        reverse("panels:case_edit", kwargs={"case_id": case.pk}),
        {"summary": "s", "plan": "p", "risk_level": "low", "version": case.version},
    )
    assert response.status_code == 200
    assert "The risk level cannot be low for a child under 13" in response.content.decode()
    case.refresh_from_db()
    assert (case.risk_level, case.plan) == ("high", "")


def test_escalation_into_crest_counts_every_person_on_the_case(world, make_user):
    asb, asb_coordinator = _asb_panel(make_user)
    case = services.do_refer(
        actor=world.owner,
        panel=asb,
        owning_agency=world.police,
        person=PersonFactory(date_of_birth=_years_ago(16)),
        role="perpetrator",
        reason_category="asb",
        reason="r",
        consent_given=True,
        risk_level="medium",
    )
    services.do_decide_transition(
        actor=asb_coordinator, transition=case.transitions.get(), decision="accepted"
    )
    case.refresh_from_db()
    services.do_add_subject(
        actor=asb_coordinator,
        case=case,
        person=PersonFactory(date_of_birth=_years_ago(11)),
        role="victim",
    )
    with pytest.raises(ValidationError) as error:
        services.do_escalate_case(
            actor=asb_coordinator,
            case=case,
            to_panel=world.crest,
            reason_category="criminal_exploitation",
            reason="r",
            consent_given=True,
            risk_level="low",
            indicators=LOW_SCORES,
        )
    assert "under 13" in str(error.value)
    assert not case.transitions.filter(kind="escalation").exists()


def test_escalation_form_counts_every_person_on_the_case(client_for, world):
    world.case.subjects.update(person=PersonFactory(date_of_birth=_years_ago(16)))
    services.do_add_subject(
        actor=world.coordinator,
        case=world.case,
        person=PersonFactory(date_of_birth=_years_ago(12)),
        role="victim",
    )
    data = {
        "to_panel": world.crest.pk,
        "reason_category": "criminal_exploitation",
        "reason": "r",
        "consent_given": "yes",
        "risk_level": "low",
        **{f"indicator_{code}": "1" for code, _ in RISK_INDICATORS},
    }
    response = client_for(world.coordinator).post(
        reverse("panels:case_escalate", kwargs={"case_id": world.case.pk}), data
    )
    assert response.status_code == 200
    assert "The risk level cannot be low for a child under 13" in response.content.decode()
    assert not world.case.transitions.filter(kind="escalation").exists()


def test_accepting_into_crest_rechecks_the_people_on_the_case(world, make_user):
    """A child under 13 added while an escalation waits stops it entering CREST at "low"."""
    asb, asb_coordinator = _asb_panel(make_user)
    case = services.do_refer(
        actor=world.owner,
        panel=asb,
        owning_agency=world.police,
        person=PersonFactory(date_of_birth=_years_ago(16)),
        role="perpetrator",
        reason_category="asb",
        reason="r",
        consent_given=True,
        risk_level="low",
    )
    services.do_decide_transition(
        actor=asb_coordinator, transition=case.transitions.get(), decision="accepted"
    )
    case.refresh_from_db()
    escalation = services.do_escalate_case(
        actor=asb_coordinator,
        case=case,
        to_panel=world.crest,
        reason_category="criminal_exploitation",
        reason="r",
        consent_given=True,
        risk_level="low",
        indicators=LOW_SCORES,
    )
    services.do_add_subject(
        actor=asb_coordinator,
        case=case,
        person=PersonFactory(date_of_birth=_years_ago(9)),
        role="victim",
    )
    with pytest.raises(ValidationError) as error:
        services.do_decide_transition(
            actor=world.crest_coordinator, transition=escalation, decision="accepted"
        )
    assert "under 13" in str(error.value)
    case.refresh_from_db()
    escalation.refresh_from_db()
    assert (case.panel, escalation.status) == (asb, TransitionStatus.PENDING)


def test_crest_referral_without_a_date_of_birth_cannot_be_low(world):
    person = PersonFactory(date_of_birth=None)
    with pytest.raises(ValidationError) as error:
        services.do_refer(
            actor=world.owner,
            panel=world.crest,
            owning_agency=world.childrens,
            person=person,
            role="at_risk",
            reason_category="county_lines",
            reason="r",
            consent_given=True,
            risk_level="low",
            indicators=LOW_SCORES,
        )
    assert "Risk cannot be low when the child's age is not known" in str(error.value)
    assert not Case.objects.filter(subjects__person=person).exists()
    case = services.do_refer(
        actor=world.owner,
        panel=world.crest,
        owning_agency=world.childrens,
        person=person,
        role="at_risk",
        reason_category="county_lines",
        reason="r",
        consent_given=True,
        risk_level="medium",
        indicators=LOW_SCORES,
    )
    assert case.risk_level == "medium"


def test_referral_form_without_a_date_of_birth_cannot_be_low_for_crest(client_for, world):
    data = {
        "panel": world.crest.pk,
        "given_name": "Tyler",
        "family_name": "Mensah",
        "date_of_birth": "",
        "gender": "male",
        "ethnicity": "black",
        "role": "at_risk",
        "reason_category": "county_lines",
        "reason": "Found in Kent.",
        "consent_given": "yes",
        "risk_level": "low",
        "confirm_new": "on",
        **{f"indicator_{code}": "1" for code, _ in RISK_INDICATORS},
    }
    response = client_for(world.owner).post(reverse("panels:refer"), data)
    assert response.status_code == 200
    assert "Risk cannot be low when the child&#x27;s age is not known" in response.content.decode()
    assert not Case.objects.filter(panel=world.crest).exists()


def test_a_place_referred_to_crest_has_no_age_to_check(world):
    case = services.do_refer(
        actor=world.owner,
        panel=world.crest,
        owning_agency=world.childrens,
        place=PlaceFactory(),
        role="location",
        reason_category="county_lines",
        reason="Used as a trap house",
        consent_given=True,
        risk_level="low",
        indicators=LOW_SCORES,
    )
    assert case.risk_level == "low"
