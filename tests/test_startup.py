"""Start-up: ``directlink check URL`` loads what checking a healthy link needs, and no more.

No timing here (``benchmarks/bench_startup.py`` measures it): these tests name
the modules a command must not import on its way, so that a new top-level
import of a heavy module fails a test instead of slowing every pre-commit run.
The colour decision that spares rich is checked against rich's own answer.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from validator.report.style import wants_color

HEALTHY = (
    "https://visitorchat.twt.com/direct/8cba81d468aac01b4f15f8ea4ef33677"
    "?direct=1&chatid=c1&lang=en"
)

#: Modules a plain ``check`` of a healthy link, without a secret or a
#: configuration file, writing to a pipe, has no use for.
NOT_ON_THE_CHECK_PATH = (
    "rich",  # colour: only for a terminal
    "tomllib",  # no configuration file (a pyproject.toml without the table is not parsed)
    "json",  # text output
    "hashlib",  # no secret: nothing to hash
    "hmac",
    "secrets",  # no link is built
    "idna",  # an ASCII host
    "tempfile",  # no --output file
    "email_validator",
    "phonenumbers",
    "yarl",
    "validator.audit",
    "validator.service",
    "validator.diagnose",
    "validator.mistakes",
    "validator.extract",
    "validator.fix",  # only for --fix
    "validator.build",  # no link is built or re-signed
    "validator.serialize",  # text output
)

_PROBE = """
import contextlib, io, sys
sys.argv = ["directlink", *sys.argv[1:]]
from validator.cli import main
out = io.StringIO()
try:
    with contextlib.redirect_stdout(out):
        main()
except SystemExit as exit:
    code = exit.code
modules = sorted(sys.modules)
import json
sys.__stdout__.write(json.dumps({"code": code, "out": out.getvalue(), "modules": modules}))
"""


def _modules_of(arguments: list[str], cwd: Path) -> tuple[int, str, set[str]]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("DIRECTLINK_APP_SECRET", "FORCE_COLOR", "TTY_COMPATIBLE")}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *arguments],
        capture_output=True, text=True, cwd=cwd, env=env, check=True,
    )
    result = json.loads(done.stdout)
    return result["code"], result["out"], set(result["modules"])


@pytest.mark.parametrize(
    "pyproject", [None, '[project]\nname = "x"\n\n[tool.ruff]\n'], ids=["none", "without-the-table"]
)
def test_check_of_a_healthy_link_imports_nothing_it_does_not_use(
    tmp_path: Path, pyproject: str | None
) -> None:
    """Also from a project whose ``pyproject.toml`` has no ``[tool.directlink]``: its text
    shows the table cannot be there, so no TOML parser is loaded to read it."""
    if pyproject is not None:
        (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    code, out, modules = _modules_of(["check", HEALTHY], tmp_path)
    assert code == 0 and "visitorchat.twt.com" in out
    loaded = sorted(
        name for name in modules
        if any(name == heavy or name.startswith(heavy + ".") for heavy in NOT_ON_THE_CHECK_PATH)
    )
    assert loaded == []


#: Patterns a check of a healthy link has no use for, each declared with
#: :func:`validator.patterns.lazy_pattern` and compiled on its first call.
NOT_COMPILED_ON_THE_CHECK_PATH = (
    ("validator.config", "_TOML_POSITION"),  # a TOML error
    ("validator.cli.options", "_CONVENTIONAL_VARIABLE"),  # an unset --secret-env
    ("validator.secret_sources", "_TOML_ASSIGNMENT"),  # a secrets file
    ("validator.limits", "_JSON_TOKENS"),  # a JSON document
    ("validator.limits", "_TOML_TOKENS"),  # a TOML document
    ("validator.resolve", "_TAG"),  # a language that is not a supported code as written
    ("validator.resolve", "_WEIGHT"),  # an Accept-Language entry with a weight
    ("validator.rules.customer", "_PLAIN_EMAIL"),  # an e-mail address
    ("validator.rules.customer", "_E164"),  # a phone number
    ("validator.rules.customer", "_PHONE_SEPARATORS"),
    ("validator.rules.identity", "_HEX"),  # an sbs_mm that is not lower-case MD5
    ("validator.rules.placeholders", "_PLACEHOLDER"),  # text that may hold a placeholder
    ("validator.rules.placeholders", "_RAW_PLACEHOLDER"),
    ("validator.rules.placeholders", "_PERCENT_HINT"),  # a '%' in the text
    ("validator.redact", "_PII_PAIR"),  # customer data to mask
    ("validator.report.terminal", "_CANDIDATE"),  # text that is not printable ASCII
    ("validator.parse", "_IPV4_PART"),  # a host that may be IPv4
)

_COMPILED_PROBE = """
import contextlib, io, json, re, sys
compiled, compile = [], re.compile
re.compile = lambda pattern, flags=0: (compiled.append(pattern), compile(pattern, flags))[1]
sys.argv = ["directlink", "check", sys.argv[1]]
from validator.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main()
sys.__stdout__.write(json.dumps([p for p in compiled if isinstance(p, str)]))
"""


def _compiled_lazy_patterns(link: str, cwd: Path) -> set[str]:
    """Which of :data:`NOT_COMPILED_ON_THE_CHECK_PATH` ``directlink check link`` compiles."""
    import importlib

    done = subprocess.run([sys.executable, "-c", _COMPILED_PROBE, link], capture_output=True,
                          text=True, cwd=cwd, check=True)
    compiled = set(json.loads(done.stdout))
    found = set()
    for module, name in NOT_COMPILED_ON_THE_CHECK_PATH:
        source, _flags = getattr(importlib.import_module(module), name).args  # a lazy pattern
        if source in compiled:
            found.add(f"{module}.{name}")
    return found


def test_check_of_a_healthy_link_compiles_no_pattern_it_does_not_use(tmp_path: Path) -> None:
    assert _compiled_lazy_patterns(HEALTHY, tmp_path) == set()


def test_a_lazy_pattern_compiles_when_a_run_needs_it(tmp_path: Path) -> None:
    """The probe sees a compile: ``en-US`` is not a supported code as written."""
    link = HEALTHY.replace("lang=en", "lang=en-US")
    assert "validator.resolve._TAG" in _compiled_lazy_patterns(link, tmp_path)


#: The dataclasses a check of a healthy link defines. A dataclass generates its methods
#: with ``exec`` at import (a few million instructions each), so the values made for every
#: link that nothing outside the package sees are named tuples or plain classes, and these
#: public ones write the methods out (:func:`validator.model.frozen_dataclass_written_out`).
DATACLASSES_ON_THE_CHECK_PATH = {
    "validator.model.Fix", "validator.model.Finding", "validator.model.Outcome",
    "validator.model.Report", "validator.config.Config",
}

_DATACLASS_PROBE = """
import contextlib, io, json, sys
sys.argv = ["directlink", "check", sys.argv[1]]
from validator.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main()
defined = {f"{value.__module__}.{value.__qualname__}": value
           for name, module in list(sys.modules.items()) if name.startswith("validator")
           for value in vars(module).values()
           if isinstance(value, type) and "__dataclass_fields__" in vars(value)
           and value.__module__ == name}
