"""The annual published counts: a cohort by financial year, through the suppression function."""

from datetime import date

from csphub.casereview import services
from csphub.casereview.selectors import published_counts


def _applications(
    make_review,
    coordinator,
    police,
    *,
    not_met=0,
    with_recs=0,
    without_recs=0,
    pending=0,
    received_on=date(2024, 6, 3),
):
    for _ in range(not_met):
        review = make_review(received_on=received_on)
        services.do_decide_threshold(
            actor=coordinator, review=review, decided_on=received_on, met=False
        )
    for i in range(with_recs + without_recs):
        review = make_review(received_on=received_on)
        services.do_decide_threshold(
            actor=coordinator,
            review=review,
            decided_on=received_on,
            met=True,
            reason="Harm to a vulnerable victim",
        )
        services.do_record_review_meeting(
            actor=coordinator, review=review, held_on=received_on, outcome="Reviewed"
        )
        if i < with_recs:
            services.do_add_recommendation(
                actor=coordinator, review=review, agency=police, text="Patrols"
            )
            services.do_add_recommendation(
                actor=coordinator, review=review, agency=police, text="Mediation"
            )
    for _ in range(pending):
        make_review(received_on=received_on)


def test_large_counts_are_published_as_they_are(make_review, coordinator, police):
    _applications(
        make_review, coordinator, police, not_met=6, with_recs=5, without_recs=5, pending=5
    )
    counts = published_counts(2024)
    assert counts.label == "2024 to 2025"
    # Two recommendations on one review still count it once.
    assert (
        counts.applications,
        counts.threshold_not_met,
        counts.reviews_held,
        counts.reviews_with_recommendations,
    ) == ("21", "6", "10", "5")


def test_the_statutory_counts_are_published_in_full_however_small(make_review, coordinator, police):
    # s.104 of the 2014 Act requires these four counts: "<5" would not meet the duty.
    _applications(make_review, coordinator, police, not_met=3, with_recs=1, without_recs=2)
    counts = published_counts(2024)
    assert (
        counts.applications,
        counts.threshold_not_met,
        counts.reviews_held,
        counts.reviews_with_recommendations,
    ) == ("6", "3", "3", "1")


def test_a_small_count_is_hidden_and_so_is_the_figure_it_could_be_worked_out_from(
    make_review, coordinator, police
):
    # Where a partnership suppresses them anyway: 12 applications = 3 not met + 9 reviews, so
    # publishing 12 and 9 would give away the 3.
    _applications(make_review, coordinator, police, not_met=3, with_recs=6, without_recs=3)
    counts = published_counts(2024, threshold=5)
    assert counts.applications == "12"
    assert counts.threshold_not_met == "<5"
    assert counts.reviews_held == "[c]"
    assert counts.reviews_with_recommendations == "[c]"


def test_reviews_without_recommendations_are_protected_by_hiding_a_partner(
    make_review, coordinator, police
):
    _applications(
        make_review, coordinator, police, not_met=5, with_recs=7, without_recs=3, pending=5
    )
    counts = published_counts(2024, threshold=5)
    assert (
        counts.applications,
        counts.threshold_not_met,
        counts.reviews_held,
        counts.reviews_with_recommendations,
    ) == ("20", "5", "10", "[c]")


def test_applications_count_in_the_financial_year_they_were_received(
    make_review, coordinator, police
):
    _applications(make_review, coordinator, police, pending=6, received_on=date(2025, 3, 31))
    _applications(make_review, coordinator, police, pending=7, received_on=date(2025, 4, 1))
    assert published_counts(2024).applications == "6"
    assert published_counts(2025).applications == "7"
    assert published_counts(2023).applications == "0"


def test_counts_page_opens_on_the_financial_year_today_falls_in(client_for, executive, monkeypatch):
    from django.urls import reverse
    from django.utils import timezone

    url = reverse("casereview:annual_counts")
    # 31 March 2025 is the last day of 2024 to 2025; 1 April 2025 the first of 2025 to 2026.
    for today, first_row, last_row in [
        (date(2025, 3, 31), "2024 to 2025", "2022 to 2023"),
        (date(2025, 4, 1), "2025 to 2026", "2023 to 2024"),
    ]:
        monkeypatch.setattr(timezone, "localdate", lambda today=today: today)
        years = client_for(executive).get(url).context["years"]
        assert [years[0].label, years[-1].label] == [first_row, last_row]
        assert (years[0].start, years[0].end) == (
            date(int(first_row[:4]), 4, 1),
            date(int(first_row[-4:]), 3, 31),
        )
