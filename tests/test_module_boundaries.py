"""The package's shape: the audit package is used only through its public API.

Outside ``validator/audit/``, code imports ``validator.audit`` (never one of
its modules) and uses only the names in ``validator.audit.__all__``: the Dask
engine and the CLI stay clear of the audit's internals, so those can change.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import validator.audit

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "validator"
AUDIT = "validator.audit"
#: Code that uses the package as its users do (tests may reach inside to set up cases).
CLIENT_DIRS = ("validator", "fuzz", "benchmarks")


def audit_violations(source: str, where: str) -> Iterator[str]:
    """Every use of a name of ``validator.audit`` outside its public API, in ``source``."""
    public = set(validator.audit.__all__)
    tree = ast.parse(source)
    aliases: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            if node.module.startswith(AUDIT + "."):
                yield f"{where}:{node.lineno}: imports {node.module} (use {AUDIT})"
            elif node.module == AUDIT:
                for alias in node.names:
                    if alias.name not in public:
                        yield f"{where}:{node.lineno}: imports private {AUDIT}.{alias.name}"
            elif node.module == "validator":
                aliases.update(alias.asname or alias.name for alias in node.names
                               if alias.name == "audit")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(AUDIT + "."):
                    yield f"{where}:{node.lineno}: imports {alias.name} (use {AUDIT})"
                elif alias.name == AUDIT and alias.asname:
                    aliases.add(alias.asname)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in aliases and node.attr not in public):
            yield f"{where}:{node.lineno}: uses private {AUDIT}.{node.attr}"


def client_sources() -> Iterator[tuple[str, str]]:
    for directory in CLIENT_DIRS:
        for path in sorted((ROOT / directory).rglob("*.py")):
            if (PACKAGE / "audit") in path.parents:
                continue
            yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")


def test_outside_the_audit_package_only_its_public_names_are_used() -> None:
    found = [problem for where, source in client_sources()
             for problem in audit_violations(source, where)]
    assert found == []


def test_the_check_catches_private_imports() -> None:
    samples = {
        "from validator.audit.worker import run_task": "imports validator.audit.worker",
        "from validator.audit import _CallableModule": "private validator.audit._CallableModule",
        "import validator.audit.tasks": "imports validator.audit.tasks",
        "from validator import audit as local\nlocal.install(None)":
            "private validator.audit.install",
        "import validator.audit as a\na.plan": "private validator.audit.plan",
    }
    for source, expected in samples.items():
        problems = list(audit_violations(source, "sample.py"))
        assert len(problems) == 1 and expected in problems[0], (source, problems)
    assert list(audit_violations("from validator.audit import AuditResult, audit", "x")) == []


def test_every_public_name_exists_and_validator_audit_is_callable() -> None:
    import validator as package

    for name in validator.audit.__all__:
        assert hasattr(validator.audit, name), name
    assert callable(package.audit)
    assert package.AuditResult is validator.audit.AuditResult
