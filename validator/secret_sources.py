"""Where AppSecrets come from: environment variables, files, secrets maps, a prompt.

Never a command-line argument, which other users can read in the process list.
Error messages name the source, never its content.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from validator import spec
from validator.limits import LimitExceeded, loads_json, loads_toml
from validator.patterns import lazy_pattern
from validator.signature import Secret
from validator.textfiles import UnreadableFile, read_text

DEFAULT_SECRET_ENV = "DIRECTLINK_APP_SECRET"
#: ``label = "..."``: a line of a TOML map (a secret a line has no quoted value);
#: compiled when a secrets file is read.
_TOML_ASSIGNMENT = lazy_pattern(r"""^\s*[A-Za-z0-9_.\-"']+\s*=\s*["']""", re.MULTILINE)


class SecretSourceError(ValueError):
    """A secret source is missing or malformed; the message never holds a secret."""


def secret_from_env(name: str = DEFAULT_SECRET_ENV) -> Secret | None:
    """The secret in environment variable ``name``, or None where it is unset."""
    value = os.environ.get(name)
    if value is None:
        return None
    if not value:
        raise SecretSourceError(f"environment variable {name} is set but empty")
    return _secret(value, f"environment variable {name}")


def _secret(value: str, source: str) -> Secret:
    """A :class:`Secret`, or the error naming ``source`` (never the value)."""
    try:
        return Secret(value)
    except ValueError as error:
        # A non-UTF-8 byte in the environment reads as a lone surrogate.
        raise SecretSourceError(f"{source}: {error}") from None


def secret_from_file(path: str | os.PathLike[str]) -> Secret:
    """The secret in a file; the trailing newline editors add is not part of it."""
    text = _read(path)
    value = text.rstrip("\r\n")
    if not value:
        raise SecretSourceError(f"secret file {os.fspath(path)} is empty")
    if "\n" in value:
        raise SecretSourceError(
            f"secret file {os.fspath(path)} holds more than one line; "
            "use a secrets file (TOML or JSON) to give several secrets"
        )
    return _secret(value, f"secret file {os.fspath(path)}")


def secrets_from_file(path: str | os.PathLike[str]) -> dict[str, Secret]:
    """A map of app id to secret, from a TOML or JSON file."""
    name = os.fspath(path)
    return {
        key: _secret(value, f"{name}: entry {position}")
        for position, (key, value) in enumerate(_mapping(path, "app id").items(), start=1)
    }


def candidate_secrets_from_file(path: str | os.PathLike[str]) -> dict[str, Secret]:
    """Labelled candidate secrets: a TOML/JSON map of labels, or one secret a line.

    Secrets given a line each are labelled ``line 1``, ``line 2`` ...
    """
    text = _read(path)
    stripped = text.lstrip()
    if stripped.startswith("{") or _looks_like_toml(text) or _TOML_ASSIGNMENT().search(text):
        # A map; a malformed one is an error, never read as one secret a line.
        name = os.fspath(path)
        return {
            label: _secret(value, f"{name}: entry {position}")
            for position, (label, value) in enumerate(_mapping(path, "label").items(), start=1)
        }
    result: dict[str, Secret] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.rstrip("\r\n")
        if value:
            result[f"line {number}"] = _secret(value, f"{os.fspath(path)}: line {number}")
    if not result:
        raise SecretSourceError(f"candidate secrets file {os.fspath(path)} is empty")
    return result


def _looks_like_toml(text: str) -> bool:
    import tomllib

    try:
        parsed = loads_toml(text)
    except LimitExceeded:
        return True  # a map, too deep or with too long a number: refused as one
    except tomllib.TOMLDecodeError:
        return False
    return bool(parsed)


def _mapping(path: str | os.PathLike[str], what: str) -> dict[str, str]:
    import json  # the parsers load with the first secrets file, not at every start
    import tomllib

    text = _read(path)
    name = os.fspath(path)
    data: object
    if Path(name).suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            data = loads_json(text, name)
        except LimitExceeded as error:
            raise SecretSourceError(str(error)) from None
        except json.JSONDecodeError as error:
            raise SecretSourceError(
                f"{name}: not valid JSON (line {error.lineno}, column {error.colno})"
            ) from None
    else:
        try:
            data = loads_toml(text, name)
        except LimitExceeded as error:
            raise SecretSourceError(str(error)) from None
        except tomllib.TOMLDecodeError:
            # The decoder's message may quote the offending line, a secret.
            raise SecretSourceError(f"{name}: not valid TOML or JSON") from None
    if not isinstance(data, Mapping):
        raise SecretSourceError(f"{name}: expected a map of {what} to secret")
    result: dict[str, str] = {}
    for position, (key, value) in enumerate(data.items(), start=1):
        if not isinstance(value, str) or not value:
            # The key is not quoted: with key and value swapped it is the secret.
            raise SecretSourceError(
                f"{name}: entry {position} is not {what} = \"secret\" "
                "(the secret must be a non-empty string)"
            )
        result[str(key)] = value
    if not result:
        raise SecretSourceError(f"{name}: no secrets in the file")
    return result


def _read(path: str | os.PathLike[str]) -> str:
    try:
        # utf-8-sig: a byte-order mark some Windows editors write is not part of the secret.
        return read_text(
            path, "secret file", encoding="utf-8-sig", max_bytes=spec.MAX_SECRET_FILE_BYTES
        )
    except UnreadableFile as error:
        raise SecretSourceError(str(error)) from None
