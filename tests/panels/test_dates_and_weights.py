"""Referral and offence forms refuse impossible dates and weights with GOV.UK-style messages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from csphub.panels.models import Case, Offence
from tests.panels.test_referrals import _referral_post


def test_a_date_of_birth_in_the_future_is_refused(client_for, world):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(world.owner).post(
        reverse("panels:refer"),
        _referral_post(world.vip, date_of_birth=tomorrow.strftime("%d/%m/%Y"), confirm_new="on"),
    )
    assert response.status_code == 200
    assert "Date of birth must be today or in the past" in response.content.decode()
    assert Case.objects.count() == 1  # the world's own case only


def _offence(client, world, **data):
    url = reverse("people:offence_create", kwargs={"reference": world.person.reference})
    return client.post(
        url,
        {"offence_date": "03/03/2024", "category": "ROBBERY/ROBBERY OF PERSONAL PROPERTY", **data},
    )


@pytest.mark.parametrize(
    "typed,message",
    [
        ("0001-01-01", "Date of offence must be the same as or after"),
        ("01/01/0001", "Date of offence must be the same as or after"),
        ("31/12/9999", "Date of offence must be today or in the past"),
    ],
)
def test_an_offence_date_out_of_range_is_refused(client_for, world, typed, message):
    response = _offence(client_for(world.member), world, offence_date=typed)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Offence.objects.exists()


@pytest.mark.parametrize("weight", ["1e308", "10001", "-1", "inf", "nan"])
def test_a_harm_weight_out_of_range_is_refused(client_for, world, weight):
    response = _offence(client_for(world.member), world, harm_weight=weight)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Harm weight must be" in page or "Enter a number" in page
    assert not Offence.objects.exists()


def test_a_harm_weight_in_range_is_kept(client_for, world):
    assert _offence(client_for(world.member), world, harm_weight="6500").status_code == 302
    assert Offence.objects.get().harm_weight == 6500.0
