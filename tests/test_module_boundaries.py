"""The package's shape: no import circles, and the audit package used only through its API.

Outside ``validator/audit/``, code imports ``validator.audit`` (never one of
its modules) and uses only the names in ``validator.audit.__all__``: the Dask
engine and the CLI stay clear of the audit's internals, so those can change.
The import graph of ``validator/`` has no circle (docs/architecture.md).
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


# The import graph ---------------------------------------------------------------------
#
# No circles: the layers of docs/architecture.md import one way only. Every import counts,
# wherever it is written: at the top, in a function (a lazy import hides a circle from the
# interpreter, not from the design), under ``TYPE_CHECKING``, relative, or as
# ``importlib.import_module`` with a literal name.


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported_names(tree: ast.AST, module: str, *, package: bool) -> Iterator[str]:
    """Every dotted name ``tree`` (the source of ``module``) imports, made absolute."""
    here = module.split(".") if package else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            for alias in node.names:
                yield f"{origin}.{alias.name}"
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif (isinstance(node, ast.Call) and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
              and isinstance(node.func, ast.Attribute | ast.Name)
              and (node.func.attr if isinstance(node.func, ast.Attribute)
                   else node.func.id) == "import_module"):
            yield node.args[0].value


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports (see :func:`imported_names`)."""
    modules = _modules()

    def owner(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for target in imported_names(tree, name, package=path.name == "__init__.py"):
            module = owner(target) if target.startswith("validator") else None
            if module is not None and module != name:
                graph[name].add(module)
    return graph


def circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


#: The layers of the one-way flow, lowest first (docs/architecture.md draws them). A module
#: belongs to the layer of its nearest listed package; it imports its own layer and the ones
#: below, never one above. A new top-level module counts as a face until it is listed lower.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("contract and model", (
        "validator.spec", "validator.version", "validator.patterns", "validator.limits",
        "validator.textfiles",
        "validator.arguments", "validator.model", "validator.config", "validator.signature",
        "validator.keyring", "validator.redact", "validator.secret_sources", "validator.last_made",
    )),
    ("parse and query", (
        "validator.query", "validator.parse", "validator.link_shape", "validator.build",
        "validator.resolve", "validator.mistakes", "validator.diagnose", "validator.serialize",
        "validator.qr", "validator.signing_snippets", "validator.signing_vectors",
        "validator.extract", "validator.record",
    )),
    ("rules and engine", ("validator.rules", "validator.engine")),
    ("check", ("validator.check", "validator.fix", "validator.fix_files")),
    ("report", ("validator.report", "validator.suppression")),
    ("audit", ("validator.audit", "validator.distributed")),
    ("faces", (
        "validator.service", "validator.cli", "validator.testing", "validator.strategies",
        "validator.__main__", "validator",
    )),
)


def layer_of(module: str) -> int:
    """The index in :data:`LAYERS` of the nearest listed package of ``module`` (a project
    module: ``validator`` itself is listed)."""
    ranks = {name: rank for rank, (_, names) in enumerate(LAYERS) for name in names}
    name = module
    while name not in ranks:
        name = name.rpartition(".")[0]
    return ranks[name]


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a module in a higher layer."""
    found: list[str] = []
    for module, targets in sorted(graph.items()):
        rank = layer_of(module)
        for target in sorted(targets):
            target_rank = layer_of(target)
            if target_rank > rank:
                found.append(f"{module} ({LAYERS[rank][0]}) imports {target} "
                             f"({LAYERS[target_rank][0]})")
    return found


def test_every_import_goes_down_the_layers() -> None:
    assert upward_imports(import_graph()) == []


def test_the_layer_check_catches_an_upward_import() -> None:
    graph = {"validator.parse": {"validator.rules.base"}, "validator.rules.base": set(),
             "validator.check": {"validator.parse", "validator.check"},
             "validator.model": {"validator.stray"}, "validator.stray": set()}
    assert upward_imports(graph) == [
        "validator.model (contract and model) imports validator.stray (faces)",
        "validator.parse (parse and query) imports validator.rules.base (rules and engine)",
    ]
    assert layer_of("validator.cli.cmd_check") == layer_of("validator") == len(LAYERS) - 1
    assert layer_of("validator.engine.lazy") == layer_of("validator.rules")


def test_the_import_graph_has_no_circle() -> None:
    assert [sorted(circle) for circle in circles(import_graph())] == []


def test_every_kind_of_import_is_an_edge() -> None:
    source = """
import validator.spec
from validator.model import Finding
from . import sibling
from .. import parse
from .lazy import LazyFinding
def later():
    from validator.keyring import Keyring
    importlib.import_module("validator.rules")
    import_module("validator.resolve")
if TYPE_CHECKING:
    from validator.config import Config
"""
    names = set(imported_names(ast.parse(source), "validator.engine.full", package=False))
    assert names == {
        "validator.spec", "validator.model.Finding", "validator.engine.sibling",
        "validator.parse", "validator.engine.lazy.LazyFinding", "validator.keyring.Keyring",
        "validator.rules", "validator.resolve", "validator.config.Config",
    }
    inside = set(imported_names(ast.parse("from .worker import run"), "validator.audit",
                                package=True))
    assert inside == {"validator.audit.worker.run"}
    graph = import_graph()
    assert "validator.engine.full" in graph["validator.engine.screen"]  # the fallback
    assert "validator.rules" in graph["validator.report.catalogue"]  # inside a function


def test_the_circle_finder_finds_circles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [frozenset({"a", "b", "c"})]
    assert circles({"a": {"b"}, "b": set()}) == []

