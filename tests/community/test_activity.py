"""Activity at community places: recorded by the delivering agency or the manager, counted by
quarter, ward, theme and funder, and rolled up into a funded item's outputs."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from csphub.community import services
from csphub.community.selectors import counts, training_by_agency
from csphub.core.errors import ServiceError
from csphub.funding import services as funding_services
from csphub.funding.selectors import item_at_quarter
from tests.factories import PlaceFactory
from tests.funding.conftest import YEAR


def _bus(f, place, day, reached, item=None, who=None):
    return services.do_record_activity(
        actor=who or f.provider_staff,
        kind="outreach_bus",
        theme="knife_crime",
        topic="Bus",
        held_on=day,
        place=place,
        delivered_by=f.provider,
        people_reached=reached,
        funded_item=item,
        hours=Decimal("3.5"),
        referrals_made=1,
    )


def test_linked_activity_rolls_up_into_the_items_outputs(funding, places):
    sessions = funding_services.do_add_measure(
        actor=funding.manager,
        item=funding.bus,
        name="Young people engaged",
        counts_activity="outreach_bus",
        counts="people",
    )
    funding_services.do_set_profile(
        actor=funding.manager,
        item=funding.bus,
        year=YEAR,
        quarter=1,
        budget=Decimal("6000"),
        outputs={sessions: 40},
    )
    _bus(funding, places["hub"], date(2023, 4, 14), 12, funding.bus)
    _bus(funding, places["hub"], date(2023, 6, 30), 18, funding.bus)
    _bus(funding, places["hub"], date(2023, 7, 1), 50, funding.bus)  # Q2: not in Q1
    _bus(funding, places["hub"], date(2023, 5, 1), 99)  # not linked: not counted
    view = item_at_quarter(funding.manager, funding.bus, YEAR, 1)
    perf = {m.name: p for m, p in view.measures}["Young people engaged"]
    assert (perf.actual, perf.profile) == (30, 40)  # 12 + 18
    assert perf.percent == Decimal("75.0") and perf.rag == "amber"


def test_counts_by_quarter_ward_and_funder(funding, places):
    _bus(funding, places["hub"], date(2023, 4, 14), 12, funding.bus)
    _bus(funding, places["school"], date(2023, 10, 2), 30)
    _bus(funding, places["school"], date(2023, 10, 9), 25)
    by_q = {
        r["key"]: (r["sessions"], r["people"]) for r in counts(funding.outsider, YEAR, "quarter")
    }
    assert by_q == {"2023-24 Q1": (1, 12), "2023-24 Q3": (2, 55)}
    by_ward = {r["key"]: r["people"] for r in counts(funding.outsider, YEAR, "ward")}
    assert by_ward == {places["hub"].ward: 12, "Barnehurst": 55}
    by_funder = {r["key"]: r["sessions"] for r in counts(funding.outsider, YEAR, "funder")}
    assert by_funder == {"MOPAC": 1, "Not funded": 2}
    assert counts(funding.anonymous, YEAR, "quarter") == []


def test_training_attendees_by_agency_are_one_record(funding, places):
    training = services.do_record_activity(
        actor=funding.manager,
        kind="training",
        theme="exploitation",
        topic="Monthly child exploitation workshop",
        held_on=date(2023, 5, 10),
        place=places["hub"],
        delivered_by=funding.provider,
        people_reached=9,
    )
    services.do_record_attendance(
        actor=funding.manager, activity=training, agency=funding.provider, attendees=4
    )
    services.do_record_attendance(
        actor=funding.manager, activity=training, agency=funding.other_provider, attendees=5
    )
    assert training_by_agency(funding.executive, YEAR) == [
        ("Safer Streets CIC", 4),
        ("Young Voices Trust", 5),
    ]


@pytest.mark.parametrize("who", ["other_staff", "executive", "outsider", "anonymous"])
def test_only_the_delivering_agency_and_the_manager_record(funding, places, who):
    with pytest.raises(PermissionDenied):
        _bus(funding, places["hub"], date(2023, 4, 14), 12, who=getattr(funding, who))
    _bus(funding, places["hub"], date(2023, 4, 14), 12, who=funding.manager)


def test_a_provider_cannot_count_activity_towards_another_providers_item(funding, places):
    with pytest.raises(PermissionDenied):
        _bus(funding, places["hub"], date(2023, 4, 14), 12, funding.workshops)


def test_a_case_place_is_not_a_place_for_shared_activity(funding):
    with pytest.raises(ServiceError):
        _bus(funding, PlaceFactory(is_community_place=False), date(2023, 4, 14), 12)


def test_the_form_records_activity_at_a_new_place_located_from_its_lsoa(client_for, funding):
    response = client_for(funding.provider_staff).post(
        reverse("community:activity_create"),
        {
            "kind": "school_workshop",
            "theme": "peer_pressure",
            "topic": "Peer pressure",
            "held_on": "12/05/2023",
            "new_place_name": "Belvedere Primary",
            "new_place_kind": "school",
            "new_place_lsoa": "E01000325",
            "funded_item": str(funding.bus.pk),
            "people_reached": "28",
            "year_group": "Year 6",
        },
    )
    assert response.status_code == 302
    by_ward = {r["key"]: r["people"] for r in counts(funding.outsider, YEAR, "ward")}
    assert by_ward == {"Barnehurst": 28}


def test_the_activity_page_is_for_everyone_signed_in(client, client_for, funding, places):
    _bus(funding, places["hub"], date(2023, 4, 14), 12)
    url = reverse("community:activity_list") + f"?year={YEAR}"
    assert "2023-24 Q1" in client_for(funding.outsider).get(url).content.decode()
    assert client.get(url).status_code == 302


def test_training_attendance_by_agency_through_the_page(client_for, funding, places):
    training = services.do_record_activity(
        actor=funding.provider_staff,
        kind="training",
        theme="exploitation",
        topic="Monthly child exploitation workshop",
        held_on=date(2023, 6, 14),
        place=places["hub"],
        delivered_by=funding.provider,
        people_reached=7,
    )
    url = reverse("community:activity_attendance", kwargs={"activity_id": training.pk})
    assert client_for(funding.other_staff).get(url).status_code == 403
    response = client_for(funding.provider_staff).post(
        url, {f"agency_{funding.provider.pk}": "3", f"agency_{funding.other_provider.pk}": "4"}
    )
    assert response.status_code == 302
    assert training_by_agency(funding.outsider, YEAR) == [
        ("Safer Streets CIC", 3),
        ("Young Voices Trust", 4),
    ]


def test_the_funded_items_page_lists_the_activity_counted_towards_it(client_for, funding, places):
    _bus(funding, places["hub"], date(2023, 4, 14), 12, funding.bus)
    _bus(funding, places["school"], date(2023, 4, 20), 9)  # not linked
    url = reverse("funding:item_detail", kwargs={"funded_item_id": funding.bus.pk})
    page = client_for(funding.outsider).get(url, {"year": YEAR, "quarter": 1}).content.decode()
    assert "Thamesmead youth hub" in page and "Barnehurst Academy" not in page
