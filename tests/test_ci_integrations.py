"""The GitHub Action (action.yml): its shape, and its audit step run for real on the samples."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from report_schemas import sarif_errors

ROOT = Path(__file__).parent.parent
SAMPLES = ROOT / "corpora" / "samples"


def action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return data


def step(name: str) -> dict[str, Any]:
    return next(s for s in action()["runs"]["steps"] if s.get("name") == name)


def test_the_action_is_composite_install_audit_upload_then_fail() -> None:
    data = action()
    assert data["runs"]["using"] == "composite"
    names = [s.get("name") or s["uses"] for s in data["runs"]["steps"]]
    assert names == ["actions/setup-python@v5", "Install directlink-validator", "Audit",
                     "Upload SARIF to code scanning", "Fail as the audit did"]
    assert "${GITHUB_ACTION_PATH}" in step("Install directlink-validator")["run"]
    upload = step("Upload SARIF to code scanning")
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["if"].startswith("${{ always()")
    assert all("shell" in s for s in data["runs"]["steps"] if "run" in s)
    assert set(data["inputs"]) >= {"paths", "args", "sarif-file", "upload-sarif"}


def run_audit_step(tmp_path: Path, paths: str, args: str) -> tuple[int, Path, str]:
    output = tmp_path / "github_output"
    output.touch()
    sarif = tmp_path / "directlink.sarif"
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "AUDIT_PATHS": paths, "AUDIT_ARGS": args, "SARIF_FILE": str(sarif),
           "GITHUB_OUTPUT": str(output), "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    env.pop("DIRECTLINK_APP_SECRET", None)
    bash = shutil.which("bash")
    assert bash is not None
    completed = subprocess.run([bash, "-e", "-c", step("Audit")["run"]], env=env,
                               capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr  # the step itself never fails the job
    values = dict(line.split("=", 1) for line in output.read_text().splitlines())
    return int(values["exit-code"]), sarif, completed.stdout


def test_the_audit_step_writes_valid_sarif_and_passes_the_exit_status_on(tmp_path: Path) -> None:
    samples = tmp_path / "samples"
    shutil.copytree(SAMPLES, samples)
    status, sarif, stdout = run_audit_step(
        tmp_path, str(samples), f"--jobs 1 --secrets-file {samples / 'secrets.toml'}"
    )
    assert status == 1  # the samples hold broken links on purpose
    document = json.loads(sarif.read_text(encoding="utf-8"))
    assert sarif_errors(document) == []
    assert document["runs"][0]["results"]
    assert stdout.startswith("directlink: ")
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "a.txt").write_text(
        "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1\n", encoding="utf-8"
    )
    status, _, _ = run_audit_step(tmp_path, str(clean), "--jobs 1")
    assert status == 0
    status, _, _ = run_audit_step(tmp_path, str(clean), "--no-such-option")
    assert status == 2
