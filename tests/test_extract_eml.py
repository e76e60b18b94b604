"""E-mail: every text and HTML part, quoted-printable soft breaks joined, base64 decoded."""

from __future__ import annotations

import base64
from pathlib import Path

from extract_helpers import position_of

from validator.extract import ExtractedLink, extract_path

BASE = "https://visitorchat.twt.com/direct/demo_app"


def write_eml(tmp_path: Path) -> Path:
    html = f'<p>Hello,</p>\n<p><a href="{BASE}?direct=1&amp;chatid=5&amp;lang=fr">Chat</a></p>\n'
    # Quoted-printable: "=3D" is "=", and "=" at a line end is a soft break to join.
    qp_html = (
        html.replace("=", "=3D")
        .replace("chatid=3D5", "chat=\nid=3D5")
    )
    text_b64 = base64.encodebytes(f"Hi!\nYour chat: {BASE}?direct=1&chatid=6\n".encode()).decode()
    message = (
        "From: Support <support@example.com>\n"
        "To: customer@example.com\n"
        "Subject: Your chat\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/alternative; boundary="XYZ"\n'
        "\n"
        "--XYZ\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: base64\n"
        "\n"
        f"{text_b64}"
        "--XYZ\n"
        "Content-Type: text/html; charset=utf-8\n"
        "Content-Transfer-Encoding: quoted-printable\n"
        "\n"
        f"{qp_html}"
        "--XYZ--\n"
    )
    path = tmp_path / "welcome.eml"
    path.write_text(message, encoding="ascii")
    return path


def test_every_part_decoded_with_part_locations(tmp_path: Path) -> None:
    path = write_eml(tmp_path)
    raw = path.read_text(encoding="ascii")
    links = [item for item in extract_path(path) if isinstance(item, ExtractedLink)]
    assert [link.url for link in links] == [
        f"{BASE}?direct=1&chatid=6",
        f"{BASE}?direct=1&chatid=5&lang=fr",
    ]
    text_link, html_link = links
    assert text_link.location.kind == "eml"
    # Encoded parts: the location is the part's first body line in the file, and
    # the part name says where the link is in the decoded text.
    first_body_line = raw.splitlines().index("Content-Transfer-Encoding: base64") + 3
    assert (text_link.location.line, text_link.location.column) == (first_body_line, 1)
    assert text_link.location.part == "part 2 text/plain, decoded line 2 column 12"
    html_body_line = raw.splitlines().index("Content-Transfer-Encoding: quoted-printable") + 3
    assert (html_link.location.line, html_link.location.column) == (html_body_line, 1)
    assert html_link.location.part == "part 3 text/html, decoded line 2 column 13"


def test_a_part_written_as_it_is_is_located_in_the_file(tmp_path: Path) -> None:
    message = (
        "From: a@example.com\r\n"
        "Subject: hi\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b1"\r\n'
        "\r\n"
        "preamble\r\n"
        "--b1\r\n"
        'Content-Type: multipart/alternative; boundary="b2"\r\n'
        "\r\n"
        "--b2\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "Content-Transfer-Encoding: 7bit\r\n"
        "\r\n"
        "Hello\r\n"
        f"  see {BASE}?direct=1&chatid=7 please\r\n"
        "--b2--\r\n"
        "--b1--\r\n"
    )
    path = tmp_path / "plain.eml"
    path.write_bytes(message.encode("ascii"))
    [link] = [item for item in extract_path(path) if isinstance(item, ExtractedLink)]
    assert (link.location.line, link.location.column) == position_of(message.replace(
        "\r\n", "\n"), "https://")
    assert link.location.part == "part 3 text/plain"
    assert link.verbatim
