"""Mailboxes, office documents and PDFs: exactly the planted links, at their places."""

from __future__ import annotations

import io
import mailbox
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from document_fixtures import (
    BAD_LANG,
    GOOD,
    NO_DIRECT,
    OTHER_SITE,
    REL_ONLY,
    Expected,
    PdfPage,
    plant_docx,
    plant_ods,
    plant_odt,
    plant_pdf,
    plant_pptx,
    plant_xlsx,
    samples,
)

from validator.extract import DocumentError, MissingExtra, extract_path, walk


def found_in(path: Path) -> Expected:
    return {
        (item.location.part or "", item.location.line, item.location.column, item.url)
        for item in extract_path(path)
    }


@pytest.mark.parametrize(
    ("name", "plant"),
    [
        ("links.xlsx", plant_xlsx),
        ("letter.docx", plant_docx),
        ("deck.pptx", plant_pptx),
        ("note.odt", plant_odt),
        ("prices.ods", plant_ods),
        ("flyer.pdf", plant_pdf),
    ],
)
def test_each_reader_finds_exactly_the_planted_links(
    tmp_path: Path, name: str, plant: Callable[[Path], Expected]
) -> None:
    path = tmp_path / name
    expected = plant(path)
    assert found_in(path) == expected
    kinds = {item.location.kind for item in extract_path(path)}
    assert kinds == {path.suffix[1:]}


def test_a_link_only_in_a_relationship_is_found_where_its_text_is(tmp_path: Path) -> None:
    path = tmp_path / "letter.docx"
    plant_docx(path)
    with zipfile.ZipFile(path) as package:
        assert REL_ONLY not in package.read("word/document.xml").decode()
        assert REL_ONLY.replace("&", "&amp;") in package.read(
            "word/_rels/document.xml.rels").decode()
    [item] = [item for item in extract_path(path) if item.url == REL_ONLY]
    assert item.location.part == "body paragraph 3 hyperlink"


def test_an_external_relationship_no_element_uses_is_still_audited(tmp_path: Path) -> None:
    source = io.BytesIO(samples.docx_bytes([["Nothing here"]]))
    out = io.BytesIO()
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(out, "w") as target:
        for info in package.infolist():
            data = package.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", (
                    '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/hyperlink" Target="'
                    + NO_DIRECT.replace("&", "&amp;") + '" TargetMode="External"/>'
                    "</Relationships>").encode())
            target.writestr(info, data)
    path = tmp_path / "orphan.docx"
    path.write_bytes(out.getvalue())
    assert found_in(path) == {("word/document.xml relationship rId99", 1, 1, NO_DIRECT)}


def test_the_qr_code_in_a_pdf_is_the_only_place_of_its_link(tmp_path: Path) -> None:
    path = tmp_path / "flyer.pdf"
    plant_pdf(path)
    from document_fixtures import QR_ONLY

    assert QR_ONLY.encode() not in path.read_bytes()
    parts = [item.location.part for item in extract_path(path) if item.url == QR_ONLY]
    assert parts == ["page 2 image 1 QRCode 1 of 1 at x=64 y=424"]


def test_a_pdf_with_an_empty_user_password_is_read(tmp_path: Path) -> None:
    path = tmp_path / "protected.pdf"
    path.write_bytes(samples.pdf_bytes([PdfPage(annotations=[GOOD])], password=""))
    assert found_in(path) == {("page 1 link annotation 1", 1, 1, GOOD)}


# Mailboxes ------------------------------------------------------------------------------


def test_each_mbox_message_is_located_as_file_hash_message(tmp_path: Path) -> None:
    path = tmp_path / "campaign.mbox"
    samples.write_mbox(path, [
        samples.message("one", f"Hi\n{OTHER_SITE}\n", number=1),
        samples.message("two", "Hi\n", f'<p><a href="{NO_DIRECT}">chat</a></p>\n', number=2),
        samples.message("three", f"Chat: {BAD_LANG}\n", number=3, cte="7bit"),
    ])
    found = [(item.location.path, item.location.part, item.url) for item in extract_path(path)]
    assert found == [
        (f"{path}#message-2", "part 3 text/html, decoded line 1 column 13", NO_DIRECT),
        (f"{path}#message-3", "part 1 text/plain", BAD_LANG),
    ]
    [third] = [item for item in extract_path(path) if item.url == BAD_LANG]
    # The line and column inside the message, as the .eml reader gives them for a file.
    assert len(mailbox.mbox(path)) == 3
    message = samples.message("three", f"Chat: {BAD_LANG}\n", number=3, cte="7bit")
    lines = message.as_bytes().decode().splitlines()
    line = lines.index(f"Chat: {BAD_LANG}") + 1
    assert (third.location.line, third.location.column) == (line, 7)


