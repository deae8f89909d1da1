"""Limits counted in the shared throttle cache hold when attempts arrive at the same moment."""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache

from csphub.core import throttle


@pytest.fixture
def file_cache(settings, tmp_path):
    # As deployed: files every worker process on the host shares (settings.CACHES).
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "throttle"),
        },
    }
    yield
    caches["throttle"].clear()


def test_two_attempts_at_once_with_one_left_are_not_both_allowed(file_cache, monkeypatch):
    """Each attempt reads the count, then adds one. Two that both read before either adds
    would both see one left: the reading and adding of one attempt must not interleave with
    another's."""
    both_read = threading.Barrier(2)
    original = FileBasedCache.get

    def get(self, key, *args, **kwargs):
        value = original(self, key, *args, **kwargs)
        if key.startswith("search:"):
            # Wait for the other attempt to read too; if it cannot (it waits for this one to
            # finish), go on: then the two did not interleave.
            with contextlib.suppress(threading.BrokenBarrierError):
                both_read.wait(timeout=2)
        return value

    monkeypatch.setattr(FileBasedCache, "get", get)
    outcomes: list[str] = []

    def attempt() -> None:
        try:
            throttle.spend("search", [throttle.Allowance("user", "u1", 1)], window=3600)
        except throttle.LimitReached:
            outcomes.append("refused")
        else:
            outcomes.append("allowed")

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["allowed", "refused"]


def test_attempts_beyond_the_limit_are_refused_and_not_counted(file_cache):
    allowances = [throttle.Allowance("user", "u2", 2), throttle.Allowance("address", "a", 3)]
    for _ in range(2):
        throttle.spend("search", allowances, window=3600)
    with pytest.raises(throttle.LimitReached) as refused:
        throttle.spend("search", allowances, window=3600)
    assert (refused.value.scope, refused.value.limit) == ("user", 2)
    # The refused attempt used none of the address's allowance.
    throttle.spend("search", [throttle.Allowance("address", "a", 3)], window=3600)
    with pytest.raises(throttle.LimitReached):
        throttle.spend("search", [throttle.Allowance("address", "a", 3)], window=3600)
