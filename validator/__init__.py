"""directlink-validator: parse, check, sign and explain chat-page direct links.

Most names below load their modules on first use, so that a command (or a
program) pays at start-up only for what it calls. ``build``, ``check``,
``fix`` and ``parse`` share their names with their modules: importing a
submodule binds its name on the package, which would hide the function, so the
package binds the function in its place (:class:`_Package`). ``check`` and
``parse``, which every command uses, are imported at once.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING

from validator.check import check
from validator.parse import parse
from validator.version import __version__

#: Public functions named as their modules, loaded on first use.
_NAMED_AS_THEIR_MODULES = frozenset({"build", "fix"})


class _Package(types.ModuleType):
    """The package, which keeps ``validator.build`` and ``validator.fix`` the functions.

    The import system binds a submodule on its package once the submodule is
    loaded; for these two the function of that name is bound instead, as
    ``from validator.fix import fix`` would.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name in _NAMED_AS_THEIR_MODULES and isinstance(value, types.ModuleType):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
for _loaded in _NAMED_AS_THEIR_MODULES & set(globals()):  # by the imports above, if any
    setattr(sys.modules[__name__], _loaded, sys.modules[f"{__name__}.{_loaded}"])
globals().pop("_loaded", None)

#: Each public name and the module that defines it.
_HOMES: dict[str, str] = {
    "build": "validator.build",
    "fix": "validator.fix",
    "BuildError": "validator.build",
    "new_ranstr": "validator.build",
    "rebuild": "validator.build",
    "check_many": "validator.check",
    "Config": "validator.config",
    "ConfigError": "validator.config",
    "load_config": "validator.config",
    "Diagnosis": "validator.diagnose",
    "explain": "validator.diagnose",
    "DirectLink": "validator.model",
    "Finding": "validator.model",
    "Fix": "validator.model",
    "Outcome": "validator.model",
    "Param": "validator.model",
    "Report": "validator.model",
    "Span": "validator.model",
    "Secret": "validator.signature",
    "sign": "validator.signature",
    "verify": "validator.signature",
    "vectors": "validator.signing_vectors",
    # Every public exception, also those of modules that need an extra.
    "ExplainError": "validator.diagnose",
    "LimitExceeded": "validator.limits",
    "LinkTooLongError": "validator.limits",
    "SelectorError": "validator.rules.registry",
    "SecretSourceError": "validator.secret_sources",
    "LinkAssertionError": "validator.testing",
    "UnreadableFile": "validator.textfiles",
    "QrError": "validator.qr",
    "ImageError": "validator.extract.qr",
    "ClusterError": "validator.distributed.errors",
    # ``create_app`` (the HTTP service) needs the ``server`` extra, and ``audit``
    # the extractors' (``audit``, ``qr``).
    "create_app": "validator.service",
    "AuditResult": "validator.audit",
}

__all__ = [
    "BuildError",
    "Config",
    "ConfigError",
    "Diagnosis",
    "DirectLink",
    "ExplainError",
    "Finding",
    "Fix",
    "LimitExceeded",
    "LinkAssertionError",
    "LinkTooLongError",
    "Outcome",
    "Param",
    "Report",
    "Secret",
    "SecretSourceError",
    "SelectorError",
    "Span",
    "UnreadableFile",
    "__version__",
    "build",
    "check",
    "check_many",
    "explain",
    "fix",
    "load_config",
    "new_ranstr",
    "parse",
    "rebuild",
    "sign",
    "vectors",
    "verify",
]

if TYPE_CHECKING:  # what __getattr__ below returns, for type checkers
    from validator.audit import AuditResult as AuditResult
    from validator.audit import audit as audit
    from validator.build import BuildError as BuildError
    from validator.build import build as build
    from validator.build import new_ranstr as new_ranstr
    from validator.build import rebuild as rebuild
    from validator.check import check_many as check_many
    from validator.config import Config as Config
    from validator.config import ConfigError as ConfigError
    from validator.config import load_config as load_config
    from validator.diagnose import Diagnosis as Diagnosis
    from validator.diagnose import ExplainError as ExplainError
    from validator.diagnose import explain as explain
    from validator.distributed.errors import ClusterError as ClusterError
    from validator.extract.qr import ImageError as ImageError
    from validator.fix import fix as fix
    from validator.limits import LimitExceeded as LimitExceeded
    from validator.limits import LinkTooLongError as LinkTooLongError
    from validator.model import DirectLink as DirectLink
    from validator.model import Finding as Finding
    from validator.model import Fix as Fix
    from validator.model import Outcome as Outcome
    from validator.model import Param as Param
    from validator.model import Report as Report
    from validator.model import Span as Span
    from validator.qr import QrError as QrError
    from validator.rules.registry import SelectorError as SelectorError
    from validator.secret_sources import SecretSourceError as SecretSourceError
    from validator.service import create_app as create_app
    from validator.signature import Secret as Secret
    from validator.signature import sign as sign
    from validator.signature import verify as verify
    from validator.signing_vectors import vectors as vectors
    from validator.testing import LinkAssertionError as LinkAssertionError
    from validator.textfiles import UnreadableFile as UnreadableFile


def __getattr__(name: str) -> object:
    if name == "audit":
        # Importing the package binds ``validator.audit`` to it: a callable module,
        # so ``validator.audit(paths, ...)`` runs the audit either way.
        return importlib.import_module("validator.audit")
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'validator' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES, "audit"})
