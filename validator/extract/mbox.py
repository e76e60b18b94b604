"""Mailboxes: every message of an mbox file, each read as the ``.eml`` reader reads a message.

A message is located as ``Location.path = "campaign.mbox#message-3"``, with
the line and column (and ``part``) the ``.eml`` reader gives inside that
message, its ``From`` separator line not counted. Messages are read one at a
time (stdlib :mod:`mailbox`), so a large mailbox is never held in memory.

Maildir folders need no reader of their own: each message is a file under
``cur/`` or ``new/``, which the walk reads as ``.eml`` (see
:mod:`validator.extract.walk`).
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterator

from validator.extract.budget import DEFAULT_BUDGET, ReadBudget
from validator.extract.candidates import LinkFilter
from validator.extract.eml import scan_eml
from validator.extract.errors import DocumentError
from validator.extract.guard import ReadLog, guarded
from validator.extract.text import Found

#: What the first line of an mbox file starts with.
FROM_LINE = b"From "


def scan_mbox(
    path: str, *, link_filter: LinkFilter, log: ReadLog | None = None,
    budget: ReadBudget = DEFAULT_BUDGET,
) -> Iterator[Found]:
    """Links of every message; with ``log``, a message (or part) that fails costs only itself."""
    with open(path, "rb") as stream:
        head = stream.read(len(FROM_LINE))
    if head and head != FROM_LINE:
        # mailbox would drop everything before the first separator: refuse instead.
        raise DocumentError("mbox: the file does not start with a 'From ' separator line")
    box = mailbox.mbox(path, create=False)
    try:
        for number, key in enumerate(box.iterkeys(), start=1):
            data = box.get_bytes(key)
            where = f"message {number}"
            parts_log = None if log is None else ReadLog()
            message = scan_eml(data, path=f"{path}#message-{number}", link_filter=link_filter,
                               log=parts_log, budget=budget)
            yield from guarded(message, log, part=where)
            if log is not None and parts_log is not None:
                for problem in parts_log.problems:
                    log.record(where, problem)
    finally:
        box.close()
