"""QR images: several codes per image, and the round trip from ``directlink build --qr``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from validator.cli import cli
from validator.extract import ExtractedLink, ReadLog, extract_path, read_path
from validator.extract.qr import ImageError

segno = pytest.importorskip("segno")
Image = pytest.importorskip("PIL.Image")

BASE = "https://visitorchat.twt.com/direct/demo_app"


def qr_image(text: str) -> object:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=5)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def test_two_codes_in_one_image_in_reading_order(tmp_path: Path) -> None:
    left, right = qr_image(f"{BASE}?chatid=1"), qr_image(f"{BASE}?chatid=2&lang=ja")
    poster = Image.new("RGB", (left.width + right.width + 40, max(left.height, right.height) + 60),
                       "white")
    poster.paste(right, (left.width + 40, 60))
    poster.paste(left, (0, 0))
    path = tmp_path / "poster.png"
    poster.save(path)
    links = [item for item in extract_path(path) if isinstance(item, ExtractedLink)]
    assert [link.url for link in links] == [f"{BASE}?chatid=1", f"{BASE}?chatid=2&lang=ja"]
    assert all(link.location.kind == "qr" for link in links)
    assert links[0].location.part is not None and links[0].location.part.startswith("QRCode 1 of 2")
    assert links[1].location.part is not None and links[1].location.part.startswith("QRCode 2 of 2")


def test_a_code_that_is_no_direct_link_is_not_reported(tmp_path: Path) -> None:
    path = tmp_path / "wifi.png"
    qr_image("WIFI:S:guest;T:WPA;P:secret;;").save(path)  # type: ignore[attr-defined]
    assert list(extract_path(path)) == []


def test_an_image_that_is_not_an_image_is_unreadable_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "broken.png"
    path.write_bytes(b"not a png at all")
    with pytest.raises(ImageError):
        list(extract_path(path))
    log = ReadLog()
    assert list(read_path(path, log)) == []
    assert log.status == "unreadable"
    assert log.reason == "not an image this reader decodes (16 bytes in no format among PNG," \
        " JPEG, GIF, BMP, WEBP)"


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_build_qr_round_trip_through_the_audit(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"chat{suffix}"
    result = CliRunner().invoke(cli, ["build", "--app-id", "demo_app", "--chat-id", "42",
                                      "--lang", "de", "--qr", str(target)])
    assert result.exit_code == 0, result.output
    link = result.output.strip()
    assert target.exists()
    if suffix == ".svg":
        assert target.read_text(encoding="utf-8").lstrip().startswith("<?xml")
        return
    audit = CliRunner().invoke(cli, ["audit", str(target), "--format", "jsonl", "--jobs", "1"])
    assert audit.exit_code == 0, audit.output
    first = audit.output.splitlines()[0]
    assert f'"url":"{link}"' in first
    assert '"kind":"qr"' in first


def test_build_qr_rejects_other_image_types(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--app-id", "demo_app", "--qr",
                                      str(tmp_path / "x.gif")])
    assert result.exit_code == 2
    assert "png or .svg" in result.output
    assert "https://" not in result.output
