"""Which ``Host`` a request names, and whether this server answers to it.

A loopback server still serves any web page the user opens, through DNS
rebinding (a hostile name that resolves to 127.0.0.1): the browser would then
let that page read answers and have links signed. So the app answers only to
the names it was told, derived from its settings: on loopback the loopback
names in any spelling (``127.0.0.1``, ``127.1``, ``LOCALHOST``, ``localhost.``,
``[::1]``, ``::ffff:127.0.0.1``), beyond loopback an explicit allow-list.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

#: The address ``directlink serve`` listens on unless told otherwise.
LOOPBACK_HOST = "127.0.0.1"

#: In an allow-list: answer to any Host name (the operator's proxy checks it).
ANY_HOST = "*"


def normalise_host(name: str) -> str:
    """``name`` (a Host header or a bind address) in one spelling: lower case, no port,
    no brackets, no trailing dot, IP addresses canonical (``127.1`` is ``127.0.0.1``)."""
    name = name.strip().lower()
    if name.startswith("["):
        name = name[1 : name.find("]")] if "]" in name else name[1:]
    elif name.count(":") == 1:
        name = name.rsplit(":", 1)[0]
    name = name.rstrip(".")
    address = _ip_address(name)
    return name if address is None else str(address)


def _ip_address(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        if not name or not all(c in "0123456789abcdefx." for c in name):
            return None
        try:  # the shorthand spellings browsers and inet_aton accept: 127.1, 0x7f.1
            return ipaddress.IPv4Address(socket.inet_aton(name))
        except OSError:
            return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_loopback(name: str) -> bool:
    """Whether ``name`` (any spelling) is a loopback name or address."""
    normal = normalise_host(name)
    if normal == "localhost":
        return True
    address = _ip_address(normal)
    return address is not None and address.is_loopback


class HostPolicy:
    """The Host names a server answers to: loopback names, plus an allow-list."""

    def __init__(self, allowed: Iterable[str] = (), *, loopback: bool = True) -> None:
        names = {normalise_host(name) for name in allowed if name.strip() != ANY_HOST}
        self.any_host = any(name.strip() == ANY_HOST for name in allowed)
        self.names = frozenset(names)
        self.loopback = loopback

    def allows(self, header: str | None) -> bool:
        if not header or not header.strip():
            return False  # HTTP/1.1 requires a Host; without one nothing says where it was sent
        if self.any_host:
            return True
        name = normalise_host(header)
        return name in self.names or (self.loopback and is_loopback(name))

    def describe(self) -> str:
        if self.any_host:
            return "any host name"
        shown = sorted(self.names | ({"127.0.0.1", "::1", "localhost"} if self.loopback else set()))
        return ", ".join(shown)
