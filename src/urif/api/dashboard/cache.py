"""What the dashboard keeps between requests: page data by log head, the latest simulation.

Owns ``DashboardState`` (on ``app.state.dashboard``): ``PageCache`` keeps the data of a
page keyed by its arguments and reuses it only while the event log's head (seq and hash)
is the one it was computed at, so pages that replay the log (governance, screening) are
computed once per change of the log; the ``FundFollower`` that keeps the fund state at the
log's head (folding only new events); and the latest on-demand simulation.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from urif.actions.reports import FundFollower

T = TypeVar("T")

#: How many page results the cache keeps (least recently used go first).
CAPACITY = 256


class PageCache:
    """Results by key, valid while the log's head is unchanged."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self._items: OrderedDict[Hashable, tuple[Hashable, Any]] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def get(self, key: Hashable, head: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of ``key`` at ``head``, computing (and keeping) it when stale.

        >>> cache = PageCache()
        >>> calls = []
        >>> def f() -> int:
        ...     calls.append(1)
        ...     return 42
        >>> cache.get("k", 1, f), cache.get("k", 1, f), cache.get("k", 2, f), len(calls)
        (42, 42, 42, 2)
        """
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] == head:
                self._items.move_to_end(key)
                value: T = hit[1]
                return value
        value = compute()
        with self._lock:
            self._items[key] = (head, value)
            self._items.move_to_end(key)
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()


@dataclass(slots=True)
class DashboardState:
    """The dashboard's process-wide state."""

    pages: PageCache = field(default_factory=PageCache)
    follower: FundFollower = field(default_factory=FundFollower)
    simulation: dict[str, Any] | None = None
    comparison: dict[str, Any] | None = None
    run_lock: threading.Lock = field(default_factory=threading.Lock)
