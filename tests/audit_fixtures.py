"""A small tree of documents with good and broken links, written by the audit tests."""

from __future__ import annotations

from pathlib import Path

from validator.build import build
from validator.signature import Secret, sign

SECRET = Secret("sample-secret-for-tests-0001")
BASE = "https://visitorchat.twt.com/direct/demo_app"


def signed(sbs: str, ranstr: str, *, upper: bool = False, chat: str = "s1") -> str:
    mm = sign(sbs, ranstr, SECRET)
    return f"{BASE}?direct=1&chatid={chat}&sbs={sbs}&sbs_mm={mm.upper() if upper else mm}" \
        f"&ranstr={ranstr}"


def write_tree(root: Path) -> dict[str, Path]:
    good = build("demo_app", chat_id="s1", lang="en", sbs="cust-1", ranstr="r4nd0mR4nstr0001",
                 secret=SECRET)
    files = {
        "templates/welcome.html": (
            "<html><body>\n"
            f'<a href="{good.replace("&", "&amp;")}">Chat</a>\n'
            f'<a href="{BASE}?chatid=42&amp;lang=en">No direct</a>\n'
            f'<a href="{signed("cust-2", "Upp3rCaseRanstr1", upper=True)}">Upper</a>\n'
            "</body></html>\n"
        ),
        "templates/reminder.html": (
            "<p>\n"
            f'<a href="{signed("cust-3", "Upp3rCaseRanstr2", upper=True)}">Upper</a>\n'
            f'<a href="{signed("cust-4", "Upp3rCaseRanstr3", upper=True)}">Upper</a>\n'
            "</p>\n"
        ),
        "exports/links.csv": (
            "customer,email,link\n"
            f"Ann,ann@example.com,{BASE}?direct=1&chatid=9&name=Ann&email=ann@example.com"
            "&phone=%2B8613800000000\n"
            f"Bo,bo@example.com,{BASE}?direct=1&chatid=10&lang=pt-BR&ranstr=r4nd0mR4nstr0001\n"
        ),
        "logs/app.log": "".join(
            f"2026-11-25T10:00:{n:02d}Z INFO sent link {BASE}?direct=1&chatid=c{n}&lang=en\n"
            for n in range(30)
        ),
    }
    paths: dict[str, Path] = {}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths[name] = path
    binary = root / "assets" / "logo.bin"
    binary.parent.mkdir(parents=True, exist_ok=True)
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00" + bytes(range(256)))
    paths["assets/logo.bin"] = binary
    dangling = root / "logs" / "rotated.log"
    dangling.symlink_to(root / "logs" / "gone.log")
    paths["logs/rotated.log"] = dangling
    return paths
