"""QR codes (and other 2-D codes) in images, several per image, decoded with zxing-cpp."""

from __future__ import annotations

import io
from collections.abc import Iterator

import zxingcpp
from PIL import Image, UnidentifiedImageError

from validator.extract.candidates import LinkFilter
from validator.extract.model import Location, SourceKind
from validator.extract.text import Found, found


class ImageError(ValueError):
    """The file is not an image Pillow can read."""


def scan_image_bytes(
    data: bytes,
    *,
    path: str,
    link_filter: LinkFilter,
    kind: SourceKind = "qr",
    part_prefix: str = "",
) -> Iterator[Found]:
    """Every link in the codes of an image, top to bottom, then left to right."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            codes = zxingcpp.read_barcodes(image.convert("RGB"))
    except (UnidentifiedImageError, OSError) as error:
        raise ImageError(f"not a readable image: {error}") from None
    placed = sorted(codes, key=lambda code: (code.position.top_left.y, code.position.top_left.x))
    total = len(placed)
    for number, code in enumerate(placed, start=1):
        corner = code.position.top_left
        label = f"{part_prefix}{code.format.name} {number} of {total} at x={corner.x} y={corner.y}"
        text = code.text.strip()
        result = found(text, Location(path, 1, 1, kind, None, label), link_filter)
        if result is not None:
            yield result
