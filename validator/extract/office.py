"""Office documents: Excel, Word and PowerPoint (OOXML), Calc and Writer (OpenDocument).

Read straight from the zip package's XML parts (:mod:`validator.extract.container`
applies the size, ratio and XML-bomb budgets), so one safe parser serves all
five formats and every link has an exact place:

* ``.xlsx`` / ``.ods``: every cell's text and formula, located as
  ``Location.part = "Sheet1!B3"`` (line and column count in the cell's text);
  a cell's hyperlink is ``"Sheet1!B3 hyperlink"``.
* ``.docx`` / ``.odt``: every paragraph's text (tables, headers, footers,
  footnotes and text boxes included), located as ``"body paragraph 4"`` (or
  ``"header1 paragraph 1"``...), the column counting in the paragraph's text;
  a hyperlink is ``"body paragraph 4 hyperlink"`` at the column its text starts.
* ``.pptx``: ``"slide 2 paragraph 3"`` (``"slide 2 notes paragraph 1"``), a
  run's hyperlink ``"slide 2 paragraph 3 hyperlink"`` and a shape's click
  action ``"slide 2 shape hyperlink"``.

A hyperlink's target lives in the part's relationships (``.rels``), not in its
text: a link there is audited even when the visible text is something else.
Any external relationship no element points at is audited too, located as
``"word/document.xml relationship rId9"``, so no link in the package is left out.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from validator.extract.candidates import LinkFilter
from validator.extract.container import Package
from validator.extract.errors import DocumentError
from validator.extract.model import Location, SourceKind
from validator.extract.text import Found, found, scan_string

#: Package bookkeeping, never document content.
_NOT_CONTENT = frozenset({"[Content_Types].xml", "META-INF/manifest.xml"})

_WORD_STORIES = ("header", "footer", "footnotes", "endnotes", "comments")


def _local(name: str) -> str:
    """``{namespace}p`` -> ``p``: transitional and strict OOXML share local names."""
    return name.rsplit("}", 1)[-1]


def _attribute(element: Any, local_name: str) -> str | None:
    for key, value in element.attrib.items():
        if _local(key) == local_name:
            return str(value)
    return None


def _relationship_id(element: Any) -> str | None:
    """The ``r:id`` attribute (namespaced, so not a plain ``id``)."""
    for key, value in element.attrib.items():
        if key.startswith("{") and key.endswith("}id") and "relationships" in key:
            return str(value)
    return None


@dataclass
class _Relationships:
    """One part's relationships: id -> (type, target), and which external ones were audited."""

    part: str
    entries: dict[str, tuple[str, str, bool]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def target_part(self, rel_id: str) -> str | None:
        entry = self.entries.get(rel_id)
        if entry is None or entry[2]:
            return None
        return _resolve(self.part, entry[1])

    def external(self, rel_id: str | None) -> str | None:
        entry = self.entries.get(rel_id) if rel_id else None
        if entry is None or not entry[2]:
            return None
        assert rel_id is not None
        self.used.add(rel_id)
        return entry[1]

    def parts_of_type(self, suffix: str) -> list[str]:
        return [
            _resolve(self.part, target)
            for kind, target, external in self.entries.values()
            if kind.endswith(suffix) and not external
        ]


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


class _Reader:
    def __init__(self, data: bytes, *, path: str, kind: SourceKind,
                 link_filter: LinkFilter) -> None:
        self.package = Package(data, what=kind)
        self.path = path
        self.kind = kind
        self.link_filter = link_filter
        self._relationships: dict[str, _Relationships] = {}
        self._read: set[str] = set()

    def xml(self, part: str) -> Any:
        """A part's root element, the part noted as read."""
        self._read.add(part)
        return self.package.xml(part)

    def leftovers(self) -> Iterator[Found]:
        """The text of every XML part no reader above went through (comments, drawings,
        properties...), a text node a line: ``Location.part`` is the part's name."""
        for name in self.package.names():
            if name in self._read or not name.endswith(".xml") or name in _NOT_CONTENT:
                continue
            text = "\n".join(piece.strip() for piece in self.xml(name).itertext()
                             if piece.strip())
            yield from self.text(text, name)

    def relationships(self, part: str) -> _Relationships:
        cached = self._relationships.get(part)
        if cached is not None:
            return cached
        folder, name = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", name + ".rels")
        rels = _Relationships(part)
        if self.package.has(rels_name):
            for element in self.package.xml(rels_name):
                if _local(element.tag) != "Relationship":
                    continue
                rel_id = element.get("Id")
                if rel_id is None:
                    continue
                external = (element.get("TargetMode") or "").lower() == "external"
                rels.entries[rel_id] = (element.get("Type") or "", element.get("Target") or "",
                                        external)
        self._relationships[part] = rels
        return rels

    def main_part(self) -> str:
        for kind, target, _external in self.relationships("").entries.values():
            if kind.endswith("/officeDocument"):
                return _resolve("", target)
        raise DocumentError(f"{self.kind}: no main part (not an Office Open XML package)")

    def text(self, text: str, part: str, line: int = 1, column: int = 1) -> Iterator[Found]:
        yield from scan_string(text, path=self.path, kind=self.kind, link_filter=self.link_filter,
                               line=line, column=column, part=part)

    def link(self, url: str, part: str, line: int = 1, column: int = 1) -> Iterator[Found]:
        item = found(url.strip(), Location(self.path, line, column, self.kind, None, part),
                     self.link_filter)
        if item is not None:
            yield item

    def unreferenced(self) -> Iterator[Found]:
        """External relationships of every part no element pointed at."""
        for name in self.package.names():
            if not name.endswith(".rels"):
                continue
            folder, rels_file = posixpath.split(name)
            source = posixpath.join(posixpath.dirname(folder), rels_file[: -len(".rels")])
            rels = self.relationships(source)
            for rel_id, (_kind, target, external) in rels.entries.items():
                if external and rel_id not in rels.used:
                    yield from self.link(target, f"{source or '/'} relationship {rel_id}")


# Paragraphs (Word, PowerPoint) -------------------------------------------------------


@dataclass
class _Paragraph:
    text: str
    #: (relationship id, offset of the hyperlink's text in ``text``)
    hyperlinks: list[tuple[str, int]]
    #: (field instruction such as ``HYPERLINK "https://..."``, offset of the field's text)
    fields: list[tuple[str, int]] = field(default_factory=list)


_BREAKS = frozenset({"br", "cr"})


def _paragraphs(root: Any) -> Iterator[_Paragraph]:
    """Every ``p`` element in document order; a nested one (text box) is its own paragraph."""
    stack = [root]
    while stack:
        element = stack.pop()
        name = _local(element.tag)
        if name == "Fallback":  # mc:AlternateContent repeats its Choice here
            continue
        if name == "p":
            paragraph = _Paragraph("", [])
            pieces: list[str] = []
            nested: list[Any] = []
            _collect(element, pieces, paragraph, nested)
            paragraph.text = "".join(pieces)
            yield paragraph
            stack.extend(reversed(nested))
        else:
            stack.extend(reversed(list(element)))


def _collect(element: Any, pieces: list[str], paragraph: _Paragraph,
             nested: list[Any]) -> None:
    for child in element:
        name = _local(child.tag)
        if name == "p":
            nested.append(child)
            continue
        if name == "Fallback":
            continue
        offset = sum(len(piece) for piece in pieces)
        if name == "hyperlink" and (rel_id := _relationship_id(child)):
            paragraph.hyperlinks.append((rel_id, offset))  # Word: <w:hyperlink r:id>
        elif name in ("hlinkClick", "hlinkHover") and (rel_id := _relationship_id(child)):
            paragraph.hyperlinks.append((rel_id, offset))  # PowerPoint: in a run's <a:rPr>
        elif name == "fldSimple" and (instruction := _attribute(child, "instr")):
            paragraph.fields.append((instruction, offset))  # Word: <w:fldSimple w:instr>
        if name in ("t", "instrText") and child.text:
            pieces.append(child.text)
        elif name == "tab":
            pieces.append("\t")
        elif name in _BREAKS:
            pieces.append("\n")
        if name != "delText":  # deleted (tracked) text is not in the document
            _collect(child, pieces, paragraph, nested)


def _located_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _scan_story(reader: _Reader, part: str, label: str) -> Iterator[Found]:
    root = reader.xml(part)
    rels = reader.relationships(part)
    for number, paragraph in enumerate(_paragraphs(root), start=1):
        where = f"{label} paragraph {number}"
        yield from reader.text(paragraph.text, where)
        for rel_id, offset in paragraph.hyperlinks:
            target = rels.external(rel_id)
            if target is not None:
                line, column = _located_column(paragraph.text, offset)
                yield from reader.link(target, f"{where} hyperlink", line, column)
        for instruction, offset in paragraph.fields:
            line, column = _located_column(paragraph.text, offset)
            for item in reader.text(instruction, f"{where} field"):
                # At the field's text, as a hyperlink is: the instruction is not shown.
                placed = item.location._replace(line=line, column=column)
                yield item._replace(location=placed)
    # Shape-level click actions (outside any paragraph; a picture's inside one is done).
    for element in root.iter():
        if _local(element.tag) == "cNvPr":
            for child in element:
                click = _relationship_id(child)
                if _local(child.tag) in ("hlinkClick", "hlinkHover") and click not in rels.used:
                    target = rels.external(click)
                    if target is not None:
                        yield from reader.link(target, f"{label} shape hyperlink")


def scan_docx(data: bytes, *, path: str, link_filter: LinkFilter) -> Iterator[Found]:
    reader = _Reader(data, path=path, kind="docx", link_filter=link_filter)
    main = reader.main_part()
    yield from _scan_story(reader, main, "body")
    rels = reader.relationships(main)
    for story in _WORD_STORIES:
        for part in sorted(rels.parts_of_type("/" + story)):
            stem = posixpath.splitext(posixpath.basename(part))[0]
            yield from _scan_story(reader, part, stem)
    yield from reader.unreferenced()
    yield from reader.leftovers()


def scan_pptx(data: bytes, *, path: str, link_filter: LinkFilter) -> Iterator[Found]:
    reader = _Reader(data, path=path, kind="pptx", link_filter=link_filter)
    main = reader.main_part()
    rels = reader.relationships(main)
    slide_ids = [element for element in reader.xml(main).iter()
                 if _local(element.tag) == "sldId"]
    for number, element in enumerate(slide_ids, start=1):
        rel_id = _relationship_id(element)
        slide = rels.target_part(rel_id) if rel_id else None
        if slide is None:
            raise DocumentError(f"pptx: slide {number} has no part")
        yield from _scan_story(reader, slide, f"slide {number}")
        for notes in reader.relationships(slide).parts_of_type("/notesSlide"):
            yield from _scan_story(reader, notes, f"slide {number} notes")
    yield from reader.unreferenced()
    yield from reader.leftovers()


# Workbooks ------------------------------------------------------------------------------


def _string_item(element: Any) -> str:
    """The text of a shared or inline string (``<si>``/``<is>``): its ``t`` pieces, phonetic
    guides (``rPh``) left out."""
    pieces: list[str] = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            pieces.append(child.text or "")
        elif name == "r":
            pieces.extend(sub.text or "" for sub in child if _local(sub.tag) == "t")
    return "".join(pieces)


def scan_xlsx(data: bytes, *, path: str, link_filter: LinkFilter) -> Iterator[Found]:
    reader = _Reader(data, path=path, kind="xlsx", link_filter=link_filter)
    main = reader.main_part()
    rels = reader.relationships(main)
    shared: list[str] = []
    for part in rels.parts_of_type("/sharedStrings"):
        shared = [_string_item(item) for item in reader.xml(part) if _local(item.tag) == "si"]
    sheets = [element for element in reader.xml(main).iter()
              if _local(element.tag) == "sheet"]
    for number, element in enumerate(sheets, start=1):
        name = element.get("name") or f"sheet {number}"
        rel_id = _relationship_id(element)
        sheet_part = rels.target_part(rel_id) if rel_id else None
        if sheet_part is None:
            raise DocumentError(f"xlsx: sheet {name!r} has no part")
        yield from _scan_sheet(reader, sheet_part, name, shared)
    yield from reader.unreferenced()
    yield from reader.leftovers()


def _scan_sheet(reader: _Reader, part: str, sheet: str, shared: list[str]) -> Iterator[Found]:
    root = reader.xml(part)
    rels = reader.relationships(part)
    prefix = _sheet_prefix(sheet)
    for element in root.iter():
        name = _local(element.tag)
        if name == "c":
            where = prefix + (element.get("r") or "?")
            for text, suffix in _cell_texts(element, shared):
                yield from reader.text(text, where + suffix)
        elif name == "hyperlink":
            target = rels.external(_relationship_id(element))
            if target is not None:
                yield from reader.link(target, f"{prefix}{element.get('ref') or '?'} hyperlink")


def _sheet_prefix(sheet: str) -> str:
    """``Sheet1!`` or ``'Q3 links'!`` as Excel writes a reference to another sheet."""
    plain = sheet.replace("_", "").isalnum()
    return (sheet if plain else "'" + sheet.replace("'", "''") + "'") + "!"


def _cell_texts(cell: Any, shared: list[str]) -> Iterator[tuple[str, str]]:
    cell_type = cell.get("t") or "n"
    for child in cell:
        name = _local(child.tag)
        if name == "f" and child.text:
            yield child.text, " formula"
        elif name == "is":
            yield _string_item(child), ""
        elif name == "v" and child.text and cell_type in ("s", "str", "inlineStr", "e"):
            if cell_type == "s":
                try:
                    yield shared[int(child.text)], ""
                except (ValueError, IndexError):
                    continue
            else:
                yield child.text, ""


# OpenDocument ---------------------------------------------------------------------------

_ODF_BREAKS = {"tab": "\t", "line-break": "\n"}
#: Spaces one ``<text:s text:c=...>`` stands for, at most (a link never spans more).
MAX_SPACES = 1024


def _odf_text(element: Any, pieces: list[str], hyperlinks: list[tuple[str, int]]) -> None:
    if element.text:
        pieces.append(element.text)
    for child in element:
        name = _local(child.tag)
        if name == "a":
            href = _attribute(child, "href")
            if href:
                hyperlinks.append((href, sum(len(piece) for piece in pieces)))
        if name == "s":
            pieces.append(" " * _count(child, "c", cap=MAX_SPACES))
        elif name in _ODF_BREAKS:
            pieces.append(_ODF_BREAKS[name])
        elif name not in ("note-citation", "note-body", "annotation"):
            # A note's or comment's paragraphs are paragraphs of their own.
            _odf_text(child, pieces, hyperlinks)
        if child.tail:
            pieces.append(child.tail)


def _odf_paragraph(element: Any) -> _Paragraph:
    pieces: list[str] = []
    hyperlinks: list[tuple[str, int]] = []
    _odf_text(element, pieces, hyperlinks)
    return _Paragraph("".join(pieces), hyperlinks)


def _odf_content(reader: _Reader) -> Any:
    package, kind = reader.package, reader.kind
    if not package.has("content.xml"):
        raise DocumentError(f"{kind}: no content.xml (not an OpenDocument package)")
    if package.has("META-INF/manifest.xml"):
        manifest = package.xml("META-INF/manifest.xml")
        if any(_local(element.tag) == "encryption-data" for element in manifest.iter()):
            raise DocumentError(f"{kind}: encrypted (password-protected) document, not read")
    return reader.xml("content.xml")


def scan_odt(data: bytes, *, path: str, link_filter: LinkFilter) -> Iterator[Found]:
    reader = _Reader(data, path=path, kind="odt", link_filter=link_filter)
    number = 0
    for element in _odf_content(reader).iter():
        if _local(element.tag) in ("p", "h"):
            number += 1
            yield from _odf_links(reader, _odf_paragraph(element), f"paragraph {number}")
    yield from reader.leftovers()


def scan_ods(data: bytes, *, path: str, link_filter: LinkFilter) -> Iterator[Found]:
    reader = _Reader(data, path=path, kind="ods", link_filter=link_filter)
    for table in _odf_content(reader).iter():
        if _local(table.tag) != "table":
            continue
        prefix = _sheet_prefix(_attribute(table, "name") or "Sheet")
        row = 0
        for row_element in table.iter():
            if _local(row_element.tag) != "table-row":
                continue
            row += 1
            column = 0
            for cell in row_element:
                if _local(cell.tag) not in ("table-cell", "covered-table-cell"):
                    continue
                column += 1
                where = f"{prefix}{_column_letters(column)}{row}"
                paragraphs = [element for element in cell.iter()
                              if _local(element.tag) in ("p", "h")]
                for index, element in enumerate(paragraphs, start=1):
                    yield from _odf_links(reader, _odf_paragraph(element), where, index)
                column += _count(cell, "number-columns-repeated") - 1
            row += _count(row_element, "number-rows-repeated") - 1
    yield from reader.leftovers()


def _count(element: Any, name: str, cap: int = 1 << 31) -> int:
    """A repeat count attribute (1 where it is missing or not a number), at most ``cap``."""
    try:
        return max(1, min(int(_attribute(element, name) or "1"), cap))
    except ValueError:
        return 1


def _odf_links(reader: _Reader, paragraph: _Paragraph, where: str,
               line: int = 1) -> Iterator[Found]:
    yield from reader.text(paragraph.text, where, line)
    for href, offset in paragraph.hyperlinks:
        at_line, at_column = _located_column(paragraph.text, offset)
        yield from reader.link(href, f"{where} hyperlink", line + at_line - 1, at_column)


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
