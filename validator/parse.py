"""Turn any string into a :class:`DirectLink`, reading it exactly as a browser does.

The steps follow the WHATWG URL Standard for what matters to a direct link:
leading and trailing C0 control and space characters are stripped, tabs and
newlines anywhere are dropped, a backslash counts as ``/`` in ``http(s)``
URLs, the query runs from the first ``?`` to the first ``#``, and the query is
decoded as ``URLSearchParams`` decodes it. ``parse`` never raises on a ``str``:
text that is no URL yields a link whose ``is_url`` is False and whose
``error`` says why.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from validator import spec
from validator.model import NO_VALUES, DirectLink, Param, Span, new_named_tuple
from validator.patterns import lazy_pattern
from validator.query import form_decode

_SPECIAL_AUTHORITY_END = re.compile(r"[/\\?#]")
_AUTHORITY_END = re.compile(r"[/?#]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_SPECIAL_PORTS: dict[str, int | None] = {
    "http": 80,
    "https": 443,
    "ws": 80,
    "wss": 443,
    "ftp": 21,
    "file": None,
}
_FORBIDDEN_HOST = frozenset("\x00\t\n\r #/:<>?@[\\]^|")
_FORBIDDEN_DOMAIN = _FORBIDDEN_HOST | frozenset(chr(c) for c in range(0x20)) | {"%", "\x7f"}
_FORBIDDEN_DOMAIN_RE = re.compile("[" + re.escape("".join(sorted(_FORBIDDEN_DOMAIN))) + "]")
_DIGITS_AND_DOT = frozenset("0123456789.")
_SINGLE_DOT = frozenset({".", "%2e", "%2E"})
_DOUBLE_DOT = frozenset(
    {"..", ".%2e", ".%2E", "%2e.", "%2E.", "%2e%2e", "%2E%2E", "%2e%2E", "%2E%2e"}
)
_IPV4_PART = lazy_pattern(r"(0[xX][0-9A-Fa-f]*|0[0-7]*|[1-9][0-9]*)")


# Every field of a DirectLink, in field order, with its value where nothing is found.
_DEFAULT_FIELDS: dict[str, object] = {
    "input": "",
    "is_url": False,
    "error": None,
    "scheme": None,
    "username": "",
    "password": None,
    "host": None,
    "port": None,
    "path": "",
    "base_path": None,
    "app_id": None,
    "trailing_slash": False,
    "query": None,
    "fragment": None,
    "params": (),
    "fragment_params": (),
    "query_span": None,
    "fragment_span": None,
    "app_id_span": None,
    "path_span": None,
    "authority_span": None,
    "scheme_span": None,
    "content_span": (0, 0),
    "removed_whitespace": (),
    "first_values": NO_VALUES,
}
assert tuple(_DEFAULT_FIELDS) == DirectLink._fields


class _Failure(Exception):
    """Raised inside the parser where a browser would throw a TypeError."""


def parse(url: str) -> DirectLink:
    """Parse ``url`` as the browser will; never raises on a ``str``."""
    if not isinstance(url, str):
        raise TypeError(f"parse() takes a str, not {type(url).__name__}")
    return _Parser(url).run()


class _Parser:
    """One parse. Offsets are into ``text`` from ``begin`` to ``end``.

    Where the link holds no tab or newline, ``text`` is the original string and
    its offsets are the original offsets: spans need no mapping. Otherwise
    ``text`` is the cleaned link and ``positions`` maps its offsets back.
    """

    __slots__ = ("begin", "end", "lead", "original", "positions", "text")

    def __init__(self, original: str) -> None:
        self.original = original
        text = original
        if not text.isascii() and _has_surrogate(text):
            # A JavaScript string holding a lone surrogate reaches the URL
            # parser as U+FFFD (USVString conversion); same length, same spans.
            text = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
        self.lead = len(text) - len(text.lstrip(spec.C0_CONTROL_OR_SPACE))
        end = len(text.rstrip(spec.C0_CONTROL_OR_SPACE)) if self.lead < len(text) else self.lead
        self.positions: list[int] | None = None
        content = text[self.lead : end] if (self.lead or end < len(text)) else text
        if "\t" in content or "\n" in content or "\r" in content:
            positions = [self.lead + i for i, ch in enumerate(content) if ch not in "\t\n\r"]
            positions.append(end)
            self.positions = positions
            text = content.replace("\t", "").replace("\n", "").replace("\r", "")
            self.begin, self.end = 0, len(text)
        else:
            self.begin, self.end = self.lead, end
        self.text = text

    def span(self, start: int, end: int) -> Span:
        """Original span of ``text[start:end]``."""
        positions = self.positions
        if positions is None:
            return (start, end)
        if end <= start:
            point = positions[start]
            return (point, point)
        return (positions[start], positions[end - 1] + 1)

    # Parsing ---------------------------------------------------------------

    def run(self) -> DirectLink:
        text = self.text
        begin = self.begin
        length = self.end
        content_end = self.positions[-1] if self.positions is not None else length
        content_span = (self.lead, content_end)
        removed: tuple[int, ...] = ()
        if self.positions is not None:
            kept = set(self.positions)
            removed = tuple(i for i in range(content_span[0], content_span[1]) if i not in kept)

        hash_at = text.find("#", begin, length)
        head_end = length if hash_at < 0 else hash_at
        query_at = text.find("?", begin, head_end)
        path_end = head_end if query_at < 0 else query_at

        fields = _DEFAULT_FIELDS.copy()
        fields["input"] = self.original
        fields["content_span"] = content_span
        fields["removed_whitespace"] = removed
        if query_at >= 0:
            fields["query"] = text[query_at + 1 : head_end]
            fields["query_span"] = self.span(query_at + 1, head_end)
            params, first = self.params(query_at + 1, head_end)
            fields["params"] = params
            fields["first_values"] = first
        if hash_at >= 0:
            fields["fragment"] = text[hash_at + 1 : length]
            fields["fragment_span"] = self.span(hash_at + 1, length)
            inner = text.find("?", hash_at + 1, length)
            start = inner + 1 if inner >= 0 else hash_at + 1
            fields["fragment_params"] = self.params(start, length)[0]
        try:
            self.structure(path_end, fields)
        except _Failure as failure:
            fields["error"] = str(failure)  # is_url stays False
        # The dict is written in field order; building the tuple directly
        # skips the keyword-argument parsing of the generated constructor.
        return new_named_tuple(DirectLink, tuple(fields.values()))

    def structure(self, path_end: int, fields: dict[str, object]) -> None:
        text = self.text
        if self.begin >= self.end:
            raise _Failure("empty input")
        begin = self.begin
        if text.startswith("https:", begin):
            colon = begin + 5  # the common case, without the regular expression
            scheme = "https"
        else:
            match = _SCHEME.match(text, begin, self.end)
            if match is None:
                raise _Failure("no scheme: not an absolute URL")
            colon = match.end() - 1
            scheme = text[begin:colon].lower()
        fields["scheme"] = scheme
        fields["scheme_span"] = self.span(begin, colon) if self.positions else (begin, colon)
        pos = colon + 1
        special = scheme in _SPECIAL_PORTS
        if scheme == "file":
            self.file_url(pos, path_end, fields)
            return
        if special:
            while pos < path_end and text[pos] in "/\\":
                pos += 1
            stop = _SPECIAL_AUTHORITY_END.search(text, pos, path_end)
        else:
            if not text.startswith("//", pos):
                raise _Failure(f"'{scheme}:' URL has no host")
            pos += 2
            stop = _AUTHORITY_END.search(text, pos, path_end)
        authority_end = path_end if stop is None else stop.start()
        fields["authority_span"] = (
            self.span(pos, authority_end) if self.positions else (pos, authority_end)
        )
        authority = text[pos:authority_end]
        at = authority.rfind("@")
        if at >= 0:
            userinfo = authority[:at]
            colon = userinfo.find(":")
            if colon >= 0:
                fields["username"] = userinfo[:colon]
                fields["password"] = userinfo[colon + 1 :]
            else:
                fields["username"] = userinfo
            hostport = authority[at + 1 :]
        else:
            hostport = authority
        host, port_text = _split_port(hostport)
        if port_text:
            if not port_text.isdigit() or not port_text.isascii():
                raise _Failure(f"invalid port {port_text!r}")
            port = int(port_text)
            if port > 65535:
                raise _Failure(f"port {port} out of range")
            fields["port"] = None if _SPECIAL_PORTS.get(scheme) == port else port
        if special:
            fields["host"] = _special_host(host)
        else:
            if any(ch in _FORBIDDEN_HOST for ch in host):
                raise _Failure(f"forbidden character in host {host!r}")
            fields["host"] = host
        if not fields["host"]:
            raise _Failure("empty host")
        self.path(authority_end, path_end, special, fields)
        fields["is_url"] = True

    def file_url(self, pos: int, path_end: int, fields: dict[str, object]) -> None:
        """``file:``: a host only after two slashes, no credentials or port, localhost empty."""
        text = self.text
        if text[pos : pos + 2] in ("//", "\\\\", "/\\", "\\/"):
            stop = _SPECIAL_AUTHORITY_END.search(text, pos + 2, path_end)
            authority_end = path_end if stop is None else stop.start()
            fields["authority_span"] = self.span(pos + 2, authority_end)
            host = text[pos + 2 : authority_end]
            if "@" in host or (":" in host and not host.startswith("[")):
                raise _Failure("a 'file:' URL has no credentials or port")
            host = _special_host(host) if host else ""
            fields["host"] = "" if host == "localhost" else host
            pos = authority_end
        else:
            fields["host"] = ""
        self.path(pos, path_end, True, fields)
        fields["is_url"] = True

    def path(self, start: int, end: int, special: bool, fields: dict[str, object]) -> None:
        text = self.text
        raw = text[start:end]
        fields["path_span"] = self.span(start, end) if self.positions else (start, end)
        if raw and special and "\\" in raw:
            raw = raw.replace("\\", "/")
        first = start
        if raw.startswith("/"):
            raw = raw[1:]
            first += 1
        names = raw.split("/") if raw else []
        if "." in raw or "%2" in raw:
            # Dot segments move segments around: track every segment's position.
            segments: list[tuple[str, int, int]] = []
            pos = first
            for name in names:
                segments.append((name, pos, pos + len(name)))
                pos += len(name) + 1
            resolved = _resolve_dot_segments(segments)
            names = [segment[0] for segment in resolved]
            starts = [segment[1] for segment in resolved]
            ends = [segment[2] for segment in resolved]
        else:
            starts = ends = []
        fields["path"] = "/" + "/".join(names) if (names or special) else ""
        app_index = _app_id_index(names)
        if app_index is None:
            return
        direct_index = app_index - 1
        fields["base_path"] = "/" + "/".join(names[:direct_index]) if direct_index else ""
        if app_index < len(names):
            app_id = names[app_index]
            if starts:
                seg_start, seg_end = starts[app_index], ends[app_index]
            else:
                seg_start = first + len("/".join(names[:app_index])) + 1
                seg_end = seg_start + len(app_id)
            fields["app_id"] = app_id
            fields["app_id_span"] = self.span(seg_start, seg_end)
            fields["trailing_slash"] = app_index == len(names) - 2
        else:
            point = ends[direct_index] if ends else first + len("/".join(names[:app_index]))
            fields["app_id"] = ""
            fields["app_id_span"] = self.span(point, point)

    def params(self, start: int, end: int) -> tuple[tuple[Param, ...], dict[str, str]]:
        """Decode the pieces of ``text[start:end]`` with their original offsets.

        Also returns the first value of every name, as ``URLSearchParams.get``.
        """
        result: list[Param] = []
        first: dict[str, str] = {}
        positions = self.positions
        offset = start
        for piece in self.text[start:end].split("&"):
            size = len(piece)
            if size:
                equals = piece.find("=")
                if equals < 0:
                    name = piece
                    value = ""
                    name_end = value_start = offset + size
                else:
                    name = piece[:equals]
                    value = piece[equals + 1 :]
                    name_end = offset + equals
                    value_start = name_end + 1
                    if "%" in value or "+" in value:
                        value = form_decode(value)
                if "%" in name or "+" in name:
                    name = form_decode(name)
                piece_end = offset + size
                if positions is None:
                    fields = (name, value, piece, offset, name_end, value_start, piece_end)
                else:
                    original_end = positions[piece_end - 1] + 1
                    # An empty value starts where the piece ends, not at the
                    # next kept character (which may lie past dropped newlines).
                    fields = (
                        name,
                        value,
                        piece,
                        positions[offset],
                        self.end_position(offset, name_end),
                        positions[value_start] if value_start < piece_end else original_end,
                        original_end,
                    )
                result.append(new_named_tuple(Param, fields))
                if name not in first:
                    first[name] = value
            offset += size + 1
        return tuple(result), first

    def end_position(self, start: int, end: int) -> int:
        """Original offset just after ``text[start:end]`` (at ``start`` when empty)."""
        assert self.positions is not None
        return self.positions[end - 1] + 1 if end > start else self.positions[start]


def _resolve_dot_segments(segments: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Apply ``.`` and ``..`` segments (also percent-encoded) as the browser does."""
    resolved: list[tuple[str, int, int]] = []
    last = len(segments) - 1
    for index, segment in enumerate(segments):
        name = segment[0]
        if name in _DOUBLE_DOT:
            if resolved:
                resolved.pop()
            if index == last:
                resolved.append(("", segment[2], segment[2]))
        elif name in _SINGLE_DOT:
            if index == last:
                resolved.append(("", segment[2], segment[2]))
        else:
            resolved.append(segment)
    return resolved


