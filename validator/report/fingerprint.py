"""The stable identity of a finding: SARIF ``partialFingerprints`` and the baseline file's keys.

A finding is the same finding while its file, its rule and its link stay the
same: moving the link to another line, or editing the file around it, keeps
its fingerprint, so a baseline adopted once goes on matching, and code
scanning tracks the alert across commits. The fingerprint is a digest, so a
baseline file never holds the links themselves (nor the customer data in them).
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

#: The ``partialFingerprints`` key (versioned: a change of recipe is a new key).
FINGERPRINT_KEY = "directlinkFinding/v2"


def fingerprint(path: str, code: str, url: str) -> str:
    """32 hex digits naming (path, rule, link); paths relative to the working directory."""
    if os.path.isabs(path):
        # The same file audited as /repo/a.html or as a.html from /repo: one fingerprint.
        relative = os.path.relpath(path)
        path = path if relative.startswith("..") else relative
    normal = path.replace("\\", "/")
    while normal.startswith("./"):
        normal = normal[2:]
    data = "\0".join((normal, code, url)).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:32]


def finding_fingerprint(record: dict[str, Any], finding: dict[str, Any]) -> str:
    """The fingerprint of ``finding`` on the link ``record`` (a report record)."""
    return fingerprint(str(record["location"]["path"]), str(finding["code"]), str(record["url"]))
