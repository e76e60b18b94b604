"""Reporters import the model and the record, never what judges a link.

A format shows what a record carries (findings, causes, outcomes, fixes, all
worked out where the record is built); it never diagnoses a signature,
resolves an outcome or computes a fix itself. Every import counts, wherever
it is written (see :func:`test_module_boundaries.imported_names`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from test_module_boundaries import import_graph, imported_names

REPORT = "validator.report"
#: What judges a link: no reporter may import these (or a module inside them).
JUDGING = ("validator.diagnose", "validator.resolve", "validator.fix")
#: What a reporter may import besides the report package: the model and the record, the
#: contract's data, the redactor that masks what a record holds, the catalogue of
#: signature mistakes (data) the explain renderers name, and the owner of the patterns
#: compiled on first use.
ALLOWED = frozenset({
    "validator.model", "validator.record", "validator.redact", "validator.spec",
    "validator.version", "validator.mistakes", "validator.patterns",
})
#: The rule catalogue reads the rules' own documentation (SARIF, HTML), by import_module.
ALLOWED_FOR = {"validator.report.catalogue": frozenset({"validator.rules"})}


def is_report(module: str) -> bool:
    return module == REPORT or module.startswith(REPORT + ".")


def within(name: str, packages: Iterable[str]) -> bool:
    return any(name == package or name.startswith(package + ".") for package in packages)


def judging_imports(module: str, names: Iterable[str]) -> Iterator[str]:
    """The imported ``names`` of a report ``module`` that reach what judges a link."""
    for name in names:
        if within(name, JUDGING):
            yield f"{module} imports {name}"


def report_modules() -> dict[str, set[str]]:
    return {module: targets for module, targets in import_graph().items() if is_report(module)}


def test_no_reporter_imports_diagnose_resolve_or_fix() -> None:
    modules = report_modules()
    assert "validator.report.html" in modules and "validator.report.explain_text" in modules
    found = [problem for module, targets in sorted(modules.items())
             for problem in judging_imports(module, sorted(targets))]
    assert found == []


def test_reporters_import_only_the_model_the_record_and_the_contract() -> None:
    found = []
    for module, targets in sorted(report_modules().items()):
        allowed = ALLOWED | ALLOWED_FOR.get(module, frozenset())
        found += [f"{module} imports {target}" for target in sorted(targets)
                  if not is_report(target) and target not in allowed]
    assert found == []


def test_the_check_catches_every_kind_of_import() -> None:
    caught = {
        "from validator.fix import apply_replacements": "validator.fix.apply_replacements",
        "def later():\n    from validator.resolve import describe": "validator.resolve.describe",
        "if TYPE_CHECKING:\n    from validator.diagnose import Diagnosis":
            "validator.diagnose.Diagnosis",
        "import validator.diagnose": "validator.diagnose",
        "importlib.import_module('validator.resolve')": "validator.resolve",
        "from .. import fix": "validator.fix",
    }
    for source, name in caught.items():
        names = imported_names(ast.parse(source), "validator.report.sample", package=False)
        assert list(judging_imports("validator.report.sample", names)) == [
            f"validator.report.sample imports {name}"], source
    innocent = ("from validator.fix_files import FixPlan\nfrom validator.model import describe\n"
                "from validator.record import LinkRecord\nfrom validator.mistakes import Step")
    names = imported_names(ast.parse(innocent), "validator.report.sample", package=False)
    assert list(judging_imports("validator.report.sample", names)) == []
