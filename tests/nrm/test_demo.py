"""The demo's NRM year: the co-ordinator's two-factor sign-in, a realistic mix, safe to load twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from csphub.accounts import demo as accounts_demo
from csphub.accounts.models import User
from csphub.nrm import demo
from csphub.nrm.models import Decision, Minute, Referral

pytestmark = pytest.mark.django_db


def test_the_demo_year_loads_once_with_a_realistic_mix():
    accounts_demo.load(StringIO())
    demo.load(StringIO())
    coordinator = User.objects.get(email="nrm@bexley.demo")
    assert TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists()
    referrals = list(Referral.objects.all())
    assert len(referrals) == 38
    criminal = sum(1 for r in referrals if "criminal" in r.exploitation_types)
    assert criminal > len(referrals) / 2
    assert sum(1 for r in referrals if r.county_lines) > len(referrals) / 3
    assert sum(1 for r in referrals if r.routing == "sca") == 2
    assert all(d.decided_on >= d.referral.received_on for d in Decision.objects.all())
    assert Minute.objects.filter(issued_at__isnull=False).exists()
    assert Minute.objects.filter(signed_off_at__isnull=True).exists()  # some await QA
    out = StringIO()
    demo.load(out)
    assert Referral.objects.count() == 38 and "left as it is" in out.getvalue()
