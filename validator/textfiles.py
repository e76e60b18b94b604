"""Read a small text file a user named, with one clear reason when it cannot be read."""

from __future__ import annotations

import os
from pathlib import Path


class UnreadableFile(ValueError):
    """The file is missing, a directory, not permitted or not UTF-8; the message says which.

    The message names the file, never its content (it may be a secret).
    """


def read_text(
    path: str | os.PathLike[str], what: str, *, encoding: str = "utf-8", max_bytes: int
) -> str:
    """The text of ``path``; ``what`` names the file in messages ("secret file").

    No more than ``max_bytes`` are read: a larger file (or ``/dev/zero``) is refused.
    """
    name = os.fspath(path)
    try:
        with Path(name).open("rb") as handle:
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise UnreadableFile(f"{what} {name} is over the limit of {max_bytes:,} bytes")
        return data.decode(encoding)
    except FileNotFoundError:
        raise UnreadableFile(f"{what} {name} does not exist") from None
    except IsADirectoryError:
        raise UnreadableFile(f"{what} {name} is a directory") from None
    except PermissionError:
        raise UnreadableFile(f"{what} {name} cannot be read: permission denied") from None
    except (UnicodeDecodeError, UnicodeError):
        raise UnreadableFile(f"{what} {name} is not UTF-8 text") from None
    except OSError as error:
        raise UnreadableFile(f"{what} {name} cannot be read: {error.strerror}") from None
