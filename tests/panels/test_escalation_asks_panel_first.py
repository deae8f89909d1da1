"""An escalation asks which panel first, with none chosen, and then only what that panel's
rules use: the CREST risk screen for CREST, not for a panel without it."""

from django.urls import reverse

from csphub.panels.choices import RISK_INDICATORS
from tests.factories import PanelFactory


def _url(world, to=None):
    url = reverse("panels:case_escalate", kwargs={"case_id": world.case.pk})
    return url if to is None else f"{url}?to={to}"


def test_the_first_step_lists_the_other_panels_with_none_chosen(client_for, world):
    response = client_for(world.coordinator).get(_url(world))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Which panel are you escalating to?" in page
    assert 'value="crest"' in page and 'value="vip"' not in page  # not the case's own panel
    assert "checked" not in page
    assert "indicator_" not in page


def test_continuing_without_a_panel_names_the_question(client_for, world):
    page = client_for(world.coordinator).get(_url(world, to="")).content.decode()
    assert "Select the panel you are escalating to" in page


def test_the_risk_screen_is_asked_for_crest(client_for, world):
    page = client_for(world.coordinator).get(_url(world, to="crest")).content.decode()
    code = RISK_INDICATORS[0][0]
    assert f'name="indicator_{code}"' in page
    assert f'name="to_panel" value="{world.crest.pk}"' in page


def test_no_risk_screen_for_a_panel_that_does_not_use_it(client_for, world):
    PanelFactory(slug="asb-cmp", name="ASB Case Management Panel")
    page = client_for(world.coordinator).get(_url(world, to="asb-cmp")).content.decode()
    assert "indicator_" not in page and "Risk screen" not in page
    assert "Why escalate?" in page


def test_whoever_may_not_escalate_is_not_shown_the_choice(client_for, world):
    response = client_for(world.owner).get(_url(world))
    assert response.status_code == 403
    assert "Which panel are you escalating to?" not in response.content.decode()
