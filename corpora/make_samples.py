#!/usr/bin/env python3
"""Write the mailbox, office and PDF samples of corpora/samples/ (run it to remake them).

    .venv/bin/python corpora/make_samples.py [FOLDER]     (default: corpora/samples)

Needs the ``test`` extra: the documents are written by the libraries that
write them in the wild (openpyxl for Excel, python-docx for Word,
python-pptx for PowerPoint, pypdf and Pillow for PDF, segno for the QR code),
so the readers are audited on documents they did not write themselves. The
OpenDocument files and the mailboxes are small enough to write directly.
Output is byte-for-byte reproducible: zip members get a fixed date.

The functions here are also what the tests use to plant links in documents.
"""

from __future__ import annotations

import datetime
import io
import mailbox
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent
#: Zip members' date: reproducible bytes (zip dates start in 1980).
FIXED_DATE = (2026, 1, 1, 0, 0, 0)
FIXED_DATETIME = datetime.datetime(*FIXED_DATE)
SECRET = "demo-app-secret-2026"
BASE = "https://visitorchat.twt.com/direct/demo_app"


@dataclass(frozen=True)
class Hyperlink:
    """Text shown in a document, linking to ``url`` through a hyperlink relationship."""

    text: str
    url: str


Run = str | Hyperlink
Paragraph = Sequence[Run]


def signed(chat_id: str, sbs: str, ranstr: str, lang: str = "en") -> str:
    """A correctly signed link of the demo app (the secret of corpora/samples/secrets.toml)."""
    import validator

    return validator.build("demo_app", chat_id=chat_id, lang=lang, sbs=sbs, ranstr=ranstr,
                           secret=validator.Secret(SECRET))


def reproducible_zip(data: bytes) -> bytes:
    """The same package with every member dated :data:`FIXED_DATE`, in the same order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, FIXED_DATE)
            member.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" \
                else zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info))
    return out.getvalue()


# Word, PowerPoint, Excel ----------------------------------------------------------------


def docx_bytes(paragraphs: Sequence[Paragraph], *, table: Sequence[Sequence[str]] = (),
               header: str | None = None) -> bytes:
    """A Word document: the paragraphs, then a table (rows of cell texts), and a header."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for run in runs:
            if isinstance(run, str):
                paragraph.add_run(run)
                continue
            rel_id = document.part.relate_to(run.url, RELATIONSHIP_TYPE.HYPERLINK,
                                             is_external=True)
            element = OxmlElement("w:hyperlink")
            element.set(qn("r:id"), rel_id)
            text_run = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.text = run.text
            text_run.append(text)
            element.append(text_run)
            paragraph._p.append(element)
    if table:
        grid = document.add_table(rows=len(table), cols=max(len(row) for row in table))
        for row_cells, row in zip(grid.rows, table, strict=True):
            for cell, value in zip(row_cells.cells, row, strict=False):
                cell.text = value
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    document.core_properties.created = document.core_properties.modified = FIXED_DATETIME
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_zip(buffer.getvalue())


def pptx_bytes(slides: Sequence[Sequence[Paragraph]], *, notes: Sequence[str | None] = (),
               shape_links: Sequence[str | None] = ()) -> bytes:
    """A deck: each slide's paragraphs in one text box, its notes, and a shape's click link."""
    import pptx
    from pptx.util import Inches

    deck = pptx.Presentation()
    blank = deck.slide_layouts[6]
    for number, paragraphs in enumerate(slides):
        slide = deck.slides.add_slide(blank)
        box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(8), Inches(4))
        frame = box.text_frame
        for index, runs in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            for item in runs:
                run = paragraph.add_run()
                if isinstance(item, str):
                    run.text = item
                else:
                    run.text = item.text
                    run.hyperlink.address = item.url
        if number < len(notes) and notes[number] is not None:
            slide.notes_slide.notes_text_frame.text = notes[number]
        if number < len(shape_links) and shape_links[number] is not None:
            button = slide.shapes.add_shape(1, Inches(1), Inches(5.5), Inches(2), Inches(1))
            button.click_action.hyperlink.address = shape_links[number]
    deck.core_properties.created = deck.core_properties.modified = FIXED_DATETIME
    buffer = io.BytesIO()
    deck.save(buffer)
    return reproducible_zip(buffer.getvalue())


def xlsx_bytes(sheets: dict[str, dict[str, str | Hyperlink]]) -> bytes:
    """A workbook: sheet name -> {cell reference: text, or a Hyperlink (text + target)}."""
    import openpyxl
    from openpyxl.writer.excel import ExcelWriter

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, cells in sheets.items():
        sheet = workbook.create_sheet(name)
        for reference, value in cells.items():
            if isinstance(value, Hyperlink):
                sheet[reference] = value.text
                sheet[reference].hyperlink = value.url
            else:
                sheet[reference] = value
    workbook.properties.created = workbook.properties.modified = FIXED_DATETIME
    buffer = io.BytesIO()
    # ExcelWriter, not workbook.save(): save() stamps the current time as "modified".
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return reproducible_zip(buffer.getvalue())


