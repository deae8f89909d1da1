"""The assessment's count tables go through the one suppression function, or none at all."""

from __future__ import annotations

from csphub.sna.tables import suppressed_table


def test_counts_below_the_threshold_and_their_partners_are_hidden():
    t = suppressed_table(
        "Referrals", ["Referrals"], [("VIP", [3]), ("CREST", [7]), ("NRM", [0])], 5
    )
    # 3 is hidden; with the total 10 published, 7 is hidden too (10 - 7 = 3); 0 is shown.
    assert t.rows == [("VIP", ["<5"]), ("CREST", ["[c]"]), ("NRM", ["0"])]
    assert t.column_totals == ["10"]


def test_a_threshold_of_zero_shows_every_count_and_the_totals():
    t = suppressed_table(
        "Activity", ["Sessions", "People"], [("Bus", [2, 40]), ("Talk", [1, 1200])], 0
    )
    assert t.rows == [("Bus", ["2", "40"]), ("Talk", ["1", "1,200"])]
    assert t.column_totals == ["3", "1,240"]
