"""Write a link as a QR code image (PNG or SVG) with segno.

The error-correction level is M (15 % of the symbol can be damaged), boosted
where the link leaves room; the quiet zone is the four modules the standard
asks for, so printed codes scan.
"""

from __future__ import annotations

import os
from pathlib import Path

import segno

FORMATS = (".png", ".svg")


class QrError(ValueError):
    """The link cannot be written as a QR code (too long, unknown image type)."""


def write_qr(link: str, path: str | os.PathLike[str], *, scale: int = 8) -> Path:
    """Save ``link`` as a QR code; the image type follows the file name (``.png``/``.svg``)."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise QrError(f"{target}: the QR code file must end in .png or .svg")
    try:
        code = segno.make(link, error="m", micro=False, boost_error=True)
    except segno.DataOverflowError:
        raise QrError(f"the link ({len(link)} characters) is too long for a QR code") from None
    try:
        code.save(os.fspath(target), kind=suffix[1:], scale=scale, border=4)
    except OSError as error:
        raise QrError(f"cannot write {target}: {error.strerror}") from None
    return target