# OpenDocument ---------------------------------------------------------------------------

_ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink"'
)


def _odf_runs(runs: Paragraph) -> str:
    return "".join(
        escape(run) if isinstance(run, str)
        else f'<text:a xlink:type="simple" xlink:href={quoteattr(run.url)}>{escape(run.text)}'
             "</text:a>"
        for run in runs
    )


def _odf_package(mimetype: str, body: str) -> bytes:
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content '
               f'{_ODF_NAMESPACES} office:version="1.3"><office:body>{body}</office:body>'
               "</office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype", FIXED_DATE), mimetype)
        package.writestr(zipfile.ZipInfo("content.xml", FIXED_DATE), content)
        package.writestr(zipfile.ZipInfo("META-INF/manifest.xml", FIXED_DATE), manifest)
    return reproducible_zip(buffer.getvalue())


def odt_bytes(paragraphs: Sequence[Paragraph]) -> bytes:
    body = "".join(f"<text:p>{_odf_runs(runs)}</text:p>" for runs in paragraphs)
    return _odf_package("application/vnd.oasis.opendocument.text",
                        f"<office:text>{body}</office:text>")


def ods_bytes(sheets: dict[str, Sequence[Sequence[Run]]]) -> bytes:
    """A spreadsheet: sheet name -> rows of cells (text, or a Hyperlink)."""
    tables = []
    for name, rows in sheets.items():
        cells = "".join(
            "<table:table-row>"
            + "".join(f'<table:table-cell office:value-type="string"><text:p>'
                      f"{_odf_runs([cell])}</text:p></table:table-cell>" for cell in row)
            + "</table:table-row>"
            for row in rows
        )
        tables.append(f"<table:table table:name={quoteattr(name)}>{cells}</table:table>")
    return _odf_package("application/vnd.oasis.opendocument.spreadsheet",
                        f"<office:spreadsheet>{''.join(tables)}</office:spreadsheet>")


# PDF ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfPage:
    """What one page holds: lines of text, link annotations, and QR codes drawn as images."""

    lines: Sequence[str] = ()
    annotations: Sequence[str] = ()
    qr_codes: Sequence[str] = ()


