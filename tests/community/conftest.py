from __future__ import annotations

import pytest

from csphub.people.services import do_create_place
from tests.funding.conftest import build


@pytest.fixture
def funding(make_user):
    return build(make_user)


@pytest.fixture
def places(funding):
    """Two community places, located from their LSOA codes (the ward from the best-fit lookup)."""
    from csphub.accounts.roles import PRACTITIONER

    recorder = funding.provider_staff
    assert recorder.has_perm("panels.refer"), PRACTITIONER
    return {
        "hub": do_create_place(
            actor=recorder,
            name="Thamesmead youth hub",
            kind="outreach",
            lsoa_code="E01000353",
            community=True,
        ),
        "school": do_create_place(
            actor=recorder,
            name="Barnehurst Academy",
            kind="school",
            lsoa_code="E01000325",
            community=True,
        ),
    }
