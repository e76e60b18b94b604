"""Every snippet, run by its real runtime over every signature test vector.

One process per runtime signs all vectors and builds a link for each: valid
vectors must reproduce ``sbs_mm``, invalid ones must not, and every built link
must be the canonical builder's link, decoding (in Node's ``URL``) to the same
values. A runtime that is missing skips its test with the reason.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from tests.node_reference import NODE, NODE_MISSING, node_decode, pairs_of
from validator import build, spec
from validator.signing_snippets import (
    LANGUAGES,
    MISTAKE_STEPS,
    SNIPPETS,
    STEPS,
    fix_lines,
    snippet_text,
    step_line,
)
from validator.signing_vectors import vectors

HARNESS = Path(__file__).parent / "snippet_harness"
SNIPPET_DIR = Path(str(resources.files("validator").joinpath("snippets")))
BASE = spec.DEFAULT_BASE
APP_ID = "demo_app"
TIMEOUT = 300

VECTORS: list[dict[str, Any]] = vectors()["vectors"]


def _chat_id(vector: dict[str, Any]) -> str:
    # The vector id has '/' and '-'; a space and '+' make the encoding of chatid matter too.
    return f"session {vector['id']}+1"


def _input_lines() -> str:
    def hexed(text: str) -> str:
        return text.encode("utf-8").hex()

    return "".join(
        "\t".join([v["id"], hexed(v["sbs"]), hexed(v["ranstr"]), hexed(v["secret"]),
                   hexed(_chat_id(v))]) + "\n"
        for v in VECTORS
    )


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None,
         stdin: str | None = None) -> str:
    completed = subprocess.run(
        command, cwd=cwd, input=stdin, capture_output=True, text=True, encoding="utf-8",
        timeout=TIMEOUT, env=None if env is None else {**os.environ, **env}, check=False,
    )
    assert completed.returncode == 0, f"{command[0]} failed:\n{completed.stderr[-4000:]}"
    return completed.stdout


def _snippet(language: str) -> Path:
    return SNIPPET_DIR / SNIPPETS[language].file_name


# Each runner: (what is missing, or None) and a function running the harness in a temp dir.
Runner = Callable[[Path], str]


def _python(tmp: Path) -> str:
    spec_ = importlib.util.spec_from_file_location("sign_direct_link", _snippet("python"))
    assert spec_ is not None and spec_.loader is not None
    module = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(module)
    lines = []
    for vector in VECTORS:
        sbs, ranstr, secret = vector["sbs"], vector["ranstr"], vector["secret"]
        signed = module.sign_direct_link(sbs, ranstr, secret)
        link = module.build_direct_link(BASE, APP_ID, _chat_id(vector), sbs, ranstr, secret)
        lines.append(f"{vector['id']}\t{signed}\t{link}\n")
    return "".join(lines)


def _node(tmp: Path) -> str:
    return _run([str(NODE), str(HARNESS / "harness.js"), str(_snippet("node")), BASE, APP_ID],
                tmp, stdin=_input_lines())


def _php(tmp: Path) -> str:
    return _run(["php", "-n", str(HARNESS / "harness.php"), str(_snippet("php")), BASE, APP_ID],
                tmp, stdin=_input_lines())


def _ruby(tmp: Path) -> str:
    return _run(["ruby", str(HARNESS / "harness.rb"), str(_snippet("ruby")), BASE, APP_ID],
                tmp, stdin=_input_lines())


def _java(tmp: Path) -> str:
    _run(["javac", "-d", str(tmp), str(_snippet("java")), str(HARNESS / "Harness.java")], tmp)
    return _run(["java", "-cp", str(tmp), "Harness", BASE, APP_ID], tmp, stdin=_input_lines())


def _go_env(tmp: Path) -> dict[str, str]:
    env = {
        "GOFLAGS": "-mod=mod",
        "GOTOOLCHAIN": "local",  # never fetch a toolchain
        "GOPROXY": "off",  # nothing to download: the standard library only
    }
    if not any(os.environ.get(name) for name in ("GOCACHE", "XDG_CACHE_HOME", "HOME")):
        env["GOCACHE"] = str(tmp / "go-build")
    return env


def _go(tmp: Path) -> str:
    shutil.copy(_snippet("go"), tmp / "directlink.go")
    shutil.copy(HARNESS / "harness_test.go", tmp / "harness_test.go")
    (tmp / "go.mod").write_text("module directlink\n\ngo 1.13\n")
    (tmp / "in.txt").write_text(_input_lines(), encoding="utf-8")
    env = {
        **_go_env(tmp),
        "DIRECTLINK_HARNESS_IN": str(tmp / "in.txt"),
        "DIRECTLINK_HARNESS_OUT": str(tmp / "out.txt"),
        "DIRECTLINK_HARNESS_BASE": BASE,
        "DIRECTLINK_HARNESS_APP": APP_ID,
    }
    _run(["go", "test", "-count=1", "-run", "TestHarness", "."], tmp, env=env)
    return (tmp / "out.txt").read_text(encoding="utf-8")


def _csharp(tmp: Path) -> str:
    sources = [str(_snippet("csharp")), str(HARNESS / "Harness.cs")]
    if shutil.which("mcs") and shutil.which("mono"):
        _run(["mcs", "-nologo", f"-out:{tmp / 'harness.exe'}", *sources], tmp)
        return _run(["mono", str(tmp / "harness.exe"), BASE, APP_ID], tmp, stdin=_input_lines())
    for source in sources:
        shutil.copy(source, tmp)
    version = _run(["dotnet", "--version"], tmp).strip().split(".")[0]
    (tmp / "harness.csproj").write_text(
        "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType>"
        f"<TargetFramework>net{version}.0</TargetFramework><Nullable>disable</Nullable>"
        "<ImplicitUsings>disable</ImplicitUsings></PropertyGroup></Project>\n"
    )
    env = {"DOTNET_CLI_TELEMETRY_OPTOUT": "1", "DOTNET_NOLOGO": "1"}
    return _run(["dotnet", "run", "--project", str(tmp), "--", BASE, APP_ID], tmp, env=env,
                stdin=_input_lines())


def _missing(*commands: str) -> str | None:
    absent = [c for c in commands if shutil.which(c) is None]
    return None if not absent else f"{' and '.join(absent)} not installed"


def _csharp_missing() -> str | None:
    if _missing("mcs", "mono") is None or _missing("dotnet") is None:
        return None
    return ("no C# compiler: neither the .NET SDK (dotnet) nor Mono (mcs, mono) is installed; "
            "Debian 12 ships no .NET SDK, .ci/run installs mono-mcs there")


RUNNERS: dict[str, tuple[str | None, Runner]] = {
    "python": (None, _python),
    "node": (None if NODE else NODE_MISSING, _node),
    "php": (_missing("php"), _php),
    "java": (_missing("javac", "java"), _java),
    "go": (_missing("go"), _go),
    "csharp": (_csharp_missing(), _csharp),
    "ruby": (_missing("ruby"), _ruby),
}


def _parse_output(output: str) -> dict[str, tuple[str, str]]:
    results: dict[str, tuple[str, str]] = {}
    for line in output.splitlines():
        vector_id, signed, link = line.split("\t")
        results[vector_id] = (signed, link)
    return results


def _canonical(vector: dict[str, Any]) -> str:
    return build(APP_ID, base=BASE, chat_id=_chat_id(vector), sbs=vector["sbs"],
                 ranstr=vector["ranstr"], secret=vector["secret"])


def test_every_language_has_a_runner() -> None:
    assert set(RUNNERS) == set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_snippet_signs_every_vector_and_builds_the_canonical_link(
    language: str, tmp_path: Path
) -> None:
    missing, runner = RUNNERS[language]
    if missing:
        pytest.skip(f"{language} snippet not run: {missing}")
    results = _parse_output(runner(tmp_path))
    assert set(results) == {v["id"] for v in VECTORS}
    wrong = []
    for vector in VECTORS:
        signed, _ = results[vector["id"]]
        if (signed == vector["sbs_mm"]) != vector["valid"]:
            wrong.append(f"{vector['id']}: {signed} against {vector['sbs_mm']}")
    assert not wrong, f"{language} snippet disagrees with the vectors:\n" + "\n".join(wrong)
    # Links: the canonical builder's, character for character ...
    canonical = [_canonical(v) for v in VECTORS]
    built = [results[v["id"]][1] for v in VECTORS]
    differ = [(c, b) for c, b in zip(canonical, built, strict=True) if c != b]
    assert not differ, f"{language} snippet builds other links: {differ[:3]}"
    # ... and, read by a browser, the values the vector signs.
    if NODE is None:
        return
    decoded = node_decode(built + canonical)
    for index, vector in enumerate(VECTORS):
        mine, theirs = decoded[index], decoded[index + len(VECTORS)]
        assert mine["ok"] and theirs["ok"]
        assert mine["pathname"] == theirs["pathname"] == f"/direct/{APP_ID}"
        pairs = pairs_of(mine)
        assert pairs == pairs_of(theirs)
        sign_pair = ("sbs_mm", results[vector["id"]][0])
        assert pairs == [("direct", "1"), ("chatid", _chat_id(vector)), ("sbs", vector["sbs"]),
                         sign_pair, ("ranstr", vector["ranstr"])]


@pytest.mark.parametrize("language", LANGUAGES)
def test_snippet_has_exactly_one_line_for_every_step(language: str) -> None:
    item = SNIPPETS[language]
    lines = snippet_text(language).splitlines()
    for step in STEPS:
        anchor = item.anchors[step]
        hits = [number for number, line in enumerate(lines, start=1) if anchor in line]
        assert len(hits) == 1, f"{language}: step {step!r} ({anchor!r}) is on lines {hits}"
        assert step_line(language, step)[0] == hits[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_snippet_says_where_the_secret_comes_from_and_names_its_functions(language: str) -> None:
    item = SNIPPETS[language]
    text = snippet_text(language)
    assert "never" in text and "front end" in text
    secret_name = "app_secret" if "_" in item.sign_function else "appSecret"
    definitions = [
        line for line in text.splitlines()
        if f"{item.sign_function}(" in line and all(
            name in line for name in ("sbs", "ranstr", secret_name))
    ]
    assert definitions, f"{language}: no {item.sign_function}(sbs, ranstr, {secret_name})"
    assert f"{item.build_function}(" in text


def test_every_mistake_points_at_a_line_in_every_language() -> None:
    from validator.mistakes import HYPOTHESIS_IDS

    assert set(MISTAKE_STEPS) == set(HYPOTHESIS_IDS)
    for language in LANGUAGES:
        for mistake in HYPOTHESIS_IDS:
            assert fix_lines(language, mistake), (language, mistake)


def test_snippets_are_package_data() -> None:
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["validator"]
    for item in SNIPPETS.values():
        path = PurePosixPath("snippets", item.file_name)
        assert any(fnmatch.fnmatch(str(path), p) for p in patterns), item.file_name
        assert (SNIPPET_DIR / item.file_name).is_file()


# ---------------------------------------------------------------------------
# The CI examples of docs/signing-kit.md, run against the snippets they name.

DOCS = Path(__file__).parents[1] / "docs" / "signing-kit.md"


def _docs_example(heading: str) -> str:
    text = DOCS.read_text(encoding="utf-8")
    after = text.split(f"\n{heading}", 1)[1]
    return after.split("```", 2)[1].split("\n", 1)[1]


def _vectors_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(vectors(), ensure_ascii=False), encoding="utf-8")


def test_docs_python_ci_example_passes_with_the_python_snippet(tmp_path: Path) -> None:
    (tmp_path / "myapp").mkdir()
    (tmp_path / "myapp" / "__init__.py").write_text("")
    shutil.copy(_snippet("python"), tmp_path / "myapp" / "links.py")
    _vectors_file(tmp_path / "tests" / "signing-vectors.json")
    (tmp_path / "tests" / "test_signing.py").write_text(_docs_example("Python (pytest):"))
    output = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                   "-p", "no:xdist", "tests/test_signing.py"], tmp_path,
                  env={"PYTHONPATH": str(tmp_path), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})
    assert f"{len(VECTORS)} passed" in output


@pytest.mark.skipif(NODE is None, reason=NODE_MISSING)
def test_docs_node_ci_example_passes_with_the_node_snippet(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    shutil.copy(_snippet("node"), tmp_path / "lib" / "signDirectLink.js")
    _vectors_file(tmp_path / "tests" / "signing-vectors.json")
    (tmp_path / "tests" / "signing.test.js").write_text(_docs_example("Node.js (`node --test`):"))
    output = _run([str(NODE), "--test", "tests/"], tmp_path)
    assert f"# pass {len(VECTORS)}" in output and "# fail 0" in output


@pytest.mark.skipif(shutil.which("go") is None, reason="go not installed")
def test_docs_go_ci_example_passes_with_the_go_snippet(tmp_path: Path) -> None:
    shutil.copy(_snippet("go"), tmp_path / "directlink.go")
    (tmp_path / "go.mod").write_text("module directlink\n\ngo 1.13\n")
    _vectors_file(tmp_path / "testdata" / "signing-vectors.json")
    imports = 'import (\n\t"encoding/json"\n\t"os"\n\t"testing"\n)\n\n'
    example = _docs_example("Go (`go test`, in the package that holds `signDirectLink`):")
    (tmp_path / "signing_test.go").write_text(f"package directlink\n\n{imports}{example}")
    output = _run(["go", "test", "-count=1", "-v", "-run", "TestSignDirectLink", "."], tmp_path,
                  env=_go_env(tmp_path))
    assert "--- PASS: TestSignDirectLink" in output
