"""Hostile files: each is written at run time and read under the failure guard.

Every case ends in a status (audited, partial, unreadable, skipped) with a
one-line reason, never a traceback, and every link the file holds that can
be read is found.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hostile_cases import (
    GIF_CUT_IN_ITS_PIXELS,
    SVG,
    big_eml,
    bomb_png,
    csv_with_huge_cell,
    deep_html,
    deep_json,
    eml_multipart_without_boundary,
    eml_with_image_parts,
    gif_named_png,
    link,
    log_with_stray_latin1_byte,
    png_declaring,
    sparse_file,
    utf16_log_with_lone_surrogate,
    utf32_log,
    write,
)

from validator import spec
from validator.extract import (
    ExtractedLink,
    Found,
    ReadBudget,
    ReadLog,
    describe_failure,
    extract_text,
    read_path,
    shown_path,
)

_REPR = re.compile(r"<[^>]* at 0x[0-9a-f]+>|object at 0x")


def read(path: Path, budget: ReadBudget | None = None) -> tuple[list[str], ReadLog]:
    log = ReadLog()
    items: list[Found] = list(read_path(path, log, budget=budget or ReadBudget()))
    assert_one_line(log.reason)
    return [item.url for item in items if isinstance(item, ExtractedLink)], log


def assert_one_line(reason: str | None) -> None:
    if reason is None:
        return
    assert "\n" not in reason and "\r" not in reason
    assert not _REPR.search(reason), reason
    assert len(reason) <= 400


# Images ---------------------------------------------------------------------------------


def test_a_png_declaring_20000_squared_pixels_is_refused_before_decoding(tmp_path: Path) -> None:
    path = bomb_png(tmp_path)
    assert path.stat().st_size < 64 * 1024
    urls, log = read(path)
    assert (urls, log.status) == ([], "unreadable")
    assert log.reason == "image of 400,000,000 pixels is over the 50,000,000 pixel budget;" \
        " not decoded"


def test_a_13000_squared_png_is_refused_by_the_pixel_budget(tmp_path: Path) -> None:
    path = write(tmp_path, "poster.png", png_declaring(13000, 13000))
    urls, log = read(path)
    assert (urls, log.status) == ([], "unreadable")
    assert log.reason is not None and "pixel budget" in log.reason


def test_the_pixel_budget_is_the_callers(tmp_path: Path) -> None:
    path = write(tmp_path, "small.png", png_declaring(200, 100))
    _, log = read(path, ReadBudget(image_pixels=19_999))
    assert log.reason == "image of 200x100 pixels is over the 19,999 pixel budget; not decoded"
    _, log = read(path, ReadBudget(image_pixels=20_000))
    assert log.status == "audited"


def test_a_two_gigabyte_png_is_not_read(tmp_path: Path) -> None:
    path = sparse_file(tmp_path, "huge.png", 2 << 30, png_declaring(10, 10))
    urls, log = read(path)
    assert (urls, log.status) == ([], "unreadable")
    assert log.reason == "image of 2 GiB is over the 64 MiB image budget; not read"


@pytest.mark.parametrize("data", [b"GIF87a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00",
                                  GIF_CUT_IN_ITS_PIXELS, b"", b"\x89PNG\r\n\x1a\n" + b"\x00" * 21])
def test_a_broken_image_is_unreadable_with_a_reason(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "logo.png", data)
    urls, log = read(path)
    assert (urls, log.status) == ([], "unreadable")
    assert log.reason


def test_a_29_byte_gif_named_png_is_unreadable(tmp_path: Path) -> None:
    path = gif_named_png(tmp_path)
    assert path.stat().st_size == 29
    urls, log = read(path)
    assert (urls, log.status) == ([], "unreadable")
    assert log.reason == "not an image this reader decodes (29 bytes in no format among PNG," \
        " JPEG, GIF, BMP, WEBP)"


# E-mail ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("content_type", "data", "reason"), [
    ("image/svg+xml", SVG, "SVG is drawn, not decoded"),
    ("image/png", b"this is no image", "16 bytes in no format"),
    ("image/gif", GIF_CUT_IN_ITS_PIXELS, "damaged image"),
    ("image/png", png_declaring(20000, 20000), "pixel budget"),
])
def test_an_eml_image_part_that_fails_costs_that_part_only(
    tmp_path: Path, content_type: str, data: bytes, reason: str
) -> None:
    path = eml_with_image_parts(tmp_path, [(content_type, data)])
    urls, log = read(path)
    assert urls == [link(1), link(2)]
    assert log.status == "partial"
    assert log.reason is not None
    assert log.reason.startswith(f"part 3 {content_type}: ")
    assert reason in log.reason


def test_two_failing_parts_are_both_counted(tmp_path: Path) -> None:
    path = eml_with_image_parts(tmp_path, [("image/svg+xml", SVG), ("image/png", b"junk")])
    urls, log = read(path)
    assert urls == [link(1), link(2)]
    assert log.status == "partial"
    assert len(log.problems) == 2
    assert log.reason is not None and log.reason.endswith("; and 1 more problem")


def test_a_multipart_part_without_a_boundary_is_read_as_text(tmp_path: Path) -> None:
    urls, log = read(eml_multipart_without_boundary(tmp_path))
    assert (urls, log.status) == ([link(1)], "audited")


def test_an_eml_part_over_the_part_budget_is_read_up_to_it(tmp_path: Path) -> None:
    noise = bytes(range(256)) * 3200  # 800 KiB, base64 1.1 MiB
    path = eml_with_image_parts(tmp_path, [("image/png", noise)])
    urls, log = read(path, ReadBudget(email_part_bytes=512 * 1024))
    assert urls == [link(1), link(2)]
    assert (log.status, log.reason) == (
        "partial", "part 3 image/png: body of 1.1 MiB is over the 512 KiB part budget; not read")
    text_cut = big_eml(tmp_path / "cut", 0, links=1000)
    urls, log = read(text_cut, ReadBudget(email_part_bytes=4096))
    assert 0 < len(urls) < 1000
    assert log.status == "partial"
    assert log.reason is not None and "the first 4 KiB read" in log.reason


def test_attachments_are_passed_over_whatever_their_size(tmp_path: Path) -> None:
    path = big_eml(tmp_path, 3 << 20, links=100)
    urls, log = read(path, ReadBudget(email_part_bytes=1 << 20))
    assert (urls, log.status) == ([link(n) for n in range(101)], "audited")


# Tables, text and decoding -----------------------------------------------------------------


def test_a_csv_cell_over_128_kib_ends_tabular_reading_and_loses_no_link(tmp_path: Path) -> None:
    urls, log = read(csv_with_huge_cell(tmp_path))
    assert urls == [link(1), link(2), link(3)]
    assert log.status == "partial"
    assert log.reason == "row 3: csv error: field larger than field limit (131072);" \
        " the rest read as text"


def test_a_utf16_log_with_a_lone_surrogate_keeps_every_link(tmp_path: Path) -> None:
    urls, log = read(utf16_log_with_lone_surrogate(tmp_path))
    assert log.status == "audited"
    assert urls == [link(n) for n in range(1000)]


def test_a_utf32_log_is_read(tmp_path: Path) -> None:
    urls, _ = read(utf32_log(tmp_path))
    assert urls == [link(n) for n in range(50)]


def test_one_stray_latin1_byte_changes_that_byte_only(tmp_path: Path) -> None:
    path = log_with_stray_latin1_byte(tmp_path)
    assert path.stat().st_size > 300_000
    urls, _ = read(path)
    assert urls == [link(1, chat="José")]


def test_undefined_cp1252_bytes_are_kept_as_c1_controls() -> None:
    from validator.extract.text import decode_bytes

    assert decode_bytes(b"a\x81b\x80c")[0] == "a\x81b\u20acc"


# Depth ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["div", "b", "a", "table", "span"])
def test_html_nested_deeper_than_the_cap_keeps_every_link(tmp_path: Path, tag: str) -> None:
    urls, log = read(deep_html(tmp_path, 10_000, tag))
    assert log.status == "audited"
    assert urls == [link(1), link(2), link(3), link(4)]


def test_html_under_the_cap_is_read_as_before(tmp_path: Path) -> None:
    urls, _ = read(deep_html(tmp_path, spec.MAX_HTML_DEPTH // 2))
    assert urls == [link(1), link(2), link(3), link(4)]


def test_raw_text_elements_past_the_cap_still_switch_the_tokenizer() -> None:
    deep = "<div>" * (spec.MAX_HTML_DEPTH + 10)
    text = (deep + '<textarea><a href="https://x.example/">no tag here</a></textarea>'
            + f'<a href="{link(1)}">x</a>')
    urls = [item.url for item in extract_text(text, kind="html")
            if isinstance(item, ExtractedLink)]
    assert urls == [link(1)]


def test_json_100k_deep_with_2000_links_has_short_paths(tmp_path: Path) -> None:
    urls, log = read(deep_json(tmp_path, 100_000, 2000))
    assert log.status == "audited"
    assert urls == [link(n) for n in range(2000)]
    items = list(read_path(tmp_path / "deep-100000.json", ReadLog()))
    path = items[0].location.json_path
    # 100,001 steps (the arrays and the object): the first 8 and the last 40 are written.
    assert path == "$" + "[0]" * 8 + "…(99,953 levels)…" + "[0]" * 39 + ".url0"


# The guard itself ----------------------------------------------------------------------------


def test_any_reader_failure_becomes_a_reason(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import validator.extract.html as html_reader

    def explode(*args: object, **kwargs: object) -> object:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(html_reader, "scan_html", explode)
    path = write(tmp_path, "page.html", b"<p>hi</p>")
    urls, log = read(path)
    assert (urls, log.status, log.reason) == ([], "unreadable", "nested too deeply to read")


def test_a_failure_after_links_makes_the_file_partial() -> None:
    def reader() -> object:
        yield "first"
        raise ValueError("<_io.BytesIO object at 0x7f00deadbeef> went\nwrong")

    from validator.extract.guard import guarded

    log = ReadLog()
    assert list(guarded(reader(), log)) == ["first"]  # type: ignore[call-overload]
    assert log.status == "partial"
    assert log.reason == "ValueError: the data went wrong (after 1 link)"


@pytest.mark.parametrize(("error", "reason"), [
    (MemoryError(), "ran out of memory while reading it"),
    (PermissionError(13, "Permission denied"), "Permission denied"),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
     "cannot decode: invalid start byte"),
    (KeyError("x" * 500), "KeyError: '" + "x" * 188 + "…"),
])
def test_reasons_are_one_short_line(error: Exception, reason: str) -> None:
    assert describe_failure(error) == reason


def test_a_name_that_is_not_utf8_is_shown_with_its_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, b"caf\xe9.log", f"see {link(1)}\n".encode())
    items = list(read_path(path, ReadLog()))
    assert items[0].location.path.endswith("caf\\xe9.log")
    assert shown_path(str(path)).encode("utf-8")
    assert shown_path("plain/é.log") == "plain/é.log"


# The audit goes on ---------------------------------------------------------------------------


def write_hostile_folder(root: Path) -> dict[str, tuple[str, int]]:
    """Every hostile case in one folder: ``{name: (status, links found)}`` expected."""
    bomb_png(root)
    gif_named_png(root)
    write(root, "poster.png", png_declaring(13000, 13000))
    eml_with_image_parts(root / "mail", [("image/svg+xml", SVG)])
    eml_multipart_without_boundary(root / "mail")
    csv_with_huge_cell(root)
    utf16_log_with_lone_surrogate(root)
    log_with_stray_latin1_byte(root)
    write(root, "good.txt", f"{link(1)}\n".encode())
    return {
        "bomb.png": ("unreadable", 0),
        "logo.png": ("unreadable", 0),
        "poster.png": ("unreadable", 0),
        "mail/codes.eml": ("partial", 2),
        "mail/no-boundary.eml": ("audited", 1),
        "export.csv": ("partial", 3),
        "sent.log": ("audited", 1000),
        "legacy.log": ("audited", 1),
        "good.txt": ("audited", 1),
    }


def test_one_hostile_file_costs_that_file_only(tmp_path: Path) -> None:
    from validator.audit import audit

    expected = write_hostile_folder(tmp_path)
    with audit([tmp_path], jobs=1) as result:
        got = {str(Path(p.path).relative_to(tmp_path)): (p.status, p.links)
               for p in result.paths}
        reasons = [p.reason for p in result.paths]
        summary = result.summary
    assert got == expected
    for reason in reasons:
        assert_one_line(reason)
    assert summary.links == sum(links for _, links in expected.values())
    assert (summary.unreadable, summary.partial) == (3, 2)
    assert summary.to_dict()["partial"] == 2


def test_a_split_file_with_one_failing_range_is_partial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import validator.audit.tasks as audit_tasks
    import validator.audit.worker as audit_worker
    from validator.audit import audit

    text = "".join(f"{n} {link(n)}\n" for n in range(400))
    write(tmp_path, "big.log", text.encode())
    monkeypatch.setattr(audit_tasks, "SPLIT_BYTES", 4096)
    real = audit_worker.scan_stream
    calls = []

    def flaky(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise OSError(5, "Input/output error")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(audit_worker, "scan_stream", flaky)
    with audit([tmp_path], jobs=1) as result:
        [entry] = result.paths
    assert (entry.status, entry.reason) == ("partial", "Input/output error")
    assert 0 < entry.links < 400


def test_the_cli_writes_a_whole_report_for_a_name_that_is_not_utf8(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from validator.cli import cli

    folder = tmp_path / "in"
    write(folder, b"caf\xe9-\xff.log", f"see {link(1)}\n".encode())
    bomb_png(folder)
    report = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["audit", str(folder), "--format", "json", "-j", "1",
                                      "-o", str(report)])
    assert result.exit_code == 1, result.output  # the bomb is unreadable: fail closed
    document = json.loads(report.read_text(encoding="utf-8"))
    names = sorted(Path(path["path"]).name for path in document["paths"])
    assert names == ["bomb.png", "caf\\xe9-\\xff.log"]
    assert [Path(r["location"]["path"]).name for r in document["links"]] == ["caf\\xe9-\\xff.log"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "report.json"]


def test_a_report_that_fails_half_way_leaves_the_old_file(tmp_path: Path) -> None:
    from validator.cli.output_file import written_atomically

    target = tmp_path / "report.json"
    target.write_text("old report\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError), written_atomically(str(target)) as stream:
        stream.write('{"path": "')
        stream.write("\udce9")
    assert target.read_text(encoding="utf-8") == "old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]
    with written_atomically(str(target)) as stream:
        stream.write("new report\n")
    assert target.read_text(encoding="utf-8") == "new report\n"


def test_the_audit_and_its_cli_take_the_pixel_budget(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from validator.audit import audit
    from validator.cli import cli

    write(tmp_path, "small.png", png_declaring(200, 100))
    with audit([tmp_path], jobs=1, budget=ReadBudget(image_pixels=19_999)) as result:
        [entry] = result.paths
    assert (entry.status, entry.reason) == (
        "unreadable", "image of 200x100 pixels is over the 19,999 pixel budget; not decoded")
    refused = CliRunner().invoke(cli, ["audit", str(tmp_path), "-j", "1", "--format", "json",
                                       "--max-image-pixels", "19999"])
    assert refused.exit_code == 1, refused.output
    passed = CliRunner().invoke(cli, ["audit", str(tmp_path), "-j", "1", "--format", "json"])
    assert passed.exit_code == 0, passed.output


def test_a_long_json_key_is_cut_in_the_location(tmp_path: Path) -> None:
    key = "[" * 5000
    body = json.dumps({key: [link(n) for n in range(3)], "short": link(3)})
    path = write(tmp_path, "keys.json", body.encode())
    items = list(read_path(path, ReadLog()))
    assert [item.url for item in items] == [link(n) for n in range(4)]
    head = "[" * spec.MAX_JSON_KEY_CHARS
    assert items[0].location.json_path == f"$['{head}…(+4,936 characters)'][0]"
    assert items[3].location.json_path == "$.short"


@pytest.mark.parametrize("command", ["check", "audit"])
def test_every_report_file_is_written_whole_or_named_in_one_line(
    tmp_path: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    import validator.cli.cmd_audit as audit_command
    import validator.cli.cmd_check as check_command
    from validator.cli import cli

    source = write(tmp_path, "links.txt", (link(1) + "\n").encode())
    arguments = [link(1)] if command == "check" else [str(source), "-j", "1"]
    target = tmp_path / "report.json"
    target.write_text("old report\n", encoding="utf-8")

    def half_way(*args: object, **kwargs: object) -> None:
        print('{"half": ')
        raise RuntimeError("the renderer broke")

    monkeypatch.setattr(audit_command, "write_report", half_way)
    monkeypatch.setattr(check_command, "write_report", half_way)
    broken = CliRunner().invoke(cli, [command, *arguments, "--format", "sarif", "-o",
                                      str(target)])
    assert isinstance(broken.exception, RuntimeError)
    assert target.read_text(encoding="utf-8") == "old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["links.txt", "report.json"]

    missing = tmp_path / "no-such-folder" / "report.json"
    refused = CliRunner().invoke(cli, [command, *arguments, "-o", str(missing)])
    assert refused.exit_code == 2
    assert f"cannot write {missing}" in refused.output
    assert "Traceback" not in refused.output


def test_a_bad_image_in_one_mailbox_message_costs_that_part_only(tmp_path: Path) -> None:
    separator = b"From support@example.com Tue Nov 24 09:30:00 2026\n"
    messages = []
    for number, images in enumerate([[], [("image/svg+xml", SVG)], []], start=1):
        folder = tmp_path / f"message-{number}"
        folder.mkdir()
        eml = eml_with_image_parts(folder, images).read_bytes()
        messages.append(separator + eml.replace(b"chatid=c", f"chatid={number}-c".encode()))
    urls, log = read(write(tmp_path, "campaign.mbox", b"\n".join(messages)))
    chats = [url.split("chatid=")[1].split("&")[0] for url in urls]
    assert chats == ["1-c1", "1-c2", "2-c1", "2-c2", "3-c1", "3-c2"]
    assert log.status == "partial"
    assert log.reason is not None and log.reason.startswith(
        "message 2: part 3 image/svg+xml: not an image")
