"""``directlink snippet`` and ``explain --language``: the signer's source, and the line to fix."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner, Result

from validator import build
from validator.cli import cli
from validator.signing_snippets import LANGUAGES, SNIPPETS, snippet_text, step_line
from validator.signing_vectors import vectors

ENV = "SIGNING_KIT_TEST_SECRET"
SECRET = "demo-secret-4f1a9c"
BY_ID: dict[str, dict[str, Any]] = {v["id"]: v for v in vectors()["vectors"]}


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env={ENV: SECRET, "DIRECTLINK_APP_SECRET": None})


def link_of(vector_id: str) -> str:
    vector = BY_ID[vector_id]
    assert vector["secret"] == SECRET
    return build("demo_app", chat_id="s-1", sbs=vector["sbs"], ranstr=vector["ranstr"],
                 sbs_mm=vector["sbs_mm"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_snippet_prints_the_packaged_file(language: str) -> None:
    result = run("snippet", language)
    assert result.exit_code == 0
    assert result.output == snippet_text(language)
    assert SNIPPETS[language].sign_function in result.output


@pytest.mark.parametrize(("alias", "language"), [("js", "node"), ("C#", "csharp"),
                                                 ("golang", "go"), ("py", "python")])
def test_snippet_takes_the_usual_names(alias: str, language: str) -> None:
    assert run("snippet", alias).output == snippet_text(language)


def test_unknown_language_is_one_line_and_exit_2() -> None:
    for args in (("snippet", "cobol"), ("explain", link_of("ascii"), "--secret-env", ENV,
                                        "--language", "cobol")):
        result = run(*args)
        assert result.exit_code == 2
        assert result.output.strip().count("\n") == 0
        assert "python, node, php, java, go, csharp, ruby" in result.output


@pytest.mark.parametrize(
    ("vector_id", "language", "step"),
    [
        ("missing-separator/ascii", "php", "inner"),
        ("uppercase-hex/ascii", "java", "hex-digest"),
        ("hmac-md5/ascii", "go", "hash-function"),
        ("non-utf8-encoding/nfc", "csharp", "utf-8"),
        ("secret-whitespace/ascii", "ruby", "secret-source"),
        ("raw-encoded-values/space", "node", "sign-plain-values"),
    ],
)
def test_explain_language_shows_the_line_that_does_it_right(
    vector_id: str, language: str, step: str
) -> None:
    result = run("explain", link_of(vector_id), "--secret-env", ENV, "--language", language)
    assert result.exit_code == 1
    number, line = step_line(language, step)
    section = result.output.split(f"Fix in {SNIPPETS[language].title} code", 1)[1]
    assert f"[{BY_ID[vector_id]['mistake']}]" in section
    assert f"{number} | {line.rstrip()}" in section
    assert SECRET not in result.output


def test_explain_language_in_json_names_file_and_lines() -> None:
    result = run("explain", link_of("single-md5/ascii"), "--secret-env", ENV, "--format", "json",
                 "--language", "python")
    data = json.loads(result.output)
    code = data["fix_in_code"]
    assert code["file"] == "sign_direct_link.py" and code["command"] == "directlink snippet python"
    fix = code["fixes"][0]
    assert fix["hypothesis"] == "single-md5"
    assert [entry["line"] for entry in fix["lines"]] == [
        step_line("python", "inner")[0], step_line("python", "outer")[0]]


def test_explain_language_with_an_unknown_cause_shows_both_hashing_lines() -> None:
    link = link_of("ascii").replace(BY_ID["ascii"]["sbs_mm"], "0123456789abcdef" * 2)
    result = run("explain", link, "--secret-env", ENV, "--language", "go")
    assert result.exit_code == 1
    assert "no known mistake reproduces sbs_mm" in result.output
    for step in ("inner", "outer"):
        assert step_line("go", step)[1].rstrip() in result.output


def test_explain_language_adds_nothing_to_a_correct_signature() -> None:
    result = run("explain", link_of("ascii"), "--secret-env", ENV, "--language", "ruby")
    assert result.exit_code == 0
    assert "Fix in" not in result.output
    padded = link_of("ascii").replace(BY_ID["ascii"]["sbs_mm"], BY_ID["ascii"]["sbs_mm"] + "%20")
    result = run("explain", padded, "--secret-env", ENV, "--language", "ruby")
    assert result.exit_code == 1 and "whitespace around it" in result.output
    assert "Fix in" not in result.output
    data = json.loads(run("explain", link_of("ascii"), "--secret-env", ENV, "--format", "json",
                          "--language", "ruby").output)
    assert "fix_in_code" not in data
