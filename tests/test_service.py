"""The HTTP API by example: every endpoint, every status code it documents, and no leaks."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import warnings
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, quote_plus

import pytest

pytest.importorskip("fastapi")

with warnings.catch_warnings():
    # Starlette asks for httpx2 in its test client; httpx is what is installed.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from validator import spec
from validator.check import check, check_many
from validator.serialize import report_to_dict
from validator.service import ServiceSettings, create_app
from validator.service.limits import BodySizeLimit
from validator.service.problems import PROBLEM_MEDIA_TYPE
from validator.service.redaction import Redactor
from validator.signature import Secret, inner_digest, sign

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

#: The app answers only to loopback names (its Host guard), not TestClient's "testserver".
LOOPBACK_URL = "http://127.0.0.1"

APP_SECRET = "s3cr3t/+ é&Key"
DEFAULT_SECRET = "default-Secret-42"
OTHER_APP_SECRET = "other-app-Secret-7"
BASE = "https://visitorchat.twt.com/direct/demo_app"
SBS = "customer 7"
RANSTR = "Zq8Lr2Xw9Pk4Tn6Yab"
GOOD_MM = sign(SBS, RANSTR, APP_SECRET)
SIGNED = f"{BASE}?direct=1&chatid=9&sbs=customer%207&sbs_mm={GOOD_MM}&ranstr={RANSTR}"
UPPER = SIGNED.replace(GOOD_MM, GOOD_MM.upper())
WRONG = SIGNED.replace(GOOD_MM, "0" * 32)
#: Links that themselves carry a secret (DL309), raw or percent-encoded.
CARRYING = (
    f"{BASE}?direct=1&chatid=9&app_secret={quote(APP_SECRET, safe='')}",
    f"{BASE}?direct=1&chatid={DEFAULT_SECRET}",
    f"{BASE}?direct=1&chatid=9&note={quote_plus(OTHER_APP_SECRET)}",
)

SETTINGS = ServiceSettings(
    default_secret=Secret(DEFAULT_SECRET),
    secrets_by_app={"demo_app": Secret(APP_SECRET), "other_app": Secret(OTHER_APP_SECRET)},
)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = create_app(SETTINGS)
    with TestClient(app, raise_server_exceptions=False, base_url=LOOPBACK_URL) as test_client:
        yield test_client


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail", "instance"} <= set(body)
    return body


# Service, page and document --------------------------------------------------


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


def test_inspector_page_loads_only_from_this_server(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page = response.text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "no CDN, no network"
    assert "<script>" not in page and "style=" not in page, "no inline code"
    for asset in ("/static/inspector.js", "/static/inspector.css"):
        assert asset in page
        assert client.get(asset).status_code == 200


def test_openapi_documents_every_status_as_problem_json(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    operations = {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    assert set(operations) == {
        ("GET", "/"),
        ("GET", "/healthz"),
        ("POST", "/v1/check"),
        ("POST", "/v1/check-many"),
        ("POST", "/v1/explain"),
        ("POST", "/v1/build"),
        ("POST", "/v1/fix"),
        ("POST", "/v1/qr"),
        ("GET", "/v1/rules"),
        ("GET", "/v1/rules/{rule}"),
    }
    for (method, path), operation in operations.items():
        statuses = set(operation["responses"])
        assert {"200", "500"} <= statuses, (method, path)
        if method == "POST":
            assert {"413", "415", "422"} <= statuses, path
        for status, response in operation["responses"].items():
            if status[0] in "45":
                assert list(response["content"]) == [PROBLEM_MEDIA_TYPE]
    assert "404" in operations[("GET", "/v1/rules/{rule}")]["responses"]
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "Problem" in schemas
    link_schema = schemas["CheckManyRequest"]["properties"]["links"]
    assert link_schema["maxItems"] == spec.MAX_LINKS_PER_REQUEST


# Check ---------------------------------------------------------------------


def test_check_returns_the_cli_json_report(client: TestClient) -> None:
    link = f"{BASE}?chatid=12345&lang=pt-BR"
    response = client.post("/v1/check", json={"link": link})
    assert response.status_code == 200
    expected = report_to_dict(
        check(link, secret=SETTINGS.default_secret, secrets=SETTINGS.secrets_by_app)
    )
    assert response.json() == {**expected, "redacted": False}
    codes = [finding["code"] for finding in response.json()["findings"]]
    assert "DL101" in codes and "DL202" in codes


def test_check_uses_the_servers_secret_for_the_app(client: TestClient) -> None:
    verified = client.post("/v1/check", json={"link": SIGNED}).json()
    assert verified["outcome"]["identity"] == "verified"
    rejected = client.post("/v1/check", json={"link": WRONG}).json()
    assert rejected["outcome"]["identity"] == "rejected"
    assert "DL307" in [f["code"] for f in rejected["findings"]]


def test_check_options(client: TestClient) -> None:
    link = f"{BASE}?direct=1&chatid=9"
    browser = client.post("/v1/check", json={"link": link, "accept_language": "ja,en;q=0.5"})
    assert browser.json()["outcome"]["language"] == "ja"
    assert browser.json()["outcome"]["language_source"] == "browser"

    signed = client.post("/v1/check", json={"link": SIGNED, "context": "public"}).json()
    bearer = [f for f in signed["findings"] if f["code"] == "DL313"]
    assert bearer and bearer[0]["severity"] == "warning"

    several = f"{BASE}?chatid=1&sbs=a&ranstr=abc"
    every = {f["code"] for f in client.post("/v1/check", json={"link": several}).json()["findings"]}
    assert {"DL101", "DL301", "DL304"} <= every
    only = client.post(
        "/v1/check", json={"link": several, "select": ["DL3"], "ignore": ["short-ranstr"]}
    )
    codes = {f["code"] for f in only.json()["findings"]}
    assert codes == {code for code in every if code.startswith("DL3")} - {"DL304"}

    redacted = client.post("/v1/check", json={"link": SIGNED, "redact_pii": True}).json()
    assert redacted["redacted"] is True
    assert "customer" not in json.dumps(redacted["link"]["params"])


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({}, "body.link"),
        ({"link": 42}, "body.link"),
        ({"link": "x", "colour": "red"}, "body.colour"),
        ({"link": "x", "select": ["DL999"]}, "body.select.0"),
        ({"link": "x", "context": "billboard"}, "body.context"),
        ({"link": "x", "redact_pii": "yes"}, "body.redact_pii"),
        ({"link": "\ud800"}, "body.link"),
    ],
)
def test_check_rejects_malformed_types_with_422(
    client: TestClient, body: dict[str, Any], where: str
) -> None:
    content = json.dumps(body).encode()  # json.dumps escapes the lone surrogate
    response = client.post(
        "/v1/check", content=content, headers={"content-type": "application/json"}
    )
    found = problem(response, 422)
    assert found["type"] == "urn:directlink:problem:invalid-request"
    assert where in [p["name"] for p in found["invalid-params"]]


@pytest.mark.parametrize("payload", [b"{", b'{"link": }', b"\xff\xfe{}", b""])
def test_malformed_json_is_422(client: TestClient, payload: bytes) -> None:
    response = client.post(
        "/v1/check", content=payload, headers={"content-type": "application/json"}
    )
    found = problem(response, 422)
    assert "JSON" in found["detail"] or "required" in found["detail"]


def test_secret_fields_are_refused_without_echoing_them(client: TestClient) -> None:
    for field in ("secret", "app_secret", "AppSecret", "client-secret"):
        response = client.post("/v1/explain", json={"link": SIGNED, field: "hunter2-value"})
        found = problem(response, 422)
        assert found["type"] == "urn:directlink:problem:secret-in-request"
        assert field in found["detail"] and "hunter2-value" not in response.text


def test_non_json_body_is_415(client: TestClient) -> None:
    response = client.post(
        "/v1/check", content=json.dumps({"link": "x"}), headers={"content-type": "text/plain"}
    )
    assert "application/json" in problem(response, 415)["detail"]


def test_wrong_method_is_405_and_unknown_path_404(client: TestClient) -> None:
    response = client.get("/v1/check")
    problem(response, 405)
    assert response.headers["allow"] == "POST"
    problem(client.get("/v2/check"), 404)


# Check many ------------------------------------------------------------------


def test_check_many_runs_batch_rules_and_summarizes(client: TestClient) -> None:
    links = [
        f"{BASE}?direct=1&chatid=1&sbs=a&ranstr={RANSTR}&sbs_mm={'1' * 32}",
        f"{BASE}?direct=1&chatid=2&sbs=b&ranstr={RANSTR}&sbs_mm={'2' * 32}",
        "not a link",
    ]
    response = client.post("/v1/check-many", json={"links": links})
    assert response.status_code == 200
    body = response.json()
    expected = check_many(links, secret=SETTINGS.default_secret, secrets=SETTINGS.secrets_by_app)
    assert [r["findings"] for r in body["reports"]] == [
        report_to_dict(r)["findings"] for r in expected
    ]
    assert "DL310" in [f["code"] for f in body["reports"][0]["findings"]]
    summary = body["summary"]
    assert summary["links"] == 3 and summary["ok"] == 0
    assert summary["errors"] == sum(
        1 for r in expected for f in r.findings if f.severity == "error"
    )


def test_check_many_takes_its_limit_of_links_and_refuses_one_more(client: TestClient) -> None:
    link = f"{BASE}?direct=1&chatid=1"
    limit = spec.MAX_LINKS_PER_REQUEST
    assert client.post("/v1/check-many", json={"links": [link] * limit}).status_code == 200
    found = problem(client.post("/v1/check-many", json={"links": [link] * (limit + 1)}), 422)
    assert found["type"] == "urn:directlink:problem:too-many-links"
    assert str(limit) in found["detail"]


# Body size -----------------------------------------------------------------


def test_body_over_one_mebibyte_is_413(client: TestClient) -> None:
    big = json.dumps({"link": "x" * (1024 * 1024)})
    found = problem(
        client.post("/v1/check", content=big, headers={"content-type": "application/json"}), 413
    )
    assert found["type"] == "urn:directlink:problem:body-too-large"
    # The most the schema allows, every character JSON-escaped: still under 1 MiB.
    longest = "\U0001f600" * spec.MAX_BATCH_LINK_CHARS
    many = json.dumps({"links": [longest] * spec.MAX_LINKS_PER_REQUEST})
    assert len(many) < 1024 * 1024
    response = client.post(
        "/v1/check-many", content=many, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200


async def _drive(
    app: Any, chunks: list[bytes], headers: list[tuple[bytes, bytes]]
) -> tuple[int, int, bytes]:
    """Send ``chunks`` as a streamed body; return status, chunks read, body."""
    read = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read
        if read < len(chunks):
            read += 1
            return {
                "type": "http.request",
                "body": chunks[read - 1],
                "more_body": read < len(chunks),
            }
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/check",
        "raw_path": b"/v1/check",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], read, body


def test_streamed_body_is_cut_off_as_soon_as_it_passes_the_limit() -> None:
    import anyio

    app = create_app(ServiceSettings())
    chunk = b" " * 65536
    chunks = [b'{"link": "'] + [chunk] * 64  # 4 MiB, sent without a Content-Length
    headers = [(b"host", b"127.0.0.1"), (b"content-type", b"application/json")]
    status, read, body = anyio.run(_drive, app, chunks, headers)
    assert status == 413
    past_limit = next(n for n in range(1, len(chunks) + 1) if len(b"".join(chunks[:n])) > 1048576)
    assert read == past_limit, "reading stops at the first chunk past 1 MiB"
    assert json.loads(body)["type"] == "urn:directlink:problem:body-too-large"


def test_declared_length_over_the_limit_is_refused_before_reading() -> None:
    import anyio

    app = create_app(ServiceSettings())
    status, read, _ = anyio.run(
        _drive,
        app,
        [b"{}"],
        [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"),
         (b"content-length", b"5000000")],
    )
    assert status == 413 and read == 0


def test_limit_is_configurable() -> None:
    small = create_app(ServiceSettings(max_body_bytes=100))
    assert any(
        m.cls is BodySizeLimit and m.kwargs["max_bytes"] == 100 for m in small.user_middleware
    )  # type: ignore[attr-defined]
    with TestClient(small, base_url=LOOPBACK_URL) as test_client:
        problem(test_client.post("/v1/check", json={"link": "x" * 200}), 413)


# Explain ---------------------------------------------------------------------


def test_explain_verdicts(client: TestClient) -> None:
    def verdict(link: str) -> dict[str, Any]:
        response = client.post("/v1/explain", json={"link": link})
        assert response.status_code == 200
        body: dict[str, Any] = response.json()
        return body

    assert verdict(SIGNED)["verdict"] == "verified"
    upper = verdict(UPPER)
    assert upper["verdict"] == "mismatch"
    assert upper["diagnosis"]["matches"][0] == "uppercase-hex"
    assert verdict(f"{BASE}?direct=1&chatid=9")["verdict"] == "unsigned"
    assert verdict("https://visitorchat.twt.com/help")["verdict"] == "not-a-direct-link"
    no_secret = ServiceSettings(secrets_by_app={"demo_app": Secret(APP_SECRET)})
    with TestClient(create_app(no_secret), base_url=LOOPBACK_URL) as other:
        body = other.post(
            "/v1/explain", json={"link": SIGNED.replace("demo_app", "unknown_app")}
        ).json()
    assert body["verdict"] == "no-secret" and body["diagnosis"] is None


def test_explain_names_another_apps_secret_by_label_only(client: TestClient) -> None:
    signed_by_other = SIGNED.replace(GOOD_MM, sign(SBS, RANSTR, OTHER_APP_SECRET))
    body = client.post("/v1/explain", json={"link": signed_by_other}).json()
    assert body["diagnosis"]["matches"][0] == "other-secret"
    assert body["diagnosis"]["details"][0]["secret_label"] == "app other_app"


def test_explain_shows_the_snippet_lines_of_the_fix_in_the_asked_language(
    client: TestClient,
) -> None:
    from validator.signing_snippets import fix_in_code

    body = client.post("/v1/explain", json={"link": UPPER, "language": "php"}).json()
    assert body["verdict"] == "mismatch"
    expected = fix_in_code("php", tuple(body["diagnosis"]["matches"]))
    assert body["fix_in_code"] == expected
    assert body["fix_in_code"]["fixes"][0]["hypothesis"] == "uppercase-hex"
    assert body["fix_in_code"]["fixes"][0]["lines"]
    right = client.post("/v1/explain", json={"link": SIGNED, "language": "php"}).json()
    assert (right["verdict"], right["fix_in_code"]) == ("verified", None)
    assert client.post("/v1/explain", json={"link": UPPER}).json()["fix_in_code"] is None
    refused = client.post("/v1/explain", json={"link": UPPER, "language": "cobol"})
    assert refused.status_code == 422
    assert "no snippet for 'cobol'" in refused.text


# Build, fix, QR -------------------------------------------------------------


def test_build_signs_with_the_servers_secret(client: TestClient) -> None:
    body = client.post(
        "/v1/build", json={"app_id": "demo_app", "chat_id": "9", "sbs": SBS, "ranstr": RANSTR}
    ).json()
    assert body["signed"] is True and body["note"] is None
    assert body["link"] == SIGNED
    assert body["report"]["outcome"]["identity"] == "verified"


def test_build_unsigned_says_why(client: TestClient) -> None:
    body = client.post("/v1/build", json={"app_id": "demo_app", "sbs": SBS, "sign": False}).json()
    assert body["signed"] is False and "not asked" in body["note"]
    with TestClient(create_app(ServiceSettings()), base_url=LOOPBACK_URL) as bare:
        body = bare.post("/v1/build", json={"app_id": "demo_app", "sbs": SBS}).json()
    assert body["signed"] is False and "no secret for app 'demo_app'" in body["note"]
    assert "DL301" in [f["code"] for f in body["report"]["findings"]]


def test_build_rejects_bad_values(client: TestClient) -> None:
    found = problem(client.post("/v1/build", json={"app_id": "bad app"}), 422)
    assert found["invalid-params"][0]["name"] == "body.app_id"
    problem(client.post("/v1/build", json={"app_id": "a", "base": "ftp://x"}), 422)
    problem(client.post("/v1/build", json={"app_id": "a", "theme": "pink"}), 422)
    extra = [{"name": "App_Secret", "value": "x"}]
    found = problem(client.post("/v1/build", json={"app_id": "a", "extra": extra}), 422)
    assert "DL309" in found["detail"]


def test_fix_applies_safe_fixes_and_unsafe_on_request(client: TestClient) -> None:
    link = f"{BASE}?chatid=12345&lang=pt-BR"
    safe = client.post("/v1/fix", json={"link": link}).json()
    assert safe["changed"] is True
    assert safe["fixed"] == f"{BASE}?chatid=12345&lang=pt"
    assert safe["fixed_codes"] == ["DL202"]
    assert [a["code"] for a in safe["applied"]] == ["DL202"]
    assert "DL101" in [f["code"] for f in safe["report"]["findings"]]
    unsafe = client.post("/v1/fix", json={"link": link, "unsafe": True}).json()
    assert unsafe["fixed"] == f"{BASE}?direct=1&chatid=12345&lang=pt"
    assert unsafe["report"]["findings"] == []
    same = client.post("/v1/fix", json={"link": unsafe["fixed"]}).json()
    assert same["changed"] is False and same["fixed"] == unsafe["fixed"]


def test_qr_is_svg_and_too_long_is_422(client: TestClient) -> None:
    response = client.post("/v1/qr", json={"link": SIGNED})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.text.startswith("<svg")
    problem(client.post("/v1/qr", json={"link": "x" * 501}), 422)
    problem(client.post("/v1/qr", json={"link": "x", "scale": 0}), 422)


# Rules ---------------------------------------------------------------------


def test_rules_list_and_docs(client: TestClient) -> None:
    rules = client.get("/v1/rules").json()["rules"]
    codes = [rule["code"] for rule in rules]
    assert codes == sorted(codes) and "DL101" in codes and "DL603" in codes
    by_code = client.get("/v1/rules/DL101").json()
    by_name = client.get("/v1/rules/chatid-without-direct").json()
    assert by_code == by_name
    assert by_code["name"] == "chatid-without-direct" and by_code["selected"] is True
    assert by_code["bad"].startswith("https://") and by_code["why"]
    assert client.get("/v1/rules/dl101").json()["code"] == "DL101"
    found = problem(client.get("/v1/rules/DL999"), 404)
    assert found["type"] == "urn:directlink:problem:unknown-rule"


# Errors that are bugs ---------------------------------------------------------


def test_a_bug_is_a_logged_500_without_the_secret(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from validator.service import routes

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"boom near {APP_SECRET} and {inner_digest(SBS, APP_SECRET)}")

    monkeypatch.setattr(routes, "check_one", broken)
    with (
        TestClient(
            create_app(SETTINGS), raise_server_exceptions=False, base_url=LOOPBACK_URL
        ) as test_client,
        caplog.at_level(logging.ERROR, logger="validator.service"),
    ):
        response = test_client.post("/v1/check", json={"link": SIGNED})
    found = problem(response, 500)
    assert found["type"] == "urn:directlink:problem:internal-error"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "RuntimeError" in logged and "<AppSecret>" in logged
    for form in secret_forms():
        assert form not in logged and form not in response.text


def test_redactor_masks_every_form_and_keeps_access_log_arguments() -> None:
    redactor = Redactor([Secret(APP_SECRET)])
    digest = inner_digest(SBS, APP_SECRET)
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", f"/?s={quote_plus(APP_SECRET)}&d={digest}", "1.1", 200),
        None,
    )
    assert redactor.filter(record)
    assert isinstance(record.args, tuple) and record.args[-1] == 200
    message = record.getMessage()
    assert quote_plus(APP_SECRET) not in message and digest not in message
    assert "<AppSecret>" in message and digest[:6] + "…" in message


# Leaks ---------------------------------------------------------------------


def secret_forms() -> set[str]:
    """Every text that would give a secret or a customer's inner digest away."""
    forms: set[str] = set()
    for secret in (APP_SECRET, DEFAULT_SECRET, OTHER_APP_SECRET):
        encoded = {secret, quote(secret, safe=""), quote_plus(secret), quote(secret)}
        for text in list(encoded):
            encoded.add(re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), text))
        forms |= encoded | {secret.encode().hex(), hashlib.sha256(secret.encode()).hexdigest()}
        forms.add(inner_digest(SBS, secret))
    return forms


