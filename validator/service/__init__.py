"""HTTP API with an OpenAPI document, and the link inspector page (``server`` extra)."""

from __future__ import annotations

from validator.service.app import create_app
from validator.service.settings import ServiceSettings

__all__ = ["ServiceSettings", "create_app"]
