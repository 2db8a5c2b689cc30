"""A small thread-safe LRU cache for compiled statements, with hit and miss counters."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

__all__ = ["LRUCache"]


class LRUCache:
    """Keeps the ``capacity`` most recently used entries; counts hits and misses."""

    def __init__(self, capacity: int = 500) -> None:
        self.capacity = capacity
        self.hits = 0
        self.misses = 0
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        """The cached value, or None (a miss)."""
        with self._lock:
            try:
                value = self._data[key]
            except KeyError:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: Any, value: Any) -> None:
        """Store a value, evicting the least recently used one past capacity."""
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.capacity:
                self._data.popitem(last=False)

    def clear(self) -> None:
        """Forget every entry and reset the counters."""
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0

    def stats(self) -> dict[str, int]:
        """``{"hits": ..., "misses": ..., "size": ..., "capacity": ...}``."""
        return {"hits": self.hits, "misses": self.misses, "size": len(self._data),
                "capacity": self.capacity}

    def __len__(self) -> int:
        return len(self._data)