#: A request per documented operation: ``(method, path) -> [(path to call, JSON body)]``,
#: successes and failures. An operation without an entry fails the leak test.
LEAK_REQUESTS: dict[tuple[str, str], list[tuple[str, Any]]] = {
    ("GET", "/"): [("/", None)],
    ("GET", "/healthz"): [("/healthz", None)],
    ("GET", "/v1/rules"): [("/v1/rules", None)],
    ("GET", "/v1/rules/{rule}"): [("/v1/rules/DL309", None), ("/v1/rules/secret", None)],
    ("POST", "/v1/check"): [
        ("/v1/check", {"link": link}) for link in (SIGNED, UPPER, WRONG, "x", *CARRYING)
    ]
    + [("/v1/check", {"link": SIGNED, "secret": APP_SECRET})],
    ("POST", "/v1/check-many"): [("/v1/check-many", {"links": [SIGNED, UPPER, *CARRYING]})],
    ("POST", "/v1/explain"): [
        ("/v1/explain", {"link": link, "batch": [SIGNED]}) for link in (SIGNED, UPPER, WRONG)
    ]
    + [("/v1/explain", {"link": SIGNED, "app_secret": APP_SECRET})],
    ("POST", "/v1/build"): [
        ("/v1/build", {"app_id": app, "chat_id": "9", "sbs": SBS, "ranstr": RANSTR})
        for app in ("demo_app", "other_app", "third_app")
    ],
    ("POST", "/v1/fix"): [("/v1/fix", {"link": link, "unsafe": True}) for link in (UPPER, WRONG)],
    ("POST", "/v1/qr"): [("/v1/qr", {"link": link}) for link in (SIGNED, *CARRYING)],
}


