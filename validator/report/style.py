"""Colour for terminal text, through rich: one place that turns a style name into ANSI.

Renderers build their plain text (user-controlled parts made safe first) and
paint only their own labels and marks with :func:`paint`; whether to paint at
all is decided once per command by :func:`wants_color`, which honours
``--color``, then ``NO_COLOR`` and ``FORCE_COLOR`` (https://no-color.org,
https://force-color.org), then whether the stream is a terminal.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TextIO

from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style

COLOR_CHOICES = ("auto", "always", "never")


@lru_cache(maxsize=64)
def _style(fg: str | None, bold: bool, dim: bool) -> Style:
    return Style(color=fg, bold=bold or None, dim=dim or None)


def paint(text: str, *, fg: str | None = None, bold: bool = False, dim: bool = False) -> str:
    """``text`` wrapped in the ANSI codes of the style (8 standard colours, as terminals show)."""
    if not text:
        return text
    return _style(fg, bold, dim).render(text, color_system=ColorSystem.STANDARD)


def wants_color(choice: str, stream: TextIO) -> bool:
    """Colour for ``stream``: ``always``/``never`` as said; ``auto`` as rich decides.

    ``auto`` colours a terminal unless ``NO_COLOR`` is set (to anything), and
    colours any stream where ``FORCE_COLOR`` is set; ``TERM=dumb`` gets none.
    """
    if choice == "always":
        return True
    if choice == "never":
        return False
    console = Console(file=stream)
    return console.is_terminal and not console.no_color and console.color_system is not None
