"""QR codes (and other 2-D codes) in images, several per image, decoded with zxing-cpp.

An image is opened lazily (Pillow reads the header only), its declared size
is checked against the pixel budget before a pixel is decoded, and Pillow's
decompression-bomb warning is a refusal, not a warning. Only the formats a
file name can announce are tried (PNG, JPEG, GIF, BMP, WebP): no other
decoder Pillow knows is ever run on an attachment.
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Iterator

import zxingcpp
from PIL import Image, UnidentifiedImageError

from validator.extract.budget import DEFAULT_BUDGET, BudgetExceeded, ReadBudget, describe_bytes
from validator.extract.candidates import LinkFilter
from validator.extract.model import Location, SourceKind
from validator.extract.text import Found, found
from validator.patterns import lazy_pattern

#: The Pillow formats read: those of the image suffixes the walker knows.
IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP")


class ImageError(ValueError):
    """The data is not an image this reader decodes."""


def scan_image_file(
    path: str, *, shown_path: str | None = None, link_filter: LinkFilter,
    budget: ReadBudget = DEFAULT_BUDGET,
) -> Iterator[Found]:
    """Every link in the codes of an image file, read only if it is within the byte budget."""
    size = os.path.getsize(path)
    if size > budget.image_bytes:
        raise BudgetExceeded(
            f"image of {describe_bytes(size)} is over the {describe_bytes(budget.image_bytes)}"
            " image budget; not read"
        )
    with open(path, "rb") as stream:
        data = stream.read(budget.image_bytes + 1)
    yield from scan_image_bytes(data, path=shown_path or path, link_filter=link_filter,
                                budget=budget)


def scan_image_bytes(
    data: bytes,
    *,
    path: str,
    link_filter: LinkFilter,
    kind: SourceKind = "qr",
    part_prefix: str = "",
    budget: ReadBudget = DEFAULT_BUDGET,
) -> Iterator[Found]:
    """Every link in the codes of an image, top to bottom, then left to right."""
    if len(data) > budget.image_bytes:
        raise BudgetExceeded(
            f"image of {describe_bytes(len(data))} is over the "
            f"{describe_bytes(budget.image_bytes)} image budget; not read"
        )
    codes = _decode(data, budget)
    placed = sorted(codes, key=lambda code: (code.position.top_left.y, code.position.top_left.x))
    total = len(placed)
    for number, code in enumerate(placed, start=1):
        corner = code.position.top_left
        label = f"{part_prefix}{code.format.name} {number} of {total} at x={corner.x} y={corner.y}"
        text = code.text.strip()
        result = found(text, Location(path, 1, 1, kind, None, label), link_filter)
        if result is not None:
            yield result


def _decode(data: bytes, budget: ReadBudget) -> list[zxingcpp.Result]:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=IMAGE_FORMATS) as image:
                width, height = image.size
                if width * height > budget.image_pixels:
                    raise BudgetExceeded(_over_pixels(width, height, budget))
                image.load()
                # Grey is all a 2-D code needs, at a third of RGB's memory.
                return list(zxingcpp.read_barcodes(image.convert("L")))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
            raise BudgetExceeded(_refusal(_bomb_size(bomb), budget)) from None
        except UnidentifiedImageError:
            raise ImageError(f"not an image this reader decodes ({_what(data)})") from None
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            if isinstance(error, BudgetExceeded):
                raise
            detail = str(error).strip() or type(error).__name__
            raise ImageError(f"damaged image: {detail}") from None


def _over_pixels(width: int, height: int, budget: ReadBudget) -> str:
    return _refusal(f"{width}x{height} pixels", budget)


def _refusal(size: str, budget: ReadBudget) -> str:
    return f"image of {size} is over the {budget.image_pixels:,} pixel budget; not decoded"


#: The pixel count in Pillow's decompression-bomb message; compiled when one is met.
_BOMB_PIXELS = lazy_pattern(r"\((\d+) pixels\)")


def _bomb_size(error: Exception) -> str:
    """The pixel count Pillow's bomb check names (its message is the only place it is)."""
    match = _BOMB_PIXELS().search(str(error))
    return f"{int(match.group(1)):,} pixels" if match else "too many pixels"


def _what(data: bytes) -> str:
    head = data[:256].lstrip()
    if head.startswith(b"<") and (b"<svg" in data[:4096] or b"<?xml" in head[:8]):
        return "SVG is drawn, not decoded: its links are not read"
    if not data:
        return "empty"
    return f"{len(data)} bytes in no format among {', '.join(IMAGE_FORMATS)}"
