"""Referring a person or a place to a panel: a new case, waiting for its co-ordinator."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from csphub.accounts.models import Agency
from csphub.core.errors import ServiceError
from csphub.panels.choices import CaseStatus, PanelDecision, SubjectRole, TransitionKind
from csphub.panels.models import Case, CaseSubject, Panel
from csphub.panels.selectors import may_refer
from csphub.panels.services.common import indicator_scores, raise_if
from csphub.panels.services.transitions import record_transition
from csphub.people.models import Person, Place
from csphub.people.services import do_create_person, do_create_place

if TYPE_CHECKING:
    from csphub.accounts.models import User


def do_refer(
    *,
    actor: User,
    panel: Panel,
    owning_agency: Agency,
    person: Person | None = None,
    place: Place | None = None,
    role: str,
    reason_category: str,
    reason: str,
    consent_given: bool | None,
    lawful_basis: str = "",
    override_reason: str = "",
    risk_level: str,
    indicators: dict[str, int] | None = None,
    summary: str = "",
    suggested_match: Person | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Refer a person or a place to PANEL: a new case, waiting for the co-ordinator to accept.

    A person referral brings its own, new record of the person: it never links a record
    already known, so it shows nobody a record they could not see and a refusal leaves nothing
    behind. SUGGESTED_MATCH, a record the referrer may see, says whom they believe it is; the
    receiving co-ordinator decides that on accepting (`do_decide_transition`). A place is a
    new one, or one already on a case the referrer may see.
    """
    from csphub.people.selectors import people_visible_to, places_visible_to

    if not may_refer(actor):
        raise PermissionDenied
    if (person is None) == (place is None):
        raise ServiceError("A referral is about one person or one place")
    if person is not None and (
        person.merged_into_id is not None or CaseSubject.objects.filter(person=person).exists()
    ):
        raise ServiceError(
            {"person": "A referral brings a new record: name a known person as its suggested match"}
        )
    if (
        place is not None
        and place.case_links.exists()
        and not places_visible_to(actor).filter(pk=place.pk).exists()
    ):
        # A known place is linked only by someone who sees it, as the referral page offers.
        raise ServiceError({"place_reference": "No place you can see has that reference"})
    if suggested_match is not None and (
        person is None or not people_visible_to(actor).filter(pk=suggested_match.pk).exists()
    ):
        raise ServiceError({"suggested_match": "No person you can see has that reference"})
    rules = panel.rules
    rules.check_makes(PanelDecision.ACCEPT, field="panel")
    scores = rules.screened(indicator_scores(indicators))
    consent: dict[str, Any] = {
        "consent_given": consent_given,
        "lawful_basis": lawful_basis,
        "override_reason": override_reason,
    }
    raise_if(rules.consent_errors(**consent))
    ages = [person.age_on(timezone.localdate())] if person else []
    raise_if(rules.screen_errors(indicators=scores, risk_level=risk_level, ages=ages))
    with transaction.atomic():
        case = Case.objects.create(
            panel=panel,
            owning_agency=owning_agency,
            status=CaseStatus.REFERRED,
            risk_level=risk_level,
            summary=summary or reason,
        )
        CaseSubject.objects.create(case=case, person=person, place=place, role=role)
        record_transition(
            actor=actor,
            case=case,
            kind=TransitionKind.REFERRAL,
            request=request,
            to_panel=panel,
            from_agency=getattr(actor, "agency", None),
            to_agency=owning_agency,
            reason_category=reason_category,
            reason=reason,
            **rules.consent_fields(**consent),
            risk_level=risk_level,
            indicators=scores,
            suggested_match=suggested_match,
        )
    return case


def _referring_agency(actor: User) -> Agency:
    """The agency that will own a referral made on the referral pages: the referrer's own."""
    if not may_refer(actor) or actor.agency is None:
        raise PermissionDenied
    return actor.agency


def do_refer_person(
    *,
    actor: User,
    panel: Panel,
    given_name: str,
    family_name: str,
    date_of_birth: date | None,
    address: str = "",
    gender: str = "not_known",
    ethnicity: str = "not_stated",
    role: str,
    reason_category: str,
    reason: str,
    consent_given: bool | None,
    lawful_basis: str = "",
    override_reason: str = "",
    risk_level: str,
    indicators: dict[str, int] | None = None,
    suggested_match: Person | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """The referral page's person referral, owned by the referrer's agency: a new record of the
    person, kept only if the referral is made (`do_refer` says what it links and what not)."""
    agency = _referring_agency(actor)
    with transaction.atomic():
        person = do_create_person(
            actor=actor,
            given_name=given_name,
            family_name=family_name,
            date_of_birth=date_of_birth,
            address=address,
            gender=gender,
            ethnicity=ethnicity,
            request=request,
        )
        return do_refer(
            actor=actor,
            panel=panel,
            owning_agency=agency,
            person=person,
            role=role,
            reason_category=reason_category,
            reason=reason,
            consent_given=consent_given,
            lawful_basis=lawful_basis,
            override_reason=override_reason,
            risk_level=risk_level,
            indicators=indicators,
            suggested_match=suggested_match,
            request=request,
        )


def do_refer_place(
    *,
    actor: User,
    panel: Panel,
    place_reference: str = "",
    place_name: str = "",
    place_kind: str = "",
    lsoa_code: str = "",
    ward_name: str = "",
    reason_category: str,
    reason: str,
    consent_given: bool | None,
    lawful_basis: str = "",
    override_reason: str = "",
    risk_level: str,
    indicators: dict[str, int] | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """The referral page's place referral, owned by the referrer's agency: a place already on a
    case the referrer can see (PLACE_REFERENCE), or a new one, kept only if the referral is
    made."""
    from csphub.people.selectors import places_visible_to

    agency = _referring_agency(actor)
    with transaction.atomic():
        if place_reference:
            place = (
                places_visible_to(actor).filter(reference=place_reference.strip().upper()).first()
            )
            if place is None:
                raise ServiceError({"place_reference": "No place you can see has that reference"})
        else:
            place = do_create_place(
                actor=actor,
                name=place_name,
                kind=place_kind,
                lsoa_code=lsoa_code,
                ward_name=ward_name,
                request=request,
            )
        return do_refer(
            actor=actor,
            panel=panel,
            owning_agency=agency,
            place=place,
            role=SubjectRole.LOCATION,
            reason_category=reason_category,
            reason=reason,
            consent_given=consent_given,
            lawful_basis=lawful_basis,
            override_reason=override_reason,
            risk_level=risk_level,
            indicators=indicators,
            request=request,
        )
