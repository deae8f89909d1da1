"""Referral, escalation and transfer: one Transition shape, consent and the CREST risk screen."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from csphub.audit.models import AuditEvent
from csphub.panels import services
from csphub.panels.choices import (
    RISK_INDICATORS,
    CaseStatus,
    MembershipRole,
    PanelKind,
    TransitionKind,
    TransitionStatus,
)
from csphub.panels.models import Case, Transition
from csphub.panels.selectors import cases_visible_to
from tests.factories import CaseFactory, MembershipFactory, PanelFactory, PersonFactory

SCORES = {code: 1 for code, _ in RISK_INDICATORS}


def _years_ago(years):
    today = timezone.localdate()
    return date(today.year - years, 1, 1) if today.month > 1 else date(today.year - years - 1, 1, 1)


def _referral_post(panel, **overrides):
    data = {
        "panel": panel.pk,
        "given_name": "Tyler",
        "family_name": "Mensah",
        "date_of_birth": "14/02/2009",
        "gender": "male",
        "ethnicity": "black",
        "address": "",
        "role": "at_risk",
        "reason_category": "county_lines",
        "reason": "Found in Kent with cash and two phones.",
        "consent_given": "yes",
        "lawful_basis": "",
        "override_reason": "",
        "risk_level": "medium",
    }
    data.update({f"indicator_{code}": "1" for code, _ in RISK_INDICATORS})
    data.update(overrides)
    return data


def test_asb_cmp_case_escalates_to_crest_with_its_history_intact(world, make_user):
    asb = PanelFactory(slug="asb-cmp", kind=PanelKind.ASB_CMP, name="ASB CMP")
    asb_coordinator = make_user("coordinator")
    MembershipFactory(panel=asb, user=asb_coordinator, role=MembershipRole.COORDINATOR)
    case = CaseFactory(
        panel=asb, owning_agency=world.police, subject=PersonFactory(date_of_birth=_years_ago(15))
    )
    services.do_add_note(actor=asb_coordinator, case=case, text="Repeated ASB at the parade")
    before = set(case.timeline.values_list("pk", flat=True))

    escalation = services.do_escalate_case(
        actor=asb_coordinator,
        case=case,
        to_panel=world.crest,
        reason_category="criminal_exploitation",
        reason="Signs of exploitation by older males",
        consent_given=True,
        risk_level="high",
        indicators=SCORES,
    )
    # The CREST co-ordinator can see the case to decide on it before accepting.
    assert case in cases_visible_to(world.crest_coordinator)
    services.do_decide_transition(
        actor=world.crest_coordinator, transition=escalation, decision=TransitionStatus.ACCEPTED
    )

    case.refresh_from_db()
    assert case.panel == world.crest
    assert case.status == CaseStatus.ACCEPTED
    assert case.review_due == timezone.localdate() + timezone.timedelta(
        days=world.crest.review_interval_days
    )
    assert before <= set(case.timeline.values_list("pk", flat=True))
    kinds = list(
        case.transitions.values_list("kind", "from_panel__slug", "to_panel__slug", "status")
    )
    assert ("escalation", "asb-cmp", "crest", "accepted") in kinds
    assert AuditEvent.objects.filter(
        verb="case.escalation_accepted", target_id=str(case.pk)
    ).exists()


def test_rejected_escalation_leaves_the_case_with_its_panel(world):
    escalation = services.do_escalate_case(
        actor=world.coordinator,
        case=world.case,
        to_panel=world.crest,
        reason_category="other",
        reason="r",
        consent_given=True,
        risk_level="medium",
        indicators=SCORES,
    )
    with pytest.raises(ValidationError):
        services.do_decide_transition(
            actor=world.crest_coordinator,
            transition=escalation,
            decision=TransitionStatus.REJECTED,
            reason="  ",
        )
    services.do_decide_transition(
        actor=world.crest_coordinator,
        transition=escalation,
        decision=TransitionStatus.REJECTED,
        reason="Threshold not met",
    )
    world.case.refresh_from_db()
    assert world.case.panel == world.vip
    assert escalation.decision_reason == "Threshold not met"


def test_only_the_receiving_coordinator_accepts(world):
    escalation = services.do_escalate_case(
        actor=world.coordinator,
        case=world.case,
        to_panel=world.crest,
        reason_category="other",
        reason="r",
        consent_given=True,
        risk_level="medium",
        indicators=SCORES,
    )
    with pytest.raises(PermissionDenied):
        services.do_decide_transition(
            actor=world.coordinator, transition=escalation, decision=TransitionStatus.ACCEPTED
        )
    # …but the panel it came from may withdraw it.
    services.do_decide_transition(
        actor=world.coordinator, transition=escalation, decision=TransitionStatus.WITHDRAWN
    )
    assert escalation.status == TransitionStatus.WITHDRAWN


def test_member_cannot_escalate(world):
    with pytest.raises(PermissionDenied):
        services.do_escalate_case(
            actor=world.member,
            case=world.case,
            to_panel=world.crest,
            reason_category="other",
            reason="r",
            consent_given=True,
            risk_level="high",
            indicators=SCORES,
        )


@pytest.mark.parametrize("age", [11, 12])
def test_crest_screen_refuses_low_risk_for_a_child_under_13(world, age):
    child = PersonFactory(date_of_birth=_years_ago(age))
    with pytest.raises(ValidationError) as error:
        services.do_refer(
            actor=world.owner,
            panel=world.crest,
            owning_agency=world.childrens,
            person=child,
            role="at_risk",
            reason_category="county_lines",
            reason="r",
            consent_given=True,
            risk_level="low",
            indicators={code: 0 for code, _ in RISK_INDICATORS},
        )
    assert "under 13" in str(error.value)
    assert not Case.objects.filter(subjects__person=child).exists()


def test_crest_screen_refuses_low_risk_when_an_indicator_scores_3(world):
    teen = PersonFactory(date_of_birth=_years_ago(15))
    scores = {**{code: 0 for code, _ in RISK_INDICATORS}, "weapons": 3}
    with pytest.raises(ValidationError) as error:
        services.do_refer(
            actor=world.owner,
            panel=world.crest,
            owning_agency=world.childrens,
            person=teen,
            role="at_risk",
            reason_category="weapons",
            reason="r",
            consent_given=True,
            risk_level="low",
            indicators=scores,
        )
    assert "scores 3" in str(error.value)
    case = services.do_refer(
        actor=world.owner,
        panel=world.crest,
        owning_agency=world.childrens,
        person=teen,
        role="at_risk",
        reason_category="weapons",
        reason="r",
        consent_given=True,
        risk_level="high",
        indicators=scores,
    )
    assert case.transitions.get().indicators["weapons"] == 3


def test_crest_screen_allows_low_risk_for_a_13_year_old_with_low_scores(world):
    teen = PersonFactory(date_of_birth=_years_ago(14))
    case = services.do_refer(
        actor=world.owner,
        panel=world.crest,
        owning_agency=world.childrens,
        person=teen,
        role="at_risk",
        reason_category="missing",
        reason="r",
        consent_given=True,
        risk_level="low",
        indicators=SCORES,
    )
    assert case.risk_level == "low"


def test_panels_without_the_screen_accept_low_risk_for_young_children(world):
    child = PersonFactory(date_of_birth=_years_ago(10))
    case = services.do_refer(
        actor=world.owner,
        panel=world.vip,
        owning_agency=world.childrens,
        person=child,
        role="victim",
        reason_category="serious_violence",
        reason="r",
        consent_given=True,
        risk_level="low",
    )
    assert case.status == CaseStatus.REFERRED


def test_risk_screen_form_shows_both_rules(client_for, world):
    client = client_for(world.owner)
    young = _referral_post(
        world.crest,
        date_of_birth=_years_ago(11).strftime("%d/%m/%Y"),
        risk_level="low",
        confirm_new="on",
    )
    response = client.post(reverse("panels:refer"), young)
    assert response.status_code == 200
    assert "cannot be low for a child under 13" in response.content.decode()
    scored = _referral_post(world.crest, risk_level="low", indicator_weapons="3", confirm_new="on")
    response = client.post(reverse("panels:refer"), scored)
    assert "cannot be low when any indicator scores 3" in response.content.decode()
    assert not Case.objects.filter(panel=world.crest).exists()


def test_consent_override_without_a_reason_is_refused(world):
    person = PersonFactory()
    for basis, reason in [
        ("", ""),
        ("safeguarding", ""),
        ("safeguarding", "   "),
        ("", "Risk to life"),
    ]:
        with pytest.raises(ValidationError):
            services.do_refer(
                actor=world.owner,
                panel=world.vip,
                owning_agency=world.childrens,
                person=person,
                role="victim",
                reason_category="serious_violence",
                reason="r",
                consent_given=False,
                lawful_basis=basis,
                override_reason=reason,
                risk_level="high",
            )
    assert not Transition.objects.filter(consent_given=False).exists()
    assert not AuditEvent.objects.filter(verb="consent.overridden").exists()


def test_database_also_refuses_an_override_without_a_reason(world):
    with pytest.raises(IntegrityError):
        Transition.objects.create(
            case=world.case,
            kind=TransitionKind.REFERRAL,
            reason="r",
            consent_given=False,
            lawful_basis="safeguarding",
            override_reason="",
            risk_level="high",
        )


@pytest.mark.parametrize("blank", ["   ", "\n\t \r\n"])
def test_database_refuses_an_override_whose_reason_is_only_whitespace(world, blank):
    with pytest.raises(IntegrityError), transaction.atomic():
        Transition.objects.create(
            case=world.case,
            kind=TransitionKind.REFERRAL,
            reason="r",
            consent_given=False,
            lawful_basis="safeguarding",
            override_reason=blank,
            risk_level="high",
        )
    assert not Transition.objects.filter(consent_given=False).exists()


def test_database_accepts_an_override_with_a_reason_around_spaces(world):
    Transition.objects.create(
        case=world.case,
        kind=TransitionKind.REFERRAL,
        reason="r",
        consent_given=False,
        lawful_basis="safeguarding",
        override_reason="  Risk to life\n",
        risk_level="high",
    )
    assert Transition.objects.filter(consent_given=False).count() == 1


def test_override_reason_is_stored_trimmed(world):
    case = services.do_refer(
        actor=world.owner,
        panel=world.vip,
        owning_agency=world.childrens,
        person=PersonFactory(),
        role="victim",
        reason_category="serious_violence",
        reason="r",
        consent_given=False,
        lawful_basis="vital_interests",
        override_reason="\n  Credible threat of retaliation  \n",
        risk_level="high",
    )
    assert case.transitions.get().override_reason == "Credible threat of retaliation"
    transfer = services.do_transfer_case(
        actor=world.coordinator,
        case=world.case,
        to_agency=world.police,
        reason="Enforcement lead",
        consent_given=False,
        lawful_basis="prevention_of_crime",
        override_reason="  Would alert the suspect ",
    )
    assert transfer.override_reason == "Would alert the suspect"


def test_consent_override_form_refuses_a_reason_of_only_spaces(client_for, world):
    response = client_for(world.owner).post(
        reverse("panels:refer"),
        _referral_post(
            world.vip,
            consent_given="no",
            lawful_basis="safeguarding",
            override_reason=" \r\n  ",
            confirm_new="on",
        ),
    )
    assert response.status_code == 200
    assert "Explain why you are proceeding without consent" in response.content.decode()
    assert not Transition.objects.filter(consent_given=False).exists()


def test_consent_override_with_a_reason_is_audited(world):
    case = services.do_refer(
        actor=world.owner,
        panel=world.vip,
        owning_agency=world.childrens,
        person=PersonFactory(),
        role="victim",
        reason_category="serious_violence",
        reason="Stabbed outside school",
        consent_given=False,
        lawful_basis="vital_interests",
        override_reason="Credible threat of retaliation this week",
        risk_level="high",
    )
    transition = case.transitions.get()
    event = AuditEvent.objects.get(verb="consent.overridden")
    assert event.actor == world.owner
    assert event.target_id == str(transition.pk)
    assert event.payload == {"case": str(case.pk), "lawful_basis": "vital_interests"}


def test_consent_override_form_needs_a_reason(client_for, world):
    response = client_for(world.owner).post(
        reverse("panels:refer"),
        _referral_post(
            world.vip, consent_given="no", lawful_basis="safeguarding", confirm_new="on"
        ),
    )
    assert response.status_code == 200
    assert "Explain why you are proceeding without consent" in response.content.decode()
    assert not Case.objects.filter(panel=world.vip).exclude(pk=world.case.pk).exists()


def test_referral_through_the_page_opens_a_case_the_coordinator_accepts(client_for, world):
    response = client_for(world.owner).post(reverse("panels:refer"), _referral_post(world.vip))
    assert response.status_code == 302
    case = Case.objects.exclude(pk=world.case.pk).get()
    assert (case.status, case.owning_agency, case.panel) == ("referred", world.childrens, world.vip)
    transition = case.transitions.get()
    response = client_for(world.coordinator).post(
        reverse("panels:transition_decide", kwargs={"transition_id": transition.pk}),
        {"decision": "accepted", "reason": ""},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "accepted" and case.review_due is not None


def test_rejected_referral_closes_its_case_with_the_reason(world):
    case = services.do_refer(
        actor=world.owner,
        panel=world.vip,
        owning_agency=world.childrens,
        person=PersonFactory(),
        role="victim",
        reason_category="other",
        reason="r",
        consent_given=True,
        risk_level="low",
    )
    services.do_decide_transition(
        actor=world.coordinator,
        transition=case.transitions.get(),
        decision="rejected",
        reason="Single-agency support is enough",
    )
    case.refresh_from_db()
    assert (case.status, case.closure_outcome) == ("closed", "not_accepted")


def test_possible_duplicate_is_offered_before_a_new_record_is_made(client_for, world):
    existing = PersonFactory(
        given_name="Tyler", family_name="Mensah", date_of_birth=date(2009, 2, 14)
    )
    CaseFactory(panel=world.crest, owning_agency=world.childrens, subject=existing)
    client = client_for(world.owner)  # their agency owns the case Tyler's record is on
    response = client.post(
        reverse("panels:refer"), _referral_post(world.vip, given_name="Tyler", family_name="Mensa")
    )
    assert response.status_code == 200
    assert existing.reference in response.content.decode()
    assert not Case.objects.filter(panel=world.vip).exclude(pk=world.case.pk).exists()
    # Being shown that a record exists is audited, by reference and never the typed name.
    offered = AuditEvent.objects.get(verb="person.duplicates_offered", actor=world.owner)
    assert offered.payload == {"references": [existing.reference]}
    assert "Mensa" not in str(offered.payload) and "Tyler" not in str(offered.payload)
    response = client.post(
        reverse("panels:refer"), {**_referral_post(world.vip), "use_person": existing.reference}
    )
    assert response.status_code == 302
    # Named as the suggested match; the co-ordinator joins the two when accepting.
    referral = Transition.objects.get(to_panel=world.vip)
    assert referral.suggested_match == existing
    assert Case.objects.filter(subjects__person=existing).count() == 1


def test_transfer_moves_ownership_when_accepted(world, make_user):
    transfer = services.do_transfer_case(
        actor=world.coordinator,
        case=world.case,
        to_agency=world.police,
        reason="Enforcement lead",
        consent_given=True,
    )
    officer = make_user("practitioner", agency=world.police)
    with pytest.raises(PermissionDenied):  # the receiving agency does not decide
        services.do_decide_transition(actor=officer, transition=transfer, decision="accepted")
    services.do_decide_transition(actor=world.coordinator, transition=transfer, decision="accepted")
    world.case.refresh_from_db()
    assert world.case.owning_agency == world.police


def test_a_refused_referral_keeps_no_new_person_record(client_for, world, monkeypatch):
    from csphub.panels.services import referrals
    from csphub.people.models import Person

    def refuse(**kwargs):  # type: ignore[no-untyped-def]
        raise ValidationError({"reason": "The panel refused it"})

    monkeypatch.setattr(referrals, "do_refer", refuse)
    before = Person.objects.count()
    post = _referral_post(world.vip, given_name="Ngozi", family_name="Adeyemi-Clarke")
    response = client_for(world.owner).post(reverse("panels:refer"), post)
    assert response.status_code == 200 and "The panel refused it" in response.content.decode()
    assert Person.objects.count() == before
