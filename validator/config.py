"""Project configuration: ``[tool.directlink]`` in ``pyproject.toml`` or a ``directlink.toml``.

The file is found from the working directory upwards (``directlink.toml`` wins
over ``pyproject.toml`` in the same directory, as ``ruff.toml`` does over
``pyproject.toml`` for ruff), or given explicitly. Every key is checked: an
unknown key or a bad value raises :class:`ConfigError` naming the file and the
key, never a traceback.

The settings stay as written: rule selectors (``select``, ``ignore``,
``per-file-ignores``, the keys of ``severity``) are checked against the rule
catalogue by :mod:`validator.rules.selection` where the configuration is
applied, so this module knows no rule.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import FrozenInstanceError, field
from functools import cached_property
from pathlib import Path
from reprlib import recursive_repr
from typing import TYPE_CHECKING, Any

from validator import spec
from validator.limits import LimitExceeded, loads_toml
from validator.model import SEVERITIES, Severity, frozen_dataclass_written_out
from validator.patterns import lazy_pattern
from validator.textfiles import UnreadableFile, read_text

if TYPE_CHECKING:
    import tomllib

CONFIG_FILE = "directlink.toml"
PYPROJECT_FILE = "pyproject.toml"

#: URL length limit for links printed as QR codes: beyond ~300 characters the
#: code needs version 13+ modules that phone cameras read poorly from paper.
QR_MAX_URL_LENGTH = 300

_set = object.__setattr__


class ConfigError(ValueError):
    """A configuration file is unreadable or holds an unknown key or a bad value.

    Where the file is not valid TOML, ``line`` and ``column`` say where the
    parser stopped, and the message starts ``file:line:column:`` as compilers'
    messages do, so editors and CI logs link to the place.
    """

    def __init__(
        self, source: str, key: str | None, problem: str, *,
        line: int | None = None, column: int | None = None,
    ) -> None:
        self.source = source
        self.key = key
        self.problem = problem
        self.line = line
        self.column = column
        where = source if line is None else f"{source}:{line}:{column or 1}"
        if key:
            where += f": {key}"
        super().__init__(f"{where}: {problem}")


@frozen_dataclass_written_out()
class Config:
    """What a project configures about the checks. Hashable, so rule selection is cached."""

    #: Language profile: ``default``, ``legacy`` or ``sdk``.
    profile: str = "default"
    min_ranstr_length: int = spec.MIN_RANSTR_LENGTH
    #: A regular expression every app id must match in full (DL004).
    app_id_pattern: str | None = None
    #: App ids the project owns; empty means any (DL004).
    allowed_app_ids: tuple[str, ...] = ()
    #: Hosts links may point at; ``*.example.com`` matches sub-domains. Empty: any (DL007).
    allowed_hosts: tuple[str, ...] = ()
    #: The path before ``/direct/<app_id>``; None accepts any (DL003).
    base_path: str | None = None
    #: Rule selectors (codes, code prefixes, names, ``ALL``); empty means every rule.
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    #: ``per-file-ignores``: (gitignore-style glob, rule selectors) pairs; globs are
    #: relative to the configuration file's folder.
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Per-rule severity overrides: ``(code or name, severity)``, as written.
    severity_overrides: tuple[tuple[str, Severity], ...] = ()
    #: Where the link is published: ``private``, ``public``, ``qr`` or ``email``.
    context: str = "private"
    #: URL length limit (DL509); None means the context's default.
    max_url_length: int | None = None
    #: The file the configuration came from, if any.
    source: str | None = field(default=None, compare=False)
    #: What the file's keys start with (``tool.directlink.`` in a ``pyproject.toml``), so an
    #: error found later names the key as the file spells it.
    key_prefix: str = field(default="", compare=False)

    def __init__(
        self,
        profile: str = "default",
        min_ranstr_length: int = spec.MIN_RANSTR_LENGTH,
        app_id_pattern: str | None = None,
        allowed_app_ids: tuple[str, ...] = (),
        allowed_hosts: tuple[str, ...] = (),
        base_path: str | None = None,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        extend_select: tuple[str, ...] = (),
        per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = (),
        severity_overrides: tuple[tuple[str, Severity], ...] = (),
        context: str = "private",
        max_url_length: int | None = None,
        source: str | None = None,
        key_prefix: str = "",
    ) -> None:
        _set(self, "profile", profile)
        _set(self, "min_ranstr_length", min_ranstr_length)
        _set(self, "app_id_pattern", app_id_pattern)
        _set(self, "allowed_app_ids", allowed_app_ids)
        _set(self, "allowed_hosts", allowed_hosts)
        _set(self, "base_path", base_path)
        _set(self, "select", select)
        _set(self, "ignore", ignore)
        _set(self, "extend_select", extend_select)
        _set(self, "per_file_ignores", per_file_ignores)
        _set(self, "severity_overrides", severity_overrides)
        _set(self, "context", context)
        _set(self, "max_url_length", max_url_length)
        _set(self, "source", source)
        _set(self, "key_prefix", key_prefix)

    @recursive_repr()
    def __repr__(self) -> str:
        return self.__class__.__qualname__ + (
            f"(profile={self.profile!r}, min_ranstr_length={self.min_ranstr_length!r}, "
            f"app_id_pattern={self.app_id_pattern!r}, allowed_app_ids={self.allowed_app_ids!r}, "
            f"allowed_hosts={self.allowed_hosts!r}, base_path={self.base_path!r}, "
            f"select={self.select!r}, ignore={self.ignore!r}, "
            f"extend_select={self.extend_select!r}, per_file_ignores={self.per_file_ignores!r}, "
            f"severity_overrides={self.severity_overrides!r}, context={self.context!r}, "
            f"max_url_length={self.max_url_length!r}, source={self.source!r}, "
            f"key_prefix={self.key_prefix!r})"
        )

    def _compared(self) -> tuple[object, ...]:
        """The fields equality and the hash read: all but ``source`` and ``key_prefix``."""
        return (
            self.profile, self.min_ranstr_length, self.app_id_pattern, self.allowed_app_ids,
            self.allowed_hosts, self.base_path, self.select, self.ignore, self.extend_select,
            self.per_file_ignores, self.severity_overrides, self.context, self.max_url_length,
        )

    def __eq__(self, other: Any) -> bool:
        if other.__class__ is self.__class__:
            return self._compared() == other._compared()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._compared())

    def __setattr__(self, name: str, value: object) -> None:
        if type(self) is Config or name in _CONFIG_FIELDS:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        if type(self) is Config or name in _CONFIG_FIELDS:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super().__delattr__(name)

    # Cached: the checks read these for every link.
    @cached_property
    def languages(self) -> tuple[str, ...]:
        return spec.LANGUAGE_PROFILES[self.profile]

    @cached_property
    def is_public(self) -> bool:
        return self.context in spec.PUBLIC_CONTEXTS

    @cached_property
    def url_length_limit(self) -> int:
        if self.max_url_length is not None:
            return self.max_url_length
        return QR_MAX_URL_LENGTH if self.context == "qr" else spec.MAX_URL_LENGTH

    @cached_property
    def app_id_regex(self) -> re.Pattern[str] | None:
        return None if self.app_id_pattern is None else re.compile(self.app_id_pattern)

    def replace(self, **changes: Any) -> Config:
        """A copy with ``changes`` applied and validated (used for command-line overrides)."""
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data.update(changes)
        config = Config(**data)
        _validate(config, "command-line options")
        return config


_CONFIG_FIELDS = (
    "profile", "min_ranstr_length", "app_id_pattern", "allowed_app_ids", "allowed_hosts",
    "base_path", "select", "ignore", "extend_select", "per_file_ignores", "severity_overrides",
    "context", "max_url_length", "source", "key_prefix",
)

DEFAULT_CONFIG = Config()


def find_config(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest ``directlink.toml`` or ``pyproject.toml`` with ``[tool.directlink]``.

    A ``pyproject.toml`` on the way that cannot be read, or that may hold the
    table and is not valid TOML, raises :class:`ConfigError`: it may hold the
    project's settings, and running without them would pass what the team meant
    to fail. One whose text cannot spell the table is not parsed at all.
    """
    directory = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = folder / PYPROJECT_FILE
        if pyproject.is_file() and _has_tool_section(pyproject):
            return pyproject
    return None