def _split_port(hostport: str) -> tuple[str, str]:
    if hostport.startswith("["):
        close = hostport.find("]")
        if close < 0:
            raise _Failure("unclosed IPv6 address")
        rest = hostport[close + 1 :]
        if rest and not rest.startswith(":"):
            raise _Failure("characters after IPv6 address")
        return hostport[: close + 1], rest[1:]
    colon = hostport.find(":")
    if colon < 0:
        return hostport, ""
    return hostport[:colon], hostport[colon + 1 :]


def _special_host(host: str) -> str:
    """The host of an http(s), ws(s), ftp or file URL as the browser serialises it."""
    if not host:
        raise _Failure("empty host")
    if host.startswith("["):
        return host.lower()
    if "%" in host:
        host = unquote_to_bytes(host).decode("utf-8", "replace")
    if host.isascii():
        domain = host.lower()
        if "xn--" in domain:
            _check_punycode_labels(domain)
    else:
        import idna  # here: most hosts are ASCII, and idna's tables take a while to load

        try:
            domain = idna.encode(host, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError, ValueError) as error:
            raise _Failure(f"host {host!r} is not a valid domain: {error}") from None
    bad = _FORBIDDEN_DOMAIN_RE.search(domain)
    if bad is not None:
        raise _Failure(f"forbidden character {bad.group()!r} in host")
    if domain and (domain[-1] in _DIGITS_AND_DOT or "0x" in domain) and _ends_in_number(domain):
        return _ipv4(domain)
    return domain


