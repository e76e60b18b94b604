"""E-mail: every text and HTML part, quoted-printable soft breaks joined, base64 decoded."""

from __future__ import annotations

import base64
from pathlib import Path

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
    links = [item for item in extract_path(path) if isinstance(item, ExtractedLink)]
    assert [link.url for link in links] == [
        f"{BASE}?direct=1&chatid=6",
        f"{BASE}?direct=1&chatid=5&lang=fr",
    ]
    text_link, html_link = links
    assert text_link.location.kind == "eml"
    assert text_link.location.part == "part 2 text/plain"
    assert (text_link.location.line, text_link.location.column) == (2, 12)
    assert html_link.location.part == "part 3 text/html"
    assert (html_link.location.line, html_link.location.column) == (2, 13)
