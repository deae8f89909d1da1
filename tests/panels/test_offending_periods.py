"""Offending before and after a referral counts only whole periods: the 12 months after a
referral are shown once they are over, and until then a page says when they end."""

from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from csphub.panels.reports import before_after, cohort_offending, months_before
from tests.factories import CaseFactory, OffenceFactory, PersonFactory

TODAY = date(2026, 12, 3)


def _offences(*days_and_weights):
    return [OffenceFactory.build(offence_date=d, harm_weight=w) for d, w in days_and_weights]


def test_a_referral_exactly_twelve_months_ago_has_a_complete_after_period():
    # Referred 3 December 2025: the 12 months after run to 2 December 2026, over by 3 December.
    result = before_after(
        _offences((date(2026, 12, 2), 10), (date(2026, 12, 3), 99)),
        date(2025, 12, 3),
        today=TODAY,
    )
    assert result.after_complete is True
    assert result.after_ends == date(2026, 12, 2)
    # The last day of the period counts; the day after it does not.
    assert (result.after_count, result.after_harm) == (1, 10)


def test_a_referral_one_day_short_of_twelve_months_is_not_yet_complete():
    # Referred 4 December 2025: the 12 months after end on 3 December 2026, which is today.
    result = before_after([], date(2025, 12, 4), today=TODAY)
    assert result.after_complete is False
    assert result.after_ends == date(2026, 12, 3)


def test_a_leap_day_referral_is_compared_over_twelve_months_each_side():
    # Referred 29 February 2024: before is 1 March 2023 to 28 February 2024; after is
    # 29 February 2024 to 28 February 2025, over on 1 March 2025.
    offences = _offences(
        (date(2023, 2, 28), 1),  # a day too early
        (date(2023, 3, 1), 2),
        (date(2024, 2, 28), 4),
        (date(2024, 2, 29), 8),
        (date(2025, 2, 28), 16),
        (date(2025, 3, 1), 32),  # a day too late
    )
    on_last_day = before_after(offences, date(2024, 2, 29), today=date(2025, 2, 28))
    assert on_last_day.after_complete is False
    assert on_last_day.after_ends == date(2025, 2, 28)
    day_after = before_after(offences, date(2024, 2, 29), today=date(2025, 3, 1))
    assert day_after.after_complete is True
    assert (day_after.before_count, day_after.before_harm) == (2, 6)
    assert (day_after.after_count, day_after.after_harm) == (2, 24)
    assert months_before(date(2024, 2, 29)) == date(2023, 3, 1)


def _refer(world, person, on: date):
    case = CaseFactory(panel=world.vip, subject=person)
    case.referred_at = timezone.make_aware(datetime(on.year, on.month, on.day, 12))
    case.save(update_fields=["referred_at"])
    return case


def test_cohort_counts_only_people_whose_twelve_months_after_are_over(world):
    world.case.delete()
    # Five people referred on 1 June 2025 (over by 3 December 2026): one offence each before,
    # none after. Six referred on 1 June 2026: 12 months not over, so none of them counts,
    # however much they offended before.
    for _ in range(5):
        person = PersonFactory()
        _refer(world, person, date(2025, 6, 1))
        OffenceFactory(person=person, offence_date=date(2025, 5, 1), harm_weight=10)
    for _ in range(6):
        person = PersonFactory()
        _refer(world, person, date(2026, 6, 1))
        OffenceFactory(person=person, offence_date=date(2026, 5, 1), harm_weight=10)
    result = cohort_offending(world.vip, today=TODAY)
    assert (result["people"], result["pending"]) == (5, 6)
    assert (result["before"], result["after"], result["before_harm"]) == ("5", "0", "50")


def _case_referred_days_ago(world, days: int) -> date:
    referred = timezone.localdate() - timedelta(days=days)
    world.case.referred_at = timezone.make_aware(
        datetime(referred.year, referred.month, referred.day, 12)
    )
    world.case.save(update_fields=["referred_at"])
    return referred


def test_case_and_person_pages_say_when_the_after_period_ends(client_for, world):
    referred = _case_referred_days_ago(world, 10)
    OffenceFactory(person=world.person, offence_date=referred - timedelta(days=5))
    # The member is a police officer on the case's panel, so sees offending.
    member = client_for(world.member)
    person_page = member.get(
        reverse("people:person_detail", kwargs={"reference": world.person.reference})
    ).content.decode()
    case_page = member.get(
        reverse("panels:case_detail", kwargs={"case_id": world.case.pk})
    ).content.decode()
    for page in (person_page, case_page):
        assert "Not yet: the 12 months after referral end on" in page.replace("not yet", "Not yet")


def test_pages_show_the_after_figures_once_the_period_is_over(client_for, world):
    referred = _case_referred_days_ago(world, 400)
    OffenceFactory(person=world.person, offence_date=referred + timedelta(days=5))
    page = (
        client_for(world.member)
        .get(reverse("panels:case_detail", kwargs={"case_id": world.case.pk}))
        .content.decode()
    )
    assert "0 / 1 (harm 0 / 120)" in page
    assert "not yet" not in page.lower()