def _has_surrogate(text: str) -> bool:
    """True where ``text`` holds a code point U+D800..U+DFFF, the only ones UTF-8 refuses
    (no regular expression: a class over the surrogates takes milliseconds to compile)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check_punycode_labels(domain: str) -> None:
    """UTS #46 validity of the ``xn--`` labels of an ASCII host, as browsers check it.

    Each must decode as Punycode to a non-ASCII label in NFC that maps to itself.
    """
    import unicodedata

    import idna
    for label in domain.split("."):
        if not label.startswith("xn--"):
            continue
        try:
            decoded = label[4:].encode("ascii").decode("punycode")
            valid = (
                not decoded.isascii()
                and unicodedata.is_normalized("NFC", decoded)
                and idna.uts46_remap(decoded, std3_rules=False) == decoded
            )
        except (UnicodeError, idna.IDNAError, ValueError):
            valid = False
        if not valid:
            raise _Failure(f"host label {label!r} is not valid Punycode")


def _ends_in_number(domain: str) -> bool:
    labels = domain.split(".")
    if labels[-1] == "" and len(labels) > 1:
        labels.pop()
    last = labels[-1]
    if last and last.isascii() and last.isdigit():
        return True
    # The domain is lower case here.
    return last.startswith("0x") and all(c in "0123456789abcdef" for c in last[2:])


def _ipv4(domain: str) -> str:
    labels = domain.split(".")
    if labels[-1] == "" and len(labels) > 1:
        labels.pop()
    if len(labels) > 4:
        raise _Failure(f"invalid IPv4 address {domain!r}")
    numbers: list[int] = []
    for label in labels:
        if not label or not _IPV4_PART().fullmatch(label):
            raise _Failure(f"invalid IPv4 address {domain!r}")
        if label.startswith("0x"):
            numbers.append(int(label[2:] or "0", 16))
        elif len(label) > 1 and label[0] == "0":
            numbers.append(int(label, 8))
        else:
            numbers.append(int(label))
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise _Failure(f"invalid IPv4 address {domain!r}")
    value = numbers[-1]
    for index, number in enumerate(numbers[:-1]):
        value += number * 256 ** (3 - index)
    return ".".join(str((value >> shift) & 255) for shift in (24, 16, 8, 0))


def _app_id_index(names: list[str]) -> int | None:
    """Index of the app id segment in ``.../direct/<app_id>[/]``, or None."""
    count = len(names)
    if count >= 2 and names[-2] == spec.DIRECT_SEGMENT:
        return count - 1
    if count >= 3 and names[-3] == spec.DIRECT_SEGMENT and names[-1] == "":
        return count - 2
    if count >= 1 and names[-1] == spec.DIRECT_SEGMENT:
        return count  # "/direct": the app id is missing
    return None