def test_a_file_that_is_no_mbox_is_refused_not_half_read(tmp_path: Path) -> None:
    path = tmp_path / "notes.mbox"
    path.write_text(f"preface {GOOD}\nFrom someone\n\nbody\n")
    with pytest.raises(DocumentError, match="does not start with a 'From '"):
        list(extract_path(path))


def test_maildir_messages_are_read_as_eml_and_deliveries_in_tmp_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "Maildir"
    written = samples.write_maildir(folder, [
        samples.message("a", f"Link {GOOD}\n", number=1),
        samples.message("b", f"Link {NO_DIRECT}\n", number=2),
    ])
    (folder / "tmp" / "1764576000.M9P1.samples").write_text(f"Link {BAD_LANG}\n")
    entries = {Path(entry.path).relative_to(folder).as_posix(): (entry.kind, entry.skip_reason)
               for entry in walk([tmp_path])}
    assert entries == {
        "new/1764576000.M1P1.samples": ("eml", None),
        "cur/1764576000.M2P1.samples": ("eml", None),
        "tmp/1764576000.M9P1.samples": (None, "Maildir tmp/: a message still being delivered"),
    }
    urls = [item.url for path in written for item in extract_path(path, kind="eml")]
    assert urls == [GOOD, NO_DIRECT]


def test_a_folder_named_cur_outside_a_maildir_is_plain_text(tmp_path: Path) -> None:
    (tmp_path / "cur").mkdir()
    (tmp_path / "cur" / "notes").write_text(GOOD)
    [entry] = walk([tmp_path])
    assert entry.kind == "text"


# Broken, encrypted, hostile -------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()


def _docx_with_document(xml: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(samples.docx_bytes([["x"]]))) as package:
        members = {info.filename: package.read(info) for info in package.infolist()}
    members["word/document.xml"] = xml
    return _zip(members)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"""


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("bomb.docx", _zip({"word/document.xml": b"\0" * (4 * 1024 * 1024)}),
         "docx: zip bomb refused: word/document.xml inflates 1028 times, more than 200"),
        ("laughs.docx", _docx_with_document(BILLION_LAUGHS),
         "docx: part word/document.xml: XML bomb refused (DTDForbidden)"),
        ("broken.docx", samples.docx_bytes([["x"]])[:500], "docx: not a readable zip package"),
        ("broken.xml.docx", _docx_with_document(b"<w:document><w:body>"),
         "docx: part word/document.xml: broken XML"),
        ("empty.xlsx", _zip({"hello.txt": b"hi"}), "xlsx: no main part"),
        ("protected.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
         "xlsx: encrypted (password-protected) or legacy binary Office file"),
        ("protected.odt", _zip({"content.xml": b"garbage",
                                "META-INF/manifest.xml": b'<m:manifest xmlns:m="urn:oasis:names'
                                b':tc:opendocument:xmlns:manifest:1.0"><m:file-entry><m:encrypt'
                                b'ion-data/></m:file-entry></m:manifest>'}),
         "odt: encrypted (password-protected) document"),
        ("garbage.pdf", b"%PDF-1.7\nnot really\n", "pdf: broken PDF"),
        ("locked.pdf", samples.pdf_bytes([PdfPage(annotations=[GOOD])], password="s3cret"),
         "pdf: encrypted, needs a password"),
    ],
)
def test_broken_encrypted_and_hostile_documents_raise_with_the_reason(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError) as raised:
        list(extract_path(path))
    assert str(raised.value).startswith(reason), str(raised.value)
    assert "\n" not in str(raised.value)


def test_members_declaring_more_than_the_budget_are_refused_before_inflating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import validator.extract.container as container

    path = tmp_path / "links.xlsx"
    plant_xlsx(path)
    monkeypatch.setattr(container, "MAX_MEMBER_BYTES", 512)
    with pytest.raises(DocumentError, match=r"xlsx: zip bomb refused: \S+ declares \d+ bytes"):
        list(extract_path(path))
    monkeypatch.setattr(container, "MAX_MEMBER_BYTES", 1 << 30)
    monkeypatch.setattr(container, "MAX_TOTAL_BYTES", 2048)
    with pytest.raises(DocumentError, match="xlsx: zip bomb refused: members declare"):
        list(extract_path(path))


def test_a_member_inflating_past_its_declared_size_fails_its_check(tmp_path: Path) -> None:
    """A lying central directory: zipfile stops at the declared size and the CRC fails."""
    honest = _docx_with_document(b"<w:document xmlns:w='urn:w'>" + b" " * 5000 + b"</w:document>")
    with zipfile.ZipFile(io.BytesIO(honest)) as package:
        info = package.getinfo("word/document.xml")
        real = info.file_size
    lying = bytearray(honest)
    declared = real.to_bytes(4, "little")
    small = (100).to_bytes(4, "little")
    # The size appears in the local header and in the central directory: lie in both.
    start = 0
    while (index := lying.find(declared, start)) >= 0:
        lying[index:index + 4] = small
        start = index + 4
    path = tmp_path / "lying.docx"
    path.write_bytes(bytes(lying))
    with pytest.raises(DocumentError, match=r"docx: part word/document\.xml"):
        list(extract_path(path))


def test_a_pdf_image_over_the_pixel_budget_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import validator.extract.pdf as pdf_reader

    monkeypatch.setattr(pdf_reader, "MAX_IMAGE_PIXELS", 1000)
    path = tmp_path / "flyer.pdf"
    plant_pdf(path)
    with pytest.raises(DocumentError, match="pdf: page 2 has a 612x792 image"):
        list(extract_path(path))


def test_without_the_extra_the_reader_names_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *args: None if name == "defusedxml" else real(name, *args))
    path = tmp_path / "links.xlsx"
    plant_xlsx(path)
    with pytest.raises(MissingExtra, match=r"pip install 'directlink-validator\[office\]'"):
        list(extract_path(path))


def test_text_in_other_parts_of_a_package_is_read_too(tmp_path: Path) -> None:
    """A link in a cell comment lives in its own part: read as that part's text."""
    import openpyxl
    from openpyxl.comments import Comment

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "no link here"
    workbook.active["A1"].comment = Comment(f"old link: {NO_DIRECT}", "QA")
    path = tmp_path / "commented.xlsx"
    workbook.save(path)
    [item] = extract_path(path)
    assert (item.location.part, item.url) == ("xl/comments/comment1.xml", NO_DIRECT)


