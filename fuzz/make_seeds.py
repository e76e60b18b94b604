"""Write the seed corpora under corpora/fuzz/<harness>/ (run once; the files are committed).

    python fuzz/make_seeds.py
    python fuzz/make_seeds.py --readers   # only the per-reader harnesses' seeds

Seeds: one valid link per encoding dialect, one link per defect mutation,
documents embedding them (text, Markdown, JSON, CSV, HTML) and signed links
with the signer's usual mistakes for ``explain``.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import warnings
from pathlib import Path

from hypothesis.errors import NonInteractiveExampleWarning

from validator import build, sign
from validator import strategies as dls

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from targets import FUZZ_SECRET  # noqa: E402

SEEDS = HERE.parent / "corpora" / "fuzz"


def write(harness: str, data: str | bytes) -> None:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    folder = SEEDS / harness
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(raw).hexdigest()[:12]).write_bytes(raw)


def main() -> None:
    warnings.simplefilter("ignore", NonInteractiveExampleWarning)
    random.seed(6)
    links = [dls.link_specs(dialect=d, chat=True, lang=True).example().url for d in dls.DIALECTS]
    links += [dls.mutated_links([m]).example().url for m in dls.MUTATIONS]
    links += [
        "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=123&lang=pt-BR",
        "HTTPS://Visitor.ChatTWT.com:443/a/../direct/8cba81d468aac01b4f15f8ea4ef33677/#lang=en",
        "https://user:pw@[::1]:8080\\direct\\x?%zz=%FF&&=a+b#chatid=1",
        " \thttps://xn--bcher-kva.de/direct/app?q=%E4%B8%AD\n",
        "",
    ]
    for link in links:
        write("parse_check", link)
    for index, link in enumerate(links[:20]):
        kind_byte = bytes([index % 4])
        documents = [
            f"Hi! Open {link}. Thanks",
            f"[chat]({link}) and <{link}>",
            json.dumps({"items": [{"url": link}]}),
            f'id,link\n1,"{link}"\n',
        ]
        write("extract_text", kind_byte + documents[index % 4].encode("utf-8"))
        html = link.replace("&", "&amp;")
        write("extract_html", f'<p><a href="{html}">chat</a><!-- {link} --></p>')
    write("extract_html", '<iframe src="https://visitorchat.twt.com/direct/x?lang=en"></iframe>')
    write("extract_html", "<a href='https://www.google.com/url?q=https%3A%2F%2Fvisitorchat.twt.com"
          "%2Fdirect%2Fdemo_app%3Fdirect%3D1%26chatid%3D7'>x</a>")
    signed = build("demo_app", chat_id="42", sbs="john doe", ranstr="rAnD0m-Str1ng-xy",
                   secret=FUZZ_SECRET)
    write("explain", signed)
    write("explain", signed.replace("sbs=john%20doe", "sbs=john+doe"))
    secret = FUZZ_SECRET.reveal()
    inner = hashlib.md5(f"john doe_{secret}".encode()).hexdigest()
    mistakes = {
        "upper": sign("john doe", "rAnD0m-Str1ng-xy", FUZZ_SECRET).upper(),
        "single": hashlib.md5(f"john doe_{secret}_rAnD0m-Str1ng-xy".encode()).hexdigest(),
        "sha1": hashlib.sha1(f"{inner}_rAnD0m-Str1ng-xy".encode()).hexdigest(),
        "swapped": hashlib.md5(f"rAnD0m-Str1ng-xy_{inner}".encode()).hexdigest(),
    }
    for value in mistakes.values():
        write("explain", f"https://visitorchat.twt.com/direct/demo_app?sbs=john%20doe"
              f"&sbs_mm={value}&ranstr=rAnD0m-Str1ng-xy")


def reader_seeds() -> None:
    """Seeds of the per-reader harnesses: the hostile files of the hardening tests, small."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    import tempfile

    import hostile_cases as cases

    folder = Path(tempfile.mkdtemp())
    write("extract_eml", cases.eml_with_image_parts(folder, [("image/svg+xml", cases.SVG),
                                                             ("image/gif", cases.GIF)])
          .read_bytes())
    write("extract_eml", cases.eml_multipart_without_boundary(folder).read_bytes())
    write("extract_eml", (HERE.parent / "corpora" / "samples" / "order-shipped.eml").read_bytes())
    write("extract_csv", b"\x00" + cases.csv_with_huge_cell(folder, 2000).read_bytes())
    write("extract_csv", b"\x00" + (HERE.parent / "corpora" / "samples" / "crm-export.csv")
          .read_bytes())
    write("extract_csv", b"\x01" + b"a\tb\n1\t\"" + cases.link(1).encode() + b"\"\n")
    write("extract_json", b"\x00" + cases.deep_json(folder, 200, 3).read_bytes())
    write("extract_json", b"\x00" + (HERE.parent / "corpora" / "samples" / "campaign.json")
          .read_bytes())
    write("extract_json", b"\x01" + (HERE.parent / "corpora" / "samples" / "events.jsonl")
          .read_bytes())
    write("extract_json", b"\x01" + "\n".join(f'{{"u": "{cases.link(n)}"}}' for n in range(3))
          .encode("utf-16"))
    for tag in ("div", "a", "table"):
        write("extract_html_deep", cases.deep_html(folder, 20, tag).read_bytes())
    write("extract_image", (HERE.parent / "corpora" / "samples" / "table-card-qr.png").read_bytes())
    write("extract_image", cases.GIF)
    write("extract_image", cases.png_declaring(40, 40))
    write("extract_image", cases.png_declaring(5000, 5000, rows=1))
    write("decode_stream", cases.utf16_log_with_lone_surrogate(folder, 6).read_bytes())
    write("decode_stream", cases.utf32_log(folder, 3).read_bytes())
    write("decode_stream", cases.log_with_stray_latin1_byte(folder, 3).read_bytes())
    write("decode_stream", b"caf\xe9 " + cases.link(1).encode() + b"\xe2\x82\n\xf0\x9f\x98")


if __name__ == "__main__":
    main() if sys.argv[1:] != ["--readers"] else reader_seeds()
