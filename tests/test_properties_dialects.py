"""The encoding dialects write what the real encoders write, and every dialect decodes back."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from urllib.parse import quote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from node_reference import NODE, NODE_MISSING, node_decode, pairs_of

from validator import build, parse, spec
from validator import strategies as dls
from validator.query import encode_component

# Text a generator may be handed: any Unicode scalar value (no lone surrogates,
# which no encoder accepts), with the characters where the dialects differ.
values = st.text(
    st.one_of(st.characters(codec="utf-8"), st.sampled_from(" +&=#%~*!'()/?:@;,$")),
    max_size=30,
)


@given(values)
def test_python_dialect_is_urllib_quote_plus(value: str) -> None:
    assert dls.PYTHON_URLENCODE.encode(value) == quote_plus(value, safe="")


@given(values)
def test_php_dialect_is_rfc1738_urlencode(value: str) -> None:
    # PHP's urlencode is quote_plus that also encodes "~" (RFC 1738 has no "~").
    expected = quote_plus(value, safe="").replace("~", "%7E")
    assert dls.PHP_HTTP_BUILD_QUERY.encode(value) == expected


@given(values)
def test_java_dialect_is_urlencoder(value: str) -> None:
    # java.net.URLEncoder: "*" stays, "~" is encoded, space is "+".
    expected = quote_plus(value, safe="*").replace("~", "%7E")
    assert dls.JAVA_URL_ENCODER.encode(value) == expected


@given(values)
def test_canonical_and_sdk_dialects_are_the_builders_encoding(value: str) -> None:
    assert dls.CANONICAL.encode(value) == encode_component(value)
    assert dls.SDK_RFC3986.encode(value) == encode_component(value)


@given(values)
def test_lower_hex_differs_from_rfc3986_only_in_hex_case(value: str) -> None:
    lower = dls.LOWER_HEX.encode(value)
    assert lower.upper() == encode_component(value).upper()
    escapes = [lower[i + 1 : i + 3] for i, char in enumerate(lower) if char == "%"]
    assert all(escape == escape.lower() for escape in escapes)


@given(dls.link_specs(dialect="canonical"))
def test_canonical_dialect_is_what_build_writes(link: dls.LinkSpec) -> None:
    keyword = {
        spec.CHATID: "chat_id",
        spec.IS_APP: "is_app",
    }
    arguments: dict[str, object] = {}
    for key, value in link.pairs:
        if key == spec.DIRECT:
            continue
        if key == spec.IS_APP:
            arguments["is_app"] = True
        else:
            arguments[keyword.get(key, key)] = value
    built = build(link.app_id, base=link.base, **arguments)  # type: ignore[arg-type]
    assert built == link.url


@given(dls.link_specs())
def test_every_dialect_decodes_back_to_its_values(link: dls.LinkSpec) -> None:
    parsed = parse(link.url)
    assert parsed.is_url, parsed.error
    assert parsed.app_id == link.app_id
    assert [(p.name, p.value) for p in parsed.params] == list(link.written_pairs)


@given(dls.link_specs(), st.sampled_from(dls.DIALECTS))
def test_dialects_are_interchangeable(link: dls.LinkSpec, other: dls.Dialect) -> None:
    rewritten = replace(link, dialect=other)
    assert sorted((p.name, p.value) for p in parse(rewritten.url).params) == sorted(link.pairs)


@pytest.mark.skipif(NODE is None, reason=NODE_MISSING)
@settings(max_examples=3)
@given(st.lists(values, min_size=20, max_size=40))
def test_js_dialects_match_node(batch: list[str]) -> None:
    """encodeURIComponent and URLSearchParams.toString, run for real in Node."""
    script = (
        "const v=JSON.parse(require('fs').readFileSync(0,'utf8'));"
        "process.stdout.write(JSON.stringify(v.map(s=>"
        "[encodeURIComponent(s), new URLSearchParams([['k',s]]).toString().slice(2)])))"
    )
    assert NODE is not None
    out = subprocess.run(
        [NODE, "-e", script], input=json.dumps(batch).encode(), capture_output=True, check=True
    )
    for value, (component, form) in zip(batch, json.loads(out.stdout), strict=True):
        assert dls.JS_ENCODE_URI_COMPONENT.encode(value) == component
        assert dls.JS_URL_SEARCH_PARAMS.encode(value) == form


@pytest.mark.skipif(NODE is None, reason=NODE_MISSING)
@settings(max_examples=3)
@given(st.lists(st.one_of(dls.link_specs().map(str), dls.mutated_links().map(str)), max_size=40))
def test_dialect_and_mutated_links_decode_as_node_does(batch: list[str]) -> None:
    for url, result in zip(batch, node_decode(batch), strict=True):
        parsed = parse(url)
        # A link is an absolute URL WITH a host (DL001); Node also accepts
        # host-less ones such as "visitorchat.twt.com:1/direct/x" (scheme
        # "visitorchat.twt.com:"), whose query it still reads as we do.
        assert parsed.is_url == (result["ok"] and bool(result["hostname"])), url
        if result["ok"]:
            assert [(p.name, p.value) for p in parsed.params] == pairs_of(result), url
