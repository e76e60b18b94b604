"""Zip-packaged documents (OOXML, OpenDocument) opened under size and ratio budgets.

A zip bomb is refused before anything is inflated: the central directory
declares every member's sizes, and :mod:`zipfile` never returns more bytes
than a member declares (a member that inflates to more fails its CRC check),
so checking the declared sizes bounds the work. XML parts are parsed with
``defusedxml`` with DTDs forbidden: no document format read here has one, so
entity expansion (billion laughs, quadratic blow-up) and external entities are
refused outright.

Every problem raises :class:`DocumentError` with a one-line reason, which the
audit reports as the path being ``unreadable``.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from validator.extract.errors import DocumentError

#: Members in one document (a workbook of a thousand sheets has a few thousand).
MAX_MEMBERS = 10_000
#: Inflated bytes of one member, and of all the members read from one document.
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
#: Inflated/compressed ratio refused above, for members over ``RATIO_FLOOR_BYTES``
#: (XML compresses 5–30 times; a deflate bomb reaches about 1000).
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 1024 * 1024

#: What a password-protected (or pre-2007 binary) Office file starts with.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Package:
    """The members of a zip-packaged document, read within the budgets."""

    def __init__(self, data: bytes, *, what: str) -> None:
        self.what = what
        if data.startswith(OLE_SIGNATURE):
            raise DocumentError(
                f"{what}: encrypted (password-protected) or legacy binary Office file, not read"
            )
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
            raise DocumentError(f"{what}: not a readable zip package ({error})") from None
        if len(infos) > MAX_MEMBERS:
            raise DocumentError(f"{what}: {len(infos)} zip members, more than {MAX_MEMBERS}")
        self._infos = {info.filename: info for info in infos}
        self._inflated = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise DocumentError(f"{what}: member {info.filename} is encrypted")
            _check_budget(info, what)
        declared = sum(info.file_size for info in infos)
        if declared > MAX_TOTAL_BYTES:
            raise DocumentError(
                f"{what}: zip bomb refused: members declare {declared} bytes inflated, "
                f"more than {MAX_TOTAL_BYTES}"
            )

    def names(self) -> list[str]:
        return list(self._infos)

    def has(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str) -> bytes:
        info = self._infos.get(name)
        if info is None:
            raise DocumentError(f"{self.what}: part {name} is missing")
        try:
            with self._zip.open(info) as member:
                data = member.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as error:
            raise DocumentError(f"{self.what}: part {name} cannot be inflated ({error})") from None
        if len(data) > info.file_size:  # pragma: no cover - zipfile stops at the declared size
            raise DocumentError(f"{self.what}: part {name} inflates past its declared size")
        self._inflated += len(data)
        if self._inflated > MAX_TOTAL_BYTES:  # pragma: no cover - checked up front
            raise DocumentError(f"{self.what}: more than {MAX_TOTAL_BYTES} bytes inflated")
        return data

    def xml(self, name: str) -> Any:
        """The parsed root element of an XML part (DTDs, hence entities, refused)."""
        return parse_xml(self.read(name), f"{self.what}: part {name}")


def parse_xml(data: bytes, what: str) -> Any:
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise DocumentError(f"{what}: XML bomb refused ({type(error).__name__})") from None
    except ParseError as error:
        raise DocumentError(f"{what}: broken XML ({error})") from None


def _check_budget(info: zipfile.ZipInfo, what: str) -> None:
    if info.file_size > MAX_MEMBER_BYTES:
        raise DocumentError(
            f"{what}: zip bomb refused: {info.filename} declares {info.file_size} bytes "
            f"inflated, more than {MAX_MEMBER_BYTES}"
        )
    if info.file_size > RATIO_FLOOR_BYTES:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > MAX_RATIO:
            raise DocumentError(
                f"{what}: zip bomb refused: {info.filename} inflates {ratio:.0f} times, "
                f"more than {MAX_RATIO}"
            )
