"""The AppSecret type and the ``sbs_mm`` signature.

``sbs_mm = md5(md5(sbs + "_" + AppSecret) + "_" + ranstr)``, both digests as
lower-case hex, strings hashed as UTF-8 of the values the page decodes.
``hashlib`` and ``hmac`` load on the first hash: most commands check links
that carry no signature, or without a secret, and start faster without them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from validator.arguments import has_lone_surrogate, kind_of, require_str, require_text

_MASK = "Secret('********')"

# hashlib's md5 and hmac's compare_digest once loaded: an import statement in the
# functions that hash would cost about a thousand instructions on every call.
_md5: Callable[..., Any] | None = None
_compare_digest: Callable[[bytes, bytes], bool] | None = None


def _load_md5() -> Callable[..., Any]:
    global _md5
    import hashlib

    _md5 = hashlib.md5
    return _md5


def _load_compare_digest() -> Callable[[bytes, bytes], bool]:
    global _compare_digest
    import hmac

    _compare_digest = hmac.compare_digest
    return _compare_digest


class Secret:
    """An AppSecret whose text never shows in ``repr``, ``str``, format or logs.

    Use :meth:`reveal` where the value itself is needed (hashing); nothing
    else in the project prints it.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str | Secret) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        if not isinstance(value, str):
            raise TypeError(f"a Secret is made from a str, not {type(value).__name__}")
        if not value:
            raise ValueError("the secret is empty")
        if has_lone_surrogate(value):
            # Not text (a non-UTF-8 byte read with surrogateescape, a "\ud800"
            # JSON escape): it could never be hashed as UTF-8. Not echoed.
            raise ValueError("the secret holds a lone surrogate (U+D800..U+DFFF): not UTF-8 text")
        object.__setattr__(self, "_value", value)

    def reveal(self) -> str:
        """The secret's text. Never print or log it."""
        value: str = object.__getattribute__(self, "_value")
        return value

    def __repr__(self) -> str:
        return _MASK

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return _MASK

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Secret is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        compare = _compare_digest if _compare_digest is not None else _load_compare_digest()
        return compare(self.reveal().encode("utf-8"), other.reveal().encode("utf-8"))

    def __hash__(self) -> int:
        import hashlib

        return hash((Secret, hashlib.sha256(self.reveal().encode("utf-8")).digest()))

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # Worker processes need the value; pickles never reach output.
        return (Secret, (self.reveal(),))

    def __len__(self) -> int:
        return len(self.reveal())


def require_secret(function: str, name: str, value: object, *, optional: bool = False) -> None:
    """``value`` must be a :class:`Secret` or a ``str`` (or ``None`` where ``optional``)."""
    if isinstance(value, Secret | str) or (optional and value is None):
        return
    expected = "a Secret, a str or None" if optional else "a Secret or a str"
    raise TypeError(f"{function}() argument {name!r} must be {expected}, not {kind_of(value)}")


def require_secret_map(function: str, name: str, value: object) -> None:
    """``value`` must be ``None`` or a mapping of app id (str) to Secret/str."""
    if value is None:
        return
    if not isinstance(value, Mapping):
        raise TypeError(
            f"{function}() argument {name!r} must be a mapping of app id to secret, "
            f"not {kind_of(value)}"
        )
    for key, secret in value.items():
        require_str(function, f"{name} key", key)
        require_secret(function, f"{name}[{key!r}]", secret)


def as_secret(secret: Secret | str) -> Secret:
    return secret if isinstance(secret, Secret) else Secret(secret)


def md5_hex(text: str) -> str:
    md5 = _md5 if _md5 is not None else _load_md5()
    digest: str = md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()
    return digest


def inner_digest(sbs: str, secret: Secret | str) -> str:
    """``md5(sbs + "_" + AppSecret)``: itself a credential, never print it whole."""
    return md5_hex(f"{sbs}_{as_secret(secret).reveal()}")


def sign(sbs: str, ranstr: str, secret: Secret | str) -> str:
    """The ``sbs_mm`` the page expects for ``sbs`` and ``ranstr``.

    Raises ``TypeError`` naming an argument of the wrong type, ``ValueError``
    for a value with a lone surrogate (it has no UTF-8 form to hash).
    """
    _require_signing_arguments("sign", sbs, ranstr, secret)
    return _sign(sbs, ranstr, secret)


def _require_signing_arguments(function: str, sbs: object, ranstr: object, secret: object) -> None:
    require_text(function, "sbs", sbs)
    require_text(function, "ranstr", ranstr)
    require_secret(function, "secret", secret)


def _sign(sbs: str, ranstr: str, secret: Secret | str) -> str:
    return md5_hex(f"{inner_digest(sbs, secret)}_{ranstr}")


def verify(sbs: str, ranstr: str, sbs_mm: str, secret: Secret | str) -> bool:
    """True where ``sbs_mm`` is the signature of ``sbs`` and ``ranstr``; constant time."""
    _require_signing_arguments("verify", sbs, ranstr, secret)
    require_str("verify", "sbs_mm", sbs_mm)
    return signs(sbs, ranstr, sbs_mm, secret)


def signs(sbs: str, ranstr: str, sbs_mm: str, secret: Secret | str) -> bool:
    """:func:`verify` for arguments known to be of the right types already (a link's
    decoded values): the same answer without the argument checks."""
    expected = _sign(sbs, ranstr, secret).encode("ascii")
    try:
        given = sbs_mm.encode("ascii")
    except UnicodeEncodeError:
        given = b""
    compare = _compare_digest if _compare_digest is not None else _load_compare_digest()
    return compare(expected, given)


def fingerprint(digest: str) -> str:
    """A short, safe fingerprint of a credential digest: its first 6 hex characters."""
    return digest[:6] + "…"