def load_config(
    path: str | os.PathLike[str] | None = None, *, start: str | os.PathLike[str] | None = None
) -> Config:
    """Load ``path``, or the nearest configuration above ``start`` (default: cwd).

    No file found: the defaults.
    """
    found = Path(path) if path is not None else find_config(start)
    if found is None:
        return DEFAULT_CONFIG
    source = os.fspath(found)
    data = _read_toml(found)
    if found.name == PYPROJECT_FILE or (path is not None and _has_tool_table(data)):
        if path is not None and not _has_tool_table(data):
            raise ConfigError(source, None, "has no [tool.directlink] table")
        table = data.get("tool", {}).get("directlink", {})
        prefix = "tool.directlink."
    else:
        table = data
        prefix = ""
    if not isinstance(table, Mapping):
        raise ConfigError(source, prefix.rstrip(".") or None, "expected a table")
    return config_from_mapping(table, source=source, prefix=prefix)


def config_from_mapping(
    table: Mapping[str, Any], *, source: str = "<config>", prefix: str = ""
) -> Config:
    """Build a :class:`Config` from TOML-style keys (``min-ranstr-length`` ...)."""
    values: dict[str, Any] = {"source": source, "key_prefix": prefix}
    for key, value in table.items():
        where = prefix + key
        if key not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            raise ConfigError(source, where, f"unknown key (known keys: {known})")
        values[_KEYS[key]] = _convert(key, value, source, where)
    config = Config(**values)
    _validate(config, source, prefix)
    return config