generated = [f"{name}.{method}" for name, value in defined.items()
             for method, function in vars(value).items()
             if getattr(getattr(function, "__wrapped__", function), "__code__", None) is not None
             and getattr(function, "__wrapped__", function).__code__.co_filename == "<string>"]
sys.__stdout__.write(json.dumps({"defined": sorted(defined), "generated": generated}))
"""


def test_check_of_a_healthy_link_defines_only_the_public_dataclasses(tmp_path: Path) -> None:
    """And none of them generates a method from text (its code would come from ``<string>``)."""
    done = subprocess.run([sys.executable, "-c", _DATACLASS_PROBE, HEALTHY], capture_output=True,
                          text=True, cwd=tmp_path, check=True)
    found = json.loads(done.stdout)
    assert set(found["defined"]) <= DATACLASSES_ON_THE_CHECK_PATH
    assert found["generated"] == []


def test_the_lazy_modules_load_when_a_run_needs_them(tmp_path: Path) -> None:
    """The same modules do load where the run uses them: the probe can see an import."""
    (tmp_path / "directlink.toml").write_text('select = ["ALL"]\n', encoding="utf-8")
    link = HEALTHY.replace("visitorchat.twt.com", "b\u00fccher.example")
    code, out, modules = _modules_of(["check", "--format", "json", link], tmp_path)
    assert code in (0, 1) and out.startswith("[")
    assert {"tomllib", "json", "idna"} <= modules


@pytest.mark.parametrize("first", [
    "import validator", "import validator.fix", "from validator.fix import fix_link",
    "from validator import fix", "import validator.build", "from validator.build import rebuild",
])
def test_build_and_fix_are_the_functions_however_their_modules_load(first: str) -> None:
    """``validator.fix`` loads on first use; the package still names the function, not the
    module, whichever import loads the module first."""
    probe = (
        f"{first}\nimport sys, types, validator\nimport validator.fix, validator.build\n"
        "from validator.fix import fix_link\nfrom validator import build, fix\n"
        "assert fix is validator.fix is sys.modules['validator.fix'].fix, fix\n"
        "assert build is validator.build is sys.modules['validator.build'].build, build\n"
        "assert not isinstance(fix, types.ModuleType) and callable(fix)\n"
        "assert 'fix' in dir(validator) and 'fix' in validator.__all__\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)


@pytest.mark.parametrize("environment", [
    {}, {"NO_COLOR": "1"}, {"FORCE_COLOR": "1"}, {"FORCE_COLOR": ""}, {"TTY_COMPATIBLE": "1"},
    {"TTY_COMPATIBLE": "0"}, {"TERM": "dumb"}, {"FORCE_COLOR": "1", "NO_COLOR": "1"},
])
def test_auto_colour_is_what_rich_decides(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console

    for key in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TERM"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    primary, secondary = os.openpty()
    with open(secondary, "w", encoding="utf-8") as terminal:
        for stream in (io.StringIO(), terminal):
            console = Console(file=stream)
            rich_says = (console.is_terminal and not console.no_color
                         and console.color_system is not None)
            assert wants_color("auto", stream) is rich_says
    os.close(primary)