def test_a_remote_mailbox_is_read_from_its_bytes_and_named_by_its_url(tmp_path: Path) -> None:
    from validator.extract.candidates import LinkFilter
    from validator.extract.documents import scan_document_bytes

    path = tmp_path / "box.mbox"
    samples.write_mbox(path, [samples.message("a", f"Chat: {GOOD}\n", number=1, cte="7bit")])
    found = list(scan_document_bytes(path.read_bytes(), path="s3://mail/box.mbox", kind="mbox",
                                     link_filter=LinkFilter()))
    assert [(item.location.path, item.url) for item in found] == [
        ("s3://mail/box.mbox#message-1", GOOD)]


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_a_word_field_hyperlink_is_found_at_the_field_text(tmp_path: Path) -> None:
    instruction = f' HYPERLINK "{NO_DIRECT}" '.replace("&", "&amp;")
    document = (f"<w:document {W}><w:body><w:p><w:r><w:t>See </w:t></w:r>"
                f"<w:fldSimple w:instr='{instruction}'><w:r><w:t>chat</w:t></w:r></w:fldSimple>"
                "</w:p></w:body></w:document>").encode()
    path = tmp_path / "field.docx"
    path.write_bytes(_docx_with_document(document))
    assert found_in(path) == {("body paragraph 1 field", 1, 5, NO_DIRECT)}


def test_deleted_text_and_alternate_content_are_not_read_twice(tmp_path: Path) -> None:
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    url = GOOD.replace("&", "&amp;")
    document = (f"<w:document {W} {mc}><w:body><w:p>"
                f"<w:del><w:r><w:delText>{url}</w:delText></w:r></w:del>"
                "<w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r>"
                f"<w:t>{url}</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback>"
                f"<w:txbxContent><w:p><w:r><w:t>{url}</w:t></w:r></w:p></w:txbxContent>"
                "</mc:Fallback></mc:AlternateContent></w:r></w:p></w:body></w:document>")
    path = tmp_path / "boxes.docx"
    path.write_bytes(_docx_with_document(document.encode()))
    assert found_in(path) == {("body paragraph 2", 1, 1, GOOD)}


def test_an_odt_note_is_a_paragraph_of_its_own(tmp_path: Path) -> None:
    path = tmp_path / "noted.odt"
    text = 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    office = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    url = GOOD.replace("&", "&amp;")
    content = (f"<office:document-content {office} {text}><office:body><office:text>"
               f"<text:p>Body<text:note><text:note-citation>1</text:note-citation>"
               f"<text:note-body><text:p>See {url}</text:p></text:note-body></text:note>"
               "</text:p></office:text></office:body></office:document-content>")
    path.write_bytes(_zip({"mimetype": b"application/vnd.oasis.opendocument.text",
                           "content.xml": content.encode()}))
    assert found_in(path) == {("paragraph 2", 1, 5, GOOD)}


def test_no_link_in_a_document_claims_to_be_written_as_it_is_in_the_file(tmp_path: Path) -> None:
    """Columns count in a cell, paragraph, page or message: nothing may edit the file there."""
    plant_xlsx(tmp_path / "links.xlsx")
    plant_pdf(tmp_path / "flyer.pdf")
    samples.write_mbox(tmp_path / "box.mbox", [
        samples.message("a", f"Chat: {GOOD}\n", number=1, cte="7bit")])
    items = [item for path in sorted(tmp_path.iterdir()) for item in extract_path(path)]
    assert len(items) == 9
    assert not any(item.verbatim for item in items)
