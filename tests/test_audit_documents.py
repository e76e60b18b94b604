"""The audit on mailboxes, office documents and PDFs: every planted link, in every format,
and every broken, encrypted or hostile document accounted for."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from document_fixtures import (
    BAD_LANG,
    GOOD,
    NO_DIRECT,
    SECRET_TEXT,
    Expected,
    plant_docx,
    plant_ods,
    plant_odt,
    plant_pdf,
    plant_pptx,
    plant_xlsx,
    samples,
)

import validator
from validator.cli import cli

PLANTERS = {
    "links.xlsx": plant_xlsx,
    "letter.docx": plant_docx,
    "deck.pptx": plant_pptx,
    "note.odt": plant_odt,
    "prices.ods": plant_ods,
    "flyer.pdf": plant_pdf,
}

Placed = set[tuple[str, str, int, int, str]]


def plant_all(root: Path) -> Placed:
    """Every planted document under ``root``; the links as (path, part, line, column, url)."""
    expected: Placed = set()
    for name, plant in PLANTERS.items():
        path = root / name
        planted: Expected = plant(path)
        expected |= {(str(path), part, line, column, url) for part, line, column, url in planted}
    box = root / "campaign.mbox"
    samples.write_mbox(box, [
        samples.message("one", f"Chat: {GOOD}\n", number=1, cte="7bit"),
        samples.message("two", f"Chat: {NO_DIRECT}\n", number=2, cte="7bit"),
    ])
    line = samples.message("x", f"Chat: {GOOD}\n", number=1, cte="7bit").as_string() \
        .splitlines().index(f"Chat: {GOOD}") + 1
    expected |= {
        (f"{box}#message-1", "part 1 text/plain", line, 7, GOOD),
        (f"{box}#message-2", "part 1 text/plain", line, 7, NO_DIRECT),
    }
    [message] = samples.write_maildir(root / "Maildir", [
        samples.message("three", f"Chat: {BAD_LANG}\n", number=3, cte="7bit"),
    ])
    expected.add((str(message), "part 1 text/plain", line, 7, BAD_LANG))
    return expected


def _placed(record: dict[str, object]) -> tuple[str, str, int, int, str]:
    location = record["location"]
    assert isinstance(location, dict)
    return (location["path"], location["part"] or "", location["line"], location["column"],
            str(record["url"]))


def test_the_audit_finds_exactly_the_planted_links_at_their_places(tmp_path: Path) -> None:
    expected = plant_all(tmp_path)
    secrets = {"demo_app": validator.Secret(SECRET_TEXT)}
    with validator.audit([tmp_path], secrets=secrets, jobs=2) as result:
        records = list(result.records())
        statuses = {path.path: (path.status, path.reason) for path in result.paths}
        summary = result.summary
    assert {_placed(record) for record in records} == expected
    assert len(records) == len(expected)
    assert all(status == ("audited", None) for status in statuses.values()), statuses
    assert summary.files == len(PLANTERS) + 2
    assert summary.links == len(expected)
    # The good link is signed right: only the bearer-link note (and its reuse) is said of it.
    good_codes = {finding["code"] for record in records if record["url"] == GOOD
                  for finding in record["report"]["findings"]}
    assert good_codes <= {"DL313", "DL310"}
    codes = {code for record in records for code in
             (finding["code"] for finding in record["report"]["findings"])}
    assert {"DL101", "DL306", "DL202"} <= codes


def test_sarif_points_at_each_document_and_names_the_place(tmp_path: Path) -> None:
    expected = plant_all(tmp_path)
    secrets = tmp_path.parent / f"{tmp_path.name}-secrets.toml"
    secrets.write_text(f'demo_app = "{SECRET_TEXT}"\n')
    runner = CliRunner()
    result = runner.invoke(cli, ["audit", str(tmp_path), "--format", "sarif",
                                 "--secrets-file", str(secrets), "--jobs", "1"])
    assert result.exit_code == 1, result.output
    sarif = json.loads(result.output)
    places = set()
    for finding in sarif["runs"][0]["results"]:
        [location] = finding["locations"]
        physical = location["physicalLocation"]
        [logical] = location["logicalLocations"]
        places.add((physical["artifactLocation"]["uri"], logical["name"],
                    physical["region"]["startLine"]))
    # Every planted link has a finding (the good one its bearer-link note).
    assert {(uri.lstrip("/"), name, line) for uri, name, line in places} == {
        (path.lstrip("/"), part, line) for path, part, line, _column, _url in expected
    }


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                  b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>')


def test_broken_encrypted_and_hostile_documents_are_unreadable_and_the_rest_audited(
    tmp_path: Path,
) -> None:
    plant_xlsx(tmp_path / "fine.xlsx")
    (tmp_path / "truncated.docx").write_bytes(samples.docx_bytes([["x"]])[:300])
    (tmp_path / "locked.pdf").write_bytes(
        samples.pdf_bytes([samples.PdfPage(annotations=[GOOD])], password="pw"))
    (tmp_path / "protected.pptx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    import io
    import zipfile

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("content.xml", bytes(8 * 1024 * 1024))
    (tmp_path / "bomb.ods").write_bytes(bomb.getvalue())
    laughs = io.BytesIO()
    with zipfile.ZipFile(laughs, "w") as package:
        package.writestr("content.xml", BILLION_LAUGHS)
    (tmp_path / "laughs.odt").write_bytes(laughs.getvalue())
    (tmp_path / "not-a-box.mbox").write_text("hello\n")
    with validator.audit([tmp_path], jobs=1) as result:
        statuses = {os.path.basename(path.path): (path.status, path.reason)
                    for path in result.paths}
        links = result.summary.links
    assert statuses["fine.xlsx"] == ("audited", None)
    assert links == len(plant_xlsx(tmp_path / "again.xlsx"))
    reasons = {name: reason for name, (status, reason) in statuses.items()
               if status == "unreadable"}
    assert reasons == {
        "truncated.docx": reasons["truncated.docx"],
        "locked.pdf": "pdf: encrypted, needs a password",
        "protected.pptx": "pptx: encrypted (password-protected) or legacy binary Office file, "
                          "not read",
        "bomb.ods": reasons["bomb.ods"],
        "laughs.odt": "odt: part content.xml: XML bomb refused (DTDForbidden)",
        "not-a-box.mbox": "mbox: the file does not start with a 'From ' separator line",
    }
    assert reasons["truncated.docx"].startswith("docx: not a readable zip package")
    assert re.fullmatch(r"ods: zip bomb refused: content.xml inflates 10\d\d times, "
                        r"more than 200", reasons["bomb.ods"])


def test_the_command_fails_and_names_each_unreadable_document(tmp_path: Path) -> None:
    (tmp_path / "locked.pdf").write_bytes(
        samples.pdf_bytes([samples.PdfPage(annotations=[GOOD])], password="pw"))
    result = CliRunner().invoke(cli, ["audit", str(tmp_path), "--jobs", "1"])
    assert result.exit_code == 1
    assert "locked.pdf" in result.output
    assert "encrypted, needs a password" in result.output


def test_without_the_extra_the_audit_fails_closed_and_names_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *args: None if name == "pypdf" else real(name, *args))
    plant_pdf(tmp_path / "flyer.pdf")
    result = CliRunner().invoke(cli, ["audit", str(tmp_path), "--jobs", "1"])
    assert result.exit_code != 0
    assert "pip install 'directlink-validator[pdf]'" in result.output


SAMPLES = Path(__file__).resolve().parent.parent / "corpora" / "samples"


def _links_by_place(root: Path) -> list[tuple[str, str, int, int, str]]:
    with validator.audit([root], jobs=1) as result:
        assert result.summary.unreadable == 0, [p for p in result.paths if p.reason]
        return sorted(
            (os.path.relpath(path, root), part, line, column, url)
            for path, part, line, column, url in map(_placed, result.records())
        )


def test_the_committed_samples_are_what_the_script_makes(tmp_path: Path) -> None:
    """corpora/make_samples.py remakes the documents of corpora/samples/ (same links, same
    places; the bytes may differ with the writing libraries' versions)."""
    made = {path.relative_to(tmp_path).as_posix() for path in samples.make_samples(tmp_path)}
    committed = tmp_path.parent / f"{tmp_path.name}-committed"
    committed.mkdir()
    for name in made:
        target = committed / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((SAMPLES / name).read_bytes())
    assert _links_by_place(tmp_path) == _links_by_place(committed)


def test_the_readme_sample_audit_reads_every_kind_of_document() -> None:
    with validator.audit([SAMPLES], jobs=1) as result:
        kinds = {path.kind for path in result.paths if path.links}
        assert result.summary.unreadable == 0
    assert {"mbox", "eml", "xlsx", "docx", "pptx", "ods", "odt", "pdf", "qr"} <= kinds
