"""What reading one file may cost: image pixels and bytes, e-mail part sizes, HTML depth.

The defaults are the documented limits in :mod:`validator.spec`; a caller
passes its own :class:`ReadBudget` to :func:`validator.extract.extract_path`
or to the audit. A file over a budget is refused (or read up to it) with
:class:`BudgetExceeded`, whose message names the budget.
"""

from __future__ import annotations

from dataclasses import dataclass

from validator import spec


class BudgetExceeded(ValueError):
    """A file or part costs more than its budget allows; the message says which budget."""


@dataclass(frozen=True, slots=True)
class ReadBudget:
    """The limits one file is read under."""

    image_pixels: int = spec.MAX_IMAGE_PIXELS
    image_bytes: int = spec.MAX_IMAGE_BYTES
    email_part_bytes: int = spec.MAX_EMAIL_PART_BYTES
    html_depth: int = spec.MAX_HTML_DEPTH

    def __post_init__(self) -> None:
        for name in ("image_pixels", "image_bytes", "email_part_bytes", "html_depth"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"ReadBudget.{name} must be an int, not {type(value).__name__}")
            if value < 1:
                raise ValueError(f"ReadBudget.{name} must be at least 1, not {value}")


DEFAULT_BUDGET = ReadBudget()


def describe_bytes(count: int) -> str:
    """A size for a message: ``2.0 GB``, ``64 MiB`` style, short and exact enough."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= size:
            value = count / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{count} bytes"
