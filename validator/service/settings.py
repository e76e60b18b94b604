"""What the service is started with: secrets, configuration and limits.

Secrets live only here, on the server: a secrets file maps app ids to their
AppSecret, and ``DIRECTLINK_APP_SECRET`` gives one secret for every other app.
A client never sends one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from validator.secret_sources import DEFAULT_SECRET_ENV, secret_from_env, secrets_from_file
from validator.service.limits import DEFAULT_MAX_BODY_BYTES
from validator.signature import Secret

if TYPE_CHECKING:
    from validator.config import Config

#: Environment variables read by :meth:`ServiceSettings.from_environment`
#: (for ``uvicorn --factory validator.service:create_app``).
SECRETS_FILE_ENV = "DIRECTLINK_SECRETS_FILE"
CONFIG_FILE_ENV = "DIRECTLINK_CONFIG"


@dataclass(frozen=True)
class ServiceSettings:
    #: The secret of every app the secrets file does not name.
    default_secret: Secret | None = None
    #: App id -> AppSecret.
    secrets_by_app: Mapping[str, Secret] = field(default_factory=dict)
    #: Project configuration (profile, select/ignore, context ...), or None for defaults.
    config: Config | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    #: Host names the server answers to (the Host header); None answers to any.
    allowed_hosts: frozenset[str] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "secrets_by_app", MappingProxyType(dict(self.secrets_by_app)))

    def secret_for(self, app_id: str | None) -> Secret | None:
        if app_id is not None and app_id in self.secrets_by_app:
            return self.secrets_by_app[app_id]
        return self.default_secret

    def all_secrets(self) -> list[Secret]:
        found = list(self.secrets_by_app.values())
        if self.default_secret is not None:
            found.append(self.default_secret)
        return found

    def other_secrets(self, app_id: str | None) -> dict[str, Secret]:
        """Secrets of the other apps, labelled by app id, as candidates for a diagnosis."""
        mine = self.secret_for(app_id)
        others = {
            f"app {other}": secret
            for other, secret in self.secrets_by_app.items()
            if other != app_id and secret != mine
        }
        if self.default_secret is not None and self.default_secret != mine:
            others["the default secret"] = self.default_secret
        return others

    @classmethod
    def from_sources(
        cls,
        *,
        secrets_file: str | os.PathLike[str] | None = None,
        config_file: str | os.PathLike[str] | None = None,
        secret_env: str = DEFAULT_SECRET_ENV,
        allowed_hosts: frozenset[str] | None = None,
    ) -> ServiceSettings:
        """Load secrets and configuration; raises ``SecretSourceError`` / ``ConfigError``."""
        by_app = secrets_from_file(secrets_file) if secrets_file else {}
        config = None
        if config_file is not None:
            from validator.config import load_config

            config = load_config(config_file)
        return cls(
            default_secret=secret_from_env(secret_env),
            secrets_by_app=by_app,
            config=config,
            allowed_hosts=allowed_hosts,
        )

    @classmethod
    def from_environment(cls) -> ServiceSettings:
        return cls.from_sources(
            secrets_file=os.environ.get(SECRETS_FILE_ENV) or None,
            config_file=os.environ.get(CONFIG_FILE_ENV) or None,
        )
