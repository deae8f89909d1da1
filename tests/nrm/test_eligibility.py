"""Eligibility on real dates: 17 or under and more than 100 days from the 18th birthday."""

from __future__ import annotations

from datetime import date

import pytest

from csphub.nrm.choices import Routing
from csphub.nrm.eligibility import check, eighteenth_birthday
from tests.nrm.conftest import refer

pytestmark = pytest.mark.django_db


def test_101_days_before_the_18th_birthday_is_decided_locally():
    # 20 February 2026 to 1 June 2026: 8 + 31 + 30 + 31 + 1 = 101 days (counted by hand).
    result = check(date_of_birth=date(2008, 6, 1), received_on=date(2026, 2, 20))
    assert result.eligible and result.routing == Routing.PANEL and result.reason == ""


def test_exactly_100_days_before_the_18th_birthday_goes_to_the_sca():
    result = check(date_of_birth=date(2008, 6, 1), received_on=date(2026, 2, 21))
    assert not result.eligible
    assert result.routing == Routing.SCA
    assert "100 days or fewer before the 18th birthday (1 June 2026)" in result.reason


def test_a_leap_day_birthday_turns_18_on_1_march():
    born = date(2008, 2, 29)
    assert eighteenth_birthday(born) == date(2026, 3, 1)
    # 20 November 2025 to 1 March 2026 is 101 days; 21 November is 100.
    assert check(date_of_birth=born, received_on=date(2025, 11, 20)).eligible
    assert not check(date_of_birth=born, received_on=date(2025, 11, 21)).eligible


def test_an_18_year_old_goes_to_the_sca():
    result = check(date_of_birth=date(2005, 1, 10), received_on=date(2023, 1, 10))
    assert result.routing == Routing.SCA
    assert result.reason == "18 or over when the referral was received"


def test_age_dispute_and_public_order_route_to_the_sca_whatever_the_age():
    result = check(
        date_of_birth=date(2010, 1, 1),
        received_on=date(2023, 1, 10),
        age_disputed=True,
        public_order=True,
    )
    assert result.routing == Routing.SCA
    assert "age is disputed" in result.reason
    assert "public-order disqualification" in result.reason


def test_a_routed_referral_stays_on_file_with_its_reason(nrm):
    referral = refer(nrm, date_of_birth=date(2010, 4, 2), age_disputed=True)
    referral.refresh_from_db()
    assert referral.routing == Routing.SCA
    assert referral.routing_reason == "the child's age is disputed"
    assert referral.case.panel == nrm.panel


def test_a_childs_referral_records_no_consent_and_no_override(nrm):
    referral = refer(nrm)
    transition = referral.case.transitions.get()
    assert transition.consent_given is None
    assert not transition.is_consent_override
    assert transition.lawful_basis == "" and transition.override_reason == ""
    assert referral.consent == "Not required: child"
