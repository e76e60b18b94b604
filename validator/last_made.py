"""A one-entry memo by identity: what was made for the object seen last.

``check()`` builds a keyring from a lone secret and the screen a plan from a
configuration; a run passes the same object link after link, and hashing it
on every call would cost more than building saves. The entry is read once
per look-up, so a thread that replaces it cannot hand another thread its value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class LastMade(Generic[K, V]):
    """``make(key)`` for the last ``key`` passed (by identity), kept until another comes."""

    __slots__ = ("_entry", "_make")

    def __init__(self, make: Callable[[K], V]) -> None:
        self._make = make
        self._entry: tuple[K, V] | None = None

    def __call__(self, key: K) -> V:
        entry = self._entry
        if entry is not None and entry[0] is key:
            return entry[1]
        value = self._make(key)
        self._entry = (key, value)
        return value