def qr_png(text: str, scale: int = 6) -> bytes:
    import segno

    buffer = io.BytesIO()
    segno.make_qr(text, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def pdf_bytes(pages: Sequence[PdfPage], *, password: str | None = None) -> bytes:
    """A PDF: each page's text (Helvetica), link annotations over it, and QR images."""
    from PIL import Image
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
    )

    writer = PdfWriter()
    for page_spec in pages:
        if page_spec.qr_codes:
            # Pillow writes a page holding the image; its page is copied in.
            images = [Image.open(io.BytesIO(qr_png(text))).convert("RGB")
                      for text in page_spec.qr_codes]
            sheet = Image.new("RGB", (612, 792), "white")
            for index, image in enumerate(images):
                sheet.paste(image, (40 + (index % 2) * 300, 400 - (index // 2) * 300))
            buffer = io.BytesIO()
            sheet.save(buffer, format="PDF", resolution=72.0)
            page = writer.add_page(PdfReader(buffer).pages[0])
        else:
            page = writer.add_blank_page(612, 792)
        if page_spec.lines:
            font = DictionaryObject({
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            })
            resources = page.get("/Resources")
            resources = resources.get_object() if resources is not None else DictionaryObject()
            fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
            resources[NameObject("/Font")] = fonts
            page[NameObject("/Resources")] = resources
            commands = ["BT", "/F1 7 Tf", "9 TL", "36 750 Td"]
            for line in page_spec.lines:
                literal = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                commands.append(f"({literal}) Tj T*")
            commands.append("ET")
            stream = DecodedStreamObject()
            stream.set_data("\n".join(commands).encode("latin-1"))
            existing = page.get("/Contents")
            contents = ArrayObject([writer._add_object(stream)])
            if existing is not None:
                contents.insert(0, existing)
            page[NameObject("/Contents")] = contents
        for number, url in enumerate(page_spec.annotations):
            top = 700 - number * 30
            writer.add_annotation(page_number=len(writer.pages) - 1,
                                  annotation=Link(rect=(36, top, 300, top + 20), url=url))
    writer.add_metadata({"/Producer": "corpora/make_samples.py"})
    if password is not None:
        writer.encrypt(user_password=password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# Mail -----------------------------------------------------------------------------------


def message(subject: str, text: str, html: str | None = None, *, number: int = 1,
            cte: str | None = None) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = "Example Shop <support@example.com>"
    mail["To"] = "Ann Lee <ann@example.com>"
    mail["Subject"] = subject
    mail["Date"] = f"Tue, 24 Nov 2026 09:{number:02d}:00 +0000"
    mail["Message-ID"] = f"<campaign-{number}@example.com>"
    mail.set_content(text, cte=cte)
    if html is not None:
        mail.add_alternative(html, subtype="html", cte="quoted-printable")
        mail.set_boundary(f"=_campaign_{number}")  # not a random one: reproducible files
    return mail


def write_mbox(path: Path, messages: Sequence[EmailMessage]) -> None:
    path.unlink(missing_ok=True)
    box = mailbox.mbox(path)
    try:
        for mail in messages:
            entry = mailbox.mboxMessage(mail)
            entry.set_from("support@example.com Tue Nov 24 09:30:00 2026")
            box.add(entry)
        box.flush()
    finally:
        box.close()


def write_maildir(folder: Path, messages: Sequence[EmailMessage]) -> list[Path]:
    """A Maildir (``cur``, ``new``, ``tmp``) with fixed file names, new messages first."""
    for sub in ("cur", "new", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    written = []
    for number, mail in enumerate(messages, start=1):
        sub = "new" if number == 1 else "cur"
        # Mail clients add ":2,S" (seen) to a name in cur/; ":" cannot be in a file name on
        # every system a checkout lands on, so the samples go without it.
        name = f"1764576000.M{number}P1.samples"
        target = folder / sub / name
        target.write_bytes(mail.as_bytes())
        written.append(target)
    return written


# The samples ----------------------------------------------------------------------------


def make_samples(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    good = signed("flyer-1", "cust-3001", "Qm7xK2pL9vN4rT8w")
    upper_hex = good.replace(good.split("sbs_mm=")[1][:32], good.split("sbs_mm=")[1][:32].upper())
    no_direct = f"{BASE}?chatid=letter-7&lang=en"
    bad_lang = f"{BASE}?direct=1&chatid=deck-2&lang=pt-BR"
    written: list[Path] = []

    def put(name: str, data: bytes) -> None:
        target = folder / name
        target.write_bytes(data)
        written.append(target)

    put("customer-links.xlsx", xlsx_bytes({
        "Customers": {
            "A1": "customer", "B1": "chat link", "C1": "button",
            "A2": "cust-3001", "B2": good,
            "A3": "cust-3002", "B3": upper_hex,
            "A4": "cust-3003", "C4": Hyperlink("Open chat", no_direct),
        },
    }))
    put("letter-template.docx", docx_bytes(
        [
            ["Dear customer,"],
            ["Chat with us at ", good, " any time."],
            ["Or simply ", Hyperlink("click here", upper_hex), "."],
        ],
        table=[["Support", no_direct]],
        header="Example Shop - support chat",
    ))
    put("launch-deck.pptx", pptx_bytes(
        [
            [["Support chat for everyone"], ["Chat: ", Hyperlink("open", good)]],
            [["Localised chat: ", bad_lang]],
        ],
        notes=[None, f"Presenter: the old link was {no_direct}"],
    ))
    put("price-list.ods", ods_bytes({
        "Prices": [["item", "chat"], ["lamp", good], ["chair", Hyperlink("ask us", bad_lang)]],
    }))
    put("shipping-note.odt", odt_bytes([
        ["Your parcel is on its way."],
        ["Questions? ", Hyperlink("Chat with us", upper_hex)],
    ]))
    put("table-flyer.pdf", pdf_bytes([
        PdfPage(lines=["Table 12 - scan the code or open the link:", good],
                annotations=[no_direct]),
        PdfPage(qr_codes=[upper_hex]),
    ]))
    write_mbox(folder / "campaign.mbox", [
        message("Your chat link", f"Hello,\n\nchat with us: {good}\n", number=1),
        message("Reminder", "Hello again,\n\nyour chat is waiting.\n",
                f'<p>Open <a href="{no_direct}">the chat</a>.</p>\n', number=2),
    ])
    written.append(folder / "campaign.mbox")
    written.extend(write_maildir(folder / "support-maildir", [
        message("Ticket 7", f"Your ticket: {bad_lang}\n", number=3),
        message("Ticket 8", f"Your ticket: {good}\n", number=4),
    ]))
    return written


def main(argv: Sequence[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else ROOT / "corpora" / "samples"
    for path in make_samples(folder):
        print(path.relative_to(folder) if path.is_relative_to(folder) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
