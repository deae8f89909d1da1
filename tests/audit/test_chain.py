"""The audit trail is append-only and tamper-evident; `csphub audit verify` finds the break."""

import hashlib
import hmac

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from csphub.audit import record
from csphub.audit.chain import GENESIS
from csphub.audit.models import AuditEvent
from tests.audit import tampering
from tests.audit.tampering import as_table_owner


def _write_events(n: int) -> list[AuditEvent]:
    return [
        record(verb="test.event", target=("test.thing", str(i)), payload={"i": i}) for i in range(n)
    ]


def test_events_chain_each_to_the_one_before(db, settings):
    first, second = _write_events(2)
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    # The digest is independently reproducible from the stored fields and the key.
    key = settings.AUDIT_CHAIN_KEY.encode()
    key_id = hmac.new(key, b"csphub audit chain key id", hashlib.sha256).hexdigest()[:16]
    assert (second.hash_scheme, second.key_id) == ("hmac-sha256", key_id)
    (stored,) = [row for row in tampering.rows() if row["seq"] == 2]
    assert stored["payload"] == {"i": 1} and stored["actor_id"] is None
    assert second.hash == tampering.hmac_sha256(key, key_id)(first.hash, stored)
    assert second.hash != tampering.plain_sha256(first.hash, stored)


def test_verify_passes_on_an_untouched_trail(db, capsys):
    _write_events(5)
    call_command("audit", "verify")
    assert "5 events verified" in capsys.readouterr().out


def test_verify_names_an_edited_event(db):
    _write_events(5)
    with as_table_owner() as cursor:
        cursor.execute("UPDATE audit_auditevent SET payload = %s WHERE seq = 3", ['{"i": 99}'])
    with pytest.raises(CommandError, match=r"BROKEN at event #3: event #3 was edited"):
        call_command("audit", "verify")


def test_verify_names_a_deleted_event(db):
    _write_events(5)
    with as_table_owner() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 2")
    with pytest.raises(CommandError, match=r"BROKEN at event #2: event #2 is missing"):
        call_command("audit", "verify")


def test_verify_notices_a_deleted_event_whose_successor_was_renumbered(db):
    _write_events(4)
    with as_table_owner() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 2")
        # One row at a time, lowest first: a single UPDATE of several rows may trip the unique
        # constraint on seq part-way, depending on the order the database visits them.
        for seq in (3, 4):
            cursor.execute("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [seq - 1, seq])
    with pytest.raises(CommandError, match=r"#2 does not follow"):
        call_command("audit", "verify")


def test_events_cannot_be_changed_or_deleted_through_the_orm(db):
    (event,) = _write_events(1)
    event.verb = "changed"
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()
    with pytest.raises(RuntimeError, match="append-only"):
        event.delete()
