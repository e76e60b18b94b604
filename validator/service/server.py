"""How uvicorn runs the app: caps on work per connection and per request.

``directlink serve`` uses :func:`server_config`; a deployment that starts
uvicorn itself passes the same values (docs/service.md shows the command):

- a connection that has not sent a whole request head within
  :data:`HEADER_TIMEOUT_SECONDS` is closed (slowloris), and so is one idle
  for :data:`KEEP_ALIVE_SECONDS` between requests;
- request heads larger than :data:`MAX_HEADER_BYTES` are refused;
- at most :data:`MAX_CONCURRENCY` connections and requests at once; past that
  uvicorn answers 503 at once instead of queueing without bound.

The body limit and its read deadline are the app's (``BodySizeLimit``).
"""

from __future__ import annotations

import asyncio
from typing import Any, Final

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_SECONDS: Final = 10.0
KEEP_ALIVE_SECONDS: Final = 5
MAX_HEADER_BYTES: Final = 16 * 1024
MAX_CONCURRENCY: Final = 64


class HeaderTimeoutH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request head is not in on time.

    uvicorn times out idle keep-alive connections but not a client that sends a
    request head one byte at a time; this closes it when no new request has
    begun :data:`HEADER_TIMEOUT_SECONDS` after the connection opened or the
    previous response ended.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None
        self._cycle_when_armed: object = None

    def _arm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        self._cycle_when_armed = self.cycle
        self._head_timer = self.loop.call_later(HEADER_TIMEOUT_SECONDS, self._head_timed_out)

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.cycle is self._cycle_when_armed and not self.transport.is_closing():
            self.transport.close()  # no new request since the timer was armed

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        super().connection_lost(exc)


def server_config(app: Any, *, host: str, port: int, log_level: str) -> uvicorn.Config:
    """The uvicorn configuration ``directlink serve`` runs ``app`` with."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        server_header=False,
        proxy_headers=False,
        http=HeaderTimeoutH11Protocol,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        limit_concurrency=MAX_CONCURRENCY,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
    )
