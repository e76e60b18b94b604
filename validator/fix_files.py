"""Fix links inside their files: each link rewritten where it is written, nothing else touched.

An audit record says where a link starts (line and column) and what the
document means by it (entities, JSON escapes, redirect wrappers undone). To
rewrite it, the link must be found *as written* at that place: the URL itself,
or its HTML-attribute form (``&amp;``), its JSON string form (``\\/``,
``\\u00e9``) or its CSV-quoted form (``""``). The fixed link is then written
back in the same form, so the file stays valid where the link sits; every
other byte of the file is left as it was (line ends, encoding, BOM).

Links that cannot be rewritten safely are reported with the reason: those in
QR images, in quoted-printable or base64 e-mail bodies, inside a redirect
wrapper (the wrapper's own encoding and signature would break), holding
template placeholders (``{{order_id}}``: the template fills them), or written
with escapes the fixer cannot reproduce. Fixing twice changes nothing the
second time: a fixed link has no fix left to apply.
"""

from __future__ import annotations

import difflib
import html
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from validator.config import Config
from validator.fix import FixResult, fix_link
from validator.keyring import Keyring
from validator.signature import Secret

Encoder = Callable[[str], str]

#: The rule that flags ``{{name}}``-style placeholders: such links are the template's to fill.
TEMPLATE_PLACEHOLDER = "DL511"


@dataclass(frozen=True)
class NotFixable:
    """A link with a fix to apply that is left as it is, and why."""

    path: str
    line: int
    column: int
    reason: str


@dataclass
class FileFix:
    """The rewritten text of one file, and what changed in it."""

    path: str
    original: bytes
    fixed: bytes
    links_fixed: int = 0
    applied: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.original != self.fixed

    def diff(self) -> str:
        """A unified diff, as ``ruff --diff`` prints it (``--- a/path`` / ``+++ b/path``)."""
        before = self.original.decode("utf-8", "surrogateescape").splitlines(keepends=True)
        after = self.fixed.decode("utf-8", "surrogateescape").splitlines(keepends=True)
        name = relative_name(self.path)
        lines = difflib.unified_diff(before, after, f"a/{name}", f"b/{name}")
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                       for line in lines)


@dataclass
class FixPlan:
    """What ``audit --fix`` does: every file it would change, every link it cannot fix."""

    files: list[FileFix] = field(default_factory=list)
    not_fixable: list[NotFixable] = field(default_factory=list)

    @property
    def changed(self) -> list[FileFix]:
        return [item for item in self.files if item.changed]

    def write(self) -> None:
        """Write each changed file back in place (its mode kept)."""
        for item in self.changed:
            with open(item.path, "r+b") as stream:
                stream.write(item.fixed)
                stream.truncate()


# How a link may be written where it sits -------------------------------------------------


def _identity(url: str) -> str:
    return url


def _html_amp(url: str) -> str:
    return url.replace("&", "&amp;")


def _html_full(url: str) -> str:
    return html.escape(url, quote=True)


def _json(ascii_only: bool, slash: bool) -> Encoder:
    def encode(url: str) -> str:
        text = json.dumps(url, ensure_ascii=ascii_only)[1:-1]
        return text.replace("/", "\\/") if slash else text

    return encode


def _csv_quoted(url: str) -> str:
    return url.replace('"', '""')


_JSON_FORMS = [_json(a, s) for a in (False, True) for s in (False, True)]

#: The written forms tried at a link's place, by the kind of file (first match wins).
FORMS: dict[str, list[Encoder]] = {
    "html": [_identity, _html_amp, _html_full],
    "markdown": [_identity, _html_amp, _html_full],
    "eml": [_identity, _html_amp, _html_full],
    "json": _JSON_FORMS,
    "jsonl": _JSON_FORMS,
    "csv": [_identity, _csv_quoted],
    "tsv": [_identity, _csv_quoted],
    "text": [_identity, *_JSON_FORMS[1:], _html_amp],
}


def _output_encoder(kind: str, matched: Encoder) -> Encoder:
    """How the fixed link is written: as the original was, made safe for where it sits."""
    if kind == "html" or matched in (_html_amp, _html_full):
        return _html_full  # an attribute value: & < > and quotes escaped
    return matched


# Planning ----------------------------------------------------------------------------------


def plan_fixes(
    records: Iterable[Mapping[str, Any]],
    *,
    secret: Secret | None = None,
    secrets: Mapping[str, Secret] | None = None,
    unsafe: bool = False,
    config: Config | None = None,
    keyring: Keyring | None = None,
) -> FixPlan:
    """Rewrite every fixable link of ``records`` (an audit's, in file order) in memory."""
    plan = FixPlan()
    by_path: dict[str, list[Mapping[str, Any]]] = {}
    for record in records:
        if any(finding.get("fix") for finding in record["report"]["findings"]):
            by_path.setdefault(record["location"]["path"], []).append(record)
    for path, file_records in by_path.items():
        _plan_file(plan, path, file_records, secret=secret, secrets=secrets or {},
                   unsafe=unsafe, config=config, keyring=keyring)
    return plan


