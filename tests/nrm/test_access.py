"""Who sees an NRM referral: the panel's co-ordinator and members, decided in the selectors."""

from __future__ import annotations

import pytest

from csphub.accounts.roles import COORDINATOR, EXECUTIVE, PRACTITIONER
from csphub.nrm.selectors import referrals_made_by, referrals_visible_to
from csphub.panels.selectors import cases_visible_to, users_who_may_open
from tests.nrm.conftest import refer, taken_on

pytestmark = pytest.mark.django_db


def test_the_holding_agency_does_not_open_the_panels_cases(nrm, make_user):
    referral = taken_on(nrm)
    colleague = make_user(PRACTITIONER, agency=nrm.council)  # same agency, not on the panel
    other_coordinator = make_user(COORDINATOR, agency=nrm.council)
    for user in (colleague, other_coordinator):
        assert not cases_visible_to(user).filter(pk=referral.case_id).exists()
        assert not referrals_visible_to(user).exists()
        assert user not in users_who_may_open(referral.case)
    assert nrm.social_care in users_who_may_open(referral.case)


def test_members_see_a_referral_once_it_is_taken_on(nrm):
    referral = refer(nrm)
    assert referrals_visible_to(nrm.coordinator).filter(pk=referral.pk).exists()
    assert not referrals_visible_to(nrm.officer).exists()
    from csphub.nrm import services

    services.do_take_on(actor=nrm.coordinator, referral=referral)
    for member in (nrm.officer, nrm.nurse, nrm.ictg, nrm.social_care):
        assert referrals_visible_to(member).filter(pk=referral.pk).exists()


def test_a_first_responder_follows_only_their_own(nrm, make_user):
    mine = taken_on(nrm)
    other_responder = make_user(PRACTITIONER, agency=nrm.police)
    assert list(referrals_made_by(nrm.first_responder)) == [mine]
    assert not referrals_made_by(other_responder).exists()
    assert not referrals_visible_to(nrm.first_responder).exists()


def test_an_executive_and_an_outsider_see_no_referral(nrm, make_user):
    taken_on(nrm)
    for user in (make_user(EXECUTIVE), nrm.outsider):
        assert not referrals_visible_to(user).exists()
        assert not referrals_made_by(user).exists()
