"""The audit filter refuses dates outside a sensible range with a message, never a 500."""

import pytest
from django.urls import reverse

from csphub.accounts.roles import DPO


@pytest.mark.parametrize(
    "query,message",
    [
        ({"date_to": "9999-12-31"}, "The end date must be the same as or before"),
        ({"date_from": "0001-01-01"}, "The start date must be the same as or after"),
        ({"date_from": "9999-12-31", "date_to": "9999-12-31"}, "must be the same as or before"),
    ],
)
@pytest.mark.parametrize("name", ["audit:event_list", "audit:event_export"])
def test_a_date_out_of_range_is_a_message_not_a_crash(client_for, make_user, query, message, name):
    response = client_for(make_user(DPO)).get(reverse(name), query)
    assert response.status_code == 400 if name == "audit:event_export" else 200
    assert message in response.content.decode()
