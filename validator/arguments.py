"""Argument checks at the public API boundary: a wrong type is a ``TypeError`` naming the argument.

The checks of a secret argument live with the type, in
:mod:`validator.signature`, which stands on this module.

Inside the package values are trusted; ``parse``, ``check``, ``build``,
``sign``, ``verify``, ``explain`` and ``fix`` call these first, so ``None``,
an ``int`` or ``bytes`` is never an ``AttributeError`` deep inside, and a lone
surrogate (not text: it has no UTF-8 form) is never a ``UnicodeEncodeError``
while hashing.
"""

from __future__ import annotations

from collections.abc import Iterable


def has_lone_surrogate(text: str) -> bool:
    """True where ``text`` holds a code point U+D800..U+DFFF (the only ones UTF-8 refuses).

    No regular expression: a class over the surrogates takes milliseconds to
    compile, more than a command's whole check.
    """
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def kind_of(value: object) -> str:
    """How an error message names the type of a wrong argument."""
    return "None" if value is None else type(value).__name__


def require_str(function: str, name: str, value: object, *, optional: bool = False) -> None:
    """``value`` must be a ``str`` (or ``None`` where ``optional``)."""
    if isinstance(value, str) or (optional and value is None):
        return
    expected = "a str or None" if optional else "a str"
    raise TypeError(f"{function}() argument {name!r} must be {expected}, not {kind_of(value)}")


def require_text(function: str, name: str, value: object, *, optional: bool = False) -> None:
    """``value`` must be a ``str`` that can be encoded as UTF-8 (no lone surrogate)."""
    require_str(function, name, value, optional=optional)
    if isinstance(value, str) and has_lone_surrogate(value):
        raise ValueError(
            f"{function}() argument {name!r} holds a lone surrogate (U+D800..U+DFFF), "
            "which is not text and has no UTF-8 form"
        )


def require_bool(function: str, name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{function}() argument {name!r} must be a bool, not {kind_of(value)}")


def require_languages(function: str, name: str, value: object) -> None:
    """An Accept-Language header (str), a list of tags, or ``None``."""
    if value is None:
        return
    if isinstance(value, str):
        require_text(function, name, value)
        return
    if isinstance(value, bytes) or not isinstance(value, Iterable):
        raise TypeError(
            f"{function}() argument {name!r} must be an Accept-Language str, a list of "
            f"language tags or None, not {kind_of(value)}"
        )
    for tag in value:
        require_text(function, f"{name} item", tag)


def require_link(function: str, name: str, value: object) -> None:
    """A link: a ``str`` or a parsed :class:`~validator.model.DirectLink`."""
    from validator.model import DirectLink

    if not isinstance(value, str | DirectLink):
        raise TypeError(
            f"{function}() argument {name!r} must be a str or a DirectLink, not {kind_of(value)}"
        )


def require_config(function: str, value: object) -> None:
    from validator.config import Config

    if value is not None and not isinstance(value, Config):
        raise TypeError(f"{function}() argument 'config' must be a Config or None, "
                        f"not {kind_of(value)}")
