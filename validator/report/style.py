"""Colour for terminal text, through rich: one place that turns a style name into ANSI.

Renderers build their plain text (user-controlled parts made safe first) and
paint only their own labels and marks with :func:`paint`; whether to paint at
all is decided once per command by :func:`wants_color`, which honours
``--color``, then ``NO_COLOR`` and ``FORCE_COLOR`` (https://no-color.org,
https://force-color.org), then whether the stream is a terminal.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TextIO

COLOR_CHOICES = ("auto", "always", "never")


@lru_cache(maxsize=64)
def _codes(fg: str | None, bold: bool, dim: bool) -> tuple[str, str]:
    """The ANSI codes that open and close a style (rich is imported only to paint)."""
    from rich.color import ColorSystem
    from rich.style import Style

    marked = Style(color=fg, bold=bold or None, dim=dim or None).render(
        "\0", color_system=ColorSystem.STANDARD
    )
    start, _, end = marked.partition("\0")
    return start, end


def paint(text: str, *, fg: str | None = None, bold: bool = False, dim: bool = False) -> str:
    """``text`` wrapped in the ANSI codes of the style (8 standard colours, as terminals show)."""
    if not text:
        return text
    start, end = _codes(fg, bold, dim)
    return f"{start}{text}{end}"


def wants_color(choice: str, stream: TextIO) -> bool:
    """Colour for ``stream``: ``always``/``never`` as said; ``auto`` as rich decides.

    ``auto`` colours a terminal unless ``NO_COLOR`` is set (to anything), and
    colours any stream where ``FORCE_COLOR`` is set; ``TERM=dumb`` gets none.
    """
    if choice == "always":
        return True
    if choice == "never":
        return False
    if not _may_be_terminal(stream):
        return False  # what rich answers too, without importing it
    from rich.console import Console

    console = Console(file=stream)
    return console.is_terminal and not console.no_color and console.color_system is not None


def _may_be_terminal(stream: TextIO) -> bool:
    """False where rich's console would not call ``stream`` a terminal either.

    That is: no ``TTY_COMPATIBLE=1``, no ``FORCE_COLOR`` and a stream that is no
    TTY. Commands mostly write to pipes and files; this spares them importing rich.
    """
    if os.environ.get("TTY_COMPATIBLE", "") == "1" or "FORCE_COLOR" in os.environ:
        return True
    isatty = getattr(stream, "isatty", None)
    try:
        return isatty is not None and bool(isatty())
    except ValueError:
        return False