def _plan_file(plan: FixPlan, path: str, records: list[Mapping[str, Any]], *,
               secret: Secret | None, secrets: Mapping[str, Secret], unsafe: bool,
               config: Config | None, keyring: Keyring | None) -> None:
    def refuse(record: Mapping[str, Any], reason: str) -> None:
        location = record["location"]
        plan.not_fixable.append(NotFixable(path, location["line"], location["column"], reason))

    def fixed_form(record: Mapping[str, Any]) -> FixResult | None:
        """The link with its fixes applied; None where nothing would change."""
        codes = {finding["code"] for finding in record["report"]["findings"]}
        if TEMPLATE_PLACEHOLDER in codes:
            refuse(record, "holds template placeholders: encoding or re-signing them would "
                   "break the template; fix it by hand")
            return None
        fixed = fix_link(record["url"], secret=secret, secrets=secrets, unsafe=unsafe,
                         config=config, keyring=keyring)
        if fixed.fixed == record["url"]:
            return None  # only unsafe fixes, and no --unsafe-fixes
        if record.get("wrappers"):
            refuse(record, f"inside a redirect wrapper ({' > '.join(record['wrappers'])}): "
                   "fix the link before it is wrapped")
            return None
        return fixed

    kind = records[0]["location"]["kind"]
    if kind == "qr":
        for record in records:
            if fixed_form(record) is not None:
                refuse(record, "in a QR image: print a new code from the fixed link")
        return
    try:
        with open(path, "rb") as stream:
            original = stream.read()
    except OSError as error:
        for record in records:
            refuse(record, f"cannot read the file: {error.strerror or error}")
        return
    bom = b"\xef\xbb\xbf" if original.startswith(b"\xef\xbb\xbf") else b""
    try:
        text = original[len(bom):].decode("utf-8")
    except UnicodeDecodeError:
        for record in records:
            refuse(record, "the file is not UTF-8: it is left as it is")
        return
    starts = _line_starts(text)
    edits: list[tuple[int, int, str]] = []
    claimed: set[int] = set()
    result = FileFix(path, original, original)
    for record in records:
        fixed = fixed_form(record)
        if fixed is None:
            continue
        place = _find(text, starts, record, kind, claimed)
        if isinstance(place, str):
            refuse(record, place)
            continue
        start, end, encoder = place
        written = _output_encoder(kind, encoder)(fixed.fixed)
        problem = _breaks_container(text, start, end, written, kind)
        if problem is not None:
            refuse(record, problem)
            continue
        if any(start < other_end and other_start < end for other_start, other_end, _ in edits):
            refuse(record, "overlaps another link being fixed: run --fix again")
            continue
        claimed.add(start)
        edits.append((start, end, written))
        result.links_fixed += 1
        result.applied.extend(fixed.applied)
    edits.sort()
    pieces: list[str] = []
    position = 0
    for start, end, written in edits:
        pieces.append(text[position:start])
        pieces.append(written)
        position = end
    pieces.append(text[position:])
    result.fixed = bom + "".join(pieces).encode("utf-8")
    plan.files.append(result)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    index = text.find("\n")
    while index >= 0:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def _find(text: str, starts: list[int], record: Mapping[str, Any], kind: str,
          claimed: set[int]) -> tuple[int, int, Encoder] | str:
    """Where the link is written (start, end, its form), or why it cannot be found."""
    url = record["url"]
    forms = FORMS.get(kind, [_identity])
    if kind == "eml":
        # Line and column count in the decoded part: look for the link as written in the
        # file; a quoted-printable or base64 body never holds it as it is.
        for encode in forms:
            written = encode(url)
            index = text.find(written)
            while index >= 0 and index in claimed:
                index = text.find(written, index + 1)
            if index >= 0:
                return index, index + len(written), encode
        return ("in a quoted-printable or base64 e-mail body: fix the template the "
                "message was made from")
    location = record["location"]
    line, column = int(location["line"]), int(location["column"])
    if not 1 <= line <= len(starts):
        return "the link's place is not in the file (was it changed since the audit?)"
    start = starts[line - 1] + column - 1
    for encode in forms:
        written = encode(url)
        if text.startswith(written, start):
            return start, start + len(written), encode
    return "written with escapes the fixer cannot reproduce: fix it by hand"


def _breaks_container(text: str, start: int, end: int, written: str, kind: str) -> str | None:
    """Why writing ``written`` there would break the document around it, if it would."""
    if kind in ("csv", "tsv"):
        quoted = start > 0 and text[start - 1] == '"'
        delimiter = "," if kind == "csv" else "\t"
        if not quoted and any(ch in written for ch in (delimiter, '"', "\n", "\r")):
            return "the fixed link needs the cell quoted: fix it by hand"
    if kind == "markdown" and text[end:end + 1] == ")" and ("(" in written or ")" in written):
        return "the fixed link has parentheses inside a Markdown link: fix it by hand"
    if "\n" in written or "\r" in written:
        return "the fixed link would span lines"
    return None


def relative_name(path: str) -> str:
    """``path`` as diff headers show it: relative to the working directory where inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
