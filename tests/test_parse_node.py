"""Differential test: our decoding against Node's WHATWG ``URL`` / ``URLSearchParams``.

Node runs once for the whole batch; the test skips with a reason where no
``node`` is installed.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess

import pytest

from validator import parse

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed: no WHATWG reference")

NODE_SCRIPT = r"""
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = input.map((text) => {
  let url;
  try { url = new URL(text); } catch (e) { return { ok: false }; }
  const pairs = [...url.searchParams];
  const firsts = {};
  for (const [k] of pairs) if (!(k in firsts)) firsts[k] = url.searchParams.get(k);
  return { ok: true, protocol: url.protocol, hostname: url.hostname, port: url.port,
           pairs, firsts, hash: url.hash };
});
process.stdout.write(JSON.stringify(out));
"""

SCHEMES = ["https://", "http://", "HTTPS://", "https:", "https:/", "https:\\\\", " \thttps://"]
HOSTS = [
    "visitorchat.twt.com",
    "Visitor.ChatTWT.com",
    "h",
    "bücher.de",
    "1.2.3.4",
    "0x7f.1",
    "[::1]",
    "user:pw@h",
    "h:443",
    "h:8080",
    "h:99999",
    "exa mple.com",
    "a%41b.com",
    "",
]
PATHS = ["/direct/app", "/x/direct/app/", "\\direct\\app", "/direct/", "/a/../direct/b", ""]
PIECES = [
    "a",
    "b",
    "direct",
    "chatid",
    "chat_id",
    "lang",
    "sbs",
    "sbs_mm",
    "ranstr",
    "=",
    "==",
    "&",
    "&&",
    "+",
    "%",
    "%2",
    "%20",
    "%2B",
    "%25",
    "%zz",
    "%C3%A9",
    "%e4%b8%ad",
    "%FF",
    "%ED%A0%80",
    "%F0%9F%98%80",
    " ",
    "\t",
    "\n",
    "\r",
    "#",
    "?",
    "/",
    "\\",
    "é",
    "中",
    "😀",
    "\ufeff",
    "\u0000",
    "'",
    '"',
    "<",
    "`",
]


def _random_link(rng: random.Random) -> str:
    query = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 14)))
    link = rng.choice(SCHEMES) + rng.choice(HOSTS) + rng.choice(PATHS)
    if rng.random() < 0.9:
        link += "?" + query
    if rng.random() < 0.3:
        link += "#" + "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 5)))
    if rng.random() < 0.1:
        link += rng.choice([" ", "\x00", "\x1f"])
    return link


def _node(inputs: list[str]) -> list[dict[str, object]]:
    assert NODE is not None
    completed = subprocess.run(
        [NODE, "-e", NODE_SCRIPT],
        input=json.dumps(inputs),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: list[dict[str, object]] = json.loads(completed.stdout)
    return result


def test_decoding_matches_node_on_generated_links() -> None:
    rng = random.Random(20261125)
    inputs = [_random_link(rng) for _ in range(4000)]
    mismatches: list[str] = []
    for text, expected in zip(inputs, _node(inputs), strict=True):
        link = parse(text)
        if not expected["ok"]:
            if link.is_url:
                mismatches.append(f"{text!r}: node rejects, we accept")
            continue
        if not link.is_url:
            mismatches.append(f"{text!r}: node accepts, we reject ({link.error})")
            continue
        pairs = [[p.name, p.value] for p in link.params]
        if pairs != expected["pairs"]:
            mismatches.append(f"{text!r}: pairs {pairs} != {expected['pairs']}")
        firsts = expected["firsts"]
        assert isinstance(firsts, dict)
        for name, value in firsts.items():
            if link.get(name) != value:
                mismatches.append(f"{text!r}: get({name!r}) {link.get(name)!r} != {value!r}")
        if link.host != expected["hostname"]:
            mismatches.append(f"{text!r}: host {link.host!r} != {expected['hostname']!r}")
        port = "" if link.port is None else str(link.port)
        if port != expected["port"]:
            mismatches.append(f"{text!r}: port {port!r} != {expected['port']!r}")
        if (link.fragment is not None and link.fragment != "") != bool(expected["hash"]):
            mismatches.append(f"{text!r}: fragment {link.fragment!r} != {expected['hash']!r}")
    assert not mismatches, "\n".join(mismatches[:20])


def test_wpt_style_queries_match_node() -> None:
    rng = random.Random(7)
    queries = ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 20))) for _ in range(2000)]
    inputs = ["https://h/direct/app?" + q for q in queries]
    for text, expected in zip(inputs, _node(inputs), strict=True):
        assert expected["ok"]
        assert [[p.name, p.value] for p in parse(text).params] == expected["pairs"], text
