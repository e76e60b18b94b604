"""``.gitignore`` and ``.ignore`` files, read as git reads them, so an audit skips what git does.

Each folder's ``.gitignore`` and ``.ignore`` apply to the paths under it; a
deeper file overrides a shallower one (a ``!pattern`` there re-includes), and
the files of the folders above the audited one count too, up to the root of
the repository (the folder holding ``.git``). Patterns are matched by the
``pathspec`` library's git-exact implementation.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pathspec

IGNORE_FILES = (".gitignore", ".ignore")


@dataclass(frozen=True)
class _Rules:
    folder: str
    source: str
    spec: pathspec.GitIgnoreSpec


class IgnoreFiles:
    """The ignore rules in force while walking down from one root."""

    def __init__(self, root: str) -> None:
        # Keyed by absolute folder; sources are named as the walk names the folders.
        self._by_folder: dict[str, tuple[_Rules, ...]] = {}
        inherited: tuple[_Rules, ...] = ()
        for folder in _folders_above(root):
            inherited = inherited + _read_rules(os.path.relpath(folder))
        self._above = inherited

    def enter(self, folder: str) -> None:
        """Read ``folder``'s own ignore files (call for each folder, parents first)."""
        key = os.path.abspath(folder)
        base = self._by_folder.get(os.path.dirname(key), self._above)
        self._by_folder[key] = base + _read_rules(folder)

    def ignored_by(self, path: str, *, is_dir: bool) -> str | None:
        """The ignore file that excludes ``path`` (``a/.gitignore``), or None."""
        rules = self._by_folder.get(os.path.dirname(os.path.abspath(path)), self._above)
        for rule in reversed(rules):  # the deepest file decides
            relative = Path(os.path.relpath(path, rule.folder)).as_posix()
            if relative.startswith("../"):
                continue
            result = rule.spec.check_file(relative + "/" if is_dir else relative)
            if result.include is not None:
                return rule.source if result.include else None
        return None


def _read_rules(folder: str) -> tuple[_Rules, ...]:
    found: list[_Rules] = []
    for name in IGNORE_FILES:
        candidate = os.path.join(folder, name)
        try:
            with open(candidate, encoding="utf-8", errors="replace") as stream:
                lines = stream.read().splitlines()
        except OSError:
            continue
        found.append(_Rules(folder, candidate, pathspec.GitIgnoreSpec.from_lines(lines)))
    return tuple(found)


def _folders_above(root: str) -> list[str]:
    """The folders above ``root`` up to its repository's top, outermost first (none outside git)."""
    folder = os.path.abspath(root)
    chain: list[str] = []
    current = os.path.dirname(folder)
    if os.path.exists(os.path.join(folder, ".git")):
        return []
    while True:
        chain.append(current)
        if os.path.exists(os.path.join(current, ".git")):
            return list(reversed(chain))
        parent = os.path.dirname(current)
        if parent == current:
            return []  # not inside a repository: only the audited folders' own files count
        current = parent
