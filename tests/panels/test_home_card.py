"""The home page's "Your cases" card: figures through cases_visible_to, in constant queries."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from csphub.accounts.models import User
from csphub.core.dashboard import cards_for
from csphub.panels.selectors import dashboard_summary
from tests.factories import CaseFactory


def _card(user):
    return next(c for c in cards_for(user) if c["title"] == "Your cases")


def test_card_counts_open_cases_and_reviews_due_that_the_user_can_see(world):
    today = timezone.localdate()
    CaseFactory(panel=world.vip, owning_agency=world.childrens, review_due=today)
    CaseFactory(panel=world.vip, owning_agency=world.police, review_due=today - timedelta(days=3))
    CaseFactory(panel=world.vip, owning_agency=world.police, review_due=today + timedelta(days=9))
    CaseFactory(panel=world.vip, status="closed", review_due=today - timedelta(days=30))
    CaseFactory(panel=world.crest, owning_agency=world.school, review_due=today)  # not theirs

    assert dashboard_summary(world.member) == [
        ("Open cases you can see", "4"),  # world.case and three more on VIP
        ("Cases due for review", "2"),
    ]
    assert _card(world.member)["summary"] == dashboard_summary(world.member)
    assert dashboard_summary(world.outsider) == [
        ("Open cases you can see", "1"),  # the CREST case owned by the school
        ("Cases due for review", "1"),
    ]


def test_card_query_count_does_not_grow_with_the_number_of_cases(world):
    def count() -> int:
        user = User.objects.get(pk=world.member.pk)  # fresh: no permission cache
        with CaptureQueriesContext(connection) as ctx:
            dashboard_summary(user)
        return len(ctx.captured_queries)

    few = count()
    for _ in range(15):
        CaseFactory(panel=world.vip, review_due=timezone.localdate())
    assert count() == few


def test_home_page_shows_the_card_to_practitioners_only(client_for, world):
    page = client_for(world.member).get(reverse("core:home")).content.decode()
    assert "Open cases you can see" in page
    assert "Open cases you can see" not in (
        client_for(world.executive).get(reverse("core:home")).content.decode()
    )
