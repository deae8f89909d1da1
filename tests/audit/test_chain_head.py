"""The chain's head is anchored: a keyed hash, checkpoints outside the database, and (on
PostgreSQL) a table that refuses UPDATE, DELETE and TRUNCATE."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from csphub.audit import record
from csphub.audit.models import AuditEvent
from tests.audit import tampering


def _write_events(n: int, **kwargs: object) -> list[AuditEvent]:
    return [
        record(verb="test.event", target=("test.thing", str(i)), payload={"i": i}, **kwargs)
        for i in range(n)
    ]


def _lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_truncating_newest_events_fails_verify(db, checkpoint_file):
    _write_events(5)
    call_command("audit", "verify")  # leaves a checkpoint of the head, #5
    tampering.delete_from(4)
    with pytest.raises(CommandError, match=r"BROKEN at event #4: .*#4 to #5 are missing"):
        call_command("audit", "verify")
    assert [c["seq"] for c in _lines(checkpoint_file)] == [5]  # a broken trail is not anchored


def test_truncating_and_writing_new_events_fails_verify(db):
    _write_events(5)
    call_command("audit", "verify")
    tampering.delete_from(4)
    _write_events(3)  # #4, #5 and #6 again, validly chained and keyed
    with pytest.raises(CommandError, match=r"BROKEN at event #5: .*does not match the checkpoint"):
        call_command("audit", "verify")


@pytest.mark.parametrize(
    ("first_rewritten", "attacker", "broken_at"),
    [
        (3, "plain SHA-256", 3),
        (1, "plain SHA-256", 5),  # the whole trail recomputed without a key
        (3, "a wrong key", 3),
    ],
)
def test_rewriting_an_event_and_recomputing_later_hashes_fails_verify(
    db, first_rewritten, attacker, broken_at
):
    _write_events(5)
    if attacker == "plain SHA-256":
        tampering.rewrite_from(first_rewritten, {"i": 99}, tampering.plain_sha256, "sha256")
    else:
        key_id = tampering.rows()[0].get("key_id", "")
        digest = tampering.hmac_sha256(b"not-the-key-" * 4, key_id)
        tampering.rewrite_from(first_rewritten, {"i": 99}, digest, "hmac-sha256")
    with pytest.raises(CommandError, match=rf"BROKEN at event #{broken_at}:"):
        call_command("audit", "verify")


def test_a_rewrite_with_the_key_is_caught_by_an_earlier_checkpoint(db, settings):
    _write_events(5)
    call_command("audit", "verify")
    key_id = tampering.rows()[0]["key_id"]
    digest = tampering.hmac_sha256(settings.AUDIT_CHAIN_KEY.encode(), key_id)
    tampering.rewrite_from(3, {"i": 99}, digest)
    with pytest.raises(CommandError, match=r"BROKEN at event #5: .*does not match the checkpoint"):
        call_command("audit", "verify")


def test_old_unkeyed_events_still_verify(db, capsys):
    # A trail written before keyed hashes: plain SHA-256 links, marked with the old scheme.
    from csphub.audit.services import anchor_unkeyed_trail

    prev_hash = tampering.GENESIS
    start = timezone.now() - timedelta(days=30)
    for seq in (1, 2, 3):
        row = {
            "seq": seq,
            "occurred_at": start + timedelta(minutes=seq),
            "actor_id": None,
            "actor_label": "system",
            "verb": "old.event",
            "target_type": "test.thing",
            "target_id": str(seq),
            "payload": {"n": seq},
            "ip_address": None,
            "user_agent": "",
        }
        digest = tampering.plain_sha256(prev_hash, row)
        AuditEvent(**row, prev_hash=prev_hash, hash=digest, hash_scheme="sha256").save()
        prev_hash = digest
    anchor = anchor_unkeyed_trail(AuditEvent)  # what the upgrade's migration does
    assert anchor is not None
    assert (anchor.seq, anchor.verb, anchor.hash_scheme) == (4, "audit.chain_keyed", "hmac-sha256")
    assert anchor.prev_hash == prev_hash
    _write_events(2)
    call_command("audit", "verify")
    assert "6 events verified" in capsys.readouterr().out
    assert anchor_unkeyed_trail(AuditEvent) is None  # once is enough


def test_checkpoint_command_appends_head(db, checkpoint_file, make_user, caplog):
    user = make_user()
    first = _write_events(3, actor=user)
    caplog.set_level("INFO", logger="csphub.audit")
    call_command("audit", "checkpoint")
    later = _write_events(2, actor=user)
    call_command("audit", "checkpoint")
    written = _lines(checkpoint_file)
    assert [(c["seq"], c["hash"]) for c in written] == [(3, first[-1].hash), (5, later[-1].hash)]
    for checkpoint in written:
        taken = datetime.fromisoformat(checkpoint["at"])
        assert abs(taken - timezone.now()) < timedelta(hours=1)
    assert f"#5 {later[-1].hash}" in caplog.text
    assert user.email not in caplog.text and user.email not in checkpoint_file.read_text()


def test_checkpoint_command_refuses_a_truncated_trail(db, checkpoint_file):
    _write_events(5)
    call_command("audit", "checkpoint")
    tampering.delete_from(4)
    with pytest.raises(CommandError, match=r"#4 to #5 are missing"):
        call_command("audit", "checkpoint")
    assert [c["seq"] for c in _lines(checkpoint_file)] == [5]


def test_checkpoint_command_refuses_a_head_written_without_the_key(db, checkpoint_file):
    _write_events(3)
    tampering.rewrite_from(3, {"i": 99}, tampering.plain_sha256, "sha256")
    with pytest.raises(CommandError, match=r"#3"):
        call_command("audit", "checkpoint")
    assert not checkpoint_file.exists()


def test_checkpoint_is_emailed_to_the_configured_address(db, settings, make_user):
    settings.AUDIT_CHECKPOINT_EMAIL = ["dpo@example.org"]
    user = make_user()
    (event,) = _write_events(1, actor=user)
    call_command("audit", "checkpoint")
    (message,) = mail.outbox
    assert message.to == ["dpo@example.org"]
    assert f"#1 {event.hash}" in message.body
    assert user.email not in message.body + message.subject


def test_a_corrupt_checkpoint_file_is_reported(db, checkpoint_file):
    _write_events(1)
    checkpoint_file.write_text('{"seq": 1}\n')
    with pytest.raises(CommandError, match=r"line 1"):
        call_command("audit", "verify")


def test_events_under_a_previous_key_verify_after_rotation(db, settings, capsys):
    settings.AUDIT_CHAIN_KEY = "first-key-" * 4
    _write_events(2)
    settings.AUDIT_CHAIN_KEY = "second-key-" * 4
    settings.AUDIT_CHAIN_PREVIOUS_KEYS = ["first-key-" * 4]
    _write_events(2)
    assert len({row["key_id"] for row in tampering.rows()}) == 2
    call_command("audit", "verify")
    assert "4 events verified" in capsys.readouterr().out
    settings.AUDIT_CHAIN_PREVIOUS_KEYS = []
    with pytest.raises(CommandError, match=r"BROKEN at event #1: .*key id .* is not configured"):
        call_command("audit", "verify")


def test_bulk_update_and_delete_are_refused_by_the_orm(db):
    _write_events(1)
    with pytest.raises(RuntimeError, match="append-only"):
        AuditEvent.objects.filter(seq=1).update(verb="changed")
    with pytest.raises(RuntimeError, match="append-only"):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().verb == "test.event"


@pytest.mark.pg_only
def test_update_and_delete_refused_on_postgresql(db):
    if connection.vendor != "postgresql":  # deselected on SQLite runs by -m "not pg_only"
        pytest.skip("the append-only triggers exist on PostgreSQL only")
    _write_events(2)
    before = tampering.rows()
    with connection.cursor() as cursor:  # as at commit: no foreign-key check left pending
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for sql in (
        "UPDATE audit_auditevent SET verb = 'changed' WHERE seq = 1",
        "DELETE FROM audit_auditevent WHERE seq = 2",
        "TRUNCATE audit_auditevent",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    # The ORM's unguarded base manager reaches the same refusal.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent._base_manager.filter(seq=1).update(verb="changed")
    assert tampering.rows() == before


def test_production_refuses_a_missing_public_or_short_audit_chain_key(db, settings):
    from csphub.audit.checks import audit_chain_key_check

    settings.PRODUCTION = True
    for key in ("", settings.AUDIT_CHAIN_DEVELOPMENT_KEY, "too-short"):
        settings.AUDIT_CHAIN_KEY = key
        assert [e.id for e in audit_chain_key_check()] == ["audit.E001"]
        with pytest.raises(ImproperlyConfigured, match="AUDIT_CHAIN_KEY"):
            record(verb="test.event")
    assert not AuditEvent.objects.exists()  # nothing written with a key that vouches for nothing
    settings.AUDIT_CHAIN_KEY = "k" * 40
    assert audit_chain_key_check() == []
    settings.PRODUCTION = False
    settings.AUDIT_CHAIN_KEY = settings.AUDIT_CHAIN_DEVELOPMENT_KEY
    assert audit_chain_key_check() == []


def test_verify_says_when_no_earlier_checkpoint_anchored_the_trail(db, capsys):
    _write_events(2)
    call_command("audit", "verify")
    assert "No earlier checkpoint" in capsys.readouterr().err
    call_command("audit", "verify")
    output = capsys.readouterr()
    assert "No earlier checkpoint" not in output.err
    assert "against 1 earlier checkpoint(s)" in output.out
