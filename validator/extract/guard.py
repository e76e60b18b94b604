"""The one failure guard every reader runs under.

Whatever goes wrong while one file is read (a decoder's error, a library's
bomb check, a recursion limit, memory) becomes a one-line reason on that
path, and the audit goes on with the next file. Inside a container (an
e-mail's parts, an image's codes, a table's cells) each part runs under the
same guard, so one bad part costs that part only:

    >>> log = ReadLog()
    >>> for item in guarded(read_the_file(), log):          # the whole file
    ...     ...
    >>> log.status, log.reason
    ('partial', 'part 3 image/svg+xml: not an image this reader decodes (svg)')

Readers call :func:`guarded` with ``part=`` for each part they read; with
``log=None`` (a caller that wants exceptions, as :func:`extract_path` without
a log) the guard lets every exception through.

A path's status: ``audited`` (read whole), ``partial`` (some of it could not
be read: a failed part, or a failure after links were found), ``unreadable``
(it failed before anything was read), ``unsupported`` (its reader needs an
extra that is not installed: :class:`~validator.extract.errors.MissingExtra`)
or ``skipped`` (not a document: binary).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TypeVar

from validator.extract.budget import BudgetExceeded
from validator.extract.errors import MissingExtra
from validator.extract.model import PathStatus

#: A reason is cut to this many characters: it is one line of a summary.
MAX_REASON_CHARS = 200

_ITEM = TypeVar("_ITEM")
_OBJECT_REPR = re.compile(r"<[^<>]*\bat 0x[0-9A-Fa-f]+>|<[\w.]+ object>")
_SPACE_RUN = re.compile(r"\s+")


class SkipFile(Exception):
    """The file is not a document to audit (binary, not an image ...): the reason."""


class ReadLog:
    """What went wrong while one file was read, and how many links were found."""

    __slots__ = ("failed_whole", "links", "needs_extra", "problems", "skip_reason")

    def __init__(self) -> None:
        self.links = 0
        #: ``where: reason`` for each part (or the file) that could not be read.
        self.problems: list[str] = []
        self.skip_reason: str | None = None
        #: The file itself failed (not one of its parts), after ``links`` links.
        self.failed_whole = False
        #: The whole file failed because its reader's extra is not installed.
        self.needs_extra = False

    def record(self, where: str | None, reason: str) -> None:
        """Note a part (``where``) or the whole file (``None``) that could not be read."""
        self.problems.append(f"{where}: {reason}" if where else reason)
        if where is None:
            self.failed_whole = True

    @property
    def status(self) -> PathStatus:
        if self.problems:
            if self.failed_whole and self.links == 0 and len(self.problems) == 1:
                return "unsupported" if self.needs_extra else "unreadable"
            return "partial"
        if self.skip_reason is not None:
            return "skipped"
        return "audited"

    @property
    def reason(self) -> str | None:
        """One line: the first problem, and how many more there were (or the skip reason)."""
        if not self.problems:
            return self.skip_reason
        first = self.problems[0]
        if self.failed_whole and self.links and len(self.problems) == 1:
            noun = "link" if self.links == 1 else "links"
            first = f"{first} (after {self.links} {noun})"
        more = len(self.problems) - 1
        if more:
            first += f"; and {more} more problem{'s' if more > 1 else ''}"
        return first


def guarded(
    items: Iterable[_ITEM], log: ReadLog | None, *, part: str | None = None
) -> Iterator[_ITEM]:
    """``items``, with any failure recorded in ``log`` (for ``part``, or the whole file).

    The guard catches every :class:`Exception` (``MemoryError`` and
    ``RecursionError`` included) and ends that part quietly; what was yielded
    before the failure stays yielded. With ``log=None`` it changes nothing.
    """
    if log is None:
        yield from items
        return
    try:
        for item in items:
            if part is None:
                log.links += 1
            yield item
    except SkipFile as skip:
        if part is None:
            log.skip_reason = describe_failure(skip)
        else:
            log.record(part, describe_failure(skip))
    except Exception as error:  # the guard: every failure becomes a reason
        log.record(part, describe_failure(error))
        if part is None and isinstance(error, MissingExtra):
            log.needs_extra = True


def describe_failure(error: BaseException) -> str:
    """One line that says what went wrong, in words, never an object's repr."""
    own = type(error).__module__.startswith("validator.")
    if isinstance(error, (SkipFile, BudgetExceeded)) or (own and str(error)):
        # The readers' own errors are written as reasons already.
        message = str(error)
    elif isinstance(error, MemoryError):
        message = "ran out of memory while reading it"
    elif isinstance(error, RecursionError):
        message = "nested too deeply to read"
    elif isinstance(error, UnicodeError):
        reason = getattr(error, "reason", None) or str(error)
        message = f"cannot decode: {reason}"
    elif isinstance(error, OSError):
        message = error.strerror or str(error) or type(error).__name__
    else:
        text = str(error)
        kind = _error_kind(error)
        message = f"{kind}: {text}" if text else kind
    return one_line(message)


def one_line(text: str) -> str:
    """``text`` on one line: object reprs dropped, whitespace runs made one space, cut short."""
    text = _OBJECT_REPR.sub("the data", text)
    text = _SPACE_RUN.sub(" ", text).strip()
    if len(text) > MAX_REASON_CHARS:
        text = text[: MAX_REASON_CHARS - 1].rstrip() + "…"
    return text


def _error_kind(error: BaseException) -> str:
    module = type(error).__module__
    name = type(error).__qualname__
    if module in ("builtins", "__main__"):
        return name
    # "_csv.Error" reads as "csv error", "PIL.Image.DecompressionBombError" as itself.
    library = module.split(".", 1)[0].lstrip("_")
    if name == "Error":
        return f"{library} error"
    return name if name.lower().startswith(library.lower()) else f"{library} {name}"