def test_no_endpoint_leaks_a_secret_or_an_inner_digest(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    document = client.get("/openapi.json").json()
    documented = {
        (method.upper(), path) for path, item in document["paths"].items() for method in item
    }
    missing = documented - set(LEAK_REQUESTS)
    assert not missing, f"add leak-test requests for {sorted(missing)}"
    forms = secret_forms()
    with caplog.at_level(logging.DEBUG):
        for (method, _), calls in LEAK_REQUESTS.items():
            for path, body in calls:
                response = client.request(method, path, json=body)
                assert response.status_code < 500, (path, response.text)
                text = response.text + json.dumps(dict(response.headers))
                assert not [form for form in forms if form in text], (method, path, body)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert not [form for form in forms if form in logged]


def test_a_link_carrying_a_secret_is_echoed_masked_with_spans_intact(client: TestClient) -> None:
    link = CARRYING[0]
    report = client.post("/v1/check", json={"link": link}).json()
    assert "DL309" in [f["code"] for f in report["findings"]]
    echoed = report["link"]["input"]
    assert len(echoed) == len(link) and APP_SECRET not in echoed
    secret_param = next(p for p in report["link"]["params"] if p["name"] == "app_secret")
    start, end = secret_param["value_span"]
    assert set(echoed[start:end]) == {"*"}
    assert echoed[:start] == link[:start] and echoed[end:] == link[end:]


def test_no_qr_code_for_a_link_carrying_a_secret(client: TestClient) -> None:
    for link in CARRYING:
        found = problem(client.post("/v1/qr", json={"link": link}), 422)
        assert found["type"] == "urn:directlink:problem:secret-in-link"


# directlink serve -------------------------------------------------------------


def test_import_validator_does_not_import_the_server() -> None:
    import subprocess
    import sys

    code = (
        "import sys, validator; assert 'fastapi' not in sys.modules; "
        "assert callable(validator.create_app); assert 'fastapi' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("example.com", False),
    ],
)
def test_loopback_detection(host: str, loopback: bool) -> None:
    from validator.service.hosts import is_loopback

    assert is_loopback(host) is loopback


