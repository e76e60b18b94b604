"""What the service is started with: secrets, configuration and limits.

Secrets live only here, on the server: a secrets file maps app ids to their
AppSecret, and ``DIRECTLINK_APP_SECRET`` gives one secret for every other app.
A client never sends one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

from validator.keyring import Keyring
from validator.secret_sources import (
    DEFAULT_SECRET_ENV,
    secret_from_env,
    secret_from_file,
    secrets_from_file,
)
from validator.service.hosts import LOOPBACK_HOST, HostPolicy, is_loopback
from validator.service.limits import DEFAULT_MAX_BODY_BYTES
from validator.signature import Secret

if TYPE_CHECKING:
    from validator.config import Config

#: Environment variables read by :meth:`ServiceSettings.from_environment`
#: (for ``uvicorn --factory validator.service:create_app``).
SECRETS_FILE_ENV = "DIRECTLINK_SECRETS_FILE"
CONFIG_FILE_ENV = "DIRECTLINK_CONFIG"
#: Comma-separated Host names the server answers to beyond loopback names.
ALLOWED_HOSTS_ENV = "DIRECTLINK_ALLOWED_HOSTS"
#: The API token (every /v1 request carries it as a bearer token), or a file holding it.
API_TOKEN_ENV = "DIRECTLINK_API_TOKEN"
API_TOKEN_FILE_ENV = "DIRECTLINK_API_TOKEN_FILE"

HOW_TO_EXPOSE = (
    f"give the Host names clients use (--allowed-host NAME, or {ALLOWED_HOSTS_ENV}) and an "
    f"API token in the environment variable {API_TOKEN_ENV} or a file (--token-file PATH, "
    f"or {API_TOKEN_FILE_ENV}); never on the command line, where other users can read it"
)


class ExposureError(ValueError):
    """The settings would serve beyond loopback without an allow-list and a token."""


@dataclass(frozen=True)
class ServiceSettings:
    #: The secret of every app the secrets file does not name.
    default_secret: Secret | None = None
    #: App id -> AppSecret.
    secrets_by_app: Mapping[str, Secret] = field(default_factory=dict)
    #: Project configuration (profile, select/ignore, context ...), or None for defaults.
    config: Config | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    #: Host names the server answers to beyond loopback names (``*``: any); None: loopback only.
    allowed_hosts: frozenset[str] | None = None
    #: The address the server listens on; beyond loopback it needs ``allowed_hosts`` and a token.
    bind_host: str = LOOPBACK_HOST
    #: The bearer token every ``/v1`` request must carry; None: no token asked.
    api_token: Secret | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "secrets_by_app", MappingProxyType(dict(self.secrets_by_app)))

    def host_policy(self) -> HostPolicy:
        """The Host names to answer to: loopback names (bound to loopback) and the allow-list."""
        return HostPolicy(self.allowed_hosts or (), loopback=is_loopback(self.bind_host))

    def check_exposure(self) -> None:
        """Raise :class:`ExposureError` where the server would be reachable beyond loopback
        without an explicit allow-list of Host names and an API token."""
        if is_loopback(self.bind_host):
            return
        if not self.allowed_hosts or self.api_token is None:
            missing = [
                *(["an allow-list of Host names"] if not self.allowed_hosts else []),
                *(["an API token"] if self.api_token is None else []),
            ]
            raise ExposureError(
                f"refusing to listen on {self.bind_host} (beyond loopback) without "
                f"{' and '.join(missing)}: {HOW_TO_EXPOSE}"
            )

    @cached_property
    def keyring(self) -> Keyring:
        """The server's secrets. DL309 looks for every one of them in every link (each app's
        is a candidate of the others), and every answer masks them all."""
        every = {f"app {app}": secret for app, secret in self.secrets_by_app.items()}
        return Keyring(self.default_secret, dict(self.secrets_by_app), every)

    @classmethod
    def from_sources(
        cls,
        *,
        secrets_file: str | os.PathLike[str] | None = None,
        config_file: str | os.PathLike[str] | None = None,
        secret_env: str = DEFAULT_SECRET_ENV,
        allowed_hosts: frozenset[str] | None = None,
        bind_host: str = LOOPBACK_HOST,
        token_file: str | os.PathLike[str] | None = None,
    ) -> ServiceSettings:
        """Load secrets, configuration and the API token (``token_file``, else
        ``DIRECTLINK_API_TOKEN``); raises ``SecretSourceError`` / ``ConfigError``."""
        by_app = secrets_from_file(secrets_file) if secrets_file else {}
        config = None
        if config_file is not None:
            from validator.config import load_config
            from validator.rules.selection import check_selectors

            config = load_config(config_file)
            check_selectors(config)
        return cls(
            default_secret=secret_from_env(secret_env),
            secrets_by_app=by_app,
            config=config,
            allowed_hosts=allowed_hosts,
            bind_host=bind_host,
            api_token=_api_token(token_file),
        )

    @classmethod
    def from_environment(cls) -> ServiceSettings:
        hosts = os.environ.get(ALLOWED_HOSTS_ENV, "")
        allowed = frozenset(name.strip() for name in hosts.split(",") if name.strip())
        return cls.from_sources(
            secrets_file=os.environ.get(SECRETS_FILE_ENV) or None,
            config_file=os.environ.get(CONFIG_FILE_ENV) or None,
            allowed_hosts=allowed or None,
            token_file=os.environ.get(API_TOKEN_FILE_ENV) or None,
        )


def _api_token(token_file: str | os.PathLike[str] | None) -> Secret | None:
    if token_file is not None:
        return secret_from_file(token_file)
    return secret_from_env(API_TOKEN_ENV)
