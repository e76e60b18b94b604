"""Which files to read: folders walked recursively, include/exclude globs, binary files skipped.

Every path is accounted for: a file is yielded either with the kind of
document it holds or with the reason it is skipped.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import ModuleType

from validator.extract.ignore_files import IgnoreFiles
from validator.extract.model import SourceKind

#: Folders nobody wants audited, skipped unless a path names them directly.
DEFAULT_EXCLUDED_DIRS = frozenset(
    {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", ".tox", ".mypy_cache"}
)

SUFFIX_KINDS: dict[str, SourceKind] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".eml": "eml",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".md": "markdown",
    ".markdown": "markdown",
    ".png": "qr",
    ".jpg": "qr",
    ".jpeg": "qr",
    ".gif": "qr",
    ".bmp": "qr",
    ".webp": "qr",
    ".mbox": "mbox",
    ".mbx": "mbox",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".docx": "docx",
    ".docm": "docx",
    ".pptx": "pptx",
    ".pptm": "pptx",
    ".ods": "ods",
    ".odt": "odt",
    ".pdf": "pdf",
}

#: Maildir: messages are the files of ``cur/`` and ``new/``; ``tmp/`` holds deliveries
#: still being written. A folder holding ``cur/`` and ``new/`` is a Maildir.
MAILDIR_FOLDERS = ("cur", "new", "tmp")
#: Why a file in a Maildir's ``tmp/`` is skipped.
MAILDIR_TMP_REASON = "Maildir tmp/: a message still being delivered"

#: Bytes sniffed to tell text from binary (git uses the first 8000).
SNIFF_BYTES = 8000


@dataclass(frozen=True, slots=True)
class PathEntry:
    """A file to read (``kind`` set) or a path skipped (``skip_reason`` set)."""

    path: str
    kind: SourceKind | None
    skip_reason: str | None = None
    #: Why the path could not be read, where it could not.
    error: str | None = None


#: Template engines' suffixes: ``welcome.html.j2`` is HTML, ``notes.txt.tpl`` text.
TEMPLATE_SUFFIXES = frozenset({".j2", ".jinja", ".jinja2", ".tpl", ".tmpl", ".template",
                               ".erb", ".ejs", ".liquid"})
#: Suffixes of HTML-producing template languages.
HTML_TEMPLATE_SUFFIXES = frozenset({".hbs", ".handlebars", ".mjml", ".twig", ".mustache"})


def kind_for(path: str) -> SourceKind | None:
    """The kind a file's name tells, or None for 'text, if it is not binary'."""
    suffixes = [suffix.lower() for suffix in PurePosixPath(path).suffixes]
    if not suffixes:
        return None
    if suffixes[-1] in HTML_TEMPLATE_SUFFIXES:
        return "html"
    if suffixes[-1] in TEMPLATE_SUFFIXES and len(suffixes) > 1:
        return SUFFIX_KINDS.get(suffixes[-2])
    return SUFFIX_KINDS.get(suffixes[-1])


