"""Node.js as the WHATWG reference: decode a whole batch of URLs or queries in ONE process.

Usage in a test::

    from tests.node_reference import NODE, node_decode
    pytestmark = pytest.mark.skipif(NODE is None, reason=NODE_MISSING)
    results = node_decode(["https://h/direct/a?x=1"])          # URLs
    results = node_decode(["x=1&y=%zz"], kind="query")          # bare query strings

Each result is ``{"ok": False}`` where ``new URL`` throws, else
``{"ok": True, "pairs": [[name, value], ...]}`` (``URLSearchParams`` order) and,
for URLs, ``protocol``, ``hostname``, ``port``, ``pathname``, ``search``, ``hash``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from typing import Any, Literal

NODE = shutil.which("node")
NODE_MISSING = "node is not installed: no WHATWG URLSearchParams reference to compare against"

_SCRIPT = r"""
const { kind, inputs } = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = inputs.map((text) => {
  if (kind === 'query') {
    // The standard UTF-8-encodes the string before percent-decoding. Node 20's
    // string constructor gets raw non-ASCII beside a bad escape wrong ("é%F2"
    // gives two U+FFFD, not "é" and one), so encode the non-ASCII text first,
    // exactly as the URL parser does before the page reads location.search.
    const wellFormed = text.replace(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
    const encoded = wellFormed.replace(/[^\x00-\x7f]+/g, (run) => encodeURIComponent(run));
    return { ok: true, pairs: [...new URLSearchParams(encoded)] };
  }
  let url;
  try { url = new URL(text); } catch (e) { return { ok: false }; }
  return {
    ok: true, pairs: [...url.searchParams], protocol: url.protocol, hostname: url.hostname,
    port: url.port, pathname: url.pathname, search: url.search, hash: url.hash,
  };
});
process.stdout.write(JSON.stringify(out));
"""


def node_decode(
    inputs: Sequence[str], *, kind: Literal["url", "query"] = "url", timeout: float = 60.0
) -> list[dict[str, Any]]:
    """Decode every input with Node's ``URL``/``URLSearchParams``; one ``node`` run per call."""
    if NODE is None:
        raise RuntimeError(NODE_MISSING)
    payload = json.dumps({"kind": kind, "inputs": list(inputs)})
    completed = subprocess.run(
        [NODE, "-e", _SCRIPT],
        input=payload.encode("utf-8", "surrogatepass"),
        capture_output=True,
        timeout=timeout,
        check=True,
    )
    results: list[dict[str, Any]] = json.loads(completed.stdout.decode("utf-8"))
    if len(results) != len(inputs):
        raise RuntimeError(f"node answered {len(results)} results for {len(inputs)} inputs")
    return results


def pairs_of(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(name, value) for name, value in result["pairs"]]
