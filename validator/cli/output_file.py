"""A report file written whole or not at all.

``-o FILE`` of every command goes through :func:`report_output`. The report
goes to a temporary file beside the target, which replaces the target only
once the report is complete: a run that fails half-way (a full disk, an
interrupt, a bug) leaves the previous file as it was, never a truncated JSON
or SARIF document that a CI step would then read.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import TextIO


@contextlib.contextmanager
def written_atomically(path: str) -> Iterator[TextIO]:
    """A UTF-8 text stream whose content becomes ``path`` when the block ends without error.

    Raises :class:`OSError` where the folder cannot hold the temporary file.
    """
    import tempfile  # here: tempfile loads shutil, bz2 and lzma, which writing to stdout needs not

    folder, name = os.path.split(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
    try:
        with open(handle, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
        if os.path.exists(path):
            with contextlib.suppress(OSError):
                os.chmod(temporary, os.stat(path).st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def report_output(path: str | None) -> Iterator[TextIO]:
    """Standard output (``None`` or ``-``), or ``path`` written atomically.

    Prints (``click.echo``, ``print``) inside the block go to the stream too. A
    file that cannot be created or put in place is a user mistake: one line, exit 2.
    """
    if path is None or path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    from validator.cli.main import InputError

    try:
        target = written_atomically(path)
        stream = target.__enter__()
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror}") from None
    try:
        with contextlib.redirect_stdout(stream):
            yield stream
    except BaseException:
        target.__exit__(*sys.exc_info())
        raise
    try:
        target.__exit__(None, None, None)
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror}") from None
