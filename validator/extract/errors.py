"""What the document readers raise: a document that cannot be read, a reader's missing extra.

A module of its own, below every reader and the dispatcher
(:mod:`validator.extract.documents`) that picks one, so the readers never
import the dispatcher and the dispatcher imports them only.
"""

from __future__ import annotations


class DocumentError(ValueError):
    """A document that cannot be read safely or at all: the one-line reason."""


class MissingExtra(ImportError):
    """The extra a reader needs is not installed: the message names the install command."""

    def __init__(self, kind: str, extra: str) -> None:
        super().__init__(
            f"{kind}: the {extra} extra is not installed: "
            f"pip install 'directlink-validator[{extra}]'"
        )
        self.kind = kind
        self.extra = extra
