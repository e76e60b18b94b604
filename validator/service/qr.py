"""QR codes of links, as SVG (segno)."""

from __future__ import annotations

import io

import segno

from validator.service.problems import TOO_LONG_FOR_QR, ApiProblem


def qr_svg(
    text: str, *, scale: int = 4, border: int = 4, title: str = "QR code of the link"
) -> str:
    """An SVG QR code of ``text`` (error correction M or better)."""
    try:
        code = segno.make(text, error="m", micro=False, boost_error=True)
    except segno.DataOverflowError:
        raise ApiProblem(
            422,
            "the link is too long for a QR code; shorten it (drop unsigned customer fields)",
            type_=TOO_LONG_FOR_QR,
            title="Too long for a QR code",
        ) from None
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=scale, border=border, xmldecl=False, title=title)
    return buffer.getvalue().decode("utf-8")
