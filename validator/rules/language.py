"""DL2xx: the ``lang`` parameter."""

from __future__ import annotations

from collections.abc import Iterator

from validator import spec
from validator.model import Finding, Fix, Span
from validator.resolve import normalise_language
from validator.rules import signals
from validator.rules.base import LinkContext, Rule, drop_param_fix, value_span


class UnsupportedLang(Rule):
    """``lang`` is not a code of the profile and does not normalise to one."""

    code = "DL201"
    name = "unsupported-lang"
    severity = "warning"
    family = "language"
    triggers = frozenset({signals.LANG_ISSUE})
    summary = "lang not in the profile and not normalisable; says what the page falls back to"
    why = (
        "The page shows the documented languages only. For any other lang the documentation "
        "does not say what happens; the model assumes the page ignores it and uses the "
        "browser's language, else English, which is rarely what the link's author wanted."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?lang=xx"
    good = "https://visitorchat.twt.com/direct/demo_app?lang=ja"

    def check(self, context: LinkContext) -> Iterator[Finding]:
        param = context.param(spec.LANG)
        if param is None or not param.value:
            return
        languages = context.config.languages
        if normalise_language(param.value, languages) is not None:
            return
        outcome = context.browser
        shown = spec.LANGUAGE_NAMES.get(outcome.language, outcome.language)
        source = "the browser's language" if outcome.language_source == "browser" else "fallback"
        yield self.finding(
            f"lang={param.value!r} is not supported by the {context.config.profile} profile "
            f"({' '.join(languages)}); assuming the page ignores it, it shows {shown} "
            f"({outcome.language}, {source})",
            value_span(param),
            param=spec.LANG,
        )


class NonCanonicalLang(Rule):
    """``lang`` stands for a supported code but is not written as that code."""

    code = "DL202"
    name = "non-canonical-lang"
    severity = "warning"
    family = "language"
    triggers = frozenset({signals.LANG_ISSUE})
    summary = "lang normalises to a supported code (pt-BR→pt, ZH-CN/zh_CN→zh-cn, en-US→en)"
    why = (
        "The documentation promises only the listed codes. The page probably normalises "
        "pt-BR, zh_CN or en-US the way it normalises the browser's language, but nothing "
        "guarantees it; the canonical code always works."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?lang=pt-BR"
    good = "https://visitorchat.twt.com/direct/demo_app?lang=pt"
    fixable = True
    fix_description = "Rewrite lang to its canonical code."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        param = context.param(spec.LANG)
        if param is None or not param.value:
            return
        code = normalise_language(param.value, context.config.languages)
        if code is None or code == param.value:
            return
        message, fix = self.message_and_fix(param.value, param.value_span, code)
        yield self.finding(message, value_span(param), param=spec.LANG, fix=fix)

    def message_and_fix(self, value: str, span: Span, code: str) -> tuple[str, Fix]:
        """The message for ``lang=value`` (its value at ``span``) standing for ``code``."""
        fix = self.make_fix(f"write lang={code}", [(span, code)], [(spec.LANG, code)])
        return f"lang={value!r} is not a documented code; write {code!r}", fix


class EmptyLang(Rule):
    """``lang=`` with no value sets no language."""

    code = "DL203"
    name = "empty-lang"
    severity = "warning"
    family = "language"
    triggers = frozenset({signals.LANG_ISSUE})
    summary = "lang= with no value"
    why = (
        "An empty lang sets nothing: the page uses the browser's language. Usually a "
        "template variable that was empty; drop the parameter or give a code."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?lang=&direct=1&chatid=s1"
    good = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1"
    fixable = True
    fix_description = "Drop the empty lang."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        param = context.param(spec.LANG)
        if param is None or param.value:
            return
        # With a second lang further on, dropping this one would hand the page that one.
        alone = len(link.params_named(spec.LANG)) == 1
        yield self.finding(
            "lang is empty: the page uses the browser's language",
            param.span,
            param=spec.LANG,
            fix=drop_param_fix(self, link, param, "drop the empty lang") if alone else None,
        )


RULES: tuple[Rule, ...] = (UnsupportedLang(), NonCanonicalLang(), EmptyLang())
