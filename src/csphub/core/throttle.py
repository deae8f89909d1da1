"""Limits on how often something may be done: attempts counted in fixed windows of time (each
clock hour, say) in the `throttle` cache of Django's cache framework (see settings.CACHES)."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.cache import caches
from django.utils import timezone

_IN_PROCESS = threading.Lock()


@dataclass(frozen=True)
class Allowance:
    """LIMIT attempts per window for one KEY (a user's id, a client address) in one SCOPE."""

    scope: str
    key: str
    limit: int


class LimitReached(Exception):
    """An allowance is used up until RETRY_AT, the start of the next window."""

    def __init__(self, *, scope: str, limit: int, retry_at: datetime) -> None:
        super().__init__(f"{scope} limit of {limit} reached")
        self.scope, self.limit, self.retry_at = scope, limit, retry_at


def _now() -> datetime:
    return timezone.now()


@contextmanager
def _one_at_a_time(cache: Any) -> Iterator[None]:
    """Counting an attempt reads the counts, compares and adds: two attempts interleaving
    would both see the last one left. So attempts are counted one at a time, in this process
    and, for the file cache every worker on the host shares, in every process (a lock on a
    file beside the counts, which the cache's own clearing and culling leave alone)."""
    with _IN_PROCESS:
        folder = getattr(cache, "_dir", None)  # FileBasedCache's folder
        if folder is None:
            yield
            return
        os.makedirs(folder, mode=0o700, exist_ok=True)
        with open(os.path.join(folder, "counting.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def spend(action: str, allowances: Iterable[Allowance], *, window: int) -> None:
    """Count one attempt at ACTION against every allowance, or, if any is used up for the
    current window of WINDOW seconds, count nothing and raise LimitReached for the first."""
    cache = caches["throttle"]
    current = int(_now().timestamp()) // window
    keys = [(a, f"{action}:{a.scope}:{a.key}:{current}") for a in allowances]
    with _one_at_a_time(cache):
        _count(cache, keys, current, window)


def _count(cache: Any, keys: list[tuple[Allowance, str]], current: int, window: int) -> None:
    for allowance, key in keys:
        if cache.get(key, 0) >= allowance.limit:
            raise LimitReached(
                scope=allowance.scope,
                limit=allowance.limit,
                retry_at=datetime.fromtimestamp((current + 1) * window, tz=UTC),
            )
    for _, key in keys:
        # The window is in the key, so an entry only has to outlive its window.
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=window)
