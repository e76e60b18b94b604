"""directlink-validator: parse, check, sign and explain chat-page direct links."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from validator.build import BuildError, build, new_ranstr, rebuild
from validator.check import check, check_many
from validator.config import Config, ConfigError, load_config
from validator.diagnose import Diagnosis, explain
from validator.fix import fix
from validator.model import DirectLink, Finding, Fix, Outcome, Param, Report, Span
from validator.parse import parse
from validator.signature import Secret, sign, verify
from validator.signing_vectors import vectors

__all__ = [
    "BuildError",
    "Config",
    "ConfigError",
    "Diagnosis",
    "DirectLink",
    "Finding",
    "Fix",
    "Outcome",
    "Param",
    "Report",
    "Secret",
    "Span",
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

__version__ = "0.1.0"

if TYPE_CHECKING:  # what __getattr__ below returns, for type checkers
    from validator.audit import AuditResult as AuditResult
    from validator.audit import audit as audit
    from validator.service import create_app as create_app


def __getattr__(name: str) -> object:
    # ``create_app`` (the HTTP service) needs the ``server`` extra, and ``audit``
    # the extractors' (``audit``, ``qr``): imported only when asked for.
    if name == "create_app":
        from validator.service import create_app

        return create_app
    if name in ("audit", "AuditResult"):
        # Importing the package binds ``validator.audit`` to it: a callable module,
        # so ``validator.audit(paths, ...)`` runs the audit either way.
        package = importlib.import_module("validator.audit")
        return package if name == "audit" else getattr(package, name)
    raise AttributeError(f"module 'validator' has no attribute {name!r}")