_KEYS = {
    "profile": "profile",
    "min-ranstr-length": "min_ranstr_length",
    "app-id-pattern": "app_id_pattern",
    "allowed-app-ids": "allowed_app_ids",
    "allowed-hosts": "allowed_hosts",
    "base-path": "base_path",
    "select": "select",
    "ignore": "ignore",
    "extend-select": "extend_select",
    "severity": "severity_overrides",
    "context": "context",
    "max-url-length": "max_url_length",
    "per-file-ignores": "per_file_ignores",
}

_STRING_LISTS = {"allowed-app-ids", "allowed-hosts", "select", "ignore", "extend-select"}
_STRINGS = {"profile", "app-id-pattern", "base-path", "context"}
_INTEGERS = {"min-ranstr-length", "max-url-length"}


def _convert(key: str, value: Any, source: str, where: str) -> Any:
    if key in _STRING_LISTS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(source, where, "expected a list of strings")
        return tuple(value)
    if key in _STRINGS:
        if not isinstance(value, str):
            raise ConfigError(source, where, "expected a string")
        return value
    if key in _INTEGERS:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(source, where, "expected a positive integer")
        return value
    if key == "per-file-ignores":
        if not isinstance(value, Mapping) or not all(
            isinstance(rules, list) and all(isinstance(rule, str) for rule in rules)
            for rules in value.values()
        ):
            raise ConfigError(source, where, 'expected a table such as { "legacy/**" = ["DL202"] }')
        return tuple((str(glob), tuple(rules)) for glob, rules in value.items())
    # severity: a table of code or name -> severity (the rules check the codes and names)
    if not isinstance(value, Mapping):
        raise ConfigError(source, where, 'expected a table such as { DL502 = "warning" }')
    overrides: list[tuple[str, Severity]] = []
    for selector, severity in value.items():
        if severity not in SEVERITIES:
            raise ConfigError(
                source, f"{where}.{selector}", f"severity must be one of {', '.join(SEVERITIES)}"
            )
        overrides.append((str(selector), severity))
    return tuple(overrides)


def _validate(config: Config, source: str, prefix: str = "") -> None:
    if config.profile not in spec.LANGUAGE_PROFILES:
        choices = ", ".join(spec.LANGUAGE_PROFILES)
        raise ConfigError(source, prefix + "profile", f"unknown profile (choose {choices})")
    if config.context not in spec.CONTEXTS:
        raise ConfigError(
            source, prefix + "context", f"unknown context (choose {', '.join(spec.CONTEXTS)})"
        )
    if config.app_id_pattern is not None:
        try:
            re.compile(config.app_id_pattern)
        except re.error as error:
            raise ConfigError(
                source, prefix + "app-id-pattern", f"bad regular expression: {error}"
            ) from None
    if config.base_path is not None and config.base_path and not config.base_path.startswith("/"):
        raise ConfigError(source, prefix + "base-path", "must be empty or start with '/'")


def _read_toml(path: Path) -> dict[str, Any]:
    return _parse_toml(_read_config_text(path), os.fspath(path))


def _read_config_text(path: Path) -> str:
    source = os.fspath(path)
    if not path.exists():
        raise ConfigError(source, None, "file does not exist")
    try:
        return read_text(path, "config file", max_bytes=spec.MAX_CONFIG_FILE_BYTES)
    except UnreadableFile as error:
        raise ConfigError(source, None, str(error).replace(f"config file {source} ", "")) from None


def _parse_toml(text: str, source: str) -> dict[str, Any]:
    import tomllib  # here: a run without a configuration file needs no TOML parser

    try:
        return loads_toml(text, "the file")
    except LimitExceeded as error:
        raise ConfigError(source, None, str(error)) from None
    except tomllib.TOMLDecodeError as error:
        line, column, problem = _decode_error_position(error, text)
        raise ConfigError(
            source, None, f"not valid TOML: {problem}", line=line, column=column
        ) from None


