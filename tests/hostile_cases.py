"""Hostile files, written at run time: what an attacker (or an unlucky export folder) holds.

Each builder writes one file under a folder and returns its path; the tests
(``test_hostile_files.py``), the memory test and the reader benchmark use
the same builders, so the cases they talk about are the same bytes.
"""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

BASE = "https://visitorchat.twt.com/direct/demo_app"


def link(number: int, *, chat: str | None = None) -> str:
    """A direct link that is told apart from the others by its number."""
    return f"{BASE}?direct=1&chatid={chat or f'c{number}'}&lang=en"


def png_declaring(width: int, height: int, *, rows: int = 16) -> bytes:
    """A PNG whose header declares ``width`` x ``height`` pixels, with few rows of data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * (width + 1) * rows, 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


#: A one-pixel GIF, 37 bytes.
GIF = (b"GIF87a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00"
       b"\x01\x00\x00\x08\x04\x00\x01\x04\x04\x00;")
#: That GIF cut at 29 bytes: Pillow cannot tell what it is.
TRUNCATED_GIF = GIF[:29]
#: Cut at 32 bytes: it opens (the header is whole), and decoding it fails.
GIF_CUT_IN_ITS_PIXELS = GIF[:32]

SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b'<a href="' + BASE.encode() + b'?direct=1&amp;chatid=svg"><rect/></a></svg>\n')


def write(folder: Path, name: str | bytes, data: bytes) -> Path:
    """Write ``data`` as ``name`` in ``folder`` (a bytes name may be any bytes but ``/``)."""
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(name, bytes):
        import os

        target = os.path.join(os.fsencode(folder), name)
        with open(target, "wb") as stream:
            stream.write(data)
        return Path(os.fsdecode(target))
    path = folder / name
    path.write_bytes(data)
    return path


def bomb_png(folder: Path) -> Path:
    """48 KB of PNG declaring 20000 x 20000 pixels (Pillow's DecompressionBombError)."""
    return write(folder, "bomb.png", png_declaring(20000, 20000, rows=2000))


def gif_named_png(folder: Path) -> Path:
    return write(folder, "logo.png", TRUNCATED_GIF)


def eml_with_image_parts(folder: Path, images: list[tuple[str, bytes]]) -> Path:
    """A message: a text part with link 1, then one base64 part per image, then link 2."""
    parts = [
        "Content-Type: text/plain; charset=utf-8\n\n"
        f"Your chat: {link(1)}\n"
    ]
    for content_type, data in images:
        encoded = base64.encodebytes(data).decode("ascii")
        parts.append(f"Content-Type: {content_type}\nContent-Transfer-Encoding: base64\n\n"
                     f"{encoded}")
    parts.append(f"Content-Type: text/html\n\n<a href=\"{link(2)}\">Chat</a>\n")
    body = "".join(f"--SEP\n{part}\n" for part in parts) + "--SEP--\n"
    message = ("From: support@example.com\nSubject: codes\nMIME-Version: 1.0\n"
               'Content-Type: multipart/mixed; boundary="SEP"\n\n' + body)
    return write(folder, "codes.eml", message.encode("ascii"))


def eml_multipart_without_boundary(folder: Path) -> Path:
    message = ("From: support@example.com\nSubject: broken\nMIME-Version: 1.0\n"
               "Content-Type: multipart/alternative\n\n"
               f"Your chat: {link(1)}\n")
    return write(folder, "no-boundary.eml", message.encode("ascii"))


def csv_with_huge_cell(folder: Path, cell_chars: int = 140_000) -> Path:
    """Link 1 in row 2, a quoted cell over the csv module's 128 KiB limit holding link 2,
    and link 3 in the row after it."""
    huge = "x" * cell_chars + " " + link(2)
    text = f"name,link\nAnn,{link(1)}\nBo,\"{huge}\"\nCy,{link(3)}\n"
    return write(folder, "export.csv", text.encode("utf-8"))


def utf16_log_with_lone_surrogate(folder: Path, links: int = 1000) -> Path:
    """A UTF-16 log with a BOM, ``links`` links, and one lone surrogate in the middle."""
    lines = [f"2026-11-25 sent {link(n)}\n" for n in range(links)]
    half = links // 2
    encoded = ("".join(lines[:half])).encode("utf-16")  # BOM + little-endian
    lone = b"\x00\xd8"  # U+D800, alone
    encoded += lone + "".join(lines[half:]).encode("utf-16-le")
    return write(folder, "sent.log", encoded)


def utf32_log(folder: Path, links: int = 50) -> Path:
    text = "".join(f"sent {link(n)}\n" for n in range(links))
    return write(folder, "sent32.log", text.encode("utf-32"))


def log_with_stray_latin1_byte(folder: Path, filler_lines: int = 20_000) -> Path:
    """One Latin-1 byte early in a UTF-8 log whose later links hold UTF-8 text."""
    head = b"caf\xe9 opened\n"
    filler = b"".join(b"%d nothing to see here\n" % n for n in range(filler_lines))
    tail = f"sent {link(1, chat='José')}\n".encode()
    return write(folder, "legacy.log", head + filler + tail)


def deep_html(folder: Path, depth: int, tag: str = "div") -> Path:
    """HTML ``depth`` elements deep: a link at the top, one in the middle, one after."""
    middle = f'<a href="{link(2).replace("&", "&amp;")}">chat</a>'
    script = f'<script>var u = "{link(3)}<b>";</script>'
    text = (f'<p><a href="{link(1).replace("&", "&amp;")}">top</a></p>'
            + f"<{tag}>" * depth + middle + script + f"</{tag}>" * depth
            + f'<p>{link(4).replace("&", "&amp;")}</p>')
    return write(folder, f"deep-{depth}.html", text.encode("ascii"))


def deep_json(folder: Path, depth: int, links: int) -> Path:
    """JSON ``depth`` arrays deep holding an object with ``links`` links."""
    inner = "{" + ",".join(f'"url{n}": "{link(n)}"' for n in range(links)) + "}"
    text = "[" * depth + inner + "]" * depth
    return write(folder, f"deep-{depth}.json", text.encode("ascii"))


def sparse_file(folder: Path, name: str, size: int, head: bytes = b"") -> Path:
    """A file of ``size`` bytes that takes no disk (a hole after ``head``)."""
    path = write(folder, name, head)
    with open(path, "r+b") as stream:
        stream.truncate(size)
    return path


def big_eml(folder: Path, size: int, *, links: int = 1000) -> Path:
    """An e-mail of about ``size`` bytes: a text part with ``links`` links, then base64
    attachments of 1 MB each up to the size, then an HTML part with one more link."""
    attachment = base64.encodebytes(bytes(range(256)) * 4096).decode("ascii")  # 1 MiB
    path = folder / "big.eml"
    folder.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="ascii", newline="\n") as stream:
        stream.write("From: support@example.com\nSubject: big\nMIME-Version: 1.0\n"
                     'Content-Type: multipart/mixed; boundary="SEP"\n\n--SEP\n'
                     "Content-Type: text/plain\n\n")
        for n in range(links):
            stream.write(f"line {n}: {link(n)}\n")
        written = stream.tell()
        number = 0
        while written < size:
            stream.write(f"--SEP\nContent-Type: application/octet-stream\n"
                         f"Content-Disposition: attachment; filename=\"a{number}.bin\"\n"
                         "Content-Transfer-Encoding: base64\n\n")
            stream.write(attachment)
            written = stream.tell()
            number += 1
        stream.write(f"--SEP\nContent-Type: text/html\n\n<a href=\"{link(links)}\">x</a>\n"
                     "--SEP--\n")
    return path
