"""CSV/TSV cells, JSON and JSON Lines with JSON paths, Markdown destinations."""

from __future__ import annotations

from pathlib import Path

from extract_helpers import position_of

from validator.extract import ExtractedLink, extract_path, extract_text

BASE = "https://visitorchat.twt.com/direct/demo_app"


def links_in(path: Path) -> list[ExtractedLink]:
    return [item for item in extract_path(path) if isinstance(item, ExtractedLink)]


def test_csv_any_column_quoted_and_multiline_cells(tmp_path: Path) -> None:
    text = (
        "id,customer,note,link\n"
        f'1,Ann,"plain",{BASE}?chatid=1\n'
        f'2,"Bo, Jr.","multi\nline note {BASE}?chatid=2",""\n'
        f'3,Cy,x,"{BASE}?chatid=3&name=""Cy"""\n'
    )
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    result = links_in(path)
    assert [link.url for link in result] == [
        f"{BASE}?chatid=1",
        f"{BASE}?chatid=2",
        f'{BASE}?chatid=3&name="Cy"',
    ]
    assert [(link.location.line, link.location.column) for link in result] == [
        position_of(text, f"{BASE}?chatid=1"),
        position_of(text, f"{BASE}?chatid=2"),
        position_of(text, f"{BASE}?chatid=3"),
    ]
    assert result[0].location.part == "row 2, column 4 'link'"
    assert result[1].location.part == "row 3, column 3 'note'"
    assert result[1].location.line == 4
    assert not result[2].verbatim


def test_tsv(tmp_path: Path) -> None:
    text = f"a\tb\nx\t{BASE}?chatid=9\n"
    path = tmp_path / "export.tsv"
    path.write_text(text, encoding="utf-8")
    [link] = links_in(path)
    assert (link.location.line, link.location.column, link.location.kind) == (2, 3, "tsv")
    assert link.location.part == "row 2, column 2 'b'"


def test_json_string_values_with_json_path(tmp_path: Path) -> None:
    text = (
        '{\n  "campaign": "spring",\n  "links": [\n'
        f'    {{"url": "{BASE}?chatid=1"}},\n'
        '    {"url": "https:\\/\\/visitorchat.twt.com\\/direct\\/demo_app'
        '?chatid=2\\u0026lang=en"}\n'
        "  ],\n"
        f'  "odd key": {{"nested": ["see {BASE}?chatid=3"]}}\n'
        "}\n"
    )
    path = tmp_path / "links.json"
    path.write_text(text, encoding="utf-8")
    result = links_in(path)
    assert [link.url for link in result] == [
        f"{BASE}?chatid=1", f"{BASE}?chatid=2&lang=en", f"{BASE}?chatid=3"
    ]
    assert [link.location.json_path for link in result] == [
        "$.links[0].url", "$.links[1].url", "$['odd key'].nested[0]"
    ]
    assert [(link.location.line, link.location.column) for link in result] == [
        (4, 14), (5, 14), position_of(text, f"{BASE}?chatid=3")
    ]


def test_jsonl_records_each_with_its_line(tmp_path: Path) -> None:
    text = (
        f'{{"event": "sent", "link": "{BASE}?chatid=1"}}\n'
        '{"event": "noise"}\n'
        f'{{"event": "sent", "meta": {{"links": ["x", "{BASE}?chatid=2"]}}}}\n'
    )
    path = tmp_path / "events.jsonl"
    path.write_text(text, encoding="utf-8")
    result = links_in(path)
    assert [(link.location.line, link.location.json_path) for link in result] == [
        (1, "$.link"), (3, "$.meta.links[1]")
    ]
    assert result[1].location.column == position_of(text, f"{BASE}?chatid=2")[1]


def test_broken_json_still_reports_its_links() -> None:
    text = f'{{"a": "{BASE}?chatid=1", "b": [tru'
    [link] = list(extract_text(text, path="bad.json", kind="json"))
    assert link.location.json_path == "$.a"


def test_markdown_destinations_are_decoded_as_commonmark_does() -> None:
    text = (
        "# Contact\n\n"
        f"[Chat with us]({BASE}?direct=1&amp;chatid=5 \"title\") or <{BASE}?chatid=6>.\n\n"
        f"[ref]: {BASE}?chatid=7&amp;lang=de\n\n"
        f"Bare: {BASE}?chatid=8&amp;x=1.\n"
    )
    result = list(extract_text(text, path="README.md", kind="markdown"))
    assert [item.url for item in result] == [
        f"{BASE}?direct=1&chatid=5",
        f"{BASE}?chatid=6",
        f"{BASE}?chatid=7&lang=de",
        f"{BASE}?chatid=8&amp;x=1",
    ]
    assert [(item.location.line, item.location.column) for item in result] == [
        (3, 16), position_of(text, f"{BASE}?chatid=6"), (5, 8), (7, 7)
    ]
