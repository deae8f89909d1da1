"""Each role's home page shows the areas its role opens, and no others."""

import pytest
from django.urls import reverse

from csphub.accounts.roles import ANALYST, CSP_ADMIN, DPO, EXECUTIVE, PRACTITIONER


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (CSP_ADMIN, ["/accounts/users/"], ["/audit/"]),
        (DPO, ["/audit/"], ["/accounts/users/", "/cases/"]),
        (PRACTITIONER, ["/cases/"], ["/audit/", "/accounts/users/"]),
        (EXECUTIVE, [], ["/audit/", "/accounts/users/", "/cases/"]),
        (ANALYST, [], ["/audit/", "/accounts/users/", "/cases/"]),
    ],
)
def test_home_shows_only_what_the_role_opens(client_for, make_user, role, shown, hidden):
    page = client_for(make_user(role)).get(reverse("core:home")).content.decode()
    for url in shown:
        assert f'href="{url}"' in page, f"{role} should see a link to {url}"
    for url in hidden:
        assert f'href="{url}"' not in page, f"{role} should not see a link to {url}"


def test_user_without_a_role_is_told_to_ask_for_one(client_for, make_user):
    page = client_for(make_user()).get(reverse("core:home")).content.decode()
    assert "You have not been given a role yet" in page
