"""PDF: link annotations, page text and the QR codes in embedded images, page by page.

Read with pypdf, whose stream filters have their own output budgets (a
decompression bomb stops with an error, reported as the path being
``unreadable``). Locations name the page:

* a link annotation's ``/URI`` action: ``Location.part = "page 2 link annotation 1"``;
* text: ``"page 2"``, line and column counting in the page's extracted text;
* an image: ``"page 2 image 1 QR_CODE 1 of 1 at x=… y=…"``.

An encrypted PDF is opened with the empty user password (most "protected"
flyers only restrict printing or copying); one that needs a password is
``unreadable`` with that reason.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject

from validator.extract.candidates import LinkFilter
from validator.extract.errors import DocumentError
from validator.extract.model import Location
from validator.extract.text import Found, found, scan_string

# pypdf logs every oddity it repairs; the audit reports what matters (unreadable, and why),
# so those go only where the application sends logs, never to the terminal on their own.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

#: Pages read from one PDF.
MAX_PAGES = 10_000
#: Pixels of one embedded image decoded for QR codes (a 4000 x 4000 scan is 16 M).
MAX_IMAGE_PIXELS = 40_000_000
#: Form XObjects nested in each other, followed for their images.
MAX_FORM_DEPTH = 8


def scan_pdf(data: bytes, *, path: str, link_filter: LinkFilter) -> Iterator[Found]:
    try:
        reader = PdfReader(io.BytesIO(data))
        _unlock(reader)
        pages = len(reader.pages)
    except DocumentError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        raise DocumentError(f"pdf: broken PDF ({_reason(error)})") from None
    if pages > MAX_PAGES:
        raise DocumentError(f"pdf: {pages} pages, more than {MAX_PAGES}")
    for number in range(1, pages + 1):
        try:
            page = reader.pages[number - 1]
            yield from _annotation_links(page, path, number, link_filter)
            text = page.extract_text() or ""
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError,
                RecursionError) as error:
            raise DocumentError(f"pdf: page {number} is broken ({_reason(error)})") from None
        yield from scan_string(text, path=path, kind="pdf", link_filter=link_filter,
                               part=f"page {number}")
        yield from _image_links(page, path, number, link_filter)


def _unlock(reader: PdfReader) -> None:
    if not reader.is_encrypted:
        return
    try:
        unlocked = reader.decrypt("")
    except DependencyError:
        raise DocumentError(
            "pdf: encrypted with AES (install the cryptography package to try the empty password)"
        ) from None
    if unlocked == PasswordType.NOT_DECRYPTED:
        raise DocumentError("pdf: encrypted, needs a password")


def _reason(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else ""
    return text[:200] or type(error).__name__


def _annotation_links(page: Any, path: str, number: int,
                      link_filter: LinkFilter) -> Iterator[Found]:
    annotations = page.get("/Annots")
    annotations = annotations.get_object() if annotations is not None else None
    if not isinstance(annotations, ArrayObject):
        return
    count = 0
    for reference in annotations:
        annotation = reference.get_object()
        if not isinstance(annotation, DictionaryObject) or annotation.get("/Subtype") != "/Link":
            continue
        count += 1
        action = annotation.get("/A")
        action = action.get_object() if action is not None else None
        if not isinstance(action, DictionaryObject) or action.get("/S") != "/URI":
            continue
        uri = action.get("/URI")
        uri = uri.get_object() if uri is not None else None
        if isinstance(uri, bytes):
            uri = uri.decode("latin-1")
        if not isinstance(uri, str):
            continue
        location = Location(path, 1, 1, "pdf", None, f"page {number} link annotation {count}")
        item = found(uri.strip(), location, link_filter)
        if item is not None:
            yield item


def _image_links(page: Any, path: str, number: int, link_filter: LinkFilter) -> Iterator[Found]:
    try:
        from validator.extract.qr import ImageError, scan_image_bytes
    except ImportError:  # pragma: no cover - the pdf extra installs the qr extra
        return
    try:
        _check_image_sizes(page.get("/Resources"), number, depth=0)
        images = list(page.images)
    except DocumentError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        raise DocumentError(f"pdf: page {number} images are broken ({_reason(error)})") from None
    for index, image in enumerate(images, start=1):
        try:
            yield from scan_image_bytes(image.data, path=path, link_filter=link_filter,
                                        kind="pdf", part_prefix=f"page {number} image {index} ")
        except ImageError as error:
            raise DocumentError(f"pdf: page {number} image {index}: {error}") from None


def _check_image_sizes(resources: Any, number: int, depth: int) -> None:
    """Refuse an image over the pixel budget before pypdf inflates it (forms nest images)."""
    resources = resources.get_object() if resources is not None else None
    if not isinstance(resources, DictionaryObject) or depth > MAX_FORM_DEPTH:
        return
    objects = resources.get("/XObject")
    objects = objects.get_object() if objects is not None else None
    if not isinstance(objects, DictionaryObject):
        return
    for reference in objects.values():
        xobject = reference.get_object()
        if not isinstance(xobject, DictionaryObject):
            continue
        if xobject.get("/Subtype") == "/Image":
            width, height = int(xobject.get("/Width", 0)), int(xobject.get("/Height", 0))
            if width * height > MAX_IMAGE_PIXELS:
                raise DocumentError(
                    f"pdf: page {number} has a {width}x{height} image, more than "
                    f"{MAX_IMAGE_PIXELS} pixels"
                )
        elif xobject.get("/Subtype") == "/Form":
            _check_image_sizes(xobject.get("/Resources"), number, depth + 1)
