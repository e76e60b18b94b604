"""Every link planted in a generated file is found: the count per path equals the links planted.

Files of every kind the audit reads, in every encoding it decodes (UTF-8 with
and without a BOM, UTF-16 and UTF-32, stray Latin-1 bytes), each holding a
known number of distinct links; the reader's count, and the audit's count for
the path, must be exactly that number.
"""

from __future__ import annotations

import base64
import json
import quopri
import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from validator.audit import audit
from validator.extract import ExtractedLink, ReadLog, read_path

BASE = "https://visitorchat.twt.com/direct/demo_app"


def planted(number: int) -> str:
    return f"{BASE}?direct=1&chatid=p{number}&lang=en"


def _text(links: list[str], filler: str) -> str:
    return "".join(f"{filler} {n}: sent {url}\n" for n, url in enumerate(links)) + f"{filler}\n"


def _html(links: list[str], filler: str) -> str:
    body = []
    for n, url in enumerate(links):
        escaped = url.replace("&", "&amp;")
        body.append(f'<p>{filler}<a href="{escaped}">chat {n}</a></p>' if n % 2 else
                    f"<div><span>{filler} {escaped}</span></div>")
    return "<!doctype html><html><body>\n" + "\n".join(body) + "\n</body></html>\n"


def _csv(links: list[str], filler: str) -> str:
    rows = [f'"{filler}, {n}",{url}' for n, url in enumerate(links)]
    return "name,link\n" + "".join(row + "\n" for row in rows)


def _json(links: list[str], filler: str) -> str:
    return json.dumps({"note": filler, "items": [{"id": n, "nested": [{"url": url}]}
                                                 for n, url in enumerate(links)]}, indent=1)


def _jsonl(links: list[str], filler: str) -> str:
    return "".join(json.dumps({"n": n, "msg": f"{filler} {url}"}) + "\n"
                   for n, url in enumerate(links))


def _markdown(links: list[str], filler: str) -> str:
    return "".join(f"- [{filler}]({url})\n" if n % 2 else f"- see <{url}>\n"
                   for n, url in enumerate(links))


def _eml(links: list[str], filler: str) -> str:
    half = len(links) // 2
    plain = _text(links[:half], filler)
    html = _html(links[half:], filler)
    encoded_plain = base64.encodebytes(plain.encode("utf-8")).decode("ascii")
    encoded_html = quopri.encodestring(html.encode("utf-8")).decode("ascii")
    return ("From: a@example.com\nSubject: links\nMIME-Version: 1.0\n"
            'Content-Type: multipart/alternative; boundary="SEP"\n\n'
            "--SEP\nContent-Type: text/plain; charset=utf-8\n"
            f"Content-Transfer-Encoding: base64\n\n{encoded_plain}"
            "--SEP\nContent-Type: text/html; charset=utf-8\n"
            f"Content-Transfer-Encoding: quoted-printable\n\n{encoded_html}\n"
            "--SEP--\n")


WRITERS: dict[str, tuple[str, Callable[[list[str], str], str]]] = {
    "text": (".log", _text),
    "html": (".html", _html),
    "csv": (".csv", _csv),
    "json": (".json", _json),
    "jsonl": (".jsonl", _jsonl),
    "markdown": (".md", _markdown),
    "eml": (".eml", _eml),
}
#: Encodings per kind: structured files also come as UTF-16, logs in any of them.
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1 bytes")
FILLERS = ("plain words", "café ünïcode 中文", "tabs\tand 'quotes'", "")


def encoded(text: str, encoding: str) -> bytes:
    if encoding == "latin-1 bytes":
        # UTF-8, with a stray Latin-1 byte before every line: each must cost that byte only.
        return b"".join(b"\xe9" + line.encode("utf-8") for line in text.splitlines(True))
    return text.encode(encoding)


def encodings_for(kind: str) -> tuple[str, ...]:
    if kind == "eml":
        return ("utf-8",)  # a message's parts name their own charsets
    if kind in ("csv", "jsonl", "html", "markdown", "json"):
        return ENCODINGS[:4]
    return ENCODINGS


def write_planted(folder: Path, name: str, kind: str, count: int, encoding: str,
                  filler: str) -> Path:
    suffix, writer = WRITERS[kind]
    path = folder / f"{name}{suffix}"
    path.write_bytes(encoded(writer([planted(n) for n in range(count)], filler), encoding))
    return path


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, int, str, str]:
    kind = draw(st.sampled_from(sorted(WRITERS)))
    return (kind, draw(st.integers(0, 14)), draw(st.sampled_from(encodings_for(kind))),
            draw(st.sampled_from(FILLERS)))


@given(cases())
def test_the_reader_finds_every_planted_link(case: tuple[str, int, str, str]) -> None:
    kind, count, encoding, filler = case
    with tempfile.TemporaryDirectory() as folder:
        path = write_planted(Path(folder), "planted", kind, count, encoding, filler)
        log = ReadLog()
        urls = [item.url for item in read_path(path, log) if isinstance(item, ExtractedLink)]
    assert log.status == "audited", log.reason
    assert sorted(urls) == sorted(planted(n) for n in range(count))


def test_the_audit_counts_links_per_path(tmp_path: Path) -> None:
    expected: dict[str, int] = {}
    for index, kind in enumerate(sorted(WRITERS)):
        for encoding in encodings_for(kind):
            count = 3 + index + len(expected) % 5
            name = f"{kind}-{encoding.replace(' ', '-')}"
            path = write_planted(tmp_path, name, kind, count, encoding, FILLERS[index % 4])
            expected[path.name] = count
    with audit([tmp_path], jobs=1) as result:
        got = {Path(entry.path).name: entry.links for entry in result.paths}
        statuses = {entry.status for entry in result.paths}
        total = result.summary.links
    assert got == expected
    assert statuses == {"audited"}
    assert total == sum(expected.values())
