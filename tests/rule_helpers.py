"""Helpers for the rule tests: a rule's findings, the same from both tiers of the engine."""

from __future__ import annotations

from validator import Config, check, parse
from validator.model import Finding


def only(url: str, code: str, config: Config | None = None, **options: object) -> list[Finding]:
    """The findings of ``code`` on ``url``, asserted the same from the screen (``check`` of
    the text, which answers for links of the everyday shape) and from the rules (``check``
    of the parsed link, always the full engine)."""
    screened = [f for f in check(url, config=config, **options).findings  # type: ignore[arg-type]
                if f.code == code]
    ruled = [f for f in check(parse(url), config=config, **options).findings  # type: ignore[arg-type]
             if f.code == code]
    assert screened == ruled
    return ruled
