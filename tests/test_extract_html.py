"""HTML: html5lib decodes character references as a browser does; locations are exact."""

from __future__ import annotations

from extract_helpers import position_of

from validator.extract import ExtractedLink, OpaqueLink, extract_text

BASE = "https://visitorchat.twt.com/direct/demo_app"


def found(html: str) -> list[ExtractedLink | OpaqueLink]:
    return list(extract_text(html, path="t.html", kind="html"))


def test_amp_entity_in_href_is_an_ampersand() -> None:
    html = f'<p>\n  <a class="btn" href="{BASE}?direct=1&amp;chatid=42&amp;lang=en">Chat</a>\n</p>'
    [link] = found(html)
    assert isinstance(link, ExtractedLink)
    assert link.url == f"{BASE}?direct=1&chatid=42&lang=en"
    assert (link.location.line, link.location.column) == position_of(html, "https://")
    assert (link.location.line, link.location.column) == (2, 24)
    assert not link.verbatim


def test_bare_lang_and_copy_in_an_attribute_are_not_entities() -> None:
    # "&lang" and "&copy" would be character references, but in an attribute a
    # reference without ";" followed by "=" is left alone (HTML "historical reasons").
    html = f'<a href="{BASE}?direct=1&chatid=1&lang=en&copy=2&not=3">x</a>'
    [link] = found(html)
    assert isinstance(link, ExtractedLink)
    assert link.url == f"{BASE}?direct=1&chatid=1&lang=en&copy=2&not=3"
    assert link.verbatim


def test_legacy_entity_in_text_is_decoded_as_the_browser_shows_it() -> None:
    html = f"<p>Open {BASE}?chatid=1&copy=2 now</p>"
    [link] = found(html)
    assert isinstance(link, ExtractedLink)
    assert link.url == f"{BASE}?chatid=1\u00a9=2"
    assert (link.location.line, link.location.column) == (1, 9)


def test_entity_with_semicolon_in_attribute_is_decoded() -> None:
    html = f'<a href="{BASE}?chatid=1&lang;x=1">x</a>'
    [link] = found(html)
    assert isinstance(link, ExtractedLink)
    assert link.url == f"{BASE}?chatid=1\u27e8x=1"


def test_src_iframe_meta_refresh_and_link_text() -> None:
    html = (
        "<!DOCTYPE html>\n<html><head>\n"
        f'<meta http-equiv="refresh" content="0; url={BASE}?chatid=1">\n'
        "</head><body>\n"
        f'<iframe src="{BASE}?chatid=2" width="400"></iframe>\n'
        f'<img src="{BASE}?chatid=3">\n'
        f"<a href=\"https://example.com/\">{BASE}?chatid=4</a>\n"
        f'<a href="{BASE}?chatid=5">{BASE}?chatid=5</a>\n'
        "</body></html>\n"
    )
    result = found(html)
    urls = [item.url for item in result]
    assert urls == [f"{BASE}?chatid={n}" for n in (1, 2, 3, 4, 5)]
    positions = [(item.location.line, item.location.column) for item in result]
    assert positions == [position_of(html, f"{BASE}?chatid={n}") for n in (1, 2, 3, 4, 5)]


def test_script_is_raw_text_and_json_escapes_are_decoded() -> None:
    html = (
        "<script>\nvar u = \"https:\\/\\/visitorchat.twt.com\\/direct\\/demo_app"
        "?direct=1\\u0026chatid=8&amp;x\";\n</script>"
    )
    [link] = found(html)
    assert link.url == f"{BASE}?direct=1&chatid=8&amp;x"
    assert (link.location.line, link.location.column) == (2, 10)


def test_outlook_conditional_comment_buttons_are_read() -> None:
    html = (
        "<body>\n<!--[if mso]>\n"
        f'<v:roundrect href="{BASE}?direct=1&amp;chatid=3" arcsize="10%">\n'
        "<![endif]-->\n</body>"
    )
    [link] = found(html)
    assert link.url == f"{BASE}?direct=1&chatid=3"
    assert (link.location.line, link.location.column) == (3, 20)


def test_crlf_line_endings_keep_line_numbers() -> None:
    html = f'<p>a</p>\r\n<p>b</p>\r\n<a href="{BASE}?chatid=1">c</a>'
    [link] = found(html)
    assert (link.location.line, link.location.column) == (3, 10)


def test_safe_links_wrapped_href_is_unwrapped() -> None:
    wrapped = (
        "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fvisitorchat.twt.com"
        "%2Fdirect%2Fdemo_app%3Fdirect%3D1%26chatid%3D77&amp;data=05%7C01&amp;reserved=0"
    )
    [link] = found(f'<a href="{wrapped}">chat</a>')
    assert isinstance(link, ExtractedLink)
    assert link.url == f"{BASE}?direct=1&chatid=77"
    assert link.wrappers == ("outlook-safe-links",)
    assert link.wrapped_url is not None and link.wrapped_url.startswith("https://eur01.")