#: Where a TOML error's message says the parser stopped; compiled when an error is met.
_TOML_POSITION = lazy_pattern(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


def _decode_error_position(error: tomllib.TOMLDecodeError, text: str) -> tuple[int, int, str]:
    """``(line, column, message)`` of a TOML error (before Python 3.14 only its text has them)."""
    message = str(error)
    found = _TOML_POSITION().search(message)
    if found is None:
        return 1, 1, message
    if found.group(1) is None:  # "at end of document": point past the last character
        lines = text.split("\n")
        return len(lines), len(lines[-1]) + 1, message[: found.start()]
    return int(found.group(1)), int(found.group(2)), message[: found.start()]


def _has_tool_table(data: Mapping[str, Any]) -> bool:
    tool = data.get("tool")
    return isinstance(tool, Mapping) and "directlink" in tool


# What the text of a TOML document without escapes needs for ``[tool.directlink]`` to be
# in it, read with string scans rather than patterns: the repository's own pyproject.toml
# names the command, and compiling three patterns for it cost every start from its root.
#: Characters of a bare TOML key: ``directlink`` beside one is part of a longer key.
_KEY_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_WORD = "directlink"


def _found(text: str, word: str) -> Iterator[int]:
    """Every index where ``word`` starts in ``text``."""
    start = text.find(word)
    while start >= 0:
        yield start
        start = text.find(word, start + 1)


def _space_before(text: str, end: int) -> int:
    """Where the run of whitespace ending at ``end`` starts."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _space_after(text: str, start: int) -> int:
    """Where the run of whitespace starting at ``start`` ends."""
    while start < len(text) and text[start].isspace():
        start += 1
    return start


def _tool_names(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of every ``tool``, ``"tool"`` and ``'tool'`` in ``text``."""
    for start in _found(text, "tool"):
        yield start, start + 4
        if start > 0 and start + 4 < len(text) and text[start - 1] == text[start + 4] in "\"'":
            yield start - 1, start + 5


def _ends_with_tool(text: str, end: int) -> bool:
    return text.endswith(("tool", '"tool"', "'tool'"), 0, end)


def _after_tool(text: str, start: int) -> bool:
    """``directlink`` at ``start`` is the key after ``tool`` in a dotted key or a header:
    ``tool . directlink``, or with either name quoted."""
    if start and text[start - 1] in "\"'":
        start -= 1
    dot = _space_before(text, start) - 1
    return dot >= 0 and text[dot] == "." and _ends_with_tool(text, _space_before(text, dot))


def _tool_header_or_inline_table(text: str, start: int, end: int) -> bool:
    """The ``tool`` name at ``start:end`` opens a ``[tool]`` (or ``[[tool]]``) header at
    the start of a line, or an inline table ``tool = {``."""
    after = _space_after(text, end)
    if text.startswith("=", after) and text.startswith("{", _space_after(text, after + 1)):
        return True
    if not text.startswith("]", after):
        return False
    bracket = _space_before(text, start) - 1
    if bracket < 0 or text[bracket] != "[":
        return False
    if bracket and text[bracket - 1] == "[":
        bracket -= 1
    line = _space_before(text, bracket)
    return line == 0 or "\n" in text[line:bracket]


def _may_hold_tool_table(text: str) -> bool:
    """False where a TOML document's text cannot hold ``[tool.directlink]`` (a cheap test).

    TOML compares keys as written, without case folding or normalisation. Unless
    a quoted key spells it with escapes (which need a backslash), the key
    ``directlink`` is in the text as a whole word, and it belongs to ``tool`` in
    one of three ways: after ``tool.`` in a header or a dotted key, under a
    ``[tool]`` header, or in an inline table ``tool = {...}``. The word elsewhere
    (``directlink-validator`` in a dependency, a ``directlink`` script under
    ``[project.scripts]``) cannot make the table.
    """
    if "\\" in text:
        return True
    keys = [start for start in _found(text, _WORD)
            if text[start + len(_WORD):start + len(_WORD) + 1] not in _KEY_CHARACTERS]
    if not any(start == 0 or text[start - 1] not in _KEY_CHARACTERS for start in keys):
        return False
    return any(_after_tool(text, start) for start in keys) or any(
        _tool_header_or_inline_table(text, start, end) for start, end in _tool_names(text)
    )


def _has_tool_section(path: Path) -> bool:
    text = _read_config_text(path)
    if not _may_hold_tool_table(text):
        return False  # not parsed: most projects' pyproject.toml has no such table
    return _has_tool_table(_parse_toml(text, os.fspath(path)))