def shown_path(path: str) -> str:
    """A path as reports show it: a name that is not UTF-8 with its bytes as ``\\xNN``.

    The operating system hands such names over with surrogate escapes, which
    no UTF-8 output can hold; ``caf\\xe9.log`` can be printed, written to JSON
    and read by a person. Other names are returned as they are.
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path


def is_binary(head: bytes) -> bool:
    """A NUL byte in the first bytes, as git decides, unless the text is UTF-16/32."""
    if b"\x00" not in head:
        return False
    from validator.extract.text import sniff_encoding

    return not sniff_encoding(head).startswith(("utf-16", "utf-32"))


def _matches(relative: str, patterns: Iterable[str]) -> str | None:
    name = relative.rsplit("/", 1)[-1]
    for pattern in patterns:
        bare = pattern.rstrip("/")
        if bare.endswith("/**"):
            prefix = bare[:-3]
            if relative == prefix or relative.startswith(prefix + "/") or fnmatch.fnmatchcase(
                relative, prefix
            ):
                return pattern
        if fnmatch.fnmatchcase(relative, bare) or fnmatch.fnmatchcase(name, bare):
            return pattern
        if bare.startswith("**/") and fnmatch.fnmatchcase(relative, bare[3:]):
            return pattern
    return None


def walk(
    paths: Iterable[str | os.PathLike[str]],
    *,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    respect_ignore_files: bool = True,
) -> Iterator[PathEntry]:
    """Files under ``paths`` in a stable order (sorted within each folder).

    In folders, what ``.gitignore`` and ``.ignore`` files exclude is skipped
    (with the file that says so), unless ``respect_ignore_files`` is False.
    """
    includes = tuple(include)
    excludes = tuple(exclude)
    for given in paths:
        root = os.fspath(given)
        if os.path.isdir(root):
            ignore = IgnoreFiles(root) if respect_ignore_files else None
            yield from _walk_folder(root, includes, excludes, ignore)
        elif os.path.lexists(root):
            # A file named on the command line is read whatever the globs say.
            yield _file_entry(root)
        else:
            yield PathEntry(root, None, None, "does not exist")


def _walk_folder(
    root: str, includes: tuple[str, ...], excludes: tuple[str, ...],
    ignore: IgnoreFiles | None = None,
) -> Iterator[PathEntry]:
    errors: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=errors.append):
        while errors:
            failed = errors.pop(0)
            yield PathEntry(str(failed.filename), None, None, _reason(failed))
        if ignore is not None:
            ignore.enter(folder)
        relative_folder = os.path.relpath(folder, root)
        kept: list[str] = []
        for name in sorted(dirs):
            relative = _join(relative_folder, name)
            full = os.path.join(folder, name)
            if name in DEFAULT_EXCLUDED_DIRS:
                yield PathEntry(full, None, f"folder {name} skipped by default")
            elif (pattern := _matches(relative, excludes)) is not None:
                yield PathEntry(full, None, f"excluded by {pattern}")
            elif ignore is not None and (source := ignore.ignored_by(full, is_dir=True)):
                yield PathEntry(full, None, f"ignored by {source}")
            elif os.path.islink(full):
                yield PathEntry(full, None, "symbolic link to a folder not followed")
            else:
                kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            relative = _join(relative_folder, name)
            full = os.path.join(folder, name)
            if (pattern := _matches(relative, excludes)) is not None:
                yield PathEntry(full, None, f"excluded by {pattern}")
            elif ignore is not None and (source := ignore.ignored_by(full, is_dir=False)):
                yield PathEntry(full, None, f"ignored by {source}")
            elif includes and _matches(relative, includes) is None:
                yield PathEntry(full, None, "not matched by --include")
            else:
                yield _file_entry(full)
    for failed in errors:
        yield PathEntry(str(failed.filename), None, None, _reason(failed))


def maildir_folder(
    path: str, isdir: Callable[[str], bool] = os.path.isdir, paths: ModuleType = os.path
) -> str | None:
    """``cur``, ``new`` or ``tmp`` for a file directly inside a Maildir's folder, else None.

    ``isdir`` and ``paths`` (``os.path`` or ``posixpath``) let a remote file
    system of the Dask audit ask the same question.
    """
    folder, _ = paths.split(path)
    root, name = paths.split(folder)
    if name not in MAILDIR_FOLDERS:
        return None
    # tmp/ is often empty, so not kept by version control: cur/ and new/ make a Maildir.
    if all(isdir(paths.join(root, sub)) for sub in ("cur", "new")):
        return str(name)
    return None


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def _join(folder: str, name: str) -> str:
    return name if folder == "." else Path(folder, name).as_posix()


def _file_entry(path: str) -> PathEntry:
    if os.path.islink(path) and not os.path.exists(path):
        return PathEntry(path, None, None, "broken symbolic link")
    if not os.path.isfile(path):
        return PathEntry(path, None, "not a regular file")
    maildir = maildir_folder(path)
    if maildir == "tmp":
        return PathEntry(path, None, MAILDIR_TMP_REASON)
    kind = "eml" if maildir else kind_for(path)
    if kind is not None:
        return PathEntry(path, kind)
    # Binary or text is decided when the file is read (it may be unreadable).
    return PathEntry(path, "text")
