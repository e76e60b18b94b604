"""Secret sources: env, files, secrets maps, candidate lists; errors never quote a secret."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from validator.secret_sources import (
    SecretSourceError,
    candidate_secrets_from_file,
    secret_from_env,
    secret_from_file,
    secrets_from_file,
)

SECRET = "s3cr3t/+ é&"


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "content",
    [SECRET, SECRET + "\n", SECRET + "\r\n", "\ufeff" + SECRET + "\n"],
    ids=["bare", "newline", "crlf", "byte-order-mark"],
)
def test_secret_file_drops_line_end_and_bom(tmp_path: Path, content: str) -> None:
    assert secret_from_file(write(tmp_path, "s.txt", content)).reveal() == SECRET


def test_secret_file_keeps_spaces_that_are_part_of_it(tmp_path: Path) -> None:
    assert secret_from_file(write(tmp_path, "s.txt", " a b \n")).reveal() == " a b "


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("\n", "is empty"),
        (f"{SECRET}\n{SECRET}\n", "more than one line"),
        (b"\xff\xfe" + SECRET.encode("utf-16-le"), "not UTF-8"),
    ],
)
def test_secret_file_errors_name_the_file_not_the_secret(
    tmp_path: Path, content: str | bytes, message: str
) -> None:
    path = write(tmp_path, "s.txt", content)
    with pytest.raises(SecretSourceError, match=message) as caught:
        secret_from_file(path)
    assert SECRET not in str(caught.value)
    assert str(path) in str(caught.value)


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(SecretSourceError, match="does not exist"):
        secret_from_file(tmp_path / "nope")
    with pytest.raises(SecretSourceError, match="is a directory"):
        secret_from_file(tmp_path)


def test_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SS_TEST", SECRET)
    assert secret_from_env("SS_TEST") == secret_from_env("SS_TEST")
    assert secret_from_env("SS_TEST").reveal() == SECRET  # type: ignore[union-attr]
    monkeypatch.delenv("SS_TEST")
    assert secret_from_env("SS_TEST") is None
    monkeypatch.setenv("SS_TEST", "")
    with pytest.raises(SecretSourceError, match="empty"):
        secret_from_env("SS_TEST")


def test_secrets_map_toml_and_json(tmp_path: Path) -> None:
    toml = write(tmp_path, "s.toml", f'demo_app = {json.dumps(SECRET)}\n"8cba81d4" = "other"\n')
    assert {k: v.reveal() for k, v in secrets_from_file(toml).items()} == {
        "demo_app": SECRET,
        "8cba81d4": "other",
    }
    data = write(tmp_path, "s.json", json.dumps({"demo_app": SECRET}))
    assert secrets_from_file(data)["demo_app"].reveal() == SECRET


@pytest.mark.parametrize(
    "content",
    [
        f'demo_app = "{SECRET}\n',  # unterminated TOML string
        f'{{"demo_app": "{SECRET}",}}',  # trailing comma
        json.dumps({SECRET: 1}),  # key and value swapped
        json.dumps({"demo_app": [SECRET]}),
        json.dumps([SECRET]),
        "{}",
    ],
)
def test_malformed_maps_never_quote_the_secret(tmp_path: Path, content: str) -> None:
    path = write(tmp_path, "s.json" if content.startswith(("{", "[")) else "s.toml", content)
    for loader in (secrets_from_file, candidate_secrets_from_file):
        with pytest.raises(SecretSourceError) as caught:
            loader(path)
        assert SECRET not in str(caught.value)
        assert str(path) in str(caught.value)


def test_candidates_one_a_line(tmp_path: Path) -> None:
    path = write(tmp_path, "c.txt", f"first-secret\n\n{SECRET}\r\nbase64secret==\n")
    found = {label: s.reveal() for label, s in candidate_secrets_from_file(path).items()}
    assert found == {"line 1": "first-secret", "line 3": SECRET, "line 4": "base64secret=="}


def test_candidates_labelled(tmp_path: Path) -> None:
    path = write(tmp_path, "c.toml", f'staging = "st-1"\nrotated = {json.dumps(SECRET)}\n')
    found = {label: s.reveal() for label, s in candidate_secrets_from_file(path).items()}
    assert found == {"staging": "st-1", "rotated": SECRET}
    path = write(tmp_path, "c.json", json.dumps({"old": "o-1"}))
    assert candidate_secrets_from_file(path)["old"].reveal() == "o-1"


def test_candidates_empty(tmp_path: Path) -> None:
    with pytest.raises(SecretSourceError, match="empty"):
        candidate_secrets_from_file(write(tmp_path, "c.txt", "\n\n"))
