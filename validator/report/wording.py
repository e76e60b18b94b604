"""Wording every format shares: a count with its noun."""

from __future__ import annotations


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``1 link``, ``2 links``, ``0 files``; ``plural_form`` for nouns not ending in s."""
    return f"{count} {noun if count == 1 else (plural_form or noun + 's')}"
