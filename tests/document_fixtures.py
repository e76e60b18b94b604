"""Documents with planted links, written by corpora/make_samples.py's writers.

Each ``plant_*`` function writes one document and returns what the audit must
find in it: the set of ``(location part, line, column, url)``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "corpora"))

import make_samples as samples  # noqa: E402
from make_samples import Hyperlink, PdfPage  # noqa: E402

BASE = samples.BASE
SECRET_TEXT = samples.SECRET
GOOD = samples.signed("plant-1", "cust-9001", "Hk3mP8qR2sT6vW9x")
UPPER_HEX = GOOD.split("sbs_mm=")[0] + "sbs_mm=" + GOOD.split("sbs_mm=")[1][:32].upper() \
    + GOOD.split("sbs_mm=")[1][32:]
NO_DIRECT = f"{BASE}?chatid=plant-2&lang=en"
BAD_LANG = f"{BASE}?direct=1&chatid=plant-3&lang=pt-BR"
#: Only ever in a hyperlink relationship (never in visible text).
REL_ONLY = f"{BASE}?direct=1&chatid=rel-only&lang=xx"
#: Only ever in a QR code drawn in a PDF.
QR_ONLY = f"{BASE}?chatid=qr-only&direct=1&lang=de&lang=fr"
OTHER_SITE = "https://example.com/not-a-chat-link"

Expected = set[tuple[str, int, int, str]]


def plant_xlsx(path: Path) -> Expected:
    path.write_bytes(samples.xlsx_bytes({
        "Customers": {
            "A1": "customer", "B1": "link",
            "A2": "cust-9001", "B2": GOOD,
            "B3": f"see {UPPER_HEX} please",
            "C4": Hyperlink("Open chat", REL_ONLY),
            "D5": f'=HYPERLINK("{NO_DIRECT}","chat")',
            "E6": OTHER_SITE,
        },
        "Q3 links": {"A1": BAD_LANG},
    }))
    return {
        ("Customers!B2", 1, 1, GOOD),
        ("Customers!B3", 1, 5, UPPER_HEX),
        ("Customers!C4 hyperlink", 1, 1, REL_ONLY),
        # openpyxl writes the formula without its "=": the URL is at column 12.
        ("Customers!D5 formula", 1, 12, NO_DIRECT),
        ("'Q3 links'!A1", 1, 1, BAD_LANG),
    }


def plant_docx(path: Path) -> Expected:
    path.write_bytes(samples.docx_bytes(
        [
            ["Dear customer,"],
            ["Chat with us at ", GOOD, " any time."],
            ["Or ", Hyperlink("click here", REL_ONLY), " and also ", UPPER_HEX],
            ["Elsewhere: ", OTHER_SITE],
        ],
        table=[["Support", NO_DIRECT]],
        header=f"Header link {BAD_LANG}",
    ))
    return {
        ("body paragraph 2", 1, 17, GOOD),
        ("body paragraph 3 hyperlink", 1, 4, REL_ONLY),
        ("body paragraph 3", 1, 24, UPPER_HEX),
        ("body paragraph 6", 1, 1, NO_DIRECT),  # the table's second cell
        ("header1 paragraph 1", 1, 13, BAD_LANG),
    }


def plant_pptx(path: Path) -> Expected:
    path.write_bytes(samples.pptx_bytes(
        [
            [["Title"], ["Chat: ", Hyperlink("open", REL_ONLY), " or ", GOOD]],
            [["Localised: ", BAD_LANG]],
        ],
        notes=[None, f"Old link {NO_DIRECT}"],
        shape_links=[UPPER_HEX, None],
    ))
    return {
        ("slide 1 paragraph 2 hyperlink", 1, 7, REL_ONLY),
        ("slide 1 paragraph 2", 1, 15, GOOD),
        ("slide 1 shape hyperlink", 1, 1, UPPER_HEX),
        ("slide 2 paragraph 1", 1, 12, BAD_LANG),
        ("slide 2 notes paragraph 1", 1, 10, NO_DIRECT),
    }


def plant_odt(path: Path) -> Expected:
    path.write_bytes(samples.odt_bytes([
        ["Hello"],
        ["Chat: ", GOOD],
        ["Or ", Hyperlink("here", REL_ONLY)],
    ]))
    return {("paragraph 2", 1, 7, GOOD), ("paragraph 3 hyperlink", 1, 4, REL_ONLY)}


def plant_ods(path: Path) -> Expected:
    path.write_bytes(samples.ods_bytes({
        "Prices": [["item", "chat"], ["lamp", GOOD], ["chair", Hyperlink("ask", REL_ONLY)]],
        "Other": [[OTHER_SITE, BAD_LANG]],
    }))
    return {
        ("Prices!B2", 1, 1, GOOD),
        ("Prices!B3 hyperlink", 1, 1, REL_ONLY),
        ("Other!B1", 1, 1, BAD_LANG),
    }


def plant_pdf(path: Path) -> Expected:
    path.write_bytes(samples.pdf_bytes([
        PdfPage(lines=["Table 12", f"Chat: {GOOD}"], annotations=[OTHER_SITE, NO_DIRECT]),
        PdfPage(qr_codes=[QR_ONLY]),
    ]))
    return {
        ("page 1 link annotation 2", 1, 1, NO_DIRECT),
        ("page 1", 2, 7, GOOD),
        ("page 2 image 1 QRCode 1 of 1 at x=64 y=424", 1, 1, QR_ONLY),
    }
