"""`csphub audit verify` walks the trail a chunk at a time and says how far it has got."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from csphub.audit import record
from csphub.audit.selectors import events_in_chunks, verify_chain
from tests.audit.tampering import as_table_owner


def _write_events(n: int) -> None:
    for i in range(n):
        record(verb="test.event", target=("test.thing", str(i)), payload={"i": i})


def _event_reads(queries: list[dict[str, str]]) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "audit_auditevent"' in q["sql"]]


def test_verify_reports_progress_after_each_chunk(db, capsys):
    _write_events(10)
    call_command("audit", "verify", "--chunk", "4")
    out, err = capsys.readouterr()
    # 10 events in chunks of 4: after 4, 8 and the last 2.
    assert err.splitlines()[:3] == [
        "Verifying: 4 of 10 events read (40%)",
        "Verifying: 8 of 10 events read (80%)",
        "Verifying: 10 of 10 events read (100%)",
    ]
    assert "10 events verified" in out


def test_the_walk_reads_one_bounded_chunk_per_query(db):
    _write_events(7)
    seen: list[int] = []
    with CaptureQueriesContext(connection) as ctx:
        report = verify_chain(chunk_size=3, progress=seen.append)
    assert report.ok and report.checked == 7
    assert seen == [3, 6, 7]
    reads = _event_reads(ctx.captured_queries)
    # Three chunks (3 + 3 + 1), each asking for at most 3 rows after the last seq it saw,
    # so no query ever holds more than one chunk of the trail.
    assert len(reads) == 3
    assert all("LIMIT 3" in sql for sql in reads)
    assert '"seq" > 0' in reads[0] and '"seq" > 3' in reads[1] and '"seq" > 6' in reads[2]


def test_chunks_hand_on_every_event_once_in_order(db):
    _write_events(9)
    assert [e.seq for e in events_in_chunks(4)] == list(range(1, 10))
    # A chunk size that divides the trail exactly ends with one empty read, not a lost event.
    assert [e.seq for e in events_in_chunks(3)] == list(range(1, 10))


def test_a_break_in_a_later_chunk_is_still_named(db):
    _write_events(8)
    with as_table_owner() as cursor:
        cursor.execute("UPDATE audit_auditevent SET payload = %s WHERE seq = 7", ['{"i": 99}'])
    with pytest.raises(CommandError, match=r"BROKEN at event #7: event #7 was edited"):
        call_command("audit", "verify", "--chunk", "3")


def test_verify_refuses_a_chunk_of_nothing(db):
    with pytest.raises(CommandError, match="--chunk must be at least 1"):
        call_command("audit", "verify", "--chunk", "0")
