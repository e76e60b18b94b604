"""DL6xx: parameters the native SDKs forbid or type."""

from __future__ import annotations

from collections.abc import Iterator

from validator import spec
from validator.model import Finding
from validator.rules.base import LinkContext, Rule, drop_param_fix, value_span


class ForbiddenSdkParam(Rule):
    """``visitor_id`` or ``source``: the SDK documentation says never to send them."""

    code = "DL601"
    name = "forbidden-sdk-param"
    severity = "warning"
    family = "sdk"
    triggers = spec.FORBIDDEN_SDK_PARAMS
    summary = "visitor_id or source present"
    why = (
        "The SDK documentation says never to send visitor_id or source: the page manages "
        "visitor identity itself, and a forged visitor_id can attach a visitor to someone "
        "else's history."
    )
    bad = "https://visitorchat.twt.com/direct/demo_app?visitor_id=123&source=ios"
    good = "https://visitorchat.twt.com/direct/demo_app"
    fixable = True
    fix_safe = False
    fix_description = "Drop the parameter (unsafe: whoever added it may rely on it)."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        link = context.link
        for param in link.params:
            if param.name in spec.FORBIDDEN_SDK_PARAMS:
                yield self.finding(
                    f"{param.name} must not be sent (SDK documentation)",
                    param.span,
                    param=param.name,
                    fix=drop_param_fix(self, link, param, f"drop {param.name}"),
                )


class InvalidTheme(Rule):
    """``theme`` not ``light``, ``dark`` or ``system``."""

    code = "DL602"
    name = "invalid-theme"
    severity = "warning"
    family = "sdk"
    triggers = frozenset({spec.THEME})
    summary = "theme not light/dark/system"
    why = "The SDK knows three themes: light, dark and system. Any other value is ignored."
    bad = "https://visitorchat.twt.com/direct/demo_app?theme=Dark"
    good = "https://visitorchat.twt.com/direct/demo_app?theme=dark"
    fixable = True
    fix_safe = False
    fix_description = "Lower-case a theme that differs only by case (unsafe: changes the look)."

    def check(self, context: LinkContext) -> Iterator[Finding]:
        param = context.param(spec.THEME)
        if param is None or param.value in spec.THEMES:
            return
        lowered = param.value.strip().lower()
        fix = None
        if lowered in spec.THEMES and param.raw_value is not None:
            fix = self.make_fix(
                f"write theme={lowered}", [(param.value_span, lowered)], [(spec.THEME, lowered)]
            )
        yield self.finding(
            f"theme={param.value!r} is not one of {', '.join(sorted(spec.THEMES))}",
            value_span(param),
            param=spec.THEME,
            fix=fix,
        )


class InvalidIsApp(Rule):
    """``is_app`` with a value other than ``1``."""

    code = "DL603"
    name = "invalid-is-app"
    severity = "warning"
    family = "sdk"
    triggers = frozenset({spec.IS_APP})
    summary = "is_app present with a value other than 1"
    why = "The SDK writes is_app=1 for an in-app open; other values are not recognised."
    bad = "https://visitorchat.twt.com/direct/demo_app?is_app=true"
    good = "https://visitorchat.twt.com/direct/demo_app?is_app=1"

    def check(self, context: LinkContext) -> Iterator[Finding]:
        param = context.param(spec.IS_APP)
        if param is None or param.value == spec.IS_APP_VALUE:
            return
        yield self.finding(
            f"is_app={param.value!r} is not 1", value_span(param), param=spec.IS_APP
        )


RULES: tuple[Rule, ...] = (ForbiddenSdkParam(), InvalidTheme(), InvalidIsApp())
