"""Regular expressions compiled on first use: the one way the package defers a pattern.

Most runs never meet the text most patterns are for (an e-mail address, a
TOML error, a character a terminal acts on), and compiling every pattern at
import would cost each start what only some runs use. A pattern declared
with :func:`lazy_pattern` is compiled on its first call and kept, so it does
not depend on ``re``'s own cache of recent patterns, which a run that compiles
many others can empty.

Both steps are cheap: declaring a pattern makes a :func:`functools.partial`
(a module declares many, and every start pays for them), and each call is a
look-up in one :func:`functools.cache`, with no Python frame in between.

This module imports nothing from the rest of the package.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, partial
from typing import AnyStr


@cache
def _compiled(source: AnyStr, flags: int) -> re.Pattern[AnyStr]:
    return re.compile(source, flags)


def lazy_pattern(source: AnyStr, flags: int = 0) -> Callable[[], re.Pattern[AnyStr]]:
    """A function of no arguments returning ``re.compile(source, flags)``, compiled once,
    on its first call (its ``args`` are ``(source, flags)``)."""
    return partial(_compiled, source, flags)