def _serve(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> tuple[Any, list[Any]]:
    import uvicorn
    from click.testing import CliRunner

    from validator.cli import cli

    started: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, *a, **k: started.append(self.config))
    monkeypatch.delenv("DIRECTLINK_APP_SECRET", raising=False)
    return CliRunner().invoke(cli, ["serve", *args]), started


def test_serve_defaults_to_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    result, started = _serve(monkeypatch, [])
    assert result.exit_code == 0, result.output
    assert started and started[0].host == "127.0.0.1" and started[0].port == 8000
    assert "warning" not in result.output


def test_serve_elsewhere_warns(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    secrets = tmp_path / "secrets.json"
    secrets.write_text(json.dumps({"demo_app": APP_SECRET}), encoding="utf-8")
    monkeypatch.setenv("DIRECTLINK_API_TOKEN", "api-token-for-the-test")
    result, started = _serve(
        monkeypatch,
        ["--host", "0.0.0.0", "--port", "9000", "--secrets-file", str(secrets),
         "--allowed-host", "links.example"],
    )
    assert result.exit_code == 0, result.output
    assert started[0].host == "0.0.0.0"
    assert "warning: listening on 0.0.0.0, not loopback" in result.output
    assert "1 app secrets" in result.output and APP_SECRET not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--secrets-file", "no-such-file.json"], "does not exist"),
        (["--config", "no-such-directlink.toml"], "does not exist"),
        (["--port", "70000"], "70000"),
    ],
)
def test_serve_input_errors_exit_2(
    monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    result, started = _serve(monkeypatch, args)
    assert result.exit_code == 2 and message in result.output and not started
    assert "Traceback" not in result.output


def test_serve_reads_the_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    config = tmp_path / "directlink.toml"
    config.write_text('context = "public"\nignore = ["DL312"]\n', encoding="utf-8")
    result, started = _serve(monkeypatch, ["--config", str(config)])
    assert result.exit_code == 0, result.output
    with TestClient(started[0].app, base_url="http://127.0.0.1:8000") as served:
        report = served.post("/v1/check", json={"link": f"{BASE}?direct=1&chatid=1&name=A"}).json()
    codes = [f["code"] for f in report["findings"]]
    assert "DL312" not in codes and "DL403" in codes  # public context: PII in a public link


def test_loopback_server_answers_only_to_loopback_host_names() -> None:
    from validator.service.security import LOOPBACK_HOSTS

    guarded = create_app(ServiceSettings(allowed_hosts=LOOPBACK_HOSTS))
    with TestClient(guarded, base_url=LOOPBACK_URL) as test_client:
        for host in ("127.0.0.1:8000", "localhost", "[::1]:8000", "LOCALHOST:1"):
            assert test_client.get("/healthz", headers={"host": host}).status_code == 200
        for host in ("rebind.attacker.example", "127.0.0.1.nip.io:8000", ""):
            found = problem(test_client.get("/healthz", headers={"host": host}), 400)
            assert "DNS rebinding" in found["detail"]


def test_serve_beyond_loopback_needs_an_allow_list_and_a_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from validator.service.security import HostGuard

    _, started = _serve(monkeypatch, [])
    assert any(m.cls is HostGuard for m in started[0].app.user_middleware)
    monkeypatch.delenv("DIRECTLINK_API_TOKEN", raising=False)
    result, started = _serve(monkeypatch, ["--host", "0.0.0.0"])
    assert result.exit_code == 2 and not started
    assert "DIRECTLINK_API_TOKEN" in result.output and "--allowed-host" in result.output
    monkeypatch.setenv("DIRECTLINK_API_TOKEN", "api-token-for-the-test")
    result, started = _serve(monkeypatch, ["--host", "0.0.0.0", "--allowed-host", "a.example"])
    assert result.exit_code == 0, result.output
    assert any(m.cls is HostGuard for m in started[0].app.user_middleware)


# A real server on loopback -----------------------------------------------------


@pytest.fixture(scope="module")
def live_server() -> Iterator[tuple[str, int]]:
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(SETTINGS), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield ("127.0.0.1", port)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _send_until_answered(
    address: tuple[str, int], head: bytes, chunks: Iterator[bytes]
) -> tuple[bytes, int]:
    """Send ``head`` then ``chunks`` until the server answers; return the answer and bytes sent."""
    import select
    import socket

    sent = 0
    with socket.create_connection(address, timeout=10) as connection:
        connection.sendall(head)
        for chunk in chunks:
            readable, _, _ = select.select([connection], [], [], 0)
            if readable:
                break
            try:
                connection.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        answer = b""
        while b"\r\n\r\n" not in answer or len(answer) < answer.index(b"\r\n\r\n") + 4 + 40:
            data = connection.recv(65536)
            if not data:
                break
            answer += data
    return answer, sent


CHUNKS = 512


def test_live_server_refuses_a_chunked_body_while_it_streams(live_server: tuple[str, int]) -> None:
    import time

    head = (
        b"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    piece = b" " * 65536
    total = CHUNKS * len(piece)  # 32 MiB: more than loopback socket buffers hold

    def chunks() -> Iterator[bytes]:
        yield b"a\r\n" + b'{"link": "' + b"\r\n"
        for _ in range(CHUNKS):
            time.sleep(0.002)
            yield b"10000\r\n" + piece + b"\r\n"
        yield b"0\r\n\r\n"

    answer, sent = _send_until_answered(live_server, head, chunks())
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"application/problem+json" in answer
    assert sent < total, "the server answered before the body ended"


def test_live_server_refuses_a_declared_length_before_the_body(
    live_server: tuple[str, int],
) -> None:
    head = (
        b"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: 10485760\r\n\r\n"
    )
    answer, sent = _send_until_answered(live_server, head, iter(()))
    assert answer.startswith(b"HTTP/1.1 413") and sent == 0


# Properties ----------------------------------------------------------------------


def _link_texts() -> Any:
    from hypothesis import strategies as st

    from validator import strategies as links

    return st.one_of(
        links.valid_links(),
        links.mutated_links().map(lambda mutated: mutated.url),
        links.link_like_text(),
        links.hostile_text(),
    )


def test_any_text_gets_the_cli_report_or_a_422(client: TestClient) -> None:
    from hypothesis import given

    @given(text=_link_texts())
    def property_(text: str) -> None:
        response = client.post(
            "/v1/check",
            content=json.dumps({"link": text}),
            headers={"content-type": "application/json"},
        )
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            problem(response, 422)  # a lone surrogate: no URL can carry it
            return
        assert response.status_code == 200, response.text
        expected = report_to_dict(
            check(text, secret=SETTINGS.default_secret, secrets=SETTINGS.secrets_by_app)
        )
        assert response.json() == {**expected, "redacted": False}

    property_()


def test_secret_like_pattern_agrees_with_the_check() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    from validator.service.models import SECRET_LIKE_PATTERN, is_secret_like

    pattern = re.compile(SECRET_LIKE_PATTERN)
    names = st.one_of(
        st.text(max_size=12),
        st.lists(st.sampled_from(list("sSeEcCrRtT-_xA")), max_size=12).map("".join),
    )

    @given(names)
    def agree(name: str) -> None:
        assert (pattern.search(name) is not None) == is_secret_like(name)

    agree()


def test_create_app_without_settings_reads_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'other_app = "{OTHER_APP_SECRET}"\n', encoding="utf-8")
    config = tmp_path / "directlink.toml"
    config.write_text('ignore = ["DL313"]\n', encoding="utf-8")
    monkeypatch.setenv("DIRECTLINK_APP_SECRET", APP_SECRET)
    monkeypatch.setenv("DIRECTLINK_SECRETS_FILE", str(secrets))
    monkeypatch.setenv("DIRECTLINK_CONFIG", str(config))
    with TestClient(create_app(), base_url=LOOPBACK_URL) as from_env:
        report = from_env.post("/v1/check", json={"link": SIGNED}).json()
        other = from_env.post(
            "/v1/explain", json={"link": SIGNED.replace("demo_app", "other_app")}
        ).json()
    assert report["outcome"]["identity"] == "verified"  # the env secret serves every app
    assert "DL313" not in [f["code"] for f in report["findings"]]
    assert other["verdict"] == "mismatch"  # other_app has its own secret
    assert other["diagnosis"]["matches"][0] == "other-secret"
