"""Language (DL2xx) and SDK (DL6xx) rules: exact messages, spans, fixes and near misses."""

from __future__ import annotations

import pytest

from validator import Config, check
from validator.model import Finding

B = "https://visitorchat.twt.com/direct/demo_app"
LANGS = "zh-cn zh-tw en ja ko de fr pt ru"
# An everyday link is answered by the engine's screen; a fragment sends it to the full rules.
TAILS = pytest.mark.parametrize("tail", ["", "#top"])


def only(url: str, code: str, **options: object) -> list[Finding]:
    return [f for f in check(url, **options).findings if f.code == code]  # type: ignore[arg-type]


@TAILS
def test_unsupported_lang_names_the_browser_language_it_falls_back_to(tail: str) -> None:
    [finding] = only(f"{B}?lang=xx{tail}", "DL201", accept_language="ja")
    assert finding.severity == "warning"
    assert finding.param == "lang"
    assert finding.span == (49, 51)
    assert finding.fix is None
    assert finding.message == (
        f"lang='xx' is not supported by the default profile ({LANGS}); assuming the page "
        "ignores it, it shows 日本語 (ja, the browser's language)"
    )


@TAILS
def test_unsupported_lang_without_a_browser_language_says_fallback(tail: str) -> None:
    [finding] = only(f"{B}?lang=xx{tail}", "DL201")
    assert finding.message.endswith("it shows English (en, fallback)")


@TAILS
def test_unsupported_lang_with_an_unknown_browser_language_falls_back(tail: str) -> None:
    [finding] = only(f"{B}?lang=xx{tail}", "DL201", accept_language="xx-YY")
    assert finding.message.endswith("it shows English (en, fallback)")


@TAILS
def test_supported_normalisable_and_empty_langs_are_not_unsupported(tail: str) -> None:
    for query in ("lang=ja", "lang=pt-BR", "lang=EN", "lang=", "lang"):
        assert only(f"{B}?{query}{tail}", "DL201") == []


@TAILS
def test_unsupported_lang_names_the_profile(tail: str) -> None:
    [finding] = only(f"{B}?lang=ja{tail}", "DL201", config=Config(profile="legacy"))
    assert finding.message == (
        "lang='ja' is not supported by the legacy profile (zh-cn zh-tw en); assuming the page "
        "ignores it, it shows English (en, fallback)"
    )


@TAILS
def test_non_canonical_lang_rewrites_to_the_code(tail: str) -> None:
    [finding] = only(f"{B}?lang=zh_CN{tail}", "DL202")
    assert finding.severity == "warning"
    assert finding.param == "lang"
    assert finding.span == (49, 54)
    assert finding.message == "lang='zh_CN' is not a documented code; write 'zh-cn'"
    assert finding.fix is not None
    assert finding.fix.description == "write lang=zh-cn"
    assert finding.fix.safe is True
    assert finding.fix.edits == (("lang", "zh-cn"),)
    assert finding.fix.replacements == (((49, 54), "zh-cn"),)


@TAILS
def test_upper_case_lang_is_non_canonical(tail: str) -> None:
    [finding] = only(f"{B}?lang=EN{tail}", "DL202")
    assert finding.message == "lang='EN' is not a documented code; write 'en'"
    assert finding.fix is not None
    assert finding.fix.replacements == (((49, 51), "en"),)


@TAILS
def test_canonical_unknown_and_empty_langs_are_not_non_canonical(tail: str) -> None:
    for query in ("lang=ja", "lang=xx", "lang=", "lang"):
        assert only(f"{B}?{query}{tail}", "DL202") == []


def test_empty_lang_alone_is_dropped() -> None:
    [finding] = only(f"{B}?lang=", "DL203")
    assert finding.severity == "warning"
    assert finding.param == "lang"
    assert finding.span == (44, 49)
    assert finding.message == "lang is empty: the page uses the browser's language"
    assert finding.fix is not None
    assert finding.fix.description == "drop the empty lang"
    assert finding.fix.safe is True
    assert finding.fix.edits == (("lang", None),)
    assert finding.fix.replacements == (((44, 49), ""),)


def test_empty_lang_before_a_second_lang_has_no_fix() -> None:
    [finding] = only(f"{B}?lang=&lang=ja", "DL203")
    assert finding.span == (44, 49)
    assert finding.fix is None


def test_empty_lang_after_a_set_lang_is_not_reported() -> None:
    assert only(f"{B}?lang=ja&lang=", "DL203") == []
    assert only(f"{B}?lang=ja", "DL203") == []
    assert only(B, "DL203") == []


def test_forbidden_sdk_params_are_each_reported_with_an_unsafe_drop() -> None:
    findings = only(f"{B}?source=ios&x=1&visitor_id=2", "DL601")
    assert [(f.param, f.span, f.message) for f in findings] == [
        ("source", (44, 54), "source must not be sent (SDK documentation)"),
        ("visitor_id", (59, 71), "visitor_id must not be sent (SDK documentation)"),
    ]
    assert all(f.severity == "warning" for f in findings)
    first, second = (f.fix for f in findings)
    assert first is not None and second is not None
    assert (first.description, first.safe) == ("drop source", False)
    assert first.edits == (("source", None),)
    assert first.replacements == (((44, 55), ""),)
    assert (second.description, second.safe) == ("drop visitor_id", False)
    assert second.replacements == (((58, 71), ""),)


def test_other_params_are_not_forbidden() -> None:
    assert only(f"{B}?sources=ios&visitor=2&theme=dark", "DL601") == []


def test_theme_differing_by_case_and_spaces_gets_an_unsafe_lower_case_fix() -> None:
    [finding] = only(f"{B}?theme=%20Dark%20", "DL602")
    assert finding.severity == "warning"
    assert finding.param == "theme"
    assert finding.span == (50, 60)
    assert finding.message == "theme=' Dark ' is not one of dark, light, system"
    assert finding.fix is not None
    assert (finding.fix.description, finding.fix.safe) == ("write theme=dark", False)
    assert finding.fix.edits == (("theme", "dark"),)
    assert finding.fix.replacements == (((50, 60), "dark"),)


def test_unknown_theme_has_no_fix() -> None:
    [finding] = only(f"{B}?theme=blue", "DL602")
    assert finding.span == (50, 54)
    assert finding.message == "theme='blue' is not one of dark, light, system"
    assert finding.fix is None


def test_theme_without_a_value_is_marked_whole_and_has_no_fix() -> None:
    [finding] = only(f"{B}?theme", "DL602")
    assert finding.span == (44, 49)
    assert finding.message == "theme='' is not one of dark, light, system"
    assert finding.fix is None


def test_documented_themes_are_accepted() -> None:
    for theme in ("light", "dark", "system"):
        assert only(f"{B}?theme={theme}", "DL602") == []
    assert only(B, "DL602") == []


def test_is_app_other_than_one_is_reported() -> None:
    [finding] = only(f"{B}?is_app=true", "DL603")
    assert finding.severity == "warning"
    assert finding.param == "is_app"
    assert finding.span == (51, 55)
    assert finding.message == "is_app='true' is not 1"
    assert finding.fix is None
    [bare] = only(f"{B}?is_app", "DL603")
    assert bare.span == (44, 50)
    assert bare.message == "is_app='' is not 1"


def test_is_app_one_or_absent_is_accepted() -> None:
    assert only(f"{B}?is_app=1", "DL603") == []
    assert only(B, "DL603") == []
